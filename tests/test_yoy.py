"""Year over year and on-time rates on a two-year fixture, worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import counts_of as _counts

from kpi_utils.metrics.ontime import ON_TIME_FIELDS, has_on_time, on_time_rates, province_on_time
from kpi_utils.metrics.yoy import YOY_FIELDS, province_year_over_year, year_over_year

# Month 2022-03 against 2021-03; YTD Jan..Mar 2022 against Jan..Mar 2021.
TWO_YEARS = [
    # SCT: both years complete. Month 200/150 = 75% vs 100/50 = 50%: +25 points, volume ×2.
    # YTD 400/280 = 70% vs 250/110 = 44%: +26 points, volume +60%. April 2021 is ignored.
    ("SCT", "2021-01", 100, 40),
    ("SCT", "2021-02", 50, 20),
    ("SCT", "2021-03", 100, 50),
    ("SCT", "2021-04", 999, 999),
    ("SCT", "2022-01", 100, 60),
    ("SCT", "2022-02", 100, 70),
    ("SCT", "2022-03", 200, 150),
    # SGTVT: only March in 2021. Month 20/10 = 50% vs 80/20 = 25%: +25 points, volume -75%;
    # the 2021 YTD has 1 month of 3: not comparable, left empty.
    ("SGTVT", "2021-03", 80, 20),
    ("SGTVT", "2022-01", 10, 5),
    ("SGTVT", "2022-02", 10, 5),
    ("SGTVT", "2022-03", 20, 10),
    # SGDDT: nothing a year earlier.
    ("SGDDT", "2022-03", 10, 1),
    # SKHDT: 2021 complete (30/3 = 10%), 2022 lacks February: YTD change left empty.
    ("SKHDT", "2021-01", 10, 1),
    ("SKHDT", "2021-02", 10, 1),
    ("SKHDT", "2021-03", 10, 1),
    ("SKHDT", "2022-01", 10, 5),
    ("SKHDT", "2022-03", 10, 5),
    # STC: thirds, to see exact arithmetic: 2/3 - 1/3 = 33.33... points.
    ("STC", "2021-03", 3, 1),
    ("STC", "2022-03", 3, 2),
]


# Built afresh for each test (it is cheap), so that mutation testing links every test to the code
# it checks: a module-wide fixture would be credited to the first test alone.
@pytest.fixture
def yoy():
    table = year_over_year(_counts(TWO_YEARS), "2022-03")
    return table.set_index("unit_code")


def test_columns_and_keys(yoy):
    assert list(yoy.columns) == YOY_FIELDS
    assert list(yoy.index) == ["SCT", "SGDDT", "SGTVT", "SKHDT", "STC"]
    assert set(yoy["month"]) == {"2022-03"} and set(yoy["prev_month"]) == {"2021-03"}


def test_complete_years(yoy):
    sct = yoy.loc["SCT"]
    assert (sct["month_total"], sct["month_online"], sct["month_rate"]) == (200, 150, 0.75)
    assert (sct["prev_month_total"], sct["prev_month_online"], sct["prev_month_rate"]) == (
        100,
        50,
        0.5,
    )
    assert sct["month_rate_change_pp"] == 25.0 and sct["month_total_growth"] == 1.0
    assert (sct["ytd_total"], sct["ytd_online"], sct["ytd_rate"]) == (400, 280, 0.7)
    assert (sct["prev_ytd_total"], sct["prev_ytd_online"], sct["prev_ytd_rate"]) == (250, 110, 0.44)
    assert sct["ytd_rate_change_pp"] == 26.0 and sct["ytd_total_growth"] == 0.6
    assert (sct["ytd_months"], sct["prev_ytd_months"]) == (3, 3)


def test_partial_year_earlier(yoy):
    sgtvt = yoy.loc["SGTVT"]
    assert sgtvt["month_rate_change_pp"] == 25.0 and sgtvt["month_total_growth"] == -0.75
    assert sgtvt["prev_ytd_months"] == 1
    assert pd.isna(sgtvt["prev_ytd_total"]) and pd.isna(sgtvt["ytd_rate_change_pp"])
    # its one month of 2021 (80 / 20) is not shown as a year-earlier YTD either
    assert pd.isna(sgtvt["prev_ytd_online"]) and pd.isna(sgtvt["prev_ytd_rate"])
    assert sgtvt["ytd_total"] == 40


def test_no_year_earlier(yoy):
    sgddt = yoy.loc["SGDDT"]
    assert sgddt["month_rate"] == 0.1
    for column in ("prev_month_total", "prev_month_rate", "month_rate_change_pp", "prev_ytd_rate"):
        assert pd.isna(sgddt[column]), column
    assert sgddt["prev_ytd_months"] == 0


def test_current_ytd_short_of_a_month(yoy):
    skhdt = yoy.loc["SKHDT"]
    assert skhdt["month_rate_change_pp"] == pytest.approx(40.0)
    assert (skhdt["prev_ytd_total"], skhdt["prev_ytd_online"]) == (30, 3)
    assert skhdt["ytd_months"] == 2 and (skhdt["ytd_total"], skhdt["ytd_online"]) == (20, 10)
    assert pd.isna(skhdt["ytd_rate_change_pp"]) and pd.isna(skhdt["ytd_total_growth"])


def test_exact_difference_of_rates(yoy):
    assert yoy.loc["STC", "month_rate_change_pp"] == 100 / 3


def test_province_compares_like_with_like():
    row = province_year_over_year(_counts(TWO_YEARS), "2022-03").iloc[0]
    assert row["unit_code"] == "province"
    # March: the units with a row in March of both years: SCT, SGTVT, SKHDT, STC (not SGDDT)
    # 2022: 200+20+10+3 = 233 dossiers, 150+10+5+2 = 167 online; 2021: 100+80+10+3 = 193, 72
    assert (row["month_total"], row["month_online"]) == (233, 167)
    assert (row["prev_month_total"], row["prev_month_online"]) == (193, 72)
    assert row["month_left_out"] == "SGDDT"
    # YTD: only SCT has January..March in both years: 400 / 280 against 250 / 110, +26 points
    assert (row["ytd_total"], row["ytd_online"]) == (400, 280)
    assert (row["prev_ytd_total"], row["prev_ytd_online"]) == (250, 110)
    assert row["ytd_rate_change_pp"] == 26.0
    assert row["ytd_left_out"] == "SGDDT, SGTVT, SKHDT, STC"


def test_province_of_a_unit_that_reports_only_this_year_is_not_growth():
    """STC alone in 2021, STC and STP in 2022: summing all would give +1,020% dossiers and
    +33.9 points; like with like, STC against STC: +20% dossiers, 0 points, STP left out."""
    counts = _counts(
        [
            ("STC", "2021-01", 100, 50),
            ("STC", "2022-01", 120, 60),
            ("STP", "2022-01", 1000, 880),
        ]
    )
    row = province_year_over_year(counts, "2022-01").iloc[0]
    assert (row["month_total"], row["prev_month_total"]) == (120, 100)
    assert row["month_total_growth"] == 0.2 and row["month_rate_change_pp"] == 0.0
    assert row["ytd_total_growth"] == 0.2 and row["ytd_rate_change_pp"] == 0.0
    assert (row["month_left_out"], row["ytd_left_out"]) == ("STP", "STP")


def test_province_with_the_same_units_both_years_leaves_none_out():
    counts = _counts([("STC", "2021-01", 100, 50), ("STC", "2022-01", 120, 60)])
    row = province_year_over_year(counts, "2022-01").iloc[0]
    assert (row["month_left_out"], row["ytd_left_out"]) == ("", "")


def test_keys_fix_rows_and_order_for_a_page():
    table = year_over_year(_counts(TWO_YEARS), "2022-03", keys=["STC", "SNV", "SCT"])
    assert list(table["unit_code"]) == ["STC", "SNV", "SCT"]
    snv = table.iloc[1]
    assert pd.isna(snv["month_total"]) and snv["ytd_months"] == 0


def test_communes_by_ward_code():
    counts = _counts([("X", "2021-06", 10, 2), ("X", "2022-06", 10, 7)]).assign(ward_code=4876)
    row = year_over_year(counts, "2022-06", by="ward_code").iloc[0]
    assert row["ward_code"] == 4876 and row["month_rate_change_pp"] == 50.0


def test_frame_types(yoy):
    # counts are nullable integers (NA where there is no row), months-with-data plain integers,
    # rates and changes nullable floats: SGDDT has no year-earlier figures, so NA, not NaN
    assert {c: str(t) for c, t in yoy.dtypes.items()} == {
        "month": "str",
        "month_total": "Int64",
        "month_online": "Int64",
        "month_rate": "Float64",
        "prev_month": "str",
        "prev_month_total": "Int64",
        "prev_month_online": "Int64",
        "prev_month_rate": "Float64",
        "month_rate_change_pp": "Float64",
        "month_total_growth": "Float64",
        "ytd_months": "int64",
        "ytd_total": "Int64",
        "ytd_online": "Int64",
        "ytd_rate": "Float64",
        "prev_ytd_months": "int64",
        "prev_ytd_total": "Int64",
        "prev_ytd_online": "Int64",
        "prev_ytd_rate": "Float64",
        "ytd_rate_change_pp": "Float64",
        "ytd_total_growth": "Float64",
    }
    assert yoy.loc["SGDDT", "prev_month_rate"] is pd.NA


def test_no_counts_give_an_empty_table_with_the_columns_and_types():
    table = year_over_year(_counts([]), "2022-03")
    assert len(table) == 0
    assert list(table.columns) == ["unit_code", *YOY_FIELDS]
    assert str(table["unit_code"].dtype) == "str" and str(table["ytd_total"].dtype) == "Int64"


def test_a_month_given_as_a_date_is_its_calendar_month():
    # a notebook may pass a Timestamp: 2022-03-15 is March 2022, against March 2021 (SCT: +25
    # points, as in test_complete_years)
    table = year_over_year(_counts(TWO_YEARS), pd.Timestamp("2022-03-15")).set_index("unit_code")
    assert (table.loc["SCT", "month"], table.loc["SCT", "prev_month"]) == ("2022-03", "2021-03")
    assert table.loc["SCT", "month_rate_change_pp"] == 25.0
    row = province_year_over_year(_counts(TWO_YEARS), pd.Timestamp("2022-03-15")).iloc[0]
    assert (row["month"], row["month_total"], row["ytd_total"]) == ("2022-03", 233, 400)


def test_province_row_is_there_when_no_unit_can_be_compared():
    # STC reports only in 2022: nothing to compare, so the province row has no counts and says
    # STC is left out of both the month and the YTD
    row = province_year_over_year(_counts([("STC", "2022-01", 120, 60)]), "2022-01")
    assert len(row) == 1
    row = row.iloc[0]
    assert row["unit_code"] == "province" and row["month"] == "2022-01"
    assert pd.isna(row["month_total"]) and pd.isna(row["prev_month_total"])
    assert row["ytd_months"] == 0 and pd.isna(row["ytd_total"])
    assert (row["month_left_out"], row["ytd_left_out"]) == ("STC", "STC")


def test_province_leaves_out_only_units_with_a_ytd_in_one_year():
    # Month 2022-03. STC: March and YTD in both years, compared. SNV: a row only in 2020, so no
    # YTD in either year: nothing to leave out. SXD: January 2021 only, a YTD of one month a year
    # earlier and none now: left out of the YTD (its row is not March, so not of the month).
    counts = _counts(
        [
            ("STC", "2021-01", 10, 5),
            ("STC", "2021-02", 10, 5),
            ("STC", "2021-03", 10, 5),
            ("STC", "2022-01", 10, 6),
            ("STC", "2022-02", 10, 6),
            ("STC", "2022-03", 10, 6),
            ("SNV", "2020-03", 10, 5),
            ("SXD", "2021-01", 10, 5),
        ]
    )
    row = province_year_over_year(counts, "2022-03").iloc[0]
    assert (row["month_left_out"], row["ytd_left_out"]) == ("", "SXD")
    # STC alone: YTD 18 / 30 = 60% against 15 / 30 = 50%, +10 points
    assert (row["ytd_total"], row["prev_ytd_total"]) == (30, 30)
    assert row["ytd_rate_change_pp"] == pytest.approx(10.0)


# --- on-time rate ---------------------------------------------------------------------------

ON_TIME = [
    ("SCT", "2021-12", 10, 5, 100, 1),  # previous year: not in the 2022 YTD
    ("SCT", "2022-01", 10, 5, 10, 9),
    ("SCT", "2022-02", 10, 5, 20, 20),
    ("SCT", "2022-03", 10, 5),  # no resolved figures this month
    ("SGTVT", "2022-03", 10, 5, 0, 0),  # nothing resolved: rate undefined
    ("SGDDT", "2022-03", 10, 5),  # never any figures
]


def test_on_time_rates_by_hand():
    counts = _counts(ON_TIME)
    assert has_on_time(counts)
    table = on_time_rates(counts, "2022-03").set_index("unit_code")
    sct = table.loc["SCT"]
    assert pd.isna(sct["month_resolved"]) and pd.isna(sct["month_on_time_rate"])
    assert (sct["ytd_resolved"], sct["ytd_resolved_on_time"], sct["ytd_months"]) == (30, 29, 2)
    assert sct["ytd_on_time_rate"] == 29 / 30
    feb = on_time_rates(counts, "2022-02").set_index("unit_code").loc["SCT"]
    assert feb["month_on_time_rate"] == 1.0 and feb["ytd_on_time_rate"] == 29 / 30
    sgtvt = table.loc["SGTVT"]
    assert sgtvt["month_resolved"] == 0 and pd.isna(sgtvt["month_on_time_rate"])
    sgddt = table.loc["SGDDT"]
    assert sgddt["ytd_months"] == 0 and pd.isna(sgddt["ytd_on_time_rate"])
    province = province_on_time(counts, "2022-03").iloc[0]
    assert (province["ytd_resolved"], province["ytd_resolved_on_time"]) == (30, 29)


def test_counts_without_resolved_figures():
    counts = _counts([row[:4] for row in ON_TIME])
    assert not has_on_time(counts)
    table = on_time_rates(counts, "2022-03")
    assert table["ytd_on_time_rate"].isna().all() and (table["ytd_months"] == 0).all()
    bare = counts[["unit_code", "month", "total", "online"]]
    assert not has_on_time(bare)
    assert on_time_rates(bare, "2022-03")["month_resolved"].isna().all()


def test_month_with_resolved_but_no_on_time_figure_is_left_out_of_the_ytd():
    # SCT: January 10 resolved, 9 on time; February 10 resolved, on-time figure missing. The YTD
    # to February is January's alone: 9 / 10 = 90% over 1 month (counting February's resolved
    # without its on-time figure would give 9 / 20 = 45%). February's own rate is undefined.
    counts = _counts([("SCT", "2022-01", 10, 5, 10, 9), ("SCT", "2022-02", 10, 5, 10, 0)])
    counts.loc[counts["month"] == pd.Period("2022-02", "M"), "resolved_on_time"] = pd.NA
    assert counts["resolved"].notna().all()
    row = on_time_rates(counts, "2022-02").set_index("unit_code").loc["SCT"]
    assert (row["ytd_resolved"], row["ytd_resolved_on_time"], row["ytd_months"]) == (10, 9, 1)
    assert row["ytd_on_time_rate"] == 0.9
    assert pd.isna(row["month_resolved"]) and pd.isna(row["month_on_time_rate"])
    province = province_on_time(counts, "2022-02").iloc[0]
    assert province["ytd_on_time_rate"] == 0.9


# --- several years in one run ---------------------------------------------------------------


def test_sample_runs_both_years_with_the_illustrative_2021_targets():
    from kpi_utils.metrics.pipeline import load_inputs

    inputs = load_inputs(month="2021-06")
    assert not [p for p in inputs.problems if p.is_error]
    by_year = inputs.targets.groupby("year")["target_rate"].agg(set).to_dict()
    assert by_year == {2021: {0.51}, 2022: {0.55}}
    from kpi_utils.metrics.kpi import kpi_table

    june_2021 = kpi_table(inputs.counts, inputs.targets, inputs.registry, "2021-06")
    assert set(june_2021["target_rate"]) == {0.51}
    # the sample's 2021 YTD for VPUBND-NV is tiny; every unit has a status against 51%
    assert "no_data" not in set(june_2021["status"])
    yoy = year_over_year(inputs.counts, "2022-06", keys=list(inputs.registry["unit_code"]))
    assert yoy["ytd_rate_change_pp"].notna().all()  # the sample has every month of both years


def test_real_counts_default_to_the_decisions_2022_targets_only(tmp_path):
    from conftest import write_csv

    from kpi_utils.metrics.pipeline import load_inputs

    counts = write_csv(
        tmp_path / "c.csv", [["unit", "month", "total", "online"], ["SCT", "2021-06", 10, 5]]
    )
    inputs = load_inputs(counts=[counts], month="2021-06")
    assert set(inputs.targets["year"]) == {2022}
    assert any("no target for SCT in 2021" in p.message for p in inputs.problems)


def test_targets_for_the_same_unit_and_year_in_two_files(tmp_path):
    from conftest import write_csv

    from kpi_utils.metrics.pipeline import load_inputs, paths

    extra = write_csv(tmp_path / "t.csv", [["year", "unit", "target"], [2022, "Sở Y tế", "60%"]])
    inputs = load_inputs(targets=[paths.default_targets_path(), extra])
    (problem,) = [p for p in inputs.problems if p.is_error]
    assert "targets for SYT in 2022 in two files" in problem.message
    assert str(extra) in problem.message


def test_on_time_frame_columns_types_and_month():
    table = on_time_rates(_counts(ON_TIME), "2022-02", keys=["SCT"])
    assert list(table.columns) == ["unit_code", *ON_TIME_FIELDS]
    assert {c: str(t) for c, t in table.dtypes.items()} == {
        "unit_code": "str",
        "month": "str",
        "month_resolved": "Int64",
        "month_resolved_on_time": "Int64",
        "month_on_time_rate": "Float64",
        "ytd_months": "int64",
        "ytd_resolved": "Int64",
        "ytd_resolved_on_time": "Int64",
        "ytd_on_time_rate": "Float64",
    }
    row = table.iloc[0]
    # February: 20 resolved, 20 on time; YTD January 10 / 9 + February 20 / 20 = 30 / 29
    assert (row["month"], row["month_resolved"], row["month_resolved_on_time"]) == (
        "2022-02",
        20,
        20,
    )


def test_has_on_time_needs_both_figures_on_one_row():
    both = pd.DataFrame({"resolved": [5], "resolved_on_time": [4]})
    assert has_on_time(both)  # exactly the two columns are enough
    apart = pd.DataFrame({"resolved": [5, None], "resolved_on_time": [None, 4]})
    assert not has_on_time(apart)


def test_on_time_of_no_counts_is_an_empty_table_and_an_empty_province_row():
    empty = _counts([])
    table = on_time_rates(empty, "2022-03")
    assert len(table) == 0 and list(table.columns) == ["unit_code", *ON_TIME_FIELDS]
    (province,) = province_on_time(empty, "2022-03").to_dict("records")
    assert (province["unit_code"], province["month"], province["ytd_months"]) == (
        "province",
        "2022-03",
        0,
    )
    assert pd.isna(province["ytd_resolved"]) and pd.isna(province["ytd_on_time_rate"])


def test_on_time_month_given_as_a_date_is_its_calendar_month():
    # 2022-02-15 is February 2022: 20 resolved, all on time; YTD 30 / 29 (see ON_TIME)
    row = on_time_rates(_counts(ON_TIME), pd.Timestamp("2022-02-15"), keys=["SCT"]).iloc[0]
    assert (row["month"], row["month_resolved"], row["ytd_resolved_on_time"]) == ("2022-02", 20, 29)
