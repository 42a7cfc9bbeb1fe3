"""The source-neutral model of one disclosure: text blocks and raw tables in reading order.

Every source (text extraction, PDF) produces a :class:`Document`; recognition and
normalisation only ever see this model, so the text and PDF paths share one parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

DASHES = "-‐‑‒–—―−─━－"
# A line that is only a page number: "- 3 -", "— 6 —", "-- 3 --", "3", "16 -" (its first dash lost), "第 3 页",
# "3 / 24", "Page 3 of 24".
PAGE_NUMBER_RE = re.compile(
    rf"^(?:[{DASHES}\s]*\d{{1,4}}[{DASHES}\s]*|第\s*\d{{1,4}}\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)


# Radicals that PDF producers (WPS, Word with some fonts) write for the ideographs they look like
# and that NFKC does not fold: the simplified forms of the CJK Radicals Supplement.
_SIMPLIFIED_RADICALS = {
    "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝", "\u2ecb": "车", "\u2ed3": "长", "\u2ed4": "门",
    "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马",
    "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eec": "齐", "\u2ef0": "龙",
    "\u2ef3": "龟", "\u2e9f": "母", "\u2ea0": "民",
}


@cache
def _glyph_table() -> dict[int, str]:
    table = {ord(k): v for k, v in _SIMPLIFIED_RADICALS.items()}
    for lo, hi in ((0x2F00, 0x2FD5), (0x2E80, 0x2EF3), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for cp in range(lo, hi + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if cp not in table and folded != chr(cp) and len(folded) == 1:
                table[cp] = folded
    return table


def fold_glyphs(text: str) -> str:
    """Kangxi radicals and compatibility ideographs as the ideographs they stand for (⼀般公共预算⽀出
    → 一般公共预算支出): text layers of many published PDFs carry them, and no alias would match."""
    return text.translate(_glyph_table())


def fold_document_glyphs(doc: Document) -> Document:
    """:func:`fold_glyphs` over every text block and table cell of a document, in place."""
    for block in doc.blocks:
        block.text = fold_glyphs(block.text)
        if block.table is not None:
            block.table.rows = [[fold_glyphs(c) for c in row] for row in block.table.rows]
    return doc


@dataclass
class RawTable:
    """A grid of cell strings as the source laid it out (no interpretation yet).

    ``rows`` keeps empty cells as ``""`` so column positions survive; ``row_lines``
    gives, per row, the 1-based line (text sources) or the page (PDF sources) it
    came from, for evidence in findings. ``lost_rows`` are the rows (indices into ``rows``) a text
    layer printed with fewer figures than the table has columns: only their first figure is placed,
    and their other cells are unknown, not blank.
    """

    rows: list[list[str]]
    page: int = 1
    line: int = 0
    row_lines: list[int] = field(default_factory=list)
    lost_rows: set[int] = field(default_factory=set)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Block:
    """One paragraph of text or one raw table, with where it starts."""

    kind: Literal["text", "table"]
    text: str = ""
    table: RawTable | None = None
    page: int = 1
    line: int = 0


@dataclass
class Document:
    """A source file read into blocks; ``pages`` counts form feeds / PDF pages."""

    path: str
    sha256: str
    format: Literal["text", "pdf"]
    pages: int
    blocks: list[Block]

    def text_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "text"]

    def tables(self) -> list[RawTable]:
        return [b.table for b in self.blocks if b.kind == "table" and b.table is not None]

    @property
    def full_text(self) -> str:
        """All text blocks joined by newlines (tables excluded): the narrative."""
        return "\n".join(b.text for b in self.blocks if b.kind == "text")


class SourceError(Exception):
    """A file that cannot be read as a disclosure; the message is one line for the user."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
