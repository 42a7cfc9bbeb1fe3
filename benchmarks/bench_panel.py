"""The panel and the index at scale, against their size budget (``make bench`` runs it).

For each synthetic corpus (300 units × 2 years and 500 units × 3 years, a budget and a final per
year: 1,200 and 3,000 documents), in a temporary folder: ``budgetlens batch --no-notebooks``
extracts it, then the panel notebook and the index are built and timed. Reported: the bytes of
``panel.html`` and ``index.html`` and their budgets (``budgetlens.panel.panel_budget`` /
``index_budget``, which hold for 3,000 units too), the panel's run record, the largest chart, and —
where Chromium is installed — how long the panel takes in a headless browser until its table is
drawn (``performance.now()`` at DOMContentLoaded, after the page's script), next to the same for
the index.

    .venv/bin/python benchmarks/bench_panel.py [units years]   # e.g. 300 2
"""

from __future__ import annotations

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
CORPORA = [(300, [2022, 2023]), (500, [2022, 2023, 2024])]
SEED = 2024
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMER = ("<script>document.addEventListener('DOMContentLoaded', function () { var p = document.createElement('pre');"
         " p.id = 'bench-timer'; p.textContent = JSON.stringify({ready_ms: performance.now(),"
         " rows: document.querySelectorAll('tbody tr').length}); document.body.appendChild(p); });</script>")


def _browser() -> str | None:
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)


def _open_ms(page: Path, browser: str, profile: Path) -> float | None:
    """Milliseconds from navigation to the page's scripts done, in headless Chromium (median of 3)."""
    copy = page.with_name(f".timed-{page.name}")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", TIMER + "</body>"), encoding="utf-8")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--dump-dom", copy.as_uri()]
    times = []
    try:
        for _ in range(3):
            out = subprocess.run(cmd, capture_output=True, timeout=180).stdout.decode("utf-8", errors="replace")
            found = re.search(r'<pre id="bench-timer">(.*?)</pre>', out)
            if found:
                times.append(json.loads(found.group(1).replace("&quot;", '"'))["ready_ms"])
    finally:
        copy.unlink()
    return round(sorted(times)[len(times) // 2], 0) if times else None


def measure(units: int, years: list[int], work: Path) -> dict:
    from budgetlens import panel, report
    from budgetlens.synth import generate_corpus

    raw, processed, reports = work / "raw", work / "processed", work / "reports"
    generate_corpus(raw, units, years, seed=SEED)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "budgetlens.cli", "batch", str(raw), "--no-notebooks", "-q",
                           "--processed", str(processed), "--reports", str(reports)], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"budgetlens batch failed: {proc.stderr.strip()[-800:]}")
    extract_s = time.perf_counter() - started
    documents = len(list(processed.glob("*/document.json")))
    t = time.perf_counter()
    page = report.run_panel_notebook(processed, reports)
    panel_s = time.perf_counter() - t
    t = time.perf_counter()
    index = report.write_index(processed, reports)
    index_s = time.perf_counter() - t
    html = page.read_text(encoding="utf-8")
    charts = [len(m) for m in re.findall(r'src="(data:image/png;base64,[^"]+)"', html)]
    data = re.search(r'<script[^>]*id="panel-data"[^>]*>(.*?)</script>', html, re.S)
    tag = f"panel_{units}x{len(years)}"
    out = {
        f"{tag}_documents": documents,
        f"{tag}_bytes": page.stat().st_size,
        f"{tag}_budget_bytes": panel.panel_budget(documents),
        f"{tag}_within_budget": page.stat().st_size <= panel.panel_budget(documents),
        f"{tag}_data_bytes_per_document": round(len(data.group(1).encode("utf-8")) / documents, 1) if data else None,
        f"{tag}_charts": len(charts),
        f"{tag}_largest_chart_bytes": max(charts, default=0),
        f"{tag}_run_record_bytes": (reports / "runs" / report.PANEL_NOTEBOOK / "panel.ipynb").stat().st_size,
        f"{tag}_index_bytes": index.stat().st_size,
        f"{tag}_index_budget_bytes": panel.index_budget(units),
        f"{tag}_index_within_budget": index.stat().st_size <= panel.index_budget(units),
        f"{tag}_reports_bytes": sum(p.stat().st_size for p in reports.rglob("*") if p.is_file()),
        f"{tag}_extract_seconds": round(extract_s, 1),
        f"{tag}_notebook_seconds": round(panel_s, 1),
        f"{tag}_index_seconds": round(index_s, 1),
    }
    browser = _browser()
    if browser:
        out[f"{tag}_browser_ready_ms"] = _open_ms(page, browser, work / "profile")
        out[f"{tag}_index_browser_ready_ms"] = _open_ms(index, browser, work / "profile")
    else:
        out[f"{tag}_browser"] = "skipped: no Chromium (apt-get install chromium)"
    return out


def run(corpora: list[tuple[int, list[int]]] | None = None) -> dict:
    out: dict = {}
    for units, years in corpora or CORPORA:
        work = Path(tempfile.mkdtemp(prefix="bench-panel-"))
        try:
            out.update(measure(units, years, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "lib"))
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    chosen = None
    if len(sys.argv) > 2:
        n, y = int(sys.argv[1]), int(sys.argv[2])
        chosen = [(n, list(range(2022, 2022 + y)))]
    print(json.dumps(run(chosen), ensure_ascii=False, indent=2))
