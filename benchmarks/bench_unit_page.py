"""What one unit page costs in a batch worker, now and with the code before issue 17 (same run, same data).

A unit page is ``02_unit_report.ipynb`` run by papermill in a warm kernel (the batch engine) and
exported by nbconvert. ``run(processed)`` measures it in a fresh interpreter per code version:

* **now**: this checkout's lib and notebooks;
* **baseline**: the lib and notebooks of ``BASELINE_REF`` (``git archive``; ``$BENCH_BASELINE_REF``
  overrides, ``none`` skips), so the old path stays measurable after it is gone.

Per unit it reports the CPU seconds of the worker process and of its kernel (``psutil``: load on a
shared machine inflates wall time far more than CPU time), the wall time, and the time spent inside
``papermill.execute_notebook``. The first unit (kernel start, imports) is timed apart. The two
versions run interleaved, ``ROUNDS`` times each, and the cheaper round of each counts. The pages of
both are compared after removing the generation time, the git commit and the random id papermill
gives the injected parameters cell (``unit_page_same_html``; charts are compared as decoded pixels
when their PNG bytes differ).

    .venv/bin/python benchmarks/bench_unit_page.py PROCESSED [units]
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
BASELINE_REF = "d2a09b8410d85ccbebf8ed5a09d4784fd6432c1b"  # main when issue 17 (parts 3–5) started
UNITS = 12
ROUNDS = 2
GOAL_RATIO = 0.5  # issue 17: halve a unit page's cost


def _child(processed: str, reports: str, n: int) -> dict:
    """Run ``n`` unit pages in this process (warm kernel) and measure them."""
    import psutil

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import papermill

    from budgetlens import report
    from budgetlens.batch import kernels
    from budgetlens.units import unit_ids, unit_table

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


def _measure(code: Path | None, processed: Path, reports: Path, n: int) -> dict:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code / "lib")
        env["BUDGETLENS_NOTEBOOKS"] = str(code / "notebooks")
    proc = subprocess.run([sys.executable, __file__, "--child", str(processed), str(reports), str(n)],
                          capture_output=True, text=True, env=env, cwd=str(code or ROOT))
    if proc.returncode != 0:
        raise RuntimeError(f"unit page benchmark failed: {proc.stderr.strip()[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _baseline_code(ref: str, dest: Path) -> Path | None:
    if ref.lower() in ("", "none") or not (ROOT / ".git").exists():
        return None
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "lib", "notebooks"], capture_output=True)
    if archive.returncode != 0:
        return None
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


_VOLATILE = [re.compile(r"git commit [^·<]*"), re.compile(r"生成于 [0-9-]+ [0-9:]+ UTC"),
             re.compile(r'(celltag_injected-parameters" id="cell-id=)[0-9a-f-]+')]  # papermill's random cell id
_IMAGE = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def normalised(html: str) -> str:
    for pattern in _VOLATILE:
        html = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "…", html)
    return html


def same_page(a: str, b: str) -> bool:
    """The same page modulo generation time and commit; PNGs equal as bytes or as decoded pixels."""
    a, b = normalised(a), normalised(b)
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
        ref = os.environ.get("BENCH_BASELINE_REF", BASELINE_REF)
        code = _baseline_code(ref, tmp / "baseline-code")
        now = base = None
        for _ in range(ROUNDS):  # interleaved, the cheaper round of each kept: others' load only adds
            m = _measure(None, processed, tmp / "now", units)
            now = m if now is None or m["cpu_s"] < now["cpu_s"] else now
            if code is not None:
                m = _measure(code, processed, tmp / "base", units)
                base = m if base is None or m["cpu_s"] < base["cpu_s"] else base
        out.update(unit_page_units_timed=now["units"], unit_page_cpu_s=round(now["cpu_s"], 3),
                   unit_page_worker_cpu_s=round(now["worker_cpu_s"], 3),
                   unit_page_kernel_cpu_s=round(now["kernel_cpu_s"], 3), unit_page_wall_s=round(now["wall_s"], 3),
                   unit_page_papermill_wall_s=round(now["papermill_wall_s"], 3),
                   unit_page_first_cpu_s=round(now["first_unit_cpu_s"], 2))
        if base is None:
            out["unit_page_baseline"] = f"skipped (no git checkout or ref {ref!r})"
            return out
        pages = [(tmp / "now" / "units" / f"{u}.html", tmp / "base" / "units" / f"{u}.html") for u in now["unit_ids"]]
        same = sum(same_page(a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")) for a, b in pages)

        def size(folder: Path) -> int:
            return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

        out.update(unit_page_baseline_ref=ref[:12], unit_page_cpu_s_baseline=round(base["cpu_s"], 3),
                   unit_page_worker_cpu_s_baseline=round(base["worker_cpu_s"], 3),
                   unit_page_kernel_cpu_s_baseline=round(base["kernel_cpu_s"], 3),
                   unit_page_wall_s_baseline=round(base["wall_s"], 3),
                   unit_page_cpu_ratio=round(now["cpu_s"] / base["cpu_s"], 3),
                   unit_page_cpu_ratio_goal=f"<= {GOAL_RATIO}",
                   unit_page_same_html=f"{same} of {len(pages)}",
                   unit_page_record_kb=round(size(tmp / "now" / "runs") / 1024 / len(pages), 1),
                   unit_page_record_kb_baseline=round(size(tmp / "base" / "runs") / 1024 / len(pages), 1),
                   unit_page_html_kb=round(size(tmp / "now" / "units") / 1024 / len(pages), 1))
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3], int(sys.argv[4])), ensure_ascii=False))
    else:
        sys.path.insert(0, str(ROOT / "lib"))
        n = int(sys.argv[2]) if len(sys.argv) > 2 else UNITS
        print(json.dumps(run(Path(sys.argv[1]), n), ensure_ascii=False, indent=2))
