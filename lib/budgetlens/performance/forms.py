"""Reading one form: its head (项目名称, 主管部门, 实施单位), funds block, indicator table, total and grade.

Columns are found by their header text; each data row is then aligned on the cells that can
be recognised for sure (the numeric 分值/得分 pair, or the first target-like value), because
extractions often drop merged cells and shift a row left or right of its header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..canonical import clean_name
from ..numbers import to_wan
from .labels import (
    CODE_PREFIX,
    FUND_NUMERIC,
    FUND_ROLES,
    FUNDS_END,
    GRADE_LABEL,
    GRADES,
    GROUP_LABELS,
    HEAD_LABELS,
    HEAD_ROW,
    INDICATOR_ROLES,
    LEVEL1_WORDS,
    LEVELS,
    PERIOD_AMOUNT,
    STOP_ROW,
    TARGET_AMOUNT,
    TOTAL_ROW,
    UNIT_FIELDS,
    UNIT_STATEMENTS,
    UNIT_TEXT_FIELDS,
    VALUE_LIKE,
)
from .rows import Line, Num, Segment, amount_with_unit, expand_header, norm, number, placeholder, roles_of


@dataclass
class Indicator:
    """One row of the indicator table (a leaf, or a first-level subtotal when ``group``)."""

    level1: str | None = None
    level2: str | None = None
    level3: str | None = None
    target: str | None = None
    adjusted_target: str | None = None
    actual: str | None = None
    weight: Num | None = None
    score: Num | None = None
    deviation: str | None = None
    line: int = 0
    group: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "level1": self.level1, "level2": self.level2, "level3": self.level3,
            "target": self.target, "adjusted_target": self.adjusted_target, "actual": self.actual,
            "weight": self.weight.value if self.weight else None,
            "score": self.score.value if self.score else None,
            "deviation": self.deviation, "line": self.line,
        }
        out.update(self.extra)
        return out


@dataclass
class Form:
    """One parsed form. Amounts are in 万元 (``Num.printed`` keeps the printed text)."""

    form: str  # self_evaluation | target | unit
    kind: str
    title: str
    line: int
    name: str | None = None
    department: str | None = None
    department_code: str | None = None
    implementing_unit: str | None = None
    implementing_unit_code: str | None = None
    amounts: dict[str, Num] = field(default_factory=dict)  # budget_initial, budget, executed, …
    execution_rate: Num | None = None
    execution_score: Num | None = None
    execution_weight: Num | None = None
    score: Num | None = None
    weight_total: Num | None = None
    grade: str | None = None
    grade_printed: str | None = None
    grade_line: int = 0
    indicators: list[Indicator] = field(default_factory=list)
    subtotals: list[Indicator] = field(default_factory=list)
    source_currency: str = "万元"
    damaged: bool = False
    missing: list[str] = field(default_factory=list)
    facts: dict[str, Num] = field(default_factory=dict)
    fact_rows: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unread_rows: list[int] = field(default_factory=list)  # indicator lines with figures no column took
    plain: bool = False  # read from a plain text layer: a row whose blank cells were dropped may lose its 分值

    @property
    def label(self) -> str:
        return self.name or self.title

    def to_json(self) -> dict[str, Any]:
        """The ``projects`` entry of the extract contract."""
        out: dict[str, Any] = {"name": self.name, "form": self.form}
        for key in ("department", "department_code", "implementing_unit"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        for key in ("budget_initial", "budget", "executed"):
            if key in self.amounts:
                out[key] = round(self.amounts[key].value, 6)
        if self.execution_rate:
            out["execution_rate"] = self.execution_rate.value
        if self.execution_score:
            out["execution_score"] = self.execution_score.value
        if self.score:
            out["score"] = self.score.value
        if self.grade:
            out["grade"] = self.grade
        if self.grade_printed and self.grade_printed != self.grade:
            out["grade_printed"] = self.grade_printed
        if "budget_period" in self.amounts:
            out["budget_period"] = round(self.amounts["budget_period"].value, 6)
        if self.source_currency != "万元":
            out["source_currency_unit"] = self.source_currency
        out["indicators"] = [i.to_json() for i in self.indicators]
        out["line"] = self.line
        out["kind"] = self.kind
        if self.damaged:
            out["damaged"] = True
            out["missing"] = list(self.missing)
        if self.notes:
            out["notes"] = list(self.notes)
        return out


# --- head ---------------------------------------------------------------------------------


def _split_code(text: str) -> tuple[str | None, str | None]:
    if text.strip().isdigit():
        return text.strip(), None
    m = CODE_PREFIX.match(text.strip())
    return (m.group(1), m.group(2).strip()) if m else (None, text.strip())


def read_head(form: Form, lines: list[Line]) -> None:
    """项目名称, 主管部门(及代码) and 实施单位 from label | value cells."""
    for ln in lines:
        cells = ln.cells
        for i, cell in enumerate(cells):
            t = norm(cell)
            for key, pat in HEAD_LABELS:
                if not pat.search(t) or getattr(form, key):
                    continue
                value = next((c.strip() for c in cells[i + 1:] if c.strip()), None)
                if value is None or any(p.search(norm(value)) for _, p in HEAD_LABELS):
                    continue
                if key == "name":
                    form.name = value
                else:
                    code, name = _split_code(value)
                    setattr(form, key, name)
                    setattr(form, f"{key}_code", code)
                break


def _currency_of(text: str) -> str | None:
    t = norm(text)
    if "(万元)" in t or "万元" in t:
        return "万元"
    if "(元)" in t or t.endswith("元)"):
        return "元"
    return None


def read_target_amounts(form: Form, lines: list[Line], doc_currency: str) -> None:
    """年度预算总额 / 年度资金总额 (and 实施期资金总额) of a target form, in 万元."""
    for ln in lines:
        cells = ln.cells
        row_unit = next((u for c in cells[:2] if (u := _currency_of(c))), None)
        for i, cell in enumerate(cells):
            t = norm(cell)
            key = "budget" if TARGET_AMOUNT.search(t) else "budget_period" if PERIOD_AMOUNT.search(t) else None
            if key is None or key in form.amounts:
                continue
            value = next((c for c in cells[i + 1:] if c.strip()), None)
            parsed = amount_with_unit(value, ln.line) if value else None
            if parsed is None:
                continue
            num, unit = parsed
            unit = unit or _currency_of(cell) or row_unit or doc_currency
            if unit != "万元":
                form.source_currency = unit
            form.amounts[key] = Num(to_wan(num.value, unit) or 0.0, num.printed + ("" if unit == "万元" else unit),
                                    ln.line)


# --- funds block --------------------------------------------------------------------------


def _fund_header(lines: list[Line]) -> int | None:
    for k, ln in enumerate(lines):
        roles = {r for _, r, _ in roles_of(ln.cells, FUND_ROLES, skip_first=True)}
        if len(roles & {"budget", "executed", "rate", "initial"}) >= 2 and ("executed" in roles or "rate" in roles):
            return k
    return None


def _tokens(ln: Line) -> list[tuple[str, Num | None]]:
    """The numeric (or placeholder) cells after the row's label."""
    out: list[tuple[str, Num | None]] = []
    started = False
    for cell in ln.cells:
        if not cell.strip():
            continue
        n = number(cell, ln.line)
        if n is None and not placeholder(cell):
            if started:
                break
            continue
        started = True
        out.append((cell, n))
    return out


def rate_slack(budget: Num, executed: Num, rate: Num | None = None) -> float:
    """How far 执行数/预算数×100 may sit from a printed 执行率 through rounding alone."""
    b = budget.value
    slack = 100 * (executed.half_unit / b + executed.value * budget.half_unit / b ** 2)
    return slack + (rate.half_unit if rate else 0.005) + 1e-9


def _rate_ok(b: Num | None, e: Num | None, r: Num | None) -> bool:
    if b is None or e is None or r is None or b.value <= 0:
        return True
    return abs(100 * e.value / b.value - r.value) <= rate_slack(b, e, r)


def read_funds(form: Form, lines: list[Line]) -> int | None:
    """The funds block of a self-evaluation; returns the index of its header line (None if absent)."""
    h = _fund_header(lines)
    if h is None:
        return None
    header = roles_of(lines[h].cells, FUND_ROLES, skip_first=True)
    unit = next((u for c in lines[h].cells if (u := _currency_of(c))), None)
    rest = lines[h + 1:h + 8]
    end = next((k for k, ln in enumerate(rest) if ln.filled and FUNDS_END.search(norm(ln.filled[0]))), len(rest))
    rest = rest[:end]
    if rest and not _tokens(rest[0]):
        sub = roles_of(rest[0].cells, FUND_ROLES, skip_first=True)
        header = expand_header(header, sub)
        unit = unit or next((u for c in rest[0].cells if (u := _currency_of(c))), None)
    unit = unit or "万元"
    data = [ln for ln in rest if len([n for _, n in _tokens(ln) if n is not None]) >= 2]
    if not data:
        return h
    total = next((ln for ln in data if any(k in norm(c) for c in ln.cells[:3] for k in ("总额", "合计", "总计"))),
                 data[0])
    tokens = [n for _, n in _tokens(total)]
    roles = [r for _, r, _ in header if r in FUND_NUMERIC]
    got: dict[str, Num] = {}
    if len(tokens) == len(roles):
        got = {r: n for r, n in zip(roles, tokens, strict=True) if n is not None and r not in got}
    if not got or not _rate_ok(got.get("budget"), got.get("executed"), got.get("rate")) or \
            "budget" not in got or "executed" not in got:
        solved = _solve_funds([n for n in tokens if n is not None])
        if solved:
            got = solved
    if unit != "万元":
        form.source_currency = unit
    for key, role in (("budget_initial", "initial"), ("budget", "budget"), ("executed", "executed")):
        n = got.get(role) or (got.get("declared") if role == "initial" else None)
        if n is not None:
            form.amounts[key] = Num(to_wan(n.value, unit) or 0.0, n.printed, n.line)
    form.execution_rate = got.get("rate")
    form.execution_score = got.get("score")
    form.execution_weight = got.get("weight")
    return h


def _solve_funds(values: list[Num]) -> dict[str, Num]:
    """Which printed numbers are 全年预算数, 全年执行数 and 执行率, from 执行率 = 执行数/预算数.

    The budget is the one nearest before the executed amount; numbers before it are the
    年初预算 columns, the one between executed and rate (when it is budget − executed) the
    balance, and the one after the rate the execution score.
    """
    found: list[tuple[int, int, int]] = []
    for r in range(len(values)):
        for e in range(r):
            for b in range(e):
                if values[b].value > 0 and _rate_ok(values[b], values[e], values[r]) and values[r].value > 0:
                    found.append((b, e, r))
    if not found:
        return {}
    b, e, r = max(found, key=lambda t: (t[1] == t[0] + 1, t[2] - t[1] <= 2, t[0], -t[2]))
    out = {"budget": values[b], "executed": values[e], "rate": values[r]}
    if b >= 1:
        out["initial"] = values[b - 1]
    if r + 1 < len(values) and values[r + 1].value <= 100:
        out["score"] = values[r + 1]
    return out


# --- indicators ---------------------------------------------------------------------------


def _indicator_header(lines: list[Line], start: int = 0) -> int | None:
    for k in range(start, len(lines)):
        roles = {r for _, r, _ in roles_of(lines[k].cells, INDICATOR_ROLES)}
        if roles & {"level2", "level3"} and roles & {"target", "actual", "weight", "score"}:
            return k
    return None


def _group_one(header: list[tuple[int, str, str]]) -> dict[str, int]:
    """Role → position for the first column group (side-by-side 实施期 | 年度 blocks repeat roles)."""
    pos: dict[str, int] = {}
    for p, role, _ in header:
        if role in pos:
            if role in LEVELS:
                break
            continue
        pos[role] = p
    return pos


def _is_value_like(text: str) -> bool:
    return bool(VALUE_LIKE.match(norm(text)))


def _cell(cells: list[str], i: int) -> str:
    return clean_name(cells[i]) if 0 <= i < len(cells) else ""


def _shift(cells: list[str], pos: dict[str, int]) -> int | None:
    """How far this row sits from its header: anchored on 分值/得分, else on the first value."""
    anchors = [r for r in ("weight", "score") if r in pos]
    if anchors:
        first = anchors[0]
        shifts = []
        for j, c in enumerate(cells):
            if number(c) is None:
                continue
            s = j - pos[first]
            if all(number(_cell(cells, pos[r] + s)) is not None for r in anchors[1:]):
                shifts.append(s)
        return min(shifts, key=lambda s: (abs(s), s)) if shifts else None
    if "level3" in pos:
        lv3 = _cell(cells, pos["level3"])
        if lv3 and not _is_value_like(lv3):
            return 0
    values = [pos[r] for r in pos if r not in LEVELS]
    if not values:
        return 0
    first_value = min(values)
    for j, c in enumerate(cells):
        if j >= 1 and c.strip() and _is_value_like(c):
            return j - first_value
    return 0


def _labels(cells: list[str], pos: dict[str, int], shift: int) -> dict[str, str]:
    value_pos = [p + shift for r, p in pos.items() if r not in LEVELS]
    first_value = min(value_pos) if value_pos else len(cells)
    levels = [r for r in LEVELS if r in pos]
    out: dict[str, str] = {}
    positional = shift == 0 and all(
        not c.strip() or norm(c) in GROUP_LABELS or i in {pos[r] for r in levels}
        for i, c in enumerate(cells[:first_value]))
    if positional and levels:
        for r in levels:
            t = _cell(cells, pos[r])
            if t and norm(t) not in GROUP_LABELS:
                out[r] = t
        return out
    found = [clean_name(c) for c in cells[:max(first_value, 0)] if c.strip() and norm(c) not in GROUP_LABELS]
    for r, t in zip(reversed(LEVELS), reversed(found), strict=False):
        out[r] = t
    if "level2" in out and norm(out["level2"]) in LEVEL1_WORDS and "level1" not in out:
        out["level1"] = out.pop("level2")
    return out


def read_indicators(form: Form, lines: list[Line], start: int = 0) -> int:
    """The indicator table (and the 总分 row after it); returns the index after the last line read."""
    h = _indicator_header(lines, start)
    if h is None:
        return start
    header = roles_of(lines[h].cells, INDICATOR_ROLES)
    k = h + 1
    if k < len(lines) and not any(number(c) for c in lines[k].cells):
        sub = roles_of(lines[k].cells, INDICATOR_ROLES)
        if sub and not ({r for _, r, _ in sub} & set(LEVELS)):
            header = expand_header(header, sub)
            k += 1
    pos = _group_one(header)
    cur: dict[str, str | None] = {"level1": None, "level2": None}
    # Rows of the form's head that a PDF repeats at the top of each continuation page.
    head = {tuple(norm(c) for c in ln.filled) for ln in lines[:h + 1]}
    while k < len(lines):
        ln = lines[k]
        first = norm(ln.filled[0]) if ln.filled else ""
        if TOTAL_ROW.match(first):
            _read_total(form, ln)
            k += 1
            break
        if STOP_ROW.match(first):
            break
        if tuple(norm(c) for c in ln.filled) not in head and not HEAD_ROW.match(first):
            before = len(form.indicators) + len(form.subtotals)
            _read_indicator_row(form, ln, pos, cur)
            if len(form.indicators) + len(form.subtotals) == before and any(number(c) for c in ln.cells):
                form.unread_rows.append(ln.line)  # (a text layer that dropped blank cells)
        k += 1
    return k


def _read_indicator_row(form: Form, ln: Line, pos: dict[str, int], cur: dict[str, str | None]) -> None:
    cells = ln.cells
    shift = _shift(cells, pos)
    if shift is None:
        shift = 0
    labels = _labels(cells, pos, shift)
    values: dict[str, str] = {r: _cell(cells, p + shift) for r, p in pos.items() if r not in LEVELS}
    weight = number(values.get("weight"), ln.line) if "weight" in pos else None
    score = number(values.get("score"), ln.line) if "score" in pos else None
    if "level1" in labels:
        cur["level1"], cur["level2"] = labels["level1"], None
    if "level2" in labels:
        cur["level2"] = labels["level2"]
    level3 = labels.get("level3")
    has_values = any(values.get(r) for r in ("target", "adjusted_target", "actual")) or weight or score
    if not level3 and not has_values:
        return
    if not level3:
        # A first-level row with its own 分值/得分 (投入 16 16.00): a subtotal.
        name = labels.get("level2") or labels.get("level1")
        if name:
            cur["level1"], cur["level2"] = name, None
        form.subtotals.append(Indicator(level1=name, weight=weight, score=score, line=ln.line, group=True))
        return
    if not has_values:
        # A label that names the next level (二级指标 printed on its own row).
        return
    extra = {r: values[r] for r in ("basis", "prior", "rule", "proof", "analysis") if values.get(r)}
    form.indicators.append(Indicator(
        level1=cur["level1"], level2=cur["level2"], level3=level3,
        target=values.get("target") or None, adjusted_target=values.get("adjusted_target") or None,
        actual=values.get("actual") or None, weight=weight, score=score,
        deviation=values.get("deviation") or None, line=ln.line, extra=extra))


def _grade_of(text: str) -> str | None:
    return GRADES.get(norm(text))


def _read_total(form: Form, ln: Line) -> None:
    nums = [n for c in ln.cells if (n := number(c, ln.line)) is not None]
    if nums:
        form.score = nums[-1]
        if len(nums) >= 2:
            form.weight_total = nums[0]
    for c in ln.cells:
        g = _grade_of(c)
        if g:
            form.grade, form.grade_printed, form.grade_line = g, c.strip(), ln.line


def read_grade(form: Form, lines: list[Line]) -> None:
    """等级 printed on its own row (评价结果等次: 优 / 自评等级 | 良)."""
    if form.grade:
        return
    for ln in lines:
        for i, c in enumerate(ln.cells):
            if GRADE_LABEL.search(norm(c)):
                value = next((x for x in ln.cells[i + 1:] if x.strip()), None)
                g = _grade_of(value) if value else None
                if g is None:
                    tail = norm(c).split(":")[-1]
                    g = _grade_of(tail) if tail != norm(c) else None
                    value = tail
                if g:
                    form.grade, form.grade_printed, form.grade_line = g, (value or "").strip(), ln.line
                    return


def read_project(seg: Segment, doc_currency: str) -> Form:
    """A project self-evaluation or target form read from its lines (undamaged layout)."""
    form = Form(form=seg.form, kind=seg.kind, title=seg.title, line=seg.line, plain=seg.plain)
    read_head(form, seg.lines)
    if seg.form == "target":
        read_target_amounts(form, seg.lines, doc_currency)
    h = read_funds(form, seg.lines) if seg.form == "self_evaluation" else None
    read_indicators(form, seg.lines, (h or 0))
    read_grade(form, seg.lines)
    return form


# --- unit-level form ----------------------------------------------------------------------


def read_unit(seg: Segment) -> Form:
    """部门整体支出绩效自评表: the money line-up, its scoring table, 综合得分 and 等级, staff and totals."""
    form = Form(form="unit", kind=seg.kind, title=seg.title, line=seg.line)
    stop = _indicator_header(seg.lines)
    head = seg.lines[:stop] if stop is not None else seg.lines
    for ln in head:
        cells = ln.cells
        for i, cell in enumerate(cells):
            t = norm(cell)
            for key, pat in UNIT_FIELDS:
                if key in form.facts or not pat.search(t):
                    continue
                value = next((c for c in cells[i + 1:] if c.strip()), None)
                n = number(value, ln.line) if value else None
                if n is not None:
                    unit = _currency_of(cell) or "万元"
                    form.facts[key] = Num(to_wan(n.value, unit) or 0.0, n.printed, ln.line)
                    form.fact_rows[key] = cell.strip()
                break
    for label in UNIT_TEXT_FIELDS:
        for ln in head:
            if len(ln.filled) >= 2 and norm(ln.filled[0]) == label:
                text = " ".join(ln.filled[1:])
                for key, pat in UNIT_STATEMENTS:
                    m = pat.search(text.replace(" ", ""))
                    if m and key not in form.facts:
                        form.facts[key] = Num(float(m.group(1).replace(",", "")), m.group(1), ln.line)
                        form.fact_rows[key] = label
    read_head(form, head)
    if not {"budget_initial", "budget_adjusted", "budget_executed"} & set(form.facts):
        # The national layout: a funds block (年初预算数 全年预算数 全年执行数 执行率) as in a project form.
        read_funds(form, seg.lines)
        for key, amount in (("budget_initial", "budget_initial"), ("budget_adjusted", "budget"),
                            ("budget_executed", "executed")):
            if amount in form.amounts:
                form.facts[key] = form.amounts[amount]
                form.fact_rows[key] = "年度资金总额"
    read_indicators(form, seg.lines, 0)
    read_grade(form, seg.lines)
    return form
