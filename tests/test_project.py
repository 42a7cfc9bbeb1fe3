"""Project hygiene: raw data is unchanged; the lock pins pyproject's dependencies, make installs it and
conda installs the same versions."""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from importlib import metadata

import yaml
from packaging.requirements import Requirement

from conftest import RAW, ROOT


def test_raw_files_match_manifest():
    rows = list(csv.DictReader((RAW / "MANIFEST.csv").open(encoding="utf-8")))
    listed = {r["file"] for r in rows}
    present = {p.name for p in RAW.iterdir() if p.suffix.lower() in {".txt", ".pdf"}}
    assert listed == present
    for r in rows:
        assert hashlib.sha256((RAW / r["file"]).read_bytes()).hexdigest() == r["sha256"], r["file"]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock_pins() -> dict[str, str]:
    """``requirements.lock`` as canonical name → version, checking every pin carries a hash."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", block)
        if m:
            assert "--hash=sha256:" in block, f"requirements.lock: {m.group(1)} has no hash"
            pins[_canonical(m.group(1))] = m.group(2)
    return pins


def _pyproject_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_lock_pins_every_pyproject_dependency_within_its_range():
    pins = _lock_pins()
    assert len(pins) > len(_pyproject_requirements())  # the transitive dependencies too
    for req in _pyproject_requirements():
        name = _canonical(req.name)
        assert name in pins, f"{req} is in pyproject.toml but not in requirements.lock: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"requirements.lock pins {name}=={pins[name]}, outside pyproject's {req}: run `make lock`"


def test_environment_yml_pins_exactly_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda = {}
    for r in pip:
        if r.startswith("-e"):
            continue
        name, _, version = r.partition("==")
        conda[_canonical(name)] = version
    assert conda == _lock_pins()


def test_make_install_installs_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.M)
    assert stamp and "$(LOCK)" in stamp.group(1), "the install must be redone when the lock changes"
    assert re.search(r"^LOCK\s*:=\s*requirements\.lock$", makefile, re.M)
    recipe = makefile[stamp.end():].split("\n\n", 1)[0]
    installs = [line.strip() for line in recipe.splitlines() if "pip install" in line]
    assert any("--require-hashes -r $(LOCK)" in line for line in installs)
    assert any("--no-deps -e ." in line for line in installs)
    # Nothing else resolves dependencies (pip itself aside).
    others = [line for line in installs if "$(LOCK)" not in line and "--no-deps" not in line]
    assert all(line.endswith("--upgrade pip") for line in others), others
    assert re.search(r"^lock:", makefile, re.M) and "--generate-hashes" in makefile


def test_installed_versions_are_the_locked_ones():
    """What `make install` put in this environment is what the lock says (rerun `make install` if not)."""
    wrong = {}
    for name, version in _lock_pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (installed, version)
    assert not wrong, f"installed vs locked (run `make install`): {wrong}"
