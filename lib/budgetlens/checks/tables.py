"""Table helpers shared by the rule families: rows by label, class hierarchies, totals, sides."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..canonical import CanonicalTable
from ..facts import function_code_for_name
from ..registry import classification, normalise_label, personnel_classes, table_kind
from .base import Context, Row, is_total_name

ORDINAL1_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]")
ORDINAL2_RE = re.compile(r"^\d+[、.．](?!\d)")

# Row labels of the 收支总表 / 财政拨款收支总表 (normalised, ordinal prefixes already stripped).
INCOME_ROWS = {
    "revenue": ["本年收入合计", "本年收入", "收入合计", "本年收入小计", "当年收入合计", "当年收入小计"],
    "nonfiscal": ["使用非财政拨款结余", "用事业基金弥补收支差额", "使用非财政拨款结余(含专用结余)", "使用专用结余"],
    "carry_begin": ["年初结转和结余", "年初结转结余", "上年结转", "上年结转结余", "上年结转和结余", "年初财政拨款结转和结余",
                    "上年财政拨款结转", "上年结余", "上年财政拨款结转结余", "上年结余、结转", "上年结余结转"],
    "grand": ["收入总计", "总计", "收入合计总计", "收入总计合计"],
    # Printed below 本年收入合计 in some templates (烟台): then they are added to it, like the 结转 lines.
    "after_total": ["上级补助收入", "附属单位上缴收入"],
}
EXPENDITURE_ROWS = {
    "expenditure": ["本年支出合计", "本年支出", "支出合计", "本年支出小计", "当年支出合计", "当年支出小计"],
    "distribution": ["结余分配"],
    "carry_end": ["年末结转和结余", "年末结转结余", "年终结转", "年末结转", "结转下年", "年终结转结余",
                  "年末财政拨款结转和结余", "年末财政拨款结转"],
    "grand": ["支出总计", "总计", "支出合计总计"],
    "after_total": ["对附属单位的补助支出", "对附属单位补助支出", "上缴上级支出"],
}
FUND_ROWS = {
    "general_budget": ["一般公共预算财政拨款收入", "一般公共预算财政拨款", "一般公共预算拨款", "一般公共预算拨款收入",
                       "一般公共预算", "一般公共预算收入", "公共财政拨款", "一般公共预算资金", "公共财政预算拨款",
                       "公共财政预算拨款收入", "公共预算拨款"],
    "gov_fund": ["政府性基金预算财政拨款收入", "政府性基金预算财政拨款", "政府性基金预算拨款", "政府性基金预算拨款收入",
                 "政府性基金预算", "基金预算拨款",
                 "政府性基金预算收入", "政府性基金收入", "政府性基金预算资金"],
    "state_capital": ["国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款", "国有资本经营预算拨款", "国有资本经营预算拨款收入",
                      "国有资本经营预算",
                      "国有资本经营预算收入", "国有资本经营预算资金"],
}
SOURCE_ROWS = {
    "upper_subsidy": ["上级补助收入"],
    "business_revenue": ["事业收入"],
    "operating_revenue": ["经营收入", "事业单位经营收入"],
    "affiliated_revenue": ["附属单位上缴收入"],
    "other_revenue": ["其他收入"],
    "special_account": ["财政专户管理资金", "财政专户核拨", "财政专户管理资金收入"],
    "unit_funds": ["单位资金"],
}
FISCAL_CARRY_ROWS = ["财政拨款结转", "年初财政拨款结转和结余", "上年财政拨款结转", "财政拨款结转结余", "财政拨款结余、结转"]
CARRY_MEASURES = {"carryover", "fiscal_carryover", "nonfiscal_carryover", "carryover_begin"}


def layout(t: CanonicalTable) -> str:
    """The registry layout of a table's kind (summary/classified/…)."""
    try:
        return table_kind(t.id).layout
    except KeyError:
        return "unknown"


def norm(name: str | None) -> str:
    """Normalised row name."""
    return normalise_label(name or "")


def is_income_side(r: Row) -> bool:
    """Whether a row sits on the income side of a summary table."""
    return r.section.startswith("income")


def side_rows(ctx: Context, t: CanonicalTable, side: str | None) -> list[Row]:
    """Rows of one side of a summary table (``income`` / ``expenditure``), or all rows."""
    rows = ctx.rows(t)
    if side is None:
        return rows
    if side == "income":
        return [r for r in rows if is_income_side(r)]
    return [r for r in rows if not is_income_side(r)]


def find_row(rows: Iterable[Row], aliases: Iterable[str]) -> Row | None:
    """The first row whose normalised name equals an alias (aliases tried in order)."""
    rows = list(rows)
    for alias in aliases:
        a = normalise_label(alias)
        for r in rows:
            if norm(r.name) == a:
                return r
    return None


def total_rows(rows: Iterable[Row]) -> list[Row]:
    """Uncoded rows named 合计/总计/…合计."""
    return [r for r in rows if not r.code and is_total_name(r.name)]


def table_is_empty(t: CanonicalTable) -> bool:
    """Declared empty, or printing no figure."""
    return bool(t.empty) or not len(t.frame) or not t.frame["value"].notna().any()


@lru_cache(maxsize=1)
def economic_classes() -> dict[str, str]:
    """Normalised 经济分类 类 names → code (also without a trailing 支出)."""
    data = classification()
    out: dict[str, str] = {}
    for code, name in data.get("economic_classes", {}).items():
        n = normalise_label(name)
        out[n] = str(code)
        out[re.sub(r"支出$", "", n)] = str(code)
    return out


def economic_class_of(name: str | None) -> str | None:
    """The 经济分类 类 code of a name printed without a code."""
    n = norm(name)
    return economic_classes().get(n) or economic_classes().get(re.sub(r"支出$", "", n))


def cost_group_tops(total: Row, rows: list[Row]) -> list[Row] | None:
    """The 类 rows a 人员经费合计 or 公用经费合计 sums, wherever its block printed them (by class code,
    all sections); None for any other total or where the classes are not coded."""
    n = norm(total.name)
    group = "personnel" if n.startswith("人员经费") else "public" if n.startswith("公用经费") else None
    tops = [r for r in rows if r.code and len(r.code) == 3 and r.code[0] in "35"]
    if group is None or not tops:
        return None
    return [r for r in tops if (r.code in personnel_classes()) == (group == "personnel")]


def function_class_of(r: Row) -> str | None:
    """The function 类 a row stands for: its 3-digit code, or a class name printed without one."""
    if r.code:
        return r.code if len(r.code) == 3 else None
    return function_code_for_name(r.name) if r.name else None


@lru_cache(maxsize=1)
def class_named_items() -> dict[str, frozenset[str]]:
    """类 code → the names of its 款 that are another class's name (``classification.yaml``)."""
    data = classification().get("class_named_items", {})
    return {str(code): frozenset(normalise_label(n) for n in names) for code, names in data.items()}


def _item_of_coded_class(rows: list[Row]) -> set[int]:
    """Rows printed without a code under a coded 类 whose 款 carry class names (其他支出 under 219
    援助其他地区支出 is 21999, not the class 229): their ids."""
    items, parent = set(), None
    for r in rows:
        if r.code:
            parent = r.code[:3] if len(r.code) >= 3 else parent
        elif parent and normalise_label(r.name or "") in class_named_items().get(parent, ()):
            items.add(id(r))
    return items


def class_rows(rows: list[Row]) -> list[Row]:
    """The rows that stand for function 类. Where classes are printed by name under 一、二、… ordinals
    (a 收支总表's 五、援助其他地区支出 / 住房保障), an unnumbered row is a 款 even when its name is a
    class's (住房保障 under 援助其他地区支出 is 21907, not 221); so is such a row under a coded class."""
    items = _item_of_coded_class(rows)
    classes = [r for r in rows if function_class_of(r) and id(r) not in items]
    if any(not r.code and ordinal_level(r) == 1 for r in classes):
        classes = [r for r in classes if r.code or ordinal_level(r) == 1]
    return classes


def hierarchy(ctx: Context, t: CanonicalTable, rows: list[Row] | None = None) -> Iterator[tuple[Row, list[Row], str]]:
    """(parent, children, children's level) for every 类 and 款 with children in the table.

    Codes give the tree (201 ⊃ 20113 ⊃ 2011302; a 类 with no 款 rows takes its 项 rows). A table
    printed without codes (经济分类 names only) takes each 类 name row and the rows after it.
    """
    rows = ctx.rows(t) if rows is None else rows
    coded = [r for r in rows if r.code]
    if coded:
        seen: dict[str, Row] = {}
        dup: set[str] = set()
        for r in coded:
            if r.code in seen:
                dup.add(r.code)
            else:
                seen[r.code] = r
        for r in coded:
            if r.code in dup or len(r.code) not in (3, 5):
                continue
            kids = [c for c in coded if len(c.code) == len(r.code) + 2 and c.code.startswith(r.code) and c.code not in dup]
            level = "款" if len(r.code) == 3 else "项"
            if not kids and len(r.code) == 3:
                kids = [c for c in coded if len(c.code) == 7 and c.code.startswith(r.code) and c.code not in dup]
                level = "项"
            if kids:
                yield r, kids, level
        return
    current: Row | None = None
    kids: list[Row] = []
    for r in rows:
        if economic_class_of(r.name):
            if current is not None and kids:
                yield current, kids, "款"
            current, kids = r, []
        elif is_total_name(r.name):
            if current is not None and kids:
                yield current, kids, "款"
            current, kids = None, []
        elif current is not None:
            kids.append(r)
    if current is not None and kids:
        yield current, kids, "款"


def top_level(ctx: Context, rows: list[Row]) -> list[Row]:
    """The rows a table's 合计 sums: 类 rows (3-digit codes or 经济分类 class names)."""
    coded = [r for r in rows if r.code]
    if coded:
        codes = {r.code for r in coded}
        tops = [r for r in coded if len(r.code) == 3]
        if tops:
            return tops
        # No 类 printed: every row no printed 款 covers (项 rows beside a 款 listed alone: 2121401 … 21298).
        return [r for r in coded if len(r.code) in (5, 7) and (len(r.code) == 5 or r.code[:5] not in codes)]
    return [r for r in rows if economic_class_of(r.name)]


def total_row(ctx: Context, t: CanonicalTable, rows: list[Row] | None = None) -> Row | None:
    """The table's 合计 row (an exact 合计/总计 first, else the first row named …合计)."""
    rows = ctx.rows(t) if rows is None else rows
    tots = total_rows(rows)
    exact = [r for r in tots if norm(r.name) in ("合计", "总计", "部门合计", "单位合计")]
    return (exact or tots or [None])[0]


def basic_total(ctx: Context, t: CanonicalTable) -> tuple[float | None, Row | None]:
    """The 基本支出表's total: its 合计 row, else 人员经费合计 + 公用经费合计."""
    rows = ctx.rows(t)
    tr = next((r for r in rows if norm(r.name) in ("合计", "总计") and "total" in r.values), None)
    if tr is not None:
        return tr.values["total"], tr
    parts = [r for r in rows if norm(r.name) in ("人员经费合计", "公用经费合计") and r.values]
    if len(parts) == 2:
        return sum(r.values.get("total", 0.0) for r in parts), None
    return None, None


def table_total(ctx: Context, t: CanonicalTable | None, measure: str = "total") -> tuple[float | None, Row | None]:
    """A table's total in one measure: its 合计 row; Σ 类 rows when it prints none; 0 when empty."""
    if t is None:
        return None, None
    if table_is_empty(t):
        return 0.0, None
    rows = ctx.rows(t)
    spent = [r for r in rows if r.section == "expenditure"]
    if spent and len(spent) < len(rows):  # a 收入 | 支出 table (国有资本经营预算收支表): its 支出 total
        rows = spent
    tr = total_row(ctx, t, rows)
    if tr is not None:
        return tr.values.get(measure, 0.0 if tr.values else None), tr
    tops = top_level(ctx, rows)
    if tops:
        return sum(r.values.get(measure, 0.0) for r in tops), None
    return None, None


def class_values(ctx: Context, t: CanonicalTable | None, measure: str = "total",
                 side: str | None = None) -> dict[str, tuple[float, Row]]:
    """Function 类 → (value, row) in a table (blank cells are 0)."""
    out: dict[str, tuple[float, Row]] = {}
    if t is None:
        return out
    for r in class_rows(side_rows(ctx, t, side)):
        code = function_class_of(r)
        if code and code not in out:
            out[code] = (r.values.get(measure, 0.0), r)
    return out


def ordinal_level(r: Row) -> int:
    """1 for 一、 labels, 2 for 1. labels, else 0."""
    lab = (r.label or "").strip()
    if ORDINAL1_RE.match(lab):
        return 1
    if ORDINAL2_RE.match(lab):
        return 2
    return 0
