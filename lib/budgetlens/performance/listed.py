"""Target forms that list many projects in one table (Beijing's 项目支出绩效目标表, Guangzhou's
项目支出绩效目标表（含转移支付项目）): one header row of column names, then a row per project
(项目名称 | 项目总额 | 财政资金 | 其他资金 | 绩效目标 | 一级指标 | 二级指标 | 三级指标 | 指标值 …)
followed by the rows of its further indicators, until the next project's row.

Columns are found by their header words (registry-free: the words are the form's own), never by
position; a row is a project's when its name cell is filled and its amount cell holds an amount;
rows named 合计/小计 and rows of a unit with no target of its own (Guangzhou's 资金使用单位 rows)
are totals, not projects.
"""

from __future__ import annotations

import re

from ..numbers import to_wan
from .forms import Form, Indicator
from .rows import Line, Num, Segment, norm, number

_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("name", re.compile(r"^项目名称")),
    ("other", re.compile(r"^其他资金")),
    ("fiscal", re.compile(r"^财政(?:资金|拨款)")),
    ("total", re.compile(r"^(?:项目总额|总计|合计|预算金额|项目金额)")),
    ("goal", re.compile(r"^(?:年度)?绩效目标$")),
    ("level1", re.compile(r"^一级指标")),
    ("level2", re.compile(r"^二级指标")),
    ("level3", re.compile(r"^三级指标")),
    ("nature", re.compile(r"指标性质")),
    ("target", re.compile(r"指标值")),
    ("measure_unit", re.compile(r"度量单位|计量单位")),
    ("indicators_text", re.compile(r"^绩效指标$")),
]
_TOTAL_NAME = re.compile(r"^(?:合计|小计|总计)[:：]?$")
_CODE = re.compile(r"^([0-9]{8}[A-Z][0-9]{9})\s*(.+)$")


def _roles(cells: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, cell in enumerate(cells):
        t = norm(cell)
        for role, pat in _COLUMNS:
            if role not in out and pat.search(t):
                out[role] = i
                break
    return out


def header(lines: list[Line]) -> tuple[int, dict[str, int]] | None:
    """(index of the last header line, column of each role) when the form lists its projects."""
    for n, ln in enumerate(lines[:6]):
        roles = _roles(ln.cells)
        if "name" in roles and "total" in roles and ({"level1", "indicators_text", "goal"} & set(roles)) \
                and roles["total"] > roles["name"]:
            last = n
            if n + 1 < len(lines):  # a second header row (其中：财政资金 | 其他资金)
                sub = {r: i for r, i in _roles(lines[n + 1].cells).items() if r in {"fiscal", "other"}}
                if sub and not any(number(c) for c in lines[n + 1].cells):
                    roles.update(sub)
                    last = n + 1
            return last, roles
    return None


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def read_listed(seg: Segment, currency: str) -> list[Form] | None:
    """Every project of a listing target form, or None when the form is not a listing."""
    found = header(seg.lines)
    if found is None:
        return None
    last, roles = found
    forms: list[Form] = []
    seen: set[int] = set()
    current: Form | None = None
    for ln in seg.lines[last + 1:]:
        if ln.line in seen:
            continue  # a continuation's rows, joined to the first part and printed again
        seen.add(ln.line)
        cells = ln.cells
        name = _cell(cells, roles["name"])
        total = number(_cell(cells, roles["total"]) or None, ln.line)
        if name and total is not None:
            has_target = any(_cell(cells, roles.get(r)) for r in ("goal", "level1", "indicators_text"))
            if _TOTAL_NAME.match(norm(name)) or not has_target:
                current = None  # 合计 / a unit's subtotal row
                continue
            m = _CODE.match(re.sub(r"\s+", "", name))
            project = m.group(2) if m else name
            if current is not None and current.name == project and current.amounts["budget"].printed == total.printed:
                pass  # the project's row printed again above its indicators continued on the next page
            else:
                current = Form(form="target", kind=seg.kind, title=seg.title, line=ln.line,
                               name=project)
                if m:
                    current.notes.append(f"项目编码{m.group(1)}")
                current.amounts["budget"] = Num(to_wan(total.value, currency) or 0.0, total.printed, ln.line)
                forms.append(current)
        if current is None:
            continue
        level3 = _cell(cells, roles.get("level3"))
        value = _cell(cells, roles.get("target"))
        if level3 or value:
            unit = _cell(cells, roles.get("measure_unit"))
            ind = Indicator(level1=_cell(cells, roles.get("level1")) or None,
                            level2=_cell(cells, roles.get("level2")) or None,
                            level3=level3 or None, target=(value + unit) if value else None, line=ln.line)
            if nature := _cell(cells, roles.get("nature")):
                ind.extra["nature"] = nature
            current.indicators.append(ind)
    return forms
