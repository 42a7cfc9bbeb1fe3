"""Canonical tables: a raw grid becomes tidy rows (section, code, level, name, measure, value in 万元).

One generic reader serves every layout. A row is cut into *blocks*: a block is a run of
label columns (classification codes and/or a name) followed by its value columns, so the
side-by-side 收入 | 支出 summary and the four-block 基本支出明细表 become separate logical
row sets (``section``), while an ordinary classified table is a single block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .numbers import is_amount, is_blank, parse_amount, to_wan
from .recognize import RecognizedTable, compact
from .registry import measure_for_header, normalise_label
from .unit_blocks import merge_unit_blocks

CODE_FULL_RE = re.compile(r"^(\d{3})(\d{2})?(\d{2})?$")
CODE_SPACED_RE = re.compile(r"^(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?$")
# "2080501行政单位离退休", "[301]工资福利支出" (Guangzhou prints the code in brackets).
CODE_IN_NAME_RE = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){0,2}|\d{3}(?:\s\d{2}){1,2})[\]】]?\s*[\u4e00-\u9fff]")
ORDINAL_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|其中[:：]?)\s*"
)
CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff（）()、“”\"])\s+(?=[\u4e00-\u9fff（）()、“”\"])")
SUBHEAD_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]")
LEVELS = {3: "类", 5: "款", 7: "项"}
TOTAL_RE = re.compile(r"^(?:合计|总计|本年收入合计|本年支出合计|收入总计|支出总计|部门合计|小计)$")

FRAME_COLUMNS = ["table_id", "section", "row", "code", "level", "name", "label", "measure", "value", "line"]


def clean_name(text: str) -> str:
    """Join names wrapped inside a cell: spaces between CJK characters are layout, not content."""
    s = text.replace("\n", " ").replace("\u3000", " ").strip()
    s = CJK_GAP_RE.sub("", s)
    return re.sub(r"\s{2,}", " ", s)


# An ordinal whose punctuation the text layer moved behind the name ("(一)社会保障和就业支出" read as
# "一社会保障和就业支出)(", "一、本年收入" as "一本年收入、"): the numeral leads, the brackets trail.
DISPLACED_ORDINAL_RE = re.compile(r"^[一二三四五六七八九十]+?(?P<body>[\u4e00-\u9fff].*?)(?:[、．.]|[)）][(（]|[(（][)）])$")


def strip_ordinal(name: str) -> str:
    """``一、一般公共服务支出`` → ``一般公共服务支出``; ``其中：一般财力`` → ``一般财力``."""
    m = DISPLACED_ORDINAL_RE.match(name)
    if m:
        name = m.group("body")
    prev = None
    while prev != name:
        prev = name
        name = ORDINAL_RE.sub("", name).strip()
    return name


def code_of(cell: str) -> str | None:
    s = cell.strip()
    m = CODE_FULL_RE.match(s) or CODE_SPACED_RE.match(s)
    if not m:
        return None
    return "".join(g for g in m.groups() if g)


@dataclass
class Column:
    index: int
    role: str  # code | code_part | unit_code | name | value | line_no | skip
    header: str = ""
    group: str = ""
    measure: str | None = None


@dataclass
class CanonicalTable:
    """One standard table in canonical form, with where it came from."""

    id: str
    title: str | None
    label: str | None
    kind_name: str | None
    source_currency: str
    empty: bool
    frame: pd.DataFrame
    empty_declared: bool = False
    header_rows: int = 0
    page: int = 1
    line: int = 0
    notes: list[str] = field(default_factory=list)
    partial_rows: frozenset[int] = frozenset()  # rows whose unplaced figures are unknown (RawTable.lost_rows)
    summed_rows: dict[int, int] = field(default_factory=dict)  # row → printed figures summed into it (unit_blocks)
    units: list[str] = field(default_factory=list)  # the units whose blocks were folded into the department's

    @property
    def rows(self) -> int:
        return int(self.frame["row"].nunique()) if len(self.frame) else 0

    def value(self, measure: str = "total", *, name: str | None = None, code: str | None = None,
              section: str | None = None) -> float | None:
        """The value of one cell, addressed by code or by (normalised) row name."""
        f = self.frame
        if section is not None:
            f = f[f["section"] == section]
        f = f[f["measure"] == measure]
        if code is not None:
            f = f[f["code"] == code]
        if name is not None:
            f = f[f["name"].map(normalise_label) == normalise_label(name)]
        vals = f["value"].dropna()
        return float(vals.iloc[0]) if len(vals) else None


def _header_split(rows: list[list[str]]) -> int:
    """Number of header rows: rows before the first with an amount or a classification code."""
    for i, row in enumerate(rows):
        if _is_line_number_row(row):
            continue
        cells = [c for c in row if c and c.strip()]
        if any(code_of(c) for c in cells[:4]) and (any(is_amount(c) for c in cells[1:]) or len(cells) >= 2):
            return i
        if any(is_amount(c) for c in cells) and any(not is_amount(c) for c in cells):
            return i
        if cells and all(is_amount(c) for c in cells) and len(cells) >= 2 and i > 0:
            return i
    return len(rows)


def _is_line_number_row(row: list[str]) -> bool:
    """栏次 rows: ``栏次 | 1 | 2 | 3`` or a bare run of small consecutive integers."""
    return _line_number_cells(tuple(row))


@lru_cache(maxsize=4096)
def _line_number_cells(row: tuple[str, ...]) -> bool:
    cells = [compact(c) for c in row if c and c.strip()]
    if not cells:
        return False
    if cells[0] in {"栏次", "行次"}:
        return True
    nums = [c for c in cells if re.fullmatch(r"\d{1,2}", c)]
    if len(nums) >= 2 and len(nums) == len(cells):
        ints = [int(c) for c in nums]
        return ints == list(range(ints[0], ints[0] + len(ints)))
    return False


_BUDGET_FINAL_GROUP = re.compile(r"(?:本年|全年|年初)?(?:决算|预算)数?")


def _column_headers(header: list[list[str]], width: int) -> tuple[list[str], list[str]]:
    """Per column: the most specific header text and the group (upper rows, spans forward-filled)."""
    specific = [""] * width
    groups = [""] * width
    own: list[list[str]] = [[] for _ in range(width)]  # each column's own cells, top to bottom
    for r, row in enumerate(header):
        if _is_line_number_row(row):
            continue
        filled = []
        last = ""
        for j in range(width):
            cell = clean_name(row[j]) if j < len(row) else ""
            if cell:
                last = cell
                specific[j] = cell
                own[j].append(cell)
            filled.append(cell or last)
        if r < len(header) - 1:
            for j in range(width):
                if filled[j] and filled[j] != specific[j]:
                    groups[j] = (groups[j] + "/" + filled[j]).strip("/")
    for j in range(width):
        # The first column under a spanning cell (本年支出 over 小计 | 基本支出 | 项目支出) prints that
        # cell itself: it is the column's group too. (Not a 预算数/决算数 span: the first column under
        # it stays the plain total, as the facts read it.)
        above = [c for c in own[j][:-1] if c not in groups[j].split("/") and not _BUDGET_FINAL_GROUP.fullmatch(
            normalise_label(c))]
        if above and not is_amount(own[j][-1]):  # (a figure read into the header is no sub-header)
            groups[j] = "/".join([*above, *filter(None, groups[j].split("/"))])
    return specific, groups


def _classify_columns(rows: list[list[str]], n_header: int, width: int) -> list[Column]:
    header = rows[:n_header]
    data = [r for r in rows[n_header:] if not _is_line_number_row(r)]
    specific, groups = _column_headers(header, width)
    cols: list[Column] = []
    for j in range(width):
        cells = [r[j].strip() for r in data if j < len(r) and r[j] and r[j].strip() and not is_blank(r[j])]
        h = normalise_label(specific[j])
        hpath = normalise_label(" ".join(header[k][j] for k in range(len(header)) if j < len(header[k])))
        n = len(cells) or 1
        n_code = sum(1 for c in cells if code_of(c))
        n_amount = sum(1 for c in cells if is_amount(c))
        n_text = len(cells) - n_amount
        col = Column(index=j, role="value", header=specific[j], group=groups[j])
        if h in {"行次", "栏次"} or (h == "" and "行次" in hpath):
            col.role = "line_no"
        elif h in {"类", "款", "项"}:
            col.role = "code_part"
        elif re.search(r"单位(?:编码|代码)$", h):
            col.role = "unit_code"  # a unit's code (186001) in a table by unit: not a classification code
        elif re.search(r"(?:科目)?(?:代码|编码)$|^功能分类科目编码|^经济分类科目编码", h) and n_code >= n_text:
            col.role = "code"
        elif cells and n_code == len(cells) and any(len(code_of(c) or "") > 3 for c in cells):
            col.role = "code"
        elif cells and all(re.fullmatch(r"-?[\d,]*\.?\d+\s*[%％]", c) for c in cells):
            col.role = "skip"  # a rate column (增减率 7.14%): no amount, no label
        elif re.search(r"[%％]$|(?:增长|增减|执行|完成|变动)率$|占比$|比例$", h) and not cells or \
                re.search(r"[%％]$|(?:增长|增减|变动)率$|占比$", h):
            col.role = "skip"  # a ratio column (2024年预算数为2023年执行数的%, 增减率): no amount
        elif cells and n_text / n >= 0.5:
            col.role = "name"
        elif not cells and (re.search(r"名称|项目$|^项目|科目$|内容$|单位名称", h) and not measure_for_header(h)):
            col.role = "name"
        elif cells and _looks_like_row_numbers(cells):
            col.role = "line_no"
        cols.append(col)
    # Name columns with no data but between code and value columns still label rows.
    for col in cols:
        if col.role == "value":
            col.measure = _measure(col)
    return cols


def _looks_like_row_numbers(cells: list[str]) -> bool:
    if len(cells) < 4 or not all(re.fullmatch(r"\d{1,3}", c) for c in cells):
        return False
    ints = [int(c) for c in cells]
    return all(b > a for a, b in zip(ints, ints[1:], strict=False))


def _measure(col: Column) -> str:
    """The column's measure; under a 预算数/决算数 group it carries the group (``total@final``), under
    a 其中 ("of which") group the mark of a part already counted (``operating_expenditure@of``)."""
    m = measure_for_header(col.header)
    if m is None and col.group and not _THREE_ITEM_HEAD.search(normalise_label(col.header)):
        # (A 三公 item under 2023年预算数 is that item, not the group's total.)
        m = measure_for_header(col.group.split("/")[-1])
    if m == "total" and normalise_label(col.header) == "小计" and col.group:
        # 基本支出 over 小计 | 人员支出 | 日常公用支出: the 小计 is the group's figure, not the row's total.
        gm = measure_for_header(col.group.split("/")[-1])
        if gm is not None and gm not in ("total", "budget", "final"):
            m = gm
    if m is None:
        m = normalise_label(col.header or col.group) or f"col{col.index}"
    top = normalise_label(col.group.split("/")[0]) if col.group else ""
    group = "final" if re.fullmatch(r"(?:本年|全年)?决算数?", top) else "budget" if re.fullmatch(r"(?:年初|全年)?预算数?", top) else None
    if group is not None:
        return f"{m}@{group}"
    if col.group and normalise_label(col.group.split("/")[-1]).rstrip(":") == "其中":
        # 其中：事业单位经营支出 | 上缴上级支出 … beside 基本支出 | 项目支出: already counted in them, no addend
        return f"{m}@of"
    return m


_THREE_ITEM_HEAD = re.compile(r"因公出国|公务用车|公务接待|购置费|运行费|会议费|培训费")
_BUDGET_HEAD = re.compile(r"^(?:(?:20\d{2}年度?)?(?:年初|全年|本年)?预算数?)$")
_FINAL_HEAD = re.compile(r"^(?:(?:20\d{2}年度?)?(?:本年|全年)?决算数?)$")


def _budget_and_final(block: list[Column]) -> None:
    """A block with a 预算数 column and a 决算数 column side by side (the 决算's 三公 table with its
    items as rows): both headers read as the block's total; they are its ``budget`` and ``final``."""
    values = [c for c in block if c.role == "value" and c.measure == "total"]
    budget = [c for c in values if _BUDGET_HEAD.match(normalise_label(c.header))]
    final = [c for c in values if _FINAL_HEAD.match(normalise_label(c.header))]
    if len(budget) == 1 and len(final) == 1:
        budget[0].measure, final[0].measure = "budget", "final"


def _revenue_beside_expenditure(block: list[Column]) -> None:
    """A 收入支出 table by class (年初结转 | 本年收入 | 本年支出 小计 基本 项目 | 年末结转): both 本年收入
    and the 本年支出 subtotal read as a total; the table's total is what it spends, its revenue is
    ``revenue``."""
    values = [c for c in block if c.role == "value"]
    spent = [c for c in values if c.measure == "total" and ("本年支出" in normalise_label(c.group)
                                                           or normalise_label(c.header) in ("本年支出", "本年支出合计"))]
    received = [c for c in values if c.measure == "total" and normalise_label(c.header) in ("本年收入", "本年收入合计")]
    if spent and len(received) == 1:
        received[0].measure = "revenue"


_YEAR_HEAD = re.compile(r"^(20\d{2})年")
_PRIOR_HEAD = re.compile(r"^(?:上年度?|上一年度?|去年)(?:预算|决算|执行)(?:数|金额)?$")
_THIS_HEAD = re.compile(r"^(?:本年度?|当年)(?:预算|决算)(?:数|金额)?$")


def _earlier_years(block: list[Column]) -> None:
    """Value columns headed by different years (2023年预算数 | 2024年预算数): the latest year is the
    document's own; an earlier year's column is the comparison, ``<measure>@prior``, which no fact reads."""
    # The year a column is headed by, or the group above it (2023年预算数 › 合计 | 因公出国（境）费 …).
    years = {c.index: int(m.group(1)) for c in block if c.role == "value" and c.measure and "@" not in c.measure
             and (m := _YEAR_HEAD.match(normalise_label(c.header))
                  or _YEAR_HEAD.match(normalise_label(c.group.split("/")[0]) if c.group else ""))}
    if len(set(years.values())) < 2:
        # 上年预算数 | 本年预算数: the previous year's column beside this year's, which is the total.
        values = [c for c in block if c.role == "value" and c.measure and "@" not in c.measure]
        prior = [c for c in values if _PRIOR_HEAD.match(normalise_label(c.header))]
        this = [c for c in values if _THIS_HEAD.match(normalise_label(c.header))]
        if len(prior) == 1 and len(this) == 1:
            prior[0].measure, this[0].measure = f"{prior[0].measure}@prior", "total"
        return
    latest = max(years.values())
    for c in block:
        if c.index in years and years[c.index] < latest:
            c.measure = f"{c.measure}@prior"


def _blocks(cols: list[Column]) -> list[list[Column]]:
    """Split columns into blocks: each starts at a label column following a value column."""
    blocks: list[list[Column]] = []
    current: list[Column] = []
    seen_value = False
    for col in cols:
        is_label = col.role in {"code", "code_part", "name", "unit_code"}
        if is_label and seen_value and current:
            blocks.append(current)
            current, seen_value = [], False
        current.append(col)
        if col.role == "value":
            seen_value = True
    if current:
        blocks.append(current)
    return blocks


_SECTION_WORDS = [
    ("income", re.compile(r"收入")),
    ("function", re.compile(r"功能分类|按功能")),
    ("purpose", re.compile(r"支出用途|经济分类|按经济")),
    ("expenditure", re.compile(r"支出")),
    ("personnel", re.compile(r"人员经费")),
    ("public", re.compile(r"公用经费")),
]


def _section_name(block: list[Column], n: int, n_blocks: int) -> str:
    if n_blocks == 1:
        return "main"
    text = normalise_label(" ".join(c.group + " " + c.header for c in block))
    first = normalise_label(block[0].group.split("/")[0] if block[0].group else block[0].header)
    for name, pat in _SECTION_WORDS:
        if pat.search(first):
            return name
    for name, pat in _SECTION_WORDS:
        if pat.search(text):
            return name
    return f"block{n + 1}"


def _side_by_rows(block: list[Column], data: list[list[str]]) -> str | None:
    """A summary side whose header names neither 收入 nor 支出 (项目 预算数 项目 预算数): the side its
    own total rows name (本年收入合计 | 本年支出合计)."""
    labels = [normalise_label(r[c.index]) for r in data for c in block if c.role == "name" and c.index < len(r)]
    if any(re.search(r"收入(?:合计|总计|小计)$", x) for x in labels):
        return "income"
    if any(re.search(r"支出(?:合计|总计|小计)$", x) for x in labels):
        return "expenditure"
    return None


def canonicalize(table: RecognizedTable, source_currency: str) -> CanonicalTable:
    """Read a recognised raw table into the canonical long frame (values in 万元)."""
    raw = table.raw
    width = raw.width
    rows = [list(r) + [""] * (width - len(r)) for r in raw.rows]
    n_header = _header_split(rows)
    cols = _classify_columns(rows, n_header, width)
    blocks = _blocks(cols)
    for block in blocks:
        _budget_and_final(block)
        _earlier_years(block)
        _revenue_beside_expenditure(block)
        values = [c for c in block if c.role == "value"]
        if table.kind is not None and table.kind.layout == "summary" and len(values) == 1 \
                and values[0].measure and "@" not in values[0].measure:
            values[0].measure = "total"  # a side's one amount column (本年预算, 金额) is its rows' amount
    for block in blocks:  # two columns of one measure in a block: the second is <measure>_2, per column
        seen: dict[str, int] = {}
        for col in block:
            if col.role == "value" and col.measure:
                n = seen.get(col.measure, 0)
                seen[col.measure] = n + 1
                col.measure += "_2" * n
    # Sections of the same name (the 基本支出明细表's three 公用经费 blocks) stay distinct.
    names = [_section_name(b, i, len(blocks)) for i, b in enumerate(blocks)]
    if table.kind is not None and table.kind.layout == "summary":
        names = [(_side_by_rows(b, rows[n_header:]) or n) if n.startswith("block") else n
                 for n, b in zip(names, blocks, strict=True)]
    currency = table.context.currency or source_currency
    records: list[dict] = []
    lines = raw.row_lines or [raw.line] * len(rows)
    section_prefix = ""
    for r in range(n_header, len(rows)):
        row = rows[r]
        if _is_line_number_row(row):
            continue
        parsed = []
        for b, block in enumerate(blocks):
            code, name, label, values = _read_block(row, block)
            parsed.append([names[b], code, name, label, values])
        # A value printed right of its label's block (spanned label cells) joins that label.
        for b in range(1, len(parsed)):
            if not parsed[b][1] and not parsed[b][2] and parsed[b][4]:
                for a in range(b - 1, -1, -1):
                    if parsed[a][1] or parsed[a][2]:
                        if not parsed[a][4]:
                            first_value = next(iter(parsed[b][4].values()))
                            parsed[a][4] = {blocks[a][-1].measure or "total": first_value}
                            parsed[b][4] = {}
                        break
        # A 合计 label spanning a side-by-side row totals every block of it (收入 | 支出 合计 rows).
        head = parsed[0][2] if parsed else ""
        if head and TOTAL_RE.match(normalise_label(head)):
            for p in parsed[1:]:
                if not p[1] and not p[2] and p[4]:
                    p[2], p[3] = head, head
        if len(blocks) == 1:
            sec, code, name, label, values = parsed[0]
            if not values and not code and name and SUBHEAD_RE.match(label or "") and not TOTAL_RE.match(name):
                section_prefix = name  # a sub-heading row inside a statistics table
                continue
        for sec, code, name, label, values in parsed:
            if not code and not name and not values:
                continue
            if _repeated_header(name, values, cols):
                continue
            section = f"{sec}:{section_prefix}" if section_prefix and sec == "main" else sec
            level = LEVELS.get(len(code)) if code else None
            if not values:
                records.append(dict(section=section, row=r, code=code, level=level, name=name, label=label,
                                    measure=None, value=None, line=lines[r] if r < len(lines) else raw.line))
            for measure, value in values.items():
                records.append(dict(section=section, row=r, code=code, level=level, name=name, label=label,
                                    measure=measure, value=to_wan(value, currency),
                                    line=lines[r] if r < len(lines) else raw.line))
    if len(blocks) >= 3:
        _reassign_wrapped_figure(records)
    if table.kind is not None and table.kind.layout == "classified" and len(blocks) == 1:
        records, summed, units = merge_unit_blocks(records)
    else:
        summed, units = {}, []
    frame = _frame(table.id, records)
    has_values = bool(frame["value"].notna().any()) if len(frame) else False
    empty = not has_values  # a note saying "空表" over printed figures does not erase them (a finding does)
    return CanonicalTable(
        id=table.id, title=table.context.title, label=table.context.label,
        kind_name=table.kind.name if table.kind else None, source_currency=currency, empty=empty,
        frame=frame, empty_declared=table.context.empty_declared, header_rows=n_header, page=raw.page, line=raw.line, notes=list(table.context.notes),
        partial_rows=frozenset(raw.lost_rows), summed_rows=summed, units=units,
    )


_SUBTOTAL_RE = re.compile(r"^(?:当年|本年)?支出(?:小计|合计)$")


def _reassign_wrapped_figure(records: list[dict]) -> None:
    """Three groups side by side (收入 | 功能分类 | 支出用途) whose wrapped labels leave one figure
    between two groups' cells (三、国防支出 / 三、单位预留机动经费 1,685.72): when one expenditure
    group sums to its subtotal plus exactly that figure and another falls short by it, the figure
    belongs to the other group's unvalued label on the same or a neighbouring row."""
    subtotal = next((r["value"] for r in records if r["section"] != "income" and r["value"] is not None
                     and _SUBTOTAL_RE.match(normalise_label(r["name"] or ""))), None)
    if not subtotal:
        return

    def items(section: str) -> list[dict]:
        return [r for r in records if r["section"] == section and r["value"] is not None
                and not TOTAL_RE.match(normalise_label(r["name"] or ""))
                and not _SUBTOTAL_RE.match(normalise_label(r["name"] or ""))
                and not re.search(r"结转|结余", r["name"] or "")]

    sections = list(dict.fromkeys(r["section"] for r in records if r["section"] != "income"))
    tol = 0.006
    for a in sections:
        excess = sum(r["value"] for r in items(a)) - subtotal
        if abs(excess) <= tol:
            continue
        for b in sections:
            b_items = items(b)
            if b == a or not b_items or abs(subtotal - sum(r["value"] for r in b_items) - excess) > tol:
                continue
            for src in items(a):
                if abs(src["value"] - excess) > tol:
                    continue
                dst = next((r for r in records if r["section"] == b and r["value"] is None and r["name"]
                            and abs(r["row"] - src["row"]) <= 1), None)
                if dst is not None:
                    dst["value"], dst["measure"] = src["value"], src["measure"]
                    src["value"], src["measure"] = None, None
                    return


_TEXT_COLUMNS = ("table_id", "section", "code", "level", "name", "label", "measure")


def _frame(table_id: str, records: list[dict]) -> pd.DataFrame:
    """The long frame, built column by column; text columns stay plain objects (small frames are
    read row by row by facts and checks, which is much faster than with Arrow-backed strings)."""
    data: dict[str, pd.Series] = {}
    n = len(records)
    for col in FRAME_COLUMNS:
        if col == "table_id":
            values: list = [table_id] * n
        else:
            values = [r[col] for r in records]
        if col in _TEXT_COLUMNS:
            data[col] = pd.Series(values, dtype=object)
        elif col == "value":
            data[col] = pd.Series(values, dtype="float64")
        else:
            data[col] = pd.Series(values, dtype="int64")
    return pd.DataFrame(data)


def _repeated_header(name: str | None, values: dict, cols: list[Column]) -> bool:
    if values or not name:
        return False
    n = normalise_label(name)
    return n in {"项目", "科目名称", "项目名称"} or any(n == normalise_label(c.header) for c in cols if c.header)


def _first_label_run(block: list[Column]) -> set[int]:
    """The label columns of a block's first classification: its code columns and the name after them.
    A later run of code columns (a parallel classification's) starts a mapping, not the row's label.
    A name before any code (Shenzhen's 预算单位 | 科目编码 | 科目名称) opens no classification."""
    out: set[int] = set()
    seen_code = seen_name = False
    for col in block:
        if col.role == "value":
            break
        if col.role in {"code_part", "code"}:
            if seen_name:
                break
            seen_code = True
        if col.role == "name" and seen_code:
            seen_name = True
        out.add(col.index)
    return out


def _read_block(row: list[str], block: list[Column]) -> tuple[str | None, str, str, dict[str, float]]:
    code_parts: list[str] = []
    code: str | None = None
    name_cells: list[str] = []
    values: dict[str, float] = {}
    # A second classification printed beside the first (部门预算支出经济分类 301 01 | 政府预算支出经济分类
    # 501 01): the row is the first one's; the second's codes and names only map it.
    first_label_run = _first_label_run(block)
    for col in block:
        cell = row[col.index] if col.index < len(row) else ""
        cell = cell.strip()
        if col.role in {"code_part", "code", "name"} and col.index not in first_label_run:
            continue
        if col.role == "code_part":
            if cell and re.fullmatch(r"\d{1,3}", re.sub(r"\s+", "", cell)):
                code_parts.append(re.sub(r"\s+", "", cell))
            elif cell and not is_blank(cell):
                name_cells.append(cell)  # a label spanning the 类/款/项 columns (合计)
        elif col.role == "unit_code":
            if cell and not is_blank(cell) and not re.fullmatch(r"[\d\s]+", cell):
                name_cells.append(cell)  # a label spanning the unit-code column (合计)
        elif col.role == "code":
            c = code_of(cell)
            if c:
                code = c
            elif cell and not is_blank(cell):
                name_cells.append(cell)  # a label spanning the code column (合计, 人员经费合计)
        elif col.role == "name":
            if cell and re.fullmatch(r"-?[\d,]+\.\d+", cell.replace(" ", "")):
                # A figure shifted into the name column (a spanned label to its left).
                key = next((c.measure for c in block if c.role == "value" and c.measure), "total")
                values.setdefault(key, parse_amount(cell) or 0.0)
            elif cell and not is_blank(cell):
                name_cells.append(cell)
        elif col.role == "value":
            v = parse_amount(cell)
            if v is not None:
                key = col.measure or f"col{col.index}"
                while key in values:
                    key += "_2"
                values[key] = v
            elif cell and not is_blank(cell) and not name_cells and not code_parts and code is None:
                name_cells.append(cell)
    if code_parts and code is None:
        # 款/项 printed without their leading zero (301 | 2 津贴补贴) are two-digit parts.
        joined = code_parts[0] + "".join(p.zfill(2) for p in code_parts[1:]) if len(code_parts[0]) == 3 \
            else "".join(code_parts)
        if re.fullmatch(r"\d{3}(\d{2}){0,2}", joined):
            code = joined
    label = clean_name(name_cells[0]) if name_cells else ""
    name = label
    if code is None and name:
        m = CODE_IN_NAME_RE.match(name)
        if m:
            code = re.sub(r"\s+", "", m.group(1))
            name = name[m.end(1):].lstrip("]】").strip()
    name = strip_ordinal(name) if name else name
    return code, name, label, values
