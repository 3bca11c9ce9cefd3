"""Rules that span rows and files: duplicates, coverage, and targets for every unit.

Row-level rules (a cell that is not a month, online above total, ...) are found while reading
(`inputs`). These work on the tidy frames, which keep `source_file`/`source_row`/`source_unit`
so every problem still names the row a user must fix.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from kpi_utils.common.problems import Problem, error, warning
from kpi_utils.sources.files import Loaded


def duplicate_months(
    counts: pd.DataFrame,
    unit_columns: dict[str, str] | None = None,
    key: str = "unit_code",
    describe: Callable[[object], str] = str,
) -> list[Problem]:
    """The same `key` (unit, or commune) and month twice, also spelled two ways or in two files.

    Every later row is an error that names all rows of the pair; `describe` words the key.
    """
    unit_columns = unit_columns or {}
    problems = []
    dup = counts[counts.duplicated([key, "month"], keep=False)]
    for (code, month), group in dup.groupby([key, "month"], sort=False):
        places = [
            f"{f} row {r} ({u!r})"
            for f, r, u in zip(
                group["source_file"], group["source_row"], group["source_unit"], strict=True
            )
        ]
        for _, later in group.iloc[1:].iterrows():
            problems.append(
                error(
                    later["source_file"],
                    f"{describe(code)} {month} appears more than once: {'; '.join(places)}",
                    row=int(later["source_row"]),
                    column=unit_columns.get(later["source_file"]),
                    value=later["source_unit"],
                )
            )
    return problems


def coverage(
    counts: pd.DataFrame,
    unit_codes: list[str],
    label: str = "inputs",
    month: str | pd.Period | None = None,
) -> list[Problem]:
    """Warnings: a registered unit with no rows; a unit missing months inside the span of the data.

    With `month` (the month a table is made for), the span also covers January of its year
    through that month: a table for June from counts that end in March must say its June and
    year-to-date figures rest on missing months.
    """
    problems = []
    if counts.empty:
        return [warning(label, "no usable rows of counts")]
    first, last = counts["month"].min(), counts["month"].max()
    if month is not None:
        month = pd.Period(month, freq="M")
        first, last = min(first, pd.Period(year=month.year, month=1, freq="M")), max(last, month)
    span = pd.period_range(first, last, freq="M")
    present = counts.groupby("unit_code")["month"].agg(set)
    for code in unit_codes:
        if code not in present.index:
            problems.append(warning(label, f"{code} has no rows in {span[0]}..{span[-1]}"))
            continue
        missing = [str(m) for m in span if m not in present[code]]
        if missing:
            problems.append(
                warning(label, f"{code} has no row for {len(missing)} month(s): {_months(missing)}")
            )
    return problems


def _months(months: list[str]) -> str:
    return ", ".join(months) if len(months) <= 6 else ", ".join(months[:6]) + ", ..."


def missing_targets(
    targets: pd.DataFrame, unit_codes: list[str], year: int, label: str
) -> list[Problem]:
    """An error for each registered unit without a target for `year`."""
    have = set(targets.loc[targets["year"] == year, "unit_code"])
    return [
        error(label, f"no target for {code} in {year}") for code in unit_codes if code not in have
    ]


def month_outside(
    counts: pd.DataFrame, targets: pd.DataFrame, month: str | pd.Period, label: str
) -> Problem | None:
    """One error when `month` lies outside the months of the counts, in a year they do not reach
    or that has no targets (instead of one warning and one missing target per unit): which months
    the counts cover, and which years have targets.

    A month after the counts in a year they do reach, with targets, stays a table (its missing
    months are warnings, `coverage`): the year to date rests on the months there are.
    """
    if counts.empty:
        return None
    month = pd.Period(month, freq="M")
    first, last = counts["month"].min(), counts["month"].max()
    years = sorted({int(y) for y in targets["year"]})
    if first <= month <= last or (first.year <= month.year <= last.year and month.year in years):
        return None
    have = ", ".join(str(y) for y in years) if years else "no year"
    return error(
        label,
        f"no counts for {month}: the counts cover {first} to {last}, and targets exist for {have}",
    )


def validate_counts(
    loaded: Loaded,
    unit_codes: list[str],
    month: str | pd.Period | None = None,
    given: str | None = None,
) -> list[Problem]:
    """All problems of a counts load: those found reading plus the cross-row rules.

    `month`: the month a table is made for, if any (see `coverage`). Coverage warnings name the
    files read, or when none could be read, `given` (the user's files, never a made-up name)."""
    unit_columns = {f.path: f.unit_column for f in loaded.files}
    label = ", ".join(f.path for f in loaded.files) or given or "inputs"
    return [
        *loaded.problems,
        *duplicate_months(loaded.frame, unit_columns),
        *coverage(loaded.frame, unit_codes, label, month),
    ]
