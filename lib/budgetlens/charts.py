"""Charts with Chinese labels: matplotlib (Agg, no pyplot state), a CJK font, inline SVG or PNG.

:func:`cjk_font` finds an installed CJK font (WenQuanYi Micro Hei from Debian's
``fonts-wqy-microhei``, else Noto Sans CJK / Source Han / other common ones) through
``matplotlib.font_manager`` and makes it the sans-serif font, so Chinese renders without
missing-glyph boxes or warnings. Every chart function returns a ``Figure`` or ``None`` when
there is nothing to show; :func:`to_html` embeds a figure in the page (self-contained): as an
inline SVG by default (the unit pages: text stays text, sharp at any zoom, a third smaller than
a palette PNG in base64), or as a ``data:`` PNG (``fmt="palette"``/``"png"``, the panel's marked
distributions); :func:`show` displays it in a notebook. Figures come from :mod:`budgetlens.metrics` only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import math
import re
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter  # no pyplot: no global figure state; PNGs render with Agg

from . import metrics

CJK_FAMILIES = [
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
    "Source Han Sans CN", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans", "Droid Sans Fallback",
    "AR PL UMing CN", "AR PL UKai CN", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC",
]
_FONT_FILE_HINTS = ("wqy", "notosanscjk", "noto-cjk", "sourcehansans", "sourcehan", "droidsansfallback",
                    "uming", "ukai", "simhei", "msyh", "pingfang")
PALETTE = ["#2f6690", "#d9822b", "#3a7d44", "#9e2a2b", "#6d597a", "#b5838d", "#4f6d7a", "#c9a227",
           "#588157", "#7f5539"]
CURRENT, PREVIOUS, ACCENT, GRID = "#2f6690", "#a9c1d9", "#d9822b", "#d0d0d0"
DPI = 110
PALETTE_COLOURS = 48  # colours of a compact PNG (to_png)
WIDTH = 7.6  # inches: 836 px at DPI, fits an A4 page


class NoCJKFontError(RuntimeError):
    """No font with Chinese glyphs is installed."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of an installed CJK font (see :data:`CJK_FAMILIES`).

    Looks at matplotlib's font list first, then at the system font files (a font installed after
    matplotlib built its cache), adding the file to the font manager. Raises
    :class:`NoCJKFontError` with the install command when there is none.
    """
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    for path in sorted(font_manager.findSystemFonts()):
        flat = path.lower().replace("_", "").replace(" ", "")
        if any(h in flat for h in _FONT_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
                name = font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
            if name:
                return name
    raise NoCJKFontError("no CJK font found for the charts' Chinese labels: install one, e.g. "
                         "`apt-get install fonts-wqy-microhei` (or Noto Sans CJK / Source Han Sans)")


def configure() -> str:
    """Make the CJK font matplotlib's sans-serif font (idempotent); returns its family name."""
    family = cjk_font()
    rc = matplotlib.rcParams
    if rc["font.sans-serif"][:1] != [family]:
        rc["font.sans-serif"] = [family] + [f for f in rc["font.sans-serif"] if f != family]
    rc["font.family"] = "sans-serif"
    rc["axes.unicode_minus"] = False  # U+2212 is not in every CJK font
    rc["svg.fonttype"] = "path"
    return family


def _figure(height: float) -> Figure:
    configure()
    fig = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def _style(ax: Any, grid_axis: str = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9)


def _fmt(v: float) -> str:
    return f"{v:,.2f}"


def _ok(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


# --- document charts --------------------------------------------------------------------------

def class_composition(doc: Any, top: int = 10) -> Figure | None:
    """Expenditure by function class (类): horizontal bars with amount and share; None without classes."""
    shares = metrics.class_shares(doc)
    if not len(shares) or shares["amount"].sum() <= 0:
        return None
    shares = shares.head(top).iloc[::-1]
    fig = _figure(0.45 * len(shares) + 1.1)
    ax = fig.add_subplot()
    labels = [f"{c} {n}" for c, n in zip(shares["code"], shares["name"], strict=True)]
    bars = ax.barh(labels, shares["amount"], color=CURRENT)
    top_value = float(shares["amount"].max())
    for bar, amount, share in zip(bars, shares["amount"], shares["share"], strict=True):
        ax.text(bar.get_width() + top_value * 0.01, bar.get_y() + bar.get_height() / 2,
                f"{_fmt(amount)}（{share:.2f}%）", va="center", fontsize=8.5)
    ax.set_xlim(0, top_value * 1.32)
    ax.set_xlabel("万元", fontsize=9)
    ax.set_title("支出按功能分类（类）", fontsize=11, loc="left")
    _style(ax)
    return fig


def structure(doc: Any) -> Figure | None:
    """Basic vs project expenditure and personnel vs public expenditure as 100% bars; None when
    the document prints neither pair."""
    st = metrics.expenditure_structure(doc)
    bars = []
    basic, project = metrics.fact(doc, "basic_expenditure"), metrics.fact(doc, "project_expenditure")
    if basic is not None and project is not None and basic + project > 0:
        bars.append(("本年支出", [("基本支出", basic, st["basic_share"]), ("项目支出", project, st["project_share"])]))
    personnel, public = metrics.fact(doc, "personnel_expenditure"), metrics.fact(doc, "public_expenditure")
    if personnel is not None and public is not None and personnel + public > 0:
        bars.append(("基本支出", [("人员经费", personnel, st["personnel_share"]), ("公用经费", public, st["public_share"])]))
    if not bars:
        return None
    fig = _figure(0.75 * len(bars) + 1.0)
    ax = fig.add_subplot()
    for i, (_name, parts) in enumerate(bars[::-1]):
        left = 0.0
        for j, (part, amount, share) in enumerate(parts):
            share = share or 0.0
            ax.barh(i, share, left=left, color=PALETTE[j + 2 * (len(bars) - 1 - i)], height=0.55)
            if share >= 22:
                ax.text(left + share / 2, i, f"{part}\n{_fmt(amount)}万元 · {share:.2f}%", ha="center",
                        va="center", fontsize=8, color="white")
            elif share > 0:  # too narrow for its label: above the bar, at its end of the bar
                ax.text(100 if j else 0, i + 0.32, f"{part} {_fmt(amount)}万元 · {share:.2f}%",
                        ha="right" if j else "left", va="bottom", fontsize=8)
            left += share
    ax.set_yticks(range(len(bars)), [b[0] for b in bars[::-1]])
    ax.set_xlim(0, 100)
    ax.set_xlabel("%", fontsize=9)
    ax.set_title("支出结构：基本支出与项目支出、人员经费与公用经费", fontsize=11, loc="left")
    _style(ax)
    return fig


def yoy_bars(yoy: Any, labeller: Callable[[str, str | None], str] | None = None, limit: int = 12) -> Figure | None:
    """This year against last year for the amounts of a :func:`metrics.yoy_table` (grouped bars,
    change in % at the end of each pair); None when the table has no amounts."""
    from .facts import COUNT_KEYS
    from .prose import label as default_label

    labeller = labeller or default_label
    if yoy is None or not len(yoy):
        return None
    rows = yoy[~yoy["key"].isin(list(COUNT_KEYS) + ["overall_score"])]
    rows = rows[(rows["current"].abs() + rows["previous"].abs()) > 0]
    if not len(rows):
        return None
    rows = rows.head(limit).iloc[::-1]
    n = len(rows)
    fig = _figure(0.55 * n + 1.3)
    ax = fig.add_subplot()
    ys = range(n)
    h = 0.38
    ax.barh([y + h / 2 for y in ys], rows["previous"], height=h, color=PREVIOUS, label="上年")
    ax.barh([y - h / 2 for y in ys], rows["current"], height=h, color=CURRENT, label="本年")
    top_value = float(max(rows["current"].max(), rows["previous"].max()))
    for y, cur, prev, p in zip(ys, rows["current"], rows["previous"], rows["change_pct"], strict=True):
        text = "持平" if abs(cur - prev) < 0.005 else (f"{p:+.2f}%" if _ok(p) else f"{cur - prev:+,.2f}")
        ax.text(max(cur, prev) + top_value * 0.01, y, text, va="center", fontsize=8.5,
                color=ACCENT if cur < prev else "#3a7d44")
    codes = [c if isinstance(c, str) else None for c in rows["code"]]
    ax.set_yticks(list(ys), [labeller(k, c) for k, c in zip(rows["key"], codes, strict=True)])
    ax.set_xlim(0, top_value * 1.18 if top_value > 0 else 1)
    ax.set_xlabel("万元", fontsize=9)
    ax.legend(fontsize=8.5, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False)
    ax.set_title("与上年比较", fontsize=11, loc="left")
    _style(ax)
    return fig


def rates(labels: Sequence[str], values: Sequence[float | None], title: str, reference: float = 100.0,
          xlabel: str = "%") -> Figure | None:
    """Horizontal bars of rates (execution, completion) with a reference line at 100%; None when no
    rate is known."""
    pairs = [(lab, float(v)) for lab, v in zip(labels, values, strict=True) if _ok(v)]
    if not pairs:
        return None
    pairs = pairs[::-1]
    fig = _figure(0.42 * len(pairs) + 1.2)
    ax = fig.add_subplot()
    vals = [v for _, v in pairs]
    colors = [CURRENT if v >= 90 else ACCENT for v in vals]
    bars = ax.barh([lab for lab, _ in pairs], vals, color=colors)
    top_value = max(max(vals), reference)
    for bar, v in zip(bars, vals, strict=True):
        ax.text(bar.get_width() + top_value * 0.01, bar.get_y() + bar.get_height() / 2, f"{v:.2f}%",
                va="center", fontsize=8.5)
    ax.axvline(reference, color="#555555", linewidth=0.9, linestyle="--")
    ax.set_xlim(0, top_value * 1.15)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_title(title, fontsize=11, loc="left")
    _style(ax)
    return fig


def execution_by_class(budget: Any, final: Any) -> Figure | None:
    """决算 / 年初预算 by function class (:func:`metrics.execution_by_class`)."""
    frame = metrics.execution_by_class(budget, final)
    if not len(frame):
        return None
    return rates([f"{c} {n}" for c, n in zip(frame["code"], frame["name"], strict=True)], list(frame["rate"]),
                 "按功能分类的预算执行率（决算 / 年初预算）")


def project_execution(doc: Any) -> Figure | None:
    """Execution rate of each project (:func:`metrics.project_table`)."""
    frame = metrics.project_table(doc)
    if not len(frame):
        return None
    names = [n if len(n) <= 18 else n[:17] + "…" for n in frame["name"]]
    return rates(names, list(frame["execution_rate"]), "项目预算执行率")


def score_distribution(doc: Any) -> Figure | None:
    """Projects per score band (优/良/中/差); None without scores."""
    summary = metrics.project_summary(doc)
    if summary["score_mean"] is None:
        return None
    bands = list(summary["bands"].items())
    fig = _figure(2.4)
    ax = fig.add_subplot()
    bars = ax.bar([g for g, _ in bands], [n for _, n in bands], color=[PALETTE[2], PALETTE[0], PALETTE[7], PALETTE[3]])
    for bar, (_, n) in zip(bars, bands, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(n), ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, max(n for _, n in bands) * 1.18 + 0.5)
    ax.set_ylabel("项目数", fontsize=9)
    ax.set_title("项目自评得分分布（优≥90，良80–89，中60–79，差<60）", fontsize=11, loc="left")
    ax.yaxis.get_major_locator().set_params(integer=True)
    _style(ax, "y")
    return fig


# --- panel charts: fixed size whatever the number of units ------------------------------------

SMALL = (3.7, 2.15)  # inches: one distribution, two or three side by side on a screen
TOP_N = 20
QUALITY_COLOURS = {"ok": "#3a7d44", "warning": "#c9a227", "error": "#9e2a2b"}
QUALITY_NAMES = {"ok": "未发现问题", "warning": "可能问题", "error": "数字矛盾"}


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _quantile(ordered: Sequence[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def histogram(values: Sequence[float | None], title: str, xlabel: str = "%", bins: int = 24) -> Figure | None:
    """The distribution of one figure across units: a histogram of fixed size with the median
    marked. The range is the 1st to 99th percentile (values beyond fall in the end bins), so one
    outlier does not flatten the rest. None when no unit has the figure."""
    vals = sorted(float(v) for v in values if _ok(v))
    if not vals:
        return None
    lo, hi = (_quantile(vals, 0.01), _quantile(vals, 0.99)) if len(vals) >= 20 else (vals[0], vals[-1])
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    clipped = [min(max(v, lo), hi) for v in vals]
    configure()
    fig = Figure(figsize=SMALL, dpi=DPI, layout="constrained")
    fig.patch.set_facecolor("white")
    ax = fig.add_subplot()
    ax.hist(clipped, bins=min(bins, max(5, len(vals))), range=(lo, hi), color=PREVIOUS, edgecolor=CURRENT, linewidth=0.5)
    med = _median(vals)
    ax.axvline(min(max(med, lo), hi), color="#333333", linewidth=1.2)
    ax.set_xlim(lo, hi)
    ax.set_title(f"{title}（{len(vals)}个单位，中位数 {med:,.2f}）", fontsize=9, loc="left")
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel("单位数", fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _style(ax, "y")
    ax.tick_params(labelsize=7.5)
    return fig


def top_bottom(labels: Sequence[str], values: Sequence[float | None], title: str, unit: str = "万元",
               percent: bool = False, n: int = TOP_N) -> Figure | None:
    """The ``n`` highest and the ``n`` lowest units by one figure side by side (all of them, ranked,
    when there are at most 2n); None when no unit has it. At most 2n bars whatever the number of units."""
    pairs = sorted(((lab, float(v)) for lab, v in zip(labels, values, strict=True) if _ok(v)), key=lambda p: -p[1])
    if not pairs:
        return None
    panels = [(f"{title}：全部{len(pairs)}个单位", pairs)] if len(pairs) <= 2 * n else \
        [(f"最高{n}个", pairs[:n]), (f"最低{n}个", pairs[-n:])]
    rows = max(len(p) for _, p in panels)
    fig = _figure(0.2 * rows + 1.3)
    text = (lambda v: f"{v:.2f}%") if percent else _fmt
    for i, (name, part) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        part = part[::-1]
        vals = [v for _, v in part]
        ax.barh(range(len(part)), vals, color=CURRENT if i == 0 else ACCENT, height=0.7)
        ax.set_yticks(range(len(part)), [lab for lab, _ in part], fontsize=7.5)
        span = max(max(vals), 0) - min(min(vals), 0) or 1
        for y, v in enumerate(vals):
            ax.text(max(v, 0) + span * 0.02, y, text(v), va="center", fontsize=7)
        ax.set_xlim(min(0, min(vals)) - (span * 0.05 if min(vals) < 0 else 0), max(max(vals), 0) + span * 0.3)
        ax.set_ylim(-0.6, rows - 0.4)
        if span >= 1000:  # 1,234,567 rather than an offset and 1e6
            ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_title(name, fontsize=9.5, loc="left")
        ax.set_xlabel("%" if percent else unit, fontsize=8)
        _style(ax)
        ax.tick_params(axis="x", labelsize=7)
    if len(panels) > 1:
        fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    return fig


def stacked_quality(labels: Sequence[str], counts: dict[str, Sequence[int]], title: str, unit: str = "个",
                    horizontal: bool = True) -> Figure | None:
    """Counts per group stacked by data-quality state (未发现问题 / 可能问题 / 数字矛盾); None
    without groups. One bar per group: the caller bounds the groups (regions: the 20 largest)."""
    if not labels:
        return None
    n = len(labels)
    fig = _figure(0.26 * n + 1.4) if horizontal else _figure(3.0)
    ax = fig.add_subplot()
    pos = list(range(n))[::-1] if horizontal else list(range(n))
    base = [0] * n
    for state in ("ok", "warning", "error"):
        vals = list(counts.get(state) or [0] * n)
        if horizontal:
            ax.barh(pos, vals, left=base, color=QUALITY_COLOURS[state], label=QUALITY_NAMES[state], height=0.7)
        else:
            ax.bar(pos, vals, bottom=base, color=QUALITY_COLOURS[state], label=QUALITY_NAMES[state], width=0.7)
        base = [b + v for b, v in zip(base, vals, strict=True)]
    top = max(base + [1])
    for p, total in zip(pos, base, strict=True):
        if horizontal:
            ax.text(total + top * 0.01, p, str(total), va="center", fontsize=7.5)
        else:
            ax.text(p, total + top * 0.01, str(total), ha="center", va="bottom", fontsize=7.5)
    if horizontal:
        ax.set_yticks(pos, list(labels), fontsize=8)
        ax.set_xlim(0, top * 1.12)
        ax.set_xlabel(unit, fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.set_xticks(pos, list(labels), fontsize=8, rotation=30 if n > 6 else 0, ha="right" if n > 6 else "center")
        ax.set_ylim(0, top * 1.12)
        ax.set_ylabel(unit, fontsize=8)
        ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, frameon=False)
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    _style(ax, "x" if horizontal else "y")
    return fig


# --- embedding --------------------------------------------------------------------------------

def to_png(fig: Figure, compact: bool = False) -> bytes:
    """The figure as PNG bytes (rendered with the CJK font; a missing glyph is an error, not a box).
    ``compact``: a palette PNG of at most :data:`PALETTE_COLOURS` colours, quantised straight from
    the rendered pixels (a third of the bytes at no extra cost; flat chart colours stay exact,
    anti-aliased edges move by a shade): what the pages embed."""
    configure()
    if compact:
        from PIL import Image

        rgb = _rendered_rgb(fig)
        small = io.BytesIO()
        rgb.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT).save(small, format="PNG")
        return small.getvalue()
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=_MISSING_GLYPH)
        _laid_out_savefig(fig, buf)
    return buf.getvalue()


_MISSING_GLYPH = r".*[Gg]lyph .* missing from"


def _laid_out_once(fig: Figure, draw: Callable[[], None]) -> None:
    """``draw()`` with the layout engine run once beforehand and switched off while drawing.

    Why: with a layout engine, ``savefig`` draws the whole figure twice, once without rendering
    only so that the engine can run, then for real; running the engine directly (it measures the
    texts itself) and drawing once with it switched off, as ``savefig`` does for its second draw,
    gives the same bytes for a ninth less of a chart's cost. The engine is restored afterwards.
    The figure is at :data:`DPI` (the engine must measure at the drawn dpi)."""
    engine = fig.get_layout_engine()
    if engine is None or not fig.axes:
        draw()
        return
    if fig.canvas is None or type(fig.canvas) is FigureCanvasBase:
        FigureCanvasAgg(fig)
    engine.execute(fig)
    with fig._cm_set(layout_engine="none"):  # what savefig itself does after its first draw
        draw()


def _rendered_rgb(fig: Figure) -> Any:
    """The figure drawn once at :data:`DPI` on a white ground, as a PIL RGB image (no PNG encoded
    and decoded on the way; :func:`_laid_out_once`)."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=_MISSING_GLYPH)
        if fig.dpi != DPI:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
            return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        fig.patch.set_facecolor("white")
        _laid_out_once(fig, canvas.draw)
        width, height = canvas.get_width_height()
        return Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")


def _laid_out_savefig(fig: Figure, buf: io.BytesIO, fmt: str = "png") -> None:
    """``fig.savefig`` (PNG or SVG) at :data:`DPI`, laid out and drawn once (:func:`_laid_out_once`)."""
    options: dict[str, Any] = {"metadata": {"Date": None}} if fmt == "svg" else {}  # no time stamp in an SVG

    def save() -> None:
        fig.savefig(buf, format=fmt, dpi=DPI, facecolor="white", **options)

    if fig.dpi != DPI:
        save()
    else:
        _laid_out_once(fig, save)


_SVG_GEOMETRY = re.compile(r'(\s(?:d|x|y|x1|x2|y1|y2|width|height|transform|viewBox|points)=")([^"]*)"')
_SVG_DECIMALS = re.compile(r"(-?\d+\.\d)\d+")


def to_svg(fig: Figure, alt: str) -> str:
    """The figure as inline SVG markup for an HTML page: laid out and drawn once (as
    :func:`to_png`), its text as text in the CJK font (``svg.fonttype: none``; Chinese glyphs are
    one em wide in every CJK font, so a reader's own font sets the labels where the chart put
    them), geometry to 0.1 pt, ids and style classes of its own (several charts on one page; each
    distinct style written once), displayed at the size of the PNG (:data:`DPI`), with
    ``role="img"``, ``aria-label`` and a ``<title>``."""
    configure()
    buf = io.BytesIO()
    rc = {"svg.fonttype": "none", "svg.hashsalt": "budgetlens", "font.sans-serif": [cjk_font()]}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("error", message=_MISSING_GLYPH)
        _laid_out_savefig(fig, buf, "svg")
    text = buf.getvalue().decode("utf-8")
    text = re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg"):], flags=re.S)
    text = _SVG_GEOMETRY.sub(lambda m: m.group(1) + _SVG_DECIMALS.sub(r"\1", " ".join(m.group(2).split())) + '"', text)
    text = re.sub(r">\s+<", "><", text).strip()
    # Inline in HTML the namespaces are implied (and a page names no external address): plain href.
    text = re.sub(r'\s(?:xmlns(?::xlink)?|version)="[^"]*"', "", text).replace("xlink:href=", "href=")
    referenced = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', text))
    text = re.sub(r'\sid="([^"]+)"', lambda m: m.group(0) if m.group(1) in referenced else "", text)
    prefix = "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:6] + "-"
    text = re.sub(r'(\sid="|url\(#|href="#)', lambda m: m.group(1) + prefix, text)
    text = re.sub(r'\stransform="rotate\(-?0 [^)]*\)"', "", text)  # unrotated text
    # Each distinct style once, as a class of this chart (a page's CSS is global: the names carry
    # the chart's prefix, and matplotlib's "*{…}" rule is scoped to the chart's own elements).
    styles: dict[str, str] = {}
    text = re.sub(r'\sstyle="([^"]*)"', lambda m: f' class="{styles.setdefault(m.group(1), f"{prefix}{len(styles)}")}"',
                  text)
    rules = "".join(f".{name}{{{' '.join(value.split())}}}" for value, name in styles.items())
    text = re.sub(r'<style type="text/css">\*\{([^}]*)\}</style>',
                  lambda m: f"<style>.{prefix}svg *{{{m.group(1)}}}{rules}</style>", text, count=1)
    text = text.replace("<svg", f'<svg class="{prefix}svg"', 1)
    width, height = (round(v * DPI) for v in fig.get_size_inches())
    label = html.escape(alt, quote=True)
    text = re.sub(r'^<svg([^>]*?)\swidth="[^"]*"\sheight="[^"]*"',
                  rf'<svg\1 width="{width}" height="{height}" role="img" aria-label="{label}"', text, count=1)
    head = text.index(">") + 1
    return f"{text[:head]}<title>{html.escape(alt)}</title>{text[head:]}"


def to_html(fig: Figure | None, alt: str, caption: str | None = None, fmt: str = "svg") -> str:
    """An inline ``<figure>`` with the chart (empty string for no figure): ``fmt`` ``"svg"``
    (:func:`to_svg`), ``"palette"`` (a ``data:`` palette PNG, :func:`to_png` compact) or ``"png"``
    (full colour)."""
    if fig is None:
        return ""
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    if fmt == "svg":
        return f'<figure class="chart">{to_svg(fig, alt)}{cap}</figure>'
    if fmt not in ("palette", "png"):
        raise ValueError(f"unknown chart format {fmt!r} (svg, palette, png)")
    data = base64.b64encode(to_png(fig, compact=fmt == "palette")).decode("ascii")
    return (f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'
            f"{cap}</figure>")


def to_html_marked(fig: Figure | None, key: str, alt: str, caption: str | None = None) -> str:
    """A one-axes chart as :func:`to_html`, with where its x axis lies in the image (``data-box``:
    the axes as figure fractions x0,y0,x1,y1; ``data-lim``: the x range) and an empty marker, so
    the page's script can mark one unit's value on it (``data-key`` names the figure)."""
    if fig is None:
        return ""
    png = to_png(fig, compact=True)  # lays the figure out: the axes position below is the one in the image
    ax = fig.axes[0]
    box = ax.get_position()
    lo, hi = ax.get_xlim()
    data = base64.b64encode(png).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="chart dist" data-key="{html.escape(key, quote=True)}" '
            f'data-box="{box.x0:.4f},{box.y0:.4f},{box.x1:.4f},{box.y1:.4f}" data-lim="{lo:.6g},{hi:.6g}">'
            f'<div class="plot"><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'
            f'<span class="mark" hidden><b></b></span></div>{cap}</figure>')


def show(fig: Figure | None, alt: str, caption: str | None = None, fmt: str = "svg") -> None:
    """Display a chart in a notebook as inline HTML (nothing at all when there is no figure;
    ``fmt`` as for :func:`to_html`)."""
    if fig is None:
        return
    from IPython.display import HTML, display

    display(HTML(to_html(fig, alt, caption, fmt)))
