"""PDF reports: ruled tables with camelot's lattice parser, the rest of the text layer as lines.

Each page is laid out once (playa, the text layer camelot itself reads); camelot's lattice
parser finds the ruled tables from the PDF's vector lines without rendering the page
(``engine="vector"``); a page where that finds no table but which does carry ruled lines is
parsed again with camelot's default engine, which renders it. The text lines outside the
tables and the tables are interleaved top to bottom, so a table's title, label and unit line
come right before it, as in the text source: one text block per line, one table block per
table (a table split over pages stays split; recognition joins the parts).

PDF artefacts are cleaned on the way: text drawn twice for a fake bold face, numbers and
names wrapped inside narrow cells, page numbers and running headers or footers. Pages are
parsed in parallel worker processes when the document is long enough for it to pay.

Measured (benchmarks/bench_pdf.py, seed fixtures, 2 cores): about 40 pages/s on one core,
15-20x camelot's default engine on the same pages. The text lines come from the layout the
lattice parser needs anyway; a second pass with pypdfium2 would add ~5 ms a page, pdfplumber
~45 ms (about twice the whole read).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import re
import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import playa
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from camelot.parsers import Lattice
from camelot.utils import get_image_char_and_text_objects, get_page_layout
from playa.miner import LTChar, LTContainer, LTCurve, LTLine, LTRect

from ..document import DASHES as _DASH
from ..document import PAGE_NUMBER_RE as _PAGE_NUMBER
from ..document import Block, Document, RawTable, SourceError
from ..registry import classify_title

log = logging.getLogger(__name__)

#: Pages per worker process: shorter documents are read in one process, which measured faster
#: below ~30 pages (each worker re-opens the document and re-parses its fonts).
PAGES_PER_WORKER = 16

NO_TEXT_LAYER = "no text layer (scanned PDF?); OCR is not supported"


@dataclass
class _Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class _Table:
    rows: list[list[str]]
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 (PDF points, y up)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    chars: int = 0
    fallback: bool = False  # the default (rendering) engine was needed


# --- file-level checks -----------------------------------------------------------------------


def _check_file(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise SourceError(path, "file not found") from None
    except IsADirectoryError:
        raise SourceError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read file ({exc.strerror or exc})") from None
    if not data:
        raise SourceError(path, "not a PDF (empty file)")
    if b"%PDF-" not in data[:1024]:
        raise SourceError(path, "not a PDF (no %PDF header; is it a text file with a .pdf name?)")
    if b"%%EOF" not in data[-4096:]:
        raise SourceError(path, "truncated PDF (no %%EOF end marker); download it again")
    return data


def _open_checked(path: str) -> int:
    """Open with pdfium to classify damage and encryption; returns the page count."""
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise SourceError(path, "encrypted PDF (a password is needed to open it)") from None
        raise SourceError(path, f"corrupt PDF ({exc})") from None
    try:
        n = len(pdf)
        if n == 0:
            raise SourceError(path, "PDF has no pages")
        chars = 0
        for i in range(n):
            page = pdf[i]
            textpage = page.get_textpage()
            chars += textpage.count_chars()
            textpage.close()
            page.close()
            if chars:
                break
        if not chars:
            images = any(
                obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for i in range(n) for obj in pdf[i].get_objects(max_depth=2)
            )
            raise SourceError(path, NO_TEXT_LAYER if images else "no text and no images on any page (empty or damaged PDF?)")
        return n
    finally:
        pdf.close()


# --- one page ----------------------------------------------------------------------------------

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’、—…·]")
_NUMERIC = re.compile(r"[\d.,%\-−]")


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one wrapped cell: a number cut inside a narrow cell closes up
    ("1,033.1" + "8" → "1,033.18"), CJK text closes up, Latin words get a space."""
    out = ""
    for ln in lines:
        if not out:
            out = ln
        elif out.endswith(" ") or _CJK.match(out[-1]) or _CJK.match(ln[0]):
            out += ln
        elif _NUMERIC.match(out[-1]) and _NUMERIC.match(ln[0]):
            out += ln
        else:
            out += " " + ln
    return out


def clean_cell(text: str) -> str:
    """A camelot cell's text as one string: fake-bold doubled lines once, wrapped lines joined
    (a space the line broke at is kept)."""
    lines = [ln.lstrip() for ln in text.split("\n")]
    lines = [re.sub(r"\s+$", " ", ln) for ln in lines if ln.strip()]
    deduped: list[str] = []
    for ln in lines:  # (the layout has dropped overlapping copies; this catches the rest)
        key = ln.strip()
        if deduped and deduped[-1].strip() == key and len(set(key)) > 1 and len(key) >= 3:
            continue  # a second copy, not a wrapped "——" or "及时"
        deduped.append(ln)
    return join_wrapped(deduped).strip()


def _overlap(a, b) -> float:
    """Intersection over the smaller box (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1e-9
    return w * h / smaller


def _dedupe_text(textlines: list) -> list:
    """Drop what a fake bold face drew twice: a second copy of a line (same text, almost the
    same box) and, inside a line, a character repeated at almost the same position."""
    kept: list = []
    by_text: dict[str, list] = {}
    for t in textlines:
        key = t.get_text().strip()
        if key and any(_overlap(t.bbox, o.bbox) > 0.6 for o in by_text.get(key, ())):
            continue
        by_text.setdefault(key, []).append(t)
        kept.append(t)
    for t in kept:
        objs = t._objs
        out = []
        last: list = []
        for o in objs:
            if isinstance(o, LTChar):
                tol = max(0.5, 0.3 * (o.x1 - o.x0))
                if any(
                    p.get_text() == o.get_text() and abs(p.x0 - o.x0) < tol and abs(p.y0 - o.y0) < tol for p in last
                ):
                    continue
                last = (last + [o])[-3:]
            out.append(o)
        if len(out) != len(objs):
            t._objs = out
    return kept


def _promote_thin_curves(layout) -> int:
    """Thin few-point paths (rules some generators draw as slightly skewed quads) are replaced
    by rectangles, so the vector engine sees them as ruled lines. Returns how many ruled-line
    candidates the page has in all."""
    rules = 0
    stack = [layout]
    while stack:
        container = stack.pop()
        objs = getattr(container, "_objs", None)
        for k, obj in enumerate(container):
            if isinstance(obj, (LTLine, LTRect)):
                rules += 1
            elif isinstance(obj, LTCurve):
                w, h = obj.x1 - obj.x0, obj.y1 - obj.y0
                if objs is not None and min(w, h) <= 2.0 and max(w, h) >= 4.0 and len(obj.pts) <= 5:
                    rect = LTRect()  # an uninitialised rectangle, filled in from the curve
                    rect.set_bbox(obj.bbox)
                    rect.pts, rect.stroke, rect.fill = obj.pts, obj.stroke, obj.fill
                    rect.linewidth = obj.linewidth
                    objs[k] = rect
                    rules += 1
            elif isinstance(obj, LTContainer):
                stack.append(obj)
    return rules


def _layout(page):
    """The page's layout and text lines, turned upright if the text is drawn turned.

    Vertical text detection is off: in these reports a column of single characters is a
    narrow cell wrapping one character per line, which then joins like any wrapped cell."""
    layout, dims = get_page_layout(page, detect_vertical=False)
    images, chars, htext, vtext = get_image_char_and_text_objects(layout)
    rotation = _rotation(chars)
    if rotation:
        page.set_initial_ctm(page.space, page.rotate + (-90 if rotation == "clockwise" else 90))
        layout, dims = get_page_layout(page, detect_vertical=False)
        images, chars, htext, vtext = get_image_char_and_text_objects(layout)
    return layout, dims, images, chars, htext, vtext, rotation


def _rotation(chars) -> str:
    """"clockwise"/"anticlockwise" when most characters are drawn turned a quarter (a
    landscape table printed on a portrait page), else ""."""
    turned = [c for c in chars if abs(c.matrix[1]) > abs(c.matrix[0])]
    if len(turned) * 2 <= len(chars):
        return ""
    clockwise = sum(1 for c in turned if c.matrix[1] < 0)
    return "clockwise" if clockwise * 2 > len(turned) else "anticlockwise"


class _Lattice(Lattice):
    """camelot's lattice parser keeping grids that are mostly empty: an empty table (headings
    and blank rows, "本表无数据") is published on purpose and must reach recognition."""

    def _reject_table(self, table) -> bool:
        filled = sum(1 for row in table.data for cell in row if cell)
        return super()._reject_table(table) and filled < 2


def _camelot_tables(path, page_no, layout, dims, images, htext, vtext, rotation, engine):
    parser = _Lattice(engine=engine, split_text=True)
    parser.prepare_page_parse(path, layout, dims, page_no, images, htext, vtext, rotation, layout_kwargs={})
    return parser.extract_tables()


def _baseline(textline) -> float | None:
    """The median baseline (the glyph origins' y) of a pdfminer text line's characters."""
    ys = sorted(c.matrix[5] for c in textline if hasattr(c, "matrix")) if hasattr(textline, "__iter__") else []
    return ys[len(ys) // 2] if ys else None


def _merge_lines(textlines: list) -> list[_Line]:
    """Text fragments on one baseline become one line, left to right; a wide gap (two
    columns of a heading line: unit name … money unit) is kept as two spaces."""
    items = sorted(
        ((t.get_text().replace("\n", " ").strip(), t.bbox, _baseline(t)) for t in textlines),
        key=lambda it: (-it[1][3], it[1][0]),
    )
    groups: list[list[tuple[str, tuple]]] = []
    baselines: list[float | None] = []
    for text, bbox, base in items:
        if not text:
            continue
        for k in range(max(0, len(groups) - 3), len(groups)):
            g = groups[k]
            gy0 = min(b[1] for _, b in g)
            gy1 = max(b[3] for _, b in g)
            ov = min(gy1, bbox[3]) - max(gy0, bbox[1])
            height = min(gy1 - gy0, bbox[3] - bbox[1])
            # Same baseline, whatever the fonts' boxes say (digits in a font whose box hangs below
            # the line, beside CJK text whose box sits above it).
            same_base = base is not None and baselines[k] is not None and abs(base - baselines[k]) <= 0.25 * height
            if ov > 0.5 * height or same_base:
                g.append((text, bbox))
                break
        else:
            groups.append([(text, bbox)])
            baselines.append(base)
    out = []
    for g in groups:
        g.sort(key=lambda it: it[1][0])
        text = g[0][0]
        for (_prev_text, prev_box), (t, box) in zip(g, g[1:], strict=False):
            gap = box[0] - prev_box[2]
            height = max(1.0, box[3] - box[1])
            if gap > 1.5 * height:
                text += "  " + t
            elif gap < 0.3 * height and text[-1].isdigit() and re.match(r"[\d,.]", t):
                text += t  # one number drawn in two pieces (1 | 4,770.62)
            elif _CJK.match(text[-1]) or _CJK.match(t[0]):
                text += t
            else:
                text += " " + t
        out.append(
            _Line(text, min(b[0] for _, b in g), min(b[1] for _, b in g), max(b[2] for _, b in g), max(b[3] for _, b in g))
        )
    return out


def _inside(box, area, tol: float = 2.0) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] - tol <= cx <= area[2] + tol and area[1] - tol <= cy <= area[3] + tol


def parse_page(page, path: str) -> _Page:
    """Tables and text lines of one playa page."""
    layout, dims, images, chars, htext, vtext, rotation = _layout(page)
    page_no = page.page_idx + 1
    result = _Page(number=page_no, width=dims[0], height=dims[1], chars=len(chars))
    if not chars:
        return result
    htext = _dedupe_text(htext)
    vtext = _dedupe_text(vtext)
    rules = _promote_thin_curves(layout)
    args = (path, page_no, layout, dims, images, htext, vtext, rotation)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = _camelot_tables(*args, engine="vector")
        if not tables and rules >= 4:
            tables = _camelot_tables(*args, engine="combined")
            result.fallback = True
    for t in tables:
        rows = [[clean_cell(cell.text) for cell in row] for row in t.cells]
        rows = [row for row in rows if any(row)]  # blank ruled rows carry nothing
        if rows:
            result.tables.append(_Table(rows=rows, bbox=tuple(t._bbox)))
    outside = [t for t in htext + vtext if not any(_inside(t.bbox, tb.bbox) for tb in result.tables)]
    result.lines = _merge_lines(outside)
    return result


# --- the document ------------------------------------------------------------------------------

_PAGE_WORDS = re.compile(rf"^[{_DASH}]|页|page", re.I)  # "- 3 -", "第 3 页", "Page 3": clearly page numbers


def _furniture(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page, line index) of page numbers and running headers/footers.

    A page number is a page's first or last line in the outer eighth of the page, beyond its
    tables, that reads like one: ``- 3 -``, ``第 3 页``, or a bare ``3`` / ``3/20`` when at
    least one other page carries a number the same distance from its page index (a line that
    is only a wrapped "0" is not a page number). A running header or footer is a line in the
    outer tenth, set apart from the body by at least its own height, repeated with the same
    text at the same distance from the edge on at least three pages and a third of them (three
    fifths for a line ending in 表, which is more likely the title of forms that repeat)."""
    drop: set[tuple[int, int]] = set()
    bare: list[tuple[int, int, int]] = []  # (page, line, printed number − page index)
    seen: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for p in pages:
        if not p.lines:
            continue
        order = sorted(range(len(p.lines)), key=lambda i: -p.lines[i].y1)
        table_tops = [t.bbox[3] for t in p.tables]
        table_bottoms = [t.bbox[1] for t in p.tables]
        for i in {order[0], order[-1]}:
            ln = p.lines[i]
            text = re.sub(r"\s+", " ", ln.text.strip())
            in_band = ln.y0 > p.height * 7 / 8 or ln.y1 < p.height / 8
            beyond_tables = all(ln.y0 > top for top in table_tops) or all(ln.y1 < b for b in table_bottoms)
            if in_band and beyond_tables and _PAGE_NUMBER.match(text):
                if _PAGE_WORDS.search(text):
                    drop.add((p.number, i))
                else:
                    bare.append((p.number, i, int(re.search(r"\d+", text).group()) - p.number))
        spans = [(ln.y0, ln.y1) for ln in p.lines] + [(t.bbox[1], t.bbox[3]) for t in p.tables]
        for i, ln in enumerate(p.lines):
            height = ln.y1 - ln.y0
            if ln.y0 > p.height * 0.9:  # same distance from the top edge, whatever the page size
                below = max((y1 for y0, y1 in spans if y1 <= ln.y0 + 0.5 and (y0, y1) != (ln.y0, ln.y1)), default=None)
                apart = below is None or ln.y0 - below >= height
                key = (re.sub(r"\s+", "", ln.text), round((p.height - ln.y1) / 3))
            elif ln.y1 < p.height * 0.1:
                above = min((y0 for y0, y1 in spans if y0 >= ln.y1 - 0.5 and (y0, y1) != (ln.y0, ln.y1)), default=None)
                apart = above is None or above - ln.y1 >= height
                key = (re.sub(r"\s+", "", ln.text), -round(ln.y0 / 3))
            else:
                continue
            if apart:
                seen.setdefault(key, []).append((p.number, i))
    offsets = Counter(off for _, _, off in bare)
    drop.update((pn, i) for pn, i, off in bare if offsets[off] >= 2)
    for (text, _y), where in seen.items():
        share = len({pn for pn, _ in where}) / len(pages)
        # a form's title repeated where each form starts is not a running header
        if len(where) >= 3 and share >= (0.6 if text.endswith("表") else 1 / 3):
            # a table's title printed atop every page of it (项目支出绩效目标表（含转移支付项目）) still
            # titles the table once: its first occurrence stays
            drop.update(where[1:] if classify_title(text)[0] is not None else where)
    return drop


def _blocks(pages: list[_Page]) -> list[Block]:
    drop = _furniture(pages)
    blocks: list[Block] = []
    for p in pages:
        items: list[tuple[float, float, Block]] = []
        for i, ln in enumerate(p.lines):
            if (p.number, i) not in drop:
                items.append((-ln.y1, ln.x0, Block(kind="text", text=ln.text, page=p.number)))
        for t in p.tables:
            raw = RawTable(rows=t.rows, page=p.number, row_lines=[p.number] * len(t.rows))
            items.append((-t.bbox[3], t.bbox[0], Block(kind="table", table=raw, page=p.number)))
        items.sort(key=lambda it: (it[0], it[1]))
        blocks.extend(b for _, _, b in items)
    return blocks


def _workers(requested: int | None, pages: int) -> int:
    if requested is not None:
        return max(1, requested)
    env = os.environ.get("BUDGETLENS_PDF_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    if multiprocessing.current_process().daemon:
        return 1  # a pool worker cannot start processes of its own
    return max(1, min(os.cpu_count() or 1, pages // PAGES_PER_WORKER))


@contextmanager
def _quiet_parsers():
    """playa logs every damaged stream it recovers from (with tracebacks); the reader reports
    what matters as a SourceError, so their loggers are silenced while a file is parsed."""
    loggers = [logging.getLogger(name) for name in ("playa", "camelot")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def parse_pages(path: str, workers: int = 1) -> list[_Page]:
    """Parse every page (in ``workers`` processes); raises playa/camelot errors as they come."""
    with _quiet_parsers(), playa.open(path, space="page", max_workers=workers) as pdf:
        return list(pdf.pages.map(partial(parse_page, path=path)))


def read_pdf(path: str, *, workers: int | None = None) -> Document:
    """Read a PDF report into blocks: text lines and ruled tables, in reading order.

    Raises :class:`SourceError` with a one-line reason for a file that is not a PDF, is
    truncated or damaged, needs a password, or has no text layer (scanned; no OCR here).
    ``workers`` processes parse pages in parallel (default: one per core for long documents,
    ``BUDGETLENS_PDF_WORKERS`` overrides).
    """
    path = str(path)
    data = _check_file(path)
    try:
        npages = _open_checked(path)
        pages = parse_pages(path, _workers(workers, npages))
    except SourceError:
        raise
    except Exception as exc:  # playa/camelot/pdfium failure on a damaged file: one line, no traceback
        log.debug("PDF parse failed", exc_info=True)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceError(path, f"cannot parse PDF ({type(exc).__name__}: {reason[:200]})") from None
    if not any(p.chars for p in pages):  # pdfium saw text that playa cannot read
        raise SourceError(path, "text layer unreadable (damaged fonts or content streams?)")
    return Document(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format="pdf",
        pages=npages,
        blocks=_blocks(pages),
    )
