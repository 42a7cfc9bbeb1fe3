"""The table registry: titles printed by different provinces' templates name the right kind, and
general words do not capture specific tables (收入支出决算表 is the summary, not the 支出表)."""

from __future__ import annotations

import pytest

from budgetlens.registry import classify_title


@pytest.mark.parametrize(("title", "kind"), [
    ("部门收支总表", "income_expenditure_summary"),
    ("2024年部门收支预算总表", "income_expenditure_summary"),
    ("收入支出决算表", "income_expenditure_summary"),
    ("2025年预算单位财务收支预算总表", "income_expenditure_summary"),
    ("部门预算收入总表", "income"),
    ("收入决算表", "income"),
    ("支出决算表", "expenditure"),
    ("部门预算支出总表", "expenditure"),
    ("财政拨款收支总表", "fiscal_summary"),
    ("财政拨款收入支出决算表", "fiscal_summary"),
    ("财政拨款收入支出决算总表", "fiscal_summary"),
    ("一般公共预算支出预算表（按功能科目分类）", "general_budget_expenditure"),
    ("一般公共预算财政拨款支出决算表", "general_budget_expenditure"),
    ("一般公共预算基本支出预算表（按经济分类）", "basic_expenditure"),
    ("一般公共预算财政拨款基本支出决算明细表", "basic_expenditure"),
    ("一般公共预算财政拨款项目支出决算表", "general_budget_project"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
    ("国有资本经营预算财政拨款收入支出决算表", "state_capital"),
    ("一般公共预算“三公”经费支出情况表", "three_public"),
    ("“三公”经费支出预算情况表", "three_public"),
    ("一般公共预算财政拨款“三公”经费支出决算表", "three_public"),
    ("十一、一般公共预算“三公”经费、会议费、培训费支出预算表", "three_public"),
    ("机关运行经费支出决算表", "office_operation"),
    ("政府采购预算明细表", "statistics"),
    ("部门项目支出预算表", "project_expenditure"),
    # Words some templates insert into a standard title (registry optional_title_words).
    ("一般公共预算财政拨款支出表", "general_budget_expenditure"),
    ("表5 一般公共预算财政拨款基本支出表", "basic_expenditure"),
    ("部门一般公共预算基本支出表", "basic_expenditure"),
    ("政府性基金预算财政拨款支出表", "gov_fund"),
    ("国有资本经营预算财政拨款支出表", "state_capital"),
    ("一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表", "three_public"),
    ("“三公”经费、会议费、培训费预算表", "three_public"),
    ("部门收支预算表", "income_expenditure_summary"),
    ("部门财政拨款收支总表", "fiscal_summary"),
    ("项目支出绩效目标申报表", "project_targets"),
])
def test_title_variants_name_their_kind(title, kind):
    found, _ = classify_title(title)
    assert found is not None and found.id == kind


@pytest.mark.parametrize("text", ["本表反映部门年度收支预算情况。", "目 录", "单位：万元"])
def test_non_titles_name_no_kind(text):
    assert classify_title(text)[0] is None
