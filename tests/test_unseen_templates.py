"""Mechanisms met in reports outside the development corpus (other Shanghai units' finals, a Chongqing
narrative, central-template finals), each as a small synthetic case: a split code whose wrapped name
stands above and below its figures, 310 printed in the 人员经费 block, unit codes before a unit's name,
counts of vehicles bought beside the fleet, titles that name a part of a standard title."""

from __future__ import annotations

import re

import pytest

from budgetlens.extract import extract
from budgetlens.registry import classify_title
from budgetlens.sources.plain import segments


def _write(tmp_path, text: str):
    p = tmp_path / "doc.txt"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("title,kind", [
    ("项目支出决算表", "project_expenditure"),  # not the 支出决算表 it contains
    ("一般公共预算财政拨款项目支出决算表", "general_budget_project"),
    ("支出决算表", "expenditure"),
    ("一般公共预算支出功能分类表", "general_budget_expenditure"),
])
def test_a_veto_word_anywhere_in_the_title(title, kind):
    assert classify_title(title)[0].id == kind


def test_split_code_with_its_name_wrapped_away_is_a_code():
    segs = segments("303 09 奖励金 0.00 302 31 16.95")
    assert [(s.code, s.label, s.amounts) for s in segs] == [("30309", "奖励金", ["0.00"]), ("30231", "", ["16.95"])]
    segs = segments("303 99 0.00 302 99 9.07")
    assert [(s.code, s.amounts) for s in segs] == [("30399", ["0.00"]), ("30299", ["9.07"])]
    # A label's row is no coded list: a bare number after it stays what it was.
    assert [s.code for s in segments("一、财政拨款收入 120.00 302 12 0.00")] == ["", ""]


BASIC = """某某区生态环境局2025年度部门决算
一般公共预算财政拨款基本支出决算表
部门：某某区生态环境局 单位：万元
经济分类科目编码 科目名称 决算数 经济分类科目编码 科目名称 决算数
类 款 类 款
301 工资福利支出 100.00 302 商品和服务支出 {p302}
301 01 基本工资 60.00 302 01 办公费 20.00
301 02 津贴补贴 40.00 302 05 水费 5.00
公务用车运行维护
303 对个人和家庭的补助 10.00 302 31 {p30231}
费
303 02 退休费 10.00 302 99 其他商品和服务支出 3.00
310 资本性支出 2.00
310 02 办公设备购置 2.00
人员经费合计 110.00 公用经费合计 {public}
"""


def test_capital_items_in_the_personnel_block_count_as_public_expenditure(tmp_path):
    """310 printed under 303 (the 人员经费 block runs longer) still belongs to 公用经费合计."""
    got = extract(_write(tmp_path, BASIC.format(p302="35.00", p30231="7.00", public="37.00"))).to_json()
    assert got["facts"]["personnel_expenditure"] == 110.0 and got["facts"]["public_expenditure"] == 37.0
    bad = [f for f in got["findings"] if f["severity"] != "info"]
    assert not bad, bad


def test_a_cost_group_total_that_misses_its_classes_is_an_error(tmp_path):
    got = extract(_write(tmp_path, BASIC.format(p302="35.00", p30231="7.00", public="47.00"))).to_json()
    errors = [f for f in got["findings"] if f["severity"] == "error" and f["rule"] == "table.total_sum"]
    assert errors and errors[0]["evidence"]["values"][:2] == [47.0, 37.0]
    # and a 款 lost to a wrapped name would show as a class_sum error: here it is read, so none
    got = extract(_write(tmp_path, BASIC.format(p302="35.00", p30231="7.00", public="37.00"))).to_json()
    assert not [f for f in got["findings"] if f["rule"] == "table.class_sum"]


SUMMARY = """某某市统计局2024年部门预算
一、部门概况
某某市统计局主要职责是统计。截至2023年底，本部门共有车辆4辆。2024年预算安排更新公务用车2辆。
\f2024年收支总表
{unit_line}
项目 预算数 项目 预算数
一、一般公共预算拨款收入 120.00 一、一般公共服务支出 100.00
二、事业收入 二、住房保障支出 20.00
本年收入合计 120.00 本年支出合计 120.00
收入总计 120.00 支出总计 120.00
"""


@pytest.mark.parametrize("unit_line", ["部门名称：101001-某某市统计局 金额单位：万元", "单位名称：[101001]某某市统计局 单位：万元",
                                       "部门：某某市统计局 单位：万元"])
def test_a_unit_code_is_not_part_of_the_unit_name(tmp_path, unit_line):
    got = extract(_write(tmp_path, SUMMARY.format(unit_line=unit_line))).to_json()
    assert got["document"]["unit"] == "某某市统计局"


def test_vehicles_held_not_vehicles_bought(tmp_path):
    text = SUMMARY.format(unit_line="部门：某某市统计局 单位：万元").replace(
        "截至2023年底，本部门共有车辆4辆。2024年预算安排更新公务用车2辆。",
        "2024年预算安排淘汰更新执法车辆2辆。截至2023年底，本部门共有车辆4辆。")
    assert extract(_write(tmp_path, text)).to_json()["facts"]["vehicles"] == 4


def test_office_operation_named_as_the_appropriation_s_running_costs(tmp_path):
    text = ("重庆市某某委员会2018年部门预算情况说明\n二、部门预算情况说明\n2018年一般公共预算财政拨款收入300.00万元，"
            "一般公共预算财政拨款支出300.00万元。其中：基本支出200.00万元，项目支出100.00万元。\n四、其他重要事项的情况说明\n1.机关运行经费情况。2018年一般公共预算财政拨款运行经费"
            "16252.11万元，比上年增加654.94万元，主要原因为公用经费标准统一提高。\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert got["facts"]["office_operation"] == 16252.11 and got["prior_year"]["office_operation"] == 15597.17


@pytest.mark.parametrize("title,kind,year", [
    ("某某局2024年部门预算情况说明", "budget", 2024), ("某某局2024年度部门预算编制说明", "budget", 2024),
    ("某某局2024年预算信息公开", "budget", 2024), ("某某局2023年度部门决算情况说明", "final", 2023),
    ("某某局关于2023年度部门决算的说明", "final", 2023), ("某某县统计局二〇二四年度部门预算", "budget", 2024),
])
def test_a_dated_title_names_the_kind_and_year(title, kind, year):
    from budgetlens.document import Block, Document
    from budgetlens.recognize import detect_kind, detect_unit, detect_year

    # The body speaks of 决算 as often as of 预算: only the title can tell.
    lines = [title, "一、部门概况", "主要职责。", "二、收支情况", "收入 支出 预算 预算 预算 决算 决算 决算"]
    doc = Document(path="x.txt", sha256="0" * 64, format="text", pages=1,
                   blocks=[Block(kind="text", text=t, page=1, line=i) for i, t in enumerate(lines, 1)])
    assert (detect_kind(doc), detect_year(doc, None)) == (kind, year)
    if "统计局" in title:
        assert detect_unit(doc, []) == "某某县统计局"


LABELLED = """某某市统计局2024年部门预算
\f部门收支总表
部门：某某市统计局 单位：万元
收入 支出
项目 预算数 项目 预算数
{fiscal} 120.00 一、一般公共服务支出 130.00
{general} 100.00 二、住房保障支出 20.00
{fund} 20.00
二、事业收入 30.00
{revenue} 150.00 {spent} 150.00
{begin} 10.00 {end} 10.00
收 入 总 计 160.00 支 出 总 计 160.00
"""


@pytest.mark.parametrize("labels", [
    dict(fiscal="一、财政拨款（补助）", general="其中：一般公共预算拨款", fund="政府性基金预算拨款", revenue="本年收入合计",
         spent="本年支出合计", begin="上年结转结余", end="结转下年"),
    dict(fiscal="一、本年财政拨款收入", general="1.公共财政预算拨款", fund="2.政府性基金预算拨款", revenue="本 年 收 入",
         spent="本 年 支 出", begin="上年财政拨款结转", end="年终结转结余"),
    dict(fiscal="一、财政拨款", general="（一）一般公共预算财政拨款", fund="（二）政府性基金预算财政拨款", revenue="当年收入小计",
         spent="本年支出小计", begin="用事业基金弥补收支差额", end="结余分配"),
])
def test_summary_row_labels_of_other_templates(tmp_path, labels):
    got = extract(_write(tmp_path, LABELLED.format(**labels))).to_json()
    want = dict(revenue_total=150.0, expenditure_total=150.0, grand_total=160.0, carryover_begin=10.0,
                fiscal_revenue=120.0, general_budget_revenue=100.0, gov_fund_revenue=20.0)
    assert {k: got["facts"].get(k) for k in want} == want
    assert not [f for f in got["findings"] if f["severity"] != "info"]


def _gb_table(title: str, header: str, rows: list[str]) -> str:
    return "某某市统计局2024年部门预算\n\f" + title + "\n部门：某某市统计局 单位：万元\n" + header + "\n" + "\n".join(rows) + "\n"


GB_ROWS = ["合计 {a} 150.00 {c}", "201 一般公共服务支出 {b} 130.00 {d}", "20105 统计信息事务 {b} 130.00 {d}",
           "2010501 行政运行 {b} 130.00 {d}", "221 住房保障支出 15.00 20.00 5.00{e}", "22102 住房改革支出 15.00 20.00 5.00{e}",
           "2210201 住房公积金 15.00 20.00 5.00{e}"]


@pytest.mark.parametrize("header,rate", [("科目编码 科目名称 2023年预算数 2024年预算数 增减额 增减率", True),
                                         ("科目编码 科目名称 上年预算数 本年预算数 增减", False)])
def test_the_previous_year_s_column_is_not_this_year_s_total(tmp_path, header, rate):
    rows = [r.format(a="140.00", b="125.00", c="10.00" + (" 7.14%" if rate else ""), d="5.00" + (" 4.00%" if rate else ""),
                     e=" 33.33%" if rate else "") for r in GB_ROWS]
    got = extract(_write(tmp_path, _gb_table("一般公共预算支出表", header, rows))).to_json()
    assert got["facts"]["general_budget_expenditure"] == 150.0
    assert got["function_totals"] == {"201": 130.0, "221": 20.0}
    assert not [f for f in got["findings"] if f["severity"] != "info"]


def test_three_public_items_under_two_years(tmp_path):
    text = _gb_table("一般公共预算“三公”经费支出表", "项目 2023年预算数 2024年预算数 增减",
                     ["合计 30.00 28.50 -1.50", "因公出国（境）费 5.00 5.00 0.00", "公务用车购置及运行费 21.00 20.00 -1.00",
                      "公务接待费 4.00 3.50 -0.50"])
    assert extract(_write(tmp_path, text)).to_json()["facts"]["three_public_total"] == 28.5


def test_personnel_and_public_columns_belong_under_basic_expenditure(tmp_path):
    """合计 基本支出 项目支出 over 小计 人员经费 公用经费: the rows' sums fit the run under 基本支出 and
    under 项目支出 alike; only 基本支出 has 人员经费 and 公用经费 as parts."""
    rows = ["合计 150.00 110.00 100.00 10.00 40.00", "201 一般公共服务支出 130.00 90.00 80.00 10.00 40.00",
            "20105 统计信息事务 130.00 90.00 80.00 10.00 40.00", "2010501 行政运行 90.00 90.00 80.00 10.00",
            "2010502 一般行政管理事务 40.00 40.00", "221 住房保障支出 20.00 20.00 20.00", "22102 住房改革支出 20.00 20.00 20.00",
            "2210201 住房公积金 20.00 20.00 20.00"]
    text = _gb_table("部门支出总表", "科目编码 科目名称 合计 基本支出 项目支出\n小计 人员经费 公用经费", rows)
    facts = extract(_write(tmp_path, text)).to_json()["facts"]
    assert (facts["basic_expenditure"], facts["project_expenditure"]) == (110.0, 40.0)


def test_a_page_number_at_a_page_s_foot_is_not_part_of_the_next_title(tmp_path):
    """pdfplumber pages joined by a form feed: "- 3 -\\f收入总表" is a page number, then a title; the
    last row of the table before it does not join them into a title."""
    text = ("某某局2024年部门预算\n收支总表\n部门：某某局 单位：万元\n项目 预算数 项目 预算数\n"
            "一、一般公共预算拨款收入 120.00 一、一般公共服务支出 120.00\n收 入 总 计 120.00 支 出 总 计 120.00\n- 3 -\f"
            "收入总表\n部门：某某局 单位：万元\n科目编码 科目名称 合计 一般公共预算拨款收入\n合计 120.00 120.00\n"
            "201 一般公共服务支出 120.00 120.00\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert [(t["id"], t["title"]) for t in got["tables"]] == [("income_expenditure_summary", "收支总表"), ("income", "收入总表")]


THREE_YEARS_COLUMNS = """国家某某局2024年部门预算
一般公共预算“三公”经费支出表
部门：国家某某局 单位：万元
2023年预算数 2024年预算数
公务用车购置及运行费 公务用车购置及运行费
因公出国 公务接 因公出国 公务接
合计 公务用车 公务用车 合计 公务用车 公务用车
（境）费 小计 待费 （境）费 小计 待费
购置费 运行费 购置费 运行费
205.00 72.00 119.00 30.00 89.00 14.00 165.20 68.00 84.60 0.00 84.60 12.60
"""


def test_three_public_items_as_columns_for_two_years(tmp_path):
    assert extract(_write(tmp_path, THREE_YEARS_COLUMNS)).to_json()["facts"]["three_public_total"] == 165.2


def test_three_public_rows_by_year(tmp_path):
    text = ("某某厅2024年部门预算\n一般公共预算“三公”经费支出情况表\n部门名称：某某厅 单位：万元\n"
            "项目 合计 因公出国 公务接待费 公务用车购置及运行费\n（境）费 小计 公务用车 公务用车\n购置费 运行费\n"
            "2023年预算数 54.60 25.00 10.40 19.20 0.00 19.20\n2024年预算数 56.10 28.00 9.50 18.60 0.00 18.60\n")
    assert extract(_write(tmp_path, text)).to_json()["facts"]["three_public_total"] == 56.1


def test_the_year_s_run_among_execution_and_ratio_columns(tmp_path):
    """The central 一般公共预算支出表: 2023年执行数 | 2024年预算数 (小计 基本支出 项目支出) | 为执行数的%."""
    rows = ["合计 1,200.00 1,300.00 1,000.00 300.00 108.33", "201 一般公共服务支出 1,200.00 1,300.00 1,000.00 300.00 108.33",
            "20126 档案事务 1,200.00 1,300.00 1,000.00 300.00 108.33", "2012601 行政运行 900.00 1,000.00 1,000.00 111.11",
            "2012602 一般行政管理事务 300.00 300.00 300.00 100.00"]
    text = _gb_table("一般公共预算支出表", "科目 2024年预算数 2024年预算数为\n2023年执行数 2023年执行数的\n"
                     "科目编码 科目名称 小计 基本支出 项目支出 %", rows)
    got = extract(_write(tmp_path, text)).to_json()
    assert got["facts"]["general_budget_expenditure"] == 1300.0


def test_columns_named_across_wrapped_header_lines_are_not_guessed(tmp_path):
    """A by-unit income table whose headers wrap over three lines: the order of the words across the
    lines is lost, so only the total is placed (no false cross-table error)."""
    text = ("某某市民政局2025年部门预算\n部门收支预算总表\n单位名称：某某市民政局 单位：元\n项目 预算数 项目 预算数\n"
            "一、一般公共预算 2,684,305.43 一、社会保障和就业支出 2,781,335.43\n二、单位资金 84,430.00\n"
            "本年收入合计 2,768,735.43 本年支出合计 2,781,335.43\n上年结转 12,600.00\n收入总计 2,781,335.43 支出总计 2,781,335.43\n"
            "部门收入预算总表\n单位名称：某某市民政局 单位：元\n一般公共 政府性基 国有资本 财政专户\n单位名称 合计 上年结转 单位资金\n"
            "预算 金预算 经营预算 管理资金\n合计 2,781,335.43 12,600.00 2,684,305.43 84,430.00\n"
            "某某市民政局（本级） 2,781,335.43 12,600.00 2,684,305.43 84,430.00\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert not [f for f in got["findings"] if f["severity"] == "error"], got["findings"]


NARRATIVE = ("越州市某某局2025年部门预算\n一、收支预算总体情况\n2025年财政拨款收支总预算2,696.91万元。收入包括一般公共预算当年拨款"
             "2,684.31万元、上年结转12.60万元。\n二、一般公共预算当年拨款支出情况\n2025年一般公共预算当年拨款支出2,696.91万元。\n"
             "1.社会保障和就业支出{social}万元，比上年增加82.24万元，增长3.31%。\n三、绩效目标设置情况\n所有项目均实行绩效目标管理，"
             "涉及一般公共预算当年拨款900.00万元。\n四、机构情况\n单位核定行政编制18名、事业编制（参公）9名，共27名；年末实有人员25人。\n"
             "一般公共预算支出预算表\n单位名称：越州市某某局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
             "合计 2,696.91 1,796.91 900.00\n208 社会保障和就业支出 2,558.47 1,658.47 900.00\n20802 民政管理事务 2,558.47 1,658.47 900.00\n"
             "2080201 行政运行 1,658.47 1,658.47\n2080299 其他民政管理事务支出 900.00 900.00\n210 卫生健康支出 138.44 138.44\n"
             "21011 行政事业单位医疗 138.44 138.44\n2101101 行政单位医疗 138.44 138.44\n")


def test_narrative_figures_by_what_they_are_said_of(tmp_path):
    got = extract(_write(tmp_path, NARRATIVE.format(social="2,558.47"))).to_json()
    assert got["facts"]["general_budget_revenue"] == 2684.31  # 收入包括…当年拨款: revenue, not expenditure
    assert got["facts"]["general_budget_expenditure"] == 2696.91
    assert (got["facts"]["staff_authorized"], got["facts"]["staff_actual"]) == (27, 25)
    assert not [f for f in got["findings"] if f["severity"] == "error"], got["findings"]  # 涉及…900.00 is a part


def test_a_class_quoted_without_its_mark_is_checked(tmp_path):
    got = extract(_write(tmp_path, NARRATIVE.format(social="2,568.47"))).to_json()
    bad = [f for f in got["findings"] if f["rule"] == "narrative.amount_mismatch" and f["severity"] == "error"]
    assert bad and bad[0]["evidence"]["values"] == [2568.47, 2558.47]


def test_a_tab_separated_unit_line_is_context_not_a_row(tmp_path):
    text = ("泉山县农业农村局2024年部门预算公开说明\n一、部门基本情况\n本部门负责农业农村工作。\n收支预算总表\n"
            "编制单位：泉山县农业农村局\t\t\t\t单位：万元\n项目\t预算数\t项目\t预算数\n"
            "一、一般公共预算拨款收入\t100.00\t一、农林水支出\t100.00\n本年收入合计\t100.00\t本年支出合计\t100.00\n"
            "收入总计\t100.00\t支出总计\t100.00\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert got["document"]["unit"] == "泉山县农业农村局" and got["facts"]["revenue_total"] == 100.0


def test_three_economic_blocks_whose_blank_figures_were_dropped(tmp_path):
    """人员经费 | 公用经费 302 | 公用经费 307/310/399, blank cells dropped: a code followed by a name is
    the next row, never a figure of the row before."""
    text = ("某县文旅局2023年度部门决算\n一般公共预算财政拨款基本支出决算明细表\n公开06表\n编制单位：某县文旅局 金额单位：万元\n"
            "人员经费 公用经费\n科目编码 科目名称 决算数 科目编码 科目名称 决算数 科目编码 科目名称 决算数\n"
            "301 工资福利支出 100.00 302 商品和服务支出 20.00 307 债务利息及费用支出\n"
            "30101 基本工资 60.00 30201 办公费 12.00 30701 国内债务付息\n"
            "30102 津贴补贴 40.00 30203 咨询费 310 资本性支出 5.00\n"
            "30106 伙食补助费 30204 手续费 31001 房屋建筑物购建\n"
            "303 对个人和家庭的补助 10.00 30205 水费 8.00 31002 办公设备购置 5.00\n"
            "30302 退休费 10.00 30206 电费\n人员经费合计 110.00 公用经费合计 25.00\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert (got["facts"]["personnel_expenditure"], got["facts"]["public_expenditure"]) == (110.0, 25.0)
    assert not [f for f in got["findings"] if f["severity"] == "error"], got["findings"]


def test_a_class_name_wrapped_below_its_row_in_a_summary(tmp_path):
    text = ("某县文旅局2023年度部门决算\n财政拨款收入支出决算表\n公开04表\n编制单位：某县文旅局 金额单位：万元\n收入 支出\n"
            "项目 行次 金额 项目 行次 合计\n栏次 1 栏次 2\n一、一般公共预算财政拨款 1 600.00 一、一般公共服务支出 33\n"
            "2 二、文化旅游体育与传媒支 34 500.00\n出\n3 三、住房保障支出 35 100.00\n本年收入合计 4 600.00 本年支出合计 36 600.00\n"
            "总计 5 600.00 总计 37 600.00\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert not [f for f in got["findings"] if f["severity"] == "error"], got["findings"]


def test_a_share_after_a_parenthesised_sub_list_is_the_outer_item_s(tmp_path):
    text = ("某中心2025年部门预算\n二、收入预算情况\n2025年部门本年收入预算6,410.32万元。其中：财政拨款收入6,378.32万元（其中："
            "一般公共预算拨款收入6,378.32万元，政府性基金预算拨款收入0万元），占99.50%；单位资金收入32.00万元，占0.50%。\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert not [f for f in got["findings"] if f["rule"] in ("narrative.percent", "narrative.items_sum")
                and f["severity"] != "info"], got["findings"]


def test_counts_in_a_heading_s_text_and_across_wrapped_lines(tmp_path):
    text = ("某中心2024年单位预算\n一、基本情况\n本单位内设5个科室。核定编制48\n名，实有在职人员45人。\n二、收支预算总体情况\n"
            "某中心2024年收入预算500.00万元，支出预算500.00万元，其中基本支出400.00万元，项目支出100.00万元，"
            "一般公共预算支出500.00万元。\n"
            "（三）国有资产占用情况：截至2023年12月31日，本单位共有车辆14辆，其中：一般公\n务用车3辆。\n")
    facts = extract(_write(tmp_path, text)).to_json()["facts"]
    assert (facts["staff_authorized"], facts["staff_actual"], facts["vehicles"]) == (48, 45, 14)


def test_the_budget_s_whole_named_as_its_total_amount(tmp_path):
    text = ("某中心2024年单位预算\n二、收支预算总体情况\n某中心2024年收入预算5,174.66万元；支出预算5,174.66万元，其中：基本支出"
            "2,343.16万元，占45.28%；项目支出2,831.50万元，占54.72%。收支预算总额比2023年增加189.04万元，增长3.79%。\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert got["prior_year"].get("grand_total") == 4985.62
    assert "project_expenditure" not in got["prior_year"]
    assert not [f for f in got["findings"] if f["rule"] == "narrative.percent" and f["severity"] != "info"]


PLAIN_FORM = """某某中心2023年度部门决算
第五部分 附件
直属困难企业维稳解困资金项目支出绩效自评表
(2023年度)
项目名称 直属困难企业维稳解困资金
主管部门及代码 206-某某中心 预算单位 206001-某某中心
项目资金预算安排及执行进度(万元) 年初预算数 全年预算数 全年执行数 资金结(转)余 执行率 得分 偏差原因分析及改进措施
目标申报数 预算编制数
资金总额: 30 30 30 29.833 0.167 99.44 9.94
市区区财政资金 30 30 30 29.833 0.167 99.44 9.94
绩效指标 一级指标 二级指标 三级指标 年初指标值 调整后指标值 实际完成值 分值 得分 偏差原因分析及改进措施
产出指标 数量指标 慰问困难企业职工人数 ≤43人 ≤43人 ≤40人 20 20
质量指标 困难企业职工医保缴纳足额率 ≥95% ≥95% ≥100% 20 20
成本指标 总成本 ≤30万元 ≤30万元 ≤29.83万元 10 9 充分用好该资金
效益指标 社会效益指标 困难企业职工上访率 =0% =0% =0% 30 30
满意度指标 服务对象满意度 ≥90% ≥90% ≥95% 10 10
总 分 98.94 优
"""


def test_a_self_evaluation_form_in_a_plain_text_layer(tmp_path):
    """pdfplumber's text of a 项目支出绩效自评表: words for cells, blank cells dropped, 总 分 letter-spaced."""
    got = extract(_write(tmp_path, PLAIN_FORM)).to_json()
    (p,) = got["projects"]
    assert (p["name"], p["budget"], p["executed"], p["execution_rate"], p["score"], p["grade"]) == \
        ("直属困难企业维稳解困资金", 30.0, 29.833, 99.44, 98.94, "优")
    assert [i["weight"] for i in p["indicators"]] == [20, 20, 10, 30, 10]


def test_three_public_years_as_column_groups_in_a_grid(tmp_path):
    """TAB grid of the central 三公 table: 2023年预算数 | 2024年预算数 groups over the items."""
    header = ["2023年预算数\t\t\t\t\t\t2024年预算数\t\t\t\t\t",
              "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费",
              "\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t"]
    row = "205.00\t72.00\t119.00\t30.00\t89.00\t14.00\t165.20\t68.00\t{v}\t0.00\t84.60\t12.60"
    text = "国家某某局2024年部门预算\n一般公共预算“三公”经费支出表\n部门：国家某某局 单位：万元\n" + "\n".join(header) + "\n"
    good = extract(_write(tmp_path, text + row.format(v="84.60") + "\n")).to_json()
    assert good["facts"]["three_public_total"] == 165.2
    assert not [f for f in good["findings"] if f["severity"] != "info" and f["rule"].startswith("cross.three")]
    bad = extract(_write(tmp_path, text + row.format(v="86.40") + "\n")).to_json()
    assert [f["rule"] for f in bad["findings"] if f["severity"] == "error"] == ["cross.three_public_items"]


def test_three_public_rows_by_year_in_a_grid_are_checked_against_the_year_s_narrative(tmp_path):
    text = ("某某厅2024年部门预算\n七、“三公”经费预算情况\n2024年“三公”经费预算56.10万元，其中：因公出国（境）费28.00万元，"
            "公务用车购置及运行费18.60万元，公务接待费9.50万元。\n一般公共预算“三公”经费支出情况表\n部门名称：某某厅 单位：万元\n"
            "项目\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n\t\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
            "2023年预算数\t54.60\t25.00\t19.20\t0.00\t19.20\t10.40\n2024年预算数\t56.10\t28.00\t18.60\t0.00\t18.60\t9.50\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert got["facts"]["three_public_total"] == 56.1
    assert not [f for f in got["findings"] if f["severity"] == "error"], got["findings"]


def test_a_ratio_column_is_no_amount_in_a_grid(tmp_path):
    text = ("国家某某局2024年部门预算\n一般公共预算支出表\n部门：国家某某局 单位：万元\n"
            "科目\t\t2023年执行数\t2024年预算数\t\t\t2024年预算数为2023年执行数的%\n科目编码\t科目名称\t\t小计\t基本支出\t项目支出\t\n"
            "\t合计\t1,200.00\t1,300.00\t1,000.00\t300.00\t108.33\n201\t一般公共服务支出\t1,200.00\t1,300.00\t1,000.00\t300.00\t108.33\n"
            "20126\t档案事务\t1,200.00\t1,300.00\t1,000.00\t300.00\t108.33\n2012601\t行政运行\t900.00\t1,000.00\t1,000.00\t\t111.11\n"
            "2012602\t一般行政管理事务\t300.00\t300.00\t\t300.00\t100.00\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert got["facts"]["general_budget_expenditure"] == 1300.0
    assert not [f for f in got["findings"] if f["severity"] != "info"], got["findings"]


def test_titles_followed_by_their_labels_in_a_text_without_page_breaks(tmp_path):
    """title / 公开01表 / unit line / rows, no form feeds: printed order, not drawing order."""
    table = ("{title}\n{label}\n部门名称：某某中心\n2023年度\n金额单位：万元\n项目 行次 金额 项目 行次 金额\n"
             "一、一般公共预算财政拨款收入 1 100.00 一、一般公共服务支出 32 100.00\n本年收入合计 27 100.00 本年支出合计 58 100.00\n"
             "总计 31 100.00 总计 62 100.00\n注：本表反映部门本年度的总收支和年末结转结余情况。\n")
    text = ("某某中心2023年度部门决算\n第二部分 2023年度部门决算表\n" + table.format(title="收入支出决算总表", label="公开01表")
            + table.format(title="财政拨款收入支出决算总表", label="公开04表")
            + table.format(title="财务收支决算总表", label="公开11表"))
    got = extract(_write(tmp_path, text)).to_json()
    assert [(t["id"], t["label"], t["rows"]) for t in got["tables"]] == [
        ("income_expenditure_summary", "公开01表", 3), ("fiscal_summary", "公开04表", 3),
        ("income_expenditure_summary", "公开11表", 3)]
    assert got["facts"]["revenue_total"] == 100.0


def _as_plain_text(text: str) -> str:
    """A TAB/pipe text extraction as a plain text layer prints it: cells separated by spaces, blank
    cells dropped (pdfplumber's ``extract_text`` of the same ruled tables)."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            line = " ".join(c.strip() for c in line.split("\t") if c.strip())
        elif line.count("|") >= 2:
            line = " ".join(c.strip() for c in line.strip().strip("|").split("|")
                            if c.strip() and not re.fullmatch(r"[-: ]+", c))
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("seed", ["000_2dcbd3ad2c52b1d0.txt", "003_159abbecd5886f59.txt", "004_f2bc4dd2dc88ab43.txt"])
def test_the_seeds_as_plain_text_layers_give_the_same_figures_and_projects(tmp_path, seed):
    from conftest import RAW

    grid = extract(RAW / seed).to_json()
    plain = extract(_write(tmp_path, _as_plain_text((RAW / seed).read_text(encoding="utf-8")))).to_json()
    assert plain["facts"] == grid["facts"] and plain["function_totals"] == grid["function_totals"]

    def projects(j):
        return [(p["name"], p.get("budget"), p.get("executed"), p.get("execution_rate"), p.get("score"), p.get("grade"))
                for p in j["projects"]]

    assert projects(plain) == projects(grid) and projects(grid)


def test_header_cells_drawn_one_piece_a_line(tmp_path):
    """pypdfium2's text of a ruled table: wrapped header cells one piece a line, a name's tail printed
    with the row's figures. Only the total is placed where the columns cannot be told; the wrapped
    name keeps its code and figures."""
    text = ("某中心2024年单位预算\n收入总表\n单位名称：某中心 金额单位：万元\n科目编码 科目名称 合计\n上年结转\n结余\n一般公共\n"
            "预算财政\n拨款收入\n政府性基金预算拨款收入 国有资本经营预算拨款收入 事业收入\n"
            "合计 400.00 65.20 316.30 18.50\n208 社会保障和就业支出 400.00 65.20 316.30 18.50\n"
            "20805 行政事业单位养老支出 279.36 279.36\n2080505 机关事业单位基本养老保\n险缴费支出 186.24 186.24\n"
            "2080506 机关事业单位职业年金缴\n费支出 93.12 93.12\n20802 民政管理事务 120.64 65.20 36.94 18.50\n"
            "2080201 行政运行 120.64 65.20 36.94 18.50\n")
    got = extract(_write(tmp_path, text)).to_json()
    assert not [f for f in got["findings"] if f["severity"] == "error"], got["findings"]
    frame = extract(_write(tmp_path, text)).table("income").frame
    assert set(frame[frame["code"] == "2080505"]["name"]) == {"机关事业单位基本养老保险缴费支出"}


NATIONAL_FORM = (
    '2023年度项目支出绩效自评表\n'
    '项目名称\t办公楼维修改造项目\t\t\t\t\t\t\t\n'
    '主管部门\t某县自然资源局\t\t\t实施单位\t某县自然资源局机关\t\t\t\n'
    '项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\t\n'
    '\t年度资金总额\t50.00\t50.00\t48.50\t10\t97.00%\t9.70\t\n'
    '\t其中：当年财政拨款\t50.00\t50.00\t48.50\t—\t—\t—\t\n'
    '\t上年结转资金\t\t\t\t—\t—\t—\t\n'
    '\t其他资金\t\t\t\t—\t—\t—\t\n'
    '年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t\t\n'
    '\t完成办公楼外墙及屋面维修改造，改善办公条件。\t\t\t按期完成办公楼外墙及屋面维修改造。\t\t\t\t\n'
    '绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n'
    '\t产出指标（50分）\t数量指标\t维修面积\t≥3000平方米\t3200平方米\t20\t20\t\n'
    '\t\t质量指标\t工程验收合格率\t100%\t100%\t15\t15\t\n'
    '\t\t时效指标\t完工时间\t2023年10月前\t2023年9月\t15\t15\t\n'
    '\t效益指标（30分）\t社会效益指标\t办公条件改善程度\t明显改善\t明显改善\t30\t29\t部分功能区尚待完善\n'
    '\t满意度指标（10分）\t服务对象满意度指标\t职工满意度\t≥90%\t95%\t10\t10\t\n'
    '总分\t100\t98.70\t\t\t\t\t\t\n'
)


@pytest.mark.parametrize("plain", [False, True])
def test_the_national_self_evaluation_form_alone(tmp_path, plain):
    """项目支出绩效自评表 in the national layout (年初预算数 全年预算数 全年执行数 分值 执行率 得分), as a
    grid and as a plain text layer, published alone: its unit is the department the form names."""
    text = _as_plain_text(NATIONAL_FORM) if plain else NATIONAL_FORM
    got = extract(_write(tmp_path, text)).to_json()
    assert (got["document"]["kind"], got["document"]["unit"], got["document"]["year"]) == ("performance", "某县自然资源局", 2023)
    (p,) = got["projects"]
    assert (p["name"], p["budget_initial"], p["budget"], p["executed"], p["execution_rate"], p["score"]) == \
        ("办公楼维修改造项目", 50.0, 50.0, 48.5, 97.0, 98.7)
    assert [(i["level3"], i["weight"], i["score"]) for i in p["indicators"]] == [
        ("维修面积", 20, 20), ("工程验收合格率", 15, 15), ("完工时间", 15, 15), ("办公条件改善程度", 30, 29), ("职工满意度", 10, 10)]
    assert not [f for f in got["findings"] if f["severity"] != "info"]


UNIT_FORM = (
    '2023年度部门整体支出绩效自评表\n'
    '部门名称\t某县自然资源局\t\t\t\t\n'
    '年度预算申请（万元）\t\t年初预算数\t全年预算数\t全年执行数\t执行率\n'
    '\t年度资金总额\t1,200.00\t1,250.00\t1,230.00\t98.40%\n'
    '\t按收入性质分：\t\t\t\t\n'
    '\t其中：财政拨款\t1,150.00\t1,200.00\t1,180.00\t98.33%\n'
    '\t其他资金\t50.00\t50.00\t50.00\t100.00%\n'
    '绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n'
    '\t产出指标\t数量指标\t完成确权登记宗数\t≥500宗\t520宗\n'
    '总分\t95.50\t优\t\t\t\n'
)


@pytest.mark.parametrize("plain", [False, True])
def test_the_national_unit_self_evaluation_form(tmp_path, plain):
    """部门整体支出绩效自评表 with a funds block like a project form's (年初预算数 全年预算数 全年执行数 执行率)
    and 部门名称 printed without a colon."""
    text = _as_plain_text(UNIT_FORM) if plain else UNIT_FORM
    got = extract(_write(tmp_path, text)).to_json()
    assert got["document"]["unit"] == "某县自然资源局"
    assert {k: got["facts"].get(k) for k in ("budget_initial", "budget_adjusted", "budget_executed", "overall_score",
                                             "overall_grade")} == {
        "budget_initial": 1200.0, "budget_adjusted": 1250.0, "budget_executed": 1230.0, "overall_score": 95.5,
        "overall_grade": "优"}


CARRYOVER_BY_FUND = """某某市统计局2026年部门预算
\f财政拨款收支总表
部门：某某市统计局 单位：万元
收入 支出
项目 预算数 项目 预算数
一、一般公共预算资金 100.00 一、一般公共服务支出 140.00
二、政府性基金预算资金 二、住房保障支出 20.00
三、国有资本经营预算资金
本年收入合计 100.00 本年支出合计 160.00
上年结转结余 60.00 年终结转结余
一、一般公共预算拨款 20.00
二、政府性基金预算拨款 40.00
三、国有资本经营预算拨款
收入总计 160.00 支出总计 160.00
"""


def test_the_carry_over_broken_down_by_fund_is_not_this_year_s_revenue(tmp_path):
    """Beijing's 预算04表 repeats the fund labels under 上年结转结余: 40.00 of 政府性基金 carried over is
    no 政府性基金 revenue of this year (which is blank, so 0)."""
    got = extract(_write(tmp_path, CARRYOVER_BY_FUND)).to_json()
    assert got["facts"]["general_budget_revenue"] == 100.0
    assert got["facts"]["gov_fund_revenue"] == 0.0
    assert got["facts"]["fiscal_revenue"] == 100.0


def test_an_older_narrative_names_the_grand_total_as_its_total_budget(tmp_path):
    """"2018年收入总预算317.6万元,同比增加8.25万元" (an older provincial template): 收入总预算 is the
    收支总预算 of the newer ones, and its 同比增加 gives the prior year."""
    p = _write(tmp_path, "某某市某某中心2018年部门预算编制说明\n第三部分:某某中心2018年部门预算说明\n"
                         "一、2018年收支总体情况\n(一)收入预算说明。\n"
                         "2018年收入总预算120.5万元,同比增加10.25万元,同比增长9.3%。\n"
                         "(二)支出预算说明。\n2018年支出总预算120.5万元,同比增加10.25万元。\n")
    got = extract(p).to_json()
    assert got["facts"]["grand_total"] == pytest.approx(120.5)
    assert got["prior_year"]["grand_total"] == pytest.approx(110.25)


LUMPED_INTO_OTHER = """某某市发展和改革委员会2026年部门预算
\f收支总表
部门：某某市发展和改革委员会 单位：万元
收入 支出
项目 预算数 项目 预算数
一、一般公共预算拨款收入 150.00 一、一般公共服务支出 100.00
二、事业收入 二、住房保障支出 20.00
三、其他支出 {other}
本年收入合计 150.00 本年支出合计 150.00
收入总计 150.00 支出总计 150.00
\f支出总表
部门：某某市发展和改革委员会 单位：万元
科目编码 科目名称 合计 基本支出 项目支出
合计 150.00 120.00 30.00
201 一般公共服务支出 100.00 100.00
221 住房保障支出 20.00 20.00
219 援助其他地区支出 30.00 30.00
其他支出 30.00 30.00
"""


@pytest.mark.parametrize("other,lumped", [("30.00", True), ("25.00", False)])
def test_a_class_the_summary_has_no_line_for_printed_under_its_other_expenditure(tmp_path, other, lumped):
    """烟台's 收支总表 lists no 219 援助其他地区支出 and prints its amount as 其他支出: the figures agree, so a
    warning about the classification and no mismatch. The 其他支出 printed without a code under 219 is its
    款 21999, not the class 229. When the 其他支出 line holds another amount, the missing class is an error."""
    got = extract(_write(tmp_path, LUMPED_INTO_OTHER.format(other=other))).to_json()
    found = [(f["severity"], f["rule"]) for f in got["findings"] if f["rule"] == "cross.summary_vs_detail"]
    if lumped:
        assert found == [("warning", "cross.summary_vs_detail")]
        assert "未设219援助其他地区支出行" in next(f["message"] for f in got["findings"]
                                                if f["rule"] == "cross.summary_vs_detail")
    else:
        assert ("error", "cross.summary_vs_detail") in found
        assert ("warning", "cross.summary_vs_detail") not in found
