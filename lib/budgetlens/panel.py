"""The panel's data and its interactive table, for any number of units.

:func:`panel_frame` is one row per document (:func:`budgetlens.metrics.document_frame`) with the
unit's region (:mod:`budgetlens.regions`), whether its name could be read, its source file and
its data-quality state. :func:`explorer` turns it into one self-contained block: the rows as
compact JSON in the page and a small inline script (``templates/panel.js``) that draws a table
the reader can sort by any column, filter by region, kind, year and data quality, search by name,
page through, and mark a unit on the distribution charts. The page stays small at thousands of
units because the table is data (about 120 bytes a document) and the charts summarise (fixed
size, whatever the number of units). :func:`region_table` is the static summary by region.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import metrics, prose, regions
from .units import KIND_LABELS, Unit

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The figures of the interactive table: (column of :func:`panel_frame`, header, format).
COLUMNS: list[tuple[str, str, str]] = [
    ("grand_total", "收入总计", "amount"),
    ("expenditure_total", "本年支出", "amount"),
    ("expenditure_total_change_pct", "本年支出增减率", "change"),
    ("basic_share", "基本支出占比", "percent"),
    ("personnel_share", "人员经费占基本支出", "percent"),
    ("fiscal_dependency", "财政拨款依存度", "percent"),
    ("staff_control_rate", "在职人员控制率", "percent"),
    ("office_operation_per_staff", "人均机关运行经费", "amount"),
    ("three_public_total_change_pct", "三公经费增减率", "change"),
]
#: The ratios shown as distributions (the reader's unit can be marked on them).
DISTRIBUTIONS: list[tuple[str, str]] = [
    ("basic_share", "%"), ("personnel_share", "%"), ("fiscal_dependency", "%"), ("staff_control_rate", "%"),
    ("expenditure_total_change_pct", "%"), ("office_operation_per_staff", "万元/人"),
]
#: The size budget of the pages (bytes): the panel is a fixed part (fixed-size charts, the script,
#: the summaries, a provenance list of at most 200 files) plus one row of data per document; the
#: index one table row per unit. 3,000 units × 2 years × budget and final (12,000 documents):
#: panel ≤ 2.3 MB, index ≤ 2.4 MB.
BUDGET_FIXED = 500_000
BUDGET_PER_DOCUMENT = 150
BUDGET_INDEX_FIXED = 100_000
BUDGET_INDEX_PER_UNIT = 750
QUALITY_LABELS = {"error": "数字矛盾", "warning": "可能问题", "ok": "未发现问题"}
REGION_COLUMNS = ["province", "city", "district", "region", "group", "region_order"]


def unit_region(unit: Unit) -> regions.Region:
    """The unit's region from its name, else from the names its documents print."""
    if not unit.name_read:
        return regions.UNKNOWN
    for name in [unit.name, *(d.unit for d in reversed(unit.documents))]:
        found = regions.resolve(name)
        if found.known:
            return found
    return regions.UNKNOWN


def panel_frame(units: Iterable[Unit]) -> pd.DataFrame:
    """:func:`metrics.document_frame` plus ``province, city, district, region`` (full label),
    ``group`` (the city-level label the pages group by), ``region_order`` (registry order, unknown
    last), ``name_read``, ``file`` (source file name) and ``quality`` (error | warning | ok);
    ``year`` is an integer column (``<NA>`` where no year was read)."""
    units = list(units)
    frame = metrics.document_frame(units)
    info: dict[str, tuple[regions.Region, bool]] = {u.unit_id: (unit_region(u), u.name_read) for u in units}
    files = {d.doc_id: prose.source_file(d) for u in units for d in u.documents}
    rows = [info.get(uid, (regions.UNKNOWN, False)) for uid in frame["unit_id"]]
    frame = frame.assign(
        province=[r.province for r, _ in rows], city=[r.city for r, _ in rows],
        district=[r.district for r, _ in rows], region=[r.label for r, _ in rows],
        group=[r.group for r, _ in rows], region_order=[regions.sort_key(r) for r, _ in rows],
        name_read=[ok for _, ok in rows], file=[files.get(d, "") for d in frame["doc_id"]],
    )
    frame["quality"] = [metrics.quality_badge({"error": e, "warning": w})
                        for e, w in zip(frame["findings_error"], frame["findings_warning"], strict=True)]
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _number(v: Any) -> float | None:
    if v is None or v is pd.NA or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return None
    return round(float(v), 2)


def panel_data(frame: pd.DataFrame) -> dict[str, Any]:
    """What the script reads: the columns, the regions, the units and one short row per document.

    ``units`` are ``[unit_id, name, region index, name read (0/1)]``; ``rows`` are ``[unit index,
    year or null, kind, lead document (0/1), source file, errors, warnings, *figures]`` with the
    figures of :data:`COLUMNS` rounded to 0.01 (null where unknown)."""
    frame = frame.sort_values(["region_order", "unit_name", "year", "kind"], na_position="last", kind="stable")
    region_index: dict[str, int] = {}
    region_list: list[list[Any]] = []
    unit_index: dict[str, int] = {}
    unit_list: list[list[Any]] = []
    rows = []
    for r in frame.itertuples(index=False):
        if r.region not in region_index:
            region_index[r.region] = len(region_list)
            region_list.append([_text(r.province), r.group, r.region])
        if r.unit_id not in unit_index:
            unit_index[r.unit_id] = len(unit_list)
            unit_list.append([r.unit_id, r.unit_name, region_index[r.region], int(bool(r.name_read))])
        year = None if pd.isna(r.year) else int(r.year)
        rows.append([unit_index[r.unit_id], year, _text(r.kind), int(bool(r.latest)), _text(r.file),
                     int(r.findings_error), int(r.findings_warning),
                     *(_number(getattr(r, key)) for key, _, _ in COLUMNS)])
    return {"columns": [[k, h, f] for k, h, f in COLUMNS], "kinds": dict(KIND_LABELS),
            "quality": QUALITY_LABELS, "unread": "未能读出单位名称", "regions": region_list,
            "units": unit_list, "rows": rows}


def panel_budget(documents: int) -> int:
    """The most bytes ``panel.html`` may take for this many documents (:data:`BUDGET_FIXED`)."""
    return BUDGET_FIXED + BUDGET_PER_DOCUMENT * documents


def index_budget(units: int) -> int:
    """The most bytes ``index.html`` may take for this many units."""
    return BUDGET_INDEX_FIXED + BUDGET_INDEX_PER_UNIT * units


def _text(v: Any) -> str:
    """A text cell, "" for None or NaN (pandas turns a missing text into NaN)."""
    return v if isinstance(v, str) else ""


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</`` can close it)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def inline_script(name: str) -> str:
    """A script of ``templates/`` for inlining (pages load nothing from outside)."""
    return (TEMPLATES / name).read_text(encoding="utf-8").replace("</script", "<\\/script")


def explorer(frame: pd.DataFrame) -> str:
    """The interactive table of every document (see the module docstring); without a script the
    block says so and the static summaries below it still read."""
    if frame is None or not len(frame):
        return "<p>没有已处理的文件。</p>"
    data = panel_data(frame)
    years = sorted({r[1] for r in data["rows"] if r[1] is not None})
    kinds = [k for k in KIND_LABELS if any(r[2] == k for r in data["rows"])]
    opt = "".join
    controls = (
        '<div class="controls" role="search">'
        '<label>搜索 <input type="search" id="x-q" placeholder="单位名称、地区或文件名"></label>'
        '<label>地区 <select id="x-region"><option value="">全部地区</option></select></label>'
        '<label>类型 <select id="x-kind"><option value="">全部类型</option>'
        + opt(f'<option value="{k}">{KIND_LABELS[k]}</option>' for k in kinds) + "</select></label>"
        '<label>年度 <select id="x-year"><option value="latest">各单位最近一份</option><option value="">全部年度</option>'
        + opt(f'<option value="{y}">{y}</option>' for y in years) + "</select></label>"
        '<label>数据质量 <select id="x-quality"><option value="">全部</option>'
        + opt(f'<option value="{k}">{v}</option>' for k, v in QUALITY_LABELS.items())
        + '<option value="unread">未能读出单位名称</option></select></label>'
        "</div>"
    )
    return (
        f'<section class="explorer" id="explorer" data-units="{len(data["units"])}" data-rows="{len(data["rows"])}">'
        f"{controls}"
        '<p class="meta" id="x-status" aria-live="polite"></p>'
        '<div class="scroll"><table class="data explorer-table" id="x-table"><thead></thead><tbody></tbody></table></div>'
        '<p class="pager"><button type="button" id="x-prev">上一页</button> <span id="x-page"></span> '
        '<button type="button" id="x-next">下一页</button></p>'
        f"<noscript><p>本表需要浏览器启用脚本才能排序、筛选和搜索；共{len(data['units'])}个单位、"
        f"{len(data['rows'])}份文件，下文的分布、排名和按地区汇总不需要脚本。</p></noscript>"
        f'<script type="application/json" id="panel-data">{script_json(data)}</script>'
        f"<script>{inline_script('panel.js')}</script></section>"
    )


def region_summary(latest: pd.DataFrame) -> pd.DataFrame:
    """Per city-level group (each unit's lead document): units, medians of the main ratios and the
    documents with errors or warnings; in registry order, unknown last."""
    cols = ["group", "units", "basic_share", "fiscal_dependency", "office_operation_per_staff", "errors", "warnings"]
    if latest is None or not len(latest):
        return pd.DataFrame(columns=cols)
    out = []
    for group, part in sorted(latest.groupby("group", sort=False), key=lambda g: g[1]["region_order"].min()):
        out.append({"group": group, "units": part["unit_id"].nunique(),
                    "basic_share": _median(part["basic_share"]), "fiscal_dependency": _median(part["fiscal_dependency"]),
                    "office_operation_per_staff": _median(part["office_operation_per_staff"]),
                    "errors": int((part["quality"] == "error").sum()),
                    "warnings": int((part["quality"] == "warning").sum())})
    return pd.DataFrame(out, columns=cols)


def _median(values: pd.Series) -> float | None:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return float(v.median()) if len(v) else None


def region_table(latest: pd.DataFrame) -> str:
    """:func:`region_summary` as a static table."""
    summary = region_summary(latest)
    if not len(summary):
        return ""
    return prose.html_table(summary, [("group", "地区", prose.esc), ("units", "单位数", prose.esc),
                                      ("basic_share", "基本支出占比（中位数）", prose.percent),
                                      ("fiscal_dependency", "财政拨款依存度（中位数）", prose.percent),
                                      ("office_operation_per_staff", "人均机关运行经费（中位数，万元/人）", prose.number),
                                      ("errors", "有数字矛盾的单位", prose.esc), ("warnings", "有可能问题的单位", prose.esc)],
                            numeric=["units", "basic_share", "fiscal_dependency", "office_operation_per_staff",
                                     "errors", "warnings"],
                            caption="各单位最近一份文件，按地区（地区由单位名称按行政区划登记表识别）")


def short_name(name: str, limit: int = 14) -> str:
    """A unit name cut for a chart label (the full name is in the table)."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def ranked(latest: pd.DataFrame, key: str) -> tuple[list[str], list[float]]:
    """Labels (short name) and values of the units that have ``key``, for :func:`charts.top_bottom`."""
    part = latest[pd.to_numeric(latest[key], errors="coerce").notna()]
    return [short_name(n) for n in part["unit_name"]], [float(v) for v in part[key]]


def quality_counts(frame: pd.DataFrame) -> tuple[list[str], dict[str, list[int]]]:
    """Documents per year and kind by data-quality state (for :func:`charts.quality_overview`)."""
    if frame is None or not len(frame):
        return [], {}
    keys = sorted({(None if pd.isna(y) else int(y), k) for y, k in zip(frame["year"], frame["kind"], strict=True)},
                  key=lambda p: (p[0] is None, p[0] or 0, list(KIND_LABELS).index(p[1]) if p[1] in KIND_LABELS else 9))
    labels = [f"{y if y is not None else '年度不明'}{prose.KIND_WORDS.get(k, k)}" for y, k in keys]
    counts: dict[str, list[int]] = {q: [] for q in QUALITY_LABELS}
    years = frame["year"].astype("object").where(frame["year"].notna(), None)
    for y, k in keys:
        part = frame[(years == y) & (frame["kind"] == k)] if y is not None else frame[years.isna() & (frame["kind"] == k)]
        for q in QUALITY_LABELS:
            counts[q].append(int((part["quality"] == q).sum()))
    return labels, counts


def region_quality(latest: pd.DataFrame, limit: int = 20) -> tuple[list[str], dict[str, list[int]]]:
    """Units per region group by data-quality state: the ``limit`` largest groups, the rest as one bar."""
    if latest is None or not len(latest):
        return [], {}
    sizes = latest.groupby("group", sort=False)["unit_id"].nunique().sort_values(ascending=False, kind="stable")
    shown = list(sizes.index[:limit])
    rest = list(sizes.index[limit:])
    labels = shown + ([f"其他{len(rest)}个地区"] if rest else [])
    counts: dict[str, list[int]] = {q: [] for q in QUALITY_LABELS}
    for members in [[g] for g in shown] + ([rest] if rest else []):
        part = latest[latest["group"].isin(members)]
        for q in QUALITY_LABELS:
            counts[q].append(int((part["quality"] == q).sum()))
    return labels, counts


def distribution_values(latest: pd.DataFrame) -> list[tuple[str, str, list[float]]]:
    """(key, axis unit, values) of :data:`DISTRIBUTIONS` over the units' lead documents."""
    out = []
    for key, unit in DISTRIBUTIONS:
        values = [float(v) for v in pd.to_numeric(latest[key], errors="coerce").dropna()] if len(latest) else []
        out.append((key, unit, values))
    return out


def distributions(latest: pd.DataFrame) -> str:
    """The distribution charts of :data:`DISTRIBUTIONS` in a grid, each ready for the reader's unit
    to be marked (the ◎ of a table row, or ``panel.html#u=<unit_id>``)."""
    from . import charts

    titles = {k: h for k, h, _ in COLUMNS}
    figures = [charts.to_html_marked(charts.histogram(values, titles[key], unit), key, f"{titles[key]}分布")
               for key, unit, values in distribution_values(latest)]
    figures = [f for f in figures if f]
    if not figures:
        return "<p>各单位均未列出可比较的结构比率。</p>"
    return ('<p class="meta" id="x-marked" hidden>图中橙色竖线标出：<span></span> '
            '<button type="button">取消标出</button></p>'
            f'<div class="dists">{"".join(figures)}</div>')


def provenance(units: Sequence[Unit], limit: int = 200) -> str:
    """The panel's provenance: every source file with its sha256 while there are at most ``limit``;
    beyond that the count and one digest over all of them (each unit page lists its own files)."""
    import hashlib

    from .report import provenance as full

    docs = [d for u in units for d in u.documents]
    if len(docs) <= limit:
        return full(docs)
    digest = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d.doc_id):
        digest.update(f"{prose.source_file(d)}\t{metrics.contract(d).get('source', {}).get('sha256', '')}\n".encode())
    note = (f'<p class="meta">本页汇总{len(docs)}份源文件；各单位页面列出其源文件及 sha256。全部源文件'
            f"（按文件编号排序的“文件名 TAB sha256”清单）的 sha256 为 <code>{digest.hexdigest()}</code>。</p>")
    return full([]).replace("<h2>数据来源与生成信息</h2>", "<h2>数据来源与生成信息</h2>" + note, 1)

