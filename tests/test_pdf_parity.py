"""Text and PDF of the same report give the same document, facts and function totals (issue 3).

The PDFs are renderings of the seeds made by tests/fixtures/pdf/make_fixtures.py in two layouts
(column widths, page size, header repetition differ), so the parser is not tuned to one producer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RAW, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
PAIRS = [(txt, pdf) for txt in sorted(RAW.glob("*.txt"))
         for pdf in sorted(FIXTURES.glob(f"{txt.stem}*.pdf"))]


@pytest.fixture(scope="module")
def text_results():
    from budgetlens.extract import extract

    return {txt.name: extract(txt).to_json() for txt in sorted(RAW.glob("*.txt"))}


@pytest.mark.parametrize("txt,pdf", PAIRS, ids=lambda p: Path(p).name)
def test_pdf_and_text_agree(text_results, txt: Path, pdf: Path):
    from budgetlens.extract import extract

    t = text_results[txt.name]
    p = extract(pdf).to_json()
    assert p["source"]["format"] == "pdf"
    assert p["document"] == t["document"]
    assert p["facts"] == t["facts"]
    assert p["function_totals"] == t["function_totals"]
    assert p["prior_year"] == t["prior_year"]
    assert [x["id"] for x in p["tables"]] == [x["id"] for x in t["tables"]]
    assert [(x["name"], x.get("budget"), x.get("executed"), x.get("score")) for x in p["projects"]] == \
           [(x["name"], x.get("budget"), x.get("executed"), x.get("score")) for x in t["projects"]]


def test_every_seed_has_two_pdf_layouts():
    for txt in RAW.glob("*.txt"):
        assert len(list(FIXTURES.glob(f"{txt.stem}*.pdf"))) >= 2, txt.name
