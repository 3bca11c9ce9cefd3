"""The procedure catalogue: which procedures are offered online at level 3 or 4.

The decision's KPI counts online dossiers *of the procedures in the level-3/4 catalogue* (DOMAIN.md
§1). A catalogue file lists procedures with their code (`Mã TTHC`), name, level (`Mức độ`: 2, 3, 4,
or since Decree 42/2022/NĐ-CP `một phần` = 3, `toàn trình` = 4) and, optionally, the agency that
carries them (`Cơ quan`). A procedure is keyed by its code alone: district procedures appear once
per district with the same code, which is fine as long as the level agrees.

Catalogue frame columns: procedure_code (str, trimmed, upper case), procedure_name (str), level
(int64), unit_code (str, "" when the agency is absent or names no registered unit), source_file,
source_row. `read_catalogue_entries` gives the same as plain records, without pandas (for
`kpi-report ingest`, which only needs each code's level: `procedure_levels`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_utils.common.names import collapse_spaces
from kpi_utils.common.problems import Problem, damaged, error, warning
from kpi_utils.common.registry import UnitResolver
from kpi_utils.sources import headers
from kpi_utils.sources.files import Loaded, SourceFile
from kpi_utils.sources.tables import RawTable, read_table

if TYPE_CHECKING:
    import pandas as pd

ONLINE_LEVELS = (3, 4)
CATALOGUE_COLUMNS = [
    "procedure_code",
    "procedure_name",
    "level",
    "unit_code",
    "source_file",
    "source_row",
]

_LEVEL_DIGIT = re.compile(r"^(?:mức độ|mức|level)?\s*0?(?P<level>[1-4])(?:[.,]0+)?$")
_LEVEL_WORDS = {"toàn trình": 4, "một phần": 3}


def procedure_key(value: object) -> str:
    """How procedure codes are compared: trimmed, upper case (`1.001234.000.00.00.h29` = `...H29`)."""
    return str(value).strip().upper() if value is not None else ""


def parse_level(value: object) -> tuple[int | None, str | None]:
    """A procedure's online level: 1-4, `Mức độ 3`, `một phần` (3) or `toàn trình` (4)."""
    if isinstance(value, bool):
        return None, "not a level"
    if isinstance(value, int | float) and value == int(value) and 1 <= int(value) <= 4:
        return int(value), None
    key = collapse_spaces(str(value)).casefold()  # NFC: these words have one place for a tone
    for words, level in _LEVEL_WORDS.items():
        if words in key:
            return level, None
    match = _LEVEL_DIGIT.match(key)
    if match:
        return int(match["level"]), None
    return None, "not a level (write 2, 3, 4, 'một phần' or 'toàn trình')"


def read_catalogue(path: str | Path, resolver: UnitResolver, label: str | None = None) -> Loaded:
    """The catalogue from a CSV, XLSX or Parquet file, with every problem found."""
    records, problems, files = read_catalogue_entries(path, resolver, label)
    return Loaded(catalogue_frame(records), problems, files)


def read_catalogue_entries(
    path: str | Path, resolver: UnitResolver, label: str | None = None
) -> tuple[list[dict], list[Problem], list[SourceFile]]:
    """The catalogue's rows as records (the frame's columns), the problems, the file read."""
    name = label or str(path)
    if is_parquet(path):
        table, problems = parquet_table(path, headers.CATALOGUE, name)
    else:
        table, problems = read_table(path, headers.CATALOGUE, label=name)
    if table is None:
        return [], problems, []
    records: list[dict] = []
    unknown: dict[str, list[int]] = {}  # agency spelling -> rows: one warning per spelling
    for row, values in table.readable_rows():
        code = procedure_key(table.cell(values, "procedure_code"))
        if not code:
            problems.append(
                error(
                    name,
                    "empty procedure code",
                    row=row,
                    column=table.column_label("procedure_code"),
                    value="",
                )
            )
            continue
        raw_level = table.cell(values, "level")
        level, message = parse_level(raw_level) if raw_level is not None else (None, "empty level")
        if message:
            column = table.column_label("level")
            problems.append(error(name, message, row=row, column=column, value=raw_level or ""))
            continue
        unit_code = ""
        raw_agency = table.cell(values, "agency")
        if raw_agency is not None:
            unit_code = resolver.resolve(str(raw_agency)) or ""
            if not unit_code:
                unknown.setdefault(str(raw_agency), []).append(row)
        raw_name = table.cell(values, "procedure_name")
        records.append(
            {
                "procedure_code": code,
                "procedure_name": "" if raw_name is None else str(raw_name),
                "level": level,
                "unit_code": unit_code,
                "source_file": name,
                "source_row": row,
            }
        )
    for agency, rows in unknown.items():
        more = f" (and {len(rows) - 1} more row(s))" if len(rows) > 1 else ""
        problems.append(
            warning(
                name,
                f"agency names no registered unit{more}: its procedures still count for online "
                "dossiers, but in no unit's eligible-procedure count",
                row=rows[0],
                column=table.column_label("agency"),
                value=agency,
            )
        )
    problems += conflicting_levels(records, table.column_label("level"))
    files = [SourceFile(Path(path).name, str(path), len(table.rows), table.sha256)]
    return records, problems, files


def conflicting_levels(records: list[dict], column: str | None = None) -> list[Problem]:
    """An error for each procedure code listed at two different levels (naming every row)."""
    by_code: dict[str, list[dict]] = {}
    for record in records:
        by_code.setdefault(record["procedure_code"], []).append(record)
    problems = []
    for code in sorted(by_code):
        rows = by_code[code]
        if len({r["level"] for r in rows}) < 2:
            continue
        places = ", ".join(f"row {r['source_row']}: level {r['level']}" for r in rows)
        for later in rows[1:]:
            problems.append(
                error(
                    later["source_file"],
                    f"procedure {code} is listed at different levels ({places})",
                    row=int(later["source_row"]),
                    column=column,
                    value=int(later["level"]),
                )
            )
    return problems


def catalogue_frame(records: list[dict]) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: `read_catalogue_entries` must not load pandas

    frame = pd.DataFrame.from_records(records, columns=CATALOGUE_COLUMNS)
    for column in ("procedure_code", "procedure_name", "unit_code", "source_file"):
        frame[column] = frame[column].astype("str")
    frame["level"] = frame["level"].astype("int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def procedure_levels(records: list[dict]) -> dict[str, int]:
    """Each procedure code's level (its first row's, if rows disagree: an error already)."""
    levels: dict[str, int] = {}
    for record in records:
        levels.setdefault(record["procedure_code"], int(record["level"]))
    return levels


def eligible_counts(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Per unit, the number of distinct level-3/4 procedures it carries (the appendix's column)."""
    eligible = catalogue[catalogue["level"].isin(ONLINE_LEVELS) & (catalogue["unit_code"] != "")]
    counts = eligible.groupby("unit_code")["procedure_code"].nunique()
    return counts.rename("eligible_procedures").reset_index()


# --- Parquet as a raw table -------------------------------------------------------------------


def is_parquet(path: str | Path) -> bool:
    """Parquet by its magic bytes (`PAR1`), whatever the file is called."""
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


def parquet_table(
    path: str | Path, schema: headers.Schema, name: str
) -> tuple[RawTable | None, list[Problem]]:
    """A small Parquet file as a `RawTable` (column names are the header row, row 1)."""
    import pyarrow.parquet as pq

    from kpi_utils.sources.tables import file_sha256

    try:
        data = Path(path).read_bytes()
        arrow = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several kinds on damaged files
        return None, [error(name, damaged("not a readable Parquet file", exc))]
    names = list(arrow.column_names)
    columns = headers.map_headers(schema, names)
    missing = [f for f in schema.required if f not in columns]
    if missing:
        return None, [
            error(name, f"missing required column {f!r} ({schema.kind})", row=1, column=f)
            for f in missing
        ]
    values = [arrow.column(i).to_pylist() for i in range(len(names))]
    rows = [(i + 2, [col[i] for col in values]) for i in range(arrow.num_rows)]
    return RawTable(name, file_sha256(data), 1, names, columns, rows), []
