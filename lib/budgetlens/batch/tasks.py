"""What runs in a batch worker: one document's extraction, one notebook.

Task functions are module-level (so both the local pool and dask can send them by name), take
plain values and return small dicts. They never let a traceback reach the user: a failure
becomes one line (``reason``) that the manifest records.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Protocol

from ..fsutil import sha256_file

# --------------------------------------------------------------------------- extraction


def extract_task(paths: list[str], processed: str) -> dict[str, Any]:
    """Extract one document (one file, or the volumes of one publication) into ``processed``.

    Returns ``{"ok": True, "doc_id", "outputs" (file → sha256), "pages", "signature", …}`` or
    ``{"ok": False, "reason", "transient"}``.
    """
    from ..document import SourceError
    from ..extract import extract
    from ..publications import signature
    from ..store import write_document

    os.environ.setdefault("BUDGETLENS_PDF_WORKERS", "1")  # the batch's workers are the parallelism
    started = time.perf_counter()
    try:
        result = extract([Path(p) for p in paths])
    except SourceError as exc:
        return {"ok": False, "reason": exc.reason, "transient": False}
    except MemoryError:
        return {"ok": False, "reason": "out of memory while reading", "transient": True}
    except Exception as exc:  # noqa: BLE001 - one document must not stop the batch
        return {"ok": False, "reason": f"internal error while reading ({type(exc).__name__}: {exc})"[:500],
                "transient": False}
    folder = write_document(result, processed)
    return {
        "ok": True,
        "doc_id": folder.name,
        "outputs": {name: sha256_file(folder / name) for name in ("document.json", "tables.parquet")},
        "pages": sum(s.pages for s in result.sources),
        "format": result.document.format,
        "signature": signature(result),
        "seconds": time.perf_counter() - started,
    }


# --------------------------------------------------------------------------- notebooks


class Notebooks(Protocol):
    """The notebook stage's runners (``budgetlens.report`` in production, stand-ins in tests).

    Must be picklable: it is sent to worker processes with every notebook task.
    """

    def available(self) -> str | None:
        """None when usable, else why not (the stage is then skipped, not failed)."""

    def templates(self) -> list[Path]:
        """The template notebooks, hashed into every notebook's fingerprint."""

    def unit(self, unit_id: str, processed: str, reports: str, *, timeout: float, kernel_name: str | None) -> Path: ...

    def panel(self, processed: str, reports: str, *, timeout: float, kernel_name: str | None) -> Path: ...

    def document(self, doc_id: str, processed: str, reports: str, *, timeout: float,
                 kernel_name: str | None) -> Path: ...

    def index(self, processed: str, reports: str) -> Path: ...


class ReportNotebooks:
    """The real notebook stage: :mod:`budgetlens.report` and the templates in ``notebooks/``."""

    def _report(self):
        from .. import report  # noqa: PLC0415 - optional until the report module ships

        return report

    def available(self) -> str | None:
        try:
            self._report()
        except ImportError as exc:
            return f"budgetlens.report is not available ({exc})"
        return None

    def templates(self) -> list[Path]:
        try:
            report = self._report()
        except ImportError:
            return []
        return sorted(Path(report.notebooks_dir()).glob("*.ipynb"))

    def unit(self, unit_id, processed, reports, *, timeout, kernel_name):
        return self._report().run_unit_notebook(unit_id, processed, reports, timeout=timeout, kernel_name=kernel_name)

    def panel(self, processed, reports, *, timeout, kernel_name):
        from ..export import current_dataset  # the dataset the batch has just written, when it is current

        dataset = current_dataset(processed, Path(reports) / "dataset")
        return self._report().run_panel_notebook(processed, reports, timeout=timeout, kernel_name=kernel_name,
                                                 dataset=dataset)

    def document(self, doc_id, processed, reports, *, timeout, kernel_name):
        return self._report().run_document_notebook(doc_id, processed, reports, timeout=timeout,
                                                    kernel_name=kernel_name)

    def index(self, processed, reports):
        return self._report().write_index(processed, reports)


def _causes(exc: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        chain.append(exc)
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return chain


def _notebook_reason(exc: BaseException, timeout: float) -> tuple[str, bool]:
    """(one-line reason, transient) for a failed notebook.

    The report module wraps papermill's errors in its own (which name the kept run record); the
    cause decides whether the failure was a timeout or a kernel that could not start (transient:
    worth trying again by itself next run).
    """
    from .kernels import KernelLaunchError

    chain = _causes(exc)
    names = {type(e).__name__ for e in chain}
    transient = any(isinstance(e, KernelLaunchError) for e in chain) or "DeadKernelError" in names
    timed_out = "CellTimeoutError" in names or any(isinstance(e, TimeoutError) for e in chain)

    def text(e: BaseException) -> str:
        return " ".join(str(e).split())

    if type(exc).__name__ == "PapermillExecutionError":
        evalue = " ".join(str(getattr(exc, "evalue", "")).split())
        where = f"cell [{exc.exec_count}]" if getattr(exc, "exec_count", None) else f"cell {exc.cell_index}"
        reason = f"{where} raised {exc.ename}: {evalue}"
    elif timed_out and type(exc).__name__ in ("CellTimeoutError", "TimeoutError"):
        reason = f"timed out: a cell ran longer than {timeout:g} s"
    elif isinstance(exc, KernelLaunchError):
        reason = text(exc)
    else:
        body = text(exc)
        reason = body if body else type(exc).__name__
        if type(exc).__name__ not in ("ReportError",) and not body.startswith(type(exc).__name__):
            reason = f"{type(exc).__name__}: {body}" if body else type(exc).__name__
        if timed_out and "timed out" not in reason.lower():
            reason = f"timed out (a cell ran longer than {timeout:g} s): {reason}"
    return reason[:600], transient


def notebook_task(notebooks: Notebooks, kind: str, key: str | None, processed: str, reports: str,
                  timeout: float, kernel_name: str | None, warm: bool) -> dict[str, Any]:
    """Run one notebook (``kind`` = unit | panel | document | index) with the batch's papermill engine.

    Returns ``{"ok", "output" | "reason", "transient", "kernel": counters, "seconds"}``; kernel
    counters travel back even when the notebook fails.
    """
    from . import kernels

    started = time.perf_counter()
    kernels.configure(warm=warm)
    kernels.install()
    before = kernels.stats_snapshot()
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        if kind == "unit":
            out = notebooks.unit(key, processed, reports, timeout=timeout, kernel_name=kernel_name)
        elif kind == "panel":
            out = notebooks.panel(processed, reports, timeout=timeout, kernel_name=kernel_name)
        elif kind == "document":
            out = notebooks.document(key, processed, reports, timeout=timeout, kernel_name=kernel_name)
        elif kind == "index":
            out = notebooks.index(processed, reports)
        else:  # pragma: no cover - a programming error
            raise ValueError(f"unknown notebook kind {kind!r}")
    except Exception as exc:  # noqa: BLE001 - recorded, the others go on
        reason, transient = _notebook_reason(exc, timeout)
        return {"ok": False, "reason": reason, "transient": transient,
                "kernel": kernels.stats_since(before), "seconds": time.perf_counter() - started}
    return {"ok": True, "output": str(out) if out is not None else None, "kernel": kernels.stats_since(before),
            "seconds": time.perf_counter() - started}
