"""The validator: rules over one extraction, each with a stable dotted id, a severity and evidence.

``run_checks(result)`` runs every registered rule (families: ``table``/``summary`` within a
table, ``cross`` across tables, ``narrative`` against the tables, ``completeness``, ``codes``)
and returns :class:`Finding` objects, together with the ``performance.*`` findings that
``budgetlens.performance`` attached to the result for its forms; ``format_findings`` renders them for
``budgetlens check``. Rules live in the family modules and register themselves in
:data:`RULES` through the :func:`rule` decorator — the one place a rule is declared.
Differences within rounding (each addend ±0.005万元, "尾数误差") are at most ``info``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..facts import function_totals
from . import codes, completeness, cross_table, narrative, text, within_table  # noqa: F401  (register rules)
from .base import RULES, SEVERITIES, Context, Finding, Issue, Rule, rule

if TYPE_CHECKING:  # pragma: no cover
    from ..extract import Extraction

__all__ = ["RULES", "Finding", "Issue", "Rule", "format_findings", "rule", "rule_table", "run_checks"]

_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
FOREIGN_FAMILIES = ("performance.",)


def run_checks(result: Extraction, *, rules: Iterable[str] | None = None, strict: bool | None = None) -> list[Finding]:
    """Run the registered rules (or the named ones) on one extraction; findings sorted by severity.

    A rule that raises is reported as an ``info`` finding (``checks.internal``) unless ``strict``
    (or the environment variable ``BUDGETLENS_STRICT_CHECKS=1``) asks for the exception.
    """
    if strict is None:
        strict = os.environ.get("BUDGETLENS_STRICT_CHECKS") == "1"
    ctx = Context(result)
    wanted = set(rules) if rules is not None else None
    out: list[Finding] = []
    for rid, r in RULES.items():
        if wanted is not None and rid not in wanted:
            continue
        if result.kind == "performance" and r.family != "narrative":
            continue
        try:
            for issue in r.func(ctx) or ():
                out.append(Finding(rule=rid, severity=issue.severity or r.severity, message=issue.message,
                                   evidence=issue.evidence))
        except Exception as exc:  # one broken rule must not lose the document
            if strict:
                raise
            out.append(Finding(rule="checks.internal", severity="info",
                               message=f"规则{rid}执行失败：{type(exc).__name__}: {exc}", evidence={}))
    # Form-level checks belong to budgetlens.performance (run at extraction): keep what it found.
    for f in getattr(result, "findings", None) or []:
        if isinstance(f, dict) and str(f.get("rule", "")).startswith(FOREIGN_FAMILIES):
            out.append(Finding(rule=f["rule"], severity=f.get("severity", "info"), message=f.get("message", ""),
                               evidence=dict(f.get("evidence") or {})))
    out = _doubt_misread_classes(result, _collapse_floods(_dedupe(out)))
    return sorted(out, key=lambda f: (_ORDER.get(f.severity, 9), f.rule))


FLOOD = 4


def _collapse_floods(findings: list[Finding]) -> list[Finding]:
    """Many failures of one identity in one table point at a misread table, not at the document:
    more than ``FLOOD`` error/warning findings of a rule in a table become one warning."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        tables = f.evidence.get("tables") or []
        if f.severity in ("error", "warning") and tables and f.rule.startswith(("table.", "summary.", "codes.")):
            groups.setdefault((f.rule, tables[0]), []).append(f)
    out: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for f in findings:
        tables = f.evidence.get("tables") or []
        key = (f.rule, tables[0]) if tables else ("", "")
        group = groups.get(key)
        if group is None or len(group) <= FLOOD or f not in group:
            out.append(f)
            continue
        if key in done:
            continue
        done.add(key)
        title = RULES[f.rule].title if f.rule in RULES else f.rule
        lines = sorted({x for g in group for x in (g.evidence.get("lines") or [])})
        out.append(Finding(rule=f.rule, severity="warning",
                           message=f"{len(group)}处不满足“{title}”，多处同时不合，可能是表格识别错位，请核对原表；"
                                   f"例如：{group[0].message}",
                           evidence={"tables": [key[1]], "rows": [r for g in group for r in (g.evidence.get("rows") or [])[:1]],
                                     "values": group[0].evidence.get("values", []), "lines": lines, "count": len(group)}))
    return out


_CLASS_RULES = ("summary.items", "table.total_sum")


def _doubt_misread_classes(result: Extraction, findings: list[Finding]) -> list[Finding]:
    """When the tables' 类 rows add up to no total but the narrative's 类 figures add up to the
    total (the extraction then took the narrative's), a table's 类-sum failures point at our reading
    of a wrapped layout, not at the document: they become warnings that say so."""
    if getattr(result, "function_source", None) != "narrative" or not function_totals(result.tables)[0]:
        return findings
    out = []
    for f in findings:
        if f.rule in _CLASS_RULES and f.severity == "error":
            f = Finding(rule=f.rule, severity="warning",
                        message=f"{f.message}（说明所列各类支出之和与合计一致，此处可能是表格识别错位，请核对原表）",
                        evidence={**f.evidence, "doubt": "layout"})
        out.append(f)
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


_HEADINGS = {"error": "错误", "warning": "警告", "info": "提示"}


def format_findings(findings: Iterable[Finding | Mapping[str, Any]]) -> str:
    """A readable list for ``budgetlens check``: grouped by severity (错误/警告/提示), Chinese messages."""
    items = [f.to_json() if isinstance(f, Finding) else dict(f) for f in findings]
    if not items:
        return "  未发现问题。"
    lines: list[str] = []
    counts = {s: sum(1 for f in items if f.get("severity") == s) for s in SEVERITIES}
    lines.append("  " + "，".join(f"{_HEADINGS[s]} {counts[s]} 项" for s in SEVERITIES))
    for sev in SEVERITIES:
        group = [f for f in items if f.get("severity") == sev]
        if not group:
            continue
        lines.append(f"  【{_HEADINGS[sev]}】")
        for i, f in enumerate(group, 1):
            where = _where(f.get("evidence") or {})
            lines.append(f"   {i}. [{f.get('rule')}] {f.get('message')}" + (f"（{where}）" if where else ""))
    other = [f for f in items if f.get("severity") not in SEVERITIES]
    for f in other:
        lines.append(f"   - [{f.get('rule')}] {f.get('message')}")
    return "\n".join(lines)


def _where(ev: Mapping[str, Any]) -> str:
    lines = ev.get("lines") or []
    if not lines:
        return ""
    shown = ", ".join(str(x) for x in lines[:6]) + ("…" if len(lines) > 6 else "")
    return f"第{shown}行"


def rule_table() -> list[dict[str, str]]:
    """Rule metadata (id, family, default severity, what it checks), e.g. for documentation."""
    return [{"id": r.id, "family": r.family, "severity": r.severity, "title": r.title} for r in RULES.values()]
