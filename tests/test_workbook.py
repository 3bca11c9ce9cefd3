"""The KPI workbook: Vietnamese headers, percentages as %, a province total row, ready to print."""

from __future__ import annotations

import io

import openpyxl
import pytest
from conftest import write_csv

from kpi_utils.metrics.kpi import kpi_table
from kpi_utils.metrics.pipeline import checked_inputs
from kpi_utils.report.workbook import FIRST_DATA_ROW, HEADER_ROW, kpi_workbook

ROWS = [
    ("Đơn vị", "Tháng", "Tổng số", "Trực tuyến"),
    ("Sở Tài chính", "2022-01", 40, 10),
    ("Sở Tài chính", "2022-02", 60, 45),  # YTD 55 of 100: exactly the target -> met
    ("UBND huyện Đà Bắc", "2022-02", 300, 100),  # 33.3% -> below
]


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    path = write_csv(tmp_path_factory.mktemp("wb") / "counts.csv", ROWS)
    inputs = checked_inputs(counts=[path], month="2022-02")
    table = kpi_table(inputs.counts, inputs.targets, inputs.registry, "2022-02")
    data = kpi_workbook(table, lang="vi", is_sample=False)
    return openpyxl.load_workbook(io.BytesIO(data)).active


def column_of(sheet, header: str) -> int:
    for cell in sheet[HEADER_ROW]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"no column {header!r}")


def row_of(sheet, code: str) -> int:
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(row, 1).value == code:
            return row
    raise AssertionError(code)


def test_title_headers_and_layout(sheet):
    assert sheet["A1"].value.endswith("tháng 2/2022")
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers[:3] == ["Mã đơn vị", "Cơ quan, đơn vị", "Nhóm"]
    assert "Tỷ lệ lũy kế" in headers and "Số hồ sơ trực tuyến còn thiếu" in headers
    assert sheet.freeze_panes == f"C{FIRST_DATA_ROW}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.column_dimensions["B"].width >= 40
    assert "mô phỏng" not in (sheet["A2"].value or "")
    # one row per registered unit, then the province
    assert sheet.max_row == FIRST_DATA_ROW + 27


def test_unit_rows_keep_exact_rates_shown_as_percent(sheet):
    stc, rate = row_of(sheet, "STC"), column_of(sheet, "Tỷ lệ lũy kế")
    assert sheet.cell(stc, rate).value == pytest.approx(0.55)
    assert sheet.cell(stc, rate).number_format == "0.0%"
    assert sheet.cell(stc, column_of(sheet, "Chỉ tiêu")).number_format == "0%"
    assert sheet.cell(stc, column_of(sheet, "Đánh giá")).value == "Đạt"
    assert sheet.cell(stc, column_of(sheet, "Số hồ sơ trực tuyến còn thiếu")).value == 0
    dabac = row_of(sheet, "DABAC")
    assert sheet.cell(dabac, column_of(sheet, "Đánh giá")).value == "Chưa đạt"
    # ceil(0.55 * 300 - 100) = 65
    assert sheet.cell(dabac, column_of(sheet, "Số hồ sơ trực tuyến còn thiếu")).value == 65
    assert sheet.cell(dabac, column_of(sheet, "Nhóm")).value == "UBND huyện, thành phố"
    sct = row_of(sheet, "SCT")
    assert sheet.cell(sct, column_of(sheet, "Đánh giá")).value == "Không có số liệu"
    assert sheet.cell(sct, rate).value is None


def test_province_total_row(sheet):
    last = sheet.max_row
    assert sheet.cell(last, 2).value == "Tổng cộng 27 cơ quan, đơn vị"
    assert sheet.cell(last, 1).value is None
    assert sheet.cell(last, column_of(sheet, "Hồ sơ lũy kế")).value == 40 + 60 + 300
    assert sheet.cell(last, column_of(sheet, "Trực tuyến lũy kế")).value == 10 + 45 + 100
    assert sheet.cell(last, column_of(sheet, "Hồ sơ trong tháng")).value == 60 + 300
    assert sheet.cell(last, column_of(sheet, "Tỷ lệ lũy kế")).value == pytest.approx(155 / 400)
    assert sheet.cell(last, 2).font.bold


def test_sample_notice_in_the_workbook(tmp_path):
    inputs = checked_inputs(month="2022-06")
    table = kpi_table(inputs.counts, inputs.targets, inputs.registry, "2022-06")
    sheet = openpyxl.load_workbook(io.BytesIO(kpi_workbook(table, is_sample=True))).active
    assert "mô phỏng" in sheet["A2"].value
