"""Volumes of one publication (narrative + tables) are paired by content: year, kind, unit and totals.

The rules on signatures run everywhere; the folder runs read Beijing's two-volume publications from
../shared/corpus-cn in place (skipped when absent).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from budgetlens.publications import match_score, match_signatures


def _sig(unit, *, year=2026, kind="budget", narrative=False, **totals):
    return {"unit": unit, "year": year, "kind": kind, "narrative_only": narrative, "tables_only": not narrative,
            "totals": totals}


def test_units_and_totals_that_agree_pair():
    n = _sig("北京市信访办公室", narrative=True, grand_total=9626.78, basic_expenditure=7485.22)
    t = _sig("北京市信访办公室", grand_total=9626.777589, basic_expenditure=7485.224572)
    assert match_score(n, t) is not None
    assert match_signatures({"n": n, "t": t}) == [("n", "t")]


def test_a_unit_whose_name_contains_the_other_but_whose_totals_differ_does_not_pair():
    """北京市公安局 and 北京市公安局交通管理局 share a name, not a publication."""
    n = _sig("北京市公安局", narrative=True, grand_total=1200.0, basic_expenditure=800.0)
    t = _sig("北京市公安局交通管理局", grand_total=529260.342892, basic_expenditure=300000.0)
    assert match_score(n, t) is None


def test_other_year_kind_or_unit_never_pairs():
    n = _sig("北京市统计局", narrative=True, grand_total=51036.22)
    assert match_score(n, _sig("北京市统计局", year=2025, grand_total=51036.219169)) is None
    assert match_score(n, _sig("北京市统计局", kind="final", grand_total=51036.219169)) is None
    assert match_score(n, _sig("北京市商务局", grand_total=51036.219169)) is None


def test_a_volume_without_a_unit_pairs_only_on_agreeing_totals():
    n = _sig(None, narrative=True, grand_total=30775.65, basic_expenditure=21000.12, project_expenditure=9775.53)
    assert match_score(n, _sig("北京市气象局", grand_total=30775.648545, basic_expenditure=21000.118,
                               project_expenditure=9775.530545)) is not None
    assert match_score(n, _sig("北京市气象局", grand_total=30775.648545)) is None  # one total is not enough
    assert match_score(n, _sig("北京市气象局", grand_total=30775.648545, basic_expenditure=21000.118,
                               project_expenditure=9000.0)) is None


def test_each_volume_pairs_once_with_the_best_fit():
    """Two narratives of similar names: each takes the tables volume whose totals it states."""
    sigs = {"n1": _sig("北京市城市管理委员会", narrative=True, grand_total=100.0, basic_expenditure=60.0),
            "n2": _sig("北京市城市管理综合行政执法局", narrative=True, grand_total=200.0, basic_expenditure=150.0),
            "t2": _sig("北京市城市管理综合行政执法局", grand_total=200.001, basic_expenditure=149.999),
            "t1": _sig("北京市城市管理委员会", grand_total=100.002, basic_expenditure=60.001)}
    assert sorted(match_signatures(sigs)) == [("n1", "t1"), ("n2", "t2")]


# --- Beijing, read in place -------------------------------------------------------------------

# (narrative, tables) of two publications, and a tables volume and a narrative whose other volumes
# are left out: they must stay alone.
PAIRS = [("0e0df07d60", "633fab9dc2"), ("3d0eb3f36c", "bfd3759a1f")]
ALONE = ["d0bfcd951f", "2fc0168328"]


@pytest.fixture(scope="module")
def beijing_folder(corpus_cn_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("beijing")
    for stem in [s for p in PAIRS for s in p] + ALONE:
        (folder / f"{stem}.pdf").symlink_to(corpus_cn_dir / "beijing" / f"{stem}.pdf")
    return folder


def test_a_folder_run_pairs_beijing_volumes_by_content(beijing_folder):
    from budgetlens.cli import main

    res = CliRunner().invoke(main, ["extract", str(beijing_folder), "--json"])
    assert res.exit_code == 0, res.output
    docs = json.loads(res.output)
    files = sorted(tuple(f["path"].rsplit("/", 1)[1][:-4] for f in d["source"].get("files", [d["source"]]))
                   for d in docs)
    assert files == sorted([*PAIRS, *((s,) for s in ALONE)])
    for d in docs:
        if len(d["source"].get("files", [])) == 2:
            # the pair reads as one document: the narrative's identity, the tables' figures
            assert d["document"]["unit"] and d["document"]["year"] == 2026 and d["document"]["kind"] == "budget"
            assert {"income_expenditure_summary", "basic_expenditure", "three_public"} <= {t["id"] for t in d["tables"]}


def test_extract_together_reads_the_named_volumes_as_one(corpus_cn_dir):
    from budgetlens.cli import main

    paths = [str(corpus_cn_dir / "beijing" / f"{s}.pdf") for s in PAIRS[0]]
    res = CliRunner().invoke(main, ["extract", *paths, "--together", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert [f["path"] for f in doc["source"]["files"]] == paths
    assert doc["document"]["unit"] == "北京市信访办公室"
    assert doc["facts"]["grand_total"] == pytest.approx(9626.777589)


def test_check_on_a_folder_reads_the_paired_volumes_as_one(corpus_cn_dir, tmp_path):
    from budgetlens.cli import main

    for stem in PAIRS[0]:
        (tmp_path / f"{stem}.pdf").symlink_to(corpus_cn_dir / "beijing" / f"{stem}.pdf")
    res = CliRunner().invoke(main, ["check", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    (entry,) = json.loads(res.output)
    assert entry["path"] == " + ".join(str(tmp_path / f"{s}.pdf") for s in PAIRS[0])
