"""What a PDF's pages show, compared with what its text layer says: blank pages, and text that is in
the layer but not (or only partly) displayed.

A text box that overflows is drawn clipped: its text is in the layer, the reader sees the lines up to
the box's edge, the last of them cut through. Producers often repeat the overflowing text in a box on
the next page, so hidden text that is shown elsewhere is no fault; a cut line is (the inspectors'
"部分文字未正常显示"), and so is hidden text shown nowhere. Each page is rendered once in grey at a low
resolution and each character's box is looked at for ink; only pages with hidden characters are
rendered again, sharper, to measure how much of each line's height is drawn.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from statistics import median

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

LOW_SCALE = 0.5
HIGH_SCALE = 1.5
INK = 245  # a pixel darker than this is ink (light grey watermarks included)
CUT_INK = 200
CUT_FRACTION = 0.5  # a line whose characters show ink over less than half their height is cut
MIN_RUN = 8  # hidden characters (ideographs) a run needs to be reported


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass
class PageView:
    number: int
    chars: int = 0
    images: int = 0
    paths: int = 0
    drawn: bool = False  # a page without text or images that still shows lines (an empty table's grid)
    hidden: list[str] = field(default_factory=list)  # runs of hidden text shown nowhere else
    cut: list[str] = field(default_factory=list)  # lines drawn only in part

    @property
    def blank(self) -> bool:
        return self.chars == 0 and self.images == 0


@dataclass
class Visibility:
    pages: list[PageView]
    overflow_pages: list[int] = field(default_factory=list)  # pages whose hidden text is shown elsewhere


def _object_counts(page) -> tuple[int, int]:
    images = paths = 0
    for obj in page.get_objects():
        t = obj.type
        if t == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif t in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING):
            paths += 1
    return images, paths


def _gray(page, scale: float) -> np.ndarray:
    """The page in grey, unrotated (character boxes are in the unrotated page's space)."""
    if page.get_rotation():
        page.set_rotation(0)  # in memory only; the file is never written
    bm = page.render(scale=scale, grayscale=True, draw_annots=False).to_numpy()
    return bm[..., 0] if bm.ndim == 3 else bm


def _boxes(tp) -> tuple[str, list[tuple[float, float, float, float]]]:
    n = tp.count_chars()
    text = tp.get_text_range(0, n) if n else ""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    boxes = []
    for i in range(n):
        pdfium_c.FPDFText_GetCharBox(tp, i, left, right, bottom, top)
        boxes.append((left.value, bottom.value, right.value, top.value))
    return text, boxes


def _region(bm: np.ndarray, box, height: float, scale: float) -> np.ndarray | None:
    x0, y0, x1, y1 = box
    r0, r1 = int((height - y1) * scale), int(np.ceil((height - y0) * scale))
    c0, c1 = int(x0 * scale), int(np.ceil(x1 * scale))
    if r1 <= 0 or c1 <= 0 or r0 >= bm.shape[0] or c0 >= bm.shape[1]:
        return None  # off the page
    return bm[max(r0, 0):r1 + 1, max(c0, 0):c1 + 1]


def read_visibility(path: str) -> Visibility:
    """Every page of a PDF: its characters, images, hidden text shown nowhere, and cut lines."""
    pdf = pdfium.PdfDocument(path)
    try:
        views: list[PageView] = []
        shown: list[str] = []
        hidden_pages: list[tuple[int, str, list, list[int], float]] = []
        for index in range(len(pdf)):
            page = pdf[index]
            view = PageView(number=index + 1)
            tp = page.get_textpage()
            text, boxes = _boxes(tp)
            view.chars = sum(1 for c in text if not c.isspace())
            if view.chars == 0:
                view.images, view.paths = _object_counts(page)
                view.drawn = view.paths > 0 and int(_gray(page, LOW_SCALE).min()) < INK
                views.append(view)
                continue
            bm = _gray(page, LOW_SCALE)
            left, bottom, _r, top = page.get_cropbox()
            height = top - bottom
            boxes = [(x0 - left, y0 - bottom, x1 - left, y1 - bottom) for x0, y0, x1, y1 in boxes]
            hidden: list[int] = []
            visible = []
            for i, ch in enumerate(text[:len(boxes)]):
                if not _ideograph(ch):
                    continue
                box = boxes[i]
                if box[2] <= box[0] or box[3] <= box[1]:
                    continue
                reg = _region(bm, box, height, LOW_SCALE)
                if reg is None or reg.size == 0 or int(reg.min()) >= INK:
                    hidden.append(i)
                else:
                    visible.append(ch)
            shown.append("".join(visible))
            if hidden:
                hidden_pages.append((index, text, boxes, hidden, height))
            views.append(view)
        everywhere = "".join(shown)
        for index, text, boxes, hidden, height in hidden_pages:
            view = views[index]
            for run in _runs(text, hidden):
                ideo = "".join(c for c in run if _ideograph(c))
                if len(ideo) < MIN_RUN:
                    continue
                if ideo[:MIN_RUN] in everywhere and ideo[-MIN_RUN:] in everywhere:
                    continue  # drawn on another page (an overflowing box continued)
                view.hidden.append(run.strip())
            bm = _gray(pdf[index], HIGH_SCALE)
            view.cut = _cut_lines(text, boxes, set(hidden), bm, height)
        return Visibility(pages=views, overflow_pages=[i + 1 for i, *_ in hidden_pages])
    finally:
        pdf.close()


def _runs(text: str, hidden: list[int]) -> list[str]:
    """Hidden characters in runs: consecutive ideographs, with what stands between them."""
    runs: list[str] = []
    start = prev = hidden[0]
    for i in hidden[1:]:
        if any(_ideograph(c) for c in text[prev + 1:i]):
            runs.append(text[start:prev + 1])
            start = i
        prev = i
    runs.append(text[start:prev + 1])
    return [re.sub(r"\s+", "", r) for r in runs]


def _cut_lines(text: str, boxes: list, hidden: set[int], bm: np.ndarray, height: float) -> list[str]:
    """Lines next to hidden text whose ideographs show ink over less than half their height."""
    chars = [i for i, ch in enumerate(text[:len(boxes)])
             if _ideograph(ch) and boxes[i][3] > boxes[i][1]]
    chars.sort(key=lambda i: -(boxes[i][1] + boxes[i][3]))
    groups: list[list[int]] = []
    for i in chars:  # one line: characters whose vertical centres are within half a character
        centre, size = (boxes[i][1] + boxes[i][3]) / 2, boxes[i][3] - boxes[i][1]
        last = groups[-1][-1] if groups else None
        if last is not None and abs((boxes[last][1] + boxes[last][3]) / 2 - centre) <= size / 2:
            groups[-1].append(i)
        else:
            groups.append([i])
    lines = {k: sorted(g) for k, g in enumerate(groups)}
    out = []
    for idx in lines.values():
        shown = [i for i in idx if i not in hidden]
        if len(shown) < 5:
            continue
        fractions = []
        for i in shown:
            reg = _region(bm, boxes[i], height, HIGH_SCALE)
            if reg is None or reg.size == 0:
                continue
            rows = (reg < CUT_INK).any(axis=1)
            fractions.append(rows.sum() / max(len(rows), 1))
        if fractions and median(fractions) < CUT_FRACTION:
            start = min(idx)
            while start > 0 and text[start - 1] in "（(“‘《【":
                start -= 1
            end = max(idx) + 1
            while end < len(text) and text[end] in "。，、；：）)”’》】":
                end += 1
            out.append(re.sub(r"\s+", "", text[start:end]))
    return out


UNMAPPED_RE = re.compile(r"[\ue000-\uf8ff\ufffd\U000f0000-\U000ffffd]|\(cid:\d+\)")


def unmapped(text: str) -> list[str]:
    """Characters of a text layer that no font maps to a character (private use, U+FFFD, (cid:N))."""
    return UNMAPPED_RE.findall(text)
