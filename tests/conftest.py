"""Shared fixtures: the repository, the seeds in data/raw, the shared corpus (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
EXPECTED = ROOT / "tests" / "expected"
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = sorted(p.name for p in RAW.glob("*.txt"))


def expected_seed(name: str) -> dict:
    return json.loads((EXPECTED / "seeds" / (Path(name).stem + ".json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_results():
    """Extraction of every seed, once per test session."""
    from budgetlens.extract import extract

    return {name: extract(RAW / name) for name in SEEDS}


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


CORPUS_CN = ROOT.parent / "shared" / "corpus-cn"


@pytest.fixture(scope="session")
def corpus_cn_dir() -> Path:
    if not CORPUS_CN.is_dir():
        pytest.skip(f"national corpus not found at {CORPUS_CN}")
    return CORPUS_CN
