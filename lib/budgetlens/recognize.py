"""Recognition: what a document is (kind, unit, year) and which raw table is which standard table.

Tables are identified by the title printed above them (matched against the registry's
aliases), never by their number; the label (公开01表, 表一, 预算公开表1) and the unit line
(部门名称：…  金额单位：万元) are read from the same context. A table with no context of its
own directly after another table is that table's continuation across a page break, and so is one
that reprints the previous table's heading (same title, label and unit) without a total row of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .document import PAGE_NUMBER_RE, Block, Document, RawTable
from .identify import (
    commonest_year,
    scope_from_label_cells,
    unit_from_cover,
    unit_from_duties,
    unit_from_label_cells,
    year_from_lines,
    year_of_split_title,
)
from .numbers import is_amount
from .registry import TableKind, classify_title, normalise_label
from .sources.captions import trim_margins

LABEL_RE = re.compile(
    r"^(?:(?:部门|单位|预算|决算)?(?:公开|预算公开|决算公开|部门预算|单位预算)?\s*(?:表|附表)\s*(?:[0-9０-９]+|[一二三四五六七八九十]+(?!般))"
    r"(?:[-－—][0-9]+)?|公开\s*[0-9]+\s*表|(?:部门|单位)?(?:预算|决算)?\d+表)"
)
# A label printed after the title on its line: 收入支出决算表（公开01表）, 收入支出决算表 公开01表.
LABEL_AFTER_RE = re.compile(r"(?<=表)[(（]?(" + LABEL_RE.pattern.removeprefix("^") + r")[)）]?$")
CURRENCY_RE = re.compile(r"(?:金额|货币)?单位\s*[:：]\s*(亿元|万元|元)")
UNIT_NAME_RE = re.compile(
    r"(?:部门名称|单位名称|编制单位|编制部门|填报单位|预算单位|部门|单位)\s*[(（]?(?:盖章|公章)?[)）]?\s*[:：]\s*"
    r"(?P<name>[^\s:：]{2,60}?)(?=\s|$|(?:金额)?单位\s*[:：]|\d{4}年)"
)
NO_DATA_RE = re.compile(r"本表无数据|此表为空表|为空表|本表为空|无数据|本表无|空表|无相关收支"
                        r"|^注[:：]?(?:本|我)(?:单位|部门).{0,12}?(?:无|没有|未安排)")
YEAR_RE = re.compile(r"(20\d{2})\s*年")
# A year in Chinese numerals (二〇二四年) on a title page.
_CN_YEAR_RE = re.compile(r"(二[〇零○Ｏ][一二三四五六七八九〇零○Ｏ]{2})年")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
# The budget system's unit code before a name (101001-某某局, [101001]某某局): not part of the name.
_UNIT_CODE_RE = re.compile(r"^[\[【(（]?\d{2,12}[\]】)）]?[-－—_:：]?(?=[\u4e00-\u9fff])")


@dataclass
class TableContext:
    """What the text around a raw table says about it."""

    title: str | None = None
    label: str | None = None
    unit_name: str | None = None
    currency: str | None = None
    empty_declared: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class RecognizedTable:
    """A raw table (continuations joined) with its kind and context."""

    kind: TableKind | None
    raw: RawTable
    context: TableContext
    index: int

    @property
    def id(self) -> str:
        return self.kind.id if self.kind else f"table_{self.index:02d}"


@dataclass
class Recognition:
    kind: str
    unit: str | None
    year: int | None
    currency: str
    tables: list[RecognizedTable]
    scope: str | None = None  # "department" (部门: the unit with its subordinate units) or "unit" (单位)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_title_candidate(text: str) -> bool:
    t = normalise_label(text)
    return 2 <= len(t) <= 60 and "。" not in t and "，" not in t and "；" not in t


def _context_lines(blocks: list[Block], start: int, stop: int) -> list[Block]:
    return [b for b in blocks[start:stop] if b.kind == "text"]


def _read_context(lines: list[Block]) -> TableContext:
    """Title, label, unit name and currency from the lines before a table (nearest first)."""
    ctx = TableContext()
    best_title: tuple[int, str] | None = None
    window = lines[-10:]
    for distance, block in enumerate(reversed(window)):
        text = block.text.strip()
        c = compact(text)
        if ctx.currency is None:
            m = CURRENCY_RE.search(c)
            if m:
                ctx.currency = m.group(1)
        if ctx.unit_name is None:
            m = UNIT_NAME_RE.search(text.replace("\u3000", " "))
            if m and not CURRENCY_RE.match(compact(m.group(0))):
                name = _UNIT_CODE_RE.sub("", m.group("name").strip())
                if len(name) >= 2 and name not in {"万元", "元", "亿元"}:
                    ctx.unit_name = name
        if ctx.label is None:
            m = LABEL_RE.match(c)
            if m:
                ctx.label = m.group(0)
            elif (m := LABEL_AFTER_RE.search(c)) and classify_title(c[:m.start()])[0] is not None:
                ctx.label = m.group(1)
        if best_title is None:
            # A title wrapped over two lines (…培训费支出预 / 算表) is read joined.
            after = window[len(window) - distance] if distance else None
            for cand in (text, text + after.text.strip() if after is not None else None):
                if cand and _is_title_candidate(cand) and classify_title(cand)[0] is not None:
                    best_title = (distance, cand)
                    break
    if best_title is not None:
        ctx.title = best_title[1]
    return ctx


def _is_noise(block: Block) -> bool:
    return PAGE_NUMBER_RE.match(block.text.strip()) is not None


def _is_header_like(row: list[str]) -> bool:
    return not any(is_amount(c) for c in row if c and not re.fullmatch(r"\d{1,2}", c.strip()))


def _join_continuation(first: RawTable, cont: RawTable) -> None:
    """Append a continuation's rows, dropping a repeated copy of the first part's header."""
    if cont.width == first.width - 1 and all(not (r and r[0].strip()) for r in first.rows) \
            and any(r and r[0].strip() for r in cont.rows):
        # The first part drawn with a blank left margin column, its continuation without it.
        cont.rows = [["", *r] for r in cont.rows]
    header = [r for r in first.rows[:6] if _is_header_like(r)]
    header_keys = {tuple(compact(c) for c in r) for r in header}
    rows, lines = list(cont.rows), list(cont.row_lines or [cont.page] * len(cont.rows))
    dropped = 0
    while rows and _is_header_like(rows[0]) and tuple(compact(c) for c in rows[0]) in header_keys:
        rows.pop(0)
        lines.pop(0)
        dropped += 1
    first.lost_rows |= {len(first.rows) + r - dropped for r in cont.lost_rows if r >= dropped}
    first.rows.extend(rows)
    first.row_lines.extend(lines)


def recognize_tables(doc: Document) -> list[RecognizedTable]:
    """Assign each raw table its kind and context; join continuations across page breaks."""
    result: list[RecognizedTable] = []
    blocks = doc.blocks
    prev_table_at = -1
    for i, block in enumerate(blocks):
        if block.kind != "table" or block.table is None:
            continue
        between = _context_lines(blocks, prev_table_at + 1, i)
        prev_at = prev_table_at
        prev_table_at = i
        if result and prev_at >= 0 and all(_is_noise(b) for b in between):
            prev = result[-1]
            if _compatible(prev.raw, block.table):
                _join_continuation(prev.raw, block.table)
                continue
        ctx = _read_context(between)
        if result and _repeats_heading(result[-1], ctx, block.table):
            _join_continuation(result[-1].raw, block.table)
            continue
        # Lines right after the previous table that say it is empty belong to it.
        if result:
            trailer = []
            for b in between:
                if _is_title_candidate(b.text) and classify_title(b.text)[0] is not None:
                    break
                trailer.append(b)
            prev = result[-1]
            for b in trailer[:6]:
                if NO_DATA_RE.search(compact(b.text)):
                    prev.context.empty_declared = True
                prev.context.notes.append(b.text)
        kind = classify_title(ctx.title)[0] if ctx.title else None
        if result and prev_at >= 0 and _repeats_context(result[-1], ctx, kind, between) \
                and _compatible(result[-1].raw, block.table):
            _join_continuation(result[-1].raw, block.table)  # the next page prints title and header again
            continue
        result.append(RecognizedTable(kind=kind, raw=block.table, context=ctx, index=len(result) + 1))
    for t in result:
        t.raw.rows = trim_margins(t.raw.rows)
    if result:
        tail = _context_lines(blocks, prev_table_at + 1, len(blocks))[:6]
        for b in tail:
            if _is_title_candidate(b.text) and classify_title(b.text)[0] is not None:
                break
            if NO_DATA_RE.search(compact(b.text)):
                result[-1].context.empty_declared = True
            result[-1].context.notes.append(b.text)
    return result


def _repeats_context(prev: RecognizedTable, ctx: TableContext, kind: TableKind | None, between: list[Block]) -> bool:
    """A table whose page repeats the previous table's title, label and unit line, with nothing but
    those lines (and page numbers, notes) in between, is its continuation: some templates print the
    whole caption again on every page. Forms (绩效目标表, one per project) are separate tables."""
    if kind is None or prev.kind is None or kind.id != prev.kind.id or kind.layout == "performance":
        return False
    pc = prev.context
    if compact(ctx.title or "") != compact(pc.title or "") or compact(ctx.label or "") != compact(pc.label or ""):
        return False
    if ctx.unit_name != pc.unit_name or (ctx.currency or pc.currency) != (pc.currency or ctx.currency):
        return False
    return all(_is_noise(b) or _is_caption_line(compact(b.text)) for b in between)


def _is_caption_line(text: str) -> bool:
    """A title, label, unit or currency line, or a note: what a repeated caption consists of."""
    if not text or text.startswith("注"):
        return True
    return len(text) <= 80 and "。" not in text and "，" not in text and not re.search(r"\d{3,}\s*万元", text)


def _repeats_heading(prev: RecognizedTable, ctx: TableContext, table: RawTable) -> bool:
    """A continuation page that reprints the heading (公开表3 / 支出总体情况表 / 部门（单位）：… again):
    same title, label and unit as the table before it, as many columns, and its first figures are
    not a 合计 row (a second table of the same title opens with its own total)."""
    p = prev.context
    if not (ctx.title and p.title and compact(ctx.title) == compact(p.title) and ctx.label and ctx.label == p.label):
        return False
    if ctx.unit_name != p.unit_name or abs(prev.raw.width - table.width) > 1 or not prev.raw.rows:
        return False
    first = next((r for r in table.rows if not _is_header_like(r)), None)
    return first is not None and not any(re.search(r"合\s*计|总\s*计", c) for c in first if c)


def _compatible(a: RawTable, b: RawTable) -> bool:
    """Two parts of one table have (nearly) the same number of columns, or the second is a short
    run of total rows whose label cell spans the first part's label columns (合计 | v1 | v2 …)."""
    if abs(a.width - b.width) <= 1:
        return True
    if b.width < a.width and len(b.rows) <= 3 and all(_is_total_row(r) for r in b.rows):
        for r in b.rows:  # align the figures on the right, as the spanned label would
            r[1:1] = [""] * (a.width - len(r))
        return True
    if a.width < b.width and b.width % a.width == 0 and not any(is_amount(c) for r in a.rows for c in r):
        # A header row left alone at the foot of a page (收入 | 支出) over a table cut into more
        # columns: each header cell spans its share of them.
        k = b.width // a.width
        a.rows[:] = [[x for c in r for x in [c] + [""] * (k - 1)] for r in a.rows]
        return True
    if _is_paired_tail(a, b):
        for r in b.rows:  # 收入 | 支出 under a 收入 | 功能 | 用途 table: 支出 spans the later groups
            r[2:2] = [""] * (a.width - len(r))
        return True
    return False


_TAIL_LABEL = re.compile(r"合\s*计|总\s*计|小\s*计|结\s*转|结\s*余")


def _is_paired_tail(a: RawTable, b: RawTable) -> bool:
    """A short run of (label, amount) pairs closing a side-by-side table that has more pairs:
    上年结转资金 | | 结转下年资金 | ; 收入合计 | 9,146.79 | 支出合计 | 9,146.79."""
    if not (b.width < a.width and b.width % 2 == 0 and a.width % 2 == 0 and len(b.rows) <= 4):
        return False
    for r in b.rows:
        labels, amounts = r[0::2], r[1::2]
        if any(c.strip() and is_amount(c) for c in labels) or any(c.strip() and not is_amount(c) for c in amounts):
            return False
    return any(_TAIL_LABEL.search(c) for r in b.rows for c in r[0::2])


def _is_total_row(row: list[str]) -> bool:
    cells = [c for c in row if c.strip()]
    return bool(cells) and re.search(r"合\s*计|总\s*计", cells[0]) is not None and all(is_amount(c) for c in cells[1:])


# --- document identity ---------------------------------------------------------------

_KIND_PATTERNS = [
    ("performance", re.compile(r"绩效自评(?:表|报告)|绩效评价(?:表|报告)")),
    ("final", re.compile(r"决算")),
    ("budget", re.compile(r"预算")),
]


def detect_kind(doc: Document) -> str | None:
    """``final``/``budget``/``performance`` from the title lines, else from word counts."""
    head = [compact(b.text) for b in doc.text_blocks()[:15]]
    for line in head:
        if re.search(r"(?:部门|单位)?决算(?:公开|报告|说明)?$|决算公开", line):
            return "final"
        if re.search(r"(?:部门|单位)?预算(?:公开|报告|说明)?$|预算公开|预算$", line):
            return "budget"
        if _KIND_PATTERNS[0][1].search(line):
            return "performance"
        # A dated title naming one kind (某局2024年部门预算情况说明, 2023年度部门决算编制说明): a fund's
        # name (一般公共预算) is no kind.
        if (YEAR_RE.search(line) or _CN_YEAR_RE.search(line)) and len(line) <= 50:
            kinds = {k for k in ("决算", "预算") if k in re.sub(r"一般公共预算|政府性基金预算|国有资本经营预算", "", line)}
            if len(kinds) == 1:
                return "final" if kinds == {"决算"} else "budget"
    text = compact(doc.full_text)
    n_final = text.count("决算")
    n_budget = text.count("预算")
    n_perf = len(re.findall(r"绩效自评", text))
    if n_perf and n_perf * 3 >= n_final and "收支总" not in text:
        return "performance"
    if n_final == 0 and n_budget == 0:
        return None
    # 决算 documents talk about 年初预算 too; 决算 words dominate them.
    return "final" if n_final * 2 >= n_budget else "budget"


def detect_year(doc: Document, kind: str | None) -> int | None:
    """Fiscal year: the first year named in the title lines, else the commonest in the text."""
    if (split := year_of_split_title(doc)) is not None:
        return split
    for b in doc.text_blocks()[:15]:
        m = YEAR_RE.search(compact(b.text)) or re.search(r"[(（](20\d{2})年度?[)）]", compact(b.text))
        if m:
            return int(m.group(1))
        if m := _CN_YEAR_RE.search(compact(b.text)):
            return int(m.group(1).translate(_CN_DIGITS))  # 二〇二四年部门预算
    # A year on a line of its own (（2026年度） under a form's title), else the commonest in the text.
    if (year := year_from_lines(doc)) is not None:
        return year
    return commonest_year(doc)


_UNIT_SUFFIX = re.compile(
    r"^[\u4e00-\u9fff（）()]{3,40}(?:局|中心|委员会|办公室|办公厅|厅|院|部|处|站|所|会|馆|队|校|委|办|署|社|室|馆|街道办事处|人民政府|政府"
    r"|联|协|镇|乡|街道|中学|小学|大学|学院|幼儿园|台|林场|农场|团|监狱|宫|开发区|保护区|示范区|园区|管理区)$"
)


def detect_unit(doc: Document, tables: list[RecognizedTable]) -> str | None:
    """The unit's name as its tables print it, else as its title does."""
    names = Counter(t.context.unit_name for t in tables if t.context.unit_name)
    if names:
        return names.most_common(1)[0][0]
    # A label cell beside the name (部门名称 | X: a tables volume's 部门整体 form).
    if named := unit_from_label_cells(doc):
        return named
    # Lines such as 单位名称：X anywhere in the text (performance forms, title pages).
    for b in doc.text_blocks():
        m = UNIT_NAME_RE.search(b.text)
        if m and _UNIT_SUFFIX.match(m.group("name")):
            return m.group("name")
    # Part headings name the unit in full even when the title page wraps it (第一部分 X概况); a
    # title can name it more fully than the headings do (江苏省委办公厅 vs 省委办公厅): of two
    # names where one ends the other, the longer wins.
    part = title = None
    for b in doc.text_blocks()[:80]:
        m = _PART_RE.match(compact(b.text))
        if m and _UNIT_SUFFIX.match(m.group(1)):
            part = m.group(1)
            break
    title = unit_from_cover(doc)
    if part and title:
        return title if title.endswith(part) else part
    if part or title:
        return part or title
    # A narrative with no cover: the first sentence of its duty section (X属于…, X主要职责…).
    if named := unit_from_duties(doc):
        return named
    for b in doc.text_blocks()[:60]:
        # (A label printed without its colon is not part of the name: 部门名称 某县自然资源局.)
        t = _LABEL_PREFIX.sub("", compact(b.text))
        if _UNIT_SUFFIX.match(t) and not classify_title(t)[0]:
            return t
    # A narrative volume with no title: the organisation name it repeats most.
    names = Counter(m.group(1) for m in _ORG_RE.finditer(compact(doc.full_text)[:200000]))
    if names:
        name, n = names.most_common(1)[0]
        if n >= 3:
            return name
    return None


# A unit label printed without its colon (部门名称 某县自然资源局): not part of the name.
_LABEL_PREFIX = re.compile(r"^(?:部门|单位|主管部门|预算单位|填报单位|编制单位|编制部门)(?:名称)?(?:及代码)?(?=.{3})")
_PART_RE = re.compile(r"^第[一二三四五]部分(.+?)(?:20\d{2}年度?)?(?:部门|单位)?(?:概况|决算表|预算表|预算公开表|决算情况说明|预算情况说明)$")
_ORG_RE = re.compile(r"((?:[\u4e00-\u9fff]{1,6}[省市区县州])?[\u4e00-\u9fff]{1,10}?(?:办公厅|人民法院|人民检察院|街道办事处|委员会|管理局))")


_SCOPE_TITLE = re.compile(r"(部门|单位)(?:预算|决算)|(部门|单位)整体")
_SCOPE_LINE = [("department", re.compile(r"预算主管部门[:：]|编制部门[:：]")), ("unit", re.compile(r"预算单位[:：]|编制单位[:：]"))]


def detect_scope(doc: Document) -> str | None:
    """Whether the document reports a department (部门预算/决算: the unit with its subordinate
    units) or one unit (单位预算/决算, 本级), from the title lines, else the 编制部门/单位 lines."""
    for b in doc.text_blocks()[:15]:
        m = _SCOPE_TITLE.search(compact(b.text))
        if m:
            return "department" if (m.group(1) or m.group(2)) == "部门" else "unit"
    for b in doc.text_blocks()[:200]:
        for scope, pattern in _SCOPE_LINE:
            if pattern.search(compact(b.text)):
                return scope
    return scope_from_label_cells(doc)


def detect_currency(tables: list[RecognizedTable], doc: Document) -> str:
    """The currency most tables print (their unit lines rule; 万元 when none says)."""
    units = Counter(t.context.currency for t in tables if t.context.currency)
    if units:
        return units.most_common(1)[0][0]
    m = CURRENCY_RE.search(compact(doc.full_text[:50000]))
    return m.group(1) if m else "万元"


def recognize(doc: Document) -> Recognition:
    tables = recognize_tables(doc)
    kind = detect_kind(doc) or "budget"
    year = detect_year(doc, kind)
    unit = detect_unit(doc, tables)
    currency = detect_currency(tables, doc)
    for t in tables:
        if t.context.currency is None:
            t.context.currency = currency
    return Recognition(kind=kind, unit=unit, year=year, currency=currency, tables=tables, scope=detect_scope(doc))
