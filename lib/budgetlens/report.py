"""HTML reports: papermill runs the notebook templates, nbconvert exports them, plus the index page.

The public functions (the batch runner calls them; each writes atomically and returns the path
it wrote):

``run_document_notebook(source_doc_id, processed, reports, *, timeout=600, kernel_name=None)``
    ``notebooks/01_document.ipynb`` for one processed document → ``reports/documents/<doc_id>.html``.
``run_unit_notebook(unit_id, processed, reports, *, timeout=600, kernel_name=None)``
    ``notebooks/02_unit_report.ipynb`` for one unit (:func:`budgetlens.units.unit_table`) →
    ``reports/units/<unit_id>.html``.
``run_panel_notebook(processed, reports, *, timeout=600, kernel_name=None)``
    ``notebooks/03_panel.ipynb`` over all units → ``reports/panel.html``.
``write_index(processed, reports)``
    ``reports/index.html``: every unit with its key figures, years and a data-quality badge,
    linking the unit pages and the panel (no notebook, no kernel).
``build_all(processed, reports)``
    All of the above except the per-document pages, one after the other; returns the paths
    (the index last). Optional ``timeout``/``kernel_name`` keywords as for the run functions.

How a notebook is run: the template in ``notebooks/`` is never modified; papermill executes it
with the parameters into ``reports/runs/<notebook>/<id>.ipynb`` (a temporary name first, renamed
when the run succeeded; a failed run is kept as ``<id>.failed.ipynb`` and a :class:`ReportError`
names it). nbconvert exports the executed notebook without input cells, with the custom template
in ``templates/`` (no external scripts, styles or fonts: the page is self-contained and prints on
A4); then the executed notebook is written as the run record, its images replaced by references to
the page that embeds them (:mod:`budgetlens.runrecords`: each chart stored once). ``timeout`` is the seconds one cell may run;
``kernel_name`` None means ``python3``, i.e. the interpreter running budgetlens.

Parameters are validated twice: here before a kernel starts (unknown parameter names, a document or
unit that does not exist), and in the notebook's first code cell by :func:`check_parameters` and
the ``load_*`` functions, so a notebook run by hand or by papermill directly fails the same way.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import platform
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__, metrics, prose, runrecords
from .fsutil import atomic_write_text
from .units import (
    KIND_LABELS,
    Unit,
    UnitDocument,
    find_aliases_csv,
    load_unit,
    load_units,
    require_document,
    require_processed,
    require_unit,
    unit_ids,
    unit_table,
)
from .versions import git_commit, lock_sha256, package_versions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"
ENV_PROCESSED = "BUDGETLENS_PROCESSED"
ENV_NOTEBOOKS = "BUDGETLENS_NOTEBOOKS"
ENV_DATE = "SOURCE_DATE_EPOCH"  # reproducible-builds convention: pin the pages' "生成于" time
DEFAULT_KERNEL = "python3"
HIDE_TAG = "report-hide"  # cells kept in the run record but not on the page (nbval checks)

DOCUMENT_NOTEBOOK = "01_document"
UNIT_NOTEBOOK = "02_unit_report"
PANEL_NOTEBOOK = "03_panel"
#: The parameters each notebook's ``parameters`` cell declares (and nothing else is accepted).
PARAMETERS: dict[str, tuple[str, ...]] = {
    DOCUMENT_NOTEBOOK: ("source_doc_id", "processed"),
    UNIT_NOTEBOOK: ("unit_id", "processed", "aliases"),
    PANEL_NOTEBOOK: ("processed", "aliases", "dataset"),
}
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


class ReportError(RuntimeError):
    """A notebook run or an export failed; the message says which notebook, which id, and where the record is."""


class ParameterError(ValueError):
    """A notebook was given a parameter it does not declare."""


# --- locating things --------------------------------------------------------------------------

def notebooks_dir() -> Path:
    """The notebook templates: ``$BUDGETLENS_NOTEBOOKS`` or ``notebooks/`` of the project."""
    env = os.environ.get(ENV_NOTEBOOKS)
    return Path(env) if env else PROJECT_ROOT / "notebooks"


def template_path(name: str) -> Path:
    path = notebooks_dir() / f"{name}.ipynb"
    if not path.is_file():
        raise ReportError(f"notebook template {path} not found (set {ENV_NOTEBOOKS} to the notebooks folder)")
    return path


def resolve_processed(processed: str | Path | None = None) -> Path:
    """The processed folder a notebook reads: the parameter, else ``$BUDGETLENS_PROCESSED``, else the
    project's ``data/processed``; an error saying what to run when it holds no catalogue."""
    if processed in (None, ""):
        processed = os.environ.get(ENV_PROCESSED) or PROJECT_ROOT / "data" / "processed"
    return require_processed(Path(processed).expanduser().resolve())


# --- parameters -------------------------------------------------------------------------------

def check_parameters(namespace: Mapping[str, Any], notebook: str) -> None:
    """Raise :class:`ParameterError` if the notebook's namespace holds a name that is neither one of
    its declared parameters (:data:`PARAMETERS`) nor an import or IPython's own.

    Called in the first code cell after the ``parameters`` cell: papermill injects parameters as
    plain assignments, so a misspelt or unknown parameter shows up here as an extra name.
    """
    if namespace.get("_budgetlens_checked") == notebook:
        return  # the setup cell run again in JupyterLab: the names are the notebook's own by now
    allowed = set(PARAMETERS[notebook])
    unknown = sorted(
        name for name, v in namespace.items()
        if not name.startswith("_") and name not in allowed and name not in _IPYTHON_NAMES
        and not callable(v) and type(v).__name__ != "module"
    )
    if unknown:
        raise ParameterError(f"{notebook}.ipynb: unknown parameter(s) {', '.join(unknown)}; "
                             f"it takes only {', '.join(PARAMETERS[notebook])}")
    if isinstance(namespace, dict):
        namespace["_budgetlens_checked"] = notebook


def validate_parameters(notebook: str, parameters: Mapping[str, Any]) -> None:
    """Raise :class:`ParameterError` for a parameter the template's ``parameters`` cell does not declare."""
    path = template_path(notebook)
    stat = path.stat()
    declared = _declared_parameters(str(path), stat.st_size, stat.st_mtime_ns)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ParameterError(f"{notebook}.ipynb: unknown parameter(s) {', '.join(unknown)}; "
                             f"its parameters cell declares {', '.join(sorted(declared)) or 'none'}")


@lru_cache(maxsize=8)
def _declared_parameters(path: str, size: int, mtime_ns: int) -> frozenset[str]:
    """The names a template's parameters cell declares (read once per template version)."""
    import papermill

    return frozenset(papermill.inspect_notebook(path))


def load_document_parameter(source_doc_id: str | None, processed: str | Path | None) -> UnitDocument:
    """The document a ``01_document`` run is about (None: the first of the catalogue)."""
    folder = resolve_processed(processed)
    if not source_doc_id:
        from .store import read_catalog

        catalog = read_catalog(folder)
        if not len(catalog):
            raise ReportError(f"{folder}: the catalogue lists no document")
        source_doc_id = str(sorted(catalog["doc_id"])[0])
    require_document(source_doc_id, folder)
    return UnitDocument.load(folder, source_doc_id)


def load_unit_parameter(unit_id: str | None, processed: str | Path | None, aliases: str | Path | None = None) -> Unit:
    """The unit a ``02_unit_report`` run is about (None: the first unit of :func:`unit_table`)."""
    folder = resolve_processed(processed)
    table = unit_table(folder, aliases)
    if not unit_id:
        ids = unit_ids(table)
        if not ids:
            raise ReportError(f"{folder}: no processed document, so no unit")
        unit_id = ids[0]
    return load_unit(unit_id, folder, table=table)


def load_units_parameter(processed: str | Path | None, aliases: str | Path | None = None,
                         dataset: str | Path | None = None) -> list[Unit]:
    """Every unit, for ``03_panel``: from the research dataset ``dataset`` when given (a batch
    passes the one it has just written: :func:`budgetlens.dataset.read_units`), else from the
    processed documents."""
    if dataset:
        from .dataset import read_units

        return read_units(dataset)
    return load_units(resolve_processed(processed), aliases)


# --- running and exporting --------------------------------------------------------------------

def _run_to_record(notebook: str, record_id: str, parameters: dict[str, Any], reports: Path, *, timeout: int,
                   kernel_name: str | None, page: tuple[Path, str] | None = None) -> Path:
    """Execute a template with papermill into ``reports/runs/<notebook>/<record_id>.ipynb``
    (written under a temporary name, renamed on success; a failure is kept as ``.failed.ipynb``).

    With ``page`` = (target, title) the page is exported from the executed notebook first, then
    the record is written with its images as references to that page (:mod:`budgetlens.runrecords`).
    """
    import papermill

    validate_parameters(notebook, parameters)
    template = template_path(notebook)
    runs = Path(reports) / "runs" / notebook
    runs.mkdir(parents=True, exist_ok=True)
    record = runs / f"{record_id}.ipynb"
    fd, tmp = tempfile.mkstemp(prefix=f".{record_id}.", suffix=".ipynb", dir=runs)
    os.close(fd)
    try:
        nb = papermill.execute_notebook(
            str(template), tmp, parameters=parameters, kernel_name=kernel_name or DEFAULT_KERNEL,
            execution_timeout=timeout, progress_bar=False, log_output=False, cwd=str(template.parent),
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],  # no kernel log lines on stderr (cell errors come back through papermill)
        )
    except Exception as exc:
        failed = runs / f"{record_id}.failed.ipynb"
        where = ""
        if Path(tmp).is_file() and Path(tmp).stat().st_size:
            os.replace(tmp, failed)
            where = f"; the executed notebook is kept at {failed}"
        ename = getattr(exc, "ename", None) or type(exc).__name__
        evalue = getattr(exc, "evalue", None) or (str(exc).strip().splitlines() or [""])[-1]
        raise ReportError(f"{notebook}.ipynb failed for {record_id!r}: {ename}: {evalue}{where}") from exc
    finally:
        if Path(tmp).exists():
            os.unlink(tmp)
    if page is None:
        _write_notebook(record, nb)
        return record
    target, title = page
    _export(nb, target, title)
    stripped, _ = runrecords.strip_images(nb, os.path.relpath(target, runs))
    _write_notebook(record, stripped)
    return record


def _write_notebook(path: Path, nb: Any) -> Path:
    import nbformat

    return atomic_write_text(path, nbformat.writes(nb))


def export_html(record: Path, target: Path, title: str) -> Path:
    """Export an executed notebook to a self-contained HTML page (no input cells, no prompts)."""
    import nbformat

    return _export(nbformat.read(str(record), as_version=4), target, title)


def _export(nb: Any, target: Path, title: str) -> Path:
    nb = nb.copy()
    nb.metadata = nb.metadata.copy()
    nb.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(nb, resources={"budgetlens": {"css": stylesheet(), "title": title}})
    return atomic_write_text(target, body)


@lru_cache(maxsize=1)
def _page_exporter_class() -> type:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last step, a BeautifulSoup pass over the whole page
        that gives images without alt text a placeholder and JupyterLab cells tab stops: every image
        and chart of the pages has its alt text or label, the classic template has no such cells,
        and re-serialising a page cost four fifths of its export. The page then holds each output's
        markup exactly as the notebook does (what a run record's sha256 of a chart refers to)."""

        def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> Any:
            lang = nb.metadata.get("language_info", {})
            lexer = lang.get("pygments_lexer", lang.get("name", None))
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter


@lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process: building one compiles its Jinja templates (a tenth of a second)."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _page_exporter_class()(template_name="classic", template_file=str(TEMPLATES / "page.html.j2"))
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={HIDE_TAG}, enabled=True), enabled=True)
    return exporter


def stylesheet() -> str:
    """The pages' CSS (inlined into every page)."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def run_document_notebook(source_doc_id: str, processed: Path, reports: Path, *, timeout: int = 600,
                          kernel_name: str | None = None) -> Path:
    """Run ``01_document.ipynb`` for one processed document and export
    ``reports/documents/<source_doc_id>.html`` (run record ``reports/runs/01_document/<id>.ipynb``).

    Raises :class:`budgetlens.units.UnknownDocumentError` before starting a kernel when the
    catalogue does not list ``source_doc_id``, and :class:`ReportError` when the run fails.
    """
    folder = resolve_processed(processed)
    require_document(source_doc_id, folder)
    doc = UnitDocument.load(folder, source_doc_id)
    target = Path(reports) / "documents" / f"{source_doc_id}.html"
    _run_to_record(DOCUMENT_NOTEBOOK, source_doc_id, {"source_doc_id": source_doc_id, "processed": str(folder)},
                   Path(reports), timeout=timeout, kernel_name=kernel_name,
                   page=(target, f"{prose.source_file(doc)} · {doc.unit} {doc.label}"))
    return target


def run_unit_notebook(unit_id: str, processed: Path, reports: Path, *, timeout: int = 600,
                      kernel_name: str | None = None) -> Path:
    """Run ``02_unit_report.ipynb`` for one unit and export ``reports/units/<unit_id>.html``
    (run record ``reports/runs/02_unit_report/<unit_id>.ipynb``).

    Raises :class:`budgetlens.units.UnknownUnitError` before starting a kernel when no document
    belongs to ``unit_id``, and :class:`ReportError` when the run fails.
    """
    folder = resolve_processed(processed)
    aliases = find_aliases_csv(folder, _catalog_paths(folder))
    rows = require_unit(unit_id, unit_table(folder, aliases))
    params = {"unit_id": unit_id, "processed": str(folder), "aliases": str(aliases) if aliases else ""}
    target = Path(reports) / "units" / f"{unit_id}.html"
    _run_to_record(UNIT_NOTEBOOK, unit_id, params, Path(reports), timeout=timeout, kernel_name=kernel_name,
                   page=(target, f"{rows['unit_name'].iloc[0]} · 预决算分析"))
    return target


def run_panel_notebook(processed: Path, reports: Path, *, timeout: int = 600, kernel_name: str | None = None,
                       dataset: str | Path | None = None) -> Path:
    """Run ``03_panel.ipynb`` over every unit and export ``reports/panel.html``
    (run record ``reports/runs/03_panel/panel.ipynb``); with ``dataset`` (a current research
    dataset of the same documents, :func:`budgetlens.export.current_dataset`) the panel reads it."""
    folder = resolve_processed(processed)
    aliases = find_aliases_csv(folder, _catalog_paths(folder))
    params = {"processed": str(folder), "aliases": str(aliases) if aliases else ""}
    if dataset:
        params["dataset"] = str(Path(dataset).resolve())  # the kernel runs in notebooks/: never a relative path
    target = Path(reports) / "panel.html"
    _run_to_record(PANEL_NOTEBOOK, "panel", params, Path(reports), timeout=timeout, kernel_name=kernel_name,
                   page=(target, "各单位对比"))
    return target


def _catalog_paths(folder: Path) -> list[str]:
    from .store import read_catalog

    catalog = read_catalog(folder)
    return [str(p) for p in catalog["path"].dropna()] if "path" in catalog else []


def build_all(processed: Path, reports: Path, *, timeout: int = 600, kernel_name: str | None = None) -> list[Path]:
    """Every unit page, the panel and the index, serially (what ``budgetlens report`` runs);
    returns the pages written, the index last. ``timeout``/``kernel_name`` as for the run functions."""
    folder = resolve_processed(processed)
    table = unit_table(folder, find_aliases_csv(folder, _catalog_paths(folder)))
    written = [run_unit_notebook(u, folder, Path(reports), timeout=timeout, kernel_name=kernel_name)
               for u in unit_ids(table)]
    written.append(run_panel_notebook(folder, Path(reports), timeout=timeout, kernel_name=kernel_name))
    written.append(write_index(folder, Path(reports)))
    return written


# --- pieces the notebooks display -------------------------------------------------------------

def show(*parts: str) -> None:
    """Display HTML fragments in a notebook as one output (nothing when all are empty)."""
    text = "".join(p for p in parts if p)
    if not text:
        return
    from IPython.display import HTML, display

    display(HTML(text))


def unit_href(unit_id: str, base: str = "units/") -> str:
    """The relative link to a unit page (the id percent-encoded: Chinese ids are fine)."""
    return f"{base}{quote(unit_id)}.html"


def nav(depth: int = 1) -> str:
    up = "../" * depth
    return (f'<nav class="crumbs"><a href="{up}index.html">总览</a> · '
            f'<a href="{up}panel.html">各单位对比</a></nav>')


def unit_header(unit: Unit) -> str:
    """The title block of a unit page: name, id, years, documents, data-quality badge."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for d in unit.documents:
        for k, v in metrics.findings_counts(d).items():
            counts[k] += v
    years = "、".join(str(y) for y in unit.years) or "—"
    kinds = "、".join(dict.fromkeys(d.label for d in unit.documents))
    return (f'<header class="page">{nav(1)}<h1>{html.escape(unit.name)}</h1>'
            f'<p class="meta">单位编号 {html.escape(unit.unit_id)} · 年度 {years} · {len(unit.documents)}份文件'
            f"（{html.escape(kinds)}） · {prose.badge(counts)}</p>"
            f"{prose.unit_documents_table(unit)}</header>")


def document_header(doc: UnitDocument) -> str:
    src = doc.data.get("source", {})
    return (f'<header class="page">{nav(1)}<h1>{html.escape(doc.unit)} · {html.escape(doc.label)}</h1>'
            f'<p class="meta">{html.escape(prose.source_file(doc))} · sha256 {html.escape(str(src.get("sha256", ""))[:16])}… · '
            f'原始金额单位 {html.escape(str(doc.data.get("document", {}).get("source_currency_unit", "")))} · '
            f"{prose.badge(metrics.findings_counts(doc))}</p></header>")


def panel_header(units: list[Unit]) -> str:
    docs = sum(len(u.documents) for u in units)
    years = sorted({y for u in units for y in u.years})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
    return (f'<header class="page"><nav class="crumbs"><a href="index.html">总览</a></nav>'
            f"<h1>各单位对比</h1><p class=\"meta\">{len(units)}个单位 · {docs}份文件 · 年度 {span}</p></header>")


def summary_text(doc: Any, yoy: Any = None) -> str:
    """Plain-text key figures and changes of a document (what the notebooks' checked cells print)."""
    lines = [f"{doc.unit if hasattr(doc, 'unit') else ''} {getattr(doc, 'label', '')}".strip()]
    kf = metrics.key_figures(doc)
    for key in ("grand_total", "revenue_total", "expenditure_total", "basic_expenditure", "project_expenditure",
                "personnel_expenditure", "public_expenditure", "three_public_total", "office_operation"):
        if kf.get(key) is not None:
            lines.append(f"{prose.label(key)} {prose.value(key, kf[key])}")
    for key in ("basic_share", "project_share", "personnel_share", "public_share", "fiscal_dependency",
                "staff_control_rate"):
        if kf.get(key) is not None:
            lines.append(f"{prose.label(key)} {prose.percent(kf[key])}")
    if yoy is not None and len(yoy):
        for r in yoy.itertuples():
            code = r.code if isinstance(r.code, str) else None
            ch = metrics.Change(r.current, r.previous, r.change, None if r.change_pct != r.change_pct else r.change_pct)
            lines.append(f"{prose.label(r.key, code)}：{prose.change_clause(ch, r.key)}")  # 人/辆/分 for counts and scores
    return "\n".join(lines)


def canonical_tables(doc: UnitDocument) -> str:
    """Every standard table of a document (not the project forms) as a collapsible rows × measures table."""
    parts = []
    seen = set()
    for t in doc.data.get("tables") or []:
        tid = t.get("id")
        if not tid or tid in seen or tid.startswith("project"):
            continue
        seen.add(tid)
        body = prose.canonical_table(doc.tables, tid)
        if body:
            parts.append(f"<details><summary>{html.escape(prose.table_title(doc, tid))}</summary>{body}</details>")
    return "".join(parts)


def panel_text(frame: Any) -> str:
    """Plain-text lines per unit: name, region, lead document, expenditure, basic share (the panel's
    checked cell; ``frame`` is :func:`budgetlens.panel.panel_frame`)."""
    import pandas as pd

    lines = []
    for r in frame[frame["latest"]].itertuples():
        year = "" if pd.isna(r.year) else str(int(r.year))
        lines.append(f"{r.unit_name}（{r.region}） {year}{prose.KIND_WORDS.get(r.kind, r.kind)} "
                     f"本年支出 {prose.amount(r.expenditure_total)} 基本支出占比 {prose.percent(r.basic_share)}")
    return "\n".join(lines)


def with_projects(documents: Iterable[Any]) -> list[Any]:
    """The documents that list projects (finals with 自评表, performance forms, budgets with 目标表)."""
    return [d for d in documents if metrics.contract(d).get("projects")]


def execution_section(unit: Unit, notes: prose.Notes) -> str:
    """Budget against final for every year the unit published both (text, table, chart)."""
    from . import charts

    pairs = metrics.budget_final_pairs(unit.documents)
    if not pairs:
        return ("<p>本单位没有同一年度的预算和决算同时在册，无法计算预算执行率和结构偏差（PEFA PI-2）；"
                "决算文件自身的执行说明见上文。</p>")
    parts = []
    for budget, final in pairs:
        parts.append(f"<h3>{metrics.doc_year(final)}年度</h3>")
        parts.append(prose.execution(budget, final, notes))
        parts.append(prose.execution_table(budget, final))
        parts.append(charts.to_html(charts.execution_by_class(budget, final), "按功能分类的预算执行率"))
    return "".join(parts)


def checklist_section(doc: UnitDocument) -> str:
    """The disclosure checklist (公开情况检查表) of a document, as written with it by the store:
    every row 是/否 and the problems found, each with its page and quotation."""
    from .store import read_checklist

    data = read_checklist(doc.folder)
    if data is None:
        return f"<p>{html.escape(prose.source_file(doc))}：未生成公开情况检查表（请重新运行 budgetlens extract）。</p>"
    rows = []
    for item in data.get("items") or []:
        ok = {True: "是", False: "否"}.get(item.get("ok"), "由检查人填写")
        problems = item.get("problems") or []
        body = ("<ol>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems) + "</ol>") if problems \
            else html.escape(item.get("note") or "")
        rows.append(f'<tr class="{"bad" if item.get("ok") is False else ""}"><td>{html.escape(item.get("item", ""))}</td>'
                    f"<td>{ok}</td><td>{body}</td></tr>")
    failed = sum(1 for i in data.get("items") or [] if i.get("ok") is False)
    return (f"<h3>{html.escape(prose.source_file(doc))}（{html.escape(doc.label)}）：{failed}项不符合要求</h3>"
            f'<table class="data checklist"><thead><tr><th>检查内容</th><th>符合要求</th><th>问题</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def generated_at() -> _dt.datetime:
    """When a page says it was made: ``$SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set, else now.

    The page's only input that is not data, code or versions: pinning it makes two runs on the same
    inputs give the same page (a warm kernel's and a fresh one's, one minute apart)."""
    pinned = os.environ.get(ENV_DATE, "").strip()
    if pinned:
        try:
            return _dt.datetime.fromtimestamp(int(pinned), _dt.UTC)
        except (ValueError, OverflowError, OSError):
            pass  # not a number of seconds: the clock, as without it
    return _dt.datetime.now(_dt.UTC)


def provenance(documents: Iterable[Any]) -> str:
    """The closing provenance block: source files with sha256, budgetlens version, git commit, date,
    the key packages' versions and the lock file's sha256 (:mod:`budgetlens.versions`)."""
    rows = []
    for d in documents:
        data = metrics.contract(d)
        files = data.get("source", {}).get("files") or [data.get("source", {})]
        for f in files:
            rows.append("<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>".format(
                html.escape(str(f.get("path", ""))), html.escape(f"{data.get('document', {}).get('unit', '')} "
                                                                  f"{data.get('document', {}).get('year', '')}"
                                                                  f"{KIND_LABELS.get(data.get('document', {}).get('kind'), '')}"),
                html.escape(str(f.get("sha256", "")))))
    commit = git_commit()
    when = generated_at().strftime("%Y-%m-%d %H:%M UTC")
    meta = (f"budgetlens {html.escape(__version__)} · git commit {html.escape(commit[:12]) if commit else '（非 git 检出）'}"
            f" · Python {platform.python_version()} · 生成于 {when}")
    lock = lock_sha256()
    packages = " · ".join(f"{html.escape(n)} {html.escape(v)}" for n, v in package_versions().items() if v)
    versions = (f'<p class="meta versions">依赖版本：{packages}'
                f"{f' · requirements.lock sha256 <code>{lock[:12]}</code>' if lock else ''}</p>")
    table = ('<table class="data provenance-files"><thead><tr><th>源文件</th><th>文件</th><th>sha256</th></tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table>") if rows else ""
    return (f'<section class="provenance"><h2>数据来源与生成信息</h2>{table}<p class="meta">{meta}</p>{versions}'
            "<p class=\"meta\">所有金额单位为万元（以元列示的报表已除以10,000）。数字后的上标注明其所在报表、行次及源文件行号；"
            "校验规则与口径见 budgetlens 文档。</p></section>")


# --- the index page ---------------------------------------------------------------------------

def index_rows(units: list[Unit]) -> list[dict[str, Any]]:
    """What the index lists per unit: name, link, region, years, documents, lead figures, change, badge."""
    from . import panel

    rows = []
    for u in units:
        lead = u.latest
        counts = {"error": 0, "warning": 0, "info": 0}
        for d in u.documents:
            for k, v in metrics.findings_counts(d).items():
                counts[k] += v
        key, total = metrics.headline_total(lead) if lead is not None else (None, None)
        prev = metrics.previous_document(u.documents, lead) if lead is not None else None
        yoy = metrics.yoy_table(lead, prev) if lead is not None else None
        preferred = [key, "grand_total", "revenue_total", "expenditure_total", "budget_executed"]
        if yoy is not None and len(yoy):
            preferred += [k for k in yoy["key"] if k != "class"]
        change_key = next((k for k in preferred if k and metrics.yoy_value(yoy, k) is not None), None)
        change = metrics.yoy_value(yoy, change_key) if change_key else None
        st = metrics.expenditure_structure(lead) if lead is not None else {}
        region = panel.unit_region(u)
        rows.append({
            "unit_id": u.unit_id, "name": u.name, "href": unit_href(u.unit_id), "name_read": u.name_read,
            "region": region, "group": region.group, "district": region.district or "",
            "years": "、".join(str(y) for y in u.years) or "—",
            "documents": "、".join(dict.fromkeys(d.label for d in u.documents)),
            "lead": lead.label if lead is not None else "—", "several": len(u.documents) > 1,
            "total_label": prose.label(key) if key else "—",
            "total": prose.amount(total) if total is not None else "—",
            "change": f"{prose.label(change_key)}{prose.change_clause(change)}" if change else "—",
            "basic_share": prose.percent(st.get("basic_share")),
            "fiscal_dependency": prose.percent(metrics.fiscal_dependency(lead)) if lead is not None else "—",
            "badge": prose.badge(counts), "errors": counts["error"], "warnings": counts["warning"],
        })
    return rows


def index_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The index rows grouped by city-level region (:attr:`budgetlens.regions.Region.group`), in
    registry order (unknown last); within a group by district, then name."""
    from . import regions

    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    ordered = sorted(groups.values(), key=lambda g: min(regions.sort_key(r["region"])[:2] for r in g))
    out = []
    for i, members in enumerate(ordered):
        members.sort(key=lambda r: (regions.sort_key(r["region"]), r["name"]))
        out.append({"label": members[0]["group"], "anchor": f"r{i}", "rows": members,
                    "errors": sum(1 for r in members if r["errors"]),
                    "districts": any(r["district"] for r in members)})
    return out


def write_index(processed: Path, reports: Path) -> Path:
    """Write ``reports/index.html``: every unit with its key figures, years and a data-quality
    badge (from the findings counts), grouped by region and searchable, linking
    ``units/<unit_id>.html`` and ``panel.html``."""
    import jinja2

    from .panel import inline_script
    from .panel import provenance as panel_provenance

    folder = resolve_processed(processed)
    units = load_units(folder, find_aliases_csv(folder, _catalog_paths(folder)))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    page = env.get_template("index.html.j2").render(
        css=stylesheet(), groups=index_groups(index_rows(units)), units=len(units),
        documents=sum(len(u.documents) for u in units), script=inline_script("index.js"),
        provenance=panel_provenance(units),
    )
    return atomic_write_text(Path(reports) / "index.html", page)
