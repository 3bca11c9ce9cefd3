"""The stages' folders import one way (import-linter's layers contract in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=src,
        timeout=120,
    )


def test_the_package_keeps_its_layers():
    run = _lint(ROOT / "src")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_a_reversed_import_breaks_the_contract(tmp_path):
    # an early stage (common) importing a late one (site): the contract must name it
    shutil.copytree(ROOT / "src" / "kpi_utils", tmp_path / "kpi_utils")
    names = tmp_path / "kpi_utils" / "common" / "names.py"
    names.write_text(names.read_text(encoding="utf-8") + "\nfrom kpi_utils.site import publish\n")
    run = _lint(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "BROKEN" in run.stdout
    assert "kpi_utils.common.names -> kpi_utils.site.publish" in run.stdout
