"""Chinese sentences and tables from the metrics, in the register of a report's 情况说明.

"2023年度收入总计1,033.18万元，较上年减少601.12万元，下降36.78%。" Every amount is formatted
by :func:`amount` (thousands separators, two decimals, 万元), every share by :func:`percent`.
Every statement about a figure carries a footnote (:class:`Notes`) naming where the figure was
read: the table and row (with its line in the source file) from the document's ``provenance``,
or the narrative line, or the rule that derived it. Findings become plain sentences with their
numbers and a note naming the rule and the evidence.

The functions return HTML fragments (strings); :func:`budgetlens.report.show` displays them in
a notebook. Figures come from :mod:`budgetlens.metrics` only.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import metrics
from .facts import COUNT_KEYS
from .numbers import format_number

FACT_LABELS = {
    "grand_total": "收入总计",
    "revenue_total": "本年收入合计",
    "expenditure_total": "本年支出合计",
    "carryover_begin": "年初结转和结余",
    "carryover_end": "年末结转和结余",
    "fiscal_revenue": "财政拨款收入",
    "general_budget_revenue": "一般公共预算财政拨款收入",
    "gov_fund_revenue": "政府性基金预算财政拨款收入",
    "state_capital_revenue": "国有资本经营预算财政拨款收入",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "general_budget_expenditure": "一般公共预算财政拨款支出",
    "personnel_expenditure": "人员经费",
    "public_expenditure": "公用经费",
    "three_public_total": "“三公”经费",
    "office_operation": "机关运行经费",
    "procurement_total": "政府采购",
    "procurement_sme": "授予中小企业合同金额",
    "staff_authorized": "编制数",
    "staff_actual": "在职人数",
    "vehicles": "车辆数",
    "budget_initial": "年初预算",
    "budget_adjusted": "调整后预算",
    "budget_executed": "预算执行数",
    "overall_score": "综合得分",
    "overall_grade": "评价等级",
}
METRIC_LABELS = {
    "basic_share": "基本支出占比",
    "project_share": "项目支出占比",
    "personnel_share": "人员经费占基本支出",
    "public_share": "公用经费占基本支出",
    "fiscal_dependency": "财政拨款依存度",
    "staff_control_rate": "在职人员控制率",
    "three_public_per_staff": "人均“三公”经费",
    "office_operation_per_staff": "人均机关运行经费",
    "procurement_sme_share": "中小企业合同占比",
    "carryover_rate": "结转结余率",
    "budget_completion_rate": "预算完成率",
    "budget_adjustment_rate": "预算调整率",
}
UNITS = {"staff_authorized": "人", "staff_actual": "人", "vehicles": "辆", "overall_score": "分"}
TABLE_NAMES = {
    "income_expenditure_summary": "收支总表", "income": "收入表", "expenditure": "支出表",
    "fiscal_summary": "财政拨款收支总表", "general_budget_expenditure": "一般公共预算支出表",
    "basic_expenditure": "一般公共预算基本支出表", "gov_fund": "政府性基金预算支出表",
    "state_capital": "国有资本经营预算支出表", "three_public": "“三公”经费支出表",
    "statistics": "相关信息统计表", "office_operation": "机关运行经费表",
    "unit_performance": "部门整体支出绩效自评表", "project_performance": "项目支出绩效自评表",
    "project_targets": "项目支出绩效目标表", "project_expenditure": "项目支出表",
}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_WORDS = {"final": "决算", "budget": "预算", "performance": "绩效自评"}
DASH = "—"


# --- formatting -------------------------------------------------------------------------------

def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def number(v: float | None, decimals: int = 2) -> str:
    """``1033.18`` → ``1,033.18`` (thousands separators, two decimals); None → ``—``."""
    return DASH if _missing(v) else format_number(v, decimals)


def amount(v: float | None) -> str:
    """An amount in 万元: ``1,033.18万元``."""
    return DASH if _missing(v) else f"{number(v)}万元"


def percent(v: float | None, decimals: int = 2) -> str:
    """A percentage: ``36.78%``."""
    return DASH if _missing(v) else f"{number(v, decimals)}%"


def count(v: float | None, unit: str = "人") -> str:
    """A head count or a number of things: ``40人``."""
    return DASH if _missing(v) else f"{int(round(float(v))):,}{unit}"


def value(key: str, v: float | None) -> str:
    """A fact's value with its unit: amounts in 万元, counts in 人/辆, scores in 分."""
    if key in COUNT_KEYS:
        return count(v, UNITS.get(key, ""))
    if key == "overall_score":
        return DASH if _missing(v) else f"{number(v)}分"
    return amount(v)


def label(key: str, code: str | None = None) -> str:
    """The Chinese name of a fact key, a metric, or a function class (``key == "class"``)."""
    if key == "class" and code:
        return f"{code} {metrics.class_name(code)}"
    return FACT_LABELS.get(key) or METRIC_LABELS.get(key) or key


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def year_phrase(doc: Any) -> str:
    """``2023年度`` for a final or a performance form, ``2025年`` for a budget."""
    year = metrics.doc_year(doc)
    if year is None:
        return "本年"
    return f"{year}年" if metrics.doc_kind(doc) == "budget" else f"{year}年度"


def change_clause(ch: metrics.Change | None, unit_key: str = "amount") -> str:
    """``较上年减少601.12万元，下降36.78%`` / ``与上年持平`` / ``较上年增加12.00万元（上年为0）``;
    ``unit_key`` a fact key: its change in its own unit (:func:`value`: ``较上年减少1人``)."""
    if ch is None:
        return ""

    def fmt(v: float) -> str:
        return value(unit_key, v)
    if abs(ch.absolute) < 0.005:
        return "与上年持平"
    up = ch.absolute > 0
    words = ("增加", "增长") if up else ("减少", "下降")
    clause = f"较上年{words[0]}{fmt(abs(ch.absolute))}"
    if ch.percent is None:
        return clause + "（上年为0）"
    return f"{clause}，{words[1]}{percent(abs(ch.percent))}"


def signed(v: float | None, fmt: Callable[[float], str] = number) -> str:
    """``+0.64`` / ``-601.12`` for tables."""
    if _missing(v):
        return DASH
    if abs(v) < 0.005:
        return fmt(0.0)
    return ("+" if v > 0 else "-") + fmt(abs(v))


# --- provenance and footnotes -----------------------------------------------------------------

def table_title(doc: Any, table_id: str | None) -> str:
    """``收入支出决算总表（公开01表）`` for a table id of the document (its printed title and label)."""
    if not table_id:
        return ""
    for t in metrics.contract(doc).get("tables") or []:
        if t.get("id") == table_id:
            title = t.get("title") or TABLE_NAMES.get(table_id, table_id)
            return f"{title}（{t['label']}）" if t.get("label") else title
    return TABLE_NAMES.get(table_id, table_id)


def source_file(doc: Any) -> str:
    return Path(str(metrics.contract(doc).get("source", {}).get("path", ""))).name


def provenance_text(doc: Any, key: str) -> str | None:
    """Where a fact was read, in words: table and row (and line), or the narrative line, or the
    derivation; None when the document carries no provenance for the key."""
    prov = (metrics.contract(doc).get("provenance") or {}).get(key)
    if not prov:
        return None
    where = source_file(doc)
    src = prov.get("source")
    if src == "table":
        parts = [table_title(doc, prov.get("table"))]
        if prov.get("row"):
            parts.append(f"“{prov['row']}”行")
        text = "".join(parts)
        if prov.get("text") and not prov.get("row"):
            text += f"（{prov['text']}）"
    elif src == "narrative":
        quote = (prov.get("text") or "").strip()
        if len(quote) > 60:
            quote = quote[:60] + "…"
        text = "情况说明" + (f"：“{quote}”" if quote else "")
    elif src == "derived":
        text = f"推算：{prov.get('text') or ''}"
    else:
        text = str(src or "")
    line = prov.get("line")
    return f"{where} · {text}" + (f" · 第{line}行" if line else "")


def class_provenance(doc: Any, code: str) -> str | None:
    """Where a class total was read: the first standard table printing the 类 row (tables.parquet)."""
    frame = getattr(doc, "tables", None)
    if not isinstance(frame, pd.DataFrame) or not len(frame):
        return None
    rows = frame[(frame["code"] == code) & (frame["measure"] == "total")]
    for table_id in ("expenditure", "income_expenditure_summary", "general_budget_expenditure", "fiscal_summary"):
        hit = rows[rows["table_id"] == table_id]
        if len(hit):
            r = hit.iloc[0]
            return f"{source_file(doc)} · {table_title(doc, table_id)}“{code}{r['name']}”行 · 第{int(r['line'])}行"
    return None


def finding_note(doc: Any, finding: dict[str, Any]) -> str:
    """The evidence of a finding in words: rule, tables and source lines."""
    ev = finding.get("evidence") or {}
    parts = [f"规则 {finding.get('rule', '')}"]
    tables = [table_title(doc, t) for t in ev.get("tables") or []]
    if tables:
        parts.append("、".join(dict.fromkeys(tables)))
    lines = ev.get("lines") or []
    if lines:
        shown = "、".join(str(x) for x in lines[:8]) + ("…" if len(lines) > 8 else "")
        parts.append(f"第{shown}行")
    return f"{source_file(doc)} · " + "；".join(parts)


class Notes:
    """Footnotes of one page: :meth:`ref` returns a numbered marker (with the note as tooltip);
    :meth:`html` renders the notes added since the last call. The same text gets the same number."""

    def __init__(self, prefix: str = "fn") -> None:
        self.prefix = prefix
        self._texts: list[str] = []
        self._index: dict[str, int] = {}
        self._flushed = 0

    def ref(self, text: str | None) -> str:
        if not text:
            return ""
        n = self._index.get(text)
        if n is None:
            self._texts.append(text)
            n = self._index[text] = len(self._texts)
        return (f'<sup class="fn"><a href="#{self.prefix}-{n}" title="{esc(text)}">[{n}]</a></sup>')

    def fact(self, doc: Any, key: str) -> str:
        """The marker for a fact of a document (empty when it has no provenance)."""
        return self.ref(provenance_text(doc, key))

    def html(self) -> str:
        """An ordered list of the notes added since the previous call ('' when none)."""
        start = self._flushed
        items = self._texts[start:]
        self._flushed = len(self._texts)
        if not items:
            return ""
        lis = "".join(f'<li id="{self.prefix}-{start + i + 1}">{esc(t)}</li>' for i, t in enumerate(items))
        return f'<ol class="footnotes" start="{start + 1}">{lis}</ol>'


def _prev_note(doc: Any, previous: Any, basis: str | None, key: str) -> str | None:
    if basis == "document" and previous is not None:
        where = provenance_text(previous, key)
        return f"上年数取自同一单位{year_phrase(previous)}{KIND_WORDS.get(metrics.doc_kind(previous), '')}：" + (
            where or source_file(previous))
    if basis == "prior_year":
        return f"{source_file(doc)} · 上年数由本文件情况说明的增减额推算（prior_year）"
    return None


# --- sentences --------------------------------------------------------------------------------

def paragraph(sentences: Iterable[str]) -> str:
    text = "".join(s for s in sentences if s)
    return f"<p>{text}</p>" if text else ""


def fact_sentence(doc: Any, key: str, notes: Notes, yoy: pd.DataFrame | None = None,
                  previous: Any = None, lead: str = "") -> str:
    """``{lead}{label}{value}[n]，较上年…[m]。`` for one fact (empty when the fact is absent)."""
    v = metrics.fact(doc, key)
    if v is None:
        return ""
    text = f"{lead}{esc(label(key))}{esc(value(key, v))}{notes.fact(doc, key)}"
    ch = metrics.yoy_value(yoy, key) if yoy is not None else None
    if ch is not None:
        basis = _basis(yoy, key)
        text += "，" + esc(change_clause(ch, key if key in COUNT_KEYS else "amount"))
        text += notes.ref(_prev_note(doc, previous, basis, key))
    return text + "。"


def _basis(yoy: pd.DataFrame, key: str, code: str | None = None) -> str | None:
    rows = yoy[(yoy["key"] == key) & ((yoy["code"] == code) if code else yoy["code"].isna())]
    return rows["basis"].iloc[0] if len(rows) else None


def overview(doc: Any, notes: Notes, yoy: pd.DataFrame | None = None, previous: Any = None) -> str:
    """The opening paragraph of a 情况说明: totals, their change, revenue and expenditure."""
    yp = year_phrase(doc)
    s: list[str] = []
    first = True
    for key in ("grand_total", "revenue_total", "expenditure_total"):
        sentence = fact_sentence(doc, key, notes, yoy, previous, lead=yp if first else "")
        if sentence:
            s.append(sentence)
            first = False
    fiscal, dep = metrics.fact(doc, "fiscal_revenue"), metrics.fiscal_dependency(doc)
    if fiscal is not None:
        text = f"其中财政拨款收入{esc(amount(fiscal))}{notes.fact(doc, 'fiscal_revenue')}"
        if dep is not None:
            text += f"，占本年收入合计的{percent(dep)}（财政拨款依存度）"
        s.append(text + "。")
    for key in ("carryover_begin", "carryover_end"):
        v = metrics.fact(doc, key)
        if v:
            s.append(f"{esc(label(key))}{esc(amount(v))}{notes.fact(doc, key)}。")
    rate = metrics.carryover_rate(doc)
    if rate:
        s.append(f"结转结余率{percent(rate)}。")
    if metrics.doc_kind(doc) == "performance":
        s.append(performance_sentence(doc, notes))
    if not any(s):
        return "<p>本文件未列出收支总额。</p>"
    return paragraph(s)


def structure(doc: Any, notes: Notes) -> str:
    """Basic vs project expenditure and personnel vs public shares of basic expenditure."""
    st = metrics.expenditure_structure(doc)
    s = []
    basic, project = metrics.fact(doc, "basic_expenditure"), metrics.fact(doc, "project_expenditure")
    if basic is not None and project is not None:
        s.append(f"{year_phrase(doc)}本年支出中，基本支出{esc(amount(basic))}{notes.fact(doc, 'basic_expenditure')}，"
                 f"占{percent(st['basic_share'])}；项目支出{esc(amount(project))}{notes.fact(doc, 'project_expenditure')}，"
                 f"占{percent(st['project_share'])}")
        reserve = metrics.fact(doc, "reserve_expenditure")
        if reserve and st["reserve_share"] is not None:
            s[-1] += (f"；单位预留机动经费{esc(amount(reserve))}{notes.fact(doc, 'reserve_expenditure')}，"
                      f"占{percent(st['reserve_share'])}")
            if st["other_share"] and abs(st["other_share"] - st["reserve_share"]) >= 0.01:
                s[-1] += f"；其他支出占{percent(st['other_share'] - st['reserve_share'])}"
        elif st["other_share"]:
            s[-1] += f"；其他支出占{percent(st['other_share'])}"
        s[-1] += "。"
    personnel, public = metrics.fact(doc, "personnel_expenditure"), metrics.fact(doc, "public_expenditure")
    if personnel is not None and public is not None:
        s.append(f"一般公共预算基本支出中，人员经费{esc(amount(personnel))}{notes.fact(doc, 'personnel_expenditure')}，"
                 f"占{percent(st['personnel_share'])}；公用经费{esc(amount(public))}{notes.fact(doc, 'public_expenditure')}，"
                 f"占{percent(st['public_share'])}。")
    return paragraph(s)


def classes(doc: Any, notes: Notes, top: int = 5) -> str:
    """The largest function classes and their shares."""
    shares = metrics.class_shares(doc)
    if not len(shares):
        return ""
    parts = []
    for r in shares.head(top).itertuples():
        ref = notes.ref(class_provenance(doc, r.code))
        parts.append(f"{esc(r.name)}{esc(amount(r.amount))}{ref}，占{percent(r.share)}")
    rest = len(shares) - top
    tail = f"；其余{rest}类合计占{percent(shares['share'].iloc[top:].sum())}" if rest > 0 else ""
    return paragraph([f"按支出功能分类，{'；'.join(parts)}{tail}。"])


def staff_and_costs(doc: Any, notes: Notes, previous: Any = None) -> str:
    """Staff, 在职人员控制率, 三公 and 机关运行经费 (total, change, per head), 政府采购."""
    s = []
    auth, actual = metrics.fact(doc, "staff_authorized"), metrics.fact(doc, "staff_actual")
    if auth is not None or actual is not None:
        bits = []
        if auth is not None:
            bits.append(f"编制数{count(auth)}{notes.fact(doc, 'staff_authorized')}")
        if actual is not None:
            bits.append(f"在职人数{count(actual)}{notes.fact(doc, 'staff_actual')}")
        text = "，".join(bits)
        rate = metrics.staff_control_rate(doc)
        if rate is not None:
            text += f"，在职人员控制率{percent(rate)}"
        s.append(text + "。")
    per = metrics.per_staff(doc)
    changes = metrics.per_staff_change(doc, previous)
    basis_word = {"staff_actual": "在职人数", "staff_authorized": "编制数"}.get(per["basis"] or "", "")
    for key, per_key in (("three_public_total", "three_public_per_staff"),
                         ("office_operation", "office_operation_per_staff")):
        v = per[key]
        if v is None:
            continue
        text = f"{esc(label(key))}{esc(amount(v))}{notes.fact(doc, key)}"
        clause = change_clause(changes[key])
        if clause:
            text += "，" + clause
        if per[per_key] is not None:
            text += f"，按{basis_word}{count(per['staff'])}计人均{number(per[per_key])}万元"
            pc = changes[per_key]
            if pc is not None:
                text += f"（上年人均{number(pc.previous)}万元）"
        s.append(text + "。")
    proc = metrics.procurement(doc)
    if not s and proc["total"] is None:
        return "<p>本文件未列出人员编制、“三公”经费、机关运行经费或政府采购的数据。</p>"
    if proc["total"] is not None:
        word = "政府采购预算" if metrics.doc_kind(doc) == "budget" else "政府采购支出"
        text = f"{word}{esc(amount(proc['total']))}{notes.fact(doc, 'procurement_total')}"
        if proc["sme"] is not None:
            text += (f"，其中授予中小企业合同金额{esc(amount(proc['sme']))}{notes.ref(source_file(doc) + ' · 情况说明（政府采购）')}"
                     f"，占{percent(proc['sme_share'])}")
        s.append(text + "。")
    return paragraph(s)


def performance_sentence(doc: Any, notes: Notes) -> str:
    """A performance form's budget, execution and score."""
    rates = metrics.performance_rates(doc)
    bits = []
    for key in ("budget_initial", "budget_adjusted", "budget_executed"):
        v = metrics.fact(doc, key)
        if v is not None:
            bits.append(f"{label(key)}{amount(v)}{notes.fact(doc, key)}")
    if rates["completion"] is not None:
        bits.append(f"预算完成率{percent(rates['completion'])}")
    if rates["adjustment"]:
        bits.append(f"预算调整率{percent(rates['adjustment'])}")
    score = metrics.fact(doc, "overall_score")
    if score is not None:
        grade = metrics.facts(doc).get("overall_grade")
        bits.append(f"部门整体自评综合得分{number(score)}分{notes.fact(doc, 'overall_score')}" + (f"，等级为“{esc(grade)}”" if grade else ""))
    return ("；".join(bits) + "。") if bits else ""


def yoy_sentences(doc: Any, yoy: pd.DataFrame, notes: Notes, previous: Any = None) -> str:
    """One sentence per fact and class that changed (or did not) against the previous year; a
    sentence saying so when nothing can be compared."""
    if yoy is None or not len(yoy):
        return ("<p>本单位没有上一年度的同类文件，本文件的说明也未给出可对应的上年数，无法计算与上年相比的变化。</p>")
    items = []
    yp = year_phrase(doc)
    for r in yoy.itertuples():
        key, code = r.key, r.code if isinstance(r.code, str) else None
        if abs(r.current) < 0.005 and abs(r.previous) < 0.005:
            continue  # none this year, none last year: the table shows it, a sentence would be noise
        ch = metrics.Change(r.current, r.previous, r.change, None if _missing(r.change_pct) else r.change_pct)
        unit_key = key if key in COUNT_KEYS else "amount"
        cur_ref = notes.ref(class_provenance(doc, code)) if code else notes.fact(doc, key)
        if not code:
            prev_ref = notes.ref(_prev_note(doc, previous, r.basis, key))
        elif previous is not None:
            prev_ref = notes.ref(f"上年数取自同一单位{year_phrase(previous)}{KIND_WORDS.get(metrics.doc_kind(previous), '')}："
                                 + (class_provenance(previous, code) or source_file(previous)))
        else:
            prev_ref = ""
        name = metrics.class_name(code) if code else label(key)
        items.append(f"<li>{yp}{esc(name)}{esc(value(unit_key, r.current))}{cur_ref}，"
                     f"{esc(change_clause(ch, unit_key))}{prev_ref}。</li>")
    if not items:
        return "<p>与上年相比，可比的数据项本年和上年均为0。</p>"
    return f'<ul class="yoy">{"".join(items)}</ul>'


def execution(budget: Any, final: Any, notes: Notes) -> str:
    """决算 against 年初预算 of the same year, and the PEFA PI-2 composition variance."""
    totals = metrics.execution_totals(budget, final)
    s = []
    for key in ("expenditure_total", "basic_expenditure", "project_expenditure", "three_public_total",
                "public_expenditure"):
        row = totals[totals["key"] == key]
        if not len(row):
            continue
        r = row.iloc[0]
        text = (f"{label(key)}决算{esc(amount(r['final']))}{notes.fact(final, key)}，"
                f"年初预算{esc(amount(r['budget']))}{notes.fact(budget, key)}")
        text += f"，完成年初预算的{percent(r['rate'])}" if r["rate"] is not None and not _missing(r["rate"]) else ""
        s.append(text + "。")
    cv = metrics.pi2(budget, final)
    if cv is not None:
        s.append(f"按支出功能分类计算的结构偏差（PEFA PI-2）为{percent(cv.variance)}，评级为{cv.grade}"
                 f"（A < 5%，B < 10%，C < 15%）。")
    return paragraph(s)


def projects(doc: Any, notes: Notes) -> str:
    """Project self-evaluations: count, totals, overall execution, scores, low performers."""
    summary = metrics.project_summary(doc)
    if not summary["count"]:
        return f"<p>{esc(year_phrase(doc))}{KIND_WORDS.get(metrics.doc_kind(doc), '')}文件未列出项目绩效自评或绩效目标。</p>"
    s = [f"{year_phrase(doc)}共有{summary['count']}个项目列出绩效自评或绩效目标"]
    if summary["budget"] is not None:
        s[-1] += (f"，全年预算合计{amount(summary['budget'])}，执行{amount(summary['executed'])}，"
                  f"总体执行率{percent(summary['execution_rate'])}")
    s[-1] += "。"
    if summary["score_mean"] is not None:
        bands = "、".join(f"{g}{n}个" for g, n in summary["bands"].items() if n)
        s.append(f"自评得分{number(summary['score_min'])}至{number(summary['score_max'])}分，平均"
                 f"{number(summary['score_mean'])}分（按分数段：{bands}）。")
    table = metrics.project_table(doc)
    low = table[table["execution_rate"].notna() & (table["execution_rate"] < 90)] if len(table) else table
    if len(low):
        names = "；".join(f"{esc(r.name)}（{percent(r.execution_rate)}）" for r in low.itertuples())
        s.append(f"执行率低于90%的项目{len(low)}个：{names}。")
    if summary["grade_mismatch"]:
        s.append(f"{summary['grade_mismatch']}个项目的等级与其得分所在分数段不一致。")
    return paragraph(s)


def findings(doc: Any, notes: Notes, severities: Sequence[str] = ("error", "warning")) -> str:
    """The validator's findings as plain sentences (errors, then warnings), each with its evidence
    as a footnote; rounding-only notes (info) are summarised in one sentence."""
    found = metrics.contract(doc).get("findings") or []
    items = []
    for sev in severities:
        for f in (x for x in found if x.get("severity") == sev):
            msg = (f.get("message") or "").rstrip("。")
            items.append(f'<li class="finding {sev}"><span class="sev">{SEVERITY_LABELS.get(sev, sev)}</span>'
                         f"{esc(msg)}。{notes.ref(finding_note(doc, f))}</li>")
    counts = metrics.findings_counts(doc)
    head = f"<p>{esc(source_file(doc))}（{year_phrase(doc)}{KIND_WORDS.get(metrics.doc_kind(doc), '')}）："
    if counts["error"] or counts["warning"]:
        head += f"校验发现{counts['error']}处数字矛盾、{counts['warning']}处可能的问题"
    else:
        head += "校验未发现数字矛盾"
    if counts["info"]:
        head += f"；另有{counts['info']}处差异在尾数误差范围内，不视为错误"
    head += "。</p>"
    return head + (f'<ul class="findings">{"".join(items)}</ul>' if items else "")


# --- tables -----------------------------------------------------------------------------------

Column = tuple[str, str, Callable[[Any], str]]


def html_table(frame: pd.DataFrame, columns: Sequence[Column], caption: str | None = None,
               numeric: Iterable[str] = (), css: str = "data") -> str:
    """A frame as an HTML table: ``columns`` are (column, header, formatter); numeric columns align right.
    A formatter may return markup (already escaped)."""
    if frame is None or not len(frame):
        return ""
    numeric = set(numeric)
    head = "".join(f'<th{" class=num" if c in numeric else ""}>{esc(h)}</th>' for c, h, _ in columns)
    body = []
    for _, row in frame.iterrows():
        cells = "".join(f'<td{" class=num" if c in numeric else ""}>{fmt(row[c])}</td>' for c, _, fmt in columns)
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def facts_table(doc: Any, notes: Notes | None = None) -> str:
    """The document's facts with values and where each was read."""
    rows = []
    for key, v in metrics.facts(doc).items():
        if key == "overall_grade":
            shown = esc(v)
        elif isinstance(v, int | float):
            shown = esc(value(key, v))
        else:
            continue
        where = provenance_text(doc, key) or ""
        rows.append({"label": esc(label(key)), "value": shown, "where": esc(where.split(" · ", 1)[-1])})
    frame = pd.DataFrame(rows)
    return html_table(frame, [("label", "项目", str), ("value", "数值", str), ("where", "出处", str)],
                      numeric=["value"])


def key_figures_table(doc: Any, notes: Notes) -> str:
    """Headline figures of a document: amounts with footnotes, then shares and rates."""
    kf = metrics.key_figures(doc)
    rows = []
    for key in ("grand_total", "revenue_total", "expenditure_total", "fiscal_revenue", "basic_expenditure",
                "project_expenditure", "personnel_expenditure", "public_expenditure", "three_public_total",
                "office_operation", "procurement_total", "staff_authorized", "staff_actual",
                "budget_initial", "budget_adjusted", "budget_executed", "overall_score"):
        if kf.get(key) is not None:
            rows.append({"label": esc(label(key)), "value": esc(value(key, kf[key])) + notes.fact(doc, key)})
    for key in ("fiscal_dependency", "basic_share", "project_share", "personnel_share", "public_share",
                "staff_control_rate", "procurement_sme_share", "carryover_rate", "budget_completion_rate"):
        if kf.get(key) is not None:
            rows.append({"label": esc(label(key)), "value": percent(kf[key])})
    for key in ("three_public_per_staff", "office_operation_per_staff"):
        if kf.get(key) is not None:
            rows.append({"label": esc(label(key)), "value": f"{number(kf[key])}万元/人"})
    return html_table(pd.DataFrame(rows), [("label", "指标", str), ("value", year_phrase(doc), str)],
                      numeric=["value"], css="data kpi")


def yoy_table(yoy: pd.DataFrame, caption: str | None = None) -> str:
    """A :func:`metrics.yoy_table` as an HTML table (本年, 上年, 增减额, 增减率, 上年数来源)."""
    if yoy is None or not len(yoy):
        return ""
    frame = yoy.copy()
    frame["item"] = [esc(label(k, c if isinstance(c, str) else None)) for k, c in zip(frame["key"], frame["code"], strict=True)]
    fmt_v = {i: (lambda v, k=k: esc(value(k if k in COUNT_KEYS else "amount", v)))
             for i, k in enumerate(frame["key"])}
    frame["cur"] = [fmt_v[i](v) for i, v in enumerate(frame["current"])]
    frame["prev"] = [fmt_v[i](v) for i, v in enumerate(frame["previous"])]
    frame["basis_text"] = frame["basis"].map({"document": "上年文件", "prior_year": "本文件说明"}).fillna("")
    return html_table(frame, [("item", "项目", str), ("cur", "本年", str), ("prev", "上年", str),
                              ("change", "增减额", lambda v: signed(v)),
                              ("change_pct", "增减率", lambda v: signed(v, percent)),
                              ("basis_text", "上年数来源", esc)],
                      caption=caption, numeric=["cur", "prev", "change", "change_pct"])


def class_table(doc: Any) -> str:
    shares = metrics.class_shares(doc)
    return html_table(shares, [("code", "科目编码", esc), ("name", "类", esc), ("amount", "金额（万元）", number),
                               ("share", "占比", percent)], numeric=["amount", "share"])


def execution_table(budget: Any, final: Any) -> str:
    frame = metrics.execution_by_class(budget, final)
    return html_table(frame, [("code", "科目编码", esc), ("name", "类", esc), ("budget", "年初预算", number),
                              ("final", "决算", number), ("difference", "差额", signed), ("rate", "执行率", percent)],
                      numeric=["budget", "final", "difference", "rate"])


def project_table(doc: Any, notes: Notes | None = None) -> str:
    """The projects with budget, execution, rate, score and grade; with ``notes``, each name carries a
    footnote naming the form's line in the source file."""
    frame = metrics.project_table(doc)
    if notes is not None and len(frame):
        lines = [p.get("line") for p in metrics.contract(doc).get("projects") or []]
        title = "项目支出绩效目标表" if metrics.doc_kind(doc) == "budget" else "项目支出绩效自评表"
        frame["name"] = [esc(n) + (notes.ref(f"{source_file(doc)} · {title}“{n}” · 第{line}行") if line else "")
                         for n, line in zip(frame["name"], lines, strict=True)]
    name_fmt = str if notes is not None else esc
    return html_table(frame, [("name", "项目", name_fmt), ("budget", "全年预算（万元）", lambda v: number(v, 3)),
                              ("executed", "执行数（万元）", lambda v: number(v, 3)),
                              ("execution_rate", "执行率", percent), ("score", "得分", number),
                              ("grade", "等级", lambda v: esc(v) if not _missing(v) else DASH)],
                      numeric=["budget", "executed", "execution_rate", "score"])


def tables_list(doc: Any) -> str:
    """The standard tables a document publishes (title, label, rows, empty)."""
    rows = [{"title": t.get("title"), "label": t.get("label") or "", "rows": t.get("rows"),
             "empty": "空表" if t.get("empty") else ""} for t in metrics.contract(doc).get("tables") or []]
    return html_table(pd.DataFrame(rows), [("title", "表名", esc), ("label", "编号", esc), ("rows", "行数", esc),
                                           ("empty", "说明", esc)], numeric=["rows"])


def canonical_table(tables: pd.DataFrame, table_id: str, title: str | None = None) -> str:
    """One canonical table (tables.parquet rows of ``table_id``) as rows × measures, in 万元."""
    part = tables[tables["table_id"] == table_id]
    if not len(part):
        return ""
    part = part.dropna(subset=["measure"])
    if not len(part):
        return ""
    part = part.assign(code=part["code"].fillna(""), item=part["name"].fillna(""))
    wide = part.pivot_table(index=["row", "section", "code", "item"], columns="measure", values="value",
                            aggfunc="first", sort=False).reset_index().sort_values("row")
    measures = list(dict.fromkeys(part["measure"]))
    cols: list[Column] = [("code", "编码", esc), ("item", "项目", esc)]
    cols += [(m, m, number) for m in measures]
    return html_table(wide, cols, caption=title, numeric=measures, css="data canonical")


def unit_documents_table(unit: Any) -> str:
    """The documents of a unit: year, kind, source file, findings counts."""
    rows = []
    for d in unit.documents:
        c = metrics.findings_counts(d)
        rows.append({"year": metrics.doc_year(d), "kind": KIND_WORDS.get(metrics.doc_kind(d), metrics.doc_kind(d)),
                     "unit": d.unit, "file": source_file(d), "errors": c["error"], "warnings": c["warning"]})
    return html_table(pd.DataFrame(rows), [("year", "年度", esc), ("kind", "类型", esc), ("unit", "文件所列单位名称", esc),
                                           ("file", "源文件", esc), ("errors", "错误", esc), ("warnings", "警告", esc)],
                      numeric=["errors", "warnings"])


def badge(counts: dict[str, int]) -> str:
    """A data-quality badge: 数字矛盾 n 处 / 可能问题 n 处 / 未发现问题."""
    state = metrics.quality_badge(counts)
    text = {"error": f"数字矛盾{counts.get('error', 0)}处", "warning": f"可能问题{counts.get('warning', 0)}处",
            "ok": "未发现问题"}[state]
    return f'<span class="badge {state}">{text}</span>'


# --- the panel (its table and charts: budgetlens.panel) ---------------------------------------

def rule_table(rules: pd.DataFrame) -> str:
    """How often each validator rule fired (:func:`metrics.rule_counts`)."""
    if rules is None or not len(rules):
        return "<p>校验未发现任何问题。</p>"
    frame = rules.assign(sev=rules["severity"].map(SEVERITY_LABELS).fillna(rules["severity"]))
    return html_table(frame, [("rule", "规则", esc), ("sev", "级别", esc), ("findings", "次数", esc),
                              ("documents", "涉及文件数", esc)], numeric=["findings", "documents"])
