"""The research dataset (budgetlens export): every table loads in one line, matches its declaration
and the datapackage validates as a Frictionless Data Package."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from budgetlens import dataset
from budgetlens.cli import main


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from budgetlens.synth import generate_corpus

    root = tmp_path_factory.mktemp("ds")
    generate_corpus(root / "raw", 3, [2022, 2023], seed=3, fault_rate=0.5)
    assert CliRunner().invoke(main, ["extract", str(root / "raw"), "--out", str(root / "p")]).exit_code == 0
    res = CliRunner().invoke(main, ["export", "--processed", str(root / "p"), "--out", str(root / "ds")])
    assert res.exit_code == 0 and res.output.startswith("wrote"), res.output
    return root


def test_every_table_loads_in_one_line_with_the_declared_columns(exported):
    ds = exported / "ds"
    for table in dataset.table_names():
        parquet, csv = pd.read_parquet(ds / f"{table}.parquet"), pd.read_csv(ds / f"{table}.csv")
        assert list(parquet.columns) == dataset.columns(table) == list(csv.columns)
        assert len(parquet) == len(csv)
    docs = pd.read_parquet(ds / "documents.parquet")
    findings = pd.read_parquet(ds / "findings.parquet")
    assert len(docs) == 12 and int((docs.errors + docs.warnings + docs.infos).sum()) == len(findings)
    facts = pd.read_parquet(ds / "facts.parquet")
    assert not facts.duplicated(["doc_id", "fact"]).any() and set(facts.doc_id) <= set(docs.doc_id)
    assert not [p for p in ds.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_every_column_is_documented_and_the_package_validates(exported):
    package = json.loads((exported / "ds" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == dataset.table_names()
    for res in package["resources"]:
        for f in res["schema"]["fields"]:
            assert f.get("description", "").strip() and f["type"], (res["name"], f)
    assert package["budgetlens"]["environment"]["packages"]["pandas"] == pd.__version__
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(exported / "ds" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]


def test_rerun_writes_nothing_and_bad_input_is_one_line(exported, tmp_path):
    res = CliRunner().invoke(main, ["export", "--processed", str(exported / "p"), "--out", str(exported / "ds")])
    assert res.exit_code == 0 and res.output.startswith("up to date"), res.output
    bad = CliRunner().invoke(main, ["export", "--processed", str(tmp_path), "--out", str(tmp_path / "o")])
    assert bad.exit_code != 0 and "error:" in bad.output and "Traceback" not in bad.output
