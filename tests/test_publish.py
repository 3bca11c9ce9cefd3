"""Publishing a report folder in one step; a failed build is set aside, never published."""

from __future__ import annotations

import os
import stat

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
        target = publish(staging, tmp_path / "2022-06")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "index.html").stat().st_mode) == 0o644


def test_first_publish_and_set_aside(tmp_path):
    target = tmp_path / "reports" / "2022-06"
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
