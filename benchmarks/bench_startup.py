"""Start-up: what ``budgetlens --help`` costs and loads, against the start-up before issue 17.

In one run, each command in a fresh process, ``ROUNDS`` times (the cheapest round counts):

* **now**: ``python -m budgetlens.cli --help``;
* **baseline**: the same after importing what the start-up imported before issue 17 (camelot,
  which pulls in matplotlib's pyplot, and pandas), so the difference is what a lazy start-up saves;
* ``-X importtime`` of ``import budgetlens.cli``: the cumulative import time of the package and
  the heavy modules among everything imported (the goal: none of :data:`HEAVY`).

CPU time of the process (user + system) is reported beside wall time: on a shared machine
others' load inflates wall time far more.

    .venv/bin/python benchmarks/bench_startup.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5
HEAVY = ("camelot", "matplotlib", "matplotlib.pyplot", "pandas", "numpy", "papermill", "nbconvert", "cv2")
_BASELINE = ("import camelot, matplotlib.pyplot, pandas, sys; from budgetlens.cli import main; "
             "sys.argv = ['budgetlens', '--help']; main()")


def _timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


def _best(cmd: list[str]) -> tuple[float, float]:
    runs = []
    for _ in range(ROUNDS):
        wall, cpu, proc = _timed(cmd)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:3])} … failed: {proc.stderr.strip()[-400:]}")
        runs.append((cpu, wall))
    cpu, wall = min(runs)
    return wall, cpu


def imported(code: str) -> tuple[dict[str, int], list[str]]:
    """``-X importtime`` of ``code``: cumulative µs per module, and the modules in import order."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    cumulative, order = {}, []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            _, cum, name = line.split("|")
            if cum.strip().isdigit():
                cumulative[name.strip()] = int(cum)
                order.append(name.strip())
    return cumulative, order


def run() -> dict:
    help_wall, help_cpu = _best([sys.executable, "-m", "budgetlens.cli", "--help"])
    base_wall, base_cpu = _best([sys.executable, "-c", _BASELINE])
    cumulative, order = imported("import budgetlens.cli")
    heavy = [m for m in HEAVY if m in cumulative]
    return {
        "startup_help_cpu_s": round(help_cpu, 3),
        "startup_help_cpu_s_baseline": round(base_cpu, 3),
        "startup_help_cpu_ratio": round(help_cpu / base_cpu, 3),
        "startup_help_wall_s": round(help_wall, 3),
        "startup_help_wall_s_baseline": round(base_wall, 3),
        "startup_import_cli_ms": round(cumulative.get("budgetlens.cli", 0) / 1000, 1),
        "startup_modules_imported": len(order),
        "startup_heavy_modules": heavy,
        "startup_heavy_modules_count": len(heavy),
        "startup_heavy_modules_count_goal": "== 0 (of camelot, matplotlib, pandas, numpy, papermill, nbconvert, cv2)",
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
