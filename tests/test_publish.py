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
