"""The ``budgetlens`` command: a thin layer over the lib (extract, check, synth, batch, report)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .document import SourceError
from .inputs import expand_inputs

EXIT_FAILURES = 1


def _fail_line(path: str, reason: str) -> str:
    return f"error: {path}: {reason}"


def _extract_one(paths: list[Path]):
    """Extract one document; returns (result, None) or (None, one-line reason)."""
    from .parallel import extract_one

    return extract_one(paths)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetlens")
def main() -> None:
    """Chinese government budget and final-account disclosures as clean, checked data."""


def _extract_all(groups: list[list[Path]], *, pair: bool, jobs: int | None = None) -> tuple[list, list[tuple[str, str]]]:
    """Each group extracted, on ``jobs`` processes (default all cores), results in input order (a
    failure is one line on stderr and the others go on); with ``pair``, the volumes of one
    publication found by content are then read as one document."""
    from .parallel import extract_many

    failures: list[tuple[str, str]] = []
    results = []
    for group, result, reason in extract_many(groups, jobs):
        if result is None:
            name = " + ".join(str(p) for p in group)
            failures.append((name, reason or "unknown error"))
            click.echo(_fail_line(name, reason or "unknown error"), err=True)
            continue
        results.append(result)
    if pair and len(results) > 1:
        from .publications import merge_pairs

        results = merge_pairs(results)
    return results, failures


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the contract JSON (an array for several documents).")
@click.option("--out", type=click.Path(path_type=Path), help="Write document.json + tables.parquet per document and a catalogue here.")
@click.option("--together", is_flag=True, help="The files are one publication (narrative volume + tables volume).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes reading documents at once (default: all cores).")
def extract(inputs: tuple[Path, ...], as_json: bool, out: Path | None, together: bool, jobs: int | None) -> None:
    """Extract reports (text extractions or PDFs; files or folders)."""
    from .inputs import group_publications
    from .store import write_catalog, write_document

    try:
        files = expand_inputs(inputs)
    except SourceError as exc:
        click.echo(_fail_line(exc.path, exc.reason), err=True)
        sys.exit(EXIT_FAILURES)
    groups = [files] if together else group_publications(files)
    results, failures = _extract_all(groups, pair=not together, jobs=jobs)
    if out is not None:
        for result in results:
            write_document(result, out)
    if out is not None and results:
        write_catalog(out)
    if as_json:
        docs = [r.to_json() for r in results]
        payload = docs[0] if len(docs) == 1 and len(files) == 1 or (together and len(docs) == 1) else docs
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_summary(results)
        if out is not None:
            click.echo(f"wrote {len(results)} document(s) to {out}")
    if failures:
        click.echo(f"{len(failures)} of {len(groups)} input(s) failed:", err=True)
        for name, reason in failures:
            click.echo(f"  {name}: {reason}", err=True)
        sys.exit(EXIT_FAILURES)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:,.2f}"


def _print_summary(results) -> None:
    for r in results:
        j = r.to_json()
        d, f = j["document"], j["facts"]
        sev = [x["severity"] for x in j["findings"]]
        click.echo(f"{Path(j['source']['path']).name}: {d['unit']} · {d['year']} · {d['kind']} "
                   f"(printed in {d['source_currency_unit']})")
        rows = [("收入总计 grand_total", f.get("grand_total")), ("本年收入 revenue_total", f.get("revenue_total")),
                ("本年支出 expenditure_total", f.get("expenditure_total")),
                ("基本支出 basic_expenditure", f.get("basic_expenditure")),
                ("项目支出 project_expenditure", f.get("project_expenditure")),
                ("三公经费 three_public_total", f.get("three_public_total"))]
        for label, v in rows:
            if v is not None:
                click.echo(f"  {label:<32}{_fmt(v):>16} 万元")
        std = [t for t in j["tables"]]
        click.echo(f"  tables: {len(std)} standard ({sum(1 for t in std if t['empty'])} empty); "
                   f"projects: {len(j['projects'])}; findings: {sev.count('error')} error, "
                   f"{sev.count('warning')} warning, {sev.count('info')} info")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
def check(inputs: tuple[Path, ...], as_json: bool) -> None:
    """Check reports: identities, cross-table, narrative and completeness findings."""
    from .inputs import group_publications

    try:
        files = expand_inputs(inputs)
    except SourceError as exc:
        click.echo(_fail_line(exc.path, exc.reason), err=True)
        sys.exit(EXIT_FAILURES)
    payload = []
    results, failed = _extract_all(group_publications(files), pair=True)
    failures = len(failed)
    for result in results:
        name = " + ".join(s.path for s in result.sources)
        if as_json:
            payload.append({"path": name, "findings": result.findings})
            continue
        try:
            from .checks import format_findings
        except ImportError:  # pragma: no cover - the validator ships with the package
            format_findings = None
        click.echo(f"== {name}: {result.recognition.unit} · {result.recognition.year} · {result.kind}")
        if format_findings is not None:
            click.echo(format_findings(result.findings))
        else:
            for f in result.findings:
                click.echo(f"  [{f['severity']}] {f['rule']}: {f['message']}")
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if failures:
        sys.exit(EXIT_FAILURES)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path), help="Write the inspectors' workbook here (.xlsx).")
@click.option("--json", "as_json", is_flag=True, help="Print the checklist as JSON (an array for several documents).")
def checklist(inputs: tuple[Path, ...], xlsx: Path | None, as_json: bool) -> None:
    """The official disclosure checklist (公开情况检查表): every row 是/否, with the problems found."""
    from .checklist import build_checklist
    from .checklist.workbook import format_checklist, write_workbook
    from .inputs import group_publications

    try:
        files = expand_inputs(inputs)
    except SourceError as exc:
        click.echo(_fail_line(exc.path, exc.reason), err=True)
        sys.exit(EXIT_FAILURES)
    results, failures = _extract_all(group_publications(files), pair=True)
    lists = [build_checklist(r) for r in results]
    if xlsx is not None and lists:
        try:
            write_workbook(lists, xlsx)
        except OSError as exc:
            click.echo(_fail_line(xlsx, exc.strerror or str(exc)), err=True)
            sys.exit(EXIT_FAILURES)
    if as_json:
        payload = [c.to_json() for c in lists]
        click.echo(json.dumps(payload[0] if len(payload) == 1 and len(files) == 1 else payload,
                              ensure_ascii=False, indent=2))
    elif xlsx is None or len(lists) <= 3:
        for c in lists:
            click.echo(format_checklist(c))
    if failures:
        sys.exit(EXIT_FAILURES)


@main.command()
@click.option("--units", type=int, default=10, show_default=True, help="How many units.")
@click.option("--years", default="2021-2024", show_default=True, help="A year range, e.g. 2021-2024.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (never data/raw).")
@click.option("--pdf", is_flag=True, help="Also render each report as a PDF.")
@click.option("--faults", type=float, default=0.0, show_default=True, help="Share of documents with one injected inconsistency.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (the corpus is deterministic).")
def synth(units: int, years: str, out: Path, pdf: bool, faults: float, seed: int) -> None:
    """Write a synthetic corpus of consistent reports (with an answer key for injected faults)."""
    from .synth import generate_corpus

    try:
        start, _, end = years.partition("-")
        year_list = list(range(int(start), int(end or start) + 1))
    except ValueError:
        raise click.BadParameter(f"years must look like 2021-2024, got {years!r}") from None
    if Path(out).resolve().is_relative_to(Path("data/raw").resolve()):
        raise click.BadParameter("synthetic data never goes into data/raw")
    summary = generate_corpus(out, units, year_list, pdf=pdf, fault_rate=faults, seed=seed)
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))


@main.command()
@click.option("--processed", type=click.Path(path_type=Path), default=Path("data/processed"), show_default=True,
              help="The processed folder (`budgetlens extract … --out`).")
@click.option("--reports", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="Where the HTML pages and the executed notebooks (reports/runs/) go.")
@click.option("--unit", "unit_ids", multiple=True, help="Only this unit's page (repeatable), plus the index.")
@click.option("--documents", is_flag=True, help="Also one page per document (notebooks/01_document.ipynb).")
@click.option("--timeout", type=int, default=600, show_default=True, help="Seconds a notebook cell may run.")
@click.option("--kernel", "kernel_name", default=None, help="Jupyter kernel (default: this Python).")
def report(processed: Path, reports: Path, unit_ids: tuple[str, ...], documents: bool, timeout: int,
           kernel_name: str | None) -> None:
    """HTML reports: a page per unit, the panel and the index (papermill + nbconvert)."""
    from . import report as reporting
    from .units import ProcessedDataError, UnknownDocumentError, UnknownUnitError

    try:
        if unit_ids:
            written = [reporting.run_unit_notebook(u, processed, reports, timeout=timeout, kernel_name=kernel_name)
                       for u in unit_ids]
            written.append(reporting.write_index(processed, reports))
        else:
            written = reporting.build_all(processed, reports, timeout=timeout, kernel_name=kernel_name)
        if documents:
            from .store import read_catalog

            for doc_id in read_catalog(reporting.resolve_processed(processed))["doc_id"]:
                written.append(reporting.run_document_notebook(str(doc_id), processed, reports, timeout=timeout,
                                                               kernel_name=kernel_name))
    except (reporting.ReportError, reporting.ParameterError, UnknownUnitError, UnknownDocumentError,
            ProcessedDataError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILURES)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"index: {Path(reports) / 'index.html'}")



@main.command()
@click.option("--processed", type=click.Path(path_type=Path), default=Path("data/processed"), show_default=True,
              help="The processed folder (`budgetlens extract … --out`).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports/dataset"), show_default=True,
              help="Where the tables (Parquet + CSV) and datapackage.json go.")
@click.option("--units", "aliases", type=click.Path(path_type=Path), default=None,
              help="The units.csv alias table (default: found next to the sources).")
@click.option("--force", is_flag=True, help="Write even when nothing changed.")
def export(processed: Path, out: Path, aliases: Path | None, force: bool) -> None:
    """The research dataset: documents, facts, prior_year, function_totals, findings, projects and
    cells as Parquet and CSV, described by a Frictionless datapackage.json."""
    from .export import export_dataset
    from .units import ProcessedDataError

    try:
        result = export_dataset(processed, out, aliases_csv=aliases, force=force)
    except (ProcessedDataError, ValueError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILURES)
    rows = ", ".join(f"{name} {n:,}" for name, n in result.rows.items())
    state = "wrote" if result.written else "up to date:"
    click.echo(f"{state} {result.folder} ({rows} rows; {result.bytes / 1e6:.1f} MB)")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--processed", type=click.Path(path_type=Path), default=Path("data/processed"), show_default=True,
              help="Where the documents go.")
@click.option("--reports", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="Where the pages and run_manifest.json go.")
@click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True,
              help="Seconds a notebook cell (or a document) may take; its worker is stopped 30 s later.")
@click.option("--retry-failed", is_flag=True, help="Rerun only the failures of the last run manifest.")
@click.option("--scheduler", metavar="ADDRESS", help="Send the work to a dask.distributed scheduler (tcp://host:8786).")
@click.option("--kernel", "kernel_name", help="Jupyter kernel for the notebooks (default: python3).")
@click.option("--fresh-kernels", is_flag=True, help="A new kernel for every notebook (default: one reused per worker).")
@click.option("--documents", "document_notebooks", is_flag=True, help="Also a page per document (01_document).")
@click.option("--no-notebooks", is_flag=True, help="Extract only.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def batch(inputs: tuple[Path, ...], jobs: int | None, processed: Path, reports: Path, timeout: float,
          retry_failed: bool, scheduler: str | None, kernel_name: str | None, fresh_kernels: bool,
          document_notebooks: bool, no_notebooks: bool, quiet: bool) -> None:
    """Everything, in parallel and incrementally: extract every report (default data/raw), then the unit
    notebooks, the panel and the index. A rerun redoes only what changed; failures are listed in
    REPORTS/run_manifest.json and the others go on (exit code 1 if any failed)."""
    from .batch import run_batch

    try:
        manifest = run_batch(list(inputs) or [Path("data/raw")], processed=processed, reports=reports, jobs=jobs,
                             timeout=timeout, retry_failed=retry_failed, scheduler=scheduler,
                             kernel_name=kernel_name, progress=not quiet, warm_kernels=not fresh_kernels,
                             document_notebooks=document_notebooks, run_notebooks=not no_notebooks)
    except KeyboardInterrupt:
        click.echo("interrupted; what was finished is recorded in the manifest", err=True)
        sys.exit(130)
    except OSError as exc:  # e.g. a scheduler that cannot be reached, an output folder that cannot be written
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILURES)
    for name, stage in manifest["stages"].items():
        parts = [f"{stage.get(k)} {k.replace('_', ' ')}" for k in ("ran", "paired", "up_to_date", "failed", "carried")
                 if stage.get(k)]
        total = f"{stage['total']} · " if stage.get("total") is not None else ""
        skipped = f" ({stage['skipped']})" if isinstance(stage.get("skipped"), str) else ""
        click.echo(f"{name:<10} {total}{', '.join(parts) or 'nothing to do'}{skipped}  [{stage['seconds']:.1f} s]")
    if manifest.get("dataset"):
        ds = manifest["dataset"]
        click.echo(f"{'dataset':<10} {'written' if ds['written'] else 'up to date'}: {ds['folder']} "
                   f"({', '.join(f'{k} {v:,}' for k, v in ds['rows'].items())} rows)  [{ds['seconds']:.1f} s]")
    for item in manifest["skipped"]:
        click.echo(f"skipped: {item['file']}: {item['reason']}", err=True)
    for f in manifest["failures"]:
        again = " (from an earlier run; --retry-failed to try again)" if f.get("carried") else ""
        click.echo(f"failed [{f['stage']}] {f['file']}: {f['reason']}{again}", err=True)
    counts = manifest["counts"]
    click.echo(f"{counts['produced']} produced, {counts['up_to_date']} up to date, {counts['failed']} failed "
               f"in {manifest['seconds']:.1f} s on {manifest['executor']}; "
               f"kernel launch failures: {manifest['kernel_failures']}; manifest: {Path(reports) / 'run_manifest.json'}")
    if manifest["failures"]:
        sys.exit(EXIT_FAILURES)


if __name__ == "__main__":  # pragma: no cover
    main()
