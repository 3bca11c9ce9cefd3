"""Publishing a report folder in one step; a failed build is set aside, never published."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest

from kpi_utils.site.publish import publish, set_aside, staging_dir


def test_publish_replaces_the_old_report_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "2022-06"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging = staging_dir(target)
    assert staging.parent == tmp_path and staging.name.startswith(".2022-06.building-")
    (staging / "units").mkdir()
    (staging / "units" / "SCT.html").write_text("new")
    publish(staging, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022-06"]
    assert [p.name for p in target.iterdir()] == ["units"]
    assert (target / "units" / "SCT.html").read_text() == "new"


def test_published_files_are_readable_by_others(tmp_path):
    old_mask = os.umask(0o022)
    try:
        staging = staging_dir(tmp_path / "2022-06")  # mkdtemp makes it 0700
        (staging / "index.html").write_text("x")
        os.chmod(staging / "index.html", 0o600)
        (staging / "units").mkdir(mode=0o700)
        (staging / "units" / "SCT.html").write_text("x")
        os.chmod(staging / "units" / "SCT.html", 0o600)
        target = publish(staging, tmp_path / "2022-06")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "index.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((target / "units").stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "units" / "SCT.html").stat().st_mode) == 0o644


def test_first_publish_and_set_aside(tmp_path):
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "2022-06"
    # the first build of all: the output folder and its parents are made
    first = staging_dir(tmp_path / "new" / "out" / "2022-06")
    assert first.parent == tmp_path / "new" / "out"
    staging = staging_dir(target)
    (staging / "a").write_text("1")
    publish(staging, target)
    assert (target / "a").read_text() == "1"
    failed = staging_dir(target)
    (failed / "b").write_text("2")
    kept = set_aside(failed, tmp_path / "reports" / ".2022-06.failed")
    again = staging_dir(target)
    set_aside(again, kept)  # replaces an earlier failed build
    assert (target / "a").read_text() == "1"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        ".2022-06.failed",
        "2022-06",
    ]


# --- builds killed, and builds racing (issue 9, item 7) ------------------------------------------

_BUILDER = """
import sys, time
from pathlib import Path
from kpi_utils.site.publish import staging_dir
staging = staging_dir(Path(sys.argv[1]))
(staging / "half.html").write_text("half")
print(staging, flush=True)
time.sleep(600)
"""


def _killed_build(target):
    """A builder process that made its staging folder, then was killed with SIGKILL."""
    import signal
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", _BUILDER, str(target)], stdout=subprocess.PIPE, text=True
    )
    staging = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    return staging


def test_the_next_build_removes_a_killed_builds_staging_folder_and_keeps_a_live_one(tmp_path):
    target = tmp_path / "2022-06"
    target.mkdir()
    (target / "index.html").write_text("previous")
    dead = _killed_build(target)
    assert dead.exists() and dead.name.startswith(".2022-06.building-")
    live = staging_dir(target)  # this process: alive while the next build starts
    nxt = staging_dir(target)
    assert not dead.exists()
    assert live.exists() and nxt.exists()
    assert (target / "index.html").read_text() == "previous"
    publish(nxt, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["2022-06", live.name])


def test_a_staging_folder_of_a_reused_pid_is_dead(tmp_path):
    # The pid is this process's, but the start time is not: the pid was reused.
    from kpi_utils.site.publish import builder_tag

    pid, start, host = builder_tag().rstrip("~").split("-", 2)
    stale = tmp_path / f".2022-06.building-{pid}-{int(start) + 1}-{host}~abc"
    other_host = tmp_path / f".2022-06.building-{pid}-{int(start) + 1}-elsewhere~abc"
    older_version = tmp_path / ".2022-06.building-k2j3h4"  # no builder recorded: left alone
    for folder in (stale, other_host, older_version):
        folder.mkdir()
    staging_dir(tmp_path / "2022-06")
    assert not stale.exists()
    assert other_host.exists() and older_version.exists()


def test_an_old_report_a_killed_publish_renamed_aside_is_put_back(tmp_path):
    # The fallback publish (no atomic exchange) renames the old report aside first; a build
    # killed right then leaves no report, only `.2022-06.old-<dead builder>`.
    dead = _killed_build(tmp_path / "2022-06")
    aside = tmp_path / (".2022-06.old-" + dead.name.removeprefix(".2022-06.building-"))
    os.rename(dead, aside)
    staging_dir(tmp_path / "2022-06")
    assert (tmp_path / "2022-06" / "half.html").read_text() == "half"
    assert not aside.exists()


_RACER = """
import sys
from pathlib import Path
from kpi_utils.site.publish import publish, staging_dir
target, who, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(rounds):
    staging = staging_dir(target)
    for i in range(20):
        (staging / f"page{i}.html").write_text(f"{who} {n}")
    publish(staging, target)
"""


def _pages_through_one_folder(target):
    folder = os.open(target, os.O_RDONLY)
    try:
        texts = set()
        for i in range(20):
            fd = os.open(f"page{i}.html", os.O_RDONLY, dir_fd=folder)
            with os.fdopen(fd) as page:
                texts.add(page.read())
        return texts
    finally:
        os.close(folder)


def test_two_builds_publishing_the_same_month_at_once_both_finish_never_mixed(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "2022-06"
    racers = [
        subprocess.Popen([sys.executable, "-c", _RACER, str(target), who, "100"])
        for who in ("A", "B")
    ]
    reads = 0
    while any(r.poll() is None for r in racers):
        # A reader who opened the folder meanwhile reads one build's pages, all of one round
        # (or, once its folder was swapped out and is being deleted, finds pages gone).
        with contextlib.suppress(FileNotFoundError):
            texts = _pages_through_one_folder(target)
            assert len(texts) == 1, texts
            reads += 1
    assert [r.wait() for r in racers] == [0, 0]
    texts = {(target / f"page{i}.html").read_text() for i in range(20)}
    assert len(texts) == 1 and texts.pop() in ("A 99", "B 99")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022-06"]


def test_dead_builds_of_other_months_go_too_and_failed_builds_stay(tmp_path):
    dead = _killed_build(tmp_path / "2022-05")
    (tmp_path / ".2022-05.failed").mkdir()
    staging_dir(tmp_path / "2022-06")
    assert not dead.exists() and (tmp_path / ".2022-05.failed").is_dir()


@pytest.fixture
def no_exchange(monkeypatch):
    """A file system without renameat2's exchange: publish falls back to two renames."""
    import errno

    from kpi_utils.site import publish as publish_module

    def unsupported(source, destination, flags):
        raise OSError(errno.ENOSYS, "renameat2 is not available")

    monkeypatch.setattr(publish_module, "_renameat2", unsupported)


def test_when_the_exchange_fails_nothing_moves(tmp_path, monkeypatch):
    import errno

    from kpi_utils.site import publish as publish_module

    target = tmp_path / "2022-06"
    target.mkdir()
    (target / "index.html").write_text("old")
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")

    def full(source, destination, flags):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish_module, "_renameat2", full)
    with pytest.raises(OSError, match="No space left"):
        publish(staging, target)
    assert (target / "index.html").read_text() == "old"
    assert (staging / "index.html").read_text() == "new"


def test_when_the_final_rename_fails_the_previous_report_is_restored(
    tmp_path, monkeypatch, no_exchange
):
    target = tmp_path / "2022-06"
    target.mkdir()
    (target / "index.html").write_text("old")
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    real_rename = os.rename
    renames = []

    def rename(src, dst):
        renames.append((Path(src), Path(dst)))
        if Path(src) == staging:
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="No space left"):
        publish(staging, target)
    monkeypatch.undo()
    # the old report is back in its place, whole; the new build is still where it was written
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert (target / "index.html").read_text() == "old"
    assert (staging / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["2022-06", staging.name])
    # the old report was set aside beside it (same file system), hidden, and put back
    aside = renames[0][1]
    assert renames[0][0] == target and aside.parent == tmp_path
    assert aside.name.startswith(".2022-06.old-")
    assert renames[-1] == (aside, target)


def test_a_failed_first_publish_raises_its_own_error(tmp_path, monkeypatch, no_exchange):
    target = tmp_path / "2022-06"
    staging = staging_dir(target)

    def rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="No space left") as caught:
        publish(staging, target)
    assert caught.value.__context__ is None  # nothing else was attempted on the way out
    monkeypatch.undo()
    assert not target.exists() and staging.is_dir()


def test_an_old_report_that_cannot_be_deleted_does_not_fail_the_publish(
    tmp_path, monkeypatch, no_exchange
):
    import shutil

    target = tmp_path / "2022-06"
    target.mkdir()
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    real_rmtree = shutil.rmtree

    def rmtree(path, ignore_errors=False, **kwargs):
        # as if a file of the old report were held open by a reader (Windows shares, NFS)
        if not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert publish(staging, target) == target
    monkeypatch.undo()
    assert (target / "index.html").read_text() == "new"
    for leftover in tmp_path.glob(".2022-06.old-*"):
        real_rmtree(leftover)


# --- setting a failed build aside -----------------------------------------------------------


def test_a_failed_build_set_aside_meanwhile_by_another_build_is_replaced(tmp_path, monkeypatch):
    # Two failed builds of June at once: the other one is set aside between our removal of the
    # earlier one and our rename, so the rename finds `.2022-06.failed` full (ENOTEMPTY); ours
    # removes it again and takes its place.
    place = tmp_path / ".2022-06.failed"
    staging = staging_dir(tmp_path / "2022-06")
    (staging / "index.html").write_text("ours")
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append(Path(dst))
        if len(calls) == 1:
            place.mkdir()
            (place / "index.html").write_text("theirs")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    assert set_aside(staging, place) == place
    monkeypatch.undo()
    assert calls == [place, place]  # refused once, then done
    assert [p.name for p in place.iterdir()] == ["index.html"]
    assert (place / "index.html").read_text() == "ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".2022-06.failed"]


def test_an_earlier_failed_build_that_cannot_be_removed_is_reported_not_retried_forever(
    tmp_path, monkeypatch
):
    # A file of the earlier failed build cannot be deleted (another user's folder in a shared
    # output folder, a file held open on a network share): set_aside says so, once, and the new
    # failed build stays where it was written. (It used to retry the rename for ever.)
    place = tmp_path / ".2022-06.failed"
    place.mkdir()
    (place / "held.html").write_text("earlier")
    staging = staging_dir(tmp_path / "2022-06")
    (staging / "index.html").write_text("new")
    real_unlink, real_rename = os.unlink, os.rename
    renames = []

    def unlink(path, *args, **kwargs):
        if os.path.basename(path) == "held.html":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        real_unlink(path, *args, **kwargs)

    def rename(src, dst):
        renames.append(dst)
        if len(renames) > 3:
            raise AssertionError("set_aside retries for ever")
        real_rename(src, dst)

    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(PermissionError) as caught:
        set_aside(staging, place)
    monkeypatch.undo()
    # kpi-report prints "filename: reason": the folder to clear, and why
    assert caught.value.filename == str(place)
    assert (caught.value.errno, caught.value.strerror) == (13, "Permission denied")
    assert renames == []  # nothing was moved
    assert (staging / "index.html").read_text() == "new"
    assert (place / "held.html").read_text() == "earlier"


# --- who is building, and is that builder gone (a /proc written by hand) ---------------------


def _stat_line(pid, comm, state, start):
    """A /proc/PID/stat line (proc(5)): field 22 is the start time; every other numeric field
    holds its own field number, so reading the wrong field gives a number that is not `start`."""
    before = " ".join(str(n) for n in range(4, 22))
    after = " ".join(str(n) for n in range(23, 53))
    return f"{pid} ({comm}) {state} {before} {start} {after}\n"


@pytest.fixture
def fake_proc(tmp_path, monkeypatch):
    """/proc as a folder of the test: paths under /proc are read from `<tmp>/proc` instead."""
    root = tmp_path / "proc"
    root.mkdir()
    real_read_text, real_exists = Path.read_text, Path.exists

    def moved(path):
        text = str(path)
        return root / text.removeprefix("/proc/") if text.startswith("/proc/") else path

    monkeypatch.setattr(
        Path, "read_text", lambda self, *a, **k: real_read_text(moved(self), *a, **k)
    )
    monkeypatch.setattr(Path, "exists", lambda self, *a, **k: real_exists(moved(self), *a, **k))

    def process(pid, start, state="S", comm="python3"):
        (root / str(pid)).mkdir(exist_ok=True)
        (root / str(pid) / "stat").write_text(_stat_line(pid, comm, state, start))

    return process


@pytest.fixture
def host(monkeypatch):
    import socket

    monkeypatch.setattr(socket, "gethostname", lambda: "build~box")
    return "build-box"  # "~" ends the builder in a folder name: it is replaced in the host


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


def test_a_staging_folder_is_named_after_its_builder(reports, fake_proc, host):
    pid = os.getpid()
    fake_proc("self", 777)
    fake_proc(pid, 777)
    staging = staging_dir(reports / "2022-06")
    assert staging.name.startswith(f".2022-06.building-{pid}-777-build-box~")


def test_a_host_without_a_name_is_localhost(monkeypatch):
    import socket

    from kpi_utils.site.publish import builder_tag

    monkeypatch.setattr(socket, "gethostname", lambda: "")
    assert builder_tag().endswith("-localhost~")


def _folders(reports):
    return sorted(p.name for p in reports.iterdir())


def test_which_builders_are_gone(reports, fake_proc, host):
    fake_proc("self", 1)
    fake_proc(os.getpid(), 5000)
    fake_proc(101, 777)  # running, started at tick 777
    fake_proc(102, 1)  # running, started 1 tick after boot
    fake_proc(103, 777, state="Z")  # killed, not yet reaped by its parent
    fake_proc(104, 777, state="X")  # dead
    fake_proc(105, 777, comm="kpi) S 1 2")  # a program name with ") " in it: still running
    (reports.parent / "proc" / "106" / "stat").mkdir(parents=True)  # unreadable: cannot tell
    fake_proc(107, 777)
    names = [
        ".2022-06.building-101-777-build-box~a",  # its builder: kept
        ".2022-06.building-101-1-build-box~b",  # pid 101 reused since (started at 1): gone
        ".2022-06.building-102-5-build-box~c",  # pid 102 reused since: gone
        ".2022-06.building-103-777-build-box~d",
        ".2022-06.building-104-777-build-box~e",
        ".2022-06.building-105-777-build-box~f",  # kept
        ".2022-06.building-107-0-build-box~g",  # start unknown, pid running: kept
        ".2022-06.building-108-777-build-box~h",  # no such process: gone
        ".2022-06.building-106-5-build-box~i",  # its start cannot be read: kept
    ]
    for name in names:
        (reports / name).mkdir()
    from kpi_utils.site.publish import remove_dead_builds

    removed = remove_dead_builds(reports / "2022-06")
    # the folders are taken in name order, so what was removed is listed in that order
    assert removed == [reports / names[i] for i in (1, 2, 3, 4, 7)]
    assert _folders(reports) == sorted(names[i] for i in (0, 5, 6, 8))


_BLOCKING = """
import signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
print("ready", flush=True)
sys.stdin.read()
print(sorted(int(s) for s in signal.sigpending()), flush=True)
"""


def test_without_proc_a_builder_is_gone_when_its_pid_is(reports, fake_proc, host):
    # No /proc/self (not Linux, or /proc not mounted): start times are unknown (0) and a
    # builder is gone when signalling its pid says "no such process".
    import subprocess
    import sys

    from kpi_utils.site.publish import builder_tag, remove_dead_builds

    # a live builder that blocks every signal and tells, when its input ends, which came
    live = subprocess.Popen(
        [sys.executable, "-c", _BLOCKING], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        assert live.stdout.readline() == "ready\n"
        kept = [
            f".2022-06.building-{live.pid}-0-build-box~a",
            f".2022-06.building-{live.pid}-5-build-box~b",  # 5 cannot be compared with 0
        ]
        dead = f".2022-06.building-{gone.pid}-5-build-box~c"
        for name in (*kept, dead):
            (reports / name).mkdir()
        assert remove_dead_builds(reports / "2022-06") == [reports / dead]
        assert _folders(reports) == kept
        out, _ = live.communicate("")
        assert out == "[]\n"  # only asked (signal 0), never sent a signal
    finally:
        live.kill()
        live.wait()
    # this process's own start time is unknown too (last: a signal sent here would end the test)
    assert builder_tag() == f"{os.getpid()}-0-build-box~"


def test_with_proc_a_pid_missing_from_it_is_gone(reports, fake_proc, host):
    # /proc is there but has no entry for the pid: gone, whatever else answers to that pid
    import subprocess
    import sys

    fake_proc("self", 1)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (reports / f".2022-06.building-{live.pid}-5-build-box~a").mkdir()
        staging = staging_dir(reports / "2022-06")
        assert _folders(reports) == [staging.name]
    finally:
        live.kill()
        live.wait()


# --- the exchange (renameat2) and the file systems without it --------------------------------


def _report(folder, text):
    folder.mkdir()
    (folder / "index.html").write_text(text)
    return folder


def test_the_exchange_swaps_two_folders_given_relative_to_the_working_folder(tmp_path, monkeypatch):
    # `kpi-report build --out reports`: the paths reach renameat2 relative to the working folder
    from kpi_utils.site.publish import _RENAME_EXCHANGE, _renameat2

    monkeypatch.chdir(tmp_path)
    _report(tmp_path / "a", "A")
    _report(tmp_path / "b", "B")
    _renameat2(Path("a"), Path("b"), _RENAME_EXCHANGE)
    assert (tmp_path / "a" / "index.html").read_text() == "B"
    assert (tmp_path / "b" / "index.html").read_text() == "A"


def test_a_refused_exchange_says_why_and_on_which_folders(tmp_path, monkeypatch):
    import errno

    from kpi_utils.site.publish import _RENAME_EXCHANGE, _renameat2

    monkeypatch.chdir(tmp_path)
    _report(tmp_path / "new", "N")
    with pytest.raises(FileNotFoundError) as caught:  # nothing to exchange with
        _renameat2(Path("new"), Path("2022-06"), _RENAME_EXCHANGE)
    assert caught.value.errno == errno.ENOENT
    assert str(caught.value) == "[Errno 2] No such file or directory: 'new' -> '2022-06'"
    assert (tmp_path / "new" / "index.html").read_text() == "N"


def test_publish_exchanges_in_one_step_never_renaming_the_old_report_aside(reports, monkeypatch):
    target = _report(reports / "2022-06", "old")
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    renames = []
    monkeypatch.setattr(os, "rename", lambda *args: renames.append(args))
    publish(staging, target)
    monkeypatch.undo()
    assert renames == []
    assert (target / "index.html").read_text() == "new"
    assert _folders(reports) == ["2022-06"]


def test_without_renameat2_in_the_c_library_the_old_report_is_renamed_aside(reports, monkeypatch):
    import ctypes
    import types

    # a C library without renameat2 (musl before 1.2.3, macOS): plain renames, under a lock
    monkeypatch.setattr(ctypes, "CDLL", lambda name, use_errno=False: types.SimpleNamespace())
    target = _report(reports / "2022-06", "old")
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    assert publish(staging, target) == target
    monkeypatch.undo()
    assert (target / "index.html").read_text() == "new"
    assert _folders(reports) == ["2022-06"]


def test_the_fallback_publish_replaces_the_old_report_and_leaves_nothing_behind(
    reports, no_exchange
):
    target = _report(reports / "2022-06", "old")
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    assert publish(staging, target) == target
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert (target / "index.html").read_text() == "new"
    assert _folders(reports) == ["2022-06"]


@pytest.fixture
def no_flags(monkeypatch):
    """A file system whose rename knows no flags (older FUSE, some network file systems): the
    kernel finds a missing report first (ENOENT), then the file system refuses (EINVAL)."""
    import errno

    from kpi_utils.site import publish as publish_module

    def renameat2(source, destination, flags):
        if flags == publish_module._RENAME_EXCHANGE and not destination.exists():
            raise OSError(errno.ENOENT, "No such file or directory")
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(publish_module, "_renameat2", renameat2)


@pytest.mark.parametrize("earlier", [False, True])
def test_a_file_system_without_rename_flags_falls_back_to_two_renames(reports, no_flags, earlier):
    target = reports / "2022-06"
    if earlier:
        _report(target, "old")
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    assert publish(staging, target) == target
    assert (target / "index.html").read_text() == "new"
    assert _folders(reports) == ["2022-06"]


def test_a_report_published_meanwhile_by_another_build_is_exchanged_not_overwritten(
    reports, monkeypatch
):
    # Our exchange finds no report (ENOENT: the first build of June); before our rename-if-absent
    # another build publishes one, so that rename is refused (EEXIST) and the exchange is tried
    # again: ours ends up published, theirs swapped out and removed.
    import errno

    from kpi_utils.site import publish as publish_module

    target = reports / "2022-06"
    staging = staging_dir(target)
    (staging / "index.html").write_text("ours")
    real = publish_module._renameat2
    calls = []

    def renameat2(source, destination, flags):
        calls.append(flags)
        if len(calls) == 1:
            _report(target, "theirs")
            raise OSError(errno.ENOENT, "No such file or directory")
        real(source, destination, flags)

    monkeypatch.setattr(publish_module, "_renameat2", renameat2)
    publish(staging, target)
    ex, noreplace = publish_module._RENAME_EXCHANGE, publish_module._RENAME_NOREPLACE
    assert calls == [ex, noreplace, ex]
    assert (target / "index.html").read_text() == "ours"
    assert _folders(reports) == ["2022-06"]


def test_a_first_publish_whose_exchange_fails_otherwise_is_not_taken_for_no_report(
    reports, monkeypatch
):
    # Only "no report there" (ENOENT) leads to the rename-if-absent; any other refusal of the
    # exchange is the user's to see, and nothing moves.
    import errno

    from kpi_utils.site import publish as publish_module

    target = reports / "2022-06"
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    real = publish_module._renameat2

    def renameat2(source, destination, flags):
        if flags == publish_module._RENAME_EXCHANGE:
            raise OSError(errno.EACCES, "Permission denied", str(source))
        real(source, destination, flags)

    monkeypatch.setattr(publish_module, "_renameat2", renameat2)
    with pytest.raises(PermissionError):
        publish(staging, target)
    assert not target.exists()
    assert (staging / "index.html").read_text() == "new"


def _rmtree_that_cannot(monkeypatch):
    """rmtree as if a file were held open by a reader: it raises unless told to ignore errors,
    and then leaves the folder as it was."""
    import shutil

    def rmtree(path, ignore_errors=False, **kwargs):
        if not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", rmtree)


def test_an_old_report_that_cannot_be_deleted_after_the_exchange_does_not_fail_the_publish(
    reports, monkeypatch
):
    target = _report(reports / "2022-06", "old")
    staging = staging_dir(target)
    (staging / "index.html").write_text("new")
    _rmtree_that_cannot(monkeypatch)
    assert publish(staging, target) == target
    monkeypatch.undo()
    assert (target / "index.html").read_text() == "new"
    # the old report is left in the staging folder, removed by the next build once we are gone
    assert (staging / "index.html").read_text() == "old"


# --- what killed builds leave behind -----------------------------------------------------------

_DEAD = "999-5-build-box~x"  # with fake_proc listing only /proc/self: pid 999 is gone


def test_a_killed_first_build_is_removed_never_taken_for_the_report(reports, fake_proc, host):
    fake_proc("self", 1)
    _report(reports / f".2022-06.building-{_DEAD}", "half")
    staging = staging_dir(reports / "2022-06")
    assert _folders(reports) == [staging.name]  # no 2022-06: there was none before


def test_every_left_behind_folder_is_seen_to_after_an_old_report_is_put_back(
    reports, fake_proc, host
):
    fake_proc("self", 1)
    _report(reports / f".2022-06.old-{_DEAD}", "May's build of June")
    _report(reports / f".2022-07.building-{_DEAD}", "half")  # listed after the one above
    staging = staging_dir(reports / "2022-08")
    assert _folders(reports) == sorted(["2022-06", staging.name])
    assert (reports / "2022-06" / "index.html").read_text() == "May's build of June"


def test_an_old_report_is_not_put_back_over_one_published_meanwhile(
    reports, fake_proc, host, monkeypatch
):
    # While we put the old report back, another build publishes June: the rename is refused
    # (ENOTEMPTY) and the old report, outdated now, is removed.
    fake_proc("self", 1)
    aside = _report(reports / f".2022-06.old-{_DEAD}", "old")
    real_rename = os.rename

    def rename(src, dst):
        _report(reports / "2022-06", "published meanwhile")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    staging = staging_dir(reports / "2022-06")
    monkeypatch.undo()
    assert _folders(reports) == sorted(["2022-06", staging.name])
    assert (reports / "2022-06" / "index.html").read_text() == "published meanwhile"
    assert not aside.exists()


def test_a_dead_build_that_cannot_be_removed_does_not_stop_the_next_build(
    reports, fake_proc, host, monkeypatch
):
    fake_proc("self", 1)
    dead = _report(reports / f".2022-06.building-{_DEAD}", "half")
    _rmtree_that_cannot(monkeypatch)
    staging = staging_dir(reports / "2022-06")
    monkeypatch.undo()
    assert staging.is_dir() and dead.is_dir()
