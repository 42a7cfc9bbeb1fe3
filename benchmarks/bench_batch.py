"""``budgetlens batch`` against a naive serial loop, on a synthetic corpus (``make bench`` runs it).

In one run, in a temporary folder:

* a synthetic corpus of ``UNITS`` units × ``YEARS`` (a budget and a final per year: 600 documents
  by default) with injected faults (``budgetlens.synth``);
* **batch**: ``budgetlens batch`` (a fresh process, all cores) — extraction, the unit notebooks,
  the panel, the index; its manifest gives the stage times and ``kernel_failures``;
* **naive**: what one would write without it — ``budgetlens extract`` serially, then for each unit
  ``papermill 02_unit_report.ipynb …`` and ``jupyter nbconvert --to html …`` (a new process and a
  new kernel per notebook), the panel the same way, then the index. Extraction is timed on the
  whole corpus; the notebooks on ``NAIVE_UNITS`` units spread over the corpus, and the per-unit mean
  is multiplied by the number of units (``naive_sampled_units`` says how many were timed);
* **incremental**: the same ``budgetlens batch`` again with nothing changed, then with one raw file
  changed (its document, its unit, the panel and the index redone);
* **kernels**: on ``KERNEL_UNITS`` units, the batch with warm (reused) kernels against
  ``--fresh-kernels``;
* **PDF**: extraction pages/s of the batch on a few synthetic PDFs;
* **validator**: recall of synth's injected faults in the batch's findings (a fault is found when a
  finding with the expected rule appears in that document) and false alarms (error/warning
  findings of any other rule than the fault's, or its ``may_also``).

    .venv/bin/python benchmarks/bench_batch.py [units]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = 100
YEARS = [2021, 2022, 2023]
NAIVE_UNITS = 5
KERNEL_UNITS = 6
PDF_UNITS = 10
FAULT_RATE = 0.3
SEED = 2024


_ENV: dict[str, str] = {}
_CWD: list[Path] = [ROOT]


def _snapshot(code: Path) -> None:
    """Run the measured commands on a copy of the lib and the notebooks: edits to the working tree
    during the benchmark (a new code fingerprint) would otherwise turn the incremental rerun into a
    full one."""
    shutil.copytree(ROOT / "lib" / "budgetlens", code / "lib" / "budgetlens",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(ROOT / "notebooks", code / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _ENV.clear()
    _ENV.update(os.environ, PYTHONPATH=str(code / "lib"))
    _CWD[0] = code


def _cli(*args: str | Path, check: bool = False) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "budgetlens.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=_CWD[0], env=_ENV or None)
    if check and proc.returncode != 0:
        raise RuntimeError(f"budgetlens {' '.join(map(str, args))} failed: {proc.stderr.strip()[-500:]}")
    return time.perf_counter() - started, proc


def _timed(cmd: list[str | Path], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd or _CWD[0], env=_ENV or None)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd[:4]))} … failed: {proc.stderr.strip()[-500:]}")
    return time.perf_counter() - started


def _manifest(reports: Path) -> dict:
    return json.loads((reports / "run_manifest.json").read_text(encoding="utf-8"))


def _batch(raw: Path, work: Path, *extra: str) -> tuple[float, dict]:
    seconds, proc = _cli("batch", raw, "--processed", work / "processed", "--reports", work / "reports", "-q", *extra)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"budgetlens batch failed: {proc.stderr.strip()[-800:]}")
    return seconds, _manifest(work / "reports")


def _naive(raw: Path, work: Path, unit_ids: list[str]) -> dict:
    """The serial loop: one extract process, then papermill + nbconvert per notebook (new kernels)."""
    from budgetlens import report

    nb_dir = _CWD[0] / "notebooks" if (_CWD[0] / "notebooks").is_dir() else report.notebooks_dir()
    processed = work / "processed"
    runs = work / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    extract_s, _ = _cli("extract", raw, "--out", processed)
    papermill = [sys.executable, "-m", "papermill", "--no-progress-bar", "-k", report.DEFAULT_KERNEL,
                 "--cwd", nb_dir]
    nbconvert = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--log-level", "ERROR"]
    unit_s = []
    for unit_id in unit_ids:
        out = runs / f"{unit_id}.ipynb"
        t = _timed(papermill + [nb_dir / f"{report.UNIT_NOTEBOOK}.ipynb", out, "-p", "unit_id", unit_id,
                                "-p", "processed", processed.resolve()])
        t += _timed(nbconvert + [out])
        unit_s.append(t)
    out = runs / "panel.ipynb"
    panel_s = _timed(papermill + [nb_dir / f"{report.PANEL_NOTEBOOK}.ipynb", out, "-p", "processed",
                                  processed.resolve()])
    panel_s += _timed(nbconvert + [out])
    index_s = _timed([sys.executable, "-c", "import sys; from pathlib import Path; from budgetlens.report import "
                      "write_index; write_index(Path(sys.argv[1]), Path(sys.argv[2]))", processed, work / "reports"])
    return {"extract": extract_s, "units": unit_s, "panel": panel_s, "index": index_s}


def _spread(items: list[str], n: int) -> list[str]:
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def _validator(processed: Path, answer_key: dict) -> dict:
    faults = found = false_alarms = clean_flagged = 0
    missed: dict[str, int] = {}
    alarm_rules: dict[str, int] = {}
    for name, entry in answer_key["files"].items():
        doc = processed / Path(name).stem / "document.json"
        if not doc.is_file():
            continue
        findings = json.loads(doc.read_text(encoding="utf-8")).get("findings", [])
        fault = entry.get("fault")
        expected = {fault["rule"], *fault.get("may_also", [])} if fault else set()
        if fault:
            faults += 1
            if any(f.get("rule") == fault["rule"] for f in findings):
                found += 1
            else:
                missed[fault["rule"]] = missed.get(fault["rule"], 0) + 1
        alarms = [f for f in findings if f.get("severity") in ("error", "warning") and f.get("rule") not in expected]
        false_alarms += len(alarms)
        for f in alarms:
            alarm_rules[f["rule"]] = alarm_rules.get(f["rule"], 0) + 1
        clean_flagged += int(not fault and bool(alarms))
    return {
        "batch_validator_recall": round(found / faults, 4) if faults else None,
        "batch_validator_false_alarms": false_alarms,
        "batch_validator_faults": faults,
        "batch_validator_clean_documents_flagged": clean_flagged,
        "batch_validator_missed_by_rule": dict(sorted(missed.items())),
        "batch_validator_false_alarms_by_rule": dict(sorted(alarm_rules.items())),
    }


REPORTS_AT = (500, 3000)  # the 500 units × 3 years (3,000 documents), and 3,000 unit pages
REPORTS_MB_GOAL = 100


def reports_size(reports: Path, units: int) -> dict:
    """``reports/`` after the batch, and extrapolated to :data:`REPORTS_AT` units: what grows with
    the units and their documents (unit pages, their run records, the research dataset, the
    manifest, done-markers) scaled, the rest (panel, index and the panel's record) as is; and
    the growing part per unit, by kind, in KB."""
    def mb(paths) -> float:
        return sum(p.stat().st_size for p in paths if p.is_file()) / 1e6

    total = mb(reports.rglob("*"))
    fixed = mb(p for p in reports.rglob("*") if p.name in ("panel.html", "index.html")
               or (reports / "runs" / "03_panel") in p.parents or (reports / "bench") in p.parents)
    growing = total - fixed
    kinds = {"page": reports / "units", "record": reports / "runs" / "02_unit_report",
             "dataset": reports / "dataset", "state": reports / ".batch-state"}
    n = max(1, units)
    out = {"reports_mb": round(total, 1), "reports_run_records_mb": round(mb((reports / "runs").rglob("*")), 1),
           "reports_unit_pages_mb": round(mb((reports / "units").rglob("*")), 1),
           "reports_mb_per_unit": round(growing / n, 3),
           "reports_kb_per_unit_by_kind": {k: round(mb(f.rglob("*")) * 1000 / n, 1) for k, f in kinds.items()}}
    for m in REPORTS_AT:
        out[f"reports_mb_at_{m}_units"] = round(fixed + growing / n * m, 1)
    out[f"reports_mb_at_{REPORTS_AT[-1]}_units_goal"] = f"< {REPORTS_MB_GOAL} (issue 17: well under)"
    return out


def run(units: int = UNITS, years: list[int] | None = None, naive_units: int = NAIVE_UNITS) -> dict:
    from budgetlens.batch.pool import default_jobs
    from budgetlens.synth import generate_corpus

    years = list(years or YEARS)
    out: dict = {"cores": default_jobs()}
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        _snapshot(tmp / "code")
        raw = tmp / "raw"
        summary = generate_corpus(raw, units, years, fault_rate=FAULT_RATE, seed=SEED)
        answer_key = json.loads((raw / "answer_key.json").read_text(encoding="utf-8"))
        documents = summary["text_files"]
        out.update(batch_corpus_units=units, batch_corpus_years=len(years), batch_corpus_documents=documents)

        # The batch, in full.
        work = tmp / "batch"
        full_s, manifest = _batch(raw, work)
        stages = manifest["stages"]
        unit_ids = sorted(k.split("/", 1)[1] for k in manifest["state"]["notebooks"] if k.startswith("unit/"))
        out.update(
            batch_seconds=round(full_s, 2),
            batch_extract_seconds=stages["extract"]["seconds"],
            batch_notebooks_seconds=stages.get("notebooks", {}).get("seconds"),
            batch_docs_per_s=round(documents / stages["extract"]["seconds"], 1),
            batch_unit_notebooks=len(unit_ids),
            batch_failures=len(manifest["failures"]),
            batch_failure_examples=[f"{f['stage']} {f['file']}: {f['reason']}" for f in manifest["failures"][:5]],
            kernel_failures=manifest["kernel_failures"],
            kernel_starts=manifest["kernel_starts"],
            batch_executor=manifest["executor"],
        )
        if unit_ids:
            out["batch_unit_notebook_seconds_median"] = round(statistics.median(
                v["seconds"] for k, v in manifest["state"]["notebooks"].items() if k.startswith("unit/")), 2)
        out.update(_validator(work / "processed", answer_key))
        out.update(reports_size(work / "reports", len(unit_ids)))

        # Incremental: nothing changed, then one raw file.
        again_s, again = _batch(raw, work)
        out.update(incremental_seconds=round(again_s, 2), incremental_fraction=round(again_s / full_s, 4),
                   incremental_work_done=again["counts"]["produced"])
        changed = sorted(raw.glob("*_final.txt"))[len(unit_ids) // 2]
        changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        one_s, one = _batch(raw, work)
        out.update(incremental_one_file_seconds=round(one_s, 2),
                   incremental_one_file_fraction=round(one_s / full_s, 4),
                   incremental_one_file_redone=sorted(p["file"] if p["stage"] != "extract" else "document"
                                                      for p in one["produced"] if p["status"] == "ran"))

        # The naive serial loop (same corpus; the changed file is part of it, as for the batch).
        sample = _spread(unit_ids, naive_units)
        naive = _naive(raw, tmp / "naive", sample)
        per_unit = statistics.mean(naive["units"])
        naive_total = naive["extract"] + per_unit * len(unit_ids) + naive["panel"] + naive["index"]
        out.update(
            naive_extract_seconds=round(naive["extract"], 2),
            naive_docs_per_s=round(documents / naive["extract"], 1),
            naive_unit_seconds_mean=round(per_unit, 2),
            naive_sampled_units=len(sample),
            naive_panel_seconds=round(naive["panel"], 2),
            naive_seconds_estimated=round(naive_total, 1),
            batch_speedup_vs_naive=round(naive_total / full_s, 2),
        )

        # Warm kernels against a new kernel per notebook, on a few units.
        few = tmp / "few"
        few.mkdir()
        few_units = set()
        for f in sorted(raw.glob("syn-*.txt")):
            if int(f.name[4:8]) <= KERNEL_UNITS:
                shutil.copy2(f, few / f.name)
                few_units.add(f.name[:8])
        warm_s, _ = _batch(few, tmp / "warm")
        fresh_s, fresh = _batch(few, tmp / "fresh", "--fresh-kernels")
        out.update(warm_kernels_seconds=round(warm_s, 2), fresh_kernels_seconds=round(fresh_s, 2),
                   warm_kernel_speedup=round(fresh_s / warm_s, 2), warm_fresh_sampled_units=len(few_units),
                   kernel_failures=out["kernel_failures"] + fresh["kernel_failures"])

        out.update(_pdf(tmp / "pdf"))
    finally:
        _ENV.clear()
        _CWD[0] = ROOT
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _pdf(folder: Path) -> dict:
    """Batch extraction pages/s on synthetic PDFs (skipped when synth cannot render PDFs)."""
    from budgetlens.batch import run_batch
    from budgetlens.synth import generate_corpus

    summary = generate_corpus(folder / "raw", PDF_UNITS, [2023], pdf=True, seed=SEED)
    pdfs = sorted((folder / "raw").glob("*.pdf"))
    if not pdfs:
        return {"pdf_skipped": summary.get("pdf_message") or "synth wrote no PDF"}
    m = run_batch(pdfs, processed=folder / "processed", reports=folder / "reports", progress=False,
                  run_notebooks=False)
    docs = m["state"]["documents"].values()
    pages = sum(d.get("pages") or 0 for d in docs if d.get("ok"))
    seconds = m["stages"]["extract"]["seconds"]
    return {"pdf_documents": len(pdfs), "pdf_pages": pages, "pdf_failures": len(m["failures"]),
            "batch_pdf_pages_per_s": round(pages / seconds, 1) if seconds else None,
            "batch_pdf_docs_per_s": round(len(pdfs) / seconds, 2) if seconds else None}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "lib"))
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else UNITS
    print(json.dumps(run(n), ensure_ascii=False, indent=2))
