"""Time the input readers on the bundled sample written every way the readers accept.

The sample (648 rows) is written as UTF-8, UTF-8 with BOM, UTF-16 tab-separated, Windows-1258
with Vietnamese unit names and semicolons, and XLSX under title rows; each is read with
`inputs.read_counts` (best of `--repeat` runs) and must read cleanly.

    .venv/bin/python benchmarks/bench_readers.py [--repeat 5] [--scale 1]

`--scale N` repeats the sample's rows N times with the years shifted, to see how reading grows.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import openpyxl

from kpi_utils.common.paths import sample_counts_path
from kpi_utils.common.registry import load_registry, resolver
from kpi_utils.sources.inputs import read_counts

TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def cp1258(text: str) -> bytes:
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def sample_rows(scale: int) -> list[list[str]]:
    with sample_counts_path().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    out = []
    for k in range(scale):
        for unit, month, total, online in rows:
            year = int(month[:4]) + 2 * k
            out.append([unit, f"{year}{month[4:]}", total, online])
    return out


def text(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def files(folder: Path, scale: int) -> dict[str, Path]:
    rows = sample_rows(scale)
    names = dict(
        zip(load_registry()["unit_code"], load_registry()["name_in_decision"], strict=True)
    )
    vi = [[names[u], f"T{m[5:]}/{m[:4]}", t, o] for u, m, t, o in rows]
    vi_header = ["Cơ quan, đơn vị", "Tháng", "Tổng số hồ sơ", "Số hồ sơ trực tuyến"]
    en = [["unit", "month", "total", "online"], *rows]
    out = {
        "utf-8 csv": (folder / "a.csv", text(en, ",").encode("utf-8")),
        "utf-8 BOM csv, vi names": (
            folder / "b.csv",
            text([vi_header, *vi], ",").encode("utf-8-sig"),
        ),
        "utf-16 tab txt, vi names": (
            folder / "c.txt",
            b"\xff\xfe" + text([vi_header, *vi], "\t").encode("utf-16-le"),
        ),
        "windows-1258 ; csv, vi names": (folder / "d.csv", cp1258(text([vi_header, *vi], ";"))),
    }
    paths = {}
    for label, (path, data) in out.items():
        path.write_bytes(data)
        paths[label] = path
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["BÁO CÁO SỐ HỒ SƠ TRỰC TUYẾN"])
    ws.append([])
    ws.append(vi_header)
    for unit, month, total, online in vi:
        ws.append([unit, month, int(total), int(online)])
    ws.merge_cells("A1:D1")
    book.save(folder / "e.xlsx")
    paths["xlsx under a title, vi names"] = folder / "e.xlsx"
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args(argv)
    units = resolver()
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in files(Path(tmp), args.scale).items():
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                loaded = read_counts([path], units)
                best = min(best, time.perf_counter() - start)
            if loaded.problems or len(loaded.frame) != 648 * args.scale:
                print(f"{label}: did not read cleanly: {loaded.problems[:3]}", file=sys.stderr)
                return 1
            size = path.stat().st_size / 1024
            print(f"{label:32s} {len(loaded.frame):6d} rows {size:8.1f} KiB {best * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
