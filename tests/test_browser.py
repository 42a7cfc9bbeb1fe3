"""A unit page in a real headless Chromium: its Chinese text is in the rendered DOM and its charts
are painted (the screenshot is not blank and the chart colours are there).

Skipped, with a message saying how to install it, where no Chromium is installed (.ci/run installs
Debian's ``chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from PIL import Image
from test_report import seed_reports

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
UNIT = "长治市中小企业服务中心"
CHART_BLUE = (47, 102, 144)  # budgetlens.charts.CURRENT, the bars of the class and year-over-year charts


def chromium() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium found (looked for chromium, chromium-browser, google-chrome): "
                "install it with `apt-get install -y chromium` to run the browser test")


def run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    _, reports, _ = seed_reports(tmp_path_factory)
    path = reports / "units" / f"{UNIT}.html"
    assert path.is_file()
    return path


def test_unit_page_renders_chinese_text_in_the_dom(page, tmp_path):
    browser = chromium()
    res = run_chromium(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    dom = res.stdout.decode("utf-8", errors="replace")
    assert res.returncode == 0 and "<html" in dom, res.stderr.decode(errors="replace")[-2000:]
    for text in ("长治市中小企业服务中心", "收支概况", "较上年减少601.12万元，下降36.78%", "支出结构", "数据质量",
                 "数据来源与生成信息"):
        assert text in dom, text
    svgs = re.findall(r"<svg\b.*?</svg>", dom, re.S)
    assert len(svgs) >= 3 and all('role="img"' in s for s in svgs)  # the charts, inline
    assert any(re.search(r"<text\b[^>]*>万元</text>", s) for s in svgs)  # an axis label drawn as text, not as paths


def test_unit_page_screenshot_shows_text_and_charts(page, tmp_path):
    browser = chromium()
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        assert fonts.strip(), "no CJK font: Chinese would render as boxes (apt-get install fonts-wqy-microhei)"
    shot = tmp_path / f"{quote(UNIT)}.png"
    res = run_chromium(browser, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,6000",
                       page.as_uri())
    assert shot.is_file(), res.stderr.decode(errors="replace")[-2000:]
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert image.shape == (6000, 1200, 3)
    colours = np.unique(image[::4, ::4].reshape(-1, 3), axis=0)
    assert len(colours) > 200, "the page looks blank"
    # text at the top: the title block is dark ink on white
    grey = image[:300].mean(axis=2)
    assert (grey < 100).sum() > 2000, "no text painted in the title block"
    # the charts: plenty of the bar colour, and varied colours where the charts are
    is_blue = (np.abs(image - np.array(CHART_BLUE)) <= 6).all(axis=2)
    assert is_blue.sum() > 20000, f"only {is_blue.sum()} chart-coloured pixels"
    rows = np.flatnonzero(is_blue.any(axis=1))
    region = image[rows[0]:rows[-1] + 1:4, ::4].reshape(-1, 3)
    assert len(np.unique(region, axis=0)) > 100, "the chart region is flat"
    print(f"screenshot: {shot}")


# --- the panel's and the index's scripts in the browser ---------------------------------------
# A copy of the page gets one more script at its end that works the controls as a reader would
# (typing in the search box, choosing in the selects, clicking column headers, the pager and a
# row's ◎) and writes what the table showed after each step into <pre id="test-result"> as JSON;
# Chromium's --dump-dom prints the DOM once the page's scripts have run.

PANEL_DRIVER = r"""
(function () {
  var out = {}, $ = function (id) { return document.getElementById(id); };
  function rows() {
    return Array.prototype.map.call(document.querySelectorAll("#x-table tbody tr[data-row]"), function (tr) {
      return Array.prototype.map.call(tr.cells, function (td) { return td.textContent.trim(); });
    });
  }
  function set(id, value) { var el = $(id); el.value = value; el.dispatchEvent(new Event("input", {bubbles: true})); }
  function header(text) {
    return Array.prototype.filter.call(document.querySelectorAll("button.sort"), function (b) {
      return b.textContent.replace(/[ ▲▼]/g, "") === text; })[0];
  }
  out.ready = document.documentElement.dataset.panelReady || null;
  out.initial = rows(); out.status = $("x-status").textContent;
  out.regions = Array.prototype.map.call($("x-region").options, function (o) { return o.value; });
  out.term = out.initial[9][0].replace(/^◎\s*/, "").slice(0, 5);  // a unit's name, cut: several units
  set("x-q", out.term); out.search = rows();
  set("x-q", "  " + out.term.split("").join(" ") + " "); out.spaced = rows();
  set("x-q", ""); set("x-region", out.regions.filter(function (v) { return /长治市$/.test(v); })[0] || "");
  out.region = rows(); out.regionValue = $("x-region").value;
  set("x-region", ""); set("x-year", ""); set("x-kind", "budget"); out.budgets = rows();
  set("x-kind", ""); set("x-year", "2022"); out.year = rows();
  set("x-year", ""); set("x-quality", "error"); out.errors = rows();
  set("x-quality", ""); out.all = $("x-status").textContent; out.page1 = rows();
  $("x-next").click(); out.page2 = rows(); out.pageLabel = $("x-page").textContent;
  $("x-prev").click();
  header("本年支出").click(); out.sortedDesc = rows();
  out.sortState = header("本年支出").parentNode.getAttribute("aria-sort");
  header("本年支出").click(); out.sortedAsc = rows();
  header("单位").click(); out.byName = rows();
  var names = out.byName.map(function (r) { return r[0].replace(/^◎\s*/, ""); });
  out.byNameSorted = names.every(function (n, i) { return i === 0 || names[i - 1].localeCompare(n, "zh") <= 0; });
  out.byNameState = header("单位").parentNode.getAttribute("aria-sort");
  set("x-year", "latest");
  var first = document.querySelector("#x-table tbody button.mark-btn");
  first.click();
  out.markedRow = document.querySelector("#x-table tbody tr.marked") ? document.querySelector("#x-table tbody tr.marked").cells[0].textContent.trim() : null;
  out.marks = Array.prototype.map.call(document.querySelectorAll("figure.dist .mark"), function (m) {
    return {hidden: m.hidden, left: m.style.left, value: m.textContent}; });
  out.hash = location.hash;
  var pre = document.createElement("pre"); pre.id = "test-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""

INDEX_DRIVER = r"""
(function () {
  var q = document.getElementById("i-q");
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll("section.region tbody tr"), function (tr) {
      return !tr.hidden && !tr.closest("section").hidden; }).map(function (tr) { return tr.cells[0].textContent.trim(); });
  }
  var out = {ready: document.documentElement.dataset.indexReady || null, all: visible().length};
  out.term = document.querySelector("section.region tbody tr td").textContent.trim().slice(0, 5);
  q.value = out.term; q.dispatchEvent(new Event("input")); out.search = visible();
  out.sections = Array.prototype.filter.call(document.querySelectorAll("section.region"), function (s) { return !s.hidden; }).length;
  out.status = document.getElementById("i-status").textContent;
  q.value = "没有这样的单位"; q.dispatchEvent(new Event("input")); out.none = visible().length;
  out.noneShown = !document.getElementById("i-none").hidden;
  var pre = document.createElement("pre"); pre.id = "test-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""


def drive(page: Path, driver: str, tmp_path: Path, fragment: str = "") -> dict:
    """Run ``driver`` once a copy of ``page`` (beside it, so its links still resolve) has loaded
    in headless Chromium (after the page's own scripts) and return what it wrote."""
    import json

    from bs4 import BeautifulSoup

    browser = chromium()
    copy = page.with_name(f".driven-{page.name}")
    html = page.read_text(encoding="utf-8")
    guarded = ("document.addEventListener('DOMContentLoaded', function () { try {" + driver + "} catch (e) { var pre = document.createElement('pre'); pre.id = 'test-result';"
               " pre.textContent = JSON.stringify({error: String(e) + ' ' + e.stack}); document.body.appendChild(pre); } });")
    copy.write_text(html.replace("</body>", f"<script>{guarded}</script></body>"), encoding="utf-8")
    try:
        res = run_chromium(browser, tmp_path / "profile", "--dump-dom", copy.as_uri() + fragment)
    finally:
        copy.unlink()
    dom = res.stdout.decode("utf-8", errors="replace")
    result = BeautifulSoup(dom, "html.parser").find("pre", id="test-result")
    assert result is not None, res.stderr.decode(errors="replace")[-2000:]
    out = json.loads(result.text)
    assert "error" not in out, out.get("error")
    return out


@pytest.fixture(scope="module")
def synth_pages(tmp_path_factory):
    from test_panel import synth_reports

    chromium()
    return synth_reports(tmp_path_factory)


def _amount(cell: str) -> float | None:
    return None if cell == "—" else float(cell.replace(",", ""))


def test_panel_table_sorts_filters_searches_and_pages_in_the_browser(synth_pages, tmp_path):
    page, documents = synth_pages
    out = drive(page, PANEL_DRIVER, tmp_path)
    assert out["ready"] == "1"
    # the default view: each unit's lead document, 60 units
    assert len(out["initial"]) == 60 and "共60份文件（60个单位）" in out["status"]
    assert all(r[2].startswith("2023") for r in out["initial"])
    # search by name
    term = out["term"]
    assert len(term) == 5 and out["search"] and all(term in r[0] for r in out["search"])
    assert len(out["search"]) < len(out["initial"]) and out["spaced"] == out["search"]  # spaces do not count
    # filter by region (a city-level group), kind, year, data quality
    assert out["regionValue"].endswith("长治市") and out["region"]
    assert all(r[1].startswith(out["regionValue"]) for r in out["region"])
    assert out["budgets"] and all(r[2].endswith("预算") for r in out["budgets"])
    assert {r[2][:4] for r in out["budgets"]} == {"2022", "2023"}
    assert out["year"] and all(r[2].startswith("2022") for r in out["year"])
    assert all("数字矛盾" in r[-1] for r in out["errors"])
    # every document, in pages of 100
    assert f"共{documents}份文件（60个单位）" in out["all"] and out["pageLabel"] == "第2/3页"
    assert len(out["page1"]) == 100 and out["page2"] and out["page1"][0] != out["page2"][0]
    # sorting by a figure: largest first, then smallest first; missing values last both ways
    col = 4  # 单位, 地区, 文件, 收入总计, 本年支出
    desc = [_amount(r[col]) for r in out["sortedDesc"]]
    asc = [_amount(r[col]) for r in out["sortedAsc"]]
    known = [v for v in desc if v is not None]
    assert known == sorted(known, reverse=True) and desc[: len(known)] == known
    low = [v for v in asc if v is not None]
    assert low == sorted(low) and asc[: len(low)] == low and low[0] <= known[-1] and len(known) == 100
    assert out["sortState"] == "descending"
    assert out["byNameSorted"] and out["byNameState"] == "ascending"  # names in Chinese collation order
    # marking a unit puts a marker on the distributions and its id in the address
    assert out["markedRow"] and out["hash"].startswith("#u=")
    shown = [m for m in out["marks"] if not m["hidden"]]
    assert shown and all(m["left"].endswith("%") and m["value"] for m in shown)


def test_panel_marks_the_unit_named_in_the_address(synth_pages, tmp_path):
    import json

    from bs4 import BeautifulSoup

    page, _ = synth_pages
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    data = json.loads(soup.find("script", id="panel-data").string)
    unit_id, name = data["units"][5][:2]
    driver = r"""(function () { var tr = document.querySelector("#x-table tbody tr.marked");
      var pre = document.createElement("pre"); pre.id = "test-result";
      pre.textContent = JSON.stringify({marked: tr ? tr.cells[0].textContent.trim() : null,
        note: document.getElementById("x-marked").textContent});
      document.body.appendChild(pre); })();"""
    out = drive(page, driver, tmp_path, f"#u={quote(unit_id)}")
    assert out["marked"] and name in out["marked"] and name in out["note"]


def test_index_search_in_the_browser(synth_pages, tmp_path):
    page, _ = synth_pages
    out = drive(page.parent / "index.html", INDEX_DRIVER, tmp_path)
    assert out["ready"] == "1" and out["all"] == 60
    assert out["search"] and all(out["term"] in n for n in out["search"]) and len(out["search"]) < 60
    assert out["sections"] >= 1 and "找到" in out["status"]
    assert out["none"] == 0 and out["noneShown"]
