"""Publications split in two files (a narrative volume and a tables volume) become one document.

Pairing is by content, not by file name: a volume with the standard tables and little narrative and
one with the narrative and no tables are one publication when they are of the same year and kind,
their units agree and the totals both print agree (收入总计, 本年支出, 基本支出, 项目支出 … within the
rounding of a narrative that prints two decimals of a six-decimal table). A volume whose unit is not
read pairs only on two agreeing totals and none that disagrees; units that differ never pair.
Each narrative volume takes the tables volume that agrees best, each volume pairs once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .extract import extract
from .extraction import Extraction

_PREFIX = re.compile(r"^(?:中共|中国共产党)?(?:[\u4e00-\u9fff]{2,4}?[省市](?!委))?")
# The totals a narrative states and a tables volume prints (keys of the contract's facts).
TOTAL_KEYS = ("grand_total", "revenue_total", "expenditure_total", "fiscal_revenue", "basic_expenditure",
              "project_expenditure", "general_budget_expenditure", "three_public_total")


def _has_tables(r: Extraction) -> bool:
    return sum(1 for t in r.tables if t.kind_name and not t.empty and not t.id.startswith("project")) >= 3


def _has_narrative(r: Extraction) -> bool:
    return len(r.narrative.mentions) + len(r.narrative.changes) >= 5


def unit_key(name: str | None) -> str:
    """A unit name without the party/province prefix that one volume prints and the other omits."""
    if not name:
        return ""
    return _PREFIX.sub("", re.sub(r"[（(][^）)]*[）)]", "", name))


def _same_unit(a: str | None, b: str | None) -> bool:
    ka, kb = unit_key(a), unit_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka)


def signature(r: Extraction) -> dict[str, Any]:
    """What pairing compares: which volume it can be, its identity and its totals."""
    has_tables, has_narrative = _has_tables(r), _has_narrative(r)
    facts = r.facts.as_dict()
    return {"narrative_only": bool(has_narrative and not has_tables),
            "tables_only": bool(has_tables and not has_narrative),
            "year": r.recognition.year, "kind": r.kind, "unit": r.recognition.unit,
            "totals": {k: float(facts[k]) for k in TOTAL_KEYS if isinstance(facts.get(k), int | float)}}


def _agreement(a: dict[str, float], b: dict[str, float]) -> tuple[int, int]:
    """(agreeing, disagreeing) totals the two volumes both state."""
    agree = disagree = 0
    for key in set(a) & set(b):
        x, y = a[key], b[key]
        if x == 0 and y == 0:
            continue  # 0 = 0 says nothing about who the unit is
        if abs(x - y) <= 0.0051 + 1e-6 * max(abs(x), abs(y)):
            agree += 1
        else:
            disagree += 1
    return agree, disagree


def match_score(narrative: dict[str, Any], tables: dict[str, Any]) -> int | None:
    """How well a narrative volume's signature fits a tables volume's (higher is better), None
    when they are not one publication."""
    if narrative.get("year") is None or narrative.get("year") != tables.get("year") \
            or narrative.get("kind") != tables.get("kind"):
        return None
    agree, disagree = _agreement(narrative.get("totals") or {}, tables.get("totals") or {})
    if narrative.get("unit") and tables.get("unit"):
        if not _same_unit(narrative["unit"], tables["unit"]) or disagree > agree:
            return None
        return 10 + agree - disagree
    return agree if agree >= 2 and not disagree else None


def match_signatures(signatures: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(narrative key, tables key) of the volumes that are one publication, best fits first."""
    narrative = [k for k, s in signatures.items() if s.get("narrative_only")]
    tables = [k for k, s in signatures.items() if s.get("tables_only")]
    scored = sorted(((score, n, t) for n in narrative for t in tables
                     if (score := match_score(signatures[n], signatures[t])) is not None),
                    key=lambda x: -x[0])
    used: set[str] = set()
    pairs = []
    for _, n, t in scored:
        if n not in used and t not in used:
            pairs.append((n, t))
            used |= {n, t}
    return pairs


def pair_volumes(results: list[Extraction]) -> list[list[Extraction]]:
    """Groups of results that are volumes of one publication (narrative volume first)."""
    sigs = {str(i): signature(r) for i, r in enumerate(results)}
    pairs = match_signatures(sigs)
    partner = {int(n): int(t) for n, t in pairs}
    taken = {int(t) for _, t in pairs}
    groups: list[list[Extraction]] = []
    for i, r in enumerate(results):
        if i in partner:
            groups.append([r, results[partner[i]]])
        elif i not in taken:
            groups.append([r])
    return groups


def merge_pairs(results: list[Extraction]) -> list[Extraction]:
    """Re-extract each paired publication as one document; others are returned unchanged."""
    out = []
    for group in pair_volumes(results):
        if len(group) == 1:
            out.append(group[0])
        else:
            out.append(extract([Path(r.document.path) for r in group]))
    return out
