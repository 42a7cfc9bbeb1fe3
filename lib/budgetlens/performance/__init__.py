"""Performance forms: 项目支出绩效自评表, 项目支出绩效目标表, 部门整体支出绩效自评表.

:func:`attach` reads every form of an extraction into ``result.projects`` (one entry per
project form), sets the unit-level facts from a 部门整体 form, and appends the performance
findings. :func:`parse` and :func:`findings` are the same steps without touching a result.

Forms are recognised by title (``registry/tables.yaml``, layout ``performance``); their
columns by header text; amounts are converted to 万元. A form whose columns the extraction
pulled apart is recovered only as far as its layout proves (``damaged.py``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..facts import Facts, FactValue
from ..registry import normalise_label, table_kind
from .checks import check
from .damaged import is_damaged, recover
from .forms import Form, Indicator, read_project, read_unit
from .listed import read_listed
from .rows import Num, Segment, segments

if TYPE_CHECKING:  # pragma: no cover
    from ..extraction import Extraction

__all__ = ["Form", "Indicator", "attach", "findings", "parse", "unit_facts"]


def _name_from_title(seg: Segment) -> str | None:
    """``职称评审费项目支出绩效自评表`` → ``职称评审费`` (a title that names no unit)."""
    title = normalise_label(seg.title)
    for alias in sorted(table_kind(seg.kind).aliases, key=len, reverse=True):
        a = normalise_label(alias)
        if a in title:
            prefix = title.split(a, 1)[0]
            prefix = re.sub(r"20\d{2}年度?", "", prefix)
            if prefix and not re.search(r"部门|单位|[县市区省州]级|财政", prefix):
                return prefix
            return None
    return None


def parse(doc: Document, currency: str = "万元") -> list[Form]:
    """Every performance form of a document, parsed, in reading order."""
    segs = segments(doc)
    out: list[Form] = []
    for n, seg in enumerate(segs):
        if seg.form == "unit":
            out.append(read_unit(seg))
            continue
        if seg.form == "target" and (listed := read_listed(seg, currency)) is not None:
            out.extend(listed)  # one table listing many projects
            continue
        form = read_project(seg, currency)
        if is_damaged(form, seg):
            recover(form, seg, segs[n - 1].lines if n else [])
        if not form.name:
            form.name = _name_from_title(seg)
        if not (form.amounts or form.indicators or form.score):
            continue  # a title quoted in a list of attachments, not a form
        out.append(form)
    return out


def unit_facts(form: Form) -> dict[str, FactValue]:
    """The facts a 部门整体支出绩效自评表 gives, with provenance."""
    out: dict[str, FactValue] = {}

    def table_fact(key: str, n: Num) -> FactValue:
        return FactValue(value=n.value, source="table", table=form.kind, row=form.fact_rows.get(key), line=n.line)

    for key in ("carryover_begin", "budget_initial", "budget_adjusted", "budget_executed", "carryover_end"):
        if key in form.facts:
            out[key] = table_fact(key, form.facts[key])
    initial, change = form.facts.get("budget_initial"), form.facts.get("budget_change")
    if "budget_adjusted" not in out and initial is not None and change is not None:
        other = form.facts.get("other_change")
        value = initial.value + change.value + (other.value if other else 0.0)
        out["budget_adjusted"] = FactValue(value=round(value, 6), source="derived", table=form.kind, line=change.line,
                                           text="年初预算 + 预算调整 + 其他调整")
    for key in ("staff_authorized", "staff_actual"):
        if key in form.facts:
            n = form.facts[key]
            out[key] = FactValue(value=int(n.value), source="narrative", table=form.kind,
                                 row=form.fact_rows.get(key), line=n.line)
    for key in ("expenditure_total", "basic_expenditure", "project_expenditure"):
        if key in form.facts:
            n = form.facts[key]
            out[key] = FactValue(value=n.value, source="narrative", table=form.kind, row=form.fact_rows.get(key),
                                 line=n.line)
    if form.score is not None:
        out["overall_score"] = FactValue(value=form.score.value, source="table", table=form.kind, row="综合得分",
                                         line=form.score.line)
    if form.grade is not None:
        out["overall_grade"] = FactValue(value=form.grade, source="table", table=form.kind,  # type: ignore[arg-type]
                                         row="等级", line=form.grade_line)
    return out


def _set_facts(facts: Facts, values: dict[str, FactValue]) -> None:
    for key, fv in values.items():
        old = facts.values.get(key)
        facts.set(key, fv, overwrite=old is not None and old.source == "narrative" and fv.source == "table")


def findings(result: Extraction) -> list[dict[str, Any]]:
    """The performance findings of an extraction (parses its forms again)."""
    return check(parse(result.document, result.recognition.currency), result.document)


def attach(result: Extraction) -> None:
    """Set ``result.projects``, the unit-level facts, and append the ``performance.*`` findings."""
    forms = parse(result.document, result.recognition.currency)
    result.projects = [f.to_json() for f in forms if f.form != "unit"]
    unit = next((f for f in forms if f.form == "unit"), None)
    if unit is not None:
        _set_facts(result.facts, unit_facts(unit))
    if result.recognition.unit is None:
        # Forms alone (a 绩效自评 publication): the unit is the department its forms name (主管部门).
        named = [f.department for f in forms if f.department]
        if named:
            result.recognition.unit = max(set(named), key=named.count)
    kept = [f for f in result.findings if not str(f.get("rule", "")).startswith("performance.")]
    result.findings = kept + check(forms, result.document)
