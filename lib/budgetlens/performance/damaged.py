"""Forms whose columns the extraction pulled apart: recover only what the layout proves.

In such a text the form's columns come one after another: the first column's labels (项目名称,
项目资金情况 …) sit before the title, then come the project name, the second column's labels,
and later the values in runs of one number per line (the amounts after 实施单位 and 项目期, the
评价得分 column ending with 综合得分 and 等次). A value is taken only when the layout or an
arithmetic identity pins it down:

- 综合得分 and 等次: the last number of the 评价得分 run and the grade line right after it;
- the indicators' 分值/得分: the 指标分值 rows paired one to one with the 评价得分 run, accepted
  only when the counts agree and every subtotal equals the sum of its items;
- 全年预算数 and 实际支出: the pair of amounts for which the 预算执行率 indicator's score equals
  its weight × 执行数 / 预算数 — and only when exactly one pair of values does;
- 年初预算数: the first amount, when the first fund row is 预算资金 and every amount between it
  and the budget is zero.
Everything else is listed in ``Form.missing`` (reported as ``performance.unrecoverable``).
"""

from __future__ import annotations

from .forms import Form, Indicator
from .labels import DATE_RANGE, FUND_ROW_LABELS, GRADES, HEAD_LABELS, INDICATOR_ROLES, YEAR_LINE
from .rows import Line, Num, Segment, norm, number, roles_of

SCORE_HEADERS = {"评价得分", "得分", "自评得分", "评分", "实际得分"}


def is_damaged(form: Form, seg: Segment) -> bool:
    """A self-evaluation that printed neither its amounts nor its indicator scores as rows."""
    if form.form != "self_evaluation":
        return False
    has_amounts = "budget" in form.amounts or "executed" in form.amounts
    has_scores = any(i.score for i in form.indicators) or form.score is not None
    if has_amounts or has_scores:
        return False
    # The pulled-apart layout prints its values one number per line.
    return any(len(_run(seg.lines, k)) >= 3 for k in range(len(seg.lines)))


def _singles(lines: list[Line]) -> list[tuple[int, str]]:
    return [(k, s) for k, ln in enumerate(lines) if (s := ln.single) is not None]


def _name(lines: list[Line]) -> str | None:
    for ln in lines:
        s = ln.single
        if s is None:
            return None
        if YEAR_LINE.match(norm(s)):
            continue
        t = norm(s)
        if len(t) > 40 or number(s) is not None or ":" in t or any(p.search(t) for _, p in HEAD_LABELS):
            return None
        return s
    return None


def _run(lines: list[Line], k: int) -> list[Num]:
    """Consecutive one-number lines starting at ``k``."""
    out: list[Num] = []
    while k < len(lines):
        s = lines[k].single
        n = number(s, lines[k].line) if s is not None else None
        if n is None:
            break
        out.append(n)
        k += 1
    return out


def _fund_rows(lines: list[Line]) -> list[str]:
    """The fund row labels (预算资金 / 预算下达资金 / 实际支出资金) in order, last group found."""
    groups: list[list[str]] = []
    current: list[str] = []
    for ln in lines:
        for c in ln.cells:
            t = norm(c)
            role = next((r for r, p in FUND_ROW_LABELS if p.search(t)), None) if len(t) <= 10 else None
            if role:
                if role == "initial" and current:
                    groups.append(current)
                    current = []
                current.append(role)
    if current:
        groups.append(current)
    return groups[-1] if groups else []


def _weights(lines: list[Line]) -> tuple[list[tuple[str, Num]], int]:
    """(label, 分值) rows under a 三级指标 | 指标分值 header."""
    for k, ln in enumerate(lines):
        roles = [r for _, r, _ in roles_of(ln.cells, INDICATOR_ROLES)]
        if len(ln.filled) == 2 and roles == ["level3", "weight"]:
            out = []
            for row in lines[k + 1:]:
                if len(row.cells) > 2 or not row.cells:
                    break
                n = number(row.cells[-1], row.line) if len(row.cells) == 2 else None
                if n is None:
                    break
                out.append((row.cells[0].strip(), n))
            return out, k
    return [], -1


def _scores(lines: list[Line]) -> tuple[list[Num], str | None, int]:
    """The 评价得分 run and the grade printed right after it."""
    for k, ln in enumerate(lines):
        s = ln.single
        if s is not None and norm(s) in SCORE_HEADERS:
            run = _run(lines, k + 1)
            if not run:
                continue
            after = k + 1 + len(run)
            grade = lines[after].single if after < len(lines) else None
            return run, grade if grade and norm(grade) in GRADES else None, after
    return [], None, -1


def _pair_indicators(weights: list[tuple[str, Num]], scores: list[Num]) -> list[Indicator] | None:
    """Pair 分值 rows with 评价得分 numbers when counts agree and every subtotal adds up."""
    if len(weights) != len(scores) or len(weights) < 2:
        return None
    rows = [Indicator(level3=label or None, weight=w, score=s, line=s.line, group=not label)
            for (label, w), s in zip(weights, scores, strict=True)]
    total = rows[-1]
    if not total.group:
        return None
    groups = [r for r in rows[:-1] if r.group]
    if not groups:
        return None
    # Each subtotal = the sum of the items after it; the total = the sum of the subtotals.
    members: list[list[Indicator]] = []
    for r in rows[:-1]:
        if r.group:
            members.append([])
        elif members:
            members[-1].append(r)
        else:
            return None
    for g, items in zip(groups, members, strict=True):
        if not items or abs(sum(i.score.value for i in items) - g.score.value) > 0.005 * (len(items) + 1) + 1e-9:
            return None
    if abs(sum(g.score.value for g in groups) - total.score.value) > 0.005 * (len(groups) + 1) + 1e-9:
        return None
    return rows


def _budget_pair(amounts: list[Num], weight: Num, score: Num) -> tuple[int, int] | None:
    """The one (预算数, 执行数) pair of amounts whose execution score matches the printed one."""
    hits: dict[tuple[float, float], tuple[int, int]] = {}
    for b in range(len(amounts)):
        for e in range(b + 1, len(amounts)):
            B, E = amounts[b], amounts[e]
            if B.value <= 0 or (E.value == 0 and score.value != 0):
                continue
            expected = weight.value * min(1.0, E.value / B.value)
            slack = score.half_unit + weight.value * (E.half_unit / B.value + E.value * B.half_unit / B.value ** 2)
            if abs(expected - score.value) <= slack + 1e-9:
                key = (B.value, E.value)
                if key not in hits or b > hits[key][0]:
                    hits[key] = (b, e)
    return next(iter(hits.values())) if len(hits) == 1 else None


def recover(form: Form, seg: Segment, before: list[Line]) -> None:
    """Fill what the pulled-apart layout proves; list the rest in ``form.missing``."""
    form.damaged = True
    lines = seg.lines
    # Head cells inside the segment belong to the next form's first column: not this form's.
    form.department = form.department_code = None
    if not form.name:
        form.name = _name(lines)
    singles = _singles(lines)
    period = next((k for k, s in singles if DATE_RANGE.match(norm(s))), None)
    after_name = next((k for k, s in singles if s == form.name), -1)
    labels = []
    for k, s in singles:
        if k <= after_name:
            continue
        if len(norm(s)) > 8:
            break
        labels.append(norm(s))
    if period is not None and period >= 1 and lines[period - 1].single and labels[:2] == ["实施单位", "项目期"]:
        form.implementing_unit = lines[period - 1].single
    amounts = _run(lines, period + 1) if period is not None else []
    weights, _ = _weights(lines)
    scores, grade, _ = _scores(lines)
    if scores and grade:
        form.score = scores[-1]
        form.grade = GRADES[norm(grade)]
        form.grade_printed = grade
        form.grade_line = scores[-1].line + 1
    paired = _pair_indicators(weights, scores)
    form.indicators, form.subtotals = [], []
    if paired:
        form.subtotals = [r for r in paired[:-1] if r.group]
        form.indicators = [r for r in paired[:-1] if not r.group]
        form.weight_total = paired[-1].weight
        form.notes.append("indicator names as extracted (the column was cut)")
    execution = next((i for i in form.indicators if i.level3 and "执行率" in i.level3), None)
    fund_rows = _fund_rows(before) or _fund_rows(lines)
    if amounts and len(amounts) == len(fund_rows) and len(set(fund_rows)) == len(fund_rows):
        for role, n in zip(fund_rows, amounts, strict=True):
            form.amounts[{"initial": "budget_initial"}.get(role, role)] = n
    elif amounts and execution and execution.weight and execution.score:
        pair = _budget_pair(amounts, execution.weight, execution.score)
        if pair:
            b, e = pair
            form.amounts["budget"], form.amounts["executed"] = amounts[b], amounts[e]
            if fund_rows[:1] == ["initial"] and b >= 1 and all(a.value == 0 for a in amounts[1:b]):
                form.amounts["budget_initial"] = amounts[0]
    wanted = [("name", form.name), ("budget", form.amounts.get("budget")),
              ("executed", form.amounts.get("executed")), ("budget_initial", form.amounts.get("budget_initial")),
              ("score", form.score), ("grade", form.grade), ("indicators", form.indicators or None)]
    form.missing = [k for k, v in wanted if v is None]
    if form.indicators:
        form.missing += ["indicator_targets", "indicator_actuals", "indicator_levels"]
    if not form.department:
        form.missing.append("department")
