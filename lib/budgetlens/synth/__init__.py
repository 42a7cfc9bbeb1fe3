"""Synthetic corpus of budget (预算) and final-account (决算) disclosures, with an answer key.

:func:`generate_corpus` writes realistic text reports for ``units`` invented units over
``years``, in exactly the two text templates of the seeds, so the parser that reads the
seeds reads them too:

* ``final``  — the 决算 template of seed 000 (山西 长治市 style): 公开01表…公开10表 with
  tab-separated rows, ``#`` headings, the narrative 第三部分 情况说明 and the
  项目支出绩效自评表 attachments of 第五部分 附件;
* ``budget`` — the 预算 template of seed 004 (长治市上党区 style): 预算收支总表 … 项目支出预算表,
  the narrative 第三部分 with its 项目支出绩效目标表 (in 元), 名词解释.

Layout of ``out_dir`` (flat)::

    out_dir/<unit_id>_<year>_<kind>.txt     kind = budget | final, unit_id = syn-0001 …
    out_dir/<unit_id>_<year>_<kind>.pdf     only with pdf=True and budgetlens.render_pdf present
    out_dir/answer_key.json                 faults, true facts, units

Figures are kept in integer hundredths of 万元, so every identity of DOMAIN.md holds exactly
at two decimals: 项 sum to 款, 款 to 类, 类 to 合计; 合计 = 基本支出 + 项目支出 per row;
收入总计 = 本年收入合计 + 年初结转和结余 = 本年支出合计 + 年末结转和结余 = 支出总计; the
财政拨款收支总表 columns match the 一般公共预算支出表; 人员经费 + 公用经费 = 基本支出 (一般公共预算);
三公合计 = 因公出国(境) + 公务用车购置 + 运行维护 + 公务接待; the narrative repeats the
tables' figures and shares. Each year is drawn from the previous one (±0–20 %, projects come
and go), one hidden year before the first is simulated so that every narrative can state its
change against the previous year's figures (增加/增长 for a rise, 减少/下降 for a fall, two
decimals). A unit has a budget and a final for each year; the final's 年初预算
("一般公共预算财政拨款支出年初预算…") equals that year's budget 一般公共预算 total (its whole
total when, as for most units, all money is 一般公共预算), and the final's 三公 预算数 equal the
budget's.

``fault_rate`` injects, with that probability per document, ONE inconsistency and records
it in the answer key (``files[<name>]["fault"]``): ``kind``, ``rule`` (the validator rule
that should catch it), ``may_also`` (other rules that may reasonably fire too, e.g. a table
cell the narrative repeats), ``where`` (table title/label, row, column, 1-based ``line``),
``original`` and ``new`` as printed. Documents without a fault have ``"fault": null``.
``files[<name>]["facts"]`` holds the generator's true figures (before any fault) with the
keys of the ``extract --json`` contract (all amounts in 万元); ``function_totals`` (类 → all-funds
expenditure), ``prior_year`` (what the narrative implies) and ``projects`` follow the contract
too; ``extra`` holds figures outside the contract (general_budget_initial, three_public_budget,
gov_fund/state_capital expenditure …).

The package reads top to bottom: ``money`` (amounts and how they print), ``classes`` and ``topics``
(what units spend on), ``figures`` (units simulated year by year), ``model`` (paragraphs and tables
and their text layout), ``wording``, ``final`` and ``budget`` (the two templates), ``answers`` (the
answer key), ``faults`` (planted inconsistencies); this module drives them.
"""

from __future__ import annotations

import hashlib
import json
import random
import warnings
from collections import defaultdict
from pathlib import Path

from .answers import _facts
from .budget import _budget_document
from .faults import _DOC_FAULTS, FAULT_RULES, KNOWN_KNOCK_ON, _finish_where, _inject
from .figures import _make_unit, _simulate
from .final import _final_document
from .model import _render

__all__ = ["generate_corpus", "FAULT_RULES"]


def _check_out_dir(out: Path) -> None:
    parts = out.resolve().parts
    for a, b in zip(parts, parts[1:], strict=False):
        if a == "data" and b == "raw":
            raise ValueError(f"{out}: synthetic reports must never be written into data/raw; choose another folder")


def generate_corpus(out_dir, units: int, years: list[int], *, pdf: bool = False, fault_rate: float = 0.0,
                    seed: int = 0) -> dict:
    """Write ``units`` × ``years`` × {budget, final} text reports and ``answer_key.json`` into ``out_dir``.

    Files are flat: ``out_dir/<unit_id>_<year>_<kind>.txt`` (``unit_id`` = ``syn-0001`` …, ``kind`` =
    ``budget`` or ``final``), plus ``.pdf`` twins when ``pdf=True`` and ``budgetlens.render_pdf`` is
    importable. Output is deterministic for a given ``seed`` (and independent of ``pdf``).

    Returns ``{"out_dir", "units", "years", "files" (count), "text_files", "pdf_files", "faults"
    (count), "faults_by_rule", "answer_key", "pdf_message"}``.
    """
    out = Path(out_dir)
    _check_out_dir(out)
    if units < 1:
        raise ValueError("units must be at least 1")
    years = sorted({int(y) for y in years})
    if not years:
        raise ValueError("years must not be empty")
    if not 0.0 <= fault_rate <= 1.0:
        raise ValueError("fault_rate must be between 0 and 1")
    out.mkdir(parents=True, exist_ok=True)
    master = random.Random(f"{seed}:units")
    used: set = set()
    unit_list = [_make_unit(i + 1, master, used) for i in range(units)]
    key_files: dict = {}
    written: list[Path] = []
    by_rule: dict[str, int] = defaultdict(int)
    for u in unit_list:
        figs = _simulate(u, years, seed)
        for y in years:
            for kind in ("budget", "final"):
                f = figs[y][kind]
                prev = figs[y - 1][kind]
                fname = f"{u.uid}_{y}_{kind}.txt"
                trng = random.Random(f"{seed}:{fname}:text")
                if kind == "budget":
                    blocks = _budget_document(u, f, prev, trng)
                    facts = _facts(u, f, prev, None)
                else:
                    blocks = _final_document(u, f, prev, figs[y]["budget"], trng)
                    facts = _facts(u, f, prev, figs[y]["budget"])
                frng = random.Random(f"{seed}:{fname}:fault")
                fault = None
                if fault_rate > 0 and frng.random() < fault_rate:
                    order = _DOC_FAULTS[:]
                    frng.shuffle(order)
                    for fk in order:
                        res = _inject(fk, kind, blocks, frng)
                        if res:
                            fault = {"kind": fk, "rule": FAULT_RULES[fk], **res}
                            fault["may_also"] = sorted(set(fault.get("may_also", [])) | set(KNOWN_KNOCK_ON.get(fk, ())))
                            break
                text = _render(blocks)
                if fault:
                    _finish_where(fault)
                    by_rule[fault["rule"]] += 1
                path = out / fname
                path.write_text(text, encoding="utf-8")
                written.append(path)
                key_files[fname] = {"unit_id": u.uid, "unit": u.name, "year": y, "kind": kind,
                                    "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                                    "fault": fault, **facts}
    pdf_files, pdf_message = 0, None
    if pdf:
        try:
            from budgetlens.render_pdf import render_text_report  # noqa: PLC0415 - optional, written elsewhere
        except ImportError as exc:
            pdf_message = f"PDF skipped: budgetlens.render_pdf is not available yet ({exc})"
            warnings.warn(pdf_message, stacklevel=2)
        else:
            for path in written:
                render_text_report(str(path), str(path.with_suffix(".pdf")))
                pdf_files += 1
    key = {
        "schema": 1, "generator": "budgetlens.synth", "seed": seed, "fault_rate": fault_rate, "years": years,
        "rules": FAULT_RULES,
        "units": [{"unit_id": u.uid, "unit": u.name, "city": u.city, "place": u.place, "level": u.level,
                   "topic": u.topic.key, "type": u.utype} for u in unit_list],
        "files": key_files,
    }
    key_path = out / "answer_key.json"
    key_path.write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    n_faults = sum(1 for v in key_files.values() if v["fault"])
    return {"out_dir": str(out), "units": units, "years": years, "files": len(written) + pdf_files,
            "text_files": len(written), "pdf_files": pdf_files, "faults": n_faults,
            "faults_by_rule": dict(sorted(by_rule.items())), "answer_key": str(key_path), "pdf_message": pdf_message}
