"""What a batch run remembers: fingerprints of inputs, code and templates, and the run manifest.

A step is redone only when one of its fingerprints changed: a document when its input files'
SHA-256 or the code fingerprint changed (or its outputs are gone or were altered); a unit
notebook when the hashes of its documents' outputs, the template or the code changed; the panel
when any document did; the index when any notebook did. The code fingerprint is the budgetlens
version plus one hash over the package's source and registry files, so editing the lib redoes
everything and editing nothing redoes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..fsutil import atomic_write_json, sha256_file

MANIFEST = "run_manifest.json"
SCHEMA = 1
_CODE_SUFFIXES = {".py", ".yaml", ".yml", ".json", ".csv", ".txt", ".html", ".j2", ".css", ".tpl", ".ipynb"}


def digest(obj: Any) -> str:
    """A stable SHA-256 of a JSON-able value."""
    data = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def package_root() -> Path:
    return Path(__file__).resolve().parents[1]


def code_fingerprint(root: Path | None = None) -> dict[str, str]:
    """``{"version", "lib_sha256"}``: the budgetlens version and a hash of its source files."""
    root = root or package_root()
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in _CODE_SUFFIXES or "__pycache__" in path.parts:
            continue
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return {"version": __version__, "lib_sha256": h.hexdigest()}


def files_fingerprint(paths: list[Path]) -> str:
    """One hash over some files (name and content); missing files count as absent."""
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        h.update(p.name.encode("utf-8") + b"\0")
        h.update(sha256_file(p).encode() if p.is_file() else b"-")
    return h.hexdigest()


class HashCache:
    """SHA-256 of files, computed once per run (keyed by path, size and mtime)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int], str] = {}

    def sha(self, path: str | Path) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = (str(path), st.st_size, st.st_mtime_ns)
        if key not in self._cache:
            self._cache[key] = sha256_file(path)
        return self._cache[key]


def load_manifest(path: Path) -> dict[str, Any]:
    """The previous run's manifest, or ``{}`` when there is none (or it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return {}
    return data


def write_manifest(path: Path, manifest: dict[str, Any]) -> Path:
    return atomic_write_json(path, manifest)
