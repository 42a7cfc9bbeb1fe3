"""Completeness: the tables each kind of document must publish (registry/tables.yaml ``required``),
and empty tables that do not say they are empty (财预〔2016〕143号: an empty table is still published,
marked 空表/本表无数据)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..registry import normalise_label, required_tables, table_kind
from .base import Context, Issue, evidence, rule
from .narrative import text_of
from .tables import table_is_empty

EMPTY_WORDS = re.compile(r"空表|无数据|无此项|未安排|没有安排|没有使用|未使用|无相关")


def _mentions_of(ctx: Context, kind_id: str) -> list[tuple[int, str]]:
    """Lines of the text (目录, 说明) that name a table kind by one of its aliases."""
    kind = table_kind(kind_id)
    aliases = sorted({normalise_label(a) for a in (*kind.aliases, kind.name)}, key=len, reverse=True)
    out = []
    for b in ctx.result.document.text_blocks():
        t = normalise_label(b.text)
        t = re.sub(r"20\d{2}年度?", "", t)
        if any(a in t for a in aliases):
            out.append((b.line, b.text.strip()))
    return out


@rule("completeness.missing_table", "warning", "按模板必须公开的表格均已公开")
def missing_table(ctx: Context) -> Iterator[Issue]:
    """Required tables (registry ``required``) the document does not publish; a mostly-absent set is info."""
    required = required_tables(ctx.kind, [t.title or "" for t in ctx.result.tables])
    if not required:
        return
    present = {t.id for t in ctx.result.tables}
    standard = [t for t in ctx.result.tables if t.kind_name is not None]
    if not standard:
        yield Issue("未识别到任何标准表格（可能表格另册公开或为扫描件），无法核对表格完整性",
                    evidence(values=[]), "info")
        return
    missing = [k for k in required if k not in present]
    if len(missing) * 2 > len(required):
        names = "、".join(table_kind(k).name for k in missing)
        yield Issue(f"仅识别到{len(required) - len(missing)}张必备表格，缺{names}；可能表格另册公开或未能识别",
                    evidence(tables=missing, missing=missing), "info")
        return
    for kind_id in missing:
        kind = table_kind(kind_id)
        mentions = _mentions_of(ctx, kind_id)
        said_empty = [m for m in mentions if EMPTY_WORDS.search(m[1])]
        note = ""
        if said_empty:
            clause = next((c for c in re.split(r"[，,。；;]", said_empty[0][1]) if EMPTY_WORDS.search(c)), "")
            note = f"；说明称“{clause.strip()[:40]}”，但空表也应公开"
        elif mentions:
            note = f"；目录或说明提及该表（第{mentions[0][0]}行）"
        yield Issue(f"未公开{kind.name}（{'预算' if ctx.kind == 'budget' else '决算'}公开必备表格）{note}",
                    evidence(tables=[kind_id], lines=[m[0] for m in mentions[:5]], missing=kind_id))


_FUND_WORDS = {"gov_fund": "政府性基金", "state_capital": "国有资本经营"}


@rule("completeness.note_fund", "warning", "表下注明的资金与表格一致（国有资本经营预算表的注不应写政府性基金）")
def note_fund(ctx: Context) -> Iterator[Issue]:
    """A fund table's note names the other fund (国有资本经营预算支出表 under a note "无政府性基金预算…"):
    the note was copied from the neighbouring table."""
    for t in ctx.statement_tables():
        own = _FUND_WORDS.get(t.id)
        if own is None:
            continue
        other = next(w for k, w in _FUND_WORDS.items() if k != t.id)
        for n in t.notes:
            c = re.sub(r"\s+", "", n)
            if other in c and own not in c and EMPTY_WORDS.search(c):
                yield Issue(f"{ctx.table_name(t)}的表注写“{c[:50]}”，说的是{other}而非{own}",
                            evidence(tables=[t.id], lines=[t.line], text=c[:160]))
                break


@rule("completeness.undeclared_empty", "warning", "无数据的表格应注明“本表无数据”/空表")
def undeclared_empty(ctx: Context) -> Iterator[Issue]:
    """Standard tables without figures that no 本表无数据/空表 note declares empty."""
    nar_text = [(s.line, text_of(s)) for s in ctx.result.narrative.sentences]
    for t in ctx.statement_tables():
        if not table_is_empty(t):
            continue
        raw = ctx._raw.get(id(t))
        if raw is not None and raw.context.empty_declared:
            continue
        if t.notes and any(EMPTY_WORDS.search(n) for n in t.notes):
            continue
        kind = table_kind(t.id)
        words = [normalise_label(a) for a in kind.aliases] + [normalise_label(kind.name)]
        said = next(((ln, tx) for ln, tx in nar_text if EMPTY_WORDS.search(tx) and any(w in tx for w in words)), None)
        if said is not None:
            yield Issue(f"{ctx.table_name(t)}无数据，表下未注明“本表无数据”（说明中已说明：“{said[1][:40]}”）",
                        evidence(tables=[t.id], lines=[t.line, said[0]]), "info")
        else:
            yield Issue(f"{ctx.table_name(t)}无数据，但未注明“本表无数据”或空表", evidence(tables=[t.id], lines=[t.line]))
