"""Issue 16, meaning items 1-7: what the pages say, in the Vietnamese an official would sign.

The fixture, worked out by hand (every month of 2022 alike, except SCT's December):

| unit     | group      | a month         | YTD June        | YTD December                   | status (June, Dec) |
|----------|------------|-----------------|-----------------|--------------------------------|--------------------|
| SCT      | department | 70/100          | 420/600 = 70%   | (770+90)/1200 = 71.67%         | met                |
| SNV      | department | 103/200         | 618/1200 = 51.5% | 1236/2400 = 51.5% (gap -3.5)  | near               |
| TPHB     | district   | 20/100          | 20%             | 20% (gap -35)                  | below              |
| CAOPHONG | district   | 60/100          | 60%             | 60%                            | met                |

SCT's December: 90/100. The 27 units together: 253/500 a month (50.6%), so June's YTD is 50.6%
and unchanged on May's; December's YTD is (11 * 253 + 273) / 6000 = 3056/6000 = 50.93%, against
November's 2783/5500 = 50.60%: up 0.33 points. SNV's December shortfall: ceil(0.55 * 2400 - 1236)
= 1320 - 1236 = 84. The other 23 units have no rows (no data).
"""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from pathlib import Path

import pytest

from kpi_utils import report
from kpi_utils.metrics import trends

REPO = Path(__file__).resolve().parents[1]
MONTHLY = {"SCT": (100, 70), "SNV": (200, 103), "TPHB": (100, 20), "CAOPHONG": (100, 60)}


@pytest.fixture(scope="module")
def counts(tmp_path_factory) -> str:
    lines = ["unit_code,month,total,online"]
    for code, (total, online) in MONTHLY.items():
        for m in range(1, 13):
            if code == "SCT" and m == 12:
                total, online = 100, 90
            lines.append(f"{code},2022-{m:02d},{total},{online}")
    path = tmp_path_factory.mktemp("words") / "counts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _text(html: object) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", str(html)))).strip()


@pytest.fixture(scope="module")
def december(counts):
    return report.overview_page(month="2022-12", counts=[counts])


@pytest.fixture(scope="module")
def june(counts):
    return report.overview_page(month="2022-06", counts=[counts])


def test_december_is_the_last_month_of_the_year():
    assert trends.year_closed("2022-12") and not trends.year_closed("2022-06")


# 1. December is a verdict, not a forecast ----------------------------------------------------


def test_december_unit_page_of_a_department_not_met_gives_the_verdict_and_the_gap(counts):
    page = report.unit_page("SNV", month="2022-12", counts=[counts])
    assert page.unit["status"] == "near"  # the table's code is unchanged
    summary = _text(page.summary())
    assert summary.startswith(
        "Tỷ lệ lũy kế năm 2022 là 51,5%, chỉ tiêu 55%: "
        "Không đạt, thấp hơn chỉ tiêu 3,5 điểm phần trăm."
    )
    outlook = _text(page.outlook())
    assert outlook == (
        "Kết quả thực hiện chỉ tiêu năm 2022 "
        "Đơn vị không hoàn thành chỉ tiêu năm 2022: tỷ lệ lũy kế cả năm 51,5%, thấp hơn chỉ "
        "tiêu 55% là 3,5 điểm phần trăm; còn thiếu 84 hồ sơ trực tuyến."
    )
    assert "Xếp hạng 2/2 trong nhóm sở, ban, ngành." in summary
    december_row = _text(page.monthly_table()).split("Tháng 12/2022")[1]
    assert "Không đạt" in december_row
    for words in ("Gần đạt", "Chưa đạt", "Số tháng còn lại", "Không thể đạt", "Năm đã kết thúc"):
        assert words not in summary + outlook + december_row


def test_december_unit_page_that_met_the_target(counts):
    page = report.unit_page("SCT", month="2022-12", counts=[counts])
    assert _text(page.outlook()) == (
        "Kết quả thực hiện chỉ tiêu năm 2022 "
        "Đơn vị đã hoàn thành chỉ tiêu năm 2022: tỷ lệ lũy kế cả năm 71,7%, chỉ tiêu 55%."
    )
    assert "cần duy trì" not in _text(page.outlook())  # no advice after the year ended


def test_december_overview_tables_and_the_years_result(december):
    table = _text(december.kpi_tables())
    assert "Không đạt" in table and "Gần đạt" not in table and "Chưa đạt" not in table
    result = _text(december.needed())
    assert result.startswith(
        "Kết quả thực hiện chỉ tiêu năm 2022 Các cơ quan, đơn vị không hoàn thành chỉ tiêu "
        "năm 2022, theo số hồ sơ trực tuyến còn thiếu:"
    )
    # TPHB short of ceil(0.55 * 1200 - 240) = 420, SNV of 84: largest first
    assert result.index("UBND thành phố Hòa Bình") < result.index("Sở Nội vụ")
    assert "Sở Nội vụ 51,5% 55% 3,5 84 Không đạt" in result
    for words in ("Số tháng còn lại", "Không thể đạt", "Tỷ lệ cần đạt", "Gần đạt"):
        assert words not in result


def test_december_workbook_says_not_met(december):
    import io

    import openpyxl

    from kpi_utils.report.workbook import FIRST_DATA_ROW, HEADER_ROW, kpi_workbook

    sheet = openpyxl.load_workbook(io.BytesIO(kpi_workbook(december.table))).active
    status = [c.value for c in sheet[HEADER_ROW]].index("Đánh giá") + 1
    by_code = {
        sheet.cell(r, 1).value: sheet.cell(r, status).value
        for r in range(FIRST_DATA_ROW, sheet.max_row)
    }
    assert (by_code["SNV"], by_code["TPHB"], by_code["SCT"]) == ("Không đạt", "Không đạt", "Đạt")


def test_mid_year_keeps_near_and_the_rate_needed(june, counts):
    assert "Gần đạt" in _text(june.kpi_tables())
    needed = _text(june.needed())
    assert needed.startswith("Tỷ lệ cần đạt trong các tháng còn lại của năm")
    page = report.unit_page("SNV", month="2022-06", counts=[counts])
    # (0.55 * 2400 - 618) / 1200 = 0.585
    assert _text(page.outlook()) == (
        "Các tháng còn lại Để đạt chỉ tiêu năm, tỷ lệ trực tuyến bình quân của 6 tháng còn lại "
        "cần đạt 58,5%."
    )


# 2. During the year, the YTD rate must stay at or above the target ---------------------------


def test_mid_year_met_unit_keeps_its_ytd_rate(counts):
    page = report.unit_page("SCT", month="2022-06", counts=[counts])
    assert _text(page.outlook()) == (
        "Các tháng còn lại Đơn vị đã đạt chỉ tiêu lũy kế; cần duy trì tỷ lệ lũy kế từ 55% "
        "trở lên đến hết năm."
    )


# 3. The headline says what the number is -----------------------------------------------------


def test_headline_mid_year(june):
    assert june.headline_text() == (
        "2 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu lũy kế từ đầu năm; tỷ lệ lũy kế của "
        "27 cơ quan, đơn vị là 50,6%, không đổi so với lũy kế đến hết tháng 5/2022."
    )


def test_headline_in_december(december):
    assert december.headline_text() == (
        "Năm 2022, 2 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu; tỷ lệ lũy kế năm 2022 của "
        "27 cơ quan, đơn vị là 50,9%, tăng 0,3 điểm phần trăm so với lũy kế đến hết "
        "tháng 11/2022."
    )
    assert "toàn tỉnh" not in december.headline_text().lower()


# 4. Totals named for what they sum; the chart's line is each unit's target --------------------


def test_totals_are_named_for_what_they_sum(june):
    rows = re.findall(r"<tr>(.*?)</tr>", str(june.kpi_tables()))
    totals = [_text(r) for r in rows if "Cộng" in r or "Tổng cộng" in r]
    # departments: SCT 100/70 + SNV 200/103 in June; YTD 600/420 + 1200/618
    assert totals[0] == "Cộng sở, ban, ngành 300 173 57,7% 1.800 1.038 57,7%"
    assert totals[1] == "Cộng UBND huyện, thành phố 200 80 40,0% 1.200 480 40,0%"
    assert totals[2] == "Tổng cộng 27 cơ quan, đơn vị 500 253 50,6% 3.000 1.518 50,6%"
    assert "Toàn tỉnh" not in _text(june.kpi_tables())
    assert "Tổng cộng 27 cơ quan, đơn vị" in _text(june.year_over_year())


def test_the_trend_charts_line_is_each_units_target(june):
    svg = june.trend_chart().svg
    assert "Tỷ lệ trực tuyến của 27 cơ quan, đơn vị (tổng cộng), năm 2022" in svg
    assert "Chỉ tiêu giao cho từng đơn vị 55%" in svg
    assert "toàn tỉnh" not in svg.lower()


def test_the_communes_total_names_what_it_sums():
    page = report.communes_page(month="2022-06")
    rows = re.findall(r"<tr>(.*?)</tr>", str(page.communes_table()))
    assert _text(rows[-1]).startswith("Cộng 151 xã, phường, thị trấn ")
    assert "Toàn tỉnh" not in _text(page.communes_table())


# 5. The communes' fallback is this report's convention ----------------------------------------


def test_the_fallback_is_the_reports_convention_not_a_districts_failing():
    page = report.unit_page("DABAC", month="2022-06")  # the sample: Đà Bắc assigned none
    text = _text(page.communes_section())
    assert (
        "Chưa có số liệu chỉ tiêu huyện giao cho các xã, thị trấn; theo quy ước của báo cáo "
        "này, tạm áp dụng chỉ tiêu của huyện (55%)." in text
    )
    assert "Huyện chưa giao" not in text
    narrative = _narrative("communes.ipynb")
    assert "quy ước của báo cáo này" in narrative
    assert "áp dụng chỉ tiêu của huyện, và tiêu đề" not in narrative


# 6. The communes paragraph on district pages only; the city's own words ------------------------


def _narrative(name: str, lang: str = "vi") -> str:
    """A notebook's paragraphs: its Markdown and the labels its `page.text("key")` cells show."""
    from kpi_utils.report import labels

    book = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))
    parts = []
    for cell in book["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            parts.append(source)
        parts += [labels.text(key, lang) for key in re.findall(r'page\.text\("(\w+)"\)', source)]
    assert parts, name
    return " ".join(parts)


def test_the_communes_paragraph_is_on_district_pages_only(counts):
    assert "xã" not in _narrative("unit_profile.ipynb")  # seen on all 27 pages: no communes
    department = report.unit_page("SNV", month="2022-06", counts=[counts])
    assert str(department.communes_section()) == ""
    district = report.unit_page("CAOPHONG", month="2022-06")
    assert _text(district.communes_section()).startswith(
        "Các xã, thị trấn Tỷ lệ hồ sơ giải quyết trực tuyến của các xã, thị trấn thuộc huyện "
        "Cao Phong, so với chỉ tiêu huyện giao cho xã, thị trấn (Điều 2 của Quyết định); "
        "đánh giá và xếp hạng theo tỷ lệ lũy kế."
    )


def test_the_city_says_thanh_pho_and_phuong():
    page = report.unit_page("TPHB", month="2022-06")
    text = _text(page.communes_section())
    assert text.startswith(
        "Các xã, phường Tỷ lệ hồ sơ giải quyết trực tuyến của các xã, phường thuộc thành phố "
        "Hòa Bình, so với chỉ tiêu thành phố giao cho xã, phường (Điều 2 của Quyết định);"
    )
    assert "huyện" not in text.split("Xếp hạng trong huyện, thành phố")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", str(page.communes_section()))
    assert any(_text(r).startswith("Cộng 19 xã, phường ") for r in rows)


# 7. The data-quality page lists and reconciles the commune files --------------------------------


def _sample_commune_sums(month: str) -> tuple[int, int, int, int]:
    """Month and YTD totals of the sample's commune counts, read with the csv module."""
    path = REPO / "data" / "sample" / "commune_counts.csv"
    month_total = month_online = ytd_total = ytd_online = 0
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["month"][:4] == month[:4] and row["month"] <= month:
                ytd_total += int(row["total"])
                ytd_online += int(row["online"])
                if row["month"] == month:
                    month_total += int(row["total"])
                    month_online += int(row["online"])
    return month_total, month_online, ytd_total, ytd_online


def test_data_quality_lists_and_reconciles_the_commune_files():
    page = report.data_quality_page(month="2022-06")
    files = _text(page.files())
    assert "Số liệu của các cơ quan, đơn vị" in files
    assert "Số liệu của các xã, phường, thị trấn" in files
    assert "commune_counts.csv" in files and "commune_targets.csv" in files
    month_total, month_online, ytd_total, ytd_online = _sample_commune_sums("2022-06")
    text = _text(page.reconciliation())
    communes = text.split("Số liệu của các xã, phường, thị trấn")[1]
    assert communes.startswith(" Tổng số liệu đầu vào khớp với tổng của báo cáo.")
    n = lambda v: f"{v:,}".replace(",", ".")  # noqa: E731
    assert f"Tháng 6/2022 {n(month_total)} {n(month_total)} {n(month_online)}" in communes
    assert (
        f"Lũy kế đến hết tháng 6/2022 {n(ytd_total)} {n(ytd_total)} {n(ytd_online)} "
        f"{n(ytd_online)} Có" in communes
    )
    coverage = _text(page.coverage())
    assert "151 xã, phường, thị trấn có số liệu" in coverage


# 15. The overview shows each unit's target; the shortfall chart largest first; districts in the
# decision's order on the communes page --------------------------------------------------------


def test_overview_table_shows_each_units_target(june):
    rows = [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", str(june.kpi_tables()))]
    assert "Chỉ tiêu" in rows[0]
    assert any(r.startswith("1 Sở Công Thương 55% 100 70 70,0%") for r in rows)


def test_shortfall_chart_largest_first(december):
    from kpi_utils.report import charts

    chart = charts.shortfall_bars(december.table)
    # TPHB short of 420, SNV of 84
    assert chart.to_dict()["layer"][0]["encoding"]["y"]["sort"] == [
        "UBND thành phố Hòa Bình",
        "Sở Nội vụ",
    ]


def test_communes_page_follows_the_decisions_order():
    text = _text(report.communes_page(month="2022-06").communes_table())
    order = ["Thành phố Hòa Bình", "Huyện Cao Phong", "Huyện Tân Lạc", "Huyện Lạc Sơn"]
    order += ["Huyện Yên Thủy", "Huyện Mai Châu", "Huyện Kim Bôi", "Huyện Lạc Thủy"]
    order += ["Huyện Đà Bắc", "Huyện Lương Sơn"]  # the GSO list puts Đà Bắc second
    positions = [
        text.index(name + ".") if name + "." in text else text.index(name) for name in order
    ]
    assert positions == sorted(positions)


# 13, 14. Definitions, the decision, the source and the cut-off; the issuer in the footer --------


def test_sources_at_the_foot_of_a_page(december, june):
    text = _text(december.sources())
    assert text.startswith("Định nghĩa và nguồn số liệu")
    assert (
        "Tỷ lệ hồ sơ giải quyết trực tuyến: số hồ sơ trực tuyến thuộc danh mục thủ tục hành chính "
        "được công bố thực hiện trực tuyến mức độ 3, mức độ 4 phát sinh trên tổng số hồ sơ giải "
        "quyết thủ tục hành chính của cơ quan, đơn vị (Điều 1, Quyết định tháng 02/2022 của Chủ "
        "tịch UBND tỉnh Hòa Bình về việc giao chỉ tiêu hồ sơ giải quyết trực tuyến mức độ 3, "
        "mức độ 4" in text
    )
    assert "Không đạt: thấp hơn chỉ tiêu." in text
    assert "Gần đạt: thấp hơn chỉ tiêu dưới 5 điểm phần trăm." in _text(june.sources())
    assert "không phát sinh hồ sơ" in text
    assert "Nghị định số 42/2022/NĐ-CP" in text and "toàn trình" in text
    assert "Số liệu tính đến hết ngày 31/12/2022." in text


def test_the_issuer_signs_the_footer():
    from kpi_utils.report import labels

    assert labels.site_labels("vi")["footer"].startswith(
        "Sở Thông tin và Truyền thông tỉnh Hòa Bình"
    )
