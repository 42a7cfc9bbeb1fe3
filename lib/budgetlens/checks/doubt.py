"""Doubt about a table's reading: when its identities fail in the patterns a misread leaves, say so once.

A column shifted, rows lost at a page break, a total that is another column's, a year read as an amount,
or one identity failing all over a table: such failures say the extraction misread the table, not that
the document contradicts itself. :func:`apply_doubt` tries the patterns of ``registry/doubt.yaml`` in
order on each table's failing findings; for a table one of them fits, the output gets one warning
(``table.misread``: "<表名>未能可靠读取：…", naming the pattern) and every error/warning finding that
rests on that table becomes ``info`` (kept, marked ``doubt``), so no error is drawn from it. A single
failing identity in an otherwise consistent table fits no pattern: it stays a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..facts import function_totals
from ..registry import classification, doubt_rules, normalise_label
from .base import RULES, Context, Finding

if TYPE_CHECKING:  # pragma: no cover
    from ..extraction import Extraction

MISREAD_RULE = "table.misread"
_SUM_RULES = ("table.total_sum", "table.class_sum", "summary.items")


@dataclass(frozen=True)
class Pattern:
    """One misread pattern of the registry: its test, the rules it looks at, and what it says."""

    id: str
    test: str
    rules: tuple[str, ...]
    says: str
    params: dict[str, Any] = field(default_factory=dict)

    def covers(self, rule_id: str) -> bool:
        return any(rule_id == r or (r.endswith(".") and rule_id.startswith(r)) for r in self.rules)


@lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    """The registry's patterns, in the order they are tried."""
    out = []
    for p in doubt_rules()["patterns"]:
        extra = {k: v for k, v in p.items() if k not in {"id", "test", "rules", "says"}}
        if p["test"] not in TESTS:
            raise ValueError(f"doubt.yaml: unknown test {p['test']!r}")
        out.append(Pattern(id=p["id"], test=p["test"], rules=tuple(p["rules"]), says=p["says"], params=extra))
    return tuple(out)


@lru_cache(maxsize=1)
def _never_doubted() -> tuple[str, ...]:
    return tuple(doubt_rules().get("never_doubted", []))


# --- the tests: (ctx, table id, the table's failing findings the pattern covers, params) → detail | None ----

def _gap(f: Finding) -> float | None:
    values = f.evidence.get("values") or []
    if len(values) < 2 or values[0] is None or values[1] is None:
        return None
    return float(values[0]) - float(values[1])


def _tol(f: Finding) -> float:
    return 0.005 * max(2, len(f.evidence.get("rows") or [])) + 1e-6


def narrative_classes_add_up(ctx: Context, table_id: str, group: list[Finding], params: dict) -> str | None:
    """The table the 类 totals are read from adds up to no total while the narrative's 类 figures add up
    to it (the extraction took the narrative's): its class sums point at our reading of its layout."""
    result = ctx.result
    if getattr(result, "function_source", None) != "narrative":
        return None
    totals, kind = function_totals(result.tables)
    return f"{len(group)}处" if group and totals and kind == table_id else None


def gap_is_missing_class(ctx: Context, table_id: str, group: list[Finding], params: dict) -> str | None:
    """A sum misses by exactly a class that another table lists and this one does not, or the total
    fails while several such classes are absent (``many``, default 2): the rows were lost (a page
    break, a wrapped layout), the document is not short of them."""
    t = ctx.table(table_id)
    if t is None:
        return None
    own = {r.code for r in ctx.rows(t) if r.code}
    heads = {c[0] for c in own if len(c) == 3}
    missing: dict[str, tuple[str, set[float]]] = {}
    for other in ctx.statement_tables():
        if other is t:
            continue
        for r in ctx.rows(other):
            if r.code and len(r.code) == 3 and r.code[0] in heads and r.code not in own and r.values:
                name, vals = missing.setdefault(r.code, (r.name, set()))
                vals.update(round(v, 2) for v in r.values.values())
    if not missing:
        return None
    if len(missing) >= int(params.get("many", 2)) and any(f.rule == "table.total_sum" for f in group):
        # Several classes other tables list are absent here and the total does not close: rows were lost.
        return "、".join(f"{code}{name}" for code, (name, _) in sorted(missing.items()))
    if len(group) < 2:
        return None
    for f in group:
        gap = _gap(f)
        if gap is None or gap <= 0:
            continue
        for code, (name, vals) in missing.items():
            if any(abs(gap - v) <= _tol(f) for v in vals):
                return f"{code}{name}{gap:,.2f}"
    return None


def gap_is_year(ctx: Context, table_id: str, group: list[Finding], params: dict) -> str | None:
    """A figure in a failing sum, or the difference itself, is the document's year (2025年度 read as 2,025.00)."""
    rec = getattr(ctx.result, "recognition", None)
    year = getattr(rec, "year", None)
    if not year:
        return None
    years = {float(y) for y in (year - 1, year, year + 1)}
    for f in group:
        values = [float(v) for v in (f.evidence.get("values") or []) if v is not None]
        gap = _gap(f)
        cands = values + ([abs(gap)] if gap is not None else [])
        hit = next((y for y in years for v in cands if abs(v - y) <= _tol(f)), None)
        if hit is not None:
            return f"{int(hit)}"
    return None


def other_columns_figure(ctx: Context, table_id: str, group: list[Finding], params: dict) -> str | None:
    """Failing sums whose printed whole is another column's sum of the same parts, or whose parts add up
    to another column's printed whole (a column shifted, a total read from its neighbour). One such
    coincidence may be the document's; it takes ``min`` of them (default 2) in one table."""
    t = ctx.table(table_id)
    if t is None:
        return None
    by_display: dict[str, Any] = {}
    for r in ctx.rows(t):
        by_display.setdefault(r.display, r)
    hits: list[str] = []
    for f in group:
        m = f.evidence.get("measure")
        shown = f.evidence.get("rows") or []
        values = f.evidence.get("values") or []
        whole = by_display.get(shown[0]) if shown else None
        if not m or whole is None or len(values) < 2:
            continue
        kids = [by_display[d] for d in shown[1:] if d in by_display]
        w, s = float(values[0]), float(values[1])
        for m2 in sorted({k for r in (whole, *kids) for k in r.values} - {m}):
            w2 = whole.values.get(m2)
            s2 = sum(k.values.get(m2, 0.0) for k in kids)
            if abs(s - s2) <= _tol(f):
                continue  # the two columns' parts are the same figures (no 项目支出): equal wholes prove nothing
            if (s2 and abs(w - s2) <= _tol(f)) or (w2 and abs(s - w2) <= _tol(f)):
                hits.append(f"{ctx.cell_measure(m)}与{ctx.cell_measure(m2)}")
                break
    return hits[0] if len(hits) >= int(params.get("min", 2)) else None


@lru_cache(maxsize=1)
def _class_names() -> dict[str, tuple[str, ...]]:
    """类 code → its names (current and older) from ``classification.yaml``."""
    data = classification()
    out: dict[str, list[str]] = {}
    for key in ("function_classes", "economic_classes"):
        for code, name in (data.get(key) or {}).items():
            out.setdefault(str(code), []).append(normalise_label(name))
    for code, names in (data.get("function_class_aliases") or {}).items():
        out.setdefault(str(code), []).extend(normalise_label(n) for n in names)
    return {k: tuple(v) for k, v in out.items()}


def names_off_codes(ctx: Context, table_id: str, group: list[Finding], params: dict) -> str | None:
    """A 类 code printed beside a name that is not its class's (301 基本工资, 303 生活补助): names and
    codes were read out of step, so the sums over the rows prove nothing."""
    t = ctx.table(table_id)
    if t is None or not group:
        return None
    known = _class_names()
    for r in ctx.rows(t):
        names = known.get(r.code or "")
        name = normalise_label(r.name)
        if not names or len(r.code or "") != 3 or len(name) < 2:
            continue
        if not any(name.startswith(n[:2]) or n.startswith(name[:2]) for n in names):
            return f"{r.code}{r.name}"
    return None


def many_failures(ctx: Context, table_id: str, group: list[Finding], params: dict) -> str | None:
    """One identity failing in many places of one table (more than ``min`` - 1 times)."""
    counts: dict[str, int] = {}
    for f in group:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    rule_id, n = max(counts.items(), key=lambda kv: kv[1], default=("", 0))
    if n < int(params.get("min", 5)):
        return None
    title = RULES[rule_id].title if rule_id in RULES else rule_id
    return f"{n}处不满足“{title}”"


TESTS: dict[str, Callable[[Context, str, list[Finding], dict], str | None]] = {
    "narrative_classes_add_up": narrative_classes_add_up,
    "gap_is_missing_class": gap_is_missing_class,
    "gap_is_year": gap_is_year,
    "other_columns_figure": other_columns_figure,
    "names_off_codes": names_off_codes,
    "many_failures": many_failures,
}


# --- applying them -----------------------------------------------------------------------------------

def _doubtable(f: Finding) -> bool:
    return f.severity in ("error", "warning") and bool(f.evidence.get("tables")) and \
        not f.rule.startswith(_never_doubted()) and f.rule != MISREAD_RULE


def doubted_tables(ctx: Context, findings: Iterable[Finding]) -> dict[str, tuple[Pattern, str]]:
    """Table id → (the first pattern that fits its failing findings, what it found)."""
    own: dict[str, list[Finding]] = {}
    for f in findings:
        if _doubtable(f):
            own.setdefault(f.evidence["tables"][0], []).append(f)
    out: dict[str, tuple[Pattern, str]] = {}
    for table_id, fs in own.items():
        for p in patterns():
            group = [f for f in fs if p.covers(f.rule)]
            if not group:
                continue
            detail = TESTS[p.test](ctx, table_id, group, p.params)
            if detail:
                out[table_id] = (p, detail)
                break
    return out


def apply_doubt(result: Extraction, findings: list[Finding], ctx: Context | None = None) -> list[Finding]:
    """One ``table.misread`` warning per table in doubt; the findings resting on it become info."""
    ctx = ctx or Context(result)
    doubted = doubted_tables(ctx, findings)
    if not doubted:
        return findings
    out: list[Finding] = []
    demoted: dict[str, list[Finding]] = {tid: [] for tid in doubted}
    for f in findings:
        hit = next((tid for tid in f.evidence.get("tables") or [] if tid in doubted), None) if _doubtable(f) else None
        if hit is not None and doubted[hit][0].params.get("demotes") == "covered" and not doubted[hit][0].covers(f.rule):
            hit = None  # the doubt is about what the pattern's rules read (the 类 rows), not the rest of the table
        if hit is None:
            out.append(f)
            continue
        pattern = doubted[hit][0]
        g = Finding(rule=f.rule, severity="info", message=f.message, evidence={**f.evidence, "doubt": pattern.id})
        demoted[hit].append(g)
        out.append(g)
    for tid, (pattern, detail) in doubted.items():
        t = ctx.table(tid)
        name = ctx.table_name(t) if t is not None else tid
        group = demoted[tid]
        example = group[0].message if group else ""
        out.append(Finding(
            rule=MISREAD_RULE, severity="warning",
            message=f"{name}未能可靠读取：{pattern.says}（{detail}），本表的核对不作为错误，请核对原表"
                    + (f"；例如：{example}" if example else ""),
            evidence={"tables": [tid], "pattern": pattern.id, "count": len(group),
                      "rules": sorted({g.rule for g in group}),
                      "lines": sorted({x for g in group for x in (g.evidence.get("lines") or [])})}))
    return out
