"""The KPI arithmetic of DOMAIN.md §3, against values worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from conftest import counts_of as _counts
from conftest import targets_of
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpi_utils.common.registry import load_registry
from kpi_utils.metrics.kpi import (
    KPI_COLUMNS,
    exact_rate,
    kpi_table,
    province_total,
    shortfall,
    status,
)

REGISTRY = load_registry()
CODES = list(REGISTRY["unit_code"])


def _targets(rate: float = 0.55, year: int = 2022) -> pd.DataFrame:
    return targets_of(CODES, rate, year)


# Worked by hand for month 2022-02 (YTD = 2022-01 .. 2022-02):
#   SCT      2021-12 excluded (previous year), 2022-03 excluded (later): 13,420 / 7,381 = exactly 55%
#   SVHTTDL  100 / 200 = 50%: exactly 5 points short -> below (not near); shortfall 110 - 100 = 10
#   SGTVT    54 / 100 in January only: near, shortfall 1, no February row -> month cells empty
#   SGDDT    60 / 100 and SKHDT 120 / 200: both 60%, tie for rank 1; SCT 3rd, SGTVT 4th, SVHTTDL 5th
#   TPHB     10 / 10: rank 1 of districts; CAOPHONG 0 / 0: no_data, unranked; others: no rows
FIXTURE = [
    ("SCT", "2021-12", 1000, 0),
    ("SCT", "2022-01", 6710, 3690),
    ("SCT", "2022-02", 6710, 3691),
    ("SCT", "2022-03", 100, 100),
    ("SVHTTDL", "2022-02", 200, 100),
    ("SGTVT", "2022-01", 100, 54),
    ("SGDDT", "2022-02", 100, 60),
    ("SKHDT", "2022-02", 200, 120),
    ("TPHB", "2022-02", 10, 10),
    ("CAOPHONG", "2022-02", 0, 0),
]


# Built afresh for each test (it is cheap), so that mutation testing links every test to the KPI
# code it checks: a module-wide fixture would be credited to the first test alone.
@pytest.fixture
def table() -> pd.DataFrame:
    return kpi_table(_counts(FIXTURE), _targets(), REGISTRY, "2022-02").set_index("unit_code")


def test_columns_and_rows_are_the_contract():
    result = kpi_table(_counts(FIXTURE), _targets(), REGISTRY, "2022-02")
    # the published contract, spelled out as issue 2 lists it (not read from the module)
    contract = [
        "unit_code",
        "unit_name",
        "group",
        "eligible_procedures",
        "target_rate",
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
        "rank_in_group",
    ]
    assert list(result.columns) == KPI_COLUMNS == contract
    assert list(result["unit_code"]) == CODES


def test_exactly_55_percent_is_met_with_no_shortfall(table):
    # The float trap: 0.55 * 13420 = 7381.000000000001, whose ceiling would give a shortfall of 1.
    assert 0.55 * 13420 > 7381
    sct = table.loc["SCT"]
    assert (sct["ytd_total"], sct["ytd_online"]) == (13420, 7381)
    assert sct["status"] == "met"
    assert sct["shortfall"] == 0
    assert sct["gap_pp"] == 0.0
    assert (sct["month_total"], sct["month_online"]) == (6710, 3691)
    assert sct["month_rate"] == 3691 / 6710


def test_exactly_five_points_short_is_below_not_near(table):
    row = table.loc["SVHTTDL"]
    assert row["status"] == "below"
    assert row["gap_pp"] == pytest.approx(-5.0)
    assert row["shortfall"] == 10


def test_near_and_missing_month(table):
    row = table.loc["SGTVT"]
    assert row["status"] == "near"
    assert row["shortfall"] == 1
    assert row["gap_pp"] == pytest.approx(-1.0)
    assert pd.isna(row["month_total"]) and pd.isna(row["month_rate"])


def test_tie_shares_the_best_rank(table):
    ranks = table.loc[["SGDDT", "SKHDT", "SCT", "SGTVT", "SVHTTDL"], "rank_in_group"].tolist()
    assert ranks == [1, 1, 3, 4, 5]
    assert table.loc["TPHB", "rank_in_group"] == 1


def test_units_without_data_are_no_data_and_unranked(table):
    for code in ("SKHCN", "CAOPHONG", "LUONGSON"):
        row = table.loc[code]
        assert row["status"] == "no_data"
        assert row["ytd_total"] == 0
        for column in ("ytd_rate", "gap_pp", "shortfall", "rank_in_group"):
            assert pd.isna(row[column]), column
    assert table.loc["CAOPHONG", "month_total"] == 0  # a row of zeros is a row, not a gap
    assert pd.isna(table.loc["SKHCN", "month_total"])


def test_previous_year_and_later_months_are_excluded(table):
    assert table["ytd_total"].sum() == 13420 + 200 + 100 + 100 + 200 + 10 + 0
    total = province_total(table.reset_index())
    assert total["ytd_total"] == 14030
    assert total["ytd_online"] == 7381 + 100 + 54 + 60 + 120 + 10
    assert total["month_total"] == 6710 + 200 + 100 + 200 + 10
    assert (total["met"], total["near"], total["below"]) == (4, 1, 1)


def test_target_from_decimal_text_is_exact():
    assert exact_rate(0.55) == Fraction(11, 20)
    assert exact_rate(0.555) == Fraction(111, 200)


def test_status_boundaries_exactly():
    target = Fraction(55, 100)
    assert status(55, 100, target) == "met"
    assert status(5001, 10000, target) == "near"  # 4.99 points short
    assert status(50, 100, target) == "below"  # exactly 5 points short
    assert status(0, 0, target) == "no_data"


# --- properties ---------------------------------------------------------------------------------

targets_st = st.integers(min_value=1, max_value=1000).map(lambda k: k / 1000)


@given(
    total=st.integers(min_value=1, max_value=10**7),
    online_share=st.fractions(min_value=0, max_value=1),
    rate=targets_st,
)
# the ends: one dossier, none or all online, the lowest and the highest target; exactly 55%
@example(total=1, online_share=Fraction(0), rate=0.001)
@example(total=1, online_share=Fraction(1), rate=1.0)
@example(total=13420, online_share=Fraction(7381, 13420), rate=0.55)
@example(total=10**7, online_share=Fraction(0), rate=1.0)
def test_shortfall_is_the_least_that_reaches_the_target(total, online_share, rate):
    online = int(online_share * total)
    target = exact_rate(rate)
    need = shortfall(online, total, target)
    assert need >= 0
    assert Fraction(online + need, total) >= target
    if need > 0:
        assert Fraction(online + need - 1, total) < target
        assert status(online, total, target) != "met"
    else:
        assert status(online, total, target) == "met"


unit_month = st.tuples(
    st.sampled_from(CODES),
    st.sampled_from(["2021-11", "2021-12", "2022-01", "2022-02", "2022-03", "2022-04"]),
    st.integers(min_value=0, max_value=5000),
    st.fractions(min_value=0, max_value=1),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(unit_month, max_size=40, unique_by=lambda r: (r[0], r[1])))
def test_rates_bounded_and_totals_reconcile(rows):
    fixture = [(u, m, t, int(share * t)) for u, m, t, share in rows]
    result = kpi_table(_counts(fixture), _targets(), REGISTRY, "2022-03")
    for column in ("month_rate", "ytd_rate"):
        values = result[column].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    in_window = [r for r in fixture if r[1].startswith("2022") and r[1] <= "2022-03"]
    assert result["ytd_total"].sum() == sum(r[2] for r in in_window)
    assert result["ytd_online"].sum() == sum(r[3] for r in in_window)
    this_month = [r for r in fixture if r[1] == "2022-03"]
    assert result["month_total"].fillna(0).sum() == sum(r[2] for r in this_month)
    ranked = result[result["status"] != "no_data"]
    assert ranked["rank_in_group"].notna().all()
    assert result.loc[result["status"] == "no_data", "rank_in_group"].isna().all()


def test_unit_with_counts_but_no_target_row_is_no_data_and_unranked():
    # Worked by hand for 2022-02: SCT 60 / 100 and SGDDT 50 / 100 have targets (55%); SKHDT has
    # 90 / 100 (the best rate) but no target row. SKHDT: no_data, unranked, target/gap/shortfall
    # empty, its counts still shown (ytd 100 / 90, 90%). SCT ranks 1 and SGDDT 2: SKHDT takes no
    # rank from them.
    fixture = [
        ("SCT", "2022-02", 100, 60),
        ("SGDDT", "2022-02", 100, 50),
        ("SKHDT", "2022-02", 100, 90),
    ]
    targets = targets_of([code for code in CODES if code != "SKHDT"], 0.55, 2022)
    result = kpi_table(_counts(fixture), targets, REGISTRY, "2022-02").set_index("unit_code")
    row = result.loc["SKHDT"]
    assert row["status"] == "no_data"
    assert (row["ytd_total"], row["ytd_online"], row["ytd_rate"]) == (100, 90, 0.9)
    for column in ("target_rate", "eligible_procedures", "gap_pp", "shortfall", "rank_in_group"):
        assert pd.isna(row[column]), column
    assert result.loc[["SCT", "SGDDT"], "rank_in_group"].tolist() == [1, 2]
    assert result.loc[["SCT", "SGDDT"], "status"].tolist() == ["met", "below"]


def test_a_month_given_as_a_date_is_its_calendar_month(table):
    # a notebook may pass a Timestamp: 2022-02-14 is February 2022, the same table as "2022-02"
    by_date = kpi_table(_counts(FIXTURE), _targets(), REGISTRY, pd.Timestamp("2022-02-14"))
    by_date = by_date.set_index("unit_code")
    assert set(by_date["month"]) == {"2022-02"}
    assert by_date.loc["SCT", ["month_total", "ytd_total", "status"]].tolist() == [
        6710,
        13420,
        "met",
    ]
    pd.testing.assert_frame_equal(by_date, table)


def test_province_total_of_one_unit_is_that_unit(table):
    # SCT alone (a table filtered to one unit): February 6,710 / 3,691, YTD 13,420 / 7,381, met
    total = province_total(table.reset_index().loc[lambda t: t["unit_code"] == "SCT"])
    assert (total["month"], total["month_total"], total["month_online"]) == ("2022-02", 6710, 3691)
    assert (total["ytd_total"], total["ytd_online"], total["units"], total["met"]) == (
        13420,
        7381,
        1,
        1,
    )


def test_province_total_of_a_month_without_rows_counts_zero():
    # no unit has a February row: the month's cells are all NA and sum to 0 dossiers, no rate
    result = kpi_table(_counts([("SCT", "2022-01", 100, 60)]), _targets(), REGISTRY, "2022-02")
    assert result["month_total"].isna().all()
    total = province_total(result)
    assert (total["month_total"], total["month_online"], total["month_rate"]) == (0, 0, None)
    assert (total["ytd_total"], total["ytd_online"], total["ytd_rate"]) == (100, 60, 0.6)


def test_province_total_by_hand(table):
    # FIXTURE at 2022-02: YTD 13,420 + 200 + 100 + 100 + 200 + 10 = 14,030 total, 7,381 + 100 + 54
    # + 60 + 120 + 10 = 7,725 online; February 6,710 + 200 + 100 + 200 + 10 (+ CAOPHONG 0) = 7,220
    # total, 3,691 + 100 + 60 + 120 + 10 = 3,981 online; SGTVT and the 21 units without a
    # February row count nothing in the month.
    assert province_total(table.reset_index()) == {
        "month": "2022-02",
        "month_total": 7220,
        "month_online": 3981,
        "month_rate": 3981 / 7220,
        "ytd_total": 14030,
        "ytd_online": 7725,
        "ytd_rate": 7725 / 14030,
        "units": 27,
        "met": 4,
        "near": 1,
        "below": 1,
        "no_data": 21,
    }
    empty = province_total(table.reset_index().iloc[0:0])
    assert (empty["month"], empty["month_rate"], empty["ytd_rate"]) == (None, None, None)


def test_target_cells_and_types_of_the_contract(table):
    sct = table.loc["SCT"]
    assert (sct["target_rate"], sct["eligible_procedures"], sct["month"]) == (0.55, 10, "2022-02")
    assert table.loc["SVHTTDL", "gap_pp"] == pytest.approx(-5.0, abs=1e-12)
    dtypes = {column: str(dtype) for column, dtype in table.reset_index().dtypes.items()}
    assert dtypes == {
        "unit_code": "str",
        "unit_name": "str",
        "group": "str",
        "eligible_procedures": "Int64",
        "target_rate": "Float64",
        "month": "str",
        "month_total": "Int64",
        "month_online": "Int64",
        "month_rate": "Float64",
        "ytd_total": "int64",
        "ytd_online": "int64",
        "ytd_rate": "Float64",
        "gap_pp": "Float64",
        "shortfall": "Int64",
        "status": "str",
        "rank_in_group": "Int64",
    }


def test_the_last_target_row_of_a_unit_for_the_year_applies():
    targets = pd.concat([targets_of(["SCT"], 0.5), targets_of(["SCT"], 0.6)], ignore_index=True)
    result = kpi_table(_counts([("SCT", "2022-02", 100, 56)]), targets, REGISTRY, "2022-02")
    sct = result.set_index("unit_code").loc["SCT"]
    assert (sct["target_rate"], sct["status"], sct["shortfall"]) == (0.6, "near", 4)
