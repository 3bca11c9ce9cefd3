"""The KPI arithmetic of DOMAIN.md §3: month and year-to-date rates, gap, shortfall, status, rank.

`kpi_table` is the published contract between the package and everything downstream (CSV,
workbook, notebooks). Its columns, in order, are `KPI_COLUMNS`; one row per registered unit in
registry order. Rates are unrounded fractions; a cell is empty (NA) where the value is undefined.

Status, shortfall and rank are decided with exact fractions, never floats: 7,381 online of
13,420 is exactly 55%, although `0.55 * 13420` is 7381.000000000001 in floating point.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

# The month and year-to-date cells every KPI table shares (units here, communes in `communes`).
RATE_COLUMNS = [
    "month",
    "month_total",
    "month_online",
    "month_rate",
    "ytd_total",
    "ytd_online",
    "ytd_rate",
    "gap_pp",
    "shortfall",
    "status",
]
KPI_COLUMNS = [
    "unit_code",
    "unit_name",
    "group",
    "eligible_procedures",
    "target_rate",
    *RATE_COLUMNS,
    "rank_in_group",
]
STATUSES = ("met", "near", "below", "no_data")
NEAR_MARGIN = Fraction(5, 100)  # "near": below the target by less than 5 percentage points


def exact_rate(rate: float) -> Fraction:
    """The decimal a target was written as: 0.55 -> 11/20 (the float's shortest repr is exact)."""
    return Fraction(repr(float(rate)))


def shortfall(ytd_online: int, ytd_total: int, target: Fraction) -> int:
    """Least number of extra online dossiers that would have put the YTD rate at the target."""
    return max(0, math.ceil(target * ytd_total - ytd_online))


def status(ytd_online: int, ytd_total: int, target: Fraction) -> str:
    if ytd_total == 0:
        return "no_data"
    rate = Fraction(ytd_online, ytd_total)
    if rate >= target:
        return "met"
    if target - rate < NEAR_MARGIN:
        return "near"
    return "below"


def _ranks(rates: dict[str, Fraction]) -> dict[str, int]:
    """Competition ranking, highest first: equal rates share the best rank (1, 2, 2, 4)."""
    return {code: 1 + sum(other > rate for other in rates.values()) for code, rate in rates.items()}


def period_sums(
    counts: pd.DataFrame, month: pd.Period, key: str = "unit_code"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(YTD sums, month sums) of total and online per `key`: January..`month` of its year."""
    in_year = counts[(counts["month"].dt.year == month.year) & (counts["month"] <= month)]
    ytd = in_year.groupby(key)[["total", "online"]].sum()
    this_month = in_year[in_year["month"] == month].groupby(key)[["total", "online"]].sum()
    return ytd, this_month


def rate_fields(
    ytd: pd.DataFrame, this_month: pd.DataFrame, code: object, target: Fraction | None
) -> dict[str, object]:
    """The month, YTD, gap, shortfall and status cells of one unit (or commune), exactly.

    `_exact` (the YTD rate as a Fraction, or None) is for `assign_ranks` and is dropped after.
    """
    ytd_total = int(ytd.at[code, "total"]) if code in ytd.index else 0
    ytd_online = int(ytd.at[code, "online"]) if code in ytd.index else 0
    m_total = int(this_month.at[code, "total"]) if code in this_month.index else None
    m_online = int(this_month.at[code, "online"]) if code in this_month.index else None
    state = status(ytd_online, ytd_total, target) if target is not None else "no_data"
    has_rate = ytd_total > 0
    return {
        "month_total": m_total,
        "month_online": m_online,
        "month_rate": m_online / m_total if m_total else None,
        "ytd_total": ytd_total,
        "ytd_online": ytd_online,
        "ytd_rate": ytd_online / ytd_total if has_rate else None,
        "gap_pp": float((Fraction(ytd_online, ytd_total) - target) * 100)
        if has_rate and target is not None
        else None,
        "shortfall": shortfall(ytd_online, ytd_total, target)
        if has_rate and target is not None
        else None,
        "status": state,
        "_exact": Fraction(ytd_online, ytd_total) if has_rate else None,
    }


def assign_ranks(table: pd.DataFrame, by: str, column: str) -> pd.DataFrame:
    """Set `column` to the competition rank of `_exact` within each `by` group; no_data unranked."""
    table[column] = None
    for _, members in table[table["status"] != "no_data"].groupby(by, sort=False):
        ranks = _ranks(dict(zip(members.index, members["_exact"], strict=True)))
        for index, rank in ranks.items():
            table.at[index, column] = rank
    return table


def kpi_table(
    counts: pd.DataFrame,
    targets: pd.DataFrame,
    registry: pd.DataFrame,
    month: str | pd.Period,
) -> pd.DataFrame:
    """The KPI table for `month` (YTD = January through `month` of the same year).

    counts: tidy counts (unit_code, month Period[M], total, online); rows of other years and of
    later months are ignored, and so are any other columns (resolved, resolved_on_time, ...).
    targets: unit_code, year, eligible_procedures, target_rate. registry: from
    `registry.load_registry`.
    """
    month = pd.Period(month, freq="M")
    ytd, this_month = period_sums(counts, month)
    year_targets = targets[targets["year"].isna() | (targets["year"] == month.year)]
    target_by_unit = year_targets.drop_duplicates("unit_code", keep="last").set_index("unit_code")

    rows = []
    for _, unit in registry.iterrows():
        code = unit["unit_code"]
        target_row = target_by_unit.loc[code] if code in target_by_unit.index else None
        target = exact_rate(target_row["target_rate"]) if target_row is not None else None
        rows.append(
            {
                "unit_code": code,
                "unit_name": unit["official_name"],
                "group": unit["group"],
                "eligible_procedures": None
                if target_row is None
                else target_row["eligible_procedures"],
                "target_rate": None if target is None else float(target),
                "month": str(month),
                **rate_fields(ytd, this_month, code, target),
            }
        )
    table = assign_ranks(pd.DataFrame.from_records(rows), "group", "rank_in_group")
    return _typed(table.drop(columns="_exact"))


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    table = table[KPI_COLUMNS].copy()
    for column in ("unit_code", "unit_name", "group", "month", "status"):
        table[column] = table[column].astype("str")
    for column in (
        "eligible_procedures",
        "month_total",
        "month_online",
        "shortfall",
        "rank_in_group",
    ):
        table[column] = table[column].astype("Int64")
    for column in ("ytd_total", "ytd_online"):
        table[column] = table[column].astype("int64")
    for column in ("target_rate", "month_rate", "ytd_rate", "gap_pp"):
        table[column] = table[column].astype("Float64")
    return table


def province_total(table: pd.DataFrame) -> dict[str, object]:
    """Province sums over all units of a KPI table, with the province's rates."""
    month_total = int(table["month_total"].sum())  # sum() skips the NA of units without a row
    month_online = int(table["month_online"].sum())
    ytd_total = int(table["ytd_total"].sum())
    ytd_online = int(table["ytd_online"].sum())
    return {
        "month": table["month"].iloc[0] if len(table) else None,
        "month_total": month_total,
        "month_online": month_online,
        "month_rate": month_online / month_total if month_total else None,
        "ytd_total": ytd_total,
        "ytd_online": ytd_online,
        "ytd_rate": ytd_online / ytd_total if ytd_total else None,
        "units": len(table),
        "met": int((table["status"] == "met").sum()),
        "near": int((table["status"] == "near").sum()),
        "below": int((table["status"] == "below").sum()),
        "no_data": int((table["status"] == "no_data").sum()),
    }
