"""The report notebooks are documents: one `parameters` cell of plain defaults, no stored outputs,
thin cells. (Running them is nbval's job: `pytest` collects notebooks/ with --nbval-lax.)"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# The parameter contract: every page takes month, counts, targets, lang (in that order); pages
# that show communes add commune_counts and commune_targets; unit pages add unit_code; every page
# ends with `prepared` (the build's checked inputs; None when run by hand: read the files).
COMMON = {"month": "2022-06", "counts": None, "targets": None, "lang": "vi"}
COMMUNES = {"commune_counts": None, "commune_targets": None}
PREPARED = {"prepared": None}
EXPECTED = {
    "overview.ipynb": {**COMMON, **PREPARED},
    "data_quality.ipynb": {**COMMON, **COMMUNES, "store": None, "as_of": None, **PREPARED},
    "unit_profile.ipynb": {**COMMON, "unit_code": "SCT", **COMMUNES, **PREPARED},
    "communes.ipynb": {**COMMON, **COMMUNES, **PREPARED},
}


def _notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_report_notebooks_exist():
    assert {p.name for p in _notebooks()} >= set(EXPECTED)


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_exactly_one_parameters_cell_and_no_outputs(path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
    assert tagged[0].cell_type == "code"
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: stored output in {cell.source[:40]!r}"
            assert cell.execution_count is None, f"{path.name}: execution count stored"
    assert book.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_parameters_are_plain_defaults(path):
    book = nbformat.read(path, as_version=4)
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.dump(node)
        values[node.targets[0].id] = ast.literal_eval(node.value)
    if path.name in EXPECTED:
        assert values == EXPECTED[path.name]


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_code_cells_are_thin(path):
    """No loops, functions or classes in a cell: such code belongs in kpi_utils, with a test."""
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        heavy = (ast.For, ast.While, ast.FunctionDef, ast.ClassDef, ast.Try, ast.With)
        assert not any(isinstance(n, heavy) for n in ast.walk(tree)), cell.source
        # the parameters cell is one plain assignment a line (test_parameters_are_plain_defaults)
        if "parameters" not in cell.metadata.get("tags", []):
            assert len(cell.source.splitlines()) <= 5, cell.source


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_papermill_sees_every_parameter(path):
    """papermill reads the parameters cell itself (for --help-notebook); a comment it cannot
    parse silently hides a parameter."""
    from papermill.translators import PythonTranslator

    book = nbformat.read(path, as_version=4)
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    names = [p.name for p in PythonTranslator.inspect(cell)]
    assert names == list(EXPECTED.get(path.name, names))
