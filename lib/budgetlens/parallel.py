"""Extract many documents on all cores, in input order, one bad file never stopping the others.

:func:`extract_many` reads each document (one file, or the volumes of one publication) in a
process pool. The pool's workers are forked from a process that has already imported the
readers (camelot, playa, pandas: about a second), so they start warm; each reads a whole
document with one process (``BUDGETLENS_PDF_WORKERS=1``), which costs less CPU than splitting a
document's pages over processes (every page worker re-opens the file and re-parses its fonts).
Results come back in the order of the input. A failure is one line (``reason``); a worker that
dies (a crash inside a PDF library) breaks the pool, so the documents left are then read again,
each in a pool of its own, so that the crash is pinned on the one file that caused it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

WORKER_DIED = "the reading process died (a crash in a PDF library?)"


def extract_one(paths: Sequence[str | Path]) -> tuple[Any, str | None]:
    """Extract one document; returns (result, None) or (None, one-line reason). Never raises."""
    from .document import SourceError
    from .extract import extract

    try:
        return extract([str(p) for p in paths]), None
    except SourceError as exc:
        return None, exc.reason
    except Exception as exc:  # noqa: BLE001 - a batch goes on; the user gets one line, not a traceback
        return None, f"internal error while reading ({type(exc).__name__}: {exc})"


def _init_worker() -> None:
    os.environ["BUDGETLENS_PDF_WORKERS"] = "1"  # one process per document: the pool is the parallelism


def default_jobs() -> int:
    """Worker processes for a run: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def extract_many(groups: Sequence[Sequence[str | Path]], jobs: int | None = None
                 ) -> Iterator[tuple[Sequence[str | Path], Any, str | None]]:
    """(group, result, reason) for each group of input files, in input order.

    ``jobs`` processes (default: every core); with one job or one group the documents are read
    here, as before (a long PDF then spreads its own pages over the cores).
    """
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    if jobs == 1 or len(groups) <= 1:
        for group in groups:
            yield (group, *extract_one(group))
        return
    from . import extract as _warm  # noqa: F401 - imported before the fork: the workers start warm
    from .sources import pdf as _warm_pdf  # noqa: F401

    done: dict[int, tuple[Any, str | None]] = {}
    broken = False
    with ProcessPoolExecutor(max_workers=min(jobs, len(groups)), mp_context=_context(),
                             initializer=_init_worker) as pool:
        futures = [pool.submit(extract_one, [str(p) for p in g]) for g in groups]
        for n, fut in enumerate(futures):
            if broken:
                break
            try:
                done[n] = fut.result()
            except BrokenProcessPool:
                broken = True
            except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                done[n] = (None, f"internal error while reading ({type(exc).__name__}: {exc})")
            if not broken:
                yield (groups[n], *done[n])
    if not broken:
        return
    for n in range(len(done), len(groups)):  # each alone: a crash names its own file
        with ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_init_worker) as pool:
            try:
                result = pool.submit(extract_one, [str(p) for p in groups[n]]).result()
            except BrokenProcessPool:
                result = (None, WORKER_DIED)
        yield (groups[n], *result)
