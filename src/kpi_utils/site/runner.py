"""Execute report pages through papermill on warm kernels, and render each one to HTML.

Why warm kernels: on the department's 2-core machines a fresh kernel costs about 3 s a page and
importing pandas/altair in it as much again; a report has 29 pages. So `run_pages` starts N worker
processes; each starts ONE kernel and runs its share of the pages on it through papermill (typed
parameters, a named kernel, a per-cell timeout), using the `kpi_warm` papermill engine below.

Isolation between pages on one kernel (tested in tests/test_runner.py): before every page the
engine runs `RESET_CODE`, which empties the user namespace and output history (IPython's reset,
new session, execution counter back to 1), resets pandas' display/styler/mode options and Altair's
theme and data transformer, and restores the working directory and the environment variables.
Modules stay imported: that is the speed gain. `kpi_utils` is imported once per kernel, with the
other imports the pages make, before the first page (`import_speed.KERNEL_WARM_UP`); then
`SNAPSHOT_CODE` records every `kpi_utils` module's globals, and before each page `RESET_CODE` puts
them back: a name a page rebound or added in a `kpi_utils` module is restored or removed, the
contents of module-level dicts, lists and sets are restored in place, and a `kpi_utils` module
first imported by a page is forgotten (imported afresh by the next page). What this does not undo
is state inside objects (a class attribute a page changed; `functools` caches of pure functions,
which are kept on purpose) and other state inside third-party modules (say, a matplotlib rcParams
change); the pages set none. A kernel that died or timed out is replaced before the next page.

Speed (issue 18): papermill does not save the notebook after each cell (it writes it once, at
the end); worker processes and their kernels start in a `PagePool` opened before the main
process checks the inputs, so that start-up and warm-up overlap the checks; the workers are
forked from a server that imported papermill and nbconvert once (`worker_imports`).

Every page is attempted; a failure is returned as a `PageFailure` naming the page, the unit, the
notebook cell (0-based index in the source notebook, with its first line) and the error.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from pathlib import Path

from kpi_utils.site import import_speed

NOTEBOOKS_DIR_ENV = "KPI_NOTEBOOKS_DIR"  # test hook: run the pages from another folder
ENGINE_NAME = "kpi_warm"
DEFAULT_KERNEL = "python3"
DEFAULT_CELL_TIMEOUT = 600  # seconds per cell; a real page takes a few seconds in all

# Run once on a new kernel, after the prelude and warm-up imports: what RESET_CODE restores.
SNAPSHOT_CODE = """\
import copy as _kpi_copy, sys as _kpi_sys, types as _kpi_types
_kpi_state = _kpi_types.ModuleType("_kpi_kernel_state")
_kpi_state.modules = {}
for _kpi_name, _kpi_module in list(_kpi_sys.modules.items()):
    if _kpi_name == "kpi_utils" or _kpi_name.startswith("kpi_utils."):
        _kpi_saved = {k: v for k, v in vars(_kpi_module).items() if k != "__builtins__"}
        _kpi_contents = {
            k: _kpi_copy.copy(v) for k, v in _kpi_saved.items() if type(v) in (dict, list, set)
        }
        _kpi_state.modules[_kpi_name] = (_kpi_module, _kpi_saved, _kpi_contents)
_kpi_module = _kpi_sys.modules.get("altair")
_kpi_state.altair = (
    ("default", "default")
    if _kpi_module is None
    else (_kpi_module.theme.active, _kpi_module.data_transformers.active)
)
_kpi_sys.modules["_kpi_kernel_state"] = _kpi_state
del _kpi_copy, _kpi_sys, _kpi_types, _kpi_state, _kpi_name, _kpi_module
_kpi_saved = _kpi_contents = None
del _kpi_saved, _kpi_contents
"""

RESET_CODE = """\
get_ipython().reset(new_session=True)  # %reset -f, and the execution counter back to 1
import gc as _kpi_gc, os as _kpi_os, sys as _kpi_sys, warnings as _kpi_warnings
_kpi_state = _kpi_sys.modules.get("_kpi_kernel_state")
_kpi_kept = _kpi_state.modules if _kpi_state is not None else {{}}
_kpi_name = None
for _kpi_name in [m for m in _kpi_sys.modules if m == "kpi_utils" or m.startswith("kpi_utils.")]:
    if _kpi_name not in _kpi_kept:  # imported by a page: imported afresh by the next one
        del _kpi_sys.modules[_kpi_name]
for _kpi_name, (_kpi_module, _kpi_saved, _kpi_contents) in _kpi_kept.items():
    _kpi_sys.modules[_kpi_name] = _kpi_module
    _kpi_globals = vars(_kpi_module)
    for _kpi_key in [k for k in _kpi_globals if k != "__builtins__" and k not in _kpi_saved]:
        del _kpi_globals[_kpi_key]
    _kpi_globals.update(_kpi_saved)
    for _kpi_key, _kpi_value in _kpi_contents.items():
        _kpi_target = _kpi_saved[_kpi_key]
        if type(_kpi_value) is list:
            _kpi_target[:] = _kpi_value
        else:
            _kpi_target.clear()
            _kpi_target.update(_kpi_value)
if "pandas" in _kpi_sys.modules:
    with _kpi_warnings.catch_warnings():
        _kpi_warnings.simplefilter("ignore")
        for _kpi_name in ("display", "styler", "mode"):
            _kpi_sys.modules["pandas"].reset_option(_kpi_name)
if "altair" in _kpi_sys.modules:
    _kpi_theme, _kpi_transformer = (
        _kpi_state.altair if _kpi_state is not None else ("default", "default")
    )
    _kpi_sys.modules["altair"].theme.enable(_kpi_theme)
    _kpi_sys.modules["altair"].data_transformers.enable(_kpi_transformer)
_kpi_os.chdir({cwd!r})
_kpi_os.environ.clear()
_kpi_os.environ.update({environ!r})
# what is left is imported modules: later collections need not walk them again (%reset's
# collection costs ~0.35 s a page otherwise)
_kpi_gc.freeze()
del _kpi_gc, _kpi_os, _kpi_sys, _kpi_warnings, _kpi_name, _kpi_state, _kpi_kept
_kpi_module = _kpi_saved = _kpi_contents = _kpi_globals = _kpi_key = _kpi_value = None
_kpi_target = _kpi_theme = _kpi_transformer = None
del _kpi_module, _kpi_saved, _kpi_contents, _kpi_globals, _kpi_key, _kpi_value
del _kpi_target, _kpi_theme, _kpi_transformer
"""


@dataclass(frozen=True)
class PageJob:
    """One page to execute: a notebook, its parameters, and where its results go."""

    name: str
    notebook: Path
    parameters: dict
    executed_path: Path
    html_path: Path
    title: str
    lang: str = "vi"
    unit_code: str | None = None
    index_href: str = "index.html"
    month_links: tuple = ()  # site.archive.MonthLink: the same page of other months, the archive
    month_nav_label: str = ""


@dataclass(frozen=True)
class PageFailure:
    page: str
    unit_code: str | None
    cell_index: int | None
    cell_source: str
    error_name: str
    message: str

    def __str__(self) -> str:
        unit = f" (unit {self.unit_code})" if self.unit_code else ""
        if self.cell_index is None:
            cell = "no cell ran"
        else:
            first = self.cell_source.strip().splitlines()[0] if self.cell_source.strip() else ""
            cell = f"cell {self.cell_index}" + (f" `{first[:60]}`" if first else "")
        return f"page {self.page}{unit}, {cell}: {self.error_name}: {self.message}"


@dataclass(frozen=True)
class PageResult:
    page: str
    seconds: float
    failure: PageFailure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


# --- the papermill engine -------------------------------------------------------------------


def _engine_class():
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class ResettingClient(PapermillNotebookClient):
        """papermill's client that first runs `reset_code` on the kernel, on its own channels."""

        def __init__(self, nb_man, reset_code: str = "", kc=None, **kwargs):
            super().__init__(nb_man, **kwargs)
            self.reset_code = reset_code
            self.kc = kc  # a client kept open across pages: no per-page connect and handshake

        def execute_cell(self, cell, cell_index, *args, **kwargs):
            self.current_cell_index = cell_index  # to name the cell if it times out
            return super().execute_cell(cell, cell_index, *args, **kwargs)

        def execute(self, **kwargs):
            self.current_cell_index = None
            try:
                return super().execute(**kwargs)
            except Exception as exc:
                exc.kpi_cell_index = self.current_cell_index
                raise

        def papermill_execute_cells(self):
            if self.reset_code:
                msg_id = self.kc.execute(self.reset_code, silent=True, store_history=False)
                reply = self.wait_for_reply(msg_id)
                content = (reply or {}).get("content", {})
                if content.get("status") != "ok":
                    raise RuntimeError(
                        f"kernel reset failed: {content.get('ename')}: {content.get('evalue')}"
                    )
            super().papermill_execute_cells()

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine on a running kernel (`km=`, `kc=`), reset before use."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            km=None,
            failed_path=None,
            **kwargs,
        ):
            if km is None:
                raise ValueError(f"the {ENGINE_NAME} engine needs a started kernel manager (km=)")
            # the same arguments as papermill's NBClientEngine gives its client
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                kwargs,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            try:
                return ResettingClient(nb_man, **final_kwargs).execute()
            except Exception:
                # No save after each cell (request_save_on_cell_execute=False): a page that timed
                # out or whose kernel died is written here, as far as it ran, for the audit and
                # for naming its cell (papermill writes it when the engine returns).
                if failed_path is not None:
                    nb_man.output_path = failed_path
                raise

    return WarmKernelEngine


def register_engine() -> None:
    """Make `engine_name="kpi_warm"` available to `papermill.execute_notebook` in this process."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _engine_class())


def _run_in_kernel(km, code: str, timeout: float = 60) -> None:
    client = km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=timeout)
        reply = client.execute_interactive(code, timeout=timeout, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(
                f"kernel setup failed: {content.get('ename')}: {content.get('evalue')}"
            )
    finally:
        client.stop_channels()


# --- one worker process ---------------------------------------------------------------------


@dataclass
class _Worker:
    """One worker process's kernel, client and HTML exporter (process-local state)."""

    kernel_name: str
    cwd: str
    environ: dict = field(default_factory=dict)
    km: object = None
    kc: object = None
    exporter: object = None

    def start(self) -> None:
        from kpi_utils.site.html_export import PageExporter

        register_engine()
        self.exporter = PageExporter()
        self._start_kernel()
        self.exporter.warm_up()

    def _start_kernel(self) -> None:
        from jupyter_client import KernelManager
        from jupyter_core.utils import run_sync

        # IPC transport: no TCP ports, and no "running over TCP without encryption" warning.
        # An asynchronous client, as nbclient expects: with a blocking one, its wait for output
        # blocks the event loop and the per-cell timeout never fires.
        self.km = KernelManager(
            kernel_name=self.kernel_name,
            transport="ipc",
            ip=_ipc_path(),
            client_class="jupyter_client.asynchronous.AsyncKernelClient",
        )
        # history in memory: pages need none, and kernels then never contend for the SQLite file
        self.km.start_kernel(
            cwd=self.cwd,
            env=self.environ,
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        _run_in_kernel(
            self.km,
            import_speed.KERNEL_PRELUDE + import_speed.KERNEL_WARM_UP + SNAPSHOT_CODE,
            timeout=120,
        )
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=120)
        self.kc.allow_stdin = False

    def stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None and self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        self.km = None

    def _replace_kernel(self) -> None:
        """After a timeout or a crash the kernel may be busy or gone: start a clean one."""
        try:
            self.stop()
        finally:
            self._start_kernel()

    def run(self, job: PageJob, timeout: float) -> PageResult:
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        start = time.perf_counter()
        if self.km is None or not self.km.is_alive():
            self._replace_kernel()
        job.executed_path.parent.mkdir(parents=True, exist_ok=True)
        reset = RESET_CODE.format(cwd=self.cwd, environ=self.environ)
        try:
            executed = pm.execute_notebook(
                str(job.notebook),
                str(job.executed_path),
                parameters=job.parameters,
                engine_name=ENGINE_NAME,
                kernel_name=self.kernel_name,
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
                km=self.km,
                kc=self.kc,
                reset_code=reset,
                request_save_on_cell_execute=False,  # one write, at the end (not 30 per page)
                failed_path=str(job.executed_path),
            )
        except PapermillExecutionError as exc:
            failure = _failure(job, exc.cell_index, exc.ename, exc.evalue)
            return PageResult(job.name, time.perf_counter() - start, failure)
        except Exception as exc:  # timeout, dead kernel, unreadable notebook: name it, go on
            self._replace_kernel()
            index = getattr(exc, "kpi_cell_index", None)
            failure = _failure(job, index, type(exc).__name__, str(exc).strip() or repr(exc))
            return PageResult(job.name, time.perf_counter() - start, failure)
        try:
            html = self.exporter.to_html(
                executed,
                title=job.title,
                lang=job.lang,
                index_href=job.index_href,
                month_links=job.month_links,
                month_nav_label=job.month_nav_label,
            )
            job.html_path.parent.mkdir(parents=True, exist_ok=True)
            job.html_path.write_text(html, encoding="utf-8")
        except Exception as exc:
            failure = PageFailure(
                job.name, job.unit_code, None, "", type(exc).__name__, f"HTML export: {exc}"
            )
            return PageResult(job.name, time.perf_counter() - start, failure)
        return PageResult(job.name, time.perf_counter() - start)


def _ipc_path() -> str:
    import tempfile

    return os.path.join(tempfile.mkdtemp(prefix="kpi-kernel-"), "kernel")


def _source_index(notebook, executed_index: int) -> int:
    """Index of a cell in the source notebook (papermill inserts an injected-parameters cell)."""
    injected = sum(
        "injected-parameters" in cell.get("metadata", {}).get("tags", [])
        for cell in notebook.cells[:executed_index]
    )
    return executed_index - injected


def _failure(job: PageJob, executed_index, ename: str, evalue: str) -> PageFailure:
    import nbformat

    source = ""
    index = executed_index
    if executed_index is not None and job.executed_path.exists():
        executed = nbformat.read(str(job.executed_path), as_version=4)
        # papermill puts an error banner cell at the top of a failed notebook
        cells = [c for c in executed.cells if "papermill-error-cell-tag" not in _tags(c)]
        executed.cells = cells
        if 0 <= executed_index < len(cells):
            source = cells[executed_index].get("source", "")
            index = _source_index(executed, executed_index)
    return PageFailure(job.name, job.unit_code, index, source, ename, evalue)


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


_WORKER: _Worker | None = None  # one per worker process, set by the pool's initializer


def _init_worker(kernel_name: str, cwd: str, environ: dict) -> None:
    from multiprocessing.util import Finalize

    global _WORKER
    import_speed.skip_iri_grammar()
    _WORKER = _Worker(kernel_name=kernel_name, cwd=cwd, environ=environ)
    # A forked worker ends with os._exit, past `atexit`: multiprocessing's own exit hook stops
    # the kernel (otherwise it lingers until it notices its parent is gone).
    Finalize(_WORKER, _WORKER.stop, exitpriority=10)
    _WORKER.start()


def _run_job(job: PageJob, timeout: float) -> PageResult:
    assert _WORKER is not None
    try:
        return _WORKER.run(job, timeout)
    except Exception as exc:  # the worker itself failed (e.g. the kernel would not start)
        failure = PageFailure(job.name, job.unit_code, None, "", type(exc).__name__, str(exc))
        return PageResult(job.name, 0.0, failure)


# --- the pool ---------------------------------------------------------------------------------


def notebooks_dir() -> Path:
    """The folder of the report's notebooks (the pages' working directory)."""
    from kpi_utils.common import paths

    return Path(os.environ.get(NOTEBOOKS_DIR_ENV) or paths.REPO_ROOT / "notebooks")


def open_pool(jobs: int, kernel_name: str = DEFAULT_KERNEL) -> PagePool | None:
    """A started `PagePool` for a build of the report's notebooks (`build_report(pool=...)`);
    None without the notebooks' folder (the build then says what is missing, after the inputs).

    `kpi-report build` opens it first thing, before it imports the build (pandas, the readers,
    the Word and Excel writers: about a second on the department's machines), so that the
    workers' kernels boot meanwhile; the kernels' start is what the first page waits for.
    """
    folder = notebooks_dir()
    if not folder.is_dir():
        return None
    pool = PagePool(jobs, kernel_name=kernel_name, cwd=folder)
    pool.__enter__()
    return pool


def run_pages(
    jobs: Iterable[PageJob],
    *,
    workers: int = 2,
    kernel_name: str = DEFAULT_KERNEL,
    timeout: float = DEFAULT_CELL_TIMEOUT,
    cwd: str | Path | None = None,
    on_result: Callable[[PageResult], None] | None = None,
) -> list[PageResult]:
    """Run every page; return one result per page, in the order given (failures included)."""
    jobs = list(jobs)
    if not jobs:
        return []
    with PagePool(min(workers, len(jobs)), kernel_name=kernel_name, cwd=cwd) as pool:
        return pool.run(jobs, timeout=timeout, on_result=on_result)


def _ready() -> bool:
    """A no-op task: submitting one per worker makes the pool start every worker now."""
    return _WORKER is not None


class PagePool:
    """`workers` worker processes, each with its warm kernel, started on entering the `with`.

    Open it before the work the pages wait for (the input checks): processes, kernels and their
    warm-up start in the background meanwhile. Leaving the `with` stops them (after any start-up
    still under way, so that no kernel is left behind).
    """

    def __init__(
        self,
        workers: int = 2,
        *,
        kernel_name: str = DEFAULT_KERNEL,
        cwd: str | Path | None = None,
    ):
        self.workers = max(1, workers)
        self.kernel_name = kernel_name
        self.cwd = str(Path(cwd) if cwd is not None else Path.cwd())
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PagePool:
        # Forked from a server that imported what workers need once (`worker_imports`); not
        # forked from this process, which may hold threads.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kpi_utils.site.worker_imports"])
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.kernel_name, self.cwd, dict(os.environ)),
        )
        # The pool starts a process per task while below its size; the first start waits for
        # the fork server's imports, so it is done on a thread of its own, not by the caller.
        self._start_error: BaseException | None = None
        self._starting = threading.Thread(target=self._start_workers, name="kpi-pool-start")
        self._starting.start()
        return self

    def _start_workers(self) -> None:
        assert self._pool is not None
        try:
            for _ in range(self.workers):
                self._pool.submit(_ready)
        except BaseException as exc:  # raised where the pages are queued (`start`), not here
            self._start_error = exc

    def __exit__(self, *exc_info) -> None:
        assert self._pool is not None
        self._starting.join()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def run(
        self,
        jobs: Iterable[PageJob],
        *,
        timeout: float = DEFAULT_CELL_TIMEOUT,
        on_result: Callable[[PageResult], None] | None = None,
    ) -> list[PageResult]:
        """Run every page; one result per page, in the order given (failures included)."""
        return self.start(jobs, timeout=timeout).results(on_result)

    def start(self, jobs: Iterable[PageJob], *, timeout: float = DEFAULT_CELL_TIMEOUT) -> Running:
        """Queue every page and return at once; `.results()` waits for them (the caller may do
        other work meanwhile, e.g. write the report's other files)."""
        assert self._pool is not None, "use PagePool in a with statement"
        self._starting.join()
        if self._start_error is not None:
            raise self._start_error
        jobs = list(jobs)
        return Running(jobs, {self._pool.submit(_run_job, job, timeout): job for job in jobs})


@dataclass
class Running:
    """Pages queued on a `PagePool` (`PagePool.start`)."""

    jobs: list[PageJob]
    futures: dict

    def results(self, on_result: Callable[[PageResult], None] | None = None) -> list[PageResult]:
        """Wait for every page; one result per page, in the order queued (failures included)."""
        results: dict[str, PageResult] = {}
        for result in self._as_completed():
            results[result.page] = result
            if on_result is not None:
                on_result(result)
        return [results[job.name] for job in self.jobs]

    def cancel(self) -> None:
        """Drop the pages not started and wait for those running (their kernels stay usable)."""
        for future in self.futures:
            future.cancel()
        wait(self.futures)

    def _as_completed(self) -> Iterator[PageResult]:
        for future in as_completed(self.futures):
            job = self.futures[future]
            try:
                yield future.result()
            except Exception as exc:  # a worker process died
                failure = PageFailure(
                    job.name, job.unit_code, None, "", type(exc).__name__, str(exc)
                )
                yield PageResult(job.name, 0.0, failure)
