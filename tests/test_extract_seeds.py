"""Extraction of the seeds against figures read off the reports by hand (tests/expected/seeds)."""

from __future__ import annotations

import pytest

from conftest import SEEDS, expected_seed


def _close(a, b) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-6
    return a == b


@pytest.mark.parametrize("name", SEEDS)
def test_document_identity(seed_results, name):
    expected = expected_seed(name)["document"]
    got = seed_results[name].to_json()["document"]
    for key in ("unit", "year", "kind", "currency_unit", "source_currency_unit"):
        assert got[key] == expected[key], key


@pytest.mark.parametrize("name", [s for s in SEEDS if expected_seed(s)["document"]["kind"] != "performance"])
@pytest.mark.parametrize("section", ["facts", "function_totals", "prior_year"])
def test_budget_and_final_figures(seed_results, name, section):
    expected = expected_seed(name).get(section, {})
    got = seed_results[name].to_json()[section]
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if not _close(v, got.get(k))}
    extra = {k: got[k] for k in got if k not in expected}
    assert not wrong, f"expected vs got: {wrong}"
    assert not extra, f"keys the report does not print: {extra}"


def test_function_totals_sum_to_expenditure(seed_results):
    for name, r in seed_results.items():
        if r.kind == "performance":
            continue
        total = sum(r.function_totals.values())
        assert abs(total - r.facts.get("expenditure_total")) <= 0.005 * len(r.function_totals) + 1e-9, name


def test_canonical_tables_are_tidy(seed_results):
    r = seed_results["000_2dcbd3ad2c52b1d0.txt"]
    frame = r.tables_frame()
    assert list(frame.columns) == ["table_id", "section", "row", "code", "level", "name", "label", "measure",
                                   "value", "line"]
    exp = frame[frame.table_id == "expenditure"]
    row = exp[(exp.code == "2080505") & (exp.measure == "total")].iloc[0]
    assert row.level == "项" and row["name"] == "机关事业单位基本养老保险缴费支出" and row.value == 58.46
    # Names wrapped inside cells are joined: 社会保障和就 业支出 → 社会保障和就业支出.
    assert "社会保障和就业支出" in set(exp.name)
    # The side-by-side summary became two logical row sets.
    summary = frame[frame.table_id == "income_expenditure_summary"]
    assert {"income", "expenditure"} <= set(summary.section)
    # Split 类/款/项 columns become full codes (seed 003).
    f3 = seed_results["003_159abbecd5886f59.txt"].tables_frame()
    assert {"2011350", "20805", "208"} <= set(f3[f3.table_id == "expenditure"].code.dropna())
    # The four 人员经费/公用经费 column blocks of 公开06表 become sections.
    basic = frame[frame.table_id == "basic_expenditure"]
    assert {"personnel", "public"} <= set(basic.section)


def test_empty_tables_are_disclosed_but_zero(seed_results):
    r = seed_results["000_2dcbd3ad2c52b1d0.txt"]
    tables = {t["id"]: t for t in r.to_json()["tables"]}
    assert tables["gov_fund"]["empty"] and tables["three_public"]["empty"]
    assert r.facts.get("three_public_total") == 0


def test_every_fact_has_provenance(seed_results):
    for r in seed_results.values():
        j = r.to_json()
        assert set(j["facts"]) <= set(j["provenance"])
