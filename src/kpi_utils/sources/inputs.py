"""Reading monthly counts and targets into tidy frames, with every problem found on the way.

One reader per kind of input: `read_counts` (one or more files of unit × month counts) and
`read_targets` (the decision's appendix or a file like it). Both go through `tables.read_table`
(the one file reader), `headers` (the one header map) and `registry` (the one place that knows
unit names). Cross-row rules (duplicates, coverage) live in `validate`.

Tidy counts columns: unit_code, month (Period[M]), total, online (int64), optional
resolved, resolved_on_time, pending_overdue (Int64), source_file, source_row, source_unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from kpi_utils.common.problems import Problem, error
from kpi_utils.common.registry import UnitResolver
from kpi_utils.sources import cells, headers
from kpi_utils.sources.files import Loaded, SourceFile
from kpi_utils.sources.tables import RawTable, read_table

COUNT_FIELDS = ("total", "online")
OPTIONAL_COUNT_FIELDS = ("resolved", "resolved_on_time", "pending_overdue")
COUNTS_COLUMNS = [
    "unit_code",
    "month",
    "total",
    "online",
    *OPTIONAL_COUNT_FIELDS,
    "source_file",
    "source_row",
    "source_unit",
]


def _unit(
    table: RawTable, row: int, raw: object, resolver: UnitResolver
) -> tuple[str | None, Problem | None]:
    if raw is None:
        column = table.column_label("unit")
        return None, error(table.file, "empty unit cell", row=row, column=column, value="")
    code = resolver.resolve(str(raw))
    if code is None:
        column = table.column_label("unit")
        close = resolver.suggest(str(raw))
        hint = f"; closest: {resolver.describe(close)}" if close else ""
        return None, error(table.file, f"unknown unit{hint}", row=row, column=column, value=raw)
    return code, None


def parse_cell(
    table: RawTable,
    row: int,
    cells_: list[object],
    field_name: str,
    parser,
    problems: list[Problem],
    required: bool = True,
):
    """Parse one cell; an empty cell is an error when `required`, else simply unknown (None)."""
    raw = table.cell(cells_, field_name)
    if raw is None and not required:
        return None
    if raw is None:
        column = table.column_label(field_name)
        problems.append(
            error(table.file, f"empty {field_name} cell", row=row, column=column, value="")
        )
        return None
    value, message = parser(raw)
    if message:
        column = table.column_label(field_name)
        problems.append(error(table.file, message, row=row, column=column, value=raw))
    return value


# Each (part, whole) pair: the part can never exceed the whole. `resolved` may exceed `total`
# (dossiers carried over from earlier months are resolved too), so it is not paired with it.
PART_OF_WHOLE = (("online", "total"), ("resolved_on_time", "resolved"))


def part_of_whole(
    table: RawTable, row: int, values: list[object], counts: dict[str, int | None]
) -> list[Problem]:
    """Problems where a count exceeds the count it is a part of (online > total, ...)."""
    found = []
    for part, whole in PART_OF_WHOLE:
        p, w = counts.get(part), counts.get(whole)
        if p is not None and w is not None and p > w:
            found.append(
                error(
                    table.file,
                    f"{part} ({p}) is greater than {whole} ({w})",
                    row=row,
                    column=table.column_label(part),
                    value=table.cell(values, part),
                )
            )
    return found


def month_and_counts(
    table: RawTable,
    row: int,
    values: list[object],
    optional: Sequence[str],
    problems: list[Problem],
) -> tuple[pd.Period | None, dict[str, int | None]]:
    """The month and the counts of one row of a counts table (units or communes), checked."""
    month = parse_cell(table, row, values, "month", cells.parse_month, problems)
    counts = {
        f: parse_cell(table, row, values, f, cells.parse_count, problems, f in COUNT_FIELDS)
        for f in (*COUNT_FIELDS, *optional)
    }
    problems += part_of_whole(table, row, values, counts)
    return month, counts


def read_counts(
    paths: Sequence[str | Path], resolver: UnitResolver, sheet: str | None = None
) -> Loaded:
    """Monthly counts from CSV/XLSX files. Rows with a problem are not in the frame; check `problems`."""
    records: list[dict] = []
    problems: list[Problem] = []
    files: list[SourceFile] = []
    for path in paths:
        table, found = read_table(path, headers.COUNTS, sheet=sheet)
        problems += found
        if table is None:
            continue
        files.append(source_file(path, table, "unit"))
        optional = [f for f in OPTIONAL_COUNT_FIELDS if f in table.columns]
        for row, values in table.readable_rows():
            row_problems: list[Problem] = []
            raw_unit = table.cell(values, "unit")
            code, problem = _unit(table, row, raw_unit, resolver)
            if problem:
                row_problems.append(problem)
            month, counts = month_and_counts(table, row, values, optional, row_problems)
            problems += row_problems
            if not row_problems:
                records.append(
                    {
                        "unit_code": code,
                        "month": month,
                        **counts,
                        "source_file": table.file,
                        "source_row": row,
                        "source_unit": str(raw_unit),
                    }
                )
    return Loaded(counts_frame(records), problems, files)


def counts_frame(records: list[dict]) -> pd.DataFrame:
    """The tidy counts frame with its documented dtypes (also for an empty list)."""
    frame = pd.DataFrame.from_records(records, columns=COUNTS_COLUMNS)
    frame["unit_code"] = frame["unit_code"].astype("str")
    frame["month"] = frame["month"].astype("period[M]")
    for f in COUNT_FIELDS:
        frame[f] = frame[f].astype("int64")
    for f in OPTIONAL_COUNT_FIELDS:
        frame[f] = frame[f].astype("Int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    for f in ("source_file", "source_unit"):
        frame[f] = frame[f].astype("str")
    return frame


TARGETS_COLUMNS = [
    "unit_code",
    "year",
    "eligible_procedures",
    "target_rate",
    "source_file",
    "source_row",
]


def read_targets(path: str | Path, resolver: UnitResolver, year: int | None = None) -> Loaded:
    """Targets per unit and year. A file without a year column needs `year`.

    Reads the bundled CSV and the decision's appendix as published (title rows above the header,
    "04" with a leading zero, "55%" or percent-formatted cells). Section headings inside the
    table ("I | Sở, Ban ngành") are skipped: see `_is_section_row`.
    """
    table, problems = read_table(path, headers.TARGETS)
    if table is None:
        return Loaded(_targets_frame([]), problems)
    if "year" not in table.columns and year is None:
        problems.append(
            error(
                table.file,
                "no year column: give the year the targets are for",
                row=table.header_row,
            )
        )
    records = []
    for row, values in table.readable_rows():
        if _is_section_row(table, values, resolver):
            continue
        row_problems: list[Problem] = []
        code, problem = _unit(table, row, table.cell(values, "unit"), resolver)
        if problem:
            row_problems.append(problem)
        rate = parse_cell(table, row, values, "target_rate", cells.parse_rate, row_problems)
        eligible = None
        if (
            "eligible_procedures" in table.columns
            and table.cell(values, "eligible_procedures") is not None
        ):
            eligible = parse_cell(
                table, row, values, "eligible_procedures", cells.parse_count, row_problems
            )
        row_year = year
        if "year" in table.columns:
            row_year = parse_cell(table, row, values, "year", cells.parse_year, row_problems)
        problems += row_problems
        if not row_problems:
            records.append(
                {
                    "unit_code": code,
                    "year": row_year,
                    "eligible_procedures": eligible,
                    "target_rate": rate,
                    "source_file": table.file,
                    "source_row": row,
                }
            )
    frame = _targets_frame(records)
    problems += second_targets(frame, table, "unit_code", "unit")
    return Loaded(frame, problems, [source_file(path, table, "unit")])


def source_file(path: str | Path, table: RawTable, key_field: str) -> SourceFile:
    """What was read from `path`, for the data-quality page and the index."""
    return SourceFile(
        Path(path).name, str(path), len(table.rows), table.sha256, table.column_label(key_field)
    )


def second_targets(
    frame: pd.DataFrame,
    table: RawTable,
    key: str,
    key_field: str,
    describe: Callable[[object], str] = str,
) -> list[Problem]:
    """An error for every target after the first for the same `key` (unit, commune) and year."""
    problems = []
    for (code, year), group in frame.groupby([key, "year"], sort=False):
        rows = ", ".join(str(r) for r in group["source_row"])
        for r in group["source_row"].iloc[1:]:
            problems.append(
                error(
                    table.file,
                    f"a second target for {describe(code)} in {year} (rows {rows})",
                    row=int(r),
                    column=table.column_label(key_field),
                )
            )
    return problems


_ROMAN = re.compile(r"^[IVXLC]+\.?$")


def _is_section_row(table: RawTable, values: list[object], resolver: UnitResolver) -> bool:
    """A heading inside the table, like the decision's "I | Sở, Ban ngành" and
    "II | UBND các huyện, thành phố": skipped, and reported nowhere.

    It is one when its unit cell names no unit, it has no rate and no count, and every other
    cell is empty or a Roman numeral. A misspelt unit with its ordinal ("3 | Sở Giao thông vân
    tải") or with numbers is not a heading: it stays an unknown-unit error.
    """
    unit = table.cell(values, "unit")
    if unit is None or resolver.resolve(str(unit)) is not None:
        return False
    unit_index = table.columns["unit"]
    others = [v for i, v in enumerate(values) if i != unit_index and v is not None]
    return all(isinstance(v, str) and _ROMAN.match(v.strip()) for v in others)


def _targets_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=TARGETS_COLUMNS)
    frame["unit_code"] = frame["unit_code"].astype("str")
    frame["year"] = frame["year"].astype("Int64")
    frame["eligible_procedures"] = frame["eligible_procedures"].astype("Int64")
    frame["target_rate"] = frame["target_rate"].astype("float64")
    frame["source_row"] = frame["source_row"].astype("int64")
    frame["source_file"] = frame["source_file"].astype("str")
    return frame
