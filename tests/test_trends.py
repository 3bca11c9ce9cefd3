"""Trends through the year and what units still need, against values worked out by hand."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
from conftest import counts_of as _counts
from conftest import targets_of

from kpi_utils.common.registry import load_registry
from kpi_utils.metrics import quality, trends
from kpi_utils.metrics.kpi import KPI_COLUMNS, kpi_table
from kpi_utils.metrics.pipeline import checked_inputs

REGISTRY = load_registry()
CODES = list(REGISTRY["unit_code"])


def _targets(rate: float = 0.55, codes: list[str] | None = None) -> pd.DataFrame:
    return targets_of(CODES if codes is None else codes, rate)


# SCT and SNV are departments, TPHB a district.
ROWS = [
    ("SCT", "2022-01", 100, 60),
    ("SCT", "2022-02", 100, 70),
    ("SCT", "2022-03", 100, 30),
    ("SNV", "2022-01", 200, 100),
    ("SNV", "2022-02", 200, 110),
    ("SNV", "2022-03", 200, 150),
    ("TPHB", "2022-01", 100, 20),
    ("TPHB", "2022-02", 100, 31),
    # March missing for TPHB: its month is empty, its YTD carries on
    ("SCT", "2021-12", 999, 999),  # another year: ignored
    ("SCT", "2022-04", 999, 0),  # after the report month: ignored
]


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return trends.kpi_series(_counts(ROWS), _targets(), REGISTRY, "2022-03")


def _row(frame: pd.DataFrame, code: str, month: str) -> pd.Series:
    hit = frame[(frame["unit_code"] == code) & (frame["month"] == month)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_series_has_every_unit_every_month_in_registry_order(series):
    assert list(series.columns) == KPI_COLUMNS
    assert list(series["month"].unique()) == ["2022-01", "2022-02", "2022-03"]
    assert list(series["unit_code"].iloc[:27]) == CODES
    assert len(series) == 27 * 3


def test_series_ytd_by_hand(series):
    sct = _row(series, "SCT", "2022-03")
    assert (sct["ytd_total"], sct["ytd_online"]) == (300, 160)
    assert sct["ytd_rate"] == pytest.approx(160 / 300)
    assert sct["status"] == "near"  # 53.3% is below 55% by less than 5 points
    assert sct["shortfall"] == 5  # 0.55 * 300 = 165 -> 5 more
    tphb = _row(series, "TPHB", "2022-03")
    assert pd.isna(tphb["month_total"]) and pd.isna(tphb["month_rate"])
    assert (tphb["ytd_total"], tphb["ytd_online"]) == (200, 51)
    assert tphb["status"] == "below"
    assert _row(series, "SCT", "2022-01")["ytd_online"] == 60  # not 2021's 999
    assert _row(series, "SGTVT", "2022-02")["status"] == "no_data"


@pytest.mark.parametrize("month", ["2022-01", "2022-02", "2022-03"])
def test_series_month_equals_the_published_kpi_table(series, month):
    expected = kpi_table(_counts(ROWS), _targets(), REGISTRY, month)
    pd.testing.assert_frame_equal(trends.month_slice(series, month), expected)


def test_series_equals_kpi_table_without_a_target():
    targets = _targets(codes=[c for c in CODES if c != "SNV"])
    series = trends.kpi_series(_counts(ROWS), targets, REGISTRY, "2022-02")
    expected = kpi_table(_counts(ROWS), targets, REGISTRY, "2022-02")
    pd.testing.assert_frame_equal(trends.month_slice(series, "2022-02"), expected)
    assert _row(series, "SNV", "2022-02")["status"] == "no_data"


def test_series_equals_kpi_table_every_month_of_the_sample():
    inputs = checked_inputs(month="2022-12")
    series = trends.kpi_series(inputs.counts, inputs.targets, inputs.registry, "2022-12")
    for m in range(1, 13):
        month = f"2022-{m:02d}"
        expected = kpi_table(inputs.counts, inputs.targets, inputs.registry, month)
        pd.testing.assert_frame_equal(trends.month_slice(series, month), expected)


def test_ranks_month_by_month_with_ties():
    rows = [
        ("SCT", "2022-01", 10, 5),  # 50%
        ("SNV", "2022-01", 20, 10),  # 50%: ties with SCT
        ("STP", "2022-01", 10, 9),  # 90%
        ("SCT", "2022-02", 10, 10),  # YTD 15/20 = 75%
        ("SNV", "2022-02", 20, 10),  # YTD 20/40 = 50%
        ("STP", "2022-02", 10, 0),  # YTD 9/20 = 45%
        ("TPHB", "2022-01", 10, 1),  # the only district with data
    ]
    series = trends.kpi_series(_counts(rows), _targets(), REGISTRY, "2022-02")
    history = trends.rank_history(series)

    def rank(code, month):
        return _row(history, code, month)["rank_in_group"]

    assert [rank("STP", "2022-01"), rank("SCT", "2022-01"), rank("SNV", "2022-01")] == [1, 2, 2]
    assert [rank("SCT", "2022-02"), rank("SNV", "2022-02"), rank("STP", "2022-02")] == [1, 2, 3]
    assert _row(history, "SCT", "2022-01")["ranked_units"] == 3
    assert _row(history, "TPHB", "2022-02")["ranked_units"] == 1
    assert pd.isna(rank("SGTVT", "2022-01"))  # no data: not ranked


def test_group_medians_by_hand(series):
    medians = trends.group_medians(series).set_index(["month", "group"])
    # departments in March: SCT 30/100, SNV 150/200 -> median of 0.30 and 0.75
    march = medians.loc[("2022-03", "department")]
    assert march["median_month_rate"] == pytest.approx((0.30 + 0.75) / 2)
    # YTD: SCT 160/300, SNV 360/600
    assert march["median_ytd_rate"] == pytest.approx((160 / 300 + 360 / 600) / 2)
    # districts in March: TPHB has no month row but has a YTD
    district = medians.loc[("2022-03", "district")]
    assert pd.isna(district["median_month_rate"])
    assert district["median_ytd_rate"] == pytest.approx(51 / 200)


def test_province_trend_by_hand(series):
    trend = trends.province_trend(series).set_index("month")
    assert trend.loc["2022-01", "month_total"] == 400
    assert trend.loc["2022-01", "month_online"] == 180
    assert trend.loc["2022-03", "month_total"] == 300  # TPHB has no March row
    assert trend.loc["2022-03", "ytd_total"] == 1100
    assert trend.loc["2022-03", "ytd_online"] == 160 + 360 + 51
    assert trend.loc["2022-03", "ytd_rate"] == pytest.approx(571 / 1100)
    # March: SCT near, SNV met (60%), TPHB below, 24 without data
    assert tuple(trend.loc["2022-03", ["met", "near", "below", "no_data"]]) == (1, 1, 1, 24)


def test_province_change_in_points(series):
    trend = trends.province_trend(series)
    # YTD Feb: 391/800; Jan: 180/400
    assert trends.province_change_pp(trend, "2022-02") == pytest.approx((391 / 800 - 0.45) * 100)
    assert trends.province_change_pp(trend, "2022-01") is None


def test_changes_and_largest_movers(series):
    change = trends.changes(series, "2022-03")
    sct = change.set_index("unit_code").loc["SCT"]
    assert sct["previous_month_rate"] == pytest.approx(0.70)
    assert sct["month_change_pp"] == pytest.approx(-40.0)
    assert sct["ytd_change_pp"] == pytest.approx((160 / 300 - 130 / 200) * 100)
    # SNV: 55% -> 75%, +20; TPHB has no March row: no change; SCT -40
    movers = trends.largest_movers(change, n=5)
    assert list(movers["unit_code"]) == ["SCT", "SNV"]
    assert list(trends.largest_movers(change, n=1)["unit_code"]) == ["SCT"]
    january = trends.changes(series, "2022-01")
    assert january["month_change_pp"].isna().all()
    assert trends.largest_movers(january).empty


def test_largest_movers_ties_keep_order():
    change = pd.DataFrame(
        {"unit_code": ["A", "B", "C", "D"], "month_change_pp": [1.0, -3.0, 3.0, None]}
    )
    assert list(trends.largest_movers(change, n=3)["unit_code"]) == ["B", "C", "A"]


def _table_row(code, month, ytd_total, ytd_online, status, target=0.55):
    return {
        "unit_code": code,
        "unit_name": code,
        "group": "department",
        "month": month,
        "ytd_total": ytd_total,
        "ytd_online": ytd_online,
        "ytd_rate": ytd_online / ytd_total,
        "target_rate": target,
        "status": status,
    }


def test_needed_rate_by_hand():
    table = pd.DataFrame(
        [
            # June: 6 months elapsed, 6 left, 100 a month -> (0.55*1200 - 270) / 600 = 0.65
            _table_row("A", "2022-06", 600, 270, "below"),
            # October: 2 left, 60 a month -> (0.55*720 - 0) / 120 = 3.3: out of reach
            _table_row("B", "2022-10", 600, 0, "below"),
            _table_row("C", "2022-06", 600, 400, "met"),  # on target: left out
        ]
    )
    needed = trends.needed_rates(table).set_index("unit_code")
    assert list(needed.index) == ["B", "A"]  # highest need first
    assert needed.loc["A", "needed_rate"] == pytest.approx(0.65)
    assert needed.loc["A", "avg_monthly_total"] == 100
    assert needed.loc["A", "remaining_months"] == 6
    assert not needed.loc["A", "out_of_reach"]
    assert needed.loc["B", "needed_rate"] == pytest.approx(3.3)
    assert needed.loc["B", "out_of_reach"]


def test_needed_rate_of_exactly_100_percent_is_reachable():
    # June, 90 dossiers (15 a month), 9 online: (0.55 * 180 - 9) / 90 = 1 exactly,
    # although in floats it comes out above 1
    assert (0.55 * (90 + 90) - 9) / 90 > 1
    table = pd.DataFrame([_table_row("A", "2022-06", 90, 9, "below")])
    needed = trends.needed_rates(table).iloc[0]
    assert needed["needed_rate"] == 1.0
    assert not needed["out_of_reach"]
    just_over = trends.needed_rates(pd.DataFrame([_table_row("A", "2022-06", 90, 8, "below")]))
    assert just_over.iloc[0]["out_of_reach"]


def test_no_month_left_is_out_of_reach():
    table = pd.DataFrame([_table_row("A", "2022-12", 1200, 600, "below")])
    needed = trends.needed_rates(table).iloc[0]
    assert needed["remaining_months"] == 0
    assert pd.isna(needed["needed_rate"])
    assert needed["out_of_reach"]


def test_needed_rates_from_a_series(series):
    needed = trends.needed_rates(trends.month_slice(series, "2022-03")).set_index("unit_code")
    assert set(needed.index) == {"SCT", "TPHB"}  # SNV met; units without data left out
    # SCT: 300 in 3 months, 9 left at 100 a month: (0.55 * 1200 - 160) / 900 = 500/900
    assert needed.loc["SCT", "needed_rate"] == pytest.approx(500 / 900)
    # TPHB: 200 in 3 months (March empty), 9 left at 200/3: (0.55*800 - 51) / 600
    assert needed.loc["TPHB", "needed_rate"] == pytest.approx((440 - 51) / 600)


def test_reconciliation_matches_and_catches_a_lost_row(series):
    counts = _counts(ROWS)
    table = quality.reconciliation(counts, series)
    assert list(table["period"]) == ["2022-01", "2022-02", "2022-03", "ytd"]
    assert table["matches"].all()
    ytd = table.set_index("period").loc["ytd"]
    assert (ytd["input_total"], ytd["input_online"]) == (1100, 571)
    lost = trends.kpi_series(_counts(ROWS[1:]), _targets(), REGISTRY, "2022-03")
    bad = quality.reconciliation(counts, lost).set_index("period")
    assert not bad.loc["2022-01", "matches"]
    assert bad.loc["2022-01", "input_total"] - bad.loc["2022-01", "report_total"] == 100
    assert not bad.loc["ytd", "matches"]
    assert bad.loc["2022-02", "matches"]


def test_coverage_by_unit():
    coverage = quality.coverage_by_unit(_counts(ROWS), REGISTRY).set_index("unit_code")
    assert coverage.loc["SCT", "first_month"] == "2021-12"
    assert coverage.loc["SCT", "last_month"] == "2022-04"
    assert coverage.loc["SCT", "months_with_rows"] == 5
    assert coverage.loc["TPHB", "rows"] == 2
    assert coverage.loc["SGTVT", "rows"] == 0
    assert pd.isna(coverage.loc["SGTVT", "first_month"])


# --- the year's last month ---------------------------------------------------------------------


def test_year_closed_only_in_december():
    assert trends.year_closed("2022-12")
    assert trends.year_closed(pd.Period("2021-12", freq="M"))
    assert not trends.year_closed("2022-11")
    assert not trends.year_closed("2023-01")
    # a month given as a date (a date picker in a notebook) is its month
    assert trends.year_closed(datetime.date(2022, 12, 15))
    assert not trends.year_closed(datetime.date(2022, 6, 30))


# --- a month given as a date -------------------------------------------------------------------


def test_a_month_given_as_a_date_is_that_month(series):
    """A day of March (a date picker's value) stands for March wherever a month is taken."""
    march = datetime.date(2022, 3, 15)
    pd.testing.assert_frame_equal(
        trends.kpi_series(_counts(ROWS), _targets(), REGISTRY, march), series
    )
    pd.testing.assert_frame_equal(
        trends.month_slice(series, march), trends.month_slice(series, "2022-03")
    )
    # changes: March against February (SCT 70% -> 30%)
    sct = trends.changes(series, march).set_index("unit_code").loc["SCT"]
    assert sct["month_change_pp"] == pytest.approx(-40.0)
    trend = trends.province_trend(series)
    # YTD March 571/1100 against February 391/800
    assert trends.province_change_pp(trend, march) == pytest.approx((571 / 1100 - 391 / 800) * 100)


# --- targets ------------------------------------------------------------------------------------


def test_two_target_rows_for_a_unit_the_later_one_counts_as_in_the_kpi_table():
    # SCT: an undated 50% row, then a 2022 row of 60%; the later row is the one that counts.
    undated = _targets(0.50, ["SCT"]).assign(year=pd.array([None], dtype="Int64"))
    targets = pd.concat([undated, _targets(0.60)], ignore_index=True)
    series = trends.kpi_series(_counts(ROWS), targets, REGISTRY, "2022-03")
    expected = kpi_table(_counts(ROWS), targets, REGISTRY, "2022-03")
    pd.testing.assert_frame_equal(trends.month_slice(series, "2022-03"), expected)
    sct = _row(series, "SCT", "2022-03")
    # YTD 160/300 = 53.3%: below 60% by 6.7 points (it would meet 50%)
    assert sct["target_rate"] == pytest.approx(0.60)
    assert sct["status"] == "below"
    assert sct["shortfall"] == 20  # 0.60 * 300 = 180 -> 20 more


# --- columns and types of the tables the pages read ------------------------------------------
# The pages, the official report and the notebooks read these frames by column name and take a
# missing figure for <NA> (nullable types, as in the KPI table), never a float NaN.


def assert_columns(frame: pd.DataFrame, expected: dict[str, str]) -> None:
    """The frame has exactly these columns, in this order, of these types."""
    assert list(frame.columns) == list(expected)
    assert {column: str(dtype) for column, dtype in frame.dtypes.items()} == expected


def test_changes_columns_types_and_the_month_before(series):
    change = trends.changes(series, "2022-03")
    assert_columns(
        change,
        {
            "unit_code": "str",
            "unit_name": "str",
            "group": "str",
            "month_total": "Int64",
            "previous_month_total": "Int64",
            "month_rate": "Float64",
            "previous_month_rate": "Float64",
            "month_change_pp": "Float64",
            "ytd_rate": "Float64",
            "previous_ytd_rate": "Float64",
            "ytd_change_pp": "Float64",
        },
    )
    by_unit = change.set_index("unit_code")
    # February's dossiers beside March's: SCT 100 then 100; SNV 200 then 200
    assert (by_unit.at["SCT", "month_total"], by_unit.at["SCT", "previous_month_total"]) == (
        100,
        100,
    )
    assert by_unit.at["SNV", "previous_month_total"] == 200
    # TPHB: 100 in February, no March row
    assert pd.isna(by_unit.at["TPHB", "month_total"])
    assert by_unit.at["TPHB", "previous_month_total"] == 100
    assert pd.isna(by_unit.at["TPHB", "month_change_pp"])
    # SGTVT: no row in either month
    assert pd.isna(by_unit.at["SGTVT", "previous_month_total"])
    assert by_unit.at["SGTVT", "previous_month_rate"] is pd.NA


def test_province_trend_columns_and_types(series):
    trend = trends.province_trend(series)
    assert_columns(
        trend,
        {
            "month": "str",
            "month_total": "int64",
            "month_online": "int64",
            "month_rate": "Float64",
            "ytd_total": "int64",
            "ytd_online": "int64",
            "ytd_rate": "Float64",
            "met": "int64",
            "near": "int64",
            "below": "int64",
            "no_data": "int64",
        },
    )
    assert list(trend["month"]) == ["2022-01", "2022-02", "2022-03"]
    # January: 60 + 100 + 20 online of 100 + 200 + 100
    assert trend.loc[0, "month_rate"] == pytest.approx(180 / 400)


def test_province_trend_of_a_year_where_no_unit_ever_meets_its_target():
    # One unit, target 99%: January 0 of 1 dossier online, February 1 of 2 (YTD 1/3).
    rows = [("SCT", "2022-01", 1, 0), ("SCT", "2022-02", 2, 1)]
    series = trends.kpi_series(_counts(rows), _targets(0.99), REGISTRY, "2022-02")
    trend = trends.province_trend(series).set_index("month")
    # no status column goes missing, none is made up
    assert trend.loc["2022-01", ["met", "near", "below", "no_data"]].tolist() == [0, 0, 1, 26]
    assert trend.loc["2022-02", ["met", "near", "below", "no_data"]].tolist() == [0, 0, 1, 26]
    # a month of one dossier has a rate: 0 of 1
    assert trend.loc["2022-01", "month_rate"] == 0
    assert trend.loc["2022-02", "ytd_rate"] == pytest.approx(1 / 3)


def test_province_change_needs_a_rate_the_month_before():
    # Nobody has a row in January: its YTD rate is NA, so February has no change to show.
    rows = [("SCT", "2022-02", 10, 5), ("SCT", "2022-03", 10, 10)]
    series = trends.kpi_series(_counts(rows), _targets(), REGISTRY, "2022-03")
    trend = trends.province_trend(series)
    assert trends.province_change_pp(trend, "2022-02") is None
    # March: YTD 15/20 against 5/10
    assert trends.province_change_pp(trend, "2022-03") == pytest.approx(25.0)


def test_group_medians_types(series):
    medians = trends.group_medians(series)
    assert_columns(
        medians,
        {
            "month": "str",
            "group": "str",
            "median_month_rate": "Float64",
            "median_ytd_rate": "Float64",
        },
    )
    # districts in March: no month rate at all -> <NA>
    assert medians.loc[5, "median_month_rate"] is pd.NA


def test_rank_history_columns_and_types(series):
    history = trends.rank_history(series)
    assert_columns(
        history,
        {
            "unit_code": "str",
            "group": "str",
            "month": "str",
            "rank_in_group": "Int64",
            "ranked_units": "int64",
        },
    )
    assert list(history.index) == list(range(27 * 3))
    # March: SCT 53.3% and SNV 60% ranked among departments; TPHB alone among districts
    march = history[history["month"] == "2022-03"].set_index("unit_code")
    assert march.loc[["SNV", "SCT", "TPHB"], "rank_in_group"].tolist() == [1, 2, 1]
    assert march.loc[["SNV", "SGTVT", "TPHB"], "ranked_units"].tolist() == [2, 2, 1]


def test_largest_movers_many_ties_keep_registry_order():
    # 27 units: the even ones moved 10 points (up or down), the odd ones 2.
    codes = [f"U{i:02d}" for i in range(1, 28)]
    moves = [(10.0 if i % 2 == 0 else 2.0) * (1 if i % 4 < 2 else -1) for i in range(27)]
    change = pd.DataFrame({"unit_code": codes, "month_change_pp": moves})
    movers = trends.largest_movers(change)  # five by default
    assert list(movers["unit_code"]) == ["U01", "U03", "U05", "U07", "U09"]
    assert list(movers["month_change_pp"]) == [10.0, -10.0, 10.0, -10.0, 10.0]
    assert list(movers.columns) == ["unit_code", "month_change_pp"]
    assert list(movers.index) == [0, 1, 2, 3, 4]
    everyone = trends.largest_movers(change, n=27)
    assert list(everyone["unit_code"]) == codes[0::2] + codes[1::2]


NEEDED_TYPES = {
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


def test_needed_rates_every_column_from_a_series(series):
    needed = trends.needed_rates(trends.month_slice(series, "2022-03"))
    assert_columns(needed, NEEDED_TYPES)
    assert list(needed.index) == [0, 1]
    # TPHB needs (440 - 51) / 600 = 64.8%, SCT 500/900 = 55.6%: TPHB first
    tphb, sct = needed.iloc[0], needed.iloc[1]
    assert (sct["unit_code"], sct["unit_name"], sct["group"]) == (
        "SCT",
        "Sở Công Thương",
        "department",
    )
    assert (sct["status"], sct["ytd_total"], sct["ytd_online"]) == ("near", 300, 160)
    assert sct["ytd_rate"] == pytest.approx(160 / 300)
    assert sct["target_rate"] == pytest.approx(0.55)
    assert sct["avg_monthly_total"] == 100 and sct["remaining_months"] == 9
    assert (tphb["unit_code"], tphb["unit_name"], tphb["group"]) == (
        "TPHB",
        "UBND thành phố Hòa Bình",
        "district",
    )
    assert (tphb["status"], tphb["ytd_total"], tphb["ytd_online"]) == ("below", 200, 51)
    assert tphb["ytd_rate"] == pytest.approx(51 / 200)


def test_needed_rates_when_every_unit_is_on_target():
    table = pd.DataFrame([_table_row("A", "2022-06", 600, 400, "met")])
    needed = trends.needed_rates(table)
    assert needed.empty
    assert_columns(needed, NEEDED_TYPES)


def test_needed_rates_ties_keep_table_order():
    # 20 units in June, 600 so far (100 a month, 600 more to come), target 55%:
    # 270 online need (660 - 270) / 600 = 65%, 300 online need (660 - 300) / 600 = 60%.
    rows = [
        _table_row(f"U{i:02d}", "2022-06", 600, 270 if i % 2 else 300, "below")
        for i in range(1, 21)
    ]
    needed = trends.needed_rates(pd.DataFrame(rows))
    odd = [f"U{i:02d}" for i in range(1, 21, 2)]
    even = [f"U{i:02d}" for i in range(2, 21, 2)]
    assert list(needed["unit_code"]) == odd + even
    assert list(needed["needed_rate"]) == [pytest.approx(0.65)] * 10 + [pytest.approx(0.60)] * 10


def test_a_unit_with_no_month_left_comes_first():
    table = pd.DataFrame(
        [
            _table_row("A", "2022-06", 600, 270, "below"),  # needs 65%
            _table_row("B", "2022-12", 1200, 600, "below"),  # no month left: out of reach
        ]
    )
    needed = trends.needed_rates(table)
    assert list(needed["unit_code"]) == ["B", "A"]
    assert needed.loc[0, "needed_rate"] is pd.NA
