"""Reading a CSV or XLSX file into a raw grid of cells under a recognised header row.

This is the one file reader. It knows encodings (UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1258), delimiters (comma, semicolon, tab), line endings, workbooks whose header is not on
the first row (or spans two rows under a merged group cell), and files that are not tables at all.
It never raises on a bad file: it returns the problems instead, so that `check` can report every
file in one pass.

Workbooks are read cell by cell by openpyxl (`read_table`, `read_grids`), except that a large
table can be read into Arrow columns (`read_table_columns`, for dossier exports): by fastexcel
(Rust, one read of the sheet) unless its cells need openpyxl (formulas, error cells); the same
header, row numbers and cell texts either way.

What it refuses, and why: a header with no data rows (an export cut short reads as "no counts");
text dense with control characters (binary); a UTF-8 file with a few bad bytes (named by row,
rather than decoding the whole file as Windows-1258 and garbling every name). A workbook never
calculated (formulas without saved values) shows the formula text in its cells, so they fail to
parse instead of reading as empty.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import hashlib
import io
import re
import threading
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from kpi_utils.common.problems import Problem, column_letter, damaged, error, plain_reason
from kpi_utils.sources.headers import Schema

HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class RawTable:
    """Cells of one file under its header row. Row numbers count as a spreadsheet user counts."""

    file: str
    sha256: str
    header_row: int
    headers: list[str]
    columns: dict[str, int]  # canonical field -> column index
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    # Rows with cells right of the last header cell (an error each, returned with the table):
    # kept in `rows` so no reader loses a row silently, but never to be read by position.
    wide_rows: frozenset[int] = frozenset()
    encoding: str | None = None  # the text's encoding (`decode_bytes`); None for a workbook
    delimiter: str | None = None  # the text's delimiter (the one its header was found with)

    def readable_rows(self) -> list[tuple[int, list[object]]]:
        """The rows whose cells can be read by position: every row but the wide ones (each of
        those is an error already, naming its extra cells)."""
        return [(row, cells) for row, cells in self.rows if row not in self.wide_rows]

    def column_label(self, field_name: str) -> str:
        """How a user finds a column: its letter and its header text, e.g. `C (Trực tuyến)`."""
        index = self.columns[field_name]
        return f"{column_letter(index)} ({self.headers[index]})"

    def cell(self, cells: list[object], field_name: str) -> object:
        index = self.columns.get(field_name)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_table(
    path: str | Path,
    schema: Schema,
    sheet: str | None = None,
    label: str | None = None,
    head: int | None = None,
    max_rows: int | None = None,
) -> tuple[RawTable | None, list[Problem]]:
    """Read `path` as a table of `schema`'s kind. Returns (table or None, problems).

    `head`: read only the first `head` bytes of a text file (whole lines), to find the header,
    the encoding and the delimiter of a large export. `max_rows`: read only the first rows of a
    workbook (enough to tell what kind of table a file holds without reading a million rows).
    """
    name = label or str(path)
    read = _read(path, sheet, name, head, max_rows)
    if read.problems:
        return None, read.problems
    table, problems = _locate_header(read.grids, schema, name, read.sha256, read.encoding)
    if table is None and read.encoding is None:
        hint = _other_sheets_hint(path, sheet)
        problems = [dataclasses.replace(p, message=p.message + hint) for p in problems]
    return table, problems


def _other_sheets_hint(path: str | Path, sheet: str | None) -> str:
    """When a workbook's sheet holds no table, say which sheet was read and which others exist."""
    try:
        book = open_read_only(Path(path), data_only=False)
        names = list(book.sheetnames)
        first = book.worksheets[0].title
        book.close()
    except Exception:  # the sheet was read a moment ago; if it cannot be now, give no hint
        return ""
    if len(names) < 2:
        return ""
    read = sheet if sheet is not None else first
    others = ", ".join(repr(n) for n in names if n != read)
    return f" (in sheet {read!r}; the workbook also has {others}: choose one with --sheet)"


def read_grids(
    path: str | Path,
    sheet: str | None = None,
    label: str | None = None,
    head: int | None = None,
    max_rows: int | None = None,
) -> tuple[list[list[list[object]]], str, list[Problem]]:
    """The raw cells of a file, for layouts that are not one header row over data (report forms).

    Returns (grids, sha256, problems): one grid for a workbook sheet, one per candidate delimiter
    for text; cells are NFC-stripped strings, numbers, dates or None, row 1 first. `head`: as in
    `read_table`.
    """
    read = _read(path, sheet, label or str(path), head, max_rows)
    return read.grids, read.sha256, read.problems


@dataclass
class _Read:
    grids: list[list[list[object]]]
    sha256: str
    problems: list[Problem]
    encoding: str | None = None  # text only


def _read(
    path: str | Path, sheet: str | None, name: str, head: int | None, max_rows: int | None = None
) -> _Read:
    try:
        data, partial = read_bytes(path, head)
    except OSError as exc:
        return _Read([], "", [error(name, f"cannot read the file: {os_reason(exc)}")])
    if not data.strip():
        return _Read([], "", [error(name, "the file is empty")])
    if data.startswith(b"PK\x03\x04") or Path(path).suffix.lower() in {".xlsx", ".xlsm"}:
        if partial:
            data, _ = read_bytes(path)
        grids, problems = _workbook_grid(data, name, sheet, max_rows)
        return _Read(grids, file_sha256(data), problems)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        message = "an old binary Excel (.xls) file: save it as .xlsx or CSV"
        return _Read([], "", [error(name, message)])
    text, encoding, problems = decode_bytes(data, name, partial=partial)
    if text is None:
        return _Read([], "", problems)
    grids, problems = _text_grids(text, name)
    return _Read(grids, file_sha256(data), problems, encoding)


def read_bytes(path: str | Path, head: int | None = None) -> tuple[bytes, bool]:
    """The bytes of a file, or its first `head` bytes: (data, whether the file goes on)."""
    with open(path, "rb") as handle:
        if head is None:
            return handle.read(), False
        data = handle.read(head + 1)
    return data[:head], len(data) > head


def os_reason(exc: OSError) -> str:
    """What went wrong, in the system's words ("No such file or directory"), without `[Errno]`."""
    return plain_reason(exc) or "the system refused it"


# --- text files: the one decoder --------------------------------------------------------------


def decode_text(data: bytes) -> str | None:
    """Decode by BOM, else UTF-8, else Windows-1258; None when none fits. Result is NFC."""
    text, _ = _decode(data, partial=False)
    return text


def _encodings(data: bytes) -> tuple[str, ...]:
    if data.startswith(b"\xef\xbb\xbf"):
        return ("utf-8-sig",)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    return ("utf-8", "cp1258")


def _decode(data: bytes, partial: bool) -> tuple[str | None, str]:
    """(NFC text, encoding) by BOM, else UTF-8, else Windows-1258; text None when none fits.

    `partial`: `data` is the head of a longer file: a character cut at its end is no error.
    """
    encodings = _encodings(data)
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=not partial)
        except UnicodeDecodeError:
            continue
        return unicodedata.normalize("NFC", text), encoding
    return None, encodings[-1]


def _whole_lines(data: bytes) -> bytes:
    """The head of a file up to its last line break (all of it when it has none)."""
    if data.startswith(b"\xff\xfe"):
        newline = b"\n\x00"
    elif data.startswith(b"\xfe\xff"):
        newline = b"\x00\n"
    else:
        newline = b"\n"
    end = data.rfind(newline)
    while len(newline) == 2 and end > 0 and end % 2:  # UTF-16: code units start at even bytes
        end = data.rfind(newline, 0, end)
    return data[: end + len(newline)] if end > 0 else data


def decode_bytes(
    data: bytes, name: str, partial: bool = False
) -> tuple[str | None, str, list[Problem]]:
    """The one decoder of text inputs: (NFC text or None, encoding, problems).

    Every reader of text decodes here (tables, the dossier head, kind detection), so that a file
    reads the same whichever command opens it. The encoding is a Python codec name (`utf-8-sig`,
    `utf-16`, `utf-8`, `cp1258`) to stream the rest of a long file with. Refused, with a problem:
    binary data, UTF-8 with a few bad bytes (named by line), text in no known encoding.
    `partial`: `data` is the head of a longer file: decoded up to its last line break.
    """
    if partial:
        data = _whole_lines(data)
    has_bom = data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data and not has_bom:
        return None, "", [error(name, "a binary file, not a CSV or XLSX table")]
    damage = _utf8_damage(data, partial)
    if damage is not None:
        line, byte = damage
        return (
            None,
            "utf-8",
            [
                error(
                    name,
                    f"not valid UTF-8 at byte 0x{byte:02X} although the rest of the file is "
                    "UTF-8 (text pasted from another encoding?): fix the row or save the file "
                    "as UTF-8",
                    row=line,
                )
            ],
        )
    text, encoding = _decode(data, partial)
    if text is None:
        message = "unreadable text: not UTF-8, UTF-16 (with BOM) or Windows-1258"
        return None, encoding, [error(name, message)]
    controls = _CONTROL.findall(text)
    # Binary data decoded as Windows-1258 is about one control character in eight; a stray one
    # in real text is left in its cell, where it fails to parse with its row and column.
    if "\x00" in text or len(controls) > max(2, len(text) // 200):
        bad = _CONTROL.search(text)
        line = text.count("\n", 0, bad.start()) + 1
        message = "a binary file, not a CSV or XLSX table"
        return None, encoding, [error(name, message, row=line, value=repr(bad.group()))]
    return text, encoding, []


def _utf8_damage(data: bytes, partial: bool = False) -> tuple[int, int] | None:
    """(line, byte) of the first bad byte in text that is otherwise UTF-8, else None.

    Without this, one line pasted from a Windows-1258 file makes the whole UTF-8 file decode as
    Windows-1258, and every Vietnamese name in it turns into an "unknown unit". Text counts as
    UTF-8 when it has a UTF-8 BOM or more well-formed non-ASCII characters than bad bytes
    (Windows-1258 text has almost none: its letters are not followed by UTF-8 continuation bytes).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    has_bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if has_bom else data
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=not partial)
        return None
    except UnicodeDecodeError as exc:
        first = exc.start
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if has_bom or good > bad:
        return body[:first].count(b"\n") + 1, body[first]
    return None


def _text_grids(text: str, name: str) -> tuple[list[list[list[object]]], list[Problem]]:
    grids = []
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            return [], [error(name, f"not a readable CSV table: {exc}")]
        grids.append([[_clean(c) for c in row] for row in rows])
    return grids, []


# --- workbooks --------------------------------------------------------------------------------


def _workbook_grid(
    data: bytes, name: str, sheet: str | None, max_rows: int | None = None
) -> tuple[list[list[list[object]]], list[Problem]]:
    try:
        grid = _sheet_cells(data, sheet, data_only=True, max_rows=max_rows)
        if _has_formulas(data):
            formulas = _sheet_cells(data, sheet, data_only=False, max_rows=max_rows)
            _show_uncalculated_formulas(grid, formulas)
        grid = [[_clean(c) for c in row] for row in grid]
    except _NoSheet as exc:
        return [], [error(name, str(exc))]
    except Exception as exc:  # openpyxl raises many kinds on damaged files (BadZipFile, ...)
        return [], [error(name, damaged("not a readable XLSX workbook", exc))]
    return [grid], []


def _show_uncalculated_formulas(grid: list[list[object]], formulas: list[list[object]]) -> None:
    """Put each formula's text in its cell when the sheet was never calculated.

    A workbook written by a script and never opened in Excel saves formulas without values, and
    they would read as empty cells (rows silently skipped). When no formula of the sheet has a
    saved value, the formula text goes in the cell instead, so it fails to parse with the formula
    as its value. A sheet Excel saved keeps its values (a blank result reads as empty).
    """
    cells = [
        (r, c)
        for r, row in enumerate(formulas)
        for c, formula in enumerate(row)
        if isinstance(formula, str) and formula.startswith("=")
    ]
    if any(r < len(grid) and c < len(grid[r]) and grid[r][c] is not None for r, c in cells):
        return
    for r, c in cells:
        if r < len(grid) and c < len(grid[r]):
            grid[r][c] = formulas[r][c]


class _NoSheet(Exception):
    pass


def _sheet_cells(
    data: bytes | Path, sheet: str | None, data_only: bool, max_rows: int | None = None
) -> list[list[object]]:
    return _sheet_rows(data, sheet, data_only, max_rows)[1]


def _sheet_rows(
    data: bytes | Path, sheet: str | None, data_only: bool, max_rows: int | None = None
) -> tuple[str, list[list[object]]]:
    """(the sheet's name, its raw cells from row 1), by openpyxl; `max_rows` of them at most."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    book = open_read_only(source, data_only)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _NoSheet(f"no sheet named {sheet!r}; the sheets are {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # Read-only sheets trust the stored <dimension>, which some exporters write as "A1":
        # forget it, so every row and column present in the file is read.
        ws.reset_dimensions()
        return ws.title, [list(row) for row in ws.iter_rows(max_row=max_rows, values_only=True)]
    finally:
        book.close()


_SIZE_LOCK = threading.Lock()


def open_read_only(source: object, data_only: bool) -> object:
    """openpyxl's read-only workbook, without its scan for each sheet's size.

    A read-only sheet takes its size from the file's `<dimension>`, and when there is none (openpyxl's
    own write-only mode writes none, nor do some exporters) it parses the whole sheet for it when the
    workbook is opened: a minute for a million rows, to read a header. The size is forgotten anyway
    (`reset_dimensions`), so it is not looked for.
    """
    import openpyxl  # imported here: only workbook inputs pay for it
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    with _SIZE_LOCK:
        get_size = ReadOnlyWorksheet._get_size
        ReadOnlyWorksheet._get_size = _no_size
        try:
            return openpyxl.load_workbook(source, read_only=True, data_only=data_only)
        finally:
            ReadOnlyWorksheet._get_size = get_size


def _no_size(sheet: object) -> None:
    return None


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(item))
            for item in archive.namelist()
            if item.startswith("xl/worksheets/") and item.endswith(".xml")
        )


# --- workbooks as Arrow columns ---------------------------------------------------------------
#
# A dossier export can hold a million rows: read cell by cell in Python (openpyxl) that takes
# minutes and gigabytes. fastexcel (calamine, in Rust) reads the sheet into Arrow text columns in
# seconds. It gives each cell's saved value only, so openpyxl reads the workbooks whose cells need
# more than that: formulas, whose text is shown when never calculated (`workbook_reader` scans the
# XML for them beside fastexcel's read), and error cells such as #N/A, which calamine reads as
# empty (fastexcel's read reports them). Either way the result is the same table: the header found
# by `_find_header` on the first rows, spreadsheet row numbers, cells as text (`cell_text`),
# trimmed, empty ones null, blank rows skipped. fastexcel reads the sheet once: the header is found
# in the same read as the data.


@dataclass
class TableColumns:
    """A table as Arrow columns: `row` (spreadsheet row, int64) then one text column per field of
    `table.columns`. `table` carries the header (its `rows` stay empty)."""

    table: RawTable
    cells: object  # pyarrow.Table (pyarrow is imported where a workbook is read)


def cell_text(value: object) -> str | None:
    """A cell as text, as a dossier export is staged: dates in ISO form, whole numbers without .0."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


# What makes a sheet need openpyxl: a formula (`<f>`, `<f t="shared" .../>`, or `<x:f>` under a
# namespace prefix) or an error cell (`t="e"`). Plain substring searches first (a regular
# expression over 200 MB of XML costs seconds); the exact pattern only where they hit.
_CELL_DETAIL = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=[\"']e[\"']")
_DETAIL_MARKS = (b"<f", b":f", b't="e"', b"t='e'")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_MARKS = (b"<f", b":f")


def workbook_reader(path: str | Path, error_cells: bool = True) -> str:
    """`openpyxl` or `fastexcel`: the one place that picks the reader of a workbook's cells.

    openpyxl when a worksheet holds formulas or error cells (calamine, under fastexcel, gives
    only saved values: a formula never calculated would read as an empty cell, `#N/A` as empty)
    or when the file is not a readable zip (openpyxl's message names the fault); fastexcel else.
    `error_cells=False`: formulas only (the caller finds error cells in fastexcel's own read,
    which reports every cell it could not give as text: a third of the scan's time saved).
    """
    pattern, marks = (_CELL_DETAIL, _DETAIL_MARKS) if error_cells else (_FORMULA, _FORMULA_MARKS)
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = [i for i in archive.namelist() if i.startswith("xl/worksheets/")]
            if any(_needs_detail(archive, i, pattern, marks) for i in sheets if i.endswith(".xml")):
                return "openpyxl"
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return "openpyxl"
    return "fastexcel"


def _needs_detail(
    archive: zipfile.ZipFile, item: str, pattern: re.Pattern, marks: tuple[bytes, ...]
) -> bool:
    """Whether a sheet's XML holds `pattern`, read in chunks (it can be 200 MB)."""
    # Every formula mark has an `f`, a letter Vietnamese text hardly uses: one `memchr` tells
    # most chunks of a formula scan apart at a fraction of the cost of the marks' searches.
    letter = b"f" if all(b"f" in mark for mark in marks) else b""
    tail = b""
    with archive.open(item) as handle:
        while chunk := handle.read(1 << 20):
            seam = tail + chunk[:32]  # a mark cut in two by the chunking
            for text in (chunk, seam):
                if letter not in text:
                    continue
                if any(mark in text for mark in marks) and pattern.search(text):
                    return True
            tail = chunk[-32:]
    return False


def read_table_columns(
    path: str | Path, schema: Schema, sheet: str | None = None, label: str | None = None
) -> tuple[TableColumns | None, list[Problem]]:
    """Read a workbook as `read_table` does, into Arrow text columns (`TableColumns`)."""
    name = label or str(path)
    # fastexcel reads while `workbook_reader` scans the sheets' XML for formulas beside it
    # (fastexcel and zlib release the GIL); error cells are found by fastexcel's read itself.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reader = pool.submit(workbook_reader, path, error_cells=False)
        columns, problems = _fastexcel_columns(Path(path), schema, sheet, name)
        if reader.result() == "fastexcel" and (columns is not None or problems):
            return columns, problems
    del columns  # a sheet that needs openpyxl: fastexcel's read is thrown away
    table, problems = read_table(path, schema, sheet, label)
    if table is None:
        return None, problems
    return TableColumns(table, _text_columns(table)), problems


def _text_columns(table: RawTable) -> object:
    import pyarrow as pa

    fields = list(table.columns)
    rows = table.readable_rows()
    columns = {f: [cell_text(table.cell(cells, f)) for _, cells in rows] for f in fields}
    schema = pa.schema([("row", pa.int64()), *[(f, pa.string()) for f in fields]])
    return pa.table({"row": [row for row, _ in rows], **columns}, schema=schema)


def _fastexcel_columns(
    path: Path, schema: Schema, sheet: str | None, name: str
) -> tuple[TableColumns | None, list[Problem]]:
    """The table by fastexcel; (None, []) when openpyxl must say what is wrong (no such sheet, a
    file fastexcel cannot read): the caller reads the workbook with openpyxl instead."""
    import fastexcel
    import pyarrow as pa
    import pyarrow.compute as pc

    # One read of the sheet, every cell as text, row 1 first (`skip_rows=0`: without it fastexcel
    # starts at the first row that holds a value), so row i is spreadsheet row i + 1 and the
    # header is looked for in the same cells as the data.
    try:
        book = fastexcel.read_excel(path)
        if sheet is not None and sheet not in book.sheet_names:
            return None, []
        loaded = book.load_sheet(
            0 if sheet is None else sheet, header_row=None, skip_rows=0, dtypes="string"
        )
        batch, unread = loaded.to_arrow_with_errors()
        if unread is not None:  # error cells (`#N/A`) read as empty: openpyxl shows them
            return None, []
        by_index = {c.absolute_index: batch.column(c.name) for c in loaded.available_columns()}
    except Exception:  # anything fastexcel cannot read, openpyxl reads or explains
        return None, []
    del loaded, book  # calamine's copy of the sheet: the Arrow columns are all that is needed
    found, problems = _find_header([_head_grid(by_index)], schema, name)
    if found is None:
        hint = _other_sheets_hint(path, sheet)
        return None, [dataclasses.replace(p, message=p.message + hint) for p in problems]
    _, r, headers, columns = found  # r: the last header row, as an index of `batch` and of rows
    n = batch.num_rows - r - 1
    numbers = _row_numbers(r + 2, n)
    width = _header_width(headers)
    # Trimmed: the fields' columns and those right of the header (errors); the other columns
    # only when some row is empty in all of those (to tell a blank row from one that is not).
    used = {*columns.values(), *(c for c in by_index if c >= width)}
    indexes = [c for c in used if c in by_index]
    with ThreadPoolExecutor(max_workers=2) as pool:  # pyarrow's kernels release the GIL
        trimmed = pool.map(lambda c: _trimmed(by_index[c].slice(r + 1)), indexes)
        body = dict(zip(indexes, trimmed, strict=True))
    keep = _any_valid(body.values())
    if keep is not None and not pc.all(keep).as_py():
        rest = [_trimmed(column.slice(r + 1)) for c, column in by_index.items() if c not in used]
        keep = _any_valid([keep, *rest]) if rest else keep
    fields = list(columns)
    names = ["row", *fields]
    nulls = pa.nulls(n, pa.string())
    table = pa.table([numbers, *[body.get(columns[f], nulls) for f in fields]], names=names)
    extra = {c: column for c, column in body.items() if c >= width}
    if keep is not None and not pc.all(keep).as_py():
        table = table.filter(keep)
        extra = {c: column.filter(keep) for c, column in extra.items()}
    if table.num_rows == 0:
        return None, [error(name, f"no data rows under the header in row {r + 1}", row=r + 1)]
    problems = _wide_rows(name, table.column("row"), extra, width)
    wide = frozenset(p.row for p in problems)
    if wide:  # an error each, and never read by position (as `RawTable.readable_rows`)
        table = table.filter(pc.invert(pc.is_in(table.column("row"), pa.array(sorted(wide)))))
    raw = RawTable(name, "", r + 1, headers, columns, wide_rows=wide)
    return TableColumns(raw, table), problems


def _head_grid(by_index: dict[int, object]) -> list[list[object]]:
    """The first rows of a sheet read by fastexcel as `_find_header` takes them: cells cleaned,
    by column index from A, each row up to its last filled cell (as openpyxl gives it)."""
    rows = min((len(column) for column in by_index.values()), default=0)
    rows = min(rows, HEADER_SEARCH_ROWS + 1)
    width = max(by_index, default=-1) + 1
    grid: list[list[object]] = [[None] * width for _ in range(rows)]
    for c, column in by_index.items():
        for i, value in enumerate(column.slice(0, rows).to_pylist()):
            grid[i][c] = _clean(value)
    for row in grid:
        while row and row[-1] is None:
            row.pop()
    return grid


def _row_numbers(first: int, n: int) -> object:
    """first, first + 1, ... as an Arrow int64 array, from numpy's buffer (`pa.array` of a range
    or of a numpy array loads pandas, which `kpi-report ingest` otherwise never needs)."""
    import numpy as np
    import pyarrow as pa

    numbers = np.arange(first, first + n, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(numbers)])


def _trimmed(cells: object) -> object:
    """Cells without surrounding whitespace, null where nothing is left (as `_clean`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if _ends_are_not_spaces(cells):
        return cells  # what trimming would give, at a tenth of its cost
    # No Python scalar here (`0`, `None`): pyarrow imports pandas to convert one, half a second.
    trimmed = pc.utf8_trim_whitespace(cells)
    filled = pc.cast(pc.binary_length(trimmed), pa.bool_())
    if pc.all(filled).as_py():
        return trimmed
    return pc.if_else(filled, trimmed, pa.nulls(len(trimmed), pa.string()))


def _ends_are_not_spaces(cells: object) -> bool:
    """Whether no cell of a text column is empty or begins or ends with white space, told from
    its first and last bytes (numpy over Arrow's buffers). Conservative: False for any first or
    last character it does not know to be no space, and the column is trimmed.

    Known: printable ASCII; two-byte characters from U+00C0 (the spaces U+0085, U+00A0 are
    below); U+1E00 to U+1EFF, the Vietnamese letters with two marks (the spaces beginning with
    byte E1, U+1680 and U+180E, are elsewhere in that block of three-byte characters).
    """
    import numpy as np
    import pyarrow as pa

    if cells.type != pa.string() or len(cells) == cells.null_count:
        return False
    n, at = len(cells), cells.offset
    validity, offsets, data = cells.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32, count=n + 1, offset=at * 4)
    if cells.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        valid = bits[at : at + n].astype(bool)
        starts, ends = bounds[:-1][valid], bounds[1:][valid]
    else:
        starts, ends = bounds[:-1], bounds[1:]
    if data is None or np.any(ends <= starts):
        return False
    text = np.frombuffer(data, dtype=np.uint8)

    def printable(byte: np.ndarray) -> np.ndarray:
        return (byte >= 0x21) & (byte <= 0x7E)

    # Most cells begin and end with printable ASCII: only the others are looked at further.
    head = text[starts]
    other = ~printable(head)
    if other.any():
        first, at = head[other], starts[other]
        second = text[np.minimum(at + 1, ends[other] - 1)]
        two = (first >= 0xC3) & (first <= 0xDF)
        three = (first == 0xE1) & (second >= 0xB8) & (second <= 0xBB)
        if not np.all(two | three):
            return False
    last = text[ends - 1]
    other = ~printable(last)
    if other.any():  # the last character has more than one byte: its first byte decides
        last, end, begin = last[other], ends[other], starts[other]
        lead2 = text[np.maximum(end - 2, begin)]
        lead3 = text[np.maximum(end - 3, begin)]
        two = (lead2 >= 0xC3) & (lead2 <= 0xDF)
        three = (lead3 == 0xE1) & (lead2 >= 0xB8) & (lead2 <= 0xBB)
        continuation = (last >= 0x80) & (last <= 0xBF)
        if not np.all(continuation & (two | three)):
            return False
    return True


def _any_valid(columns: object) -> object:
    """Per row: whether any of `columns` holds a value (a boolean array itself counts as one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keep = None
    for column in columns:
        valid = column if column.type == pa.bool_() else column.is_valid()
        keep = valid if keep is None else pc.or_(keep, valid)
    return keep


def _wide_rows(name: str, numbers: object, extra: dict[int, object], width: int) -> list[Problem]:
    """`_wide_row`'s errors for the rows with cells right of the header (few, if any)."""
    if not extra:
        return []
    import pyarrow.compute as pc

    wide = None
    for column in extra.values():
        wide = column.is_valid() if wide is None else pc.or_(wide, column.is_valid())
    indexes = pc.indices_nonzero(wide).to_pylist()
    problems = []
    for i in indexes:
        cells: list[object] = [None] * (max(extra) + 1)
        for c, column in extra.items():
            cells[c] = column[i].as_py()
        problems.append(_wide_row(name, numbers[i].as_py(), cells, width))
    return [p for p in problems if p is not None]


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        return value or None
    if isinstance(value, datetime | date | int | float) or value is None:
        return value
    return str(value)


# --- header row -------------------------------------------------------------------------------


def _fields(schema: Schema, cells: list[object]) -> dict[str, int]:
    """Field -> column index of the cells of one row that name a field (first one wins)."""
    columns: dict[str, int] = {}
    for c, cell in enumerate(cells):
        field_name = schema.field_for(cell) if cell is not None else None
        if field_name is not None and field_name not in columns:
            columns[field_name] = c
    return columns


def _locate_header(
    grids: list[list[list[object]]],
    schema: Schema,
    name: str,
    sha256: str,
    encoding: str | None = None,
) -> tuple[RawTable | None, list[Problem]]:
    """Pick the grid (delimiter) and header whose cells name the most required fields, and take
    the rows under it (`_find_header`). `encoding`: the text's (then `grids` are one per
    delimiter of `DELIMITERS`); None: a workbook."""
    found, problems = _find_header(grids, schema, name)
    if found is None:
        return None, problems
    g, r, headers, columns = found
    grid = grids[g]
    rows = [
        (i + 1, cells)
        for i, cells in enumerate(grid[r + 1 :], start=r + 1)
        if any(c is not None for c in cells)
    ]
    if not rows:
        # A header alone is an empty file in disguise (an export cut short, the wrong sheet):
        # reading it as "no counts" would quietly turn every unit into no_data.
        return None, [error(name, f"no data rows under the header in row {r + 1}", row=r + 1)]
    width = _header_width(headers)
    problems = [p for row, cells in rows if (p := _wide_row(name, row, cells, width))]
    wide = frozenset(p.row for p in problems if p.row is not None)
    delimiter = DELIMITERS[g] if encoding is not None else None
    table = RawTable(
        name,
        sha256,
        r + 1,
        headers,
        columns,
        rows,
        wide_rows=wide,
        encoding=encoding,
        delimiter=delimiter,
    )
    return table, problems


def _header_width(headers: list[str]) -> int:
    return max((i + 1 for i, h in enumerate(headers) if h), default=0)


def _find_header(
    grids: list[list[list[object]]], schema: Schema, name: str
) -> tuple[tuple[int, int, list[str], dict[str, int]] | None, list[Problem]]:
    """(grid, index of the last header row, header texts, field -> column) or None, problems.

    A header is one row, or two when a merged group cell sits over the columns that name the
    fields ("Số hồ sơ" over "Tổng số" | "Trực tuyến", with "Đơn vị" merged down both rows). Two
    rows are taken only when they name more required fields than any one row does.
    """
    best: tuple[tuple[int, int, int], int, int, int, dict[str, int]] | None = None
    for g, grid in enumerate(grids):
        found = [_fields(schema, cells) for cells in grid[: HEADER_SEARCH_ROWS + 1]]
        for r in range(min(len(grid), HEADER_SEARCH_ROWS)):
            candidates = [(1, found[r])]
            if r + 1 < len(found):
                both = dict(found[r])
                for field_name, c in found[r + 1].items():
                    if field_name not in both and c not in both.values():
                        both[field_name] = c
                candidates.append((2, both))
            for depth, columns in candidates:
                matched = sum(1 for f in schema.required if f in columns)
                key = (matched, -depth, len(columns))
                if best is None or key > best[0]:
                    best = (key, g, r, depth, columns)
    if best is None:
        return None, [error(name, "the file has no rows")]
    (matched, _, _), g, r, depth, columns = best
    grid = grids[g]
    if matched == 0:
        wanted = ", ".join(schema.required)
        return None, [
            error(
                name,
                f"no header row of {schema.kind} found in the first {HEADER_SEARCH_ROWS} "
                f"rows (looked for columns {wanted})",
                row=1,
            )
        ]
    upper = list(grid[r])
    lower = list(grid[r + 1]) if depth == 2 else []
    width = max(len(upper), len(lower))
    upper += [None] * (width - len(upper))
    lower += [None] * (width - len(lower))
    headers = [
        "" if cell is None else str(cell)
        for cell in (lo if lo is not None else up for up, lo in zip(upper, lower, strict=True))
    ]
    r += depth - 1  # the last header row; data start under it
    missing = [f for f in schema.required if f not in columns]
    if missing:
        return None, [
            error(
                name,
                f"missing required column {f!r} ({schema.kind} need {', '.join(schema.required)})",
                row=r + 1,
                column=f,
            )
            for f in missing
        ]
    return (g, r, headers, columns), []


def _wide_row(name: str, row: int, cells: list[object], width: int) -> Problem | None:
    """An error when a row has filled cells right of its header's last column.

    `SCT,2022-01,5000,1,234` under `unit,month,total,online` is an unquoted thousands comma:
    read by position it would give online = 1. Its cells cannot be put under columns by guessing,
    so the row is an error naming the extra cells.
    """
    extra = [(c, cell) for c, cell in enumerate(cells) if c >= width and cell is not None]
    if not extra:
        return None
    filled = extra[-1][0] + 1
    return error(
        name,
        f"{filled} cells under a header of {width} columns: the cells right of the header "
        "belong to no column (a number written with an unquoted comma, such as 1,234? write "
        "it without the comma, or quote it)",
        row=row,
        column=", ".join(column_letter(c) for c, _ in extra),
        value=", ".join(str(cell) for _, cell in extra),
    )
