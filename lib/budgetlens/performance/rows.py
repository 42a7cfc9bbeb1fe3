"""A performance form as rows of cells: where each form starts and ends, printed numbers, headers.

Forms are found by their title (the registry's aliases for the performance kinds); a form runs
to the next form title, the next standard-table title or the next section heading; a title that
a PDF repeats as a page header is not a new form. Text lines
and table rows both become :class:`Line` objects, so a form laid out as text reads like one
laid out as a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Document
from ..numbers import clean_number_text, decimals, is_blank, parse_amount
from ..registry import classify_title, normalise_label
from .labels import HEAD_START, SECTION_HEADING, YEAR_LINE

PERFORMANCE_KINDS = {"project_performance": "self_evaluation", "project_targets": "target",
                     "unit_performance": "unit", "unit_targets": "unit"}


@dataclass
class Line:
    """One table row or text line of a form: its cells (trailing blanks dropped) and source line."""

    cells: list[str]
    line: int

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c.strip()]

    @property
    def single(self) -> str | None:
        """The text of a line with exactly one non-empty cell."""
        f = self.filled
        return f[0].strip() if len(f) == 1 else None


@dataclass
class Segment:
    """The lines of one form, from its title to where the next thing starts."""

    kind: str  # table kind id: project_performance | project_targets | unit_performance | unit_targets
    title: str
    line: int
    lines: list[Line] = field(default_factory=list)
    block_start: int = 0
    block_stop: int = 0
    plain: bool = False  # read from a plain text layer: blank cells dropped, columns inferred

    @property
    def form(self) -> str:
        return PERFORMANCE_KINDS[self.kind]


@dataclass
class Num:
    """A printed number: its value, the text as printed, and the line it came from."""

    value: float
    printed: str
    line: int = 0

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed decimal (rounding slack), at least 0.005."""
        return 0.5 * 10 ** -max(decimals(self.printed.rstrip("%％")), 2)


def norm(text: str) -> str:
    """Compare-ready label: no spaces, ASCII brackets, no trailing colon."""
    return normalise_label(text).rstrip(":")


def is_title(text: str) -> str | None:
    """The performance kind id a title line names, or None."""
    t = normalise_label(text)
    if not (4 <= len(t) <= 70) or any(p in t for p in "。，；"):
        return None
    kind, _ = classify_title(text)
    return kind.id if kind is not None and kind.id in PERFORMANCE_KINDS else None


def _is_other_title(text: str) -> bool:
    t = normalise_label(text)
    if not (4 <= len(t) <= 60) or any(p in t for p in "。，；"):
        return False
    kind, _ = classify_title(text)
    return kind is not None and kind.id not in PERFORMANCE_KINDS


def _starts_a_form(doc: Document, i: int) -> bool:
    """A title followed by a form's head: its year line, or a 项目名称/预算单位 row."""
    for b in doc.blocks[i + 1:i + 4]:
        if b.kind == "text" and YEAR_LINE.match(normalise_label(b.text)):
            return True
        if b.kind == "table" and b.table is not None:
            return any(HEAD_START.match(normalise_label(c)) for row in b.table.rows[:2] for c in row[:2])
    return False


def _running_headers(doc: Document) -> set[int]:
    """Block indexes of a title repeated at the top of a page above the form it continues.

    A document has one 部门整体 form, so its title repeated on later pages is always a page
    header; a project form's title repeated at a page top is a new form only when the form's
    head (year line, 项目名称 row) follows it.
    """
    tops: set[int] = set()
    pages: set[int] = set()
    for i, b in enumerate(doc.blocks):
        if b.kind == "text" and b.text.strip() and b.page not in pages:
            pages.add(b.page)
            tops.add(i)
    seen: set[str] = set()
    out: set[int] = set()
    for i, b in enumerate(doc.blocks):
        if b.kind != "text" or not (kind := is_title(b.text)):
            continue
        key = normalise_label(b.text)
        if key in seen and i in tops and (PERFORMANCE_KINDS[kind] == "unit" or not _starts_a_form(doc, i)):
            out.add(i)
        seen.add(key)
    return out


def segments(doc: Document) -> list[Segment]:
    """Every performance form of a document, in reading order."""
    blocks = doc.blocks
    running = _running_headers(doc)
    starts: list[tuple[int, str]] = []
    for i, b in enumerate(blocks):
        if b.kind != "text" or i in running or not (kind := is_title(b.text)):
            continue
        if starts and starts[-1][0] == i - 1 and normalise_label(blocks[i - 1].text) == normalise_label(b.text):
            continue  # the title printed twice (a page header above the form's own title)
        starts.append((i, kind))
    out: list[Segment] = []
    for n, (i, kind) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        seg = Segment(kind=kind, title=blocks[i].text.strip(), line=blocks[i].line, block_start=i)
        j = i + 1
        while j < stop:
            b = blocks[j]
            if j in running:
                j += 1
                continue
            if b.kind == "text" and j > i + 1 and (SECTION_HEADING.match(b.text.strip()) or _is_other_title(b.text)):
                break
            if b.kind == "table" and b.table is not None:
                lines = b.table.row_lines or [b.line] * len(b.table.rows)
                for row, ln in zip(b.table.rows, lines, strict=False):
                    cells = list(row)
                    while cells and not cells[-1].strip():
                        cells.pop()
                    if cells:
                        seg.lines.append(Line(cells=cells, line=ln))
            elif b.text.strip():
                seg.lines.append(Line(cells=[b.text.strip()], line=b.line))
            j += 1
        seg.block_stop = j
        if not any(blocks[k].kind == "table" for k in range(i + 1, j)):
            # A plain text layer (cells separated by spaces, blank cells dropped): each line's
            # words are its cells; the readers align rows on the figures they can recognise.
            seg.lines = [Line(cells=_words(ln.cells[0]), line=ln.line) if len(ln.cells) == 1 else ln
                         for ln in seg.lines]
            seg.plain = True
        out.append(seg)
    return out


def _words(text: str) -> list[str]:
    """A plain line's cells: its words, a letter-spaced word (总 分) joined again."""
    out: list[str] = []
    spaced = False  # whether out[-1] is a run of single characters
    for tok in text.split():
        single = re.fullmatch(r"[\u4e00-\u9fff]", tok) is not None
        if single and spaced:
            out[-1] += tok
        else:
            out.append(tok)
            spaced = single
    return out


_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*[%％]$")
_WITH_UNIT = re.compile(r"^(-?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)$")


def number(cell: str | None, line: int = 0) -> Num | None:
    """A cell holding just a number (``1,200,000``, ``99.79``, ``99.79%``), else None."""
    if cell is None:
        return None
    s = clean_number_text(cell)
    m = _PERCENT.match(s)
    if m:
        return Num(float(m.group(1)), m.group(1), line)
    v = parse_amount(s)
    if v is None:
        return None
    return Num(v, s, line)


def amount_with_unit(cell: str, line: int = 0) -> tuple[Num, str | None] | None:
    """``5万元`` → (5, 万元); ``400,000`` → (400000, None)."""
    s = clean_number_text(cell)
    m = _WITH_UNIT.match(s)
    if m:
        v = parse_amount(m.group(1))
        return (Num(v, m.group(1), line), m.group(2)) if v is not None else None
    n = number(s, line)
    return (n, None) if n is not None else None


def placeholder(cell: str) -> bool:
    """A printed "nothing" (——, -, /) that still takes a column."""
    return bool(cell.strip()) and is_blank(cell)


def roles_of(cells: list[str], patterns: list[tuple[str, re.Pattern[str]]], max_len: int = 14,
             skip_first: bool = False) -> list[tuple[int, str, str]]:
    """(position, role, header text) for the header cells that name a role."""
    out = []
    seen_first = False
    for pos, cell in enumerate(cells):
        t = norm(cell)
        if not t:
            continue
        if skip_first and not seen_first:
            seen_first = True
            if not any(p.search(t) for _, p in patterns) or len(t) > max_len:
                continue
        if len(t) > max_len:
            continue
        for role, pat in patterns:
            if pat.search(t):
                out.append((pos, role, cell.strip()))
                break
    return out


def expand_header(header: list[tuple[int, str, str]], sub: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Replace spanning header cells by the sub-header cells under them.

    A header cell followed by empty columns spans them; when the spans add up to the number of
    sub-header cells, the sub-header cells replace them in order (positions taken from the
    header, since extraction often shifts the sub-header row). Otherwise a sub-header that
    splits 年初预算数 into 目标申报数 | 预算编制数 replaces it by name.
    """
    if not sub:
        return header
    spans: list[int] = []
    for k, (pos, _, _) in enumerate(header):
        nxt = header[k + 1][0] if k + 1 < len(header) else pos + 1
        spans.append(max(1, nxt - pos))
    spanning = [k for k, s in enumerate(spans) if s > 1]
    if spanning and sum(spans[k] for k in spanning) == len(sub):
        out: list[tuple[int, str, str]] = []
        it = iter(sub)
        for k, (pos, role, text) in enumerate(header):
            if k in spanning:
                for off in range(spans[k]):
                    _, srole, stext = next(it)
                    out.append((pos + off, srole, stext))
            else:
                out.append((pos, role, text))
        return out
    sub_roles = [r for _, r, _ in sub]
    if "declared" in sub_roles and "initial" in sub_roles:
        out = []
        for pos, role, text in header:
            if role == "initial":
                out.append((pos, "declared", "目标申报数"))
                out.append((pos, "initial", "预算编制数"))
            else:
                out.append((pos, role, text))
        return out
    return header
