"""The commune KPI table: `kpi`'s exact arithmetic applied to each of the 151 communes.

A commune's target is the one its district assigned (`target_source` = "commune"); where the
district assigned none, the district's own target applies (`target_source` = "district"), which a
page must say; with neither, "none" (status no_data). Commune counts and targets come from
`sources.communes`.
"""

from __future__ import annotations

import pandas as pd

from kpi_utils.metrics.kpi import RATE_COLUMNS, assign_ranks, exact_rate, period_sums, rate_fields

COMMUNE_KPI_COLUMNS = [
    "ward_code",
    "ward_name",
    "ward_type",
    "unit_code",
    "district_name",
    "target_rate",
    "target_source",
    *RATE_COLUMNS,
    "rank_in_district",
]
TARGET_SOURCES = ("commune", "district", "none")


def commune_targets_for_year(
    communes: pd.DataFrame,
    commune_targets: pd.DataFrame,
    targets: pd.DataFrame,
    year: int,
) -> pd.DataFrame:
    """Each commune's target for `year`: ward_code, target_rate (float or NA), target_source.

    The district's assignment wins; else the district's own target ("district"); else "none".
    """
    # code -> rate; where a code has several rows, the last wins (as a dict keeps the last)
    assigned = commune_targets[commune_targets["year"] == year]
    assigned = assigned.set_index("ward_code")["target_rate"].to_dict()
    of_year = targets[targets["year"].isna() | (targets["year"] == year)]
    district = of_year.set_index("unit_code")["target_rate"].to_dict()
    rows = []
    for code, unit in zip(communes["ward_code"], communes["unit_code"], strict=True):
        if code in assigned:
            rows.append((code, assigned[code], "commune"))
        elif unit in district:
            rows.append((code, district[unit], "district"))
        else:
            rows.append((code, None, "none"))
    frame = pd.DataFrame(rows, columns=["ward_code", "target_rate", "target_source"])
    frame["target_rate"] = frame["target_rate"].astype("Float64")
    return frame


def commune_kpi_table(
    commune_counts: pd.DataFrame,
    commune_targets: pd.DataFrame,
    targets: pd.DataFrame,
    communes: pd.DataFrame,
    month: str | pd.Period,
) -> pd.DataFrame:
    """The KPI of every commune for `month`, one row per commune in registry order.

    Same arithmetic as `kpi.kpi_table` (exact status, shortfall and gap against the YTD rate);
    `rank_in_district` ranks communes within their district. `target_source` says whose target
    applies: "commune" (assigned by the district), "district" (none assigned: the district's own),
    or "none" (status no_data).
    """
    month = pd.Period(month, freq="M")
    ytd, this_month = period_sums(commune_counts, month, key="ward_code")
    goals = commune_targets_for_year(communes, commune_targets, targets, month.year)
    goals = goals.set_index("ward_code")
    rows = []
    for commune in communes.to_dict("records"):
        code = int(commune["ward_code"])
        rate = goals.at[code, "target_rate"]
        target = None if pd.isna(rate) else exact_rate(float(rate))
        rows.append(
            {
                "ward_code": code,
                "ward_name": commune["ward_name"],
                "ward_type": commune["ward_type"],
                "unit_code": commune["unit_code"],
                "district_name": commune["district_name"],
                "target_rate": None if target is None else float(target),
                "target_source": goals.at[code, "target_source"],
                "month": str(month),
                **rate_fields(ytd, this_month, code, target),
            }
        )
    table = assign_ranks(pd.DataFrame.from_records(rows), "unit_code", "rank_in_district")
    table = table[COMMUNE_KPI_COLUMNS].copy()
    for column in ("ward_name", "ward_type", "unit_code", "district_name", "target_source"):
        table[column] = table[column].astype("str")
    for column in ("month", "status"):
        table[column] = table[column].astype("str")
    table["ward_code"] = table["ward_code"].astype("int64")
    for column in ("month_total", "month_online", "shortfall", "rank_in_district"):
        table[column] = table[column].astype("Int64")
    for column in ("ytd_total", "ytd_online"):
        table[column] = table[column].astype("int64")
    for column in ("target_rate", "month_rate", "ytd_rate", "gap_pp"):
        table[column] = table[column].astype("Float64")
    return table


def communes_of_district(table: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """A district's rows of a commune KPI table, best YTD rate first (no_data last)."""
    rows = table[table["unit_code"] == unit_code]
    # NA ranks (no_data) sort last by default; a sort on two columns is stable
    return rows.sort_values(["rank_in_district", "ward_name"]).reset_index(drop=True)


def communes_below_target(table: pd.DataFrame, unit_code: str | None = None) -> pd.DataFrame:
    """Communes near or below their target, largest shortfall first (of one district if given)."""
    rows = table[table["status"].isin(["near", "below"])]
    if unit_code is not None:
        rows = rows[rows["unit_code"] == unit_code]
    return rows.sort_values(["shortfall", "ward_code"], ascending=[False, True]).reset_index(
        drop=True
    )


def district_coverage(
    commune_counts: pd.DataFrame, counts: pd.DataFrame, month: str | pd.Period
) -> pd.DataFrame:
    """Per district, YTD dossiers of its communes beside the district's own YTD counts.

    Columns: unit_code, ytd_total, ytd_online (district), communes_ytd_total, communes_ytd_online,
    communes_share (communes' share of the district's dossiers; NA when the district has none).
    A page can say how much of a district's volume its communes' figures cover.
    """
    month = pd.Period(month, freq="M")
    district_ytd, _ = period_sums(counts, month)
    commune_ytd, _ = period_sums(commune_counts, month)  # by unit_code: the communes' district
    units = sorted(set(commune_ytd.index) | set(commune_counts["unit_code"]))
    rows = []
    for unit in units:
        d_total = int(district_ytd.at[unit, "total"]) if unit in district_ytd.index else 0
        d_online = int(district_ytd.at[unit, "online"]) if unit in district_ytd.index else 0
        c_total = int(commune_ytd.at[unit, "total"]) if unit in commune_ytd.index else 0
        c_online = int(commune_ytd.at[unit, "online"]) if unit in commune_ytd.index else 0
        rows.append(
            {
                "unit_code": unit,
                "ytd_total": d_total,
                "ytd_online": d_online,
                "communes_ytd_total": c_total,
                "communes_ytd_online": c_online,
                "communes_share": c_total / d_total if d_total else None,
            }
        )
    frame = pd.DataFrame.from_records(
        rows,
        columns=[
            "unit_code",
            "ytd_total",
            "ytd_online",
            "communes_ytd_total",
            "communes_ytd_online",
            "communes_share",
        ],
    )
    frame["unit_code"] = frame["unit_code"].astype("str")
    frame["communes_share"] = frame["communes_share"].astype("Float64")
    return frame
