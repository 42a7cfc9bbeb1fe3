"""``budgetlens export``: the research dataset as Parquet + CSV files and a ``datapackage.json``.

Every table of :mod:`budgetlens.dataset` is written twice with the same columns: ``<table>.parquet``
(typed: nullable integers, strings, floats) and ``<table>.csv`` (UTF-8 with a byte-order mark so
that Excel shows the Chinese text; pandas, R's readr/data.table and Stata read it as UTF-8; JSON
text for array/object columns; an empty cell is missing). A table declared ``csv_compression: gz``
(the cells, nine tenths of the bytes) is written as ``<table>.csv.gz`` instead (gzip, no time
stamp: the same rows give the same bytes). ``datapackage.json`` is a Frictionless
Data Package describing each CSV resource (every column's name, type, description and
constraints, Fiscal Data Package conventions for the amounts), with each file's sha256 and size
and the versions that made it.

Each file is written under a temporary name and renamed; ``datapackage.json`` last. A rerun
whose inputs (every document's ``document.json`` and ``tables.parquet``, the unit alias table)
and code are unchanged, and whose files are intact, writes nothing.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import dataset
from .fsutil import atomic_write, atomic_write_json, sha256_file
from .units import find_aliases_csv, load_units, require_processed

DATAPACKAGE = "datapackage.json"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel needs it for Chinese text; pandas/readr/Stata skip it
FORMAT_VERSION = 2  # 2: cells.csv.gz


@dataclass
class ExportResult:
    """What :func:`export_dataset` did: ``written`` False when everything was up to date."""

    folder: Path
    written: bool
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # file name → bytes

    @property
    def bytes(self) -> int:
        return sum(self.files.values())


def input_fingerprint(processed: str | Path) -> str:
    """One hash over what the dataset is made of: each catalogued document's files, the alias
    table, the budgetlens code and the dataset declarations."""
    from .batch.state import code_fingerprint, digest
    from .store import read_catalog

    folder = require_processed(processed)
    catalog = read_catalog(folder)
    docs = []
    for doc_id in sorted(str(d) for d in catalog.get("doc_id", [])):
        docs.append([doc_id] + [sha256_file(p) if p.is_file() else None
                                for p in (folder / doc_id / "document.json", folder / doc_id / "tables.parquet")])
    aliases = find_aliases_csv(folder, [str(p) for p in catalog.get("path", pd.Series(dtype=str)).dropna()])
    return digest({"format": FORMAT_VERSION, "code": code_fingerprint(), "documents": docs,
                   "aliases": sha256_file(aliases) if aliases and Path(aliases).is_file() else None})


def _up_to_date(out: Path, fingerprint: str) -> dict[str, Any] | None:
    """The existing datapackage when it was made from the same inputs and its files are intact."""
    try:
        package = json.loads((out / DATAPACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (package.get("budgetlens") or {}).get("fingerprint") != fingerprint:
        return None
    for res in package.get("resources", []):
        for part in (res, res.get("parquet") or {}):
            path = out / str(part.get("path", ""))
            if not path.is_file() or f"sha256:{sha256_file(path)}" != part.get("hash"):
                return None
    return package


def current_dataset(processed: str | Path, folder: str | Path) -> Path | None:
    """``folder`` when it holds the dataset of exactly the documents in ``processed`` with this
    code (its fingerprint matches and its files are intact), else None: what may be read in their
    place (a batch's panel), never a stale one."""
    try:
        return Path(folder) if _up_to_date(Path(folder), input_fingerprint(processed)) is not None else None
    except (OSError, ValueError):
        return None


def _write_csv(frame: pd.DataFrame, path: Path, compression: str | None = None) -> None:
    if compression != "gz":
        atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, encoding=CSV_ENCODING, lineterminator="\n"))
        return

    def gzipped(tmp: Any) -> None:  # no file name and no time in the gzip header: the same rows, the same bytes
        with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz, \
                io.TextIOWrapper(gz, encoding=CSV_ENCODING, newline="") as text:
            frame.to_csv(text, index=False, lineterminator="\n")

    atomic_write(path, gzipped)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


def _schema(table: str) -> dict[str, Any]:
    spec = dataset.registry()["tables"][table]
    schema: dict[str, Any] = {"fields": [dict(f) for f in spec["fields"]], "missingValues": [""]}
    for key in ("primaryKey", "foreignKeys"):
        if spec.get(key):
            schema[key] = spec[key]
    return schema


def datapackage(out: Path, rows: dict[str, int], fingerprint: str) -> dict[str, Any]:
    """The Frictionless descriptor of the files in ``out`` (call after they are written)."""
    from .versions import environment

    meta = dataset.registry()["package"]
    resources = []
    for table in dataset.table_names():
        spec = dataset.registry()["tables"][table]
        csv, parquet = out / dataset.csv_name(table), out / f"{table}.parquet"
        compression = {"compression": dataset.csv_compression(table)} if dataset.csv_compression(table) else {}
        resources.append({
            "name": table, "title": spec.get("title"), "description": " ".join(str(spec.get("description", "")).split()),
            "path": csv.name, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            **compression, "encoding": CSV_ENCODING, "dialect": {"delimiter": ",", "header": True},
            "bytes": csv.stat().st_size, "hash": f"sha256:{sha256_file(csv)}",
            "schema": _schema(table),
            # The same table as Parquet (same columns and types): not a separate resource.
            "parquet": {"path": parquet.name, "mediatype": "application/vnd.apache.parquet",
                        "bytes": parquet.stat().st_size, "hash": f"sha256:{sha256_file(parquet)}"},
            "rows": rows.get(table, 0),
        })
    return {
        "profile": "tabular-data-package",
        "name": meta["name"], "title": meta["title"], "description": " ".join(str(meta["description"]).split()),
        "keywords": meta.get("keywords", []),
        "created": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": resources,
        "budgetlens": {"fingerprint": fingerprint, "environment": environment()},
    }


def export_dataset(processed: str | Path, out: str | Path, *, aliases_csv: str | Path | None = None,
                   force: bool = False) -> ExportResult:
    """Write every table of :mod:`budgetlens.dataset` for the documents in ``processed`` into ``out``.

    Nothing is written when the inputs, the code and the existing files are unchanged (``force``
    writes anyway). Raises :class:`budgetlens.units.ProcessedDataError` when ``processed`` was
    never filled by ``budgetlens extract``.
    """
    processed, out = require_processed(processed), Path(out)
    fingerprint = input_fingerprint(processed)
    existing = None if force or aliases_csv is not None else _up_to_date(out, fingerprint)
    if existing is not None:
        files = {}
        for res in existing["resources"]:
            files[res["path"]] = res["bytes"]
            files[res["parquet"]["path"]] = res["parquet"]["bytes"]
        return ExportResult(out, False, {r["name"]: r.get("rows", 0) for r in existing["resources"]}, files)
    tables = dataset.build_tables(load_units(processed, aliases_csv))
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        _write_parquet(frame, out / f"{name}.parquet")
        _write_csv(frame, out / dataset.csv_name(name), dataset.csv_compression(name))
        for stale in {f"{name}.csv", f"{name}.csv.gz"} - {dataset.csv_name(name)}:  # the other form, from an older run
            (out / stale).unlink(missing_ok=True)
    rows = {name: len(frame) for name, frame in tables.items()}
    atomic_write_json(out / DATAPACKAGE, datapackage(out, rows, fingerprint))
    names = {n for t in tables for n in (dataset.csv_name(t), f"{t}.parquet")}
    files = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.name in names}
    files[DATAPACKAGE] = (out / DATAPACKAGE).stat().st_size
    return ExportResult(out, True, rows, files)

