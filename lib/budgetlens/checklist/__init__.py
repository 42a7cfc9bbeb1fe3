"""The official disclosure checklist (公开情况检查表): each row an inspector checks, 是/否, and for each 否
the problems found, numeric and textual, with page and quotation.

:func:`build_checklist` maps one extraction's findings (the validator's rules, budgetlens.checks) to the
rows of its kind and level (registry/checklist.yaml ``rows``): a finding in the text goes to the row of
its section (budgetlens.sections), one about a table to that table's row. Only errors and warnings
make a row 否; a finding that doubts our own reading of a table ("可能是表格识别错位") does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..registry import required_tables, table_kind
from ..sections import Layout, checklist_registry, extraction_layout

if TYPE_CHECKING:  # pragma: no cover
    from ..extraction import Extraction

__all__ = ["Checklist", "Item", "build_checklist"]

COUNTED = ("error", "warning")


@dataclass
class Item:
    """One row: what is checked, 是 (True) / 否 (False) / left for the user (None), the problems."""

    id: str
    item: str
    group: str = ""
    ok: bool | None = True
    problems: list[str] = field(default_factory=list)
    note: str = ""
    table: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"item": self.item, "ok": self.ok, "problems": self.problems}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Checklist:
    document: dict[str, Any]
    items: list[Item]

    @property
    def title(self) -> str:
        d = self.document
        return f"{d.get('year') or ''}年度{d.get('unit') or ''}{d.get('level_name', '')}{d.get('kind_name', '')}公开情况检查表"

    @property
    def failed(self) -> list[Item]:
        return [i for i in self.items if i.ok is False]

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "items": [i.to_json() for i in self.items]}


def _level(result: Extraction) -> str:
    return "单位" if (result.recognition.scope if result.recognition else None) == "unit" else "部门"


def table_row_title(title: str | None, unit: str | None, fallback: str) -> str:
    """A table's row as inspectors write it: its printed title without number, year or unit name."""
    t = re.sub(r"\s+", "", title or "")
    t = re.sub(r"^(?:\d{1,2}[.．、]|[一二三四五六七八九十]+、|表\d+|公开\d+表)", "", t)
    t = re.sub(r"20\d{2}年度?", "", t)
    if unit:
        t = t.replace(re.sub(r"\s+", "", unit), "")
    return f"《{t or fallback}》"


def _table_rows(result: Extraction, level: str) -> list[Item]:
    """One row per standard table the document prints (first of each kind, in order), then the required
    kinds it does not print."""
    rows: list[Item] = []
    seen: set[str] = set()
    unit = result.recognition.unit if result.recognition else None
    for t in result.tables:
        if t.kind_name is None or t.id in seen or t.id in ("project_performance", "project_targets", "unit_performance"):
            continue
        seen.add(t.id)
        rows.append(Item(id=f"table:{t.id}", item=table_row_title(t.title, unit, level + (t.kind_name or "")), table=t.id))
    for kind_id in required_tables(result.kind, [t.title or "" for t in result.tables]):
        if kind_id not in seen:
            rows.append(Item(id=f"table:{kind_id}", item=f"《{level}{table_kind(kind_id).name}》", table=kind_id))
    return rows


def _row_for(finding: dict[str, Any], layout: Layout, by_id: dict[str, Item]) -> Item | None:
    """The row a finding belongs to: its section's, or its table's."""
    ev = finding.get("evidence") or {}
    rule = str(finding.get("rule", ""))
    if rule == "text.three_public":
        return by_id.get("three_public_counts" if ev.get("count") else "three_public_items")
    if rule == "completeness.missing_table" or rule.startswith(("table.", "summary.", "codes.", "cross.")) \
            or rule == "completeness.undeclared_empty" or rule == "completeness.note_fund":
        for tid in ev.get("tables") or []:
            if f"table:{tid}" in by_id:
                return by_id[f"table:{tid}"]
    section = ev.get("section")
    lines = ev.get("lines") or []
    if section == "tables" or (section is None and lines and layout.where(lines[0]) == "tables"):
        span = layout.table_at(lines[0]) if lines else None
        if span is None and lines:  # a heading of the tables part: the row of the table it introduces
            span = next((t for t in layout.tables if t.line >= lines[0] and f"table:{t.table_id}" in by_id), None)
        if span is not None and f"table:{span.table_id}" in by_id:
            return by_id[f"table:{span.table_id}"]
    if section is None and lines:
        section = layout.where(lines[0])
    if section and section in by_id:
        return by_id[section]
    for tid in ev.get("tables") or []:
        if f"table:{tid}" in by_id:
            return by_id[f"table:{tid}"]
    return by_id.get("notes")


def _problem(finding: dict[str, Any], layout: Layout) -> str:
    ev = finding.get("evidence") or {}
    page = ev.get("page")
    lines = ev.get("lines") or []
    if page is None and lines:
        page = layout.page_of(lines[0])
    msg = str(finding.get("message", ""))
    return msg + (f"（第{page}页）" if page and f"第{page}页" not in msg else "")


def build_checklist(result: Extraction, *, layout: Layout | None = None) -> Checklist:
    """The checklist of one extraction: its rows, each 是/否 with the problems found."""
    layout = layout or extraction_layout(result)
    reg = checklist_registry()
    kind = result.kind if result.kind in reg["rows"] else "budget"
    level = _level(result)
    items: list[Item] = []
    group = ""
    for row in reg["rows"][kind]:
        if row["id"] == "tables":
            items.extend(_table_rows(result, level))
            continue
        group = row.get("group", group)
        item = Item(id=row["id"], item=row["item"].replace("{level}", level), group=row.get("group", ""))
        if row.get("user"):
            item.ok, item.note = None, "由检查人填写"
        items.append(item)
    by_id = {i.id: i for i in items}
    for f in result.findings:
        ev = f.get("evidence") or {}
        if f.get("severity") not in COUNTED or ev.get("doubt") or str(f.get("rule", "")).startswith("checks."):
            continue
        if "识别错位" in str(f.get("message", "")):
            continue  # our reading of a table is in doubt: no conclusion about the document
        row = _row_for(f, layout, by_id)
        if row is None or row.ok is None:
            continue
        text = _problem(f, layout)
        if text not in row.problems:
            row.problems.append(text)
    present = {s.id for s in layout.sections}
    for item in items:
        if item.ok is None:
            continue
        if item.problems:
            item.ok = False
        elif item.id in ("other_notes", "project_notes", "glossary", "functions", "organisation", "notes", "toc", "cover") \
                and item.id not in present and item.id not in layout.toc_listed:
            item.note = "文件未设此部分"
    doc = result.document
    rec = result.recognition
    document = {"path": doc.path, "unit": rec.unit if rec else None, "year": rec.year if rec else None,
                "kind": result.kind, "scope": rec.scope if rec else None, "level_name": level,
                "kind_name": "决算" if result.kind == "final" else "预算", "pages": doc.pages}
    return Checklist(document=document, items=items)
