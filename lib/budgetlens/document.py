"""The source-neutral model of one disclosure: text blocks and raw tables in reading order.

Every source (text extraction, PDF) produces a :class:`Document`; recognition and
normalisation only ever see this model, so the text and PDF paths share one parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

DASHES = "-‐‑‒–—―−─━－"
# A line that is only a page number: "- 3 -", "— 6 —", "-- 3 --", "3", "16 -" (its first dash lost), "第 3 页",
# "3 / 24", "Page 3 of 24".
PAGE_NUMBER_RE = re.compile(
    rf"^(?:[{DASHES}\s]*\d{{1,4}}[{DASHES}\s]*|第\s*\d{{1,4}}\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)


@dataclass
class RawTable:
    """A grid of cell strings as the source laid it out (no interpretation yet).

    ``rows`` keeps empty cells as ``""`` so column positions survive; ``row_lines``
    gives, per row, the 1-based line (text sources) or the page (PDF sources) it
    came from, for evidence in findings.
    """

    rows: list[list[str]]
    page: int = 1
    line: int = 0
    row_lines: list[int] = field(default_factory=list)

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
