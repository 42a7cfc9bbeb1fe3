"""The versions that made an output: budgetlens, its git commit, Python and the key packages.

Recorded in the run manifest, the datapackage and every page's provenance footer, so a figure
published this year can be reproduced next year: check out the commit, ``make install`` (which
installs ``requirements.lock``, exact versions with hashes) and rerun. ``lock_sha256`` tells
which lock file the environment was installed from (None outside a checkout).
"""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCK_FILE = "requirements.lock"
# The packages whose versions change what budgetlens reads or computes (the rest is in the lock).
KEY_PACKAGES = ("pandas", "numpy", "pyarrow", "pdfplumber", "pdfminer.six", "pypdfium2", "camelot-py",
                "playa-pdf", "charset-normalizer", "pyyaml", "matplotlib", "jinja2", "papermill", "nbconvert")

def package_versions(names: tuple[str, ...] = KEY_PACKAGES) -> dict[str, str | None]:
    """``{name: installed version}`` (None for a package that is not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out

def lock_sha256(root: Path | None = None) -> str | None:
    """SHA-256 of the checkout's ``requirements.lock``, or None when there is none."""
    path = (root or PROJECT_ROOT) / LOCK_FILE
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None

def git_commit(start: Path | None = None) -> str | None:
    """The commit of the project's checkout, read from ``.git`` (no git command); None outside one."""
    here = (start or PROJECT_ROOT).resolve()
    for folder in [here, *here.parents]:
        git = folder / ".git"
        if git.is_file():  # a worktree: "gitdir: …"
            text = git.read_text(encoding="utf-8").strip()
            if text.startswith("gitdir:"):
                git = (folder / text.split(":", 1)[1].strip()).resolve()
        if not git.is_dir():
            continue
        try:
            head = (git / "HEAD").read_text(encoding="utf-8").strip()
        except OSError:
            return None
        if not head.startswith("ref:"):
            return head or None
        ref = head.split(":", 1)[1].strip()
        for base in (git, _common_dir(git)):
            ref_file = base / ref
            if ref_file.is_file():
                return ref_file.read_text(encoding="utf-8").strip() or None
            packed = base / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref):
                        return line.split(" ", 1)[0]
        return None
    return None

def _common_dir(git: Path) -> Path:
    common = git / "commondir"
    if common.is_file():
        return (git / common.read_text(encoding="utf-8").strip()).resolve()
    return git

def environment() -> dict[str, Any]:
    """Everything :mod:`budgetlens.versions` records, as one JSON-able dict."""
    return {"budgetlens": __version__, "git_commit": git_commit(), "python": platform.python_version(),
            "platform": f"{platform.system().lower()}-{platform.machine()}", "lock_sha256": lock_sha256(),
            "packages": package_versions()}
