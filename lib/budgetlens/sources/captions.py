"""Captions drawn inside a table's frame become the text lines before the table; blank margins go.

The margins (outer columns no row fills) are trimmed by recognition once a table's parts across
page breaks are joined: a page's own blank columns may be a side it leaves empty (a 收支总表's
收入 side), and a continuation page leaves blank the columns only the first part fills.

Some templates (Beijing's tables volumes: 预算01表 收支总表 / 金额单位：万元 / （2026年度）) rule the
title, the unit line and the year line into the table's grid, so a PDF reader returns them as the
table's first rows and no text precedes the table. Recognition reads a table's title, label and
currency from the lines before it, identification reads the document's title lines: both need
those captions as text. A leading row is a caption when it has one filled cell that reads as a
table title, a currency or unit-name line, or a year line; the first row that is not ends them.
"""

from __future__ import annotations

import re

from ..document import Block, Document
from ..numbers import is_amount
from ..registry import classify_title, normalise_label

_CURRENCY = re.compile(r"^(?:金额|货币)?单位[:：](?:亿元|万元|元)$")
_YEAR_LINE = re.compile(r"^[(（]?20\d{2}[(（]?年度?[)）]?$")
_UNIT_LINE = re.compile(r"^(?:部门|单位|编制单位|编制部门|预算单位)(?:名称)?[:：]")


def _single(row: list[str]) -> str | None:
    filled = {c.strip() for c in row if c.strip()}
    return filled.pop() if len(filled) == 1 else None


def _is_caption(text: str) -> bool:
    t = normalise_label(text)
    if is_amount(text) or len(t) > 60 or any(p in t for p in "。，；"):
        return False
    return bool(_CURRENCY.match(t) or _YEAR_LINE.match(t) or _UNIT_LINE.match(t) or classify_title(text)[0])


def trim_margins(rows: list[list[str]], *, right: bool = True) -> list[list[str]]:
    """Drop the outer columns that are blank in every row (a ruled frame's empty margins); with
    ``right=False`` only the left ones (a page's rows start at its first column, whatever its
    last columns hold)."""
    width = max((len(r) for r in rows), default=0)
    filled = [any(i < len(r) and r[i].strip() for r in rows) for i in range(width)]
    if not any(filled):
        return rows
    lo = filled.index(True)
    hi = width - filled[::-1].index(True) if right else width
    if lo == 0 and hi == width:
        return rows
    return [r[lo:hi] for r in rows]


def lift_captions(doc: Document) -> Document:
    """Move each table's leading caption rows out of its grid into text blocks before it (in place).

    Only a grid whose captions include a table title loses rows: a lone unit line is a header."""
    out: list[Block] = []
    for block in doc.blocks:
        raw = block.table
        if block.kind != "table" or raw is None:
            out.append(block)
            continue
        n = 0
        while n < len(raw.rows) - 1 and (cell := _single(raw.rows[n])) is not None and _is_caption(cell):
            n += 1
        if n and any(classify_title(_single(r) or "")[0] for r in raw.rows[:n]):
            lines = raw.row_lines or [block.line] * len(raw.rows)
            out.extend(Block(kind="text", text=_single(r) or "", page=block.page, line=ln)
                       for r, ln in zip(raw.rows[:n], lines, strict=False))
            raw.rows = raw.rows[n:]
            raw.row_lines = list(lines[n:])
            raw.lost_rows = {i - n for i in raw.lost_rows if i >= n}
            if raw.row_lines:
                raw.line = block.line = raw.row_lines[0]
        out.append(block)
    doc.blocks = out
    return doc
