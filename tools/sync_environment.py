"""Write environment.yml (conda) from requirements.lock, so both install the same versions.

Usage: python3 tools/sync_environment.py requirements.lock environment.yml  (run by `make lock`).
Only the standard library: it runs before any environment exists.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")

HEADER = """\
# conda users: conda env create -f environment.yml — Python 3.11 and exactly the versions of
# requirements.lock (this file is written from it by `make lock`; a test checks they agree).
name: budgetlens
channels:
- conda-forge
dependencies:
- python=3.11
- pip
- pip:
"""


def pins(lock_text: str) -> list[tuple[str, str]]:
    """``(name, version)`` of every ``name==version`` line of a pip requirements file."""
    return [(m.group(1), m.group(2)) for m in map(PIN.match, lock_text.splitlines()) if m]


def main(lock: str, env: str) -> None:
    lines = [f"  - {name}=={version}" for name, version in pins(Path(lock).read_text(encoding="utf-8"))]
    if not lines:
        raise SystemExit(f"error: {lock}: no pinned requirement (name==version) found")
    text = HEADER + "\n".join(lines) + "\n  - -e .\n"
    tmp = Path(env).with_name(f".{Path(env).name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(env)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: sync_environment.py requirements.lock environment.yml")
    main(sys.argv[1], sys.argv[2])
