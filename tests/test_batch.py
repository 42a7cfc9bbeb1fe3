"""``budgetlens batch``: parallel extraction and notebooks, failures recorded, incremental, dask.

The notebook stage runs against :class:`StandInNotebooks` (two-cell papermill templates written
into the test's tmp dir) so these tests do not depend on the report templates; one test runs the
real :mod:`budgetlens.report` when it is installed. Corpora are small synthetic ones.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from budgetlens.batch import kernels
from budgetlens.batch.pool import LocalPool, Task
from budgetlens.batch.runner import run_batch
from budgetlens.fsutil import atomic_write_text

# --------------------------------------------------------------------------- stand-in notebooks

UNIT_CODE = """\
import os, time
from budgetlens.units import load_unit
behaviour = behaviours.get(unit_id)
if behaviour == "raise":
    raise ValueError(f"stand-in failure for {unit_id}")
if behaviour == "kill":
    import signal
    os.kill(os.getppid(), signal.SIGKILL)  # the kernel's parent is the batch worker
    time.sleep(30)
if behaviour == "sleep":
    time.sleep(300)
unit = load_unit(unit_id, processed)
print(unit.name, [d.label for d in unit.documents])
"""

PANEL_CODE = """\
from budgetlens.store import read_catalog
catalog = read_catalog(processed)
print(len(catalog), "documents")
"""


def write_template(path: Path, code: str, params: str) -> Path:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(code)]
    for n, cell in enumerate(nb.cells):
        cell.id = f"cell-{n}"  # the same template, byte for byte, every time it is written
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


class StandInNotebooks:
    """The notebook stage's interface (see ``budgetlens.batch.tasks.Notebooks``) on tiny templates."""

    def __init__(self, folder: Path, behaviours: dict[str, str] | None = None):
        self.folder = Path(folder)
        self.behaviours = dict(behaviours or {})
        self.folder.mkdir(parents=True, exist_ok=True)
        self.unit_template = write_template(self.folder / "unit.ipynb", UNIT_CODE,
                                            "unit_id = ''\nprocessed = ''\nbehaviours = {}")
        self.panel_template = write_template(self.folder / "panel.ipynb", PANEL_CODE, "processed = ''")

    def available(self):
        return None

    def templates(self):
        return [self.unit_template, self.panel_template]

    def _run(self, template, out_stem: Path, params, timeout, kernel_name):
        import papermill as pm
        from nbconvert import HTMLExporter

        out_stem.parent.mkdir(parents=True, exist_ok=True)
        nb = pm.execute_notebook(str(template), None, parameters=params, progress_bar=False,
                                 kernel_name=kernel_name, execution_timeout=timeout)
        for n, cell in enumerate(nb.cells):  # ids of injected cells are random; outputs are compared across runs
            cell.id = f"cell-{n}"
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        nb.metadata.pop("papermill", None)
        atomic_write_text(out_stem.with_suffix(".ipynb"), nbformat.writes(nb))
        html, _ = HTMLExporter().from_notebook_node(nb)
        return atomic_write_text(out_stem.with_suffix(".html"), html)

    def unit(self, unit_id, processed, reports, *, timeout, kernel_name):
        params = {"unit_id": unit_id, "processed": str(processed), "behaviours": self.behaviours}
        return self._run(self.unit_template, Path(reports) / "units" / unit_id, params, timeout, kernel_name)

    def panel(self, processed, reports, *, timeout, kernel_name):
        return self._run(self.panel_template, Path(reports) / "panel", {"processed": str(processed)}, timeout,
                         kernel_name)

    def document(self, doc_id, processed, reports, *, timeout, kernel_name):  # pragma: no cover - not used
        raise NotImplementedError

    def index(self, processed, reports):
        pages = sorted(p.name for p in (Path(reports) / "units").glob("*.html"))
        return atomic_write_text(Path(reports) / "index.html", "\n".join(pages) + "\n")


# --------------------------------------------------------------------------- helpers


def unit_ids_of(corpus: Path) -> dict[str, str]:
    """synth unit id (syn-0001) → the batch's unit id (from the unit's printed name)."""
    from budgetlens.units import normalise_unit_name, safe_unit_id

    key = json.loads((corpus / "answer_key.json").read_text(encoding="utf-8"))
    return {u["unit_id"]: safe_unit_id(normalise_unit_name(u["unit"])) for u in key["units"]}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from budgetlens.synth import generate_corpus

    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(out, 4, [2022, 2023], seed=7)
    return out


def copy_corpus(corpus: Path, dest: Path, units: int | None = None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(corpus.glob("syn-*.txt")):
        if units is None or int(f.name[4:8]) <= units:
            shutil.copy2(f, dest / f.name)
    return dest


def failures_by_file(manifest) -> dict[str, dict]:
    return {f["file"]: f for f in manifest["failures"]}


def ran(manifest, stage=None) -> set[str]:
    return {p["file"] for p in manifest["produced"] if p["status"] == "ran" and (stage is None or p["stage"] == stage)}


@pytest.fixture(scope="module")
def pool():
    """Two workers shared by the batch tests (a run normally starts its own; this saves the start-up)."""
    shared = LocalPool(2)
    yield shared
    shared.close()


@pytest.fixture
def frozen_code(monkeypatch):
    """A fixed code fingerprint, so that edits to the lib while the tests run do not count as new code."""
    from budgetlens.batch import state

    monkeypatch.setattr(state, "code_fingerprint", lambda: {"version": "test", "lib_sha256": "1" * 64})
    return state


def batch(raw, tmp, notebooks, **kw):
    kw.setdefault("jobs", 2)
    kw.setdefault("timeout", 60)
    return run_batch([raw], processed=tmp / "processed", reports=tmp / "reports", progress=False,
                     notebooks=notebooks, **kw)


def doc_jsons(processed: Path) -> dict[str, dict]:
    out = {}
    for p in sorted(processed.glob("*/document.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        for key in ("extracted_at", "created", "timestamp", "elapsed_ms"):
            data.pop(key, None)
        out[p.parent.name] = data
    return out


# --------------------------------------------------------------------------- kernels

TINY = """\
%matplotlib inline
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(2, 1))
ax.plot([1, 2, 3])
plt.show()
print(label, sorted(k for k in globals() if not k.startswith('_') and k not in ('In', 'Out', 'exit', 'quit', 'get_ipython')))
"""


def tiny_template(folder: Path) -> Path:
    return write_template(Path(folder) / "tiny.ipynb", TINY, "label = ''")


QUICK = "import os\nprint(label, os.getpid())\n"


def run_tiny_concurrently(template: str, out_dir: str, labels: list[str]) -> dict:
    """In one worker process: every label's notebook at once, each in a fresh kernel (threads)."""
    import papermill as pm

    kernels.configure(warm=False)
    kernels.install()
    before = kernels.stats_snapshot()

    def one(label):
        try:
            nb = pm.execute_notebook(template, str(Path(out_dir) / f"{label}.ipynb"), parameters={"label": label},
                                     progress_bar=False, kernel_name="python3")
            return label, "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
        except Exception as exc:  # noqa: BLE001
            return label, f"FAILED {type(exc).__name__}: {exc}"

    with ThreadPoolExecutor(len(labels)) as ex:
        results = dict(ex.map(one, labels))
    return {"results": results, "kernel": kernels.stats_since(before), "pid": os.getpid()}


def test_concurrent_kernel_starts_do_not_collide(tmp_path):
    """16 notebooks started at once across 4 processes, each in its own new kernel: 0 failures."""
    template = write_template(tmp_path / "quick.ipynb", QUICK, "label = ''")
    labels = [f"nb{i:02d}" for i in range(16)]
    pool = LocalPool(4)
    try:
        tasks = [Task(f"p{p}", run_tiny_concurrently, (str(template), str(tmp_path), labels[p::4]))
                 for p in range(4)]
        outcomes = list(pool.run(tasks))
        leftovers = list(Path(pool.kernel_dir).rglob("kernel.json"))
    finally:
        pool.close()
    assert all(o.ok for o in outcomes), [o.reason for o in outcomes]
    assert len({o.value["pid"] for o in outcomes}) == 4
    results = {k: v for o in outcomes for k, v in o.value["results"].items()}
    assert sorted(results) == labels
    kernel_pids = set()
    for label, out in results.items():
        assert out.startswith(f"{label} "), out
        kernel_pids.add(out.split()[1])
    assert len(kernel_pids) == 16  # every notebook had a kernel of its own
    assert sum(o.value["kernel"]["kernel_failures"] for o in outcomes) == 0
    assert sum(o.value["kernel"]["kernel_starts"] for o in outcomes) == 16
    # Each kernel had a private IPC directory, removed when it stopped; the pool removes the rest.
    assert leftovers == []
    assert not Path(pool.kernel_dir).exists()


def test_kernel_launch_failure_is_retried_and_counted(tmp_path, monkeypatch):
    import papermill as pm

    template = tiny_template(tmp_path)
    original = kernels.IsolatedKernelManager.start_kernel
    calls = {"n": 0}

    async def flaky_start(self, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("ZMQError: Address already in use (simulated)")
        return await original(self, **kw)

    monkeypatch.setattr(kernels.IsolatedKernelManager, "start_kernel", flaky_start)
    for warm in (False, True):
        calls["n"] = 0
        before = kernels.stats_snapshot()
        with kernels.batch_engine(warm=warm):
            nb = pm.execute_notebook(str(template), None, parameters={"label": "x"}, progress_bar=False,
                                     kernel_name="python3")
        kernels.shutdown_all()
        assert "x ['ax', 'fig', 'label', 'open', 'plt']" in nb.cells[-1].outputs[-1]["text"]
        assert kernels.stats_since(before)["kernel_failures"] == 1


def _outputs(nb):
    return [(c.get("execution_count"), [{k: v for k, v in o.items() if k != "metadata"} for o in c.get("outputs", [])])
            for c in nb.cells if c.cell_type == "code"]


def test_warm_kernel_gives_the_same_notebook_as_a_fresh_one(tmp_path):
    import papermill as pm

    template = tiny_template(tmp_path)
    runs = {}
    with kernels.batch_engine(warm=True):
        before = kernels.stats_snapshot()
        for label in ("a", "b", "c"):
            runs[label] = pm.execute_notebook(str(template), None, parameters={"label": label}, progress_bar=False,
                                              kernel_name="python3")
        assert kernels.stats_since(before)["kernel_reuses"] == 2
    kernels.shutdown_all()
    with kernels.batch_engine(warm=False):
        fresh = pm.execute_notebook(str(template), None, parameters={"label": "c"}, progress_bar=False,
                                    kernel_name="python3")
    assert _outputs(runs["c"]) == _outputs(fresh)
    assert any("image/png" in o.get("data", {}) for o in fresh.cells[-1].outputs)


# --------------------------------------------------------------------------- the pool


def die_on(x):
    if x == "die":
        os.kill(os.getpid(), 9)
    return x.upper()


def test_pool_survives_a_dying_worker(pool):
    deaths = pool.worker_deaths
    outcomes = {o.task.key: o for o in pool.run([Task(x, die_on, (x,)) for x in ["a", "die", "b", "c", "d"]])}
    assert {k for k, o in outcomes.items() if o.ok} == {"a", "b", "c", "d"}
    assert outcomes["die"].reason == "worker process died (killed by SIGKILL)"
    assert outcomes["die"].transient
    assert pool.worker_deaths == deaths + 1


# --------------------------------------------------------------------------- the batch


def test_batch_records_bad_input_and_goes_on(tmp_path, corpus, pool):
    raw = copy_corpus(corpus, tmp_path / "raw", units=3)
    (raw / "empty.txt").write_text("")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (raw / "menu.txt").write_text("午餐菜单\n宫保鸡丁 28元\n鱼香肉丝 26元\n", encoding="utf-8")
    ids = unit_ids_of(corpus)
    nbs = StandInNotebooks(tmp_path / "tpl", {ids["syn-0002"]: "raise", ids["syn-0003"]: "sleep"})
    m = batch(raw, tmp_path, nbs, timeout=10, executor=pool)

    fails = failures_by_file(m)
    assert fails[str(raw / "empty.txt")]["stage"] == "extract"
    assert fails[str(raw / "binary.txt")]["stage"] == "extract"
    assert fails[str(raw / "menu.txt")]["stage"] == "extract"
    assert fails[f"unit/{ids['syn-0002']}"]["reason"] == f"cell [3] raised ValueError: stand-in failure for {ids['syn-0002']}"
    assert fails[f"unit/{ids['syn-0003']}"]["reason"].startswith("timed out")
    assert len(fails) == 5
    for f in m["failures"]:
        assert "\n" not in f["reason"] and "Traceback" not in f["reason"]
    # Everything else was produced.
    assert len(ran(m, "extract")) == 12
    assert (tmp_path / "reports" / "units" / f"{ids['syn-0001']}.html").is_file()
    assert (tmp_path / "reports" / "panel.html").is_file()
    assert (tmp_path / "reports" / "index.html").read_text().split() == [f"{ids['syn-0001']}.html"]
    saved = json.loads((tmp_path / "reports" / "run_manifest.json").read_text(encoding="utf-8"))
    assert saved["failures"] == m["failures"] and saved["finished"]
    assert m["kernel_failures"] == 0
    assert set(m["stages"]) == {"extract", "notebooks", "index"}


def test_batch_is_incremental_and_retries_failures(tmp_path, corpus, monkeypatch, pool, frozen_code):
    raw = copy_corpus(corpus, tmp_path / "raw")
    (raw / "empty.txt").write_text("")
    ids = unit_ids_of(corpus)
    broken = StandInNotebooks(tmp_path / "tpl", {ids["syn-0004"]: "raise"})
    first = batch(raw, tmp_path, broken, executor=pool)
    assert first["counts"]["produced"] == 16 + 3 + 1 + 1  # documents, good units, panel, index
    assert {f["file"] for f in first["failures"]} == {str(raw / "empty.txt"), f"unit/{ids['syn-0004']}"}

    # Unchanged inputs and code: nothing runs (not even a worker), failures are carried over.
    again = batch(raw, tmp_path, broken, executor=pool)
    assert ran(again) == set() and again["executor"] == "none (nothing to do)"
    assert {f["file"] for f in again["failures"]} == {f["file"] for f in first["failures"]}
    assert all(f.get("carried") for f in again["failures"] if f["stage"] != "extract")

    # One raw file changed: its document, its unit, the panel and the index; nothing else.
    changed = raw / "syn-0001_2023_final.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    m = batch(raw, tmp_path, broken, executor=pool)
    assert ran(m) == {str(changed), f"unit/{ids['syn-0001']}", "panel", "index"}

    # --retry-failed: only the failures of the last run (the notebook is fixed by now).
    fixed = StandInNotebooks(tmp_path / "tpl", {})
    m = batch(raw, tmp_path, fixed, retry_failed=True, executor=pool)
    assert ran(m) == {f"unit/{ids['syn-0004']}", "index"}
    assert [f["file"] for f in m["failures"]] == [str(raw / "empty.txt")]
    assert ran(batch(raw, tmp_path, fixed, executor=pool)) == set()

    # A new template: every notebook, no extraction.
    fixed.unit_template.write_text(fixed.unit_template.read_text().replace("print(unit.name", "print('v2', unit.name"))
    m = batch(raw, tmp_path, fixed, executor=pool)
    assert ran(m) == {f"unit/{i}" for i in ids.values()} | {"panel", "index"}

    # New code: everything.
    monkeypatch.setattr(frozen_code, "code_fingerprint", lambda: {"version": "test", "lib_sha256": "0" * 64})
    m = batch(raw, tmp_path, fixed, executor=pool)
    assert len(ran(m, "extract")) == 16 and len(ran(m, "unit")) == 4


def test_killed_worker_is_recorded_and_nothing_written_is_corrupted(tmp_path, corpus, pool, frozen_code):
    raw = copy_corpus(corpus, tmp_path / "raw", units=2)
    ids = unit_ids_of(corpus)
    batch(raw, tmp_path, StandInNotebooks(tmp_path / "tpl"), executor=pool)
    page = tmp_path / "reports" / "units" / f"{ids['syn-0002']}.html"
    before = page.read_bytes()

    changed = raw / "syn-0002_2022_budget.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    m = batch(raw, tmp_path, StandInNotebooks(tmp_path / "tpl", {ids["syn-0002"]: "kill"}), executor=pool)
    fail = failures_by_file(m)[f"unit/{ids['syn-0002']}"]
    assert fail["reason"] == "worker process died (killed by SIGKILL)" and fail["transient"]
    assert m["worker_deaths"] == 1
    assert page.read_bytes() == before  # the old page, whole
    assert not list(page.parent.glob(".*.tmp"))
    assert ran(m) == {str(changed), "panel", "index"}

    # A dead worker says nothing about the notebook: the next run tries again by itself.
    m = batch(raw, tmp_path, StandInNotebooks(tmp_path / "tpl"), executor=pool)
    assert ran(m) == {f"unit/{ids['syn-0002']}", "index"} and not m["failures"]


def test_dask_cluster_gives_the_same_outputs_as_local(tmp_path, corpus, pool):
    distributed = pytest.importorskip("distributed")

    raw = copy_corpus(corpus, tmp_path / "raw", units=2)
    nbs = StandInNotebooks(tmp_path / "tpl")
    local = batch(raw, tmp_path / "local", nbs, executor=pool)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = batch(raw, tmp_path / "dask", nbs, scheduler=cluster.scheduler_address)
    assert remote["executor"].startswith("dask ")
    assert not local["failures"] and not remote["failures"]
    assert doc_jsons(tmp_path / "local" / "processed") == doc_jsons(tmp_path / "dask" / "processed")
    assert len(doc_jsons(tmp_path / "local" / "processed")) == 8

    def pages(root):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))

    assert pages(tmp_path / "local" / "reports") == pages(tmp_path / "dask" / "reports")
    assert len(pages(tmp_path / "local" / "reports")) == 2 + 1 + 1  # units, panel, index


# --------------------------------------------------------------------------- the real notebooks and the CLI


def test_batch_with_the_report_notebooks(tmp_path, corpus, pool, monkeypatch):
    """The production notebook stage (budgetlens.report); a warm kernel's page equals a fresh kernel's.

    The pages' time is pinned (``SOURCE_DATE_EPOCH``, which the kernels inherit): it is the one
    thing in a page that is not made of inputs, and a warm and a fresh run a minute apart differ
    there (this test failed once so, its diff showing the findings list that shares that output)."""
    report = pytest.importorskip("budgetlens.report")
    import nbformat

    monkeypatch.setenv(report.ENV_DATE, "1767323040")  # 2026-01-02 03:04 UTC
    kernels.shutdown_all()  # no warm kernel started before the pin (it would not see it)

    raw = copy_corpus(corpus, tmp_path / "raw", units=2)
    m = run_batch([raw], processed=tmp_path / "processed", reports=tmp_path / "reports", progress=False,
                  timeout=120, executor=pool)
    assert not m["failures"], m["failures"]
    ids = unit_ids_of(corpus)
    reports = tmp_path / "reports"
    for syn in ("syn-0001", "syn-0002"):
        assert (reports / "units" / f"{ids[syn]}.html").is_file()
    assert (reports / "panel.html").is_file() and (reports / "index.html").is_file()
    assert m["kernel_failures"] == 0
    panel_run = nbformat.read(str(reports / "runs" / "03_panel" / "panel.ipynb"), 4)  # the panel read the dataset
    assert panel_run.metadata["papermill"]["parameters"]["dataset"] == str(reports / "dataset")

    def outputs(path):
        nb = nbformat.read(str(path), 4)
        return [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]

    unit = ids["syn-0002"]
    with kernels.batch_engine(warm=True):  # a kernel that has just run another unit's notebook
        report.run_unit_notebook(ids["syn-0001"], tmp_path / "processed", tmp_path / "warm", timeout=120)
        report.run_unit_notebook(unit, tmp_path / "processed", tmp_path / "warm", timeout=120)
    kernels.shutdown_all()
    with kernels.batch_engine(warm=False):
        report.run_unit_notebook(unit, tmp_path / "processed", tmp_path / "fresh", timeout=120)
    record = Path("runs") / "02_unit_report" / f"{unit}.ipynb"
    assert outputs(tmp_path / "warm" / record) == outputs(tmp_path / "fresh" / record)
    for run in ("warm", "fresh"):
        assert "生成于 2026-01-02 03:04 UTC" in (tmp_path / run / "units" / f"{unit}.html").read_text(encoding="utf-8")


def test_cli_batch(tmp_path, corpus, frozen_code):
    from click.testing import CliRunner

    from budgetlens.cli import main

    raw = copy_corpus(corpus, tmp_path / "raw", units=1)
    (raw / "empty.txt").write_text("")
    args = ["batch", str(raw), "--processed", str(tmp_path / "p"), "--reports", str(tmp_path / "r"), "--jobs", "1",
            "--no-notebooks", "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert f"failed [extract] {raw / 'empty.txt'}: empty file" in result.output
    assert "4 produced" in result.output
    manifest = json.loads((tmp_path / "r" / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["produced"] == 4 and manifest["failures"][0]["stage"] == "extract"
    again = CliRunner().invoke(main, args)
    assert "0 produced, 4 up to date, 1 failed" in again.output


def test_split_publications_are_paired_by_content_as_extract_does(tmp_path, corpus_dir, pool, frozen_code):
    """Narrative and tables volumes named unlike each other: one document, as `budgetlens extract --out`."""
    from budgetlens.extract import extract
    from budgetlens.publications import merge_pairs

    raw = tmp_path / "raw"
    raw.mkdir()
    for f in sorted(corpus_dir.glob("3[0-3]_js-shengwei-*.txt")):
        shutil.copy2(f, raw / f.name)
    m = batch(raw, tmp_path, None, run_notebooks=False, executor=pool)
    assert m["stages"]["extract"]["paired"] == 2 and not m["failures"]
    docs = doc_jsons(tmp_path / "processed")
    expected = {r.to_json()["source"]["path"]: r.to_json() for r in merge_pairs([extract(f) for f in sorted(raw.iterdir())])}
    assert sorted(docs) == sorted(Path(p).stem for p in expected)
    for data in docs.values():
        assert data == expected[data["source"]["path"]]
    assert ran(batch(raw, tmp_path, None, run_notebooks=False, executor=pool)) == set()
