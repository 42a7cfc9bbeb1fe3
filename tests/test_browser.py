"""A unit page in a real headless Chromium: its Chinese text is in the rendered DOM and its charts
are painted (the screenshot is not blank and the chart colours are there).

Skipped, with a message saying how to install it, where no Chromium is installed (.ci/run installs
Debian's ``chromium``).
"""

from __future__ import annotations

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
    assert dom.count('src="data:image/png;base64,') >= 3


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
