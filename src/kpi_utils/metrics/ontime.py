"""The on-time rate: of the dossiers resolved, the share resolved on time (or early).

    on-time rate = resolved_on_time / resolved

It is shown beside the online rate where counts carry `resolved` and `resolved_on_time` (from
Biểu 06, where `resolved_on_time` = early (8) + on time (9), or from files with those columns).
Rows where either is missing are left out of the sums; `ytd_months` says how many months of the
YTD had the figures, so a page can say when the YTD is partial. A unit with no such rows gets NA.
The national index (Decision 766/QĐ-TTg) scores processing progress on this rate.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

ON_TIME_FIELDS = [
    "month",
    "month_resolved",
    "month_resolved_on_time",
    "month_on_time_rate",
    "ytd_months",
    "ytd_resolved",
    "ytd_resolved_on_time",
    "ytd_on_time_rate",
]
PROVINCE = "province"


def has_on_time(counts: pd.DataFrame) -> bool:
    """True when any row carries both `resolved` and `resolved_on_time`."""
    if not {"resolved", "resolved_on_time"} <= set(counts.columns):
        return False
    return bool((counts["resolved"].notna() & counts["resolved_on_time"].notna()).any())


def on_time_rates(
    counts: pd.DataFrame,
    month: str | pd.Period,
    by: str = "unit_code",
    keys: Sequence[object] | None = None,
) -> pd.DataFrame:
    """Month and YTD on-time rates per key (default: every key in the counts, sorted)."""
    month = pd.Period(month, freq="M")
    if keys is None:
        keys = sorted(set(counts[by]))
    if has_on_time(counts):
        known = counts[counts["resolved"].notna() & counts["resolved_on_time"].notna()]
        known = known[(known["month"].dt.year == month.year) & (known["month"] <= month)]
    else:
        known = counts.iloc[0:0].assign(resolved=0, resolved_on_time=0)
    fields = ["resolved", "resolved_on_time"]
    ytd = known.groupby(by)[fields].sum()
    months = known.groupby(by)["month"].nunique()
    this = known[known["month"] == month].groupby(by)[fields].sum()
    records = []
    for key in keys:
        m_res = int(this.at[key, "resolved"]) if key in this.index else None
        m_on = int(this.at[key, "resolved_on_time"]) if key in this.index else None
        y_res = int(ytd.at[key, "resolved"]) if key in ytd.index else None
        y_on = int(ytd.at[key, "resolved_on_time"]) if key in ytd.index else None
        records.append(
            {
                by: key,
                "month": str(month),
                "month_resolved": m_res,
                "month_resolved_on_time": m_on,
                "month_on_time_rate": m_on / m_res if m_res else None,
                "ytd_months": int(months.get(key, 0)),
                "ytd_resolved": y_res,
                "ytd_resolved_on_time": y_on,
                "ytd_on_time_rate": y_on / y_res if y_res else None,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=[by, *ON_TIME_FIELDS])
    frame["month"] = frame["month"].astype("str")
    for column in (
        "month_resolved",
        "month_resolved_on_time",
        "ytd_resolved",
        "ytd_resolved_on_time",
    ):
        frame[column] = frame[column].astype("Int64")
    frame["ytd_months"] = frame["ytd_months"].astype("int64")
    for column in ("month_on_time_rate", "ytd_on_time_rate"):
        frame[column] = frame[column].astype("Float64")
    return frame


def province_on_time(counts: pd.DataFrame, month: str | pd.Period) -> pd.DataFrame:
    """The province (all rows summed) as one row, key `unit_code` = "province"."""
    return on_time_rates(counts.assign(unit_code=PROVINCE), month, keys=[PROVINCE])
