"""Every metric against figures computed by hand from the seeds (tests/expected/seeds) and small examples.

The expected seed files hold the figures read off the reports by hand; the arithmetic in each
assertion is written out so it can be checked with a pocket calculator.
"""

from __future__ import annotations

import math

import pytest
from test_units import seed_processed

from budgetlens import metrics, units
from conftest import RAW, expected_seed

FINAL = "000_2dcbd3ad2c52b1d0.txt"  # 长治市中小企业服务中心 2023 决算
PERF = "001_2dda58e37cec2b7a.txt"  # 晋中市中小企业局 2020 绩效自评
CHANGJI = "003_159abbecd5886f59.txt"  # 昌吉州中小企业发展局 2023 预算
SHANGDANG = "004_f2bc4dd2dc88ab43.txt"  # 长治市上党区中小企业服务中心 2025 预算


def seed(name: str) -> dict:
    """An expected seed as a contract document (its source path, for the printed-SME lookup)."""
    doc = dict(expected_seed(name))
    doc["source"] = {"path": str(RAW / name)}
    doc.setdefault("findings", [])
    return doc


def r2(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


# --- arithmetic ---------------------------------------------------------------------------------

def test_pct_and_change():
    assert metrics.pct(1, 4) == 25.0
    assert metrics.pct(None, 4) is None and metrics.pct(1, None) is None and metrics.pct(1, 0) is None
    ch = metrics.change(1033.18, 1634.30)
    assert ch.absolute == -601.12  # rounded against float noise
    assert r2(ch.percent) == -36.78  # 601.12 / 1634.30 = 36.78 %
    assert metrics.change(5.0, 0.0).percent is None
    assert metrics.change(None, 1.0) is None


# --- structure ----------------------------------------------------------------------------------

def test_expenditure_structure_of_the_final():
    s = metrics.expenditure_structure(seed(FINAL))
    assert r2(s["basic_share"]) == 72.54  # 749.49 / 1,033.18 (the report says 72.54 %)
    assert r2(s["project_share"]) == 27.46  # 283.69 / 1,033.18
    assert s["other_share"] == 0.0  # 749.49 + 283.69 = 1,033.18
    assert r2(s["personnel_share"]) == 92.50  # 693.31 / (693.31 + 56.18)
    assert r2(s["public_share"]) == 7.50  # 56.18 / 749.49


def test_expenditure_structure_of_the_budgets():
    s = metrics.expenditure_structure(seed(CHANGJI))
    assert r2(s["basic_share"]) == 35.74  # 147.16 / 411.74
    assert r2(s["project_share"]) == 64.26  # 264.58 / 411.74
    assert r2(s["personnel_share"]) == 92.48  # 136.10 / 147.16
    s = metrics.expenditure_structure(seed(SHANGDANG))
    assert r2(s["basic_share"]) == 33.30  # 140.83 / 422.96
    assert r2(s["personnel_share"]) == 88.95  # 125.27 / (125.27 + 15.56)


def test_structure_without_a_printed_total_uses_basic_plus_project():
    s = metrics.expenditure_structure({"facts": {"basic_expenditure": 30.0, "project_expenditure": 10.0}})
    assert s["basic_share"] == 75.0 and s["project_share"] == 25.0 and s["other_share"] is None
    assert metrics.expenditure_structure({"facts": {}})["basic_share"] is None


def test_fiscal_dependency():
    assert metrics.fiscal_dependency(seed(FINAL)) == 100.0  # 1,033.18 / 1,033.18
    assert metrics.fiscal_dependency(seed(CHANGJI)) == 100.0  # 147.16 / 147.16
    assert metrics.fiscal_dependency({"facts": {"fiscal_revenue": 80.0, "revenue_total": 100.0}}) == 80.0
    assert metrics.fiscal_dependency(seed(PERF)) is None  # the form prints no revenue


def test_class_shares_of_the_final():
    shares = metrics.class_shares(seed(FINAL))
    assert list(shares["code"]) == ["215", "208", "205", "221", "223", "210", "213"]  # largest first
    assert shares.loc[0, "name"] == "资源勘探工业信息等支出"
    # Σ classes = 84.95 + 217.77 + 20.65 + 8.40 + 617.74 + 53.85 + 29.83 = 1,033.19
    assert r2(shares.loc[0, "share"]) == 59.79  # 617.74 / 1,033.19
    assert r2(shares.loc[1, "share"]) == 21.08  # 217.77 / 1,033.19
    assert math.isclose(shares["share"].sum(), 100.0)
    assert metrics.class_shares(seed(PERF)).empty


# --- staff ----------------------------------------------------------------------------------------

def test_staff_control_rate():
    assert r2(metrics.staff_control_rate(seed(CHANGJI))) == 81.82  # 9 在职 / 11 编制
    assert metrics.staff_control_rate(seed(SHANGDANG)) == 100.0  # 10 / 10
    assert r2(metrics.staff_control_rate(seed(PERF))) == 60.87  # 14 / 23 (the form says 60.87 %)
    assert metrics.staff_control_rate(seed(FINAL)) is None  # 在职 not printed


def test_per_staff():
    p = metrics.per_staff(seed(CHANGJI))
    assert p["basis"] == "staff_actual" and p["staff"] == 9
    assert r2(p["office_operation_per_staff"]) == 1.23  # 11.06 / 9
    assert p["three_public_per_staff"] == 0.0
    p = metrics.per_staff(seed(FINAL))
    assert p["basis"] == "staff_authorized" and p["staff"] == 40  # no 在职 count: 编制数
    assert p["office_operation_per_staff"] == pytest.approx(1.4045)  # 56.18 / 40


def test_per_staff_change_from_prior_year_and_from_a_previous_document():
    ch = metrics.per_staff_change(seed(FINAL), None)
    assert ch["office_operation"].absolute == 0.64  # 56.18 − 55.54 (prior_year)
    assert r2(ch["office_operation"].percent) == 1.15  # 0.64 / 55.54 (the report says 1.15 %)
    assert ch["three_public_total"].absolute == 0.0 and ch["three_public_total"].percent is None
    assert ch["office_operation_per_staff"] is None  # last year's head count is unknown
    previous = {"document": {"year": 2022, "kind": "final"},
                "facts": {"office_operation": 50.0, "staff_authorized": 40, "three_public_total": 2.0}}
    ch = metrics.per_staff_change(seed(FINAL), previous)
    assert ch["office_operation"].absolute == 6.18  # the previous document wins over prior_year
    assert ch["office_operation_per_staff"].previous == 1.25  # 50 / 40
    assert r2(ch["office_operation_per_staff"].absolute) == 0.15  # 1.4045 − 1.25
    assert ch["three_public_total"].percent == -100.0  # (0 − 2) / 2


# --- procurement, carry-over, performance ---------------------------------------------------------

def test_procurement_and_its_printed_sme_share():
    p = metrics.procurement(seed(FINAL))
    # "政府采购授予中小企业合同金额4.24万元，占政府采购支出总额的100.00%"
    assert p == {"total": 4.24, "sme": 4.24, "sme_share": 100.0}
    p = metrics.procurement(seed(CHANGJI))
    assert p["total"] == 257.98 and p["sme"] is None and p["sme_share"] is None
    p = metrics.procurement({"facts": {"procurement_total": 10.0, "procurement_sme": 2.5}})
    assert p["sme_share"] == 25.0


def test_carryover_rate():
    assert metrics.carryover_rate(seed(FINAL)) == 0.0  # 0 / 1,033.18
    assert r2(metrics.carryover_rate(seed(PERF))) == 0.03  # 0.16 / 510.63
    assert metrics.carryover_rate(seed(CHANGJI)) is None  # 年末结转 not printed


def test_performance_rates_of_the_unit_form():
    r = metrics.performance_rates(seed(PERF))
    assert r["completion"] == 100.0  # 510.63 / 510.63
    assert r["adjustment"] == 0.0  # (510.63 − 510.63) / 510.63
    assert r["overall_score"] == 100.0
    r = metrics.performance_rates({"facts": {"budget_initial": 100.0, "budget_adjusted": 120.0, "budget_executed": 90.0}})
    assert r["completion"] == 75.0 and r["adjustment"] == 20.0


@pytest.mark.parametrize(("score", "band"), [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.9, "中"),
                                             (60, "中"), (59.99, "差"), (0, "差"), (None, None)])
def test_score_band(score, band):
    assert metrics.score_band(score) == band


def test_projects_of_the_final():
    table = metrics.project_table(seed(FINAL))
    assert len(table) == 6 and table["rate_printed"].all()
    assert list(table["execution_rate"]) == [99.79, 99.44, 80.32, 99.97, 98.5, 97.71]  # as printed
    s = metrics.project_summary(seed(FINAL))
    assert s["count"] == 6
    assert r2(s["budget"]) == 95.59  # 5 + 30 + 2.589 + 35 + 5 + 18 = 95.589
    assert r2(s["executed"]) == 94.40  # 4.989 + 29.833 + 2.079 + 34.99 + 4.925 + 17.588 = 94.404
    assert r2(s["execution_rate"]) == 98.76  # 94.404 / 95.589
    assert s["below_90"] == 1  # 职称评审费 80.32 %
    assert r2(s["score_mean"]) == 95.48  # (93.98 + 98.94 + 92.56 + 95 + 95.65 + 96.77) / 6
    assert (s["score_min"], s["score_max"]) == (92.56, 98.94)
    assert s["bands"] == {"优": 6, "良": 0, "中": 0, "差": 0}
    assert s["grade_mismatch"] == 0


def test_projects_of_the_performance_forms():
    table = metrics.project_table(seed(PERF))
    assert not table["rate_printed"].any()  # the 2020 forms print no 执行率: executed / budget
    assert [r2(v) for v in table["execution_rate"]] == [27.2, 98.77, 2.95, 18.42, 5.62]
    # 4.08/15, 29.63/30, 0.59/20, 3.15/17.10, 29.80/530 (budget = 预算下达资金, not 2000)
    s = metrics.project_summary(seed(PERF))
    assert r2(s["execution_rate"]) == 10.99  # 67.25 / 612.10
    assert s["below_90"] == 4
    assert s["bands"]["优"] == 5  # every score ≥ 92.55 …
    assert s["grade_mismatch"] == 4  # … but four are graded 差


def test_no_projects():
    s = metrics.project_summary({"projects": []})
    assert s["count"] == 0 and s["execution_rate"] is None and s["score_mean"] is None


# --- budget vs final, PEFA PI-2 --------------------------------------------------------------------

BUDGET = {"document": {"year": 2023, "kind": "budget"},
          "facts": {"expenditure_total": 200.0, "three_public_total": 4.0, "public_expenditure": 20.0},
          "function_totals": {"201": 100.0, "205": 50.0, "208": 50.0}}
FINAL_SAME_YEAR = {"document": {"year": 2023, "kind": "final"},
                   "facts": {"expenditure_total": 220.0, "three_public_total": 3.0, "public_expenditure": 19.0},
                   "function_totals": {"201": 120.0, "205": 30.0, "208": 60.0, "210": 10.0}}


def test_execution_totals():
    t = metrics.execution_totals(BUDGET, FINAL_SAME_YEAR).set_index("key")
    assert t.loc["expenditure_total", "rate"] == pytest.approx(110.0)  # 220 / 200
    assert t.loc["three_public_total", "rate"] == 75.0  # 三公经费控制率 3 / 4
    assert t.loc["public_expenditure", "rate"] == 95.0  # 公用经费控制率 19 / 20
    assert t.loc["expenditure_total", "difference"] == 20.0


def test_execution_by_class():
    t = metrics.execution_by_class(BUDGET, FINAL_SAME_YEAR).set_index("code")
    assert t.loc["201", "rate"] == 120.0 and t.loc["205", "rate"] == 60.0
    assert t.loc["210", "budget"] == 0.0 and math.isnan(t.loc["210", "rate"])  # not budgeted: no rate
    assert t.loc["205", "name"] == "教育支出"


def test_pi2_composition_variance_by_hand():
    cv = metrics.pi2(BUDGET, FINAL_SAME_YEAR)
    # scale = 220 / 200 = 1.1 → scaled 110, 55, 55, 0; |120−110| + |30−55| + |60−55| + |10−0| = 50
    assert cv.total_budget == 200.0 and cv.total_actual == 220.0
    assert cv.table.set_index("code")["scaled"].round(6).to_dict() == {"201": 110.0, "205": 55.0, "208": 55.0, "210": 0.0}
    assert r2(cv.variance) == 22.73  # 50 / 220
    assert cv.grade == "D"
    small = metrics.composition_variance({"a": 100.0, "b": 100.0}, {"a": 104.0, "b": 100.0})
    # scale 1.02 → 102, 102; deviations 2 + 2 = 4; 4 / 204 = 1.96 %
    assert r2(small.variance) == 1.96 and small.grade == "A"
    assert metrics.composition_variance({}, {"a": 1.0}) is None
    assert metrics.composition_variance({"a": 0.0}, {"a": 1.0}) is None


@pytest.mark.parametrize(("variance", "grade"), [(0, "A"), (4.99, "A"), (5, "B"), (9.99, "B"), (10, "C"),
                                                 (14.99, "C"), (15, "D"), (80, "D")])
def test_pefa_grade_bands(variance, grade):
    assert metrics.pefa_grade(variance) == grade


def test_pairs_of_documents():
    older = {"document": {"year": 2022, "kind": "final"}, "facts": {"revenue_total": 1.0}, "findings": []}
    worse = {"document": {"year": 2022, "kind": "final"}, "facts": {"revenue_total": 1.0},
             "findings": [{"severity": "error"}]}
    docs = [BUDGET, FINAL_SAME_YEAR, worse, older]
    assert metrics.previous_document(docs, FINAL_SAME_YEAR) is older  # fewer errors wins
    assert metrics.previous_document(docs, BUDGET) is None  # no 2022 budget
    assert metrics.matching_budget(docs, FINAL_SAME_YEAR) is BUDGET
    assert metrics.budget_final_pairs(docs) == [(BUDGET, FINAL_SAME_YEAR)]


# --- year over year -------------------------------------------------------------------------------

def test_yoy_from_the_documents_own_prior_year():
    yoy = metrics.yoy_table(seed(FINAL)).set_index("key")
    assert set(yoy["basis"]) == {"prior_year"}
    assert yoy.loc["grand_total", "change"] == -601.12  # 1,033.18 − 1,634.30
    assert r2(yoy.loc["grand_total", "change_pct"]) == -36.78  # as the report prints
    assert yoy.loc["general_budget_expenditure", "change"] == -630.95
    assert r2(yoy.loc["general_budget_expenditure", "change_pct"]) == -38.61
    assert yoy.loc["office_operation", "change"] == 0.64
    assert list(yoy.index[:2]) == ["grand_total", "revenue_total"]  # the order of a 情况说明
    yoy = metrics.yoy_table(seed(CHANGJI)).set_index("key")
    assert yoy.loc["general_budget_revenue", "change"] == -169.5  # 147.16 − 316.66
    assert r2(yoy.loc["general_budget_revenue", "change_pct"]) == -53.53
    assert r2(yoy.loc["basic_expenditure", "change_pct"]) == 16.19  # 20.50 / 126.66
    assert r2(yoy.loc["project_expenditure", "change_pct"]) == 39.25  # 74.58 / 190.00
    assert r2(yoy.loc["office_operation", "change_pct"]) == 5.64  # 0.59 / 10.47 (the report: 5.64 %)
    yoy = metrics.yoy_table(seed(SHANGDANG)).set_index("key")
    assert yoy.loc["grand_total", "change"] == -467.16 and r2(yoy.loc["grand_total", "change_pct"]) == -52.48


def test_yoy_from_two_documents_of_consecutive_years():
    previous = {"document": {"year": 2022, "kind": "budget"}, "facts": {"revenue_total": 100.0, "staff_actual": 10},
                "function_totals": {"201": 80.0}}
    current = {"document": {"year": 2023, "kind": "budget"},
               "facts": {"revenue_total": 110.0, "grand_total": 120.0, "staff_actual": 12},
               "function_totals": {"201": 90.0, "205": 5.0},
               "prior_year": {"grand_total": 100.0, "revenue_total": 999.0}}
    yoy = metrics.yoy_table(current, previous)
    facts = yoy[yoy["key"] != "class"].set_index("key")
    assert facts.loc["revenue_total", "basis"] == "document"  # the previous document wins …
    assert facts.loc["revenue_total", "change"] == 10.0 and facts.loc["revenue_total", "change_pct"] == 10.0
    assert facts.loc["grand_total", "basis"] == "prior_year"  # … the narrative fills what it lacks
    assert facts.loc["grand_total", "change_pct"] == 20.0
    assert facts.loc["staff_actual", "change"] == 2.0
    classes = yoy[yoy["key"] == "class"].set_index("code")
    assert classes.loc["201", "change"] == 10.0 and classes.loc["201", "change_pct"] == 12.5
    assert classes.loc["205", "change"] == 5.0 and math.isnan(classes.loc["205", "change_pct"])
    assert metrics.yoy_value(yoy, "class", "201").percent == 12.5
    assert metrics.yoy_value(yoy, "vehicles") is None


# --- findings and headline figures -------------------------------------------------------------------

def test_findings_counts_and_badge():
    doc = {"findings": [{"severity": "error"}, {"severity": "info"}, {"severity": "info"}]}
    assert metrics.findings_counts(doc) == {"error": 1, "warning": 0, "info": 2}
    assert metrics.quality_badge({"error": 1}) == "error"
    assert metrics.quality_badge({"error": 0, "warning": 2}) == "warning"
    assert metrics.quality_badge({"info": 3}) == "ok"


def test_key_figures_and_headline_total():
    kf = metrics.key_figures(seed(FINAL))
    assert kf["expenditure_total"] == 1033.18 and r2(kf["basic_share"]) == 72.54
    assert kf["procurement_sme_share"] == 100.0 and kf["staff_control_rate"] is None
    assert metrics.headline_total(seed(FINAL)) == ("expenditure_total", 1033.18)
    assert metrics.headline_total(seed(PERF)) == ("expenditure_total", 510.63)
    assert metrics.headline_total({"facts": {"budget_initial": 3.0}}) == ("budget_initial", 3.0)


# --- on the processed seeds (what the notebooks read) -------------------------------------------------

@pytest.fixture(scope="module")
def seed_units(tmp_path_factory):
    return units.load_units(seed_processed(tmp_path_factory))


def test_metrics_on_the_processed_seeds(seed_units):
    by_id = {u.unit_id: u for u in seed_units}
    final = by_id["长治市中小企业服务中心"].latest
    assert r2(metrics.expenditure_structure(final)["basic_share"]) == 72.54
    assert r2(metrics.yoy_value(metrics.yoy_table(final), "grand_total").percent) == -36.78
    changji = by_id["changji-sme-bureau"].latest
    assert r2(metrics.staff_control_rate(changji)) == 81.82
    frame = metrics.document_frame(seed_units)
    assert len(frame) == 4 and frame["latest"].all()
    row = frame.set_index("doc_id").loc["000_2dcbd3ad2c52b1d0"]
    assert r2(row["grand_total_change_pct"]) == -36.78 and row["findings_error"] >= 1
    rules = metrics.rule_counts(seed_units)
    assert {"rule", "severity", "findings", "documents"} <= set(rules.columns) and len(rules)
