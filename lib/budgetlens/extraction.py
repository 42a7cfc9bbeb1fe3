"""The result of reading one document: its tables, facts, narrative and findings, and its JSON contract.

It has a module of its own so that the checks and the performance readers, which take an
:class:`Extraction`, need not import :mod:`budgetlens.extract`, which runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import __version__
from .canonical import CanonicalTable
from .document import Document
from .facts import Facts, FactValue, helper_keys
from .narrative import Narrative
from .recognize import Recognition

SCHEMA_VERSION = 1


@dataclass
class Extraction:
    """Everything extracted from one document (possibly several files of one publication)."""

    document: Document
    sources: list[Document]
    recognition: Recognition
    tables: list[CanonicalTable]
    facts: Facts
    function_totals: dict[str, float]
    function_source: str | None
    narrative: Narrative
    prior_year: dict[str, float]
    projects: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def kind(self) -> str:
        return self.recognition.kind

    def table(self, table_id: str) -> CanonicalTable | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def tables_frame(self) -> pd.DataFrame:
        """All canonical tables as one long frame (what ``tables.parquet`` holds)."""
        frames = [t.frame for t in self.tables if len(t.frame)]
        if not frames:
            return pd.DataFrame(columns=["table_id", "section", "row", "code", "level", "name", "label",
                                         "measure", "value", "line"])
        out = pd.concat(frames, ignore_index=True)
        out["code"] = out["code"].astype("string")
        out["level"] = out["level"].astype("string")
        out["measure"] = out["measure"].astype("string")
        return out

    def to_json(self) -> dict[str, Any]:
        doc = self.document
        rec = self.recognition
        source: dict[str, Any] = {"path": doc.path, "sha256": doc.sha256, "format": doc.format, "pages": doc.pages}
        if len(self.sources) > 1:
            source["files"] = [
                {"path": s.path, "sha256": s.sha256, "format": s.format, "pages": s.pages} for s in self.sources
            ]
        return {
            "schema": SCHEMA_VERSION,
            "source": source,
            "document": {
                "unit": rec.unit,
                "year": rec.year,
                "kind": rec.kind,
                "scope": rec.scope,
                "currency_unit": "万元",
                "source_currency_unit": rec.currency,
            },
            "facts": self.facts.as_dict(),
            "function_totals": {k: _num(v) for k, v in sorted(self.function_totals.items())},
            "prior_year": {k: _num(v) for k, v in self.prior_year.items()},
            "projects": self.projects,
            "tables": [_table_json(t) for t in self.tables if t.id and not t.id.startswith("table_")],
            "findings": self.findings,
            "provenance": {k: _provenance(v) for k, v in self.facts.values.items() if k not in helper_keys()},
            "budgetlens_version": __version__,
        }


def _num(v: float) -> float:
    return round(float(v), 6)


def _table_json(t: CanonicalTable) -> dict[str, Any]:
    return {"id": t.id, "title": t.title, "label": t.label, "rows": t.rows, "empty": bool(t.empty),
            "page": t.page, "line": t.line, "source_currency_unit": t.source_currency}


def _provenance(fv: FactValue) -> dict[str, Any]:
    out: dict[str, Any] = {"source": fv.source}
    for key in ("table", "row", "line", "text"):
        v = getattr(fv, key)
        if v is not None:
            out[key] = v
    return out
