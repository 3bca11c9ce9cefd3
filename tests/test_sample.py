"""The committed SYNTHETIC sample: reproducible byte for byte, complete, and calibrated.

The calibration checks read the committed CSV with the csv module and use integer arithmetic only,
so they test the published file rather than the generator's internals.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from kpi_utils.samples import counts as sample

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SAMPLE_PATH = DATA_DIR / "sample" / "monthly_counts.csv"
UNITS_PATH = DATA_DIR / "units.csv"
MONTHS = [f"{year}-{month:02d}" for year in (2021, 2022) for month in range(1, 13)]


def read_units() -> list[dict[str, str]]:
    with UNITS_PATH.open(encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["order"]))


def read_sample() -> list[tuple[str, str, int, int]]:
    with SAMPLE_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["unit_code", "month", "total", "online"]
        return [(unit, month, int(total), int(online)) for unit, month, total, online in reader]


def sums(rows, months, units=None) -> tuple[int, int]:
    """(total, online) summed over the given months (and units, if given)."""
    picked = [r for r in rows if r[1] in months and (units is None or r[0] in units)]
    return sum(r[2] for r in picked), sum(r[3] for r in picked)


def test_regenerating_with_default_seed_gives_the_committed_bytes(tmp_path):
    written = sample.write_sample(tmp_path / "monthly_counts.csv")
    assert written.read_bytes() == SAMPLE_PATH.read_bytes()


def test_file_is_utf8_with_lf_line_endings():
    raw = SAMPLE_PATH.read_bytes()
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.startswith(b"unit_code,month,total,online\n")
    assert raw.endswith(b"\n")


def test_every_unit_and_month_appears_once_in_registry_then_month_order():
    rows = read_sample()
    expected_keys = [(unit["unit_code"], month) for unit in read_units() for month in MONTHS]
    assert len(rows) == 27 * 24 == 648
    assert [(unit, month) for unit, month, _, _ in rows] == expected_keys


def test_counts_are_integers_with_online_within_total():
    with SAMPLE_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            assert row["total"].isdigit() and row["online"].isdigit(), row
            assert 0 <= int(row["online"]) <= int(row["total"]), row


def test_province_online_share_in_q2_2021_is_near_the_published_49_percent():
    total, online = sums(read_sample(), {"2021-04", "2021-05", "2021-06"})
    assert 44 * total <= 100 * online <= 54 * total


def test_province_online_share_jan_to_sep_2022_is_near_the_published_83_percent():
    total, online = sums(read_sample(), {f"2022-{m:02d}" for m in range(1, 10)})
    assert 78 * total <= 100 * online <= 88 * total


def test_units_spread_over_met_near_and_below_at_june_2022_year_to_date():
    rows = read_sample()
    ytd_months = {f"2022-{m:02d}" for m in range(1, 7)}
    statuses = defaultdict(list)
    for unit in read_units():
        total, online = sums(rows, ytd_months, {unit["unit_code"]})
        if 100 * online >= 55 * total:
            statuses["met"].append(unit["unit_code"])
        elif 100 * online > 50 * total:
            statuses["near"].append(unit["unit_code"])
        else:
            statuses["below"].append(unit["unit_code"])
    assert len(statuses["met"]) >= 2, statuses
    assert len(statuses["near"]) >= 2, statuses
    assert len(statuses["below"]) >= 2, statuses


def test_foreign_affairs_unit_has_a_month_without_dossiers():
    assert any(unit == "VPUBND-NV" and total == 0 for unit, _, total, _ in read_sample())


def test_department_volumes_span_at_least_an_order_of_magnitude():
    departments = {
        u["unit_code"]
        for u in read_units()
        if u["group"] == "department" and u["unit_code"] != "VPUBND-NV"
    }
    volume = defaultdict(int)
    for unit, _, total, _ in read_sample():
        if unit in departments:
            volume[unit] += total
    # All departments cover the same 24 months, so sums compare like means.
    assert len(volume) == len(departments)
    assert max(volume.values()) >= 10 * min(volume.values())


@pytest.mark.parametrize("year", ["2021", "2022"])
def test_february_is_the_provinces_lowest_month_tet_dip(year):
    province = defaultdict(int)
    for _, month, total, _ in read_sample():
        if month.startswith(year):
            province[month] += total
    assert len(province) == 12
    february = province[f"{year}-02"]
    assert all(february < total for month, total in province.items() if month != f"{year}-02")


def test_generated_frame_has_the_documented_columns_and_dtypes():
    units = pd.DataFrame({"unit_code": ["SNV", "STC"], "order": [2, 1]})
    frame = sample.generate_monthly_counts(units, start="2021-11", end="2022-02")
    assert list(frame.columns) == ["unit_code", "month", "total", "online"]
    assert frame["total"].dtype == "int64" and frame["online"].dtype == "int64"
    assert frame["unit_code"].tolist() == ["STC"] * 4 + ["SNV"] * 4
    assert frame["month"].tolist() == ["2021-11", "2021-12", "2022-01", "2022-02"] * 2


def test_a_different_seed_gives_different_data():
    units = pd.DataFrame({"unit_code": ["SCT", "VPUBND-NV"], "order": [1, 2]})
    default = sample.generate_monthly_counts(units)
    again = sample.generate_monthly_counts(units)
    other = sample.generate_monthly_counts(units, seed=sample.SAMPLE_SEED + 1)
    pd.testing.assert_frame_equal(default, again)
    assert not default.equals(other)


def test_unit_without_a_profile_is_rejected_by_name():
    units = pd.DataFrame({"unit_code": ["SCT", "NOPE"], "order": [1, 2]})
    with pytest.raises(ValueError, match="NOPE"):
        sample.generate_monthly_counts(units)


@pytest.mark.parametrize(
    "start, end", [("2021-1", "2021-12"), ("2021-13", "2022-01"), ("2022-02", "2022-01")]
)
def test_bad_month_window_is_rejected(start, end):
    with pytest.raises(ValueError):
        sample.month_range(start, end)


@pytest.mark.parametrize("mean", [0.5, 3.0, 40.0, 500.0])
def test_poisson_draw_has_roughly_its_mean(mean):
    rng = random.Random(1)
    draws = [sample.draw_poisson(rng, mean) for _ in range(4000)]
    assert min(draws) >= 0
    assert abs(sum(draws) / len(draws) - mean) < 4 * (mean / len(draws)) ** 0.5


@pytest.mark.parametrize("trials", [0, 1, 7, 60, 61, 5000])
def test_binomial_draw_stays_within_its_trials_and_near_its_mean(trials):
    rng = random.Random(2)
    draws = [sample.draw_binomial(rng, trials, 0.8) for _ in range(2000)]
    assert all(0 <= d <= trials for d in draws)
    assert abs(sum(draws) / len(draws) - 0.8 * trials) <= 4 * (0.16 * trials / len(draws)) ** 0.5
