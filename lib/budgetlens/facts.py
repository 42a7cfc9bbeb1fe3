"""The contract's facts, ``function_totals`` and the 三公 total, read from canonical tables.

Table sources are declared in ``registry/facts.yaml``; the narrative fills what no table
prints (``narrative.py``). Where a table prints a fact the table wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from .canonical import CanonicalTable
from .registry import classification, normalise_label

FACT_KEYS = [
    "revenue_total", "expenditure_total", "grand_total", "carryover_begin", "carryover_end",
    "fiscal_revenue", "general_budget_revenue", "gov_fund_revenue", "state_capital_revenue",
    "basic_expenditure", "project_expenditure", "general_budget_expenditure",
    "personnel_expenditure", "public_expenditure", "three_public_total", "office_operation",
    "procurement_total", "staff_authorized", "staff_actual", "vehicles",
]
COUNT_KEYS = {"staff_authorized", "staff_actual", "vehicles"}
SUMMED = "Σ"  # the text of a fact summed from economic classes (人员经费 = 301 + 303), not printed as such
SPLIT_KEYS = ("personnel_expenditure", "public_expenditure")  # the two halves of 基本支出 (one split)


@dataclass
class FactValue:
    """A fact with its provenance (which table and row, or which narrative line)."""

    value: float | int
    source: str  # "table" | "narrative" | "derived"
    table: str | None = None
    row: str | None = None
    line: int | None = None
    text: str | None = None

    @property
    def summed(self) -> bool:
        """Summed from economic classes (人员经费 = 301 + 303) where the table prints no such row."""
        return (self.text or "").startswith(SUMMED)


@dataclass
class Facts:
    values: dict[str, FactValue] = field(default_factory=dict)

    def get(self, key: str) -> float | int | None:
        fv = self.values.get(key)
        return None if fv is None else fv.value

    def set(self, key: str, fv: FactValue, *, overwrite: bool = False) -> None:
        if overwrite or key not in self.values:
            self.values[key] = fv

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {}
        for key in FACT_KEYS + sorted(k for k in self.values if k not in FACT_KEYS):
            if key in self.values and key not in helper_keys():
                v = self.values[key].value
                out[key] = int(v) if key in COUNT_KEYS else _clean_float(v)
        return out


def _clean_float(v: float | int | str) -> float | str:
    if isinstance(v, str):
        return v
    return round(float(v), 6)


@lru_cache(maxsize=1)
def _registry() -> dict:
    text = resources.files("budgetlens.registry").joinpath("facts.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def fact_sources() -> dict[str, list[dict]]:
    """Where each fact is read, in order of preference: registry ``facts``."""
    return _registry()["facts"]


@lru_cache(maxsize=1)
def helper_keys() -> frozenset[str]:
    """Figures read only to check or derive facts (not reported): registry ``helpers``."""
    return frozenset(_registry().get("helpers", []))


def tables_by_kind(tables: list[CanonicalTable]) -> dict[str, CanonicalTable]:
    """The first table of each kind that prints figures (else the first of that kind): a 目录 line
    read as a title, or an empty 上年结转 variant, must not hide the table itself."""
    out: dict[str, CanonicalTable] = {}
    for t in tables:
        if t.id not in out or (out[t.id].empty and not t.empty):
            out[t.id] = t
    return out


@dataclass(frozen=True)
class _Cell:
    section: str
    row: int
    code: str | None
    key: str  # normalised name
    name: str
    measure: str | None
    value: float | None
    line: int


def _cells(table: CanonicalTable) -> list[_Cell]:
    """The table's frame as plain records, once per table (lookups run many times per document)."""
    cached = table.__dict__.get("_fact_cells")
    if cached is None:
        f = table.frame
        cached = [
            _Cell(section=str(sec) if isinstance(sec, str) else "", row=int(row),
                  code=code if isinstance(code, str) else None,
                  key=normalise_label(name) if isinstance(name, str) else "", name=name if isinstance(name, str) else "",
                  measure=measure if isinstance(measure, str) else None,
                  value=None if value is None or value != value else float(value), line=int(line))
            for sec, row, code, name, measure, value, line in zip(
                f["section"], f["row"], f["code"], f["name"], f["measure"], f["value"], f["line"], strict=True)
        ]
        table.__dict__["_fact_cells"] = cached
    return cached


@lru_cache(maxsize=1)
def _summary_row_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The income-side labels of this year's total, the carry-over and the grand total (registry
    ``facts``: revenue_total, carryover_begin, grand_total of the income_expenditure_summary)."""
    def words(key: str) -> frozenset[str]:
        return frozenset(normalise_label(r.removeprefix("=")) for spec in fact_sources()[key]
                         if spec["table"] == "income_expenditure_summary" and spec.get("section") == "income"
                         for r in spec.get("rows", []))
    return words("revenue_total"), words("carryover_begin"), words("grand_total")


def _carryover_parts(cells: list[_Cell]) -> set[int]:
    """Rows that break the carry-over down by fund (本年收入合计 | 上年结转结余 | 一、一般公共预算拨款 |
    二、政府性基金预算拨款 | 收入总计): they repeat this year's fund labels but are not this year's
    revenue, so no revenue fact is read from them. Only between a carry-over row that follows this
    year's total and the grand total."""
    totals, heads, grand = _summary_row_words()
    out: set[int] = set()
    for section in {c.section for c in cells}:
        rows = sorted({(c.row, c.key) for c in cells if c.section == section})
        seen_total = inside = False
        for row, key in rows:
            if key in grand:
                inside = False
            elif inside:
                out.add(row)
            elif key in heads and seen_total:
                inside = True
            elif key in totals:
                seen_total = True
    return out


def _row_match(cells: list[_Cell], aliases: list[str]) -> list[_Cell]:
    """Cells of the rows whose name is one of the aliases (exact first, then a long alias as a prefix;
    an alias written ``=财政拨款`` matches only exactly, where its prefix would name other rows)."""
    for alias in aliases:
        a = normalise_label(alias.removeprefix("="))
        hit = [c for c in cells if c.key == a]
        if hit:
            return hit
    for alias in aliases:
        a = normalise_label(alias)
        if len(a) < 4 or alias.startswith("="):
            continue
        hit = [c for c in cells if c.key.startswith(a)]
        if hit:
            return hit
    return []


def _is_total_alias(alias: str) -> bool:
    return normalise_label(alias) in {"合计", "总计"}


def lookup(table: CanonicalTable, spec: dict, doc_kind: str | None = None) -> tuple[float | None, dict | None]:
    """Apply one source spec to a table: (value, evidence) or (None, None) when not printed.

    A measure printed under a 预算数/决算数 group (``personnel@budget``: 预算数 over 合计 | 人员经费 |
    公用经费) is that measure in the group this kind of document reports."""
    cells = _cells(table)
    if not cells:
        # Nothing printed under the title: 0 only when the table says it is empty (本表无数据);
        # otherwise its rows were not read, which says nothing about the figure.
        if table.empty and table.empty_declared and spec.get("zero_if_empty", True):
            return 0.0, {"table": table.id, "row": None, "line": table.line}
        return None, None
    sec = spec.get("section")
    if sec:
        cells = [c for c in cells if c.section.startswith(sec)]
    if sec == "income":
        parts = _carryover_parts(cells)
        cells = [c for c in cells if c.row not in parts]
    if not cells:
        return None, None
    rows = spec.get("rows", [])
    if spec.get("codes"):
        hit = [c for c in cells if c.code in spec["codes"]]  # classes summed (人员经费 = 301 + 303)
    elif rows == ["*"]:
        hit = cells
    else:
        hit = _row_match(cells, rows)
        unlabelled = not any(c.key or c.code for c in cells)
        if not hit and unlabelled and len({c.row for c in cells}) == 1 and any(_is_total_alias(r) for r in rows):
            hit = cells  # a one-row table printing only its totals (合计 | 基本支出 | 项目支出 …)
    if not hit:
        return None, None
    measure = spec.get("measure")
    if not spec.get("sum"):
        hit = [c for c in hit if c.row == hit[0].row]
    if measure:
        vals = [c for c in hit if c.measure == measure]
        if not vals and doc_kind is not None:
            measure = f"{measure}@{doc_kind}"
            vals = [c for c in hit if c.measure == measure]
    else:
        # A label/amount row: its first amount (the 金额/预算数 column), per row.
        seen: set[int] = set()
        vals = []
        for c in hit:
            if c.measure is not None and c.row not in seen:
                seen.add(c.row)
                vals.append(c)
    evidence = {"table": table.id, "row": hit[0].name, "line": hit[0].line}
    values = [c.value for c in vals if c.value is not None]
    if values:
        return float(sum(values)), evidence
    # The row is printed but blank: the table says there is none.
    if measure and measure not in {c.measure for c in _cells(table)}:
        return None, None
    return 0.0, {**evidence, "blank": True}


def facts_from_tables(tables: list[CanonicalTable], doc_kind: str) -> Facts:
    by_kind = tables_by_kind(tables)
    facts = Facts()
    for key, sources in fact_sources().items():
        # A blank row counts as 0 only when no later source prints the figure: a printed figure is
        # read, a blank one inferred (and a header word scattered into the rows reads as blank).
        blank: FactValue | None = None
        for spec in sources:
            if spec.get("doc_kinds") and doc_kind not in spec["doc_kinds"]:
                continue
            # A spec by codes reads the first table of its kind that prints them (a template prints its
            # 一般公共预算支出表 twice, by function and by economic class), and none that prints the split.
            table = by_kind.get(spec["table"]) if not spec.get("codes") else next(
                (t for t in tables if t.id == spec["table"] and any(c.code in spec["codes"] for c in _cells(t))), None)
            if spec.get("codes") and (blank is not None or (table is not None and _prints_split(table))):
                continue  # the template prints 人员经费/公用经费: read or derived from them, not summed
            if table is None:
                continue
            value, ev = lookup(table, spec, doc_kind)
            if value is None:
                continue
            fv = FactValue(value=value, source="table", table=ev["table"], row=ev["row"], line=ev["line"],
                           text=BLANK if ev.get("blank") else SUMMED + "+".join(spec["codes"]) if spec.get("codes") else None)
            if ev.get("blank"):
                blank = blank or fv
                continue
            facts.set(key, fv)
            break
        else:
            if blank is not None:
                facts.set(key, blank)
    _check_summed_parts(facts, tables)
    three = three_public_total(by_kind.get("three_public"), doc_kind)
    if three is not None:
        facts.set("three_public_total", three)
    _drop_blank_parts(facts)
    _derive(facts, _carryover_sides(by_kind.get("income_expenditure_summary")))
    _derive_project(facts, by_kind.get("expenditure"))
    return facts


def _carryover_sides(summary: CanonicalTable | None) -> set[str]:
    """The sides whose carry-over row the summary prints: by the row's words (上年结转 opens the
    year, 结转下年 closes it) wherever a scrambled layout put the row, else by its section."""
    if summary is None:
        return set()
    words = {side: [normalise_label(w) for spec in fact_sources()[key] for w in spec.get("rows", [])]
             for side, key in (("income", "carryover_begin"), ("expenditure", "carryover_end"))}
    sides = set()
    for name, section in zip(summary.frame["name"].fillna("").astype(str), summary.frame["section"], strict=True):
        label = normalise_label(name)
        if not re.search("结转|结余|^上年结", label):
            continue
        by_words = [side for side, ws in words.items() if any(label.startswith(w) for w in ws)]
        sides.add(by_words[0] if len(by_words) == 1 else "income" if section == "income" else "expenditure")
    return sides


OTHER_EXPENDITURE = ("remit_upper", "operating_expenditure", "subsidy_affiliated", "reserve")


def _derive_project(facts: Facts, table: CanonicalTable | None) -> None:
    """本年支出 = 基本支出 + 项目支出 (+ 上缴上级, 经营, 对附属单位补助, 预留机动): 项目支出 whose cells
    were not read is the total less the others, when the 支出表 prints the total and 基本支出 and
    every other category it has is read."""
    if "project_expenditure" in facts.values or table is None:
        return
    total, basic = facts.get("expenditure_total"), facts.get("basic_expenditure")
    src = facts.values.get("basic_expenditure")
    if total is None or basic is None or src is None or src.table != "expenditure" or not src.row:
        return
    others = [lookup(table, {"rows": [src.row], "measure": m})[0] for m in OTHER_EXPENDITURE]
    other = sum(v for v in others if v is not None)
    if total - basic - other >= 0:
        facts.set("project_expenditure", FactValue(
            value=round(total - basic - other, 6), source="derived",
            text="本年支出合计 − 基本支出" + ("（− 其他支出类别）" if other else "")))


BLANK = "空白"  # a fact read as 0 because its printed row is blank


def _check_summed_parts(facts: Facts, tables: list[CanonicalTable]) -> None:
    """人员经费 and 公用经费 summed from economic classes stand only when together they make the
    table's 合计 (the classes of its 基本支出 are all 人员 or 公用): else the template puts other
    classes in it and the split is unknown."""
    parts = [facts.values.get(k) for k in SPLIT_KEYS]
    summed = [p for p in parts if p is not None and p.summed]
    if not summed:
        return
    table = next((t for t in tables if t.id == summed[0].table), None)
    spec = next((s for s in fact_sources()[SPLIT_KEYS[0]] if s.get("codes") and s["table"] == summed[0].table), {})
    whole = lookup(table, {"rows": ["合计", "总计"], "measure": spec.get("measure")})[0] if table is not None else None
    ok = whole is not None and all(p is not None for p in parts) \
        and abs(sum(float(p.value) for p in parts) - whole) <= 0.005 * 5 + 1e-6
    if not ok:
        for k, p in zip(SPLIT_KEYS, parts, strict=True):
            if p is not None and p.summed:
                del facts.values[k]


def _prints_split(table: CanonicalTable) -> bool:
    """The table prints 人员经费 or 公用经费, as a column or a row (blank or not)."""
    return any(c.measure in ("personnel", "public") or c.key in ("人员经费", "公用经费") for c in _cells(table))


def drop_summed_parts(facts: Facts, stated: dict[str, list[float]]) -> None:
    """人员经费 and 公用经费 summed from economic classes give way to a split the document states in
    words that differs from them (its own definition: Fuzhou's, Shenzhen's 公用经费 count part of 303),
    both at once so that the two halves of one split are never mixed."""
    summed = {k: facts.values[k] for k in SPLIT_KEYS if k in facts.values and facts.values[k].summed}
    if not any(abs(v - float(summed[k].value)) > 0.005 + 1e-6 for k in summed for v in stated.get(k, ())):
        return
    for k in summed:
        del facts.values[k]


def _drop_blank_parts(facts: Facts) -> None:
    """A blank row means 0 only when the table's own whole agrees: a part read blank while the whole
    exceeds the other parts is a misread layout (cells scattered off their rows), not a fact."""
    for whole, parts in _registry().get("wholes", {}).items():
        w = facts.get(whole)
        if not w:
            continue
        present = [p for p in parts if p in facts.values]
        blank = [p for p in present if facts.values[p].text == BLANK]
        if not blank:
            continue
        residual = w - sum(facts.values[p].value for p in present if p not in blank)
        if residual > 0.005 * len(present) + 1e-6:
            for p in blank:
                del facts.values[p]


FUND_PARTS = {"general_budget_revenue": "一般公共预算", "gov_fund_revenue": "政府性基金", "state_capital_revenue": "国有资本经营"}


def derive_fund_part(facts: Facts) -> None:
    """财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营: the one fund whose figure was not read
    is the printed whole less the other two (once the narrative has said, e.g., 无政府性基金预算)."""
    whole = facts.values.get("fiscal_revenue")
    missing = [k for k in FUND_PARTS if k not in facts.values]
    if whole is None or whole.source == "derived" or len(missing) != 1:
        return
    others = [k for k in FUND_PARTS if k != missing[0]]
    rest = whole.value - sum(facts.values[k].value for k in others)
    if rest > -0.005:
        facts.set(missing[0], FactValue(value=round(max(rest, 0.0), 6), source="derived",
                                        text="财政拨款收入 − " + " − ".join(FUND_PARTS[k] for k in others)))


def _derive(facts: Facts, carryover_printed: set[str] | frozenset[str] = frozenset()) -> None:
    """Facts the contract defines from others: 财政拨款收入; no carry-over when 总计 = 本年合计;
    本年支出 = 支出总计 − 年末结转."""
    parts = [facts.get(k) for k in FUND_PARTS]
    if "fiscal_revenue" not in facts.values and parts[0] is not None:
        facts.set("fiscal_revenue", FactValue(value=round(sum(p or 0.0 for p in parts), 6), source="derived",
                                              text="一般公共预算 + 政府性基金 + 国有资本经营"))
    # 总计 = 本年收入 + 上年结转 (+ other non-negative items): where the summary prints carry-over
    # rows that were not read (wrapped past reading), equal totals mean nothing was carried over.
    grand = facts.get("grand_total")
    for key, side, part, text in (("carryover_begin", "income", "revenue_total", "收入总计 = 本年收入合计"),
                                  ("carryover_end", "expenditure", "expenditure_total", "支出总计 = 本年支出合计")):
        if side in carryover_printed and key not in facts.values and grand is not None and facts.get(part) is not None \
                and abs(grand - facts.get(part)) < 0.005:
            facts.set(key, FactValue(value=0.0, source="derived", text=text))
    # 一般公共预算基本支出 = 人员经费 + 公用经费: one part missing (its row unread) is the whole less the other.
    whole = facts.get("general_budget_basic")
    parts = {k: facts.get(k) for k in ("personnel_expenditure", "public_expenditure")}
    missing = [k for k, v in parts.items() if v is None]
    if whole is not None and len(missing) == 1:
        other = next(v for v in parts.values() if v is not None)
        if whole - other >= 0:
            facts.set(missing[0], FactValue(value=round(whole - other, 6), source="derived",
                                            text="一般公共预算基本支出合计 − " + ("公用经费" if missing[0].startswith("personnel")
                                                                          else "人员经费")))
    if "expenditure_total" not in facts.values and facts.get("grand_total") is not None:
        end = facts.get("carryover_end") or 0.0
        facts.set("expenditure_total", FactValue(value=round(facts.get("grand_total") - end, 6), source="derived",
                                                 text="支出总计 − 年末结转和结余"))


# --- 三公 -------------------------------------------------------------------------------

THREE_PUBLIC_ITEMS = {
    "abroad": re.compile(r"因公出国"),
    "vehicle": re.compile(r"公务用车购置及运行(?:维护)?费?(?:小计)?|公务用车购置及运行维护|公务用车费?$|^小计$"),
    "vehicle_purchase": re.compile(r"公务用车购置经?费?$|车辆购置|^购置经?费$"),
    "vehicle_operation": re.compile(r"公务用车运行(?:维护)?费?$|^运行(?:维护)?费$"),
    "reception": re.compile(r"公务接待"),
    "total": re.compile(r"^(?:合计|总计|\"?三公\"?经费(?:支出)?(?:合计|小计)?|小计合计)$"),
}


def _three_item(label: str) -> str | None:
    n = normalise_label(label)
    n = re.sub(r"^(?:其中[:：]?|[①②③④⑤]|\d[.、])", "", n)
    for item in ("total", "abroad", "vehicle_purchase", "vehicle_operation", "vehicle", "reception"):
        if THREE_PUBLIC_ITEMS[item].search(n):
            return item
    return None


def three_public_total(table: CanonicalTable | None, doc_kind: str) -> FactValue | None:
    """The 三公 total: 决算数 for a final, 预算数 for a budget; only the three 三公 items count.

    Handles item rows (因公出国 | 公务接待 | 公务用车… as rows) and item columns (the 决算
    template's 预算数/决算数 column groups), and tables that add 会议费/培训费 columns.
    """
    if table is None:
        return None
    if table.empty and (table.empty_declared or len(table.frame)):
        return FactValue(value=0.0, source="table", table=table.id, line=table.line, text="本表无数据")
    if table.empty:
        return None  # nothing read under the title: not a statement that there is none
    f = table.frame.dropna(subset=["value"])
    if not len(f):
        return FactValue(value=0.0, source="table", table=table.id, line=table.line)
    want = "final" if doc_kind == "final" else "budget"
    items: dict[str, float] = {}
    # Orientation 1: items as rows, amount in the first total-like column.
    for _, g in f.groupby("row", sort=False):
        item = _three_item(str(g["name"].iloc[0] or ""))
        if item is None:
            continue
        col = g[g["measure"] == want]  # a 预算数 | 决算数 pair: the one this kind of document reports
        if not len(col):
            col = g[g["measure"] == "total"]
        if not len(col):
            col = g
        items.setdefault(item, float(col["value"].iloc[0]))
    if not items:
        # Orientation 2: items as columns (measure names carry the header text); rows by year
        # (2023年预算数 | 2024年预算数, 上年 | 本年) give this year's, rows by kind (预算数 | 决算数) the
        # one this kind of document reports.
        f = _this_years_row(f, want)
        for _, r in f.iterrows():
            m = str(r["measure"])
            if "@" in m:  # a 预算数/决算数 column group: keep the one this kind of document reports
                m, group = m.split("@", 1)
                if group != want:
                    continue
            item = _three_item(m.split("/")[-1]) or ("total" if m in ("total", want) else None)
            if item:
                items.setdefault(item, float(r["value"]))
    return _three_from_items(items, table)


def _this_years_row(f, want: str):
    """The rows of a 三公 table with its items as columns that print this document's figures."""
    names = f["name"].fillna("").map(normalise_label)
    years = names.str.extract(r"^(20\d{2})年", expand=False)
    if years.notna().any() and years.dropna().nunique() >= 2:
        return f[years == years.dropna().max()]
    if names.str.match(r"^(?:本年|当年)").any() and names.str.match(r"^(?:上年|去年)").any():
        return f[names.str.match(r"^(?:本年|当年)")]
    kind = names.str.extract(r"(预算|决算)数?$", expand=False)
    if kind.dropna().nunique() == 2:
        return f[kind == ("决算" if want == "final" else "预算")]
    return f


def _three_from_items(items: dict[str, float], table: CanonicalTable) -> FactValue | None:
    vehicle = items.get("vehicle")
    if vehicle is None and ("vehicle_purchase" in items or "vehicle_operation" in items):
        vehicle = items.get("vehicle_purchase", 0.0) + items.get("vehicle_operation", 0.0)
    parts = [items.get("abroad"), vehicle, items.get("reception")]
    if any(p is not None for p in parts):
        total = round(sum(p or 0.0 for p in parts), 6)
        return FactValue(value=total, source="table", table=table.id, text="因公出国(境)+公务用车购置及运行+公务接待")
    if "total" in items:
        return FactValue(value=items["total"], source="table", table=table.id)
    return None


# --- function totals ----------------------------------------------------------------------

FUNCTION_TABLES = ["expenditure", "income_expenditure_summary", "general_budget_expenditure", "fiscal_summary"]


def function_totals(tables: list[CanonicalTable]) -> tuple[dict[str, float], str | None]:
    """类-level expenditure by function code: all funds where printed, else 财政拨款/一般公共预算.

    Summary tables may print the classes by name only (一、一般公共服务支出); those names are
    mapped to their codes, and the summary still wins over a narrower table that prints codes."""
    by_kind = tables_by_kind(tables)
    # A table folded from unit blocks sums its classes; a table that prints them goes first.
    order = sorted(FUNCTION_TABLES, key=lambda k: bool(by_kind.get(k) is not None and by_kind[k].summed_rows))
    for kind in order:
        t = by_kind.get(kind)
        if t is None or not len(t.frame):
            continue
        f = t.frame
        summary = kind in ("income_expenditure_summary", "fiscal_summary")
        if summary:
            f = f[f["section"].isin(["expenditure", "function"])]
        f = f[(f["measure"] == "total") & f["value"].notna()]
        codes = f["code"].fillna("").astype(str)
        if not codes.str.len().eq(3).any() and summary:
            codes = f["name"].map(lambda name: function_code_for_name(str(name)) or "")
            numbered = f["label"].fillna("").astype(str).str.match(r"\s*[一二三四五六七八九十]+[、.．]")
            if (numbered & codes.ne("")).any():  # classes under 一、二、…: an unnumbered 住房保障 is a 款
                codes = codes.where(numbered, "")
        out: dict[str, float] = {}
        for code, value in zip(codes, f["value"], strict=False):
            if len(code) == 3 and value and code not in out:
                out[code] = float(value)
        if out:
            return out, kind
    return {}, None


@lru_cache(maxsize=1)
def _function_names() -> dict[str, str]:
    data = classification()
    names = {normalise_label(name): code for code, name in data["function_classes"].items()}
    for code, aliases in data.get("function_class_aliases", {}).items():
        names.update({normalise_label(a): code for a in aliases})
    return names


def function_code_for_name(name: str) -> str | None:
    """The 类 code of a class name; a name cut by a wrapped cell (社会保障和就) matches the one
    class name it begins, when it is long enough to say which."""
    key = normalise_label(name)
    names = _function_names()
    if key in names:
        return names[key]
    if len(key) >= 4:
        codes = {code for full, code in names.items() if full.startswith(key)}
        if len(codes) == 1:
            return codes.pop()
    return None
