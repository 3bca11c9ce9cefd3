"""Year over year: a month and its year-to-date beside the same month and YTD a year earlier.

For a month m of year y and each unit (or commune, or the province):

- `month_*`: the counts of m; `prev_month_*`: those of the same month of y − 1.
- `ytd_*`: January..m of y; `prev_ytd_*`: January..m of y − 1.
- `*_rate_change_pp`: the rate now minus the rate a year earlier, in percentage points, computed
  from exact fractions; `*_total_growth`: the relative change in dossiers (0.25 = a quarter more).

"Where data exists": a year-earlier month is NA when there is no row for it. A year-earlier YTD
is NA unless every month January..m of y − 1 has a row (`prev_ytd_months` says how many do),
because a YTD short of months would compare unlike periods; the same holds for the changes, which
also need the current YTD complete (`ytd_months` = m's month number).

Works on any tidy counts frame with `month` (Period[M]), `total`, `online` and a key column:
`unit_code` for units, `ward_code` for communes (`by=`); `province_year_over_year` sums the units
with data in both years (like with like) and names those it leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pandas as pd

YOY_FIELDS = [
    "month",
    "month_total",
    "month_online",
    "month_rate",
    "prev_month",
    "prev_month_total",
    "prev_month_online",
    "prev_month_rate",
    "month_rate_change_pp",
    "month_total_growth",
    "ytd_months",
    "ytd_total",
    "ytd_online",
    "ytd_rate",
    "prev_ytd_months",
    "prev_ytd_total",
    "prev_ytd_online",
    "prev_ytd_rate",
    "ytd_rate_change_pp",
    "ytd_total_growth",
]
PROVINCE = "province"


def _month_sums(counts: pd.DataFrame, by: str, month: pd.Period) -> pd.DataFrame:
    rows = counts[counts["month"] == month]
    return rows.groupby(by)[["total", "online"]].sum()


def _ytd_sums(counts: pd.DataFrame, by: str, month: pd.Period) -> pd.DataFrame:
    rows = counts[(counts["month"].dt.year == month.year) & (counts["month"] <= month)]
    sums = rows.groupby(by)[["total", "online"]].sum()
    sums["months"] = rows.groupby(by)["month"].nunique()
    return sums


def _get(frame: pd.DataFrame, key: object, column: str) -> int | None:
    return int(frame.at[key, column]) if key in frame.index else None


def _rate(online: int | None, total: int | None) -> Fraction | None:
    return Fraction(online, total) if total else None


def _change_pp(now: Fraction | None, before: Fraction | None) -> float | None:
    return float((now - before) * 100) if now is not None and before is not None else None


def _growth(now: int | None, before: int | None) -> float | None:
    return float(Fraction(now - before, before)) if now is not None and before else None


def year_over_year(
    counts: pd.DataFrame,
    month: str | pd.Period,
    by: str = "unit_code",
    keys: Sequence[object] | None = None,
) -> pd.DataFrame:
    """One row per key (default: every key in the counts, sorted; or `keys`, in their order)."""
    month = pd.Period(month, freq="M")
    before = month - 12
    now_m, prev_m = _month_sums(counts, by, month), _month_sums(counts, by, before)
    now_y, prev_y = _ytd_sums(counts, by, month), _ytd_sums(counts, by, before)
    if keys is None:
        keys = sorted(set(counts[by]))
    records = []
    for key in keys:
        m_total, m_online = _get(now_m, key, "total"), _get(now_m, key, "online")
        p_total, p_online = _get(prev_m, key, "total"), _get(prev_m, key, "online")
        y_months = _get(now_y, key, "months") or 0
        py_months = _get(prev_y, key, "months") or 0
        y_total, y_online = _get(now_y, key, "total"), _get(now_y, key, "online")
        complete_prev = py_months == before.month
        py_total = _get(prev_y, key, "total") if complete_prev else None
        py_online = _get(prev_y, key, "online") if complete_prev else None
        comparable = complete_prev and y_months == month.month
        m_rate, p_rate = _rate(m_online, m_total), _rate(p_online, p_total)
        y_rate, py_rate = _rate(y_online, y_total), _rate(py_online, py_total)
        records.append(
            {
                by: key,
                "month": str(month),
                "month_total": m_total,
                "month_online": m_online,
                "month_rate": None if m_rate is None else float(m_rate),
                "prev_month": str(before),
                "prev_month_total": p_total,
                "prev_month_online": p_online,
                "prev_month_rate": None if p_rate is None else float(p_rate),
                "month_rate_change_pp": _change_pp(m_rate, p_rate),
                "month_total_growth": _growth(m_total, p_total),
                "ytd_months": y_months,
                "ytd_total": y_total,
                "ytd_online": y_online,
                "ytd_rate": None if y_rate is None else float(y_rate),
                "prev_ytd_months": py_months,
                "prev_ytd_total": py_total,
                "prev_ytd_online": py_online,
                "prev_ytd_rate": None if py_rate is None else float(py_rate),
                "ytd_rate_change_pp": _change_pp(y_rate, py_rate) if comparable else None,
                "ytd_total_growth": _growth(y_total, py_total) if comparable else None,
            }
        )
    return _typed(pd.DataFrame.from_records(records, columns=[by, *YOY_FIELDS]), by)


MONTH_FIELDS = [f for f in YOY_FIELDS if f.startswith(("month", "prev_month"))]
YTD_FIELDS = [f for f in YOY_FIELDS if f not in MONTH_FIELDS]


def province_year_over_year(counts: pd.DataFrame, month: str | pd.Period) -> pd.DataFrame:
    """The province as one row (key `unit_code` = "province"), like with like.

    Summing every unit would compare different sets of units: a unit that sent data only this
    year reads as growth (STC alone in 2021 against STC + STP in 2022: +1,020%). So the month
    sums the units with a row in m and in m − 12, and the YTD the units whose YTD is complete
    in both years (as `year_over_year` compares a unit). `month_left_out` and `ytd_left_out`
    name, comma-separated and sorted, the units with data in only one of the two (empty when
    none): a page says the comparison leaves them out.
    """
    month = pd.Period(month, freq="M")
    units = year_over_year(counts, month).set_index("unit_code")
    month_both = units["month_total"].notna() & units["prev_month_total"].notna()
    month_any = units["month_total"].notna() | units["prev_month_total"].notna()
    ytd_both = (units["ytd_months"] == month.month) & (units["prev_ytd_months"] == month.month)
    ytd_any = (units["ytd_months"] > 0) | (units["prev_ytd_months"] > 0)

    def province(keep: pd.Series) -> pd.DataFrame:
        rows = counts[counts["unit_code"].isin(set(keep.index[keep]))]
        return year_over_year(rows.assign(unit_code=PROVINCE), month, keys=[PROVINCE])

    frame = province(month_both)
    frame[YTD_FIELDS] = province(ytd_both)[YTD_FIELDS]
    frame["month_left_out"] = _codes(month_any & ~month_both)
    frame["ytd_left_out"] = _codes(ytd_any & ~ytd_both)
    return frame


def _codes(mask: pd.Series) -> str:
    return ", ".join(sorted(str(code) for code in mask.index[mask]))


def _typed(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    for column in ("month", "prev_month"):
        frame[column] = frame[column].astype("str")
    for column in (
        "month_total",
        "month_online",
        "prev_month_total",
        "prev_month_online",
        "ytd_total",
        "ytd_online",
        "prev_ytd_total",
        "prev_ytd_online",
    ):
        frame[column] = frame[column].astype("Int64")
    for column in ("ytd_months", "prev_ytd_months"):
        frame[column] = frame[column].astype("int64")
    for column in (
        "month_rate",
        "prev_month_rate",
        "month_rate_change_pp",
        "month_total_growth",
        "ytd_rate",
        "prev_ytd_rate",
        "ytd_rate_change_pp",
        "ytd_total_growth",
    ):
        frame[column] = frame[column].astype("Float64")
    if frame[by].dtype == object:
        frame[by] = frame[by].astype("str")
    return frame
