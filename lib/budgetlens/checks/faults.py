"""Fault injection for the validator: single, detectable perturbations of a report's text.

:func:`perturbations` reads one (consistent enough) report, picks things a validator can check —
a table cell that takes part in an identity (类/款/项, 合计, the 收支总表's two sides), a narrative
amount that repeats a table figure, a percentage whose amounts are stated, a direction word of a
year-over-year statement, a table the template requires — and returns edits of single lines with
the rule expected to catch each. :func:`evaluate` applies them one by one, extracts and checks the
perturbed text, and reports which were caught (a new error/warning finding of the expected rule).
Everything is deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..numbers import decimals, parse_amount, to_wan
from ..registry import normalise_label, required_tables
from . import run_checks
from .base import Context, Row
from .narrative import SHARE_RE, amounts, subjects_in, table_fact, text_of, yoy_statements
from .tables import (
    EXPENDITURE_ROWS,
    INCOME_ROWS,
    function_class_of,
    hierarchy,
    layout,
    ordinal_level,
    side_rows,
    top_level,
    total_rows,
)


@dataclass
class Perturbation:
    """One change to a report: line edits (0-based index → new text, None deletes the line)."""

    source: str
    kind: str  # cell | narrative_amount | narrative_percent | direction | delete_table
    rule: str
    line: int  # 1-based line of the change (first line removed for delete_table)
    description: str
    edits: dict[int, str | None] = field(default_factory=dict)

    def apply(self, lines: list[str]) -> list[str]:
        out = []
        for i, text in enumerate(lines):
            if i in self.edits:
                if self.edits[i] is not None:
                    out.append(self.edits[i])
            else:
                out.append(text)
        return out


def read_lines(path: str | Path) -> list[str]:
    """A text file's lines."""
    return Path(path).read_text(encoding="utf-8").split("\n")


# --- numbers ------------------------------------------------------------------------------------


def _format_like(old: str, value: float) -> str:
    """A new amount printed the way ``old`` is (decimals, thousands separators)."""
    d = decimals(old)
    s = f"{value:,.{d}f}" if "," in old else f"{value:.{d}f}"
    return s


def _bumped(old: str, rng: random.Random, unit_scale: float = 1.0) -> str:
    """A visibly different positive amount (5–40 %, at least one 万元-unit's 1.00)."""
    v = parse_amount(old) or 0.0
    for _ in range(20):
        step = max(abs(v) * rng.uniform(0.05, 0.4), 1.0 * unit_scale)
        new = v + step if (rng.random() < 0.5 or v - step <= 0) else v - step
        s = _format_like(old, new)
        if s != old and (parse_amount(s) or 0.0) > 0:
            return s
    return _format_like(old, v + 10 * unit_scale)


# --- table cells ------------------------------------------------------------------------------------


def _cell_index(ctx: Context, r: Row, measure: str) -> int | None:
    """The raw cell (column index) printing one measure of a row."""
    raw = ctx.raw_row(r.table, r.row)
    if not raw:
        return None
    order = [m for m in r.values]  # frame order = column order within the row
    v = r.values[measure]
    k = sum(1 for m in order[: order.index(measure)] if abs(r.values[m] - v) < 1e-9)
    hits = []
    for j, cell in enumerate(raw):
        c = cell.strip()
        if not c or re.fullmatch(r"\d{1,7}", c) and "." not in c and len(raw) > 2 and j < 2:
            continue
        p = parse_amount(c)
        if p is not None and abs((to_wan(p, r.table.source_currency) or 0.0) - v) < 1e-9 and ("." in c or "," in c):
            hits.append(j)
    # In side-by-side rows the other side may print the same figure: count only this row's section.
    same = [x for x in ctx.rows(r.table) if x.row == r.row]
    if len(same) > 1:
        before = sum(1 for x in same[: same.index(r)] for m, val in x.values.items() if abs(val - v) < 1e-9)
        k += before
    return hits[k] if k < len(hits) else None


def _cell_candidates(ctx: Context) -> list[tuple[Row, str, str]]:
    """(row, measure, expected rule) for table cells that take part in an identity."""
    out: list[tuple[Row, str, str]] = []
    for t in ctx.statement_tables():
        lay = layout(t)
        rows = ctx.rows(t)
        if lay in ("classified", "items"):
            in_tree: dict[int, set[str]] = {}
            for parent, kids, _level in hierarchy(ctx, t):
                if not parent.values:
                    continue
                for m in parent.values:
                    if any(m in k.values for k in kids):
                        in_tree.setdefault(id(parent), set()).add(m)
                        for k in kids:
                            if m in k.values:
                                in_tree.setdefault(id(k), set()).add(m)
            for r in rows:
                for m in sorted(in_tree.get(id(r), ())):
                    out.append((r, m, "table.class_sum"))
            for section in dict.fromkeys(r.section for r in rows):
                srows = [r for r in rows if r.section == section]
                tops = top_level(ctx, srows)
                for tot in total_rows(srows) if tops else []:
                    for m in tot.values:
                        if any(m in x.values for x in tops):
                            out.append((tot, m, "table.total_sum"))
        elif lay == "summary":
            inc, exp = side_rows(ctx, t, "income"), side_rows(ctx, t, "expenditure")
            from .tables import find_row

            for side, names in ((inc, INCOME_ROWS), (exp, EXPENDITURE_ROWS)):
                grand = find_row(side, names["grand"])
                head = find_row(side, names["revenue" if side is inc else "expenditure"])
                if grand is not None and head is not None and grand is not head and "total" in grand.values:
                    out.append((grand, "total", "summary.balance"))
            classes = [r for r in exp if function_class_of(r) and r.values]
            if find_row(exp, EXPENDITURE_ROWS["expenditure"]) is not None:
                out += [(r, m, "summary.items") for r in classes for m in r.values]
            revenue = find_row(inc, INCOME_ROWS["revenue"])
            if revenue is not None and ordinal_level(revenue) == 0:
                out += [(r, "total", "summary.items") for r in inc
                        if ordinal_level(r) == 1 and r.row < revenue.row and "total" in r.values]
    return out


def _cell_perturbation(ctx: Context, lines: list[str], r: Row, m: str, rule: str, rng: random.Random,
                       source: str) -> Perturbation | None:
    j = _cell_index(ctx, r, m)
    if j is None or not r.line:
        return None
    i = r.line - 1
    cells = lines[i].split("\t")
    raw = ctx.raw_row(r.table, r.row)
    if len(cells) != len(raw) or cells[j].strip() != raw[j].strip():
        return None
    old = cells[j].strip()
    scale = 10000.0 if r.table.source_currency == "元" else 1.0
    new = _bumped(old, rng, scale)
    cells[j] = cells[j].replace(old, new)
    return Perturbation(source, "cell", rule, r.line, f"{ctx.table_name(r.table)} {r.display} {m}: {old} → {new}",
                        {i: "\t".join(cells)})


# --- narrative --------------------------------------------------------------------------------------


def _replace_in_lines(lines: list[str], start_line: int, pattern: re.Pattern, new: Callable[[re.Match], str],
                      anchor: str | None = None, span: int = 6) -> tuple[int, str] | None:
    """Replace the first match of ``pattern`` after ``anchor`` in lines start_line…start_line+span."""
    for i in range(max(0, start_line - 1), min(len(lines), start_line - 1 + span)):
        text = lines[i]
        pos = 0
        if anchor:
            squeezed = text.replace(" ", "")
            a = squeezed.find(anchor)
            if a < 0:
                continue
            # map the position in the squeezed text back to the line
            count, pos = 0, 0
            while pos < len(text) and count < a + len(anchor):
                if text[pos] != " ":
                    count += 1
                pos += 1
        m = pattern.search(text, pos)
        if m:
            return i, text[: m.start()] + new(m) + text[m.end():]
    return None


def _amount_candidates(ctx: Context, lines: list[str], rng: random.Random, source: str) -> list[Perturbation]:
    out = []
    seen: set[tuple[int, str]] = set()
    for mnt in ctx.result.narrative.mentions:
        tf = table_fact(ctx, mnt.key)
        if tf is None or abs(tf[0] - mnt.value) > 0.006 or mnt.value <= 0:
            continue
        sentence = normalise_label(mnt.sentence)
        num = re.sub(r"(万元|元|亿元)$", "", mnt.printed)
        unit = mnt.printed[len(num):]
        # The subject word right before the amount (a figure that restates the fact).
        hit = None
        for w in subjects_in(sentence):
            if w[3] == mnt.key and re.match(r"(?:为|是|共|合计|总额)?" + re.escape(num), sentence[w[1]:]):
                hit = w
        if hit is None or (mnt.line, num) in seen:
            continue
        q = sentence.rfind("其中", 0, hit[0])
        if q >= 0 and amounts(sentence[:q]) and amounts(sentence[:q])[-1].value < tf[0] - 0.01:
            continue
        seen.add((mnt.line, num))
        new_num = _bumped(num, rng)
        pat = re.compile(re.escape(num) + r"(\s*" + unit + ")")
        rep = _replace_in_lines(lines, mnt.line, pat, lambda m, n=new_num: n + m.group(1), anchor=hit[2])
        if rep is None:
            continue
        out.append(Perturbation(source, "narrative_amount", "narrative.amount_mismatch", rep[0] + 1,
                                f"说明 {hit[2]} {num}{unit} → {new_num}{unit}", {rep[0]: rep[1]}))
    return out


def _percent_candidates(ctx: Context, lines: list[str], rng: random.Random, source: str) -> list[Perturbation]:
    out = []
    clean = {(f.get("rule"), f.get("message")) for f in (x.to_json() for x in run_checks(ctx.result))}
    flagged_lines = {m for r, m in clean if r == "narrative.percent"}
    for y in yoy_statements(ctx):
        if y.pct_num is None or y.current is None or y.prior is None or y.prior <= 0.01 or not y.delta:
            continue
        if any(y.printed in msg for msg in flagged_lines):
            continue
        new = _new_pct(y.pct_num, rng)
        pat = re.compile(re.escape(y.pct_word or "") + r"(\s*)" + re.escape(y.pct_num) + r"(\s*[%％])")
        rep = _replace_in_lines(lines, y.sentence.line, pat,
                                lambda m, n=new, w=y.pct_word: f"{w}{m.group(1)}{n}{m.group(2)}")
        if rep:
            out.append(Perturbation(source, "narrative_percent", "narrative.percent", rep[0] + 1,
                                    f"说明 {y.pct_word}{y.pct_num}% → {new}%", {rep[0]: rep[1]}))
    for s in ctx.result.narrative.sentences:
        text = text_of(s)
        for m in SHARE_RE.finditer(text):
            pct = m.group(3)
            before = amounts(text[:m.start()])
            if not before or before[-1].value <= 0 or float(pct.replace(",", "")) in (0.0, 100.0):
                continue
            if any(f"{before[-1].printed}占比{pct}%" in msg for msg in flagged_lines):
                continue
            new = _new_pct(pct, rng)
            pat = re.compile(r"(占比?[^，。；\d%％]{0,16}?\s*)" + re.escape(pct) + r"(\s*[%％])")
            rep = _replace_in_lines(lines, s.line, pat, lambda mm, n=new: f"{mm.group(1)}{n}{mm.group(2)}",
                                    anchor=before[-1].num)
            if rep:
                out.append(Perturbation(source, "narrative_percent", "narrative.percent", rep[0] + 1,
                                        f"说明 占比{pct}% → {new}%", {rep[0]: rep[1]}))
    return out


def _new_pct(old: str, rng: random.Random) -> str:
    v = float(old.replace(",", ""))
    d = max(decimals(old), 0)
    for _ in range(20):
        step = rng.uniform(3.0, 20.0)
        new = v + step if (rng.random() < 0.5 or v - step <= 0) else v - step
        if 0 < new < 100 or v >= 100:
            return f"{new:.{d}f}"
    return f"{v + 5:.{d}f}"


SWAP = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长"}


def _direction_candidates(ctx: Context, lines: list[str], rng: random.Random, source: str) -> list[Perturbation]:
    out = []
    for y in yoy_statements(ctx):
        if not (y.amount_word in SWAP and y.pct_word in SWAP) or not y.delta or not y.pct:
            continue
        if (y.amount_word in ("增加",)) != (y.pct_word in ("增长",)):
            continue  # already contradictory
        word = y.amount_word if rng.random() < 0.5 else y.pct_word
        num = y.delta_num if word == y.amount_word else y.pct_num
        pat = re.compile(re.escape(word) + r"(了?\s*)" + re.escape(num or ""))
        rep = _replace_in_lines(lines, y.sentence.line, pat, lambda m, w=word, n=num: SWAP[w] + m.group(1) + (n or ""),
                                anchor=y.subject or None)
        if rep:
            out.append(Perturbation(source, "direction", "narrative.direction", rep[0] + 1,
                                    f"说明 {word}{num} → {SWAP[word]}{num}", {rep[0]: rep[1]}))
    return out


# --- whole tables -------------------------------------------------------------------------------------


def _delete_candidates(ctx: Context, lines: list[str], source: str) -> list[Perturbation]:
    out = []
    tables = [t for t in ctx.result.tables]
    for kind_id in required_tables(ctx.kind):
        t = ctx.table(kind_id)
        raw = ctx.raw_table(t) if t is not None else None
        if t is None or raw is None or not t.title:
            continue
        first_row = raw.line - 1
        title = normalise_label(t.title)
        start = next((i for i in range(first_row - 1, max(-1, first_row - 14), -1)
                      if normalise_label(re.sub(r"^#+\s*", "", lines[i])) == title
                      or title in normalise_label(lines[i])), None)
        if start is None:
            continue
        last_row = max(raw.row_lines or [raw.line]) - 1
        end = last_row + 1
        while end < len(lines) and (not lines[end].strip() or re.match(r"\s*(?:注|说明|备注)[:：]", lines[end])):
            end += 1
        nxt = [x for x in tables if x is not t and ctx.raw_table(x) is not None and ctx.raw_table(x).line - 1 > first_row]
        if nxt:
            end = min(end, min(ctx.raw_table(x).line - 1 for x in nxt))
        edits: dict[int, str | None] = dict.fromkeys(range(start, end))
        out.append(Perturbation(source, "delete_table", "completeness.missing_table", start + 1,
                                f"删除{t.title}（第{start + 1}–{end}行）", edits))
    return out


# --- the generator ------------------------------------------------------------------------------------


def perturbations(path: str | Path, n: int, seed: int = 0, mix: dict[str, float] | None = None) -> list[Perturbation]:
    """Up to ``n`` deterministic single perturbations of one report (cells fill what the others leave)."""
    from ..extract import extract

    path = Path(path)
    lines = read_lines(path)
    result = extract(path)
    ctx = Context(result)
    rng = random.Random(f"{seed}:{path.name}")
    mix = mix or {"narrative_amount": 0.14, "narrative_percent": 0.14, "direction": 0.1, "delete_table": 0.1}
    pools: dict[str, list[Perturbation]] = {
        "narrative_amount": _amount_candidates(ctx, lines, rng, path.name),
        "narrative_percent": _percent_candidates(ctx, lines, rng, path.name),
        "direction": _direction_candidates(ctx, lines, rng, path.name),
        "delete_table": _delete_candidates(ctx, lines, path.name),
    }
    chosen: list[Perturbation] = []
    for kind, share in mix.items():
        pool = pools[kind]
        rng.shuffle(pool)
        chosen += pool[: max(1, round(n * share))] if pool else []
    cells = _cell_candidates(ctx)
    rng.shuffle(cells)
    used: set[tuple[int, int, str]] = set()
    for r, m, rule_id in cells:
        if len(chosen) >= n:
            break
        if (r.row, id(r.table), m) in used:
            continue
        p = _cell_perturbation(ctx, lines, r, m, rule_id, rng, path.name)
        if p is not None:
            used.add((r.row, id(r.table), m))
            chosen.append(p)
    return chosen[:n]


@dataclass
class Outcome:
    perturbation: Perturbation
    caught: bool
    new_rules: list[str]


def findings_key(findings: Iterable[Any]) -> set[tuple[str, str]]:
    """(rule, message) of error/warning findings, for before/after comparison."""
    out = set()
    for f in findings:
        j = f.to_json() if hasattr(f, "to_json") else f
        if j["severity"] in ("error", "warning"):
            out.add((j["rule"], j["message"]))
    return out


def evaluate(path: str | Path, perts: list[Perturbation], workdir: str | Path | None = None) -> list[Outcome]:
    """Apply each perturbation alone, extract and check; caught = a new error/warning of the expected rule."""
    from ..extract import extract

    path = Path(path)
    lines = read_lines(path)
    base = findings_key(run_checks(extract(path)))
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        wd = Path(workdir) if workdir else Path(tmp)
        wd.mkdir(parents=True, exist_ok=True)
        for k, p in enumerate(perts):
            target = wd / f"{path.stem}_p{k:03d}{path.suffix}"
            target.write_text("\n".join(p.apply(lines)), encoding="utf-8")
            try:
                found = findings_key(run_checks(extract(target)))
            except Exception as exc:  # an extraction failure is a miss, reported as such
                outcomes.append(Outcome(p, False, [f"extract failed: {exc}"]))
                continue
            new = sorted({r for r, msg in found - base})
            outcomes.append(Outcome(p, p.rule in new, new))
    return outcomes


# --- scoring against hand-read ground truth -----------------------------------------------------------


def _close_values(a: Iterable[float], b: Iterable[float]) -> int:
    bs = [float(x) for x in b]
    return sum(1 for x in a if any(abs(float(x) - y) <= 0.0051 for y in bs))


def matches_inconsistency(finding: dict[str, Any], inconsistencies: list[dict[str, Any]]) -> bool:
    """Whether a finding reports one of the hand-read inconsistencies (``tests/expected/seeds``):
    it shares at least two of the inconsistency's figures (all of them when it lists fewer), or it
    reports the missing table the inconsistency describes."""
    from ..registry import table_kind

    ev = finding.get("evidence") or {}
    values = ev.get("values") or []
    for item in inconsistencies:
        if item.get("kind") == "missing_table" and finding["rule"] == "completeness.missing_table":
            missing = ev.get("missing") or (ev.get("tables") or [None])[0]
            try:
                name = table_kind(missing).name if missing else ""
            except KeyError:
                name = ""
            if name and normalise_label(name[:5]) in normalise_label(item.get("description", "")):
                return True
        iv = item.get("values") or []
        if iv and _close_values(values, iv) >= min(2, len(iv)):
            return True
    return False


def false_alarms(findings: Iterable[Any], inconsistencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Error/warning findings that report none of the real inconsistencies. Findings about the wording
    (rule family ``text.``: punctuation, template phrases, class names) are not figure inconsistencies;
    they are held to their own hand-checked list (tests/test_checklist.py)."""
    out = []
    for f in findings:
        j = f.to_json() if hasattr(f, "to_json") else f
        if str(j["rule"]).startswith("text."):
            continue
        if j["severity"] in ("error", "warning") and not matches_inconsistency(j, inconsistencies):
            out.append(j)
    return out
