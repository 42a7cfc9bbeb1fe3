"""The answer key: the true facts of each document in the keys of the ``extract --json`` contract."""

from __future__ import annotations

from .figures import Figures, Unit
from .final import _evaluated, _form_scores, _grade
from .money import _pct


def _facts(u: Unit, f: Figures, prev: Figures, budget: Figures | None) -> dict:
    fis = ("gen", "fund", "cap")
    m = lambda c: round(c / 100, 2)  # noqa: E731
    rev = f.inc()
    facts = {
        "revenue_total": m(rev), "expenditure_total": m(f.exp()), "grand_total": m(rev + f.carry_begin),
        "carryover_begin": m(f.carry_begin), "carryover_end": m(f.carry_end),
        "fiscal_revenue": m(f.inc(fis)), "general_budget_revenue": m(f.inc("gen")),
        "gov_fund_revenue": m(f.inc("fund")), "state_capital_revenue": m(f.inc("cap")),
        "basic_expenditure": m(f.exp("basic")), "project_expenditure": m(f.exp("project")),
        "general_budget_expenditure": m(f.exp(src="gen")), "personnel_expenditure": m(f.personnel),
        "public_expenditure": m(f.public), "three_public_total": m(f.tp_total),
        "office_operation": m(f.public if u.utype != "事业单位" else 0), "procurement_total": m(sum(f.procurement)),
        "staff_authorized": u.quota, "staff_actual": f.staff,
    }
    extra = {"gov_fund_expenditure": m(f.exp(src="fund")), "state_capital_expenditure": m(f.exp(src="cap")),
             "unit_funds_revenue": m(f.inc(("biz", "oth")))}
    if f.kind == "final":
        facts["vehicles"] = f.vehicles
        extra["general_budget_initial"] = m(budget.exp(src="gen")) if budget else None
        extra["general_budget_execution_rate"] = m(_pct(f.exp(src="gen"), budget.exp(src="gen"))) if budget else None
        extra["three_public_budget"] = m(sum(f.tp_budget.values()))
    classes = {c for c7 in f.lines for c in [c7[:3]]}
    out = {"facts": facts,
           "function_totals": {c: m(f.exp(code=c)) for c in sorted(classes)}}
    pg = prev.inc() + prev.carry_begin
    out["prior_year"] = {"grand_total": m(pg), "general_budget_expenditure": m(prev.exp(src="gen"))}
    prev_office = m(prev.public if u.utype != "事业单位" else 0)
    if f.kind == "final" or prev.tp_total or f.tp_total:
        out["prior_year"]["three_public_total"] = m(prev.tp_total)
    if u.utype != "事业单位":
        out["prior_year"]["office_operation"] = prev_office
    if prev.exp(src="cap") and f.exp(src="cap"):
        extra["prior_state_capital_expenditure"] = m(prev.exp(src="cap"))
    out["extra"] = extra
    if f.kind == "final":
        projs = []
        for x in _evaluated(f):
            _rows, _rs, total = _form_scores(x, f"{f.year}:{x.name}")
            projs.append({"name": x.name, "budget_initial": m(x.initial), "budget": m(x.adjusted),
                          "executed": m(x.amount), "execution_rate": m(_pct(x.amount, x.adjusted)),
                          "score": m(total), "grade": _grade(total)})
        out["projects"] = projs
    else:
        out["projects"] = [{"name": x.name, "budget": m(x.amount)} for x in f.projects]
    return out
