"""Template variants met in the Shanghai and Jiangsu reports, each as a small synthetic case so the
behaviour is tested without the corpus: wrapped titles and sentences, page numbers inside
sentences, both-ways template wording, split summary tails, wrapped class names, a figure printed
between two groups, nested 三公 headers, blank rows that are misreads."""

from __future__ import annotations

from budgetlens.document import Block, Document, RawTable
from budgetlens.extract import extract, extract_document


def _doc(blocks: list[tuple[str, object]]) -> Document:
    out = []
    for i, (kind, content) in enumerate(blocks, start=1):
        if kind == "text":
            out.append(Block(kind="text", text=str(content), page=1, line=i))
        else:
            rows = [list(r) for r in content]  # type: ignore[union-attr]
            out.append(Block(kind="table", table=RawTable(rows=rows, page=1, line=i,
                                                          row_lines=[i] * len(rows)), page=1, line=i))
    return Document(path="variant.pdf", sha256="0" * 64, format="pdf", pages=1, blocks=out)


PREAMBLE = ("一、收入支出预算总体情况说明\n本部门预算收入、支出均为财政拨款，收入预算包括一般公共预算收入，支出预算包括基本支出"
            "和项目支出，单位为万元。预算收入和预算支出的口径与上年一致。\n")


def test_page_number_inside_a_wrapped_sentence(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("某某办公厅2017年度部门预算\n三、支出预算情况说明\n此外，基本支出预算数为 9964.07 万元。与上年相比增\n"
                 "— 6 —\n加 941.62 万元，增长 10.44%。\n项目支出预算数为 10688.66 万元。与上年相比增加\n16 -\n"
                 "1101.96 万元，增长 11.49%。\n", encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert prior["basic_expenditure"] == 9022.45 and prior["project_expenditure"] == 9586.70


def test_both_ways_wording_is_read_only_for_zero(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("某某办公厅2018年度部门预算\n" + PREAMBLE + "二、收支预算情况说明\n上年结转资金预算数为 0万元。与上年相比增加（减少）\n"
                 "0万元，增长（减少） 0 %。\n项目支出预算数为 50 万元。与上年相比增加（减少）\n12 万元。\n", encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert prior.get("carryover_begin") == 0.0
    assert "project_expenditure" not in prior  # the sign of 12 is not said


def test_fiscal_grand_total_restated_under_its_heading(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("某某办公厅2018年度部门预算\n" + PREAMBLE + "四、财政拨款收支预算总体情况说明\n某某办公厅2018年度财政拨款收、支总预算24458.43\n"
                 "万元。与上年相比收、支预算总计各增加3756.18万元，增长\n18.14%。\n", encoding="utf-8")
    change = [c for c in extract(p).narrative.changes if c.delta == 3756.18]
    assert change and change[0].key == "fiscal_grand_total" and change[0].current == 24458.43


def test_title_wrapped_over_two_lines_and_nested_three_public_header():
    header = [["合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"],
              ["", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""],
              ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""]]
    doc = _doc([
        ("text", "某某检察院2017年度部门预算"),
        ("text", "十一、一般公共预算“三公”经费、会议费、培训费支出预"),
        ("text", "算表"),
        ("text", "部门： 某某检察院 单位：万元"),
        ("table", [*header, ["1,452.35", "584.35", "110.00", "317.80", "50.00", "267.80", "156.55", "168.00", "700.00"]]),
    ])
    r = extract_document(doc)
    assert [t.id for t in r.tables] == ["three_public"]
    assert r.facts.get("three_public_total") == 584.35
    assert not [f for f in r.to_json()["findings"] if f["rule"] == "cross.three_public_items"]
    # A real inconsistency in the same layout is still found.
    bad = _doc([("text", "十一、一般公共预算“三公”经费、会议费、培训费支出预算表"), ("text", "单位：万元"),
                ("table", [*header, ["1,452.35", "590.00", "110.00", "317.80", "50.00", "267.80", "156.55", "168.00",
                                     "700.00"]])])
    rules = [f["rule"] for f in extract_document(bad).to_json()["findings"]]
    assert "cross.three_public_items" in rules


SUMMARY_HEAD = [["收入", "", "支出", "", "", ""], ["", "", "功能分类", "", "支出用途", ""],
                ["项目名称", "金额", "功能科目名称", "金额", "项目名称", "金额"]]


def test_three_group_summary_wrapped_names_split_tail_and_figure_between_groups():
    body = [
        ["一、财政拨款", "15,897.44", "一、一般公共服务支出", "12,706.28", "一、基本支出", "7,877.76"],
        ["1.一般公共预算", "15,897.44", "二、外交支出", "", "二、项目支出", "6,333.96"],
        ["2.政府性基金预", "", "", "", "三、单位预留机", ""],
        ["", "", "三、国防支出", "1,685.72", "", ""],  # the text layer's middle line of a wrapped row
        ["算", "", "", "", "动经费", ""],
        ["", "", "八、社会保障和就", "1,068.78", "", ""],
        ["", "", "业支出", "", "", ""],
        ["", "", "十八、住房保障支出", "2,122.38", "", ""],
        ["当年收入小计", "15,897.44", "当年支出小计", "15,897.44", "", ""],
    ]
    tail = [["上年结转资金", "", "结转下年资金", ""], ["收入合计", "15,897.44", "支出合计", "15,897.44"]]
    doc = _doc([("text", "某某办公厅2018年度部门预算"), ("text", "收支预算总表"), ("text", "部门：某某办公厅 单位：万元"),
                ("table", [*SUMMARY_HEAD, *body]), ("text", "- 3 -"), ("table", tail)])
    r = extract_document(doc)
    j = r.to_json()
    assert j["function_totals"] == {"201": 12706.28, "208": 1068.78, "221": 2122.38}
    assert j["facts"]["grand_total"] == 15897.44
    assert j["facts"]["carryover_begin"] == 0.0 and j["facts"]["carryover_end"] == 0.0
    assert not [f for f in j["findings"] if f["rule"] == "summary.items" and f["severity"] == "error"]


def test_blank_parts_of_a_nonzero_whole_are_not_zeros():
    doc = _doc([
        ("text", "某某街道2025年部门预算"), ("text", "部门财务收支预算总表"), ("text", "单位：元"),
        ("table", [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"], ["一、财政拨款收入", "189,767,551", "一、一般公共服务支出", ""],
                   ["本年收入合计", "189,767,551", "本年支出合计", ""],
                   ["收入总计", "189,767,551", "支出总计", "189,767,551"]]),
    ])
    facts = extract_document(doc).to_json()["facts"]
    assert facts["expenditure_total"] == 18976.7551  # 支出总计 − 年末结转, not the blank cell's 0


def _plain_report(tmp_path, body: str):
    p = tmp_path / "plain.txt"
    p.write_text("某某社会工作部2024年度部门决算\n" + PREAMBLE + body, encoding="utf-8")
    return extract(p)


def test_text_layer_wrapped_names_around_their_code_and_figures(tmp_path):
    body = ("一般公共预算财政拨款支出决算表\n单位：万元\n项目\n合计 基本支出 项目支出\n科目编码 科目名称\n"
            "合计 307.82 105.58 202.24\n一般公共服务\n201 264.87 62.63 202.24\n支出\n20139 社会工作事务 264.87 62.63 202.24\n"
            "2013901 行政运行 62.63 62.63\n其他社会工作\n2013999 202.24 202.24\n事务支出\n社会保障和就\n208 42.95 42.95\n业支出\n"
            "20805 行政事业单位养老支出 42.95 42.95\n")
    r = _plain_report(tmp_path, body)
    t = next(t for t in r.tables if t.id == "general_budget_expenditure")
    names = dict(zip(t.frame["code"], t.frame["name"], strict=False))
    assert names["201"] == "一般公共服务支出" and names["2013999"] == "其他社会工作事务支出" and names["208"] == "社会保障和就业支出"
    assert r.function_totals == {"201": 264.87, "208": 42.95}
    assert not [f for f in r.to_json()["findings"] if f["severity"] == "error"]


def test_text_layer_figures_centred_between_name_lines_and_glued_to_the_next_label(tmp_path):
    body = ("2023年部门财政拨款收支预算总表\n编制部门：某某街道办事处 单位：元\n财政拨款收入 财政拨款支出\n"
            "项目 预算数 项目 合计 一般公共预算\n一、一般公共预算资金 3,500,000.00一、一般公共服务支出 3,000,000.00 3,000,000.00\n"
            "二、政府性基金 二、公共安全支出 300,000.00 300,000.00\n四、文化旅游体育与传媒\n200,000.00 200,000.00\n支出\n"
            "收入总计 3,500,000.00 支出总计 3,500,000.00 3,500,000.00\n")
    r = _plain_report(tmp_path, body)
    f = next(t for t in r.tables if t.id == "fiscal_summary").frame
    exp = f[(f["section"] == "expenditure") & (f["measure"] == "total")]
    assert dict(zip(exp["name"], exp["value"], strict=False))["文化旅游体育与传媒支出"] == 20.0
    assert f[(f["section"] == "income") & (f["measure"] == "total")]["value"].iloc[0] == 350.0
    assert not [x for x in r.to_json()["findings"] if x["rule"] == "summary.items"]


def test_text_layer_side_by_side_lists_and_a_table_printing_only_a_blank_total(tmp_path):
    body = ("一般公共预算财政拨款基本支出决算表\n单位：万元\n经济分类 经济分类\n科目名称 决算数 科目名称 决算数\n科目编码 科目编码\n"
            "301 工资福利支出 95.36 302 商品和服务支出 10.23\n30101 基本工资 55.64 30201 办公费 3.78\n"
            "30102 津贴补贴 39.72 30211 差旅费 6.45\n人员经费合计 95.36 公用经费合计 10.23\n"
            "政府性基金预算财政拨款收入支出决算表\n单位：万元\n项目 本年支出\n合计\n")
    r = _plain_report(tmp_path, body)
    assert r.facts.get("personnel_expenditure") == 95.36 and r.facts.get("public_expenditure") == 10.23
    assert "gov_fund" in [t.id for t in r.tables]
    assert not [f for f in r.to_json()["findings"] if f["rule"] == "codes.parent"]


def test_table_captions_end_narrative_sentences(tmp_path):
    body = ("部门“三公”经费和机关运行经费预算表\n编制部门：某某街道办事处 单位:万元\n合计 因公出国(境)费 公务接待费\n"
            "47.91 0 1.35\n注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。\n")
    r = _plain_report(tmp_path, body)
    (line, text) = r.narrative.nones["three_public_total"]
    assert text.startswith("注:本部门2024年无")


def test_economic_codes_printed_without_their_leading_zero():
    doc = _doc([("text", "某某街道2024年部门预算"), ("text", "2024年部门一般公共预算基本支出部门预算经济分类预算表"),
                ("text", "单位：元"),
                ("table", [["部门预算经济分类科目编码", "", "经济分类科目名称", "合计", "人员经费", "公用经费"],
                           ["类", "款", "", "", "", ""],
                           ["301", "", "工资福利支出", "300", "300", "0"], ["301", "01", "基本工资", "100", "100", "0"],
                           ["301", "2", "津贴补贴", "200", "200", "0"], ["合计", "", "", "300", "300", "0"]])])
    r = extract_document(doc)
    assert "30102" in set(r.tables[0].frame["code"])
    assert not [f for f in r.to_json()["findings"] if f["rule"] in ("table.class_sum", "codes.parent")]


def test_header_row_alone_at_a_page_foot_joins_the_wider_table_below():
    doc = _doc([("text", "某某法院2018年度部门预算"), ("text", "四、2018年度某某法院财政拨款收支预算总表"), ("text", "单位：万元"),
                ("table", [["收入", "支出"]]),
                ("text", "- 10 -"),
                ("table", [["项目名称", "金额", "支出用途", ""], ["", "", "项目名称", "金额"],
                           ["一、一般公共预算", "33,172.15", "一、基本支出", "18,570.82"],
                           ["二、政府性基金预算", "", "二、项目支出", "14,601.33"],
                           ["收入合计", "33,172.15", "支出合计", "33,172.15"]])])
    r = extract_document(doc)
    assert [t.id for t in r.tables] == ["fiscal_summary"] and not r.tables[0].empty
    assert r.facts.get("general_budget_revenue") == 33172.15


def test_last_years_figure_in_a_sentence_is_not_this_years(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("某某办公厅2018年度部门预算\n" + PREAMBLE + "二、支出预算情况说明\n单位预留机动经费预算数为 1685.72 万元。"
                 "主要原因是上年度列入此项的预留机动经费128.43万元本年度调入行政运行项。\n", encoding="utf-8")
    values = [m.value for m in extract(p).narrative.mentions if m.key == "reserve_expenditure"]
    assert values == [1685.72]


def test_class_sum_failures_of_a_misread_layout_are_doubted_not_charged(tmp_path):
    """The summary's 类 rows add up to nothing (a wrapped layout read wrong) while the narrative's 类
    figures add up to the total: the extraction takes the narrative's, the table gets one warning that
    it could not be read reliably (its layout may be misread), and its sum failures are only info."""
    body = ("收支预算总表\n部门：某某办公厅 单位：万元\n收入 支出\n项目名称 金额 功能科目名称 金额\n"
            "一、财政拨款 13,649.07 一、一般公共服务支出 128.43\n当年收入小计 13,649.07 当年支出小计 13,649.07\n"
            "收入合计 13,649.07 支出合计 13,649.07\n"
            "二、支出预算情况说明\n（二）支出预算总计 13649.07 万元。包括：\n1．一般公共服务支出 10528.33 万元，主要用于运转。\n"
            "2．社会保障和就业支出 1608.51 万元，主要用于离退休。\n3．住房保障支出 1512.23 万元，主要用于住房公积金。\n")
    r = _plain_report(tmp_path, body)
    assert r.function_source == "narrative"
    assert r.function_totals == {"201": 10528.33, "208": 1608.51, "221": 1512.23}
    found = r.to_json()["findings"]
    sums = [f for f in found if f["rule"] == "summary.items"]
    assert sums and all(f["severity"] == "info" and f["evidence"]["doubt"] == "layout" for f in sums)
    misread = [f for f in found if f["rule"] == "table.misread"]
    assert len(misread) == 1 and misread[0]["severity"] == "warning" and "未能可靠读取" in misread[0]["message"]
    assert "识别错位" in misread[0]["message"] and not [f for f in found if f["severity"] == "error"]


def test_a_table_with_nothing_read_under_its_title_is_not_a_zero(tmp_path):
    """Only a table that says it is empty (本表无数据) makes its figures 0; one whose rows were not
    read leaves the figure to the narrative."""
    body = ("部门“三公”经费和机关运行经费预算表\n编制部门：某某街道办事处 单位:万元\n因公出国(境)费\n"
            "其他相关情况说明\n一、2025年“三公”经费预算情况说明\n2025年“三公”经费预算数为37.91万元，比2024年预算减少10.00万元。\n"
            "三、政府采购预算情况\n某某街道办事处2025年未安排政府采购预算。\n")
    facts = _plain_report(tmp_path, body).to_json()["facts"]
    assert facts["three_public_total"] == 37.91
    assert facts["procurement_total"] == 0.0


def test_personnel_from_the_basic_table_total_when_its_row_is_unread():
    rows = [["经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"],
            ["301", "工资福利支出", "900.00", "", ""], ["302", "商品和服务支出", "100.00", "", ""],
            ["", "人员经费", "", "", ""], ["", "公用经费", "100.00", "", ""], ["合计", "", "1,000.00", "", ""]]
    doc = _doc([("text", "某某局2024年部门预算"), ("text", "一般公共预算基本支出预算表"), ("text", "单位：万元"),
                ("table", rows)])
    j = extract_document(doc).to_json()
    assert j["facts"]["public_expenditure"] == 100.0
    assert j["facts"]["personnel_expenditure"] == 900.0  # 合计 − 公用经费, not the blank row's 0
    assert j["provenance"]["personnel_expenditure"]["source"] == "derived"
    assert "general_budget_basic" not in j["facts"]


ITEM_TABLE = ("一般公共预算支出功能分类预算表\n编制部门：某某局 单位：元\n项目 一般公共预算支出\n功能分类科目编码\n"
              "功能分类科目名称 合计 基本支出 项目支出\n类 款 项\n208 社会保障和就业支出 2,961,221.00 2,961,221.00\n"
              "208 05 行政事业单位养老支出 2,961,221.00 2,961,221.00\n208 05 05 机关事业单位基本养老保险缴费支出 2,087,604.00 2,087,604.00\n"
              "208 05 06 机关事业单位职业年金缴费支出 873,617.00 873,617.00\n合计 2,961,221.00 2,961,221.00\n")


def test_item_figures_quoted_in_the_narrative_are_checked_against_their_row(tmp_path):
    body = ITEM_TABLE + ("四、部门预算编制说明\n"
                         "1.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”208.76万元，主要用于缴费。\n"
                         "2.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”887.36万\n"
                         "元，主要用于缴纳职业年金支出。\n")
    found = [f for f in _plain_report(tmp_path, body).to_json()["findings"] if f["rule"] == "narrative.amount_mismatch"]
    assert len(found) == 1 and "887.36万元" in found[0]["message"] and "2080506" in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_a_truncated_item_figure_is_a_warning_and_a_rounded_one_is_nothing(tmp_path):
    body = ITEM_TABLE + ("四、部门预算编制说明\n"
                         "1.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”208.76万元，主要用于缴费。\n"
                         "2.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”87.36万元，主要用于缴费。\n")
    assert not [f for f in _plain_report(tmp_path, body).to_json()["findings"] if f["rule"] == "narrative.amount_mismatch"]
    body = body.replace("208.76万元", "208.75万元")  # 208.7604 truncated would be 208.76; 208.75 is off by 0.0104
    found = [f for f in _plain_report(tmp_path, body).to_json()["findings"] if f["rule"] == "narrative.amount_mismatch"]
    assert len(found) == 1 and found[0]["severity"] == "error"
    body = ITEM_TABLE.replace("873,617.00", "873,697.00").replace("2,961,221.00", "2,961,301.00") + (
        "四、部门预算编制说明\n2.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”87.36万元，主要用于缴费。\n")
    found = [f for f in _plain_report(tmp_path, body).to_json()["findings"] if f["rule"] == "narrative.amount_mismatch"]
    assert len(found) == 1 and found[0]["severity"] == "warning" and "截尾" in found[0]["message"]


def test_a_previous_years_figure_in_brackets_is_not_this_years(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("某某办公厅2017年度部门预算\n" + PREAMBLE.replace("一、", "二、") + "一、收支预算总表情况说明\n"
                 "2017 年度部门支出预算安排与 2016 年度相比（2016 年度部门支出预算安排为8,648.07万元），增加498.72万元。\n",
                 encoding="utf-8")
    assert not [m for m in extract(p).narrative.mentions if m.value == 8648.07]


def test_a_budget_compared_with_its_own_year_is_flagged(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("上海市普陀区2026年区级部门预算\n预算主管部门：某某局\n" + PREAMBLE + "四、部门预算编制说明\n"
                 "2026年，某某局收入预算9628.22万元，其中：财政拨款收入9628.22万元，比2026年预算增加793.14万元。\n"
                 "支出预算9628.22万元，比2025年预算增加793.14万元。\n", encoding="utf-8")
    found = [f for f in extract(p).to_json()["findings"] if f["rule"] == "narrative.comparison_year"]
    assert len(found) == 1 and "比2026年预算增加793.14万元" in found[0]["message"] and "2025年" in found[0]["message"]


def test_project_expenditure_from_the_total_less_basic_when_its_column_is_unread():
    rows = [["功能分类科目编码", "功能分类科目名称", "合计", "基本支出"],
            ["201", "一般公共服务支出", "3,296,600", ""], ["合计", "", "189,767,551", "101,341,746"]]
    doc = _doc([("text", "某某街道2025年部门预算"), ("text", "2025年部门支出预算总表"), ("text", "单位：元"), ("table", rows)])
    j = extract_document(doc).to_json()
    assert j["facts"]["basic_expenditure"] == 10134.1746
    assert j["facts"]["project_expenditure"] == 8842.5805
    assert j["provenance"]["project_expenditure"]["source"] == "derived"


def test_an_items_figure_restated_differently_in_its_paragraph(tmp_path):
    body = ITEM_TABLE.replace("873,617.00", "2,088,000.00").replace("2,961,221.00", "4,175,604.00") + (
        "四、部门预算编制说明\n"
        "12、社会保障和就业支出（208类）行政事业单位养老支出（05款）机关事业单位职业年金缴费支出（06项）208.8万元。主要用于：缴费\n"
        "。2023年当年预算执行数为198.34万元，2024年预算安排201.50万元，比2023年预算执行数增加5.27%。\n")
    p = tmp_path / "b.txt"
    p.write_text("上海市普陀区2024年区级部门预算\n预算主管部门：某某局\n" + PREAMBLE + body, encoding="utf-8")
    found = [f for f in extract(p).to_json()["findings"] if f["rule"] == "narrative.amount_mismatch"]
    assert len(found) == 1 and "2024年预算安排201.50万元" in found[0]["message"] and "208.8万元" in found[0]["message"]


def test_a_fund_tables_note_naming_the_other_fund(tmp_path):
    body = ("2025年部门国有资本经营预算支出功能分类预算表\n编制部门：某某局 单位：元\n项目 国有资本经营预算支出\n"
            "功能分类科目名称 合计 基本支出 项目支出\n合计\n注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。\n")
    found = [f for f in _plain_report(tmp_path, body).to_json()["findings"] if f["rule"] == "completeness.note_fund"]
    assert len(found) == 1 and "政府性基金" in found[0]["message"]
    ok = body.replace("无政府性基金预算", "无国有资本经营预算")
    assert not [f for f in _plain_report(tmp_path, ok).to_json()["findings"] if f["rule"] == "completeness.note_fund"]


def test_glued_fund_headers_name_the_columns_only_when_every_row_prints_them(tmp_path):
    from budgetlens.registry import split_header_words

    assert split_header_words("一般公共预算政府性基金预算国有资本经营预算") == ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
    assert split_header_words("项目") == ["项目"]
    head = ("2026年预算单位财政拨款收支预算总表\n编制单位：某某街道办事处 单位：元\n财政拨款收入 财政拨款支出\n"
            "项目 预算数 项目 合计 一般公共预算政府性基金预算\n")
    full = head + ("一、一般公共预算 3,000,000 一、一般公共服务支出 2,000,000 2,000,000 0\n"
                   "二、政府性基金预算 1,000,000 二、城乡社区支出 2,000,000 1,000,000 1,000,000\n"
                   "收入总计 4,000,000 支出总计 4,000,000 3,000,000 1,000,000\n")
    f = next(t for t in _plain_report(tmp_path, full).tables if t.id == "fiscal_summary").frame
    assert {"general_budget", "gov_fund"} <= set(f["measure"].dropna())
    partial = full.replace("2,000,000 2,000,000 0", "2,000,000 2,000,000")
    f = next(t for t in _plain_report(tmp_path, partial).tables if t.id == "fiscal_summary").frame
    assert "gov_fund" not in set(f["measure"].dropna())


def test_a_percent_off_by_hundredths_is_info_and_by_more_is_an_error(tmp_path):
    def percent_findings(pct: str) -> list[dict]:
        p = tmp_path / "p.txt"
        p.write_text("某某办公厅2017年度部门预算\n" + PREAMBLE.replace("一、", "二、") + "一、支出预算情况说明\n"
                     f"行政运行支出6106.99万元，与上年相比增加101.48万元，增长{pct}%。\n", encoding="utf-8")
        return [f for f in extract(p).to_json()["findings"] if f["rule"] == "narrative.percent"]

    assert not percent_findings("1.69")
    assert [f["severity"] for f in percent_findings("1.68")] == ["info"]  # 101.48/6005.51 = 1.6898%
    assert [f["severity"] for f in percent_findings("1.66")] == ["error"]


def test_a_parts_figure_after_its_wholes_name_is_not_the_whole(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("某某办公厅2017年度部门预算\n" + PREAMBLE + "十一、“三公”经费支出预算表情况说明\n"
                 "某某办公厅2017年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出76万元，"
                 "占“三公”经费的11.24%。\n", encoding="utf-8")
    assert not [m for m in extract(p).narrative.mentions if m.key == "three_public_total"]


def _summary_doc(income_rows: list[list[str]], extra: list | None = None) -> Document:
    rows = [["收入", "", "支出", ""], ["项目", "金额", "项目", "金额"], *income_rows]
    return _doc([("text", "某某局2024年部门预算"), ("text", "收支预算总表"), ("text", "单位：万元"), ("table", rows),
                 *(extra or [])])


def test_printed_fiscal_revenue_row_and_an_exact_only_alias():
    doc = _summary_doc([["一、财政拨款收入", "120.00", "一、一般公共服务支出", "120.00"],
                        ["其中：一般公共预算", "110.00", "", ""], ["本年收入合计", "130.00", "本年支出合计", "130.00"],
                        ["二、事业收入", "10.00", "", ""], ["收入总计", "130.00", "支出总计", "130.00"]])
    j = extract_document(doc).to_json()
    assert j["facts"]["fiscal_revenue"] == 120.0 and j["provenance"]["fiscal_revenue"]["row"] == "财政拨款收入"
    # 财政拨款 names the row only exactly: 财政拨款结转 is another row.
    doc = _summary_doc([["一、一般公共预算拨款", "120.00", "一、一般公共服务支出", "125.00"],
                        ["本年收入合计", "120.00", "本年支出合计", "125.00"], ["财政拨款结转", "5.00", "", ""],
                        ["收入总计", "125.00", "支出总计", "125.00"]])
    j = extract_document(doc).to_json()
    assert j["facts"]["fiscal_revenue"] == 120.0 and j["provenance"]["fiscal_revenue"]["source"] == "derived"


def test_a_blank_row_gives_way_to_a_printed_figure_of_a_later_source():
    expenditure = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["合计", "", "130.00", "100.00", "30.00"],
                   ["201", "一般公共服务支出", "130.00", "100.00", "30.00"]]
    doc = _summary_doc([["一、财政拨款收入", "130.00", "一、一般公共服务支出", "130.00"],
                        ["本年收入合计", "130.00", "本年支出合计", ""], ["收入总计", "130.00", "支出总计", "130.00"]],
                       [("text", "支出预算总表"), ("text", "单位：万元"), ("table", expenditure)])
    j = extract_document(doc).to_json()
    assert j["facts"]["expenditure_total"] == 130.0 and j["provenance"]["expenditure_total"]["table"] == "expenditure"


def test_a_carryover_row_is_placed_by_its_words_wherever_the_layout_put_it():
    # A scrambled summary (Jiangsu's, in drawing order) prints 结转下年资金 under the income labels.
    expenditure = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["合计", "", "130.00", "100.00", "30.00"]]
    doc = _summary_doc([["一、财政拨款", "130.00", "一、一般公共服务支出", "130.00"],
                        ["当年收入小计", "130.00", "", ""], ["上年结转资金", "", "", ""], ["结转下年资金", "", "", ""],
                        ["收入合计", "130.00", "", ""]],
                       [("text", "支出预算总表"), ("text", "单位：万元"), ("table", expenditure)])
    j = extract_document(doc).to_json()
    assert j["facts"]["carryover_end"] == 0.0 and j["provenance"]["carryover_end"]["source"] == "derived"


def test_a_blank_grand_total_is_a_warning_not_an_error():
    doc = _summary_doc([["一、财政拨款收入", "130.00", "一、一般公共服务支出", "130.00"],
                        ["本年收入合计", "130.00", "本年支出合计", "130.00"], ["收入总计", "130.00", "支出总计", ""]])
    found = [f for f in extract_document(doc).to_json()["findings"] if f["rule"] == "summary.balance"]
    assert [f["severity"] for f in found] == ["warning"] and "空白" in found[0]["message"]
    doc = _summary_doc([["一、财政拨款收入", "130.00", "一、一般公共服务支出", "130.00"],
                        ["本年收入合计", "130.00", "本年支出合计", "130.00"], ["收入总计", "130.00", "支出总计", "120.00"]])
    found = [f for f in extract_document(doc).to_json()["findings"] if f["rule"] == "summary.balance"]
    assert found and {f["severity"] for f in found} == {"error"}


def test_the_one_unread_fund_is_the_printed_fiscal_revenue_less_the_others(tmp_path):
    # 1. 一般公共预算资金 is printed apart from its figure; the notes say there is no fund of the other two.
    doc = _summary_doc([["一、财政拨款收入", "130.00", "一、一般公共服务支出", "130.00"], ["1. 一般公共预算资金", "", "", ""],
                        ["本年收入合计", "130.00", "本年支出合计", "130.00"], ["收入总计", "130.00", "支出总计", "130.00"]],
                       [("text", "注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。"),
                        ("text", "注：本部门无国有资本经营预算财政拨款安排的预算，故本表为空表。")])
    j = extract_document(doc).to_json()
    assert j["facts"]["gov_fund_revenue"] == 0.0 and j["facts"]["state_capital_revenue"] == 0.0
    assert j["facts"]["general_budget_revenue"] == 130.0
    assert j["provenance"]["general_budget_revenue"] == {"source": "derived", "text": "财政拨款收入 − 政府性基金 − 国有资本经营"}


def test_a_reserve_line_alone_in_a_two_column_summary_is_spent_not_received(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("某某办公厅2018年度部门预算\n财政拨款收支预算总表\n部门：某某办公厅 单位：万元\n项目名称 金额 项目名称 金额\n"
                 "一、一般公共预算 110.00 一、基本支出 80.00\n二、政府性基金预算 二、项目支出 20.00\n三、单位预留机动经费 10.00\n"
                 "收入合计 110.00 支出合计 110.00\n", encoding="utf-8")
    j = extract(p).to_json()
    assert not [f for f in j["findings"] if f["rule"] == "summary.items" and f["severity"] == "error"]


def test_a_row_printing_only_its_total_is_not_summed_over_unnamed_columns():
    rows = [["项目", "金额", "", "项目", "金额"], ["一、财政拨款", "130.00", "", "一、一般公共服务支出", "130.00"],
            ["当年收入小计", "130.00", "130.00", "", ""], ["收入合计", "130.00", "130.00", "", ""]]
    doc = _doc([("text", "某某局2024年部门预算"), ("text", "收支预算总表"), ("text", "单位：万元"), ("table", rows)])
    assert not [f for f in extract_document(doc).to_json()["findings"] if f["rule"] == "table.row_sum"]
