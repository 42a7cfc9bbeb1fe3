"""`make bench`: every benchmark in one run, printed and written to reports/bench/latest.json.

Speed goals are reported as ratios against baselines measured in the same run on the same
files, so the figures compare across machines; tests never assert timings.

A benchmark states a goal for its figure ``name`` as ``name_goal``: ``"<op> <number>"`` with
``<op>`` one of ``<, <=, >, >=, ==``, an optional explanation after the number. At the end every goal
is printed with its figure and whether the figure meets it (``goals`` in the JSON, ``goals_met``).
"""

from __future__ import annotations

import importlib
import operator
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from budgetlens.fsutil import atomic_write_json  # noqa: E402


def _seed_texts() -> list[Path]:
    return sorted((ROOT / "data" / "raw").glob("*.txt"))


def _pdf_fixtures() -> list[Path]:
    return sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))


_GOAL = re.compile(r"\s*(<=|>=|==|<|>)\s*(-?[0-9.]+)")
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


def goals(results: dict) -> list[dict]:
    """Every ``X_goal`` of ``results`` checked against ``X``: figure, value, goal, met (None when
    the figure is missing or not a number, or the goal does not parse)."""
    out = []
    for key, goal in results.items():
        if not key.endswith("_goal") or not isinstance(goal, str):
            continue
        name = key[: -len("_goal")]
        value, m = results.get(name), _GOAL.match(goal)
        met = None
        if m and isinstance(value, (int, float)) and not isinstance(value, bool):
            met = _OPS[m.group(1)](value, float(m.group(2)))
        out.append({"figure": name, "value": value, "goal": goal, "met": met})
    return out


def main() -> int:
    results: dict = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    steps = [
        ("bench_startup", lambda m: m.run()),
        ("bench_text", lambda m: m.run(_seed_texts())),
        ("bench_pdf", lambda m: m.run([str(p) for p in _pdf_fixtures() if ".seed" in p.name or p.stem[:3].isdigit()])),
        ("bench_validator", lambda m: m.run()),
        ("bench_extract", lambda m: m.run()),
        ("bench_batch", lambda m: m.run()),
        ("bench_unit_page", lambda m: m.run_synthetic()),
        ("bench_panel", lambda m: m.run()),
        ("bench_corpus_cn", lambda m: m.run()),
    ]
    for name, call in steps:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(f"{name}: skipped ({exc})")
            continue
        t = time.perf_counter()
        try:
            figures = call(module)
        except Exception as exc:  # noqa: BLE001 - one failing benchmark must not hide the others
            print(f"{name}: failed: {type(exc).__name__}: {exc}")
            results.setdefault("failures", {})[name] = f"{type(exc).__name__}: {exc}"
            continue
        figures[f"{name}_seconds"] = round(time.perf_counter() - t, 1)
        results.update(figures)
        for k, v in figures.items():
            print(f"{k:40} {v}")
    results["goals"] = checked = goals(results)
    results["goals_met"] = f"{sum(g['met'] is True for g in checked)} of {len(checked)}"
    print("\ngoals")
    for g in checked:
        verdict = {True: "meets", False: "MISSES", None: "not measured"}[g["met"]]
        print(f"  {g['figure']:44} {g['value']!s:>10}  goal {g['goal']:28} {verdict}")
    print(f"  {results['goals_met']} goals met")
    out = ROOT / "reports" / "bench" / "latest.json"
    atomic_write_json(out, results)
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
