"""The inconsistencies the generator can plant (one per document) and the rules that must catch them."""

from __future__ import annotations

import random

from .classes import _DETAIL_GRID
from .model import Amt, Dir, Para, Pct, Row, Table
from .money import money

FAULT_RULES = {
    "class_sum": "table.class_sum",
    "total_sum": "table.total_sum",
    "row_sum": "table.row_sum",
    "summary_balance": "summary.balance",
    "fiscal_vs_general": "cross.fiscal_vs_general",
    "basic_vs_detail": "cross.basic_vs_detail",
    "three_public_items": "cross.three_public_items",
    "narrative_amount": "narrative.amount_mismatch",
    "narrative_direction": "narrative.direction",
    "narrative_percent": "narrative.percent",
    "missing_table": "completeness.missing_table",
}

# Rules a fault of each kind also trips by construction, besides its own: a flipped 增加/减少 makes
# the stated percentage wrong too; a changed 公用经费 can fall below 机关运行经费; a changed class
# total disagrees with the summary table; a changed narrative figure breaks its percentage or a
# restatement of it in the same sentence.
KNOWN_KNOCK_ON = {
    # A flipped 增加/减少 also turns the stated reason against the change (narrative.reason_direction).
    "narrative_direction": ("narrative.percent", "narrative.reason_direction"),
    "basic_vs_detail": ("cross.office_vs_public",),
    "total_sum": ("cross.summary_vs_detail",),
    "narrative_amount": ("narrative.percent", "narrative.restated"),
}



def _num(s: str) -> int:
    return int(round(float(s.replace(",", "")) * 100)) if s.strip() else 0


def _bump(old: int, rng: random.Random) -> int:
    """A visibly different positive amount."""
    for _ in range(20):
        if old and rng.random() < 0.3:
            s = f"{old:d}"
            if len(s) >= 3:
                i = rng.randrange(len(s) - 1)
                new = int(s[:i] + s[i + 1] + s[i] + s[i + 2:])
                if new != old and new > 0:
                    return new
        delta = max(50, int(old * rng.uniform(0.03, 0.25)))
        new = old + delta if (rng.random() < 0.5 or old <= delta) else old - delta
        if new > 0 and new != old:
            return new
    return old + 100


def _where_table(t: Table, r: Row, col: int | None, colname: str | None = None) -> dict:
    return {"table": t.title, "label": t.label, "table_id": t.tid, "row": r.key or r.cells[0],
            "column": colname if colname is not None else col, "line": None, "_row": r}


def _colname(t: Table, col: int) -> str:
    hdr = [h.split("\t") for h in t.header]
    names = [next((hr[col] for hr in reversed(hdr) if col < len(hr) and hr[col].strip()
                   and not hr[col].strip().isdigit()), str(col))]
    return names[0]


def _inject(kind: str, doc_kind: str, blocks: list, rng: random.Random) -> dict | None:
    tables = {b.tid: b for b in blocks if isinstance(b, Table)}
    paras = [b for b in blocks if isinstance(b, Para)]

    def classified_rows(t: Table, digits: int) -> list[Row]:
        return [r for r in t.rows if r.key.isdigit() and len(r.key) == digits]

    def change_cells(t: Table, r: Row, cols: list[int], rule_kind: str) -> dict:
        old = _num(r.cells[cols[0]])
        new = _bump(old, rng)
        delta = new - old
        before = [r.cells[c] for c in cols]
        for c in cols:
            r.cells[c] = money(_num(r.cells[c]) + delta)
        w = _where_table(t, r, cols[0], _colname(t, cols[0]))
        w["cells"] = [{"column": _colname(t, c), "original": b, "new": r.cells[c]} for c, b in zip(cols, before, strict=True)]
        return {"where": w, "original": before[0], "new": r.cells[cols[0]]}

    if kind in ("class_sum", "row_sum", "total_sum"):
        cands = ["income", "expenditure", "general_expenditure"]
        t = tables[rng.choice(cands)]
        measure_cols = list(range(3, len(t.rows[0].cells)))
        if kind == "class_sum":
            r = rng.choice(classified_rows(t, 7))
            nz = [c for c in measure_cols if r.cells[c]]
            res = change_cells(t, r, [2] + nz[:1], kind)
            res["may_also"] = []
        elif kind == "row_sum":
            r = rng.choice(classified_rows(t, 7))
            res = change_cells(t, r, [2], kind)
            res["may_also"] = ["table.class_sum"]
        else:
            r = t.rows[0]
            nz = [c for c in measure_cols if r.cells[c]]
            col = nz[-1] if nz else None
            res = change_cells(t, r, [2] + ([col] if col else []), kind)
            also = ["narrative.amount_mismatch"]
            if t.tid == "general_expenditure":
                also.append("cross.fiscal_vs_general")
                if col == 3:
                    also.append("cross.basic_vs_detail")
            res["may_also"] = also
        return res
    if kind == "summary_balance":
        t = tables["income_expenditure_summary"]
        r = t.row("总计")
        col = 2 if doc_kind == "final" else 1
        res = change_cells(t, r, [col], kind)
        res["where"]["column"] = "收入总计"
        res["may_also"] = ["narrative.amount_mismatch"]
        return res
    if kind == "fiscal_vs_general":
        t = tables["general_expenditure"]
        leaves = [r for r in classified_rows(t, 7) if r.cells[4]]
        if not leaves:
            return None
        r = rng.choice(leaves)
        old = _num(r.cells[2])
        delta = _bump(old, rng) - old
        delta = max(delta, -_num(r.cells[4]) + 1)
        changed = []
        for key in (r.key, r.key[:5], r.key[:3], "合计"):
            rr = t.row(key)
            before = (rr.cells[2], rr.cells[4])
            rr.cells[2] = money(_num(rr.cells[2]) + delta)
            rr.cells[4] = money(_num(rr.cells[4]) + delta)
            changed.append({"row": key, "line": None, "_row": rr, "original": list(before),
                            "new": [rr.cells[2], rr.cells[4]]})
        w = _where_table(t, r, 2, _colname(t, 2))
        w["rows"] = changed
        w["note"] = "项, 款, 类 and 合计 rows changed together (total and 项目支出 columns): the table adds up, " \
                    "but no longer matches the 财政拨款收支总表's 一般公共预算 column"
        return {"where": w, "original": changed[0]["original"][0], "new": changed[0]["new"][0],
                "may_also": ["narrative.amount_mismatch"]}
    if kind == "basic_vs_detail":
        t = tables["basic_detail"]
        if doc_kind == "final":
            cands = [(r, 5) for r in t.rows[1:len(_DETAIL_GRID)] if r.cells[3].startswith("302") and r.cells[5]]
            if not cands:
                return None
            r, col = rng.choice(cands)
            old = _num(r.cells[col])
            delta = _bump(old, rng) - old
            cls = t.rows[0]
            tot = t.row("合计")
            before = [r.cells[col], cls.cells[5], tot.cells[10]]
            r.cells[col] = money(old + delta)
            cls.cells[5] = money(_num(cls.cells[5]) + delta)
            tot.cells[10] = money(_num(tot.cells[10]) + delta)
            w = _where_table(t, r, col, "决算数")
            w["row"] = r.cells[3]
            w["cells"] = [{"row": r.cells[3], "original": before[0], "new": r.cells[col]},
                          {"row": "302", "original": before[1], "new": cls.cells[5]},
                          {"row": "公用经费合计", "original": before[2], "new": tot.cells[10]}]
        else:
            cands = [r for r in t.rows if r.key.startswith("302") and len(r.key) == 5]
            if not cands:
                return None
            r = rng.choice(cands)
            old = _num(r.cells[2])
            delta = _bump(old, rng) - old
            before = []
            for rr in (r, t.row("302"), t.row("合计")):
                before.append((rr.key, rr.cells[2], rr.cells[4]))
                rr.cells[2] = money(_num(rr.cells[2]) + delta)
                rr.cells[4] = money(_num(rr.cells[4]) + delta)
            w = _where_table(t, r, 2, "合计")
            w["row"] = r.cells[0]
            w["cells"] = [{"row": k, "original": [a, b]} for k, a, b in before]
        w["note"] = "item, class row and 合计 changed together: the table adds up, but its total no longer " \
                    "matches the basic column of the 一般公共预算支出表"
        return {"where": w, "original": before[0] if doc_kind == "final" else before[0][1],
                "new": r.cells[col] if doc_kind == "final" else r.cells[2], "may_also": ["narrative.amount_mismatch"]}
    if kind == "three_public_items":
        t = tables["three_public"]
        if t.empty:
            return None
        if doc_kind == "final":
            r = t.rows[0]
            col = 11 if r.cells[11] else 7
            old = _num(r.cells[col])
            new = _bump(old, rng) if old else rng.randint(50, 300)
            before = r.cells[col]
            r.cells[col] = money(new)
            w = _where_table(t, r, col, "决算数·" + ("公务接待费" if col == 11 else "因公出国（境）费"))
        else:
            r = t.row("recv") if t.row("recv").cells[1] else t.row("abroad")
            old = _num(r.cells[1])
            new = _bump(old, rng) if old else rng.randint(50, 300)
            before = r.cells[1]
            r.cells[1] = r.cells[2] = money(new)
            w = _where_table(t, r, 1, r.cells[0] + "·合计")
        return {"where": w, "original": before, "new": money(new), "may_also": ["narrative.amount_mismatch"]}
    if kind == "missing_table":
        cands = [t for t in tables.values() if t.required]
        t = rng.choice(cands)
        t.removed = True
        return {"where": {"table": t.title, "label": t.label, "table_id": t.tid, "line": None, "_table": t},
                "original": t.title, "new": None, "may_also": []}
    # narrative faults
    cands = []
    for p in paras:
        for i, s in enumerate(p.segs):
            if kind == "narrative_amount" and isinstance(s, Amt) and s.c > 0 and s.tag:
                cands.append((p, i))
            elif kind == "narrative_direction" and isinstance(s, Dir):
                cands.append((p, i))
            elif kind == "narrative_percent" and isinstance(s, Pct) and s.h > 0 and s.tag:
                cands.append((p, i))
    if not cands:
        return None
    p, i = rng.choice(cands)
    s = p.segs[i]
    before_text = p.text()
    orig = s.text()
    if isinstance(s, Amt):
        p.segs[i] = Amt(_bump(s.c, rng), s.tag)
    elif isinstance(s, Dir):
        p.segs[i] = Dir("减少" if s.word == "增加" else "增加", s.tag)
    else:
        new = s.h
        while new == s.h or new <= 0:
            new = s.h + rng.choice([-1, 1]) * rng.randint(100, 1500)
            if new <= 0:
                new = s.h + rng.randint(100, 1500)
        p.segs[i] = Pct(new, s.tag)
    new_text = p.segs[i].text()
    return {"where": {"section": p.section, "figure": s.tag, "line": None, "_para": p,
                      "sentence_original": before_text[:200]},
            "original": orig, "new": new_text, "may_also": []}


def _finish_where(fault: dict) -> None:
    """Fill line numbers after rendering and drop the private references."""
    w = fault["where"]
    if "_row" in w:
        w["line"] = w.pop("_row").line
    if "_para" in w:
        w["line"] = w.pop("_para").line
    if "_table" in w:
        w["line"] = w.pop("_table").line
        w["note"] = "the whole table (title, label, rows, notes) is absent; line is where it would have started"
    for r in w.get("rows", []):
        if "_row" in r:
            r["line"] = r.pop("_row").line


_DOC_FAULTS = ["class_sum", "total_sum", "row_sum", "summary_balance", "fiscal_vs_general", "basic_vs_detail",
               "three_public_items", "narrative_amount", "narrative_direction", "narrative_percent", "missing_table"]
