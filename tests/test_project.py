"""Project hygiene: raw data is unchanged, conda and pip name the same packages."""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib

import yaml

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


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    pip_names |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            conda_names |= {_name(r) for r in dep.get("pip", []) if not r.startswith("-e")}
        elif not dep.startswith(("python", "pip")):
            conda_names.add(_name(dep))
    assert pip_names == conda_names
