"""The validator: rules over one extraction, each with a stable dotted id, a severity and evidence.

``run_checks(result)`` runs every registered rule (families: ``table``/``summary`` within a
table, ``cross`` across tables, ``narrative`` against the tables, ``completeness``, ``codes``)
and returns :class:`Finding` objects, together with the ``performance.*`` findings that
``budgetlens.performance`` attached to the result for its forms; ``format_findings`` renders them for
``budgetlens check``. Rules live in the family modules and register themselves in
:data:`RULES` through the :func:`rule` decorator — the one place a rule is declared.
Differences within rounding (each addend ±0.005万元, "尾数误差") are at most ``info``. A table whose
failures fit a misread pattern (``checks/doubt.py``, ``registry/doubt.yaml``) gets one ``table.misread``
warning instead, and draws no error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import codes, completeness, cross_table, narrative, text, within_table  # noqa: F401  (register rules)
from .base import RULES, SEVERITIES, Context, Finding, Issue, Rule, rule
from .doubt import MISREAD_RULE, apply_doubt

if TYPE_CHECKING:  # pragma: no cover
    from ..extraction import Extraction

__all__ = ["MISREAD_RULE", "RULES", "Finding", "Issue", "Rule", "format_findings", "rule", "rule_table", "run_checks"]

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
    out = apply_doubt(result, _dedupe(out), ctx)
    return sorted(out, key=lambda f: (_ORDER.get(f.severity, 9), f.rule))


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
