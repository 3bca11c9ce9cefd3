"""The report pages on a small fixture whose numbers are worked out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpi_utils import report
from kpi_utils.common.problems import InputError

# SCT (department): Jan 60/100, Feb 70/100 -> YTD 130/200 = 65%: met
# SNV (department): Jan 100/200, Feb 110/200 -> YTD 210/400 = 52.5%: near
# TPHB (district):  Jan 20/100, Feb 31/100 -> YTD 51/200 = 25.5%: below
# Province YTD: Jan 180/400 = 45%; Feb 391/800 = 48.875%: up 3.875 points
COUNTS = """unit_code,month,total,online
SCT,2022-01,100,60
SCT,2022-02,100,70
SNV,2022-01,200,100
SNV,2022-02,200,110
TPHB,2022-01,100,20
TPHB,2022-02,100,31
"""


@pytest.fixture(scope="module")
def counts_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "counts.csv"
    path.write_text(COUNTS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def overview_vi(counts_file):
    return report.overview_page(month="2022-02", counts=[str(counts_file)], lang="vi")


def _text(html: object) -> str:
    return re.sub(r"<[^>]+>", " ", str(html))


def test_headline_in_words(overview_vi, counts_file):
    assert overview_vi.headline_text() == (
        "1 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu lũy kế từ đầu năm; "
        "tỷ lệ lũy kế của 27 cơ quan, đơn vị là 48,9%, tăng 3,9 điểm phần trăm "
        "so với lũy kế đến hết tháng 1/2022."
    )
    english = report.overview_page(month="2022-02", counts=str(counts_file), lang="en")
    assert english.headline_text() == (
        "1 of 27 units met the target year to date; the year-to-date rate of the 27 units "
        "is 48.9%, 3.9 percentage points up on the year to date through January 2022."
    )


def test_january_headline_has_no_comparison(counts_file):
    page = report.overview_page(month="2022-01", counts=[counts_file], lang="en")
    # Jan: SCT 60% met, SNV 50% below, TPHB 20% below; province 45%
    assert page.headline_text() == (
        "1 of 27 units met the target year to date; the year-to-date rate of the 27 units is 45.0%."
    )
    assert "No earlier month" in _text(page.movers())


def test_no_sample_notice_for_real_inputs(overview_vi):
    assert str(overview_vi.notice()) == ""


def test_sample_notice_on_every_page_of_the_sample():
    pages = [
        report.overview_page(month="2022-06"),
        report.data_quality_page(month="2022-06", lang="en"),
        report.unit_page("SCT", month="2022-06"),
    ]
    for page in pages:
        assert page.inputs.is_sample
        assert ("Dữ liệu mô phỏng:" if page.lang == "vi" else "Synthetic data:") in str(
            page.notice()
        )


def test_kpi_tables_by_group_ranked_with_status_colours(overview_vi):
    html = str(overview_vi.kpi_tables())
    text = _text(html)
    assert text.index("Sở, ban, ngành") < text.index("Sở Công Thương") < text.index("Sở Nội vụ")
    assert text.index("Sở Nội vụ") < text.index("UBND huyện, thành phố")
    assert text.index("UBND huyện, thành phố") < text.index("UBND thành phố Hòa Bình")
    assert "52,5%" in text and "Gần đạt" in text and "25,5%" in text
    assert "Tổng cộng 27 cơ quan, đơn vị" in text and "391" in text and "800" in text
    assert "Toàn tỉnh" not in text
    assert "Cộng sở, ban, ngành" in text and "Cộng UBND huyện, thành phố" in text
    assert "#e8f5e9" in html and "#fff8e1" in html and "#ffebee" in html  # met, near, below


def test_needed_rates_table(overview_vi):
    needed = overview_vi.needed_rates.set_index("unit_code")
    # SNV: 10 months left at 200 a month: (0.55 * 2400 - 210) / 2000 = 0.555
    assert needed.loc["SNV", "needed_rate"] == pytest.approx(0.555)
    # TPHB: (0.55 * 1200 - 51) / 1000 = 0.609
    assert needed.loc["TPHB", "needed_rate"] == pytest.approx(0.609)
    text = _text(overview_vi.needed())
    assert "55,5%" in text and "60,9%" in text
    # the note and the column header: both are still within reach
    assert text.count("Không thể đạt") == 2


def test_english_page_has_no_vietnamese_labels(counts_file):
    page = report.overview_page(month="2022-02", counts=[counts_file], lang="en")
    text = _text(page.kpi_tables()) + _text(page.needed()) + _text(page.movers())
    for word in ("Đạt", "Chưa đạt", "Gần đạt", "Tỷ lệ", "Toàn tỉnh", "Sở, ban, ngành"):
        assert word not in text
    assert "Departments" in text and "near" in text and "Total, 27 units" in text


def test_unit_names_are_escaped_in_tables(overview_vi):
    page = overview_vi
    series = page.series.copy()
    series.loc[series["unit_code"] == "SCT", "unit_name"] = "<script>x()</script>"
    hostile = report.OverviewPage(page.month, "vi", page.inputs, series)
    html = str(hostile.kpi_tables())
    assert "<script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_data_quality_page(counts_file):
    page = report.data_quality_page(month="2022-02", counts=[counts_file], lang="en")
    files = _text(page.files())
    assert "counts.csv" in files and "targets_2022.csv" in files
    assert page.inputs.files[0].sha256 in files
    warnings = _text(page.warnings())
    assert "SGTVT has no rows" in warnings  # a unit without rows is a warning
    reconciliation = page.reconciliation_table.set_index("period")
    assert reconciliation["matches"].all()
    assert tuple(reconciliation.loc["ytd", ["input_total", "report_total"]]) == (800, 800)
    assert "Input totals equal report totals." in _text(page.reconciliation())
    coverage = _text(page.coverage())
    assert "January 2022" in coverage and "February 2022" in coverage


def test_unit_page(counts_file):
    page = report.unit_page("TPHB", month="2022-02", counts=[counts_file], lang="en")
    assert "Year-to-date rate 25.5%, target 55%: below." in _text(page.summary())
    assert "Ranked 1 of 1 among districts and city." in _text(page.summary())
    assert "needs to average 60.9%" in _text(page.outlook())
    assert len(page.rows) == 2 and list(page.ranks["rank_in_group"]) == [1, 1]
    vi = report.unit_page("UBND TP. Hòa Bình", month="2022-02", counts=[counts_file])
    assert vi.unit_code == "TPHB"  # any name the registry knows
    assert "tháng 2/2022" in _text(vi.title())


def test_unit_that_met_the_target(counts_file):
    page = report.unit_page("SCT", month="2022-02", counts=[counts_file], lang="en")
    assert "has met the target" in _text(page.outlook())


def test_unknown_unit_names_the_closest(counts_file):
    with pytest.raises(ValueError, match="closest"):
        report.unit_page("Sở Công Thươngg x", month="2022-02", counts=[counts_file])


def test_bad_inputs_stop_the_page_with_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_code,month,total,online\nSCT,2022-13,10,5\nSNV,2022-01,5,9\n")
    with pytest.raises(InputError) as caught:
        report.overview_page(month="2022-01", counts=[bad])
    assert len([p for p in caught.value.problems if p.is_error]) == 2


def test_unknown_language(counts_file):
    with pytest.raises(ValueError, match="de"):
        report.overview_page(month="2022-02", counts=[counts_file], lang="de")


def test_unit_without_rows_still_gets_a_page(counts_file):
    page = report.unit_page("SGTVT", month="2022-02", counts=[counts_file], lang="en")
    assert "No data this year." in _text(page.summary())
    assert "No data this year." in _text(page.outlook())
    assert "–" in _text(page.monthly_table())
    for figure in (page.rates_chart(), page.volumes_chart(), page.rank_chart()):
        assert figure.svg.startswith("<svg")
    assert page.median_chart().svg.startswith("<svg")


# --- year over year, on a two-year fixture worked out by hand -----------------------------------

# CAOPHONG, both years complete through March:
#   March 2022 150/200 = 75% against March 2021 90/200 = 45%: +30.0 points
#   YTD 2022 280/400 = 70% against YTD 2021 180/400 = 45%: +25.0 points
# LACTHUY: 2022 only (no data a year earlier)
# Province, like with like: only CAOPHONG has data in both years, so its figures (LACTHUY, 2022
#   only, is left out and named; summing it would give 300/210 against 200/90, +25.0 points)
TWO_YEARS = """unit_code,month,total,online
CAOPHONG,2021-01,100,40
CAOPHONG,2021-02,100,50
CAOPHONG,2021-03,200,90
CAOPHONG,2022-01,100,60
CAOPHONG,2022-02,100,70
CAOPHONG,2022-03,200,150
LACTHUY,2022-01,50,30
LACTHUY,2022-02,50,30
LACTHUY,2022-03,100,60
"""


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("yoy") / "two_years.csv"
    path.write_text(TWO_YEARS, encoding="utf-8")
    return path


def _rows(html: object) -> list[str]:
    return [" ".join(_text(r).split()) for r in re.findall(r"<tr>(.*?)</tr>", str(html))]


def test_unit_page_year_over_year(two_years):
    page = report.unit_page("CAOPHONG", month="2022-03", counts=[two_years], lang="en")
    rows = _rows(page.year_over_year())
    assert rows[1] == "March 2022 against March 2021 200 150 75.0% 200 90 45.0% +30.0"
    assert rows[2] == (
        "Year to date, March 2022, against the same months a year earlier "
        "400 280 70.0% 400 180 45.0% +25.0"
    )
    vi = report.unit_page("CAOPHONG", month="2022-03", counts=[two_years])
    assert "Tháng 3/2022 so với tháng 3/2021 200 150 75,0% 200 90 45,0% +30,0" in _rows(
        vi.year_over_year()
    )


def test_no_data_a_year_earlier(two_years):
    page = report.unit_page("LACTHUY", month="2022-03", counts=[two_years], lang="en")
    assert "No data a year earlier (March 2021)." in _text(page.year_over_year())
    assert "<table" not in str(page.year_over_year())
    from kpi_utils.common.paths import data_dir

    # a 2021 report of real counts needs 2021 targets: the bundled illustrative ones, given
    targets = [data_dir() / "targets_2021.csv", data_dir() / "targets_2022.csv"]
    january_2021 = report.overview_page(
        month="2021-01", counts=[two_years], targets=targets, lang="en"
    )
    assert "No data a year earlier (January 2020)." in _text(january_2021.year_over_year())
    assert "The 2021 targets on this page are for illustration only" in _text(january_2021.notice())


def test_year_earlier_ytd_short_of_months_is_not_compared(two_years):
    # February 2022 against February 2021: both complete; but drop January 2021 and the YTD
    # a year earlier has 1 month of 2: shown as missing, with a sentence saying why
    counts = two_years.parent / "short.csv"
    counts.write_text(TWO_YEARS.replace("CAOPHONG,2021-01,100,40\n", ""), encoding="utf-8")
    page = report.unit_page("CAOPHONG", month="2022-02", counts=[counts], lang="en")
    rows = _rows(page.year_over_year())
    assert rows[1] == "February 2022 against February 2021 100 70 70.0% 100 50 50.0% +20.0"
    assert rows[2].endswith("200 130 65.0% – – – –")
    assert "compared only when both years have every month" in _text(page.year_over_year())


def test_overview_year_over_year(two_years):
    page = report.overview_page(month="2022-03", counts=[two_years], lang="en")
    rows = _rows(page.year_over_year())
    assert rows[1] == "March 2022 against March 2021 200 150 75.0% 200 90 45.0% +30.0"
    assert rows[2].endswith("400 280 70.0% 400 180 45.0% +25.0")
    assert (
        "The province compares only the units with data in both years; left out: "
        "UBND huyện Lạc Thủy." in _text(page.year_over_year())
    )
    vi = report.overview_page(month="2022-03", counts=[two_years])
    assert "không tính: UBND huyện Lạc Thủy." in _text(vi.year_over_year())
    assert "UBND huyện Cao Phong 75.0% 45.0% +30.0 70.0% 45.0% +25.0" in rows
    assert "UBND huyện Lạc Thủy 60.0% – – 60.0% – –" in rows
    assert "UBND huyện Tân Lạc – – – – – –" in rows  # no rows in either year


# --- on-time rate: only where counts carry resolved and resolved_on_time ------------------------

# SCT: Jan resolved 80, 76 on time (95%); Feb 120, 108 (90%); YTD 184/200 = 92%
# SNV: Jan no figures; Feb 40, 30 (75%); YTD 30/40 = 75%
# Province YTD: 214/240 = 89.2%; departments the same (TPHB has none)
ON_TIME = """unit_code,month,total,online,resolved,resolved_on_time
SCT,2022-01,100,60,80,76
SCT,2022-02,100,70,120,108
SNV,2022-01,200,100,,
SNV,2022-02,200,110,40,30
TPHB,2022-01,100,20,,
TPHB,2022-02,100,31,,
"""


@pytest.fixture(scope="module")
def on_time_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ontime") / "on_time.csv"
    path.write_text(ON_TIME, encoding="utf-8")
    return path


def test_on_time_column_and_headline(on_time_file):
    page = report.overview_page(month="2022-02", counts=[on_time_file], lang="en")
    assert page.shows_on_time
    assert page.headline_text().endswith(
        " The 27 units resolved 89.2% of their dossiers on time year to date."
    )
    html = str(page.kpi_tables())
    assert "On-time rate YTD" in html
    rows = _rows(html)
    sct = next(r for r in rows if r.startswith("1 Sở Công Thương"))
    assert "65.0% 92.0% +10.0" in sct  # YTD rate, then the on-time rate, then the gap
    snv = next(r for r in rows if "Sở Nội vụ" in r)
    assert "52.5% 75.0%" in snv
    tphb = next(r for r in rows if "UBND thành phố Hòa Bình" in r)
    assert "25.5% – " in tphb
    assert any(r.startswith("Total, 27 units") and "48.9% 89.2%" in r for r in rows)


def test_on_time_on_the_unit_page(on_time_file):
    page = report.unit_page("SCT", month="2022-02", counts=[on_time_file], lang="en")
    assert _text(page.on_time()).strip() == (
        "On-time rate: 90.0% in February 2022, 92.0% year to date "
        "(online rate: 70.0% in the month, 65.0% year to date)."
    )
    assert "On-time rate: 90.0%" in _text(page.summary())
    monthly = _rows(page.monthly_table())
    assert "On-time rate in month" in monthly[0]
    assert monthly[1].startswith("January 2022 100 60 60.0% 95.0%")
    assert monthly[2].startswith("February 2022 100 70 70.0% 90.0%")


def test_no_on_time_column_without_the_figures(overview_vi, counts_file):
    assert not overview_vi.shows_on_time
    assert "đúng hạn" not in str(overview_vi.kpi_tables())
    assert "đúng hạn" not in overview_vi.headline_text()
    unit = report.unit_page("SCT", month="2022-02", counts=[counts_file], lang="en")
    assert str(unit.on_time()) == ""
    assert "On-time" not in str(unit.monthly_table()) and "On-time" not in str(unit.summary())


def test_narrative_follows_the_pages_language():
    """The notebooks' paragraphs come from labels.TEXT in the page's language, one at a time."""
    from kpi_utils.report import labels

    vi = report.overview_page(month="2022-06", lang="vi").text("overview_ytd_note")
    en = report.overview_page(month="2022-06", lang="en").text("overview_ytd_note")
    assert str(vi) == f"<p>{labels.text('overview_ytd_note', 'vi')}</p>"
    assert (
        str(en) == "<p>Year-to-date runs from January through the report month; status and "
        "rank use the year-to-date rate, as the target is annual.</p>"
    )


def test_tables_have_header_cells_with_scope_in_a_labelled_scroll_box():
    import pandas as pd

    from kpi_utils.report.html_blocks import Column, Section, sectioned_table

    columns = [Column("name", "Cơ quan, đơn vị"), Column("n", "Hồ sơ", numeric=True)]
    rows = pd.DataFrame({"name": ["Sở <A>"], "n": ["1.234"]})
    html = str(sectioned_table([Section("Nhóm", rows), Section(None, rows)], columns))
    assert html.startswith(
        '<div class="kpi-scroll" role="region" tabindex="0" aria-label="Cơ quan, đơn vị, Hồ sơ">'
    )
    assert html.count('<th scope="col"') == 2
    assert '<tbody><tr><th scope="rowgroup" colspan="2"' in html
    assert html.count("<tbody>") == 2 and html.endswith("</table></div>")
    assert "Sở &lt;A&gt;" in html
