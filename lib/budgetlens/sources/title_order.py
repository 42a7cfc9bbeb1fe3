"""Titles printed after their tables: text in a PDF's content-stream order.

Some extractors (pypdfium2's plain text, pdf-parse) write a page's text in the order it was
drawn, and many report templates draw a table's body before its title: 表五 / 部门：… / header /
rows / 财政拨款支出预算表 / 表六 … Read top to bottom, every table would take the title of the
table after it. A document is read in this order when most of its table titles close a table
body on their page (a label or unit line, then data lines) and are followed by none. Each such
title then goes back to the top of its table, with the label and currency line drawn after it
(部门预算11表, 单位：万元) and, after the header lines drawn before it, the header cells drawn after
it. Row labels whose figures were drawn elsewhere (1. 一般公共预算资金) stay where they are: no
reordering can give them their figures. Documents that print titles above their tables are left
as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..document import Block, Document
from ..facts import fact_sources
from ..recognize import CURRENCY_RE, LABEL_RE
from ..registry import normalise_label
from .plain import CONTEXT_RE, NOTE_RE, _is_data_line, _starts_item, _title_at

CURRENCY_LINE_RE = re.compile(r"(?:.{0,12}\s*)?" + CURRENCY_RE.pattern)
MIN_TRAILING = 2  # a document with fewer trailing titles is read as printed


@dataclass
class _Title:
    at: int
    width: int  # blocks the title takes (a wrapped title takes several)
    kind_id: str
    body_at: int  # where the table it closes opens: its label (表五) or unit line (部门：…)
    trailing: bool
    leading: bool
    closes: bool  # closes a body that may have no rows (a blank table: header, 合计, note)


def _is_label(block: Block) -> bool:
    return block.kind == "text" and LABEL_RE.fullmatch(re.sub(r"\s+", "", block.text)) is not None


def _data(block: Block) -> bool:
    return block.kind == "text" and _is_data_line(block.text)


def _is_period(block: Block) -> bool:
    """A line naming only the period (2023年度), printed between a title and its table."""
    return block.kind == "text" and re.fullmatch(r"[(（]?\s*20\d{2}\s*年度?\s*[)）]?", block.text.strip()) is not None


def _is_context(block: Block) -> bool:
    """A table's label (表五), unit line (部门：…) or currency line (单位：万元)."""
    text = re.sub(r"\s+", "", block.text or "")
    return block.kind == "text" and (_is_label(block) or CONTEXT_RE.search(block.text) is not None
                                     or CURRENCY_LINE_RE.fullmatch(text) is not None)


@cache
def _row_words(kind_id: str) -> tuple[str, ...]:
    """Row labels the facts registry reads from a table kind (上年结转资金, 本年支出合计 …): a line
    drawn after the title that names one is a row whose figure was drawn elsewhere, not header."""
    words = {normalise_label(w.removeprefix("=")) for specs in fact_sources().values() for spec in specs
             if spec.get("table") == kind_id for w in spec.get("rows", [])}
    return tuple(sorted(w for w in words if len(w) >= 4))


def _carried(block: Block, page: int, kind_id: str) -> bool:
    """Whether a line drawn after a trailing title goes up with it: the rest of the table's header
    on the title's page (cells without figures, not row labels such as 1. 一般公共预算资金 or
    当年支出小计, whose figures were drawn elsewhere), and its label and currency line wherever
    they were drawn before the next table (部门预算11表, 单位：万元)."""
    if block.kind != "text":
        return False
    if _is_label(block) or CURRENCY_LINE_RE.fullmatch(re.sub(r"\s+", "", block.text)):
        return True  # not every unit line: 部门：… may open the next table's body
    text = block.text.strip()
    label = normalise_label(text)
    return block.page == page and not _data(block) and not _starts_item(text) \
        and not re.search(r"(?:合计|小计|总计)$", text) and not NOTE_RE.match(text) and "。" not in text \
        and not any(label.startswith(w) for w in _row_words(kind_id))


def _titles(blocks: list[Block]) -> list[tuple[int, int, str]]:
    found, i = [], 0
    while i < len(blocks):
        kind, _, width = _title_at(blocks, i)
        if kind is not None and kind.layout != "performance":
            found.append((i, width, kind.id))
        i += width
    return found


def _classify(blocks: list[Block], titles: list[tuple[int, int, str]]) -> list[_Title]:
    """Whether each title closes a table body above it on its page (a label or unit line, then
    data lines, and no data lines after the title) or opens the data lines below it (leading)."""
    out = []
    for n, (at, width, kind_id) in enumerate(titles):
        page = blocks[at].page
        prev_end = titles[n - 1][0] + titles[n - 1][1] if n else 0
        nxt = titles[n + 1][0] if n + 1 < len(titles) else len(blocks)
        start = at
        while start > prev_end and blocks[start - 1].page == page:
            start -= 1
        above = sum(_data(b) for b in blocks[start:at])
        # The body opens at its label (表五) or unit line (部门：…), whichever was drawn first.
        opener = next((j for j in range(start, at) if _is_label(blocks[j])
                       or (blocks[j].kind == "text" and CONTEXT_RE.search(blocks[j].text))), None)
        below_same_page = below_any = 0
        own = at + width
        while own < nxt and (_is_context(blocks[own]) or _is_period(blocks[own])):
            own += 1  # the title's own label, unit and currency lines (收入决算表 / 公开02表 / 部门：…)
        for j in range(own, nxt):
            if _is_label(blocks[j]):
                break
            if _data(blocks[j]):
                below_any += 1
                below_same_page += blocks[j].page == page
        closes = opener is not None and below_same_page == 0
        trailing = closes and any(_data(b) for b in blocks[opener:at])
        leading = below_same_page > 0 or (above == 0 and below_any > 0)
        out.append(_Title(at, width, kind_id, opener if opener is not None else start, trailing, leading, closes))
    return out


def restore_title_order(doc: Document) -> Document:
    """The document with titles moved above the tables they close, when it is in drawing order."""
    blocks = doc.blocks
    titles = _classify(blocks, _titles(blocks))
    trailing = [t for t in titles if t.trailing]
    if len(trailing) < MIN_TRAILING or len(trailing) <= sum(t.leading for t in titles):
        return doc
    out = list(blocks)
    ends = [t.body_at for t in titles[1:]] + [len(blocks)]
    for t, end in reversed(list(zip(titles, ends, strict=True))):  # from the end, so earlier positions stay valid
        if not t.closes:
            continue
        after = range(t.at + t.width, max(end, t.at + t.width))
        page = blocks[t.at].page
        carried = [j for j in after if blocks[j].page <= page + 2 and _carried(blocks[j], page, t.kind_id)]
        context = [out[j] for j in carried if _is_context(out[j])]
        header = [out[j] for j in carried if not _is_context(out[j])]
        # The table's label drawn at the foot of its body (部门预算08表) goes up too.
        labels = [j for j in range(t.body_at + 1, t.at) if _is_label(out[j])]
        title = out[t.at:t.at + t.width] + [out[j] for j in labels]
        for j in reversed(carried):
            del out[j]
        del out[t.at:t.at + t.width]
        for j in reversed(labels):
            del out[j]
        t_at = t.at - len(labels)
        # Title, label and unit lines, the header lines drawn before the title, the header cells
        # drawn after it (in drawing order: a later cell is further right or lower), then the rows.
        head = t.body_at
        while head < t_at and not _data(out[head]):
            head += 1
        out[head:head] = header
        out[t.body_at:t.body_at] = title + context
    return Document(path=doc.path, sha256=doc.sha256, format=doc.format, pages=doc.pages, blocks=out)


__all__ = ["restore_title_order"]
