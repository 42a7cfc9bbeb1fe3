"""Identities inside one table: 类 = Σ款 = Σ项, 合计 = Σ类, row totals, the 收支总表's two sides."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..canonical import CanonicalTable
from ..registry import normalise_label
from .base import MEASURE_NAMES, Context, Issue, Row, diff_severity, evidence, measure_name, rule
from .tables import (
    EXPENDITURE_ROWS,
    INCOME_ROWS,
    class_rows,
    cost_group_tops,
    find_row,
    function_class_of,
    hierarchy,
    is_income_side,
    layout,
    norm,
    ordinal_level,
    side_rows,
    top_level,
    total_rows,
)

CLASSIFIED_LAYOUTS = {"classified", "items"}
ROW_SUM_LAYOUTS = {"classified", "items", "summary"}


def rounding_note(ctx: Context, t: CanonicalTable | None, n: int) -> str:
    """The “within rounding” tail of an info message."""
    unit = ctx.unit(t)
    half = "0.005万元" if unit == "万元" else "0.5元"
    return f"，在尾数误差范围内（{n}项×{half}）"


def sum_issue(ctx: Context, t: CanonicalTable, whole: Row, measure: str, parts: list[Row], what: str,
              rule_rows: list[Row] | None = None) -> Issue | None:
    """Compare a row's printed figure with the sum of other rows' figures in one measure."""
    wv = whole.values.get(measure)
    if any(r.partial and measure not in r.values for r in (whole, *parts)):
        return None  # a figure the text layer did not place: the sum is not known
    kv = [(p, p.values[measure]) for p in parts if measure in p.values]
    if (wv is None and not kv) or not whole.values:
        return None  # nothing printed, or a whole row printed blank (a heading, or figures lost in extraction)
    s = sum(v for _, v in kv)
    printed = [ctx.printed(p, measure) for p, _ in kv]
    tol = ctx.cells_tolerance((p, measure) for p, _ in kv)
    printed.append(ctx.printed(whole, measure))
    d = (wv or 0.0) - s
    sev = diff_severity(d, tol)
    if sev is None:
        return None
    msg = (f"{ctx.table_name(t)}中{ctx.cell(whole, measure)}{ctx.quote(whole, measure)}，{what}之和为"
           f"{ctx.money(s, t, printed)}，相差{ctx.money(abs(d), t, printed)}")
    if sev == "info":
        msg += rounding_note(ctx, t, len(kv))
    elif not kv:
        sev = "warning"  # every part blank while the whole is printed: figures lost in extraction, or omitted
        msg += "（各分项该栏均为空白）"
    rows = [whole] + (rule_rows if rule_rows is not None else [p for p, _ in kv])
    return Issue(msg, evidence(tables=[t.id], rows=[r.display for r in rows], values=[wv or 0.0, s],
                               lines=[r.line for r in rows], measure=measure), sev)


def _measures(rows: list[Row]) -> list[str]:
    order = list(MEASURE_NAMES)
    ms = {m for r in rows for m in r.values}
    return sorted(ms, key=lambda m: (order.index(m) if m in order else len(order), m))


def classified_tables(ctx: Context) -> list[CanonicalTable]:
    """Tables whose rows follow a classification (or named items)."""
    return [t for t in ctx.statement_tables() if layout(t) in CLASSIFIED_LAYOUTS]


def unreliable_measures(ctx: Context, t: CanonicalTable) -> set[str]:
    """Component columns no reading of the row totals explains (合计 ≠ any combination of them in many
    rows): their cells were most likely misplaced by the extraction, so sums over them prove nothing."""
    cache = ctx.cache.setdefault("unreliable", {})
    if id(t) in cache:
        return cache[id(t)]
    out: set[str] = set()
    rows = ctx.rows(t)
    for section in dict.fromkeys(r.section for r in rows):
        srows = [r for r in rows if r.section == section]
        present = {m for r in srows for m in r.values}
        cands = _candidates(present, "total") if "total" in present else []
        if not cands:
            continue
        fits = []
        for c in cands:
            results = [_row_ok(ctx, t, r, "total", c) for r in srows]
            ok, bad = sum(1 for x in results if x), sum(1 for x in results if x is False)
            fits.append(ok and bad <= max(2, (ok + bad) // 4))
        if not any(fits):
            out |= present - {"total"}
    cache[id(t)] = out
    return out


@rule("table.class_sum", "error", "类 = Σ款 = Σ项（每个金额栏）")
def class_sum(ctx: Context) -> Iterator[Issue]:
    """Every 类 and 款 equals the sum of its children, in every amount column."""
    for t in classified_tables(ctx):
        skip = unreliable_measures(ctx, t)
        for parent, kids, level in hierarchy(ctx, t):
            if not parent.values:
                continue  # a heading row that prints no amounts
            for m in _measures([parent, *kids]):
                if m in skip:
                    continue
                issue = sum_issue(ctx, t, parent, m, kids, f"各{level}")
                if issue:
                    yield issue


@rule("table.total_sum", "error", "合计 = Σ类")
def total_sum(ctx: Context) -> Iterator[Issue]:
    """A classified table's 合计 equals the sum of its 类 rows, per column and section."""
    for t in classified_tables(ctx):
        rows = ctx.rows(t)
        for section in dict.fromkeys(r.section for r in rows):
            srows = [r for r in rows if r.section == section]
            tops = top_level(ctx, srows)
            if not tops:
                continue
            skip = unreliable_measures(ctx, t)
            totals = total_rows(srows)
            for tot in totals:
                group = cost_group_tops(tot, rows)
                kids = tops if group is None else group
                for m in _measures([tot, *kids]):
                    if m in skip or _doubled(tot, kids, m) or (group is None and _parts_of_whole(totals, tops, m)):
                        continue
                    issue = sum_issue(ctx, t, tot, m, kids, "各类")
                    if issue:
                        yield issue


def _parts_of_whole(totals: list[Row], tops: list[Row], m: str) -> bool:
    """Several 合计 rows (人员经费合计, 公用经费合计) that together make Σ类: each totals a part of the
    table, not all its classes."""
    if len(totals) < 2:
        return False
    s = sum(r.values.get(m, 0.0) for r in tops)
    parts = sum(r.values.get(m, 0.0) for r in totals)
    return abs(s - parts) <= 0.005 * (len(tops) + len(totals)) + 1e-6


def _doubled(tot: Row, tops: list[Row], m: str) -> bool:
    """Σ类 exactly twice the 合计: the classes are listed twice (two classifications side by side)."""
    v = tot.values.get(m)
    s = sum(r.values.get(m, 0.0) for r in tops)
    return bool(v) and abs(s - 2 * v) <= 0.005 * len(tops) + 1e-6


# --- row totals ---------------------------------------------------------------------------

EXPENDITURE_PARTS = ["basic", "project", "remit_upper", "operating_expenditure", "subsidy_affiliated", "reserve"]
FUND_PARTS = ["general_budget", "gov_fund", "state_capital"]
NONFISCAL_INCOME = ["upper_subsidy", "business_revenue", "operating_revenue", "affiliated_revenue", "other_revenue",
                    "special_account", "unit_funds"]
CARRY = ["carryover", "carryover_2", "fiscal_carryover", "nonfiscal_carryover", "carryover_begin"]


def _known(m: str) -> bool:
    return m.split("_2")[0] in MEASURE_NAMES or m in MEASURE_NAMES


def _candidates(present: set[str], total: str) -> list[list[str]]:
    """Candidate sets of component columns for a row total, most specific first."""
    unknown = sorted(m for m in present if not _known(m))
    if total == "fiscal":
        raw = [FUND_PARTS, FUND_PARTS + unknown]
    else:
        raw = [EXPENDITURE_PARTS, ["personnel", "public"], ["current_year", "carryover"],
               ["fiscal", *NONFISCAL_INCOME, *CARRY], [*FUND_PARTS, *NONFISCAL_INCOME, *CARRY],
               ["fiscal", *NONFISCAL_INCOME], [*FUND_PARTS, *NONFISCAL_INCOME],
               sorted(m for m in present if m != total and _known(m)), sorted(m for m in present if m != total)]
    out: list[list[str]] = []
    for c in raw:
        cc = [m for m in c if m in present and m != total]
        if cc and cc not in out:
            out.append(cc)
    return out


def _row_ok(ctx: Context, t: CanonicalTable, r: Row, total: str, parts: list[str]) -> bool | None:
    tv = r.values.get(total)
    pv = [(m, r.values[m]) for m in parts if m in r.values]
    if (tv is None and not pv) or r.partial:
        return None
    tol = ctx.cells_tolerance((r, m) for m, _ in pv)
    return abs((tv or 0.0) - sum(v for _, v in pv)) <= tol + 1e-6


def _row_identity(ctx: Context, t: CanonicalTable, rows: list[Row], total: str) -> Iterator[Issue]:
    present = {m for r in rows for m in r.values}
    if total not in present:
        return
    cands = _candidates(present, total)
    if not cands:
        return
    best: tuple[int, list[str]] | None = None
    for c in cands:
        results = [_row_ok(ctx, t, r, total, c) for r in rows]
        ok = sum(1 for x in results if x)
        bad = sum(1 for x in results if x is False)
        score = ok - bad
        # A structure that leaves many rows unbalanced is not this table's structure (or its columns
        # were misread): check rows only under a reading that most rows satisfy.
        if ok and bad <= max(2, (ok + bad) // 4) and (best is None or score > best[0]):
            best = (score, c)
    if best is None:
        return
    parts = best[1]
    what = "+".join(measure_name(m) for m in parts) if len(parts) > 1 else f"{measure_name(parts[0])}栏"
    known = any(_known(m) for m in parts)
    for r in rows:
        pv = [(m, r.values[m]) for m in parts if m in r.values]
        if (total not in r.values or not known) and not pv or r.partial:
            continue  # nothing printed; blanks in columns of unknown meaning, or cells the text layer lost
        printed = [ctx.printed(r, m) for m, _ in pv]
        s = sum(v for _, v in pv)
        tv = r.values.get(total, 0.0)
        d = tv - s
        sev = diff_severity(d, ctx.cells_tolerance((r, m) for m, _ in pv))
        printed.append(ctx.printed(r, total))
        if sev is None:
            continue
        msg = (f"{ctx.table_name(t)}中{ctx.cell(r, total)}{ctx.quote(r, total)}，{what}之和为{ctx.money(s, t, printed)}，"
               f"相差{ctx.money(abs(d), t, printed)}")
        if sev == "info":
            msg += rounding_note(ctx, t, len(pv))
        yield Issue(msg, evidence(tables=[t.id], rows=[r.display], values=[tv, s], lines=[r.line],
                                  measure=total, parts=parts), sev)


@rule("table.row_sum", "error", "每行合计 = 各来源/各用途栏之和")
def row_sum(ctx: Context) -> Iterator[Issue]:
    """Each row's total equals its component columns (the reading most rows satisfy)."""
    for t in ctx.statement_tables():
        if layout(t) not in ROW_SUM_LAYOUTS:
            continue
        rows = ctx.rows(t)
        for section in dict.fromkeys(r.section for r in rows):
            srows = [r for r in rows if r.section == section]
            yield from _row_identity(ctx, t, srows, "total")
            yield from _row_identity(ctx, t, srows, "fiscal")


# --- the 收支总表 ----------------------------------------------------------------------------

SUMMARY_IDS = ("income_expenditure_summary", "fiscal_summary")


def _summary_tables(ctx: Context) -> list[CanonicalTable]:
    return [t for t in (ctx.table(i) for i in SUMMARY_IDS) if t is not None and len(t.frame)]


def _side_identity(ctx: Context, t: CanonicalTable, side_rows_: list[Row], names: dict[str, list[str]],
                   head: str, parts: list[str], what: str) -> Iterator[Issue]:
    grand = find_row(side_rows_, names["grand"])
    first = find_row(side_rows_, names[head])
    if grand is None or first is None or first is grand:
        return
    addends = [first] + [r for r in (find_row(side_rows_, names[p]) for p in parts) if r is not None]
    at = side_rows_.index(first)
    addends += [r for r in side_rows_[at + 1:side_rows_.index(grand)] if r.values and r not in addends
                and find_row([r], names.get("after_total", [])) is not None]
    for m in [m for m in _measures([grand, *addends]) if m in grand.values or any(m in a.values for a in addends)]:
        issue = sum_issue(ctx, t, grand, m, addends, what)
        if issue:
            yield issue


@rule("summary.balance", "error", "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；支出总计 = 本年支出合计 + 结余分配 + "
      "年末结转和结余；收入总计 = 支出总计")
def summary_balance(ctx: Context) -> Iterator[Issue]:
    """The 收支总表's two sides: 总计 = 本年合计 + 结余/结转 lines, and 收入总计 = 支出总计."""
    for t in _summary_tables(ctx):
        inc = side_rows(ctx, t, "income")
        exp = side_rows(ctx, t, "expenditure")
        yield from _side_identity(ctx, t, inc, INCOME_ROWS, "revenue", ["nonfiscal", "carry_begin"],
                                  "本年收入合计、使用非财政拨款结余与年初结转和结余")
        yield from _side_identity(ctx, t, exp, EXPENDITURE_ROWS, "expenditure", ["distribution", "carry_end"],
                                  "本年支出合计、结余分配与年末结转和结余")
        gi = find_row(inc, INCOME_ROWS["grand"])
        ge = find_row(exp, EXPENDITURE_ROWS["grand"])
        if gi is None or ge is None:
            continue
        iv, ev = gi.values.get("total"), ge.values.get("total")
        if iv is None and ev is None:
            continue
        pi, pe = ctx.printed(gi, "total"), ctx.printed(ge, "total")
        d = (iv or 0.0) - (ev or 0.0)
        sev = diff_severity(d, ctx.tolerance(t, [pe]))
        if sev is None:
            continue
        msg = (f"{ctx.table_name(t)}中收入总计{ctx.quote(gi, 'total')}，支出总计{ctx.quote(ge, 'total')}，"
               f"相差{ctx.money(abs(d), t, [pi, pe])}")
        if sev == "error" and (iv is None or ev is None):
            sev = "warning"  # a 总计 printed blank: its figure lost in extraction, or omitted
            msg += "（一方总计为空白）"
        yield Issue(msg, evidence(tables=[t.id], rows=["收入总计", "支出总计"], values=[iv or 0.0, ev or 0.0],
                                  lines=[gi.line, ge.line]), sev)


@rule("summary.items", "error", "收支总表：各收入项目之和 = 本年收入合计；各功能分类支出之和 = 本年支出合计")
def summary_items(ctx: Context) -> Iterator[Issue]:
    """收支总表 items add up: income items to 本年收入合计, function classes to 本年支出合计."""
    for t in _summary_tables(ctx):
        inc = side_rows(ctx, t, "income")
        exp = side_rows(ctx, t, "expenditure")
        yield from _income_items(ctx, t, inc)
        # Expenditure side: the function classes add up to 本年支出合计 (or 支出总计 less 年末结转).
        classes = class_rows(exp)
        seen: set[str] = set()
        classes = [r for r in classes if not (function_class_of(r) in seen or seen.add(function_class_of(r)))]
        if not classes:
            continue
        whole = find_row(exp, EXPENDITURE_ROWS["expenditure"])
        if whole is None:
            grand = find_row(exp, EXPENDITURE_ROWS["grand"])
            end = find_row(exp, EXPENDITURE_ROWS["carry_end"])
            dist = find_row(exp, EXPENDITURE_ROWS["distribution"])
            if grand is None or any(r is not None and any(r.values.values()) for r in (end, dist)):
                continue
            whole = grand
        skip = unreliable_measures(ctx, t)
        for m in _measures([whole, *classes]):
            if m in skip:
                continue
            issue = sum_issue(ctx, t, whole, m, classes, "各功能分类支出")
            if issue:
                yield issue


def _income_items(ctx: Context, t: CanonicalTable, inc: list[Row]) -> Iterator[Issue]:
    revenue = find_row(inc, INCOME_ROWS["revenue"])
    grand = find_row(inc, INCOME_ROWS["grand"])
    level1 = [r for r in inc if ordinal_level(r) == 1]
    whole = None
    if revenue is not None and ordinal_level(revenue) == 0:
        whole = revenue  # 一、… 二、… 本年收入合计
    elif revenue is None and grand is not None:
        whole = grand  # 一、财政拨款 … 收入总计 (no 本年收入合计 line)
    if whole is not None:
        items = [r for r in level1 if r.row < whole.row]
        issue = sum_issue(ctx, t, whole, "total", items, "各收入项目") if items else None
        if issue:
            yield issue
    # Numbered sub-items (1. 2. …) under an ordinal item (一、).
    for i, parent in enumerate(inc):
        if ordinal_level(parent) != 1 or not parent.values:
            continue
        kids = []
        for r in inc[i + 1:]:
            lv = ordinal_level(r)
            if lv == 1 or not is_income_side(r) or (r.name and r.name in INCOME_ROWS["grand"]) \
                    or (lv == 0 and r.values and _is_income_total_or_carry(r)):
                break  # (上年结余、结转 | 1.财政拨款结余、结转 after 5.其他收入 are the carry-over's parts)
            if lv == 2:
                kids.append(r)
        if kids:
            issue = sum_issue(ctx, t, parent, "total", kids, "各分项")
            if issue:
                yield issue


def _is_income_total_or_carry(r: Row) -> bool:
    """A 收支总表 income row that closes the list of revenue items: a total or a carry-over row."""
    n = norm(r.name)
    return any(n == normalise_label(a) for key in ("revenue", "grand", "carry_begin", "nonfiscal")
               for a in INCOME_ROWS[key]) or bool(re.search(r"结转|结余", n))
