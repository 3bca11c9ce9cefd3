"""Time `kpi-report build` against the naive way, on the same machine, in one run.

(a) `kpi-report build --month M` (warm kernels in worker processes, HTML export in-process);
(b) the naive way, page after page for the same 29 pages: `papermill` CLI (a fresh kernel each),
    then `jupyter nbconvert --to html` CLI on the executed notebook.

Both start from a cold command line, as a user would run them, and both use the bundled sample.
Prints both wall times and their ratio; the target is (a) <= (b) / 10.

    .venv/bin/python benchmarks/bench_build.py [--month 2022-06] [--jobs 2] [--naive-pages N]

`--naive-pages N` times only the first N naive pages and scales to 29 (marked as an estimate).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = REPO / "notebooks"


def pages(month: str, lang: str) -> list[tuple[str, Path, list[str]]]:
    """The report's pages as the build declares them, as papermill CLI arguments."""
    from kpi_utils.common.registry import load_registry
    from kpi_utils.site.build import report_pages

    out = []
    for page in report_pages(list(load_registry()["unit_code"])):
        params = ["-p", "month", month, "-p", "lang", lang]
        if page.unit_code:
            params += ["-p", "unit_code", page.unit_code]
        out.append((page.name.replace("/", "-"), NOTEBOOKS / page.notebook, params))
    return out


def run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def time_build(month: str, jobs: int, work: Path) -> float:
    command = [str(BIN / "kpi-report"), "build", "--month", month, "--out", str(work / "a")]
    return run([*command, "--jobs", str(jobs)], cwd=work)


def time_naive(month: str, work: Path, limit: int | None) -> tuple[float, int, int]:
    out = work / "b"
    out.mkdir()
    todo = pages(month, "vi")
    total = len(todo)
    if limit is not None:
        todo = todo[:limit]
    start = time.perf_counter()
    for name, notebook, params in todo:
        executed = out / f"{name}.ipynb"
        run(
            [str(BIN / "papermill"), str(notebook), str(executed), *params]
            + ["-k", "python3", "--no-progress-bar"],
            cwd=work,
        )
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], cwd=work)
    return time.perf_counter() - start, len(todo), total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2022-06")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--naive-pages", type=int, default=None)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    try:
        print(f"machine: {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}")
        built = time_build(args.month, args.jobs, work)
        pages_built = len(list((work / "a" / args.month).rglob("*.html"))) - 1  # not the index
        print(f"(a) kpi-report build --jobs {args.jobs}: {built:7.1f} s  ({pages_built} pages)")
        naive, done, total = time_naive(args.month, work, args.naive_pages)
        estimate = naive * total / done
        label = "" if done == total else f"  (estimated from {done} of {total} pages)"
        print(f"(b) papermill + nbconvert CLIs:   {estimate:7.1f} s  ({total} pages){label}")
        print(f"ratio (b)/(a): {estimate / built:.1f}x  (target: at least 10x)")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
