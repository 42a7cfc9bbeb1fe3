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


# --------------------------------------------------------------------------- done-markers

MARKERS = ".batch-state"
"""Folder (under the reports folder) of the done-markers: one small JSON file per finished step."""


class DoneMarkers:
    """One marker per finished step, so that a run killed before its manifest is written still
    knows what it completed.

    A marker is written last (after the step's outputs, which are written atomically) and
    atomically, under ``<reports>/.batch-state/<stage>/<sha256(key)>.json``; it holds the step's
    manifest entry (input hashes, code and template fingerprints, output hashes). A step that
    fails has its marker removed, so a marker always describes the step's latest completion.
    Markers of another processed folder are ignored.
    """

    def __init__(self, reports: Path, processed: Path) -> None:
        self.root = Path(reports) / MARKERS
        self.processed = str(Path(processed).resolve())

    def _path(self, stage: str, key: str) -> Path:
        return self.root / stage / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}.json"

    def load(self, stage: str) -> dict[str, dict[str, Any]]:
        """key → entry for every readable marker of ``stage`` (unreadable ones are ignored)."""
        out: dict[str, dict[str, Any]] = {}
        for path in sorted((self.root / stage).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if (isinstance(data, dict) and data.get("schema") == SCHEMA and data.get("processed") == self.processed
                    and isinstance(data.get("key"), str) and isinstance(data.get("entry"), dict)):
                out[data["key"]] = data["entry"]
        return out

    def put(self, stage: str, key: str, entry: dict[str, Any]) -> None:
        atomic_write_json(self._path(stage, key),
                          {"schema": SCHEMA, "processed": self.processed, "key": key, "entry": entry})

    def drop(self, stage: str, key: str) -> None:
        try:
            os.unlink(self._path(stage, key))
        except FileNotFoundError:
            pass

    def prune(self, stage: str, keep: set[str]) -> None:
        """Remove the markers of keys no longer in the run (after a finished run)."""
        wanted = {self._path(stage, k).name for k in keep}
        for path in (self.root / stage).glob("*.json"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)


LOCK = ".batch.lock"


class FolderLock:
    """An exclusive lock on a reports folder for one batch run (released on exit, or when the
    process dies: the kernel drops an ``flock`` with its file descriptor)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def lock_folder(folder: Path) -> FolderLock:
    """Lock ``folder`` for this run; :class:`OSError` when another live batch holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, as before
        return FolderLock(None)
    fd = os.open(Path(folder) / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise OSError(f"{folder}: another budgetlens batch is running on this reports folder") from None
    return FolderLock(fd)
