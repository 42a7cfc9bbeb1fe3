"""The checklist as the inspectors' workbook (openpyxl): one sheet per document in their layout — a
title, header rows 部门名称 / 部门编码 / 公开网址 (the code and the URL left for the user), then
检查内容 | 符合要求 | 问题 — and, for several documents, a summary sheet first. Written to a temporary
file and renamed (never half)."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from ..fsutil import atomic_write
from . import Checklist

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def problems_text(problems: list[str]) -> str:
    """"1.…\\n2.…" as inspectors number them (one problem alone is not numbered)."""
    if len(problems) == 1:
        return problems[0]
    return "\n".join(f"{i}.{p}" for i, p in enumerate(problems, 1))


def _sheet_name(text: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", text)[:28] or "检查表"
    name, k = base, 2
    while name in used:
        name, k = f"{base[:26]}-{k}", k + 1
    used.add(name)
    return name


def _write_sheet(ws, cl: Checklist) -> None:
    d = cl.document
    level = d.get("level_name", "部门")
    ws.merge_cells("A1:E1")
    ws["A1"] = cl.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = CENTRE
    ws.merge_cells("A3:E3")
    ws["A3"] = f"{level}名称: {d.get('unit') or ''}"
    ws.merge_cells("A4:E4")
    ws["A4"] = f"{level}编码："
    ws.merge_cells("A5:E5")
    ws["A5"] = "公开网址："
    ws.merge_cells("A6:C6")
    ws["A6"] = f"{d.get('year') or ''}年度{level}{d.get('kind_name', '')}公开检查内容"
    ws["D6"], ws["E6"] = "符合要求", "问题截图"
    for c in ("A6", "B6", "C6", "D6", "E6"):
        ws[c].font = Font(bold=True)
        ws[c].alignment = CENTRE
        ws[c].border = BOX
    row = 7
    group_start: tuple[int, str] | None = None
    for item in cl.items:
        if item.group:
            if group_start is not None and row - 1 > group_start[0]:
                ws.merge_cells(start_row=group_start[0], start_column=1, end_row=row - 1, end_column=1)
            group_start = (row, item.group)
            ws.cell(row=row, column=1, value=item.group)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        ws.cell(row=row, column=2, value=item.item)
        ws.cell(row=row, column=4, value={True: "是", False: "否", None: ""}[item.ok])
        ws.cell(row=row, column=5, value=problems_text(item.problems) if item.problems else (item.note or None))
        for col in range(1, 6):
            cell = ws.cell(row=row, column=col)
            cell.border = BOX
            cell.alignment = CENTRE if col in (1, 4) else WRAP
        row += 1
    if group_start is not None and row - 1 > group_start[0]:
        ws.merge_cells(start_row=group_start[0], start_column=1, end_row=row - 1, end_column=1)
    for col, width in zip("ABCDE", (12, 19, 61, 10, 80), strict=True):
        ws.column_dimensions[col].width = width


def write_workbook(checklists: list[Checklist], out: str | Path) -> Path:
    """Write the workbook: a summary sheet when there are several documents, then one sheet each."""
    wb = Workbook()
    used: set[str] = set()
    first = wb.active
    if len(checklists) > 1:
        first.title = _sheet_name("汇总", used)
        first.append(["文件", "单位", "年度", "类型", "不符合项数", "不符合的检查内容"])
        for c in first[1]:
            c.font = Font(bold=True)
        for cl in checklists:
            d = cl.document
            first.append([Path(str(d.get("path"))).name, d.get("unit"), d.get("year"),
                          f"{d.get('level_name', '')}{d.get('kind_name', '')}", len(cl.failed),
                          "、".join(i.item for i in cl.failed)])
        for col, width in zip("ABCDEF", (44, 30, 8, 10, 12, 80), strict=True):
            first.column_dimensions[col].width = width
    for k, cl in enumerate(checklists):
        ws = first if (k == 0 and len(checklists) == 1) else wb.create_sheet()
        d = cl.document
        ws.title = _sheet_name(f"{d.get('year') or ''}{(d.get('unit') or Path(str(d.get('path'))).stem)}", used)
        _write_sheet(ws, cl)
    return atomic_write(out, wb.save)


def format_checklist(cl: Checklist) -> str:
    """A readable checklist for the terminal."""
    lines = [f"== {cl.document.get('path')}: {cl.title}"]
    for item in cl.items:
        mark = {True: "是", False: "否", None: "—"}[item.ok]
        lines.append(f"  [{mark}] {item.item}" + (f"（{item.note}）" if item.note and not item.problems else ""))
        for i, p in enumerate(item.problems, 1):
            lines.append(f"        {i}. {p}")
    return "\n".join(lines)
