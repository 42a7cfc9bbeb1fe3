"""Which files a command works on: folders expanded, split publications paired."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .sources import SUPPORTED_SUFFIXES

FOLDER_SUFFIXES = SUPPORTED_SUFFIXES - {".md"}

# A publication in two volumes is named alike but for a volume word (文字说明/报表, text/tables).
VOLUME_WORDS = re.compile(
    r"[-_ ]?(?:text|tables?|narrative|文字说明册?|说明|公开表册?|报表册?|表格|表册|公开表|文件)(?=[-_ .]|$)", re.I
)


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders expanded to their supported reports (sorted, hidden files skipped)."""
    files: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                # In a folder, only report-like files: notes such as README.md or SOURCES.md are not reports.
                if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES and not f.name.startswith("."):
                    files.append(f)
        else:
            files.append(p)  # a missing file fails when read, and the others go on
    return files


def publication_key(path: Path) -> str:
    """The name a file shares with the other volume of its publication."""
    return VOLUME_WORDS.sub("", path.stem).lower()


def group_publications(files: list[Path]) -> list[list[Path]]:
    """Group files into documents: a PDF and its text layer are alternatives, not volumes, so only
    files of the same format whose names differ by a volume word (…-text / …-tables) pair up."""
    groups: dict[tuple[str, str], list[Path]] = {}
    order: list[tuple[str, str]] = []
    for f in files:
        has_volume_word = VOLUME_WORDS.search(f.stem) is not None
        key = (publication_key(f), f.suffix.lower()) if has_volume_word else (f.stem.lower() + "\0" + str(f), f.suffix.lower())
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(f)
    out = []
    for key in order:
        group = groups[key]
        # Narrative volume first, tables second.
        group.sort(key=lambda p: (1 if re.search(r"table|表", p.stem, re.I) else 0, p.name))
        out.append(group)
    return out
