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
        parquet, csv = pd.read_parquet(ds / f"{table}.parquet"), pd.read_csv(ds / dataset.csv_name(table))
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


def test_the_cells_csv_is_gzipped_and_described_so(exported, tmp_path):
    """cells.csv.gz (nine tenths of the bytes as plain CSV): gzip without a time stamp, declared in
    the datapackage; a re-export into a folder holding an old plain cells.csv removes it."""
    import gzip
    import shutil

    ds = exported / "ds"
    raw = (ds / "cells.csv.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0"  # gzip, mtime 0: same rows, same bytes
    text = gzip.decompress(raw).decode("utf-8-sig")
    assert text.startswith(",".join(dataset.columns("cells")) + "\n")
    assert not (ds / "cells.csv").exists() and (ds / "facts.csv").exists()
    package = json.loads((ds / "datapackage.json").read_text(encoding="utf-8"))
    cells = next(r for r in package["resources"] if r["name"] == "cells")
    assert cells["path"] == "cells.csv.gz" and cells["compression"] == "gz" and cells["bytes"] == len(raw)
    assert all("compression" not in r for r in package["resources"] if r["name"] != "cells")
    again = tmp_path / "ds"
    shutil.copytree(ds, again)
    (again / "cells.csv").write_text("stale", encoding="utf-8")
    res = CliRunner().invoke(main, ["export", "--processed", str(exported / "p"), "--out", str(again), "--force"])
    assert res.exit_code == 0, res.output
    assert not (again / "cells.csv").exists() and (again / "cells.csv.gz").read_bytes() == raw


def test_the_units_read_back_from_the_dataset_are_the_units_it_was_made_of(exported):
    """read_units rebuilds every document from the written tables: the dataset built again from
    them, and the panel's frame, are the same as from the processed documents."""
    from budgetlens import panel
    from budgetlens.units import load_units

    original, rebuilt = load_units(exported / "p"), dataset.read_units(exported / "ds")
    assert [u.unit_id for u in rebuilt] == [u.unit_id for u in original]
    assert [[d.doc_id for d in u.documents] for u in rebuilt] == [[d.doc_id for d in u.documents] for u in original]
    names = [t for t in dataset.table_names() if t != "cells"]
    again, first = dataset.build_tables(rebuilt, only=names), dataset.build_tables(original, only=names)
    for name in names:
        pd.testing.assert_frame_equal(again[name], first[name], obj=name)
    pd.testing.assert_frame_equal(panel.panel_frame(rebuilt), panel.panel_frame(original))


def test_the_panel_reads_the_dataset_it_is_given(exported, tmp_path):
    """A figure changed in the dataset's facts is the figure the panel shows: the panel reads the
    dataset, not the documents behind it; a folder without the tables is a one-line error."""
    import shutil

    from budgetlens import panel, report

    ds = tmp_path / "ds"
    shutil.copytree(exported / "ds", ds)
    facts = pd.read_parquet(ds / "facts.parquet")
    target = facts.index[facts.fact == "expenditure_total"][0]
    facts.loc[target, "value"] = 424242.42
    facts.to_parquet(ds / "facts.parquet", index=False)
    frame = panel.panel_frame(report.load_units_parameter(str(exported / "p"), None, str(ds)))
    row = frame[frame.doc_id == facts.loc[target, "doc_id"]]
    assert row.expenditure_total.tolist() == [424242.42]
    plain = panel.panel_frame(report.load_units_parameter(str(exported / "p"), None))
    assert 424242.42 not in plain.expenditure_total.tolist()
    with pytest.raises(FileNotFoundError, match="not a budgetlens dataset"):
        dataset.read_units(tmp_path)


def test_a_dataset_is_read_in_place_of_the_documents_only_while_it_is_current(exported, tmp_path):
    import shutil

    from budgetlens.export import current_dataset

    processed = tmp_path / "p"
    shutil.copytree(exported / "p", processed)
    assert current_dataset(processed, exported / "ds") == exported / "ds"
    doc = next(processed.glob("*/document.json"))
    doc.write_text(doc.read_text(encoding="utf-8").replace('"facts"', '"facts" ', 1), encoding="utf-8")
    assert current_dataset(processed, exported / "ds") is None  # a document changed since: stale
    assert current_dataset(exported / "p", tmp_path / "nothing") is None


def test_the_panel_notebook_reads_a_dataset_named_by_a_relative_path(exported, monkeypatch):
    """`make report` names reports/dataset relative to the checkout, the kernel runs in notebooks/."""
    pytest.importorskip("papermill")
    import nbformat

    from budgetlens import report

    monkeypatch.chdir(exported)
    page = report.run_panel_notebook("p", "r", timeout=120, dataset="ds")
    assert page.is_file()
    record = nbformat.read(str(exported / "r" / "runs" / "03_panel" / "panel.ipynb"), 4)
    assert record.metadata["papermill"]["parameters"]["dataset"] == str((exported / "ds").resolve())
