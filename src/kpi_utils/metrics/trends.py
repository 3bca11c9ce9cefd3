"""The KPI through the year: month by month, for the province, and what each unit still needs.

Pure functions over tidy frames. `kpi_series` is the base: the KPI table (same columns and
rules as `kpi.kpi_table`) for every month from January through a given month, computed in one
pass; everything else here takes its output (or one month's KPI table) as input.

Rates in the outputs are floats for display; whatever decides a label (status, rank,
`out_of_reach`) is decided with exact fractions.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from kpi_utils.metrics.kpi import _typed, assign_ranks, exact_rate, shortfall, status

MONTHS_IN_YEAR = 12


def year_closed(month: str | pd.Period) -> bool:
    """True in the last month of the target year: the YTD rate is then the year's result, and
    readers are told met or not met, never near or not yet (DOMAIN.md §3)."""
    return pd.Period(month, freq="M").month == MONTHS_IN_YEAR


def _year_targets(targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """One target row per unit for `year`, as `kpi.kpi_table` picks it (undated rows apply too)."""
    rows = targets[targets["year"].isna() | (targets["year"] == year)]
    return rows.drop_duplicates("unit_code", keep="last").set_index("unit_code")


def kpi_series(
    counts: pd.DataFrame,
    targets: pd.DataFrame,
    registry: pd.DataFrame,
    through: str | pd.Period,
) -> pd.DataFrame:
    """The KPI table of every month from January through `through`, stacked.

    Columns `kpi.KPI_COLUMNS`; rows month by month, units in registry order within a month.
    The rows of month m equal `kpi.kpi_table(counts, targets, registry, m)`.
    """
    through = pd.Period(through, freq="M")
    months = pd.period_range(pd.Period(year=through.year, month=1, freq="M"), through, freq="M")
    in_year = counts[(counts["month"].dt.year == through.year) & (counts["month"] <= through)]
    monthly = in_year.groupby(["month", "unit_code"])[["total", "online"]].sum()
    codes = list(registry["unit_code"])
    grid = pd.MultiIndex.from_product([months, codes], names=["month", "unit_code"])
    monthly = monthly.reindex(grid)
    has_rows = monthly["total"].notna()
    ytd = monthly.fillna(0).astype("int64").groupby(level="unit_code").cumsum()

    frame = grid.to_frame(index=False)
    units = registry.set_index("unit_code")
    frame["unit_name"] = units.loc[frame["unit_code"], "official_name"].to_numpy()
    frame["group"] = units.loc[frame["unit_code"], "group"].to_numpy()
    year_targets = _year_targets(targets, through.year).reindex(codes)
    frame["eligible_procedures"] = year_targets.loc[
        frame["unit_code"], "eligible_procedures"
    ].to_numpy()
    raw_targets = year_targets.loc[frame["unit_code"], "target_rate"].to_numpy()
    exact_targets = [None if pd.isna(t) else exact_rate(t) for t in raw_targets]
    frame["target_rate"] = [None if t is None else float(t) for t in exact_targets]
    frame["month_total"] = monthly["total"].where(has_rows).to_numpy()
    frame["month_online"] = monthly["online"].where(has_rows).to_numpy()
    frame["ytd_total"] = ytd["total"].to_numpy()
    frame["ytd_online"] = ytd["online"].to_numpy()

    records = zip(frame["ytd_online"], frame["ytd_total"], exact_targets, strict=True)
    exact, statuses, gaps, shortfalls = [], [], [], []
    for online, total, target in records:
        online, total = int(online), int(total)
        rate = Fraction(online, total) if total else None
        exact.append(rate)
        statuses.append("no_data" if target is None else status(online, total, target))
        measured = rate is not None and target is not None
        gaps.append(float((rate - target) * 100) if measured else None)
        shortfalls.append(shortfall(online, total, target) if measured else None)
    frame["month_rate"] = frame["month_online"] / frame["month_total"].where(
        frame["month_total"] > 0
    )
    frame["ytd_rate"] = [
        None if r is None else o / t
        for r, o, t in zip(exact, frame["ytd_online"], frame["ytd_total"], strict=True)
    ]
    frame["gap_pp"] = gaps
    frame["shortfall"] = shortfalls
    frame["status"] = statuses

    frame["_exact"] = exact
    frame = assign_ranks(frame, ["month", "group"], "rank_in_group")
    return _typed(frame)


def month_slice(series: pd.DataFrame, month: str | pd.Period) -> pd.DataFrame:
    """The rows of one month of a series: that month's KPI table, indexed from 0."""
    return series[series["month"] == str(pd.Period(month, freq="M"))].reset_index(drop=True)


def province_trend(series: pd.DataFrame) -> pd.DataFrame:
    """Province sums and rates month by month, with how many units had each status.

    Columns: month, month_total, month_online, month_rate, ytd_total, ytd_online, ytd_rate,
    met, near, below, no_data.
    """
    sums = (
        series.groupby("month", sort=False)[
            ["month_total", "month_online", "ytd_total", "ytd_online"]
        ]
        .sum()
        .astype("int64")
    )
    statuses = (
        pd.crosstab(series["month"], series["status"])
        .reindex(index=sums.index, columns=["met", "near", "below", "no_data"], fill_value=0)
        .astype("int64")
    )
    trend = sums.join(statuses).reset_index()
    trend.insert(3, "month_rate", _rate(trend["month_online"], trend["month_total"]))
    trend.insert(6, "ytd_rate", _rate(trend["ytd_online"], trend["ytd_total"]))
    return trend


def _rate(online: pd.Series, total: pd.Series) -> pd.Series:
    return (online / total.where(total > 0)).astype("Float64")


def _previous_month(month: str | pd.Period) -> str:
    return str(pd.Period(month, freq="M") - 1)


def changes(series: pd.DataFrame, month: str | pd.Period) -> pd.DataFrame:
    """Each unit's rates in `month` and the month before, and the change in percentage points.

    Columns: unit_code, unit_name, group, month_total, previous_month_total (Int64),
    month_rate, previous_month_rate, month_change_pp,
    ytd_rate, previous_ytd_rate, ytd_change_pp. Changes are NA where either rate is missing
    (in January the month before is in another year, so there is no YTD to compare with).
    """
    now = month_slice(series, month)
    before = month_slice(series, _previous_month(month)).set_index("unit_code")
    before = before.reindex(now["unit_code"])
    out = now[["unit_code", "unit_name", "group", "month_total"]].copy()
    out["previous_month_total"] = before["month_total"].array  # Int64, as month_total
    out["month_rate"] = now["month_rate"].to_numpy()
    out["previous_month_rate"] = before["month_rate"].to_numpy()
    out["month_change_pp"] = (out["month_rate"] - out["previous_month_rate"]) * 100
    out["ytd_rate"] = now["ytd_rate"].to_numpy()
    out["previous_ytd_rate"] = before["ytd_rate"].to_numpy()
    out["ytd_change_pp"] = (out["ytd_rate"] - out["previous_ytd_rate"]) * 100
    return out.astype({c: "Float64" for c in out.columns[5:]})


def province_change_pp(trend: pd.DataFrame, month: str | pd.Period) -> float | None:
    """Change of the province's YTD rate from the month before, in points (None if no month before)."""
    rates = trend.set_index("month")["ytd_rate"]
    now, before = str(pd.Period(month, freq="M")), _previous_month(month)
    if before not in rates.index or pd.isna(rates[before]) or pd.isna(rates[now]):
        return None
    return float((rates[now] - rates[before]) * 100)


def largest_movers(change: pd.DataFrame, n: int = 5, by: str = "month_change_pp") -> pd.DataFrame:
    """The `n` units whose rate moved most (up or down) by `by`; ties keep registry order."""
    moved = change[change[by].notna()]
    order = moved[by].abs().sort_values(ascending=False, kind="stable").index
    return moved.loc[order].head(n).reset_index(drop=True)


def rank_history(series: pd.DataFrame) -> pd.DataFrame:
    """Each unit's rank in its group, month by month, and how many units were ranked.

    Columns: unit_code, group, month, rank_in_group, ranked_units.
    """
    out = series[["unit_code", "group", "month", "rank_in_group"]].copy()
    ranked = series["rank_in_group"].notna()
    out["ranked_units"] = ranked.groupby([series["month"], series["group"]]).transform("sum")
    return out.reset_index(drop=True)


def group_medians(series: pd.DataFrame) -> pd.DataFrame:
    """The median month rate and YTD rate of each group, month by month (units with data only).

    Columns: month, group, median_month_rate, median_ytd_rate.
    """
    medians = (
        series.groupby(["month", "group"], sort=False)[["month_rate", "ytd_rate"]]
        .median()
        .rename(columns={"month_rate": "median_month_rate", "ytd_rate": "median_ytd_rate"})
    )
    return medians.astype("Float64").reset_index()


def needed_rates(table: pd.DataFrame) -> pd.DataFrame:
    """For each unit not on target, the online rate it needs in every remaining month.

    `table` is one month's KPI table. A unit keeps its average monthly volume so far
    (ytd_total / months elapsed) for the remaining months of the year; the rate needed is
        (target × (ytd_total + remaining × avg) − ytd_online) / (remaining × avg),
    and the target is `out_of_reach` when that exceeds 100% or no month remains (the rate is
    then NA). Units met or without data are left out. Rows by needed rate, highest first.
    Columns: unit_code, unit_name, group, status, ytd_total, ytd_online, ytd_rate,
    target_rate, avg_monthly_total, remaining_months, needed_rate, out_of_reach.
    """
    rows = table[table["status"].isin(["near", "below"])]
    records = []
    for unit in rows.itertuples(index=False):
        elapsed = pd.Period(unit.month, freq="M").month
        remaining = MONTHS_IN_YEAR - elapsed
        average = Fraction(int(unit.ytd_total), elapsed)
        target = exact_rate(unit.target_rate)
        needed = None
        if remaining:
            future = remaining * average
            needed = (target * (unit.ytd_total + future) - unit.ytd_online) / future
        records.append(
            {
                "unit_code": unit.unit_code,
                "unit_name": unit.unit_name,
                "group": unit.group,
                "status": unit.status,
                "ytd_total": unit.ytd_total,
                "ytd_online": unit.ytd_online,
                "ytd_rate": unit.ytd_rate,
                "target_rate": unit.target_rate,
                "avg_monthly_total": float(average),
                "remaining_months": remaining,
                "needed_rate": None if needed is None else float(needed),
                "out_of_reach": needed is None or needed > 1,
            }
        )
    columns = [
        "unit_code",
        "unit_name",
        "group",
        "status",
        "ytd_total",
        "ytd_online",
        "ytd_rate",
        "target_rate",
        "avg_monthly_total",
        "remaining_months",
        "needed_rate",
        "out_of_reach",
    ]
    out = pd.DataFrame.from_records(records, columns=columns)
    out = out.astype(
        {
            "unit_code": "str",
            "unit_name": "str",
            "group": "str",
            "status": "str",
            "ytd_total": "int64",
            "ytd_online": "int64",
            "ytd_rate": "Float64",
            "target_rate": "Float64",
            "avg_monthly_total": "float64",
            "remaining_months": "int64",
            "needed_rate": "Float64",
            "out_of_reach": "bool",
        }
    )
    return out.sort_values(
        "needed_rate", ascending=False, na_position="first", kind="stable"
    ).reset_index(drop=True)
