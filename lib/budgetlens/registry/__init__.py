"""The declarative registries: table kinds with their title aliases, and column aliases.

Adding a province's template means adding aliases to ``tables.yaml`` / ``columns.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import yaml

_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "‘": '"', "’": '"', "「": '"', "」": '"',
                         "（": "(", "）": ")", "：": ":", "„": '"', "‟": '"'})


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalise_label(text: str) -> str:
    """Compare-ready form of a title, header or row label: no spaces, ASCII quotes and brackets."""
    return _SPACE.sub("", text.translate(_QUOTES))


@dataclass(frozen=True)
class TableKind:
    id: str
    name: str
    layout: str
    aliases: tuple[str, ...]
    exclude: tuple[str, ...] = field(default_factory=tuple)

    def match_length(self, normalised_title: str) -> int:
        """Length of the longest alias found in the title (0 when none, or vetoed)."""
        best = 0
        for a in _normalised(self.aliases):
            if len(a) > best and a in normalised_title:
                # A veto word counts wherever it stands in the title (项目支出决算表 is not the
                # 支出决算表), unless the alias itself spells it.
                if any(x in normalised_title and x not in a for x in _normalised(self.exclude)):
                    continue
                best = len(a)
        return best


@cache
def _normalised(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise_label(w).replace('"', "") for w in words)


@cache
def _load(name: str) -> dict:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def table_kinds() -> tuple[TableKind, ...]:
    data = _load("tables.yaml")
    return tuple(
        TableKind(id=k["id"], name=k["name"], layout=k["layout"], aliases=tuple(k["aliases"]),
                  exclude=tuple(k.get("exclude", ())))
        for k in data["kinds"]
    )


def table_kind(kind_id: str) -> TableKind:
    for k in table_kinds():
        if k.id == kind_id:
            return k
    raise KeyError(kind_id)


def required_tables(doc_kind: str, titles: list[str] | None = None) -> list[str]:
    """The tables a kind of document must publish; with the ``titles`` it prints, less those another
    table of them stands for (tables.yaml ``covered_by``)."""
    required = list(_load("tables.yaml")["required"].get(doc_kind, []))
    if titles is None:
        return required
    compact = [re.sub(r"\s+", "", t or "") for t in titles]
    covers = _load("tables.yaml").get("covered_by", {})
    return [k for k in required if not any(re.search(p, t) for p in covers.get(k, []) for t in compact)]


@lru_cache(maxsize=8192)
def classify_title(title: str) -> tuple[TableKind | None, int]:
    """The table kind whose alias best matches a title line, with the match length.

    Quotes are ignored (text layers drop or displace the quotes of “三公”)."""
    t = normalise_label(title).replace('"', "")
    best: tuple[TableKind | None, int] = (None, 0)
    for variant in dict.fromkeys((t, _without_optional_words(t))):
        for kind in table_kinds():
            n = kind.match_length(variant)
            if n > best[1]:
                best = (kind, n)
    return best


@lru_cache(maxsize=1)
def _optional_title_words() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _load("tables.yaml").get("optional_title_words", []))


def _without_optional_words(title: str) -> str:
    """The title without the words templates insert into a standard title (一般公共预算财政拨款支出表
    is the 一般公共预算支出表; “三公”经费及会议费、培训费支出表 the “三公”经费支出表)."""
    for pattern in _optional_title_words():
        title = pattern.sub("", title)
    return title


@lru_cache(maxsize=1)
def _measure_aliases() -> list[tuple[str, str]]:
    data = _load("columns.yaml")["measures"]
    pairs = [(normalise_label(alias), measure) for measure, aliases in data.items() for alias in aliases]
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


@lru_cache(maxsize=1)
def measure_parent() -> dict[str, str]:
    """Measure → the measure it is a part of (registry ``parts_of``: personnel → basic, …)."""
    return {part: whole for whole, parts in _load("columns.yaml").get("parts_of", {}).items() for part in parts}


@lru_cache(maxsize=1)
def classification() -> dict:
    """The classification registry (``classification.yaml``): 类 names by code, personnel classes."""
    return _load("classification.yaml")


@lru_cache(maxsize=1)
def narrative_rules() -> dict:
    """The narrative registry (``narrative.yaml``): directions, subjects, loose subjects, phrasing."""
    return _load("narrative.yaml")


@lru_cache(maxsize=1)
def doubt_rules() -> dict:
    """The misread patterns (``doubt.yaml``): which failing identities put a table's reading in doubt."""
    return _load("doubt.yaml")


@lru_cache(maxsize=1)
def personnel_classes() -> frozenset[str]:
    """The 经济分类 类 codes of 人员经费 (``classification.yaml``); the other classes are 公用经费."""
    return frozenset(str(c) for c in _load("classification.yaml").get("personnel_classes", []))


def split_header_words(token: str) -> list[str]:
    """Column headers printed without spaces between them (一般公共预算政府性基金预算国有资本经营预算)
    cut into the known headers they are made of; the token itself when it is not such a run."""
    t = normalise_label(token)
    if not t or measure_for_header(t) is None:
        return [token]
    out: list[str] = []
    i = 0
    while i < len(t):
        alias = next((a for a, _m in _measure_aliases() if t.startswith(a, i)), None)
        if alias is None:
            return [token]
        out.append(alias)
        i += len(alias)
    return out if len(out) > 1 else [token]


def is_measure_alias(text: str) -> bool:
    """Whether a header text is, exactly, one of the registry's column headers."""
    t = normalise_label(text)
    return any(t == alias for alias, _m in _measure_aliases())


@lru_cache(maxsize=8192)
def measure_for_header(header: str) -> str | None:
    """Canonical measure id for a column header (exact alias first, then longest contained alias)."""
    h = normalise_label(header)
    if not h:
        return None
    # "2025年", "2025年预算数", "2024年度合计": the year is the period, not the measure.
    h = re.sub(r"^20\d{2}年(?:度)?", "", h)
    if not h:
        return "total"
    for alias, measure in _measure_aliases():
        if h == alias:
            return measure
    for alias, measure in _measure_aliases():
        if alias in h:
            return measure
    return None
