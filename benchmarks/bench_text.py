"""Text extraction speed: median milliseconds per report, in process (warm), over the given files."""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def run(paths: list[str | Path], repeats: int = 7) -> dict:
    from budgetlens.extract import extract

    per_doc = []
    for p in paths:
        extract(p)  # warm caches (registries, regexes)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            extract(p)
            times.append((time.perf_counter() - t) * 1000)
        per_doc.append(statistics.median(times))
    return {
        "text_extract_ms_median": round(statistics.median(per_doc), 2),
        "text_extract_ms_max": round(max(per_doc), 2),
        "text_docs_per_s": round(1000 / statistics.median(per_doc), 1),
        "text_extract_docs": len(per_doc),
    }
