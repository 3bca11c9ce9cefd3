"""The month's front page (`report.front_page`): headline, tiles, grid and needs-attention on
hand-made counts, every figure worked out by hand below.

March 2022, every unit's target 55%, three units with data (the other 24 have none):
  SCT   Jan 100/60, Feb 100/50, Mar 100/55: YTD 165/300 = 55.0%: met (exactly the target)
  STC   Jan 100/40, Feb 100/40, Mar 100/52: YTD 132/300 = 44.0%: below; shortfall
        0.55 x 300 - 132 = 33; needed in each of the 9 remaining months (100 a month):
        (0.55 x 1,200 - 132) / 900 = 528/900 = 58.7%
  TPHB  Jan 200/100, Feb 200/100, Mar 200/113: YTD 313/600 = 52.2%: near; shortfall 330 - 313
        = 17; needed (0.55 x 2,400 - 313) / 1,800 = 1,007/1,800 = 55.9%
Province: YTD 610/1,200 = 50.8%; through February 390/800 = 48.75%: up 2.08 -> 2.1 points.
Dossiers: 1,200 YTD, 610 online, 400 in March.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import counts_of, targets_of

from kpi_utils.metrics import trends
from kpi_utils.report.front_page import front_page, sparkline
from kpi_utils.report.pages import headline_sentence

ROWS = [
    ("SCT", "2022-01", 100, 60),
    ("SCT", "2022-02", 100, 50),
    ("SCT", "2022-03", 100, 55),
    ("STC", "2022-01", 100, 40),
    ("STC", "2022-02", 100, 40),
    ("STC", "2022-03", 100, 52),
    ("TPHB", "2022-01", 200, 100),
    ("TPHB", "2022-02", 200, 100),
    ("TPHB", "2022-03", 200, 113),
]


def series_of(rows, registry, month):
    counts = counts_of(rows)
    targets = targets_of(list(registry["unit_code"]))
    return counts, trends.kpi_series(counts, targets, registry, month)


@pytest.fixture(scope="module")
def march(registry):
    counts, series = series_of(ROWS, registry, "2022-03")
    return front_page(series, "2022-03", "vi", counts=counts)


def test_headline_is_the_overviews(march, registry):
    counts, series = series_of(ROWS, registry, "2022-03")
    trend = trends.province_trend(series)
    table = trends.month_slice(series, "2022-03")
    assert march.headline == headline_sentence(trend, table, "2022-03", "vi")
    assert march.headline == (
        "1 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu lũy kế từ đầu năm; tỷ lệ lũy kế của 27 "
        "cơ quan, đơn vị là 50,8%, tăng 2,1 điểm phần trăm so với lũy kế đến hết tháng 2/2022."
    )


def test_tiles_worked_out_by_hand(march):
    assert [t.key for t in march.tiles] == ["rate", "units", "dossiers"]  # no on-time figures
    rate = march.tile("rate")
    assert rate.label == "Tỷ lệ lũy kế của 27 cơ quan, đơn vị"
    assert rate.value == "50,8%"
    assert rate.details == (
        "Chỉ tiêu: 55%",
        "Tăng 2,1 điểm phần trăm so với lũy kế đến hết tháng 2/2022",
    )
    units = march.tile("units")
    assert units.value == "1/27 đạt"
    assert units.details == ("Gần đạt: 1", "Chưa đạt: 1", "Không có số liệu: 24")
    dossiers = march.tile("dossiers")
    assert dossiers.value == "1.200"
    assert dossiers.details == ("610 hồ sơ trực tuyến", "Riêng tháng 3/2022: 400 hồ sơ")


def test_grid_has_every_unit_with_status_in_words(march):
    assert [g.label for g in march.groups] == ["Sở, ban, ngành", "UBND huyện, thành phố"]
    units = [u for g in march.groups for u in g.units]
    assert len(units) == 27
    by_code = {u.code: u for u in units}
    assert (by_code["SCT"].ytd_rate, by_code["SCT"].status_text) == ("55,0%", "Đạt")
    assert (by_code["STC"].ytd_rate, by_code["STC"].status_text) == ("44,0%", "Chưa đạt")
    assert (by_code["TPHB"].ytd_rate, by_code["TPHB"].status_text) == ("52,2%", "Gần đạt")
    assert (by_code["SNV"].ytd_rate, by_code["SNV"].status_text) == ("–", "Không có số liệu")
    assert by_code["SCT"].href == "units/SCT.html"
    # the sparkline says what it shows, month by month
    spark = by_code["SCT"].sparkline
    assert spark.startswith('<svg class="fp-spark" role="img"')
    assert (
        "<title>Tỷ lệ lũy kế của Sở Công Thương qua các tháng: T1 60,0%; T2 55,0%; T3 55,0%. "
        "Chỉ tiêu 55%.</title>" in spark
    )
    # January 60% and then 55%: x = 3 + i x 154/11, y = 3 + (1 - rate) x 34
    assert 'points="3.0,16.6 17.0,18.3 31.0,18.3"' in spark
    assert "fp-fill-met" in spark


def test_needs_attention_shortfall_and_needed_rate(march):
    assert march.attention_heading == "Cần chú ý"
    assert [a.colour for a in march.attention] == ["below", "near"]
    rows = [(a.code, a.status_text, a.ytd_rate, a.shortfall, a.needed) for a in march.attention]
    assert rows == [
        ("STC", "Chưa đạt", "44,0%", "33", "58,7%"),
        ("TPHB", "Gần đạt", "52,2%", "17", "55,9%"),
    ]


def test_english_tiles(registry):
    counts, series = series_of(ROWS, registry, "2022-03")
    page = front_page(series, "2022-03", "en", counts=counts)
    assert page.tile("rate").details[1] == (
        "Up 2.1 percentage points on the year to date through February 2022"
    )
    assert page.tile("units").value == "1 of 27 met"
    assert page.tile("units").details == ("Near: 1", "Below: 1", "No data: 24")
    assert page.tile("dossiers").value == "1,200"
    assert page.attention[0].needed == "58.7%"


def test_on_time_tile_where_the_counts_carry_it(registry):
    # SCT resolved 100 a month, 90, 80 and 70 on time: 240/300 = 80.0%
    on_time = {"2022-01": 90, "2022-02": 80, "2022-03": 70}
    rows = [(*r, 100, on_time[r[1]]) if r[0] == "SCT" else r for r in ROWS]
    counts, series = series_of(rows, registry, "2022-03")
    page = front_page(series, "2022-03", "vi", counts=counts)
    assert [t.key for t in page.tiles] == ["rate", "units", "on_time", "dossiers"]
    assert page.tile("on_time").value == "80,0%"
    assert page.tile("on_time").details == ("240 trong 300 hồ sơ đã giải quyết",)


def test_january_has_no_change_to_tell(registry):
    rows = [r for r in ROWS if r[1] == "2022-01"]
    counts, series = series_of(rows, registry, "2022-01")
    page = front_page(series, "2022-01", "vi", counts=counts)
    assert page.tile("rate").details[1] == ("Tháng đầu năm: chưa có lũy kế tháng trước để so sánh")


def test_december_says_met_or_not_met(registry):
    # SCT 60/100 met; STC 40/100: 15 points short, shortfall 15; TPHB 104/200 = 52%: 3 points
    # short, shortfall 6. In December both are "not met", never "near" or "below".
    rows = [("SCT", "2022-12", 100, 60), ("STC", "2022-12", 100, 40), ("TPHB", "2022-12", 200, 104)]
    counts, series = series_of(rows, registry, "2022-12")
    page = front_page(series, "2022-12", "vi", counts=counts)
    assert page.closed
    assert page.tile("rate").label == "Tỷ lệ năm 2022 của 27 cơ quan, đơn vị"
    assert page.tile("units").value == "1/27 đạt"
    assert page.tile("units").details == ("Không đạt: 2", "Không có số liệu: 24")
    assert page.headline.startswith("Năm 2022, 1 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu")
    assert page.attention_heading == "Kết quả năm 2022: các cơ quan, đơn vị không đạt chỉ tiêu"
    rows = [(a.code, a.status_text, a.ytd_rate, a.gap, a.shortfall) for a in page.attention]
    assert rows == [
        ("STC", "Không đạt", "40,0%", "15,0", "15"),
        ("TPHB", "Không đạt", "52,0%", "3,0", "6"),
    ]
    # one colour for "not met", as the words say (March's near TPHB is amber)
    assert {a.code: a.colour for a in page.attention} == {"STC": "below", "TPHB": "below"}
    statuses = {u.status_text for g in page.groups for u in g.units}
    assert statuses == {"Đạt", "Không đạt", "Không có số liệu"}
    english = front_page(series, "2022-12", "en", counts=counts)
    assert english.tile("units").details == ("Not met: 2", "No data: 24")


def test_sparkline_breaks_at_missing_months_and_escapes_its_text():
    svg = sparkline([0.5, None, 0.25, 0.75], 0.55, "below", "<b>x</b>", slots=4)
    assert "<title>&lt;b&gt;x&lt;/b&gt;</title>" in svg
    # step 154/3: a lone dot at x = 3, then a line from x = 105.7 to 157; y = 3 + (1 - r) x 34
    assert '<circle class="fp-spark-line-dot" cx="3.0" cy="20.0" r="1.5"/>' in svg
    assert 'points="105.7,28.5 157.0,11.5"' in svg
    assert 'class="fp-spark-end fp-fill-below" cx="157.0" cy="11.5"' in svg
    assert "fp-spark-target" in svg
    # a missing month may come as NA from a Float64 column
    assert "polyline" not in sparkline([pd.NA, pd.NA], None, "no_data", "none", slots=2)


def test_a_target_out_of_reach_is_said_so(registry):
    # STC 10 of 100 online every month through November: needs (0.55 x 1,200 - 110) / 100
    # = 550% in December: out of reach; shortfall 0.55 x 1,100 - 110 = 495.
    rows = [("STC", f"2022-{m:02d}", 100, 10) for m in range(1, 12)]
    counts, series = series_of(rows, registry, "2022-11")
    page = front_page(series, "2022-11", "vi", counts=counts)
    [stc] = page.attention
    assert (stc.code, stc.shortfall, stc.needed) == ("STC", "495", "Không thể đạt (cần trên 100%)")
