"""The 情况说明 against the tables and against itself: quoted amounts, shares and execution rates,
year-over-year statements (direction words, percentages, parts vs whole), "本单位无…" statements,
"其中" lists, counts of listed items, printed arithmetic and the projects the narrative counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..canonical import CanonicalTable
from ..facts import function_code_for_name
from ..narrative import AMOUNT_RE, COMPARATOR_RE, DIRECTION_RE, DOWN_WORDS, UP_WORDS, Sentence
from ..narrative import subjects_in as _reader_subjects
from ..numbers import decimals
from ..registry import narrative_rules, normalise_label
from ..unit_blocks import names_unit, unit_names
from .base import Context, Issue, Row, evidence, fmt_number, rule
from .tables import basic_total, class_values, economic_class_of, table_is_empty, table_total

PCT_RE = re.compile(r"(-?\d[\d,，]*(?:\.\d+)?)\s*[%％]")
SHARE_RE = re.compile(r"(占比|占)([^，。；;,\d%％]{0,16}?)(-?\d[\d,，]*(?:\.\d+)?)\s*[%％]")
COMPLETION_RE = re.compile(r"完成(?:了)?(?P<which>年初|全年|调整后)?预算(?:数)?的?(-?\d[\d,，]*(?:\.\d+)?)\s*[%％]")
# "年初预算为0万元，全年预算为321.02万元": the budget a completion rate names, by its own word.
NAMED_BUDGET_RE = {w: re.compile(w + r"预算(?:数)?(?:为|是)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")
                   for w in ("年初", "全年", "调整后")}
LIST_MARKER_RE = re.compile(r"其中[:：]?|主要用于(?:以下方面)?[:：]?|主要包括[:：]?|包括[:：]?|具体(?:如下|为)[:：]?")
SAME_RE = re.compile(r"持平|相同|无变化|没有变化|一致")


def _num(s: str) -> float:
    return float(s.replace(",", "").replace("，", ""))


def _wan(num: str, unit: str) -> float:
    v = _num(num)
    return v / 10000.0 if unit == "元" else v * 10000.0 if unit == "亿元" else v


def _half(num: str, unit: str = "万元") -> float:
    """Rounding of a narrative amount in 万元: half its last printed digit. A narrative that rounds to
    whole 万元 ("收入预算87万元" for 86.63) says no more than that precision."""
    d = decimals(num)
    if unit == "元":
        return 0.5 * 10 ** -d / 10000.0
    if unit == "亿元":
        return 0.5 * 10 ** -d * 10000.0
    return 0.5 * 10 ** -d


def _pct_half(num: str) -> float:
    return 0.5 * 10 ** -decimals(num)


def text_of(s: Sentence) -> str:
    """A sentence's text without spaces."""
    return s.text.replace(" ", "").replace("\u3000", "")


_NESTED_LIST_RE = re.compile(r"[（(]其中[:：][^（）()]*[)）]")


def mask_nested_lists(text: str) -> str:
    """The text with a parenthesised sub-list blanked out, positions kept ("财政拨款收入6,378.32万元（其中：
    一般公共预算…0万元），占99.50%": the share and the outer list are about what stands before it)."""
    return _NESTED_LIST_RE.sub(lambda m: "·" * len(m.group(0)), text)


@dataclass
class Amount:
    start: int
    end: int
    num: str
    unit: str

    @property
    def value(self) -> float:
        return _wan(self.num, self.unit)

    @property
    def half(self) -> float:
        return _half(self.num, self.unit)

    @property
    def printed(self) -> str:
        return self.num + self.unit


def amounts(text: str) -> list[Amount]:
    """Amounts (with 万元/元/亿元) in a text, thresholds such as 100万元以上 left out."""
    out = []
    for m in AMOUNT_RE.finditer(text):
        # "单价100万元(含)以上设备" is a threshold, not an amount
        if re.match(r"[(（]?含[)）]?以上|以上", text[m.end():m.end() + 4]):
            continue
        out.append(Amount(m.start(), m.end(), m.group(1), m.group(2)))
    return out


# --- subjects (registry/narrative.yaml) ---------------------------------------------------------


def subjects_in(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, key) of the narrative registry's subject words in the normalised text
    (the reader's own matcher: longest first, no overlaps)."""
    return _reader_subjects(normalise_label(text))


def table_fact(ctx: Context, key: str | None) -> tuple[float, dict] | None:
    """A fact the tables print (value, provenance), or None when only the narrative states it."""
    if not key:
        return None
    fv = ctx.result.facts.values.get(key)
    if fv is None or fv.source not in ("table", "derived"):
        return None
    return float(fv.value), {"table": fv.table, "row": fv.row, "line": fv.line}


# --- year-over-year statements ------------------------------------------------------------------


@dataclass
class YoY:
    """One "比上年增加X万元，增长Y%" statement, with the current figure it is measured from."""

    sentence: Sentence
    subject: str
    amount_word: str | None
    delta_num: str | None
    delta_unit: str | None
    pct_word: str | None
    pct_num: str | None
    current: Amount | None
    current_line: int | None = None

    @property
    def delta(self) -> float | None:
        if self.delta_num is None:
            return None
        v = _wan(self.delta_num, self.delta_unit or "万元")
        return -v if self.amount_word in DOWN_WORDS else v

    @property
    def pct(self) -> float | None:
        return None if self.pct_num is None else _num(self.pct_num)

    @property
    def printed(self) -> str:
        parts = []
        if self.amount_word:
            parts.append(f"{self.amount_word}{self.delta_num}{self.delta_unit}")
        if self.pct_word:
            parts.append(f"{self.pct_word}{self.pct_num}%")
        return "，".join(parts)

    @property
    def prior(self) -> float | None:
        if self.current is None or self.delta is None:
            return None
        return self.current.value - self.delta


def _clause_start(text: str, at: int) -> int:
    m = max(text.rfind(c, 0, at) for c in "，,；;。：:")
    return m + 1


# An amount after one of these words is a change, not the figure ("一般公共预算收入减少76.46万元").
CHANGE_WORD_RE = re.compile(r"[增减]|下降|降低|提高|上升")


def _lookup_current(ctx: Context, sentences: list[Sentence], idx: int, subject: str, before: str) -> tuple[Amount | None, int | None]:
    """The amount a subject was stated with: earlier in this sentence, else in the previous sentences
    under the same heading (exact words, then without 决算/预算, then a shorter tail of the subject)."""
    if len(subject) < 2:
        return None, None
    variants = [subject]
    stripped = re.sub(r"决算|年度|^\d{4}年", "", subject)
    if stripped != subject and len(stripped) >= 2:
        variants.append(stripped)
    for k in range(len(stripped) - 1, 3, -1):
        variants.append(stripped[-k:])
    heading = sentences[idx].heading
    texts = [(before, sentences[idx].line)]
    for j in range(idx - 1, max(-1, idx - 8), -1):
        if sentences[j].heading != heading:
            break
        texts.append((text_of(sentences[j]), sentences[j].line))
    actual = "决算" in subject
    for v in variants:
        pat = re.compile(re.escape(normalise_label(v)) + r"([^，。；;\d%％]{0,6}?)(-?\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|元)")
        for t, line in texts:
            t = normalise_label(t)
            hits = list(pat.finditer(t)) or list(pat.finditer(t.replace("决算", "")))
            hits = [m for m in hits if not (actual and "预算" in m.group(1)) and not CHANGE_WORD_RE.search(m.group(1))]
            if hits:
                m = hits[-1]
                return Amount(m.start(2), m.end(3), m.group(2), m.group(3)), line
            if actual and v == variants[-1] and re.search(re.escape(normalise_label(stripped)), t):
                # "…支出全年预算1.26万元，支出决算0.97万元": the 决算 figure stated next to the subject
                m2 = list(re.finditer(r"决算(?:数)?(?:为)?(-?\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|元)", t))
                if m2:
                    m = m2[-1]
                    return Amount(m.start(1), m.end(2), m.group(1), m.group(2)), line
    return None, None


def yoy_statements(ctx: Context) -> list[YoY]:
    """Every year-over-year statement of the narrative (one per subject, several per sentence)."""
    memo = ctx.cache.setdefault("narrative", {})
    if "yoy" not in memo:
        memo["yoy"] = _yoy_statements(ctx)
    return memo["yoy"]


def _yoy_statements(ctx: Context) -> list[YoY]:
    sents = ctx.result.narrative.sentences
    out: list[YoY] = []
    for idx, s in enumerate(sents):
        text = text_of(s)
        comps: list = list(COMPARATOR_RE.finditer(text))
        prev = text_of(sents[idx - 1]) if idx > 0 else ""
        if not comps and idx > 0 and sents[idx - 1].heading == s.heading and prev.endswith(("；", ";")) \
                and COMPARATOR_RE.search(prev) and (d0 := DIRECTION_RE.search(text[:40])) is not None \
                and not re.search(r"[，,。；;]", text[:d0.start()]):
            comps = [_Start()]  # "…；财政拨款支出总计减少601.12万元，下降36.78%。" continues the comparison
        for ci, comp in enumerate(comps):
            seg_end = comps[ci + 1].start() if ci + 1 < len(comps) else len(text)
            rest = text[comp.end():seg_end]
            why = re.search(r"主要原因|原因是|原因为|主要是|主要用于", rest)
            rest = rest[:why.start()] if why else rest  # explanations carry other figures
            stmts: list[dict] = []
            for d in DIRECTION_RE.finditer(rest):
                if re.search(r"[，,；;。]", rest[:d.start()]) and not stmts and d.start() > 40:
                    break
                is_pct = d.group(3) in ("%", "％")
                cur = stmts[-1] if stmts else None
                adjacent = cur is not None and cur["amt"] is not None and \
                    len(rest[cur["amt"].end():d.start()]) <= 4 and not re.search(r"[。；;]", rest[cur["amt"].end():d.start()])
                if is_pct and cur is not None and cur["pct"] is None and adjacent:
                    cur["pct"] = d
                else:
                    stmts.append({"amt": None if is_pct else d, "pct": d if is_pct else None,
                                  "at": comp.end() + d.start()})
            for st in stmts:
                at = st["at"]
                cs = max(_clause_start(text, at), comp.end() if comp.end() <= at else 0)
                subject = re.sub(r"^[^\u4e00-\u9fff“\"]+|^相比|^比较", "", text[cs:at])
                if COMPARATOR_RE.search(subject) or subject in ("相比", "比较"):
                    subject = ""
                current, line = None, None
                a, p = st["amt"], st["pct"]
                after_base = bool(BASE_UNIT_RE.match(subject))
                if after_base:
                    # "比2025年执行数483,923.17万元增加11,913.03万元": what stands before the direction
                    # is the base's amount, not a subject; take the statement as the reader resolved it.
                    subject, current, line = _reader_statement(ctx, s, a)
                elif subject:
                    current, line = _lookup_current(ctx, sents, idx, subject, text[:cs])
                else:
                    current, line = _current_before(text, comp.start()), s.line
                    head = _sentence_head(ctx, sents, idx, text, comp.start())
                    if head is not None:
                        current, line = head
                if current is None and idx > 0 and a is not None and not after_base:
                    # "项目支出预算数为4335.3万元。与上年相比减少了1237.7万元": the subject and its figure
                    # are the previous sentence's (as the narrative reader resolved them).
                    current, line = _previous_subject_amount(ctx, sents[idx - 1], s, a.group(2) + a.group(3))
                out.append(YoY(sentence=s, subject=subject, amount_word=a.group(1) if a else None,
                               delta_num=a.group(2) if a else None, delta_unit=a.group(3) if a else None,
                               pct_word=p.group(1) if p else None, pct_num=p.group(2) if p else None,
                               current=current, current_line=line))
    return out


BASE_UNIT_RE = re.compile(r"^(?:万元|元|亿元|万)$")


def _reader_statement(ctx: Context, s: Sentence, a: re.Match | None) -> tuple[str, Amount | None, int | None]:
    """The subject and current figure the narrative reader found for this change of this sentence,
    if that figure is printed in the sentence; else no current figure (the statement is not checked)."""
    if a is None:
        return "", None, None
    printed = a.group(2) + a.group(3)
    change = next((c for c in ctx.result.narrative.changes if c.line == s.line and c.sentence == s.text
                   and c.printed_delta == printed and c.current is not None), None)
    if change is None:
        return "", None, None
    hit = [x for x in amounts(text_of(s)) if abs(x.value - change.current) < 1e-6]
    return (change.subject, hit[0], s.line) if hit else ("", None, None)


def _previous_subject_amount(ctx: Context, prev: Sentence, s: Sentence, printed_delta: str
                             ) -> tuple[Amount | None, int | None]:
    if prev.heading != s.heading:
        return None, None
    change = next((c for c in ctx.result.narrative.changes if c.line == s.line and c.sentence == s.text
                   and c.printed_delta == printed_delta and c.current is not None), None)
    if change is not None:
        hit = [x for x in amounts(text_of(prev)) if abs(x.value - change.current) < 1e-6]
        return (hit[-1], prev.line) if hit else (None, None)
    # "3．住房保障（类）支出3894.09万元，主要用于…。与上年相比增加878.93万元": a 类/项 the previous
    # sentence opens with, and its one figure.
    text = text_of(prev)
    found = amounts(text)
    opens = any(line == prev.line and heading == prev.heading
                for _code, _v, line, heading in ctx.result.narrative.class_mentions) \
        or ITEM_MENTION_RE.search(text[:80]) or JOINED_ITEM_RE.search(text[:80])
    if not opens or len(found) != 1:
        return None, None
    return found[0], prev.line


class _Start:
    """A comparator carried over from the previous sentence: the comparison starts at 0."""

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return 0


def _current_before(text: str, at: int) -> Amount | None:
    am = [a for a in amounts(text[:at])]
    return am[-1] if am else None


def _sentence_head(ctx: Context, sents: list[Sentence], idx: int, text: str, comp_at: int) -> tuple[Amount, int] | None:
    """"A总计X，其中：B…，C…，比上年…" is about A: the amount before 其中 when ≥2 amounts are listed after it."""
    qz = text.find("其中")
    if qz < 0 or qz > comp_at:
        return None
    listed = [a for a in amounts(text) if qz < a.start < comp_at]
    head = [a for a in amounts(text) if a.end <= qz]
    if len(listed) >= 2 and head:
        return head[-1], sents[idx].line
    return None


def _direction(word: str | None) -> int:
    if word in UP_WORDS:
        return 1
    if word in DOWN_WORDS:
        return -1
    return 0


@rule("narrative.direction", "error", "同一增减说明中金额方向词（增加/减少）与百分比方向词（增长/下降）一致")
def direction(ctx: Context) -> Iterator[Issue]:
    """增加/减少 and 增长/下降 of one statement must point the same way."""
    for y in yoy_statements(ctx):
        da, dp = _direction(y.amount_word), _direction(y.pct_word)
        if not da or not dp or da == dp:
            continue
        zero = (y.delta is not None and abs(y.delta) < 1e-9) and (y.pct is not None and abs(y.pct) < 1e-9)
        subj = y.subject or "该项"
        msg = f"说明中{subj}与上年相比“{y.printed}”，“{y.amount_word}”与“{y.pct_word}”方向矛盾"
        yield Issue(msg, evidence(rows=[subj], values=[abs(y.delta or 0.0), y.pct or 0.0], lines=[y.sentence.line],
                                  text=y.sentence.text[:160]), "info" if zero else None)


SELF_COMPARE_RE = re.compile(r"(?:比|较|与)(20\d{2})年度?(预算|决算)(?:执行数|数)?")


@rule("narrative.comparison_year", "warning", "说明中“比上年”的比较年度不是本年：预算与上一年度比较")
def comparison_year(ctx: Context) -> Iterator[Issue]:
    """"2026年…比2026年预算增加793.14万元" in a 2026 budget compares the year with itself: the
    comparison year is misprinted (a final may compare its 决算 with the same year's 预算)."""
    year = ctx.result.recognition.year if ctx.result.recognition else None
    if not year or ctx.kind not in ("budget", "final"):
        return
    said: list[tuple[str, Sentence]] = []
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for m in SELF_COMPARE_RE.finditer(text):
            if int(m.group(1)) != year or (ctx.kind == "final" and m.group(2) == "预算"):
                continue
            said.append((re.split(r"[，,；;。]", text[m.start():])[0], s))
    if not said:
        return
    # One finding for the document: the same slip repeated is one problem, counted.
    kinds = "预算" if ctx.kind == "budget" else "决算"
    examples = "、".join(dict.fromkeys(f"“{w}”" for w, _s in said))
    count = f"{len(said)}处" if len(said) > 1 else ""
    yield Issue(f"{year}年{kinds}的说明中{count}写{examples}，是与本年比较，比较年度应为{year - 1}年",
                evidence(values=[year, year], lines=[s.line for _w, s in said], text=said[0][1].text[:160],
                         count=len(said)))


# A printed percentage off by at most this many points beyond what its amounts' rounding allows is
# an intermediate rounding (or shares nudged to add up to 100%): info. Beyond it, an arithmetic slip.
SLIP_POINTS = 0.02


@rule("narrative.percent", "error", "说明中的百分比与其金额一致：增减幅度 = 增减额/上年数，占比 = 金额/基数，完成率 = 执行数/预算数")
def percent(ctx: Context) -> Iterator[Issue]:
    """Printed percentages vs their amounts: year-over-year changes, shares (占比) and 完成预算的%."""
    yield from _yoy_percent(ctx)
    yield from _shares(ctx)
    yield from _completion(ctx)


def _yoy_percent(ctx: Context) -> Iterator[Issue]:
    for y in yoy_statements(ctx):
        if y.delta is None or y.current is None:
            continue
        cur, delta, pct = y.current.value, y.delta, y.pct
        hc, hd, hp = y.current.half, _half(y.delta_num or "0", y.delta_unit or "万元"), _pct_half(y.pct_num or "0")
        prior = cur - delta
        subj = y.subject or "该项"
        base = (f"说明中{subj}{y.current.printed}，与上年相比“{y.printed}”")
        ev = evidence(rows=[subj], values=[cur, delta, *([pct] if pct is not None else [])],
                      lines=[y.sentence.line, y.current_line], text=y.sentence.text[:160])
        if pct is None:
            # No percentage to check, but an increase larger than the figure itself leaves a negative
            # previous year ("政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元").
            if prior < -(hc + hd) - 1e-9:
                yield Issue(f"{base}，推算上年数为{fmt_number(prior)}万元（负数），数额矛盾", ev)
            continue
        if prior <= hc + hd + 1e-9:
            # From nothing (上年为0): "增长100%" is the usual way to say it.
            if prior < -(hc + hd) - 1e-9:
                yield Issue(f"{base}，推算上年数为{fmt_number(prior)}万元（负数），数额矛盾", ev)
            elif abs(delta) > 1e-9 and abs(pct - 100.0) > hp and abs(pct) > hp:
                yield Issue(f"{base}，上年数为0，增长幅度不应为{y.pct_num}%", ev, "warning")
            continue
        lo = (abs(delta) - hd) / (prior + hc + hd) * 100.0
        hi = (abs(delta) + hd) / max(prior - hc - hd, 1e-9) * 100.0
        if lo - hp - 1e-9 <= pct <= hi + hp + 1e-9:
            continue
        expected = abs(delta) / prior * 100.0
        gap = min(abs(pct - lo), abs(pct - hi))
        sev = "info" if gap <= SLIP_POINTS else None
        ev["values"] = [*ev["values"], round(prior, 6), round(expected, 2)]  # the previous year and the right rate
        yield Issue(f"{base}，推算上年数{fmt_number(prior)}万元，增减幅度应为{expected:.2f}%，而非{y.pct_num}%", ev, sev)


def _parent_amount(ctx: Context, sents: list[Sentence], idx: int, text: str, at: int) -> tuple[Amount, int, bool] | None:
    """The whole a share is a share of: the amount before a list marker (其中/主要用于/包括) in this sentence,
    else in the nearest earlier sentence under the same heading. (amount, line, same_sentence)."""
    for m in reversed(list(LIST_MARKER_RE.finditer(text[:at]))):
        before = [a for a in amounts(text[:m.start()])]
        if before:
            return before[-1], sents[idx].line, True
    heading = sents[idx].heading
    for j in range(idx - 1, max(-1, idx - 12), -1):
        if sents[j].heading != heading:
            break
        t = text_of(sents[j])
        for m in reversed(list(LIST_MARKER_RE.finditer(t))):
            before = [a for a in amounts(t[:m.start()])]
            if before:
                return before[-1], sents[j].line, False
    return None


def _heading_base(ctx: Context, heading: str) -> tuple[float, str] | None:
    for _s, _e, word, key in subjects_in(heading):
        tf = table_fact(ctx, key)
        if tf is not None:
            return tf[0], word
    return None


def _shares(ctx: Context) -> Iterator[Issue]:
    sents = ctx.result.narrative.sentences
    for idx, s in enumerate(sents):
        text = mask_nested_lists(text_of(s))
        for m in SHARE_RE.finditer(text):
            if COMPARATOR_RE.search(text[max(0, m.start() - 6):m.start()]):
                continue
            before = [a for a in amounts(text[:m.start()])]
            if not before:
                continue
            item = before[-1]
            if re.search(r"[。；;]", text[item.end:m.start()]):
                continue
            pct_num = m.group(3)
            pct = _num(pct_num)
            base_words = re.sub(r"的$", "", m.group(2))
            base_v: float | None = None
            base_text = ""
            base_half = 0.005
            explicit = False
            if m.group(1) == "占" and base_words and base_words != "比":
                subs = subjects_in(base_words)
                if not subs:
                    continue
                key = subs[0][3]
                tf = table_fact(ctx, key)
                if tf is None:
                    mention = next((x for x in ctx.result.narrative.mentions if x.key == key), None)
                    if mention is None:
                        continue
                    base_v, base_text = mention.value, f"{base_words}{mention.printed}"
                else:
                    base_v, base_text = tf[0], f"{base_words}{fmt_number(tf[0])}万元"
                explicit = True
            else:
                parent = _parent_amount(ctx, sents, idx, text, item.start)
                if parent is not None:
                    base_v, base_text, base_half = parent[0].value, parent[0].printed, parent[0].half
                    explicit = parent[2]
                else:
                    hb = _heading_base(ctx, s.heading)
                    if hb is None:
                        continue
                    base_v, base_text = hb[0], f"{hb[1]}{fmt_number(hb[0])}万元"
            if base_v is None or base_v <= 0 or (item.value >= base_v - 1e-9 and pct < 100.0 - 0.5) \
                    or (item.value == base_v and abs(pct - 100.0) <= 0.5):
                continue  # a part cannot exceed its whole: the base was not identified
            if _nearby_base(sents, idx, item, pct_num):
                continue  # the share is right against another whole stated nearby: the base is ambiguous
            yield from _ratio_issue(ctx, s, item.value, item.half, item.printed, base_v, base_half, base_text,
                                    pct, pct_num, "占比", explicit)


def _nearby_base(sents: list[Sentence], idx: int, item: Amount, pct_num: str) -> bool:
    """Whether some amount stated in this sentence or the previous ones under the same heading — or
    the sum of the items this sentence gives shares for — makes the printed share right (within the
    rounding of both figures and the percentage)."""
    pct, hp = _num(pct_num), _pct_half(pct_num)
    if pct <= 0:
        return False
    heading = sents[idx].heading
    run = [idx]  # the neighbouring sentences that give shares too ("A占x%；B占y%；C占z%")
    for step in (-1, 1):
        j = idx + step
        while 0 <= j < len(sents) and sents[j].heading == heading and SHARE_RE.search(text_of(sents[j])):
            run.append(j)
            j += step
    shared = []
    for j in run:
        t = text_of(sents[j])
        shared += [a for a in amounts(t) if re.match(r"[，,]?占", t[a.end:a.end + 2])]
    if len(shared) >= 2:
        total = sum(a.value for a in shared)
        candidates = [Amount(0, 0, fmt_number(total), "万元")]
    else:
        candidates = []
    for j in range(idx, max(-1, idx - 10), -1):
        if sents[j].heading != heading:
            break
        candidates += amounts(text_of(sents[j]))
    for b in candidates:
        if b.value <= item.value * 0.999 or b.value <= 0:
            continue
        lo = max(item.value - item.half, 0.0) / (b.value + b.half) * 100.0
        hi = (item.value + item.half) / max(b.value - b.half, 1e-9) * 100.0
        if lo - hp - 1e-9 <= pct <= hi + hp + 1e-9:
            return True
    return False


def _ratio_issue(ctx: Context, s: Sentence, v: float, hv: float, v_text: str, b: float, hb: float, b_text: str,
                 pct: float, pct_num: str, what: str, explicit: bool) -> Iterator[Issue]:
    hp = _pct_half(pct_num)
    lo = max(v - hv, 0.0) / (b + hb) * 100.0
    hi = (v + hv) / max(b - hb, 1e-9) * 100.0
    if lo - hp - 1e-9 <= pct <= hi + hp + 1e-9:
        return
    expected = v / b * 100.0
    gap = min(abs(pct - lo), abs(pct - hi))
    sev = "info" if gap <= SLIP_POINTS else ("error" if explicit else "warning")
    note = "，差异微小，可能为使各项合计100%而调整" if sev == "info" else ""
    yield Issue(f"说明中{v_text}{what}{pct_num}%，按{v_text}/{b_text}计算应为{expected:.2f}%{note}",
                evidence(values=[v, b, pct, round(expected, 4)], lines=[s.line], text=s.text[:160]), sev)


def _completion(ctx: Context) -> Iterator[Issue]:
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for m in COMPLETION_RE.finditer(text):
            before = [a for a in amounts(text[:m.start()])]
            if len(before) < 2:
                continue
            budget, actual = before[-2], before[-1]
            named = NAMED_BUDGET_RE[m.group("which")].search(text, 0, m.start()) if m.group("which") else None
            if named is not None:
                budget = next((a for a in before if a.start == named.start(1)), budget)
            pct_num = m.group(2)
            what = f"完成{m.group('which') or ''}预算的"
            if budget.value <= 0:
                if named is not None and abs(_num(pct_num)) > 1e-9 and actual.value > 0:
                    yield Issue(f"说明中{m.group('which')}预算为{budget.printed}，无法计算“{what}{pct_num}%”",
                                evidence(values=[budget.value, actual.value, _num(pct_num)], lines=[s.line],
                                         text=s.text[:160]))
                continue
            yield from _ratio_issue(ctx, s, actual.value, actual.half, actual.printed, budget.value, budget.half,
                                    budget.printed, _num(pct_num), pct_num, what, True)


# --- amounts quoted from the tables ----------------------------------------------------------------

QUALIFIER_RE = re.compile(r"上年|去年|年初预算|全年预算|预算数|调整|上一年")


def _mention_context(m_sentence: str, printed: str, key: str) -> tuple[str, str] | None:
    """(subject word, text between subject and amount) of a mention, recomputed from its sentence."""
    text = normalise_label(m_sentence)
    num = normalise_label(printed)
    for hit in re.finditer(re.escape(num), text):
        subs = [x for x in subjects_in(text[:hit.start()]) if x[3] == key]
        if subs:
            w = subs[-1]
            return w[2], text[w[1]:hit.start()]
    return None


@rule("narrative.amount_mismatch", "error", "说明中引用的金额与表中数一致")
def amount_mismatch(ctx: Context) -> Iterator[Issue]:
    """Narrative figures that restate a table figure (facts, 类 totals, 三公 items, totals) but differ."""
    nar = ctx.result.narrative
    by_key: dict[str, list] = {}
    for m in nar.mentions:
        tf = table_fact(ctx, m.key)
        if tf is None or _summed_fact(ctx, m.key):
            continue
        ctx_ = _mention_context(m.sentence, m.printed, m.key)
        word, between = ctx_ if ctx_ else ("", "")
        qualified = QUALIFIER_RE.search(between)
        if ctx.kind == "budget" and qualified and re.fullmatch(r"预算数?(?:为|是)?", between):
            qualified = None  # a budget's "基本支出预算数为X" is its own figure
        if qualified or LIST_MARKER_RE.search(between) or re.search(r"[，,；;]", between) or (
                ctx.kind == "final" and "预算" in between and "决算" not in between):
            continue  # a budget/prior-year figure, or the first item of a list the subject introduces
        whole = _list_whole(m.sentence, m.printed)
        if whole is not None and tf[0] > whole + 0.01:
            continue  # a part of a smaller whole ("涉及资金93.398万元，其中…项目支出29.83万元"): another scope
        if re.search(r"项目", between) and m.key != "project_expenditure":
            continue  # "上年结转项目196.50万元": the projects carried over, not the fact
        if _part_of_item(ctx, m):
            continue  # an item's breakdown ("…项目10,289.74万元，主要包括：…上年结转122.31万元")
        by_key.setdefault(m.key, []).append((m, word, between, tf))
    headings = {s.line: s.heading for s in nar.sentences}
    units = _unit_names(ctx)
    for key, items in by_key.items():
        for m, word, _between, (tv, prov) in items:
            if _breakdown_of(ctx, word, tv) or names_unit(headings.get(m.line, ""), units):
                continue  # parts of the figure, or a section about one of the department's units
            num, unit = _split_printed(m.printed)
            tol = _stated_precision(num, unit) + 0.005
            if abs(m.value - tv) <= tol + 1e-9:
                continue
            alternatives = [_loose_figure(ctx, k) for k in _loose_subjects().get(normalise_label(word), ())]
            if any(a is not None and abs(m.value - a) <= tol + 1e-9 for a in alternatives):
                continue  # "部门预算收入" stated as the 收入总计, a fund's revenue as all it spends (with the carry-over)
            same = [x for x in items if x[0] is not m and x[1] == word
                    and headings.get(x[0].line) == headings.get(m.line) and abs(x[0].value - tv) <= 0.0051 + _half("0")]
            if same:
                continue  # a breakdown of the same subject next to the matching figure
            tname = _table_label(ctx, prov.get("table"))
            yield Issue(f"说明中{word or key}{m.printed}，{tname}中为{fmt_number(tv)}万元，相差{fmt_number(abs(m.value - tv))}万元",
                        evidence(tables=[prov.get("table")], rows=[prov.get("row"), word], values=[m.value, tv],
                                 lines=[m.line, prov.get("line")], key=key, text=m.sentence[:160]))
    yield from _class_mentions(ctx)
    yield from _performance_mentions(ctx)
    yield from _project_mentions(ctx)
    yield from _scoped_total_mentions(ctx)
    yield from _economic_mentions(ctx)
    yield from _item_mentions(ctx)
    yield from _three_public_mentions(ctx)


def _summed_fact(ctx: Context, key: str) -> bool:
    """A fact no table prints, summed from economic classes (人员经费 = 301 + 303): the narrative's own
    split may differ (Shenzhen's 公用经费 counts a part of 303) without any printed figure contradicting
    another, so it is not quoted against the narrative."""
    fv = ctx.result.facts.values.get(key)
    return fv is not None and fv.summed


def _loose_figure(ctx: Context, key: str) -> float | None:
    """A figure a loose subject word may name: a fact, or (``table:<kind>``) a table's 合计."""
    if key.startswith("table:"):
        t = ctx.table(key.split(":", 1)[1])
        return None if t is None or table_is_empty(t) else table_total(ctx, t)[0]
    tf = table_fact(ctx, key)
    return tf[0] if tf else None


def _unit_names(ctx: Context) -> list[str]:
    """The department's units, as its tables printed by unit name them (unit_blocks)."""
    return unit_names(ctx.statement_tables())


def _breakdown_of(ctx: Context, word: str, table_value: float) -> bool:
    """Several amounts stated for one subject word that together make the table's figure are its parts
    (each project's 上年结转 66.73 + 122.31 + 564.09 = the 753.13 the table prints), not contradictions."""
    if not word:
        return False
    pat = re.compile(re.escape(normalise_label(word)) + r"(?:为|是|共)?(-?\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|元)")
    parts = [(m.group(1), m.group(2)) for s in ctx.result.narrative.sentences
             for m in pat.finditer(normalise_label(text_of(s)))]
    if len(parts) < 2:
        return False
    tol = sum(_stated_precision(num, unit) + 0.005 for num, unit in parts)
    return abs(sum(_wan(num, unit) for num, unit in parts) - table_value) <= tol + 1e-9


def _split_printed(printed: str) -> tuple[str, str]:
    unit = re.sub(r"^[\d,，.\-]+", "", printed) or "万元"
    return printed[: len(printed) - len(unit)], unit


def _stated_precision(num: str, unit: str) -> float:
    """How far a narrative amount may be from the table's figure it restates: half its last digit, and
    a whole unit of it when it is coarser than the tables' 0.01万元 (rounded or cut off: "1,237万元"
    for 1,237.67)."""
    coarse = _half(num, unit) > 0.0051
    return 2 * _half(num, unit) if coarse else _half(num, unit)


@lru_cache(maxsize=1)
def _loose_subjects() -> dict[str, tuple[str, ...]]:
    """Subject word → the other facts it may name (registry/narrative.yaml ``loose_subjects``)."""
    return {normalise_label(w): tuple(keys) for w, keys in narrative_rules().get("loose_subjects", {}).items()}


def _part_of_item(ctx: Context, m) -> bool:
    """Whether a mention sits in the breakdown of an item the document does not print as a total: a
    list (其中/主要包括/包括/主要用于) whose whole — the amount before the list marker, in the sentence or,
    for a sentence that opens with the marker, the previous one — is no fact of the document (a
    project, a 类 "科目83万元，主要用于人员经费18万元"). A document figure's breakdown is kept."""
    text = normalise_label(m.sentence)
    pos = text.find(normalise_label(m.printed))
    if pos < 0:
        return False
    markers = [x for x in LIST_MARKER_RE.finditer(text, 0, pos)]
    if not markers:
        return False
    mk = markers[-1]
    head = amounts(text[:mk.start()])
    whole = head[-1] if head else None
    if whole is None and not text[:mk.start()].strip("，,：: "):
        sents = ctx.result.narrative.sentences
        idx = next((i for i, s in enumerate(sents) if s.line == m.line and s.text == m.sentence), None)
        if idx and sents[idx - 1].heading == sents[idx].heading:
            prev = amounts(normalise_label(sents[idx - 1].text))
            whole = prev[-1] if prev else None
    if whole is None:
        return False
    tol = _half(whole.num, whole.unit) + 0.005 + 1e-9
    doc_figures = [float(fv.value) for fv in ctx.result.facts.values.values()
                   if isinstance(fv.value, int | float) and not isinstance(fv.value, bool)]
    return not any(abs(whole.value - v) <= tol for v in doc_figures)


def _list_whole(sentence: str, printed: str) -> float | None:
    """When an amount sits in a "其中" list, the list's whole (the last amount before 其中)."""
    text = normalise_label(sentence)
    pos = text.find(normalise_label(printed))
    if pos < 0:
        return None
    q = text.rfind("其中", 0, pos)
    if q < 0:
        return None
    head = amounts(text[:q])
    return head[-1].value if head else None


def _table_label(ctx: Context, table_id: str | None) -> str:
    t = ctx.table(table_id) if table_id else None
    return ctx.table_name(t) if t is not None else "表"


CLASS_MENTION_RE = re.compile(r"([\u4e00-\u9fff]{2,16}?支出)([(（]类[)）])?[:：]?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")
# Classes whose bare name is also another figure's (一国有资本经营预算支出 a fund's total, 其他支出 an
# economic class): quoted as a class only with （类）.
_CLASS_NEEDS_MARK = {"223", "229", "230"}


def _class_mentions(ctx: Context) -> Iterator[Issue]:
    """"教育支出(类)84.95万元": a function class quoted with its amount, against the tables' class totals."""
    tabs = [ctx.table(i) for i in ("general_budget_expenditure", "expenditure", "income", "gov_fund", "state_capital")]
    sources = [(t, class_values(ctx, t, "total")) for t in tabs if t is not None and not table_is_empty(t)]
    fs = ctx.table("fiscal_summary")
    if fs is not None:
        for m in ("general_budget", "total"):
            sources.append((fs, class_values(ctx, fs, m, side="expenditure")))
    if not sources:
        return
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for m in CLASS_MENTION_RE.finditer(text):
            name = re.sub(r"^(?:[一二三四五六七八九十]+、|\d+[.、]|其中[:：]?)", "", m.group(1))
            code = function_code_for_name(name)
            if code is None or (m.group(2) is None and (code in _CLASS_NEEDS_MARK or function_code_for_name(
                    m.group(1)) is None and not re.match(r"^(?:[一二三四五六七八九十]+、|\d+[.、．]|其中[:：]?)", m.group(1)))):
                continue
            num, unit = m.group(3), m.group(4)
            v = _wan(num, unit)
            found = [(t, cv[code][0]) for t, cv in sources if code in cv]
            if not found:
                continue
            tol = _half(num, unit) + 0.005
            if any(abs(v - x) <= tol + 1e-9 for _, x in found):
                continue
            t0, x0 = found[0]
            yield Issue(f"说明中{code}{name}（类）{num}{unit}，{ctx.table_name(t0)}中该类为{fmt_number(x0)}万元，"
                        f"相差{fmt_number(abs(v - x0))}万元",
                        evidence(tables=[t.id for t, _ in found], rows=[code], values=[v, x0], lines=[s.line],
                                 text=s.text[:160]))


FISCAL_TOTAL_RE = re.compile(r"(财政拨款收支总预算|财政拨款收入总计|财政拨款支出总计|财政拨款收支总计|财政拨款收支总额)"
                             r"(?:为|是|共)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")
GENERAL_BASIC_RE = re.compile(r"((?:一般公共预算)?(?:财政拨款)?(?:安排)?基本支出)(?:为|是|共)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")


def _scoped_total_mentions(ctx: Context) -> Iterator[Issue]:
    """Totals the fact registry leaves out: the 财政拨款 grand total (财政拨款收支总表), and the
    一般公共预算 基本支出 under its own heading (基本支出表 合计)."""
    from .tables import INCOME_ROWS, find_row, side_rows

    checks: list[tuple[re.Pattern, float, str, int | None, str, str]] = []
    fs = ctx.table("fiscal_summary")
    if fs is not None and len(fs.frame):
        g = find_row(side_rows(ctx, fs, "income"), INCOME_ROWS["grand"])
        if g is not None and "total" in g.values:
            checks.append((FISCAL_TOTAL_RE, g.values["total"], ctx.table_name(fs), g.line, fs.id, ""))
    bt = ctx.table("basic_expenditure")
    if bt is not None and not table_is_empty(bt):
        v, tr = basic_total(ctx, bt)
        if v:
            checks.append((GENERAL_BASIC_RE, v, ctx.table_name(bt), tr.line if tr else bt.line, bt.id, "基本支出"))
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for pat, tv, where, tline, tid, heading_word in checks:
            if heading_word and not (heading_word in s.heading and re.search(r"一般公共预算|财政拨款", s.heading)):
                continue
            for m in pat.finditer(text):
                if re.search(r"比|较|增加|减少|上年|其中[:：]?$", text[max(0, m.start() - 4):m.start()]):
                    continue
                if re.search(r"(?:一般公共预算|政府性基金|国有资本经营|项目)(?:预算)?$", text[max(0, m.start() - 8):m.start()]):
                    continue  # one fund's (or the projects') figure, not the total
                v = _wan(m.group(2), m.group(3))
                if abs(v - tv) <= _half(m.group(2), m.group(3)) + 0.005 + 1e-9:
                    continue
                yield Issue(f"说明中{m.group(1)}{m.group(2)}{m.group(3)}，{where}中为{fmt_number(tv)}万元，"
                            f"相差{fmt_number(abs(v - tv))}万元",
                            evidence(tables=[tid], rows=[m.group(1)], values=[v, tv], lines=[s.line, tline],
                                     text=s.text[:160]))
                break


PERF_MENTIONS = [
    (re.compile(r"(?<!上年)(?<!\d{4}年度)(本年(?:度)?预算收入|本年收入预算|年初预算(?:金额|数)?)(?:为|共|是)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元)"),
     ("budget_initial", "budget_adjusted"), "年初预算/调整后预算"),
    (re.compile(r"(?<!\d{4}年度)(?<!项目)(?<!基本)(总支出|支出总额|预算执行(?:金额|数)?)(?:为|共|是)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元)"),
     ("budget_executed",), "预算执行金额"),
]


def _performance_mentions(ctx: Context) -> Iterator[Issue]:
    """绩效自评 prose ("本年预算收入526.64万元") against the form's own header figures."""
    if ctx.kind != "performance":
        return
    facts = ctx.result.facts
    for u in text_units(ctx):
        for pat, keys, what in PERF_MENTIONS:
            for m in pat.finditer(u.text):
                years = {int(y) for y in re.findall(r"(20\d{2})年", u.text[:m.start()])}
                if ctx.result.recognition.year and years - {ctx.result.recognition.year}:
                    continue  # the sentence speaks of another year's figures
                vals = [(k, facts.get(k)) for k in keys if isinstance(facts.get(k), int | float)]
                if not vals:
                    continue
                v = _wan(m.group(2), m.group(3))
                tol = _half(m.group(2), m.group(3)) + 0.005
                if any(abs(v - float(x)) <= tol + 1e-9 for _, x in vals):
                    continue
                shown = "、".join(fmt_number(float(x)) for _, x in vals[:1])
                yield Issue(f"说明中“{m.group(0)}”，自评表表头{what}为{shown}万元，相差{fmt_number(abs(v - float(vals[0][1])))}万元",
                            evidence(values=[v, float(vals[0][1])], lines=[u.line], key=vals[0][0], text=u.text[:160]))


def _project_mentions(ctx: Context) -> Iterator[Issue]:
    """A project named in the text with an amount ("中小企业发展专项35.8万元") against its form."""
    projects = [p for p in ctx.result.projects or [] if isinstance(p, dict) and p.get("name")]
    if not projects:
        return
    keys = ("executed", "budget", "budget_initial")
    reported: set[str] = set()
    patterns = []
    for p in projects:
        name = normalise_label(re.sub(r"^\d{4}年?度?", "", str(p["name"])))
        if len(name) >= 4:
            patterns.append((p, name, re.compile(r"(?<![\u4e00-\u9fff])(?:\d{4}年?度?)?" + re.escape(name) +
                                                 r"(?:项目)?(?:资金|经费)?(?:支出|为|共)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元)")))
    for u in text_units(ctx):
        for p, name, pattern in patterns:
            if name in reported or name not in u.text:
                continue
            for m in pattern.finditer(u.text):
                v = _wan(m.group(1), m.group(2))
                vals = [float(p[k]) for k in keys if isinstance(p.get(k), int | float)]
                if not vals or any(abs(v - x) <= _half(m.group(1), m.group(2)) + 0.0005 + 1e-9 for x in vals):
                    continue
                reported.add(name)
                ex = p.get("executed", p.get("budget"))
                yield Issue(f"说明中“{m.group(0)}”，该项目表中{'全年执行数' if 'executed' in p else '预算数'}为"
                            f"{fmt_number(float(ex), 3).rstrip('0').rstrip('.')}万元",
                            evidence(tables=[p.get("kind")], rows=[p["name"]], values=[v, *vals],
                                     lines=[u.line, p.get("line")], text=u.text[max(0, m.start() - 40):m.end() + 10]))
                break


_ITEM_NAME = r"(?:[\u4e00-\u9fff]|[（(](?![类款项][)）])[\u4e00-\u9fff]{1,4}[)）])"
ITEM_MENTION_RE = re.compile(
    rf"(?:(?P<cls>{_ITEM_NAME}{{2,16}}?)[（(]\d{{0,3}}类[)）])?(?P<kuan>{_ITEM_NAME}{{2,24}}?)[（(]\d{{0,2}}款[)）]"
    rf"(?P<xiang>{_ITEM_NAME}{{2,30}}?)[（(]\d{{0,2}}项[)）][”\"]?(?:支出|预算数?|决算数?|安排|为|[:：])*"
    r"(?P<num>-?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)")
# "人大事务行政运行（项）支出10528.33万元": the 款 and 项 names run together, no （款）.
JOINED_ITEM_RE = re.compile(
    rf"(?P<both>{_ITEM_NAME}{{4,40}}?)[（(]项[)）][”\"]?(?:支出|预算数?|决算数?|安排|为|[:：])*"
    r"(?P<num>-?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)")
_HEADING_CLASS_RE = re.compile(r"([\u4e00-\u9fff]{2,16}?)(?:支出)?[（(]\d{0,3}类[)）]")


def _restated_item_amount(ctx: Context, sents: list[Sentence], idx: int, after: int
                          ) -> tuple[float, str, str, int] | None:
    """The item's own-year figure restated later in its paragraph ("2026年预算安排201.50万元"), up to
    the next item: (万元, printed number, quoted words, line)."""
    year = ctx.result.recognition.year if ctx.result.recognition else None
    if not year or ctx.kind != "budget":
        return None
    pat = re.compile(rf"{year}年度?预算(?:安排|数)?(?:为)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")
    for j in range(idx, min(len(sents), idx + 4)):
        text = text_of(sents[j])
        start = after if j == idx else 0
        nxt = ITEM_MENTION_RE.search(text, start) or JOINED_ITEM_RE.search(text, start)
        m = pat.search(text, start, nxt.start() if nxt else len(text))
        if m:
            return _wan(m.group(1), m.group(2)), m.group(1), m.group(0), sents[j].line
        if nxt or (j > idx and sents[j].heading != sents[idx].heading):
            return None
    return None


def _item_key(name: str) -> str:
    return normalise_label(name).replace("其它", "其他")


def _item_mentions(ctx: Context) -> Iterator[Issue]:
    """"社会工作事务（款）行政运行（项）支出51.32万元": a 项 quoted with its amount, against the row of
    that 款 and 项 (under that 类, named in the sentence or its heading) in the expenditure tables."""
    tables = [t for t in (ctx.table("general_budget_expenditure"), ctx.table("expenditure"))
              if t is not None and not table_is_empty(t)]
    if not tables:
        return
    index: list[tuple[CanonicalTable, dict[tuple[str, str], list[Row]]]] = []
    for t in tables:
        rows = [r for r in ctx.rows(t) if r.code and "total" in r.values]
        kuan = {r.code: _item_key(r.name) for r in rows if len(r.code) == 5}
        by_names: dict[tuple[str, str], list[Row]] = {}
        for r in rows:
            if len(r.code) == 7 and r.code[:5] in kuan:
                by_names.setdefault((kuan[r.code[:5]], _item_key(r.name)), []).append(r)
        index.append((t, by_names))
    sents = ctx.result.narrative.sentences
    for idx, s in enumerate(sents):
        text = text_of(s)
        cls0 = next((x.group(1) for x in _HEADING_CLASS_RE.finditer(s.heading.replace(" ", ""))), None)
        matches = list(ITEM_MENTION_RE.finditer(text)) or list(JOINED_ITEM_RE.finditer(text))
        for m in matches:
            cls = m.groupdict().get("cls") or cls0
            cls_code = (function_code_for_name(cls) or function_code_for_name(f"{cls}支出")) if cls else None
            if "both" in m.groupdict():
                both = _item_key(m.group("both"))
                keys = [k for _, by_names in index for k in by_names if both.endswith(k[0] + k[1])]
                if len(set(keys)) != 1:
                    continue
                key = keys[0]
                said = f"{m.group('both')}（项）"
            else:
                key = (_item_key(m.group("kuan")), _item_key(m.group("xiang")))
                said = f"{m.group('kuan')}（款）{m.group('xiang')}（项）"
            found = []
            for t, by_names in index:
                rows = [r for r in by_names.get(key, []) if cls_code is None or r.code[:3] == cls_code]
                if len({r.code for r in rows}) == 1:
                    found.append((t, rows[0]))
            if not found:
                continue
            v = _wan(m.group("num"), m.group("unit"))
            half = _half(m.group("num"), m.group("unit"))
            restated = _restated_item_amount(ctx, sents, idx, m.end())
            if restated is not None and abs(restated[0] - v) > half + _half(restated[1]) + 1e-9:
                yield Issue(f"说明中{said}{m.group('num')}{m.group('unit')}，其后又写“{restated[2]}”，同一项金额前后不一",
                            evidence(rows=[said], values=[v, restated[0]], lines=[s.line, restated[3]], text=s.text[:160]))
            # A table printed in 元 is exact in 万元: only the narrative's own rounding is allowed.
            gaps = [(abs(v - r.values["total"]), half + (0.0 if t.source_currency == "元" else 0.005), t, r)
                    for t, r in found]
            if any(d <= tol + 1e-9 for d, tol, _, _ in gaps):
                continue
            d0, _tol, t0, r0 = min(gaps, key=lambda g: g[0])
            cut = d0 <= half + 0.005 + 1e-9  # 204.91 for 204.9197: truncated, not rounded
            yield Issue(f"说明中{said}{m.group('num')}{m.group('unit')}，"
                        f"{ctx.table_name(t0)}中{r0.code}{r0.name}为{fmt_number(r0.values['total'], 4 if cut else 2)}万元，"
                        f"相差{fmt_number(d0, 4 if cut else 2)}万元" + ("，超出四舍五入（疑为截尾）" if cut else ""),
                        evidence(tables=[t.id for t, _ in found], rows=[r0.code], values=[v, r0.values["total"]],
                                 lines=[s.line, r0.line], text=s.text[:160]), "warning" if cut else None)


ECON_MENTION_RE = re.compile(r"(工资福利支出|商品和服务支出|对个人和家庭的补助(?:支出)?|资本性支出)[:：]?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")


def _economic_mentions(ctx: Context) -> Iterator[Issue]:
    """Under a heading about 基本支出, "工资福利支出559.93万元" repeats the 基本支出表's class total."""
    t = ctx.table("basic_expenditure")
    if t is None or table_is_empty(t):
        return
    classes: dict[str, float] = {}
    for r in ctx.rows(t):
        code = r.code if r.code and len(r.code) == 3 else economic_class_of(r.name) if not r.code else None
        if code and code not in classes and r.values:
            classes[code] = r.values.get("total", next(iter(r.values.values())))
    for s in ctx.result.narrative.sentences:
        if "基本支出" not in s.heading or "项目支出" in s.heading:
            continue
        text = text_of(s)
        for m in ECON_MENTION_RE.finditer(text):
            if re.search(r"比|较|增加|减少|上年", text[max(0, m.start() - 3):m.start()]):
                continue
            code = economic_class_of(m.group(1))
            if code not in classes:
                continue
            v, tv = _wan(m.group(2), m.group(3)), classes[code]
            if abs(v - tv) <= _half(m.group(2), m.group(3)) + 0.005 + 1e-9:
                continue
            yield Issue(f"说明中{m.group(1)}{m.group(2)}{m.group(3)}，{ctx.table_name(t)}中{code}{m.group(1)}为"
                        f"{fmt_number(tv)}万元，相差{fmt_number(abs(v - tv))}万元",
                        evidence(tables=[t.id], rows=[code], values=[v, tv], lines=[s.line], text=s.text[:160]))


THREE_MENTION_RE = re.compile(
    r"(因公出国[(（]境[)）]费?用?|公务用车购置及运行(?:维护)?费|公务用车购置费?|公务用车运行(?:维护)?费|公务接待费)"
    r"(?:支出|预算|决算|预算数|决算数|为|是|共)*[:：]?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")


def _three_public_mentions(ctx: Context) -> Iterator[Issue]:
    from .cross_table import three_item, three_public_values

    t = ctx.table("three_public")
    if t is None:
        return
    values = three_public_values(ctx, t)
    if values is None:
        return
    reported: set[str] = set()
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for m in THREE_MENTION_RE.finditer(text):
            if re.search(r"上年|预算", text[max(0, m.start() - 4):m.start()]) or "预算" in m.group(0) and ctx.kind == "final":
                continue
            item = three_item(m.group(1))
            if item is None or item not in values or item in reported:
                continue
            v = _wan(m.group(2), m.group(3))
            tv = values[item]
            if abs(v - tv) <= _half(m.group(2), m.group(3)) + 0.005 + 1e-9:
                continue
            reported.add(item)
            yield Issue(f"说明中{m.group(1)}{m.group(2)}{m.group(3)}，{ctx.table_name(t)}中为{fmt_number(tv)}万元，"
                        f"相差{fmt_number(abs(v - tv))}万元",
                        evidence(tables=[t.id], rows=[m.group(1)], values=[v, tv], lines=[s.line], text=s.text[:160]))


# --- "本单位无…" ----------------------------------------------------------------------------------

NONE_RE = re.compile(r"无此项|未安排|没有安排|没有使用|未使用|无(?:相关)?(?:收入|支出)|本(?:单位|部门)无|为空表|无数据")
HEADING_KEYS = [("政府性基金", "gov_fund"), ("国有资本经营", "state_capital"), ("三公", "three_public_total"),
                ("机关运行经费", "office_operation")]


def _none_table_value(ctx: Context, key: str) -> tuple[float, str, int | None] | None:
    if key in ("gov_fund", "state_capital", "gov_fund_revenue"):
        tid = "gov_fund" if key.startswith("gov_fund") else "state_capital"
        t = ctx.table(tid)
        if t is not None and not table_is_empty(t):
            v, tr = table_total(ctx, t)
            if v:
                return v, ctx.table_name(t), tr.line if tr is not None else t.line
        return None
    tf = table_fact(ctx, key)
    if tf is None or not tf[0]:
        return None
    return tf[0], _table_label(ctx, tf[1].get("table")), tf[1].get("line")


@rule("narrative.none_but_table", "error", "说明称“无…”而表中列有金额")
def none_but_table(ctx: Context) -> Iterator[Issue]:
    """“本单位无…/未安排…” while the corresponding table prints an amount."""
    nar = ctx.result.narrative
    claims: dict[str, tuple[int, str]] = {}
    for key, (line, text) in nar.nones.items():
        claims.setdefault(key, (line, text))
    for s in nar.sentences:
        text = text_of(s)
        if not NONE_RE.search(text) or amounts(text) or re.search(r"^\s*注\s*[:：]|本表|此表|表无数据|[表]\s*为?空表|公开\d+表", text):
            continue  # table notes (注：…) speak for their own table (its "empty" flag)
        for word, key in HEADING_KEYS:
            if word in text or (word in s.heading and len(text) <= 30):
                if key in ("three_public_total",) and not re.search(r"无[\"“]?三公|没有安排[^，。]{0,6}三公|三公[^，。]{0,8}(?:无|为空表)", text):
                    continue
                claims.setdefault(key, (s.line, s.text))
    for _key, (line, text) in list(claims.items()):
        # "无“三公”经费和机关运行经费预算": one statement of none about each thing it names.
        m = re.search(r"(?:无|没有)(.{2,30}?)(?:预算|支出|安排|[，,。；;]|$)", normalise_label(text))
        for word, other in HEADING_KEYS:
            if m and word in m.group(1) and other not in claims:
                claims[other] = (line, text)
    by_line: dict[int, list[tuple[str, str, tuple]]] = {}
    for key, (line, text) in claims.items():
        tv = _none_table_value(ctx, key)
        if tv is not None:
            by_line.setdefault(line, []).append((key, text, tv))
    for line, found in by_line.items():
        text = found[0][1]
        per_table: dict[str, list[str]] = {}
        for _k, _t, (v, where, _l) in found:
            per_table.setdefault(where, []).append(f"{fmt_number(v)}万元")
        listed = "，".join(f"{where}中列有{'、'.join(vs)}" for where, vs in per_table.items())
        yield Issue(f"说明称“{text.strip()[:40]}”，但{listed}",
                    evidence(values=[0.0, *(v for _k, _t, (v, _w, _l) in found)],
                             lines=[line, *(tl for _k, _t, (_v, _w, tl) in found)], key=found[0][0], text=text[:160]))


# --- parts of a whole ------------------------------------------------------------------------------

FUND_WORDS = [("一般公共预算", "general"), ("政府性基金", "gov_fund"), ("国有资本经营", "state_capital")]


@rule("narrative.change_parts", "error", "各资金来源的上年数之和不超过财政拨款总计的上年数（由说明的增减额推算）")
def change_parts(ctx: Context) -> Iterator[Issue]:
    """Prior-year figures implied for the funds cannot add up to more than the 财政拨款 total's."""
    stmts = [y for y in yoy_statements(ctx) if y.prior is not None and y.subject]
    for side in ("支出", "收入"):
        whole = next((y for y in stmts if "财政拨款" in y.subject and side in y.subject
                      and re.search(r"总计|合计", y.subject) and not any(w in y.subject for w, _ in FUND_WORDS)), None)
        if whole is None:
            continue
        parts: dict[str, YoY] = {}
        for y in stmts:
            if side not in y.subject:
                continue
            for w, fund in FUND_WORDS:
                if w in y.subject and fund not in parts:
                    parts[fund] = y
        if len(parts) < 2 and not (len(parts) == 1 and len(FUND_WORDS) == 1):
            continue
        total = sum(p.prior or 0.0 for p in parts.values())
        tol = sum(p.current.half + _half(p.delta_num or "0") for p in parts.values() if p.current) + 0.01
        wp = whole.prior or 0.0
        if total > wp + tol or (len(parts) == len(FUND_WORDS) and abs(total - wp) > tol):
            desc = "、".join(f"{p.subject}{fmt_number(p.prior or 0.0)}万元（{p.current.printed if p.current else ''}"
                            f"{'+' if (p.delta or 0) < 0 else '-'}{p.delta_num}{p.delta_unit}）" for p in parts.values())
            yield Issue(f"按说明的增减额推算，上年{desc}之和为{fmt_number(total)}万元，而上年{whole.subject}为"
                        f"{fmt_number(wp)}万元（{whole.printed}），各部分之和{'超过' if total > wp else '不等于'}总计",
                        evidence(rows=[whole.subject, *[p.subject for p in parts.values()]],
                                 values=[wp, total, *[abs(p.delta or 0.0) for p in parts.values()], abs(whole.delta or 0.0)],
                                 lines=[whole.sentence.line, *[p.sentence.line for p in parts.values()]]))


RESTATE_RE = re.compile(r"本年度?(?:预算)?(?:安排|预算数为|预算为)(?:了)?(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)")


@rule("narrative.restated", "error", "同一句中对同一数额的复述一致（如“…259.58万元…本年度安排259.98万元”）")
def restated(ctx: Context) -> Iterator[Issue]:
    """A sentence that restates its own amount (本年度安排X万元) must restate it unchanged."""
    for y in yoy_statements(ctx):
        if y.current is None or y.current_line != y.sentence.line:
            continue
        text = text_of(y.sentence)
        for m in RESTATE_RE.finditer(text):
            if m.start() <= y.current.end:
                continue
            v = _wan(m.group(1), m.group(2))
            if abs(v - y.current.value) <= _half(m.group(1), m.group(2)) + y.current.half + 1e-9:
                continue
            yield Issue(f"说明中同一句先称{y.subject or ''}{y.current.printed}，后称“{m.group(0)}”，前后不一致",
                        evidence(rows=[y.subject], values=[y.current.value, v], lines=[y.sentence.line],
                                 text=y.sentence.text[:160]))


ITEM_RE = re.compile(r"([\u4e00-\u9fff（）()“”\"、]{2,24}?(?:支出)?)(?:为|共|是)?(-?\d[\d,，]*(?:\.\d+)?)(万元|元|亿元)?"
                     r"(?=[，,；;。、）)]|$)")
NESTED_RE = re.compile(r"主要(?:包括|是|用于)|其中")
STOP_LABEL_RE = re.compile(r"增加|减少|增长|下降|占|完成|上年|去年")
# Complete splits of a whole: when a list names exactly these parts, they must add up to it.
PARTITIONS = [(("基本支出", "项目支出"), "支出"), (("人员经费", "公用经费"), "基本支出"),
              (("一般公共预算", "政府性基金", "国有资本经营"), "财政拨款"),
              (("货物", "工程", "服务"), "采购"), (("因公出国", "公务用车", "公务接待"), "三公")]


@dataclass
class Unit:
    """A sentence of narrative text (from the 情况说明, or from a prose cell of a form)."""

    line: int
    heading: str
    text: str
    cell: int | None = None  # the prose cell it came from


def text_units(ctx: Context) -> list[Unit]:
    """Narrative sentences, then the sentences of long prose cells (绩效自评表 write prose in cells)."""
    memo = ctx.cache.setdefault("narrative", {})
    if "units" not in memo:
        memo["units"] = _text_units(ctx)
    return memo["units"]


def _text_units(ctx: Context) -> list[Unit]:
    out: list[Unit] = []
    for s in ctx.result.narrative.sentences:
        t = text_of(s)
        out.append(Unit(s.line, s.heading, mask_nested_lists(t)))
        for m in _NESTED_LIST_RE.finditer(t):
            # The sub-list on its own, with the amount it splits: the rest of the sentence blanked.
            head = [a for a in amounts(t[:m.start()])]
            if head:
                a0 = head[-1].start
                out.append(Unit(s.line, s.heading, "·" * a0 + t[a0:m.end()] + "·" * (len(t) - m.end())))
    n = 0
    for t in ctx.result.recognition.tables if ctx.result.recognition else []:
        lines = t.raw.row_lines or []
        for i, row in enumerate(t.raw.rows):
            for c in row:
                c2 = re.sub(r"<[^>]+>", "", c).replace(" ", "").replace("\u3000", "")
                if len(c2) >= 40 and re.search(r"[\u4e00-\u9fff]{10}", c2):
                    n += 1
                    line = lines[i] if i < len(lines) else t.raw.line
                    out.extend(Unit(line, "", p, n) for p in re.split(r"(?<=[。；;])", c2) if p.strip())
    return out


def _whole_candidates(text: str) -> list[Amount]:
    """Amounts that can head a list: those before any year-over-year comparison in the text."""
    comp = COMPARATOR_RE.search(text)
    cut = comp.start() if comp else len(text)
    return [a for a in amounts(text[:cut]) if not re.search(r"(?:增加|减少|增长|下降)了?$", text[max(0, a.start - 3):a.start])]


def _list_items(seg: str, unit: str) -> list[tuple[str, str, str]]:
    items: list[tuple[str, str, str]] = []
    for m in ITEM_RE.finditer(seg):
        label = m.group(1)
        if COMPARATOR_RE.search(label) or STOP_LABEL_RE.search(label):
            break
        if not m.group(3) and not re.fullmatch(r"\d+\.\d{2}", m.group(2)):
            continue  # a bare count, not an amount
        items.append((label, m.group(2), m.group(3) or unit))
        if NESTED_RE.match(seg[m.end():m.end() + 8].lstrip("，,（(")):
            break  # the next figures break this item down
    return items


def _partition(labels: list[str]) -> tuple[tuple[str, ...], str] | None:
    return next(((p, parent) for p, parent in PARTITIONS if len(p) == len(labels)
                 and all(sum(1 for lab in labels if w in lab) == 1 for w in p)), None)


@rule("narrative.items_sum", "error", "“其中”所列分项之和不超过总额（基本支出+项目支出等完整划分时应相等）")
def items_sum(ctx: Context) -> Iterator[Issue]:
    """Items listed after 其中 cannot exceed their whole; a complete split must equal it."""
    units = text_units(ctx)
    for idx, u in enumerate(units):
        text = u.text
        for q in re.finditer(r"其中[:：]?", text):
            # "其中一般公共预算拨款政府采购0万元：货物…、服务…": the list after 其中 has its own whole.
            own = next((a for a in amounts(text) if a.start >= q.end() and text[a.end:a.end + 1] in (":", "：")
                        and not re.search(r"[、，,。；;]", text[q.end():a.start])), None)
            if own is not None:
                seg = text[own.end + 1:]
                stop = re.search(r"[。；;]", seg)
                items = _list_items(seg[:stop.start()] if stop else seg, own.unit)
                if len(items) >= 2:
                    yield from _items_issue(own, items, _partition([lab for lab, _, _ in items]) is not None,
                                            [u.line], text)
                continue
            head = _whole_candidates(text[:q.start()])
            whole: Amount | None = head[-1] if head else None
            whole_line = u.line
            if whole is None and q.start() <= 1 and idx > 0 and units[idx - 1].heading == u.heading \
                    and units[idx - 1].cell == u.cell:
                prev = units[idx - 1].text
                if prev.startswith("其中"):
                    continue  # siblings of an earlier list: which whole they split is ambiguous
                pa = _whole_candidates(prev)
                whole = pa[-1] if pa else None
                whole_line = units[idx - 1].line
            elif whole is not None and re.search(r"[。；;]", text[whole.end:q.start()]):
                whole = None
            if whole is None:
                continue
            seg = text[q.end():]
            stop = re.search(r"[。；;]", seg)
            items = _list_items(seg[:stop.start()] if stop else seg, whole.unit)
            if len(items) >= 2:
                yield from _items_issue(whole, items, _partition([lab for lab, _, _ in items]) is not None,
                                        [whole_line, u.line], text)
        # "总支出X万元，基本支出Y万元，项目支出Z万元": a whole followed directly by a complete split.
        for a in amounts(text):
            seg = text[a.end:]
            if not seg.startswith(("，", ",")):
                continue
            stop = re.search(r"[。；;]", seg)
            items = _list_items(seg[1:stop.start() if stop else None], a.unit)
            part = _partition([lab for lab, _, _ in items[:4]])
            if part is None or len(items) < 2:
                continue
            label = text[max(0, a.start - 8):a.start]
            if part[1] in label and not any(w in label for w in part[0]):
                yield from _items_issue(a, items[:len(part[0])], True, [u.line], text)


def _items_issue(whole: Amount, items: list[tuple[str, str, str]], complete: bool, lines: list[int],
                 text: str) -> Iterator[Issue]:
    total = sum(_wan(n, unit) for _, n, unit in items)
    tol = sum(_half(n, unit) for _, n, unit in items)
    d = total - whole.value
    if d > tol + 1e-9 or (complete and abs(d) > tol + whole.half + 1e-9):
        listed = "、".join(f"{lab}{n}{'' if unit == whole.unit and not n else ''}" for lab, n, unit in items)
        verb = "超过" if d > 0 else "少于"
        yield Issue(f"说明中总额{whole.printed}，所列分项{listed}合计{fmt_number(total, max(2, *(decimals(n) for _, n, _ in items)))}"
                    f"{whole.unit}，{verb}总额{fmt_number(abs(d))}{whole.unit}",
                    evidence(values=[whole.value, total], lines=lines, text=text[:160]))


COUNT_LIST_RE = re.compile(r"(\d+)个[，,]?(?:分别(?:为|是)|包括|为|：|:)([^。；;]+)")


@rule("narrative.list_count", "warning", "说明中“N个，分别为…”列举的个数与N一致")
def list_count(ctx: Context) -> Iterator[Issue]:
    """“N个，分别为A、B、…” must list N distinct items."""
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for m in COUNT_LIST_RE.finditer(text):
            n = int(m.group(1))
            listed = re.split(r"[、]", re.sub(r"等$", "", m.group(2)))
            listed = [x.strip("“”\"") for x in listed if x.strip("“”\"")]
            if len(listed) < 2 or n > 50 or m.group(2).rstrip().endswith("等"):
                continue
            distinct = list(dict.fromkeys(listed))
            if len(distinct) != n and len(listed) != n:
                yield Issue(f"说明称{m.group(1)}个，但列出{len(distinct)}个：{'、'.join(distinct[:12])}",
                            evidence(values=[n, len(distinct)], lines=[s.line], text=s.text[:160]))


ARITH_RE = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)(万元|元)?[（(](-?\d[\d,]*(?:\.\d+)?)([-+－＋])(-?\d[\d,]*(?:\.\d+)?)[)）]")


@rule("narrative.arithmetic", "warning", "说明中写出的算式成立（如“756.7万元（1070-313.9）”）")
def arithmetic(ctx: Context) -> Iterator[Issue]:
    """Printed arithmetic such as “756.7万元（1070-313.9）” must hold."""
    for u in text_units(ctx):
        line, text = u.line, u.text
        for m in ARITH_RE.finditer(text):
            a, b, c = _num(m.group(1)), _num(m.group(3)), _num(m.group(5))
            r = b - c if m.group(4) in "-－" else b + c
            d = max(decimals(m.group(1)), decimals(m.group(3)), decimals(m.group(5)))
            if abs(a - r) > 0.5 * 10 ** -d + 1e-9:
                yield Issue(f"说明中“{m.group(0)}”：{m.group(3)}{m.group(4)}{m.group(5)}={fmt_number(r, d)}，不是{m.group(1)}",
                            evidence(values=[a, r], lines=[line], text=text[max(0, m.start() - 40):m.end() + 20]))


# --- projects the narrative counts -------------------------------------------------------------------

PROJECT_COUNT_RE = re.compile(r"(?:项目|二级项目|绩效目标|自评)[^，。；;]{0,12}?(\d+)个[，,]?[^。；;]{0,12}?(?:涉及|共计)[^，。；;\d]{0,8}?"
                              r"(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元)")
PROJECT_FORMS = {"final": "project_performance", "budget": "project_targets"}


@rule("narrative.project_funds", "warning", "说明所称绩效自评/绩效目标项目涉及资金与所附项目表金额一致")
def project_funds(ctx: Context) -> Iterator[Issue]:
    """"涵盖二级项目6个，涉及资金93.398万元" vs the attached forms' 全年预算数/执行数/年初预算数 sums.
    (Counts of forms are budgetlens.performance's ``performance.count_mismatch``.)"""
    projects = [p for p in ctx.result.projects or [] if isinstance(p, dict)]
    if not projects:
        return
    sums = {k: sum(float(p[k]) for p in projects) for k in ("budget", "executed", "budget_initial")
            if all(p.get(k) is not None for p in projects)}
    if not sums:
        return
    names = {"budget": "全年预算数", "executed": "全年执行数", "budget_initial": "年初预算数"}
    seen: set[tuple[int, float]] = set()
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        if not re.search(r"绩效", text + s.heading):
            continue
        for m in PROJECT_COUNT_RE.finditer(text):
            n, v = int(m.group(1)), _wan(m.group(2), m.group(3))
            if n != len(projects) or (n, v) in seen:
                continue  # a subset of the projects (其中…类项目N个), or a count the forms do not match
            seen.add((n, v))
            tol = 0.0005 * len(projects) + _half(m.group(2), m.group(3)) + 1e-9
            if all(abs(x - v) > tol for x in sums.values()):
                listed = "、".join(f"{names[k]}合计{fmt_number(x, 3)}万元" for k, x in sums.items())
                yield Issue(f"说明称“{m.group(0)}”，所附{len(projects)}张项目表{listed}，均不相符",
                            evidence(tables=[projects[0].get("kind", "")], values=[v, *sums.values()], lines=[s.line],
                                     text=s.text[:160]))


# --- count × unit amount = total ----------------------------------------------------------------------

MEASURE_WORDS = "户家个人次场批项所名"
COUNT_WORD_RE = re.compile(r"(?<![\d.])(\d+)\s*([" + MEASURE_WORDS + r"])(?![\u4e00-\u9fff]{0,2}[万元])")
PER_UNIT_RE = re.compile(r"每([" + MEASURE_WORDS + r"])[\u4e00-\u9fff]{0,4}?(?:奖励|补助|补贴|支持|资助)?[^，。；,;\d]{0,6}?"
                         r"(\d+(?:\.\d+)?)\s*(万元|元)")
GRAND_RE = re.compile(r"(?:共计|合计|总计|总额为?)[^，。；,;\d]{0,12}?(\d[\d,]*(?:\.\d+)?)\s*(万元|元)")


@rule("narrative.count_times_amount", "warning", "“N户……每户X万元……共计Y万元”中 N×X = Y")
def count_times_amount(ctx: Context) -> Iterator[Issue]:
    """A sentence that gives a count, an amount each and a total (project forms often do): N × X = Y.

    Only sentences with exactly one count, one amount each (for the same measure word) and one
    total are checked, so nothing is guessed."""
    seen: set[tuple[int, float, float]] = set()
    for u in text_units(ctx):
        text = u.text
        per = {(m.group(1), _wan(m.group(2), m.group(3)), m.group(2) + m.group(3)) for m in PER_UNIT_RE.finditer(text)}
        if len({(w, v) for w, v, _ in per}) != 1:
            continue
        word, each, each_printed = next(iter(per))
        counts = {int(m.group(1)) for m in COUNT_WORD_RE.finditer(text) if m.group(2) == word}
        totals = {(_wan(m.group(1), m.group(2)), m.group(1) + m.group(2)) for m in GRAND_RE.finditer(text)}
        if len(counts) != 1 or len({v for v, _ in totals}) != 1:
            continue
        n = next(iter(counts))
        total, total_printed = next(iter(totals))
        key = (n, each, total)
        if key in seen or abs(n * each - total) < 0.005:
            continue
        seen.add(key)
        yield Issue(f"说明中“{n}{word}……每{word}{each_printed}……共计{total_printed}”："
                    f"{n}×{each_printed}={fmt_number(n * each)}万元，不是{total_printed}",
                    evidence(values=[n, each, total, n * each], lines=[u.line], text=text[:200]))


# --- a previous year stated outright --------------------------------------------------------------

_NUM = r"(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|元|亿元)"
STATED_PRIOR_RE = re.compile(r"(20\d{2})年度?(?:当年)?(?:预算)?执行数(?:为|是)?" + _NUM)
STATED_CURRENT_RE = re.compile(r"(20\d{2})年度?(?:预算安排|预算数为|预算为|安排)" + _NUM)
STATED_CHANGE_RE = re.compile(r"比(20\d{2})年度?(?:当年)?(?:预算)?执行数(增加|增长|上升|减少|下降|降低)(-?\d+(?:\.\d+)?)\s*[%％]")


@rule("narrative.stated_prior", "error", "“上年执行数为X，本年预算安排Y，比上年执行数增减Z%”中 Z = (Y−X)/X")
def stated_prior(ctx: Context) -> Iterator[Issue]:
    """Item explanations that print last year's figure, this year's and the change between them
    (the Shanghai 编制说明): the percentage and its direction follow from the two figures."""
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for ch in STATED_CHANGE_RE.finditer(text):
            prior = next((m for m in STATED_PRIOR_RE.finditer(text, 0, ch.start()) if m.group(1) == ch.group(1)), None)
            current = [m for m in STATED_CURRENT_RE.finditer(text, 0, ch.start()) if m.group(1) != ch.group(1)]
            if prior is None or len(current) != 1:
                continue
            x, y = _wan(prior.group(2), prior.group(3)), _wan(current[0].group(2), current[0].group(3))
            if x <= 0:
                continue
            pct, up = _num(ch.group(3)), ch.group(2) in UP_WORDS
            lo = (y - x - _half(current[0].group(2), current[0].group(3)) - _half(prior.group(2), prior.group(3))) / x * 100
            hi = (y - x + _half(current[0].group(2), current[0].group(3)) + _half(prior.group(2), prior.group(3))) / x * 100
            said = pct if up else -pct
            hp = _pct_half(ch.group(3))
            if lo - hp - 1e-9 <= said <= hi + hp + 1e-9:
                continue
            expected = (y - x) / x * 100
            word = "增加" if expected >= 0 else "减少"
            sev = "info" if min(abs(said - lo), abs(said - hi)) <= SLIP_POINTS else None
            yield Issue(f"说明中{prior.group(0)}，{current[0].group(0)}，写“{ch.group(0)}”，按两数计算应为{word}"
                        f"{abs(expected):.2f}%", evidence(values=[x, y, said, round(expected, 4)], lines=[s.line],
                                                         text=s.text[:160]), sev)


# --- the direction of a stated reason -------------------------------------------------------------

REASON_RE = re.compile(r"(?:主要原因是|主要原因为|原因是|原因为)[:：]?([^。；;]{2,40})[。；;]?$")
PRIOR_PAIR_RE = re.compile(_NUM + r"[，,]上年(?:为|数|预算数|执行数)?[:：]?" + _NUM + r"[，,](主要[^。；;]{2,40})[。；;]?$")
REASON_OF_RE = re.compile(r"(增加|增长|减少|下降)的(?:主要)?原因(?:是|为|主要是)")
_UP_REASON = ("增加", "增长", "上升", "提高", "上浮", "增多", "上调")
_DOWN_REASON = ("减少", "下降", "降低", "下调", "减小", "压减", "缩减", "节约")


def _reason_direction(reason: str) -> int:
    """+1 / −1 when a short reason ends in one direction word (…经费增加), 0 when it says both or neither."""
    r = re.sub(r"(?:等|所致|导致|引起|造成)+$", "", reason)
    if re.match(r"\s*(?:一是|其一|首先|一方面|[(（]?[一1][)）、.．])", r):
        return 0  # the first of several reasons ("一是…人员经费略有增加；二是…大幅下降"): not the whole change
    ups = sum(r.count(w) for w in _UP_REASON)
    downs = sum(r.count(w) for w in _DOWN_REASON)
    if ups + downs != 1:
        return 0
    return 1 if r.endswith(_UP_REASON) else -1 if r.endswith(_DOWN_REASON) else 0


@rule("narrative.reason_direction", "warning", "增减原因的方向与增减说明一致（减少却写“经费增加”）")
def reason_direction(ctx: Context) -> Iterator[Issue]:
    """A change said to be a decrease, explained by a reason that is only an increase (…减少2.98%。主要原因
    是：…经费增加), or "X增加的主要原因是…" after every recent statement about X said it decreased."""
    by_sentence: dict[int, list[YoY]] = {}
    for y in yoy_statements(ctx):
        by_sentence.setdefault(id(y.sentence), []).append(y)
    sents = ctx.result.narrative.sentences
    for i, s in enumerate(sents):
        text = text_of(s)
        own = by_sentence.get(id(s), [])
        recent = [(j, y) for j in range(max(0, i - 4), i) if sents[j].heading == s.heading
                  for y in by_sentence.get(id(sents[j]), [])]
        of = REASON_OF_RE.search(text)
        if of is not None and not own:
            # "财政拨款收入支出增加的主要原因是…": the recent statements about that subject.
            subject = re.sub(r"^[^\u4e00-\u9fff]+", "", text[:of.start()])
            about = [y for _, y in recent if subject[:4] and subject[:4] in (y.subject or text_of(y.sentence))
                     and (_direction(y.amount_word) or _direction(y.pct_word))]
            said = _direction(of.group(1))
            if about and all((_direction(y.amount_word) or _direction(y.pct_word)) == -said for y in about):
                yield _reason_issue(about[0], subject + of.group(0), s)
            continue
        pair = PRIOR_PAIR_RE.search(text)
        if pair is not None:
            # "…58.28万元，上年:421.23万元，主要公益性岗位补贴经费增加。": the two figures give the direction.
            cur, prior = _wan(pair.group(1), pair.group(2)), _wan(pair.group(3), pair.group(4))
            said = _reason_direction(pair.group(5))
            d = (cur > prior) - (cur < prior)
            if d and said and d != said:
                yield Issue(f"说明中本年{pair.group(1)}{pair.group(2)}、上年{pair.group(3)}{pair.group(4)}，"
                            f"原因却写“{pair.group(5)}”，增减方向矛盾",
                            evidence(values=[cur, prior], lines=[s.line], text=s.text[:160]))
            continue
        stmt = own[-1] if own else (recent[-1][1] if recent and recent[-1][0] == i - 1 else None)
        m = REASON_RE.search(text)
        if stmt is None or m is None:
            continue
        d = _direction(stmt.amount_word) or _direction(stmt.pct_word)
        said = _reason_direction(m.group(1))
        if d and said and d != said:
            yield _reason_issue(stmt, m.group(1), s)


def _reason_issue(stmt: YoY, reason: str, s: Sentence) -> Issue:
    sign = _direction(stmt.amount_word) or _direction(stmt.pct_word)
    values = [v for v in (stmt.current.value if stmt.current else None, stmt.delta,
                          sign * stmt.pct if stmt.pct is not None else None) if v is not None]
    return Issue(f"说明中“{stmt.printed}”，原因却写“{reason}”，增减方向矛盾",
                 evidence(rows=[stmt.subject or ""], values=values, lines=[stmt.sentence.line, s.line],
                          text=s.text[:160]))


# --- an amount left out ------------------------------------------------------------------------

MISSING_AMOUNT_RE = re.compile(r"([\u4e00-\u9fff]{2,16}(?:支出|收入|经费|预算|资金|拨款))(?:预算)?(?:为|是|共)?[(（]?万元")


@rule("narrative.missing_amount", "warning", "说明中的金额没有漏印（“…支出预算支出万元”）")
def missing_amount(ctx: Context) -> Iterator[Issue]:
    """A subject followed by 万元 with no figure between: the template's blank left unfilled."""
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for m in MISSING_AMOUNT_RE.finditer(text):
            if re.search(r"单位[:：]?$|[(（]$", text[max(0, m.start() - 3):m.start()]) or "单位" in m.group(1):
                continue  # a unit line (单位：万元), not an amount
            said = re.sub(r"^(?:年度?|度)", "", m.group(0))
            yield Issue(f"说明中“{said}”缺少金额", evidence(rows=[m.group(1)], lines=[s.line], text=s.text[:160]))


# --- the years an item's explanation names ----------------------------------------------------------

ITEM_EXEC_RE = re.compile(r"(20\d{2})年度?当年预算执行数")
ITEM_PLAN_RE = re.compile(r"(20\d{2})年度?预算安排")
ITEM_COMPARE_RE = re.compile(r"比(20\d{2})年度?预算执行数")
ITEM_PAIR_RE = re.compile(r"(20\d{2})年度?预算" + _NUM + r"[，,](20\d{2})年度?预算" + _NUM)


@rule("narrative.item_years", "warning", "逐项说明中的年度与本预算年度一致（本年安排为本年，对比上年执行数为上一年）")
def item_years(ctx: Context) -> Iterator[Issue]:
    """A budget's item explanation ("2025年当年预算执行数…，2026年预算安排…，比2025年预算执行数增加…")
    dates its own figure the budget's year and the figure it compares with the year before; another
    year is a slip copied from an earlier year's text."""
    year = ctx.result.recognition.year if ctx.result.recognition else None
    if not year or ctx.kind != "budget":
        return
    seen = 0
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        said: list[str] = []
        figures: list[float] = []
        execs = [int(m.group(1)) for m in ITEM_EXEC_RE.finditer(text)]
        plans = [m for m in ITEM_PLAN_RE.finditer(text)]
        for m in ITEM_COMPARE_RE.finditer(text):
            if int(m.group(1)) != year - 1 and (execs or plans):
                said.append(m.group(0))
        if execs and plans:
            said += [m.group(0) for m in plans if int(m.group(1)) != year]
        for m in ITEM_PAIR_RE.finditer(text):
            if int(m.group(1)) == year and int(m.group(4)) < year - 1:
                said.append(f"{m.group(4)}年度预算{m.group(5)}{m.group(6)}")
                figures.append(_wan(m.group(5), m.group(6)))
        if said and seen < 5:
            seen += 1
            yield Issue(f"{year}年预算的逐项说明写“{'”“'.join(said)}”，年度与本年（{year}年）或上年（{year - 1}年）不符",
                        evidence(values=[year, *figures], lines=[s.line], text=s.text[:160]))
