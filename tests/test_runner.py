"""Pages on warm kernels: parameters reach the page, no state crosses pages, failures are named.

The runner reuses one kernel for many pages and resets it in between (runner.RESET_CODE). These
tests run pages one after another on ONE worker, so they share a kernel; the control test shows
that without the reset the same pages do see each other's state, so the isolation test can fail.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import nbformat
import pytest

from kpi_utils.site import runner
from kpi_utils.site.runner import PageJob, run_pages

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PARAMS = {"month": "2022-06", "counts": None, "targets": None, "lang": "vi"}


def job(tmp_path: Path, name: str, notebook: str, **parameters) -> PageJob:
    folder = "notebooks" if notebook in ("overview.ipynb", "unit_profile.ipynb") else "runner"
    return PageJob(
        name=name,
        notebook=FIXTURES / folder / notebook,
        parameters={**PARAMS, **parameters},
        executed_path=tmp_path / "executed" / f"{name}.ipynb",
        html_path=tmp_path / "html" / f"{name}.html",
        title=name,
        unit_code=parameters.get("unit_code"),
    )


def stdout_lines(path: Path) -> list[str]:
    notebook = nbformat.read(str(path), as_version=4)
    return [
        line
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("name") == "stdout"
        for line in output["text"].splitlines()
    ]


def reader_saw(tmp_path: Path, name: str) -> tuple[list[str], str]:
    lines = stdout_lines(tmp_path / "executed" / f"{name}.ipynb")
    assert len(lines) == 2, lines
    names_line, state_line = lines
    return ast.literal_eval(names_line), state_line


@pytest.mark.slow
def test_no_state_crosses_pages_on_a_shared_kernel(tmp_path):
    jobs = [
        job(tmp_path, "writer", "leak_writer.ipynb"),
        job(tmp_path, "reader", "leak_reader.ipynb"),
        job(tmp_path, "unit", "unit_profile.ipynb", unit_code="TPHB"),
        job(tmp_path, "reader-again", "leak_reader.ipynb"),
    ]
    results = run_pages(jobs, workers=1, cwd=tmp_path)
    assert [r.page for r in results] == ["writer", "reader", "unit", "reader-again"]
    assert all(r.ok for r in results), [str(r.failure) for r in results]
    for name in ("reader", "reader-again"):
        names, state = reader_saw(tmp_path, name)
        # only the injected parameters and what the reader itself imported
        assert "LEAKED" not in names and "inputs" not in names and "table" not in names
        assert {"month", "counts", "targets", "lang", "os", "pd"} <= set(names)
        assert "unit_code" not in names
        # environment variable, working directory and pandas option are back to the start
        assert state == f"False {tmp_path} 60"
    unit_html = (tmp_path / "html" / "unit.html").read_text(encoding="utf-8")
    assert "UBND thành phố Hòa Bình" in unit_html  # the typed parameter reached the page


@pytest.mark.slow
def test_kpi_utils_is_kept_between_pages_with_its_state_restored(tmp_path):
    # kpi_utils is imported once per kernel (runner.SNAPSHOT_CODE); what a page changes in its
    # modules is undone before the next page, and a module a page imported first is forgotten
    jobs = [
        job(tmp_path, "reader-first", "kpi_state_reader.ipynb"),
        job(tmp_path, "writer", "kpi_state_writer.ipynb"),
        job(tmp_path, "reader", "kpi_state_reader.ipynb"),
    ]
    results = run_pages(jobs, workers=1, cwd=tmp_path)
    assert all(r.ok for r in results), [str(r.failure) for r in results]
    first = stdout_lines(tmp_path / "executed" / "reader-first.ipynb")
    after = stdout_lines(tmp_path / "executed" / "reader.ipynb")
    vietnamese = "{'decimal': ',', 'thousands': '.', 'grouping': [3], 'currency': ['', ' ₫']}"
    assert first[0] == after[0] == f"'–' False {vietnamese}"
    # the analysis module the writer imported is gone; labels is the same module object
    assert first[1].split()[0] == after[1].split()[0] == "False"
    assert first[1].split()[1] == after[1].split()[1]
    # the page modules are imported by the warm-up, kept (the same module object, not imported
    # again by every page) and restored like the others
    assert first[2] == after[2] and first[2].split()[1] == "False"
    assert first[2].split()[0] != "False"


@pytest.mark.slow
def test_control_without_the_reset_state_does_leak(tmp_path, monkeypatch):
    worker = runner._Worker(
        kernel_name=runner.DEFAULT_KERNEL, cwd=str(tmp_path), environ=dict(os.environ)
    )
    monkeypatch.setattr(runner, "RESET_CODE", "")
    worker.start()
    try:
        assert worker.run(job(tmp_path, "writer", "leak_writer.ipynb"), timeout=120).ok
        assert worker.run(job(tmp_path, "reader", "leak_reader.ipynb"), timeout=120).ok
    finally:
        worker.stop()
    names, state = reader_saw(tmp_path, "reader")
    assert "LEAKED" in names
    assert state == "True / 3"


@pytest.mark.slow
def test_failures_are_named_and_every_page_is_attempted(tmp_path):
    jobs = [
        job(tmp_path, "units/STC", "failing_unit_profile.ipynb", unit_code="STC"),
        job(tmp_path, "units/SCT", "failing_unit_profile.ipynb", unit_code="SCT"),
        job(tmp_path, "slow", "sleepy.ipynb"),
        job(tmp_path, "after-timeout", "leak_reader.ipynb"),
        job(tmp_path, "dies", "dying.ipynb"),
        job(tmp_path, "after-death", "leak_reader.ipynb"),
    ]
    results = {r.page: r for r in run_pages(jobs, workers=1, timeout=3, cwd=tmp_path)}
    failure = results["units/STC"].failure
    assert failure is not None
    assert (failure.page, failure.unit_code, failure.cell_index) == ("units/STC", "STC", 3)
    assert (failure.error_name, failure.message) == ("ValueError", "hỏng có chủ ý: STC")
    assert str(failure).startswith('page units/STC (unit STC), cell 3 `if unit_code == "STC":`')
    assert results["units/SCT"].ok
    # the executed notebook of the failed page is kept, with the traceback
    assert (tmp_path / "executed" / "units/STC.ipynb").is_file()
    assert not (tmp_path / "html" / "units/STC.html").exists()
    timeout = results["slow"].failure
    assert timeout is not None and timeout.cell_index == 2, timeout
    assert timeout.cell_source == "time.sleep(60)"
    assert (tmp_path / "executed" / "slow.ipynb").is_file()  # kept for audit
    assert "timed out" in timeout.message.lower() or "timeout" in timeout.error_name.lower()
    # the kernel stuck in the slow cell was replaced; the next page ran on a clean one
    assert results["after-timeout"].ok
    death = results["dies"].failure
    assert death is not None and death.cell_index == 2, death
    assert death.cell_source.startswith("os._exit(1)")
    assert "dead" in (death.error_name + death.message).lower(), death
    assert results["after-death"].ok  # a new kernel took over


def test_workers_that_cannot_start_fail_where_pages_are_queued(monkeypatch, capfd):
    # e.g. a build run inside a daemonic process: the start-up thread keeps the error for
    # `start` (the caller's thread, where it is reported as any build error) and prints nothing
    from concurrent.futures import ProcessPoolExecutor

    def refuse(self, *args, **kwargs):
        raise AssertionError("daemonic processes are not allowed to have children")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", refuse)
    with runner.PagePool(2) as pool, pytest.raises(AssertionError, match="daemonic processes"):
        pool.start([])
    assert "Traceback" not in capfd.readouterr().err
