"""Which unit and year a document is of, from its cover, title lines, label cells and duty sentence.

The grammar is data (``registry/identity.yaml``): a cover is "<unit> <year> <kind words>", on one
line or wrapped over a few lines of its first page; a tables volume names its unit in a label
cell (部门名称 | X) of its 部门整体 form; a narrative that has no cover names it in the first
sentence of its duty section (X属于…, X主要职责…). :mod:`budgetlens.recognize` tries these in
order of reliability.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .document import Document
from .registry import _load, classify_title, normalise_label

_YEAR = re.compile(r"[(（]?(?:20\d{2}|二[〇零○Ｏ][一二三四五六七八九〇零○Ｏ]{2})\s*年度?[)）]?")
_YEAR_LINE = re.compile(r"^[(（]?(20\d{2})[(（]?年度?[)）]?$")  # （2026年度）, 2026（年度）
# A title whose year is drawn on a line of its own (重庆市气象局  年部门预算情况说明 / 2026): its 年 dangles.
_DANGLING_YEAR = re.compile(r"(?<![0-9〇零○Ｏ一二三四五六七八九])年度?(?=(?:部门|单位)?(?:预算|决算))")
_BARE_YEAR = re.compile(r"^(20\d{2})$")
_LABEL = re.compile(r"^(?:部门|单位|主管部门|预算单位|填报单位|编制单位|编制部门)(?:名称)?(?:及代码)?[:：]?(?=.{3})")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分|^目录|^关于")
_PAGE = re.compile(r"^[-—－\s\d]*$")


@cache
def _grammar() -> dict:
    return _load("identity.yaml")


@cache
def _suffix_re() -> re.Pattern[str]:
    words = sorted(_grammar()["unit_suffixes"], key=len, reverse=True)
    return re.compile(r"^(?:中共|中国共产党)?[\u4e00-\u9fff（）()]{2,40}(?:" + "|".join(map(re.escape, words)) + r")$")


@cache
def _tails() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _grammar()["title_tails"])


def is_unit_name(text: str) -> bool:
    """A run of Chinese ending like a unit's name (局, 委员会, 中心, 办公室 …)."""
    return _suffix_re().match(text) is not None


def name_from_title(text: str) -> str | None:
    """The unit a title line or joined cover names (X 2026 年度部门预算信息公开 → X), or None."""
    t = _LABEL.sub("", re.sub(r"\s+", "", text))
    if not t or _PART.match(t) or classify_title(t)[0] is not None:
        return None
    t = _DANGLING_YEAR.sub("", _YEAR.sub("", t))
    titled = None
    for n, tail in enumerate(_tails()):
        stripped, hits = tail.subn("", t)
        if hits:
            t, titled = stripped, n == 0
            break
    if titled is None:
        return None
    for filler in _grammar()["name_fillers"]:
        if t.endswith(filler) and is_unit_name(t[: -len(filler)]):
            t = t[: -len(filler)]
    # "X2026年部门预算" names its unit whatever X ends with (某县妇联); a bare 预算 title must end like a name.
    if re.search(r"预算|决算|目录|第[一二三四五六七八九十]+部分", t):
        return None
    if is_unit_name(t) or (titled and re.fullmatch(r"(?!第[一二三四五六七八九十]+部分)[\u4e00-\u9fff（）()]{2,40}", t)):
        return t
    return None


def unit_from_cover(doc: Document, lines: int = 12, span: int = 4) -> str | None:
    """The unit the first title lines name, a title wrapped over up to ``span`` lines of one page
    read joined (2026 年度 / 福州市公安局文职人员 / 管理中心单位预算)."""
    head = [b for b in doc.text_blocks()[:lines] if not _PAGE.match(b.text.strip())]
    for i in range(len(head)):
        joined = ""
        for j in range(i, min(i + span, len(head))):
            line = re.sub(r"\s+", "", head[j].text)
            if head[j].page != head[i].page or (j > i and (_PART.match(line) or any(t.search(joined) for t in _tails()))):
                break  # a wrapped title runs to its kind words, within one page, and no heading is part of it
            joined += line
            name = name_from_title(joined)
            if name:
                return name
    return None


def unit_from_label_cells(doc: Document) -> str | None:
    """The name a table prints beside a label cell (部门名称 | 北京市信访办公室), the commonest."""
    labels = set(_grammar()["unit_label_cells"])
    names: Counter[str] = Counter()
    for table in doc.tables():
        for row in table.rows:
            cells = [re.sub(r"\s+", "", c) for c in row if c.strip()]
            for k, cell in enumerate(cells[:-1]):
                if cell.rstrip(":：") in labels and is_unit_name(cells[k + 1]):
                    names[cells[k + 1]] += 1
    return names.most_common(1)[0][0] if names else None


def scope_from_label_cells(doc: Document) -> str | None:
    """``department`` when a table labels the name 部门名称, ``unit`` when 单位名称 (a tables volume's form)."""
    for table in doc.tables():
        for row in table.rows:
            cells = [re.sub(r"\s+", "", c).rstrip(":：") for c in row if c.strip()]
            for k, cell in enumerate(cells[:-1]):
                if cell in {"部门名称", "单位名称"} and is_unit_name(cells[k + 1]):
                    return "department" if cell == "部门名称" else "unit"
    return None


@cache
def _duty_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    heading = re.compile("|".join(_grammar()["duty_headings"]))
    verbs = "|".join(map(re.escape, sorted(_grammar()["duty_verbs"], key=len, reverse=True)))
    words = "|".join(map(re.escape, sorted(_grammar()["unit_suffixes"], key=len, reverse=True)))
    sentence = re.compile(r"^((?:中共|中国共产党)?[\u4e00-\u9fff（）()]{2,30}?(?:" + words + r"))(?:" + verbs + ")")
    return heading, sentence


def unit_from_duties(doc: Document, within: int = 200) -> str | None:
    """The unit named at the start of the first sentence under a duty heading (本部门职责情况)."""
    heading, sentence = _duty_re()
    blocks = doc.text_blocks()[:within]
    for i, b in enumerate(blocks):
        if heading.match(normalise_label(b.text)) and i + 1 < len(blocks):
            m = sentence.match(re.sub(r"\s+", "", blocks[i + 1].text))
            if m:
                return m.group(1)
    return None


def year_of_split_title(doc: Document, lines: int = 15) -> int | None:
    """The year drawn apart from its title (a title with a dangling 年 and a bare 2026 next to it)."""
    head = [re.sub(r"\s+", "", b.text) for b in doc.text_blocks()[:lines]]
    for i, text in enumerate(head):
        if _DANGLING_YEAR.search(text) and not re.search(r"\d{4}\s*年", text):
            for j in (i + 1, i - 1):
                if 0 <= j < len(head) and (m := _BARE_YEAR.match(head[j])):
                    return int(m.group(1))
    return None


def year_from_lines(doc: Document) -> int | None:
    """A year printed alone on a line (（2026年度）under a form's title), the first one."""
    for b in doc.text_blocks():
        m = _YEAR_LINE.match(re.sub(r"\s+", "", b.text))
        if m:
            return int(m.group(1))
    return None


def commonest_year(doc: Document, limit: int = 200000) -> int | None:
    """The year the text and the table cells name most often (a document of forms with no dated title)."""
    text = re.sub(r"\s+", "", doc.full_text)[:limit]
    cells = re.sub(r"\s+", "", " ".join(c for t in doc.tables() for row in t.rows for c in row if c))[:limit]
    years = Counter(int(y) for y in re.findall(r"(20\d{2})年", text + cells))
    return years.most_common(1)[0][0] if years else None
