"""Benchmark: `kpi-report ingest` at national scale (100 million dossier rows) under a memory limit.

Run on demand, never in the tests (it needs about 4 GB of disk under /tmp and several minutes):

    .venv/bin/python benchmarks/bench_scale.py [--rows 10000000 100000000] [--keep]

For each size it writes (in 1-million-row chunks, never the whole table in memory) a SYNTHETIC
Parquet export like benchmarks/bench_ingest.py's (same generator, same catalogue), runs
`kpi-report ingest FILE --catalogue C --out OUT --memory-limit LIMIT` once in a fresh process, and
prints its wall time, CPU time and peak RSS (the child's own `ru_maxrss`), with the rows the
ingest summary says it read. The data is deleted afterwards unless `--keep`.

Target (issue 9): 100 million rows with peak RSS under 2 GB. Above `aggregate.SORT_LIMIT_ROWS`
the duplicate-id check runs as DuckDB's spilling aggregate, so DuckDB's part stays within
`--memory-limit` and spills to the temporary folder (TMPDIR).

Measured 2026-12-02 (2 shared cores, load average 10 to 20; README "Scale"):
    10,000,000 rows (138 MB):   wall 12.9 s, CPU 3.1 s, peak RSS 290 MB
    100,000,000 rows (1.37 GB): wall 408 s, CPU 55 s, peak RSS 459 MB (about 1 GB spilled)
Generating the 100M-row file took about 11 minutes at low priority on the loaded machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import BATCH, SEED, _batch, _child, _units, catalogue_table

INGEST = """
import contextlib, io, json, resource, sys, time
t0 = time.perf_counter()
from kpi_utils.cli import main
t = time.perf_counter()
err = io.StringIO()
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
    code = main(["ingest", sys.argv[1], "--catalogue", sys.argv[2], "--out", sys.argv[3],
                 "--memory-limit", sys.argv[4]])
summary = [line for line in err.getvalue().splitlines() if "rows read" in line]
print(json.dumps({"exit": code, "import_s": round(t - t0, 2),
                  "work_s": round(time.perf_counter() - t, 2), "summary": summary,
                  "stderr_tail": err.getvalue().splitlines()[-2:],
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def generate_parquet(rows: int, out: Path) -> Path:
    """`rows` dossiers as one Parquet file, written a million rows at a time."""
    import numpy as np

    path = out / f"dossiers_{rows}.parquet"
    if path.exists():
        return path
    rng = np.random.default_rng(SEED)
    units = _units()
    table = _batch(rng, 0, min(BATCH, rows), units)
    partial = path.with_suffix(".partial")
    with pq.ParquetWriter(partial, table.schema, compression="zstd") as writer:
        done = 0
        while True:
            writer.write_table(table, row_group_size=BATCH)
            done += table.num_rows
            if done >= rows:
                break
            table = _batch(rng, done, min(BATCH, rows - done), units)
    partial.rename(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000_000, 100_000_000])
    parser.add_argument("--memory-limit", default="256MB", help="passed to ingest")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "kpi-bench-scale")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    catalogue = args.out / "catalogue.csv"
    pacsv.write_csv(catalogue_table(), catalogue)
    try:
        for rows in args.rows:
            start = time.perf_counter()
            parquet = generate_parquet(rows, args.out)
            print(
                f"data: {parquet.name} {parquet.stat().st_size / 1e6:.0f} MB "
                f"({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
            print(f"load average before: {os.getloadavg()}", flush=True)
            run = _child(
                INGEST,
                str(parquet),
                str(catalogue),
                str(args.out / "counts.csv"),
                args.memory_limit,
            )
            print(f"ingest {rows} rows, --memory-limit {args.memory_limit}: {run}", flush=True)
            print(f"load average after: {os.getloadavg()}", flush=True)
            if not args.keep:
                parquet.unlink()
    finally:
        if not args.keep:
            shutil.rmtree(args.out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
