"""Where batch tasks run: long-lived local worker processes, or a dask.distributed cluster.

Both executors take the same :class:`Task` list and yield one :class:`Outcome` per task, in
completion order. A task function never sees the executor: it is a plain module-level
function of :mod:`budgetlens.batch.tasks` that returns a small dict (or raises).

:class:`LocalPool` gives every worker process one task at a time over its own pipe, so when a
worker dies (killed, out of memory, a crash in a C library) the pool knows exactly which task
it was running: that task is recorded as failed, a new worker takes the dead one's place, and
the others go on. A task that overruns its hard deadline is treated the same way (its worker
is killed). Workers live for the whole batch, so imports and warm kernels are paid once per
worker, not once per task.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Task:
    """One unit of work: ``fn(*args)`` in a worker; ``deadline`` seconds at most (local pool)."""

    key: str
    fn: Callable[..., Any]
    args: tuple = ()
    deadline: float | None = None
    info: dict = field(default_factory=dict)


@dataclass
class Outcome:
    task: Task
    ok: bool
    value: Any = None
    reason: str | None = None
    seconds: float = 0.0
    transient: bool = False  # the failure says nothing about the input (a worker died, a launch failed)


def one_line(exc: BaseException) -> str:
    """An exception as one line: what a user can act on, no traceback."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    if not text:
        return name
    return text if text.startswith(name) else f"{name}: {text}"


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "worker process stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"worker process died (killed by {name})"
    return f"worker process died (exit code {code})"


# --------------------------------------------------------------------------- worker side


def _worker_main(fd: int) -> None:
    """A worker's loop: receive ``(task_id, fn, args)``, send back ``(task_id, ok, value, reason, seconds)``."""
    conn = Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    _exit_with_driver()
    try:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                break
            if msg is None:
                break
            task_id, fn, args = msg
            started = time.perf_counter()
            try:
                value = fn(*args)
                reply = (task_id, True, value, None)
            except BaseException as exc:  # noqa: BLE001 - reported to the driver as one line
                traceback.print_exc()
                reply = (task_id, False, None, one_line(exc))
            try:
                conn.send(reply + (time.perf_counter() - started,))
            except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
                conn.send((task_id, False, None, f"result could not be sent back: {one_line(exc)}",
                           time.perf_counter() - started))
    finally:
        try:
            from . import kernels

            kernels.shutdown_all()
        except Exception:  # noqa: BLE001
            pass


def _exit_with_driver(interval: float = 0.5) -> None:
    """Stop this worker as soon as its driver is gone (killed with kill -9): an orphan would go on
    writing pages after the next run has started. Its kernels follow (they poll their parent)."""
    import threading

    driver = os.getppid()

    def watch() -> None:
        while os.getppid() == driver:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="driver-watch", daemon=True).start()


_WORKER_CMD = "import sys; from budgetlens.batch.pool import _worker_main; _worker_main(int(sys.argv[1]))"


# --------------------------------------------------------------------------- driver side


class _Worker:
    """A fresh interpreter (not a fork, and not a re-import of the caller's ``__main__``)."""

    def __init__(self, index: int, log_dir: Path | None, env: dict[str, str]):
        self.index = index
        parent, child = socket.socketpair()
        log = open(log_dir / f"worker-{index}.log", "ab") if log_dir else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CMD, str(child.fileno())], pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
        finally:
            child.close()
            if log is not subprocess.DEVNULL:
                log.close()
        self.conn = Connection(parent.detach())
        self.task: Task | None = None
        self.task_id = 0
        self.started = 0.0

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        self.conn.close()


def _worker_env(overrides: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    # The driver's own additions to the import path (a test's stand-ins, a source checkout) hold in
    # the workers too; the interpreter's standard and site folders are left to the interpreter.
    prefixes = tuple(os.path.realpath(p) + os.sep for p in {sys.prefix, sys.base_prefix, sys.exec_prefix})
    extra = [p for p in sys.path if p and os.path.isdir(p) and not os.path.realpath(p).startswith(prefixes)
             and not p.rstrip(os.sep).endswith(("site-packages", "dist-packages"))]
    if os.environ.get("PYTHONPATH"):
        extra.append(os.environ["PYTHONPATH"])
    if extra:
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(extra))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.update(overrides)
    return env


class LocalPool:
    """``jobs`` long-lived worker processes (fresh interpreters: nothing inherited from the driver)."""

    name = "local"

    def __init__(self, jobs: int, *, log_dir: Path | None = None, env: dict[str, str] | None = None):
        self.jobs = max(1, int(jobs))
        self.log_dir = log_dir
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
            for old in log_dir.glob("worker-*.log"):
                old.unlink(missing_ok=True)
        base = tempfile.gettempdir() if len(tempfile.gettempdir()) <= 30 else "/tmp"
        self.kernel_dir = tempfile.mkdtemp(prefix="blpool-", dir=base)  # kernels' IPC sockets, all workers
        self.env = _worker_env({"BUDGETLENS_KERNEL_DIR": self.kernel_dir, **(env or {})})
        self._workers: list[_Worker] = []
        self._next_index = 0
        self.worker_deaths = 0

    def describe(self) -> str:
        return f"local ({self.jobs} worker process{'es' if self.jobs != 1 else ''})"

    def _spawn(self) -> _Worker:
        w = _Worker(self._next_index, self.log_dir, self.env)
        self._next_index += 1
        return w

    def _ensure_workers(self, wanted: int) -> None:
        while len(self._workers) < min(self.jobs, wanted):
            self._workers.append(self._spawn())

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self._workers[self._workers.index(w)] = self._spawn()

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        pending = deque(tasks)
        if not pending:
            return
        self._ensure_workers(len(pending))
        seq = 0
        while True:
            for w in self._workers:
                if w.task is None and pending:
                    task = pending.popleft()
                    seq += 1
                    w.task, w.task_id, w.started = task, seq, time.monotonic()
                    try:
                        w.conn.send((seq, task.fn, task.args))
                    except OSError:  # the worker died while idle: a new one takes the task
                        w.task = None
                        pending.appendleft(task)
                        self.worker_deaths += 1
                        self._replace(w)
                    except Exception as exc:  # noqa: BLE001 - e.g. arguments that cannot be pickled
                        w.task = None
                        yield Outcome(task, False, reason=f"could not start task: {one_line(exc)}")
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                if pending:
                    continue
                return
            now = time.monotonic()
            deadlines = [w.started + w.task.deadline - now for w in busy if w.task.deadline]
            timeout = max(0.05, min(deadlines)) if deadlines else None
            ready = wait([w.conn for w in busy], timeout=timeout)
            for w in busy:
                task = w.task
                if w.conn in ready:
                    try:
                        task_id, ok, value, reason, seconds = w.conn.recv()
                    except (EOFError, OSError):
                        pass  # the worker died; handled below
                    else:
                        if task_id == w.task_id:
                            w.task = None
                            yield Outcome(task, ok, value, reason, seconds)
                        continue
                if w.conn in ready or not w.alive():
                    try:
                        code = w.process.wait(5)
                    except subprocess.TimeoutExpired:
                        code = None
                    self.worker_deaths += 1
                    w.task = None
                    self._replace(w)
                    yield Outcome(task, False, reason=_describe_exit(code),
                                  seconds=time.monotonic() - w.started, transient=True)
                    continue
                if task.deadline and time.monotonic() - w.started > task.deadline:
                    w.task = None
                    self._replace(w)
                    yield Outcome(task, False, reason=f"timed out after {task.deadline:.0f} s (worker stopped)",
                                  seconds=time.monotonic() - w.started)

    def close(self, force: bool = False) -> None:
        """Stop the workers: let them shut their kernels down (or, ``force``, kill them at once)."""
        for w in self._workers:
            if force:
                w.kill()
                continue
            try:
                w.conn.send(None)
            except Exception:  # noqa: BLE001
                pass
        for w in self._workers:
            try:
                w.process.wait(10)
            except subprocess.TimeoutExpired:
                pass
            w.kill()
        self._workers.clear()
        shutil.rmtree(self.kernel_dir, ignore_errors=True)


def _dask_call(cwd, fn, args):
    """Run a task in the driver's working directory when the worker has it (relative paths then agree)."""
    if cwd and os.path.isdir(cwd) and os.getcwd() != cwd:
        os.chdir(cwd)
    started = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - started


def _dask_shutdown_kernels() -> int:
    from . import kernels

    return kernels.shutdown_all()


class DaskPool:
    """The same tasks on a dask.distributed cluster (workers need the same paths and environment)."""

    name = "dask"

    def __init__(self, address: str, *, env: dict[str, str] | None = None):
        from distributed import Client

        self.address = address
        self.client = Client(address, timeout="30s")
        self.env = dict(env or {})
        self.worker_deaths = 0

    def describe(self) -> str:
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        threads = sum(w.get("nthreads", 1) for w in workers.values())
        return f"dask {self.address} ({len(workers)} workers, {threads} threads)"

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        from distributed import as_completed
        from distributed.client import FutureCancelledError

        tasks = list(tasks)
        if not tasks:
            return
        futures = {}
        for t in tasks:
            fut = self.client.submit(_dask_call, os.getcwd(), t.fn, t.args, key=f"budgetlens-{t.key}-{os.urandom(4).hex()}",
                                     pure=False)
            futures[fut] = t
        for fut in as_completed(list(futures)):
            task = futures[fut]
            try:
                value, seconds = fut.result()
            except FutureCancelledError as exc:
                yield Outcome(task, False, reason=f"cancelled: {one_line(exc)}", transient=True)
            except Exception as exc:  # noqa: BLE001
                name = type(exc).__name__
                transient = name in ("KilledWorker", "CommClosedError")
                if transient:
                    self.worker_deaths += 1
                reason = "worker process died (KilledWorker)" if name == "KilledWorker" else one_line(exc)
                yield Outcome(task, False, reason=reason, transient=transient)
            else:
                yield Outcome(task, True, value, seconds=seconds)
            finally:
                fut.release()

    def close(self, force: bool = False) -> None:
        try:
            if not force:
                self.client.run(_dask_shutdown_kernels)
        except Exception:  # noqa: BLE001
            pass
        self.client.close()


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1

