"""Render a seed-style text report as a PDF, the way publishers lay such reports out.

Used for the PDF test fixtures and by the synthetic-corpus generator. The text is read with
the project's own text source (:func:`budgetlens.sources.text.read_text`), so the PDF carries
exactly the blocks the text path sees: every text line and every table row with every cell.
Text is real text in an embedded CJK TrueType font (WenQuanYi Micro Hei); tables are ruled
grids, so camelot's lattice parser finds them.

``variant`` picks a :class:`Layout`: page size and orientation, font sizes, column widths
(narrow enough that long names and the widest numbers wrap), repeated or unrepeated headers
when a table runs over pages, spanning header cells, fake-bold doubled text, the position of
the unit line, page numbers and running headers. ``"random:<n>"`` draws a layout from a seed.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .document import Block, Document, RawTable
from .sources.text import decode_bytes, read_text

FONT_NAME = "WQYMicroHei"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy-microhei/wqy-microhei.ttc",
)


@dataclass(frozen=True)
class Layout:
    """How one rendering lays the report out (all lengths in PDF points)."""

    name: str = "default"
    text_size: float = 10.5
    table_size: float = 9.0
    orientation: str = "auto"  # "portrait" | "landscape" | "auto" (landscape pages for wide tables)
    wide_columns: int = 9  # with "auto": a table this wide (or wider than the page) goes landscape
    repeat_header: bool = False  # repeat a table's header rows on each page it runs onto
    seed_breaks: bool = True  # break the page where the seed's table had a blank line (a page break)
    spanning_headers: bool = False  # merge header cells over the empty cells they head
    name_chars: int = 18  # text columns are capped near this many characters, longer names wrap
    tight_numbers: bool = False  # numeric columns a character narrower than their widest number
    fake_bold: bool = False  # draw <b> cells and headings twice, slightly offset
    unit_line_joined: bool = False  # 部门名称 / 年度 / 金额单位 on one line, left / centre / right
    label_right: bool = False  # table labels (公开01表, 表1) at the right margin
    page_numbers: str = "dash"  # "dash" (- 3 -), "cn" (第 3 页), "none"
    running_header: bool = False  # the report's first line and a rule at the top of every page
    rules: str = "lines"  # "lines" (stroked) or "rects" (thin filled rectangles, as Excel exports)
    rotated_landscape: bool = False  # landscape pages stored as portrait pages with /Rotate 90
    margin: float = 54.0
    cell_pad: float = 3.0


VARIANTS: dict[str, Layout] = {
    "default": Layout(),
    "alt": Layout(
        name="alt",
        text_size=11.0,
        table_size=8.0,
        orientation="auto",
        wide_columns=7,
        repeat_header=True,
        seed_breaks=False,
        spanning_headers=True,
        name_chars=9,
        tight_numbers=True,
        fake_bold=True,
        unit_line_joined=True,
        label_right=True,
        page_numbers="cn",
        running_header=True,
        rules="rects",
        margin=42.0,
    ),
    "compact": Layout(
        name="compact",
        text_size=9.0,
        table_size=7.0,
        orientation="portrait",
        repeat_header=False,
        seed_breaks=False,
        spanning_headers=True,
        name_chars=7,
        tight_numbers=True,
        page_numbers="none",
        margin=36.0,
    ),
    "landscape": Layout(name="landscape", orientation="landscape", repeat_header=True, seed_breaks=False),
}


def layout_for(variant: str | Layout) -> Layout:
    """The layout a variant name stands for: a named one, or ``random:<n>`` drawn from seed n."""
    if isinstance(variant, Layout):
        return variant
    if variant in VARIANTS:
        return VARIANTS[variant]
    m = re.fullmatch(r"random:(\d+)", variant)
    if not m:
        raise ValueError(f"unknown PDF layout variant {variant!r}; use one of {sorted(VARIANTS)} or random:<n>")
    rng = random.Random(int(m.group(1)))
    return Layout(
        name=variant,
        text_size=rng.choice([9.0, 10.0, 10.5, 11.0, 12.0]),
        table_size=rng.choice([7.0, 7.5, 8.0, 9.0, 10.0]),
        orientation=rng.choice(["auto", "auto", "portrait", "landscape"]),
        wide_columns=rng.randint(6, 10),
        repeat_header=rng.random() < 0.5,
        seed_breaks=rng.random() < 0.5,
        spanning_headers=rng.random() < 0.6,
        name_chars=rng.randint(6, 20),
        tight_numbers=rng.random() < 0.4,
        fake_bold=rng.random() < 0.4,
        unit_line_joined=rng.random() < 0.5,
        label_right=rng.random() < 0.5,
        page_numbers=rng.choice(["dash", "cn", "none"]),
        running_header=rng.random() < 0.3,
        rules=rng.choice(["lines", "rects"]),
        rotated_landscape=rng.random() < 0.2,
        margin=rng.choice([36.0, 42.0, 54.0, 72.0]),
    )


def font_path() -> str:
    """The CJK TrueType font to embed (``BUDGETLENS_CJK_FONT`` overrides the search)."""
    override = os.environ.get("BUDGETLENS_CJK_FONT")
    for cand in ((override,) if override else ()) + FONT_CANDIDATES:
        if cand and Path(cand).exists():
            return cand
    raise FileNotFoundError(
        "WenQuanYi Micro Hei not found; install fonts-wqy-microhei or set BUDGETLENS_CJK_FONT"
    )


def register_font() -> None:
    """Register the embedded CJK font with reportlab (once)."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, font_path(), subfontIndex=0))


# --- text measurement and wrapping -------------------------------------------------------

_NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$|^[-−]?\d{1,3}(?:,\d{3})+$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_LABEL = re.compile(r"^(?:公开\s*\d+\s*表|(?:部门|预算)?公开表\s*\d+|表\s*[\d一二三四五六七八九十]+)$")
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(?:万元|元|千元)")
_UNIT_NAME = re.compile(r"^(?:部门名称|单位名称|编制单位|编制部门|部门|预算单位)[:：]")
_YEAR_LINE = re.compile(r"^\(?\d{4}\s*年度?\)?$")
_TOKEN = re.compile(r"[A-Za-z0-9.,%()\-+/:=≥≤<>]+| +|.", re.S)


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT_NAME, size)


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking: CJK between any two characters, Latin/number runs kept whole
    unless a run alone is wider than the line (then it breaks inside, as narrow cells do).
    The lines concatenate back to ``text``; a space at a break ends the line before it."""
    width += 0.01  # measured widths are sums of floats
    if not text:
        return [""]
    lines: list[str] = []
    cur = ""
    for tok in _TOKEN.findall(text):
        if _width(cur + tok, size) <= width:
            cur += tok
            continue
        if tok.isspace():
            cur += tok  # a space at the break stays at the end of the line
            continue
        if cur.strip():
            lines.append(cur)
            cur = ""
        for ch in tok:
            if cur and _width(cur + ch, size) > width:
                lines.append(cur)
                cur = ""
            cur += ch
    if cur.strip() or not lines:
        lines.append(cur)
    return lines


# --- tables --------------------------------------------------------------------------------


def _trim_columns(rows: list[list[str]]) -> list[list[str]]:
    """Pad rows to the table's width; columns empty in every row at the right are dropped."""
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    width = max(width, 1)
    return [(r + [""] * width)[:width] for r in rows]


def header_rows(rows: list[list[str]]) -> int:
    """How many leading rows are column headings: the rows before the first row with an amount,
    a classification code or a 合计/总计 line (at most 4; 0 when no row looks like data)."""
    for i, row in enumerate(rows[:6]):
        first = next((c for c in row if c), "")
        if (
            any(_AMOUNT.match(c) for c in row)
            or _CODE.match(first)
            or re.sub(r"\s", "", first) in ("合计", "总计")
        ):
            return min(i, 4)
    return 0


def spans(rows: list[list[str]], nheader: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Merged header cells: {(row, col): (rowspan, colspan)} for cells that head empty cells.

    Going down the header rows, a cell with text extends right over the empty cells after it
    and down over header rows that are empty below it, so "收入 | | | 支出 | |" above
    "项目 | 行次 | 金额 | …" becomes two cells three columns wide.
    """
    covered: set[tuple[int, int]] = set()
    result: dict[tuple[int, int], tuple[int, int]] = {}
    ncols = len(rows[0]) if rows else 0
    for r in range(nheader):
        for c in range(ncols):
            if not rows[r][c] or (r, c) in covered:
                continue
            c2 = c + 1
            while c2 < ncols and not rows[r][c2] and (r, c2) not in covered:
                c2 += 1
            r2 = r + 1
            while r2 < nheader and all(not rows[r2][k] and (r2, k) not in covered for k in range(c, c2)):
                r2 += 1
            if (r2 - r, c2 - c) != (1, 1):
                result[(r, c)] = (r2 - r, c2 - c)
                covered.update((i, k) for i in range(r, r2) for k in range(c, c2))
    return result


@dataclass
class _Table:
    rows: list[list[str]]
    bold: list[list[bool]]
    breaks_before: set[int]  # rows the seed printed after a page break
    nheader: int
    spans: dict[tuple[int, int], tuple[int, int]]
    widths: list[float] = dataclasses.field(default_factory=list)
    sizes: list[list[float]] = dataclasses.field(default_factory=list)  # font size per cell

    @property
    def ncols(self) -> int:
        return len(self.rows[0])


def _is_numeric_column(rows: list[list[str]], c: int, nheader: int) -> bool:
    cells = [r[c] for r in rows[nheader:] if r[c]]
    return bool(cells) and all(_NUMBER.match(x) for x in cells)


def _natural_widths(t: _Table, lay: Layout) -> tuple[list[float], list[bool]]:
    """Column widths before fitting to the page, and which columns hold only numbers."""
    size, pad = lay.table_size, lay.cell_pad
    minimum = 2 * size + 2 * pad
    widths, numeric = [], []
    for c in range(t.ncols):
        cells = [r[c] for i, r in enumerate(t.rows) if t.spans.get((i, c), (1, 1))[1] == 1]
        is_num = _is_numeric_column(t.rows, c, t.nheader)
        numeric.append(is_num)
        if is_num:
            body = [x for x in (r[c] for r in t.rows[t.nheader :]) if x]
            widest = max(body, key=lambda x: _width(x, size))
            w = _width(widest, size) + 2 * pad
            if lay.tight_numbers and len(widest) >= 6:
                w -= _width(widest[-1], size) * 0.5  # the widest numbers wrap their last digit
            else:  # room for a heading of up to four characters
                head = max((_width(x, size) for x in cells[: t.nheader] if x), default=0)
                w = max(w, min(head, 4 * size) + 2 * pad + 0.5)
        else:
            natural = max((_width(x, size) for x in cells if x), default=size)
            w = min(natural, lay.name_chars * size) + 2 * pad
        widths.append(max(w, minimum))
    return widths, numeric


def _column_widths(t: _Table, lay: Layout, avail: float) -> list[float]:
    """Widths fitted to ``avail``: text columns shrink first, then all; a narrow table
    grows its text columns towards the page width."""
    widths, numeric = _natural_widths(t, lay)
    minimum = 2 * lay.table_size + 2 * lay.cell_pad
    total = sum(widths)
    pairs = list(zip(widths, numeric, strict=True))
    if total > avail:
        text_total = sum(w for w, n in pairs if not n)
        excess = total - avail
        if text_total - excess >= minimum * numeric.count(False):
            widths = [w if n else w - excess * w / text_total for w, n in pairs]
        else:
            widths = [w * avail / total for w in widths]
    elif not lay.tight_numbers and total < avail * 0.8:
        growers = [not n for n in numeric] if not all(numeric) else [True] * len(numeric)
        grow = (avail * 0.9 - total) / sum(growers)
        widths = [w + grow if g else w for w, g in zip(widths, growers, strict=True)]
    return widths


class _Writer:
    """A page-by-page flow of lines and tables onto a reportlab canvas."""

    def __init__(self, pdf_path: str, lay: Layout, running_title: str):
        self.lay = lay
        self.c = canvas.Canvas(pdf_path, pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle(running_title)
        self.c.setCreator("budgetlens.render_pdf")
        self.running_title = running_title
        self.pages = 0
        self.landscape_next = lay.orientation == "landscape"
        self.size = A4
        self.y = 0.0
        self.blank = True
        self._open_page()

    # pages
    def _open_page(self) -> None:
        self.size = landscape(A4) if self.landscape_next else A4
        c = self.c
        if self.landscape_next and self.lay.rotated_landscape:
            # a portrait page shown turned a quarter (/Rotate 90): draw in landscape coordinates
            c.setPageSize(self.size)  # reportlab writes the MediaBox of a /Rotate 90 page turned
            c.setPageRotation(90)
            c.saveState()
            c.transform(0, 1, -1, 0, A4[0], 0)
        else:
            c.setPageSize(self.size)
            c.setPageRotation(0)
            c.saveState()
        self.pages += 1
        self.y = self.top
        self.blank = True

    def _close_page(self) -> None:
        lay, c = self.lay, self.c
        w, _h = self.size
        c.setFont(FONT_NAME, 9)
        if lay.page_numbers == "dash":
            c.drawCentredString(w / 2, lay.margin * 0.5, f"- {self.pages} -")
        elif lay.page_numbers == "cn":
            c.drawRightString(w - lay.margin, lay.margin * 0.5, f"第 {self.pages} 页")
        if lay.running_header and self.running_title:
            c.drawCentredString(w / 2, self.size[1] - lay.margin * 0.55, self.running_title)
            c.setLineWidth(0.5)
            c.line(lay.margin, self.size[1] - lay.margin * 0.65, w - lay.margin, self.size[1] - lay.margin * 0.65)
        c.restoreState()
        c.showPage()

    def new_page(self) -> None:
        self._close_page()
        self._open_page()

    def finish(self) -> int:
        self._close_page()
        saved = rl_config.useA85
        rl_config.useA85 = 0  # binary streams: a quarter smaller than ASCII85
        try:
            self.c.save()
        finally:
            rl_config.useA85 = saved
        return self.pages

    @property
    def top(self) -> float:
        return self.size[1] - self.lay.margin

    @property
    def bottom(self) -> float:
        return self.lay.margin

    @property
    def avail(self) -> float:
        return self.size[0] - 2 * self.lay.margin

    def ensure(self, height: float) -> None:
        if self.y - height < self.bottom and not self.blank:
            self.new_page()

    def want_orientation(self, wide: bool) -> None:
        """Ask for a landscape (or portrait) page from here on; breaks the page if it differs."""
        want = wide or self.lay.orientation == "landscape"
        if self.lay.orientation == "portrait":
            want = False
        self.landscape_next = want
        if (self.size[0] > self.size[1]) != want:
            if self.blank:
                self._open_page_again()
            else:
                self.new_page()

    def _open_page_again(self) -> None:
        self.c.restoreState()
        self.pages -= 1
        self._open_page()

    # drawing
    def draw_text(self, x: float, y: float, text: str, size: float, bold: bool = False, align: str = "left") -> None:
        c = self.c
        c.setFont(FONT_NAME, size)
        draw = {"left": c.drawString, "right": c.drawRightString, "centre": c.drawCentredString}[align]
        draw(x, y, text)
        if bold and self.lay.fake_bold:
            draw(x + max(0.3, size * 0.03), y, text)

    def line(self, parts: list[tuple[str, str]], size: float, bold: bool = False, indent: float = 0.0) -> None:
        """One visual line with up to three parts: [(text, "left"|"centre"|"right"), ...]."""
        lead = size * 1.6
        self.ensure(lead)
        base = self.y - size * 1.15
        for text, align in parts:
            if align == "left":
                self.draw_text(self.lay.margin + indent, base, text, size, bold, "left")
            elif align == "right":
                self.draw_text(self.size[0] - self.lay.margin, base, text, size, bold, "right")
            else:
                self.draw_text(self.size[0] / 2, base, text, size, bold, "centre")
        self.y -= lead
        self.blank = False

    def paragraph(self, text: str, size: float, bold: bool = False, align: str = "left") -> None:
        """Text wrapped to the width of the page each line lands on (the first line indented)."""
        indent = 2 * size if align == "left" and not bold else 0.0
        rest = text
        while rest:
            self.ensure(size * 1.6)
            first = wrap(rest, size, self.avail - indent)[0]
            self.line([(first if align == "left" else first.rstrip(), align)], size, bold, indent)
            rest, indent = rest[len(first) :], 0.0

    def gap(self, h: float) -> None:
        if not self.blank:
            self.y -= h

    # tables
    def table(self, t: _Table) -> None:
        lay = self.lay
        size, pad = lay.table_size, lay.cell_pad
        lead = size * 1.25
        t.widths = _column_widths(t, lay, self.avail)
        total_w = sum(t.widths)
        x0 = self.lay.margin + max(0.0, (self.avail - total_w) / 2)
        xs = [x0]
        for w in t.widths:
            xs.append(xs[-1] + w)

        def cell_width(r: int, c: int) -> float:
            span = t.spans.get((r, c), (1, 1))
            return xs[c + span[1]] - xs[c]

        wrapped = [[wrap(cell, size, cell_width(r, c) - 2 * pad) for c, cell in enumerate(row)] for r, row in enumerate(t.rows)]
        sizes = [[size] * t.ncols for _ in t.rows]
        limit = (self.size[1] - 2 * lay.margin) * 0.85
        for r, row in enumerate(wrapped):  # a cell too long for a page gets a smaller font
            for c in sorted(range(t.ncols), key=lambda k: -len(row[k])):
                while len(row[c]) * sizes[r][c] * 1.25 + 2 * pad > limit and sizes[r][c] > 4.5:
                    sizes[r][c] -= 0.5
                    row[c] = wrap(t.rows[r][c], sizes[r][c], cell_width(r, c) - 2 * pad)
        heights = []
        for r, row in enumerate(wrapped):
            n = max(
                (len(x) * sizes[r][c] * 1.25 for c, x in enumerate(row) if t.spans.get((r, c), (1, 1))[0] == 1),
                default=lead,
            )
            heights.append(max(lead, n) + 2 * pad)
        for (r, c), (rs, _cs) in t.spans.items():  # a tall merged cell stretches its last row
            need = len(wrapped[r][c]) * lead + 2 * pad
            have = sum(heights[r : r + rs])
            if need > have:
                heights[r + rs - 1] += need - have
        t.sizes = sizes

        covered = {(r + i, c + k) for (r, c), (rs, cs) in t.spans.items() for i in range(rs) for k in range(cs)}
        header = list(range(t.nheader))
        segment: list[int] = []  # rows drawn on the current page, top to bottom
        top_y = self.y

        def flush() -> None:
            if segment:
                self._draw_segment(t, segment, heights, wrapped, xs, top_y, covered)

        body_on_page = 0  # rows of this page other than a repeated header
        r = 0
        while r < len(t.rows):
            h = heights[r]
            seed_break = lay.seed_breaks and r in t.breaks_before
            if body_on_page and (seed_break or self.y - h < self.bottom):
                if t.ncols == 1 and r == len(t.rows) - 1 and body_on_page >= 2 and not seed_break:
                    # one cell alone on a page is a box, not a table: take the row before along
                    r -= 1
                    segment.pop()
                    self.y += heights[r]
                flush()
                self.new_page()
                segment, top_y, body_on_page = [], self.y, 0
                if lay.repeat_header and r >= t.nheader:
                    segment.extend(header)
                    self.y -= sum(heights[i] for i in header)
            elif not segment and not self.blank and self.y - h < self.bottom:
                self.new_page()
                top_y = self.y
            segment.append(r)
            self.y -= heights[r]
            self.blank = False
            body_on_page += 1
            r += 1
        flush()
        self.y -= size * 0.8

    def _draw_segment(self, t, segment, heights, wrapped, xs, top_y, covered) -> None:
        lay, c = self.lay, self.c
        pad = lay.cell_pad
        ys = [top_y]
        for r in segment:
            ys.append(ys[-1] - heights[r])
        pos = {r: i for i, r in enumerate(segment)}
        # text
        for r in segment:
            for col, lines in enumerate(wrapped[r]):
                if (r, col) in covered and (r, col) not in t.spans:
                    continue
                rs, cs = t.spans.get((r, col), (1, 1))
                i = pos[r]
                last = min(i + rs, len(segment))
                cell_top, cell_bottom = ys[i], ys[last]
                left, right = xs[col], xs[col + cs]
                size = t.sizes[r][col]
                lead = size * 1.25
                text_h = len(lines) * lead
                y = cell_top - (cell_top - cell_bottom - text_h) / 2 - size * 0.98
                cell = t.rows[r][col]
                if r < t.nheader or (r, col) in t.spans:
                    align, x = "centre", (left + right) / 2
                elif _NUMBER.match(cell):
                    align, x = "right", right - pad
                else:
                    align, x = "left", left + pad
                for ln in lines:
                    if ln.strip():  # a space at a break stays drawn, as word processors do
                        self.draw_text(x, y, ln.rstrip() if align == "right" else ln, size, t.bold[r][col], align)
                    y -= lead
        # rules: every cell boundary except those inside merged cells
        hsegs: list[tuple[float, float, float]] = []
        vsegs: list[tuple[float, float, float]] = []
        n = len(segment)
        for i in range(n + 1):
            run_start = None
            for col in range(t.ncols + 1):
                inside = col < t.ncols and 0 < i < n and self._joined_vertically(t, segment[i - 1], segment[i], col)
                on = col < t.ncols and not inside
                if on and run_start is None:
                    run_start = col
                if not on and run_start is not None:
                    hsegs.append((ys[i], xs[run_start], xs[col]))
                    run_start = None
        for col in range(t.ncols + 1):
            run_start = None
            for i in range(n + 1):
                inside = i < n and 0 < col < t.ncols and self._joined_horizontally(t, segment[i], col)
                on = i < n and not inside
                if on and run_start is None:
                    run_start = i
                if not on and run_start is not None:
                    vsegs.append((xs[col], ys[run_start], ys[i]))
                    run_start = None
        if lay.rules == "rects":
            c.setFillGray(0)
            for y, xa, xb in hsegs:
                c.rect(xa - 0.25, y - 0.25, xb - xa + 0.5, 0.5, stroke=0, fill=1)
            for x, ya, yb in vsegs:
                c.rect(x - 0.25, yb - 0.25, 0.5, ya - yb + 0.5, stroke=0, fill=1)
        else:
            c.setLineWidth(0.6)
            for y, xa, xb in hsegs:
                c.line(xa, y, xb, y)
            for x, ya, yb in vsegs:
                c.line(x, ya, x, yb)

    @staticmethod
    def _origin(t: _Table, r: int, c: int) -> tuple[int, int] | None:
        for (sr, sc), (rs, cs) in t.spans.items():
            if sr <= r < sr + rs and sc <= c < sc + cs:
                return (sr, sc)
        return None

    def _joined_vertically(self, t: _Table, upper: int, lower: int, c: int) -> bool:
        o = self._origin(t, upper, c)
        return o is not None and o == self._origin(t, lower, c)

    def _joined_horizontally(self, t: _Table, r: int, c: int) -> bool:
        o = self._origin(t, r, c - 1)
        return o is not None and o == self._origin(t, r, c)


# --- documents ------------------------------------------------------------------------------

_TAG = re.compile(r"<\s*(?:b|strong)\s*>", re.I)


def _raw_lines(path: str) -> list[str]:
    with open(path, "rb") as fh:
        return decode_bytes(fh.read(), path).replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _table_of(raw: RawTable, raw_lines: list[str], lay: Layout) -> _Table:
    rows = _trim_columns([list(r) for r in raw.rows])
    bold = []
    for i, row in enumerate(rows):
        line_no = raw.row_lines[i] if i < len(raw.row_lines) else 0
        raw_cells = raw_lines[line_no - 1].split("\t") if 0 < line_no <= len(raw_lines) else []
        bold.append([c < len(raw_cells) and bool(_TAG.search(raw_cells[c])) for c in range(len(row))])
    breaks = {  # a blank line between two rows: the seed's source had a page break there
        i
        for i in range(1, min(len(raw.row_lines), len(rows)))
        if any(not raw_lines[n - 1].strip() for n in range(raw.row_lines[i - 1] + 1, raw.row_lines[i]))
    }
    nheader = header_rows(rows)
    wide = len(rows[0]) >= 5
    sp = spans(rows, nheader) if (lay.spanning_headers and wide) else {}
    return _Table(rows=rows, bold=bold, breaks_before=breaks, nheader=nheader, spans=sp)


def _classify(text: str, raw: str) -> str:
    s = text.strip()
    if _LABEL.match(s):
        return "label"
    if _UNIT_NAME.match(s):
        return "unit_name"
    if _UNIT.search(s) and len(s) <= 16:
        return "unit"
    if _YEAR_LINE.match(s):
        return "year"
    heading = raw.lstrip().startswith("#")
    if heading or (len(s) <= 40 and s.endswith("表") and "：" not in s):
        return "title"
    return "text"


def render_document(doc: Document, pdf_path: str, raw_lines: list[str], *, variant: str | Layout = "default") -> int:
    """Render a :class:`Document` read from text; returns the number of pages written.

    ``raw_lines`` are the file's lines, for what the text source strips: ``#`` headings and
    ``<b>`` tags (drawn as headings and bold) and the blank lines inside tables (page breaks).
    """
    lay = layout_for(variant)
    register_font()
    first = next((b.text for b in doc.blocks if b.kind == "text"), "")
    w = _Writer(pdf_path, lay, re.sub(r"\s+", "", first)[:40] if lay.running_header else "")
    blocks = doc.blocks
    page = blocks[0].page if blocks else 1
    i = 0
    while i < len(blocks):
        if blocks[i].page != page:  # a form feed in the text: a new page in the PDF
            page = blocks[i].page
            if not w.blank:
                w.new_page()
        j = i  # blocks[i:j] are text lines, blocks[j] (if a table on this page) ends the run
        while j < len(blocks) and blocks[j].kind == "text" and blocks[j].page == page:
            j += 1
        table = blocks[j].table if j < len(blocks) and blocks[j].kind == "table" and blocks[j].page == page else None
        k = j  # the short lines right before a table (title, label, unit line) travel with it
        while table is not None and k > i and j - k < 5 and len(blocks[k - 1].text) <= 60:
            k -= 1
        for b in blocks[i:k]:
            _render_text_block(w, b, raw_lines, lay)
        if table is not None and table.rows:
            _render_table(w, _table_of(table, raw_lines, lay), blocks[k:j], raw_lines, lay)
        elif table is not None:
            for b in blocks[k:j]:
                _render_text_block(w, b, raw_lines, lay)
        i = j + 1 if table is not None else j
    return w.finish()


def _render_table(w: _Writer, t: _Table, intro: list[Block], raw_lines: list[str], lay: Layout) -> None:
    """A table on a page of the orientation it needs, with the lines that introduce it kept
    on the same page as its first rows."""
    if lay.orientation == "auto":
        natural = sum(_natural_widths(t, lay)[0])
        w.want_orientation(t.ncols >= lay.wide_columns or natural > A4[0] - 2 * lay.margin)
    w.ensure(len(intro) * lay.text_size * 1.7 + (t.nheader + 3) * lay.table_size * 2.6)
    _render_intro(w, intro, raw_lines, lay)
    w.table(t)
    if lay.orientation == "auto":
        w.landscape_next = False  # the rest of this page is used; the next page is portrait


def _raw(b: Block, raw_lines: list[str]) -> str:
    return raw_lines[b.line - 1] if 0 < b.line <= len(raw_lines) else ""


def _render_text_block(w: _Writer, b: Block, raw_lines: list[str], lay: Layout) -> None:
    raw = _raw(b, raw_lines)
    kind = _classify(b.text, raw)
    bold = bool(_TAG.search(raw)) or kind == "title"
    if kind == "title":
        w.gap(lay.text_size * 0.5)
        size = lay.text_size + (3 if raw.lstrip().startswith(("# ", "## ")) else 1.5)
        w.paragraph(b.text, size, bold=True, align="centre" if len(b.text) <= 30 else "left")
    elif kind == "label":
        w.line([(b.text, "right" if lay.label_right else "left")], lay.text_size)
    elif kind == "unit":
        w.line([(b.text, "right")], lay.text_size)
    elif kind == "year":
        w.line([(b.text, "centre")], lay.text_size)
    else:
        w.paragraph(b.text, lay.text_size, bold=bold)


def _render_intro(w: _Writer, intro: list[Block], raw_lines: list[str], lay: Layout) -> None:
    """Title, label and unit lines before a table; with ``unit_line_joined`` the unit name,
    the year and the money unit share one line, left, centre and right."""
    k = 0
    while k < len(intro):
        b = intro[k]
        kind = _classify(b.text, _raw(b, raw_lines))
        if lay.unit_line_joined and kind == "unit_name":
            parts = [(b.text, "left")]
            m = k + 1
            while m < len(intro) and m <= k + 2:
                kind2 = _classify(intro[m].text, _raw(intro[m], raw_lines))
                if kind2 == "year" and len(parts) == 1:
                    parts.append((intro[m].text, "centre"))
                elif kind2 == "unit":
                    parts.append((intro[m].text, "right"))
                    m += 1
                    break
                else:
                    break
                m += 1
            if parts[-1][1] == "right":
                w.line(parts, lay.text_size)
                k = m
                continue
        _render_text_block(w, b, raw_lines, lay)
        k += 1


def render_text_report(txt_path: str, pdf_path: str, *, variant: str | Layout = "default") -> int:
    """Render a seed-style text report (TAB tables, ``#`` headings, stray tags) to a PDF.

    Returns the number of pages. The content is what :func:`read_text` reads from the file.
    """
    doc = read_text(txt_path)
    return render_document(doc, pdf_path, _raw_lines(txt_path), variant=variant)


def render_text(text: str, pdf_path: str, *, variant: str | Layout = "default") -> int:
    """Render report text given as a string (written to a temporary file next to the PDF)."""
    tmp = Path(pdf_path).with_suffix(".render.txt")
    tmp.write_text(text, encoding="utf-8")
    try:
        return render_text_report(str(tmp), pdf_path, variant=variant)
    finally:
        tmp.unlink(missing_ok=True)
