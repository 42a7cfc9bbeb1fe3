"""The research dataset's tidy tables, built from loaded units: one place builds them.

``documents`` (one row per document), ``facts`` (per document and fact, with provenance),
``prior_year``, ``function_totals`` (per document and 类), ``findings``, ``projects`` and
``cells`` (the canonical table cells). The columns, their types and descriptions are declared
in ``registry/dataset.yaml``; :func:`build_tables` returns exactly those columns with those
types, :mod:`budgetlens.export` writes them (CSV, Parquet, datapackage.json),
:func:`read_table` loads a written table back and :func:`read_units` the units and documents
the tables hold (what the panel reads in a batch). The notebooks' loaders (:func:`budgetlens.units.load_units`)
feed the same builders, so the pages and the dataset count the same findings and facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import metrics
from .facts import COUNT_KEYS

CURRENCY = "CNY"
AMOUNT_UNIT = "万元"
PHASES = {"budget": "approved", "final": "executed"}
MEASURE_UNITS = {"staff_authorized": "人", "staff_actual": "人", "vehicles": "辆", "overall_score": "分"}
_PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean",
                 "array": "string", "object": "string"}


# --- the declarations ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def registry() -> dict[str, Any]:
    """``registry/dataset.yaml`` with each table's shared columns spliced into its field list."""
    text = resources.files("budgetlens.registry").joinpath("dataset.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for spec in data["tables"].values():
        fields: list[dict[str, Any]] = []
        for f in spec["fields"]:
            fields.extend(f if isinstance(f, list) else [f])
        spec["fields"] = [dict(f) for f in fields]
    return data


def table_names() -> list[str]:
    return list(registry()["tables"])


def fields(table: str) -> list[dict[str, Any]]:
    """The declared fields of a table (name, type, description, constraints …)."""
    return registry()["tables"][table]["fields"]


def columns(table: str) -> list[str]:
    return [f["name"] for f in fields(table)]


def typed(table: str, rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Rows as a frame with exactly the declared columns, in order, with the declared types
    (nullable integers and strings, so an empty table has the same schema as a full one)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    frame = frame.reindex(columns=columns(table))
    out = {}
    for f in fields(table):
        col = frame[f["name"]]
        if f["type"] in ("array", "object"):
            col = col.map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v))
                          else json.dumps(v, ensure_ascii=False, default=str))
        elif f["type"] == "integer":
            col = pd.to_numeric(col, errors="raise").round().astype("Int64") if len(col) else col
        elif f["type"] == "number":
            col = pd.to_numeric(col, errors="raise")
        elif f["type"] == "boolean":
            col = col.map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else bool(v))
        out[f["name"]] = col.astype(_PANDAS_TYPES[f["type"]])
    return pd.DataFrame(out, index=range(len(frame)))


# --- one document's rows ------------------------------------------------------------------------

def _common(unit_id: str, doc: Any) -> dict[str, Any]:
    d = metrics.contract(doc).get("document") or {}
    return {"doc_id": getattr(doc, "doc_id", None), "unit_id": unit_id, "year": d.get("year"), "kind": d.get("kind")}


def _label(key: str) -> str:
    from .prose import label

    return label(key)


def document_row(unit_id: str, unit_name: str, doc: Any) -> dict[str, Any]:
    data = metrics.contract(doc)
    source, d = data.get("source") or {}, data.get("document") or {}
    files = [f.get("path") for f in source.get("files") or [source]]
    counts = metrics.findings_counts(doc)
    return {
        "doc_id": getattr(doc, "doc_id", None), "file": source.get("path"), "files": files,
        "sha256": source.get("sha256"), "files_sha256": [f.get("sha256") for f in source.get("files") or [source]],
        "format": source.get("format"), "pages": source.get("pages"),
        "unit": d.get("unit"), "unit_id": unit_id, "unit_name": unit_name, "year": d.get("year"),
        "kind": d.get("kind"), "phase": PHASES.get(d.get("kind") or ""), "scope": d.get("scope"),
        "currency": CURRENCY, "amount_unit": AMOUNT_UNIT, "source_currency_unit": d.get("source_currency_unit"),
        "tables": len(data.get("tables") or []), "projects": len(data.get("projects") or []),
        "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
        "budgetlens_version": data.get("budgetlens_version"),
    }


def _measure_unit(key: str, value: Any) -> str | None:
    if isinstance(value, str):
        return None
    return MEASURE_UNITS.get(key, "人" if key in COUNT_KEYS else AMOUNT_UNIT)


def fact_rows(unit_id: str, doc: Any) -> list[dict[str, Any]]:
    """One row per fact the document states (absent and null facts give no row)."""
    data = metrics.contract(doc)
    provenance = data.get("provenance") or {}
    rows = []
    for key, value in (data.get("facts") or {}).items():
        if value is None:
            continue
        prov = provenance.get(key) or {}
        text = isinstance(value, str)
        rows.append({**_common(unit_id, doc), "fact": key, "label": _label(key),
                     "value": None if text else float(value), "value_text": value if text else None,
                     "measure_unit": _measure_unit(key, value), "source": prov.get("source"),
                     "table": prov.get("table"), "row": prov.get("row"), "line": prov.get("line"),
                     "text": prov.get("text")})
    return rows


def prior_year_rows(unit_id: str, doc: Any) -> list[dict[str, Any]]:
    common = _common(unit_id, doc)
    year = common["year"]
    return [{**common, "fact": key, "label": _label(key), "value_year": year - 1 if isinstance(year, int) else None,
             "value": float(value), "measure_unit": _measure_unit(key, value)}
            for key, value in (metrics.contract(doc).get("prior_year") or {}).items()
            if isinstance(value, int | float) and not isinstance(value, bool)]


def function_total_rows(unit_id: str, doc: Any) -> list[dict[str, Any]]:
    """One row per 类 (:func:`budgetlens.metrics.class_shares`: code, name, amount, share)."""
    common = _common(unit_id, doc)
    return [{**common, "class_code": r["code"], "class_name": r["name"], "amount": r["amount"], "share": r["share"]}
            for r in metrics.class_shares(doc).sort_values("code").to_dict("records")]


def finding_rows(unit_id: str, doc: Any) -> list[dict[str, Any]]:
    common = _common(unit_id, doc)
    rows = []
    for n, f in enumerate(metrics.contract(doc).get("findings") or [], start=1):
        ev = f.get("evidence") or {}
        tables, table_rows = list(ev.get("tables") or []), list(ev.get("rows") or [])
        rows.append({**common, "finding": n, "rule": f.get("rule"), "severity": f.get("severity"),
                     "message": f.get("message"), "table": tables[0] if tables else None,
                     "row": table_rows[0] if table_rows else None, "tables": tables, "rows": table_rows,
                     "values": list(ev.get("values") or []), "lines": list(ev.get("lines") or []), "evidence": ev})
    return rows


def project_rows(unit_id: str, doc: Any) -> list[dict[str, Any]]:
    """One row per project: the figures of :func:`budgetlens.metrics.project_table`, plus the form's words."""
    common = _common(unit_id, doc)
    raw = metrics.contract(doc).get("projects") or []
    computed = metrics.project_table(doc).to_dict("records")
    rows = []
    for n, (p, figures) in enumerate(zip(raw, computed, strict=True), start=1):
        rows.append({**common, "project": n, **figures, "form": p.get("form"), "department": p.get("department"),
                     "implementing_unit": p.get("implementing_unit"), "indicators": len(p.get("indicators") or []),
                     "damaged": bool(p.get("damaged")), "line": p.get("line")})
    return rows


def cell_frame(unit_id: str, doc: Any) -> pd.DataFrame:
    """The document's canonical tables (``tables.parquet``) with the shared columns in front."""
    tables = getattr(doc, "tables", None)
    if tables is None or not len(tables):
        return pd.DataFrame(columns=columns("cells"))
    frame = tables.copy()
    for key, value in _common(unit_id, doc).items():
        frame[key] = value
    return frame


# --- all documents ------------------------------------------------------------------------------

_ROWS = {"facts": fact_rows, "prior_year": prior_year_rows, "function_totals": function_total_rows,
         "findings": finding_rows, "projects": project_rows}


def build_tables(units: Iterable[Any], only: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table (or those named in ``only``) over the units' documents (:class:`budgetlens.units.Unit`),
    typed as declared. Documents come in the units' order (unit_id, year, kind)."""
    wanted = list(only) if only is not None else table_names()
    rows: dict[str, list[Any]] = {name: [] for name in wanted}
    for unit in units:
        for doc in unit.documents:
            if "documents" in rows:
                rows["documents"].append(document_row(unit.unit_id, unit.name, doc))
            for name, build in _ROWS.items():
                if name in rows:
                    rows[name].extend(build(unit.unit_id, doc))
            if "cells" in rows:
                frame = cell_frame(unit.unit_id, doc)
                if len(frame):
                    rows["cells"].append(frame)
    out = {}
    for name in wanted:
        if name == "cells":
            cells = pd.concat(rows[name], ignore_index=True) if rows[name] else pd.DataFrame(columns=columns(name))
            out[name] = typed(name, cells)
        else:
            out[name] = typed(name, rows[name])
    return out


def csv_compression(table: str) -> str | None:
    """``"gz"`` for a table whose CSV is written gzipped (``csv_compression`` in the registry)."""
    return registry()["tables"][table].get("csv_compression")


def csv_name(table: str) -> str:
    """The file name of a table's CSV: ``<table>.csv``, or ``<table>.csv.gz`` when compressed."""
    return f"{table}.csv.gz" if csv_compression(table) == "gz" else f"{table}.csv"


def read_table(folder: str | Path, table: str) -> pd.DataFrame:
    """A written table (``<folder>/<table>.parquet``), e.g. ``read_table("reports/dataset", "facts")``."""
    return pd.read_parquet(Path(folder) / f"{table}.parquet")


# --- the units back from a written dataset ------------------------------------------------------

_UNIT_TABLES = ["documents", "facts", "prior_year", "function_totals", "findings", "projects"]  # documents first


def _json(v: Any) -> Any:
    return None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else json.loads(v)


def _value(v: Any) -> Any:
    """A cell as a plain Python value (``None`` for missing; numpy scalars unwrapped)."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def _records(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The rows of a table by ``doc_id``, as plain dicts, in the table's order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in frame.to_dict("records"):
        out.setdefault(row["doc_id"], []).append({k: _value(v) for k, v in row.items()})
    return out


def _fact_value(key: str, value: Any, text: Any) -> Any:
    if text is not None:
        return text
    return int(value) if key in COUNT_KEYS and value is not None and float(value).is_integer() else value


def _contract(doc: dict[str, Any], facts: list[dict[str, Any]], prior: list[dict[str, Any]],
              classes: list[dict[str, Any]], findings: list[dict[str, Any]], projects: list[dict[str, Any]]) -> dict:
    """A document's contract JSON as far as the dataset holds it: identification, source files,
    facts with provenance, prior-year figures, 类 totals, findings and projects (the tables only
    as their count: the cells are the ``cells`` table)."""
    files = _json(doc["files"]) or []
    shas = _json(doc.get("files_sha256")) or [None] * len(files)
    source: dict[str, Any] = {"path": doc["file"], "sha256": doc["sha256"], "format": doc["format"], "pages": doc["pages"]}
    if len(files) > 1:
        source["files"] = [{"path": p, "sha256": h} for p, h in zip(files, shas, strict=False)]
    provenance = {f["fact"]: {k: f[k] for k in ("source", "table", "row", "line", "text") if f[k] is not None}
                  for f in facts}
    return {
        "document": {"unit": doc["unit"], "year": doc["year"], "kind": doc["kind"], "scope": doc["scope"],
                     "source_currency_unit": doc["source_currency_unit"]},
        "source": source,
        "facts": {f["fact"]: _fact_value(f["fact"], f["value"], f["value_text"]) for f in facts},
        "provenance": {k: v for k, v in provenance.items() if v},
        "prior_year": {p["fact"]: _fact_value(p["fact"], p["value"], None) for p in prior},
        "function_totals": {c["class_code"]: c["amount"] for c in classes},
        "findings": [{"rule": f["rule"], "severity": f["severity"], "message": f["message"],
                      "evidence": _json(f["evidence"]) or {}} for f in findings],
        "projects": [{"name": p["name"], "budget_initial": p["budget_initial"], "budget": p["budget"],
                      "executed": p["executed"], "execution_rate": p["execution_rate"] if p["rate_printed"] else None,
                      "score": p["score"], "grade": p["grade"], "form": p["form"], "department": p["department"],
                      "implementing_unit": p["implementing_unit"], "indicators": [{}] * int(p["indicators"] or 0),
                      "damaged": bool(p["damaged"]), "line": p["line"]} for p in projects],
        "tables": [{}] * int(doc["tables"] or 0),
        "budgetlens_version": doc["budgetlens_version"],
    }


def read_units(folder: str | Path) -> list[Any]:
    """The units of a written dataset (``budgetlens export``; a batch's ``reports/dataset``), in
    its order, each document rebuilt from the tables (:func:`_contract`), so that the panel and the
    dataset are one set of numbers and a panel of thousands of units reads six files instead of
    every ``document.json``. Raises ``FileNotFoundError`` naming the folder when a table is missing."""
    from .units import Unit, UnitDocument

    folder = Path(folder)
    missing = [t for t in _UNIT_TABLES if not (folder / f"{t}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: not a budgetlens dataset (no {', '.join(f'{t}.parquet' for t in missing)})")
    tables = {t: read_table(folder, t) for t in _UNIT_TABLES}
    parts = {t: _records(tables[t]) for t in _UNIT_TABLES if t != "documents"}
    units: dict[str, Any] = {}
    for doc in _records(tables["documents"]).values():
        doc = doc[0]
        doc_id = doc["doc_id"]
        data = _contract(doc, *(parts[t].get(doc_id, []) for t in _UNIT_TABLES[1:]))
        unit = units.setdefault(doc["unit_id"], Unit(unit_id=doc["unit_id"], name=doc["unit_name"]))
        unit.documents.append(UnitDocument(doc_id=doc_id, folder=folder / "documents" / doc_id, data=data))
    return list(units.values())
