"""The notebook templates: thin, parameterised, and passing nbval on the seeds.

nbval runs each notebook in a subprocess (``pytest --nbval-lax --nbval-current-env``) with
``BUDGETLENS_PROCESSED`` pointing at the seeds extracted into a temporary folder (the notebooks'
default ``processed`` parameter reads it), so ``pytest`` from the repository root checks the
notebooks without ``data/processed`` being filled. With ``--nbval-lax`` only the cells marked
``# NBVAL_CHECK_OUTPUT`` are compared with their stored output: the key figures and changes of the
seeds. The other cells must run without error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_units import seed_processed

from budgetlens import report

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_CODE_LINES = 45  # "under two screens of code"


def test_the_three_templates_exist():
    assert [p.stem for p in NOTEBOOKS] == ["01_document", "02_unit_report", "03_panel"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_templates_are_thin_and_parameterised(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and code[0] is params[0], "one parameters cell, first"
    declared = [line.split("=")[0].strip() for line in params[0].source.splitlines()
                if "=" in line and not line.lstrip().startswith("#")]
    assert tuple(declared) == report.PARAMETERS[path.stem]
    assert f'report.check_parameters(globals(), "{path.stem}")' in code[1].source, "validated in the first cell"
    lines = [ln for c in code for ln in c.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(lines) <= MAX_CODE_LINES, f"{len(lines)} lines of code"
    for forbidden in ("read_parquet", "json.load", "re.", "groupby(", "import pandas", "def ", "class "):
        assert all(forbidden not in c.source for c in code), f"parsing or logic in the notebook: {forbidden}"
    assert any(c.cell_type == "markdown" for c in nb.cells), "prose explaining the findings"
    checks = [c for c in code if "NBVAL_CHECK_OUTPUT" in c.source]
    assert checks and all(report.HIDE_TAG in c.metadata.get("tags", []) for c in checks)
    for c in code:  # templates carry no outputs except the checked ones (nbval's reference)
        assert (not c.outputs and c.execution_count is None) or c in checks, c.source[:60]


@pytest.fixture(scope="session")
def nbval_env(tmp_path_factory):
    processed = seed_processed(tmp_path_factory)
    env = dict(os.environ)
    env[report.ENV_PROCESSED] = str(processed)
    env["BUDGETLENS_UNITS"] = str(processed.parent / "raw" / "units.csv")
    env.pop("PYTEST_ADDOPTS", None)
    return env


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbval(path, nbval_env, tmp_path):
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
           "--nbval-cell-timeout=300", "--rootdir", str(tmp_path), "-c", os.devnull, str(path)]
    res = subprocess.run(cmd, cwd=ROOT, env=nbval_env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-6000:] + res.stderr[-3000:]
    assert " passed" in res.stdout and " failed" not in res.stdout
