"""PDF reading speed: read_pdf against camelot's default lattice engine on the same pages.

``run(pdf_paths)`` reads every file with read_pdf in one process (``workers=1``: pages per
second per core), again with its default worker count (wall-clock throughput on this
machine), and with ``camelot.read_pdf(path, pages="all", flavor="lattice")`` — camelot's
default engine, which renders each page and finds the ruled lines with OpenCV. read_pdf does
more than that call (it also returns the text outside the tables), so the ratio is a floor.
It also times the two text-layer libraries read_pdf does not need (its text lines come from
the page layout camelot's parser already made): pdfplumber and pypdfium2, per page.

    .venv/bin/python benchmarks/bench_pdf.py [file.pdf ...]   (default: the seed fixtures)
"""

from __future__ import annotations

import os
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), _cpu_seconds()
    out = fn()
    return time.perf_counter() - wall, _cpu_seconds() - cpu, out


def _pdfplumber_lines(paths: list[str]) -> int:
    import pdfplumber

    n = 0
    for p in paths:
        with pdfplumber.open(p) as doc:
            for page in doc.pages:
                n += len(page.extract_text_lines())
    return n


def _pypdfium2_lines(paths: list[str]) -> int:
    import pypdfium2 as pdfium

    n = 0
    for p in paths:
        doc = pdfium.PdfDocument(p)
        for i in range(len(doc)):
            textpage = doc[i].get_textpage()
            n += sum(1 for i in range(textpage.count_rects()) if textpage.get_text_bounded(*textpage.get_rect(i)))
            textpage.close()
        doc.close()
    return n


def run(pdf_paths: list[str]) -> dict:
    import camelot

    from budgetlens.sources.pdf import _workers, read_pdf

    paths = [str(p) for p in pdf_paths]
    if not paths:
        raise ValueError("no PDF files to benchmark")
    read_pdf(paths[0], workers=1)  # warm imports and font caches

    serial_s, serial_cpu, docs = _timed(lambda: [read_pdf(p, workers=1) for p in paths])
    pages = sum(d.pages for d in docs)
    parallel_s, parallel_cpu, _ = _timed(lambda: [read_pdf(p) for p in paths])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        camelot_s, _cpu, camelot_tables = _timed(
            lambda: [len(camelot.read_pdf(p, pages="all", flavor="lattice")) for p in paths]
        )
    plumber_s, _cpu, _n = _timed(lambda: _pdfplumber_lines(paths))
    pdfium_s, _cpu, _n = _timed(lambda: _pypdfium2_lines(paths))
    return {
        "pdf_files": len(paths),
        "pdf_pages": pages,
        "pdf_pages_per_s_per_core": round(pages / serial_s, 1),
        "pdf_pages_per_cpu_s": round(pages / serial_cpu, 1),
        "pdf_pages_per_s_parallel": round(pages / parallel_s, 1),
        "pdf_parallel_workers_max": max(_workers(None, d.pages) for d in docs),
        "pdf_parallel_cpu_s": round(parallel_cpu, 2),
        "pdf_cores": os.cpu_count(),
        "pdf_camelot_default_pages_per_s": round(pages / camelot_s, 2),
        "pdf_speedup_vs_camelot_default": round(camelot_s / serial_s, 1),
        "pdf_tables_read_pdf": sum(len(d.tables()) for d in docs),
        "pdf_tables_camelot_default": sum(camelot_tables),
        "pdf_text_lines_ms_per_page_pdfplumber": round(plumber_s * 1000 / pages, 1),
        "pdf_text_lines_ms_per_page_pypdfium2": round(pdfium_s * 1000 / pages, 1),
        "pdf_read_ms_per_page": round(serial_s * 1000 / pages, 1),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "lib"))
    files = sys.argv[1:] or sorted(
        str(p) for p in (ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf") if p.name[:3].isdigit()
    )
    for key, value in run(files).items():
        print(f"{key:42} {value}")
