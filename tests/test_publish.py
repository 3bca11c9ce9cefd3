"""Publishing a report folder in one step; a failed build is set aside, never published."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kpi_utils.publish import publish, set_aside, staging_dir


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


def test_when_the_final_rename_fails_the_previous_report_is_restored(tmp_path, monkeypatch):
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


def test_a_failed_first_publish_raises_its_own_error(tmp_path, monkeypatch):
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


def test_an_old_report_that_cannot_be_deleted_does_not_fail_the_publish(tmp_path, monkeypatch):
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
