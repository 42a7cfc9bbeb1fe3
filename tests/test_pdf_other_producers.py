"""PDFs made by another producer than ours: LibreOffice renders each seed (as a Word/WPS export
would: paragraphs and bordered tables) and the extraction must equal the text path's (issue 3).
Skipped where LibreOffice is not installed (.ci/run installs it)."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import RAW

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _html(seed: Path) -> str:
    """The seed as a plain HTML document: one paragraph per text line, bordered tables."""
    from budgetlens.sources.text import read_text

    doc = read_text(str(seed))
    parts = ['<html><head><meta charset="utf-8"></head><body style="font-size:9pt">']
    for b in doc.blocks:
        if b.kind == "text":
            parts.append(f"<p>{html.escape(b.text)}</p>")
            continue
        width = b.table.width
        parts.append('<table border="1" cellspacing="0" cellpadding="2">')
        for row in b.table.rows:
            cells = list(row) + [""] * (width - len(row))
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lo")
    sources = []
    for seed in sorted(RAW.glob("*.txt")):
        src = out / f"{seed.stem}.html"
        src.write_text(_html(seed), encoding="utf-8")
        sources.append(str(src))
    profile = out / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "pdf:writer_pdf_Export", "--outdir", str(out), *sources],
                   check=True, capture_output=True, timeout=600)
    return {p.stem: p for p in out.glob("*.pdf")}


@pytest.mark.parametrize("seed", sorted(RAW.glob("*.txt")), ids=lambda p: p.name)
def test_libreoffice_rendering_extracts_like_the_text(libreoffice_pdfs, seed):
    from budgetlens.extract import extract

    pdf = libreoffice_pdfs[seed.stem]
    t, p = extract(seed).to_json(), extract(pdf).to_json()
    assert p["source"]["format"] == "pdf"
    for section in ("document", "facts", "function_totals", "prior_year"):
        assert p[section] == t[section], section
