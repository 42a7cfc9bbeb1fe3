"""Classified tables printed by unit: a department row, then each unit's row and its own 类/款/项 rows.

Some templates (Shenzhen's 支出总表, 一般公共预算支出表) print a department's table as blocks, one per
budget unit: ``深圳市建筑工务署 33,934.54`` (the department), ``深圳市建筑工务署（本级） 14,480.17`` and its
classified rows, the next unit and its rows, …. The department's figures are the sums over the
blocks, so a class (205 教育支出) is the sum of its rows in every block. :func:`merge_unit_blocks`
folds such a table into the department's one classified table — the department row becomes its
合计, each code's rows are summed — when the parts-of relation holds (the unit rows add up to the
department row); otherwise the table is left as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ORDINAL_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_TOTAL_RE = re.compile(r"^(?:合计|总计|本年收入合计|本年支出合计|收入总计|支出总计|部门合计|单位合计|小计)$")
TOTAL_NAME = "合计"


def _rows(records: list[dict]) -> list[list[dict]]:
    """Records grouped by printed row, in order."""
    out: list[list[dict]] = []
    for r in records:
        if out and out[-1][0]["row"] == r["row"]:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def _total(row: list[dict]) -> float | None:
    return next((r["value"] for r in row if r["measure"] == "total" and r["value"] is not None), None)


def _is_unit_row(row: list[dict]) -> bool:
    """An uncoded row with figures whose name is a unit's (not a total word)."""
    head = row[0]
    name = re.sub(r"\s+", "", head["name"] or "")
    return not head["code"] and bool(name) and not _TOTAL_RE.match(name) and _total(row) is not None


def _named_total(records: list[dict], rows: list[list[dict]]) -> list[dict]:
    """A table of one unit whose first row, named by the unit, is its 合计 (it equals the Σ of its 类)."""
    top = [_total(row) for row in rows[1:] if len(row[0]["code"] or "") == 3]
    total = _total(rows[0])
    if not top or total is None or abs(sum(v or 0.0 for v in top) - total) > 0.005 * (len(top) + 1) + 1e-6:
        return records
    first = rows[0][0]["row"]
    return [{**r, "name": TOTAL_NAME} if r["row"] == first else r for r in records]


def merge_unit_blocks(records: list[dict]) -> tuple[list[dict], dict[int, int], list[str]]:
    """The department's classified records from a table printed unit by unit (see the module doc),
    for each merged row the number of printed rows summed into it (its rounding grows with it), and
    the units' names (a narrative section under one of them speaks of that unit); the records unchanged when the table is not printed so or its unit rows do not add up."""
    rows = _rows(records)
    if len(rows) < 3 or not _is_unit_row(rows[0]):
        return records, {}, []
    dept = rows[0]
    units = [i for i, row in enumerate(rows[1:], 1) if _is_unit_row(row)]
    if not units and all(row[0]["code"] for row in rows[1:]):
        return _named_total(records, rows), {}, []
    if not units or any(_total(rows[i]) and (i + 1 >= len(rows) or not rows[i + 1][0]["code"]) for i in units):
        return records, {}, []  # a unit row with figures opens a block of coded rows
    if units[0] != 1 or any(not row[0]["code"] and not _is_unit_row(row) for row in rows[1:]):
        return records, {}, []  # anything else uncoded (a 合计, a heading) is another layout
    dept_total = _total(dept)
    parts = [_total(rows[i]) for i in units]
    if dept_total is None or abs(sum(p for p in parts if p is not None) - dept_total) > 0.01 + 0.005 * len(parts):
        return records, {}, []
    merged: dict[tuple[str, str | None], dict] = {}
    order: list[tuple[str, str | None]] = []
    printed: dict[str, int] = {}
    for row in rows[1:]:
        if not row[0]["code"]:
            continue
        printed[row[0]["code"]] = printed.get(row[0]["code"], 0) + 1
        for r in row:
            key = (r["code"], r["measure"])
            if key not in merged:
                merged[key] = dict(r)
                order.append(key)
            elif r["value"] is not None:
                prev = merged[key]["value"]
                merged[key]["value"] = r["value"] if prev is None else round(prev + r["value"], 6)
    # One row per code, in code order (类 before its 款 and 项), on the printed rows' numbers.
    codes = sorted(dict.fromkeys(k[0] for k in order))
    row_ids = sorted({r["row"] for row in rows[1:] for r in row})[: len(codes)]
    new_row = dict(zip(codes, row_ids, strict=True))
    out = [{**r, "name": TOTAL_NAME} for r in dept]
    for code in codes:
        for key in order:
            if key[0] == code:
                out.append({**merged[key], "row": new_row[code]})
    names = [rows[i][0]["name"] for i in units]
    return out, {new_row[c]: printed[c] for c in codes if printed[c] > 1}, names


def unit_names(tables: Iterable) -> list[str]:
    """The department's units, as its tables printed unit by unit name them."""
    return list(dict.fromkeys(u for t in tables for u in getattr(t, "units", ())))


def names_unit(heading: str, units: list[str]) -> bool:
    """Whether a narrative heading ("一、市建筑工务署本级") names one of the units ("深圳市建筑工务署（本级）"):
    the figures under it are that unit's, not the department's."""
    h = re.sub(r"[（）()\s]", "", _ORDINAL_RE.sub("", heading or ""))
    if len(h) < 4:
        return False
    names = (re.sub(r"[（）()\s]", "", u) for u in units)
    return any(h in u or u in h for u in names if len(u) >= 4)
