"""Identities across tables: the 收支总表 vs the 收入表/支出表, the 财政拨款收支总表's fund columns vs the
一般公共预算/政府性基金/国有资本经营 tables, 基本支出 vs 人员经费 + 公用经费, 三公 items, 机关运行经费."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..canonical import CanonicalTable
from ..facts import THREE_PUBLIC_ITEMS
from ..numbers import parse_amount, to_wan
from ..registry import normalise_label
from .base import Context, Issue, Row, diff_severity, evidence, rule
from .tables import (
    CARRY_MEASURES,
    EXPENDITURE_ROWS,
    FISCAL_CARRY_ROWS,
    FUND_ROWS,
    INCOME_ROWS,
    SOURCE_ROWS,
    class_values,
    find_row,
    side_rows,
    table_is_empty,
    table_total,
    total_row,
)


@dataclass
class Fig:
    """A figure taking part in a cross-table comparison: value (万元), how it is quoted, where from."""

    value: float
    text: str
    where: str
    table: str | None = None
    row: str | None = None
    line: int | None = None
    tol: float = 0.005
    blank_row: bool = False  # the row prints no figure at all: not a statement of zero


def cell_fig(ctx: Context, r: Row, measure: str, where: str | None = None) -> Fig:
    """One printed cell as a comparison figure."""
    p = ctx.printed(r, measure)
    return Fig(value=r.values.get(measure, 0.0), text=ctx.quote(r, measure),
               where=where if where is not None else f"{ctx.table_name(r.table)}中{ctx.cell(r, measure)}",
               table=r.table.id, row=r.display, line=r.line, tol=ctx.half_unit(r.table, p) * r.parts, blank_row=not r.values)


def total_fig(ctx: Context, t: CanonicalTable, measure: str = "total", what: str = "合计") -> Fig | None:
    """A table's total (its 合计 row, Σ 类 rows, or 0 for a table marked empty)."""
    value, tr = table_total(ctx, t, measure)
    if value is None:
        return None
    if tr is not None:
        return cell_fig(ctx, tr, measure)
    if table_is_empty(t):
        return Fig(0.0, "0（本表无数据）", f"{ctx.table_name(t)}", t.id, None, t.line, 0.0)
    return Fig(value, ctx.money(value, t), f"{ctx.table_name(t)}中各类之和", t.id, "合计", t.line, 0.005 * 4)


def sum_fig(ctx: Context, rows: list[Row], measure: str, where: str) -> Fig:
    """The sum of some rows' cells as a comparison figure."""
    printed = [ctx.printed(r, measure) for r in rows if measure in r.values]
    t = rows[0].table if rows else None
    v = sum(r.values.get(measure, 0.0) for r in rows)
    return Fig(v, ctx.money(v, t, printed), where, t.id if t else None, "、".join(r.display for r in rows[:4]),
               rows[0].line if rows else None, ctx.cells_tolerance((r, measure) for r in rows if measure in r.values))


def compare(ctx: Context, a: Fig, b: Fig, severity: str = "error", note: str = "") -> Issue | None:
    """``a`` and ``b`` should be the same figure; within both roundings is at most ``info``."""
    if a.blank_row or b.blank_row:
        return None
    d = a.value - b.value
    sev = diff_severity(d, a.tol + b.tol)
    if sev is None:
        return None
    if sev == "error":
        sev = severity
    msg = f"{a.where}{a.text}，{b.where}{b.text}，相差{ctx.money(abs(d))}{note}"
    if sev == "info":
        msg += "，在尾数误差范围内"
    return Issue(msg, evidence(tables=[a.table, b.table], rows=[a.row, b.row], values=[a.value, b.value],
                               lines=[a.line, b.line]), sev)


def _exp_total_row(ctx: Context, t: CanonicalTable) -> Row | None:
    exp = side_rows(ctx, t, "expenditure")
    return find_row(exp, EXPENDITURE_ROWS["expenditure"]) or find_row(exp, EXPENDITURE_ROWS["grand"])


# --- the 收支总表 against the 收入表 and 支出表 -------------------------------------------------


@rule("cross.summary_vs_detail", "error", "收支总表与收入表、支出表的合计、各类及各来源一致")
def summary_vs_detail(ctx: Context) -> Iterator[Issue]:
    """The 收支总表 vs the 收入表 and 支出表: totals, sources, classes, 基本/项目支出."""
    s = ctx.table("income_expenditure_summary")
    if s is None or not len(s.frame):
        return
    inc_side = side_rows(ctx, s, "income")
    exp_side = side_rows(ctx, s, "expenditure")
    income = ctx.table("income")
    if income is not None and not table_is_empty(income):
        yield from _income_vs_summary(ctx, income, inc_side)
    exp = ctx.table("expenditure")
    if exp is not None and not table_is_empty(exp):
        yield from _expenditure_vs_summary(ctx, exp, exp_side)


def _income_vs_summary(ctx: Context, income: CanonicalTable, inc_side: list[Row]) -> Iterator[Issue]:
    tr = total_row(ctx, income)
    revenue = find_row(inc_side, INCOME_ROWS["revenue"])
    if tr is not None and revenue is not None and "total" in tr.values:
        carry = [m for m in tr.values if m.split("_2")[0] in CARRY_MEASURES]
        current = tr.values["total"] - sum(tr.values[m] for m in carry)
        a = cell_fig(ctx, revenue, "total")
        b = cell_fig(ctx, tr, "total")
        if carry:
            b = Fig(current, ctx.money(current, income), f"{ctx.table_name(income)}中合计扣除结转结余后", income.id,
                    tr.display, tr.line, 0.005 * (1 + len(carry)))
        grand = find_row(inc_side, INCOME_ROWS["grand"])
        g = grand.values.get("total") if grand is not None else None
        if abs(a.value - b.value) > a.tol + b.tol and abs(a.value - tr.values["total"]) <= a.tol + 0.005:
            pass  # this template's 收入表 合计 is the current year's revenue
        elif not carry and g is not None and abs(g - tr.values["total"]) <= a.tol + 0.005:
            pass  # this template's 收入表 合计 is the 收入总计 (its 上年结转 column not placed)
        else:
            issue = compare(ctx, a, b)
            if issue:
                yield issue
    if tr is None:
        return
    funds = {m: find_row(inc_side, FUND_ROWS[m]) for m in FUND_ROWS}
    for m, r in funds.items():
        if r is not None and m in {x for row in ctx.rows(income) for x in row.values}:
            issue = compare(ctx, cell_fig(ctx, r, "total"), cell_fig(ctx, tr, m))
            if issue:
                yield issue
    if "fiscal" in tr.values and all(r is not None for r in funds.values()):
        rows = [r for r in funds.values() if r is not None]
        a = sum_fig(ctx, rows, "total", f"{ctx.table_name(rows[0].table)}中一般公共预算、政府性基金、国有资本经营财政拨款收入之和")
        issue = compare(ctx, a, cell_fig(ctx, tr, "fiscal"))
        if issue:
            yield issue
    measures = {x for row in ctx.rows(income) for x in row.values}
    for m, aliases in SOURCE_ROWS.items():
        r = find_row(inc_side, aliases)
        if r is not None and m in measures:
            issue = compare(ctx, cell_fig(ctx, r, "total"), cell_fig(ctx, tr, m))
            if issue:
                yield issue


def _expenditure_vs_summary(ctx: Context, exp: CanonicalTable, exp_side: list[Row]) -> Iterator[Issue]:
    tr = total_row(ctx, exp)
    whole = find_row(exp_side, EXPENDITURE_ROWS["expenditure"])
    if whole is None:
        grand = find_row(exp_side, EXPENDITURE_ROWS["grand"])
        end = find_row(exp_side, EXPENDITURE_ROWS["carry_end"])
        whole = grand if grand is not None and (end is None or not end.values) else None
    fig = total_fig(ctx, exp)
    if whole is not None and fig is not None:
        issue = compare(ctx, cell_fig(ctx, whole, "total"), fig)
        if issue:
            yield issue
    s_classes = class_values(ctx, exp_side[0].table if exp_side else None, "total", side="expenditure")
    d_classes = class_values(ctx, exp, "total")
    lumped, note = _lumped_into_other(ctx, s_classes, "total", d_classes, exp)
    if note:
        yield note
    for code in sorted((set(s_classes) | set(d_classes)) - lumped):
        a = s_classes.get(code)
        b = d_classes.get(code)
        if a is None and b is None:
            continue
        if a is None or b is None:
            present = a or b
            if present and abs(present[0]) > 0.0051 and s_classes and d_classes:
                r = present[1]
                other = exp if a is not None else (exp_side[0].table if exp_side else exp)
                yield Issue(f"{ctx.table_name(r.table)}中{r.display}{ctx.quote(r, 'total')}，{ctx.table_name(other)}未列该类",
                            evidence(tables=[r.table.id, other.id], rows=[r.display], values=[present[0]],
                                     lines=[r.line]))
            continue
        issue = compare(ctx, cell_fig(ctx, a[1], "total"), cell_fig(ctx, b[1], "total"))
        if issue:
            yield issue
    for m, aliases in (("basic", ["基本支出"]), ("project", ["项目支出"])):
        r = find_row(exp_side, aliases)
        if r is not None and tr is not None and m in tr.values and r.values:
            issue = compare(ctx, cell_fig(ctx, r, "total"), cell_fig(ctx, tr, m))
            if issue:
                yield issue


OTHER_CLASS = "229"


def _lumped_into_other(ctx: Context, summary: dict[str, tuple[float, Row]], measure: str,
                       detail: dict[str, tuple[float, Row]], detail_table: CanonicalTable) -> tuple[set[str], Issue | None]:
    """Classes a summary's fixed list of lines has no line for (烟台's 收支总表 lists no 219
    援助其他地区支出), printed on its 其他支出 line instead: the detail's amounts of those classes and of
    229 add up to that line. The figures agree; the classification does not, which is a warning and
    no mismatch. Returns the classes not to compare (those and 229) and the warning."""
    other = summary.get(OTHER_CLASS)
    missing = sorted(c for c, (v, _) in detail.items() if c not in summary and abs(v) > 0.0051)
    if other is None or not missing or not summary:
        return set(), None
    parts = [detail[c] for c in missing] + ([detail[OTHER_CLASS]] if OTHER_CLASS in detail else [])
    tol = ctx.cells_tolerance([(r, "total") for _, r in parts]) + ctx.cell_tolerance(other[1], measure)
    if abs(other[0] - sum(v for v, _ in parts)) > tol + 1e-6:
        return set(), None
    s_row = other[1]
    names = [detail[c][1].display for c in missing]
    quoted = "、".join(ctx.quote(detail[c][1], "total") for c in missing)
    msg = (f"{ctx.table_name(s_row.table)}未设{'、'.join(names)}行，{ctx.table_name(detail_table)}中该类{quoted}"
           f"列在“{s_row.name}”{ctx.quote(s_row, measure)}中（金额一致），功能分类应单列")
    issue = Issue(msg, evidence(tables=[s_row.table.id, detail_table.id], rows=[s_row.display, *names],
                                values=[other[0], *(detail[c][0] for c in missing)], lines=[s_row.line]),
                  severity="warning")
    return {*missing, OTHER_CLASS}, issue


@rule("cross.income_vs_expenditure", "error", "收入表与支出表各功能分类金额一致（预算，或决算无结转结余时）")
def income_vs_expenditure(ctx: Context) -> Iterator[Issue]:
    """收入表 and 支出表 class totals agree when nothing is carried over."""
    income, exp = ctx.table("income"), ctx.table("expenditure")
    if income is None or exp is None or table_is_empty(income) or table_is_empty(exp):
        return
    facts = ctx.result.facts
    if ctx.kind != "budget" and any((facts.get(k) or 0.0) != 0.0 for k in ("carryover_begin", "carryover_end")):
        return
    ic = class_values(ctx, income, "total")
    ec = class_values(ctx, exp, "total")
    for code in sorted(set(ic) & set(ec)):
        a, b = ic[code], ec[code]
        issue = compare(ctx, cell_fig(ctx, a[1], "total"), cell_fig(ctx, b[1], "total"))
        if issue is None:
            continue
        carry = sum(v for m, v in a[1].values.items() if m.split("_2")[0] in CARRY_MEASURES)
        if carry and abs(a[0] + carry - b[0]) <= 0.01 + 1e-6:
            continue  # the 收入表 prints 上年结转 beside its total
        yield issue


# --- the 财政拨款收支总表 against the fund tables and the 收支总表 ------------------------------------

FUND_TABLES = {"general_budget": "general_budget_expenditure", "gov_fund": "gov_fund", "state_capital": "state_capital"}


def _fiscal_vs_fund(ctx: Context, fund: str) -> Iterator[Issue]:
    fs = ctx.table("fiscal_summary")
    detail = ctx.table(FUND_TABLES[fund])
    if fs is None or detail is None or not len(fs.frame):
        return
    exp_side = side_rows(ctx, fs, "expenditure")
    fund_cols = {m for r in exp_side for m in r.values} & set(FUND_TABLES)
    if not fund_cols:
        return  # no per-fund columns on this 财政拨款收支总表
    whole = _exp_total_row(ctx, fs)
    fig = total_fig(ctx, detail)
    if whole is not None and fig is not None:
        a = cell_fig(ctx, whole, fund)
        if fund not in whole.values:
            a = Fig(0.0, "空白", f"{ctx.table_name(fs)}中{ctx.cell(whole, fund)}", fs.id, whole.display, whole.line, 0.0)
        issue = compare(ctx, a, fig)
        if issue:
            yield issue
    if table_is_empty(detail):
        return
    fc = class_values(ctx, fs, fund, side="expenditure")
    dc = class_values(ctx, detail, "total")
    lumped, note = _lumped_into_other(ctx, fc, fund, dc, detail)
    if note:
        yield note
    for code in sorted((set(fc) | set(dc)) - lumped):
        a, b = fc.get(code), dc.get(code)
        if a is None and b is None:
            continue
        fa = cell_fig(ctx, a[1], fund) if a else Fig(0.0, "未列", f"{ctx.table_name(fs)}中{code}类", fs.id, code)
        fb = cell_fig(ctx, b[1], "total") if b else Fig(0.0, "未列", f"{ctx.table_name(detail)}中{code}类", detail.id, code)
        if (a is None and fb.value == 0) or (b is None and fa.value == 0):
            continue
        issue = compare(ctx, fa, fb)
        if issue:
            yield issue


@rule("cross.fiscal_vs_general", "error", "财政拨款收支总表一般公共预算栏 = 一般公共预算支出表")
def fiscal_vs_general(ctx: Context) -> Iterator[Issue]:
    """财政拨款收支总表 一般公共预算 column vs the 一般公共预算支出表."""
    yield from _fiscal_vs_fund(ctx, "general_budget")


@rule("cross.fiscal_vs_gov_fund", "error", "财政拨款收支总表政府性基金栏 = 政府性基金预算支出表")
def fiscal_vs_gov_fund(ctx: Context) -> Iterator[Issue]:
    """财政拨款收支总表 政府性基金 column vs the 政府性基金预算支出表."""
    yield from _fiscal_vs_fund(ctx, "gov_fund")


@rule("cross.fiscal_vs_state_capital", "error", "财政拨款收支总表国有资本经营栏 = 国有资本经营预算支出表")
def fiscal_vs_state_capital(ctx: Context) -> Iterator[Issue]:
    """财政拨款收支总表 国有资本经营 column vs the 国有资本经营预算支出表."""
    yield from _fiscal_vs_fund(ctx, "state_capital")


@rule("cross.fiscal_vs_summary", "error", "财政拨款收支总表收入 = 收支总表中的财政拨款收入（及财政拨款结转）")
def fiscal_vs_summary(ctx: Context) -> Iterator[Issue]:
    """财政拨款收支总表 revenue vs the 收支总表's 财政拨款 lines (and 财政拨款结转)."""
    fs, s = ctx.table("fiscal_summary"), ctx.table("income_expenditure_summary")
    if fs is None or s is None or not len(fs.frame) or not len(s.frame):
        return
    s_inc = side_rows(ctx, s, "income")
    f_inc = side_rows(ctx, fs, "income")
    s_funds = [r for r in (find_row(s_inc, FUND_ROWS[m]) for m in FUND_ROWS) if r is not None]
    if not s_funds:
        return
    s_cur = sum_fig(ctx, s_funds, "total", f"{ctx.table_name(s)}中财政拨款收入（{'、'.join(r.name for r in s_funds)}）")
    f_rev = find_row(f_inc, INCOME_ROWS["revenue"])
    if f_rev is None:
        f_funds = [r for r in (find_row(f_inc, FUND_ROWS[m]) for m in FUND_ROWS) if r is not None]
        a = sum_fig(ctx, f_funds, "total", f"{ctx.table_name(fs)}中本年财政拨款收入") if f_funds else None
    else:
        a = cell_fig(ctx, f_rev, "total")
    carry = find_row(s_inc, FISCAL_CARRY_ROWS)
    f_grand = find_row(f_inc, INCOME_ROWS["grand"])
    # A 收支总表 with no 结转 line of its own prints its fund lines with last year's carryover in them
    # (一般公共预算资金 = 本年 + 上年结转): they then equal the 财政拨款收支总表's 收入总计.
    f_all = f_grand or find_row(f_inc, ["收入合计"])  # (收入合计 under 本年收入 and 上年结转: the grand total)
    folded = carry is None and f_all is not None and bool(f_all.values) and \
        compare(ctx, cell_fig(ctx, f_all, "total"), s_cur) is None
    if a is not None and not folded:
        issue = compare(ctx, a, s_cur)
        if issue:
            yield issue
    if carry is not None and f_grand is not None and carry.values:
        rows = [*s_funds, carry]
        b = sum_fig(ctx, rows, "total", f"{ctx.table_name(s)}中本年财政拨款收入与{carry.name}之和")
        issue = compare(ctx, cell_fig(ctx, f_grand, "total"), b)
        if issue:
            yield issue


# --- 基本支出 -------------------------------------------------------------------------------------


@rule("cross.basic_vs_detail", "error", "基本支出表合计 = 人员经费 + 公用经费 = 一般公共预算支出表基本支出栏")
def basic_vs_detail(ctx: Context) -> Iterator[Issue]:
    """基本支出表 total = 人员经费 + 公用经费 = the 一般公共预算支出表's 基本支出 column."""
    bt = ctx.table("basic_expenditure")
    if bt is None or table_is_empty(bt):
        return
    rows = ctx.rows(bt)
    tr = total_row(ctx, bt, [r for r in rows if normalise_label(r.name) in ("合计", "总计")])
    pers = find_row(rows, ["人员经费合计", "人员经费"])
    pub = find_row(rows, ["公用经费合计", "公用经费"])
    p_fig = cell_fig(ctx, tr, "personnel") if tr is not None and "personnel" in tr.values else (
        cell_fig(ctx, pers, "total") if pers is not None and pers.values else None)
    u_fig = cell_fig(ctx, tr, "public") if tr is not None and "public" in tr.values else (
        cell_fig(ctx, pub, "total") if pub is not None and pub.values else None)
    parts = None
    if p_fig is not None and u_fig is not None:
        v = p_fig.value + u_fig.value
        parts = Fig(v, ctx.money(v, bt), f"{ctx.table_name(bt)}中人员经费{p_fig.text}与公用经费{u_fig.text}之和",
                    bt.id, "人员经费+公用经费", p_fig.line, p_fig.tol + u_fig.tol)
    total = cell_fig(ctx, tr, "total") if tr is not None and "total" in tr.values else parts
    if tr is not None and parts is not None and "total" in tr.values:
        issue = compare(ctx, cell_fig(ctx, tr, "total"), parts)
        if issue:
            yield issue
    g = ctx.table("general_budget_expenditure")
    if total is None or g is None or table_is_empty(g):
        return
    gtr = total_row(ctx, g)
    if gtr is not None and "basic" in gtr.values:
        issue = compare(ctx, total, cell_fig(ctx, gtr, "basic"))
        if issue:
            yield issue


# --- 三公 ------------------------------------------------------------------------------------------

ITEM_NAMES = {"total": "合计", "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行维护费",
              "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}


def three_item(label: str) -> str | None:
    """Which 三公 item a row or column label names."""
    n = normalise_label(label)
    n = re.sub(r"^(?:其中[:：]?|[①②③④⑤]|\d[.、]|[一二三四五六][、.])", "", n)
    if not n:
        return None
    if n in ("小计",) or re.fullmatch(r"公务用车购置及运行(?:维护)?费?(?:\(?小计\)?)?", n):
        return "vehicle"
    for item in ("total", "abroad", "vehicle_purchase", "vehicle_operation", "vehicle", "reception"):
        if THREE_PUBLIC_ITEMS[item].search(n):
            return item
    return None


def _three_check(ctx: Context, t: CanonicalTable, items: dict[str, tuple[float, str, int]], where: str,
                 rows: list[str]) -> Iterator[Issue]:
    """items: item → (value, printed, line). 合计 = 出国 + 车 + 接待; 车 = 购置 + 运行."""

    def q(item: str) -> str:
        v = items.get(item)
        return "空白" if v is None or v[1] == "" else v[1] + ctx.unit(t)

    def val(item: str) -> float:
        v = items.get(item)
        return v[0] if v else 0.0

    lines = [v[2] for v in items.values()]
    if "vehicle_purchase" in items or "vehicle_operation" in items:
        vp, vo = val("vehicle_purchase"), val("vehicle_operation")
        if "vehicle" in items:
            d = val("vehicle") - (vp + vo)
            sev = diff_severity(d, 0.01)
            if sev:
                yield Issue(f"{where}公务用车购置及运行维护费{q('vehicle')}，购置费{q('vehicle_purchase')}与运行维护费"
                            f"{q('vehicle_operation')}之和为{ctx.money(vp + vo, t)}，相差{ctx.money(abs(d), t)}",
                            evidence(tables=[t.id], rows=rows, values=[val("vehicle"), vp + vo], lines=lines), sev)
    if "total" not in items:
        return
    vehicle = val("vehicle") if "vehicle" in items else val("vehicle_purchase") + val("vehicle_operation")
    s = val("abroad") + vehicle + val("reception")
    n = sum(1 for k in ("abroad", "vehicle", "reception") if k in items) or 1
    d = val("total") - s
    sev = diff_severity(d, 0.005 * n)
    if sev:
        yield Issue(f"{where}“三公”经费合计{q('total')}，因公出国（境）费{q('abroad')}、公务用车购置及运行维护费"
                    f"{ctx.money(vehicle, t)}、公务接待费{q('reception')}之和为{ctx.money(s, t)}，相差{ctx.money(abs(d), t)}",
                    evidence(tables=[t.id], rows=rows, values=[val("total"), s], lines=lines), sev)


ItemValues = dict[str, tuple[float, str, int]]


def three_public_groups(ctx: Context, t: CanonicalTable) -> list[tuple[str, ItemValues]]:
    """The 三公 table's figures: (column or group label, item → (value 万元, printed, line)) per amount set.

    Items as rows (预算 templates: one set per amount column) or as columns under 预算数/决算数 groups
    (the 决算 公开09表, read from the raw grid)."""
    rows = ctx.rows(t)
    by_item = [(three_item(r.name), r) for r in rows]
    out: list[tuple[str, ItemValues]] = []
    if sum(1 for i, _ in by_item if i) >= 2:
        measures = sorted({m for r in rows for m in r.values}, key=lambda m: (m != "total", m))
        totals = [r for i, r in by_item if i == "total"]
        if any(re.search(r"会议费|培训费", r.name or "") for r in rows):
            # 会议费 and 培训费 rows beside the 三公 items: the table's 合计 covers them too; the 三公
            # total is the subtotal that names it (“三公”经费小计), if printed.
            totals = [r for r in totals if "三公" in (r.name or "")]
        totals = totals or [None]
        for m in measures:
            for tot in totals:
                items: ItemValues = {}
                for i, r in by_item:
                    if i and i != "total" and i not in items:
                        items[i] = (r.values.get(m, 0.0), ctx.printed(r, m) or "", r.line)
                if tot is not None:
                    items["total"] = (tot.values.get(m, 0.0), ctx.printed(tot, m) or "", tot.line)
                out.append((m, items))
        return out
    return _three_columns(ctx, t)


def three_public_values(ctx: Context, t: CanonicalTable) -> dict[str, float] | None:
    """Item → amount the document reports: 决算数 for a final, the first (合计) column otherwise."""
    if table_is_empty(t):
        return {k: 0.0 for k in ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")}
    groups = three_public_groups(ctx, t)
    if not groups:
        return None
    years = [g for g, _ in groups if _YEAR_GROUP.match(g)]
    if years:
        return {k: v[0] for k, v in next(i for g, i in groups if g == max(years)).items()}  # this year's
    want = ("决算数", "final") if ctx.kind == "final" else None
    label, items = next(((g, i) for g, i in groups if want is None or g in want), groups[0])
    if want and label not in want and any(g in ("预算数", "决算数", "budget") for g, _ in groups):
        return None
    return {k: v[0] for k, v in items.items()}


@rule("cross.three_public_items", "error", "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费")
def three_public_items(ctx: Context) -> Iterator[Issue]:
    """三公 合计 = 出国 + 公务用车 + 接待, and 公务用车 = 购置 + 运行维护, per amount set."""
    t = ctx.table("three_public")
    if t is None or table_is_empty(t):
        return
    for label, items in three_public_groups(ctx, t):
        col = "" if label in ("total", "") else f"（{label if label in ('预算数', '决算数') else ctx.cell_measure(label)}）"
        yield from _three_check(ctx, t, items, f"{ctx.table_name(t)}{col}中", [label or "合计"])


def _three_header_items(header: list[list[str]], width: int) -> list[str | None]:
    """The 三公 item of each column from its whole header path, spanned parent cells carried over
    the columns they cover: a 小计 is the subtotal of its parent (“三公”经费 → total, 公务用车… →
    vehicle), and a top-level 合计 that also covers 会议费/培训费 is not the 三公 total."""
    header = [r for r in header if not all(re.fullmatch(r"\d{1,2}", c.strip()) for c in r if c.strip())]  # 栏次
    grid = [[normalise_label(r[j]) if j < len(r) else "" for j in range(width)] for r in header]
    for k, row in enumerate(grid):  # a parent cell spans the columns its lower rows subdivide
        for j in range(1, width):
            if not row[j] and row[j - 1] and any(lower[j] for lower in grid[k + 1:]):
                row[j] = row[j - 1]
    extra = any(re.search(r"会议费|培训费", c) for row in grid for c in row)
    items: list[str | None] = []
    for j in range(width):
        path = [row[j] for row in grid if row[j]]
        path = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        item = None
        if path:
            leaf, parents = path[-1], path[:-1]
            if re.fullmatch(r"小计|合计|总计", leaf):
                parent = next((c for c in reversed(parents) if not re.fullmatch(r"预算数?|决算数?", c)), "")
                if "公务用车" in parent:
                    item = "vehicle"
                elif "三公" in parent or (not parent and not extra):
                    item = "total"
            else:
                item = three_item(leaf)
        items.append(item)
    return items


def _three_columns(ctx: Context, t: CanonicalTable) -> list[tuple[str, ItemValues]]:
    raw = ctx.raw_table(t)
    if raw is None:
        return []
    grid = raw.rows
    width = max((len(r) for r in grid), default=0)
    header = [r for r in grid[:4] if not any(parse_amount(c) is not None and not re.fullmatch(r"\d{1,2}", c.strip())
                                                  for c in r)]
    groups = [""] * width
    for hr in header:
        last = ""
        for j in range(width):
            c = normalise_label(hr[j]) if j < len(hr) else ""
            if (y := _YEAR_GROUP.match(c)) is not None:
                last = f"{y.group(1)}年"  # 2023年预算数 | 2024年预算数: a year's items
                groups[j] = last
            elif re.search(r"预算|决算", c) and len(c) <= 6:
                last = "预算数" if "预算" in c and "决算" not in c else "决算数"
                groups[j] = last
            elif last and not groups[j]:
                groups[j] = last
    items = _three_header_items(header, width)
    lines = raw.row_lines or []
    out: list[tuple[str, ItemValues]] = []
    for i, row in enumerate(grid):
        if row in header or not any(parse_amount(c) is not None for c in row):
            continue
        if all(re.fullmatch(r"\d{1,2}", c.strip()) for c in row if c.strip()):
            continue  # 栏次 row
        label = next((normalise_label(c) for c in row if c.strip() and parse_amount(c) is None), "")
        year = _YEAR_GROUP.match(label)  # a row per year (2023年预算数 | 2024年预算数 as row labels)
        for g in dict.fromkeys(groups):
            vals: ItemValues = {}
            for j, c in enumerate(row):
                if j < width and groups[j] == g and items[j] and items[j] not in vals:
                    v = parse_amount(c)
                    wan = (to_wan(v, t.source_currency) or 0.0) if v is not None else 0.0
                    vals[items[j]] = (wan, c.strip(), lines[i] if i < len(lines) else raw.line)
            if len(vals) >= 2:
                out.append((f"{year.group(1)}年" if year and not g else g, vals))
    return out


_YEAR_GROUP = re.compile(r"^(20\d{2})年度?(?:预算|决算|执行)?数?$")


# --- 机关运行经费 ------------------------------------------------------------------------------------


@rule("cross.office_vs_public", "warning", "机关运行经费不应超过一般公共预算基本支出中的公用经费")
def office_vs_public(ctx: Context) -> Iterator[Issue]:
    """机关运行经费 above 公用经费 is probably wrong (a warning)."""
    facts = ctx.result.facts
    office, public = facts.values.get("office_operation"), facts.values.get("public_expenditure")
    if office is None or public is None or public.source == "narrative" or public.summed:
        return  # (a 公用经费 the template does not print, summed from 302 + 310, may not be what its
        # 机关运行经费 — Guangzhou's counts 医疗费补助 and project funds — is measured against)
    o, p = float(office.value), float(public.value)
    if o > p + 0.01 + 1e-6:
        src = "说明" if office.source == "narrative" else "表中"
        yield Issue(f"机关运行经费{ctx.money(o)}（{src}）超过公用经费{ctx.money(p)}，多{ctx.money(o - p)}",
                    evidence(tables=[office.table, public.table], rows=["机关运行经费", "公用经费"], values=[o, p],
                             lines=[office.line, public.line]))
