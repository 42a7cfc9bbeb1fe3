"""Classification codes: every 款/项 code sits under its own 类/款 (2080505 under 20805 under 208), and one
code carries one name throughout the document."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..registry import normalise_label
from .base import Context, Issue, Row, evidence, rule
from .tables import layout

LEVEL = {3: "类", 5: "款", 7: "项"}


def _coded_tables(ctx: Context) -> list:
    return [t for t in ctx.statement_tables() if layout(t) in ("classified", "items", "summary")
            and any(r.code for r in ctx.rows(t))]


@rule("codes.parent", "warning", "7位科目编码位于其5位、3位上级科目之下")
def parent(ctx: Context) -> Iterator[Issue]:
    """款/项 codes whose 类/款 rows are absent (or which sit under another parent)."""
    for t in _coded_tables(ctx):
        rows = [r for r in ctx.rows(t) if r.code]
        codes = {r.code for r in rows}
        if not any(len(c) == 3 for c in codes):
            continue  # a table that lists 项 only (项目支出表 and the like)
        sections = {r.section for r in rows}
        # One block, one code per printed row: only then does the printed order show the tree
        # (side-by-side blocks interleave their codes row by row).
        ordered = len(sections) == 1 and len({r.row for r in rows}) == len(rows)
        last: dict[int, Row] = {}
        orphans: dict[str, list[Row]] = {}
        for r in rows:
            n = len(r.code)
            issue = None
            if n in (5, 7):
                want = [r.code[:3]] + ([r.code[:5]] if n == 7 else [])
                absent = [c for c in want if c not in codes]
                if absent:
                    orphans.setdefault(absent[0], []).append(r)
                elif ordered:
                    wrong = [(k, last[k]) for k in (3, 5) if k < n and k in last and last[k].code != r.code[:k]]
                    if wrong:
                        k, p = wrong[0]
                        issue = (f"{ctx.table_name(t)}中{LEVEL[n]}级科目{r.code}{r.name}列在{LEVEL[k]}级科目"
                                 f"{p.code}{p.name}之下，编码与上级不符")
            if issue:
                yield Issue(issue, evidence(tables=[t.id], rows=[r.code], lines=[r.line]))
            last[n] = r
            if n == 3:
                last.pop(5, None)
        for code, kids in orphans.items():
            shown = "、".join(f"{k.code}{k.name}" for k in kids[:3]) + (f"等{len(kids)}个科目" if len(kids) > 3 else "")
            yield Issue(f"{ctx.table_name(t)}中{shown}的上级科目{code}未列出，编码可能有误",
                        evidence(tables=[t.id], rows=[k.code for k in kids], lines=[k.line for k in kids]))


def _name_key(name: str) -> str:
    n = normalise_label(name)
    n = re.sub(r"[(（]?(?:类|款|项)[)）]?$", "", n)
    return re.sub(r"[\"“”、，,.。:：()（）\-—·]", "", n)


@rule("codes.name_conflict", "warning", "同一科目编码在文件中名称一致")
def name_conflict(ctx: Context) -> Iterator[Issue]:
    """One code printed with different names in the document."""
    seen: dict[str, tuple[str, Row]] = {}
    reported: set[str] = set()
    for t in _coded_tables(ctx):
        if layout(t) == "items":
            continue  # a 项目支出表 names its projects beside their function codes
        for r in ctx.rows(t):
            if not r.code or not r.name or r.code in reported:
                continue
            key = _name_key(r.name)
            if len(key) < 2 or re.match(r"\d", r.name):
                continue  # a code part read into the name (301 | 01基本工资)
            if r.code not in seen:
                seen[r.code] = (key, r)
                continue
            k0, r0 = seen[r.code]
            if key != k0 and not (key in k0 or k0 in key):
                reported.add(r.code)
                sev = None if (r.values or r0.values) else "info"  # a template row no figure uses: cosmetic
                yield Issue(f"科目{r.code}在{ctx.table_name(r0.table)}中名为“{r0.name}”，在{ctx.table_name(t)}中名为“{r.name}”",
                            evidence(tables=[r0.table.id, t.id], rows=[r.code], lines=[r0.line, r.line]), sev)
