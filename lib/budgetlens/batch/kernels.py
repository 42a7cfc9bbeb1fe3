"""Kernel starts that do not collide, and warm kernels that are reused between notebooks.

Why: jupyter_client picks TCP ports by binding port 0, reading the number and closing the
socket; the kernel binds it a moment later. Two kernels started at once can be handed the
same free port and one dies with ``ZMQError: Address already in use`` (papermill#511,
ipython#12372). :class:`IsolatedKernelManager` uses the ``ipc`` transport instead, with the
connection file and the socket files in a private directory per kernel: two kernels can no
longer name the same endpoint, whatever runs next to them.

Speed: a fresh kernel per notebook costs a process start plus the notebook's imports (pandas,
matplotlib, budgetlens: seconds) before a line of the report runs. :class:`BatchEngine` is a
papermill engine that keeps one kernel per worker thread and kernel name, and between two
notebooks resets it to a fresh-kernel state (user namespace cleared, figures closed, working
directory and execution counter restored) so the executed notebook is the same as from a new
kernel, while imported modules stay warm. A kernel that timed out, died or failed to reset is
discarded; every ``max_uses`` notebooks a kernel is replaced anyway.

A launch that fails anyway (a kernel that dies or does not answer in time) is retried with a
new kernel and counted in :data:`STATS` (``kernel_failures``), which the batch manifest reports.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

log = logging.getLogger(__name__)

LAUNCH_ATTEMPTS = 3
"""How often a kernel launch is tried before the notebook fails."""

STATS = {"kernel_starts": 0, "kernel_failures": 0, "kernel_reuses": 0}
"""Counters for this process (the batch sums them over workers)."""

_settings = {"warm": True, "max_uses": 50, "save_every_cell": False}
_root_lock = threading.Lock()
_root: list[str] = []


class KernelLaunchError(RuntimeError):
    """A kernel could not be started (after retries)."""


def configure(*, warm: bool | None = None, max_uses: int | None = None, save_every_cell: bool | None = None) -> None:
    """Choose warm (reused) or fresh kernels for :class:`BatchEngine` in this process."""
    if save_every_cell is not None:
        _settings["save_every_cell"] = bool(save_every_cell)
    if warm is not None:
        _settings["warm"] = bool(warm)
    if max_uses is not None:
        _settings["max_uses"] = max(1, int(max_uses))


ENV_KERNEL_DIR = "BUDGETLENS_KERNEL_DIR"
"""Set by the local pool: the run's folder for kernel sockets, removed by the pool even when a
worker was killed (and its own clean-up never ran)."""


def _private_root() -> str:
    """One short temporary folder per process for IPC socket files (AF_UNIX paths are short)."""
    with _root_lock:
        if not _root or not os.path.isdir(_root[0]):
            base = os.environ.get(ENV_KERNEL_DIR) or ""
            if not os.path.isdir(base):
                base = tempfile.gettempdir()
                if len(base) > 40:  # keep socket paths well under the 107-byte limit
                    base = "/tmp" if os.path.isdir("/tmp") else base
            _root[:] = [tempfile.mkdtemp(prefix=f"blk{os.getpid()}-", dir=base)]
            atexit.register(shutil.rmtree, _root[0], True)
        return _root[0]


class IsolatedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel talks over IPC sockets in a directory of its own."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.private_dir = tempfile.mkdtemp(prefix="k", dir=_private_root())
        self.transport = "ipc"
        self.connection_file = os.path.join(self.private_dir, "kernel.json")
        self.ip = os.path.join(self.private_dir, "ipc")

    async def cleanup_resources(self, restart: bool = False) -> None:  # type: ignore[override]
        await self._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.private_dir, ignore_errors=True)


# --------------------------------------------------------------------------- warm kernels

_RESET = """\
def _bl_reset():
    # What `%reset -f` does (namespace, output cache, aliases cleared) without its two full
    # garbage collections: they cost a quarter of a unit page's CPU, and cycles are collected
    # by the interpreter's own gc anyway.
    import gc
    collect, gc.collect = gc.collect, lambda generation=2: 0
    try:
        get_ipython().reset(new_session=False)
    finally:
        gc.collect = collect
_bl_reset()
import os as _bl_os, sys as _bl_sys
_bl_os.chdir({cwd!r})
if 'matplotlib.pyplot' in _bl_sys.modules:
    _bl_sys.modules['matplotlib.pyplot'].close('all')
get_ipython().execution_count = 1
del _bl_os, _bl_sys
"""


class WarmKernel:
    """One started kernel, its manager and a blocking client for resets."""

    def __init__(self, kernel_name: str, cwd: str, startup_timeout: float, extra_arguments: list[str] | None = None):
        from jupyter_client import BlockingKernelClient

        self.kernel_name = kernel_name
        self.extra_arguments = list(extra_arguments or [])
        self.uses = 0
        self.pending_reset: tuple[str, str] | None = None
        self.notebook_client = None  # nbclient's (async) client, kept between notebooks
        self.km = IsolatedKernelManager(kernel_name=kernel_name)
        arguments = list(self.extra_arguments)
        if not any(a.startswith("--HistoryManager.hist_file") for a in arguments):
            arguments.append("--HistoryManager.hist_file=:memory:")  # as nbclient does: no shared SQLite file
        try:
            run_sync(self.km.start_kernel)(extra_arguments=arguments, cwd=cwd)
            self.kc = BlockingKernelClient()
            self.kc.load_connection_info(self.km.get_connection_info())
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=startup_timeout)
        except BaseException:
            self.shutdown()
            raise

    def alive(self) -> bool:
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    def begin_reset(self, cwd: str) -> None:
        """Send the reset now (it runs while the worker exports the page); :meth:`finish_reset` waits."""
        self.pending_reset = (self.kc.execute(_RESET.format(cwd=cwd), silent=True, store_history=False), cwd)

    def finish_reset(self, cwd: str, timeout: float = 60) -> None:
        pending = getattr(self, "pending_reset", None)
        self.pending_reset = None
        if pending is None or pending[1] != cwd:
            if pending is not None:
                self._wait(pending[0], timeout)
            pending = (self.kc.execute(_RESET.format(cwd=cwd), silent=True, store_history=False), cwd)
        self._wait(pending[0], timeout)

    def _wait(self, msg_id: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue', '')}")

    def shutdown(self, graceful: bool = False) -> None:
        pending = getattr(self, "pending_reset", None)
        if graceful and pending is not None:  # let the kernel answer before it is asked to stop
            try:
                self._wait(pending[0], 5)
            except Exception:  # noqa: BLE001
                pass
        for kc in (getattr(self, "kc", None), getattr(self, "notebook_client", None)):
            if kc is not None:
                try:
                    kc.stop_channels()
                except Exception:  # noqa: BLE001
                    pass
        self.notebook_client = None
        try:
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=not graceful)
        except Exception:  # noqa: BLE001
            pass
        try:
            run_sync(self.km.cleanup_resources)()
        except Exception:  # noqa: BLE001
            pass
        shutil.rmtree(self.km.private_dir, ignore_errors=True)


_local = threading.local()
_all_kernels: list[WarmKernel] = []
_all_lock = threading.Lock()


def _slots() -> dict[str, WarmKernel]:
    if not hasattr(_local, "kernels"):
        _local.kernels = {}
    return _local.kernels


def _launch_failed(exc: BaseException) -> None:
    STATS["kernel_failures"] += 1
    log.warning("kernel launch failed (%s: %s); retrying with a new kernel", type(exc).__name__, exc)


def _start_warm(kernel_name: str, cwd: str, startup_timeout: float, extra_arguments: list[str]) -> WarmKernel:
    last: BaseException | None = None
    for attempt in range(LAUNCH_ATTEMPTS):
        try:
            wk = WarmKernel(kernel_name, cwd, startup_timeout, extra_arguments)
        except Exception as exc:  # noqa: BLE001 - a failed launch is retried, then reported
            _launch_failed(exc)
            last = exc
            time.sleep(0.2 * (attempt + 1))
            continue
        STATS["kernel_starts"] += 1
        with _all_lock:
            _all_kernels.append(wk)
        return wk
    raise KernelLaunchError(f"kernel {kernel_name!r} did not start after {LAUNCH_ATTEMPTS} attempts: "
                            f"{type(last).__name__}: {last}")


def _discard(wk: WarmKernel) -> None:
    slots = _slots()
    if slots.get(wk.kernel_name) is wk:
        del slots[wk.kernel_name]
    with _all_lock:
        if wk in _all_kernels:
            _all_kernels.remove(wk)
    wk.shutdown()


def shutdown_all() -> int:
    """Shut down every warm kernel of this process; returns how many there were."""
    with _all_lock:
        kernels = list(_all_kernels)
        _all_kernels.clear()
    for wk in kernels:
        wk.shutdown(graceful=True)
    if hasattr(_local, "kernels"):
        _local.kernels.clear()
    return len(kernels)


atexit.register(shutdown_all)


def _execute_warm(nb_man, kernel_name: str, kwargs: dict):
    cwd = os.getcwd()
    startup_timeout = kwargs.get("startup_timeout") or 60
    extra_arguments = list(kwargs.get("extra_arguments") or [])
    slots = _slots()
    wk = slots.get(kernel_name)
    if wk is not None and (wk.uses >= _settings["max_uses"] or wk.extra_arguments != extra_arguments
                           or not wk.alive()):
        _discard(wk)
        wk = None
    if wk is not None:
        try:
            wk.finish_reset(cwd)
            STATS["kernel_reuses"] += 1
        except Exception:  # noqa: BLE001 - a kernel that cannot be reset is replaced
            _discard(wk)
            wk = None
    if wk is None:
        wk = _start_warm(kernel_name, cwd, startup_timeout, extra_arguments)
        slots[kernel_name] = wk
    kwargs = dict(kwargs)
    kwargs.pop("kernel_manager_class", None)
    client = PapermillNotebookClient(nb_man, km=wk.km, **kwargs)
    if wk.notebook_client is not None:
        client.kc = wk.notebook_client  # channels already open and the kernel known to be ready
    try:
        nb = client.execute()
    except BaseException:
        # A timeout, a dead kernel or an interrupt: the kernel's state is unknown, start anew next time.
        if client.kc is not None and client.kc is not wk.notebook_client:
            try:
                client.kc.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        _discard(wk)
        raise
    wk.notebook_client = client.kc
    wk.uses += 1
    try:
        wk.begin_reset(cwd)
    except Exception:  # noqa: BLE001
        _discard(wk)
    return nb


def _execute_fresh(nb_man, kernel_name: str, kwargs: dict):
    """A new isolated kernel for this notebook; a launch failure (before any cell ran) is retried."""
    last: BaseException | None = None
    for attempt in range(LAUNCH_ATTEMPTS):
        started = []
        client = PapermillNotebookClient(
            nb_man, kernel_manager_class=IsolatedKernelManager,
            on_notebook_start=lambda started=started, **_: started.append(True), **kwargs)
        try:
            nb = client.execute()
            STATS["kernel_starts"] += 1
            return nb
        except Exception as exc:
            if started:
                STATS["kernel_starts"] += 1
                raise
            _launch_failed(exc)
            last = exc
            time.sleep(0.2 * (attempt + 1))
    raise KernelLaunchError(f"kernel {kernel_name!r} did not start after {LAUNCH_ATTEMPTS} attempts: "
                            f"{type(last).__name__}: {last}")


class BatchEngine(NBClientEngine):
    """papermill's nbclient engine with isolated (IPC) kernels, warm reuse and launch retries.

    It also writes the output notebook once, when the run ends (successful or not), instead of
    after every cell: nobody watches a batch notebook live, and rewriting a notebook full of
    charts a dozen times costs more than some of its cells.
    """

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                         autosave_cell_every=30, **kwargs):
        from papermill.engines import NotebookExecutionManager

        if _settings["save_every_cell"]:
            return super().execute_notebook(nb, kernel_name, output_path=output_path, progress_bar=progress_bar,
                                            log_output=log_output, autosave_cell_every=autosave_cell_every, **kwargs)
        nb_man = NotebookExecutionManager(nb, output_path=None, progress_bar=progress_bar, log_output=log_output,
                                          autosave_cell_every=0)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.output_path = output_path
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logging.getLogger("papermill"),
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        if _settings["warm"]:
            return _execute_warm(nb_man, kernel_name, final_kwargs)
        return _execute_fresh(nb_man, kernel_name, final_kwargs)


_ENGINE_NAMES = (None, "nbclient")


def install() -> None:
    """Make :class:`BatchEngine` papermill's default engine in this process (batch workers)."""
    for name in _ENGINE_NAMES:
        papermill_engines.register(name, BatchEngine)


@contextmanager
def batch_engine(*, warm: bool | None = None):
    """Use :class:`BatchEngine` inside the block, then restore papermill's engines."""
    saved = {name: papermill_engines._engines.get(name) for name in _ENGINE_NAMES}
    saved_settings = dict(_settings)
    configure(warm=warm)
    install()
    try:
        yield
    finally:
        for name, engine in saved.items():
            if engine is not None:
                papermill_engines.register(name, engine)
        _settings.update(saved_settings)


def stats_snapshot() -> dict[str, int]:
    return dict(STATS)


def stats_since(before: dict[str, int]) -> dict[str, int]:
    return {k: STATS[k] - before.get(k, 0) for k in STATS}


def private_root() -> Path:
    return Path(_private_root())
