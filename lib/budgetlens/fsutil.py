"""Atomic file writes: write to a temporary name in the same folder, then rename.

A reader (or a crash) never sees half a file: either the old content or the new.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def atomic_write(path: str | Path, write: Callable[[str], None]) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file onto ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs are meant to be shared
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


def atomic_write_text(path: str | Path, text: str) -> Path:
    def _w(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    return atomic_write(path, _w)


def atomic_write_json(path: str | Path, data: Any) -> Path:
    return atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def is_temporary(name: str) -> bool:
    """A temporary file of an unfinished write: :func:`atomic_write`'s ``.<name>.XXXX.tmp`` or a
    hidden notebook (``.<id>.XXXX.tmp.ipynb``, the run records' name while papermill writes)."""
    return name.startswith(".") and (name.endswith(".tmp") or name.endswith(".ipynb"))


def remove_temporary_files(folder: str | Path) -> list[Path]:
    """Remove every temporary file under ``folder`` (left by a process killed mid-write); returns them.

    Only for a folder no other process is writing to (the batch holds a lock on its reports folder).
    """
    removed = []
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            if is_temporary(name):
                path = Path(dirpath) / name
                try:
                    path.unlink()
                except FileNotFoundError:
                    continue
                removed.append(path)
    return removed
