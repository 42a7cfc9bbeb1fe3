"""Readers that turn a source file (text extraction or PDF) into a :class:`~budgetlens.document.Document`."""

from __future__ import annotations

from pathlib import Path

from ..document import Document, SourceError, fold_document_glyphs

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

        return number_lines(fold_document_glyphs(read_pdf(str(p))))
    from .text import read_text

    return read_text(str(p))


def number_lines(doc: Document) -> Document:
    """Give PDF blocks and table rows document-order line numbers (a PDF has no lines of its own),
    so that evidence and anything that groups by position see the reading order; pages stay."""
    n = 0
    for block in doc.blocks:
        n += 1
        block.line = n
        if block.kind == "table" and block.table is not None:
            block.table.line = n
            block.table.row_lines = list(range(n, n + len(block.table.rows)))
            n += max(len(block.table.rows) - 1, 0)
    return doc
