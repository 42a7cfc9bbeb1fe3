"""Whole-process extraction of the shared corpus's PDFs: ``budgetlens extract`` as a user runs it.

In one run, on ``../shared/corpus/*.pdf`` (27 PDFs, 585 pages):

* **now**: ``budgetlens extract <pdfs> --out <tmp>`` in a fresh process (start-up, every document,
  recognition, checks, the written outputs), all cores: documents in a process pool;
* **serial**: the same with ``--jobs 1`` (documents one after another, a long document's pages
  spread over the cores: what ``extract`` did before);
* **camelot**: camelot's default (``camelot.read_pdf(path, pages=…)``, the lattice engine that renders
  every page) in a fresh process on the first ``CAMELOT_PAGES`` pages of every file (all of them
  would take many minutes), per page.

Per core means per CPU-second of the whole process tree (the command and its workers): on a
shared machine CPU time is what other people's load does not change much. The goal
(issue 17): at least ``GOAL`` pages/s per core for ``now``.

    .venv/bin/python benchmarks/bench_extract.py [corpus folder]
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CAMELOT_PAGES = 2
GOAL = 20.0

_CAMELOT = """
import sys, warnings, camelot
warnings.simplefilter("ignore")
n = 0
for p in sys.argv[2:]:
    n += len(camelot.read_pdf(p, pages=sys.argv[1]))
print(n)
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    wall, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - wall, _children_cpu() - cpu, proc


def _pages(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for p in paths:
        doc = pdfium.PdfDocument(str(p))
        total += len(doc)
        doc.close()
    return total


def run(corpus: Path | None = None) -> dict:
    corpus = Path(corpus or CORPUS)
    pdfs = sorted(corpus.glob("*.pdf"))
    if not pdfs:
        return {"extract_corpus": f"skipped (no PDFs in {corpus})"}
    pages = _pages(pdfs)
    tmp = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    cli = [sys.executable, "-m", "budgetlens.cli", "extract", *map(str, pdfs)]
    try:
        now_wall, now_cpu, now = _timed(cli + ["--out", str(tmp / "now")])
        serial_wall, serial_cpu, serial = _timed(cli + ["--out", str(tmp / "serial"), "--jobs", "1"])
        sample = [min(CAMELOT_PAGES, _pages([p])) for p in pdfs]
        cam_wall, cam_cpu, cam = _timed([sys.executable, "-c", _CAMELOT, f"1-{CAMELOT_PAGES}", *map(str, pdfs)])
        same = sorted(p.relative_to(tmp / "now").as_posix() for p in (tmp / "now").glob("*/document.json")) == \
            sorted(p.relative_to(tmp / "serial").as_posix() for p in (tmp / "serial").glob("*/document.json"))
        same = same and all((tmp / "now" / p.relative_to(tmp / "serial")).read_bytes() == p.read_bytes()
                            for p in (tmp / "serial").glob("*/document.json"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = {
        "extract_corpus_files": len(pdfs),
        "extract_corpus_pages": pages,
        "extract_corpus_exit_codes": [now.returncode, serial.returncode],
        "extract_pages_per_s_per_core": round(pages / now_cpu, 1),
        "extract_pages_per_s_per_core_goal": f">= {GOAL}",
        "extract_pages_per_s_wall": round(pages / now_wall, 1),
        "extract_pages_per_s_per_core_serial": round(pages / serial_cpu, 1),
        "extract_pages_per_s_wall_serial": round(pages / serial_wall, 1),
        "extract_parallel_same_documents": same,
    }
    if cam.returncode == 0:
        cam_pages = sum(sample)
        out.update(extract_camelot_default_pages=cam_pages,
                   extract_camelot_default_pages_per_s_per_core=round(cam_pages / cam_cpu, 2),
                   extract_speedup_per_core_vs_camelot_default=round((pages / now_cpu) / (cam_pages / cam_cpu), 1))
    else:
        out["extract_camelot_default"] = f"failed: {cam.stderr.strip()[-300:]}"
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "lib"))
    print(json.dumps(run(Path(sys.argv[1]) if len(sys.argv) > 1 else None), indent=2))
