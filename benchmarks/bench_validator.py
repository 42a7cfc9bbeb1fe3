"""Validator benchmark: recall on injected faults and false alarms on the unperturbed seeds.

``run()`` perturbs the three budget/final seeds one thing at a time (a table cell in an identity,
a narrative amount or percentage, a direction word, a whole required table), checks each perturbed
text, and counts a perturbation as caught when a new error/warning finding of the expected rule
appears. False alarms are error/warning findings on the unperturbed seeds (all four) that report
none of the hand-read inconsistencies in ``tests/expected/seeds``.

    .venv/bin/python benchmarks/bench_validator.py
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
EXPECTED = ROOT / "tests" / "expected" / "seeds"
FAULT_SEEDS = ["000_2dcbd3ad2c52b1d0.txt", "003_159abbecd5886f59.txt", "004_f2bc4dd2dc88ab43.txt"]
PER_SEED = 70
SEED = 0


def _expected(name: str) -> dict:
    return json.loads((EXPECTED / (Path(name).stem + ".json")).read_text(encoding="utf-8"))


def false_alarm_report() -> dict[str, list[dict]]:
    """Per seed, the error/warning findings that are not real inconsistencies."""
    from budgetlens.checks import run_checks
    from budgetlens.checks.faults import false_alarms
    from budgetlens.extract import extract

    out = {}
    for path in sorted(RAW.glob("*.txt")):
        result = extract(path)
        out[path.name] = false_alarms(run_checks(result), _expected(path.name).get("inconsistencies", []))
    return out


def run(per_seed: int = PER_SEED, seed: int = SEED) -> dict:
    """Recall over the injected perturbations, false alarms on the seeds, and the breakdowns."""
    from budgetlens.checks.faults import evaluate, perturbations

    started = time.perf_counter()
    outcomes = []
    for name in FAULT_SEEDS:
        path = RAW / name
        outcomes += evaluate(path, perturbations(path, per_seed, seed=seed))
    caught = [o for o in outcomes if o.caught]
    by_kind = Counter(o.perturbation.kind for o in outcomes)
    caught_kind = Counter(o.perturbation.kind for o in caught)
    fa = false_alarm_report()
    return {
        "validator_recall": round(len(caught) / len(outcomes), 4) if outcomes else 0.0,
        "validator_false_alarms": sum(len(v) for v in fa.values()),
        "validator_perturbations": len(outcomes),
        "recall_by_kind": {k: round(caught_kind[k] / n, 4) for k, n in sorted(by_kind.items())},
        "perturbations_by_kind": dict(sorted(by_kind.items())),
        "missed": [f"{o.perturbation.source}:{o.perturbation.line} {o.perturbation.description} "
                   f"(expected {o.perturbation.rule}, got {o.new_rules})" for o in outcomes if not o.caught],
        "false_alarms": {k: [f"{f['rule']}: {f['message']}" for f in v] for k, v in fa.items() if v},
        "seconds": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "lib"))
    print(json.dumps(run(), ensure_ascii=False, indent=2))
