"""Fault injection: single perturbations of the budget/final seeds are each caught by the expected rule.

The generator (budgetlens.checks.faults) picks things a validator can check from each seed's
canonical frame and narrative — a table cell in an identity (类/款/项, 合计, the 收支总表's sides), a
narrative amount repeating a table figure, a percentage whose amounts are stated, a direction word
(增加↔减少, 增长↔下降), a required table deleted — deterministically (seeded). Each perturbed text is
written to tmp_path, extracted and checked; it is caught when a new error/warning finding of the
expected rule appears.
"""

from __future__ import annotations

from collections import Counter

import pytest

from budgetlens.checks.faults import evaluate, perturbations
from conftest import RAW

FAULT_SEEDS = ["000_2dcbd3ad2c52b1d0.txt", "003_159abbecd5886f59.txt", "004_f2bc4dd2dc88ab43.txt"]
PER_SEED = 70
SEED = 0


@pytest.fixture(scope="module")
def generated() -> dict[str, list]:
    return {name: perturbations(RAW / name, PER_SEED, seed=SEED) for name in FAULT_SEEDS}


def test_enough_deterministic_perturbations(generated):
    total = sum(len(v) for v in generated.values())
    assert total >= 200
    kinds = Counter(p.kind for ps in generated.values() for p in ps)
    assert set(kinds) == {"cell", "narrative_amount", "narrative_percent", "direction", "delete_table"}
    again = perturbations(RAW / FAULT_SEEDS[0], PER_SEED, seed=SEED)
    assert [(p.line, p.description) for p in again] == [(p.line, p.description) for p in generated[FAULT_SEEDS[0]]]
    for ps in generated.values():  # one change each: a single line edited, or one table's lines removed
        for p in ps:
            assert len(p.edits) == 1 or (p.kind == "delete_table" and all(v is None for v in p.edits.values()))


def test_each_perturbation_is_caught_by_its_rule(generated, tmp_path):
    missed = []
    for name, ps in generated.items():
        for o in evaluate(RAW / name, ps, workdir=tmp_path / name[:3]):
            if not o.caught:
                missed.append(f"{name}:{o.perturbation.line} {o.perturbation.description} "
                              f"(expected {o.perturbation.rule}, new: {o.new_rules})")
    assert not missed, "\n".join(missed)
