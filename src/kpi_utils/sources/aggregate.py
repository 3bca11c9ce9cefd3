"""From dossier exports to monthly counts, in DuckDB, exactly as the decision counts them.

`ingest(paths, catalogue, resolver)` returns the tidy counts frame of `inputs` (one row per unit and
month), every problem found, the files read and a summary of rows read, used and rejected.

A dossier counts in the month of its received date, for the unit its agency resolves to:

- `total`: every dossier;
- `online`: received online (channel 2) *and* its procedure is at level 3 or 4 in the catalogue.
  A procedure missing from the catalogue counts in `total`, never in `online` (a warning names the
  codes and how many dossiers each has);
- `resolved`: has a completion date (at the time of the export);
- `resolved_on_time`: completed on or before its due date, compared as dates;
- `pending_overdue`: not completed by the end of its month (no completion date, or one after the
  month) while due on or before the month's last day.

Checks, each a problem naming file, row, column and value: empty dossier id, unknown agency,
received/due date empty or not a date, completion date not a date, completion before receipt
(as dates), unknown channel, empty procedure code, duplicate dossier ids. A row failing any check is
left out; the summary books it under the first check it fails, in that order, so that
`read = used + rejected + identical copies`. Duplicates (the same id twice, also across files):
identical copies count once (a warning per extra copy); copies that differ are all left out (an
error per row), since no rule says which is right.

Only the first `LISTED_PER_KIND` rows of each kind of problem are listed, then one line saying how
many more there are: a million-row file with one systematic fault stays readable.

How, at the speed of the disk and on files larger than memory: DuckDB scans Parquet in place (CSV
and XLSX are first staged to Parquet by `dossiers`) under a memory limit, spilling to the staging
folder if it must, in three passes:

1. the distinct spellings of agency, channel and procedure code: resolved in Python (registry,
   channel labels, catalogue levels) into small tables joined back in SQL with integer keys; it
   also counts each file's rows (and first row) per procedure spelling, which is what the
   warnings about procedures missing from the catalogue need while every row is used;
2. the id column's 64-bit hashes, read first and sorted in memory while DuckDB runs pass 1 and
   pass 3 (8 bytes a row; beyond `SORT_LIMIT_ROWS`, DuckDB's spilling aggregate) to find
   repeated and empty ids; only rows with a repeated hash are then read in full and compared by
   id and content. Pass 3 runs beside the sort as if no id repeated, and is thrown away (and run
   again, with the copies excluded) if one does (`_ids_beside_aggregation`);
3. one aggregation by unit and month (and by file, reason and missing procedure where those
   can vary), which also yields the first row of each unit-month (`source_row`). Reasons cost a
   CASE per row, so it first counts the rows that fail a check; only if there are any does it
   group again by each row's reason, and by missing procedure among the used rows (`_groups`).

Text dates are parsed in SQL, each column trying its commonest format first (`date_formats_for`).
Every date is a Vietnam calendar date (`TIME_ZONE`: timezone-aware timestamps and text with an
offset or `Z` are converted, whatever the host's zone) with a plausible year (`YEARS`; a
two-digit year is read as 20yy, with a warning). Parquet ids are trimmed as staged CSV/XLSX ids
are. A unit with months of no dossier at all gets a warning; its zeros stay (`_empty_months`).
Identical copies are judged on the cells as written: the same dossier exported once as text and
once with typed dates would count as conflicting.

No pandas on this path: the counts stay records until `Ingested.frame` is asked for, and Arrow
arrays are built from numpy buffers (`pa.array` would import pandas), so `kpi-report ingest`
loads DuckDB, pyarrow and numpy only (half a second less, to load and to unload, on every run;
tests/test_dossiers.py runs it with pandas unimportable).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa

from kpi_utils.common.outputs import CannotWrite
from kpi_utils.common.problems import Problem, error, warning
from kpi_utils.common.registry import UnitResolver
from kpi_utils.sources import catalogue as catalogue_mod
from kpi_utils.sources.dossiers import (
    DATE_FIELDS,
    ONLINE_CHANNEL,
    DossierSource,
    open_source,
    parse_channel,
    sha256_of,
)
from kpi_utils.sources.files import SourceFile

if TYPE_CHECKING:
    import pandas as pd

LISTED_PER_KIND = 20
MEMORY_LIMIT = "256MB"
THREADS = min(os.cpu_count() or 2, 8)
"""DuckDB's threads: every core (pyarrow, the benchmark's floor, uses them all too), at most 8:
beyond, one file's row groups give little more to share out, and each thread holds its own
hash tables within `MEMORY_LIMIT`."""

DATE_HINT = "not a date (write dd/mm/yyyy, dd/mm/yyyy HH:MM[:SS] or yyyy-mm-dd)"
TIME_ZONE = "Asia/Ho_Chi_Minh"
"""Dates are Vietnam calendar dates: a timezone-aware timestamp (Parquet `timestamp[tz=...]`, text
with an offset or `Z`) is converted to this zone before its date is taken, whatever the host's
time zone (DuckDB's session `TimeZone`, set in `connect`)."""
YEARS = (2000, 2099)
"""Plausible years of a dossier date. A two-digit year (`01/02/22`) is read as 20yy, with a
warning; any other year outside these (`01/02/0022`, `1900-01-01`) is not a date."""
_TWO_DIGIT_YEAR = r"^\s*\d{1,2}[/-]\d{1,2}[/-]\d{2}(\s|$)"
# Unicode whitespace, as Python's str.strip and pyarrow's utf8_trim_whitespace see it.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "iso")
SAMPLE_ROWS = 2000


def _reads(date_format: str, text: str) -> bool:
    # `%d` reads one or two digits (`text` is stripped: no leading space), so the separator after
    # it is at index 1 or 2; elsewhere strptime would fail, at the cost of an exception (ISO text
    # tried against the four dd/mm formats was most of the sampling's time).
    if date_format != "iso" and date_format[2] not in text[1:3]:
        return False
    try:
        if date_format == "iso":
            datetime.fromisoformat(text)
        else:
            datetime.strptime(text, date_format)
    except ValueError:
        return False
    return True


def date_formats_for(sample: Sequence[object]) -> list[str]:
    """The accepted formats, those reading most of `sample` first.

    In DuckDB a failed `try_strptime` costs many times a successful one, so the order matters far
    more than the number of formats: each column tries its own commonest format first.
    """
    # A blank cell reads as no format: only None needs leaving out.
    values = [str(v).strip() for v in sample if v is not None]
    hits = {f: sum(_reads(f, v) for v in values) for f in _DATE_FORMATS}
    return sorted(_DATE_FORMATS, key=lambda f: -hits[f])


def _date_sql(raw: str, formats: Sequence[str]) -> str:
    """DATE from text in any accepted format (dd/mm/yyyy[ HH:MM[:SS]], dd-mm-yyyy, ISO); text with
    stray spaces as a last resort. `coalesce` tries a later format only where earlier ones failed."""

    def attempt(text: str, date_format: str) -> str:
        if date_format == "iso":
            # Text with an offset or `Z` is an instant: its Vietnam wall time (the session's zone,
            # `TIME_ZONE`). The zone-aware cast costs four times the plain one: only for those.
            # Only text that begins yyyy-: DuckDB's cast also reads "01/02/22" as year 1, month
            # 2, day 22 (and "31/02/22" as 0031-02-22), which the two-digit rule would move to
            # 20yy: a day/month/year date misread, or a date out of nothing. A `Z` anywhere:
            # the plain cast also reads "...T20:00:00Z " (a trailing space) as a UTC wall time.
            offset = f"({text} ILIKE '%z%' OR contains({text}, '+') OR {text} LIKE '%:%-%')"
            return (
                f"CASE WHEN substr({text}, 5, 1) <> '-' THEN NULL "
                f"WHEN {offset} THEN CAST(try_cast({text} AS TIMESTAMPTZ) AS TIMESTAMP) "
                f"ELSE try_cast({text} AS TIMESTAMP) END"
            )
        return f"try_strptime({text}, '{date_format}')"

    attempts = [attempt(raw, f) for f in formats]
    attempts += [attempt(f"trim({raw})", f) for f in formats]
    return f"CASE WHEN {raw} IS NOT NULL THEN CAST(coalesce({', '.join(attempts)}) AS DATE) END"


def _plausible_sql(read: str, raw: str) -> str:
    """The date `read` if its year is plausible (`YEARS`); a two-digit year (DuckDB's `%Y` reads
    `22` as year 22) moved to 20yy; otherwise NULL (not a date). `raw` is looked at only for
    years below 100, which are rare: no per-row cost for the others."""
    low, high = YEARS
    return (
        f"CASE WHEN {read} BETWEEN DATE '{low:04d}-01-01' AND DATE '{high:04d}-12-31' THEN {read} "
        f"WHEN {read} < DATE '0100-01-01' AND regexp_matches({raw}, '{_TWO_DIGIT_YEAR}') "
        f"THEN CAST({read} + INTERVAL ({low}) YEAR AS DATE) END"
    )


def _two_digit_sql(read: str, raw: str) -> str:
    """True where `_plausible_sql` moved a two-digit year to 20yy (a warning says so)."""
    return (
        f"CASE WHEN {read} < DATE '0100-01-01' "
        f"THEN regexp_matches({raw}, '{_TWO_DIGIT_YEAR}') ELSE false END"
    )


@dataclass(frozen=True)
class Check:
    """One row-level rule: its name in the summary, the column it points at, its SQL condition."""

    kind: str
    label: str
    field: str
    condition: str


CHECKS = (
    # Empty ids are found by the duplicate scan, which reads the id column anyway (`_duplicates`).
    Check("empty_id", "empty dossier id", "dossier_id", "disposition = 1"),
    Check("unknown_agency", "unknown agency", "agency", "unit_idx IS NULL"),
    Check("received", "received date empty or not a date", "received", "received IS NULL"),
    Check("due", "due date empty or not a date", "due", "due IS NULL"),
    Check(
        "completed",
        "completion date not a date",
        "completed",
        "completed IS NULL AND completed_given",
    ),
    Check(
        "completed_before_received",
        "completed before received",
        "completed",
        "completed < received",
    ),
    Check("channel", "unknown channel", "channel", "channel_code IS NULL"),
    Check("procedure", "empty procedure code", "procedure_code", "procedure_idx IS NULL"),
)
_PASSES = (
    "unit_idx IS NOT NULL AND received IS NOT NULL AND due IS NOT NULL"
    " AND (completed IS NOT NULL OR NOT completed_given)"
    " AND (completed IS NULL OR completed >= received)"
    " AND channel_code IS NOT NULL AND procedure_idx IS NOT NULL"
)
"""True only where none of the CHECKS but `empty_id` holds: such rows, the common case, skip the
CASE of nine tests (their reason is their `disposition`); rows it is not true for take the CASE."""
CONFLICTING = "conflicting_duplicate"
IDENTICAL = "identical_duplicate"
REASONS = (*(c.kind for c in CHECKS), CONFLICTING, IDENTICAL)
"""Why a row is not used; in SQL as its position + 1 (so `empty_id` is 1)."""
REASON_CODE = {kind: i + 1 for i, kind in enumerate(REASONS)}
REASON_LABELS = {c.kind: c.label for c in CHECKS} | {
    CONFLICTING: "conflicting duplicate id",
    IDENTICAL: "identical duplicate (counted once)",
}


@dataclass(frozen=True)
class IngestSummary:
    """Rows read, used and left out; `read == used + sum(rejected.values()) + identical_copies`."""

    read: int
    used: int
    rejected: dict[str, int]
    identical_copies: int
    not_in_catalogue: int

    def lines(self) -> list[str]:
        rejected = sum(self.rejected.values())
        reasons = ", ".join(f"{REASON_LABELS[k]} {n:,}" for k, n in self.rejected.items() if n)
        lines = [
            f"dossier rows read: {self.read:,}",
            f"  used: {self.used:,}"
            + (
                f" (of which {self.not_in_catalogue:,} of procedures not in the catalogue)"
                if self.not_in_catalogue
                else ""
            ),
            f"  rejected: {rejected:,}" + (f" ({reasons})" if reasons else ""),
            f"  identical duplicates counted once: {self.identical_copies:,}",
        ]
        return lines


Levels = Mapping[str, int] | Callable[[], Mapping[str, int] | None] | None
"""Procedure code -> level, or a function giving them (or None: no catalogue)."""


def _given(levels: Levels) -> Mapping[str, int] | None:
    return levels() if callable(levels) else levels


@dataclass
class Ingested:
    """What `Loaded` holds (the counts frame, problems, files), plus the summary of rows.

    The counts are kept as records (the counts frame's columns, `month` as `YYYY-MM`); `frame`
    builds the frame on first use, so that `kpi-report ingest`, which writes the records straight
    to CSV (`monthly_counts_csv`), never loads pandas.
    """

    records: list[dict]
    problems: list[Problem] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    summary: IngestSummary = field(default_factory=lambda: IngestSummary(0, 0, {}, 0, 0))

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        from kpi_utils.sources.inputs import counts_frame

        return counts_frame(self.records)


def connect(temp_directory: Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB tuned for streaming aggregation on a small machine: at most
    `memory_limit` (DuckDB's syntax, e.g. "256MB", "2GB"; default `MEMORY_LIMIT`) for its
    buffers, spilling beyond that to `temp_directory`."""
    con = duckdb.connect(
        config={
            "threads": THREADS,
            "memory_limit": memory_limit or MEMORY_LIMIT,
            "preserve_insertion_order": False,
            "temp_directory": str(temp_directory),
        }
    )
    con.execute("SET enable_progress_bar = false")  # it writes to the terminal, not sys.stdout
    # Dates are Vietnam dates, whatever the host's zone; GLOBAL: the cursors (`con.cursor()`,
    # sessions of their own) follow it too.
    con.execute(f"SET GLOBAL TimeZone = '{TIME_ZONE}'")
    return con


def ingest(
    paths: Sequence[str | Path],
    levels: Levels,
    resolver: UnitResolver,
    sheet: str | None = None,
    digests: bool = True,
    memory_limit: str | None = None,
) -> Ingested:
    """Monthly counts from dossier exports. `levels`: each catalogue procedure code's level
    (`catalogue.procedure_levels`), or a function giving them when first needed, after the ids
    are hashed (`load_dossiers` reads the catalogue meanwhile).

    Without a catalogue (`check` of an export alone), `online` is 0 and no procedure is reported
    missing from it. `digests=False` leaves the files' `sha256` empty instead of reading every
    export once more (`kpi-report ingest`, whose output names no file, has no use for them).
    `memory_limit`: DuckDB's (see `connect`); it spills to a temporary folder under TMPDIR.
    """
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="kpi-ingest-") as tmp:
        staging = Path(tmp)
        sources: list[DossierSource] = []
        for path in paths:
            source, found = open_source(path, staging, sheet=sheet)  # named as given
            problems += found
            if source is not None:
                sources.append(source)
        if not sources:
            return Ingested([], problems)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # Hashing the exports overlaps with DuckDB's scans (hashlib releases the GIL).
            hashes = {
                s.name: pool.submit(sha256_of, s.path) for s in sources if digests and not s.sha256
            }
            con = connect(staging, memory_limit)
            try:
                counts, found, summary, rows = _aggregate(con, sources, levels, resolver)
            except (duckdb.IOException, duckdb.OutOfMemoryException, OSError) as exc:
                gone = _vanished(sources)
                if gone:
                    return Ingested([], problems + gone)
                if not _is_spilling_fault(exc, staging):
                    raise
                raise CannotWrite(staging, _duckdb_reason(exc)) from exc
            finally:
                con.close()
            files = [
                SourceFile(
                    Path(s.path).name,
                    s.path,
                    rows.get(i, 0),
                    s.sha256 or (hashes[s.name].result() if digests else ""),
                    s.labels["agency"],
                )
                for i, s in enumerate(sources)
            ]
    return Ingested(counts, problems + found, files, summary)


def _vanished(sources: Sequence[DossierSource]) -> list[Problem]:
    """An error for each export that is no longer there (moved or deleted during the run)."""
    return [
        error(s.name, "cannot read the file: it was removed or moved while being read")
        for s in sources
        if not Path(s.path).is_file()
    ]


def _is_spilling_fault(exc: Exception, temp_directory: Path) -> bool:
    """True if DuckDB stopped for want of space or memory for its temporary files (not because
    of what it read)."""
    text = str(exc)
    return (
        isinstance(exc, OSError | duckdb.OutOfMemoryException)
        or "No space left on device" in text
        or str(temp_directory) in text
    )


def _duckdb_reason(exc: Exception) -> str:
    """Why DuckDB could not go on, in one line (its messages carry a type prefix and hints)."""
    text = str(exc)
    if isinstance(exc, OSError):
        return exc.strerror or text
    if "No space left on device" in text:
        return "No space left on device (DuckDB spills there beyond --memory-limit)"
    if isinstance(exc, duckdb.OutOfMemoryException):
        return "out of memory: raise --memory-limit, or free space in the temporary folder"
    return text.splitlines()[0]


# --- SQL over the sources ---------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source_sql(con: duckdb.DuckDBPyConnection, index: int, source: DossierSource) -> str:
    """SELECT of one source with the canonical columns: raw text, and dates parsed.

    Nothing else is done per row: codes, names and labels are normalised once per distinct value
    (see `_maps`). Staged sources are already trimmed, NFC, with empty cells as NULL; an empty
    text cell of a Parquet export is NULL too, so that the same dossier in a CSV and a Parquet
    export is one dossier (its empty status or commune are no difference).
    """
    if source.table is not None:
        scan = _registered(index)  # `_register`: the Arrow table itself
    else:
        scan = f"read_parquet({_literal(source.parquet)}"
        scan += ")" if source.row_column else ", file_row_number = true)"
    described = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {scan})")
    types = {name: kind.upper() for name, kind in described.fetchall()}
    row = _quote(source.row_column) if source.row_column else "file_row_number + 2"

    def text(field_name: str, trimmed: bool = False) -> str:
        column = source.columns.get(field_name)
        if column is None:
            return "CAST(NULL AS VARCHAR)"
        if types[column] != "VARCHAR":
            return f"CAST({_quote(column)} AS VARCHAR)"
        cell = _quote(column)
        if trimmed and not source.row_column:
            # Parquet is read as it lies; staged copies are trimmed already (`dossiers`). Trimming
            # a set of characters costs 1 s per million rows: only cells that do not begin and
            # end with a printable ASCII character (nearly every id does) are trimmed.
            cell = (
                f"CASE WHEN ascii({cell}) BETWEEN 33 AND 126 AND ascii(reverse({cell})) "
                f"BETWEEN 33 AND 126 THEN {cell} ELSE trim({cell}, {_literal(_SPACES)}) END"
            )
        return f"nullif({cell}, '')"

    parts = [
        f"{index} AS file_idx",
        f"CAST({row} AS BIGINT) AS row",
        f"{text('dossier_id', trimmed=True)} AS dossier_id",
        f"{text('procedure_code')} AS procedure_raw",
        f"{text('agency')} AS agency_raw",
        *_channel_sql(source, types),
        f"{text('status')} AS status",
        f"{text('commune')} AS commune",
    ]
    text_dates = [
        f for f in DATE_FIELDS if not types[source.columns[f]].startswith(("DATE", "TIMESTAMP"))
    ]
    samples: dict[str, list] = {f: [] for f in text_dates}
    if text_dates:
        listed = ", ".join(_quote(source.columns[f]) for f in text_dates)
        for values in con.execute(f"SELECT {listed} FROM {scan} LIMIT {SAMPLE_ROWS}").fetchall():
            for f, value in zip(text_dates, values, strict=True):
                samples[f].append(value)
    checked = []
    for field_name in DATE_FIELDS:
        column = _quote(source.columns[field_name])
        raw = text(field_name)
        if field_name in text_dates:
            parsed = _date_sql(raw, date_formats_for(samples[field_name]))
        else:
            parsed = f"CAST({column} AS DATE)"  # TIMESTAMPTZ: the session's zone, `TIME_ZONE`
        parts += [f"{raw} AS {field_name}_raw", f"{parsed} AS {field_name}_read"]
        checked.append(
            f"{_plausible_sql(f'{field_name}_read', f'{field_name}_raw')} AS {field_name}"
        )
    # Empty or blank text is "not completed", as in CSV and XLSX; the trim only where no date
    # was read.
    checked.append(
        "CASE WHEN completed_read IS NOT NULL THEN true WHEN completed_raw IS NULL THEN false "
        f"ELSE trim(completed_raw, {_literal(_SPACES)}) <> '' END AS completed_given"
    )
    # Typed dates have no two-digit years: no test per row for them.
    two_digit = " OR ".join(_two_digit_sql(f"{f}_read", f"{f}_raw") for f in text_dates)
    checked.append(f"{two_digit or 'false'} AS two_digit_year")
    excluded = ", ".join(f"{f}_read" for f in DATE_FIELDS)
    return (
        f"SELECT * EXCLUDE ({excluded}), {', '.join(checked)} "
        f"FROM (SELECT {', '.join(parts)} FROM {scan})"
    )


_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")


def _channel_sql(source: DossierSource, types: dict[str, str]) -> list[str]:
    """channel_raw (text, joined to channel_map), channel_num (an integer column's code, read
    directly: no text per row) and channel_text (for messages)."""
    column = source.columns["channel"]
    quoted = _quote(column)
    if types[column] in _INTEGER_TYPES:
        return [
            "CAST(NULL AS VARCHAR) AS channel_raw",
            f"CAST(CASE WHEN {quoted} BETWEEN 1 AND 3 THEN {quoted} END AS TINYINT) AS channel_num",
            f"CAST({quoted} AS VARCHAR) AS channel_text",
        ]
    raw = f"CAST({quoted} AS VARCHAR)"  # none on VARCHAR: DuckDB binds no cast to the same type
    return [
        f"{raw} AS channel_raw",
        "CAST(NULL AS TINYINT) AS channel_num",
        f"{raw} AS channel_text",
    ]


def _maps(
    con, resolver: UnitResolver, levels: Mapping[str, int] | None
) -> tuple[list[str], list[dict]]:
    """Tables agency_map, channel_map, procedure_map: each distinct raw value, resolved.

    Returns the unit codes, whose positions are the `unit_idx` of agency_map, and for each file
    and spelling of a procedure missing from the catalogue its rows and first row (all rows: the
    counts of the used ones when every row is used, see `_groups`).
    """
    levels = levels or {}

    # One scan for the three columns' distinct values (procedures by file, with their rows).
    found = con.execute(
        """
        SELECT agency_raw, channel_raw, procedure_raw, file_idx, count(*), min(row)
        FROM dossiers
        GROUP BY GROUPING SETS ((agency_raw), (channel_raw), (file_idx, procedure_raw))
        """
    ).fetchall()

    def distinct(index: int) -> list[str]:
        return sorted({r[index] for r in found if r[index] is not None})

    agencies = distinct(0)
    resolved = [resolver.resolve(a) if a.strip() else None for a in agencies]
    units = sorted({u for u in resolved if u is not None})
    channels = distinct(1)
    procedures = distinct(2)
    codes = [catalogue_mod.procedure_key(p) or None for p in procedures]
    missing = [
        {"file_idx": file_idx, "missing_procedure": raw, "n": n, "first_row": first_row}
        for _, _, raw, file_idx, n, first_row in found
        if file_idx is not None
        and raw is not None
        and (code := catalogue_mod.procedure_key(raw))
        and code not in levels
    ]
    tables = {
        "agency_map": {
            "agency_raw": ("VARCHAR", agencies),
            "agency_id": ("INTEGER", list(range(len(agencies)))),
            "unit_idx": ("INTEGER", [units.index(u) if u else None for u in resolved]),
        },
        "channel_map": {
            "channel_raw": ("VARCHAR", channels),
            "channel_code": ("TINYINT", [parse_channel(c) for c in channels]),
        },
        "procedure_map": {
            "procedure_raw": ("VARCHAR", procedures),
            "procedure_idx": ("INTEGER", [i if c else None for i, c in enumerate(codes)]),
            "level": ("TINYINT", [levels.get(c) for c in codes]),
            # procedure_idx of a code not in the catalogue: resolved here once per code, so the
            # aggregation groups by a column instead of a CASE over every row.
            "missing_idx": (
                "INTEGER",
                [i if c and c not in levels else None for i, c in enumerate(codes)],
            ),
        },
    }
    for name, columns in tables.items():
        listed = ", ".join(
            f"unnest(?::{kind}[]) AS {column}" for column, (kind, _) in columns.items()
        )
        con.execute(f"CREATE TABLE {name} AS SELECT {listed}", [v for _, v in columns.values()])
    return units, missing


def _registered(index: int) -> str:
    return f"staged_{index}"


def _register(con, sources) -> None:
    """Each source held as an Arrow table, under its name for `_source_sql` (a name is known to
    the connection that registers it only: each cursor registers them too)."""
    for i, source in enumerate(sources):
        if source.table is not None:
            con.register(_registered(i), source.table)


def _aggregate(con, sources, levels, resolver):
    _register(con, sources)
    union = " UNION ALL ".join(_source_sql(con, i, s) for i, s in enumerate(sources))
    con.execute(f"CREATE VIEW dossiers AS {union}")
    rows = sum(s.rows for s in sources)
    groups = None
    if rows > SORT_LIMIT_ROWS:
        units, missing = _maps(con, resolver, _given(levels))
        repeated = _repeated_by_aggregate(con)
    else:
        units, missing, repeated, groups = _ids_beside_aggregation(con, resolver, levels, sources)
    excluded = _duplicates(con, repeated)
    problems = duplicate_problems(con, sources)
    # While every row is used, `missing` (from `_maps`) counts the used rows of each procedure
    # missing from the catalogue; otherwise the groups count them (`procedures=True`).
    every_row_used = not excluded
    if groups is None:
        _parsed_view(con, excluded)
        reason = None if every_row_used else "disposition"
        groups = _groups(con, reason, len(sources), _FAILING, procedures=not every_row_used)
    if any(g["failing"] for g in groups):
        # Some rows fail a check: group again, each row under the first check it fails.
        every_row_used = False
        groups = _groups(con, "reason", len(sources), procedures=True)
    agencies = dict(con.execute("SELECT agency_id, agency_raw FROM agency_map").fetchall())
    # Only codes missing from the catalogue: a blank code (its `procedure_idx` NULL, as the
    # `missing_idx` of every catalogued row is) must not name the rows of catalogued procedures.
    procedures = dict(
        con.execute(
            "SELECT missing_idx, procedure_raw FROM procedure_map WHERE missing_idx IS NOT NULL"
        ).fetchall()
    )
    rows_per_file: dict[int, int] = {}
    for g in groups:
        g["unit_code"] = None if g["unit_idx"] is None else units[g["unit_idx"]]
        g["first_agency"] = agencies.get(g["first_agency"])
        g["missing_procedure"] = procedures.get(g["missing_idx"])
        g["reason"] = None if g["reason"] is None else REASONS[g["reason"] - 1]
        rows_per_file[g["file_idx"]] = rows_per_file.get(g["file_idx"], 0) + g["n"]

    def rows_where(reason: str | None, among=groups) -> int:
        return sum(g["n"] for g in among if g["reason"] == reason)

    used = [g for g in groups if g["reason"] is None]
    rejected = {kind: rows_where(kind) for kind in REASONS if kind != IDENTICAL}
    if not every_row_used:
        missing = [g for g in used if g["missing_procedure"] is not None]
    not_in_catalogue = sum(g["n"] for g in missing)
    summary = IngestSummary(
        read=sum(rows_per_file.values()),
        used=rows_where(None),
        rejected=rejected,
        identical_copies=rows_where(IDENTICAL),
        not_in_catalogue=not_in_catalogue,
    )
    if any(rejected[c.kind] for c in CHECKS):
        # Rows can fail several checks; each check lists its own rows (a scan only for bad files).
        counts = ", ".join(f"count(*) FILTER (WHERE {c.condition})" for c in CHECKS)
        per_check = con.execute(f"SELECT {counts} FROM parsed").fetchone()
        for check, count in zip(CHECKS, per_check, strict=True):
            if count:
                problems += _check_problems(con, sources, check, resolver, int(count))
    if not_in_catalogue and _given(levels) is not None:
        problems += _missing_procedures(missing, sources)
    two_digit = sum(int(g["two_digit"]) for g in groups)
    if two_digit:
        problems += _two_digit_problems(con, sources, two_digit)
    records = _counts(used, sources)
    return records, problems + _empty_months(records, sources), summary, rows_per_file


_SUMS = ("n", "online", "resolved", "resolved_on_time", "pending_overdue")


def _ids_beside_aggregation(con, resolver, levels, sources):
    """Units and missing procedures (`_maps`), repeated id hashes and, if no id repeats, the
    groups.

    The hashes are sorted (numpy releases the GIL) while DuckDB finds the spellings and then, on
    a second connection, aggregates as if no id repeated, which is what an export from one
    system mostly is. If some id does repeat (or is empty), the sorting thread interrupts that
    aggregation and its result is thrown away: the caller aggregates again, with the copies
    excluded. On two cores this hides the sort (a quarter of a second for 10 million rows)
    behind the aggregation instead of making the aggregation wait for it.
    """
    hashes = _id_hashes(con, sum(s.rows for s in sources))
    speculative = con.cursor()
    _register(speculative, sources)

    def repeated_ids(hashes: np.ndarray) -> np.ndarray:
        repeated = _repeated_in(hashes)
        if len(repeated):
            speculative.interrupt()  # no effect if the aggregation has not started
        return repeated

    groups = None
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            sorting = pool.submit(repeated_ids, hashes)
            del hashes
            units, missing = _maps(con, resolver, _given(levels))
            if not (sorting.done() and len(sorting.result())):
                _parsed_view(con, excluded=0)
                try:
                    groups = _groups(speculative, None, len(sources), _FAILING)
                except duckdb.InterruptException:  # by `repeated_ids`: some id repeats
                    groups = None
            repeated = sorting.result()
    finally:
        speculative.close()
    return units, missing, repeated, None if len(repeated) else groups


def _parsed_view(con, excluded: int) -> None:
    """The view `parsed`: each row with its unit, channel, procedure level, month and, when some
    rows are `excluded`, their disposition (otherwise NULL: no lookup for most exports)."""
    reason = " ".join(f"WHEN {c.condition} THEN {REASON_CODE[c.kind]}" for c in CHECKS)
    disposition = "x.disposition" if excluded else "CAST(NULL AS INTEGER) AS disposition"
    join = "LEFT JOIN excluded x ON d.file_idx = x.file_idx AND d.row = x.row" if excluded else ""
    con.execute(
        f"""
        CREATE OR REPLACE VIEW parsed AS
        SELECT *, CASE WHEN {_PASSES} THEN disposition
                       ELSE CASE {reason} WHEN disposition IS NOT NULL THEN disposition END
                  END AS reason
        FROM (
            SELECT d.*, a.unit_idx, a.agency_id, coalesce(d.channel_num, c.channel_code)
                       AS channel_code, p.procedure_idx, p.level, p.missing_idx,
                   {disposition}, year(d.received) * 12 + month(d.received) - 1 AS month_key
            FROM dossiers d
            LEFT JOIN agency_map a ON d.agency_raw = a.agency_raw
            LEFT JOIN channel_map c ON d.channel_raw = c.channel_raw
            LEFT JOIN procedure_map p ON d.procedure_raw = p.procedure_raw
            {join}
        )
        """
    )


_FAILING = f"count_if(({_PASSES}) IS NOT TRUE) AS failing"


def _groups(
    con, reason: str | None, files: int, *extra: str, procedures: bool = False
) -> list[dict]:
    """The one full scan of the exports: integer group keys and plain sums, by file, unit, month
    (`month_key` = year * 12 + month - 1), `reason` and procedure missing from the catalogue.

    Grouping by `disposition` (duplicates, empty ids) and counting the rows that fail any check
    costs less than the CASE that finds each row's first failing check (`reason`): clean
    exports, the common case, need no more; the caller groups by `reason` only if a row fails.
    Keys that cannot vary stay out of the grouping (a tenth of its CPU on 10 million rows): the
    file when there is one (`files`), the reason when it is None (no row excluded). Procedures
    missing from the catalogue are a key only with `procedures`: when every row is used (no
    row excluded, none failing), `_maps` has counted them already, and grouping by unit and
    month alone keeps the table a thirtieth the size (0.13 s less on 10 million rows).
    """
    keys = ["unit_idx", "month_key"]
    if procedures:
        keys.append("missing_idx")
    if files > 1:
        keys.append("file_idx")
    if reason:
        keys.append(f"{reason} AS reason")
    result = con.execute(
        f"""
        SELECT {", ".join(keys)},
               count(*) AS n,
               coalesce(count_if(channel_code = {ONLINE_CHANNEL} AND level >= 3), 0) AS online,
               count(completed) AS resolved,
               coalesce(count_if(completed <= due), 0) AS resolved_on_time,
               coalesce(count_if(due <= last_day(received)
                   AND (completed IS NULL OR completed > last_day(received))), 0)
                   AS pending_overdue,
               min(row) AS first_row,
               arg_min(agency_id, row) AS first_agency,
               {", ".join(["count_if(two_digit_year) AS two_digit", *extra])}
        FROM parsed
        GROUP BY ALL
        """
    )
    names = [d[0] for d in result.description]
    groups = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    for group in groups:
        group.setdefault("file_idx", 0)
        group.setdefault("reason", None)
        group.setdefault("missing_idx", None)
    return groups


def _counts(used: list[dict], sources: Sequence[DossierSource]) -> list[dict]:
    """One record per unit and month (the counts frame's columns, `month` as `YYYY-MM`); a unit
    seen in the data gets zeros for its empty months."""
    totals: dict[tuple[str, int], list[int]] = {}
    firsts: dict[tuple[str, int], tuple[int, int, str]] = {}
    for g in used:
        key = (g["unit_code"], g["month_key"])
        total = totals.setdefault(key, [0] * len(_SUMS))
        for i, column in enumerate(_SUMS):
            total[i] += int(g[column])
        # The earliest (file, row): groups of a unit and month share no row, so never a tie.
        first = (g["file_idx"], g["first_row"], str(g["first_agency"]))
        firsts[key] = min(firsts.get(key, first), first)
    if not totals:
        return []
    months = range(min(k[1] for k in totals), max(k[1] for k in totals) + 1)
    records = []
    for unit_code in sorted({k[0] for k in totals}):
        for month_key in months:
            key = (unit_code, month_key)
            if key in totals:
                file_idx, first_row, first_agency = firsts[key]
                where = (sources[file_idx].name, first_row, first_agency)
                values = totals[key]
            else:
                where = (", ".join(s.name for s in sources), 0, "")
                values = [0] * len(_SUMS)
            records.append(
                {
                    "unit_code": unit_code,
                    "month": f"{month_key // 12:04d}-{month_key % 12 + 1:02d}",
                    "total": values[0],
                    "online": values[1],
                    "resolved": values[2],
                    "resolved_on_time": values[3],
                    "pending_overdue": values[4],
                    "source_file": where[0],
                    "source_row": where[1],
                    "source_unit": where[2],
                }
            )
    return records


# --- problems ---------------------------------------------------------------------------------


def _empty_months(records: list[dict], sources: Sequence[DossierSource]) -> list[Problem]:
    """A warning per unit with months of the period in which no export has a dossier of it.

    Its zeros stay (the decision's arithmetic counts them), but "had none" may be "has not sent
    them": a unit missing from later exports would otherwise look like a unit that had none.
    """
    empty: dict[str, list[str]] = {}
    for record in records:
        if record["source_row"] == 0:  # filled in by `_counts`: no used dossier
            empty.setdefault(record["unit_code"], []).append(record["month"])
    if not empty:
        return []
    span = f"{records[0]['month']}..{max(r['month'] for r in records)}"
    names = ", ".join(s.name for s in sources)
    return [
        warning(
            names,
            f"{code} has no dossier at all in {len(months)} month(s) of {span}: "
            f"{', '.join(months) if len(months) <= 6 else ', '.join(months[:6]) + ', ...'}; "
            "counted as 0 (if its exports for those months were not sent, its figures are too "
            "low)",
        )
        for code, months in empty.items()
    ]


def _more(name: str, make: Callable[..., Problem], label: str, more: int) -> Problem:
    """The line for the rows of a kind of problem beyond the first `LISTED_PER_KIND`; `make` is
    `error` or `warning`."""
    return make(name, f"... and {more:,} more row(s) with the same problem ({label}), not listed")


def _check_problems(
    con, sources, check: Check, resolver: UnitResolver, count: int
) -> list[Problem]:
    raw = {
        "dossier_id": "dossier_id",
        "channel": "channel_text",
        "procedure_code": "procedure_raw",
    }.get(check.field, f"{check.field}_raw")
    listed = con.execute(
        f"SELECT file_idx, row, {raw}, received_raw FROM parsed WHERE {check.condition} "
        f"ORDER BY file_idx, row LIMIT {LISTED_PER_KIND}"
    ).fetchall()
    problems = []
    for file_idx, row, value, received in listed:
        if value is not None and not str(value).strip():
            value = None
        elif value is not None:
            value = unicodedata.normalize("NFC", str(value))
        source = sources[file_idx]
        column = source.labels[check.field]  # every checked field is a required column
        message = check.label
        if check.kind == "unknown_agency":
            if value is None:
                message = "empty agency cell"
            else:
                close = resolver.suggest(str(value))
                message = "unknown agency" + (f"; closest: {', '.join(close)}" if close else "")
        elif check.kind in ("received", "due"):
            message = f"empty {check.field} date" if value is None else _not_a_date(value)
        elif check.kind == "completed":
            message = _not_a_date(value)
        elif check.kind == "completed_before_received":
            message = f"completed before it was received ({received})"
        elif check.kind == "channel":
            message = (
                "empty channel cell"
                if value is None
                else "unknown channel (write 1/2/3 or Trực tiếp/Trực tuyến/Bưu chính công ích)"
            )
        problems.append(
            error(
                source.name, message, row=row, column=column, value="" if value is None else value
            )
        )
    if count > len(listed):
        names = sorted({sources[f].name for f, *_ in listed})
        problems.append(_more(", ".join(names), error, check.label, count - len(listed)))
    return problems


def _not_a_date(value: object) -> str:
    """Why a date cell was refused: an implausible year (`YEARS`), or not a date at all."""
    text = str(value).strip()
    for date_format in _DATE_FORMATS:
        try:
            if date_format == "iso":
                year = datetime.fromisoformat(text).year
            else:
                year = datetime.strptime(text, date_format).year
        except ValueError:
            continue
        return (
            f"year {year} is not plausible: a dossier date needs a four-digit year from "
            f"{YEARS[0]} to {YEARS[1]} (a two-digit year is read as 20yy)"
        )
    return DATE_HINT


def _two_digit_problems(con, sources, count: int) -> list[Problem]:
    """A warning per date whose two-digit year was read as 20yy (the first rows listed)."""
    dates = ", ".join(f"{f}_raw, {f}" for f in DATE_FIELDS)
    listed = con.execute(
        f"SELECT file_idx, row, {dates} FROM parsed WHERE two_digit_year "
        f"ORDER BY file_idx, row LIMIT {LISTED_PER_KIND}"
    ).fetchall()
    problems = []
    for file_idx, row, *cells in listed:
        source = sources[file_idx]
        for field_name, raw, read in zip(DATE_FIELDS, cells[::2], cells[1::2], strict=True):
            # `read` is a plausible date (or NULL): a four-digit year never matches the pattern
            if raw is None or read is None or not re.match(_TWO_DIGIT_YEAR, raw):
                continue
            problems.append(
                warning(
                    source.name,
                    f"two-digit year read as {read.year} ({read:%d/%m/%Y}): write the year "
                    "with four digits",
                    row=row,
                    column=source.labels[field_name],  # every date field has a column
                    value=raw,
                )
            )
    if count > len(listed):
        names = ", ".join(s.name for s in sources)
        problems.append(_more(names, warning, "two-digit year read as 20yy", count - len(listed)))
    return problems


def _missing_procedures(missing: list[dict], sources) -> list[Problem]:
    """A warning per procedure code (and file) not in the catalogue, with its dossier count."""
    found: dict[tuple[int, str], list[int]] = {}  # (file, code) -> [dossiers, first row]
    for g in missing:
        n_first = found.setdefault((g["file_idx"], g["missing_procedure"]), [0, g["first_row"]])
        n_first[0] += g["n"]
        n_first[1] = min(n_first[1], g["first_row"])
    ordered = sorted(found.items(), key=lambda item: (item[0][0], -item[1][0], item[0][1]))
    problems = []
    for (file_idx, code), (n, first_row) in ordered[:LISTED_PER_KIND]:
        source = sources[file_idx]
        problems.append(
            warning(
                source.name,
                f"procedure {code} is not in the catalogue: its {n:,} dossier(s) count in the "
                "total, never as online",
                row=first_row,
                column=source.labels["procedure_code"],
                value=code,
            )
        )
    if len(ordered) > LISTED_PER_KIND:
        rest = ordered[LISTED_PER_KIND:]
        problems.append(
            warning(
                ", ".join(s.name for s in sources),
                f"... and {len(rest):,} more procedure code(s) not in the catalogue "
                f"({sum(n for _, (n, _) in rest):,} dossier(s)), not listed",
            )
        )
    return problems


_CONTENT = (
    "procedure_raw",
    "agency_raw",
    "channel_text",
    "received_raw",
    "due_raw",
    "completed_raw",
    "status",
    "commune",
)


def _duplicates(con, repeated: np.ndarray) -> int:
    """Fill the temp table `excluded` (file_idx, row, disposition): empty ids and duplicates.
    Returns how many rows it holds.

    One scan of the id column finds the hashes of ids seen more than once (and whether any id is
    empty, hash 0): `repeated`, from `_repeated_in` or `_repeated_by_aggregate`; only the rows
    with those hashes are then read in full and compared by id.
    """
    content = ", ".join(_CONTENT)
    # Through Arrow, from the array's own buffer (a contiguous uint64 array, as both give it):
    # `pa.array` and DataFrames would load pandas.
    hashes = pa.Array.from_buffers(pa.uint64(), len(repeated), [None, pa.py_buffer(repeated)])
    con.from_arrow(pa.Table.from_arrays([hashes], names=["h"])).create("dup_hashes")
    con.execute(
        f"""
        CREATE TABLE dup_rows AS
        SELECT file_idx, row, dossier_id, {content},
               min(content_hash) OVER w <> max(content_hash) OVER w AS conflicting,
               count(*) OVER w AS copies,
               row_number() OVER (PARTITION BY dossier_id ORDER BY file_idx, row) AS copy
        FROM (
            SELECT *, hash({content}) AS content_hash FROM dossiers
            WHERE dossier_id IS NOT NULL AND hash(dossier_id) IN (SELECT h FROM dup_hashes)
            {"" if len(repeated) else "AND false"}  -- no id repeats: no need to scan the ids
        )
        WINDOW w AS (PARTITION BY dossier_id)
        """
    )
    con.execute(
        f"""
        CREATE TABLE excluded AS
        SELECT file_idx, row,
               CASE WHEN conflicting THEN {REASON_CODE[CONFLICTING]}
                    ELSE {REASON_CODE[IDENTICAL]} END AS disposition
        FROM dup_rows WHERE copies > 1 AND (conflicting OR copy > 1)
        """
    )
    empty_ids = con.execute("SELECT count(*) FROM dup_hashes WHERE h = 0").fetchone()[0]
    if empty_ids:
        con.execute(
            f"INSERT INTO excluded SELECT file_idx, row, {REASON_CODE['empty_id']} "
            "FROM dossiers WHERE dossier_id IS NULL"
        )
    return con.execute("SELECT count(*) FROM excluded").fetchall()[0][0]


SORT_LIMIT_ROWS = 20_000_000
"""Up to this many rows, repeated ids are found by sorting their 64-bit hashes in memory (8 bytes a
row: 160 MB at the limit, which with DuckDB's own limit stays within a 500 MB budget); beyond it,
by DuckDB's hash aggregate, which spills to disk."""

_ID_HASH = "CASE WHEN dossier_id IS NULL THEN 0::UBIGINT ELSE hash(dossier_id) END"


def _repeated_by_aggregate(con) -> np.ndarray:
    """Distinct id hashes that occur more than once, and 0 if any id is empty, by DuckDB's
    spilling hash aggregate (beyond `SORT_LIMIT_ROWS`)."""
    query = f"SELECT {_ID_HASH} AS h FROM dossiers GROUP BY h HAVING count(*) > 1 OR h = 0"
    return np.array([r[0] for r in con.execute(query).fetchall()], dtype=np.uint64)


def _id_hashes(con, rows: int) -> np.ndarray:
    """Every row's id hash (0 for an empty id), in a flat array: 8 bytes a row."""
    hashes = np.empty(rows, dtype=np.uint64)
    filled = 0
    for batch in con.sql(f"SELECT {_ID_HASH} FROM dossiers").to_arrow_reader(1 << 20):
        column = batch.column(0)  # never null: read its buffer (`to_numpy` would load pandas)
        values = np.frombuffer(column.buffers()[1], np.uint64, len(column), column.offset * 8)
        if filled + len(values) > len(hashes):
            hashes = np.resize(hashes, filled + len(values))
        hashes[filled : filled + len(values)] = values
        filled += len(values)
    return hashes[:filled]


def _repeated_in(hashes: np.ndarray) -> np.ndarray:
    """Distinct hashes that occur more than once in `hashes` (sorted in place), and 0 if any id
    is empty.

    Sorting a flat array of hashes is several times faster than a hash aggregate with one group
    per dossier (measured on 10 million rows: benchmarks/bench_ingest.py).
    """
    filled = len(hashes)
    hashes.sort()
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    if filled and hashes[0] == 0 and (not len(repeated) or repeated[0] != 0):
        repeated = np.concatenate([np.zeros(1, dtype=np.uint64), repeated])
    return repeated


def duplicate_problems(con, sources) -> list[Problem]:
    """The listed duplicate problems (first rows of each kind), each naming all copies."""
    problems: list[Problem] = []
    for disposition, make in ((CONFLICTING, error), (IDENTICAL, warning)):
        total = con.execute(
            "SELECT count(*) FROM excluded WHERE disposition = ?", [REASON_CODE[disposition]]
        ).fetchone()[0]
        if not total:
            continue
        listed = con.execute(
            f"""
            SELECT r.file_idx, r.row, r.dossier_id FROM dup_rows r
            JOIN excluded x USING (file_idx, row)
            WHERE x.disposition = ? ORDER BY r.file_idx, r.row LIMIT {LISTED_PER_KIND}
            """,
            [REASON_CODE[disposition]],
        ).fetchall()
        ids = sorted({r[2] for r in listed})
        copies = con.execute(
            f"SELECT dossier_id, file_idx, row, {', '.join(_CONTENT)} FROM dup_rows "
            "WHERE list_contains(?, dossier_id) ORDER BY file_idx, row",
            [ids],
        ).fetchall()
        by_id: dict[str, list[tuple]] = {}
        for dossier_id, file_idx, row, *content in copies:
            by_id.setdefault(dossier_id, []).append((file_idx, row, content))
        for file_idx, row, dossier_id in listed:
            group = by_id[dossier_id]
            places = "; ".join(f"{sources[f].name} row {r}" for f, r, _ in group)
            source = sources[file_idx]
            column = source.labels["dossier_id"]
            if disposition == IDENTICAL:
                message = (
                    f"dossier id appears {len(group)} times, identical ({places}): counted once"
                )
            else:
                differ = [
                    _CONTENT[i].removesuffix("_raw").removesuffix("_text")
                    for i in range(len(_CONTENT))
                    if len({c[i] for _, _, c in group}) > 1
                ]
                message = (
                    f"dossier id appears {len(group)} times with different "
                    f"{', '.join(differ)} ({places}): none is counted"
                )
            problems.append(make(source.name, message, row=row, column=column, value=dossier_id))
        if total > len(listed):
            problems.append(
                _more(
                    ", ".join(s.name for s in sources),
                    make,
                    REASON_LABELS[disposition],
                    total - len(listed),
                )
            )
    return problems


# --- entry points for the pipeline and the command line ---------------------------------------


def load_dossiers(
    paths: Sequence[str | Path],
    catalogue: str | Path | None,
    resolver: UnitResolver,
    sheet: str | None = None,
    catalogue_required: bool = True,
    digests: bool = True,
    memory_limit: str | None = None,
) -> Ingested:
    """Ingest the exports with the catalogue; the catalogue's problems and file come too.

    Without a catalogue, `online` cannot be counted: an error, or (for `check`, which only looks
    at the exports) a warning when `catalogue_required` is False.
    """
    if catalogue is None:
        result = ingest(paths, None, resolver, sheet, digests, memory_limit)
        make = error if catalogue_required else warning
        message = "no procedure catalogue given (--catalogue FILE): online dossiers not counted"
        result.problems = [make(", ".join(str(p) for p in paths), message), *result.problems]
        return result
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The catalogue is read (in Python) while DuckDB hashes the exports' ids.
        reading = pool.submit(catalogue_mod.read_catalogue_entries, catalogue, resolver)

        @functools.cache
        def levels() -> Mapping[str, int] | None:
            entries, _, files = reading.result()
            return catalogue_mod.procedure_levels(entries) if files else None

        result = ingest(paths, levels, resolver, sheet, digests, memory_limit)
    _, problems, files = reading.result()
    result.problems = [*problems, *result.problems]
    result.files = [*result.files, *files]
    return result


MONTHLY_COLUMNS = [
    "unit_code",
    "month",
    "total",
    "online",
    "resolved",
    "resolved_on_time",
    "pending_overdue",
]


def monthly_counts_csv(records: Sequence[Mapping]) -> str:
    """The monthly counts (`Ingested.records`) as `ingest --out` writes them: UTF-8 CSV, LF, month
    as YYYY-MM.

    `read_counts` reads this file back (it is a counts file like the sample's, with the optional
    columns filled in).
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(MONTHLY_COLUMNS)
    writer.writerows([record[c] for c in MONTHLY_COLUMNS] for record in records)
    return text.getvalue()
