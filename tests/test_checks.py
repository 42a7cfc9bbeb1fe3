"""The validator (budgetlens.checks): the seeds' real inconsistencies are reported, rounding is not,
messages quote printed figures, and each rule family fires on a small edit of a seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from budgetlens.checks import RULES, Finding, format_findings, rule, rule_table, run_checks
from budgetlens.checks.base import Issue
from budgetlens.checks.faults import false_alarms, matches_inconsistency
from budgetlens.extract import extract
from conftest import RAW, SEEDS, expected_seed

S000 = "000_2dcbd3ad2c52b1d0.txt"
S001 = "001_2dda58e37cec2b7a.txt"
S003 = "003_159abbecd5886f59.txt"
S004 = "004_f2bc4dd2dc88ab43.txt"
BAD = ("error", "warning")


@pytest.fixture(scope="module")
def checked(seed_results) -> dict[str, list[dict]]:
    return {name: [f.to_json() for f in run_checks(r, strict=True)] for name, r in seed_results.items()}


def _has(findings: list[dict], rule_id: str, values: list[float], severities=BAD) -> bool:
    for f in findings:
        if f["rule"] != rule_id or f["severity"] not in severities:
            continue
        got = f["evidence"].get("values", [])
        if all(any(abs(v - g) <= 0.0051 for g in got) for v in values):
            return True
    return False


def edited(tmp_path: Path, name: str, edits: dict[int, tuple[str, str] | None]):
    """Extract a seed with some lines edited: {line: (old, new)} replaces in that 1-based line, None deletes it."""
    lines = (RAW / name).read_text(encoding="utf-8").split("\n")
    out = []
    for i, text in enumerate(lines, start=1):
        if i in edits:
            if edits[i] is None:
                continue
            old, new = edits[i]
            assert old in text, (i, old, text)
            text = text.replace(old, new, 1)
        out.append(text)
    path = tmp_path / name
    path.write_text("\n".join(out), encoding="utf-8")
    return extract(path)


def _new(before: list[dict], after) -> list[dict]:
    seen = {(f["rule"], f["message"]) for f in before}
    return [f.to_json() for f in run_checks(after, strict=True)
            if (f.rule, f.message) not in seen and f.severity in BAD]


# --- the seeds ---------------------------------------------------------------------------------------

REAL = [
    (S000, "cross.fiscal_vs_state_capital", [29.83, 23.04]),  # 公开08表 23.04 vs 公开04表 29.83
    (S000, "narrative.direction", [0.11, 100]),  # "增加0.11万元，下降100%"
    (S000, "narrative.percent", [29.83, 0.11, 100]),  # 0.11/29.72 = 0.37%, not 100%
    (S000, "narrative.change_parts", [1634.30, 1664.02]),  # prior-year parts exceed the whole
    (S000, "narrative.items_sum", [1003.35, 1003.88]),  # 559.93+4.82+… = 1,003.88
    (S000, "narrative.percent", [93.398, 283.69, 31.8]),  # 93.398/283.69 = 32.92%
    (S000, "narrative.project_funds", [93.398, 95.589, 94.404]),
    (S000, "narrative.list_count", [10, 9]),  # 内设机构10个, nine listed
    (S003, "narrative.restated", [259.58, 259.98]),
    (S003, "cross.fiscal_vs_summary", [147.16, 152.16]),  # 财政拨款结转 5.00 missing from 表4
    (S004, "narrative.none_but_table", [0, 15.56]),  # "本单位无机关运行经费" vs 15.56
    (S004, "narrative.count_times_amount", [10, 10, 120]),  # 目标10户 × 每户10万元 ≠ 共计120万元
    (S001, "narrative.items_sum", [526.64, 526.80]),
    (S001, "narrative.items_sum", [510.63, 510.47]),
    (S001, "narrative.arithmetic", [756.7, 756.1]),
    (S001, "narrative.amount_mismatch", [526.64, 510.63]),
    (S001, "narrative.amount_mismatch", [35.8, 29.8]),
]


@pytest.mark.parametrize(("name", "rule_id", "values"), REAL)
def test_real_inconsistency_is_reported(checked, name, rule_id, values):
    assert _has(checked[name], rule_id, values), [f["message"] for f in checked[name] if f["rule"] == rule_id]


def test_missing_gov_fund_table_of_003(checked):
    f = [x for x in checked[S003] if x["rule"] == "completeness.missing_table"]
    assert len(f) == 1 and f[0]["severity"] == "warning" and f[0]["evidence"]["missing"] == "gov_fund"
    assert "政府性基金" in f[0]["message"] and 30 in f[0]["evidence"]["lines"]  # the 目录 names it


# Hand-read inconsistencies no rule sees: 001 #6 (印刷费4.5万元 inside a project form's prose vs its 4.08).
# (001 #3, 2019 figures in a 2020 evaluation, is matched only through the related
# "本年预算收入526.64万元 ≠ 510.63" finding.)
KNOWN_GAPS = {(S001, 6)}


def test_every_hand_read_inconsistency_is_reported_but_the_known_gaps(checked):
    missed = set()
    for name in SEEDS:
        bad = [f for f in checked[name] if f["severity"] in BAD]
        for i, inc in enumerate(expected_seed(name)["inconsistencies"]):
            if not any(matches_inconsistency(f, [inc]) for f in bad):
                missed.add((name, i))
    assert missed == KNOWN_GAPS


def test_no_false_alarms_on_the_seeds(checked):
    for name in SEEDS:
        assert false_alarms(checked[name], expected_seed(name)["inconsistencies"]) == [], name


def test_rounding_only_differences_are_at_most_info(checked):
    for name in SEEDS:
        bad = [f for f in checked[name] if f["severity"] in BAD]
        for item in expected_seed(name).get("rounding_only", []):
            vals = item["values"]
            for f in bad:
                got = f["evidence"].get("values", [])
                shared = sum(1 for v in vals if any(abs(v - g) <= 0.0051 for g in got))
                assert shared < 2, (name, item["description"][:40], f["message"])


def test_rounding_differences_are_reported_as_info(checked):
    info = [f for f in checked[S000] if f["severity"] == "info" and f["rule"] == "table.class_sum"]
    f = next(f for f in info if "205教育支出合计84.95万元" in f["message"] and "支出决算表" in f["message"])
    assert "各款之和为84.94万元" in f["message"] and "尾数误差" in f["message"]
    assert _has(checked[S004], "table.class_sum", [114.77, 114.75], ("info",))  # 8 × 0.005 ≥ 0.02
    assert _has(checked[S004], "table.total_sum", [422.96, 422.94], ("info",))  # 4 × 0.005 = 0.02, the limit
    assert _has(checked[S003], "narrative.percent", [10.84, 147.16, 7.35], ("info",))  # shares nudged to 100%


def test_messages_quote_printed_figures(checked):
    f = next(f for f in checked[S000] if f["rule"] == "cross.fiscal_vs_state_capital")
    assert "29.83万元" in f["message"] and "23.04万元" in f["message"] and "相差6.79万元" in f["message"]
    assert set(f["evidence"]) >= {"tables", "rows", "values", "lines"}
    assert f["evidence"]["tables"] == ["fiscal_summary", "state_capital"]
    d = next(f for f in checked[S000] if f["rule"] == "narrative.direction")
    assert "增加0.11万元，下降100%" in d["message"] and d["evidence"]["lines"] == [526]


def test_extraction_carries_the_findings(seed_results):
    findings = seed_results[S000].findings
    assert any(f["rule"] == "cross.fiscal_vs_state_capital" and f["severity"] == "error" for f in findings)
    assert all(set(f) == {"rule", "severity", "message", "evidence"} for f in findings)


def test_performance_findings_are_kept(checked):
    grades = [f for f in checked[S001] if f["rule"] == "performance.grade_band"]
    assert len(grades) == 4  # 综合得分 ≥ 90 graded 差
    assert any(f["rule"] == "performance.count_mismatch" for f in checked[S004])


# --- rules on small edits of the seeds ---------------------------------------------------------------


def test_class_sum_message(tmp_path, checked):
    r = edited(tmp_path, S000, {182: ("213.48\t213.48", "211.48\t213.48")})  # 20805 in 支出决算表
    new = _new(checked[S000], r)
    msgs = [f["message"] for f in new if f["rule"] == "table.class_sum"]
    assert "支出决算表（公开03表）中208社会保障和就业支出合计217.77万元，各款之和为215.77万元，相差2.00万元" in msgs
    assert any(f["rule"] == "table.row_sum" for f in new)  # 211.48 ≠ 213.48 + 0


def test_summary_balance(tmp_path, checked):
    r = edited(tmp_path, S000, {109: ("31\t1,033.18", "31\t1,043.18")})
    new = _new(checked[S000], r)
    assert any(f["rule"] == "summary.balance" and "1,043.18万元" in f["message"] for f in new)


def test_yuan_tables_use_their_printed_precision(tmp_path):
    """The 预算支出总表 of 004 printed in 元 (its 合计 made the exact Σ 类, as a 元 table would print it):
    no within-table finding; 2元 off over three 项 (> 3 × 0.5元) is an error quoting 元."""
    lines = (RAW / S004).read_text(encoding="utf-8").split("\n")
    start = lines.index("2025年预算支出总表")
    unit = next(i for i in range(start, start + 8) if lines[i] == "单位：万元")
    lines[unit] = "单位：元"
    i = unit + 1
    while not lines[i].startswith("合计"):
        i += 1
    total_line = i
    lines[total_line] = "合计\t\t422.94\t140.82\t282.12"  # Σ 类 exactly
    while lines[i].strip():
        cells = lines[i].split("\t")
        lines[i] = "\t".join(f"{round(float(c) * 10000):,}" if re.fullmatch(r"\d+\.\d\d", c) else c for c in cells)
        i += 1
    path = tmp_path / S004
    path.write_text("\n".join(lines), encoding="utf-8")
    clean = extract(path)
    assert clean.table("expenditure").source_currency == "元"
    base = [f.to_json() for f in run_checks(extract(RAW / S004), strict=True)]
    within = [f for f in _new(base, clean) if f["rule"].startswith(("table.", "summary."))]
    assert within == []
    k = next(j for j, x in enumerate(lines) if x.startswith("2150801\t行政运行\t963,500"))
    lines[k] = lines[k].replace("963,500\t963,500", "963,502\t963,502")
    path.write_text("\n".join(lines), encoding="utf-8")
    new = _new(base, extract(path))
    f = next(f for f in new if f["rule"] == "table.class_sum")
    assert "3,784,700元" in f["message"] and "3,784,702元" in f["message"] and "相差2元" in f["message"]


def test_three_public_items_in_columns(tmp_path, checked):
    """The 决算 三公 table (items as columns under 预算数/决算数): 决算 合计 ≠ Σ items."""
    row = "10.00\t2.00\t5.00\t1.00\t4.00\t3.00\t9.50\t1.50\t4.50\t0.50\t4.00\t3.00"
    r = edited(tmp_path, S000, {405: ("", row), 408: ("说明：本表无数据", "")})
    new = _new(checked[S000], r)
    f = [x for x in new if x["rule"] == "cross.three_public_items"]
    assert len(f) == 1 and "决算数" in f[0]["message"] and "9.50万元" in f[0]["message"]


def test_codes(tmp_path, checked):
    r = edited(tmp_path, S000, {178: ("2050201", "2060201")})
    new = _new(checked[S000], r)
    assert any(f["rule"] == "codes.parent" and "2060201" in f["message"] for f in new)
    r = edited(tmp_path, S000, {178: ("学前教育", "小学教育")})
    new = _new(checked[S000], r)
    assert any(f["rule"] == "codes.name_conflict" and "2050201" in f["message"] for f in new)


def test_undeclared_empty_table(tmp_path, checked):
    r = edited(tmp_path, S000, {369: None})  # "说明：本表无数据" under 公开07表
    new = _new(checked[S000], r)
    assert "completeness.undeclared_empty" in [f["rule"] for f in new]


def test_missing_table(tmp_path, checked):
    lines = (RAW / S004).read_text(encoding="utf-8").split("\n")
    start = lines.index("2025年一般公共预算支出预算表（不含上年结转）")
    end = lines.index("2025年一般公共预算安排基本支出分经济科目表（不含上年结转）")
    r = edited(tmp_path, S004, dict.fromkeys(range(start + 1, end + 1)))
    new = _new(checked[S004], r)
    assert any(f["rule"] == "completeness.missing_table" and f["evidence"]["missing"] == "general_budget_expenditure"
               for f in new)


def test_narrative_amount_and_share(tmp_path, checked):
    r = edited(tmp_path, S000, {470: ("749.49万元", "759.49万元")})
    new = _new(checked[S000], r)
    assert any(f["rule"] == "narrative.amount_mismatch" and "759.49万元" in f["message"] for f in new)
    r = edited(tmp_path, S000, {470: ("72.54%", "75.54%")})
    new = _new(checked[S000], r)
    assert any(f["rule"] == "narrative.percent" and "75.54%" in f["message"] for f in new)


# --- the registry and the output -------------------------------------------------------------------------

ISSUE_RULES = {"table.class_sum", "table.total_sum", "table.row_sum", "summary.balance", "cross.fiscal_vs_general",
               "cross.fiscal_vs_state_capital", "cross.basic_vs_detail", "cross.three_public_items",
               "narrative.amount_mismatch", "narrative.percent", "narrative.direction", "narrative.none_but_table",
               "completeness.missing_table", "completeness.undeclared_empty", "codes.parent", "codes.name_conflict"}


def test_rule_registry():
    assert ISSUE_RULES <= set(RULES)
    for rid, r in RULES.items():
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", rid) and r.family == rid.split(".")[0]
        assert r.severity in ("error", "warning", "info") and r.title
    assert [x["id"] for x in rule_table()] == list(RULES)


def test_a_failing_rule_does_not_lose_the_document(seed_results):
    @rule("test.broken", "error", "always fails")
    def broken(ctx):
        raise RuntimeError("boom")
        yield Issue("never")

    try:
        out = run_checks(seed_results[S004])
        assert any(f.rule == "checks.internal" and "test.broken" in f.message for f in out)
        with pytest.raises(RuntimeError):
            run_checks(seed_results[S004], strict=True)
    finally:
        del RULES["test.broken"]


def test_format_findings(checked):
    text = format_findings(checked[S000])
    assert text.index("【错误】") < text.index("【警告】") < text.index("【提示】")
    assert "[cross.fiscal_vs_state_capital]" in text and "第251, 384行" in text
    objs = [Finding("x.y", "warning", "消息", {"lines": [3]})]
    assert "【警告】" in format_findings(objs) and "第3行" in format_findings(objs)
    assert "未发现问题" in format_findings([])


def test_count_times_amount_in_project_forms(tmp_path):
    """Seed 004's target form: 目标10户, 每户10万元, 共计120万元 — 10 × 10 is 100, not 120."""
    from budgetlens.extract import extract

    seed = RAW / "004_f2bc4dd2dc88ab43.txt"
    found = [f for f in extract(seed).findings if f["rule"] == "narrative.count_times_amount"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "10户" in found[0]["message"] and "120万元" in found[0]["message"]
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(seed.read_text(encoding="utf-8").replace("奖励资金共计120万元", "奖励资金共计100万元")
                     .replace("奖励金预算金额共计120万元", "奖励金预算金额共计100万元"), encoding="utf-8")
    assert not [f for f in extract(fixed).findings if f["rule"] == "narrative.count_times_amount"]
