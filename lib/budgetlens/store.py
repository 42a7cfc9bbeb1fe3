"""``data/processed``: one folder per document (document.json + tables.parquet + checklist.json, the
disclosure checklist of budgetlens.checklist) and a catalogue.

The notebooks read only what this module writes, so every figure they show has a single origin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from .extraction import Extraction
from .facts import FACT_KEYS
from .fsutil import atomic_write, atomic_write_json

CATALOG = "catalog.parquet"
CHECKLIST = "checklist.json"


def document_id(result_or_path: Extraction | str | Path) -> str:
    """A stable folder name for a document: its (first) source file's stem, made path-safe."""
    path = result_or_path.document.path if isinstance(result_or_path, Extraction) else str(result_or_path)
    stem = Path(path).stem
    return re.sub(r"[^\w\-.\u4e00-\u9fff]+", "_", stem).strip("._") or "document"


def write_document(result: Extraction, out_dir: str | Path) -> Path:
    """Write ``<out>/<id>/document.json``, ``tables.parquet`` and ``checklist.json`` atomically;
    returns the folder."""
    from .checklist import build_checklist

    folder = Path(out_dir) / document_id(result)
    frame = result.tables_frame()
    atomic_write(folder / "tables.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
    atomic_write_json(folder / CHECKLIST, build_checklist(result).to_json())
    atomic_write_json(folder / "document.json", result.to_json())
    return folder


def read_document(folder: str | Path) -> dict[str, Any]:
    with open(Path(folder) / "document.json", encoding="utf-8") as fh:
        return json.load(fh)


def read_checklist(folder: str | Path) -> dict[str, Any] | None:
    """A document's checklist (``{"document": …, "items": […]}``), None when it was not written."""
    path = Path(folder) / CHECKLIST
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def read_tables(folder: str | Path) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / "tables.parquet")


def catalog_row(doc: dict[str, Any], folder: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "doc_id": folder,
        "path": doc["source"]["path"],
        "sha256": doc["source"]["sha256"],
        "format": doc["source"]["format"],
        "unit": doc["document"]["unit"],
        "year": doc["document"]["year"],
        "kind": doc["document"]["kind"],
        "scope": doc["document"].get("scope"),
        "source_currency_unit": doc["document"]["source_currency_unit"],
        "tables": len(doc.get("tables", [])),
        "projects": len(doc.get("projects", [])),
    }
    for key in FACT_KEYS:
        v = doc["facts"].get(key)
        row[key] = float(v) if isinstance(v, int | float) else None
    sev = [f.get("severity") for f in doc.get("findings", [])]
    row["errors"] = sev.count("error")
    row["warnings"] = sev.count("warning")
    row["infos"] = sev.count("info")
    return row


def write_catalog(out_dir: str | Path) -> Path:
    """Rebuild ``catalog.parquet`` from every document folder under ``out_dir``."""
    out = Path(out_dir)
    rows = []
    for doc_json in sorted(out.glob("*/document.json")):
        rows.append(catalog_row(json.loads(doc_json.read_text(encoding="utf-8")), doc_json.parent.name))
    frame = pd.DataFrame(rows)
    return atomic_write(out / CATALOG, lambda tmp: frame.to_parquet(tmp, index=False))


def read_catalog(out_dir: str | Path) -> pd.DataFrame:
    return pd.read_parquet(Path(out_dir) / CATALOG)
