"""Mechanisms met in reports outside the development corpus (other Shanghai units' finals, a Chongqing
narrative, central-template finals), each as a small synthetic case: a split code whose wrapped name
stands above and below its figures, 310 printed in the 人员经费 block, unit codes before a unit's name,
counts of vehicles bought beside the fleet, titles that name a part of a standard title."""

from __future__ import annotations

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
