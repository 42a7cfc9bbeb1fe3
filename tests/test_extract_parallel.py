"""``budgetlens extract`` over many files: all cores, the serial result in the serial order, one line
per bad file; and a start-up that imports only what the command needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from budgetlens import parallel
from conftest import RAW

SEEDS = sorted(RAW.glob("*.txt"))


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetlens.cli", *args], capture_output=True, text=True, cwd=cwd)


def _documents(folder: Path) -> dict[str, str]:
    return {p.parent.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*/document.json"))}


def test_parallel_extract_equals_the_serial_one_in_the_same_order(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n% truncated")
    inputs = [str(SEEDS[0]), str(bad / "empty.txt"), *map(str, SEEDS[1:]), str(bad / "broken.pdf")]
    serial = _cli("extract", *inputs, "--json", "--jobs", "1", cwd=tmp_path)
    many = _cli("extract", *inputs, "--json", "--jobs", "2", cwd=tmp_path)
    assert serial.returncode == many.returncode == 1
    assert json.loads(many.stdout) == json.loads(serial.stdout)
    assert [d["source"]["path"] for d in json.loads(many.stdout)] == [str(p) for p in SEEDS]
    errors = [line for line in many.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [line for line in serial.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[1].strip() for e in errors] == [str(bad / "empty.txt"), str(bad / "broken.pdf")]
    assert "Traceback" not in many.stderr

    out1, out2 = tmp_path / "p1", tmp_path / "p2"
    assert _cli("extract", *map(str, SEEDS), "--out", str(out1), "--jobs", "1", cwd=tmp_path).returncode == 0
    assert _cli("extract", *map(str, SEEDS), "--out", str(out2), cwd=tmp_path).returncode == 0
    assert _documents(out1) == _documents(out2) and len(_documents(out1)) == len(SEEDS)


def crash_on_second(paths):
    """A stand-in reader (module level: the pool sends it by name)."""
    if paths[0].endswith("crash"):
        os._exit(3)  # a crash inside a C library: no exception, the process is gone
    return paths[0], None


def test_a_crashing_reader_is_pinned_on_its_file(monkeypatch):
    monkeypatch.setattr(parallel, "extract_one", crash_on_second)
    groups = [["a"], ["b.crash"], ["c"], ["d"]]
    got = [(g[0], result, reason) for g, result, reason in parallel.extract_many(groups, jobs=2)]
    assert got == [("a", "a", None), ("b.crash", None, parallel.WORKER_DIED), ("c", "c", None), ("d", "d", None)]


def test_start_up_imports_only_what_the_command_needs(tmp_path):
    heavy = ["camelot", "matplotlib", "matplotlib.pyplot", "pandas", "papermill", "nbconvert", "cv2", "playa"]
    code = (f"import sys, budgetlens.cli; print(','.join(m for m in {heavy!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "", proc.stdout + proc.stderr

    # Reading a text report needs neither the PDF readers nor any plotting.
    code = (f"import sys; from budgetlens.extract import extract; extract({str(SEEDS[0])!r}); "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.strip().split(",")) <= {"pandas"}


def _imported_by(cmd: list[str], cwd: Path) -> set[str]:
    """Every module the process ``cmd`` imported (``-X importtime``'s list of names, not its timings)."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}


def test_help_loads_no_heavy_module(tmp_path):
    script = Path(sys.executable).with_name("budgetlens")
    cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "budgetlens.cli"]
    heavy = {"camelot", "matplotlib", "matplotlib.pyplot", "pandas", "numpy", "papermill", "nbconvert", "cv2"}
    for args in (["--help"], ["extract", "--help"], ["batch", "--help"], ["export", "--help"]):
        loaded = _imported_by(cmd + args, tmp_path)
        assert "click" in loaded, "the list of imported modules was not read"
        assert not loaded & heavy, (args, sorted(loaded & heavy))
