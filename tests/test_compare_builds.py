"""benchmarks/compare_builds.py: equal builds pass, any other difference is named."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from compare_builds import compare_builds

INDEX = '<p>Built: <time datetime="{at}">{at}</time></p><a href="overview.html">x</a>'


def _build(folder: Path, at: str, page: str = "<p>1,5%</p>", core: str = "t0") -> Path:
    (folder / "notebooks").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX.format(at=at), encoding="utf-8")
    (folder / "overview.html").write_text(page, encoding="utf-8")
    (folder / "kpi_table.csv").write_text("unit_code,rate\nSCT,0.5\n", encoding="utf-8")
    with zipfile.ZipFile(folder / "kpi_table.xlsx", "w") as archive:
        archive.writestr("docProps/core.xml", core)
        archive.writestr("xl/worksheets/sheet1.xml", "<sheet/>")
    notebook = (
        '{"cells": [{"cell_type": "code", "source": "%s", "metadata": {"t": "%s"},'
        ' "outputs": [{"output_type": "stream", "text": "1"}]}], "metadata": {"t": "%s"}}'
    )
    (folder / "notebooks" / "overview.ipynb").write_text(notebook % (at, at, at))
    return folder


def test_builds_differing_only_in_build_time_are_identical(tmp_path):
    before = _build(tmp_path / "a", "2026-12-02T05:00:00", core="t0")
    after = _build(tmp_path / "b", "2026-12-02T06:00:00", core="t1")
    assert compare_builds(before, after) == (5, [])


def test_any_other_difference_is_named(tmp_path):
    before = _build(tmp_path / "a", "2026-12-02T05:00:00")
    after = _build(tmp_path / "b", "2026-12-02T05:00:00", page="<p>1.5%</p>")
    (after / "kpi_table.csv").write_text("unit_code,rate\nSCT,0.6\n", encoding="utf-8")
    (after / "extra.html").write_text("", encoding="utf-8")
    compared, problems = compare_builds(before, after)
    assert compared == 5
    assert problems == [
        f"only in {after}: extra.html",
        "kpi_table.csv: bytes differ from offset 21 (23 against 23 bytes)",
        "overview.html: bytes differ from offset 4 (11 against 11 bytes)",
    ]
