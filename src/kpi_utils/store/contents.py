"""What one stored file says, in plain records: read once by the readers of `sources`, checked.

Every kind comes down to records keyed by (unit or commune, month or year), the only thing the
store needs to settle revisions: unit counts (`COUNT_FIELDS` by unit and month; monthly counts,
Biểu 06 forms, dossier exports), commune counts (by commune and month; commune counts and the
commune rows of forms), targets (by unit and year) and commune targets (by commune and year). A
procedure catalogue has none: it is stored for the dossier exports that name it. Values are
strings as a CSV holds them ("" where unknown), so that the records are cached as JSON as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kpi_utils.common.problems import Problem, error
from kpi_utils.sources import kinds
from kpi_utils.sources.files import SourceFile

COUNT_FIELDS = ("total", "online", "resolved", "resolved_on_time", "pending_overdue")
COMMUNE_FIELDS = ("total", "online", "resolved", "resolved_on_time")
TARGET_FIELDS = ("target_rate", "eligible_procedures")
COMMUNE_TARGET_FIELDS = ("target_rate", "decision")
# the key of each part's records, and its fields
PARTS = {
    "counts": (("unit_code", "month"), COUNT_FIELDS),
    "communes": (("ward_code", "month"), ("unit_code", *COMMUNE_FIELDS)),
    "targets": (("unit_code", "year"), TARGET_FIELDS),
    "commune_targets": (("ward_code", "year"), ("unit_code", *COMMUNE_TARGET_FIELDS)),
}


@dataclass
class Contents:
    """The records of one file, the problems found reading it, and what was read."""

    parts: dict[str, list[dict]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files[:1])

    def periods(self) -> list[str]:
        """Months (YYYY-MM) or, for targets, years covered."""
        found = {r.get("month") or r.get("year") for part in self.parts.values() for r in part}
        return sorted(str(p) for p in found if p)

    def units(self) -> list[str]:
        found = {r["unit_code"] for part in self.parts.values() for r in part}
        return sorted(found)

    def to_json(self) -> dict:
        return {"parts": self.parts}


def _text(value: object) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _records(frame, columns: tuple[str, ...]) -> list[dict]:
    data = {c: [_text(v) for v in frame[c].tolist()] for c in columns}
    return [dict(zip(columns, values, strict=True)) for values in zip(*data.values(), strict=True)]


def _counts_records(frame) -> list[dict]:
    return _records(frame, ("unit_code", "month", *COUNT_FIELDS))


def _commune_records(frame) -> list[dict]:
    return _records(frame, ("ward_code", "month", "unit_code", *COMMUNE_FIELDS))


def read_contents(
    path: str | Path, kind: str, catalogue: str | Path | None = None, label: str | None = None
) -> Contents:
    """Read `path` as a file of `kind`, with every problem (`check`'s rules for that kind).

    `catalogue`: the procedure catalogue a dossier export is counted with (needed for one).
    Problems name the file as `label` (default: its path)."""
    from kpi_utils.common.registry import load_registry, resolver
    from kpi_utils.sources import validate

    path = Path(path)
    units = resolver()
    codes = list(load_registry()["unit_code"])
    if kind == kinds.COUNTS:
        from kpi_utils.sources.inputs import read_counts

        loaded = read_counts([path], units)
        problems = validate.validate_counts(loaded, codes)
        return Contents({"counts": _counts_records(loaded.frame)}, problems, loaded.files)
    if kind == kinds.FORM:
        from kpi_utils.sources.forms import read_forms

        loaded = read_forms([path], units)
        problems = validate.validate_counts(loaded, codes)
        parts = {
            "counts": _counts_records(loaded.frame),
            "communes": _commune_records(loaded.communes),
        }
        return Contents(parts, problems, loaded.files)
    if kind == kinds.DOSSIERS:
        from kpi_utils.sources.aggregate import load_dossiers

        if catalogue is None:
            message = "a dossier export needs a procedure catalogue: add one with it (or before)"
            return Contents({}, [error(path, message)], [])
        loaded = load_dossiers([path], catalogue, units)
        problems = validate.validate_counts(loaded, codes)
        files = [f for f in loaded.files if f.path == str(path)]
        return Contents({"counts": _counts_records(loaded.frame)}, problems, files)
    if kind == kinds.CATALOGUE:
        from kpi_utils.sources.catalogue import read_catalogue

        loaded = read_catalogue(path, units)
        return Contents({}, loaded.problems, loaded.files)
    if kind == kinds.TARGETS:
        from kpi_utils.sources.inputs import read_targets

        loaded = read_targets(path, units)
        return Contents(
            {"targets": _records(loaded.frame, ("unit_code", "year", *TARGET_FIELDS))},
            loaded.problems,
            loaded.files,
        )
    from kpi_utils.sources import communes

    resolver_ = communes.CommuneResolver.from_communes(communes.load_communes(), units)
    if kind == kinds.COMMUNE_COUNTS:
        loaded = communes.read_commune_counts([path], resolver_)
        return Contents({"communes": _commune_records(loaded.frame)}, loaded.problems, loaded.files)
    if kind == kinds.COMMUNE_TARGETS:
        loaded = communes.read_commune_targets(path, resolver_)
        columns = ("ward_code", "year", "unit_code", *COMMUNE_TARGET_FIELDS)
        return Contents(
            {"commune_targets": _records(loaded.frame, columns)}, loaded.problems, loaded.files
        )
    raise ValueError(f"unknown kind of file: {kind!r}")
