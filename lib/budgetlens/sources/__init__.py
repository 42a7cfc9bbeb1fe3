"""Readers that turn a source file (text extraction or PDF) into a :class:`~budgetlens.document.Document`."""

from __future__ import annotations

from pathlib import Path

from ..document import Document, SourceError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".tsv"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


def read_source(path: str | Path) -> Document:
    """Read any supported file; raises :class:`SourceError` with a one-line reason."""
    p = Path(path)
    if not p.exists():
        raise SourceError(str(path), "file not found")
    if p.is_dir():
        raise SourceError(str(path), "is a folder, not a file")
    if p.suffix.lower() in PDF_SUFFIXES:
        from .pdf import read_pdf

        return read_pdf(str(p))
    from .text import read_text

    return read_text(str(p))
