"""The national corpus (../shared/corpus-cn, 198 real 2025–2026 budgets of ten cities), read whole.

Every document is extracted on its own (a pool of at most two processes, as on the shared machine),
then each folder's volumes are paired by content as a folder run pairs them. Reported: documents
per second (wall clock), how many failed, how many are identified (unit, year and kind), the share
of the identities the facts allow to check that close (a whole = the sum of its parts, as
``registry/facts.yaml`` lists them; the 类 totals = 本年支出), error findings in all and on how many
documents, misread warnings (a table that "未能可靠读取"), and the publications paired. Skipped when
the corpus is absent.

    .venv/bin/python benchmarks/bench_corpus_cn.py [city ...]
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_CN = ROOT.parent / "shared" / "corpus-cn"
MISREAD = "未能可靠读取"


def _one(path: str) -> dict:
    from budgetlens.document import SourceError
    from budgetlens.extract import extract
    from budgetlens.publications import signature

    try:
        r = extract(path)
    except SourceError as exc:
        return {"path": path, "error": exc.reason}
    except Exception as exc:  # noqa: BLE001 - a benchmark counts failures, it does not stop on them
        return {"path": path, "error": f"{type(exc).__name__}: {exc}"}
    j = r.to_json()
    return {"path": path, "document": j["document"], "facts": j["facts"], "function_totals": j["function_totals"],
            "findings": [(f["severity"], f["rule"], f["message"]) for f in j["findings"]], "signature": signature(r)}


def identities(facts: dict, ftotals: dict) -> tuple[int, int]:
    """(closed, checked): each whole the facts give with all its parts, and the 类 totals against 本年支出."""
    from budgetlens.facts import _registry

    closed = checked = 0
    for whole, parts in _registry().get("wholes", {}).items():
        if whole in facts and sum(p in facts for p in parts) >= 2:
            checked += 1
            slack = 0.0051 * (len(parts) + 1)
            closed += abs(facts[whole] - sum(facts.get(p, 0.0) for p in parts)) <= slack
    total = facts.get("expenditure_total")
    if ftotals and total is not None:
        checked += 1
        closed += abs(sum(ftotals.values()) - total) <= 0.0051 * (len(ftotals) + 1)
    return closed, checked


def run(cities: list[str] | None = None) -> dict:
    from budgetlens.publications import match_signatures

    if not CORPUS_CN.is_dir():
        print(f"bench_corpus_cn: skipped (no corpus at {CORPUS_CN})")
        return {}
    files = sorted(str(p) for p in CORPUS_CN.glob("*/*.pdf") if not cities or p.parent.name in cities)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        results = list(pool.map(_one, files))
    seconds = time.perf_counter() - started
    ok = [r for r in results if "error" not in r]
    closed = checked = 0
    for r in ok:
        c, n = identities(r["facts"], r["function_totals"])
        closed, checked = closed + c, checked + n
    errors = [(r["path"], f) for r in ok for f in r["findings"] if f[0] == "error"]
    by_city: dict[str, dict[str, dict]] = {}
    for r in ok:
        by_city.setdefault(Path(r["path"]).parent.name, {})[r["path"]] = r["signature"]
    pairs = sum(len(match_signatures(sigs)) for sigs in by_city.values())
    return {
        "corpus_cn_documents": len(files),
        "corpus_cn_docs_per_second": round(len(files) / seconds, 3) if seconds else None,
        "corpus_cn_failed": len(results) - len(ok),
        "corpus_cn_identified": sum(1 for r in ok if all(r["document"].get(k) for k in ("unit", "year", "kind"))),
        "corpus_cn_identities_closed": f"{closed}/{checked}",
        "corpus_cn_error_findings": len(errors),
        "corpus_cn_documents_with_errors": len({p for p, _ in errors}),
        "corpus_cn_misread_warnings": sum(1 for r in ok for f in r["findings"] if f[0] == "warning" and MISREAD in f[2]),
        "corpus_cn_pairs": pairs,
    }


if __name__ == "__main__":
    for k, v in run(sys.argv[1:] or None).items():
        print(f"{k:40} {v}")
