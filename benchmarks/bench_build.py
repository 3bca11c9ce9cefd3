"""Time `kpi-report build` against its floor, and against the naive way, in one run.

    .venv/bin/python benchmarks/bench_build.py [--month 2022-06] [--jobs 2] [--runs 1]
                                               [--naive-pages N]

(floor) every page's compute in ONE warm process, with the inputs read and checked once:
        the tables and charts (SVG) of all 30 pages, no notebook, no HTML export
        (`page_compute.floor`); imports and vl-convert's first SVG are not counted;
(a)     `kpi-report build --month M --jobs J` from a cold command line, as a user runs it
        (median of `--runs`);
(b)     with `--naive-pages N`: the naive way, page after page, `papermill` CLI (a fresh kernel
        each) then `jupyter nbconvert --to html`, timed on N pages and scaled to all of them.

Goals (issue 18): (a) with `--jobs 2` at most 1.3x the floor, and under 15 s on 2 idle cores.
The machine's load average is printed beside every figure: on a loaded machine the figures say
little about the goals, and the output says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = REPO / "notebooks"
FLOOR_RATIO = 1.3
IDLE_SECONDS = 15.0


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} CPU(s)"


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
    out = work / "a"
    shutil.rmtree(out, ignore_errors=True)
    command = [str(BIN / "kpi-report"), "build", "--month", month, "--out", str(out)]
    return run([*command, "--jobs", str(jobs)], cwd=work)


def time_floor(month: str) -> tuple[float, int]:
    """The floor in a fresh process of its own (so that this one stays cold for nothing)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import page_compute; "
        "s, n = page_compute.floor(sys.argv[2]); print(s, n)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "benchmarks"), month],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, count = done.stdout.split()
    return float(seconds), int(count)


def time_naive(month: str, work: Path, limit: int) -> tuple[float, int, int]:
    out = work / "b"
    out.mkdir()
    todo = pages(month, "vi")
    total = len(todo)
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
    parser.add_argument("--runs", type=int, default=1, help="builds to time (median)")
    parser.add_argument("--naive-pages", type=int, default=0, help="0: skip the naive way")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    try:
        print(f"before:  {load()}")
        floor, count = time_floor(args.month)
        print(f"(floor) {count} pages' compute, one warm process: {floor:6.1f} s   [{load()}]")
        builds = []
        for _ in range(args.runs):
            builds.append(time_build(args.month, args.jobs, work))
            print(
                f"(a) kpi-report build --jobs {args.jobs}:        {builds[-1]:6.1f} s   [{load()}]"
            )
        built = statistics.median(builds)
        ratio = built / floor
        print(
            f"build / floor: {ratio:.2f}x (goal: at most {FLOOR_RATIO}x with --jobs 2): "
            + ("met" if ratio <= FLOOR_RATIO else "NOT met")
        )
        idle = os.getloadavg()[0] < 0.5 * (os.cpu_count() or 1)
        verdict = ("met" if built < IDLE_SECONDS else "NOT met") if idle else "not measurable"
        print(
            f"build under {IDLE_SECONDS:.0f} s on idle cores: {verdict}"
            + ("" if idle else " (the machine is not idle: see the load averages)")
        )
        if args.naive_pages:
            naive, done, total = time_naive(args.month, work, args.naive_pages)
            estimate = naive * total / done
            label = "" if done == total else f" (estimated from {done} of {total} pages)"
            print(f"(b) papermill + nbconvert CLIs: {estimate:6.1f} s{label}   [{load()}]")
            print(f"ratio (b)/(a): {estimate / built:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
