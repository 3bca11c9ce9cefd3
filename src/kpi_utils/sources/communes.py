"""Communes (xã, phường, thị trấn): the GSO list, name resolution, commune counts and targets.

Điều 2 of the decision has each district assign targets to its communes. This module is the one
place that knows commune names, as `registry` is for units:

- `load_communes()` reads `data/communes.csv` (151 communes of the GSO list of 2021-02-03).
- `CommuneResolver` turns any spelling (with or without "Xã"/"Phường"/"Thị trấn" or "TT."/"P.",
  any case, Unicode form or tone placement, as `names.name_key` folds them) into a GSO
  `ward_code`. Six names belong to two communes each (Cao Sơn, Đoàn Kết, Thống Nhất): the district
  settles them, and without it the name is an error that lists both.
- `read_commune_counts` and `read_commune_targets` read files through `tables.read_table`, like
  `inputs` does for units; problems name file, row, column and value.
- The commune KPI table is computed from these frames in `metrics.commune_kpi`.

Tidy commune counts: ward_code (int64), unit_code (the district), month (Period[M]), total,
online (int64), resolved, resolved_on_time (Int64), source_file, source_row, source_unit.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi_utils.common.names import name_key, suggestion_key
from kpi_utils.common.paths import data_dir
from kpi_utils.common.problems import Problem, error
from kpi_utils.common.registry import UnitResolver
from kpi_utils.sources import cells, headers, validate
from kpi_utils.sources.inputs import (
    Loaded,
    SourceFile,
    month_and_counts,
    parse_cell,
    second_targets,
    source_file,
)
from kpi_utils.sources.tables import RawTable, read_table

COMMUNE_REGISTRY_COLUMNS = [
    "ward_code",
    "ward_name",
    "ward_type",
    "district_code",
    "district_name",
    "unit_code",
]
WARD_TYPES = ("xã", "phường", "thị trấn")
# Abbreviated prefixes people write; `names.name_key` knows the full words only.
_ABBREVIATIONS = (
    (re.compile(r"^\s*tt\s*[.:]?\s+|^\s*tt\.\s*", re.IGNORECASE), "thị trấn "),
    (re.compile(r"^\s*p\s*\.\s*", re.IGNORECASE), "phường "),
    (re.compile(r"^\s*x\s*\.\s*", re.IGNORECASE), "xã "),
)


def load_communes(path: Path | None = None) -> pd.DataFrame:
    """The commune registry in file order (district by district), one row per commune."""
    path = path or data_dir() / "communes.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["ward_code"] = frame["ward_code"].astype("int64")
    frame["district_code"] = frame["district_code"].astype("int64")
    return frame[COMMUNE_REGISTRY_COLUMNS].reset_index(drop=True)


def _expand(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).strip()
    for pattern, full in _ABBREVIATIONS:
        text = pattern.sub(full, text)  # each pattern is anchored at the start: one match
    return text


def ward_type_of(text: str) -> str | None:
    """The type a name says it is ("Phường Kỳ Sơn" -> "phường"), or None when it has no prefix."""
    words = _expand(text).casefold()
    for ward_type in WARD_TYPES:  # no type is the start of another
        if words.startswith(ward_type + " "):
            return ward_type
    return None


@dataclass(frozen=True)
class CommuneResolver:
    """Resolves commune names to GSO ward codes; build it with `CommuneResolver.from_communes`."""

    communes: pd.DataFrame = field(repr=False)
    units: UnitResolver = field(repr=False)
    by_key: dict[str, tuple[int, ...]] = field(repr=False)
    by_loose_key: dict[str, tuple[int, ...]] = field(repr=False)
    info: dict[int, dict] = field(repr=False)

    @classmethod
    def from_communes(cls, communes: pd.DataFrame, units: UnitResolver) -> CommuneResolver:
        by_key: dict[str, list[int]] = {}
        by_loose: dict[str, list[int]] = {}
        info: dict[int, dict] = {}
        for record in communes.to_dict("records"):
            code = int(record["ward_code"])
            info[code] = record
            by_key.setdefault(name_key(record["ward_name"]), []).append(code)
            by_loose.setdefault(suggestion_key(record["ward_name"]), []).append(code)
        return cls(
            communes,
            units,
            {k: tuple(v) for k, v in by_key.items()},
            {k: tuple(v) for k, v in by_loose.items()},
            info,
        )

    def label(self, code: int) -> str:
        """ "Xã Cao Sơn (Huyện Đà Bắc)": how problems and suggestions name a commune."""
        record = self.info[code]
        return f"{record['ward_name']} ({record['district_name']})"

    def district(self, name: object) -> str | None:
        """The district unit code for a unit code, a registry name or a GSO district name."""
        if name is None or str(name).strip() == "":
            return None
        code = self.units.resolve(str(name))
        districts = {r["unit_code"] for r in self.info.values()}
        return code if code in districts else None

    def resolve(
        self, name: object, district: object = None, suggest: bool = True
    ) -> tuple[int | None, str | None]:
        """(ward_code, None) for a commune, or (None, message) saying why not.

        `district` (a unit code or any district spelling) settles names that two districts share
        and is checked against the commune found. A bare GSO code ("4876") is accepted too.
        `suggest=False` skips looking for the closest names (for callers that only probe).
        """
        text = "" if name is None else str(name).strip()
        if not text:
            return None, "empty commune name"
        unit = None
        if district is not None and str(district).strip():
            unit = self.district(district)
            if unit is None:
                return None, f"unknown district {str(district)!r}"
        if text.isdigit() and int(text) in self.info:
            return self._check_district(int(text), unit)
        candidates = self.by_key.get(name_key(_expand(text)), ())
        if not candidates:
            hint = self.suggest(text, unit) if suggest else []
            return None, "unknown commune" + (f"; closest: {', '.join(hint)}" if hint else "")
        if unit is not None:
            in_district = tuple(c for c in candidates if self.info[c]["unit_code"] == unit)
            if not in_district:
                where = ", ".join(self.label(c) for c in candidates)
                return None, f"no commune of that name in {unit}; there is {where}"
            candidates = in_district
        typed = ward_type_of(text)
        if typed is not None:  # one candidate of another type is kept by the `or` below
            candidates = tuple(c for c in candidates if self.info[c]["ward_type"] == typed) or (
                candidates
            )
        if len(candidates) > 1:
            where = "; ".join(self.label(c) for c in candidates)
            return None, f"ambiguous commune name: {where}; give the district to tell them apart"
        return candidates[0], None

    def _check_district(self, code: int, unit: str | None) -> tuple[int | None, str | None]:
        if unit is not None and self.info[code]["unit_code"] != unit:
            return None, f"commune {code} is {self.label(code)}, not in {unit}"
        return code, None

    def suggest(self, name: object, district: str | None = None, n: int = 3) -> list[str]:
        """The communes whose names come closest to `name` (within `district` if given)."""
        key = suggestion_key(_expand(str(name)))
        found: list[str] = []
        for match in difflib.get_close_matches(key, list(self.by_loose_key), n=4 * n, cutoff=0.5):
            for code in self.by_loose_key[match]:
                if district is None or self.info[code]["unit_code"] == district:
                    label = self.label(code)
                    if label not in found:
                        found.append(label)
        return found[:n]


# --- reading files ----------------------------------------------------------------------------

COMMUNE_COUNTS_COLUMNS = [
    "ward_code",
    "unit_code",
    "month",
    "total",
    "online",
    "resolved",
    "resolved_on_time",
    "source_file",
    "source_row",
    "source_unit",
]
_OPTIONAL = ("resolved", "resolved_on_time")


def _commune(
    table: RawTable,
    row: int,
    values: list[object],
    communes: CommuneResolver,
    memo: dict | None = None,
) -> tuple[int | None, Problem | None]:
    """Resolve the row's commune, settled by its district column and checked by its code column.

    `memo` keeps each (name, district) resolved once per file: a year of counts names each
    commune twelve times, and resolving is most of the reading time (a district page reads them).
    """
    raw = table.cell(values, "commune")
    district = table.cell(values, "district")  # None without a district column
    if memo is None:
        code, message = communes.resolve(raw, district)
    else:
        key = (raw, district)
        if key not in memo:
            memo[key] = communes.resolve(raw, district)
        code, message = memo[key]
    if message is not None:
        column = table.column_label("commune")
        if message.startswith("unknown district"):
            column = table.column_label("district")
            raw = district
        return None, error(table.file, message, row=row, column=column, value=raw or "")
    given = table.cell(values, "ward_code")  # None without a code column or in an empty cell
    if given is not None and str(given).strip() != str(code):
        return None, error(
            table.file,
            f"the code does not match the name {communes.label(code)} ({code})",
            row=row,
            column=table.column_label("ward_code"),
            value=given,
        )
    return code, None


def read_commune_counts(
    paths: Sequence[str | Path], communes: CommuneResolver, sheet: str | None = None
) -> Loaded:
    """Monthly counts per commune from CSV/XLSX files, with duplicates reported."""
    records: list[dict] = []
    problems: list[Problem] = []
    files: list[SourceFile] = []
    for path in paths:
        table, found = read_table(path, headers.COMMUNE_COUNTS, sheet=sheet)
        problems += found
        if table is None:
            continue
        files.append(source_file(path, table, "commune"))
        optional = [f for f in _OPTIONAL if f in table.columns]
        memo: dict = {}
        for row, values in table.readable_rows():
            row_problems: list[Problem] = []
            code, problem = _commune(table, row, values, communes, memo)
            if problem:
                row_problems.append(problem)
            month, counts = month_and_counts(table, row, values, optional, row_problems)
            problems += row_problems
            if not row_problems:
                records.append(
                    {
                        "ward_code": code,
                        "unit_code": communes.info[code]["unit_code"],
                        "month": month,
                        **counts,
                        "source_file": table.file,
                        "source_row": row,
                        "source_unit": str(table.cell(values, "commune")),
                    }
                )
    frame = commune_counts_frame(records)
    problems += duplicate_commune_months(frame, communes)
    return Loaded(frame, problems, files)


def commune_counts_frame(records: list[dict]) -> pd.DataFrame:
    """The tidy commune counts frame with its documented dtypes (also for an empty list)."""
    frame = pd.DataFrame.from_records(records, columns=COMMUNE_COUNTS_COLUMNS)
    frame["ward_code"] = frame["ward_code"].astype("int64")
    frame["unit_code"] = frame["unit_code"].astype("str")
    frame["month"] = frame["month"].astype("period[M]")
    for f in ("total", "online", "source_row"):
        frame[f] = frame[f].astype("int64")
    for f in _OPTIONAL:
        frame[f] = frame[f].astype("Int64")
    for f in ("source_file", "source_unit"):
        frame[f] = frame[f].astype("str")
    return frame


def commune_counts_csv(counts: pd.DataFrame) -> str:
    """Commune counts as a CSV (UTF-8, LF) that `read_commune_counts` reads back: each commune by
    its GSO code, with its district; on-time columns as they are (empty where unknown)."""
    columns = ["ward_code", "unit_code", "month", "total", "online", *_OPTIONAL]
    frame = counts[columns].rename(columns={"ward_code": "commune", "unit_code": "district"})
    frame["month"] = frame["month"].astype(str)
    return frame.to_csv(index=False, lineterminator="\n")


def duplicate_commune_months(counts: pd.DataFrame, communes: CommuneResolver) -> list[Problem]:
    """The same commune and month twice (also spelled two ways, or in two files)."""
    return validate.duplicate_months(
        counts, key="ward_code", describe=lambda code: communes.label(int(code))
    )


COMMUNE_TARGETS_COLUMNS = [
    "ward_code",
    "unit_code",
    "year",
    "target_rate",
    "decision",
    "source_file",
    "source_row",
]


def read_commune_targets(
    path: str | Path, communes: CommuneResolver, year: int | None = None
) -> Loaded:
    """Targets districts assigned to their communes. A file without a year column needs `year`."""
    table, problems = read_table(path, headers.COMMUNE_TARGETS)
    if table is None:
        return Loaded(commune_targets_frame([]), problems)
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
        row_problems: list[Problem] = []
        code, problem = _commune(table, row, values, communes)
        if problem:
            row_problems.append(problem)
        rate = parse_cell(table, row, values, "target_rate", cells.parse_rate, row_problems)
        row_year = year
        if "year" in table.columns:
            row_year = parse_cell(table, row, values, "year", cells.parse_year, row_problems)
        problems += row_problems
        if not row_problems:
            decision = table.cell(values, "decision")
            records.append(
                {
                    "ward_code": code,
                    "unit_code": communes.info[code]["unit_code"],
                    "year": row_year,
                    "target_rate": rate,
                    "decision": "" if decision is None else str(decision),
                    "source_file": table.file,
                    "source_row": row,
                }
            )
    frame = commune_targets_frame(records)
    problems += second_targets(
        frame, table, "ward_code", "commune", lambda code: communes.label(int(code))
    )
    return Loaded(frame, problems, [source_file(path, table, "commune")])


def commune_targets_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=COMMUNE_TARGETS_COLUMNS)
    frame["ward_code"] = frame["ward_code"].astype("int64")
    frame["unit_code"] = frame["unit_code"].astype("str")
    frame["year"] = frame["year"].astype("Int64")
    frame["target_rate"] = frame["target_rate"].astype("float64")
    frame["source_row"] = frame["source_row"].astype("int64")
    for f in ("decision", "source_file"):
        frame[f] = frame[f].astype("str")
    return frame


def looks_like_commune_counts(path: str | Path, sheet: str | None = None) -> bool:
    """True when a file's header names a commune column (for `check` to tell it from unit counts)."""
    table, _ = read_table(path, headers.COMMUNE_COUNTS, sheet=sheet)
    return table is not None
