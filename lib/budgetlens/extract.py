"""One document from file to the ``extract --json`` contract: read → recognise → canonical tables → facts.

:func:`extract` is the single entry point the CLI, the batch runner and the notebooks use.
"""

from __future__ import annotations

import copy
import re
import time
from pathlib import Path

from .canonical import CanonicalTable, canonicalize
from .document import Document, SourceError
from .extraction import Extraction
from .facts import (
    COUNT_KEYS,
    FACT_KEYS,
    Facts,
    FactValue,
    derive_fund_part,
    drop_summed_parts,
    fact_sources,
    facts_from_tables,
    function_totals,
)
from .narrative import Narrative, counts, function_totals_from_narrative, prior_year, read_narrative
from .recognize import recognize
from .sources import read_source
from .unit_blocks import names_unit, unit_names


def merge_documents(docs: list[Document]) -> Document:
    """A publication in several files (narrative volume + tables volume) read as one document. The
    volumes are left as they were read (their blocks are copied: recognition joins and trims tables)."""
    if len(docs) == 1:
        return docs[0]
    blocks = []
    shift = 0  # each volume's lines follow the previous one's: a line number names one line of the publication
    for d in docs:
        last = shift
        for b in copy.deepcopy(d.blocks):
            b.line += shift
            last = max(last, b.line)
            if b.table is not None:
                b.table.line += shift
                b.table.row_lines = [x + shift for x in b.table.row_lines]
                last = max([last, *b.table.row_lines])
            blocks.append(b)
        shift = last
    return Document(path=docs[0].path, sha256=docs[0].sha256, format=docs[0].format,
                    pages=sum(d.pages for d in docs), blocks=blocks)


def extract(paths: str | Path | list[str | Path]) -> Extraction:
    """Extract one document from one file, or from the files of one split publication."""
    started = time.perf_counter()
    path_list = [paths] if isinstance(paths, str | Path) else list(paths)
    sources = [read_source(p) for p in path_list]
    doc = merge_documents(sources)
    result = extract_document(doc)
    result.sources = sources
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result


def extract_document(doc: Document) -> Extraction:
    from .performance.rows import is_title as is_form_title
    from .sources.captions import lift_captions
    from .sources.plain import is_plain, rebuild
    from .sources.title_order import restore_title_order

    if is_plain(doc):
        doc = rebuild(restore_title_order(doc))
    rec = recognize(lift_captions(doc))
    # Performance forms are read from their raw grids (budgetlens.performance); unrecognised
    # tables carry nothing the contract uses: neither needs a canonical frame.
    tables = [canonicalize(t, rec.currency) for t in rec.tables if t.kind is not None and t.kind.layout != "performance"]
    standard = [t for t in tables if t.kind_name is not None]
    forms = any(t.kind is not None and t.kind.layout == "performance" for t in rec.tables) \
        or any(is_form_title(b.text) for b in doc.text_blocks())  # (a plain text layer's forms are lines)
    if rec.kind in ("budget", "final") and not standard and forms and not _has_narrative_words(doc):
        # Performance forms published alone (项目支出绩效目标表, 部门整体预算绩效目标申报表): a document of
        # performance forms, dated by the budget year they were set for.
        rec.kind = "performance"
    if rec.kind in ("budget", "final") and not standard and not _has_disclosure_words(doc):
        raise SourceError(doc.path, "not a budget or final-account disclosure (no standard tables or 预算/决算 narrative)")
    if rec.kind == "performance" and not forms and not _has_disclosure_words(doc):
        raise SourceError(doc.path, "not a budget or final-account disclosure")
    facts = facts_from_tables(tables, rec.kind)
    nar = read_narrative(doc, rec.year)
    _facts_from_narrative(facts, nar, doc, tables)
    derive_fund_part(facts)
    ftotals, fsource = function_totals(tables)
    if not _adds_up(ftotals, facts):
        # Tables whose 类 rows were not read, or misread (wrapped cells) so that they add up to
        # no total: a run of 类 figures in the narrative that adds up to the total is taken instead.
        total = facts.get("expenditure_total") or facts.get("grand_total")
        from_narrative = function_totals_from_narrative(nar, total)
        if from_narrative or not ftotals:
            ftotals, fsource = from_narrative, "narrative" if from_narrative else None
    result = Extraction(document=doc, sources=[doc], recognition=rec, tables=tables, facts=facts,
                        function_totals=ftotals, function_source=fsource, narrative=nar,
                        prior_year=prior_year(nar, facts.as_dict(), rec.kind))
    _attach_performance(result)
    _attach_findings(result)
    return result


def _adds_up(ftotals: dict[str, float], facts: Facts) -> bool:
    """The 类 totals sum to one of the totals they can be a breakdown of."""
    if not ftotals:
        return False
    total = sum(ftotals.values())
    keys = ("expenditure_total", "grand_total", "general_budget_expenditure", "fiscal_revenue")
    return any(facts.get(k) is not None and abs(total - facts.get(k)) <= 0.005 * len(ftotals) + 1e-6 for k in keys)


def _has_narrative_words(doc: Document) -> bool:
    """The document explains its budget in prose (收支增减, 机关运行经费…): a narrative volume, not forms."""
    return bool(re.search(r"情况说明|机关运行经费", doc.full_text[:20000]))


def _has_disclosure_words(doc: Document) -> bool:
    text = doc.full_text[:200000]
    hits = sum(text.count(w) for w in ("预算", "决算", "万元", "支出", "收入", "绩效"))
    return hits >= 10


def _facts_from_narrative(facts: Facts, nar: Narrative, doc: Document, tables: list[CanonicalTable]) -> None:
    """Fill facts no table prints from the narrative (tables always win)."""
    units = unit_names(tables)
    headings = {s.line: s.heading for s in nar.sentences} if units else {}
    mentions = [m for m in nar.mentions if not (units and names_unit(headings.get(m.line, ""), units))]
    # (a section about one of the department's units is left out: its figures are that unit's)
    stated: dict[str, list[float]] = {}
    for m in mentions:
        stated.setdefault(m.key, []).append(m.value)
    drop_summed_parts(facts, stated)
    for m in mentions:
        if (m.key in FACT_KEYS or m.key in fact_sources()) and m.key not in facts.values:
            facts.set(m.key, FactValue(value=m.value, source="narrative", line=m.line, text=m.sentence[:120]))
    for key, (line, text) in nar.nones.items():
        if key not in facts.values:
            facts.set(key, FactValue(value=0.0, source="narrative", line=line, text=text[:120]))
    for key, (value, line, text) in counts(nar.sentences).items():
        if key in COUNT_KEYS and key not in facts.values:
            facts.set(key, FactValue(value=value, source="narrative", line=line, text=text[:120]))


def _attach_performance(result: Extraction) -> None:
    """Projects and unit-level performance facts (budgetlens.performance, when present)."""
    try:
        from .performance import attach
    except ImportError:
        return
    attach(result)


def _attach_findings(result: Extraction) -> None:
    try:
        from .checks import run_checks
    except ImportError:
        return
    result.findings = [f.to_json() for f in run_checks(result)]
