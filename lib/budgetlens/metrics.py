"""What researchers compute from a disclosure: structure, dependency, staff, execution, change.

One function per figure; each docstring gives its formula. Every function takes the contract
JSON of a document (``document.json``) or a :class:`budgetlens.units.UnitDocument`, and returns
plain numbers (percentages as percent, amounts in 万元) or a DataFrame; ``None`` where the
document does not print what the figure needs, or a denominator is zero. The notebooks, the
prose and the charts only call these, so no figure is computed in two places.

The figures follow DOMAIN.md ("What researchers compute") and the performance-evaluation
framework of 财预〔2013〕53号 (在职人员控制率, 结转结余率, 三公经费变动率 …); the budget/final
comparison follows PEFA PI-2 (composition variance by function class).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .facts import FACT_KEYS
from .registry import classification

Doc = Any  # a contract dict or a units.UnitDocument

PERFORMANCE_KEYS = ["budget_initial", "budget_adjusted", "budget_executed", "overall_score"]
# Facts compared between a budget and the final of the same year (决算 / 年初预算).
EXECUTION_KEYS = ["revenue_total", "fiscal_revenue", "expenditure_total", "basic_expenditure",
                  "project_expenditure", "general_budget_expenditure", "personnel_expenditure",
                  "public_expenditure", "three_public_total", "office_operation", "procurement_total"]
GRADE_BANDS = [("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", -math.inf)]
PEFA_GRADES = [("A", 5.0), ("B", 10.0), ("C", 15.0)]


# --- access -----------------------------------------------------------------------------------

def contract(doc: Doc) -> dict[str, Any]:
    """The contract dict of a document (a dict is returned as is)."""
    data = getattr(doc, "data", doc)
    return data if isinstance(data, dict) else {}


def facts(doc: Doc) -> dict[str, Any]:
    return contract(doc).get("facts") or {}


def fact(doc: Doc, key: str) -> float | None:
    """A numeric fact, or None when absent (0 stays 0: the document says there is none)."""
    v = facts(doc).get(key)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def doc_kind(doc: Doc) -> str:
    return contract(doc).get("document", {}).get("kind") or ""


def doc_year(doc: Doc) -> int | None:
    return contract(doc).get("document", {}).get("year")


def function_totals(doc: Doc) -> dict[str, float]:
    return {str(k): float(v) for k, v in (contract(doc).get("function_totals") or {}).items()
            if isinstance(v, int | float)}


def class_name(code: str) -> str:
    """The 支出功能分类 类 name of a 3-digit code (``215`` → ``资源勘探工业信息等支出``)."""
    return classification().get("function_classes", {}).get(str(code), f"{code}类")


# --- arithmetic -------------------------------------------------------------------------------

def pct(part: float | None, whole: float | None) -> float | None:
    """``part / whole × 100``; None when either is missing or ``whole`` is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole * 100.0


@dataclass(frozen=True)
class Change:
    """A change from ``previous`` to ``current``: ``absolute = current − previous``,
    ``percent = (current − previous) / previous × 100`` (None when previous is 0)."""

    current: float
    previous: float
    absolute: float
    percent: float | None


def change(current: float | None, previous: float | None) -> Change | None:
    """Year-over-year change (absolute and %), rounded to the cent against float noise."""
    if current is None or previous is None:
        return None
    absolute = round(current - previous, 6)
    return Change(current, previous, absolute, pct(absolute, previous))


# --- structure --------------------------------------------------------------------------------

def expenditure_structure(doc: Doc) -> dict[str, float | None]:
    """Shares of expenditure, in percent.

    * ``basic_share = basic_expenditure / E × 100``, ``project_share = project_expenditure / E × 100``
      with ``E = expenditure_total`` (本年支出合计), or basic + project when the total is not printed;
    * ``other_share = 100 − basic_share − project_share`` (上缴上级, 经营支出, 机动经费 …), when E is printed;
    * ``reserve_share = reserve_expenditure / E × 100`` where the template prints 单位预留机动经费;
    * ``personnel_share = personnel / (personnel + public) × 100``, ``public_share`` likewise: 人员经费
      and 公用经费 partition the 一般公共预算 basic expenditure (DOMAIN: 基本支出 = 人员经费 + 公用经费).
    """
    basic, project = fact(doc, "basic_expenditure"), fact(doc, "project_expenditure")
    total = fact(doc, "expenditure_total")
    if total is None and basic is not None and project is not None:
        total = basic + project
    personnel, public = fact(doc, "personnel_expenditure"), fact(doc, "public_expenditure")
    basic_gb = personnel + public if personnel is not None and public is not None else None
    out = {
        "expenditure_total": total,
        "basic_share": pct(basic, total),
        "project_share": pct(project, total),
        "other_share": None,
        "reserve_share": pct(fact(doc, "reserve_expenditure"), total),
        "personnel_share": pct(personnel, basic_gb),
        "public_share": pct(public, basic_gb),
    }
    if out["basic_share"] is not None and out["project_share"] is not None and fact(doc, "expenditure_total"):
        other = 100.0 - out["basic_share"] - out["project_share"]
        out["other_share"] = other if abs(other) >= 0.005 else 0.0
    return out


def fiscal_dependency(doc: Doc) -> float | None:
    """财政拨款依存度 = fiscal_revenue (财政拨款收入) / revenue_total (本年收入合计) × 100."""
    return pct(fact(doc, "fiscal_revenue"), fact(doc, "revenue_total"))


def class_shares(doc: Doc) -> pd.DataFrame:
    """类 shares of expenditure: ``share_i = class_i / Σ classes × 100`` (function_totals).

    Columns ``code, name, amount, share``, largest first; empty when no class totals are printed.
    The denominator is the sum of the class totals (so shares add to 100), which equals the
    expenditure total up to rounding.
    """
    totals = function_totals(doc)
    whole = sum(totals.values())
    rows = [{"code": c, "name": class_name(c), "amount": v, "share": pct(v, whole)} for c, v in totals.items()]
    frame = pd.DataFrame(rows, columns=["code", "name", "amount", "share"])
    return frame.sort_values(["amount", "code"], ascending=[False, True]).reset_index(drop=True)


# --- staff ------------------------------------------------------------------------------------

def staff_control_rate(doc: Doc) -> float | None:
    """在职人员控制率 = staff_actual (在职/实有人数) / staff_authorized (编制数) × 100."""
    return pct(fact(doc, "staff_actual"), fact(doc, "staff_authorized"))


def staff_basis(doc: Doc) -> tuple[str | None, float | None]:
    """The head count per-staff figures divide by: staff_actual, else staff_authorized (编制数)."""
    for key in ("staff_actual", "staff_authorized"):
        v = fact(doc, key)
        if v:
            return key, v
    return None, None


def per_staff(doc: Doc) -> dict[str, Any]:
    """三公 and 机关运行经费 per head, 万元/人: ``three_public_total / staff`` and
    ``office_operation / staff`` with ``staff`` = staff_actual, else staff_authorized (``basis`` says which)."""
    basis, staff = staff_basis(doc)
    three, office = fact(doc, "three_public_total"), fact(doc, "office_operation")
    return {
        "basis": basis,
        "staff": staff,
        "three_public_total": three,
        "office_operation": office,
        "three_public_per_staff": three / staff if staff and three is not None else None,
        "office_operation_per_staff": office / staff if staff and office is not None else None,
    }


def per_staff_change(current: Doc, previous: Doc | None) -> dict[str, Change | None]:
    """Changes of 三公 and 机关运行经费, total and per head, against the previous year.

    ``three_public_total`` (三公经费变动率 = (本年 − 上年) / 上年) and ``office_operation`` use the
    previous document, else the current document's ``prior_year``; the per-head figures need a
    previous document (the prior year's head count) on the same basis.
    """
    cur = per_staff(current)
    prior = contract(current).get("prior_year") or {}
    out: dict[str, Change | None] = {}
    for key in ("three_public_total", "office_operation"):
        prev_value = fact(previous, key) if previous is not None else None
        if prev_value is None and isinstance(prior.get(key), int | float):
            prev_value = float(prior[key])
        out[key] = change(cur[key], prev_value)
    prev = per_staff(previous) if previous is not None else None
    for key in ("three_public_per_staff", "office_operation_per_staff"):
        same_basis = prev is not None and prev["basis"] == cur["basis"]
        out[key] = change(cur[key], prev[key]) if same_basis else None
    return out


# --- procurement, carry-over, performance -----------------------------------------------------

_SME = re.compile(r"授予中小(?:微)?企业(?:的)?合同(?:金额|总?额)?(?:为|共)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)")


def printed_sme_procurement(doc: Doc) -> float | None:
    """授予中小企业合同金额 (万元) as printed: the ``procurement_sme`` fact, or — until the extraction
    layer reports it — the first "授予中小企业合同金额X万元" sentence of the source text file."""
    v = fact(doc, "procurement_sme")
    if v is not None:
        return v
    source = contract(doc).get("source", {})
    path = Path(str(source.get("path", "")))
    if path.suffix.lower() != ".txt":
        return None
    candidates = [path] if path.is_absolute() else [Path.cwd() / path, _project_root() / path]
    for p in candidates:
        if p.is_file():
            try:
                text = p.read_bytes().decode("utf-8", errors="ignore")
            except OSError:
                return None
            m = _SME.search(re.sub(r"\s+", "", text))
            if not m:
                return None
            amount = float(m.group(1).replace(",", ""))
            return amount / 10000.0 if m.group(2) == "元" else amount
    return None


def _project_root() -> Path:
    return Path(__file__).resolve().parents[2]


def procurement(doc: Doc) -> dict[str, float | None]:
    """政府采购: ``total`` (procurement_total), ``sme`` (授予中小企业合同金额, where printed) and
    ``sme_share = sme / total × 100``."""
    total = fact(doc, "procurement_total")
    sme = printed_sme_procurement(doc) if total else None
    return {"total": total, "sme": sme, "sme_share": pct(sme, total)}


def carryover_rate(doc: Doc) -> float | None:
    """结转结余率 = carryover_end (年末结转和结余) / 支出预算数 × 100, where 支出预算数 is the
    adjusted budget of a performance form (budget_adjusted, else budget_initial) and 收入总计 =
    支出总计 (grand_total) of a budget or final."""
    end = fact(doc, "carryover_end")
    base = fact(doc, "budget_adjusted") or fact(doc, "budget_initial") or fact(doc, "grand_total")
    return pct(end, base)


def performance_rates(doc: Doc) -> dict[str, float | None]:
    """Unit-level performance-form rates (财预〔2013〕53号), percent:
    预算完成率 ``completion = budget_executed / budget_adjusted × 100``;
    预算调整率 ``adjustment = (budget_adjusted − budget_initial) / budget_initial × 100``;
    结转结余率 ``carryover`` as :func:`carryover_rate`."""
    initial, adjusted = fact(doc, "budget_initial"), fact(doc, "budget_adjusted")
    executed = fact(doc, "budget_executed")
    base = adjusted if adjusted is not None else initial
    return {
        "completion": pct(executed, base),
        "adjustment": pct(adjusted - initial, initial) if adjusted is not None and initial is not None else None,
        "carryover": carryover_rate(doc),
        "overall_score": fact(doc, "overall_score"),
    }


def score_band(score: float | None) -> str | None:
    """Grade band of a self-evaluation score: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return next(grade for grade, floor in GRADE_BANDS if score >= floor)


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    try:
        return float(str(v).replace(",", "").rstrip("%"))
    except ValueError:
        return None


PROJECT_COLUMNS = ["name", "budget_initial", "budget", "executed", "execution_rate", "rate_printed",
                   "score", "grade", "band"]


def project_table(doc: Doc) -> pd.DataFrame:
    """Projects of a document with their execution rate and score band.

    ``execution_rate`` is the printed 执行率 where there is one (``rate_printed`` True), else
    ``executed / budget × 100`` with ``budget`` = 全年预算数 (or 年初预算 when only that is printed);
    ``band`` is :func:`score_band` of ``score``; ``grade`` is the grade as printed.
    """
    rows = []
    for p in contract(doc).get("projects") or []:
        budget, initial, executed = _num(p.get("budget")), _num(p.get("budget_initial")), _num(p.get("executed"))
        printed = _num(p.get("execution_rate"))
        rate = printed if printed is not None else pct(executed, budget if budget is not None else initial)
        score = _num(p.get("score"))
        rows.append({"name": p.get("name") or "", "budget_initial": initial, "budget": budget,
                     "executed": executed, "execution_rate": rate, "rate_printed": printed is not None,
                     "score": score, "grade": p.get("grade"), "band": score_band(score)})
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS)


def project_summary(doc: Doc) -> dict[str, Any]:
    """Performance of a document's projects.

    ``count``; ``budget`` = Σ budget and ``executed`` = Σ executed over projects printing both;
    ``execution_rate`` = Σ executed / Σ budget × 100 (overall); ``mean_execution_rate`` (unweighted);
    ``below_90`` = projects executed < 90 %; ``score_mean/min/max``; ``bands`` = count per band
    优/良/中/差 (:func:`score_band`); ``grade_mismatch`` = projects whose printed grade differs from the band.
    """
    frame = project_table(doc)
    both = frame.dropna(subset=["budget", "executed"]) if len(frame) else frame
    scores = frame["score"].dropna() if len(frame) else pd.Series(dtype=float)
    rates = frame["execution_rate"].dropna() if len(frame) else pd.Series(dtype=float)
    bands = {g: int((frame["band"] == g).sum()) if len(frame) else 0 for g, _ in GRADE_BANDS}
    mismatch = 0
    if len(frame):
        printed = frame.dropna(subset=["grade", "band"])
        mismatch = int((printed["grade"] != printed["band"]).sum())
    return {
        "count": len(frame),
        "budget": float(both["budget"].sum()) if len(both) else None,
        "executed": float(both["executed"].sum()) if len(both) else None,
        "execution_rate": pct(float(both["executed"].sum()), float(both["budget"].sum())) if len(both) else None,
        "mean_execution_rate": float(rates.mean()) if len(rates) else None,
        "below_90": int((rates < 90).sum()) if len(rates) else 0,
        "score_mean": float(scores.mean()) if len(scores) else None,
        "score_min": float(scores.min()) if len(scores) else None,
        "score_max": float(scores.max()) if len(scores) else None,
        "bands": bands,
        "grade_mismatch": mismatch,
    }


# --- budget vs final --------------------------------------------------------------------------

def execution_totals(budget: Doc, final: Doc) -> pd.DataFrame:
    """决算 / 年初预算 for each fact both documents print: ``rate = final / budget × 100``,
    ``difference = final − budget``. Columns ``key, budget, final, difference, rate``.
    Includes 公用经费控制率 (public_expenditure), 三公经费控制率 (three_public_total) and
    政府采购执行率 (procurement_total)."""
    rows = []
    for key in EXECUTION_KEYS:
        b, f = fact(budget, key), fact(final, key)
        if b is None or f is None:
            continue
        rows.append({"key": key, "budget": b, "final": f, "difference": round(f - b, 6), "rate": pct(f, b)})
    return pd.DataFrame(rows, columns=["key", "budget", "final", "difference", "rate"])


def execution_by_class(budget: Doc, final: Doc) -> pd.DataFrame:
    """Execution by function class: ``rate_i = final_i / budget_i × 100`` (决算 / 年初预算).

    Columns ``code, name, budget, final, difference, rate``; a class printed in only one document
    counts 0 in the other (its rate is None when the budget is 0).
    """
    b, f = function_totals(budget), function_totals(final)
    rows = []
    for code in sorted(set(b) | set(f)):
        bv, fv = b.get(code, 0.0), f.get(code, 0.0)
        rows.append({"code": code, "name": class_name(code), "budget": bv, "final": fv,
                     "difference": round(fv - bv, 6), "rate": pct(fv, bv)})
    return pd.DataFrame(rows, columns=["code", "name", "budget", "final", "difference", "rate"])


@dataclass(frozen=True)
class CompositionVariance:
    """PEFA PI-2 composition variance: ``variance`` in percent, ``grade`` A–D, per-class ``table``."""

    variance: float
    grade: str
    total_budget: float
    total_actual: float
    table: pd.DataFrame


def pefa_grade(variance: float) -> str:
    """PEFA PI-2 grade of a composition variance (percent): A < 5, B < 10, C < 15, else D."""
    return next((g for g, limit in PEFA_GRADES if variance < limit), "D")


def composition_variance(budget_by_class: Mapping[str, float], actual_by_class: Mapping[str, float]
                         ) -> CompositionVariance | None:
    """PEFA PI-2 composition variance between a budget and the actuals by class::

        scaled_i = budget_i × (Σ actual / Σ budget)
        variance = Σ |actual_i − scaled_i| / Σ scaled_i × 100

    Classes in only one of the two count 0 in the other. None when either total is 0 (nothing to
    compare). The per-class ``table`` has ``code, name, budget, actual, scaled, deviation``.
    """
    codes = sorted(set(budget_by_class) | set(actual_by_class))
    tb = sum(float(budget_by_class.get(c, 0.0)) for c in codes)
    ta = sum(float(actual_by_class.get(c, 0.0)) for c in codes)
    if not codes or tb == 0 or ta == 0:
        return None
    rows = []
    for c in codes:
        b, a = float(budget_by_class.get(c, 0.0)), float(actual_by_class.get(c, 0.0))
        scaled = b * ta / tb
        rows.append({"code": c, "name": class_name(c), "budget": b, "actual": a, "scaled": scaled,
                     "deviation": abs(a - scaled)})
    table = pd.DataFrame(rows)
    variance = float(table["deviation"].sum() / table["scaled"].sum() * 100.0)
    return CompositionVariance(variance=variance, grade=pefa_grade(variance), total_budget=tb,
                               total_actual=ta, table=table)


def pi2(budget: Doc, final: Doc) -> CompositionVariance | None:
    """:func:`composition_variance` of a budget document and the final of the same year (by 类)."""
    return composition_variance(function_totals(budget), function_totals(final))


# --- documents of one unit --------------------------------------------------------------------

def _quality(doc: Doc) -> int:
    sev = [f.get("severity") for f in contract(doc).get("findings") or []]
    return sev.count("error") * 1000 + sev.count("warning")


def best_of(docs: Iterable[Doc]) -> Doc | None:
    """Of several documents of one unit, year and kind (two extractions, two volumes), the one
    with the fewest errors, then warnings, then the most facts."""
    docs = list(docs)
    if not docs:
        return None
    return min(docs, key=lambda d: (_quality(d), -len(facts(d))))


def previous_document(docs: Iterable[Doc], doc: Doc) -> Doc | None:
    """The same unit's document of the same kind for the year before (None when the corpus has none)."""
    year = doc_year(doc)
    if year is None:
        return None
    return best_of(d for d in docs if doc_kind(d) == doc_kind(doc) and doc_year(d) == year - 1)


def matching_budget(docs: Iterable[Doc], final: Doc) -> Doc | None:
    """The budget of the same unit and year as a final (None when the corpus has none)."""
    if doc_kind(final) != "final":
        return None
    return best_of(d for d in docs if doc_kind(d) == "budget" and doc_year(d) == doc_year(final))


def budget_final_pairs(docs: Iterable[Doc]) -> list[tuple[Doc, Doc]]:
    """(budget, final) of every year for which a unit has both, in year order."""
    docs = list(docs)
    finals = {}
    for d in docs:
        if doc_kind(d) == "final":
            finals.setdefault(doc_year(d), []).append(d)
    out = []
    for year in sorted(y for y in finals if y is not None):
        final = best_of(finals[year])
        budget = matching_budget(docs, final)
        if budget is not None:
            out.append((budget, final))
    return out


# --- year over year ---------------------------------------------------------------------------

YOY_COLUMNS = ["key", "code", "current", "previous", "change", "change_pct", "basis"]
# The order of a 情况说明: totals, revenue, expenditure, carry-over, costs, counts.
YOY_ORDER = ["grand_total", "revenue_total", "fiscal_revenue", "general_budget_revenue", "gov_fund_revenue",
             "state_capital_revenue", "expenditure_total", "basic_expenditure", "project_expenditure",
             "general_budget_expenditure", "personnel_expenditure", "public_expenditure", "carryover_begin",
             "carryover_end", "three_public_total", "office_operation", "procurement_total", "staff_authorized",
             "staff_actual", "vehicles", "budget_initial", "budget_adjusted", "budget_executed", "overall_score"]


def yoy_table(doc: Doc, previous: Doc | None = None) -> pd.DataFrame:
    """Year-over-year change of every fact and every class total the two years both print.

    For each fact: ``change = current − previous``, ``change_pct = change / previous × 100``. The
    previous value comes from ``previous`` (the unit's document of the same kind for the year
    before, ``basis = "document"``) where it prints the fact, else from the document's own
    ``prior_year`` (what its narrative implies, ``basis = "prior_year"``). Class totals (``key =
    "class"``, ``code`` the 类 code) need a previous document. Columns: ``key, code, current,
    previous, change, change_pct, basis``.
    """
    cur_facts = facts(doc)
    prior = contract(doc).get("prior_year") or {}
    rows = []
    keys = [k for k in YOY_ORDER if k in cur_facts]
    keys += [k for k in FACT_KEYS + sorted(cur_facts) if k in cur_facts and k not in keys]
    for key in keys:
        cur = fact(doc, key)
        if cur is None:
            continue
        prev, basis = (fact(previous, key), "document") if previous is not None else (None, None)
        if prev is None and isinstance(prior.get(key), int | float):
            prev, basis = float(prior[key]), "prior_year"
        ch = change(cur, prev)
        if ch is not None:
            rows.append({"key": key, "code": None, "current": cur, "previous": prev, "change": ch.absolute,
                         "change_pct": ch.percent, "basis": basis})
    if previous is not None:
        cur_cls, prev_cls = function_totals(doc), function_totals(previous)
        if cur_cls and prev_cls:
            for code in sorted(set(cur_cls) | set(prev_cls)):
                ch = change(cur_cls.get(code, 0.0), prev_cls.get(code, 0.0))
                rows.append({"key": "class", "code": code, "current": ch.current, "previous": ch.previous,
                             "change": ch.absolute, "change_pct": ch.percent, "basis": "document"})
    return pd.DataFrame(rows, columns=YOY_COLUMNS)


def yoy_value(table: pd.DataFrame, key: str, code: str | None = None) -> Change | None:
    """One row of a :func:`yoy_table` as a :class:`Change` (None when the table lacks it)."""
    if table is None or not len(table):
        return None
    rows = table[(table["key"] == key) & ((table["code"] == code) if code else table["code"].isna())]
    if not len(rows):
        return None
    r = rows.iloc[0]
    return Change(r["current"], r["previous"], r["change"], None if pd.isna(r["change_pct"]) else r["change_pct"])


# --- findings ---------------------------------------------------------------------------------

def findings_counts(doc: Doc) -> dict[str, int]:
    """Findings per severity: ``{"error": n, "warning": n, "info": n}``."""
    sev = [f.get("severity") for f in contract(doc).get("findings") or []]
    return {s: sev.count(s) for s in ("error", "warning", "info")}


def quality_badge(counts: Mapping[str, int]) -> str:
    """``error`` when the figures contradict each other, ``warning`` for probable problems, else ``ok``."""
    if counts.get("error"):
        return "error"
    if counts.get("warning"):
        return "warning"
    return "ok"


# --- headline figures and the panel -----------------------------------------------------------

def key_figures(doc: Doc) -> dict[str, Any]:
    """The headline figures of a document, in one flat dict (amounts 万元, shares %):
    the amount facts, :func:`expenditure_structure`, :func:`fiscal_dependency`,
    :func:`staff_control_rate`, :func:`per_staff`, :func:`procurement`, :func:`carryover_rate`,
    :func:`performance_rates` and the findings counts."""
    f = {k: fact(doc, k) for k in FACT_KEYS + PERFORMANCE_KEYS}
    s = expenditure_structure(doc)
    staff = per_staff(doc)
    proc = procurement(doc)
    perf = performance_rates(doc)
    out = {**f,
           "basic_share": s["basic_share"], "project_share": s["project_share"],
           "personnel_share": s["personnel_share"], "public_share": s["public_share"],
           "fiscal_dependency": fiscal_dependency(doc),
           "staff_control_rate": staff_control_rate(doc),
           "three_public_per_staff": staff["three_public_per_staff"],
           "office_operation_per_staff": staff["office_operation_per_staff"],
           "procurement_sme_share": proc["sme_share"],
           "carryover_rate": carryover_rate(doc),
           "budget_completion_rate": perf["completion"],
           "budget_adjustment_rate": perf["adjustment"]}
    out.update({f"findings_{k}": v for k, v in findings_counts(doc).items()})
    return out


def headline_total(doc: Doc) -> tuple[str | None, float | None]:
    """The one amount that sizes a document: 本年支出合计, else 收入总计, else the performance form's
    executed budget, else its initial budget."""
    for key in ("expenditure_total", "grand_total", "budget_executed", "budget_initial"):
        v = fact(doc, key)
        if v is not None:
            return key, v
    return None, None


def document_frame(units: Iterable[Any]) -> pd.DataFrame:
    """One row per document of the given units (:class:`budgetlens.units.Unit`): unit, year, kind
    and :func:`key_figures`, plus the change of the headline figures (``*_change_pct``) from
    :func:`yoy_table` and ``latest`` (the unit's lead document)."""
    rows = []
    for unit in units:
        latest = unit.latest
        for d in unit.documents:
            prev = previous_document(unit.documents, d)
            yoy = yoy_table(d, prev)
            row = {"unit_id": unit.unit_id, "unit_name": unit.name, "doc_id": d.doc_id, "year": doc_year(d),
                   "kind": doc_kind(d), "latest": d is latest, "projects": len(contract(d).get("projects") or [])}
            row.update(key_figures(d))
            for key in ("grand_total", "revenue_total", "expenditure_total", "basic_expenditure",
                        "project_expenditure", "three_public_total", "office_operation"):
                ch = yoy_value(yoy, key)
                row[f"{key}_change_pct"] = ch.percent if ch else None
            summary = project_summary(d)
            row["project_execution_rate"] = summary["execution_rate"]
            row["project_score_mean"] = summary["score_mean"]
            rows.append(row)
    if not rows:  # no documents: the columns still exist, so the panel says "nothing" instead of failing
        columns = (["unit_id", "unit_name", "doc_id", "year", "kind", "latest", "projects"] + list(key_figures({}))
                   + [f"{k}_change_pct" for k in ("grand_total", "revenue_total", "expenditure_total",
                                                  "basic_expenditure", "project_expenditure", "three_public_total",
                                                  "office_operation")]
                   + ["project_execution_rate", "project_score_mean"])
        return pd.DataFrame(columns=columns).astype({"latest": bool, "year": "Int64"})
    return pd.DataFrame(rows).astype({"year": "Int64"})  # "2026", never "2026.0" when a year is missing


def rule_counts(units: Iterable[Any]) -> pd.DataFrame:
    """How often each validator rule fired across the units' documents, by severity:
    columns ``rule, severity, findings, documents``, most frequent first."""
    from .dataset import build_tables  # the dataset's findings table: the same rows the export writes

    frame = build_tables(units, only=["findings"])["findings"]
    if frame.empty:
        return pd.DataFrame(columns=["rule", "severity", "findings", "documents"])
    frame = frame.astype({"rule": object, "severity": object})
    out = frame.groupby(["rule", "severity"]).agg(findings=("doc_id", "size"), documents=("doc_id", "nunique"))
    order = {"error": 0, "warning": 1, "info": 2}
    out = out.reset_index()
    out["_o"] = out["severity"].map(order)
    return out.sort_values(["_o", "findings", "rule"], ascending=[True, False, True]).drop(columns="_o").reset_index(drop=True)

