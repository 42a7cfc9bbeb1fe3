"""The panel and the index: their data (regions, integer years, names never "nan"), the
self-contained interactive page, and a page size that does not grow with charts per unit.

The sorting, filtering and search themselves run in a real browser: tests/test_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from test_report import page_text, seed_reports

from budgetlens import panel, report, units
from budgetlens.store import read_catalog, read_document
from budgetlens.synth import generate_corpus

SEED_UNITS = {"昌吉回族自治州中小企业发展局": "新疆维吾尔自治区 昌吉回族自治州", "晋中市中小企业局": "山西省 晋中市",
              "长治市上党区中小企业服务中心": "山西省 长治市 上党区", "长治市中小企业服务中心": "山西省 长治市"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return seed_reports(tmp_path_factory)


def page_data(path: Path) -> dict:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return json.loads(soup.find("script", id="panel-data").string)


def test_panel_frame_has_regions_integer_years_and_quality(built):
    processed, _, _ = built
    frame = panel.panel_frame(units.load_units(processed))
    assert str(frame["year"].dtype) == "Int64"
    assert sorted(frame["year"].dropna().astype(int)) == [2020, 2023, 2023, 2025]
    latest = frame[frame["latest"]].set_index("unit_name")
    assert latest["region"].to_dict() == SEED_UNITS
    assert latest.loc["长治市上党区中小企业服务中心", "district"] == "上党区"
    assert latest.loc["长治市中小企业服务中心", "group"] == latest.loc["长治市上党区中小企业服务中心", "group"]
    assert set(frame["quality"]) <= {"error", "warning", "ok"}
    assert frame["name_read"].all()


def test_panel_text_prints_integer_years(built):
    processed, _, _ = built
    text = report.panel_text(panel.panel_frame(units.load_units(processed)))
    assert "长治市中小企业服务中心（山西省 长治市） 2023决算" in text
    assert ".0" not in re.sub(r"\d+\.\d\d(?!\d)", "", text)


def test_panel_page_carries_every_document_as_data(built):
    processed, reports, _ = built
    data = page_data(reports / "panel.html")
    names = {u[1]: u for u in data["units"]}
    assert set(names) == set(SEED_UNITS)
    assert len(data["rows"]) == len(read_catalog(processed))
    assert all(isinstance(r[1], int) for r in data["rows"])  # years are integers in the data too
    assert sum(r[3] for r in data["rows"]) == len(SEED_UNITS)  # one lead document per unit
    keys = [c[0] for c in data["columns"]]
    lead = {data["units"][r[0]][1]: r for r in data["rows"] if r[3]}
    final = lead["长治市中小企业服务中心"]
    assert (final[1], final[2]) == (2023, "final")
    assert final[7 + keys.index("basic_share")] == 72.54
    assert final[7 + keys.index("expenditure_total")] == 1033.18
    assert lead["昌吉回族自治州中小企业发展局"][7 + keys.index("expenditure_total_change_pct")] == 30.03
    regions = {data["regions"][u[2]][2] for u in data["units"]}
    assert regions == set(SEED_UNITS.values())


def test_panel_page_is_self_contained_and_summarises(built):
    _, reports, _ = built
    html = (reports / "panel.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 2 and not any(s.get("src") for s in scripts)
    assert "nan" not in page_text(reports / "panel.html").lower().replace("nanjing", "")
    for control in ("x-q", "x-region", "x-kind", "x-year", "x-quality"):
        assert soup.find(id=control) is not None, control
    assert soup.find("noscript") is not None
    dists = soup.select("figure.dist")
    assert {f["data-key"] for f in dists} >= {"basic_share", "fiscal_dependency"}
    for f in dists:
        x0, y0, x1, y1 = map(float, f["data-box"].split(","))
        assert 0 < x0 < x1 < 1 and 0 < y0 < y1 < 1
        lo, hi = map(float, f["data-lim"].split(","))
        assert lo < hi
    text = page_text(reports / "panel.html")
    assert "山西省 长治市" in text and "按地区" in text  # the static region summary


def test_index_groups_units_by_region_and_is_searchable(built):
    _, reports, _ = built
    soup = BeautifulSoup((reports / "index.html").read_text(encoding="utf-8"), "html.parser")
    sections = soup.select("section.region")
    titles = [s.h2.contents[0].strip() for s in sections]
    assert titles == ["山西省 长治市", "山西省 晋中市", "新疆维吾尔自治区 昌吉回族自治州"]  # registry order
    changzhi = sections[0]
    assert [a.text for a in changzhi.select("tbody a")] == ["长治市中小企业服务中心", "长治市上党区中小企业服务中心"]
    assert "上党区" in changzhi.get_text() and "市本级" in changzhi.get_text()
    assert soup.find("input", id="i-q") is not None and soup.find("script") is not None
    assert [a["href"] for a in soup.select("nav.regions a")] == [f"#{s['id']}" for s in sections]


@pytest.fixture(scope="module")
def unread(built, tmp_path_factory) -> Path:
    """The seeds with one document whose unit could not be read (catalogue and document.json)."""
    processed, _, _ = built
    folder = tmp_path_factory.mktemp("unread") / "processed"
    shutil.copytree(processed, folder)
    catalog = read_catalog(folder)
    doc_id = "001_2dda58e37cec2b7a"
    catalog.loc[catalog["doc_id"] == doc_id, "unit"] = None
    catalog.to_parquet(folder / "catalog.parquet")
    data = read_document(folder / doc_id)
    data["document"]["unit"] = None
    (folder / doc_id / "document.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_a_unit_whose_name_was_not_read_is_listed_by_its_file(unread, tmp_path):
    table = units.unit_table(unread, "")
    row = table[table["doc_id"] == "001_2dda58e37cec2b7a"].iloc[0]
    assert row["unit_name"] == "001_2dda58e37cec2b7a.txt（未能读出单位名称）"
    assert "nan" not in set(table["unit_id"]) | set(table["unit_name"])
    loaded = units.load_units(unread, "")
    assert [u.name_read for u in loaded].count(False) == 1
    frame = panel.panel_frame(loaded)
    assert frame.loc[~frame["name_read"], "region"].tolist() == ["未识别地区"]
    reports = tmp_path / "reports"
    index = report.write_index(unread, reports)
    text = page_text(index)
    assert "001_2dda58e37cec2b7a.txt（未能读出单位名称）" in text and "单位名称未能读出，以文件名列示" in text
    assert not re.search(r"\bnan\b", text, re.I)
    data = panel.panel_data(frame)
    assert [u[3] for u in data["units"]].count(0) == 1
    assert "nan" not in json.dumps(data, ensure_ascii=False).lower().replace("nanjing", "")


def test_document_frame_years_are_integers_even_when_one_is_missing():
    from budgetlens import metrics

    docs = [units.Unit("a", "甲", [units.UnitDocument("d1", Path("."), {"document": {"year": 2026, "kind": "budget"}}),
                                   units.UnitDocument("d2", Path("."), {"document": {"kind": "budget"}})])]
    frame = metrics.document_frame(docs)
    assert str(frame["year"].dtype) == "Int64"
    assert [str(y) for y in frame["year"]] == ["2026", "<NA>"]
    data = panel.panel_data(panel.panel_frame(docs))
    assert sorted((r[1] for r in data["rows"]), key=str) == [2026, None]


# --- size: the page grows by a small amount per document, never by a chart per unit ----------


SYNTH_UNITS, SYNTH_YEARS = 60, [2022, 2023]


def synth_reports(tmp_path_factory) -> tuple[Path, int]:
    """A 60-unit × 2-year synthetic corpus extracted, with its panel and index (no unit pages),
    once per session (shared with test_browser); returns the panel and the number of documents."""
    root = tmp_path_factory.getbasetemp() / "synth-panel"
    page = root / "reports" / "panel.html"
    if not (root / "reports" / "index.html").is_file():
        from click.testing import CliRunner

        from budgetlens.cli import main

        generate_corpus(root / "raw", SYNTH_UNITS, SYNTH_YEARS, seed=7)
        res = CliRunner().invoke(main, ["extract", str(root / "raw"), "--out", str(root / "processed")])
        assert (root / "processed" / "catalog.parquet").is_file(), res.output
        report.run_panel_notebook(root / "processed", root / "reports")
        report.write_index(root / "processed", root / "reports")
    return page, len(read_catalog(root / "processed"))


@pytest.fixture(scope="module")
def synth_panel(tmp_path_factory) -> tuple[Path, int]:
    return synth_reports(tmp_path_factory)


def test_synthetic_panel_stays_within_its_size_budget(synth_panel):
    page, documents = synth_panel
    size = page.stat().st_size
    assert documents == SYNTH_UNITS * len(SYNTH_YEARS) * 2
    assert size < panel.panel_budget(documents), f"{size} bytes for {documents} documents"
    data = page_data(page)
    assert len(data["rows"]) == documents and len(data["units"]) == 60
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    images = soup.find_all("img")
    assert len(images) <= 12  # summaries, not a chart per unit
    for img in images:
        assert len(img["src"]) < 120_000, img.get("alt")  # each chart a compact PNG
    data_bytes = len(soup.find("script", id="panel-data").string.encode("utf-8"))
    assert data_bytes / documents < panel.BUDGET_PER_DOCUMENT, data_bytes
    index = page.parent / "index.html"
    assert index.stat().st_size < panel.index_budget(SYNTH_UNITS)


def test_synthetic_index_is_grouped_by_region(synth_panel):
    page, _ = synth_panel
    index = page.parent / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    titles = [s.h2.contents[0].strip() for s in soup.select("section.region")]
    assert titles and all(t.startswith("山西省") for t in titles), titles  # synth's units are all in 山西
    assert "未识别地区" not in titles
    assert len(soup.select("section.region tbody tr")) == SYNTH_UNITS
    frame = pd.read_parquet(page.parent.parent / "processed" / "catalog.parquet")
    assert frame["year"].dropna().astype(int).between(2022, 2023).all()
