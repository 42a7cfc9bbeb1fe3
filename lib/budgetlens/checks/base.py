"""The validator's building blocks: findings, the rule registry, and a context over one extraction.

Every rule is a small function ``(ctx) -> Iterable[Issue]`` registered with :func:`rule` under a
stable dotted id; :data:`RULES` is the one place rules are registered (the decorator fills it).
The :class:`Context` answers the questions every family asks: which table is which, how a cell
was printed, how much rounding ("尾数误差") a sum may carry, how to quote a number in a message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..numbers import decimals, format_number, parse_amount, to_wan
from ..registry import normalise_label

if TYPE_CHECKING:  # pragma: no cover
    from ..canonical import CanonicalTable
    from ..document import RawTable
    from ..extraction import Extraction
    from ..recognize import RecognizedTable

SEVERITIES = ("error", "warning", "info")
EPS = 1e-6


@dataclass
class Finding:
    """One inconsistency: a rule id, a severity, a Chinese message quoting printed figures, evidence."""

    rule: str
    severity: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``findings`` entry of the ``extract --json`` contract."""
        ev = {k: v for k, v in self.evidence.items() if v not in (None, [], {})}
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "evidence": ev}


@dataclass
class Issue:
    """What a rule function yields; the runner turns it into a :class:`Finding` with the rule's id."""

    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    severity: str | None = None  # None: the rule's default severity


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: str
    title: str
    func: Callable[[Context], Iterable[Issue]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str) -> Callable[[Callable], Callable]:
    """Register a rule function under ``rule_id`` (``family.name``) with its default severity."""
    if severity not in SEVERITIES:
        raise ValueError(severity)

    def deco(func: Callable[[Context], Iterable[Issue]]) -> Callable[[Context], Iterable[Issue]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(id=rule_id, family=rule_id.split(".", 1)[0], severity=severity, title=title,
                              func=func)
        return func

    return deco


def evidence(tables: Iterable[str] = (), rows: Iterable[Any] = (), values: Iterable[float | None] = (),
             lines: Iterable[int | None] = (), **extra: Any) -> dict[str, Any]:
    """The evidence dict: table ids, row labels, values in 万元, 1-based lines (duplicates dropped)."""

    def uniq(xs: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        for x in xs:
            if x is not None and x not in out:
                out.append(x)
        return out

    ev: dict[str, Any] = {
        "tables": uniq(tables),
        "rows": uniq(str(r) for r in rows if r not in (None, "")),
        "values": [round(float(v), 6) for v in values if v is not None],
        "lines": sorted(uniq(int(x) for x in lines if x)),
    }
    ev.update({k: v for k, v in extra.items() if v is not None})
    return ev


# --- measures and names -----------------------------------------------------------------

MEASURE_NAMES = {
    "total": "合计", "basic": "基本支出", "project": "项目支出", "remit_upper": "上缴上级支出",
    "operating_expenditure": "经营支出", "subsidy_affiliated": "对附属单位补助支出", "reserve": "预留机动经费",
    "fiscal": "财政拨款", "general_budget": "一般公共预算", "gov_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算", "upper_subsidy": "上级补助收入", "business_revenue": "事业收入",
    "operating_revenue": "经营收入", "affiliated_revenue": "附属单位上缴收入", "other_revenue": "其他收入",
    "special_account": "财政专户管理资金", "unit_funds": "单位资金", "carryover": "结转结余",
    "fiscal_carryover": "财政拨款结转", "nonfiscal_carryover": "非财政拨款结转结余", "current_year": "当年预算安排",
    "carryover_begin": "年初结转和结余", "carryover_end": "年末结转和结余", "personnel": "人员经费",
    "public": "公用经费", "budget": "预算数", "final": "决算数", "revenue": "本年收入",
}

TOTAL_NAMES = {"合计", "总计", "部门合计", "单位合计", "合计数", "本年支出合计", "本年收入合计"}


def measure_name(measure: str) -> str:
    """Chinese name of a canonical measure id (a column group's mark dropped: ``personnel@budget``)."""
    base = re.sub(r"(?:_2)+$", "", str(measure).split("@", 1)[0])
    return MEASURE_NAMES.get(base, base)


def is_total_name(name: str | None) -> bool:
    """Whether a row label is a total (合计/总计/…合计)."""
    n = normalise_label(name or "")
    return n in TOTAL_NAMES or (n.endswith(("合计", "总计")) and len(n) <= 8 and not re.search(r"\d", n))


# --- formatting ---------------------------------------------------------------------------


def fmt_number(value: float, decimals_: int = 2, comma: bool = True) -> str:
    """``1033.18`` → ``1,033.18`` (two decimals unless told): :func:`budgetlens.numbers.format_number`."""
    return format_number(value, decimals_, comma=comma)


def pct_text(p: float) -> str:
    """A percentage with two decimals."""
    return f"{p:.2f}%"


# --- the context ------------------------------------------------------------------------------

PERFORMANCE_IDS = {"project_performance", "project_targets", "unit_performance"}


@dataclass
class Row:
    """One logical row of a canonical table (a row × section), its printed measures in 万元."""

    table: CanonicalTable
    row: int
    section: str
    code: str | None
    name: str
    label: str
    line: int
    values: dict[str, float]
    partial: bool = False  # the text layer lost some of this row's cells: an absent measure is unknown
    parts: int = 1  # printed figures summed into each of its cells (a table folded from unit blocks)

    @property
    def display(self) -> str:
        return f"{self.code}{self.name}" if self.code else (self.name or self.label)

    def has_values(self) -> bool:
        return bool(self.values)


class Context:
    """One extraction seen by the rules: tables by id, printed cells, tolerances, message helpers."""

    def __init__(self, result: Extraction):
        self.result = result
        self.kind = result.kind
        self.tables: list[CanonicalTable] = [t for t in result.tables if t.kind_name is not None]
        # Each canonical table's recognised raw grid: same kind, same first line (the extraction may
        # canonicalise only some of the recognised tables).
        self._raw: dict[int, RecognizedTable] = {}
        rec_tables = list(result.recognition.tables) if result.recognition else []
        used: set[int] = set()
        for t in result.tables:
            match = next((i for i, rt in enumerate(rec_tables) if i not in used and rt.id == t.id
                          and rt.raw.line == t.line), None)
            if match is None:
                match = next((i for i, rt in enumerate(rec_tables) if i not in used and rt.id == t.id), None)
            if match is not None:
                used.add(match)
                self._raw[id(t)] = rec_tables[match]
        self.by_id: dict[str, CanonicalTable] = {}
        for t in self.tables:
            self.by_id.setdefault(t.id, t)
        self._rows_cache: dict[int, list[Row]] = {}
        self.cache: dict[str, dict] = {}  # per-rule memo (e.g. unreliable columns per table)

    # tables -------------------------------------------------------------------------
    def table(self, table_id: str) -> CanonicalTable | None:
        """The first table of a kind."""
        return self.by_id.get(table_id)

    def statement_tables(self) -> list[CanonicalTable]:
        """The first table of every standard (non-performance) kind."""
        return [t for t in self.by_id.values() if t.id not in PERFORMANCE_IDS]

    def table_name(self, t: CanonicalTable) -> str:
        """How messages name a table: its printed title (and label)."""
        title = re.sub(r"\s+", "", t.title or "") or (t.kind_name or t.id)
        if len(title) > 40:
            title = t.kind_name or t.id
        label = re.sub(r"\s+", "", t.label or "")
        return f"{title}（{label}）" if label and label not in title else title

    def rows(self, t: CanonicalTable) -> list[Row]:
        """Logical rows (row × section) in printed order, with their printed values by measure."""
        key = id(t)
        if key in self._rows_cache:
            return self._rows_cache[key]
        out: list[Row] = []
        f = t.frame
        if len(f):
            index: dict[tuple[int, str, str | None, str], Row] = {}
            for rec in f.itertuples(index=False):
                code = None if rec.code is None or rec.code != rec.code else str(rec.code)
                name = "" if rec.name is None or rec.name != rec.name else str(rec.name)
                label = "" if rec.label is None or rec.label != rec.label else str(rec.label)
                # Blocks of one section (the 基本支出明细表's 公用经费 blocks) share a row: code and
                # label tell them apart.
                k = (int(rec.row), str(rec.section), code, label)
                r = index.get(k)
                if r is None:
                    r = Row(table=t, row=int(rec.row), section=str(rec.section), code=code or None, name=name,
                            label=label, line=int(rec.line) if rec.line == rec.line else 0, values={},
                            partial=int(rec.row) in t.partial_rows, parts=t.summed_rows.get(int(rec.row), 1))
                    index[k] = r
                    out.append(r)
                m = rec.measure
                v = rec.value
                if m is not None and m == m and v is not None and v == v and m not in ("line_no",):
                    r.values.setdefault(str(m), float(v))
        self._rows_cache[key] = out
        return out

    # printed text -------------------------------------------------------------------
    def raw_row(self, t: CanonicalTable, row: int) -> list[str]:
        """The raw cells of one row of a table."""
        rt = self._raw.get(id(t))
        if rt is None or row >= len(rt.raw.rows):
            return []
        return rt.raw.rows[row]

    def raw_table(self, t: CanonicalTable) -> RawTable | None:
        """The raw grid a canonical table was read from."""
        rt = self._raw.get(id(t))
        return rt.raw if rt is not None else None

    def cell_measure(self, measure: str) -> str:
        """Chinese name of a measure column."""
        return measure_name(measure)

    def printed(self, r: Row, measure: str) -> str | None:
        """The cell text as printed for a row's measure (None when blank)."""
        v = r.values.get(measure)
        if v is None:
            return None
        return self.printed_value(r.table, r.row, v)

    def printed_value(self, t: CanonicalTable, row: int, value: float) -> str:
        """The printed text of a row's cell holding ``value`` (computed text when none)."""
        for cell in self.raw_row(t, row):
            p = parse_amount(cell)
            if p is not None and abs((to_wan(p, t.source_currency) or 0.0) - value) < 1e-9:
                return cell.strip()
        return self.fmt(value, t)

    def half_unit(self, t: CanonicalTable | None, printed: str | None = None) -> float:
        """Rounding of one printed amount, in 万元: half its last printed digit (两位小数 at least for 万元)."""
        unit = t.source_currency if t is not None else "万元"
        d = decimals(printed) if printed else 0
        if unit == "元":
            return 0.5 * 10 ** -d / 10000.0
        return 0.5 * 10 ** -max(d, 2)

    def tolerance(self, t: CanonicalTable | None, printed: Iterable[str | None]) -> float:
        """n addends may each be off by half a unit: Σ of their half-units (尾数误差)."""
        return sum(self.half_unit(t, p) for p in printed)

    def cell_tolerance(self, r: Row, measure: str) -> float:
        """Rounding of one cell: half its unit, once per printed figure summed into it."""
        return self.half_unit(r.table, self.printed(r, measure)) * r.parts

    def cells_tolerance(self, cells: Iterable[tuple[Row, str]]) -> float:
        """Σ of the cells' roundings (尾数误差 of a sum of them)."""
        return sum(self.cell_tolerance(r, m) for r, m in cells)

    def fmt(self, value: float, t: CanonicalTable | None = None, printed: Iterable[str | None] = ()) -> str:
        """A computed amount in the table's printed unit, with the printed precision."""
        unit = t.source_currency if t is not None else "万元"
        ds = [decimals(p) for p in printed if p]
        if unit == "元":
            return fmt_number(value * 10000.0, max(ds, default=0), comma=True)
        return fmt_number(value, max([2, *ds]), comma=self.uses_commas or abs(value) < 1000)

    def unit(self, t: CanonicalTable | None) -> str:
        """The unit a table prints (万元/元)."""
        return t.source_currency if t is not None else "万元"

    def money(self, value: float, t: CanonicalTable | None = None, printed: Iterable[str | None] = ()) -> str:
        """A computed amount with its unit."""
        return self.fmt(value, t, printed) + self.unit(t)

    def cell(self, r: Row, measure: str) -> str:
        """How a message names one cell: ``208社会保障和就业支出合计``, ``合计（基本支出）``."""
        if measure == "total":
            multi = len({m for x in self.rows(r.table) for m in x.values}) > 1
            return r.display if (is_total_name(r.name) or not multi) else r.display + "合计"
        return f"{r.display}（{measure_name(measure)}）"

    def quote(self, r: Row, measure: str) -> str:
        """``217.77万元`` as printed (a blank cell quotes as 空白)."""
        p = self.printed(r, measure)
        return "空白" if p is None else p + self.unit(r.table)

    @cached_property
    def uses_commas(self) -> bool:
        """Whether the document prints thousands separators."""
        for rt in self._raw.values():
            for row in rt.raw.rows[:80]:
                if any(re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", c.strip()) for c in row):
                    return True
        return False


def within(diff: float, tol: float) -> bool:
    """Whether a difference is within a tolerance."""
    return abs(diff) <= tol + EPS


def diff_severity(diff: float, tol: float) -> str | None:
    """None when equal; ``info`` within rounding; ``error`` beyond."""
    if abs(diff) <= EPS:
        return None
    return "info" if within(diff, tol) else "error"
