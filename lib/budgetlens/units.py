"""Units across documents: which processed documents are one reporting unit (部门/单位).

A unit prints its name differently across years and volumes (``昌吉州中小企业发展局`` in one
table header, ``昌吉回族自治州中小企业发展局`` in the narrative or next year's report,
``…（部门预算）`` in a title). Documents are grouped by

1. the editable alias table ``units.csv`` (``alias,unit_id,canonical_name``; aliases are
   compared in normalised form), which always wins, then
2. :func:`normalise_unit_name`: no spaces, no bracketed content (``（部门预算）``, ``(本级)``),
   full-width forms folded, ``中国共产党`` → ``中共`` (and a party organ named without it,
   ``江苏省委办公厅``, gets it), ``X回族自治州`` → ``X州`` and a trailing
   ``2023年度部门预算公开`` style title tail removed;
3. the scope: where one name has both a 部门 report (the department with its subordinate units)
   and a 单位 report (the body alone), the unit-level documents are a unit of their own.

:func:`unit_table` is the one place that decides which document belongs to which unit; the
notebooks, the report builder and the batch runner all read it. :func:`load_unit` gives a
unit's documents (contract JSON + canonical tables) in year order.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .store import CATALOG, read_catalog, read_document, read_tables

ALIASES_FILE = "units.csv"
ENV_ALIASES = "BUDGETLENS_UNITS"
KIND_ORDER = {"budget": 0, "final": 1, "performance": 2}
KIND_LABELS = {"budget": "预算", "final": "决算", "performance": "绩效自评"}

UNREAD_NAME = "未能读出单位名称"
UNIT_COLUMNS = ["doc_id", "unit_id", "unit_name", "unit", "year", "kind", "path", "sha256",
                "errors", "warnings", "infos"]


class UnknownUnitError(ValueError):
    """A unit id that no processed document belongs to."""


class UnknownDocumentError(ValueError):
    """A document id that is not in ``catalog.parquet``."""


class ProcessedDataError(FileNotFoundError):
    """``data/processed`` is missing or was never filled by ``budgetlens extract``."""


# --- names ------------------------------------------------------------------------------------

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_SPACE = re.compile(r"[\s\u3000]+")
_ETHNIC = ("回族|维吾尔族?|哈萨克族?|蒙古族?|藏族|彝族|壮族|苗族|土家族|布依族|侗族|傣族|景颇族|傈僳族|白族|"
           "朝鲜族|羌族|黎族|哈尼族|柯尔克孜族?|瑶族|畲族|仡佬族|水族|纳西族|拉祜族|佤族|土族|撒拉族|"
           "达斡尔族|鄂温克族|独龙族|怒族|普米族|仫佬族|毛南族|各族")
_AUTONOMOUS = re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)(?:{_ETHNIC})+自治(州|县|旗)")
_TITLE_TAIL = re.compile(r"(?:\d{4}年度?)?(?:部门|单位)?(?:整体)?(?:预算|决算|支出绩效自评表?)(?:公开|情况|表)?$")
_YEAR_HEAD = re.compile(r"^\d{4}年度?")


_PARTY_ORGAN = re.compile(r"^(?!中共)[\u4e00-\u9fff]{2,12}?[省市区县州旗]委(?!员)")


def normalise_unit_name(name: str | None) -> str:
    """The comparison key of a unit name (see the module docstring for the rules).

    >>> normalise_unit_name("上海市普陀区人民政府万里街道办事处（部门预算）")
    '上海市普陀区人民政府万里街道办事处'
    >>> normalise_unit_name("昌吉回族自治州 中小企业发展局")
    '昌吉州中小企业发展局'
    >>> normalise_unit_name("江苏省委办公厅") == normalise_unit_name("中共江苏省委办公厅")
    True
    """
    if not isinstance(name, str) or not name:  # None, or NaN from a catalogue column: no name was read
        return ""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACE.sub("", text)
    text = text.replace("“", "").replace("”", "").replace('"', "")
    previous = None
    while previous != text:  # nested or repeated brackets
        previous = text
        text = _BRACKETS.sub("", text)
    text = text.replace("中国共产党", "中共")
    if _PARTY_ORGAN.match(text):  # 江苏省委办公厅 is 中共江苏省委办公厅
        text = "中共" + text
    text = _AUTONOMOUS.sub(r"\1\2", text)
    text = _YEAR_HEAD.sub("", text)
    stripped = _TITLE_TAIL.sub("", text)
    return stripped or text


def display_name(name: str | None) -> str:
    """A printed name for pages: spaces and bracketed document-kind words (（部门预算）) removed."""
    if not isinstance(name, str) or not name:
        return ""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name))
    text = re.sub(r"\([^()]*(?:预算|决算|公开|文字说明|表册|报表)[^()]*\)", "", text)
    text = _TITLE_TAIL.sub("", _YEAR_HEAD.sub("", text)) or text
    return text.replace("(", "（").replace(")", "）")


def unread_name(path: str | None) -> str:
    """What pages call a unit whose documents print no name that could be read: its file's name,
    saying so (never "nan")."""
    return f"{Path(str(path or '')).name or '?'}（{UNREAD_NAME}）"


def safe_unit_id(key: str) -> str:
    """A file-name-safe unit id: the normalised name, with path separators and odd characters replaced."""
    text = re.sub(r"[^\w\-.\u4e00-\u9fff]+", "_", key).strip("._")
    return text or "unit"


# --- the alias table --------------------------------------------------------------------------

@dataclass(frozen=True)
class Alias:
    unit_id: str
    canonical_name: str


def read_aliases(path: str | Path | None) -> dict[str, Alias]:
    """``units.csv`` as normalised alias → :class:`Alias` (an absent file is an empty table).

    The canonical name itself is also an alias of its unit. A malformed row (no alias or no
    unit_id) is an error naming the file and the line.
    """
    if path is None or not Path(path).is_file():
        return {}
    out: dict[str, Alias] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"alias", "unit_id"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: the alias table needs the columns alias,unit_id,canonical_name "
                             f"(missing: {', '.join(sorted(missing))})")
        for lineno, row in enumerate(reader, start=2):
            alias = (row.get("alias") or "").strip()
            unit_id = (row.get("unit_id") or "").strip()
            if not alias and not unit_id:
                continue
            if not alias or not unit_id:
                raise ValueError(f"{path}:{lineno}: every row needs an alias and a unit_id")
            canonical = (row.get("canonical_name") or "").strip() or alias
            entry = Alias(safe_unit_id(unit_id), canonical)
            out[normalise_unit_name(alias)] = entry
            out.setdefault(normalise_unit_name(canonical), entry)
    return out


def find_aliases_csv(processed: str | Path, paths: list[str] | None = None) -> Path | None:
    """The alias table for a processed folder, or None.

    In order: ``$BUDGETLENS_UNITS``; ``<processed>/units.csv``; ``units.csv`` in the folder of the
    documents' source files (``catalog.path``, relative to the working directory or to the
    project root, i.e. two levels above ``data/processed``); ``<processed>/../raw/units.csv``.
    """
    env = os.environ.get(ENV_ALIASES)
    if env:
        return Path(env)
    processed = Path(processed)
    candidates = [processed / ALIASES_FILE]
    roots = [Path.cwd(), processed.resolve().parent.parent]
    for p in paths or []:
        src = Path(p)
        if src.is_absolute():
            candidates.append(src.parent / ALIASES_FILE)
        else:
            candidates.extend(root / src.parent / ALIASES_FILE for root in roots)
    candidates.append(processed.resolve().parent / "raw" / ALIASES_FILE)
    for c in candidates:
        if c.is_file():
            return c
    return None


# --- documents → units ------------------------------------------------------------------------

def require_processed(processed: str | Path) -> Path:
    """``processed`` as a Path, or a clear error when ``budgetlens extract`` has not filled it."""
    path = Path(processed)
    if not (path / CATALOG).is_file():
        raise ProcessedDataError(
            f"{path}: no {CATALOG} here — run `budgetlens extract data/raw --out {path}` first "
            f"(or point BUDGETLENS_PROCESSED at a processed folder)")
    return path


def unit_table(processed: str | Path, aliases_csv: str | Path | None = None) -> pd.DataFrame:
    """One row per processed document: which unit it belongs to.

    Columns: ``doc_id``, ``unit_id``, ``unit_name`` (canonical name for pages), ``unit`` (as the
    document prints it), ``year``, ``kind``, ``path``, ``sha256``, ``errors``, ``warnings``,
    ``infos``; sorted by unit_id, year, kind, doc_id. ``aliases_csv`` None looks the alias table up
    with :func:`find_aliases_csv` ("" or a missing file: no alias table). Without an alias the unit_id is the normalised name (file-safe)
    and the name is the most recent document's printed name (:func:`display_name`).
    """
    processed = require_processed(processed)
    catalog = read_catalog(processed)
    if aliases_csv is None:
        aliases_csv = find_aliases_csv(processed, list(catalog.get("path", pd.Series(dtype=str)).dropna()))
    # The table is computed once per catalogue and alias file (every unit page asks for it; over
    # thousands of documents it takes a second): keyed by both files' identity, copied out.
    key = (str(processed), _file_key(processed / CATALOG), str(aliases_csv or ""), _file_key(aliases_csv))
    if _TABLES.get("key") != key:
        _TABLES.clear()
        _TABLES.update(key=key, table=_unit_table(processed, catalog, aliases_csv))
    return _TABLES["table"].copy()


_TABLES: dict[str, Any] = {}


def _file_key(path: str | Path | None) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path) if path else None
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns) if st else None


def _unit_table(processed: Path, catalog: pd.DataFrame, aliases_csv: str | Path | None) -> pd.DataFrame:
    aliases = read_aliases(aliases_csv)
    if catalog.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    rows = []
    for rec in catalog.to_dict("records"):
        key = normalise_unit_name(rec.get("unit")) or normalise_unit_name(Path(str(rec.get("path"))).stem)
        alias = aliases.get(key)
        rows.append({
            "doc_id": rec["doc_id"],
            "unit_id": alias.unit_id if alias else safe_unit_id(key),
            "canonical": alias.canonical_name if alias else None,
            "unit": rec.get("unit"),
            "year": int(rec["year"]) if pd.notna(rec.get("year")) else None,
            "kind": rec.get("kind"),
            "path": rec.get("path"),
            "sha256": rec.get("sha256"),
            "errors": int(rec.get("errors") or 0),
            "warnings": int(rec.get("warnings") or 0),
            "infos": int(rec.get("infos") or 0),
        })
    frame = pd.DataFrame(rows)
    _separate_scopes(frame, catalog)
    frame["_kind_order"] = frame["kind"].map(KIND_ORDER).fillna(9)
    frame["_year"] = frame["year"].fillna(0)
    frame = frame.sort_values(["unit_id", "_year", "_kind_order", "doc_id"]).reset_index(drop=True)
    names = {}
    for unit_id, group in frame.groupby("unit_id", sort=False):
        canonical = group["canonical"].dropna()
        printed = [display_name(u) for u in group["unit"]]
        names[unit_id] = (canonical.iloc[0] if len(canonical) else
                          next((u for u in reversed(printed) if u), None) or unread_name(group["path"].iloc[-1]))
    frame["unit_name"] = frame["unit_id"].map(names)
    frame["year"] = frame["year"].astype("Int64")
    return frame[UNIT_COLUMNS]


def _separate_scopes(frame: pd.DataFrame, catalog: pd.DataFrame) -> None:
    """A department's report (部门预算/决算: with its subordinate units) and the same body's own
    unit report (单位预算/决算, 本级) are different reporting entities: where both are present under
    one name (and no alias says otherwise), the unit-level documents form a unit of their own."""
    if "scope" not in catalog.columns:
        return
    scope = frame["doc_id"].map(dict(zip(catalog["doc_id"], catalog["scope"], strict=False)))
    for unit_id, group in frame[frame["canonical"].isna()].groupby("unit_id"):
        scopes = set(scope[group.index].dropna())
        if {"department", "unit"} <= scopes:
            own = group.index[scope[group.index] == "unit"]
            frame.loc[own, "unit_id"] = safe_unit_id(f"{unit_id}-单位")
            frame.loc[own, "canonical"] = (display_name(group["unit"].iloc[-1]) or unit_id) + "（单位）"


def unit_ids(table: pd.DataFrame) -> list[str]:
    """The unit ids of a :func:`unit_table`, in its order."""
    return list(dict.fromkeys(table["unit_id"]))


def require_unit(unit_id: str, table: pd.DataFrame) -> pd.DataFrame:
    """The unit's rows of a :func:`unit_table`, or :class:`UnknownUnitError` naming the known units."""
    rows = table[table["unit_id"] == unit_id]
    if rows.empty:
        known = unit_ids(table)
        shown = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
        raise UnknownUnitError(f"unknown unit_id {unit_id!r}: no processed document belongs to it. "
                               f"Known units ({len(known)}): {shown or 'none'}")
    return rows


def require_document(doc_id: str, processed: str | Path) -> str:
    """``doc_id`` if the catalogue lists it, else :class:`UnknownDocumentError` naming the known ids."""
    catalog = read_catalog(require_processed(processed))
    known = list(catalog["doc_id"]) if len(catalog) else []
    if doc_id not in known:
        shown = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
        raise UnknownDocumentError(f"unknown document {doc_id!r} in {processed}. "
                                   f"Known documents ({len(known)}): {shown or 'none'}")
    return doc_id


# --- loaded documents and units ---------------------------------------------------------------

@dataclass
class UnitDocument:
    """One processed document: its contract JSON (``data``) and, on demand, its canonical tables."""

    doc_id: str
    folder: Path
    data: dict[str, Any]

    @classmethod
    def load(cls, processed: str | Path, doc_id: str) -> UnitDocument:
        folder = Path(processed) / doc_id
        return cls(doc_id=doc_id, folder=folder, data=read_document(folder))

    @property
    def year(self) -> int | None:
        return self.data.get("document", {}).get("year")

    @property
    def kind(self) -> str:
        return self.data.get("document", {}).get("kind") or ""

    @property
    def unit(self) -> str:
        return self.data.get("document", {}).get("unit") or ""

    @property
    def facts(self) -> dict[str, Any]:
        return self.data.get("facts") or {}

    @property
    def label(self) -> str:
        """``2023年度决算``, ``2025年预算``, ``2020年度绩效自评``."""
        year = self.year
        kind = KIND_LABELS.get(self.kind, self.kind)
        if year is None:
            return kind
        return f"{year}年{kind}" if self.kind == "budget" else f"{year}年度{kind}"

    @property
    def source_name(self) -> str:
        return Path(self.data.get("source", {}).get("path", self.doc_id)).name

    @cached_property
    def tables(self) -> pd.DataFrame:
        path = self.folder / "tables.parquet"
        if not path.is_file():
            return pd.DataFrame(columns=["table_id", "section", "row", "code", "level", "name", "label",
                                         "measure", "value", "line"])
        return read_tables(self.folder)


@dataclass
class Unit:
    """A unit and its documents in year order (budget before final before performance)."""

    unit_id: str
    name: str
    documents: list[UnitDocument] = field(default_factory=list)
    table: pd.DataFrame | None = None

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.documents if d.year is not None})

    @property
    def latest(self) -> UnitDocument | None:
        """The document the unit page leads with: the latest year, a final before a budget."""
        docs = [d for d in self.documents if d.kind in ("final", "budget")] or self.documents
        if not docs:
            return None
        return max(docs, key=lambda d: (d.year or 0, KIND_ORDER.get(d.kind, 9) == 1, -quality_rank(d)))

    @property
    def name_read(self) -> bool:
        """False when none of the unit's documents prints a name that could be read (its name is
        then its file's, :func:`unread_name`)."""
        return any(d.unit for d in self.documents)

    def of_kind(self, kind: str) -> list[UnitDocument]:
        return [d for d in self.documents if d.kind == kind]


def quality_rank(doc: UnitDocument) -> int:
    """Errors then warnings (fewer is better): picks one of two documents of the same year and kind."""
    sev = [f.get("severity") for f in doc.data.get("findings", [])]
    return sev.count("error") * 1000 + sev.count("warning")


def load_unit(unit_id: str, processed: str | Path, aliases_csv: str | Path | None = None,
              table: pd.DataFrame | None = None) -> Unit:
    """The unit's documents, loaded; :class:`UnknownUnitError` when no document belongs to it."""
    if table is None:
        table = unit_table(processed, aliases_csv)
    rows = require_unit(unit_id, table)
    docs = [UnitDocument.load(processed, doc_id) for doc_id in rows["doc_id"]]
    return Unit(unit_id=unit_id, name=str(rows["unit_name"].iloc[0]), documents=docs, table=rows)


def load_units(processed: str | Path, aliases_csv: str | Path | None = None) -> list[Unit]:
    """Every unit of a processed folder, in :func:`unit_table` order."""
    table = unit_table(processed, aliases_csv)
    return [load_unit(u, processed, table=table) for u in unit_ids(table)]
