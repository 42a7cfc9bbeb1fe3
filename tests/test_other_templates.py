"""Reports of templates the corpus does not hold, as pdfplumber's text layer prints them: a county
bureau's 2023 部门决算 in the central 9-table set (公开01–09表: 行次 columns, 年初预算数 beside the
本年支出 group, 人员经费 | 公用经费 blocks side by side, a 三公 table with 会议费/培训费 rows under
预算数 | 决算数) and a Hunan-style 2024 部门预算 (表1–表9: one 本年预算 column per side, rows by
单位 with unit codes, 类 款 项 codes in parts, 基本支出 › 小计 人员经费 公用经费 headers).

Every figure is internally consistent, so the extraction must recognise every table, read the
contract figures in tests/fixtures/templates/expected.json and raise no error finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "fixtures" / "templates"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    from budgetlens.extract import extract

    return {name: extract(HERE / name).to_json() for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_document_identity(results, name):
    doc = results[name]["document"]
    for key, value in EXPECTED[name]["document"].items():
        assert doc[key] == value, key


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_table_recognised(results, name):
    tables = results[name]["tables"]
    assert [[t["id"], t["label"]] for t in tables] == EXPECTED[name]["tables"]
    assert sorted(t["id"] for t in tables if t["empty"]) == sorted(EXPECTED[name]["empty_tables"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_facts(results, name):
    facts = results[name]["facts"]
    wrong = {k: (v, facts.get(k)) for k, v in EXPECTED[name]["facts"].items()
             if facts.get(k) is None or abs(facts[k] - v) > 1e-6}
    assert not wrong, f"expected vs got: {wrong}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_function_totals(results, name):
    got = results[name]["function_totals"]
    assert got == pytest.approx(EXPECTED[name]["function_totals"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_prior_year(results, name):
    prior = results[name]["prior_year"]
    gaps = EXPECTED[name]["prior_year_known_gaps"]
    wrong = {k: (v, prior.get(k)) for k, v in EXPECTED[name]["prior_year"].items()
             if k not in gaps and (prior.get(k) is None or abs(prior[k] - v) > 1e-6)}
    assert not wrong, f"expected vs got: {wrong}"
    misread = {k: prior[k] for k in EXPECTED[name]["prior_year_absent"] if k in prior}
    if misread or any(k in prior and abs(prior[k] - EXPECTED[name]["prior_year"][k]) <= 1e-6 for k in gaps):
        pytest.xfail(f"narrative readings (see expected.json): misread {misread}, gaps {sorted(gaps)}")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_error_for_a_consistent_document(results, name):
    errors = [f["message"] for f in results[name]["findings"] if f["severity"] == "error"]
    assert not errors


# --- single mechanisms, each as a small text layer ----------------------------------------------

THREE_PUBLIC_COLUMNS = """某县统计局2023年度部门决算
财政拨款“三公”经费支出决算表
公开09表
部门：某县统计局 金额单位：万元
预算数 决算数
公务用车购置及运行费 公务用车购置及运行费
合计 因公出国（境）费 公务接待费 合计 因公出国（境）费 公务接待费
小计 公务用车购置费 公务用车运行费 小计 公务用车购置费 公务用车运行费
栏次 1 2 3 4 5 6 7 8 9 10 11 12
{row}
注：本表反映部门本年度“三公”经费支出预决算情况。
"""


def _extract_text(tmp_path: Path, text: str) -> dict:
    from budgetlens.extract import extract

    p = tmp_path / "case.txt"
    p.write_text(text, encoding="utf-8")
    return extract(p).to_json()


def test_three_public_budget_and_final_halves(tmp_path):
    row = "12.50 0.00 10.00 0.00 10.00 2.50 10.36 0.00 9.12 0.00 9.12 1.24"
    assert _extract_text(tmp_path, THREE_PUBLIC_COLUMNS.format(row=row))["facts"]["three_public_total"] == 10.36


def test_three_public_halves_that_cannot_be_cut_give_no_actual(tmp_path):
    row = "12.50 0.00 10.00 0.00 10.00 2.50 10.36 9.12 9.12 1.24"  # two blank cells of the 决算数 half dropped
    assert "three_public_total" not in _extract_text(tmp_path, THREE_PUBLIC_COLUMNS.format(row=row))["facts"]


def test_three_public_halves_then_office_operation(tmp_path):
    text = (THREE_PUBLIC_COLUMNS.replace("财政拨款“三公”经费支出决算表", "财政拨款“三公”经费、行政参公单位机关运行经费情况表")
            .replace("公务用车购置及运行费 公务用车购置及运行费\n", "公务用车购置及运行费 公务用车购置及运行费 行政参公单位\n")
            .replace("公务用车运行费 小计 公务用车购置费 公务用车运行费\n", "公务用车运行费 小计 公务用车购置费 公务用车运行费 机关运行经费\n")
            .replace("10 11 12\n", "10 11 12 13\n"))
    row = "12.50 0.00 10.00 0.00 10.00 2.50 10.36 0.00 9.12 0.00 9.12 1.24 45.67"
    j = _extract_text(tmp_path, text.format(row=row))
    assert [t["id"] for t in j["tables"]] == ["three_public"]
    assert (j["facts"]["three_public_total"], j["facts"]["office_operation"]) == (10.36, 45.67)


def test_earlier_year_column_is_not_the_budget(tmp_path):
    text = ("某市商务局2024年部门预算\n一般公共预算“三公”经费支出表\n部门：某市商务局 单位：万元\n"
            "项目 2023年预算数 2024年预算数\n合计 20.00 18.00\n因公出国（境）费 5.00 4.00\n"
            "公务用车购置及运行费 10.00 9.50\n其中：公务用车购置费\n公务用车运行费 10.00 9.50\n公务接待费 5.00 4.50\n")
    assert _extract_text(tmp_path, text)["facts"]["three_public_total"] == 18.00


def test_dashes_are_blank_cells_in_place(tmp_path):
    text = ("某县司法局2023年度部门决算\n支出决算表\n公开03表\n部门：某县司法局 金额单位：万元\n"
            "项目 本年支出合计 基本支出 项目支出\n科目编码 科目名称\n合计 300.00 200.00 100.00\n"
            "204 公共安全支出 300.00 200.00 100.00\n20406 司法 300.00 200.00 100.00\n"
            "2040601 行政运行 200.00 200.00 -\n2040604 基层司法业务 100.00 - 100.00\n")
    j = _extract_text(tmp_path, text)
    assert j["facts"]["project_expenditure"] == 100.00
    assert not [f for f in j["findings"] if f["severity"] == "error"]


def test_table_printed_as_title_and_no_data_line(tmp_path):
    text = ("某县司法局2023年度部门决算\n国有资本经营预算财政拨款支出决算表\n公开08表\n"
            "部门：某县司法局 金额单位：万元\n本表无数据。\n")
    tables = _extract_text(tmp_path, text)["tables"]
    assert [(t["id"], t["label"], t["empty"]) for t in tables] == [("state_capital", "公开08表", True)]


@pytest.mark.parametrize("title,label", [("表6 一般公共预算基本支出表", "表6"), ("表一 一般公共预算基本支出表", "表一"),
                                         ("一般公共预算基本支出表（表6）", "表6"), ("一般公共预算基本支出表 公开06表", "公开06表")])
def test_label_beside_the_title(tmp_path, title, label):
    text = (f"某县教育局2024年部门预算\n{title}\n单位名称：某县教育局 单位：万元\n"
            "科目编码 科目名称 合计 人员经费 公用经费\n合计 150.00 100.00 50.00\n"
            "301 工资福利支出 100.00 100.00\n302 商品和服务支出 50.00 50.00\n")
    tables = _extract_text(tmp_path, text)["tables"]
    assert [(t["id"], t["label"]) for t in tables] == [("basic_expenditure", label)]


def test_unit_codes_in_a_grid_name_no_row(tmp_path):
    text = ("湖南省文物局2024年部门预算\n## 部门收入总表\n表2\n部门：湖南省文物局\t单位：万元\n"
            "单位编码\t单位名称\t合计\t上年结转\t一般公共预算拨款收入\t政府性基金预算拨款收入\t事业收入\t其他收入\n"
            "合计\t\t5,545.80\t86.00\t4,809.80\t450.00\t180.00\t20.00\n"
            "186\t湖南省文物局\t5,545.80\t86.00\t4,809.80\t450.00\t180.00\t20.00\n"
            "186001\t湖南省文物局本级\t1,936.60\t86.00\t1,850.60\t\t\t\n"
            "186002\t湖南省文物考古研究院\t2,546.80\t\t2,346.80\t\t180.00\t20.00\n"
            "186003\t湖南省文物保护利用中心\t1,062.40\t\t612.40\t450.00\t\t\n")
    from budgetlens.extract import extract

    p = tmp_path / "units.txt"
    p.write_text(text, encoding="utf-8")
    e = extract(p)
    frame = e.table("income").frame
    assert list(dict.fromkeys(frame["name"])) == ["合计", "湖南省文物局", "湖南省文物局本级", "湖南省文物考古研究院",
                                                   "湖南省文物保护利用中心"]
    assert frame["code"].isna().all()
    assert not [f for f in e.to_json()["findings"] if f["severity"] == "error"]


def test_three_public_rows_under_budget_and_final_columns_in_a_grid(tmp_path):
    text = ("某县自然资源局2023年度部门决算\n## 一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表\n公开09表\n"
            "部门：某县自然资源局\t金额单位：万元\n项目\t预算数\t决算数\n合计\t38.50\t34.87\n“三公”经费小计\t31.00\t28.72\n"
            "1.因公出国（境）费\t\t\n2.公务用车购置及运行维护费\t29.00\t27.10\n（1）公务用车购置费\t15.00\t14.80\n"
            "（2）公务用车运行维护费\t14.00\t12.30\n3.公务接待费\t2.00\t1.62\n会议费\t2.50\t1.85\n培训费\t5.00\t4.30\n")
    j = _extract_text(tmp_path, text)
    assert j["facts"]["three_public_total"] == 28.72
    assert not [f for f in j["findings"] if f["severity"] == "error"]


# --- the same reports as PDFs -------------------------------------------------------------------
# ``<name>.tab.txt`` holds each report's tables as full grids (every blank cell in place, TAB-separated,
# the narrative as in the text layer); budgetlens.render_pdf draws them in both layouts, and the PDF
# must give the figures the text layer gives.

PDF_CASES = [(name, variant) for name in sorted(EXPECTED) for variant in ("default", "alt")]


@pytest.fixture(scope="module")
def pdf_results(tmp_path_factory) -> dict[tuple[str, str], dict]:
    pytest.importorskip("reportlab")
    from budgetlens.extract import extract
    from budgetlens.render_pdf import render_text_report

    out = {}
    folder = tmp_path_factory.mktemp("templates_pdf")
    for name, variant in PDF_CASES:
        pdf = folder / f"{Path(name).stem}.{variant}.pdf"
        render_text_report(str(HERE / name.replace(".txt", ".tab.txt")), str(pdf), variant=variant)
        out[(name, variant)] = extract(pdf).to_json()
    return out


@pytest.mark.parametrize("name,variant", PDF_CASES)
def test_pdf_gives_the_same_figures(pdf_results, name, variant):
    j = pdf_results[(name, variant)]
    exp = EXPECTED[name]
    assert j["source"]["format"] == "pdf"
    assert {k: j["document"][k] for k in exp["document"]} == exp["document"]
    assert [[t["id"], t["label"]] for t in j["tables"]] == exp["tables"]
    wrong = {k: (v, j["facts"].get(k)) for k, v in exp["facts"].items()
             if j["facts"].get(k) is None or abs(j["facts"][k] - v) > 1e-6}
    assert not wrong, f"expected vs got: {wrong}"
    assert j["function_totals"] == pytest.approx(exp["function_totals"])
    assert not [f["message"] for f in j["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_full_grid_text_gives_the_same_figures(name):
    from budgetlens.extract import extract

    j = extract(HERE / name.replace(".txt", ".tab.txt")).to_json()
    assert j["facts"] == pytest.approx(EXPECTED[name]["facts"])
    assert j["function_totals"] == pytest.approx(EXPECTED[name]["function_totals"])
    assert not [f["message"] for f in j["findings"] if f["severity"] == "error"]


def test_initial_budget_beside_a_final_span_in_a_grid(tmp_path):
    text = ("某县统计局2023年度部门决算\n## 一般公共预算财政拨款支出决算表\n公开05表\n部门：某县统计局\t金额单位：万元\n"
            "项目\t\t年初预算数\t决算数\t\t\n科目编码\t科目名称\t\t合计\t基本支出\t项目支出\n"
            "合计\t\t90.00\t100.00\t60.00\t40.00\n201\t一般公共服务支出\t90.00\t100.00\t60.00\t40.00\n"
            "20105\t统计信息事务\t90.00\t100.00\t60.00\t40.00\n2010501\t行政运行\t50.00\t60.00\t60.00\t\n"
            "2010505\t专项统计业务\t40.00\t40.00\t\t40.00\n")
    j = _extract_text(tmp_path, text)
    assert j["facts"]["general_budget_expenditure"] == 100.00
    assert j["function_totals"] == {"201": 100.00}
