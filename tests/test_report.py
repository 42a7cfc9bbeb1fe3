"""The HTML reports: prose, charts, papermill runs, nbconvert export, the index, parameter checks.

One session build of the seeds' reports (``report.build_all``) is shared by the page tests here
and by tests/test_browser.py.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from test_units import seed_processed

from budgetlens import __version__, charts, metrics, prose, report, units
from budgetlens.cli import main
from conftest import expected_seed

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE_HASHES = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(NOTEBOOKS.glob("*.ipynb"))}
UNIT_IDS = ["changji-sme-bureau", "晋中市中小企业局", "长治市上党区中小企业服务中心", "长治市中小企业服务中心"]


def seed_reports(tmp_path_factory) -> tuple[Path, Path, list[Path]]:
    """``report.build_all`` on the processed seeds, once per session (shared with test_browser)."""
    processed = seed_processed(tmp_path_factory)
    reports = processed.parent.parent / "reports"
    marker = reports / ".built"
    if not marker.is_file():
        written = report.build_all(processed, reports)
        marker.write_text("\n".join(str(p) for p in written), encoding="utf-8")
    written = [Path(p) for p in marker.read_text(encoding="utf-8").splitlines()]
    return processed, reports, written


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return seed_reports(tmp_path_factory)


@pytest.fixture(scope="session")
def processed(tmp_path_factory):
    return seed_processed(tmp_path_factory)


def page_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return re.sub(r"\s+", " ", soup.get_text(" "))


def flat(text: str) -> str:
    """Page text without the footnote markers ([12]) and spaces, for sentence checks."""
    return re.sub(r"\[\d+\]|\s+", "", text)


# --- formatting and prose ----------------------------------------------------------------------

def test_number_formats():
    assert prose.amount(1033.18) == "1,033.18万元"
    assert prose.amount(12345678.9) == "12,345,678.90万元"
    assert prose.amount(-0.001) == "0.00万元"
    assert prose.amount(None) == "—"
    assert prose.percent(36.7815) == "36.78%"
    assert prose.count(40, "人") == "40人"
    assert prose.value("staff_actual", 9) == "9人" and prose.value("overall_score", 100) == "100.00分"
    assert prose.signed(0.64) == "+0.64" and prose.signed(-601.12) == "-601.12" and prose.signed(None) == "—"


@pytest.mark.parametrize(("current", "previous", "clause"), [
    (1033.18, 1634.30, "较上年减少601.12万元，下降36.78%"),
    (56.18, 55.54, "较上年增加0.64万元，增长1.15%"),
    (0.0, 0.0, "与上年持平"),
    (264.58, 0.0, "较上年增加264.58万元（上年为0）"),
])
def test_change_clause(current, previous, clause):
    assert prose.change_clause(metrics.change(current, previous)) == clause


def test_a_count_changes_in_its_own_unit_in_the_summary():
    """在职人数 and 车辆数 change by 人 and 辆, never by 万元 (the checked cell printed
    "在职人数：较上年减少1.00万元")."""
    assert prose.change_clause(metrics.change(19, 20), "staff_actual") == "较上年减少1人，下降5.00%"
    assert prose.change_clause(metrics.change(3, 2), "vehicles") == "较上年增加1辆，增长50.00%"
    doc = {"document": {"year": 2024, "kind": "final"}, "facts": {"staff_actual": 19, "vehicles": 3, "grand_total": 10.0}}
    prev = {"document": {"year": 2023, "kind": "final"}, "facts": {"staff_actual": 20, "vehicles": 3, "grand_total": 12.0}}
    text = report.summary_text(doc, metrics.yoy_table(doc, prev))
    assert "在职人数：较上年减少1人，下降5.00%" in text and "车辆数：与上年持平" in text
    assert "收入总计：较上年减少2.00万元" in text and "人，" not in text.split("收入总计")[1].split("\n")[0]


def test_overview_in_the_register_of_a_report(processed):
    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    notes = prose.Notes()
    text = flat(BeautifulSoup(prose.overview(doc, notes, metrics.yoy_table(doc)), "html.parser").get_text())
    assert text.startswith("2023年度收入总计1,033.18万元，较上年减少601.12万元，下降36.78%。")
    assert "本年支出合计1,033.18万元" in text
    assert "其中财政拨款收入1,033.18万元，占本年收入合计的100.00%（财政拨款依存度）" in text
    footnotes = notes.html()
    assert "000_2dcbd3ad2c52b1d0.txt · 收入支出决算总表（公开01表）“总计”行 · 第109行" in footnotes
    assert "上年数由本文件情况说明的增减额推算" in footnotes
    assert notes.html() == ""  # flushed


def test_notes_number_each_source_once():
    notes = prose.Notes()
    a, b, c = notes.ref("表一 第1行"), notes.ref("表二 第2行"), notes.ref("表一 第1行")
    assert "[1]" in a and "[2]" in b and a == c
    assert 'title="表一 第1行"' in a and 'href="#fn-1"' in a
    assert notes.ref(None) == "" and '<li id="fn-2">' in notes.html()


def test_findings_become_sentences_with_their_numbers(processed):
    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    notes = prose.Notes()
    text = BeautifulSoup(prose.findings(doc, notes), "html.parser").get_text()
    errors = [f for f in doc.data["findings"] if f["severity"] == "error"]
    assert errors, "seed 000 has contradictions the validator reports"
    for f in errors:
        assert f["message"].rstrip("。") in text
    assert f"校验发现{len(errors)}处数字矛盾" in text
    assert "规则 " in notes.html()


def test_structure_and_staff_sentences():
    doc = dict(expected_seed("003_159abbecd5886f59.txt"))
    notes = prose.Notes()
    structure = flat(BeautifulSoup(prose.structure(doc, notes), "html.parser").get_text())
    assert "基本支出147.16万元，占35.74%；项目支出264.58万元，占64.26%" in structure
    assert "人员经费136.10万元，占92.48%；公用经费11.06万元，占7.52%" in structure
    staff = flat(BeautifulSoup(prose.staff_and_costs(doc, notes), "html.parser").get_text())
    assert "编制数11人，在职人数9人，在职人员控制率81.82%" in staff
    assert "机关运行经费11.06万元，较上年增加0.59万元，增长5.64%，按在职人数9人计人均1.23万元" in staff


def test_execution_prose_states_rate_and_pi2():
    budget = {"document": {"year": 2023, "kind": "budget"}, "facts": {"expenditure_total": 200.0},
              "function_totals": {"201": 100.0, "205": 100.0}}
    final = {"document": {"year": 2023, "kind": "final"}, "facts": {"expenditure_total": 204.0},
             "function_totals": {"201": 104.0, "205": 100.0}}
    text = flat(BeautifulSoup(prose.execution(budget, final, prose.Notes()), "html.parser").get_text())
    assert "本年支出合计决算204.00万元，年初预算200.00万元，完成年初预算的102.00%" in text
    assert "结构偏差（PEFAPI-2）为1.96%，评级为A" in text


# --- charts --------------------------------------------------------------------------------------

def test_a_cjk_font_is_found():
    family = charts.cjk_font()
    assert family
    assert charts.configure() == family


def test_charts_render_chinese_without_missing_glyph_warnings(processed):
    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    figures = [charts.class_composition(doc), charts.structure(doc), charts.yoy_bars(metrics.yoy_table(doc)),
               charts.rates(["项目甲", "职称评审费"], [99.5, 80.32], "项目预算执行率"),
               charts.histogram([72.5, 35.7, 33.3], "基本支出占比"),
               charts.top_bottom(["长治市中小企业服务中心", "晋中市中小企业局"], [1033.18, 510.63], "本年支出合计"),
               charts.stacked_quality(["山西省 长治市"], {"ok": [1], "warning": [0], "error": [2]}, "数据质量")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pngs = [charts.to_png(f) for f in figures]
    glyph = [w for w in caught if "glyph" in str(w.message).lower() or "font" in str(w.message).lower()]
    assert not glyph, [str(w.message) for w in glyph]
    for png in pngs:
        assert png.startswith(b"\x89PNG") and len(png) > 5000
    html = charts.to_html(figures[0], "支出按功能分类", fmt="png")
    assert html.startswith('<figure class="chart"><img src="data:image/png;base64,') and 'alt="支出按功能分类"' in html


def test_an_svg_chart_keeps_its_text_and_its_size_and_is_unique_on_the_page(processed):
    """Inline SVG (the pages' default): labels as text in the CJK font, displayed at the PNG's
    size, a title for screen readers, ids of its own (two charts on one page do not share
    one), no time stamp (the same figure gives the same markup)."""
    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    fig = charts.class_composition(doc)
    svg = charts.to_svg(fig, "支出按功能分类")
    width, height = (round(v * charts.DPI) for v in fig.get_size_inches())
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<?xml" not in svg and "<metadata" not in svg
    assert f'width="{width}" height="{height}" role="img" aria-label="支出按功能分类"' in svg and 'viewBox="0 0 ' in svg
    assert "<title>支出按功能分类</title>" in svg and "支出按功能分类（类）" in svg  # the title drawn, as text
    assert charts.cjk_font() in svg and "<path" in svg
    assert charts.to_svg(charts.class_composition(doc), "支出按功能分类") == svg
    other = charts.to_svg(charts.structure(doc), "支出结构")
    ids = set(re.findall(r'\sid="([^"]+)"', svg))
    assert ids and not ids & set(re.findall(r'\sid="([^"]+)"', other))
    assert all(f"#{i}" in svg for i in ids)  # every id left is referenced
    # styles as classes of the chart: none inline, none shared with another chart, no page-wide "*" rule
    assert ' style="' not in svg and "<style>*" not in svg and "}*{" not in svg
    classes = set(re.findall(r'class="([^"]+)"', svg))
    assert classes and not classes & set(re.findall(r'class="([^"]+)"', other))
    assert 'rotate(-0 ' not in svg
    html = charts.to_html(fig, "支出按功能分类", "说明")
    assert html.startswith('<figure class="chart"><svg') and html.endswith("<figcaption>说明</figcaption></figure>")
    amounts = re.findall(r">([\d,]+\.\d{2})（", svg)
    assert amounts and all(re.fullmatch(r"[\d,]+\.\d{2}", a) for a in amounts)  # label text not rounded


def test_a_chart_laid_out_once_is_the_chart_savefig_draws(processed):
    """to_png runs the layout engine once and draws once: the same bytes as matplotlib's own
    savefig (which draws twice), and the figure keeps its layout engine."""
    import io

    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    makers = [lambda: charts.class_composition(doc), lambda: charts.yoy_bars(metrics.yoy_table(doc)),
              lambda: charts.rates(["项目甲", "职称评审费"], [99.5, 80.32], "项目预算执行率"),
              lambda: charts.top_bottom([f"单位{i}" for i in range(50)], [float(i * 37 % 91) for i in range(50)], "支出")]
    for make in makers:
        fig = make()
        engine = fig.get_layout_engine()
        ours = charts.to_png(fig)
        assert fig.get_layout_engine() is engine
        reference = make()
        buf = io.BytesIO()
        reference.savefig(buf, format="png", dpi=charts.DPI, facecolor="white")
        assert ours == buf.getvalue()
        assert charts.to_png(fig) == ours  # a second export of the same figure


def test_a_compact_chart_is_the_drawn_chart_in_a_palette(processed):
    """The pages' palette PNG is quantised straight from the pixels drawn: the same pixels as
    quantising matplotlib's own saved PNG, at most PALETTE_COLOURS colours, a third of the bytes,
    with the chart's flat colours exact."""
    import io

    import numpy as np
    from PIL import Image

    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    for make, fill in ((lambda: charts.class_composition(doc), charts.CURRENT),
                       (lambda: charts.yoy_bars(metrics.yoy_table(doc)), charts.CURRENT),
                       (lambda: charts.histogram([72.5, 35.7, 33.3, 50.1], "基本支出占比"), charts.PREVIOUS)):
        fig, reference = make(), make()
        small = charts.to_png(fig, compact=True)
        buf = io.BytesIO()
        reference.savefig(buf, format="png", dpi=charts.DPI, facecolor="white")
        full = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
        expected = np.asarray(full.quantize(colors=charts.PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT).convert("RGB"))
        image = Image.open(io.BytesIO(small))
        assert image.mode == "P" and len(image.getcolors()) <= charts.PALETTE_COLOURS
        got = np.asarray(image.convert("RGB"))
        assert got.shape == expected.shape and np.array_equal(got, expected)
        assert len(small) * 2 < len(buf.getvalue())
        bar = tuple(int(fill[i:i + 2], 16) for i in (1, 3, 5))
        assert bar in {tuple(int(x) for x in c) for _, c in Image.open(io.BytesIO(small)).convert("RGB").getcolors()}


def test_no_chart_when_there_is_nothing_to_show():
    empty = {"document": {"year": 2020, "kind": "performance"}, "facts": {}, "function_totals": {}, "projects": []}
    assert charts.class_composition(empty) is None
    assert charts.structure(empty) is None
    assert charts.yoy_bars(metrics.yoy_table(empty)) is None
    assert charts.project_execution(empty) is None
    assert charts.score_distribution(empty) is None
    assert charts.rates(["a"], [None], "x") is None
    assert charts.top_bottom([], [], "x") is None
    assert charts.histogram([None], "x") is None
    assert charts.stacked_quality([], {}, "x") is None
    assert charts.to_html(None, "x") == ""


# --- parameters ------------------------------------------------------------------------------------

def test_check_parameters_in_the_notebook_namespace():
    import math as some_module

    ns = {"unit_id": "x", "processed": None, "aliases": None, "In": [], "_i1": "", "report": some_module,
          "display": print}
    with pytest.raises(report.ParameterError, match=r"unknown parameter\(s\) unit; it takes only unit_id, processed"):
        report.check_parameters({**ns, "unit": "x"}, "02_unit_report")
    report.check_parameters(ns, "02_unit_report")
    assert ns["_budgetlens_checked"] == "02_unit_report"  # re-running the cell in JupyterLab is fine
    ns["doc"] = object()
    report.check_parameters(ns, "02_unit_report")


def test_validate_parameters_against_the_template():
    report.validate_parameters("02_unit_report", {"unit_id": "x", "processed": "p"})
    with pytest.raises(report.ParameterError, match=r"unknown parameter\(s\) unit_name"):
        report.validate_parameters("02_unit_report", {"unit_name": "x"})


def test_unknown_unit_or_document_fails_before_a_kernel_starts(processed, tmp_path):
    with pytest.raises(units.UnknownUnitError, match="unknown unit_id 'nope'"):
        report.run_unit_notebook("nope", processed, tmp_path)
    with pytest.raises(units.UnknownDocumentError, match="unknown document 'nope'"):
        report.run_document_notebook("nope", processed, tmp_path)
    with pytest.raises(units.ProcessedDataError, match="budgetlens extract"):
        report.run_panel_notebook(tmp_path / "nothing", tmp_path)
    assert not (tmp_path / "runs").exists()


def test_the_notebook_itself_rejects_unknown_units_and_keeps_the_failed_record(processed, tmp_path):
    with pytest.raises(report.ReportError, match=r"02_unit_report.ipynb failed for 'nope': UnknownUnitError: "
                                                 r"unknown unit_id 'nope'.*kept at .*nope.failed.ipynb"):
        report._run_to_record("02_unit_report", "nope", {"unit_id": "nope", "processed": str(processed)},
                              tmp_path, timeout=120, kernel_name=None)
    runs = tmp_path / "runs" / "02_unit_report"
    assert (runs / "nope.failed.ipynb").is_file()
    assert sorted(p.name for p in runs.iterdir()) == ["nope.failed.ipynb"]  # no temporary file left


def test_the_notebook_itself_rejects_unknown_parameter_names(processed, tmp_path):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="unknown parameter\\(s\\) colour"):
        papermill.execute_notebook(str(NOTEBOOKS / "03_panel.ipynb"), str(tmp_path / "out.ipynb"),
                                   parameters={"processed": str(processed), "colour": "red"},
                                   kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS))


# --- the built pages -------------------------------------------------------------------------------

def test_build_all_writes_every_unit_page_the_panel_and_the_index(built):
    processed, reports, written = built
    assert written == [reports / "units" / f"{u}.html" for u in UNIT_IDS] + [reports / "panel.html",
                                                                              reports / "index.html"]
    for path in written:
        assert path.is_file() and path.stat().st_size > 2000
    records = sorted(p.name for p in (reports / "runs" / "02_unit_report").iterdir())
    assert records == sorted(f"{u}.ipynb" for u in UNIT_IDS)
    assert (reports / "runs" / "03_panel" / "panel.ipynb").is_file()
    leftovers = [p for p in reports.rglob("*") if p.name.startswith(".") and p.name != ".built" or p.suffix == ".tmp"]
    assert not leftovers


def test_templates_are_never_modified(built):
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(NOTEBOOKS.glob("*.ipynb"))} == TEMPLATE_HASHES


def test_run_records_carry_the_parameters(built):
    import nbformat

    _, reports, _ = built
    nb = nbformat.read(str(reports / "runs" / "02_unit_report" / "changji-sme-bureau.ipynb"), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "unit_id = \"changji-sme-bureau\"" in injected[0].source
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def all_pages(reports: Path) -> list[Path]:
    return sorted(reports.glob("*.html")) + sorted((reports / "units").glob("*.html"))


def test_pages_are_self_contained(built):
    _, reports, _ = built
    for page in all_pages(reports):
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.find_all(["link", "iframe", "object", "embed"]), page
        for script in soup.find_all("script"):  # inline only (the panel's and the index's table scripts)
            assert not script.get("src") and "import(" not in script.text and "fetch(" not in script.text, page
        for tag in soup.find_all(src=True):
            assert tag["src"].startswith("data:"), (page, tag["src"][:60])
        # every image and chart says what it shows (nbconvert's placeholder pass is not run)
        assert all(img.get("alt") for img in soup.find_all("img")), page
        assert all(svg.get("aria-label") and svg.find("title") for svg in soup.find_all("svg")), page
        for tag in soup.find_all(href=True):
            href = tag["href"]
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I), (page, href)
            if not href.startswith("#"):
                target = (page.parent / unquote(href)).resolve()
                assert target.is_file(), (page, href)
        for style in soup.find_all("style"):
            assert "@import" not in style.text and not re.search(r"url\((?!\s*['\"]?data:)", style.text), page
        assert "http://" not in html and "https://" not in html, page
        assert "@media print" in html and "@page" in html, page


def test_pages_show_no_code(built):
    _, reports, _ = built
    for page in all_pages(reports):
        html = page.read_text(encoding="utf-8")
        for code in ("check_parameters", "from budgetlens import", "NBVAL_CHECK_OUTPUT", "In&nbsp;[", "Out["):
            assert code not in html, (page, code)


def test_unit_page_of_the_final_states_its_figures_changes_and_findings(built, processed):
    _, reports, _ = built
    text = flat(page_text(reports / "units" / "长治市中小企业服务中心.html"))
    for sentence in [
        "2023年度收入总计1,033.18万元，较上年减少601.12万元，下降36.78%。",
        "本年收入合计1,033.18万元，较上年减少601.12万元，下降36.78%。",
        "基本支出749.49万元，占72.54%；项目支出283.69万元，占27.46%。",
        "人员经费693.31万元，占92.50%；公用经费56.18万元，占7.50%。",
        "2023年度一般公共预算财政拨款支出1,003.35万元，较上年减少630.95万元，下降38.61%。",
        "机关运行经费56.18万元，较上年增加0.64万元，增长1.15%，按编制数40人计人均1.40万元。",
        "其中授予中小企业合同金额4.24万元，占100.00%。",
        "资源勘探工业信息等支出617.74万元，占59.79%",
    ]:
        assert sentence in text, sentence
    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    for f in doc.data["findings"]:
        if f["severity"] in ("error", "warning"):
            assert flat(f["message"].rstrip("。")) in text
    assert "收入支出决算总表（公开01表）“总计”行·第109行" in text  # the footnote of 收入总计
    assert "c582c89755624925299bf6ef170d75efc4534565cc50f9ded085a0b13dfe7fd2" in text  # provenance
    assert f"budgetlens{__version__}" in text and "生成于" in text


def test_unit_pages_of_the_budgets_and_the_performance_forms(built):
    _, reports, _ = built
    changji = flat(page_text(reports / "units" / "changji-sme-bureau.html"))
    assert "昌吉回族自治州中小企业发展局" in changji
    assert "2023年基本支出147.16万元，较上年增加20.50万元，增长16.19%。" in changji
    assert "机关运行经费11.06万元，较上年增加0.59万元，增长5.64%" in changji
    assert "在职人员控制率81.82%" in changji
    shangdang = flat(page_text(reports / "units" / "长治市上党区中小企业服务中心.html"))
    assert "2025年收入总计422.96万元，较上年减少467.16万元，下降52.48%。" in shangdang
    jinzhong = flat(page_text(reports / "units" / "晋中市中小企业局.html"))
    assert "预算完成率100.00%" in jinzhong
    assert "在职人员控制率60.87%" in jinzhong


def test_unit_pages_have_charts_only_where_there_is_something_to_show(built):
    _, reports, _ = built
    def images(name):
        soup = BeautifulSoup((reports / "units" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        return [svg.get("aria-label") for svg in soup.find_all("svg")]  # the charts, inline SVG
    final = images("长治市中小企业服务中心")
    assert {"支出结构：基本支出与项目支出、人员经费与公用经费", "支出按功能分类（类）", "本年与上年比较"} <= set(final)
    jinzhong = images("晋中市中小企业局")
    assert "支出按功能分类（类）" not in jinzhong  # a performance form prints no class totals


def test_index_lists_every_unit_with_figures_badge_and_links(built):
    _, reports, _ = built
    index = reports / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    links = {unquote(a["href"]) for a in soup.find_all("a", href=True)}
    assert {f"units/{u}.html" for u in UNIT_IDS} | {"panel.html"} <= links
    text = flat(soup.get_text(" "))
    for name in ("昌吉回族自治州中小企业发展局", "晋中市中小企业局", "长治市上党区中小企业服务中心", "长治市中小企业服务中心"):
        assert name in text
    assert "本年支出合计1,033.18万元" in text
    assert "收入总计较上年减少601.12万元，下降36.78%" in text
    assert len(soup.select("span.badge")) == 4
    assert "数字矛盾" in text


def test_document_page(processed, tmp_path):
    page = report.run_document_notebook("000_2dcbd3ad2c52b1d0", processed, tmp_path)
    assert page == tmp_path / "documents" / "000_2dcbd3ad2c52b1d0.html"
    text = flat(page_text(page))
    assert "长治市中小企业服务中心·2023年度决算" in text
    assert "收入支出决算总表（公开01表）" in text and "<details>" in page.read_text(encoding="utf-8")
    assert (tmp_path / "runs" / "01_document" / "000_2dcbd3ad2c52b1d0.ipynb").is_file()


def test_cli_report_prints_where_the_index_is(processed, tmp_path):
    res = CliRunner().invoke(main, ["report", "--processed", str(processed), "--reports", str(tmp_path / "r"),
                                    "--unit", "长治市上党区中小企业服务中心"])
    assert res.exit_code == 0, res.output
    assert f"index: {tmp_path / 'r' / 'index.html'}" in res.output
    assert (tmp_path / "r" / "units" / "长治市上党区中小企业服务中心.html").is_file()
    res = CliRunner().invoke(main, ["report", "--processed", str(processed), "--reports", str(tmp_path / "r"),
                                    "--unit", "nope"])
    assert res.exit_code == 1 and "error: unknown unit_id 'nope'" in res.output


# --- provenance ------------------------------------------------------------------------------------

def test_git_commit_is_read_without_git(tmp_path):
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text("a" * 40 + "\n")
    assert report.git_commit(tmp_path / "repo" / "sub") == "a" * 40
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text("# pack-refs\n" + "b" * 40 + " refs/heads/main\n")
    assert report.git_commit(tmp_path / "repo") == "b" * 40
    (git / "HEAD").write_text("c" * 40 + "\n")
    assert report.git_commit(tmp_path / "repo") == "c" * 40


def test_the_pages_time_is_the_only_clock_and_source_date_epoch_pins_it(monkeypatch):
    """A page says when it was made (to the minute), so two runs a minute apart differ there and only
    there: test_batch's warm-against-fresh comparison failed when its two runs straddled a minute.
    ``SOURCE_DATE_EPOCH`` pins that time."""
    import datetime
    import types

    class Clock(datetime.datetime):
        minute = 0

        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2026, 12, 7, 15, cls.minute, 59, tzinfo=tz)

    monkeypatch.setattr(report, "_dt", types.SimpleNamespace(datetime=Clock, UTC=datetime.UTC))
    doc = {"source": {"path": "x.txt", "sha256": "f" * 64}, "document": {"unit": "某局", "year": 2023, "kind": "final"}}
    monkeypatch.delenv(report.ENV_DATE, raising=False)
    before = report.provenance([doc])
    Clock.minute = 1
    assert report.provenance([doc]) != before and "生成于 2026-12-07 15:01 UTC" in report.provenance([doc])
    monkeypatch.setenv(report.ENV_DATE, "1767323040")  # 2026-01-02 03:04 UTC
    pinned = report.provenance([doc])
    Clock.minute = 2
    assert report.provenance([doc]) == pinned and "生成于 2026-01-02 03:04 UTC" in pinned
    monkeypatch.setenv(report.ENV_DATE, "not a number")
    assert "生成于 2026-12-07 15:02 UTC" in report.provenance([doc])


def test_provenance_block_names_sources_and_hashes():
    doc = {"source": {"path": "data/raw/x.txt", "sha256": "f" * 64}, "document": {"unit": "某局", "year": 2023, "kind": "final"}}
    html = report.provenance([doc])
    assert "data/raw/x.txt" in html and "f" * 64 in html and "某局 2023决算" in html
    assert f"budgetlens {__version__}" in html and "生成于" in html
    import pandas

    assert f"pandas {pandas.__version__}" in html  # the versions that made the page
