"""Tables in plain text layers (pdfplumber ``extract_text`` and the like): cells separated by spaces,
blank cells dropped, headers wrapped over several lines.

After a recognised table title, data lines are cut into *segments* (a code and/or label followed by
its amounts) and laid out again as a grid the canonical reader understands. Column positions that the
text layer lost are never guessed: a row whose amounts are fewer than the table's value columns keeps
only its first amount (the row total, always printed first); the side of a side-by-side summary a
segment belongs to is decided by what its label says (收入 items, 功能分类 classes, 支出用途 items).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from ..document import PAGE_NUMBER_RE, Block, Document, RawTable
from ..numbers import parse_amount
from ..recognize import LABEL_RE, NO_DATA_RE
from ..registry import (
    classify_title,
    is_measure_alias,
    measure_for_header,
    measure_parent,
    normalise_label,
    personnel_classes,
    split_header_words,
    table_kind,
)

CODE_PARTS_RE = re.compile(r"^\d{3}$|^\d{5}$|^\d{7}$")
CODE_GLUED_RE = re.compile(r"^(\d{3}(?:\d{2}){0,2})([\u4e00-\u9fff].*)$")
TOC_RE = re.compile(r"[…\.·]{4,}|…{2,}")
YEAR_ONLY_RE = re.compile(r"^[(（]?\s*(?:19|20)\d{2}\s*年度?\s*[)）]?$")
SECTION_RE = re.compile(r"^第[一二三四五六七八九十]+部分|情况说明$|名词解释|^目\s*录")
NOTE_RE = re.compile(r"^(?:注|说明|备注|附注)\s*[:：\d]")
CONTEXT_RE = re.compile(r"(?:编制部门|编制单位|部门名称|单位名称|部门|单位)\s*[:：]")
FUNCTION_CLASS_RE = re.compile(r"支出$|支出[（(]类[)）]$")
PURPOSE_WORDS = ("基本支出", "项目支出", "机动经费", "预留", "经营支出", "对附属单位补助", "上缴上级", "事业单位经营支出")
INCOME_TOTAL_WORDS = ("收入合计", "收入总计", "当年收入", "本年收入", "收入小计")
EXPENDITURE_TOTAL_WORDS = ("支出合计", "支出总计", "当年支出", "本年支出", "支出小计")


_DASHES = {"-", "－", "—", "–", "--", "——", "─"}


@dataclass
class Segment:
    code: str = ""
    label: str = ""
    amounts: list[str] = field(default_factory=list)


def is_plain(doc: Document) -> bool:
    """A document whose tables are plain text lines (no TAB/pipe grids)."""
    rows = sum(len(t.rows) for t in doc.tables())
    return rows < 10


_GLUED_AMOUNT_RE = re.compile(r"^(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+)(?=[一二三四五六七八九十\u4e00-\u9fff])")


def _tokens(line: str) -> list[str]:
    """Whitespace tokens; an amount glued to the next cell's label (91,016,775.35一、一般公共服务支出)
    is cut off it."""
    out: list[str] = []
    for tok in line.replace("\u3000", " ").split():
        m = _GLUED_AMOUNT_RE.match(tok)
        if m:
            out += [m.group(1), tok[m.end():]]
        else:
            out.append(tok)
    return out


_CJK_CHAR_RE = re.compile(r"^[\u4e00-\u9fff]$")
_HEADER_WORDS = ("项目", "项目名称", "科目名称", "科目编码", "科目代码", "功能分类", "功能分类科目名称", "栏次", "行次", "类", "款", "项")


def _header_words(line: str) -> list[str]:
    """The column headers of one header line. A word printed letter-spaced (合 计, 项 目) is one
    word again, and a header wrapped inside its cell (政府性基 金预算, 上缴 上级 支出) is joined
    when the parts make a known header; headers glued together are cut apart."""
    toks: list[str] = []
    run = ""
    for tok in [*_tokens(line), ""]:
        if _CJK_CHAR_RE.match(tok):
            run += tok
            continue
        if run:
            toks += _segment_run(run) if len(run) > 1 else [run]
            run = ""
        if tok:
            toks.append(tok)
    out: list[str] = []
    i = 0
    while i < len(toks):
        for j in range(min(len(toks), i + 4), i + 1, -1):
            joined = "".join(toks[i:j])
            if is_measure_alias(joined) and not all(is_measure_alias(t) for t in toks[i:j]):
                out.append(joined)
                i = j
                break
        else:
            out.append(toks[i])
            i += 1
    return [w for tok in out for w in split_header_words(tok)]


def _segment_run(run: str) -> list[str]:
    """A run of letter-spaced characters (项目合计功能分类合计) cut into known header words, longest
    first; the run itself where it is not made of them."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for j in range(len(run), i, -1):
            word = run[i:j]
            if j - i >= 2 and (is_measure_alias(word) or word in _HEADER_WORDS) or (j - i == 1 and word in _HEADER_WORDS):
                out.append(word)
                i = j
                break
        else:
            return [run]
    return out


def _is_amount_token(tok: str) -> bool:
    return parse_amount(tok) is not None and not re.fullmatch(r"\d{3}", tok) or re.fullmatch(r"\d[\d,]*\.\d+", tok) is not None


def _split_code_then_name(toks: list[str], i: int) -> bool:
    """``302 06 电费`` after a row's figures: a code printed in parts (2 digits each after the
    class), then a name: the next row on the same line, not more figures."""
    if not re.fullmatch(r"[235]\d{2}", toks[i]):  # function (2xx) or economic (3xx, 5xx) classes
        return False
    j = i + 1
    while j < len(toks) and j - i <= 2 and re.fullmatch(r"\d{2}", toks[j]):
        j += 1
    return j > i + 1 and j < len(toks) and not _is_amount_token(toks[j])


def _code_then_name(toks: list[str], i: int) -> bool:
    """``30106 伙食补助费 30204 手续费``: in a coded list whose blank figures the text layer dropped, a
    code followed by a name starts the next row; it is no figure of the row before."""
    tok = toks[i]
    return bool(re.fullmatch(r"[235]\d{2}(?:\d{2}){0,2}", tok)) and i + 1 < len(toks) \
        and re.match(r"[\u4e00-\u9fff（(]", toks[i + 1]) is not None


def _split_code_then_figures(toks: list[str], i: int) -> bool:
    """``302 31 16.95`` after a coded row's figures (303 09 奖励金 0.00 302 31 16.95): a code printed
    in parts whose wrapped name stands on the lines above and below, then its figure."""
    if not re.fullmatch(r"[235]\d{2}", toks[i]):
        return False
    j = i + 1
    while j < len(toks) and j - i <= 2 and re.fullmatch(r"\d{2}", toks[j]):
        j += 1
    return j > i + 1 and j < len(toks) and re.fullmatch(r"-?[\d,]*\d\.\d+", toks[j]) is not None


def segments(line: str) -> list[Segment]:
    """Cut a data line into (code, label, amounts) segments, in order."""
    segs: list[Segment] = []
    cur: Segment | None = None
    toks = _tokens(line)
    i = 0
    while i < len(toks):
        tok = toks[i]
        # A classification code: 201 | 201 05 | 201 05 07 | 2010507 | 2010506统计管理
        if (cur is None or cur.amounts) and CODE_PARTS_RE.match(tok) and i + 1 < len(toks) and not _is_amount_token(toks[i + 1]) \
                or (cur is None and re.fullmatch(r"\d{3}", tok) and i + 1 < len(toks) and re.fullmatch(r"\d{1,2}", toks[i + 1])) \
                or (cur is not None and cur.amounts and _split_code_then_name(toks, i)) \
                or (cur is not None and cur.amounts and segs[0].code and _split_code_then_figures(toks, i)) \
                or (cur is not None and cur.code and cur.label and not cur.amounts and _code_then_name(toks, i)):
            code = tok
            j = i + 1
            while j < len(toks) and re.fullmatch(r"\d{1,2}", toks[j]) and len(code) < 7:
                code += toks[j].zfill(2)
                j += 1
            cur = Segment(code=code)
            segs.append(cur)
            i = j
            continue
        if cur is None and i == 0 and re.fullmatch(r"[235]\d{2}(?:\d{2}){0,2}", tok) and i + 1 < len(toks) \
                and _is_amount_token(toks[i + 1]) and re.search(r"[.,]", toks[i + 1]):
            cur = Segment(code=tok)  # a code whose wrapped name is printed above and below it
            segs.append(cur)
            i += 1
            continue
        m = CODE_GLUED_RE.match(tok)
        if m and (cur is None or cur.amounts):
            cur = Segment(code=m.group(1), label=m.group(2))
            segs.append(cur)
            i += 1
            continue
        if tok in _DASHES and cur is not None and (cur.amounts or cur.label or cur.code):
            cur.amounts.append(tok)  # a blank cell printed as a dash: it keeps the columns in place
            i += 1
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", tok) and i + 1 < len(toks) and toks[i + 1].startswith(("年", "年度")):
            tok = tok + toks[i + 1]  # "2023 年": a year, not an amount
            i += 1
        if cur is not None and cur.amounts and re.fullmatch(r"-?\d+(?:\.\d+)?[%％]", tok):
            cur.amounts.append(tok)  # a rate column (增减率 7.14%) after the row's figures keeps its place
            i += 1
            continue
        if _is_amount_token(tok):
            if cur is None:
                cur = Segment()
                segs.append(cur)
            cur.amounts.append(tok)
            i += 1
            continue
        # Text: starts a new segment after amounts or when two full labels stand side by side
        # (a blank amount dropped between them), else continues the label (wrapped words).
        # (A coded name is not such a label: 215 资源勘探工业 信息等支出 617.74 is one name wrapped in its cell.)
        full_labels = len(cur.label) >= 4 and len(tok) >= 4 and not cur.code if cur is not None and cur.label else False
        if cur is None or cur.amounts or (cur.label and _starts_item(tok)) or full_labels:
            cur = Segment(label=tok)
            segs.append(cur)
        else:
            cur.label = _join(cur.label, tok)
        i += 1
    return segs


def _starts_item(tok: str) -> bool:
    return re.match(r"^(?:[一二三四五六七八九十]+、|\d+[.．、](?!\d)|[(（][一二三四五六七八九十\d]+[)）])", tok) is not None


def _join(a: str, b: str) -> str:
    if a and b and re.match(r"[\u4e00-\u9fff（(]", b[0]) and re.search(r"[\u4e00-\u9fff）)]$", a):
        return a + b
    return f"{a} {b}".strip()


def _is_data_line(line: str) -> bool:
    toks = _tokens(re.sub(r"((?:19|20)\d{2})\s*(年)", r"\1\2", line))  # a year is not an amount
    if not toks or "。" in line or "，" in line:
        return False
    if any(_is_amount_token(t) for t in toks):
        return True
    return bool(CODE_PARTS_RE.match(toks[0]) and len(toks) > 1)


def _title_kind(text: str):
    t = text.strip()
    if TOC_RE.search(t) or len(normalise_label(t)) > 60 or "。" in t or "，" in t:
        return None
    kind, _ = classify_title(t)
    if kind is None or "说明" in t or "情况" in t and kind.layout != "summary" and "情况表" not in t:
        return None
    return kind


def _title_at(blocks: list[Block], i: int):
    """(kind, title block, blocks used) for a title starting at ``i``, including one wrapped over
    short lines ("…支出预" / "“ ”" / "算表"); (None, block, 1) when there is none."""
    b = blocks[i]
    if b.kind != "text":
        return None, b, 1
    kind = _title_kind(b.text)
    if kind is not None or len(normalise_label(b.text)) < 6 or _is_data_line(b.text):
        return kind, b, 1
    joined = b.text
    for k in range(1, 3):
        nxt = blocks[i + k] if i + k < len(blocks) else None
        if nxt is None or nxt.kind != "text" or len(normalise_label(nxt.text)) > 4 or nxt.page != b.page \
                or PAGE_NUMBER_RE.match(nxt.text.strip()) or _title_kind(nxt.text) is not None:
            break  # (a next line that is a title by itself is not the rest of this one: 第二部分… / 收支总表)
        joined += blocks[i + k].text
        kind = _title_kind(joined)
        if kind is not None:
            return kind, Block(kind="text", text=joined, page=b.page, line=b.line), k + 1
    return None, b, 1


def rebuild(doc: Document) -> Document:
    """The same document with plain-text tables turned into raw table blocks."""
    out: list[Block] = []
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        kind, b, consumed = _title_at(blocks, i)
        i += consumed - 1
        if kind is None or kind.layout == "performance":
            out.append(b)
            i += 1
            continue
        out.append(b)
        i += 1
        header: list[str] = []
        rows: list[tuple[list[Segment], int]] = []
        trailer: list[Block] = []
        while i < len(blocks):
            nb = blocks[i]
            if nb.kind != "text":
                break
            text = nb.text.strip()
            if _title_at(blocks, i)[0] is not None:
                break
            if PAGE_NUMBER_RE.match(text) and not re.fullmatch(r"\d{4}", text):  # not a wrapped 4-digit figure
                i += 1
                continue
            if (rows or header) and LABEL_RE.fullmatch(re.sub(r"\s+", "", text)):
                break  # the next table's label (表八, 公开05表) before its title
            if not rows and (CONTEXT_RE.search(text) or LABEL_RE.match(re.sub(r"\s+", "", text))
                             or YEAR_ONLY_RE.match(text)):
                out.append(nb)  # label (公开01表), unit line, "2023年度": context for recognition
                i += 1
                continue
            if not rows and re.match(r"^[栏行]\s*次", text):
                header.append(text)  # 栏次 1 2 3 …: column numbers, part of the header
                i += 1
                continue
            if SECTION_RE.match(text) and not _is_data_line(text):
                break  # the next part of the report (第三部分 … 情况说明)
            if rows and not _is_data_line(text) and re.sub(r"\s+", "", text) in {re.sub(r"\s+", "", h) for h in header}:
                i += 1  # the header repeated on a continuation page (类 款 项), not a wrapped name
                continue
            if NOTE_RE.match(text) or "。" in text or (len(text) > 40 and "，" in text):
                if rows or header or NO_DATA_RE.search(re.sub(r"\s+", "", text)):
                    # (A table published as its title and 本表无数据 alone is an empty table too.)
                    trailer.append(nb)
                    i += 1
                    # Notes right after a table (本表无数据) belong to it; narrative ends it.
                    if NOTE_RE.match(text) or "无数据" in text or "空表" in text:
                        continue
                break
            if _is_data_line(text):
                rows.append((segments(text), nb.line))
            elif rows and not header:
                rows.append((segments(text), nb.line))
            elif not rows:
                header.append(text)
            else:
                rows.append((segments(text), nb.line))
            i += 1
        if header and re.fullmatch(r"(?:合\s*计|总\s*计)", header[-1].strip()) and (
                not rows or (not rows[0][0][0].label and not rows[0][0][0].code)):
            # A 合计 row that is blank (the table's only row) or whose figures wrapped onto the next line.
            rows.insert(0, (segments(header.pop()), b.line))
        declared_empty = any(NO_DATA_RE.search(re.sub(r"\s+", "", t.text)) or re.search(r"本.{0,6}无", t.text)
                             for t in trailer)
        if rows or declared_empty:
            table = _grid(kind.id, kind.layout, header, rows, page=b.page, line=b.line)
            out.append(Block(kind="table", table=table, page=b.page, line=b.line))
        else:
            out.extend(Block(kind="text", text=h, page=b.page, line=b.line) for h in header)
        out.extend(trailer)
    return Document(path=doc.path, sha256=doc.sha256, format=doc.format, pages=doc.pages, blocks=out)


def _value_headers(header: list[str], n: int, full_rows: list[list[float]] | None = None) -> list[str]:
    """Names for n value columns from the header words, when they can be matched one to one."""
    def mapped(words: list[str]) -> list[str]:
        return [w for w in words if measure_for_header(w) not in (None, "line_no")]

    for k in range(len(header) - 1, -1, -1):  # the line that names exactly the value columns
        m = mapped(_header_words(header[k]))
        others = [w for j, line in enumerate(header) if j != k for w in mapped(_header_words(line))]
        if len(m) == n and len(set(map(measure_for_header, m))) == n and not _continues_wrap(header, k) \
                and not ("total" in map(measure_for_header, others) and "total" not in map(measure_for_header, m)):
            # (Not a line of parts while the total is named on another: 合计 上年结转 / 政府性基金… 单位资金.)
            return m
    measures = mapped([w for line in header for w in _header_words(line)])
    lines_used = sum(1 for line in header if mapped(_header_words(line)))
    if len(measures) == n and len(set(map(measure_for_header, measures))) == n and (
            lines_used == 1 or "total" not in map(measure_for_header, measures)
            or measure_for_header(measures[0]) == "total"):
        # (Words from several lines keep their order only where the total, printed first, leads.)
        return measures
    for line in reversed(header):
        # 科目编码 科目名称 2023年预算数 2024年预算数 增减额 增减率: a line naming every value column,
        # the change columns too, when the years tell the columns apart.
        words = [w for w in _header_words(line) if not _ITEM_HEADER.match(normalise_label(w))
                 and normalise_label(w) not in _HEADER_WORDS and measure_for_header(w) != "line_no"]
        if len(words) == n and sum(bool(_YEAR_HEAD_RE.match(w) or re.match(r"^(?:上年|本年)", w)) for w in words) >= 2:
            return words
    placed = _place_leaf_run(header, n, full_rows or [])
    if placed:
        return placed
    run = _expenditure_run(header, n, full_rows or [])
    if run:
        return run
    return ["合计"] + [f"col{k + 2}" for k in range(n - 1)]


def _expenditure_run(header: list[str], n: int, full_rows: list[list[float]]) -> list[str] | None:
    """小计 基本支出 项目支出 printed among columns of another kind (2023年执行数 | 2024年预算数: 小计
    基本支出 项目支出 | 为执行数的%, the central template): where the rows' sums place the run in one
    position only, its 小计 is the year's total (基本支出 + 项目支出 is all the year spends) and the
    columns around it are named by nothing the facts read."""
    lowest = next((line for line in reversed(header)
                   if len([w for w in _header_words(line) if measure_for_header(w) not in (None, "line_no")]) >= 3), None)
    if lowest is None or not full_rows:
        return None
    leaf = [w for w in _header_words(lowest) if measure_for_header(w) not in (None, "line_no")]
    if normalise_label(leaf[0]) != "小计" or not {"basic", "project"} <= {measure_for_header(w) for w in leaf[1:]} \
            or len(leaf) >= n:
        return None
    tol = 0.005 * len(leaf) + 1e-6
    at = [o for o in range(n - len(leaf) + 1)
          if all(abs(r[o] - sum(r[o + 1:o + len(leaf)])) <= tol and r[o] > 0 for r in full_rows)]
    if len(at) != 1:
        return None
    o = at[0]
    return [f"other{k + 1}" for k in range(o)] + ["合计", *leaf[1:]] + [f"other{k + 1}" for k in range(o, n - len(leaf))]


# Measures that are parts of a row's total (expenditure by purpose, basic by economic group, funds).
_PART_MEASURES = {"basic", "project", "remit_upper", "operating_expenditure", "subsidy_affiliated", "reserve",
                  "personnel", "public", "general_budget", "gov_fund", "state_capital", "upper_subsidy",
                  "business_revenue", "operating_revenue", "affiliated_revenue", "other_revenue", "special_account"}


def _continues_wrap(header: list[str], k: int) -> bool:
    """Header line k begins with the rest of a header wrapped from the line above (…事业收入事业单位 /
    经营收入其他收入: 事业单位经营收入): it names the columns of no one row of the header."""
    if k == 0:
        return False
    above, here = _tokens(header[k - 1]), _tokens(header[k])
    if not above or not here:
        return False
    tail = normalise_label(above[-1])
    head = normalise_label(here[0])
    return any(is_measure_alias(tail[i:] + head[:j]) for i in range(len(tail)) if not is_measure_alias(tail[i:])
               for j in range(1, len(head) + 1))


def _place_leaf_run(header: list[str], n: int, full_rows: list[list[float]]) -> list[str] | None:
    """A header whose lowest line names a run of sub-columns (合计 基本支出 项目支出; 小计 人员经费
    公用经费) under a group printed above it (本年支出; 基本支出), beside columns whose single cell
    spans the header's height and is printed on an upper line (年初预算数; 合计 … 项目支出). The text
    layer lost which upper word is the group and where the run stands; the rows' own identities say
    it, when they leave exactly one reading: the run's first column is the sum of the others, the
    top-level total the sum of the top-level parts, and no measure is printed twice."""
    def mapped(line: str) -> list[str]:
        return [w for w in _header_words(line) if measure_for_header(w) not in (None, "line_no")]

    leaf_at = next((k for k in range(len(header) - 1, -1, -1) if len(mapped(header[k])) >= 2), None)
    if leaf_at is None or not full_rows:
        return None
    leaf = mapped(header[leaf_at])
    upper = [w for k, line in enumerate(header) if k != leaf_at for w in mapped(line)]
    n_groups = len(upper) - (n - len(leaf))
    if measure_for_header(leaf[0]) != "total" or not 0 <= n_groups <= 2 or n <= len(leaf):
        return None
    tol = 0.005 * n + 1e-6
    readings: list[list[str]] = []
    for groups in combinations(range(len(upper)), n_groups):
        extra = [w for i, w in enumerate(upper) if i not in groups]
        # The run's 小计 is its group's figure (基本支出 › 小计); a 合计 heads a run of its own measure
        # (本年支出 › 合计).
        group = next((upper[i] for i in groups if measure_for_header(upper[i]) != "total"), None)
        if group and normalise_label(leaf[0]) != "小计":
            continue
        parents = {measure_parent().get(measure_for_header(w) or "") for w in leaf[1:]} - {None}
        if group and parents and parents != {measure_for_header(group)}:
            continue  # 人员经费 | 公用经费 are parts of 基本支出, not of whatever group stands above them
        head = group or leaf[0]
        for o in range(len(extra) + 1):
            cols = extra[:o] + [head] + leaf[1:] + extra[o:]
            top = [measure_for_header(w) for w in extra[:o] + [head] + extra[o:]]
            if len(set(top)) != len(top) or len({measure_for_header(w) for w in cols}) != n:
                continue
            parts = [k for k, m in enumerate(top) if m in _PART_MEASURES]
            top_at = [k if k < o else (o if k == o else k + len(leaf) - 1) for k in range(len(top))]
            total = next((top_at[k] for k, m in enumerate(top) if m == "total"), None)
            if all(abs(r[o] - sum(r[o + 1:o + len(leaf)])) <= tol for r in full_rows) and (
                    total is None or not parts or all(abs(r[total] - sum(r[top_at[k]] for k in parts)) <= tol
                                                      for r in full_rows)):
                if cols not in readings:
                    readings.append(cols)
    return readings[0] if len(readings) == 1 else None


_YEAR_HEAD_RE = re.compile(r"^20\d{2}年")
_ITEM_HEADER = re.compile(r"^(?:项目|项目名称|科目名称|功能科目名称|功能分类科目名称|支出功能分类科目名称)$")


def _side_value_headers(header: list[str], sides: list[str]) -> dict[str, list[str]]:
    """Each side's value-column headers from the header line that names the item column of every
    side (项目 预算数 项目 合计 一般公共预算 政府性基金预算 …), glued headers cut apart."""
    for line in reversed(header):
        words = _header_words(line)
        starts = [i for i, w in enumerate(words) if _ITEM_HEADER.match(normalise_label(w))]
        if len(starts) != len(sides):
            continue
        out: dict[str, list[str]] = {}
        for k, side in enumerate(sides):
            stop = starts[k + 1] if k + 1 < len(starts) else len(words)
            cols = words[starts[k] + 1:stop]
            if cols and all(measure_for_header(w) not in (None, "line_no") for w in cols):
                out[side] = cols
        return out
    return {}


def _side(seg: Segment, layout_groups: int) -> str:
    label = normalise_label(re.sub(r"^(?:[一二三四五六七八九十]+、|\d+[.．、])", "", seg.label))
    if any(w in label for w in PURPOSE_WORDS):
        return "purpose" if layout_groups == 3 else "expenditure"  # 单位预留机动经费 is spent, not received
    if re.search(r"结转下年|年末结转|年终结转|结余分配|结转和结余$", label) and "年初" not in label:
        return "expenditure"
    if any(w in label for w in INCOME_TOTAL_WORDS) or re.search(r"收入|资金|拨款|上年结转|年初结转|结余$|专户", label) \
            and not label.endswith("支出"):
        return "income"
    if any(w in label for w in EXPENDITURE_TOTAL_WORDS) or FUNCTION_CLASS_RE.search(label) or seg.code \
            or re.search(r"结转下年|年末结转|年终结转|结余分配|支出", label):
        return "expenditure"
    if not re.search(r"一般公共预算|政府性基金|国有资本经营", label) and _function_class(label):
        return "expenditure"  # a class name cut by its cell's wrap (文化旅游体育与传媒支 / 出)
    return "income"


def _function_class_exact(label: str) -> bool:
    """Whether a label (its ordinal aside) is a whole function class name (…支出), not one cut short."""
    name = normalise_label(re.sub(r"^(?:[一二三四五六七八九十]+、|\d+[.．、])", "", label))
    return name.endswith("支出") and _function_class(name) is not None


def _function_class(label: str) -> str | None:
    """The class a name stands for, a name cut by its cell's wrap included (facts.function_code_for_name)."""
    from ..facts import function_code_for_name  # (sources are read before facts: imported when used)

    return function_code_for_name(label)


def _drop_line_numbers(rows: list[tuple[list[Segment], int]]) -> None:
    """In a table with a 行次 column, a segment's first bare small integer is its line number."""
    for row, _ in rows:
        for seg in row:
            if seg.amounts and re.fullmatch(r"\d{1,3}", seg.amounts[0]):
                seg.amounts.pop(0)


def _drop_unit_codes(rows: list[tuple[list[Segment], int]]) -> None:
    """Rows by unit (单位编码 | 单位名称 | figures …): the unit code before a name (186 部门, 186001
    本级) identifies the unit; it is neither a classification code nor a figure."""
    for k, (segs, ln) in enumerate(rows):
        first = segs[0] if segs else None
        if first is not None and not first.label and not first.code and len(first.amounts) == 1 \
                and re.fullmatch(r"\d{3,12}", first.amounts[0]) and len(segs) > 1 and segs[1].label and not segs[1].code:
            segs = segs[1:]
            rows[k] = (segs, ln)
        if segs and segs[0].code and segs[0].label:
            segs[0].code = ""


def _label_only(segs: list[Segment]) -> bool:
    return len(segs) == 1 and bool(segs[0].label) and not segs[0].code and not segs[0].amounts


_LONE_CODE_RE = re.compile(r"[235]\d{2}(?:\d{2}){0,2}")


def _attach_lone_codes(rows: list[tuple[list[Segment], int]]) -> list[tuple[list[Segment], int]]:
    """A code printed alone on its line, its name and figures on the lines after (30299 / 其他商品和
    服务支出 0.20 in a whitespace-aligned layout; 2080505 / 机关事业单位基本养老保险缴费支 / 出 / 580.01
    in drawing order), is that row's code, not a figure."""
    out: list[tuple[list[Segment], int]] = []
    k = 0
    while k < len(rows):
        segs, ln = rows[k]
        lone = len(segs) == 1 and not segs[0].label and not segs[0].code and len(segs[0].amounts) == 1 \
            and _LONE_CODE_RE.fullmatch(segs[0].amounts[0]) is not None
        names, j = [], k + 1
        while lone and j < len(rows) and j - k <= 3 and _label_only(rows[j][0]) and not _starts_item(rows[j][0][0].label):
            names.append(rows[j][0][0].label)
            j += 1
        nxt = rows[j][0] if lone and j < len(rows) else []
        if nxt and not nxt[0].code and nxt[0].amounts and (nxt[0].label or names) and not _starts_item(nxt[0].label):
            label = ""
            for part in [*names, nxt[0].label]:
                label = _join(label, part)
            nxt[0].code, nxt[0].label = segs[0].amounts[0], label
            k = j
            continue
        out.append((segs, ln))
        k += 1
    return out


def _merge_wrapped_rows(rows: list[tuple[list[Segment], int]]) -> list[tuple[list[Segment], int]]:
    """Rows whose name wraps: the text layer prints the name's first line, then the line holding the
    code and figures (centred in the row, with the name's middle if any), then the name's last line
    (其他社会工作 / 2013999 202.24 202.24 / 事务支出; 四、文化旅游体育与传媒 / 200,000 200,000 / 支出).
    Each becomes one row again. Between two figure lines, the first loose name line closes the
    previous wrapped name, the last one opens the next, and any between are rows of their own."""
    rows = _attach_lone_codes(rows)
    out: list[tuple[list[Segment], int]] = []
    pending: list[Segment] = []  # loose name lines since the last figure line
    last: Segment | None = None  # the previous figure line's segment, when its name was wrapped
    for segs, ln in rows:
        if _label_only(segs) and not re.match(r"^其中", segs[0].label):
            pending.append(segs[0])
            continue
        single = len(segs) == 1 and segs[0].amounts and not (segs[0].label and _starts_item(segs[0].label))
        figures_only = single and not segs[0].label and not segs[0].code
        # The line a wrapped name's first line belongs to: a code with its figures, or figures (and a
        # code) with no name of their own, alone or opening a side-by-side line.
        takes_head = (single and bool(segs[0].code)) or (not segs[0].label and bool(segs[0].amounts))
        if pending and last is not None and not _starts_item(pending[0].label) and len(pending[0].label) <= 10:
            last.label = _join(last.label, pending.pop(0).label)  # the previous name's last line
        elif takes_head and not segs[0].code and len(pending) >= 2 and _starts_item(pending[-2].label) \
                and not _starts_item(pending[-1].label) and len(pending[-1].label) <= 4 \
                and FUNCTION_CLASS_RE.search(_join(pending[-2].label, pending[-1].label)):
            # 四、文化旅游体育与传媒 / 支出 / 200,000 200,000 (drawing order): both name lines, then figures.
            tail = pending.pop()
            pending[-1] = Segment(label=_join(pending[-1].label, tail.label))
        last = None
        waiting = out[-1][0][0] if out and out[-1][0] and out[-1][0][0].code and not out[-1][0][0].amounts else None
        if waiting is not None and pending and not segs[0].label and not segs[0].code and segs[0].amounts \
                and all(len(p.label) <= 10 and not _starts_item(p.label) for p in pending):
            # 2080505 机关事业单位基本养老保险缴费 / 支出 / 6.18 6.18 (drawing order): the code and the
            # name's first line, its last line, then the figures (and, side by side, the next list's row).
            for p in pending:
                waiting.label = _join(waiting.label, p.label)
            pending = []
            waiting.amounts = list(segs[0].amounts)
            if len(segs) > 1:
                out.append((segs[1:], ln))
            continue
        if waiting is not None and not pending and len(segs) == 1 and segs[0].label and not segs[0].code \
                and segs[0].amounts and len(segs[0].label) <= 10 and not _starts_item(segs[0].label) \
                and not re.search(r"合计|总计|小计", segs[0].label):
            # 2080505 机关事业单位基本养老保 / 险缴费支出 186.24 186.24: the name's tail with the figures.
            waiting.label = _join(waiting.label, segs[0].label)
            waiting.amounts = list(segs[0].amounts)
            continue
        if figures_only and not pending and out and out[-1][0] and not out[-1][0][-1].amounts \
                and (out[-1][0][-1].label or out[-1][0][-1].code):
            out[-1][0][-1].amounts = list(segs[0].amounts)  # figures under a name head already placed
            last = out[-1][0][-1]
            continue
        if len(segs) > 1 and not segs[0].label and not segs[0].code and segs[0].amounts and not pending \
                and out and out[-1][0] and (out[-1][0][0].label or out[-1][0][0].code) and not out[-1][0][0].amounts:
            # 1.一般公共预 / 17,981.68 二、外交支出 … / 算: the first group's figure under its name head
            out[-1][0][0].amounts = segs[0].amounts
            last = out[-1][0][0]
            out.append((segs[1:], ln))
            continue
        if takes_head and pending:
            head = pending.pop()  # the name's first line; earlier loose lines are rows of their own
            segs[0].label = _join(head.label, segs[0].label)
            last = segs[0]
        for p in pending:
            out.append(([p], ln))
        pending = []
        out.append((segs, ln))
    for p in pending:
        if last is not None and not _starts_item(p.label) and len(p.label) <= 10:
            last.label = _join(last.label, p.label)
            last = None
        else:
            out.append(([p], rows[-1][1]))
    return out


def _grid(kind_id: str, layout: str, header: list[str], rows: list[tuple[list[Segment], int]], page: int,
          line: int) -> RawTable:
    if re.search(r"单位(?:编码|代码)", normalise_label(" ".join(header))):
        _drop_unit_codes(rows)
    rows = _merge_wrapped_rows(rows)
    if re.search(r"行\s*次|栏\s*次", " ".join(header)):
        _drop_line_numbers(rows)
    if layout == "summary":
        return _summary_grid(header, rows, page, line)
    if _side_by_side(rows):
        return _blocks_grid(rows, header, page, line)
    segs = [(s, ln) for row, ln in rows for s in row]
    n = max((len(s.amounts) for s, _ in segs), default=0)
    halves = None
    if kind_id == "three_public":
        heads = ["合计"] + [f"col{k + 2}" for k in range(n - 1)]
        if re.search(r"会议费|培训费", "".join(header)) and n >= 2:
            heads = ["all_with_meetings", "合计"] + [f"col{k + 3}" for k in range(n - 2)]
        if "机关运行" in "".join(header) and n >= 2:
            heads[-1] = "机关运行经费"
        # Items as rows under amount columns named one to one (项目 预算数 决算数): those names.
        named = next((m for m in ([w for w in _header_words(h) if measure_for_header(w) not in (None, "line_no")]
                                  for h in reversed(header)) if len(m) == n), None)
        if named is None:
            # 项目 2023年预算数 2024年预算数 增减: every word after the item header names a column, the
            # change too (the canonical reader marks the earlier year's column as the comparison).
            named = next((m for m in (_header_words(h)[1:] for h in reversed(header)
                                      if _header_words(h) and _ITEM_HEADER.match(normalise_label(_header_words(h)[0])))
                          if len(m) == n and sum(bool(_YEAR_HEAD_RE.match(w)) for w in m) >= 2), None)
        values = named if named and n >= 2 and any(re.search(r"预算|决算", w) for w in named) else heads
        full = [[parse_amount(a) or 0.0 for a in s.amounts] for s, _ in segs if len(s.amounts) == n]
        # A last 机关运行经费 column after the 预算数 | 决算数 halves (行政参公单位机关运行经费) is no half's.
        m = n - 1 if heads[-1] == "机关运行经费" and n % 2 else n
        halves = _budget_final_halves(header, m, [r[:m] for r in full]) if values is heads else None
        if halves:
            values = halves + heads[m:]
    else:
        full = [[parse_amount(a) or 0.0 for a in s.amounts] for s, _ in segs if len(s.amounts) == n]
        values = _value_headers(header, n, full)
    grid = [["科目编码", "科目名称", *values]]
    lines = [line]
    lost: set[int] = set()
    for seg, ln in segs:
        amounts = seg.amounts if len(seg.amounts) in (n, 0) else seg.amounts[:1]
        if len(amounts) < len(seg.amounts):
            lost.add(len(grid))
        cells = [seg.code, seg.label, *amounts]
        cells += [""] * (len(grid[0]) - len(cells))
        grid.append(cells)
        lines.append(ln)
    return RawTable(rows=grid, page=page, line=line, row_lines=lines, lost_rows=lost)


def _side_by_side(rows: list[tuple[list[Segment], int]]) -> bool:
    """Two or more coded lists printed side by side (人员经费 301/303 | 公用经费 302/310)."""
    coded = sum(1 for segs, _ in rows if sum(1 for s in segs if s.code) >= 2)
    return coded >= 3 and coded * 3 >= len(rows)


def _blocks_grid(rows: list[tuple[list[Segment], int]], header: list[str], page: int, line: int) -> RawTable:
    """Side-by-side coded lists as one grid of blocks (code | name | figures …) per line, as the
    PDF prints them; a line holding fewer items than blocks puts each where its code continues."""
    n_blocks = min(4, max(len(segs) for segs, _ in rows))
    placed: list[tuple[list[Segment | None], int]] = []
    last_code = [""] * n_blocks
    for segs, ln in rows:
        slots: list[Segment | None] = [None] * n_blocks
        if len(segs) == n_blocks:
            slots = list(segs)
        else:
            for seg in segs:
                match = [b for b in range(n_blocks) if slots[b] is None and seg.code and last_code[b][:3] == seg.code[:3]]
                free = [b for b in range(n_blocks) if slots[b] is None]
                if match or free:
                    slots[(match or free)[0]] = seg
        for b, seg in enumerate(slots):
            if seg is not None and seg.code:
                last_code[b] = seg.code
        placed.append((slots, ln))
    widths = [max((len(sl[b].amounts) for sl, _ in placed if sl[b] is not None), default=0) or 1
              for b in range(n_blocks)]
    head: list[str] = []
    for w in widths:
        head += ["科目编码", "科目名称", *_value_headers(header, w)]
    grid, lines = [head], [line]
    groups = _economic_groups(header, placed, widths)
    if groups:
        grid.insert(0, groups)
        lines.insert(0, line)
    lost: set[int] = set()
    for slots, ln in placed:
        cells: list[str] = []
        for b, seg in enumerate(slots):
            amounts = (seg.amounts if len(seg.amounts) in (widths[b], 0) else seg.amounts[:1]) if seg else []
            if seg and len(amounts) < len(seg.amounts):
                lost.add(len(grid))
            cells += [seg.code if seg else "", seg.label if seg else "", *amounts]
            cells += [""] * (sum(w + 2 for w in widths[:b + 1]) - len(cells))
        grid.append(cells)
        lines.append(ln)
    return RawTable(rows=grid, page=page, line=line, row_lines=lines, lost_rows=lost)


def _budget_final_halves(header: list[str], n: int, full_rows: list[list[float]]) -> list[str] | None:
    """The group row of a 三公 table printing its items as columns twice, under 预算数 then 决算数
    (the 决算's 公开09表): the first half of the figures is the budget, the second the actual. Only
    each half's first column (its 合计) can be named; where the items stand in a half was lost.
    The names of the value columns (only the budget's 合计 where the halves cannot be told apart),
    or None when the header has no such groups. Each half must read as one: its 合计 the largest figure,
    its other figures (the items, and the 公务用车 subtotal beside its parts) adding up to between
    one and two times it; a row that lost cells in one half only cannot be cut."""
    words = [normalise_label(w) for line in header for w in _header_words(line)]
    groups = [w for w in words if re.fullmatch(r"(?:年初|全年)?预算数?|(?:本年|全年)?决算数?", w)]
    # Two years side by side (2023年预算数 | 2024年预算数, the central template): the later year's half
    # is this document's; the earlier one is the comparison the canonical reader sets apart.
    years = [w for w in words if re.fullmatch(r"20\d{2}年度?(?:预算|决算|执行)数?", w)]
    if len(years) == 2 and years[0][:4] != years[1][:4]:
        names = years
        fallback = None
    elif len(groups) == 2 and "预算" in groups[0] and "决算" in groups[1]:
        names = ["预算数", "决算数"]
        fallback = ["年初预算数", *(f"col{k + 2}" for k in range(n - 1))]  # the first figure: the budget
    else:
        return None
    if n < 2:
        return None
    half = n // 2
    tol = 0.005 * n + 1e-6
    if n < 4 or n % 2 or not full_rows:
        return fallback
    for r in full_rows:
        for part in (r[:half], r[half:]):
            if part[0] + tol < max(part) or not part[0] - tol <= sum(part[1:]) <= 2 * part[0] + tol:
                return fallback
    return [names[0], *(f"col{k + 2}" for k in range(half - 1)), names[1], *(f"col{half + k + 2}" for k in range(half - 1))]




def _economic_groups(header: list[str], placed: list[tuple[list[Segment | None], int]], widths: list[int]) -> list[str]:
    """The group row over side-by-side 经济分类 blocks whose header names 人员经费 and 公用经费 (their
    column positions lost): each block is the group its codes belong to, so that the 公用经费 blocks
    (302 | 307 310 399) read as one section. Empty when the header does not name them or a block
    mixes both."""
    text = normalise_label("".join(header))
    if "人员经费" not in text or "公用经费" not in text:
        return []
    row: list[str] = []
    for b, w in enumerate(widths):
        codes = {sl[b].code[:3] for sl, _ in placed if sl[b] is not None and sl[b].code}
        if not codes:
            return []
        personnel = codes <= personnel_classes()
        if not personnel and codes & personnel_classes():
            return []
        row += ["人员经费" if personnel else "公用经费"] + [""] * (w + 1)
    return row


def _summary_grid(header: list[str], rows: list[tuple[list[Segment], int]], page: int, line: int) -> RawTable:
    groups = 3 if re.search(r"支出用途|功能分类.*用途|用途", " ".join(header)) else 2
    sides = ["income", "expenditure", "purpose"][:groups]
    width = {s: 1 for s in sides}
    placed: list[tuple[dict[str, Segment], int]] = []
    for row, ln in rows:
        tail = row[0].label if len(row) == 1 and row[0].label and not row[0].amounts and not row[0].code else None
        if tail and placed:
            # The rest of a class name wrapped below its row (十五、资源勘探工业信息等 … / 支出).
            cut = next((seg for seg in placed[-1][0].values() if seg.label and not _function_class_exact(seg.label)
                        and _function_class_exact(seg.label + tail)), None)
            if cut is not None:
                cut.label += tail
                continue
        by_side: dict[str, Segment] = {}
        for seg in row:
            if not seg.label and not seg.code:
                continue
            side = _side(seg, groups)
            if side in by_side:  # a second segment for one side: the next group (支出用途 after 功能分类)
                idx = sides.index(side)
                side = next((s for s in sides[idx + 1:] if s not in by_side), side)
            by_side[side] = seg
            width[side] = max(width[side], len(seg.amounts))
        placed.append((by_side, ln))
    head = []
    names = {"income": "收入", "expenditure": "支出", "purpose": "支出用途"}
    named = _side_value_headers(header, sides)
    for s in sides:
        # Name the columns only when every row prints all of them: a row with fewer figures lost
        # blank cells, and which columns they were cannot be told.
        full = all(len(p[s].amounts) in (0, width[s]) for p, _ in placed if s in p)
        # (As many names as figures: a header cell wrapped onto another line, 一般公共 / 预算, leaves the
        # line with fewer names, and which one it lost cannot be told.)
        values = named.get(s, []) if full and len(named.get(s, [])) == width[s] else []
        head += [names[s], *(values or ["合计"] + [f"col{k + 2}" for k in range(width[s] - 1)])]
    grid = [head]
    lines = [line]
    for by_side, ln in placed:
        cells: list[str] = []
        for s in sides:
            seg = by_side.get(s)
            amounts = (seg.amounts if seg and len(seg.amounts) in (width[s], 0) else (seg.amounts[:1] if seg else []))
            label = (f"{seg.code} {seg.label}".strip() if seg.code else seg.label) if seg else ""
            block = [label, *amounts]
            block += [""] * (1 + width[s] - len(block))
            cells += block
        grid.append(cells)
        lines.append(ln)
    return RawTable(rows=grid, page=page, line=line, row_lines=lines)


__all__ = ["is_plain", "rebuild", "segments", "table_kind"]
