"""Checks on performance forms: weights, scores, grades, execution rate and score, counts.

Each check returns findings as contract dicts (``rule``, ``severity``, Chinese ``message``
quoting the numbers as printed, ``evidence``). Rounding is tolerated: a printed number may be
off by half a unit of its last decimal, a sum of n printed numbers by n halves.
"""

from __future__ import annotations

import re
from typing import Any

from ..document import Document
from ..numbers import format_number
from .forms import Form
from .labels import COUNT_PATTERNS
from .rows import Num

STANDARD_EXECUTION_WEIGHT = 10.0
BANDS = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", float("-inf")))
FORM_NAMES = {"self_evaluation": "项目支出绩效自评表", "target": "项目支出绩效目标表"}


def fmt(v: float) -> str:
    """A computed number for a message: up to 3 decimals, no trailing zeros."""
    return format_number(v, 3, trim=True)


def finding(rule: str, severity: str, message: str, form: Form | None = None, **evidence: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {}
    if form is not None:
        ev["tables"] = [form.kind]
        ev["project"] = form.label
        ev["lines"] = [form.line]
    ev.update({k: v for k, v in evidence.items() if v not in (None, [], {})})
    return {"rule": rule, "severity": severity, "message": message, "evidence": ev}


def _separate_execution(form: Form) -> bool:
    """The funds block carries the budget-execution score outside the indicator table."""
    return form.execution_score is not None


def weights_sum(form: Form) -> list[dict[str, Any]]:
    """Σ分值 = 100 (a target form may leave 10 to 预算执行率, scored only at self-evaluation)."""
    leaves = [i for i in form.indicators if i.weight is not None]
    if not leaves or form.unread_rows:
        return []  # an indicator row that could not be read leaves the sum unknown
    total = sum(i.weight.value for i in leaves)
    parts = [f"各指标分值合计{fmt(total)}分"]
    assumed = None
    if _separate_execution(form):
        w = form.execution_weight.value if form.execution_weight else STANDARD_EXECUTION_WEIGHT
        assumed = None if form.execution_weight else STANDARD_EXECUTION_WEIGHT
        total += w
        parts.append(f"预算执行率{fmt(w)}分" + ("（按标准分值）" if assumed else ""))
    allowed = {100.0, 90.0} if form.form == "target" else {100.0}
    if any(abs(total - a) <= 1e-6 for a in allowed):
        return []
    if form.plain:
        # A text layer drops blank cells: a row's 分值 may be the figure no column could take.
        parts.append("（文本层缺失空白单元格，分值可能未全部识别，请核对原表）")
    return [finding("performance.weights_sum", "info" if form.plain else "warning",
                    f"{form.label}：{'，'.join(parts)}，合计{fmt(total)}分，不等于100分", form,
                    values=[round(total, 6)], assumed_execution_weight=assumed,
                    lines=[i.line for i in leaves[:1]] + [i.line for i in leaves[-1:]])]


def score_exceeds_weight(form: Form) -> list[dict[str, Any]]:
    """得分 ≤ 分值 for every indicator and subtotal."""
    out = []
    for i in form.indicators + form.subtotals:
        if i.weight is not None and i.score is not None and i.score.value > i.weight.value + 1e-9:
            label = i.level3 or i.level1 or "?"
            out.append(finding("performance.score_exceeds_weight", "error",
                               f"{form.label}：指标“{label}”得分{i.score.printed}超过分值{i.weight.printed}", form,
                               values=[i.score.value, i.weight.value], lines=[i.line]))
    return out


def total_score(form: Form) -> list[dict[str, Any]]:
    """总分 = Σ 指标得分 (+ the funds block's 预算执行率得分)."""
    scored = [i.score for i in form.indicators if i.score is not None]
    if form.score is None or not scored:
        return []
    addends: list[Num] = list(scored)
    text = f"各指标得分合计{fmt(sum(n.value for n in scored))}"
    if _separate_execution(form):
        addends.append(form.execution_score)
        text += f"，加预算执行率得分{form.execution_score.printed}"
    total = sum(n.value for n in addends)
    slack = sum(n.half_unit for n in addends) + form.score.half_unit + 1e-9
    diff = form.score.value - total
    if abs(diff) <= slack:
        return []
    return [finding("performance.total_score", "error",
                    f"{form.label}：总分{form.score.printed}，{text}为{fmt(total)}，相差{fmt(abs(diff))}", form,
                    values=[form.score.value, round(total, 6)], lines=[form.score.line])]


def band(score: float) -> str:
    return next(g for g, low in BANDS if score >= low - 1e-9)


def grade_band(form: Form) -> list[dict[str, Any]]:
    """优 ≥ 90, 良 80–89.99, 中 60–79.99, 差 < 60."""
    if form.score is None or form.grade is None:
        return []
    expected = band(form.score.value)
    if expected == form.grade:
        return []
    kind = "综合得分" if form.form == "unit" or form.damaged else "总分"
    return [finding("performance.grade_band", "warning",
                    f"{form.label}：{kind}{form.score.printed}分，等级却为“{form.grade_printed or form.grade}”；"
                    f"按优≥90、良80–89.99、中60–79.99、差<60应为“{expected}”", form,
                    values=[form.score.value], grade=form.grade, expected_grade=expected,
                    lines=[form.score.line, form.grade_line])]


def _rate_slack(b: Num, e: Num, r: Num | None) -> float:
    slack = 100 * (e.half_unit / b.value + e.value * b.half_unit / b.value ** 2)
    return slack + (r.half_unit if r else 0.0) + 1e-9


def execution_rate(form: Form) -> list[dict[str, Any]]:
    """执行率 = 全年执行数 / 全年预算数 (within the rounding of the printed amounts)."""
    b, e, r = form.amounts.get("budget"), form.amounts.get("executed"), form.execution_rate
    if b is None or e is None or r is None or b.value <= 0:
        return []
    calc = 100 * e.value / b.value
    if abs(calc - r.value) <= _rate_slack(b, e, r):
        return []
    return [finding("performance.execution_rate", "error",
                    f"{form.label}：执行率{r.printed}%，而全年执行数{e.printed}÷全年预算数{b.printed}={calc:.2f}%", form,
                    values=[r.value, round(calc, 4)], lines=[r.line])]


def execution_score(form: Form) -> list[dict[str, Any]]:
    """The budget-execution score = its weight × 执行率, capped at the weight."""
    b, e = form.amounts.get("budget"), form.amounts.get("executed")
    if _separate_execution(form):
        s = form.execution_score
        w = form.execution_weight
        weight = w.value if w else STANDARD_EXECUTION_WEIGHT
        label = "预算执行率得分"
    else:
        item = next((i for i in form.indicators if i.level3 and "执行率" in i.level3 and i.score and i.weight), None)
        if item is None:
            return []
        s, w, weight, label = item.score, item.weight, item.weight.value, f"指标“{item.level3}”得分"
    r = form.execution_rate
    if r is not None:
        rate, rate_text, rate_slack = r.value / 100, f"执行率{r.printed}%", r.half_unit / 100
    elif b is not None and e is not None and b.value > 0:
        rate = e.value / b.value
        rate_text = f"执行数{e.printed}÷预算数{b.printed}"
        rate_slack = _rate_slack(b, e, None) / 100
    else:
        return []
    expected = weight * min(1.0, rate)
    if abs(expected - s.value) <= s.half_unit + weight * rate_slack + 1e-9:
        return []
    wtext = f"{w.printed}分" if w else f"{fmt(weight)}分（标准分值）"
    return [finding("performance.execution_score", "warning",
                    f"{form.label}：{label}{s.printed}，按{wtext}×{rate_text}应为{expected:.2f}", form,
                    values=[s.value, round(expected, 4)], lines=[s.line])]


def unrecoverable(form: Form) -> list[dict[str, Any]]:
    """Fields a damaged form does not give back."""
    if not form.damaged or not form.missing:
        return []
    names = {"name": "项目名称", "budget": "全年预算数", "executed": "全年执行数", "budget_initial": "年初预算数",
             "score": "综合得分", "grade": "等级", "indicators": "绩效指标",
             "indicator_targets": "指标目标值", "indicator_actuals": "实际完成值",
             "indicator_levels": "一级/二级指标名称", "department": "主管部门"}
    core = [k for k in form.missing if k in ("name", "budget", "executed", "score", "grade")]
    fields = "、".join(names.get(k, k) for k in form.missing)
    return [finding("performance.unrecoverable", "warning" if core else "info",
                    f"{form.label}：自评表各栏在文本中被拆散，无法确定地恢复{fields}，已留空", form,
                    fields=list(form.missing))]


def count_mismatch(forms: list[Form], doc: Document) -> list[dict[str, Any]]:
    """Counts the narrative states (绩效自评6个项目, 公开项目绩效目标4个) vs the forms attached."""
    have = {k: sum(1 for f in forms if f.form == k) for k in FORM_NAMES}
    out = []
    seen: set[tuple[str, int]] = set()
    for b in doc.text_blocks():
        text = re.sub(r"\s+", "", b.text)
        for kind, pat in COUNT_PATTERNS:
            for m in pat.finditer(text):
                n = int(m.group(1))
                if (kind, n) in seen:
                    continue
                seen.add((kind, n))
                if n != have[kind]:
                    out.append(finding("performance.count_mismatch", "warning" if have[kind] else "info",
                                       f"说明称“{m.group(0)}”（{n}个），但所附{FORM_NAMES[kind]}为{have[kind]}张",
                                       None, values=[n, have[kind]], lines=[b.line], form_kind=kind))
    return out


FORM_CHECKS = (weights_sum, score_exceeds_weight, total_score, grade_band, execution_rate, execution_score,
               unrecoverable)


def check(forms: list[Form], doc: Document) -> list[dict[str, Any]]:
    """Every performance finding for a document's forms."""
    out: list[dict[str, Any]] = []
    for form in forms:
        for fn in FORM_CHECKS:
            out.extend(fn(form))
    out.extend(count_mismatch(forms, doc))
    return out
