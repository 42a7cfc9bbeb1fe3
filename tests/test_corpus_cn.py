"""The national corpus of real 2025–2026 budgets (../shared/corpus-cn, skipped when absent).

Every document extracts without a traceback and is identified; the figures read off chosen PDFs by hand
(tests/expected/corpus_cn/<city>/<stem>.json, written independently of the parser) match; and every
error finding is on the hand-verified list of real printed inconsistencies
(tests/expected/corpus_cn/<city>/errors.yaml), and each listed one is still found.

By default a sample runs (the documents with a hand-read file or a listed error); with
``BUDGETLENS_CORPUS_CN=all`` (``make corpus-cn``) every document does.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS_CN, EXPECTED

EXPECTED_CN = EXPECTED / "corpus_cn"
FULL = os.environ.get("BUDGETLENS_CORPUS_CN", "") == "all"


def _hand_read() -> list[Path]:
    return sorted(EXPECTED_CN.glob("*/*.json"))


def _known_errors() -> list[dict]:
    out = []
    for path in sorted(EXPECTED_CN.glob("*/errors.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append({**entry, "city": path.parent.name})
    return out


def _identities() -> dict[str, dict]:
    """The unit, year and kind read off each document's cover by hand (<city>/identities.yaml)."""
    out = {}
    for path in sorted(EXPECTED_CN.glob("*/identities.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out[f"{path.parent.name}/{entry['file']}"] = entry
    return out


def _files_of(expected: dict, city: str) -> list[str]:
    files = expected.get("files") or [expected["file"]]
    return [f if "/" in f else f"{city}/{f}" for f in files]


def _sample() -> list[str]:
    """Relative paths (``city/file.pdf``) of the documents this run extracts one by one."""
    if FULL:
        return sorted(str(p.relative_to(CORPUS_CN)) for p in CORPUS_CN.glob("*/*.pdf")) if CORPUS_CN.is_dir() else []
    names = {f"{e['city']}/{e['file']}" for e in _known_errors()}
    names.update(rel for rel, e in _identities().items() if e.get("sample"))
    for path in _hand_read():
        e = json.loads(path.read_text(encoding="utf-8"))
        if not e.get("files"):
            names.update(_files_of(e, path.parent.name))
    return sorted(names)


def _extract_one(rel: tuple[str, ...]) -> tuple[tuple[str, ...], dict | None, str | None]:
    from budgetlens.document import SourceError
    from budgetlens.extract import extract

    try:
        return rel, extract([CORPUS_CN / r for r in rel]).to_json(), None
    except SourceError as exc:
        return rel, None, f"error: {exc.reason}"
    except Exception as exc:  # noqa: BLE001 - recorded, the test says which file
        import traceback

        return rel, None, "traceback: " + "".join(traceback.format_exception(exc))[-2000:]


@pytest.fixture(scope="session")
def cn_results(corpus_cn_dir) -> dict[tuple[str, ...], tuple[dict | None, str | None]]:
    """Every sampled document (and every hand-read publication of several volumes), extracted once,
    on all cores."""
    jobs: list[tuple[str, ...]] = [(r,) for r in _sample()]
    for path in _hand_read():
        e = json.loads(path.read_text(encoding="utf-8"))
        if e.get("files"):
            jobs.append(tuple(_files_of(e, path.parent.name)))
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return {rel: (doc, err) for rel, doc, err in pool.map(_extract_one, jobs)}


def _close(a, b) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(a - b) < 1e-4
    return a == b


SAMPLE = _sample()


IDENTITIES = _identities()


@pytest.mark.parametrize("rel", SAMPLE)
def test_document_extracts_and_is_identified(cn_results, rel):
    doc, err = cn_results[(rel,)]
    assert err is None, f"{rel}: {err}"
    d = doc["document"]
    assert d["unit"] and d["year"] and d["kind"] in {"budget", "final", "performance"}, (rel, d)
    if rel in IDENTITIES:
        want = IDENTITIES[rel]
        assert (d["unit"], d["year"], d["kind"]) == (want["unit"], want["year"], want["kind"]), rel


def test_every_corpus_document_has_a_hand_read_identity(corpus_cn_dir):
    """The identity list covers the corpus, so that the full run checks every document's name."""
    missing = sorted(str(p.relative_to(corpus_cn_dir)) for p in corpus_cn_dir.glob("*/*.pdf")
                     if str(p.relative_to(corpus_cn_dir)) not in IDENTITIES)
    assert not missing, missing


@pytest.mark.parametrize("path", _hand_read(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_hand_read_figures(cn_results, path):
    e = json.loads(path.read_text(encoding="utf-8"))
    doc, err = cn_results[tuple(_files_of(e, path.parent.name))]
    assert err is None, err
    wrong = {}
    for key, value in e.get("document", {}).items():
        if not _close(value, doc["document"].get(key)):
            wrong[f"document.{key}"] = (value, doc["document"].get(key))
    for section in ("facts", "function_totals", "prior_year"):
        for key, value in (e.get(section) or {}).items():
            if not _close(value, doc[section].get(key)):
                wrong[f"{section}.{key}"] = (value, doc[section].get(key))
    # Precision first: a prior-year figure the hand-reader did not find is an invented one, unless the
    # file names it as deliberately left unchecked ("prior_year_unchecked": {key: reason}).
    allowed = set(e.get("prior_year") or {}) | set(e.get("prior_year_unchecked") or {})
    for key, value in (doc.get("prior_year") or {}).items():
        if key not in allowed:
            wrong[f"prior_year.{key} (not hand-read)"] = (None, value)
    assert not wrong, wrong


def _errors(doc: dict) -> list[dict]:
    return [f for f in doc.get("findings", []) if f.get("severity") == "error"]


def test_every_error_finding_is_a_verified_inconsistency(cn_results):
    """Precision first: an error the hand-verified list does not name is a misreading until shown otherwise."""
    known = _known_errors()
    unlisted = []
    for rel, (doc, _err) in cn_results.items():
        if doc is None or len(rel) != 1:
            continue
        city, name = rel[0].split("/", 1)
        for f in _errors(doc):
            if not any(k["city"] == city and k["file"] == name and k["rule"] == f["rule"]
                       and k["match"] in f["message"] for k in known):
                unlisted.append(f"{rel[0]} [{f['rule']}] {f['message']}")
    assert not unlisted, "\n".join(unlisted)


def test_every_verified_inconsistency_is_still_found(cn_results):
    """Precision is not bought with recall: each listed real inconsistency is reported as an error."""
    missing = []
    for k in _known_errors():
        got = cn_results.get((f"{k['city']}/{k['file']}",))
        if got is None or got[0] is None:
            continue
        if not any(f["rule"] == k["rule"] and k["match"] in f["message"] for f in _errors(got[0])):
            missing.append(f"{k['city']}/{k['file']} [{k['rule']}] {k['match']}")
    assert not missing, "\n".join(missing)
