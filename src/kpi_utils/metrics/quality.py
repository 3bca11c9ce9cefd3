"""What the data-quality page reports: which months each unit covers, and whether totals reconcile.

Pure functions over the tidy counts frame (from `inputs`) and a KPI series (from `trends`).
The reconciliation sums the input rows independently of the KPI arithmetic, so a row lost on
the way (a unit outside the registry, a month dropped by a join) shows as a difference.
"""

from __future__ import annotations

import pandas as pd


def coverage_by_unit(counts: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """For each registered unit: first and last month with rows, months with rows, rows.

    Columns: unit_code, unit_name, group, first_month, last_month, months_with_rows, rows.
    Units without rows have NA months and 0 rows.
    """
    per_unit = counts.groupby("unit_code").agg(
        first_month=("month", "min"),
        last_month=("month", "max"),
        months_with_rows=("month", "nunique"),
        rows=("month", "size"),
    )
    out = registry[["unit_code", "official_name", "group"]].rename(
        columns={"official_name": "unit_name"}
    )
    out = out.join(per_unit, on="unit_code")
    for column in ("first_month", "last_month"):
        out[column] = [None if pd.isna(m) else str(m) for m in out[column]]
    out["months_with_rows"] = out["months_with_rows"].fillna(0).astype("int64")
    out["rows"] = out["rows"].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def reconciliation(counts: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Input sums against report sums, for each month of the series and year to date.

    Columns: period (YYYY-MM, or "ytd" for the last row), input_total, report_total,
    input_online, report_online, matches (bool).
    """
    months = list(dict.fromkeys(series["month"]))
    keys = counts["month"].astype(str)
    inputs = (
        counts[keys.isin(months)]
        .groupby(keys[keys.isin(months)])[["total", "online"]]
        .sum()
        .reindex(months, fill_value=0)
    )
    report = (
        series.groupby("month", sort=False)[["month_total", "month_online"]]
        .sum()
        .reindex(months)
        .fillna(0)
    )
    out = pd.DataFrame(
        {
            "period": months,
            "input_total": inputs["total"].to_numpy(),
            "report_total": report["month_total"].to_numpy(),
            "input_online": inputs["online"].to_numpy(),
            "report_online": report["month_online"].to_numpy(),
        }
    )
    last = series[series["month"] == months[-1]] if months else series
    ytd = {
        "period": "ytd",
        "input_total": int(out["input_total"].sum()),
        "report_total": int(last["ytd_total"].sum()),
        "input_online": int(out["input_online"].sum()),
        "report_online": int(last["ytd_online"].sum()),
    }
    out = pd.concat([out, pd.DataFrame([ytd])], ignore_index=True)
    for column in ("input_total", "report_total", "input_online", "report_online"):
        out[column] = out[column].astype("int64")
    out["matches"] = (out["input_total"] == out["report_total"]) & (
        out["input_online"] == out["report_online"]
    )
    return out
