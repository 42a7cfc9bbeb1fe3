"""``budgetlens batch``: the whole flow over many files, in parallel and incrementally.

* :mod:`.runner` — the stages (extract → notebooks → index) and the run manifest;
* :mod:`.pool` — long-lived local worker processes, or a dask.distributed cluster;
* :mod:`.kernels` — kernels on private IPC sockets (no port races) and warm kernel reuse;
* :mod:`.state` — the fingerprints that make a rerun do only what changed;
* :mod:`.tasks` — what a worker runs: one extraction, one notebook.
"""

from .runner import BatchRun, run_batch
from .state import MANIFEST, load_manifest
from .tasks import Notebooks, ReportNotebooks

__all__ = ["BatchRun", "MANIFEST", "Notebooks", "ReportNotebooks", "load_manifest", "run_batch"]
