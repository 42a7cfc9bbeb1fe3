"""Publications split in two files (a narrative volume and a tables volume) become one document.

Pairing is by content, not by file name: two documents of the same year and kind whose units
agree, where one has the standard tables and little narrative and the other the narrative
without tables, are one publication.
"""

from __future__ import annotations

import re
from pathlib import Path

from .extract import Extraction, extract

_PREFIX = re.compile(r"^(?:中共|中国共产党)?(?:[\u4e00-\u9fff]{2,4}?[省市](?!委))?")


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


def pair_volumes(results: list[Extraction]) -> list[list[Extraction]]:
    """Groups of results that are volumes of one publication (narrative volume first)."""
    narrative_only = [r for r in results if not _has_tables(r) and _has_narrative(r)]
    tables_only = [r for r in results if _has_tables(r) and not _has_narrative(r)]
    used: set[int] = set()
    groups: list[list[Extraction]] = []
    for n in narrative_only:
        for t in tables_only:
            if id(t) in used or n.recognition.year != t.recognition.year or n.kind != t.kind:
                continue
            if _same_unit(n.recognition.unit, t.recognition.unit):
                groups.append([n, t])
                used |= {id(n), id(t)}
                break
    for r in results:
        if id(r) not in used:
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
