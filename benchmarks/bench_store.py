"""Benchmark: a build's input stage from a store of 60 monthly Biểu 06 forms against one counts
file holding the same figures (issue 10: at most 1.2x, thanks to the cache).

Run on demand, never in the tests:

    .venv/bin/python benchmarks/bench_store.py [--runs 7] [--areas 1]

Writes (in a temporary folder) 60 province compilations, January 2018 to December 2022, with the
form writer of `bench_forms.py` (each month's title says its month), adds them to a store, and
writes the store's settled counts as one counts file. Then times, interleaved, `--runs` times:

- file: what `build` does before any page runs, from the counts file: `checked_inputs` (read,
  check, targets) and the month's KPI table;
- store: the same from the store: `resolve` (manifest, SHA-256 of every stored file, the cached
  contents, revisions), `write_inputs` (the settled counts and commune counts as files), then the
  same `checked_inputs` and KPI table.

The pages themselves (the 30 notebooks) read the same counts file either way, so they are not
timed. A run with the cache emptied (every form read again) is printed too.

Measured (2 shared cores, other jobs running; medians of 9 interleaved runs): file 0.476 s, store
0.533 s (1.12x); again later, file 0.397 s, store 0.355 s (0.90x); best of 9 0.277 s against
0.283 s. With the cache emptied the store's stage takes about 20 s (60 workbooks read again).
"""

from __future__ import annotations

import argparse
import calendar
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl
from bench_forms import build_form

from kpi_utils.metrics.kpi import kpi_table
from kpi_utils.metrics.pipeline import checked_inputs
from kpi_utils.store import cache
from kpi_utils.store.add import add_files
from kpi_utils.store.resolve import resolve, write_inputs

MONTH = "2022-12"


def write_forms(folder: Path, areas: int) -> list[Path]:
    """60 monthly forms: one workbook written by `bench_forms.build_form`, retitled per month."""
    template = folder / "template.xlsx"
    build_form(template, areas)
    written = []
    for year in range(2018, 2023):
        for month in range(1, 13):
            book = openpyxl.load_workbook(template)
            last = calendar.monthrange(year, month)[1]
            book.active["A2"] = (
                f"(Từ ngày 01/{month:02d}/{year} đến ngày {last}/{month:02d}/{year})"
            )
            path = folder / f"bieu06_{year}-{month:02d}.xlsx"
            book.save(path)
            written.append(path)
    template.unlink()
    return written


def input_stage_file(counts: Path) -> None:
    inputs = checked_inputs(counts=[counts], month=MONTH)
    kpi_table(inputs.counts, inputs.targets, inputs.registry, MONTH)


def input_stage_store(store: Path, scratch: Path) -> None:
    written = write_inputs(resolve(store, parts=("counts", "targets")), scratch)
    inputs = checked_inputs(counts=[written.counts], month=MONTH)
    kpi_table(inputs.counts, inputs.targets, inputs.registry, MONTH)


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--areas", type=int, default=1, help="areas of work per unit in a form")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpi-bench-store-") as tmp:
        tmp = Path(tmp)
        forms_dir, store, scratch = tmp / "forms", tmp / "store", tmp / "scratch"
        forms_dir.mkdir()
        start = time.perf_counter()
        forms = write_forms(forms_dir, args.areas)
        print(f"wrote {len(forms)} forms in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        added = add_files(store, forms, received="2023-01-05")
        assert added.ok, "\n".join(str(p) for p in added.problems)
        print(f"added them to the store in {time.perf_counter() - start:.1f} s")
        counts = tmp / "one" / "monthly_counts.csv"
        counts.parent.mkdir()
        shutil.copy(write_inputs(resolve(store), scratch).counts, counts)
        rows = counts.read_text(encoding="utf-8").count("\n") - 1
        print(f"one counts file: {rows} rows (27 units x 60 months)")

        input_stage_file(counts)  # warm imports and the registry for both
        cold_cache = store / ".cache" / cache.code_version()
        shutil.rmtree(cold_cache)
        print(f"store, cache emptied: {timed(input_stage_store, store, scratch):.3f} s")
        file_times, store_times = [], []
        for _ in range(args.runs):
            file_times.append(timed(input_stage_file, counts))
            store_times.append(timed(input_stage_store, store, scratch))
        f, s = statistics.median(file_times), statistics.median(store_times)
        print(f"input stage, median of {args.runs} interleaved runs:")
        print(f"  one counts file: {f:.3f} s (best {min(file_times):.3f})")
        print(f"  store of forms:  {s:.3f} s (best {min(store_times):.3f})")
        print(f"  ratio store/file: {s / f:.2f}x (limit 1.2x)")


if __name__ == "__main__":
    main()
