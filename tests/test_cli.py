"""The CLI: the contract JSON, processed output written atomically, one-line errors, batches go on."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
from click.testing import CliRunner

from budgetlens.cli import main
from conftest import RAW

SEED = RAW / "000_2dcbd3ad2c52b1d0.txt"


def test_extract_json_contract():
    res = CliRunner().invoke(main, ["extract", str(SEED), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == 1
    assert set(doc) >= {"source", "document", "facts", "function_totals", "prior_year", "projects", "tables", "findings"}
    assert doc["source"]["format"] == "text" and len(doc["source"]["sha256"]) == 64
    assert doc["facts"]["revenue_total"] == 1033.18
    assert doc["tables"][0] == {**doc["tables"][0], "id": "income_expenditure_summary", "label": "公开01表", "empty": False}


def test_extract_out_writes_documents_and_catalog(tmp_path):
    res = CliRunner().invoke(main, ["extract", str(RAW), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    catalog = pd.read_parquet(tmp_path / "catalog.parquet")
    assert len(catalog) == len(list(RAW.glob("*.txt")))
    folder = tmp_path / "000_2dcbd3ad2c52b1d0"
    assert json.loads((folder / "document.json").read_text())["document"]["year"] == 2023
    tables = pd.read_parquet(folder / "tables.parquet")
    assert {"table_id", "code", "measure", "value"} <= set(tables.columns)
    assert not list(tmp_path.rglob("*.tmp")), "no temporary files left behind"


def test_bad_inputs_give_one_line_each_and_the_batch_goes_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一封普通的信。\n祝好。\n", encoding="utf-8")
    fake_pdf = tmp_path / "fake.pdf"
    fake_pdf.write_text("not a pdf", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "budgetlens.cli", "extract", str(empty), str(binary), str(prose), str(fake_pdf),
         str(tmp_path / "missing.txt"), str(SEED), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 5
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("binary.txt: binary file" in e for e in errors)
    assert any("prose.txt: not a budget" in e for e in errors)
    assert any("missing.txt: file not found" in e for e in errors)
    assert (tmp_path / "out" / "000_2dcbd3ad2c52b1d0" / "document.json").exists()


def test_outputs_are_readable_by_others(tmp_path):
    """Atomic writes go through a temporary file; the result still gets the usual permissions."""
    import os
    import stat

    from budgetlens.fsutil import atomic_write_text

    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "page.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044
