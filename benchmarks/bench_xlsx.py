"""Benchmark: `kpi-report ingest` of a 1,000,000-row XLSX dossier export, against the reader's floor.

Run on demand, never in the tests:

    .venv/bin/python benchmarks/bench_xlsx.py [--rows 1000000] [--repeat 3] [--keep]

It writes a SYNTHETIC export (the rows of `bench_ingest.py`: a title row, the header on row 2,
received and completed as date-time cells, due as a date cell, the rest as text) with a small
streaming writer of its own (the sheet's XML straight into the zip: a million rows in seconds,
where openpyxl's write-only mode takes minutes), under /tmp, and deletes it at the end unless
`--keep`. Then, each in a fresh subprocess, interleaved `--repeat` times:

1. the floor: fastexcel's own read of the sheet into Arrow (every cell as text, as ingest reads it);
2. `kpi-report ingest` of the workbook (with the catalogue of bench_ingest).

Each reports wall and CPU time and peak RSS (see `bench_ingest._child`). Targets (issue 18 item 5):
ingest at most 1.5x the floor, at least 100,000 rows a second, peak RSS under 1 GB. The load
average is printed beside the numbers: this is a shared two-core machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest  # the same synthetic rows and child-process timing

ROOT = Path(__file__).resolve().parents[1]
EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")
BATCH = 100_000

_FILES = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Hồ sơ" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    ),
    # Style 1: a date and time (built-in format 22), style 2: a date (built-in format 14).
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
}


def _text_cell(value: str | None) -> str:
    return "" if value is None else f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _serials(column: pa.ChunkedArray) -> list[str | None]:
    """Excel date serials (days since 1899-12-30) as text, None where the date is missing."""
    seconds = pc.cast(column.cast(pa.timestamp("s")), pa.int64())
    epoch = int(EXCEL_EPOCH.astype(np.int64))
    days = pc.divide(pc.cast(pc.subtract(seconds, epoch), pa.float64()), 86400.0)
    return [None if d is None else repr(d) for d in days.to_pylist()]


def write_xlsx(rows: int, path: Path) -> None:
    """The export as a workbook: title on row 1, header on row 2, `rows` dossiers below."""
    rng = np.random.default_rng(bench_ingest.SEED)
    units = bench_ingest._units()
    labels = pa.array(["", "Trực tiếp", "Trực tuyến", "Bưu chính công ích"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _FILES.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            # Excel writes the used range; openpyxl (the header's reader) scans the whole sheet
            # for it when it is missing.
            sheet.write(f'<dimension ref="A1:H{rows + 2}"/><sheetData>'.encode())
            title = _text_cell("DANH SÁCH HỒ SƠ (SYNTHETIC)")
            header = "".join(_text_cell(c) for c in bench_ingest.COLUMNS)
            sheet.write(f'<row r="1">{title}</row><row r="2">{header}</row>'.encode())
            done = 0
            while done < rows:
                n = min(BATCH, rows - done)
                table = bench_ingest._batch(rng, done, n, units)
                channel = pc.take(labels, pc.cast(table["Kênh thực hiện"], pa.int32()))
                columns = [
                    [_text_cell(v) for v in table["Mã hồ sơ"].to_pylist()],
                    [_text_cell(v) for v in pc.cast(table["Mã TTHC"], pa.string()).to_pylist()],
                    [
                        _text_cell(v)
                        for v in pc.cast(table["Cơ quan/đơn vị"], pa.string()).to_pylist()
                    ],
                    [_text_cell(v) for v in channel.to_pylist()],
                    [f'<c s="1"><v>{v}</v></c>' for v in _serials(table["Ngày tiếp nhận"])],
                    [f'<c s="2"><v>{v}</v></c>' for v in _serials(table["Ngày hẹn trả"])],
                    [
                        "" if v is None else f'<c s="1"><v>{v}</v></c>'
                        for v in _serials(table["Ngày kết thúc xử lý"])
                    ],
                    pc.cast(table["Trạng thái"], pa.string()).to_pylist(),
                ]
                # The status cell names its column: the completion date before it may be absent.
                lines = [
                    f'<row r="{r}">{"".join(cells)}<c r="H{r}" t="inlineStr"><is><t>'
                    f"{escape(status)}</t></is></c></row>"
                    for r, (*cells, status) in enumerate(zip(*columns, strict=True), start=done + 3)
                ]
                sheet.write("".join(lines).encode())
                done += n
            sheet.write(b"</sheetData></worksheet>")


# Peak RSS from /proc/self/status (VmHWM): `ru_maxrss` of a child keeps the parent's peak from
# before the exec (this script holds a batch of rows while it writes the workbook).
PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
FLOOR = f"""
import json, sys, time
t0 = time.perf_counter()
import fastexcel, pyarrow
t = time.perf_counter()
sheet = fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=None, dtypes="string")
table = sheet.to_arrow()
print(json.dumps({{"rows": table.num_rows, "import_s": round(t - t0, 2),
                  "work_s": round(time.perf_counter() - t, 2), "rss_kb": {PEAK}}}))
"""
INGEST = bench_ingest.INGEST.replace("resource.getrusage(resource.RUSAGE_SELF).ru_maxrss", PEAK)


def _median(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the workbook (under /tmp)")
    args = parser.parse_args(argv)
    compileall.compile_dir(ROOT / "src", quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="kpi-bench-xlsx-"))
    xlsx = folder / f"dossiers_{args.rows}.xlsx"
    catalogue = folder / "catalogue.csv"
    try:
        start = time.perf_counter()
        pacsv.write_csv(bench_ingest.catalogue_table(), catalogue)
        write_xlsx(args.rows, xlsx)
        print(
            f"data: {xlsx} {xlsx.stat().st_size / 1e6:.0f} MB "
            f"({time.perf_counter() - start:.0f} s to write)"
        )
        print(f"load average before: {os.getloadavg()}")
        floors, ingests = [], []
        for _ in range(args.repeat):
            floors.append(bench_ingest._child(FLOOR, str(xlsx)))
            print(f"floor (fastexcel read into Arrow): {floors[-1]}", flush=True)
            out = str(folder / "counts.csv")
            ingests.append(bench_ingest._child(INGEST, str(xlsx), str(catalogue), out))
            print(f"ingest xlsx: {ingests[-1]}", flush=True)
        floor, ingest = _median(floors, "wall_s"), _median(ingests, "wall_s")
        peak = max(r["peak_rss_mb"] for r in ingests)
        print(
            f"medians of {args.repeat}: floor {floor} s, ingest {ingest} s wall; "
            f"ratio {ingest / floor:.2f} (target <= 1.5); "
            f"{args.rows / ingest:,.0f} rows/s (target >= 100,000); "
            f"peak RSS {peak} MB (target < 1024)"
        )
        pairs = sorted(i["wall_s"] / f["wall_s"] for f, i in zip(floors, ingests, strict=True))
        print(f"  each ingest against the floor run just before it: {pairs}")
        print(f"load average after: {os.getloadavg()}")
    finally:
        if not args.keep:
            for item in folder.iterdir():
                item.unlink()
            folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
