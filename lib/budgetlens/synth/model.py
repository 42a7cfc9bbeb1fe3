"""The document model: amounts, paragraphs, tables and their rendering to the seeds' text layout."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .money import _fpct, _nar


@dataclass
class Amt:
    """A narrative amount in 万元 (hundredths); ``tag`` names the figure it repeats."""
    c: int
    tag: str = ""

    def text(self) -> str:
        return _nar(self.c) + "万元"


@dataclass
class Pct:
    h: int
    tag: str = ""

    def text(self) -> str:
        return _fpct(self.h) + "%"


@dataclass
class Dir:
    word: str
    tag: str = ""

    def text(self) -> str:
        return self.word


@dataclass
class Para:
    segs: list
    section: str = ""
    line: int = 0

    def text(self) -> str:
        return "".join(s if isinstance(s, str) else s.text() for s in self.segs)


@dataclass
class Row:
    cells: list[str]
    key: str = ""
    line: int = 0


@dataclass
class Table:
    tid: str
    title: str
    label: str | None
    pre: list[str]
    header: list[str]
    rows: list[Row]
    post: list[str] = field(default_factory=list)
    breaks: set = field(default_factory=set)
    trailer: list[str] = field(default_factory=list)
    empty: bool = False
    required: bool = False
    removed: bool = False
    line: int = 0

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass
class Lines:
    lines: list[str]


def _render(blocks: list) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Lines):
            out.extend(b.lines)
        elif isinstance(b, Para):
            b.line = len(out) + 1
            out.extend([b.text(), ""])
        elif isinstance(b, Table):
            b.line = len(out) + 1
            if b.removed:
                continue
            for p in b.pre:
                out.extend([p, ""])
            out.extend(b.header)
            for i, r in enumerate(b.rows):
                if i in b.breaks:
                    out.append("")
                r.line = len(out) + 1
                out.append("\t".join(r.cells))
            out.extend(b.trailer)
            out.append("")
            for p in b.post:
                out.extend([p, ""])
    return "\n".join(out) + "\n"


def _wrap6(name: str) -> str:
    """Names wrapped inside cells the way the seed's 支出决算表 prints them."""
    return " ".join(name[i:i + 6] for i in range(0, len(name), 6))


def _breaks(n: int, rng: random.Random, first: tuple[int, int] = (20, 27), every: int = 31) -> set:
    out, pos = set(), rng.randint(*first)
    while pos < n:
        out.add(pos)
        pos += every
    return out
