"""``budgetlens batch``: every document extracted in parallel, then the notebooks, the panel, the index.

Stages (each with its own progress bar):

1. **extract** — each publication (one file, or the volumes of a split one) is extracted by a
   worker into ``processed/<doc_id>/``; then volumes that belong together by content are
   re-extracted as one document (as ``budgetlens extract`` does), and ``catalog.parquet`` is
   rebuilt when anything changed.
2. **notebooks** — the panel, one notebook per unit (and, on request, per document), in
   parallel; units come from :func:`budgetlens.units.unit_table`.
3. **index** — ``reports/index.html`` once the notebooks are done.

Between 1 and 2 the research dataset is written to ``reports/dataset/`` (:mod:`budgetlens.export`),
when a document changed.

A failure of one document or notebook is recorded (stage, file, one-line reason) and the others
go on. ``reports/run_manifest.json`` (written atomically) lists what was produced, what failed
and why, timings, and the fingerprints that make the next run incremental (see
:mod:`budgetlens.batch.state`).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..fsutil import remove_temporary_files
from ..inputs import expand_inputs, group_publications
from ..store import document_id
from ..versions import environment
from . import state as st
from .pool import DaskPool, LocalPool, Outcome, Task, default_jobs
from .tasks import Notebooks, ReportNotebooks, extract_task, notebook_task

DATASET = "dataset"
"""The research dataset's folder under ``reports/`` (``budgetlens export``)."""
DEADLINE_GRACE = 30.0
"""Seconds a worker gets beyond ``timeout`` (kernel start, HTML export) before it is stopped."""


@dataclass
class DocItem:
    key: str  # the input files' absolute paths, one per line: the document's identity across runs
    paths: list[str]  # as given (relative paths stay relative, as in `budgetlens extract`)
    doc_id: str
    members: list[str] | None = None  # keys of the volumes of a publication paired by content


@dataclass
class NotebookItem:
    key: str  # "panel", "unit/<unit_id>", "document/<doc_id>", "index"
    kind: str
    target: str | None
    fingerprint: str
    depends_on: frozenset[str] = frozenset()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class BatchRun:
    """One run of the batch; :func:`run_batch` is the function to call."""

    def __init__(self, inputs, *, processed, reports, jobs, timeout, retry_failed, scheduler, kernel_name,
                 progress, warm_kernels, document_notebooks, notebooks, run_notebooks=True, executor=None):
        self.inputs = [Path(p) for p in inputs]
        self.processed = Path(processed)
        self.reports = Path(reports)
        self.jobs = int(jobs) if jobs else default_jobs()
        self.timeout = float(timeout)
        self.retry_failed = retry_failed
        self.scheduler = scheduler
        self.kernel_name = kernel_name
        self.progress = progress
        self.warm = warm_kernels
        self.document_notebooks = document_notebooks
        self.notebooks: Notebooks = notebooks if notebooks is not None else ReportNotebooks()
        self.run_notebooks = run_notebooks
        self.manifest_path = self.reports / st.MANIFEST
        self.previous = st.load_manifest(self.manifest_path)
        prev_state = self.previous.get("state") or {}
        if prev_state.get("processed") != str(self.processed.resolve()):
            prev_state = {}  # another output folder: nothing to reuse
        # Steps finished after the manifest was last written (a run killed with kill -9, a lost
        # machine) left done-markers: they are as good as manifest entries, and newer.
        self.markers = st.DoneMarkers(self.reports, self.processed)
        prev_state = dict(prev_state)
        self.resumed: set[str] = set()
        for stage in ("documents", "notebooks"):
            entries = dict(prev_state.get(stage) or {})
            for key, entry in self.markers.load(stage).items():
                if entries.get(key) != entry:
                    entries[key] = entry
                    self.resumed.add(key)
            prev_state[stage] = entries
        self.prev_state = prev_state
        self.hashes = st.HashCache()
        self.code = st.code_fingerprint()
        self.code_sha = st.digest(self.code)
        self._pool = executor  # a caller's pool is used, not closed
        self._own_pool = executor is None
        self._used_pool = False
        self._description = ""
        self._deaths_before = getattr(executor, "worker_deaths", 0)
        self.started = _now()
        self._t0 = time.perf_counter()
        self.failures: list[dict[str, Any]] = []
        self.produced: list[dict[str, Any]] = []
        self.skipped: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.stages: dict[str, dict[str, Any]] = {}
        self.kernel = {"kernel_starts": 0, "kernel_failures": 0, "kernel_reuses": 0}
        self.state: dict[str, Any] = {
            "processed": str(self.processed.resolve()),
            "code": self.code,
            "documents": {},
            "notebooks": dict(prev_state.get("notebooks") or {}),
            "unit_map": prev_state.get("unit_map"),
            "units_input": prev_state.get("units_input"),
        }
        self.changed_docs: set[str] = set()
        self.dataset: dict[str, Any] | None = None
        self.interrupted = False

    # ------------------------------------------------------------------ executor

    def _executor(self):
        if self._pool is None:
            if self.scheduler:
                self._pool = DaskPool(self.scheduler)
            else:
                self._pool = LocalPool(self.jobs, log_dir=self.reports / ".batch-logs")
        if not self._used_pool:
            self._used_pool = True
            self._description = self._pool.describe()
        return self._pool

    def _run_tasks(self, stage: str, tasks: list[Task], unit: str) -> Iterator[Outcome]:
        """The tasks' outcomes as they finish (each is recorded, and its done-marker written, before
        the next is waited for: a run killed now keeps what it finished)."""
        if not tasks:
            return
        from tqdm.auto import tqdm

        failed = 0
        with tqdm(total=len(tasks), desc=stage, unit=unit, disable=not self.progress, file=sys.stderr,
                  dynamic_ncols=True, leave=True) as bar:
            for outcome in self._executor().run(tasks):
                value = outcome.value if isinstance(outcome.value, dict) else {}
                if not outcome.ok or value.get("ok") is False:
                    failed += 1
                    bar.set_postfix(failed=failed)
                bar.update(1)
                yield outcome

    @staticmethod
    def _result(outcome: Outcome) -> dict[str, Any]:
        """A task outcome as the task's dict (a dead worker or a timeout becomes ok=False)."""
        if outcome.ok and isinstance(outcome.value, dict):
            value = dict(outcome.value)
            value.setdefault("seconds", outcome.seconds)
            return value
        return {"ok": False, "reason": outcome.reason or "unknown error", "transient": outcome.transient,
                "seconds": outcome.seconds}

    def _fail(self, stage: str, file: str, reason: str, *, transient: bool = False, carried: bool = False,
              **extra) -> None:
        entry = {"stage": stage, "file": file, "reason": " ".join(str(reason).split())}
        if transient:
            entry["transient"] = True
        if carried:
            entry["carried"] = True
        entry.update(extra)
        self.failures.append(entry)

    def _stage(self, name: str, started: float, **counts) -> None:
        self.stages[name] = {"seconds": round(time.perf_counter() - started, 3), **counts}

    # ------------------------------------------------------------------ stage 1: extraction

    def _items(self) -> list[DocItem]:
        files = expand_inputs(self.inputs)
        items: list[DocItem] = []
        for group in group_publications(files):
            paths = [str(p) for p in group]
            items.append(DocItem("\n".join(os.path.abspath(p) for p in paths), paths, document_id(paths[0])))
        # Two inputs that would write the same folder (a report's PDF and its text extraction):
        # keep one, prefer the text (what `budgetlens extract --out` ends up with too).
        by_id: dict[str, DocItem] = {}
        for item in items:
            other = by_id.get(item.doc_id)
            if other is None:
                by_id[item.doc_id] = item
                continue
            keep, drop = (other, item)
            if Path(item.paths[0]).suffix.lower() == ".txt" and Path(other.paths[0]).suffix.lower() != ".txt":
                keep, drop = item, other
            by_id[item.doc_id] = keep
            self.skipped.append({"stage": "extract", "file": " + ".join(drop.paths),
                                 "reason": f"same document id {drop.doc_id!r} as {' + '.join(keep.paths)}"})
        kept = [i for i in items if by_id.get(i.doc_id) is i]
        return self._apply_previous_pairs(kept)

    def _apply_previous_pairs(self, items: list[DocItem]) -> list[DocItem]:
        """Volumes that an earlier run paired by content stay one document while unchanged."""
        prev = self.prev_state.get("documents") or {}
        index = {i.key: i for i in items}
        for key, entry in prev.items():
            members = entry.get("members")
            if not members or not all(m in index for m in members):
                continue
            first = index[members[0]]
            merged = DocItem(key, list(entry["paths"]), first.doc_id, list(members))
            pos = items.index(first)
            items = [i for i in items if i.key not in members]
            items.insert(min(pos, len(items)), merged)
            index = {i.key: i for i in items}
        return items

    def _outputs_intact(self, entry: dict[str, Any]) -> bool:
        folder = self.processed / entry.get("doc_id", "")
        outputs = entry.get("outputs") or {}
        return bool(outputs) and all(self.hashes.sha(folder / name) == sha for name, sha in outputs.items())

    def _was_failure(self, entry: dict[str, Any] | None) -> bool:
        return bool(entry) and not entry.get("ok")

    def stage_extract(self) -> None:
        t = time.perf_counter()
        items = self._items()
        prev = self.prev_state.get("documents") or {}
        docs: dict[str, dict[str, Any]] = {}
        todo: list[tuple[DocItem, list[str]]] = []
        up_to_date = carried = unreadable_count = 0
        for item in items:
            hashes: list[str] = []
            unreadable = None
            for p in item.paths:
                if not os.path.isfile(p):
                    unreadable = "file not found" if not os.path.exists(p) else "not a file"
                    break
                try:
                    hashes.append(st.sha256_file(p))
                except OSError as exc:
                    unreadable = f"cannot read ({exc.strerror or exc})"
                    break
            entry = prev.get(item.key)
            if unreadable:
                self._fail("extract", " + ".join(item.paths), unreadable)
                unreadable_count += 1
                continue
            same = bool(entry) and entry.get("inputs") == hashes and entry.get("code") == self.code_sha
            if same and entry.get("ok") and self._outputs_intact(entry):
                docs[item.key] = entry
                up_to_date += 1
                self.produced.append({"stage": "extract", "file": " + ".join(item.paths),
                                      "output": str(self.processed / entry["doc_id"]), "status": "up to date"})
                continue
            if same and not entry.get("ok") and not entry.get("transient") and not self.retry_failed:
                docs[item.key] = entry
                carried += 1
                self._fail("extract", " + ".join(item.paths), entry.get("reason", "failed"), carried=True)
                continue
            if self.retry_failed and not self._was_failure(entry):
                if entry:
                    docs[item.key] = entry  # not retried now; still due next time if it changed
                continue
            if item.members and not same:
                # A paired publication whose volumes changed: read them one by one and pair again.
                for m in item.members:
                    m_paths = [p for p in item.paths if os.path.abspath(p) in m.split("\n")]
                    m_hashes = [st.sha256_file(p) for p in m_paths]
                    todo.append((DocItem(m, m_paths, document_id(m_paths[0])), m_hashes))
                continue
            todo.append((item, hashes))

        pending = {f"extract-{n}": pair for n, pair in enumerate(todo)}
        tasks = [Task(k, extract_task, (item.paths, str(self.processed)), self.timeout + DEADLINE_GRACE)
                 for k, (item, _) in pending.items()]
        fresh: set[str] = set()
        ran = failed = 0
        for outcome in self._run_tasks("extract", tasks, "doc"):
            item, hashes = pending[outcome.task.key]
            result = self._result(outcome)
            ran += 1
            if self._record_extraction(item, hashes, result, docs):
                fresh.add(item.key)
            else:
                failed += 1
        # Volumes extracted by an interrupted run were never paired, nor catalogued.
        fresh |= {k for k in docs if k in self.resumed}
        paired = self._pair_by_content(docs, fresh)
        if fresh or paired or (docs and not (self.processed / "catalog.parquet").is_file()):
            from ..store import write_catalog

            try:
                write_catalog(self.processed)
            except Exception as exc:  # noqa: BLE001
                self._fail("catalog", str(self.processed / "catalog.parquet"), f"{type(exc).__name__}: {exc}")
        self.state["documents"] = docs
        self._stage("extract", t, total=len(items), ran=ran, up_to_date=up_to_date, failed=failed + unreadable_count,
                    carried=carried, paired=paired, skipped=len(self.skipped))

    def _record_extraction(self, item: DocItem, hashes: list[str], result: dict[str, Any],
                           docs: dict[str, dict[str, Any]]) -> bool:
        name = " + ".join(item.paths)
        entry: dict[str, Any] = {"paths": item.paths, "inputs": hashes, "code": self.code_sha,
                                 "ok": bool(result.get("ok")), "seconds": round(result.get("seconds", 0.0), 3)}
        if item.members:
            entry["members"] = item.members
        if entry["ok"]:
            entry.update(doc_id=result["doc_id"], outputs=result["outputs"], signature=result.get("signature"),
                         pages=result.get("pages"), format=result.get("format"))
            self.changed_docs.add(result["doc_id"])
            self.produced.append({"stage": "extract", "file": name, "output": str(self.processed / result["doc_id"]),
                                  "status": "ran", "seconds": entry["seconds"]})
        else:
            entry.update(reason=result.get("reason", "failed"), transient=bool(result.get("transient")))
            self._fail("extract", name, entry["reason"], transient=entry["transient"])
        docs[item.key] = entry
        self._mark("documents", item.key, entry)
        return entry["ok"]

    def _mark(self, stage: str, key: str, entry: dict[str, Any]) -> None:
        """The step's done-marker: written after its outputs when it succeeded, removed when not."""
        if entry.get("ok"):
            self.markers.put(stage, key, entry)
        else:
            self.markers.drop(stage, key)

    def _pair_by_content(self, docs: dict[str, dict[str, Any]], fresh: set[str]) -> int:
        """Volumes of one publication found by content (see :mod:`budgetlens.publications`)."""
        from ..publications import match_signatures

        cands = {k: e["signature"] for k, e in docs.items()
                 if e.get("ok") and not e.get("members") and e.get("signature")
                 and (e["signature"].get("narrative_only") or e["signature"].get("tables_only"))}
        if not any(k in fresh for k in cands):
            return 0
        pairs = match_signatures(cands)
        pairs = [(nk, tk) for nk, tk in pairs if nk in fresh or tk in fresh]
        if not pairs:
            return 0
        pending = {}
        for n, (nk, tk) in enumerate(pairs):
            paths = docs[nk]["paths"] + docs[tk]["paths"]
            pending[f"pair-{n}"] = (nk, tk, paths)
        tasks = [Task(k, extract_task, (paths, str(self.processed)), self.timeout + DEADLINE_GRACE)
                 for k, (_, _, paths) in pending.items()]
        done = 0
        for outcome in self._run_tasks("pair volumes", tasks, "doc"):
            nk, tk, paths = pending[outcome.task.key]
            result = self._result(outcome)
            if not result.get("ok"):
                self._fail("extract", " + ".join(paths), result.get("reason", "failed"),
                           transient=bool(result.get("transient")))
                continue
            n_entry, t_entry = docs.pop(nk), docs.pop(tk)
            self.markers.drop("documents", nk)
            self.markers.drop("documents", tk)
            item = DocItem(nk + "\n" + tk, paths, result["doc_id"], [nk, tk])
            self._record_extraction(item, n_entry["inputs"] + t_entry["inputs"], result, docs)
            if t_entry["doc_id"] != result["doc_id"]:
                shutil.rmtree(self.processed / t_entry["doc_id"], ignore_errors=True)
                self.changed_docs.add(t_entry["doc_id"])
            self.produced = [p for p in self.produced
                             if not (p["stage"] == "extract" and p["file"] in (" + ".join(n_entry["paths"]),
                                                                                " + ".join(t_entry["paths"])))]
            done += 1
        return done

    # ------------------------------------------------------------------ stage 2: notebooks

    def _doc_hashes(self) -> dict[str, str]:
        out = {}
        for doc_json in sorted(self.processed.glob("*/document.json")):
            folder = doc_json.parent
            out[folder.name] = st.digest([self.hashes.sha(doc_json), self.hashes.sha(folder / "tables.parquet")])
        return out

    def _unit_map(self, doc_hashes: dict[str, str]) -> tuple[dict[str, list[str]], str | None]:
        if not doc_hashes or not (self.processed / "catalog.parquet").is_file():
            return {}, None
        from ..units import find_aliases_csv, unit_table

        sources = [e["paths"][0] for e in self.state["documents"].values() if e.get("paths")]
        aliases = find_aliases_csv(self.processed, sources)
        aliases_sha = self.hashes.sha(aliases) if aliases else None
        units_input = st.digest([self.code_sha, doc_hashes, str(aliases) if aliases else None, aliases_sha])
        if self.state.get("units_input") == units_input and isinstance(self.state.get("unit_map"), dict):
            return self.state["unit_map"], aliases_sha
        try:
            table = unit_table(self.processed, aliases)
        except Exception as exc:  # noqa: BLE001
            self._fail("units", str(self.processed / "catalog.parquet"), f"{type(exc).__name__}: {exc}")
            return {}, aliases_sha
        unit_map: dict[str, list[str]] = {}
        for unit_id, doc_id in zip(table["unit_id"], table["doc_id"], strict=True):
            unit_map.setdefault(str(unit_id), []).append(str(doc_id))
        self.state["unit_map"] = unit_map
        self.state["units_input"] = units_input
        return unit_map, aliases_sha

    def _notebook_items(self, doc_hashes, unit_map, aliases_sha, templates_sha) -> list[NotebookItem]:
        base = [self.code_sha, templates_sha, aliases_sha]
        items = []
        if doc_hashes:
            items.append(NotebookItem("panel", "panel", None, st.digest(base + ["panel", doc_hashes]),
                                      frozenset(doc_hashes)))
        for unit_id, doc_ids in sorted(unit_map.items()):
            deps = {d: doc_hashes.get(d) for d in doc_ids}
            items.append(NotebookItem(f"unit/{unit_id}", "unit", unit_id, st.digest(base + ["unit", unit_id, deps]),
                                      frozenset(doc_ids)))
        if self.document_notebooks:
            for doc_id, h in doc_hashes.items():
                items.append(NotebookItem(f"document/{doc_id}", "document", doc_id,
                                          st.digest(base + ["document", doc_id, h]), frozenset([doc_id])))
        return items

    def _due(self, item: NotebookItem, entry: dict[str, Any] | None) -> str:
        """'run', 'up to date', 'carried' (a failure nothing has changed since) or 'keep' (not retried now)."""
        same = bool(entry) and entry.get("fingerprint") == item.fingerprint
        if same and entry.get("ok") and self._output_intact(entry):
            return "up to date"
        if same and not entry.get("ok") and not entry.get("transient") and not self.retry_failed:
            return "carried"
        if self.retry_failed:
            if self._was_failure(entry):
                return "run"
            if item.depends_on & self.changed_docs and not same:
                return "run"  # depends on a document that a retry just re-extracted
            return "keep"
        return "run"

    def _output_intact(self, entry: dict[str, Any]) -> bool:
        """The page a notebook entry names is there, and is the one it wrote (when its hash was recorded)."""
        output = entry.get("output")
        if not output:
            return True
        if "output_sha256" in entry:
            return self.hashes.sha(output) == entry["output_sha256"]
        return Path(output).exists()

    def _notebook_task(self, item: NotebookItem) -> Task:
        return Task(item.key, notebook_task,
                    (self.notebooks, item.kind, item.target, str(self.processed), str(self.reports),
                     self.timeout, self.kernel_name, self.warm),
                    self.timeout + DEADLINE_GRACE if item.kind != "index" else None)

    def _record_notebook(self, item: NotebookItem, result: dict[str, Any], notebooks: dict[str, Any]) -> None:
        for k, v in (result.get("kernel") or {}).items():
            self.kernel[k] = self.kernel.get(k, 0) + v
        entry = {"fingerprint": item.fingerprint, "ok": bool(result.get("ok")),
                 "seconds": round(result.get("seconds", 0.0), 3)}
        if entry["ok"]:
            entry["output"] = result.get("output")
            if entry["output"]:
                entry["output_sha256"] = self.hashes.sha(entry["output"])
            self.produced.append({"stage": item.kind, "file": item.key, "output": entry["output"], "status": "ran",
                                  "seconds": entry["seconds"]})
        else:
            entry.update(reason=result.get("reason", "failed"), transient=bool(result.get("transient")))
            self._fail(item.kind, item.key, entry["reason"], transient=entry["transient"])
        notebooks[item.key] = entry
        self._mark("notebooks", item.key, entry)

    def stage_notebooks(self) -> None:
        t = time.perf_counter()
        why_not = self.notebooks.available() if self.run_notebooks else "not requested (extraction only)"
        if why_not:
            self.notes.append(f"notebooks skipped: {why_not}")
            self._stage("notebooks", t, total=0, ran=0, up_to_date=0, failed=0, skipped=why_not)
            return
        doc_hashes = self._doc_hashes()
        unit_map, aliases_sha = self._unit_map(doc_hashes)
        templates_sha = st.files_fingerprint(self.notebooks.templates())
        items = self._notebook_items(doc_hashes, unit_map, aliases_sha, templates_sha)
        prev = self.state["notebooks"]
        notebooks: dict[str, Any] = {}
        todo: list[NotebookItem] = []
        up_to_date = carried = 0
        for item in items:
            entry = prev.get(item.key)
            due = self._due(item, entry)
            if due == "up to date":
                notebooks[item.key] = entry
                up_to_date += 1
                self.produced.append({"stage": item.kind, "file": item.key, "output": entry.get("output"),
                                      "status": "up to date"})
            elif due == "carried":
                notebooks[item.key] = entry
                carried += 1
                self._fail(item.kind, item.key, entry.get("reason", "failed"), carried=True)
            elif due == "keep":
                if entry:
                    notebooks[item.key] = entry
            else:
                todo.append(item)
        by_key = {i.key: i for i in todo}
        ran = failed = 0
        for outcome in self._run_tasks("notebooks", [self._notebook_task(i) for i in todo], "nb"):
            result = self._result(outcome)
            self._record_notebook(by_key[outcome.task.key], result, notebooks)
            ran += 1
            failed += 0 if result.get("ok") else 1
        self._stage("notebooks", t, total=len(items), ran=ran, up_to_date=up_to_date, failed=failed, carried=carried)

        # The index links every page: redone when any notebook's state changed.
        t = time.perf_counter()
        index = NotebookItem("index", "index", None, st.digest(
            [self.code_sha, templates_sha, {k: [v.get("fingerprint"), v.get("ok")] for k, v in sorted(notebooks.items())},
             sorted(doc_hashes)]))
        entry = prev.get("index")
        due = self._due(index, entry)
        if self.retry_failed and due == "keep" and ran:
            due = "run"  # a retried notebook changed what the index links to
        ran_index = 0
        if due == "up to date":
            notebooks["index"] = entry
            self.produced.append({"stage": "index", "file": "index", "output": entry.get("output"),
                                  "status": "up to date"})
        elif due == "carried":
            notebooks["index"] = entry
            self._fail("index", "index", entry.get("reason", "failed"), carried=True)
        elif due == "keep":
            if entry:
                notebooks["index"] = entry
        elif doc_hashes or entry:
            for outcome in self._run_tasks("index", [self._notebook_task(index)], "page"):
                self._record_notebook(index, self._result(outcome), notebooks)
                ran_index = 1
        self.state["notebooks"] = notebooks
        self._stage("index", t, total=1 if "index" in notebooks else 0, ran=ran_index,
                    up_to_date=int(due == "up to date"), carried=int(due == "carried"),
                    failed=int(bool(ran_index) and not notebooks["index"].get("ok")))

    # ------------------------------------------------------------------ the research dataset

    def stage_dataset(self) -> None:
        """``REPORTS/dataset/`` (:mod:`budgetlens.export`), rewritten only when a document changed;
        recorded as the manifest's ``dataset`` (a failure is listed with the others)."""
        t = time.perf_counter()
        out = self.reports / DATASET
        if not (self.processed / "catalog.parquet").is_file():
            return
        try:
            from ..export import export_dataset

            result = export_dataset(self.processed, out)
        except Exception as exc:  # noqa: BLE001 - the pages still get made; the failure is listed
            self._fail("dataset", str(out), f"{type(exc).__name__}: {exc}")
            return
        self.dataset = {"folder": str(out), "written": result.written, "rows": result.rows, "bytes": result.bytes,
                        "seconds": round(time.perf_counter() - t, 3)}

    # ------------------------------------------------------------------ the run

    def manifest(self, *, finished: bool) -> dict[str, Any]:
        executor = self._description if self._used_pool else "none (nothing to do)"
        return {
            "schema": st.SCHEMA,
            "command": "budgetlens batch",
            "budgetlens_version": __version__,
            "code_sha256": self.code["lib_sha256"],
            "environment": environment(),
            "dataset": self.dataset,
            "started": self.started,
            "finished": _now() if finished else None,
            "interrupted": self.interrupted,
            "seconds": round(time.perf_counter() - self._t0, 3),
            "options": {
                "inputs": [str(p) for p in self.inputs], "processed": str(self.processed),
                "reports": str(self.reports), "jobs": self.jobs, "timeout": self.timeout,
                "retry_failed": self.retry_failed, "scheduler": self.scheduler, "kernel_name": self.kernel_name,
                "warm_kernels": self.warm, "document_notebooks": self.document_notebooks,
                "notebooks": self.run_notebooks,
            },
            "executor": executor,
            "stages": self.stages,
            "counts": {
                "produced": sum(1 for p in self.produced if p["status"] == "ran"),
                "up_to_date": sum(1 for p in self.produced if p["status"] == "up to date"),
                "failed": len(self.failures),
                "skipped": len(self.skipped),
            },
            "kernel_failures": self.kernel["kernel_failures"],
            "kernel_starts": self.kernel["kernel_starts"],
            "kernel_reuses": self.kernel["kernel_reuses"],
            "worker_deaths": (getattr(self._pool, "worker_deaths", 0) - self._deaths_before) if self._used_pool else 0,
            "notes": self.notes,
            "failures": self.failures,
            "skipped": self.skipped,
            "produced": self.produced,
            "state": self.state,
        }

    def _start(self) -> None:
        """Lock the reports folder for this run, then remove what an interrupted run left half-written."""
        self.reports.mkdir(parents=True, exist_ok=True)
        self._lock = st.lock_folder(self.reports)
        removed = [p for folder in (self.reports, self.processed) if folder.is_dir()
                   for p in remove_temporary_files(folder)]
        if removed:
            self.notes.append(f"removed {len(removed)} temporary file(s) of an interrupted run")

    def _finish_markers(self) -> None:
        """After a finished run the manifest holds everything: markers of steps gone from it go."""
        self.markers.prune("documents", set(self.state.get("documents") or {}))
        self.markers.prune("notebooks", set(self.state.get("notebooks") or {}))

    def run(self) -> dict[str, Any]:
        if self.retry_failed and not self.previous:
            self.notes.append(f"--retry-failed: no previous manifest at {self.manifest_path}; nothing to retry")
        self._start()
        try:
            if self.retry_failed and not self.previous:
                self.state["documents"] = {}
            else:
                self.stage_extract()
                self.stage_dataset()
                st.write_manifest(self.manifest_path, self.manifest(finished=False))
                self.stage_notebooks()
                self._completed = True
        except KeyboardInterrupt:
            self.interrupted = True
            raise
        finally:
            if self._pool is not None and self._own_pool:
                self._pool.close(force=self.interrupted)
            manifest = self.manifest(finished=not self.interrupted)
            st.write_manifest(self.manifest_path, manifest)
            if getattr(self, "_completed", False):
                self._finish_markers()
            self._lock.release()
        return manifest


def run_batch(inputs=("data/raw",), *, processed="data/processed", reports="reports", jobs: int | None = None,
              timeout: float = 600, retry_failed: bool = False, scheduler: str | None = None,
              kernel_name: str | None = None, progress: bool = True, warm_kernels: bool = True,
              document_notebooks: bool = False, run_notebooks: bool = True, notebooks: Notebooks | None = None,
              executor=None) -> dict[str, Any]:
    """Extract every document under ``inputs``, then run the notebooks; returns the run manifest.

    ``jobs`` worker processes (default: all cores) or the dask cluster at ``scheduler``;
    ``timeout`` seconds per notebook cell (a worker is stopped ``timeout`` + 30 s into one task);
    ``retry_failed`` reruns only the failures of the previous manifest (and what depends on them);
    ``warm_kernels`` reuses one kernel per worker between notebooks (False: a new kernel each);
    ``run_notebooks`` False extracts only; ``notebooks`` replaces
    :class:`~budgetlens.batch.tasks.ReportNotebooks` (tests, other templates); ``executor`` is a
    :class:`~budgetlens.batch.pool.LocalPool` or :class:`~budgetlens.batch.pool.DaskPool` to use (and
    leave open) instead of a new one.
    """
    return BatchRun(inputs, processed=processed, reports=reports, jobs=jobs, timeout=timeout,
                    retry_failed=retry_failed, scheduler=scheduler, kernel_name=kernel_name, progress=progress,
                    warm_kernels=warm_kernels, document_notebooks=document_notebooks, notebooks=notebooks,
                    run_notebooks=run_notebooks, executor=executor).run()
