"""What has arrived: for each unit and month of a year, present, missing or revised.

`status_grid` is the table `kpi-report status` prints and the data-quality page shows; `missing`
answers the department's first question of the month: who has not sent month M yet.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kpi_utils.store.revisions import Settled

PRESENT, MISSING, REVISED = "present", "missing", "revised"


def months_of_year(settled: Settled, month: str | None) -> list[str]:
    """January through `month` (default: the last month any file gives) of its year."""
    if month is None:
        given = sorted(m for _, m in settled.records)
        if not given:
            return []
        month = given[-1]
    last = pd.Period(month, freq="M")
    first = pd.Period(year=last.year, month=1, freq="M")
    return [str(m) for m in pd.period_range(first, last, freq="M")]


def status_grid(settled: Settled, unit_codes: Sequence[str], months: Sequence[str]) -> pd.DataFrame:
    """One row per unit (in the order given), one column per month: present, missing, revised."""
    revised = settled.revised_keys()
    rows = []
    for code in unit_codes:
        row = {"unit_code": code}
        for month in months:
            key = (code, month)
            row[month] = (
                REVISED if key in revised else PRESENT if key in settled.records else MISSING
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["unit_code", *months])


def missing(grid: pd.DataFrame, month: str) -> list[str]:
    """The units that have not sent `month`."""
    if month not in grid.columns:
        return list(grid["unit_code"])
    return list(grid.loc[grid[month] == MISSING, "unit_code"])


def grid_text(grid: pd.DataFrame) -> str:
    """The grid as text: one line per unit, a letter per month (P present, - missing, R revised)."""
    letters = {PRESENT: "P", MISSING: "-", REVISED: "R"}
    months = list(grid.columns[1:])
    width = max((len(c) for c in grid["unit_code"]), default=4)
    head = " " * width + "  " + " ".join(m[-2:] for m in months)
    lines = [head]
    for _, row in grid.iterrows():
        marks = "  ".join(letters[row[m]] for m in months)
        lines.append(f"{row['unit_code']:<{width}}  {marks}")
    return "\n".join(lines)
