"""What one unit page costs in a batch worker, with this code and with the path before issue 17 (same run, same pages).

A unit page is ``02_unit_report.ipynb`` run by papermill in a warm kernel (the batch engine) and
exported by nbconvert. ``run(processed)`` measures it in a fresh interpreter per mode:

* **now**: this checkout as it is;
* **baseline**: the same checkout with the page path as it was before issue 17, kept callable
  here: the executed notebook written whole (every chart embedded) and read back for the export
  with a new HTML exporter each time, the unit table and template parameters recomputed for
  every page, every chart drawn twice (``savefig``'s two draws: a full draw for the layout, then
  the SVG; a palette PNG quantised from a saved and decoded PNG), and the warm kernel reset with
  ``%reset -f`` (two full garbage collections). The pages are the same (both embed today's inline
  SVG charts; before issue 17 the pages embedded full-colour PNGs, which cost about as much to make
  and were four times the bytes), so the two are compared byte for byte (after removing the generation
  time and papermill's random cell id).

Per unit it reports the CPU seconds of the worker process and of its kernel (``psutil``: load on a
shared machine inflates wall time far more than CPU time), the wall time, and the time spent inside
``papermill.execute_notebook``. The first unit (kernel start, imports) is timed apart. The two
modes run interleaved, ``ROUNDS`` times each, and the cheaper round of each counts.

    .venv/bin/python benchmarks/bench_unit_page.py [PROCESSED] [units]   (default: a synthetic corpus)
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = 12
SYNTH_UNITS = 16
ROUNDS = 2
GOAL_RATIO = 0.5  # issue 17: halve a unit page's cost


_OLD_RESET = """\
get_ipython().run_line_magic('reset', '-f')
import os as _bl_os, sys as _bl_sys
_bl_os.chdir({cwd!r})
if 'matplotlib.pyplot' in _bl_sys.modules:
    _bl_sys.modules['matplotlib.pyplot'].close('all')
if 'budgetlens.units' in _bl_sys.modules:  # the unit table was computed for every notebook
    _bl_sys.modules['budgetlens.units']._TABLES.clear()
if 'budgetlens.charts' in _bl_sys.modules:  # savefig drew every chart twice (layout, then pixels)
    _bl_c = _bl_sys.modules['budgetlens.charts']
    def _bl_saved(fig, buf, fmt="png", _c=_bl_c):
        if fmt == "png":
            fig.savefig(buf, format="png", dpi=_c.DPI, facecolor="white")
            return
        from matplotlib.backends.backend_agg import FigureCanvasAgg as _Agg
        _Agg(fig)  # an SVG page chart: the first of savefig's two draws, in full, then the SVG
        fig.draw_without_rendering()
        with fig._cm_set(layout_engine="none"):
            fig.savefig(buf, format=fmt, dpi=_c.DPI, facecolor="white", metadata={{"Date": None}})
    _bl_c._laid_out_savefig = _bl_saved
    def _bl_rgb(fig, _c=_bl_c):  # and a page's palette PNG was quantised from a saved, decoded PNG
        import io as _io
        from PIL import Image as _Image
        _buf = _io.BytesIO()
        fig.savefig(_buf, format="png", dpi=_c.DPI, facecolor="white")
        return _Image.open(_io.BytesIO(_buf.getvalue())).convert("RGB")
    _bl_c._rendered_rgb = _bl_rgb
    del _bl_c, _bl_rgb, _bl_saved
get_ipython().execution_count = 1
del _bl_os, _bl_sys
"""


def _baseline_mode() -> None:
    """The page path before issue 17, in this process: the record written whole by papermill and
    read back for the export (a new exporter per page), the unit table and the template's
    parameters computed for every page (in the worker and the kernel), every chart drawn twice by
    ``savefig`` (in the kernel), and ``%reset -f`` between notebooks."""
    import tempfile as _tempfile
    from pathlib import Path as _Path

    from budgetlens import report, units
    from budgetlens.batch import kernels
    from budgetlens.fsutil import atomic_write_text

    def export_html(record, target, title):
        import nbformat
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        nb = nbformat.read(str(record), as_version=4)
        nb.metadata["title"] = title
        exporter = HTMLExporter(template_name="classic", template_file=str(report.TEMPLATES / "page.html.j2"))
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={report.HIDE_TAG}, enabled=True),
                                       enabled=True)
        body, _ = exporter.from_notebook_node(nb, resources={"budgetlens": {"css": report.stylesheet(), "title": title}})
        return atomic_write_text(target, body)

    def run_to_record(notebook, record_id, parameters, reports, *, timeout, kernel_name, page=None):
        import papermill

        units._TABLES.clear()
        report._declared_parameters.cache_clear()
        report.validate_parameters(notebook, parameters)
        template = report.template_path(notebook)
        runs = _Path(reports) / "runs" / notebook
        runs.mkdir(parents=True, exist_ok=True)
        record = runs / f"{record_id}.ipynb"
        fd, tmp = _tempfile.mkstemp(prefix=f".{record_id}.", suffix=".ipynb", dir=runs)
        os.close(fd)
        try:
            papermill.execute_notebook(
                str(template), tmp, parameters=parameters, kernel_name=kernel_name or report.DEFAULT_KERNEL,
                execution_timeout=timeout, progress_bar=False, log_output=False, cwd=str(template.parent),
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
            os.replace(tmp, record)
        finally:
            if _Path(tmp).exists():
                os.unlink(tmp)
        if page is not None:
            export_html(record, *page)
        return record

    report._run_to_record = run_to_record
    kernels._RESET = _OLD_RESET


def _child(processed: str, reports: str, n: int, mode: str) -> dict:
    """Run ``n`` unit pages in this process (warm kernel) and measure them."""
    import psutil

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import papermill

    from budgetlens import report
    from budgetlens.batch import kernels
    from budgetlens.units import unit_ids, unit_table

    if mode == "baseline":
        _baseline_mode()
    kernels.configure(warm=True)
    kernels.install()
    ids = unit_ids(unit_table(processed))
    step = max(1, len(ids) // n)
    ids = ids[::step][:n]
    me = psutil.Process()

    def cpu() -> tuple[float, float]:
        t = me.cpu_times()
        kernel = 0.0
        for c in me.children(recursive=True):
            try:
                ct = c.cpu_times()
            except psutil.Error:
                continue
            kernel += ct.user + ct.system
        return t.user + t.system, kernel

    inside = [0.0]
    execute = papermill.execute_notebook

    def timed_execute(*a, **k):
        t = time.perf_counter()
        try:
            return execute(*a, **k)
        finally:
            inside[0] += time.perf_counter() - t

    papermill.execute_notebook = timed_execute
    t0, (w0, k0) = time.perf_counter(), cpu()
    report.run_unit_notebook(ids[0], processed, reports)
    t1, (w1, k1) = time.perf_counter(), cpu()
    inside[0] = 0.0
    for u in ids[1:]:
        report.run_unit_notebook(u, processed, reports)
    t2, (w2, k2) = time.perf_counter(), cpu()
    m = len(ids) - 1
    kernels.shutdown_all()
    return {"units": m, "first_unit_wall_s": t1 - t0, "first_unit_cpu_s": (w1 - w0) + (k1 - k0),
            "worker_cpu_s": (w2 - w1) / m, "kernel_cpu_s": (k2 - k1) / m, "cpu_s": ((w2 - w1) + (k2 - k1)) / m,
            "wall_s": (t2 - t1) / m, "papermill_wall_s": inside[0] / m, "unit_ids": ids}


def _measure(mode: str, processed: Path, reports: Path, n: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(processed), str(reports), str(n), mode],
                          capture_output=True, text=True, cwd=str(ROOT))
    if proc.returncode != 0:
        raise RuntimeError(f"unit page benchmark failed: {proc.stderr.strip()[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


_VOLATILE = [re.compile(r"git commit [^·<]*"), re.compile(r"生成于 [0-9-]+ [0-9:]+ UTC"),
             re.compile(r'(celltag_injected-parameters" id="cell-id=)[0-9a-f-]+')]  # papermill's random cell id
_IMAGE = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def normalised(html: str) -> str:
    for pattern in _VOLATILE:
        html = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "…", html)
    return html


def same_page(a: str, b: str) -> bool:
    """The same page modulo generation time and commit; PNGs equal as bytes or as decoded pixels;
    the same markup once both are serialised alike (the baseline's exporter re-serialised every
    page with BeautifulSoup: attributes sorted, names in lower case, elements closed)."""
    from bs4 import BeautifulSoup

    if normalised(a) == normalised(b):
        return True
    a, b = normalised(str(BeautifulSoup(a, "html.parser"))), normalised(str(BeautifulSoup(b, "html.parser")))
    if a == b:
        return True
    if _IMAGE.sub("IMG", a) != _IMAGE.sub("IMG", b):
        return False
    import numpy as np
    from PIL import Image

    def pixels(data: str):
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA"))

    return all(x == y or np.array_equal(pixels(x), pixels(y))
               for x, y in zip(_IMAGE.findall(a), _IMAGE.findall(b), strict=True))


def run(processed: Path, units: int = UNITS) -> dict:
    processed = Path(processed)
    tmp = Path(tempfile.mkdtemp(prefix="bench-page-"))
    out: dict = {}
    try:
        now = base = None
        for _ in range(ROUNDS):  # interleaved, the cheaper round of each kept: others' load only adds
            m = _measure("now", processed, tmp / "now", units)
            now = m if now is None or m["cpu_s"] < now["cpu_s"] else now
            m = _measure("baseline", processed, tmp / "base", units)
            base = m if base is None or m["cpu_s"] < base["cpu_s"] else base
        for mode, m in (("now", now), ("baseline", base)):  # a kernel that was not kept warm (its reset failed) leaves none
            if not m["kernel_cpu_s"] > 0:
                raise RuntimeError(f"unit page benchmark: no kernel CPU measured in the {mode} mode (warm kernel lost?)")
        pages = [(tmp / "now" / "units" / f"{u}.html", tmp / "base" / "units" / f"{u}.html") for u in now["unit_ids"]]
        same = sum(same_page(a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")) for a, b in pages)
        if same < len(pages) and os.environ.get("BENCH_KEEP"):
            print(f"unit pages kept in {tmp}", file=sys.stderr)

        def size(folder: Path) -> int:
            return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

        out.update(unit_page_units_timed=now["units"],
                   unit_page_cpu_s=round(now["cpu_s"], 3), unit_page_cpu_s_baseline=round(base["cpu_s"], 3),
                   unit_page_cpu_ratio=round(now["cpu_s"] / base["cpu_s"], 3),
                   unit_page_cpu_ratio_goal=f"<= {GOAL_RATIO}",
                   unit_page_worker_cpu_s=round(now["worker_cpu_s"], 3),
                   unit_page_worker_cpu_s_baseline=round(base["worker_cpu_s"], 3),
                   unit_page_kernel_cpu_s=round(now["kernel_cpu_s"], 3),
                   unit_page_kernel_cpu_s_baseline=round(base["kernel_cpu_s"], 3),
                   unit_page_wall_s=round(now["wall_s"], 3), unit_page_wall_s_baseline=round(base["wall_s"], 3),
                   unit_page_first_cpu_s=round(now["first_unit_cpu_s"], 2),
                   unit_page_same_html=f"{same} of {len(pages)}",
                   unit_page_record_kb=round(size(tmp / "now" / "runs") / 1024 / len(pages), 1),
                   unit_page_record_kb_baseline=round(size(tmp / "base" / "runs") / 1024 / len(pages), 1),
                   unit_page_html_kb=round(size(tmp / "now" / "units") / 1024 / len(pages), 1))
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def run_synthetic(units: int = SYNTH_UNITS, years: tuple[int, int] = (2022, 2023)) -> dict:
    """:func:`run` on a synthetic corpus made for it (``budgetlens synth``, then extracted)."""
    from budgetlens.extract import extract
    from budgetlens.store import write_catalog, write_document
    from budgetlens.synth import generate_corpus

    tmp = Path(tempfile.mkdtemp(prefix="bench-page-corpus-"))
    try:
        generate_corpus(tmp / "raw", units, list(range(years[0], years[1] + 1)), seed=2024)
        for f in sorted((tmp / "raw").glob("syn-*.txt")):
            write_document(extract([f]), tmp / "processed")
        write_catalog(tmp / "processed")
        return run(tmp / "processed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]), ensure_ascii=False))
    elif len(sys.argv) > 1:
        n = int(sys.argv[2]) if len(sys.argv) > 2 else UNITS
        print(json.dumps(run(Path(sys.argv[1]), n), ensure_ascii=False, indent=2))
    else:
        print(json.dumps(run_synthetic(), ensure_ascii=False, indent=2))
