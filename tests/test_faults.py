"""Faults of the file system and of the request (issue 9, items 5, 6 and 8's option).

Each fault ends in one clear line and exit code 1; nothing is half-written, and what was there
before (a previous table, a previous report) is untouched. Where this machine allows it (root
and `mount -t tmpfs`), the disk full and the read-only folder are real, on a small tmpfs;
everywhere, the same errors are also injected.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import write_csv
from test_dossiers import CATALOGUE, GOOD, HEADER, write_parquet

from kpi_utils import cli
from kpi_utils.common import outputs
from kpi_utils.common.paths import sample_counts_path
from kpi_utils.sources import aggregate

NO_SPACE = "No space left on device"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Error:" not in err and "Errno" not in err, err


@contextlib.contextmanager
def tmpfs(folder: Path, *options: str):
    """A small tmpfs mounted at `folder` (skips the test where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(["size=64k", *options]), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system of `folder` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 512)
    finally:
        os.close(fd)


def disk_full_on_write(monkeypatch) -> None:
    """Every file `outputs.write_atomic` writes fails with ENOSPC (after its temporary exists)."""
    real = os.fdopen

    class Full:
        def __init__(self, fd):
            self.handle = real(fd, "wb")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, NO_SPACE)

    monkeypatch.setattr(outputs.os, "fdopen", lambda fd, mode="r": Full(fd))


def listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- output side: table and ingest --out ------------------------------------------------------


def test_table_out_under_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "reports"
    blocker.write_text("a file where a folder should be")
    code, out, err = run(capsys, "table", "--month", "2022-06", "--out", blocker / "k.csv")
    assert code == 1 and out == ""
    assert (
        err
        == f"kpi-report table: cannot write {blocker / 'k.csv'}: {blocker} is a file, not a folder\n"
    )
    assert blocker.read_text() == "a file where a folder should be"


def test_table_out_onto_a_folder_is_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "table", "--month", "2022-06", "--out", tmp_path)
    assert (code, err) == (1, f"kpi-report table: cannot write {tmp_path}: it is a folder\n")


def test_table_out_disk_full_keeps_the_previous_table(tmp_path, capsys, monkeypatch):
    out = tmp_path / "kpi.csv"
    out.write_text("previous")
    disk_full_on_write(monkeypatch)
    # the counts given as a file: reading the sample's store would write its settled counts
    code, _, err = run(
        capsys, "table", "--month", "2022-06", "--counts", sample_counts_path(), "--out", out
    )
    assert (code, err) == (1, f"kpi-report table: cannot write {out}: {NO_SPACE}\n")
    assert listing(tmp_path) == {"kpi.csv": b"previous"}  # no temporary file left


def test_table_out_not_writable_keeps_the_previous_table(tmp_path, capsys, monkeypatch):
    out = tmp_path / "kpi.csv"
    out.write_text("previous")

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refused)
    code, _, err = run(
        capsys, "table", "--month", "2022-06", "--counts", sample_counts_path(), "--out", out
    )
    assert (code, err) == (1, f"kpi-report table: cannot write {out}: Permission denied\n")
    assert listing(tmp_path) == {"kpi.csv": b"previous"}


def test_table_out_on_a_real_full_disk_and_a_real_read_only_folder(tmp_path, capsys):
    with tmpfs(tmp_path / "full") as full:
        (full / "kpi.csv").write_text("previous")
        fill(full)
        code, _, err = run(capsys, "table", "--month", "2022-06", "--out", full / "kpi.csv")
        assert (code, err) == (
            1,
            f"kpi-report table: cannot write {full / 'kpi.csv'}: {NO_SPACE}\n",
        )
        assert sorted(p.name for p in full.iterdir()) == ["filler", "kpi.csv"]
        assert (full / "kpi.csv").read_text() == "previous"
    with tmpfs(tmp_path / "ro", "ro") as read_only:
        code, _, err = run(capsys, "table", "--month", "2022-06", "--out", read_only / "k.csv")
        expected = f"kpi-report table: cannot write {read_only / 'k.csv'}: Read-only file system\n"
        assert (code, err) == (1, expected)


@pytest.fixture
def export(tmp_path):
    catalogue = write_csv(tmp_path / "catalogue.csv", CATALOGUE)
    return write_parquet(tmp_path / "export.parquet", [HEADER, *GOOD[:7], *GOOD[9:]]), catalogue


def test_ingest_out_under_a_file_and_disk_full(tmp_path, export, capsys, monkeypatch):
    path, catalogue = export
    (tmp_path / "blocker").write_text("x")
    out = tmp_path / "blocker" / "counts.csv"
    code, _, err = run(capsys, "ingest", path, "--catalogue", catalogue, "--out", out)
    assert code == 1
    assert err.splitlines()[-1] == (
        f"kpi-report ingest: cannot write {out}: {tmp_path / 'blocker'} is a file, not a folder"
    )
    (tmp_path / "counts.csv").write_text("previous")
    disk_full_on_write(monkeypatch)
    out = tmp_path / "counts.csv"
    code, _, err = run(capsys, "ingest", path, "--catalogue", catalogue, "--out", out)
    assert code == 1
    assert err.splitlines()[-1] == f"kpi-report ingest: cannot write {out}: {NO_SPACE}"
    assert out.read_text() == "previous"


def test_ingest_spilling_onto_a_full_disk_is_one_line(export, capsys, monkeypatch):
    path, catalogue = export

    def full(*args):
        raise duckdb.IOException(
            f'IO Error: Could not write file "/tmp/kpi-ingest-x/duckdb_temp_block-1.block": '
            f"{NO_SPACE}"
        )

    monkeypatch.setattr(aggregate, "_aggregate", full)
    code, _, err = run(capsys, "ingest", path, "--catalogue", catalogue)
    assert code == 1
    last = err.splitlines()[-1]
    assert last.startswith("kpi-report ingest: cannot write ") and last.endswith(
        f"{NO_SPACE} (DuckDB spills there beyond --memory-limit)"
    )
    no_traceback(err)


# --- input side: a folder, or a file that vanishes mid-run -----------------------------------


def test_ingest_an_export_that_vanishes_mid_run(export, capsys, monkeypatch):
    path, catalogue = export
    real = aggregate._aggregate

    def vanishing(con, sources, *args):
        path.unlink()  # after it was opened and checked, before DuckDB scans it
        return real(con, sources, *args)

    monkeypatch.setattr(aggregate, "_aggregate", vanishing)
    code, out, err = run(capsys, "ingest", path, "--catalogue", catalogue)
    assert (code, out) == (1, "")
    assert f"error: {path}: cannot read the file: it was removed or moved while being read" in err
    no_traceback(err)


def test_input_folders_are_named_as_folders(tmp_path, export, capsys):
    path, catalogue = export
    folder = tmp_path / "exports.csv"
    folder.mkdir()
    code, _, err = run(capsys, "ingest", folder, "--catalogue", catalogue)
    assert code == 1 and f"error: {folder}: cannot read the file: it is a folder" in err
    code, out, _ = run(capsys, "check", folder)
    assert code == 1 and f"error: {folder}: cannot read the file" in out
    code, _, err = run(capsys, "table", "--month", "2022-06", "--counts", folder)
    assert code == 1 and f"error: {folder}: cannot read the file" in err
    no_traceback(err)


def test_check_a_counts_file_that_vanishes_after_its_kind_is_known(tmp_path, capsys, monkeypatch):
    from kpi_utils.sources import dossiers

    counts = tmp_path / "counts.csv"
    counts.write_bytes(sample_counts_path().read_bytes())
    real = dossiers.file_kind

    def vanishing(path, sheet=None):
        kind = real(path, sheet)
        Path(path).unlink()
        return kind

    monkeypatch.setattr(dossiers, "file_kind", vanishing)
    code, out, err = run(capsys, "check", counts)
    assert code == 1
    assert f"error: {counts}: cannot read the file: No such file or directory" in out
    no_traceback(out + err)


# --- build: the report folder -----------------------------------------------------------------


def test_build_out_under_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "reports").write_text("x")
    code, _, err = run(capsys, "build", "--month", "2022-06", "--out", tmp_path / "reports")
    assert code == 1
    assert err.splitlines()[-1] == (
        f"kpi-report build: cannot write {tmp_path / 'reports' / '2022-06'}: "
        f"{tmp_path / 'reports'} is a file, not a folder"
    )


def test_build_on_a_full_disk_keeps_the_previous_report(tmp_path, capsys, monkeypatch):
    reports = tmp_path / "reports"
    (reports / "2022-06").mkdir(parents=True)
    (reports / "2022-06" / "index.html").write_text("previous")
    disk_full_on_write(monkeypatch)
    code, out, err = run(
        capsys, "build", "--month", "2022-06", "--counts", sample_counts_path(), "--out", reports
    )
    assert (code, out) == (1, "")
    assert (
        err.splitlines()[-1] == f"kpi-report build: cannot write {reports / '2022-06'}: {NO_SPACE}"
    )
    assert listing(reports) == {"2022-06/index.html": b"previous"}  # no staging, no .failed


def test_build_on_a_real_full_disk_keeps_the_previous_report(tmp_path, capsys):
    with tmpfs(tmp_path / "reports") as reports:
        (reports / "2022-06").mkdir()
        (reports / "2022-06" / "index.html").write_text("previous")
        fill(reports)
        code, _, err = run(capsys, "build", "--month", "2022-06", "--out", reports)
        assert code == 1
        assert err.splitlines()[-1] == (
            f"kpi-report build: cannot write {reports / '2022-06'}: {NO_SPACE}"
        )
        (reports / "filler").unlink()
        assert listing(reports) == {"2022-06/index.html": b"previous"}


# --- a month outside the data (item 6) --------------------------------------------------------


@pytest.mark.parametrize("command", ["table", "build"])
def test_a_month_outside_the_counts_is_one_error_naming_their_months(tmp_path, capsys, command):
    argv = [command, "--month", "2023-01"]
    if command == "build":
        argv += ["--out", tmp_path / "reports"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    # the sample is a store (issue 10): the error names it
    store = sample_counts_path().parent
    assert err == (
        f"error: {store} (the store's counts): no counts for 2023-01: the counts cover 2021-01 "
        "to 2022-12, and targets exist for 2021, 2022\n1 error(s), 0 warning(s)\n"
    )
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_a_month_before_the_counts_too(capsys):
    code, _, err = run(capsys, "table", "--month", "2020-12")
    assert code == 1
    assert "no counts for 2020-12: the counts cover 2021-01 to 2022-12" in err


# --- ingest --memory-limit (item 8) -----------------------------------------------------------


def test_memory_limit_reaches_duckdb(tmp_path):
    con = aggregate.connect(tmp_path, "64MB")
    try:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        temp = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    finally:
        con.close()
    assert limit in ("61.0 MiB", "64.0 MB", "61.0MiB") and temp == str(tmp_path)


def test_ingest_with_a_memory_limit_gives_the_same_counts(export, capsys):
    path, catalogue = export
    code, plain, _ = run(capsys, "ingest", path, "--catalogue", catalogue)
    limited = run(capsys, "ingest", path, "--catalogue", catalogue, "--memory-limit", "32MB")
    assert code == 0 and limited[:2] == (0, plain)
    with pytest.raises(SystemExit) as usage:
        cli.main(["ingest", str(path), "--catalogue", str(catalogue), "--memory-limit", "lots"])
    assert usage.value.code == 2


# --- builds killed and builds racing, end to end (item 7) -------------------------------------


def _kpi_report(*argv) -> list[str]:
    import sys

    return [sys.executable, "-m", "kpi_utils", *[str(a) for a in argv]]


def _languages(folder: Path) -> set[str]:
    import re

    found = set()
    for page in folder.rglob("*.html"):
        head = page.read_text(encoding="utf-8")[:500]
        found.update(re.findall(r'<html[^>]*\blang="(\w+)"', head))
    return found


@pytest.mark.slow
def test_a_killed_build_then_two_builds_at_once(tmp_path):
    """A build killed with SIGKILL (with its workers) leaves its staging folder; the next two
    builds of the month, started together (one in Vietnamese, one in English), both finish, the
    dead build's folder is gone, and the report is one build's: every page in one language."""
    import signal
    import time

    out = tmp_path / "reports"
    killed = subprocess.Popen(
        _kpi_report("build", "--month", "2022-06", "--out", out, "--jobs", "1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while not list(out.glob(".2022-06.building-*")) and killed.poll() is None:
        time.sleep(0.2)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    left = list(out.glob(".2022-06.building-*"))
    assert left  # what a killed build leaves today, until the next build
    builds = [
        subprocess.Popen(
            _kpi_report("build", "--month", "2022-06", "--out", out, "--lang", lang, "--jobs", "1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for lang in ("vi", "en")
    ]
    results = [b.communicate() for b in builds]
    assert [b.returncode for b in builds] == [0, 0], [err[-2000:] for _, err in results]
    assert sorted(p.name for p in out.iterdir()) == ["2022-06", "index.html"]  # and the archive
    assert len(_languages(out / "2022-06")) == 1
    assert len(list((out / "2022-06" / "units").glob("*.html"))) == 27
