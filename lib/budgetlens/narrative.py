"""Reading the 情况说明: amounts quoted for each fact, year-over-year statements, shares, "none" statements.

The narrative is joined into sentences (lines that wrap mid-sentence are glued back), each
sentence is scanned for ``<subject> … X万元`` mentions and ``比上年增加/减少 Y万元，增长/下降 Z%``
changes. Subjects come from ``registry/narrative.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .document import PAGE_NUMBER_RE, Document
from .facts import FACT_KEYS
from .numbers import to_wan
from .recognize import CURRENCY_RE, UNIT_NAME_RE
from .registry import classification, classify_title, narrative_rules, normalise_label

# Digits grouped by threes only, never starting inside another number: "4125.49,4143.91万元" is two
# figures, not 494,143.91.
NUM = r"(?<![\d.])(-?\d+(?:[,，]\d{3})*(?:\.\d+)?)"
AMOUNT_RE = re.compile(NUM + r"\s*(亿元|万元|元)")
PERCENT_RE = re.compile(NUM + r"\s*[%％]")
HEADING_RE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[、.．](?!\d))")


def _alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first (so 增长幅度 wins over 增长, 增长 over 增)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_DIR = narrative_rules()["directions"]
UP_WORDS = set(_DIR["up"]) | set(_DIR["up_rates"])
DOWN_WORDS = set(_DIR["down"]) | set(_DIR["down_rates"])
RATE_WORDS = set(_DIR["up_rates"]) | set(_DIR["down_rates"])
# Words of two characters or more: "增加人员经费…" before a subject, "基本支出增加…" after it.
CHANGE_WORDS = _alternation([w for w in UP_WORDS | DOWN_WORDS if len(w) >= 2 and w not in RATE_WORDS])
_BASES = _alternation(narrative_rules()["comparator_bases"])
COMPARATOR_RE = re.compile(
    rf"(?:{_alternation(narrative_rules()['comparator_leads'])})(?:于)?(?:{_BASES}|(?P<year>\d{{4}})年度?)(?:(?:年初|全年|调整后)?(?:预算|决算)|同期|度)?(?:数)?"
    rf"(?:相比|比较)?|{_alternation(narrative_rules()['comparator_alone'])}|与上年度相比")
# "较2025年年初预算减少…": the base may name which budget of that year (年初/全年/调整后).
# "增加（减少）0万元": a template's both-ways wording, unambiguous only for 0. "增幅为1.01%": a rate word
# may take 为/是/达.
_DIR_WORDS = _alternation(list(UP_WORDS | DOWN_WORDS))
DIRECTION_RE = re.compile(rf"({_DIR_WORDS})(?:[（(](?:{_DIR_WORDS})[)）])?(?:了|(?<=[幅率例])(?:为|是|达到|达))?\s*"
                          + NUM + r"\s*(亿元|万元|元|[%％])")
SAME_RE = re.compile(_alternation(narrative_rules()["same_words"]))
_SAME_HEDGE_RE = re.compile(rf"(?:{_alternation(narrative_rules()['same_hedges'])})$")
_SAME_BLOCKER_RE = re.compile(_alternation(narrative_rules()["same_blockers"]))
SHARE_RE = re.compile(r"(?:占比|占)(?:[^，。；\d%％]{0,14}?)" + NUM + r"\s*[%％]")

# Full-width digits and signs (PDF text layers and some templates print them).
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "﹪": "%"})


def normalise_text(text: str) -> str:
    """Full-width digits, decimal points, minus signs and percent signs as ASCII ("１２．３４％" → "12.34%")."""
    t = text.translate(_FULL_WIDTH)
    t = re.sub(r"(?<=\d)．(?=\d)", ".", t)
    return re.sub(r"[－−](?=\s*\d)", "-", t)


@dataclass
class Sentence:
    text: str
    line: int
    heading: str
    section: int = 0  # how many headings came before it: a new heading starts a new item


@dataclass
class Mention:
    """``<subject> X万元``: a figure the narrative states for a fact."""

    key: str
    value: float  # 万元
    printed: str
    line: int
    sentence: str
    at: int  # where the amount stands in the sentence (spaces removed)
    section: int = 0  # the item (Sentence.section) it is stated in


def _lists_parts(text: str, mentioned: list[Mention]) -> bool:
    """The sentence lists two or more figures after 其中."""
    qz = text.find("其中")
    return qz >= 0 and sum(1 for m in mentioned if m.at > qz) >= 2


def _head_mention(text: str, mentioned: list[Mention]) -> Mention | None:
    """"A X万元，其中：B…、C…。": the sentence is about A, so a next sentence's bare "比上年…" is too."""
    qz = text.find("其中")
    if qz < 0:
        return None
    at = [(m.at, m) for m in mentioned]  # (not the printed figure's first place: "…656.11万元，其中：…656.11万元")
    before = [m for i, m in at if 0 <= i < qz]
    return before[-1] if before and sum(1 for i, _ in at if i > qz) >= 2 else None


@dataclass
class Change:
    """A year-over-year statement about one fact."""

    key: str | None
    subject: str
    current: float | None
    restated: bool
    delta: float | None  # signed, 万元
    amount_word: str | None  # 增加/减少
    percent: float | None
    percent_word: str | None  # 增长/下降
    printed_delta: str | None
    printed_percent: str | None
    line: int
    sentence: str

    @property
    def prior(self) -> float | None:
        if self.current is None or self.delta is None:
            return None
        return round(self.current - self.delta, 6)


@dataclass
class Share:
    key: str | None
    subject: str
    value: float | None
    percent: float
    printed: str
    line: int
    sentence: str


@dataclass
class Narrative:
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    nones: dict[str, tuple[int, str]] = field(default_factory=dict)
    class_mentions: list[tuple[str, float, int, str]] = field(default_factory=list)  # code, 万元, line, heading
    last_subject: tuple[str, str, float] | None = None
    # "比上年减少49.81万元，其中基本支出增加75.19万元": the parts' changes a year-over-year statement
    # lists (read only for prior_year, not checked: they state no figure of their own).
    part_changes: list[Change] = field(default_factory=list)
    # The sentence a yoy change (or part changes) was read from, its section and the text before its comparator;
    # and the sentence before the one being read.
    compared: tuple[Sentence, int, str] | None = None
    previous: Sentence | None = None
    year: int | None = None  # the document's fiscal year: a figure dated another year is not its own

    def first(self, key: str) -> Mention | None:
        return next((m for m in self.mentions if m.key == key), None)


@lru_cache(maxsize=1)
def _subject_words() -> list[tuple[str, str]]:
    pairs = [(normalise_label(w), key) for key, words in narrative_rules()["subjects"].items() for w in words]
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


def _to_wan(number: str, unit: str) -> float | None:
    try:
        v = float(number.replace(",", "").replace("，", ""))
    except ValueError:
        return None
    return to_wan(v, unit)


def sentences(doc: Document) -> list[Sentence]:
    """Narrative sentences, wrapped lines glued back, each with its line and current heading."""
    out: list[Sentence] = []
    heading, section = "", 0
    buf, buf_line = "", 0
    for block in doc.text_blocks():
        text = normalise_text(block.text.strip())
        if not text or PAGE_NUMBER_RE.match(text):
            continue  # a page number inside a wrapped sentence ("增 / — 6 — / 加 941.62 万元")
        if _is_table_caption(text) or FIGURE_CAPTION_RE.match(text):
            # A table's title or unit line, or a chart's caption (图 2：基本支出和项目支出情况), ends
            # whatever came before it and is not narrative.
            if buf:
                out.extend(_split(buf, buf_line, heading, section))
                buf = ""
            continue
        lead = re.search(r"[：:。]", text) if HEADING_RE.match(text) else None
        if lead is not None and len(text) - lead.end() >= 6 and re.search(r"[，,\d]", text[lead.end():]) \
                and lead.start() <= 30 and not AMOUNT_RE.search(text[:lead.start()]):
            # "（三）国有资产占用情况：截至…共有车辆14辆，其中：一般公": a heading, then its text.
            if buf:
                out.extend(_split(buf, buf_line, heading, section))
                buf = ""
            heading, text = text[:lead.start()], text[lead.end():]
            section += 1
        elif HEADING_RE.match(text) and len(text) <= 60 and not AMOUNT_RE.search(text) \
                and not re.search(r"\d[\d,，.]*\s*[万亿]?$", text):  # "7.“…（项）”887.36万" wraps its amount
            if buf:
                out.extend(_split(buf, buf_line, heading, section))
                buf = ""
            heading = text
            section += 1
            continue
        if not buf:
            buf_line = block.line
        # A line that does not end a sentence continues on the next line (wrapped text).
        buf += text
        if re.search(r"[。；;！!？?]$", text) or len(text) < 8:
            out.extend(_split(buf, buf_line, heading, section))
            buf = ""
    if buf:
        out.extend(_split(buf, buf_line, heading, section))
    return out


FIGURE_CAPTION_RE = re.compile(r"^图\s*[0-9一二三四五六七八九十]+\s*[：:、.．]?\s*[^。，,；;]{0,40}$")


def _is_table_caption(text: str) -> bool:
    """A table's title, or its unit line (编制部门：… 单位：元), as recognition reads them."""
    t = text.replace(" ", "")
    if len(t) > 80 or re.search(r"[。，；]", t):
        return False
    if UNIT_NAME_RE.match(text.strip()) and CURRENCY_RE.search(t):
        return True
    return t.endswith("表") and classify_title(t)[0] is not None


def _split(text: str, line: int, heading: str, section: int = 0) -> list[Sentence]:
    parts = re.split(r"(?<=[。；;！!？?])", text)
    return [Sentence(text=p.strip(), line=line, heading=heading, section=section) for p in parts if p.strip()]


@lru_cache(maxsize=64)
def _subject_pattern(heading_words: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str]]:
    """One alternation of every subject word, longest first, so a scan finds the longest match."""
    words = dict((w, k) for w, k in _subject_words())
    for head_word in heading_words:
        words.update({normalise_label(w): k for w, k in narrative_rules()["heading_subjects"][head_word].items()})
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)), words


# Words right before a subject that make it one part's figure (a project's 上年结转, a transfer's 支出预算).
_PART_QUALIFIER_RE = re.compile(rf"(?:{_alternation(narrative_rules().get('part_qualifiers', []))})$")
_WEAK_GAP_RE = re.compile(rf"(?:{_alternation(narrative_rules().get('weak_gap', []))})*")


def subjects_in(text: str, heading: str = "") -> list[tuple[int, int, str, str]]:
    """(start, end, word, key) of subject words, longest match first, non-overlapping."""
    n = text.translate(_QUOTE_MAP)
    h = normalise_label(heading)
    heading_words = tuple(w for w in narrative_rules().get("heading_subjects", {}) if w in h)
    pattern, keys = _subject_pattern(heading_words)
    weak = set(narrative_rules().get("weak_subjects", ()))
    out: list[tuple[int, int, str, str]] = []
    for m in pattern.finditer(n):
        if m.group(0) in weak and out and _WEAK_GAP_RE.fullmatch(n, out[-1][1], m.start()):
            continue  # "机关运行经费支出预算3,348.98万元", "“三公”经费财政拨款支出预算": still the first subject's
        out.append((m.start(), m.end(), m.group(0), keys[m.group(0)]))
    return out


@lru_cache(maxsize=1)
def _class_codes() -> dict[str, str]:
    data = classification()
    names = {name: code for code, name in data["function_classes"].items()}
    for code, aliases in data.get("function_class_aliases", {}).items():
        names.update({a: code for a in aliases})
    return names


@lru_cache(maxsize=1)
def _class_pattern() -> re.Pattern:
    """A 类 name (with an optional （类） inside or after it) followed closely by its amount."""
    alts = []
    for name in sorted(_class_codes(), key=len, reverse=True):
        stem = name[:-2] if name.endswith("支出") else name
        alts.append(re.escape(stem) + (r"(?:[（(]类[)）])?支出" if name.endswith("支出") else ""))
    names = "(?P<name>(?:" + "|".join(alts) + r")(?:[（(]类[)）])?)"
    return re.compile(names + r"[^，。；\d]{0,8}?(?P<num>-?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)")


def function_totals_from_narrative(nar: Narrative, total: float | None) -> dict[str, float]:
    """类 totals the narrative enumerates, taken only when a run of them adds up to the total."""
    if total is None or not nar.class_mentions:
        return {}
    runs: list[list[tuple[str, float, int, str]]] = []
    for m in nar.class_mentions:
        if runs and runs[-1][-1][3] == m[3] and m[0] not in {x[0] for x in runs[-1]} and m[2] - runs[-1][-1][2] < 40:
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        if abs(sum(x[1] for x in run) - total) <= 0.005 * len(run) + 1e-6:
            return {code: value for code, value, _, _ in run}
    return {}


_QUOTE_MAP = str.maketrans({"“": '"', "”": '"', "‘": '"', "’": '"'})


def _scoped_key(key: str, heading: str, sentence_before: str) -> str | None:
    """An all-funds key scoped by the heading or the subject's own words to one fund becomes
    ``key@fund`` (not a fact, but a part for compositions); other qualifiers drop it."""
    reg = narrative_rules()
    if key in reg["funds_scoped"]:
        h = normalise_label(heading)
        ctx = normalise_label(sentence_before[-14:]) + _head_clause(sentence_before)
        for word, fund in reg.get("fund_scopes", {}).items():
            if word in ctx or word in h:
                scoped = f"{key}@{fund}"
                return reg.get("scoped_subjects", {}).get(scoped, scoped)
        if any(w in h or w in ctx for w in reg["fund_headings"]):
            return None
    return key


def _head_clause(sentence_before: str) -> str:
    """The clause a 其中 list hangs from ("2022年财政拨款收入总计766.75万元，其中：收入合计610.42万元"):
    its parts are of the head's fund."""
    qz = sentence_before.rfind("其中")
    if qz < 0:
        return ""
    clauses = [c for c in re.split(r"[，,；;：:]", sentence_before[:qz]) if c]
    return normalise_label(clauses[-1]) if clauses else ""


def _revenue_side(key: str | None, word: str, sentence_before: str) -> str | None:
    """An appropriation named without 支出 in a clause about revenue ("收入包括一般公共预算当年拨款
    2,684.31万元") is that fund's revenue, not its expenditure."""
    if key in narrative_rules().get("revenue_of", {}) and "支出" not in word:
        clause = re.split(r"[。；;，,]", sentence_before)[-1]
        if "收入" in clause:
            return narrative_rules()["revenue_of"][key]
    return key


def read_narrative(doc: Document, year: int | None = None) -> Narrative:
    nar = Narrative(sentences=sentences(doc), year=year)
    section = None
    for s in nar.sentences:
        if s.section != section:
            # "（二）公用经费61.63万元…。" then "（一）因公出国（境）经费 / 2026年预算安排0.00万元，与上年持平。":
            # a heading starts a new item, so a bare "与上年…" under it is not about the figure before it.
            nar.last_subject = None
            section = s.section
        _read_sentence(s, nar)
        nar.previous = s
    return nar


_ACTUAL_RE = re.compile(r"(?<![\u4e00-\u9fff])?(?:支出)?决算(?:数)?(?:为|是)?" + NUM + r"\s*(亿元|万元|元)")


def _actual_figure(text: str, between: str, start: int, stop: int) -> tuple[str, str] | None:
    """(number, unit) of the 决算数 printed after a figure said to be the 预算 ("…支出全年预算为30.00万元，
    支出决算为28.00万元"): a final's own figure. None when the figure is not a 预算 or no 决算数 of this
    year follows before ``stop``."""
    if "预算" not in between or "决算" in between:
        return None
    actual = _ACTUAL_RE.search(text, start, stop)
    if actual is None or re.search(r"\d{4}年度?$|上年度?$|去年$", text[max(0, actual.start() - 6):actual.start()]):
        return None
    return actual.group(1), actual.group(2)


_PAIR_RE = re.compile(r"各(?:是|为|自为)?" + NUM + r"[,，、和与及]$")


def _read_sentence(s: Sentence, nar: Narrative) -> None:
    text = s.text.replace(" ", "")
    subjects = subjects_in(text, s.heading)
    amounts = [(m.start(), m.end(), m.group(1), m.group(2)) for m in AMOUNT_RE.finditer(text)]
    # Mentions: a subject followed by its amount before any other subject.
    for i, (start, end, word, key) in enumerate(subjects):
        nxt = subjects[i + 1][0] if i + 1 < len(subjects) else len(text)
        if re.search(rf"(?:{CHANGE_WORDS})$", text[max(0, start - 3):start]):
            continue  # "增加人员经费1408.29万元" is a change, not the level
        before = text[max(0, start - 10):start]
        if re.search(r"上年度?|去年|上一年", before) or any(
                nar.year and int(y) < nar.year for y in re.findall(r"(20\d{2})年", before)):
            continue  # "上年度列入此项的…128.43万元", "（2016年度部门支出预算安排为…）": another year's figure
        if re.search(r"(?:货物|服务|工程)类?$", before):
            continue  # "货物类政府采购支出预算259.32万元": one kind of a total, not the total
        if re.search(r"涉及$|覆盖$", before):
            continue  # "…均实行绩效目标管理，涉及一般公共预算当年拨款9,249.50万元": the part a statement covers
        if _PART_QUALIFIER_RE.search(before):
            continue  # "…运营管理项目上年结转66.73万元", "上级专项转移支付支出预算": one part's figure
        for a_start, a_end, num, unit in amounts:
            if end <= a_start < nxt:
                between = text[end:a_start]
                if COMPARATOR_RE.search(between) or re.search(rf"{CHANGE_WORDS}|调增|调减", between):
                    break  # "基本支出增加…1447.63万元" states a change, not the figure
                if len(between) > 24 or re.search(r"其中|中[，,：:]", between):
                    break  # "“三公”经费预算支出中，因公出国（境）费支出76万元": a part's figure
                if re.search(r"[≤≥<>＜＞]=?$|不超过$|不低于$|控制在$", between):
                    break  # "人员经费 ≤7万元": a target's threshold, not the figure
                pair = _PAIR_RE.search(between)
                if pair and _to_wan(pair.group(1), unit) != _to_wan(num, unit):
                    break  # "收、支总计各是4125.49,4143.91万元": two figures, one for each side
                num, unit = _actual_figure(text, between, a_end, nxt) or (num, unit)
                k = _scoped_key(key, s.heading, text[:start]) if key != "ignore" else None
                k = _revenue_side(k, word, text[:start])
                v = _to_wan(num, unit)
                if k and v is not None:
                    nar.mentions.append(Mention(key=k, value=v, printed=num + unit, line=s.line, sentence=s.text,
                                                at=a_start, section=s.section))
                break
    # Changes.
    yoy_at = None
    for comp in COMPARATOR_RE.finditer(text):
        rest = text[comp.end():]
        m_amt = None
        m_pct = None
        for d in DIRECTION_RE.finditer(rest[:80]):
            if d.group(3) in ("%", "％"):
                m_pct = m_pct or d
            else:
                m_amt = m_amt or d
            if m_amt and m_pct:
                break
        same = SAME_RE.search(rest[:30])
        if same and any(x.start() < same.start() for x in (m_amt, m_pct) if x):
            same = None
        if same and _SAME_HEDGE_RE.search(rest[:same.start()]):
            same = None  # "与上年基本持平": roughly the same, not the same figure
        if not (m_amt or m_pct or same):
            continue
        if yoy_at is None:
            yoy_at = comp.start()  # (a year-over-year statement, whether or not its subject is known)
        # The subject: restated after the comparator, else the sentence head before 其中, else the nearest before.
        subj = None
        first_dir = min([x.start() for x in (m_amt, m_pct, same) if x] or [0])
        after = [x for x in subjects if comp.end() <= x[0] < comp.end() + first_dir]
        if after:
            subj = after[0]
        else:
            before = [x for x in subjects if x[1] <= comp.start()]
            qz = text.find("其中")
            listed = [a for a in amounts if qz < a[0] < comp.start()] if qz >= 0 else []
            if before and 0 <= qz < comp.start() and len(listed) >= 2 and any(x[1] <= qz for x in before):
                subj = [x for x in before if x[1] <= qz][0]  # "A总计X，其中：B…，C…，比上年…" is about A
            elif before:
                subj = before[-1]
        if subj is None and not any(x[0] < comp.start() for x in subjects) and nar.last_subject is not None \
                and _continues(text, comp.start(), amounts, nar.last_subject[2]):
            # "基本支出预算数为18570.82万元。与上年相比增加…": the subject is the previous sentence's.
            key0, word0, value0 = nar.last_subject
            subj = (0, 0, word0, key0)
            amounts = [(-1, -1, f"{value0}", "万元"), *amounts]
        if subj is None:
            continue
        key = _scoped_key(subj[3], s.heading, text[: subj[0]]) if subj[3] != "ignore" else None
        if subj[3] == "fiscal_grand_total":
            key = "fiscal_grand_total"
        current = _current_value(nar, key, subj, text, amounts, comp.start())
        restated = current is None  # the subject named again after 与上年相比, its figure said before
        delta = printed_delta = amount_word = None
        if m_amt:
            amount_word = m_amt.group(1)
            dv = _to_wan(m_amt.group(2), m_amt.group(3))
            printed_delta = m_amt.group(2) + m_amt.group(3)
            if dv is not None and not (dv and re.search(r"[（(]", m_amt.group(0))):
                delta = -dv if amount_word in DOWN_WORDS else dv
        elif same and not m_pct:
            delta, amount_word = 0.0, same.group(0)
        pct = pct_word = printed_pct = None
        if m_pct:
            pct_word = m_pct.group(1)
            printed_pct = m_pct.group(2) + "%"
            try:
                pct = float(m_pct.group(2).replace(",", ""))
            except ValueError:
                pct = None
        if restated:
            current = _last_mention(nar, key)
        nar.changes.append(Change(key=key, subject=subj[2], current=current, restated=restated, delta=delta,
                                  amount_word=amount_word,
                                  percent=pct, percent_word=pct_word, printed_delta=printed_delta,
                                  printed_percent=printed_pct, line=s.line, sentence=s.text))
    if yoy_at is not None:
        nar.compared = (s, s.section, text[:yoy_at])
    if nar.compared is not None and nar.compared[1] == s.section and nar.compared[0] in (s, nar.previous):
        if _read_part_changes(s, text, nar, yoy_at or 0):
            nar.compared = (s, s.section, nar.compared[2])  # "2.支出预算减少…，其中基本支出增加…" goes on
    for m in _class_pattern().finditer(text):
        v = _to_wan(m.group("num"), m.group("unit"))
        code = _class_codes().get(re.sub(r"[（(]类[)）]", "", m.group("name")))
        if code and v is not None:
            nar.class_mentions.append((code, v, s.line, s.heading))
    mentioned = [m for m in nar.mentions if m.sentence == s.text]
    # "A X万元，其中：B…、C…" hands A on; a sentence of one figure hands its subject on ("基本支出预算数为
    # 18570.82万元。与上年相比增加…"); after several ("…服务费7,083.34万元，上年结转564.09万元。较上年增加…")
    # which one is meant is unknown.
    last = _head_mention(text, mentioned)
    if last is None and mentioned and len(amounts) == 1 and not _lists_parts(text, mentioned):
        last = mentioned[-1]
    nar.last_subject = (last.key, last.key, last.value) if last else None
    # Shares.
    for m in SHARE_RE.finditer(text):
        before = [x for x in subjects if x[1] <= m.start()]
        subj = before[-1] if before else None
        amt = [a for a in amounts if a[1] <= m.start()]
        value = _to_wan(amt[-1][2], amt[-1][3]) if amt else None
        key = _scoped_key(subj[3], s.heading, text[: subj[0]]) if subj else None
        nar.shares.append(Share(key=key, subject=subj[2] if subj else "", value=value, percent=float(m.group(1).replace(",", "")),
                                printed=m.group(1) + "%", line=s.line, sentence=s.text))
    # "None" statements.
    for key, patterns in narrative_rules()["none_patterns"].items():
        for p in patterns:
            if key not in nar.nones and re.search(p, text.replace("“", '"').replace("”", '"')):
                nar.nones[key] = (s.line, s.text)


# "比上年减少49.81万元，其中基本支出增加75.19万元，项目支出减少125万元" (Yantai), "比2025年增加2,734.52万元，
# 主要是基本支出增加659.75万元，…" (Chongqing): after 其中/主要是 in a year-over-year item, a clause that is
# a subject, then its change and nothing else.
_PART_LEAD_RE = re.compile(rf"(?:{_alternation(narrative_rules()['part_change_leads'])})[：:，,]?")
_PART_GAP = _alternation(narrative_rules()["part_change_gaps"])
_PART_CLAUSE_RE = re.compile(rf"(?:\d+[.、．]|[一二三四五六七八九十]是)?(?P<subj>.+?)(?P<gap>{_PART_GAP})?"
                             rf"(?P<dir>{CHANGE_WORDS})了?" + NUM + r"\s*(?P<unit>亿元|万元|元)")
_CLAUSE_SPLIT_RE = re.compile(r"[、；;。]|[,，](?!\d{3}(?!\d))")  # (not "1,066.60")
_PART_BLOCKER_RE = re.compile(_alternation(narrative_rules()["part_change_blockers"]))


def _read_part_changes(s: Sentence, text: str, nar: Narrative, after: int) -> bool:
    """The changes of the parts a year-over-year statement lists ("…比上年减少49.81万元，其中：…基本支出增加
    75.19万元"): each clause after 其中/主要是 that is exactly a fact's subject and its change. The subject's
    figure is its mention in the same item, else the fact (``prior_year``)."""
    if _PART_BLOCKER_RE.search(text):
        return False  # "比年初预算增加…，主要是…": another comparison
    funds = narrative_rules()["fund_headings"]
    seen: set[int] = set()
    n = len(nar.part_changes)
    for lead in _PART_LEAD_RE.finditer(text, after):
        at = lead.end()
        for clause in _CLAUSE_SPLIT_RE.split(text[at:]):
            start, at = at, at + len(clause) + 1
            m = _PART_CLAUSE_RE.fullmatch(clause)
            if m is None or start in seen:
                continue
            seen.add(start)
            found = None
            for subj in (m.group("subj"), m.group("subj") + (m.group("gap") or "")):
                words = subjects_in(subj, s.heading)
                if len(words) == 1 and words[0][:2] == (0, len(subj)):
                    found = words
            if found is None:
                continue  # "其他公用经费增加…": not exactly a subject
            key = found[0][3]
            if key in narrative_rules()["funds_scoped"]:
                before = normalise_label(nar.compared[2] + text[:start])
                if any(w in before or w in normalise_label(s.heading) for w in funds):
                    continue  # "一般公共预算拨款支出…主要是基本支出增加…": that fund's part
            if key not in FACT_KEYS:
                continue
            dv = _to_wan(m.group(4), m.group("unit"))
            if dv is None:
                continue
            delta = -dv if m.group("dir") in DOWN_WORDS else dv
            current = next((x.value for x in reversed(nar.mentions) if x.key == key and x.section == s.section), None)
            if current is None and key in narrative_rules()["part_change_need_figure"]:
                continue  # "基本支出…比上年增加…，主要原因是人员经费增加…": which fund's 基本支出 is not known
            nar.part_changes.append(Change(key=key, subject=found[0][2], current=current, restated=current is None,
                                           delta=delta, amount_word=m.group("dir"), percent=None, percent_word=None,
                                           printed_delta=m.group(4) + m.group("unit"), printed_percent=None,
                                           line=s.line, sentence=s.text))
    return len(nar.part_changes) > n


def _continues(text: str, comp_at: int, amounts: list, value: float) -> bool:
    """A sentence naming no subject continues the previous one's ("…18570.82万元。与上年相比增加…")
    unless it opens an item of its own ("（一）因公出国（境）经费2026年预算安排0.00万元，与上年持平")
    or states, before its comparison, a figure other than the one handed on."""
    if HEADING_RE.match(text):
        return False
    own = [_to_wan(num, unit) for a_start, _, num, unit in amounts if 0 <= a_start < comp_at]
    return all(v is not None and abs(v - value) < 0.005 for v in own)


def _current_value(nar: Narrative, key: str | None, subj: tuple, text: str, amounts: list, comp_at: int) -> float | None:
    """The figure the change is measured from: the subject's amount in this sentence, else its last mention."""
    for a_start, a_end, num, unit in amounts:
        if subj[1] <= a_start < comp_at or (a_start == -1 and subj[1] == 0):
            # "…支出预算为31.00万元，支出决算为28.72万元，…与上年相比减少3.18万元": the 决算数 is compared.
            between = text[subj[1]:a_start] if a_start >= 0 else ""
            num, unit = _actual_figure(text, between, a_end, comp_at) or (num, unit)
            return _to_wan(num, unit)
    return None


def _last_mention(nar: Narrative, key: str | None) -> float | None:
    for m in reversed(nar.mentions):
        if m.key == key:
            return m.value
    return None


# A statement about a grand total (总计) also dates the current-year figure when this year's
# document prints the two equal (no carry-over): the contract's own example reads
# "收入总计1,033.18万元…减少601.12万元" as revenue_total 1634.30. Not when the narrative says last
# year carried something over ("上年结转结余…减少136,020万元"): last year's 总计 then held more than its
# 本年收入.
IMPLIED_BY_TOTAL = {"grand_total": ("revenue_total",), "fiscal_grand_total": ("fiscal_revenue",)}
PSEUDO_KEYS = {"ignore", "fiscal_grand_total", "fiscal_carryover", "nonfiscal_carryover"}


def prior_year(nar: Narrative, facts: dict[str, float] | None = None, kind: str | None = None) -> dict[str, float]:
    """Previous-year values implied by the narrative's own year-over-year statements (``kind``: the
    document's; a total named by its spending dates last year's 本年支出 in a budget only)."""
    out: dict[str, float] = {}
    facts = facts or {}
    for c in nar.changes + nar.part_changes:
        if not c.key or c.key in PSEUDO_KEYS or "@" in c.key or c.delta is None:
            continue
        key = _loose_key(c, facts)
        if key in out or key not in FACT_KEYS:
            continue  # (政府性基金预算支出 is no fact: the contract's prior_year has the facts' keys)
        # A subject restated after "与上年相比" compares the figure the tables print (the 决算数
        # of a final, not a 预算数 quoted beside it); a figure in the same clause is its own.
        current = facts.get(key) if c.restated and facts.get(key) is not None else c.current
        if current is not None:
            out[key] = _tidy(current - c.delta)
    stated: dict[str, tuple[float, float]] = {}  # key → (current, prior), first statement wins
    for c, part in [(c, False) for c in nar.changes] + [(c, True) for c in nar.part_changes]:
        current = facts.get(c.key) if part and c.current is None else c.current  # a part's figure: the fact's
        if c.key and c.key not in stated and current is not None and c.delta is not None:
            stated[c.key] = (current, current - c.delta)
    for total, parts in narrative_rules().get("compositions", {}).items():
        current_total = facts.get(total)
        if total in out or current_total is None or not all(p in stated for p in parts):
            continue
        if abs(sum(stated[p][0] for p in parts) - current_total) <= 0.005 * len(parts) + 1e-9:
            out[total] = _tidy(sum(stated[p][1] for p in parts))
    for c in nar.changes:
        if c.prior is None or c.key not in IMPLIED_BY_TOTAL or c.current is None or out.get("carryover_begin"):
            continue
        for key in IMPLIED_BY_TOTAL[c.key] + _spending_side(c, out, kind):
            current = facts.get(key)
            if key not in out and current is not None and abs(current - c.current) < 0.005:
                out[key] = _tidy(c.prior)
    return out


def _spending_side(c: Change, out: dict[str, float], kind: str | None) -> tuple[str, ...]:
    """A grand total named by its spending ("相应安排支出预算1269.68万元，比上年增加75.03万元", Fuzhou) also dates
    this year's 本年支出 when the two are equal, as 收入总计 dates the 本年收入: in a budget, which plans no
    年末结转 (a final's last year may have carried money over although this year's did not), or when last
    year's total was 0 (and so its spending)."""
    if c.key != "grand_total" or "支" not in c.subject or out.get("carryover_end"):
        return ()
    return ("expenditure_total",) if kind in (None, "budget") or abs(c.prior or 0.0) < 0.005 else ()


def _loose_key(c: Change, facts: dict[str, float]) -> str:
    """The fact a change is about. A loose subject word (registry ``loose_subjects``: 部门预算收入 is the
    本年收入 in one template, the 收入总计 in another) whose figure is not its key's fact but is the other
    fact's names the other: "部门预算收入388,763.56万元，较2025年年初预算增加…" beside 本年收入 388,561.78
    and 收入总计 388,763.56 is about the 收入总计."""
    own = facts.get(c.key)
    if c.current is None or own is None or abs(own - c.current) < 0.005:
        return c.key
    for alt in narrative_rules().get("loose_subjects", {}).get(normalise_label(c.subject), ()):
        if alt in facts and abs(facts[alt] - c.current) < 0.005:
            return alt
    return c.key


def _tidy(v: float) -> float:
    return round(v, 2) if abs(v * 100 - round(v * 100)) < 1e-6 else v


@lru_cache(maxsize=1)
def _count_patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Staff and vehicle count patterns: registry ``counts`` (the first that matches a line wins)."""
    return {key: tuple(re.compile(p) for p in pats) for key, pats in narrative_rules().get("counts", {}).items()}


def counts(sents: list[Sentence]) -> dict[str, tuple[int, int, str]]:
    """Staff and vehicle counts stated in the narrative: key → (value, line, text). Patterns are tried
    in the registry's order over the whole narrative (共有车辆63辆 beats an earlier 更新执法车辆5辆); a
    count right after a word of change (购置, 更新, 淘汰 …: registry ``count_blockers``) is not a stock."""
    out: dict[str, tuple[int, int, str]] = {}
    # Sentences, not lines: a count wraps as often as anything else (核定编制48 / 名).
    lines = [(sent, sent.text.replace(" ", "").replace("\u3000", "")) for sent in sents]
    blockers = re.compile("|".join(map(re.escape, narrative_rules().get("count_blockers", []))) or r"(?!)")
    for key, pats in _count_patterns().items():
        for pat in pats:
            found = next(((block, m) for block, t in lines for m in pat.finditer(t)
                          if not blockers.search(t[max(0, m.start() - 8):m.start(1)])), None)
            if found:
                block, m = found
                out[key] = (int(m.group(1)), block.line, block.text)
                break
    return out
