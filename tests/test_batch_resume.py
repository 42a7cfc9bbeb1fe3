"""A real ``budgetlens batch`` killed with SIGKILL partway resumes where it stopped.

The batch runs as a subprocess (its own session: the kill takes the driver, its workers and their
kernels at once, as a lost machine would) on a small synthetic corpus with the report notebooks.
It is killed once some unit pages are done; the rerun must redo only what was not finished
(extraction included), and leave no temporary file behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetlens.batch.state import MARKERS, DoneMarkers
from budgetlens.fsutil import is_temporary

UNITS = 6


def _batch_cmd(raw: Path, tmp: Path) -> list[str]:
    return [sys.executable, "-m", "budgetlens.cli", "batch", str(raw), "--processed", str(tmp / "processed"),
            "--reports", str(tmp / "reports"), "--jobs", "2", "--quiet", "--timeout", "120"]


def _temporary(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and is_temporary(p.name)]


def _done_units(tmp: Path) -> set[str]:
    markers = DoneMarkers(tmp / "reports", tmp / "processed").load("notebooks")
    return {k for k, e in markers.items() if k.startswith("unit/") and e.get("ok")}


def test_killed_batch_resumes_and_leaves_no_temporary_file(tmp_path):
    pytest.importorskip("papermill")
    from budgetlens.synth import generate_corpus

    raw = tmp_path / "raw"
    generate_corpus(raw, UNITS, [2023], seed=11)
    (raw / "answer_key.json").unlink()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen(_batch_cmd(raw, tmp_path), cwd=tmp_path, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    try:
        while len(_done_units(tmp_path)) < 2:
            assert proc.poll() is None, f"the batch ended before it could be killed: {proc.stderr.read()[-800:]!r}"
            assert time.monotonic() < deadline, "no unit page was finished in time"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver, its workers and their kernels
        proc.wait()
    done = _done_units(tmp_path)
    assert 2 <= len(done) < UNITS
    extracted = DoneMarkers(tmp_path / "reports", tmp_path / "processed").load("documents")
    docs = len(list(raw.glob("syn-*.txt")))
    assert len(extracted) == docs  # notebooks start after the extraction stage
    manifest = json.loads((tmp_path / "reports" / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["finished"] is None  # the kill came before the last manifest
    # What a kill in the middle of a write leaves (and the old batch's hidden notebooks did).
    stale = tmp_path / "reports" / "units" / f".{next(iter(done))[5:]}.html.k2j4l.tmp"
    stale.write_text("<html>half")
    (tmp_path / "reports" / "runs" / "02_unit_report" / ".x.abcd1234.ipynb").write_text("{")

    rerun = subprocess.run(_batch_cmd(raw, tmp_path), cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=600)
    assert rerun.returncode == 0, (rerun.stdout + rerun.stderr)[-2500:]
    m = json.loads((tmp_path / "reports" / "run_manifest.json").read_text(encoding="utf-8"))
    ran = {p["file"] for p in m["produced"] if p["status"] == "ran"}
    up_to_date = {p["file"] for p in m["produced"] if p["status"] == "up to date"}
    units = {p["file"] for p in m["produced"] if p["stage"] == "unit"}
    assert len(units) == UNITS and not m["failures"]
    assert {u for u in ran if u.startswith("unit/")} == units - done  # only the unfinished units
    assert done <= up_to_date
    assert m["stages"]["extract"]["ran"] == 0 and m["stages"]["extract"]["up_to_date"] == docs
    assert "index" in ran
    assert any("temporary file" in n for n in m["notes"])
    assert not _temporary(tmp_path / "reports") and not _temporary(tmp_path / "processed")
    for unit in units:
        page = tmp_path / "reports" / "units" / f"{unit[5:]}.html"
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")

    # Finished now: the manifest holds it all, a third run does nothing.
    third = subprocess.run(_batch_cmd(raw, tmp_path), cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=600)
    assert third.returncode == 0, (third.stdout + third.stderr)[-2500:]
    m = json.loads((tmp_path / "reports" / "run_manifest.json").read_text(encoding="utf-8"))
    assert not [p for p in m["produced"] if p["status"] == "ran"]
    assert (tmp_path / "reports" / MARKERS).is_dir()


def test_a_second_batch_on_the_same_reports_folder_is_refused(tmp_path):
    from budgetlens.batch.state import lock_folder

    lock = lock_folder(tmp_path)
    try:
        with pytest.raises(OSError, match="another budgetlens batch"):
            lock_folder(tmp_path)
    finally:
        lock.release()
    lock_folder(tmp_path).release()  # free again once released
