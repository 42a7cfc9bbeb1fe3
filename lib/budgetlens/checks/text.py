"""The text of a disclosure, as an inspector reads it: template wording left in place, a report that
names itself by the other level, class names not in force, punctuation, quotation marks and brackets,
blank pages, text that is not displayed, required sections missing, percentages from nothing,
"持平" said of a change, and (finals) the 三公 items and counts.

Every finding quotes the text and says where it is (``page``, ``section``, ``lines``, ``quote``).
Phrases, words and headings are data (registry/checklist.yaml, registry/function_names.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import yaml

from ..sections import (
    END_PUNCT,
    LEADERS_RE,
    NUMBERING_RE,
    Layout,
    Paragraph,
    _width,
    checklist_registry,
    compact,
    extraction_layout,
    paragraphs,
    section_name,
)
from ..visibility import read_visibility, unmapped
from .base import Context, Issue, evidence, rule
from .narrative import STATED_CHANGE_RE, STATED_PRIOR_RE, _half, _pct_half, _wan, text_of, yoy_statements

MAX_PER_RULE = 8  # the same slip repeated: this many examples say it


def lay(ctx: Context) -> Layout:
    """The document's sections (computed once per extraction)."""
    memo = ctx.cache.setdefault("text", {})
    if "layout" not in memo:
        memo["layout"] = extraction_layout(ctx.result)
    return memo["layout"]


def where(ctx: Context, line: int, page: int | None = None, quote: str | None = None, **extra) -> dict:
    """Evidence for a finding in the text: the line, its page and section, the quoted words."""
    layout = lay(ctx)
    section = layout.where(line)
    return evidence(lines=[line], page=page or layout.page_of(line), section=section, quote=quote, **extra)


def _item_number(text: str) -> str:
    """"第5点" for a paragraph that starts "5、…" (how inspectors point at an item)."""
    m = re.match(r"^\s*(\d{1,2})[、.．]", text)
    return f"第{m.group(1)}点" if m else ""


def _sec(ctx: Context, line: int) -> str:
    s = lay(ctx).where(line)
    return section_name(s) if s else "正文"


def _prose(ctx: Context):
    memo = ctx.cache.setdefault("text", {})
    if "paragraphs" not in memo:
        memo["paragraphs"] = paragraphs(lay(ctx), checklist_registry()["prose_sections"])
    return memo["paragraphs"]


def _line_of(paragraph, offset: int) -> tuple[int, int]:
    """(line, page) of the character at ``offset`` of a paragraph's joined text."""
    pos = 0
    for ln in paragraph.lines:
        pos += len(ln.text.strip())
        if offset < pos:
            return ln.line, ln.page
    last = paragraph.lines[-1]
    return last.line, last.page


def _clause(text: str, start: int, end: int) -> str:
    """The clause around [start, end): from the previous 。；：， to the end."""
    b = max(text.rfind(c, 0, start) for c in "。；：，:;,")
    return text[b + 1:end].strip()


# --- template wording ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _template_phrases() -> list[tuple[re.Pattern[str], str, str | None]]:
    return [(re.compile(p["pattern"]), p["why"], p.get("min_section")) for p in checklist_registry()["template_phrases"]]


@rule("text.template_phrase", "warning", "说明中没有留下模板用语（“增加（减少）的主要原因是…”、XX、“202 年度”、空的说明）")
def template_phrase(ctx: Context) -> Iterator[Issue]:
    """Template wording left in place, in the narrative's sentences."""
    n = 0
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for pat, why, only in _template_phrases():
            m = pat.search(text)
            if m is None or (only and lay(ctx).where(s.line) != only):
                continue
            quote = _clause(text, m.start(), max(m.end(), text.find("。", m.end()) + 1 if "。" in text[m.end():] else len(text)))
            yield Issue(f"{_sec(ctx, s.line)}中“{quote[:60]}”：{why}", where(ctx, s.line, quote=quote[:120]))
            n += 1
            break
        if n >= MAX_PER_RULE:
            return


# --- the level a report names itself by -------------------------------------------------------


@rule("text.level_name", "warning", "单位预算（决算）不自称部门预算（决算），部门的不自称单位的")
def level_name(ctx: Context) -> Iterator[Issue]:
    """A 单位 report whose cover, 目录, headings or table titles say 部门预算 (and the other way round)."""
    scope = ctx.result.recognition.scope if ctx.result.recognition else None
    reg = checklist_registry()["level_words"]
    if scope not in ("department", "unit") or ctx.kind not in ("budget", "final"):
        return
    words, exceptions = reg[scope]["wrong"], reg[scope]["except"]
    layout = lay(ctx)
    places: list[tuple[int, int, str]] = []
    for s in layout.sections:
        if s.id in ("cover", "toc"):
            places += [(ln.line, ln.page, ln.text) for ln in layout.lines if s.line <= ln.line < s.end_line]
        else:
            places.append((s.line, s.page, s.heading))
    for t in ctx.result.tables:
        if t.title:
            places.append((t.line, t.page, t.title))
    level = "部门" if scope == "department" else "单位"
    n, seen = 0, set()
    for line, page, text in sorted(places):
        c = LEADERS_RE.split(re.sub(r"\s+", "", text))[0]
        masked = c
        for e in exceptions:
            masked = masked.replace(e, "·" * len(e))
        hit = next((w for w in words if w in masked), None)
        if hit is None or c in seen:
            continue
        seen.add(c)
        yield Issue(f"本文件是{level}{'预算' if ctx.kind == 'budget' else '决算'}，第{page}页“{c[:50]}”却写“{hit}”",
                    where(ctx, line, page, quote=c[:120]))
        n += 1
        if n >= MAX_PER_RULE:
            return


# --- class names in force --------------------------------------------------------------------


@lru_cache(maxsize=1)
def function_names() -> dict[str, dict]:
    """registry/function_names.yaml: per 类 code its name in force and the names it replaces."""
    text = resources.files("budgetlens.registry").joinpath("function_names.yaml").read_text(encoding="utf-8")
    return {str(k): v for k, v in yaml.safe_load(text)["classes"].items()}


def outdated_names(year: int) -> dict[str, tuple[str, str, int]]:
    """Old class names no longer in force in ``year``: name → (code, name in force, since)."""
    out = {}
    for code, c in function_names().items():
        for old in c.get("replaces") or []:
            if year > int(old["until"]) and year >= int(c.get("since", 0)):
                out[old["name"]] = (code, c["name"], int(c.get("since", 0)))
    return out


@rule("text.class_name", "warning", "功能分类科目名称为本年度有效名称（如210类为“卫生健康支出”而非“医疗卫生与计划生育支出”）")
def class_name(ctx: Context) -> Iterator[Issue]:
    """A 类 printed under a name the classification replaced before the report's year."""
    year = ctx.result.recognition.year if ctx.result.recognition else None
    if not year:
        return
    old = outdated_names(year)
    if not old:
        return
    pattern = re.compile("|".join(re.escape(n[:-2]) + r"(?:[（(]类[)）])?支出" if n.endswith("支出") else re.escape(n)
                                  for n in sorted(old, key=len, reverse=True)))
    printed_current = {r.code for t in ctx.result.tables for r in ctx.rows(t) if r.code and len(r.code) == 3
                       and r.name and function_names().get(r.code, {}).get("name") == re.sub(r"\s+", "", r.name)}
    n = 0
    for b in ctx.result.document.blocks:
        texts = [(b.line, b.text)] if b.kind == "text" else \
            [(b.table.row_lines[k] if k < len(b.table.row_lines) else b.line, " ".join(r))
             for k, r in enumerate(b.table.rows)] if b.table is not None else []
        for line, text in texts:
            c = re.sub(r"\s+", "", text)
            for m in pattern.finditer(c):
                name = re.sub(r"[（(]类[)）]", "", m.group(0))
                code, current, since = old.get(name, (None, None, None))
                if code is None:
                    continue
                tail = c[m.end():m.end() + 8]
                quote = c[m.start():m.end()] + (tail[:tail.find("）") + 1] if tail.startswith(("（", "(")) and "）" in tail else "")
                also = f"，表中亦为“{current}”" if code in printed_current else ""
                para = next((p for p in _prose(ctx) if any(x.line == line for x in p.lines)), None)
                item = _item_number(para.text) if para is not None else ""
                yield Issue(f"{_sec(ctx, line)}{item}写“{quote}”，{code}类自{since}年起名为“{current}”{also}",
                            where(ctx, line, b.page, quote=quote, code=code, name=current))
                n += 1
                if n >= MAX_PER_RULE:
                    return


# --- punctuation, quotation marks, brackets -----------------------------------------------------

DOUBLED_RE = re.compile(r"([。，、；：！？])\s*([。，、；：])")


@lru_cache(maxsize=1)
def _markers() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in checklist_registry()["sentence_markers"]))


@rule("text.punctuation", "warning", "句末标点不缺失、不重复（“。。”、句末漏句号）")
def punctuation(ctx: Context) -> Iterator[Issue]:
    """Doubled sentence punctuation within a printed line, and a one-line paragraph that says something
    but ends without a full stop where the next line clearly starts afresh."""
    n = 0
    for p in _prose(ctx):
        text = p.text
        for ln in p.lines:
            line_text = ln.text.strip()
            for m in DOUBLED_RE.finditer(line_text):
                if m.group(0) != m.group(1) + m.group(2):
                    continue  # marks apart ("。 。") may be the text layer's, not the page's
                at = text.find(line_text) + m.start() if line_text in text else 0
                quote = _clause(text, at, at + 2) if line_text in text else line_text[:m.end()]
                item = _item_number(text)
                marks = m.group(1) + m.group(2)
                what = "连续两个句号" if marks == "。。" else f"标点重复（“{marks}”）"
                yield Issue(f"{_sec(ctx, ln.line)}{item}“{quote}”，存在{what}", where(ctx, ln.line, ln.page, quote=quote))
                n += 1
        if _lost_full_stop(ctx, p):
            ln = p.lines[0]
            quote = text.strip()
            yield Issue(f"{_sec(ctx, ln.line)}中“{quote[-60:]}”后面漏了句号", where(ctx, ln.line, ln.page, quote=quote[-120:]))
            n += 1
        if n >= MAX_PER_RULE:
            return


def _lost_full_stop(ctx: Context, p) -> bool:
    """A paragraph of one short line, after the end of a sentence, that says something (registry
    ``sentence_markers``) and has no end punctuation, followed by a heading, a numbered item, a line
    that opens a list (…如下：) or another part: a sentence whose 句号 is missing."""
    if len(p.lines) != 1:
        return False
    t = p.text.strip()
    if len(t) < 10 or t[-1] in END_PUNCT or not _markers().search(t) or t.endswith(("表", "说明")):
        return False
    layout = lay(ctx)
    k = next(i for i, x in enumerate(layout.lines) if x is p.lines[0])
    prev = layout.lines[k - 1] if k > 0 else None
    nxt = layout.lines[k + 1] if k + 1 < len(layout.lines) else None
    if prev is None or nxt is None:
        return False
    if not (prev.text.strip().endswith(tuple("。：:；！？")) or layout.is_heading(prev)):
        return False
    same = [x for x in layout.lines if layout.where(x.line) == p.section]
    full = max((_width(x.text) for x in same), default=0.0)
    if _width(t) >= 0.75 * full:
        return False
    n = nxt.text.strip()
    return layout.is_heading(nxt) or NUMBERING_RE.match(n) is not None or n.endswith(("：", ":")) \
        or layout.where(nxt.line) != p.section


PAIRS = (("“", "”", "引号"), ("‘", "’", "单引号"))
BRACKETS = ("（(", "）)")
LIST_CLOSER_RE = re.compile(r"(?:^|[。；;：:\s])[\dA-Za-z一二三四五六七八九十]{1,3}$")


@rule("text.brackets", "warning", "引号、括号成对（没有多余或缺少的左/右引号、括号）")
def brackets(ctx: Context) -> Iterator[Issue]:
    """Quotation marks and brackets that do not pair up, read over each part's prose at once (a
    paragraph boundary the text layer hides cannot split a pair)."""
    n = 0
    groups: list[list] = []
    for p in _prose(ctx):
        if groups and groups[-1][-1].section == p.section and _adjacent(ctx, groups[-1][-1], p):
            groups[-1].append(p)
        else:
            groups.append([p])
    for group in groups:
        merged = Paragraph([ln for p in group for ln in p.lines], group[0].section)
        # text a table right after may have taken into its rows: an unclosed pair there is not sure
        later = [x.order for x in lay(ctx).lines if x.order > merged.lines[-1].order]
        cut_off = bool(later) and min(later) - merged.lines[-1].order > 1
        # …and text just before, that a table took into its rows, may hold the opening mark of its first sentence
        k = _index(ctx, merged.lines[0])
        before = lay(ctx).lines[k - 1] if k > 0 else None
        cut_before = before is not None and (merged.lines[0].order - before.order > 1 or lay(ctx).where(before.line) == "tables")
        for issue in _pairing(ctx, merged, merged.text, not cut_off, not cut_before):
            yield issue
            n += 1
            if n >= MAX_PER_RULE:
                return


def _index(ctx: Context, ln) -> int:
    """The position of a line in the layout's lines."""
    memo = ctx.cache.setdefault("text", {})
    if "index" not in memo:
        memo["index"] = {id(x): k for k, x in enumerate(lay(ctx).lines)}
    return memo["index"][id(ln)]


def _adjacent(ctx: Context, a, b) -> bool:
    """Two paragraphs with nothing between them (no heading, no table)."""
    layout = lay(ctx)
    i, j = _index(ctx, a.lines[-1]), _index(ctx, b.lines[0])
    if j != i + 1:
        return False
    lo, hi = a.lines[-1].line, b.lines[0].line
    return not any(t.line <= hi and t.end_line >= lo for t in layout.tables) and b.lines[0].order - a.lines[-1].order <= 1


def _sentence(text: str, at: int) -> str:
    b = max(text.rfind(c, 0, at) for c in "。；;")
    e = min([i for i in (text.find(c, at) for c in "。；;") if i >= 0] or [len(text) - 1])
    return text[b + 1:e + 1].strip()


def _pairing(ctx: Context, p, text: str, ends: bool = True, starts: bool = True) -> Iterator[Issue]:
    """Unpaired marks of a paragraph group; ``ends``/``starts`` False: the group may go on past its end
    (or begin before its start), so an opening mark at its end (a closing one in its first sentence)
    says nothing."""
    first = min([i for i in (text.find(c) for c in "。；;") if i >= 0] or [len(text)])
    for left, right, name in PAIRS:
        open_at = None
        for i, ch in enumerate(text):
            if ch == left:
                if open_at is not None:
                    yield _pair_issue(ctx, p, text, open_at, f"缺少右{name}")
                open_at = i
            elif ch == right:
                if open_at is None and (starts or i > first):
                    yield _pair_issue(ctx, p, text, i, f"多了一个右{name}")
                open_at = None
        if open_at is not None and ends:
            yield _pair_issue(ctx, p, text, open_at, f"缺少右{name}")
    depth, first_open = 0, None
    for i, ch in enumerate(text):
        if ch in BRACKETS[0]:
            depth += 1
            first_open = i if depth == 1 else first_open
        elif ch in BRACKETS[1]:
            if depth == 0:
                if not LIST_CLOSER_RE.search(text[max(0, i - 4):i]) and (starts or i > first):
                    yield _pair_issue(ctx, p, text, i, "多了一个右括号")
                continue
            depth -= 1
    if depth > 0 and first_open is not None and ends:
        yield _pair_issue(ctx, p, text, first_open, "缺少右括号")


def _pair_issue(ctx: Context, p, text: str, at: int, what: str) -> Issue:
    line, page = _line_of(p, at)
    quote = _sentence(text, at)
    return Issue(f"{_sec(ctx, line)}“{quote[:80]}”，{what}", where(ctx, line, page, quote=quote[:160]))


# --- pages: blank, and text not displayed -------------------------------------------------------


def _pdf_views(ctx: Context):
    memo = ctx.cache.setdefault("text", {})
    if "views" not in memo:
        views = []
        for src in ctx.result.sources or [ctx.result.document]:
            if src.format == "pdf":
                try:
                    views.append((src, read_visibility(src.path)))
                except Exception:  # noqa: BLE001 - a page that cannot be rendered: no visual finding
                    views.append((src, None))
        memo["views"] = views
    return memo["views"]


def _after(ctx: Context, page: int) -> str:
    """"目录后" for a blank page right after the 目录 (how inspectors say it), else ""."""
    return "目录后" if _page_section(ctx, page) == "toc" else ""


@rule("text.blank_page", "warning", "没有多余的空白页（空表页）")
def blank_page(ctx: Context) -> Iterator[Issue]:
    """A page between pages with content that shows nothing (no text, no image)."""
    views = _pdf_views(ctx)
    if views:
        for _src, vis in views:
            if vis is None:
                continue
            content = [p.number for p in vis.pages if not p.blank]
            for p in vis.pages:
                if p.blank and content and content[0] < p.number < content[-1]:
                    what = "空表页（只有表格线，没有内容）" if p.drawn else "空白页"
                    yield Issue(f"{_after(ctx, p.number)}第{p.number}页是一页多余的{what}，建议删除",
                                evidence(page=p.number, section=_page_section(ctx, p.number)))
        return
    if len(ctx.result.sources or []) > 1 or ctx.result.document.format != "text":
        return
    blocks = ctx.result.document.blocks
    used = {b.page for b in blocks}
    if not used:
        return
    for k, b in enumerate(blocks):  # a table goes on over the pages up to the next block's
        if b.kind == "table" and k + 1 < len(blocks):
            used.update(range(b.page, blocks[k + 1].page))
    for page in range(min(used) + 1, max(used)):
        if page not in used:
            yield Issue(f"{_after(ctx, page)}第{page}页是空白页（文本中该页没有任何文字），建议删除",
                        evidence(page=page, section=_page_section(ctx, page)))


def _page_section(ctx: Context, page: int) -> str | None:
    before = [ln for ln in lay(ctx).lines if ln.page < page]
    if not before:
        return "cover"
    s = lay(ctx).section_at(before[-1].line)
    if s is not None and s.id == "toc":
        return "toc"
    return lay(ctx).where(before[-1].line)


@rule("text.hidden_text", "warning", "文字正常显示（无被截去、被遮挡或无法显示的文字）")
def hidden_text(ctx: Context) -> Iterator[Issue]:
    """Lines of the narrative a PDF draws cut through, narrative text in its layer shown nowhere, and
    characters no font maps. Table cells are left alone: a form's cell that clips its text is a matter
    of the form's layout, and a cell's text cannot be placed reliably on its line."""
    prose = set(checklist_registry()["prose_sections"])
    n = 0
    for _src, vis in _pdf_views(ctx):
        if vis is None:
            continue
        for p in vis.pages:
            runs = [(cut, "一行只显示了一部分（被文本框截去）") for cut in p.cut] + \
                [(run, "在文本中有，页面上不显示") for run in p.hidden]
            for text, how in runs:
                line, full = _find_line(ctx, p.number, text)
                sec = lay(ctx).where(line) if line else None
                if sec not in prose or n >= MAX_PER_RULE:
                    continue
                shown = full if how.startswith("一行") else text
                yield Issue(f"{section_name(sec)}中部分文字未正常显示：第{p.number}页“{shown[:60]}”{how}",
                            where(ctx, line, p.number, quote=shown[:160]))
                n += 1
    n = 0
    for b in ctx.result.document.blocks:
        text = b.text if b.kind == "text" else " ".join(" ".join(r) for r in b.table.rows) if b.table else ""
        bad = unmapped(text)
        if bad:
            quote = re.sub(r"\s+", "", text)[:60]
            yield Issue(f"{_sec(ctx, b.line)}第{b.page}页“{quote}”中有{len(bad)}个无法显示的字符（字体未映射）",
                        where(ctx, b.line, b.page, quote=quote))
            n += 1
            if n >= MAX_PER_RULE:
                return


def _find_line(ctx: Context, page: int, text: str) -> tuple[int | None, str]:
    """The document line of a page that holds ``text`` (its first ideographs), and that line's text."""
    key = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")[:10]
    for ln in lay(ctx).lines:
        if ln.page == page and key and key in "".join(c for c in ln.text if "\u4e00" <= c <= "\u9fff"):
            return ln.line, re.sub(r"\s+", "", ln.text)
    return None, text


# --- sections --------------------------------------------------------------------------------

NARRATIVE_SECTIONS = ("functions", "organisation", "glossary", "notes")


@rule("text.missing_section", "warning", "必备部分齐全（主要职能、机构设置、名词解释、编制说明，及目录所列各部分）")
def missing_section(ctx: Context) -> Iterator[Issue]:
    """Sections every report of its kind has, and sections its own 目录 lists, that the body lacks."""
    if ctx.kind not in ("budget", "final"):
        return
    layout = lay(ctx)
    present = {s.id for s in layout.sections}
    if len(present & set(NARRATIVE_SECTIONS)) < 2:
        return  # a volume of tables alone (its narrative is published apart): nothing to require
    required = list(checklist_registry()["required_sections"].get(ctx.kind, []))
    for sid in layout.toc_listed:
        if sid not in required and sid not in ("tables", "toc"):
            required.append(sid)
    body = "".join(compact(ln.text) for ln in layout.lines if layout.where(ln.line) not in (None, "tables", "toc", "cover"))
    words = {k["id"]: k.get("words") or [] for k in checklist_registry()["sections"]}
    for sid in required:
        if sid in present or any(w in body for w in words.get(sid, [])):
            continue  # there, under a heading of its own or in words that say it
        listed = "（目录中列有此部分）" if sid in layout.toc_listed else ""
        yield Issue(f"缺少“{section_name(sid)}”部分{listed}", evidence(section=sid, missing=sid))


# --- percentages from nothing, "持平" said of a change -----------------------------------------

SAME_CHANGE_RE = re.compile(r"(增加|增长|减少|下降|降低|上升)(?:了|为|至|到)\s*(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)"
                            r"[^。；;]{0,6}?(?:与|比|较|同)(?:上年|上一年|去年|\d{4}年)[^。；;，,]{0,8}?持平")


@rule("text.zero_base", "warning", "增减说明自洽：上年为0时不写增长百分比（如“增长100%”）；“持平”不与增减并称")
def zero_base(ctx: Context) -> Iterator[Issue]:
    """"增长100%" (or any percentage) from a previous year of 0, and a change said to be "持平"."""
    n = 0
    for y in yoy_statements(ctx):
        if y.delta is None or y.current is None or y.pct is None:
            continue
        prior = y.current.value - y.delta
        tol = y.current.half + _half(y.delta_num or "0", y.delta_unit or "万元")
        if abs(prior) <= tol and abs(y.delta) > tol and abs(y.pct - 100.0) <= _pct_half(y.pct_num or "0"):
            yield Issue(f"说明中{y.subject or '该项'}{y.current.printed}，与上年相比“{y.printed}”：上年数为0，"
                        f"增长百分比无从计算，不应写“{y.pct_word}{y.pct_num}%”",
                        where(ctx, y.sentence.line, quote=y.sentence.text[:160]))
            n += 1
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for ch in STATED_CHANGE_RE.finditer(text):
            prior = next((m for m in STATED_PRIOR_RE.finditer(text, 0, ch.start()) if m.group(1) == ch.group(1)), None)
            if prior is not None and abs(_wan(prior.group(2), prior.group(3))) < 1e-9:
                yield Issue(f"说明中“{prior.group(0)}”，却写“{ch.group(0)}”：上年数为0，增长百分比无从计算",
                            where(ctx, s.line, quote=text[:160]))
                n += 1
        for m in SAME_CHANGE_RE.finditer(text):
            quote = _clause(text, m.start(), m.end())
            yield Issue(f"说明中“{quote}”：既写{m.group(1)}又写持平，前后矛盾", where(ctx, s.line, quote=quote))
            n += 1
        if n >= MAX_PER_RULE:
            return


# --- finals: the 三公 items and counts --------------------------------------------------------


def three_public_text(ctx: Context) -> list[tuple[int, str]]:
    """The narrative sentences about the 三公 expenses (their lines and texts)."""
    words = [w for it in checklist_registry()["three_public"]["items"].values() for w in it["words"]]
    pat = re.compile("|".join(words) + "|三公")
    out = []
    for s in ctx.result.narrative.sentences:
        t = text_of(s).replace("（", "(").replace("）", ")")
        if pat.search(t):
            out.append((s.line, t))
    return out


def _three_public_table(ctx: Context) -> bool:
    """Whether a 三公 table with figures is published (it prints each item as a row or a column)."""
    t = ctx.table("three_public")
    return t is not None and not t.empty and len(t.frame) > 0


def said_items(sents: list[tuple[int, str]]) -> dict[str, str]:
    """Per 三公 item what the narrative says: "amount" (stated), "none" (said not incurred, or 0) or ""."""
    reg = checklist_registry()["three_public"]
    status: dict[str, str] = {}
    for key, it in reg["items"].items():
        pat = re.compile("(?:" + "|".join(it["words"]) + ")")
        said = ""
        for _line, t in sents:
            for m in pat.finditer(t):
                tail = t[m.end():m.end() + 40]
                if re.match(r"[^。；]{0,20}?(?:支出|决算|为|共计|合计)?[^。；]{0,6}?\d[\d,]*(?:\.\d+)?\s*(?:万元|元)", tail):
                    v = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(?:万元|元)", tail)
                    said = "none" if v and float(v.group(1).replace(",", "")) == 0 else "amount"
                elif any(w in tail[:12] or w in t[max(0, m.start() - 8):m.start()] for w in reg["none_words"]):
                    said = said or "none"
            if said == "amount":
                break
        status[key] = said
    return status


def said_counts(status: dict[str, str], sents: list[tuple[int, str]]) -> dict[str, bool]:
    """Per count (团组/人次, 购置数/保有量, 批次/人次): whether the narrative gives it, or need not (its
    items were not incurred)."""
    joined = "。".join(t for _l, t in sents)
    counts: dict[str, bool] = {}
    for key, c in checklist_registry()["three_public"]["counts"].items():
        if all(status.get(i) == "none" for i in c["items"]):
            counts[key] = True
        else:
            counts[key] = all(re.search(p, joined) for p in c["need"])
    return counts


def three_public_status(ctx: Context) -> tuple[dict[str, str], dict[str, bool], list[tuple[int, str]]]:
    """Per 三公 item: "amount", "none", "table" (printed in the 三公 table) or "" (not disclosed); per
    count whether it is given; and the 三公 sentences. A 三公 total of 0 says no item was incurred."""
    reg = checklist_registry()["three_public"]
    sents = three_public_text(ctx)
    total = ctx.result.facts.values.get("three_public_total")
    if total is not None and abs(float(total.value)) < 1e-9:  # "本年度没有财政拨款“三公”经费支出"
        return {key: "none" for key in reg["items"]}, {key: True for key in reg["counts"]}, sents
    status = said_items(sents)
    if _three_public_table(ctx):
        status = {k: v or "table" for k, v in status.items()}
    return status, said_counts(status, sents), sents


@rule("text.three_public", "warning", "决算逐项公开“三公”经费（或说明未发生）及出国团组、人次，公务用车购置数、保有量，公务接待批次、人次")
def three_public(ctx: Context) -> Iterator[Issue]:
    """A final's 三公 items each disclosed or said not to have occurred, and the counts that go with them."""
    if ctx.kind != "final":
        return
    status, counts, sents = three_public_status(ctx)
    if not sents and not any(status.values()):
        return  # no 三公 part read at all (the narrative is in another volume): say nothing
    reg = checklist_registry()["three_public"]
    line = sents[0][0] if sents else 0
    for key, said in status.items():
        if not said:
            yield Issue(f"未公开{reg['items'][key]['name']}的金额，也未说明未发生",
                        where(ctx, line, item=key) if line else evidence(item=key))
    for key, ok in counts.items():
        if not ok:
            yield Issue(f"“三公”经费说明未写{reg['counts'][key]['name']}",
                        where(ctx, line, count=key) if line else evidence(count=key))
