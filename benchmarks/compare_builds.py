"""Compare two report folders built from the same inputs: every file, byte for byte, except
what differs by nature from one build to the next.

    .venv/bin/python benchmarks/compare_builds.py /tmp/bs-before /tmp/bs-after

Each argument is an `--out` folder (holding YYYY-MM/ folders) or one month's folder. Compared:
- every HTML page and kpi_table.csv: byte for byte, except the index's build-time line
  (`Thời điểm lập báo cáo` / `Built`: the `<time>` element);
- kpi_table.xlsx and the Word report: every member of the zip byte for byte, except
  docProps/core.xml (its creation time);
- the executed notebooks: every cell's type and outputs, ignoring the notebook and cell
  metadata (execution times, papermill's record) and the cells' sources (issue 18 added the
  `prepared` parameter to the notebooks; what the sources show is compared in the HTML pages).
The same set of files must exist on both sides. Exit code 0 when equal, 1 otherwise, with every
difference listed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

TIME_ELEMENT = re.compile(r"<time datetime=\"[^\"]*\">[^<]*</time>")
ZIP_VOLATILE = {"docProps/core.xml"}


def _html(path: Path) -> bytes:
    text = path.read_text(encoding="utf-8")
    if path.name == "index.html":
        text = TIME_ELEMENT.sub("<time>(build time)</time>", text)
    return text.encode("utf-8")


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name not in ZIP_VOLATILE}


def _notebook(path: Path) -> list:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        cells.append({"type": cell["cell_type"], "outputs": cell.get("outputs", [])})
    return cells


def compare_file(a: Path, b: Path) -> str | None:
    """None when equal (as described above); otherwise what differs."""
    if a.suffix == ".ipynb":
        left, right = _notebook(a), _notebook(b)
        if len(left) != len(right):
            return f"{len(left)} cells against {len(right)}"
        for index, (x, y) in enumerate(zip(left, right, strict=True)):
            for key in ("type", "outputs"):
                if x[key] != y[key]:
                    return f"cell {index}: {key} differs"
        return None
    if a.suffix in (".xlsx", ".docx"):
        left, right = _zip_members(a), _zip_members(b)
        if left.keys() != right.keys():
            return f"members differ: {sorted(left.keys() ^ right.keys())}"
        different = [name for name in left if left[name] != right[name]]
        return f"members differ: {different}" if different else None
    left, right = (_html(a), _html(b)) if a.suffix == ".html" else (a.read_bytes(), b.read_bytes())
    if left == right:
        return None
    at = next(
        (i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y),
        min(len(left), len(right)),
    )
    return f"bytes differ from offset {at} ({len(left)} against {len(right)} bytes)"


def _files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}


def compare_builds(before: Path, after: Path) -> tuple[int, list[str]]:
    """(files compared, differences) between two report folders."""
    left, right = _files(before), _files(after)
    problems = [f"only in {before}: {p}" for p in sorted(left - right)]
    problems += [f"only in {after}: {p}" for p in sorted(right - left)]
    common = sorted(left & right)
    for relative in common:
        difference = compare_file(before / relative, after / relative)
        if difference is not None:
            problems.append(f"{relative}: {difference}")
    return len(common), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    compared, problems = compare_builds(args.before, args.after)
    for problem in problems:
        print(problem)
    verdict = "identical" if not problems else f"{len(problems)} difference(s)"
    print(f"{compared} files compared: {verdict}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
