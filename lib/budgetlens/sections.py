"""The parts of a disclosure (封面, 目录, 主要职能, 机构设置, 名词解释, 编制说明, the tables, 其他相关说明,
项目经费情况说明), recognised by their headings (registry/checklist.yaml ``sections``), with the lines and
pages each covers, and the narrative's paragraphs.

Findings say which part they are in, and the checklist (budgetlens.checklist) has one row per part:
:func:`layout` reads a document once into a :class:`Layout` that answers "which part is line N in".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from .document import PAGE_NUMBER_RE, Document

if TYPE_CHECKING:  # pragma: no cover
    from .extraction import Extraction

NUMBERING_RE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]"
                          r"|\d{1,2}[、.．](?!\d)|\d{1,2}\s)")
LEADERS_RE = re.compile(r"[…⋯]{2,}|\.{4,}|·{3,}|-{4,}|_{4,}")
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})


@lru_cache(maxsize=1)
def checklist_registry() -> dict:
    """registry/checklist.yaml (sections, rows, the textual rules' phrases and words)."""
    text = resources.files("budgetlens.registry").joinpath("checklist.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class SectionKind:
    id: str
    name: str
    patterns: tuple[re.Pattern[str], ...]
    prefix: int
    prefix_exclude: tuple[str, ...]


@lru_cache(maxsize=1)
def section_kinds() -> tuple[SectionKind, ...]:
    return tuple(SectionKind(id=s["id"], name=s["name"],
                             patterns=tuple(re.compile(f"(?:{p})$") for p in s["headings"]),
                             prefix=int(s.get("prefix", 40)), prefix_exclude=tuple(s.get("prefix_exclude", [])))
                 for s in checklist_registry()["sections"])


def section_name(section_id: str) -> str:
    """The Chinese name of a section id (主要职能, 编制说明, …)."""
    return next((k.name for k in section_kinds() if k.id == section_id), section_id)


def compact(text: str) -> str:
    """No spaces, curly quotes as straight ones (headings are compared this way)."""
    return re.sub(r"\s+", "", text).translate(QUOTES)


def heading_section(text: str) -> str | None:
    """The section a heading line opens (None when the line is not such a heading)."""
    t = compact(text)
    if NUMBERING_RE.match(t):
        t = re.sub(r"[。.]$", "", t)  # a 目录 entry "一、主要职能。"
    if not t or len(t) > 60 or re.search(r"[。，；,;！？]", t) or t.endswith(("：", ":")):
        return None
    t = NUMBERING_RE.sub("", t, count=1)
    t = re.sub(r"^[、.．]", "", t)
    for kind in section_kinds():
        for pat in kind.patterns:
            m = pat.search(t)
            if m is None:
                continue
            before = t[:m.start()]
            if len(before) > kind.prefix or any(w in before for w in kind.prefix_exclude):
                continue
            return kind.id
    return None


def toc_entry(text: str) -> str | None:
    """A 目录 line ("四、部门预算编制说明 ……… 5"): the section it lists, or "" for another entry."""
    m = LEADERS_RE.search(text)
    if m is None:
        return None
    head = text[:m.start()]
    return heading_section(head) or ""


@dataclass
class Section:
    id: str
    heading: str
    line: int  # the heading's line (the first line for the cover)
    page: int
    end_line: int  # exclusive
    end_page: int

    @property
    def name(self) -> str:
        return section_name(self.id)


@dataclass
class TableSpan:
    table_id: str
    title: str
    line: int  # the caption's first line
    end_line: int  # inclusive
    page: int


@dataclass
class Line:
    line: int
    page: int
    text: str
    order: int = 0  # the index of its block in the document (a table block between two lines parts them)


@dataclass
class Paragraph:
    """Consecutive narrative lines read as one paragraph (wrapped lines joined)."""

    lines: list[Line]
    section: str

    @property
    def text(self) -> str:
        return "".join(ln.text.strip() for ln in self.lines)

    @property
    def line(self) -> int:
        return self.lines[0].line

    @property
    def page(self) -> int:
        return self.lines[0].page


@dataclass
class Layout:
    sections: list[Section] = field(default_factory=list)
    tables: list[TableSpan] = field(default_factory=list)
    toc_listed: list[str] = field(default_factory=list)  # section ids the 目录 lists
    lines: list[Line] = field(default_factory=list)  # the text lines, in order
    headings: set[int] = field(default_factory=set)  # ids of the Line objects that are section headings

    def is_heading(self, ln: Line) -> bool:
        return id(ln) in self.headings

    def section_at(self, line: int) -> Section | None:
        """The section a line is in (by heading order; tables are placed by :meth:`table_at`)."""
        found = None
        for s in self.sections:
            if s.line <= line < s.end_line:
                found = s
        return found

    def table_at(self, line: int) -> TableSpan | None:
        return next((t for t in self.tables if t.line <= line <= t.end_line), None)

    def where(self, line: int) -> str | None:
        """``tables`` for a line of a table (caption, rows, note), else the id of its section."""
        if self.table_at(line) is not None:
            return "tables"
        s = self.section_at(line)
        return s.id if s else None

    def has(self, section_id: str) -> bool:
        return any(s.id == section_id for s in self.sections)

    def first(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def page_of(self, line: int) -> int | None:
        ln = next((x for x in self.lines if x.line >= line), None)
        return ln.page if ln else None


def layout(doc: Document, tables: list[tuple[str, str, int, int]] | None = None) -> Layout:
    """The sections of a document; ``tables`` are (table id, title, first row line, last row line)."""
    out = Layout()
    out.lines = _text_lines(doc)
    if not out.lines:
        return out
    out.tables = _table_spans(out.lines, tables or [])
    in_table = {ln.line for ln in out.lines if any(t.line <= ln.line <= t.end_line for t in out.tables)}
    toc_start, toc_end = _toc(out)
    opened: list[tuple[str, Line]] = []
    for i, ln in enumerate(out.lines):
        if toc_start is not None and toc_start <= i < toc_end:
            continue
        sid = heading_section(ln.text)
        nxt = out.lines[i + 1] if i + 1 < len(out.lines) else None
        if sid is None and nxt is not None and len(compact(nxt.text)) <= 6 and not NUMBERING_RE.match(nxt.text.strip()) \
                and heading_section(nxt.text) is None and heading_section(ln.text + nxt.text):
            sid = heading_section(ln.text + nxt.text)  # a heading wrapped onto a second line (…决算情况 / 说明)
        if sid is None or sid == "toc" or ln.line in in_table and sid == "tables":
            continue
        for t in out.tables:  # a text layer may read the heading after a table into its rows
            if t.line < ln.line <= t.end_line:
                t.end_line = ln.line - 1
        out.headings.add(id(ln))
        opened.append((sid, ln))
    first_body = opened[0][1].line if opened else None
    cover_end = out.lines[toc_start].line if toc_start is not None else first_body
    last = out.lines[-1]
    if cover_end is not None and cover_end > out.lines[0].line:
        out.sections.append(Section("cover", out.lines[0].text.strip(), out.lines[0].line, out.lines[0].page,
                                    cover_end, out.lines[0].page))
    if toc_start is not None:
        head = out.lines[toc_start]
        end = out.lines[toc_end] if toc_end < len(out.lines) else None
        out.sections.append(Section("toc", head.text.strip(), head.line, head.page,
                                    end.line if end else last.line + 1, end.page if end else last.page))
    # a second volume (its pages start again at 1: a tables volume read with its narrative) ends the
    # part the first volume ended in: its form cells are not that part's prose
    breaks = [(ln.line, out.lines[i - 1].page) for i, ln in enumerate(out.lines)
              if i and ln.page == 1 and out.lines[i - 1].page > 1]
    for k, (sid, ln) in enumerate(opened):
        nxt = opened[k + 1][1] if k + 1 < len(opened) else None
        end, end_page = (nxt.line, nxt.page) if nxt else (max(last.line, _last_table_line(out)) + 1, last.page)
        cut = next(((b, p) for b, p in breaks if ln.line < b < end), None)
        if cut is not None:
            end, end_page = cut
        out.sections.append(Section(sid, ln.text.strip(), ln.line, ln.page, end, end_page))
    return out


def _text_lines(doc: Document) -> list[Line]:
    """The text lines in order, with the one-cell rows of tables that are section headings (a plain
    text layer may read "其他相关情况说明" after a table into the table's rows)."""
    lines: list[Line] = []
    k = 0  # consecutive text lines are one apart, a table makes a gap (page numbers do not)
    for b in doc.blocks:
        if b.kind == "text":
            if b.text.strip() and not PAGE_NUMBER_RE.match(b.text.strip()):
                k += 1
                lines.append(Line(b.line, b.page, b.text, k))
        elif b.table is not None:
            k += 2
            for r, row in enumerate(b.table.rows):
                cells = [c for c in row if c.strip()]
                at = b.table.row_lines[r] if r < len(b.table.row_lines) else b.line
                joined = "".join(cells)
                if 1 <= len(cells) <= 2 and heading_section(joined) not in (None, "tables", "toc"):
                    lines.append(Line(at, b.page, joined, k))
                elif 1 <= len(cells) <= 3 and LEADERS_RE.search(joined):
                    lines.append(Line(at, b.page, " ".join(cells), k))  # a 目录 entry "一、本单位职责…<TAB>1"
            k += 2
    return lines


def _last_table_line(out: Layout) -> int:
    return max((t.end_line for t in out.tables), default=0)


def _toc(out: Layout) -> tuple[int | None, int]:
    """(index of the 目录 line, index of the first line after the 目录) and the sections it lists."""
    start = next((i for i, ln in enumerate(out.lines[:80]) if heading_section(ln.text) == "toc"), None)
    if start is None:
        return None, 0
    listed: list[str] = []
    dotted: set[str] = set()  # sections listed by an entry with leaders ("一、主要职能……1")
    first_numbered = False  # whether the entry of the first section listed was numbered ("一、…")
    seen: set[str] = set()
    i = start + 1
    while i < len(out.lines):
        ln = out.lines[i]
        t = compact(ln.text)
        if re.sub(r"[。.]$", "", t) in seen and len(t) >= 4:
            break  # the body's first heading repeats the 目录's first entry (第一部分 部门概况)
        if not LEADERS_RE.search(t):
            seen.add(re.sub(r"[。.]$", "", t))
        entry = toc_entry(ln.text)
        if entry is not None:
            dotted.add(entry)
            if entry and entry not in listed:
                listed.append(entry)
            i += 1
            continue
        sid = heading_section(ln.text)
        if sid is not None and not listed and ln.page > out.lines[start].page:
            break  # a 目录 read as nothing: the body has begun
        if sid is not None and listed and sid == listed[0] and (sid in dotted or ln.page > out.lines[start].page
                                                                or first_numbered and not NUMBERING_RE.match(t)):
            break  # the body's first heading, listed first in the 目录 (by an entry with leaders, on an
            # earlier page, or numbered where this heading is not)
        if re.search(r"[。，；]", t) and len(t) > 30:
            break  # prose: the 目录 is over
        if ln.page > out.lines[start].page + 2:
            break
        if sid is not None and sid not in listed:
            if not listed:
                first_numbered = NUMBERING_RE.match(t) is not None
            listed.append(sid)
        i += 1
    out.toc_listed = listed
    return start, i


CAPTION_RE = re.compile(r"单位[:：]|编制(?:部门|单位)|部门[:：]|公开\d+表|^表\d+|^附表|万元$|^单位")


def _table_spans(lines: list[Line], tables: list[tuple[str, str, int, int]]) -> list[TableSpan]:
    """Each table from its caption (title, 编制单位/单位 lines just above its rows) to its last row and
    the short note lines under it (注：本表无数据)."""
    spans: list[TableSpan] = []
    by_line = {ln.line: k for k, ln in enumerate(lines)}
    ordered = sorted(lines, key=lambda x: x.line)
    for tid, title, first, last in sorted(tables, key=lambda t: t[2]):
        start = first
        title_c = compact(title or "")
        above = [ln for ln in ordered if first - 8 <= ln.line < first]
        for ln in reversed(above):
            t = compact(ln.text)
            titled = bool(title_c) and (title_c in t or (len(t) >= 6 and t in title_c))
            if titled or (len(t) <= 60 and CAPTION_RE.search(t) and not re.search(r"[。；]", t)):
                start = ln.line
                if titled:
                    break
            else:
                break
        end = last
        for ln in (x for x in ordered if x.line > last):
            t = compact(ln.text)
            if len(t) <= 80 and re.match(r"^(?:注|说明|备注)[:：]|本表|空表|无数据", t) and ln.line - end <= 3:
                end = ln.line
            else:
                break
        page = lines[by_line[start]].page if start in by_line else 0
        spans.append(TableSpan(tid, title or "", start, end, page))
    return spans


def extraction_layout(result: Extraction) -> Layout:
    """The layout of an extraction's document, its recognised tables placed by their rows' lines."""
    from .registry import table_kinds

    known = {k.id for k in table_kinds()}
    spans = []
    for rt in (result.recognition.tables if result.recognition else []):
        if rt.id not in known:
            continue  # a grid no standard table was recognised in (a 目录 laid out as a table)
        raw = rt.raw
        figures = sum(1 for row in raw.rows for c in row if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", c.strip() or "x"))
        if figures < 3 and not rt.context.empty_declared and len(raw.rows) > 1:
            continue  # a grid of words the text layer made of prose is no table
        lines = [x for x in (raw.row_lines or [raw.line]) if x]
        if not lines:
            continue
        spans.append((rt.id, rt.context.title or "", min(lines), max(lines)))
    return layout(result.document, spans)


def _width(text: str) -> float:
    """A line's printed width in CJK characters (ASCII letters and digits count half)."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text.strip())


def is_subheading(text: str) -> bool:
    """A numbered line without sentence punctuation ("七、一般公共预算支出预算情况说明", "（一）收入预算")."""
    t = compact(text)
    return NUMBERING_RE.match(t) is not None and len(t) <= 30 and not re.search(r"[。，；,;！？：:、\"']", t) \
        and not re.search(r"\d\s*(?:万元|元|%)", t) and _balanced(t)


def _balanced(t: str) -> bool:
    """Whether a line's brackets close (a heading's do; a list wrapped mid-bracket, "…处（信", does not)."""
    return sum(t.count(c) for c in "（(") == sum(t.count(c) for c in "）)")


END_PUNCT = "。！？!?；;：:，,、…—”’」』）)》】"


def paragraphs(lay: Layout, sections: tuple[str, ...] | list[str]) -> list[Paragraph]:
    """The narrative paragraphs of the given sections: wrapped lines joined; a heading, a table, a
    numbered line, or a line that ends a sentence short of the full width starts a new paragraph."""
    wanted = set(sections)
    out: list[Paragraph] = []
    cur: list[Line] = []
    cur_sec = ""
    widths: dict[int, float] = {}
    for ln in lay.lines:
        widths[ln.page] = max(widths.get(ln.page, 0.0), _width(ln.text))

    def flush() -> None:
        nonlocal cur
        if cur:
            out.append(Paragraph(cur, cur_sec))
        cur = []

    prev: Line | None = None
    for ln in lay.lines:
        sec = lay.where(ln.line)
        if sec not in wanted or lay.is_heading(ln) or LEADERS_RE.search(ln.text):
            flush()
            prev = None
            continue
        text = ln.text.strip()
        if is_subheading(text):  # "七、一般公共预算支出预算情况说明": a paragraph of its own, not prose
            flush()
            prev = None
            continue
        full = max(widths.get(ln.page, 0.0), 20.0)
        if prev is not None and cur:
            p = prev.text.strip()
            short = _width(p) < 0.85 * full
            starts = NUMBERING_RE.match(text) is not None and text[:1] not in "0123456789" or \
                re.match(r"^\d{1,2}[、.．](?!\d)", text) is not None
            ended = p.endswith(tuple("。！？!?；;：:"))
            if sec != cur_sec or ln.order - prev.order > 1 \
                    or short and not text.startswith(tuple("。，、；：！？”）)")) or ended and starts:
                flush()
        if not cur:
            cur_sec = sec or ""
        cur.append(ln)
        prev = ln
    flush()
    return out
