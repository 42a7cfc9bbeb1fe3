"""The real Shanghai and Jiangsu corpus (../shared/corpus, skipped when absent): every file extracts,
is identified, and its key figures match what was read off each document by hand
(tests/expected/corpus, written independently of the parser)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import CORPUS, EXPECTED

EXPECTED_FILES = sorted((EXPECTED / "corpus").glob("*.json"))
TEXT_FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []

# Figures the parser does not reach yet, by document and key: each is a known gap, listed so that
# the suite fails when one regresses *or* starts to pass (then remove it from here).
KNOWN_GAPS_PDF: dict[str, set[str]] = {
}
KNOWN_GAPS: dict[str, set[str]] = {
}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _close(a, b) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-4
    return a == b


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.name)
def test_every_text_file_extracts_and_is_identified(corpus_dir, path):
    from budgetlens.extract import extract

    doc = extract(path).to_json()["document"]
    assert doc["unit"] and doc["year"] and doc["kind"] in {"budget", "final"}


def _pdf_files(names: list[str]) -> list[str]:
    return [n[: -len(".txt")] + ".pdf" for n in names]


CASES = [(p, fmt) for p in EXPECTED_FILES for fmt in ("text", "pdf")]


def _extract_case(corpus_dir, expected_path, fmt: str) -> tuple[dict, dict]:
    """(hand-read expectation, extracted JSON) of one corpus document from its text or its PDF."""
    from budgetlens.extract import extract

    e = _load(expected_path)
    files = e.get("files") or [e["file"]]
    if fmt == "pdf":
        files = _pdf_files(files)
        if not all((corpus_dir / f).exists() for f in files):
            pytest.skip("no PDF of this document in the corpus")
    return e, extract([corpus_dir / f for f in files]).to_json()


def _wrong_figures(e: dict, got: dict) -> dict[str, tuple]:
    wrong = {}
    for key in ("unit", "year", "kind", "source_currency_unit"):
        if not _close(e["document"][key], got["document"][key]):
            wrong[f"document.{key}"] = (e["document"][key], got["document"][key])
    for section in ("facts", "function_totals", "prior_year"):
        for key, value in e.get(section, {}).items():
            if not _close(value, got[section].get(key)):
                wrong[f"{section}.{key}"] = (value, got[section].get(key))
    # Precision first: a prior-year figure the hand-reader did not find is an invented one, unless the
    # file names it as deliberately left unchecked ("prior_year_unchecked": {key: reason}).
    allowed = set(e.get("prior_year") or {}) | set(e.get("prior_year_unchecked") or {})
    for key, value in (got.get("prior_year") or {}).items():
        if key not in allowed:
            wrong[f"prior_year.{key} (not hand-read)"] = (None, value)
    return wrong


def _pdfplumber_layout(pdf) -> str:
    """The text layer as ``pdfplumber`` writes it with ``layout=True``: whitespace-aligned columns."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return "\f".join(p.extract_text(layout=True) or "" for p in doc.pages)


def _pypdfium2_text(pdf) -> str:
    """The text layer as ``pypdfium2`` writes it: each page in drawing order, so a table's title
    often comes after its rows."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    return "\f".join(t.replace("\r\n", "\n").replace("\r", "\n") for t in pages)


def _pdftotext_layout(pdf) -> str:
    """The text layer as poppler's ``pdftotext -layout`` writes it (skipped where it is not installed)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([exe, "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


EXTRACTORS = {"pdfplumber-layout": _pdfplumber_layout, "pypdfium2": _pypdfium2_text,
              "pdftotext-layout": _pdftotext_layout}
# Figures another extractor's text does not give, by extractor and document (as KNOWN_GAPS).
KNOWN_GAPS_EXTRACTORS: dict[str, dict[str, set[str]]] = {}


@pytest.fixture(scope="module")
def extracted_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("extracted")


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
@pytest.mark.parametrize("expected_path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_other_extractors_text_gives_the_hand_read_figures(corpus_dir, expected_path, extractor, extracted_dir):
    """Every figure read by hand also comes out of other text extractions of the same PDFs."""
    from budgetlens.extract import extract

    e = _load(expected_path)
    pdfs = [corpus_dir / f for f in _pdf_files(e.get("files") or [e["file"]])]
    if not all(p.exists() for p in pdfs):
        pytest.skip("no PDF of this document in the corpus")
    texts = []
    for pdf in pdfs:
        target = extracted_dir / f"{pdf.stem}.{extractor}.txt"
        if not target.exists():
            target.write_text(EXTRACTORS[extractor](pdf), encoding="utf-8")
        texts.append(target)
    gaps = KNOWN_GAPS_EXTRACTORS.get(extractor, {}).get(expected_path.stem, set())
    all_wrong = _wrong_figures(e, extract(texts).to_json())
    assert not {k: v for k, v in all_wrong.items() if k not in gaps}
    assert not gaps - set(all_wrong), "now right, remove from the known gaps"


@pytest.mark.parametrize("expected_path,fmt", CASES, ids=lambda v: v.stem if hasattr(v, "stem") else v)
def test_key_figures_match_hand_reading(corpus_dir, expected_path, fmt):
    e, got = _extract_case(corpus_dir, expected_path, fmt)
    gaps = (KNOWN_GAPS if fmt == "text" else KNOWN_GAPS_PDF).get(expected_path.stem, set())
    all_wrong = _wrong_figures(e, got)
    wrong = {k: v for k, v in all_wrong.items() if k not in gaps}
    fixed = gaps - set(all_wrong)
    assert not wrong, f"expected vs got: {wrong}"
    assert not fixed, f"now right, remove from the known gaps: {sorted(fixed)}"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [], ids=lambda p: p.name)
def test_every_pdf_extracts_and_is_identified(corpus_dir, path):
    from budgetlens.extract import extract

    doc = extract(path).to_json()["document"]
    assert doc["unit"] and doc["year"] and doc["kind"] in {"budget", "final"}


def test_folder_run_pairs_the_volumes_of_split_publications(corpus_dir, tmp_path):
    """Narrative volume + tables volume of one unit/year/kind become one document, by content."""
    import shutil

    from click.testing import CliRunner

    from budgetlens.cli import main

    names = [p.name for p in sorted(corpus_dir.glob("3[0-3]_js-shengwei-*.txt"))]
    for name in names:
        shutil.copy(corpus_dir / name, tmp_path / name)
    res = CliRunner().invoke(main, ["extract", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    docs = json.loads(res.output)
    assert len(docs) == 2
    for doc in docs:
        files = [f["path"] for f in doc["source"]["files"]]
        assert len(files) == 2 and "text" in files[0] and "tables" in files[1]
        assert doc["document"]["unit"] == "中共江苏省委办公厅"
        assert doc["facts"]["basic_expenditure"] > 0 and doc["prior_year"]


def test_wanli_budgets_are_one_unit_with_changes_across_documents(corpus_dir, tmp_path):
    """The three 万里街道 budgets (2023–2025) group into one unit, and each year's change is computed
    from the previous year's document (not only from the narrative's own statements)."""
    from budgetlens import metrics
    from budgetlens.extract import extract
    from budgetlens.store import read_document, write_catalog, write_document
    from budgetlens.units import unit_table

    names = ["08_sh-putuo-wanli-jiedao_2023_budget.txt", "09_sh-putuo-wanli-jiedao_2024_budget.txt",
             "10_sh-putuo-wanli-jiedao_2025_budget.txt"]
    for name in names:
        write_document(extract(corpus_dir / name), tmp_path)
    write_catalog(tmp_path)
    units = unit_table(tmp_path)
    assert units["unit_id"].nunique() == 1 and sorted(units["year"]) == [2023, 2024, 2025]
    docs = {int(r.year): read_document(tmp_path / r.doc_id) for r in units.itertuples()}
    expected = {int(json.loads(p.read_text(encoding="utf-8"))["document"]["year"]):
                json.loads(p.read_text(encoding="utf-8"))["facts"]
                for p in (EXPECTED / "corpus").glob("*wanli-jiedao_20*_budget.json")}
    for year in (2024, 2025):
        table = metrics.yoy_table(docs[year], docs[year - 1])
        ch = metrics.yoy_value(table, "expenditure_total")
        assert ch is not None
        assert abs(ch.absolute - (expected[year]["expenditure_total"] - expected[year - 1]["expenditure_total"])) < 1e-4
        assert table[table["key"] == "expenditure_total"]["basis"].iloc[0] == "document"
        classes = table[table["key"] == "class"]
        assert len(classes) >= 5


def _identity_gaps(facts: dict, ftotals: dict) -> list[str]:
    """The accounting identities a reader would check on the extracted facts, those that do not close."""
    def close(a, b, n=1):
        return abs(a - b) <= 0.005 * n + 1e-6

    g, rv, cb = facts.get("grand_total"), facts.get("revenue_total"), facts.get("carryover_begin")
    ex, ce = facts.get("expenditure_total"), facts.get("carryover_end")
    b, p, res = facts.get("basic_expenditure"), facts.get("project_expenditure"), facts.get("reserve_expenditure", 0.0)
    out = []
    if None not in (g, rv, cb) and not close(g, rv + cb):
        out.append("收入总计 = 本年收入 + 上年结转")
    if None not in (g, ex, ce) and not close(g, ex + ce):
        out.append("支出总计 = 本年支出 + 年末结转")
    if None not in (b, p, ex) and not close(ex, b + p + res, 3):
        out.append("本年支出 = 基本支出 + 项目支出 (+ 预留机动经费)")
    if ftotals and ex is not None and not close(sum(ftotals.values()), ex, len(ftotals)):
        out.append("本年支出 = Σ类")
    return out


@pytest.mark.parametrize("expected_path,fmt", CASES, ids=lambda v: v.stem if hasattr(v, "stem") else v)
def test_identities_close_or_a_finding_names_why(corpus_dir, expected_path, fmt):
    _, got = _extract_case(corpus_dir, expected_path, fmt)
    gaps = _identity_gaps(got["facts"], got["function_totals"])
    named = [f for f in got["findings"] if f["severity"] in ("error", "warning")]
    assert not gaps or named, f"identities not closing and no finding says why: {gaps}"


def test_page_dump_json_extracts_like_its_text_layer(corpus_dir):
    """17's page dump from another extractor ([{page, text}, …]) gives the same figures as its .txt."""
    from budgetlens.extract import extract

    dump = sorted(corpus_dir.glob("*_pages.json"))
    if not dump:
        pytest.skip("no page dump in the corpus")
    text = corpus_dir / dump[0].name.replace("_pages.json", ".txt")
    a, b = extract(dump[0]).to_json(), extract(text).to_json()
    for section in ("document", "facts", "function_totals", "prior_year"):
        assert {k: v for k, v in a[section].items() if k != "path"} == {k: v for k, v in b[section].items() if k != "path"}


def test_hand_read_inconsistencies_are_found(corpus_dir):
    """The validator reports the inconsistencies read off the corpus by hand (`inconsistencies` in
    tests/expected/corpus): a floor on how many it matches, so that a regression shows."""
    from budgetlens.checks.faults import matches_inconsistency
    from budgetlens.extract import extract

    listed = found = 0
    for path in EXPECTED_FILES:
        e = _load(path)
        items = e.get("inconsistencies") or []
        if not items:
            continue
        got = extract([corpus_dir / f for f in (e.get("files") or [e["file"]])]).to_json()
        findings = [f for f in got["findings"] if f["severity"] in ("error", "warning")]
        listed += len(items)
        found += sum(1 for item in items if any(matches_inconsistency(f, [item]) for f in findings))
    assert listed >= 30 and found >= 25, (found, listed)
