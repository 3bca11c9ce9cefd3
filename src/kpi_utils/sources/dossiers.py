"""Dossier-level exports: one row per dossier, from CSV, XLSX or Parquet, staged for DuckDB.

`open_source` turns one export into a `DossierSource`: what DuckDB scans (the export itself when
it is Parquet, a staged Parquet copy of a CSV in a temporary folder, the Arrow columns of a
workbook, held in memory) together with which of
its columns holds each canonical field (`headers.DOSSIERS`) and the spreadsheet row number of every
record (header row = 1 for Parquet; for CSV/XLSX the row a spreadsheet user sees).

- Parquet is read where it lies: nothing is copied; its row number is `file_row_number + 2`.
- CSV: the header row and the encoding are found on the first 256 KiB by `tables.read_table` (the
  one file reader). The body is streamed through pyarrow's CSV reader (which transcodes UTF-16 and
  Windows-1258 as it goes) into an uncompressed Parquet copy, every cell as text, in batches:
  memory stays bounded. Cells are trimmed, and empty ones are null, as `read_table` reads them
  (NFC, which costs pyarrow more than all the rest, is left to the per-value maps in `aggregate`:
  ids and the cells duplicates are compared on are taken as their bytes). The fast reader cannot see blank lines or line breaks
  inside quoted cells, so its row numbers are trusted only when its row count matches the file's
  line count; otherwise the file is streamed again with Python's csv module (trimmed, NFC), which
  numbers rows as `read_table` does.
- XLSX: `tables.read_table_columns` reads the workbook into Arrow text columns (fastexcel, in
  Rust; openpyxl for the workbooks whose formulas or error cells need it: `tables.workbook_reader`
  decides), with the header found below title rows and spreadsheet row numbers; date cells are
  written as ISO text. The sheet is held in memory (at most 1,048,576 rows), and DuckDB scans its
  Arrow columns there: no copy is written.

Cells are parsed later, in SQL (`aggregate`), so all three formats go through the same rules.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from kpi_utils.common.names import collapse_spaces
from kpi_utils.common.problems import Problem, column_letter, damaged, error
from kpi_utils.sources import headers
from kpi_utils.sources.catalogue import is_parquet
from kpi_utils.sources.tables import (
    HEADER_SEARCH_ROWS,
    RawTable,
    os_reason,
    read_bytes,
    read_table,
    read_table_columns,
)

HEAD_BYTES = 256 * 1024
HEAD_ROWS = HEADER_SEARCH_ROWS + 100  # of a workbook, to tell which kind of table it holds
# The staged copy lives for one run: no compression (it costs more than it saves), no statistics,
# and dictionary pages only for columns of few distinct values (saves about 2 s of CPU per 10
# million rows: for ids and timestamps a dictionary is built, overflows and is thrown away).
STAGED_PARQUET = {
    "compression": "none",
    "write_statistics": False,
    "use_dictionary": ["procedure_code", "agency", "channel", "due", "status", "commune"],
}
BATCH_ROWS = 200_000
DATE_FIELDS = ("received", "due", "completed")

ONLINE_CHANNEL = 2
_CHANNEL_WORDS = {
    "trực tiếp": 1,
    "tại quầy": 1,
    "direct": 1,
    "in person": 1,
    "trực tuyến": 2,
    "online": 2,
    "dịch vụ công trực tuyến": 2,
    "bưu chính công ích": 3,
    "bưu chính": 3,
    "dịch vụ bưu chính công ích": 3,
    "qua bưu chính công ích": 3,
    "postal": 3,
}
_CHANNEL_DIGIT = re.compile(r"^0?(?P<code>[1-3])(?:\.0+)?$")


def parse_channel(value: object) -> int | None:
    """1 (in person), 2 (online) or 3 (public postal service) from a code or its Vietnamese label.

    Labels match regardless of case and Unicode form (composed or decomposed).
    """
    if value is None:
        return None
    key = unicodedata.normalize("NFC", collapse_spaces(str(value))).casefold()
    match = _CHANNEL_DIGIT.match(key)
    if match:
        return int(match["code"])
    return _CHANNEL_WORDS.get(key)


@dataclass(frozen=True)
class DossierSource:
    """One dossier export as DuckDB will read it."""

    name: str  # as problems name the file (the path given)
    path: str
    parquet: str  # the file DuckDB scans ("" when it scans `table`)
    columns: dict[str, str]  # canonical field -> column name in `parquet` (or `table`)
    labels: dict[str, str]  # canonical field -> column label in the source, e.g. `C (Mã TTHC)`
    row_column: str | None  # column holding the spreadsheet row; None: file_row_number + 2
    rows: int
    sha256: str
    # A workbook's cells, already in memory as Arrow: DuckDB scans them where they are (writing
    # them to Parquet to read them back cost a tenth of the read).
    table: object = None  # pyarrow.Table


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def open_source(
    path: str | Path, staging: Path, label: str | None = None, sheet: str | None = None
) -> tuple[DossierSource | None, list[Problem]]:
    """Prepare one export for DuckDB; `staging` is a folder for staged copies (caller removes it)."""
    name = label or str(path)
    path = Path(path)
    if path.is_dir():
        return None, [error(name, "cannot read the file: it is a folder")]
    if not path.is_file():
        return None, [error(name, "cannot read the file: no such file")]
    if is_parquet(path):
        return _parquet_source(path, name)
    try:
        head, _ = read_bytes(path, 4)
    except OSError as exc:
        return None, [error(name, f"cannot read the file: {os_reason(exc)}")]
    if head.startswith(b"PK\x03\x04") or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _workbook_source(path, name, staging, sheet)
    return _csv_source(path, name, staging)


# --- Parquet ----------------------------------------------------------------------------------


def _parquet_source(path: Path, name: str) -> tuple[DossierSource | None, list[Problem]]:
    try:
        meta = pq.ParquetFile(path)
        names = list(meta.schema_arrow.names)
        rows = meta.metadata.num_rows
    except Exception as exc:  # pyarrow raises several kinds on damaged files
        return None, [error(name, damaged("not a readable Parquet file", exc))]
    mapped = headers.map_headers(headers.DOSSIERS, names)
    missing = [f for f in headers.DOSSIERS.required if f not in mapped]
    if missing:
        return None, [_missing(name, f, 1) for f in missing]
    columns = {f: names[i] for f, i in mapped.items()}
    labels = {f: f"{column_letter(i)} ({names[i]})" for f, i in mapped.items()}
    return DossierSource(name, str(path), str(path), columns, labels, None, rows, ""), []


def _missing(name: str, field_name: str, row: int) -> Problem:
    need = ", ".join(headers.DOSSIERS.required)
    return error(
        name,
        f"missing required column {field_name!r} (a dossier export needs {need})",
        row=row,
        column=field_name,
    )


# --- XLSX -------------------------------------------------------------------------------------


def _workbook_source(
    path: Path, name: str, staging: Path, sheet: str | None
) -> tuple[DossierSource | None, list[Problem]]:
    read, problems = read_table_columns(path, headers.DOSSIERS, sheet=sheet, label=name)
    if read is None:
        return None, problems
    cells = read.cells.cast(_staged_schema(list(read.table.columns)))
    source = _staged(read.table, path, "", cells.num_rows, read.table.sha256)
    # problems of a readable table (a row wider than its header) are errors: never dropped here
    return dataclasses.replace(source, table=cells), problems


def _staged_schema(fields: list[str]) -> pa.Schema:
    return pa.schema([("row", pa.int64()), *[(f, pa.string()) for f in fields]])


def _staged_path(staging: Path, path: Path) -> Path:
    return Path(tempfile.mkstemp(dir=staging, prefix=f"{path.stem}.", suffix=".parquet")[1])


def _staged(
    table: RawTable, path: Path, target: Path | str, rows: int, sha256: str
) -> DossierSource:
    fields = list(table.columns)
    return DossierSource(
        table.file,
        str(path),
        str(target),
        {f: f for f in fields},
        {f: table.column_label(f) for f in fields},
        "row",
        rows,
        sha256,
    )


# --- CSV --------------------------------------------------------------------------------------


def _csv_source(path: Path, name: str, staging: Path) -> tuple[DossierSource | None, list[Problem]]:
    # The header, the encoding and the delimiter, from the head of the file (`tables` decodes it).
    table, problems = read_table(path, headers.DOSSIERS, label=name, head=HEAD_BYTES)
    if table is None:
        return None, problems
    encoding, delimiter = table.encoding, table.delimiter
    target = _staged_path(staging, path)
    try:
        rows = _stage_csv_fast(path, encoding, delimiter, table, target)
        if rows is None:
            rows = _stage_csv_exact(path, encoding, delimiter, table, target)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            return None, [error(name, f"unreadable text in {encoding}: {exc.reason}")]
        encoding = "cp1258"  # the head was UTF-8 but the body is not: Windows-1258, as tables reads
        try:
            rows = _stage_csv_exact(path, encoding, delimiter, table, target)
        except UnicodeDecodeError:
            return None, [error(name, "unreadable text: not UTF-8, UTF-16 or Windows-1258")]
    except csv.Error as exc:
        return None, [error(name, f"not a readable CSV table: {exc}")]
    return _staged(table, path, target, rows, ""), []  # sha256: `aggregate` hashes it meanwhile


def _count_lines(path: Path, encoding: str) -> int:
    """Lines in the file (a last line without a line break counts too)."""
    newline = "\n".encode(encoding.replace("-sig", ""))
    if encoding == "utf-16":
        newline = b"\n\x00"  # little-endian, the BOM Windows writes; big-endian fails the check
    count, last = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            count += chunk.count(newline)
            last = chunk
    return count + (0 if last.endswith(newline) else 1) if last else 0


def _stage_csv_fast(
    path: Path, encoding: str, delimiter: str, table: RawTable, target: Path
) -> int | None:
    """Stream with pyarrow; None when its rows cannot be numbered exactly (caller falls back)."""
    import pyarrow.csv as pacsv

    width = len(table.headers)
    names = [f"c{i}" for i in range(width)]
    wanted = {f: names[i] for f, i in table.columns.items()}
    bad_rows = []

    def invalid(row) -> str:
        bad_rows.append(row)
        return "skip"

    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                skip_rows=table.header_row,
                column_names=names,
                encoding="utf8" if encoding == "utf-8" else encoding,
                block_size=1 << 22,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=False, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in wanted.values()},
                include_columns=list(wanted.values()),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    first_row = table.header_row + 1
    rows = 0
    schema = _staged_schema(list(wanted))
    with pq.ParquetWriter(target, schema, **STAGED_PARQUET) as writer:
        try:
            for batch in reader:
                n = batch.num_rows
                numbers = _row_numbers(first_row + rows, n)
                cells = [_trimmed(batch.column(column)) for column in wanted.values()]
                writer.write_batch(_non_blank(numbers, cells, schema))
                rows += n
                if bad_rows:
                    return None
        except (pa.ArrowInvalid, UnicodeDecodeError):
            return None
    if rows + table.header_row != _count_lines(path, encoding):
        return None
    return rows


def _row_numbers(first: int, n: int) -> pa.Array:
    """first, first + 1, ... as an Arrow int64 array, from numpy's buffer (`pa.array` of a range
    or of a numpy array loads pandas, which `kpi-report ingest` otherwise never needs)."""
    numbers = np.arange(first, first + n, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(numbers)])


def _trimmed(cells: pa.Array) -> pa.Array:
    """Cells without surrounding whitespace, and null where nothing else is left: as
    `tables.read_table` (and `_stage_csv_exact`) reads them, so that "A01 " and "A01" are the same
    dossier id whichever reader staged the file."""
    import pyarrow.compute as pc  # here: Parquet exports never need it, and it takes 0.05 s to load

    trimmed = pc.utf8_trim_whitespace(cells)
    return pc.if_else(pc.greater(pc.utf8_length(trimmed), 0), trimmed, None)


def _non_blank(numbers: pa.Array, cells: list[pa.Array], schema: pa.Schema) -> pa.RecordBatch:
    """The batch without rows whose every cell is empty (`tables` skips those too).

    Cells come trimmed, empty ones as nulls (`_trimmed`).
    """
    batch = pa.record_batch([numbers, *cells], schema=schema)
    if all(c.null_count == 0 for c in cells):
        return batch
    import pyarrow.compute as pc  # here: Parquet exports never need it, and it takes 0.05 s to load

    keep = cells[0].is_valid()
    for c in cells[1:]:
        keep = pc.or_(keep, c.is_valid())
    return batch.filter(keep)


def _stage_csv_exact(
    path: Path, encoding: str, delimiter: str, table: RawTable, target: Path
) -> int:
    """Stream with Python's csv module, numbering rows as `tables.read_table` does."""
    fields = list(table.columns)
    indexes = [table.columns[f] for f in fields]
    schema = _staged_schema(fields)
    rows = 0
    with (
        path.open(encoding=encoding, newline="") as handle,
        pq.ParquetWriter(target, schema, **STAGED_PARQUET) as writer,
    ):
        batch: list[tuple[int, list[str]]] = []
        for number, cells in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            if number <= table.header_row:
                continue
            picked = [_nfc(cells[i]).strip() if i < len(cells) else "" for i in indexes]
            if any(picked):
                batch.append((number, picked))
            if len(batch) >= BATCH_ROWS:
                writer.write_batch(_batch(batch, schema))
                rows += len(batch)
                batch = []
        if batch:
            writer.write_batch(_batch(batch, schema))
            rows += len(batch)
    return rows


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _batch(batch: list[tuple[int, list[str]]], schema: pa.Schema) -> pa.RecordBatch:
    numbers = [number for number, _ in batch]
    columns = list(zip(*(picked for _, picked in batch), strict=True))
    arrays = [pa.array(numbers, pa.int64())]
    arrays += [pa.array([v or None for v in column], pa.string()) for column in columns]
    return pa.record_batch(arrays, schema=schema)


# --- telling kinds of file apart --------------------------------------------------------------


def file_kind(path: str | Path, sheet: str | None = None) -> str:
    """`dossiers`, `catalogue` or `counts`, by the header the file carries.

    Monthly counts are the default: a file that is none of the three is read as counts, whose
    reader then reports what is missing.
    """
    path = Path(path)
    schemas = (("dossiers", headers.DOSSIERS), ("catalogue", headers.CATALOGUE))
    if is_parquet(path):
        try:
            names = list(pq.ParquetFile(path).schema_arrow.names)
        except Exception:  # unreadable: let the dossier reader say why
            return "dossiers"
        for kind, schema in schemas:
            if all(f in headers.map_headers(schema, names) for f in schema.required):
                return kind
        return "counts"
    for kind, schema in (("counts", headers.COUNTS), *schemas):
        # a text file's head, a workbook's first rows tell its kind: reading a million rows
        # three times would not (`read_table` decodes the head as every reader does)
        table, _ = read_table(path, schema, sheet=sheet, head=HEAD_BYTES, max_rows=HEAD_ROWS)
        if table is not None:
            return kind
    return "counts"
