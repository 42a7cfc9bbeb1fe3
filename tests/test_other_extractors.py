"""Text as other extractors write it. In a PDF's drawing order (pypdfium2, pdf-parse) each table's
title comes after its body, with header cells and the unit line scattered after it: the same report
read in printed order and in drawing order gives the same figures, and a report in printed order is
left as it is. Whitespace-aligned layouts (pdftotext -layout) repeat headers on continuation pages
and put a wrapped cell's code alone on its line."""

from __future__ import annotations

from budgetlens.extract import extract
from budgetlens.sources.text import read_text
from budgetlens.sources.title_order import restore_title_order

NARRATIVE = ("某某局2024年部门预算\n一、收支预算总体情况\n某某局2024年收入预算120.00万元，支出预算120.00万元。"
             "其中基本支出90.00万元，项目支出30.00万元。\n")

SUMMARY_BODY = ("表一\n部门：某某局\n项目 金额 项目 金额\n一、财政拨款收入 120.00 一、一般公共服务支出 100.00\n"
                "二、事业收入 二、住房保障支出 20.00\n本年收入合计 120.00 本年支出合计 120.00\n收入总计 120.00 支出总计 120.00\n")
EXPENDITURE_BODY = ("表二\n部门：某某局\n科目编码 科目名称 合计 基本支出\n合计 120.00 90.00 30.00\n"
                    "201 一般公共服务支出 100.00 70.00 30.00\n20101 人大事务 100.00 70.00 30.00\n"
                    "2010101 行政运行 70.00 70.00\n2010102 一般行政管理事务 30.00 30.00\n221 住房保障支出 20.00 20.00\n"
                    "22102 住房改革支出 20.00 20.00\n2210201 住房公积金 20.00 20.00\n")
THREE_BODY = "表三\n部门：某某局\n合计 因公出国（境）费\n6.00 1.00 3.00 2.00\n"


def _printed() -> str:
    return "\f".join([
        NARRATIVE,
        "收支预算总表\n单位：万元\n" + SUMMARY_BODY,
        "支出预算总表\n单位：万元\n" + EXPENDITURE_BODY.replace("合计 基本支出\n", "合计 基本支出 项目支出\n"),
        "“三公”经费支出预算表\n单位：万元\n" + THREE_BODY.replace(
            "合计 因公出国（境）费\n", "合计 因公出国（境）费 公务用车购置及运行费 公务接待费\n"),
    ])


def _drawn() -> str:
    """The same pages as a content stream draws them: body, title, the rest of the header, unit."""
    return "\f".join([
        NARRATIVE,
        SUMMARY_BODY + "收支预算总表\n收入 支出\n单位：万元\n",
        EXPENDITURE_BODY + "支出预算总表\n项目支出\n单位：万元\n",
        THREE_BODY + "“三公”经费支出预算表\n公务用车购置及运行费 公务接待费\n单位：万元\n",
    ])


def _figures(path) -> dict:
    out = extract(path).to_json()
    keys = ("revenue_total", "expenditure_total", "grand_total", "fiscal_revenue", "basic_expenditure",
            "project_expenditure", "three_public_total")
    return {"facts": {k: out["facts"].get(k) for k in keys}, "function_totals": out["function_totals"],
            "currency": out["document"]["source_currency_unit"]}


def test_drawing_order_reads_like_printed_order(tmp_path):
    printed, drawn = tmp_path / "printed.txt", tmp_path / "drawn.txt"
    printed.write_text(_printed(), encoding="utf-8")
    drawn.write_text(_drawn(), encoding="utf-8")
    want = _figures(printed)
    assert want["facts"]["expenditure_total"] == 120.0 and want["facts"]["three_public_total"] == 6.0
    assert want["function_totals"] == {"201": 100.0, "221": 20.0}
    assert _figures(drawn) == want


def test_titles_go_back_above_their_tables(tmp_path):
    drawn = tmp_path / "drawn.txt"
    drawn.write_text(_drawn(), encoding="utf-8")
    texts = [b.text for b in restore_title_order(read_text(str(drawn))).blocks]
    at = texts.index("支出预算总表")
    assert texts[at:at + 7] == ["支出预算总表", "单位：万元", "表二", "部门：某某局", "科目编码 科目名称 合计 基本支出",
                                "项目支出", "合计 120.00 90.00 30.00"]


def test_printed_order_is_left_alone(tmp_path):
    printed = tmp_path / "printed.txt"
    # One title at the foot of a page, after the previous table's rows, is no reason to reorder.
    printed.write_text(_printed().replace("\f支出预算总表\n单位：万元\n", "\n支出预算总表\n\f单位：万元\n"), encoding="utf-8")
    doc = read_text(str(printed))
    assert restore_title_order(doc) is doc


def test_a_blank_table_in_drawing_order_keeps_its_title_and_note(tmp_path):
    blank = ("部门：某某局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n类 款 项\n合计\n表四\n"
             "政府性基金预算支出表\n注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。\n")
    drawn = tmp_path / "drawn.txt"
    drawn.write_text(_drawn() + "\f" + blank, encoding="utf-8")
    result = extract(drawn)
    table = next(t for t in result.tables if t.title == "政府性基金预算支出表")
    assert table.empty_declared
    texts = [b.text for b in restore_title_order(read_text(str(drawn))).blocks]
    at = texts.index("政府性基金预算支出表")
    assert texts[at:at + 3] == ["政府性基金预算支出表", "表四", "部门：某某局 单位：万元"]
    assert texts[-1].startswith("注：")


def test_a_header_repeated_on_a_continuation_page_is_not_a_wrapped_name(tmp_path):
    text = _printed().replace("22102 住房改革支出 20.00 20.00\n", "\f类 款 项\n22102 住房改革支出 20.00 20.00\n").replace(
        "科目编码 科目名称 合计 基本支出 项目支出\n", "科目编码 科目名称 合计 基本支出 项目支出\n类 款 项\n")
    printed = tmp_path / "printed.txt"
    printed.write_text(text, encoding="utf-8")
    table = next(t for t in extract(printed).tables if t.id == "expenditure")
    assert "住房改革支出" in set(table.frame["name"])


def test_a_row_label_drawn_after_the_title_stays_a_row(tmp_path):
    # 结转下年 is a row of the summary whose (blank) figure was drawn nowhere: not a header cell.
    drawn = tmp_path / "drawn.txt"
    drawn.write_text(_drawn().replace("收支预算总表\n收入 支出\n", "收支预算总表\n收入 支出\n结转下年\n"), encoding="utf-8")
    texts = [b.text for b in restore_title_order(read_text(str(drawn))).blocks]
    assert texts.index("结转下年") > texts.index("收入总计 120.00 支出总计 120.00")
    assert texts.index("收入 支出") < texts.index("一、财政拨款收入 120.00 一、一般公共服务支出 100.00")
    assert extract(drawn).to_json()["facts"]["carryover_end"] == 0.0


def _row_2010102(tmp_path, printed_as: str):
    """The expenditure table's frame and its 2010102 rows, with that row printed as given."""
    printed = tmp_path / "printed.txt"
    printed.write_text(_printed().replace("2010102 一般行政管理事务 30.00 30.00\n", printed_as), encoding="utf-8")
    frame = next(t for t in extract(printed).tables if t.id == "expenditure").frame
    return frame, frame[frame["code"] == "2010102"]


def test_a_code_alone_on_its_line_is_the_next_lines_code(tmp_path):
    # pdftotext -layout: a wrapped cell puts the code on one line, its name and figure on the next.
    # Drawing order: the code alone, the name over two lines, then the figures.
    for printed_as in ("2010102\n一般行政管理事务 30.00 30.00\n", "2010102\n一般行政\n管理事务\n30.00 30.00\n"):
        frame, row = _row_2010102(tmp_path, printed_as)
        assert set(row["name"]) == {"一般行政管理事务"} and 30.0 in set(row["value"])
        assert 2010102.0 not in set(frame["value"]) and 201.0102 not in set(frame["value"])


def test_a_code_printed_in_parts_after_a_rows_figures_starts_the_next_row(tmp_path):
    # pypdfium2 writes rows drawn without a line break as one line.
    text = _printed().replace("2010101 行政运行 70.00 70.00\n2010102 一般行政管理事务 30.00 30.00\n221 住房保障支出 20.00 20.00\n",
                              "2010101 行政运行 70.00 70.00 2010102 一般行政管理事务 30.00 30.00 221 住房保障支出 20.00 20.00\n")
    text = text.replace("2010101 行政运行", "201 01 01 行政运行").replace("2010102 一般行政管理事务", "201 01 02 一般行政管理事务")
    printed = tmp_path / "printed.txt"
    printed.write_text(text, encoding="utf-8")
    result = extract(printed)
    table = next(t for t in result.tables if t.id == "expenditure")
    assert {"2010101", "2010102", "221"} <= set(table.frame["code"].dropna())
    assert result.to_json()["function_totals"] == {"201": 100.0, "221": 20.0}
    assert not [f for f in result.to_json()["findings"] if f["severity"] == "error"]


def test_a_code_and_name_head_then_name_tail_then_figures_is_one_row(tmp_path):
    _, row = _row_2010102(tmp_path, "2010102 一般行政\n管理事务\n30.00 30.00\n")
    assert set(row["name"]) == {"一般行政管理事务"} and 30.0 in set(row["value"])


def test_a_class_name_wrapped_before_its_figures_is_one_row(tmp_path):
    # pypdfium2: 四、文化旅游体育与传媒 / 支出 / 200,000 200,000 — both name lines, then the figures.
    printed = tmp_path / "printed.txt"
    printed.write_text(_printed().replace("二、事业收入 二、住房保障支出 20.00\n", "二、事业收入\n二、住房保障\n支出\n20.00\n"),
                       encoding="utf-8")
    result = extract(printed)
    summary = next(t for t in result.tables if t.id == "income_expenditure_summary").frame
    assert 20.0 in set(summary[summary["name"] == "住房保障支出"]["value"])
    assert not [f for f in result.to_json()["findings"] if f["severity"] == "error"]
