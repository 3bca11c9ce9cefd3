"""Reading monthly counts and targets: encodings, delimiters, headers, workbooks, months, fuzz.

Every file here is written by the test itself (conftest helpers), so what goes in is visible
beside what must come out.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import cp1258_bytes, csv_text, write_csv, write_workbook
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kpi_utils.common.paths import default_targets_path, sample_counts_path
from kpi_utils.sources import cells, headers, validate
from kpi_utils.sources.inputs import COUNTS_COLUMNS, read_counts, read_targets
from kpi_utils.sources.tables import read_table

VI_HEADER = ["Cơ quan, đơn vị", "Tháng", "Tổng số hồ sơ", "Số hồ sơ trực tuyến"]
VI_ROWS = [
    ["UBND huyện Yên Thủy", "06/2022", "120", "80"],
    ["Sở Văn hóa, Thể thao và Du lịch", "T06/2022", "45", "30"],
    ["Ban Quản lý các khu công nghiệp tỉnh", "Tháng 6/2022", "7", "7"],
    ["Sở LĐ-TB&XH", "2022-06", "1.234", "0"],
]
VI_EXPECTED = [
    ("YENTHUY", 120, 80, 2),
    ("SVHTTDL", 45, 30, 3),
    ("BQLKCN", 7, 7, 4),
    ("SLDTBXH", 1234, 0, 5),
]


def tidy(loaded) -> list[tuple]:
    frame = loaded.frame
    return list(
        zip(frame["unit_code"], frame["total"], frame["online"], frame["source_row"], strict=True)
    )


# --- encodings, line endings, delimiters ----------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1258"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_text_encodings_delimiters_and_line_endings(
    tmp_path, resolver, encoding, delimiter, newline
):
    path = write_csv(
        tmp_path / "counts.csv",
        [VI_HEADER, *VI_ROWS],
        encoding=encoding,
        delimiter=delimiter,
        newline=newline,
    )
    loaded = read_counts([path], resolver)
    assert loaded.problems == []
    assert tidy(loaded) == VI_EXPECTED
    assert set(loaded.frame["month"]) == {pd.Period("2022-06", freq="M")}
    # The unit as written is kept (NFC), for messages that point back at the file.
    assert loaded.frame["source_unit"].iloc[0] == "UBND huyện Yên Thủy"


def test_windows_1258_bytes_are_the_real_thing():
    """The cp1258 helper writes tones as combining bytes and is not accidentally UTF-8."""
    data = cp1258_bytes("Yên Thủy, Hòa Bình, Lạc Sơn")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    # ủ is not a single Windows-1258 byte: 'u' then the combining hook above (0xD2).
    assert b"Th" + b"u\xd2" + b"y" in data
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == "Yên Thủy, Hòa Bình, Lạc Sơn"


def test_excel_unicode_text_export(tmp_path, resolver):
    """Excel's "Unicode text": UTF-16 LE with BOM, tab-separated, CRLF."""
    text = csv_text([VI_HEADER, *VI_ROWS], delimiter="\t", newline="\r\n")
    path = tmp_path / "export.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    loaded = read_counts([path], resolver)
    assert loaded.problems == []
    assert tidy(loaded) == VI_EXPECTED


def test_semicolon_file_with_comma_in_a_header(tmp_path, resolver):
    """`Cơ quan, đơn vị` holds a comma: the semicolon grid must win over the comma grid."""
    text = "Cơ quan, đơn vị;Tháng;Tổng số;Trực tuyến\nSở Y tế;06/2022;10;4\n"
    path = tmp_path / "semi.csv"
    path.write_bytes(text.encode("utf-8"))
    loaded = read_counts([path], resolver)
    assert loaded.problems == []
    assert tidy(loaded) == [("SYT", 10, 4, 2)]


def test_nfd_file_reads_as_nfc(tmp_path, resolver):
    text = unicodedata.normalize("NFD", csv_text([VI_HEADER, *VI_ROWS]))
    path = tmp_path / "nfd.csv"
    path.write_bytes(text.encode("utf-8"))
    loaded = read_counts([path], resolver)
    assert loaded.problems == []
    assert tidy(loaded) == VI_EXPECTED
    assert loaded.frame["source_unit"].iloc[0] == unicodedata.normalize("NFC", VI_ROWS[0][0])


# --- headers --------------------------------------------------------------------------------

HEADER_SPELLINGS = {
    "unit": ["unit", "Đơn vị", "Cơ quan, đơn vị", "Tên đơn vị"],
    "month": ["month", "Tháng", "Kỳ báo cáo"],
    "total": ["total", "Tổng số hồ sơ", "Tổng số"],
    "online": ["online", "Hồ sơ trực tuyến", "Số hồ sơ trực tuyến", "Trực tuyến"],
}


def _header_variants(text: str) -> list[str]:
    return [
        text,
        text.upper(),
        text.lower(),
        f"  {text}  ",
        text.replace(" ", "   "),
        unicodedata.normalize("NFD", text),
        unicodedata.normalize("NFD", text.upper()),
    ]


@pytest.mark.parametrize("field", list(HEADER_SPELLINGS))
def test_every_header_spelling_names_its_field(field):
    for spelling in HEADER_SPELLINGS[field]:
        for variant in _header_variants(spelling):
            assert headers.COUNTS.field_for(variant) == field, variant


@pytest.mark.parametrize(
    "header",
    [
        ["unit", "month", "total", "online"],
        ["Unit", "Month", "Total", "Online"],
        ["Đơn vị", "Kỳ báo cáo", "Tổng số", "Trực tuyến"],
        ["TÊN ĐƠN VỊ", "THÁNG", "TỔNG SỐ HỒ SƠ", "HỒ SƠ TRỰC TUYẾN"],
        [" cơ quan, đơn vị ", "tháng ", "tổng  số", "số hồ sơ trực tuyến:"],
        [unicodedata.normalize("NFD", h) for h in VI_HEADER],
        # Columns in another order, and an extra column the reader ignores.
        ["STT", "Số hồ sơ trực tuyến", "Ghi chú", "Tổng số hồ sơ", "Tháng", "Đơn vị"],
    ],
)
def test_header_rows_in_english_and_vietnamese(tmp_path, resolver, header):
    values = {"unit": "Sở Y tế", "month": "2022-06", "total": "10", "online": "4"}
    row = []
    for cell in header:
        field = headers.COUNTS.field_for(cell)
        row.append(values.get(field, "x"))
    path = write_csv(tmp_path / "h.csv", [header, row])
    loaded = read_counts([path], resolver)
    assert loaded.problems == []
    assert tidy(loaded) == [("SYT", 10, 4, 2)]


def test_column_label_names_letter_and_header(tmp_path):
    path = write_csv(tmp_path / "h.csv", [["STT", *VI_HEADER], ["1", *VI_ROWS[0]]])
    table, problems = read_table(path, headers.COUNTS)
    assert problems == []
    assert table.column_label("online") == "E (Số hồ sơ trực tuyến)"
    assert table.column_label("unit") == "B (Cơ quan, đơn vị)"


# --- workbooks ------------------------------------------------------------------------------


def _titled_rows(header, rows):
    return [
        ["BÁO CÁO KẾT QUẢ GIẢI QUYẾT HỒ SƠ TRỰC TUYẾN", None, None, None],
        ["(Số liệu tháng 6 năm 2022)", None, None, None],
        [None, None, None, None],
        header,
        *rows,
    ]


def test_workbook_header_below_merged_title_rows(tmp_path, resolver):
    rows = [
        ["UBND huyện Yên Thủy", dt.datetime(2022, 6, 1), 120, 80],
        ["Sở VH-TT-DL", "06/2022", 45.0, 30],
        ["BQL KCN", dt.date(2022, 6, 1), 7, 7],
    ]
    path = write_workbook(
        tmp_path / "book.xlsx",
        {"Báo cáo": _titled_rows(VI_HEADER, rows)},
        merges={"Báo cáo": ["A1:D1", "A2:D2"]},
        number_formats={"Báo cáo": {"B5": "mm/yyyy", "B7": "mm/yyyy"}},
    )
    loaded = read_counts([path], resolver)
    assert loaded.problems == []
    # Header in row 4: data rows are 5, 6, 7 as Excel shows them.
    assert tidy(loaded) == [("YENTHUY", 120, 80, 5), ("SVHTTDL", 45, 30, 6), ("BQLKCN", 7, 7, 7)]
    assert set(loaded.frame["month"]) == {pd.Period("2022-06", freq="M")}
    assert loaded.files[0].rows == 3


def test_workbook_problem_rows_count_title_rows(tmp_path, resolver):
    rows = [["Sở Y tế", "2022-06", 10, 4], ["Sở Y tế", "2022-07", 10, 11]]
    path = write_workbook(tmp_path / "book.xlsx", {"S": _titled_rows(VI_HEADER, rows)})
    loaded = read_counts([path], resolver)
    [problem] = loaded.problems
    assert problem.row == 6
    assert problem.column == "D (Số hồ sơ trực tuyến)"
    assert problem.value == 11


def test_workbook_first_sheet_by_default_and_named_sheet(tmp_path, resolver):
    first = [VI_HEADER, ["Sở Y tế", "2022-06", 10, 4]]
    second = [["Ghi chú"], [], VI_HEADER, ["Sở Tư pháp", "2022-06", 20, 5]]
    path = write_workbook(tmp_path / "book.xlsx", {"Tháng 6": first, "Bổ sung": second})
    assert tidy(read_counts([path], resolver)) == [("SYT", 10, 4, 2)]
    assert tidy(read_counts([path], resolver, sheet="Bổ sung")) == [("STP", 20, 5, 4)]
    missing = read_counts([path], resolver, sheet="Tháng 7")
    [problem] = missing.problems
    assert problem.is_error and "Tháng 7" in problem.message
    assert "Tháng 6" in problem.message and "Bổ sung" in problem.message


def test_workbook_with_wrong_stored_dimension_reads_every_row(tmp_path, resolver):
    """Some exporters write `<dimension ref="A1"/>`: the reader must not stop at row 1."""
    import re
    import zipfile

    rows = [VI_HEADER, ["Sở Y tế", "2022-06", 10, 4], ["Sở Tư pháp", "2022-06", 20, 5]]
    good = write_workbook(tmp_path / "good.xlsx", {"S": rows})
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            dst.writestr(item, data)
    loaded = read_counts([bad], resolver)
    assert loaded.problems == []
    assert tidy(loaded) == [("SYT", 10, 4, 2), ("STP", 20, 5, 3)]


def test_csv_file_named_xlsx_is_a_problem_not_a_crash(tmp_path, resolver):
    path = write_csv(tmp_path / "counts.xlsx", [VI_HEADER, VI_ROWS[0]])
    loaded = read_counts([path], resolver)
    assert [p.is_error for p in loaded.problems] == [True]
    assert loaded.frame.empty


# --- months ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-06", "2022-06"),
        ("2022-6", "2022-06"),
        ("06/2022", "2022-06"),
        ("6/2022", "2022-06"),
        ("12/2021", "2021-12"),
        ("T06/2022", "2022-06"),
        ("t6/2022", "2022-06"),
        ("Tháng 6/2022", "2022-06"),
        ("tháng 06/2022", "2022-06"),
        ("THÁNG 6/2022", "2022-06"),
        (unicodedata.normalize("NFD", "Tháng 6/2022"), "2022-06"),
        ("Tháng 6 năm 2022", "2022-06"),
        ("2022-06-01", "2022-06"),
        ("2022-06-01 00:00:00", "2022-06"),
        ("01/06/2022", "2022-06"),  # a date cell saved to CSV, day first
        ("1/6/2022", "2022-06"),
        (dt.datetime(2022, 6, 1), "2022-06"),
        (dt.date(2022, 6, 30), "2022-06"),
        (pd.Timestamp("2022-06-01"), "2022-06"),
    ],
)
def test_months_people_write(text, expected):
    month, message = cells.parse_month(text)
    assert message is None
    assert month == pd.Period(expected, freq="M")


@pytest.mark.parametrize(
    "value",
    [
        "06/1899",
        "2200-06",
        "12/1989",
        "2101-01",
        "Tháng 1/2101",
        dt.date(1899, 12, 31),  # Excel's day zero, shown as a date
        dt.datetime(2200, 1, 1),
        dt.date(1989, 12, 1),
        dt.date(2101, 1, 1),
    ],
)
def test_months_outside_1990_to_2100_are_refused(value):
    month, message = cells.parse_month(value)
    assert month is None
    assert "year" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("01/1990", "1990-01"), ("2100-12", "2100-12"), (dt.date(1990, 1, 31), "1990-01")],
)
def test_months_at_the_ends_of_the_year_range(value, expected):
    assert cells.parse_month(value) == (pd.Period(expected, freq="M"), None)


@pytest.mark.parametrize(
    "text",
    [
        "13/2022",
        "0/2022",
        "2022-13",
        "June",
        "2022",
        "6/22",
        "T6",
        "",
        "202206",
        "1e5",
        "6/1/2022",  # month first: refused rather than read as January
        "15/06/2022",  # a day inside the month is a date, not a month
    ],
)
def test_unparseable_months(text):
    month, message = cells.parse_month(text)
    assert month is None
    assert message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("1.234", 1234), ("1,234", 1234), ("1 234", 1234), (12.0, 12), (0, 0)],
)
def test_counts_people_write(value, expected):
    assert cells.parse_count(value) == (expected, None)


@pytest.mark.parametrize(
    "value", ["-1", "12.5", "1,5", "abc", "", "nan", "inf", float("nan"), -3, True, "1e30"]
)
def test_counts_that_are_not_counts(value):
    count, message = cells.parse_count(value)
    assert count is None
    assert message


@pytest.mark.parametrize("value", ["1.234,567", "1,234.567", "12.345,6", "1,234,567.0"])
def test_counts_with_mixed_separators_are_refused(value):
    # one separator groups thousands, the other would be a decimal point: which is meant is
    # unknowable, so neither 1234567 nor 1234.567 is taken
    count, message = cells.parse_count(value)
    assert (count, message) == (None, "not a number of dossiers")


@pytest.mark.parametrize(
    "value", [10**9, "1000000000", "1.000.000.000", "1,000,000,000", "1 000 000 000", 1e9]
)
def test_a_billion_dossiers_is_the_largest_count(value):
    assert cells.parse_count(value) == (10**9, None)


@pytest.mark.parametrize("value", [10**9 + 1, "1000000001", "1.000.000.001", 1e9 + 1])
def test_more_than_a_billion_dossiers_is_refused(value):
    count, message = cells.parse_count(value)
    assert count is None and message.startswith("too large for a count of dossiers")


# --- targets --------------------------------------------------------------------------------

APPENDIX_HEADER = [
    "TT",
    "Cơ quan, địa phương",
    "Số lượng TTHC công bố mức độ 3,4 tại QĐ số 1309/QĐ-UBND ngày 29/6/2021 và QĐ số "
    "2698/QĐ-UBND ngày 18/11/2021 đủ điều kiện thực hiện",
    "Tỷ lệ hồ sơ giải quyết trực tuyến phát sinh/tổng số hồ sơ giải quyết TTHC",
]


def appendix_rows(decision_text: str) -> list[list[object]]:
    """The appendix table of the decision as rows of cells, section rows included."""
    out = []
    started = False
    for line in decision_text.splitlines():
        cells_ = line.split("\t")
        if cells_[0] == "TT":
            started = True
            continue
        if started and len(cells_) == 4:
            out.append([c.replace("<b>", "").replace("</b>", "").strip() or None for c in cells_])
    return out


@pytest.fixture(scope="module")
def decision_rows() -> list[list[object]]:
    text = (
        Path(__file__).parent / "fixtures" / "decision_hoabinh_2022_online_targets.md"
    ).read_text(encoding="utf-8")
    rows = appendix_rows(text)
    assert len(rows) == 29  # 27 units and 2 section rows
    return rows


def test_bundled_targets_read_cleanly(resolver):
    loaded = read_targets(default_targets_path(), resolver)
    assert loaded.problems == []
    assert len(loaded.frame) == 27
    assert set(loaded.frame["target_rate"]) == {0.55}


def test_targets_from_a_workbook_laid_out_as_the_decision(tmp_path, resolver, decision_rows):
    title = [
        ["Phụ lục", None, None, None],
        [
            "BIỂU CHI TIÊU GIAO GIẢI QUYẾT HỒ SƠ TRỰC TUYẾN MỨC ĐỘ 3, 4 ... NĂM 2021",
            None,
            None,
            None,
        ],
        ["(Kèm theo Quyết định số: /QĐ-UBND ngày tháng 02 năm 2022)", None, None, None],
    ]
    rows = []
    for tt, unit, eligible, rate in decision_rows:
        # Rates as the strings "55%" for departments and percent-formatted 0.55 for districts.
        rows.append([tt, unit, eligible, rate])
    path = write_workbook(
        tmp_path / "phu_luc.xlsx",
        {"Phụ lục": [*title, APPENDIX_HEADER, *rows]},
        merges={"Phụ lục": ["A1:D1", "A2:D2", "A3:D3"]},
    )
    book = openpyxl.load_workbook(path)
    ws = book.active
    for r in range(5, 5 + len(rows)):
        if ws.cell(r, 1).value not in ("I", "II") and ws.cell(r, 2).value.startswith("UBND"):
            ws.cell(r, 4).value = 0.55
            ws.cell(r, 4).number_format = "0%"
    book.save(path)

    loaded = read_targets(path, resolver, year=2022)
    assert loaded.problems == []
    frame = loaded.frame.set_index("unit_code")
    assert len(frame) == 27
    assert frame.at["VPUBND-NV", "eligible_procedures"] == 4  # written "04"
    assert frame.at["SYT", "eligible_procedures"] == 131
    assert frame.at["TPHB", "eligible_procedures"] == 192
    assert set(frame["target_rate"]) == {0.55}
    assert set(frame["year"]) == {2022}
    # Section rows (5 and 23) are skipped, so the first unit is on row 6.
    assert frame.at["SCT", "source_row"] == 6
    assert frame.at["TPHB", "source_row"] == 24


def test_targets_section_row_rule_does_not_hide_a_misspelt_unit(tmp_path, resolver):
    rows = [
        ["TT", "Cơ quan, địa phương", "Số TTHC", "Tỷ lệ"],
        ["I", "Sở, Ban ngành", None, None],
        ["1", "Sở Giao thông vân tải", "110", "55%"],
        ["2", "Sở Y tế", None, None],
    ]
    path = write_csv(tmp_path / "t.csv", rows)
    loaded = read_targets(path, resolver, year=2022)
    by_row = {p.row: p for p in loaded.problems}
    assert sorted(by_row) == [3, 4]
    assert "SGTVT" in by_row[3].message
    assert by_row[4].column == "D (Tỷ lệ)"


def test_targets_without_a_year_need_one(tmp_path, resolver):
    path = write_csv(tmp_path / "t.csv", [["Đơn vị", "Chỉ tiêu"], ["Sở Y tế", "55%"]])
    loaded = read_targets(path, resolver)
    assert any(p.is_error and "year" in p.message for p in loaded.problems)
    assert read_targets(path, resolver, year=2022).problems == []


@pytest.mark.parametrize(
    ("value", "expected"), [("55%", 0.55), ("55 %", 0.55), (0.55, 0.55), ("0,55", 0.55), (55, 0.55)]
)
def test_rates_people_write(value, expected):
    assert cells.parse_rate(value) == (expected, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1%", 0.01), ("0,5%", 0.005), ("0.5 %", 0.005), ("99.5%", 0.995), ("100%", 1.0)],
)
def test_percent_rates_below_one_percent_are_not_read_as_fractions(value, expected):
    # "1%" is one percent: only a bare number above 1 (55) is read as percent, a bare 1 or 0.5 is
    # a fraction, but a "%" always means percent
    assert cells.parse_rate(value) == (expected, None)


@pytest.mark.parametrize("value", ["0%", "0", "100.5%", "101", "-5%", "abc"])
def test_rates_out_of_range_are_refused(value):
    rate, message = cells.parse_rate(value)
    assert rate is None and message


@pytest.mark.parametrize(("value", "expected"), [("1", 1.0), (1, 1.0), ("2", 0.02), ("1.5", 0.015)])
def test_a_bare_one_is_all_and_a_bare_number_above_one_is_percent(value, expected):
    # a percent-formatted workbook cell showing 100% holds 1; 2 and 1.5 can only be percents
    assert cells.parse_rate(value) == (expected, None)


@pytest.mark.parametrize(
    ("value", "expected"), [(1990, 1990), ("2100", 2100), (1989, None), ("2101", None)]
)
def test_target_years_1990_to_2100(value, expected):
    assert cells.parse_year(value) == ((expected, None) if expected else (None, "not a year"))


# The sentences the user reads, exactly (a Problem adds the file, row, column and value).
_MESSAGES = [
    (cells.parse_month, 2022.1, "a number, not a month: type it as text (2022-06) or enter a date"),
    (
        cells.parse_month,
        "June",
        "not a month (write it as 2022-06, 06/2022, T06/2022 or Tháng 6/2022)",
    ),
    (cells.parse_month, "13/2022", "month 13 of year 2022 is not a valid calendar month"),
    (cells.parse_count, True, "not a number of dossiers"),
    (cells.parse_count, float("inf"), "not a number of dossiers"),
    (cells.parse_count, float("-inf"), "not a number of dossiers"),
    (cells.parse_count, "abc", "not a number of dossiers"),
    (cells.parse_count, "nan", "not a number of dossiers"),
    (cells.parse_count, "1,5", "not a whole number of dossiers"),
    (cells.parse_count, "-1", "a negative count of dossiers"),
    (cells.parse_count, "=A1+B1", cells.UNCALCULATED),
    (cells.parse_count, 10**9 + 1, "too large for a count of dossiers (more than 1,000,000,000)"),
    (cells.parse_rate, False, "not a rate"),
    (cells.parse_rate, "abc", "not a rate (write it as 55% or 0.55)"),
    (cells.parse_rate, "55X", "not a rate (write it as 55% or 0.55)"),
    (cells.parse_rate, "inf%", "not a rate (write it as 55% or 0.55)"),
    (cells.parse_rate, "0%", "a target rate must be above 0% and at most 100%"),
]


@pytest.mark.parametrize(("parse", "value", "message"), _MESSAGES)
def test_what_each_refusal_says(parse, value, message):
    assert parse(value) == (None, message)


def test_a_decimal_comma_zero_is_a_whole_count():
    assert cells.parse_count("12,0") == (12, None)


# --- fuzz: never an exception ---------------------------------------------------------------

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _read_bytes(tmp_path: Path, resolver, data: bytes, suffix: str):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    loaded = read_counts([path], resolver)
    assert list(loaded.frame.columns) == COUNTS_COLUMNS
    return loaded


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_random_bytes_give_problems_not_exceptions(tmp_path, resolver, data, suffix):
    loaded = _read_bytes(tmp_path, resolver, data, suffix)
    # Nothing usable is never silent: no rows means at least one problem says why.
    assert loaded.problems or not loaded.frame.empty


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return sample_counts_path().read_bytes()


@pytest.fixture(scope="module")
def sample_xlsx_bytes(sample_bytes) -> bytes:
    frame = pd.read_csv(io.BytesIO(sample_bytes), dtype=str).head(200)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Báo cáo"])
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([row.unit_code, row.month, int(row.total), int(row.online)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=1.0))
@example(cut=0.0)
@example(cut=1.0)
def test_truncated_sample_csv(tmp_path, resolver, sample_bytes, cut):
    data = sample_bytes[: int(len(sample_bytes) * cut)]
    loaded = _read_bytes(tmp_path, resolver, data, ".csv")
    # Whatever was cut, the rows read are the sample's first rows (the last one read may hold a
    # number cut short: "363" -> "36", which no reader can tell).
    lines = sample_bytes.decode("utf-8").splitlines()[1:]
    got = [
        f"{u},{m},{t},{o}"
        for u, m, t, o in zip(
            loaded.frame["unit_code"],
            loaded.frame["month"].astype(str),
            loaded.frame["total"],
            loaded.frame["online"],
            strict=True,
        )
    ]
    assert got[:-1] == lines[: max(0, len(got) - 1)]
    assert len(got) <= len(lines)


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=0.999))
@example(cut=0.0)
@example(cut=0.999)
def test_truncated_workbook(tmp_path, resolver, sample_xlsx_bytes, cut):
    data = sample_xlsx_bytes[: int(len(sample_xlsx_bytes) * cut)]
    loaded = _read_bytes(tmp_path, resolver, data, ".xlsx")
    assert loaded.problems
    assert loaded.frame.empty


def test_untruncated_fuzz_inputs_read_cleanly(tmp_path, resolver, sample_bytes, sample_xlsx_bytes):
    """The fuzz starting points are good files, so the fuzz tests cut real data."""
    whole = _read_bytes(tmp_path, resolver, sample_bytes, ".csv")
    assert whole.problems == [] and len(whole.frame) == 27 * 24
    book = _read_bytes(tmp_path, resolver, sample_xlsx_bytes, ".xlsx")
    assert book.problems == [] and len(book.frame) == 200


_CELL = st.one_of(
    # Control characters are the random-bytes test's business; here the text is printable.
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["SYT", "Sở Y tế", "2022-06", "T13/2022", "1.234", "1e999999", "NaN", "55%"]),
)


@FUZZ
@given(rows=st.lists(st.lists(_CELL, min_size=0, max_size=6), min_size=1, max_size=8))
def test_random_cells_under_a_good_header(tmp_path, resolver, rows):
    """Past the header, any cell text gives a located problem or a clean row, never a crash."""
    path = write_csv(tmp_path / "cells.csv", [["unit", "month", "total", "online"], *rows])
    loaded = _read_bytes(tmp_path, resolver, path.read_bytes(), ".csv")
    for problem in loaded.problems:
        if problem.is_error and "no data rows" not in problem.message:
            assert problem.row is not None and problem.row >= 2
            assert problem.column is not None
    assert (loaded.frame["online"] <= loaded.frame["total"]).all()
    assert (loaded.frame["online"] >= 0).all()


@FUZZ
@given(
    values=st.lists(
        st.one_of(
            st.integers(min_value=-(10**20), max_value=10**20),
            st.floats(allow_nan=False, allow_infinity=False),
            st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
            st.booleans(),
            st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=10).filter(
                lambda s: not s.startswith("=")
            ),
            st.none(),
        ),
        min_size=4,
        max_size=4,
    )
)
# the count limit and the year range at their ends, as typed cells
@example(values=["SYT", dt.datetime(2022, 6, 1), 10**9, 10**9])
@example(values=["SYT", dt.datetime(2022, 6, 1), 10**9 + 1, 0])
@example(values=["SYT", dt.datetime(1900, 1, 1), 1, 1])
@example(values=["SYT", dt.datetime(2100, 1, 1), 1.0, 0.0])
def test_random_typed_workbook_cells(tmp_path, resolver, values):
    path = write_workbook(tmp_path / "cells.xlsx", {"S": [HEADER_EN, values]})
    loaded = _read_bytes(tmp_path, resolver, path.read_bytes(), ".xlsx")
    assert loaded.problems or len(loaded.frame) == 1


HEADER_EN = ["unit", "month", "total", "online"]


@pytest.mark.parametrize("number", [2022.1, 2022.06, 6.2022])
def test_month_as_a_workbook_number_is_refused(number):
    """Excel stores 2022.10 as 2022.1: reading it would silently give January for October."""
    month, message = cells.parse_month(number)
    assert month is None
    assert "number" in message


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Tháng/Năm", "month"),
        ("Tổng số\nhồ sơ", "total"),
        ("Số hồ sơ\ntrực tuyến", "online"),
        ("Tổng số hồ sơ (1)", "total"),
        ("Tổng số hồ sơ tiếp nhận", "total"),
        ("Trực tuyến (*)", "online"),
        ("Trong đó: Trực tuyến", "online"),
        ("Số hồ sơ tiếp nhận trực tuyến", "online"),
        ("Tổng số hồ sơ trực tuyến", "online"),
        ("Tên cơ quan, đơn vị", "unit"),
        ("STT", None),
        ("Ghi chú", None),
    ],
)
def test_more_headers_analysts_write(header, field):
    assert headers.COUNTS.field_for(header) == field


def test_total_and_total_online_side_by_side(tmp_path, resolver):
    rows = [["Đơn vị", "Tháng/Năm", "Tổng số hồ sơ", "Tổng số hồ sơ trực tuyến"]]
    rows.append(["Sở Y tế", "6/2022", 10, 4])
    loaded = read_counts([write_csv(tmp_path / "c.csv", rows)], resolver)
    assert loaded.problems == []
    assert tidy(loaded) == [("SYT", 10, 4, 2)]


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_as_targets(tmp_path, resolver, data, suffix):
    path = tmp_path / f"targets{suffix}"
    path.write_bytes(data)
    loaded = read_targets(path, resolver, year=2022)
    assert loaded.problems or not loaded.frame.empty


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_bundled_targets(tmp_path, resolver, cut):
    data = default_targets_path().read_bytes()
    path = tmp_path / "targets.csv"
    path.write_bytes(data[: int(len(data) * cut)])
    loaded = read_targets(path, resolver)
    # Cut at a line end, the file is well formed: the missing units are what is wrong.
    missing = validate.missing_targets(loaded.frame, list(resolver.codes), 2022, str(path))
    assert loaded.problems or missing or len(loaded.frame) == 27
    assert len(missing) == 27 - len(loaded.frame) or loaded.problems


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Cơ quan, địa phương", "unit"),
        ("Đơn vị", "unit"),
        ("unit_code", "unit"),
        ("Năm", "year"),
        ("Chỉ tiêu", "target_rate"),
        ("TỶ LỆ", "target_rate"),
        (APPENDIX_HEADER[3], "target_rate"),
        (APPENDIX_HEADER[2], "eligible_procedures"),
        ("Số TTHC", "eligible_procedures"),
        ("TT", None),
    ],
)
def test_targets_headers(header, field):
    assert headers.TARGETS.field_for(header) == field
    assert headers.TARGETS.field_for(unicodedata.normalize("NFD", header)) == field


def test_targets_row_problems_are_located(tmp_path, resolver):
    rows = [
        ["Năm", "Đơn vị", "Số TTHC", "Chỉ tiêu"],
        [2022, "Sở Y tế", 131, "155%"],
        [2022, "Sở Tư pháp", "-3", "55%"],
        ["hai nghìn", "SXD", 87, "55%"],
        [2022, "SXD", 87, "abc"],
    ]
    loaded = read_targets(write_csv(tmp_path / "t.csv", rows), resolver)
    located = [(p.row, p.column, p.value) for p in loaded.problems]
    assert located == [
        (2, "D (Chỉ tiêu)", "155%"),
        (3, "C (Số TTHC)", "-3"),
        (4, "A (Năm)", "hai nghìn"),
        (5, "D (Chỉ tiêu)", "abc"),
    ]
    assert loaded.frame.empty


def test_two_row_header_under_a_merged_group_cell(tmp_path, resolver):
    rows = [
        ["BÁO CÁO THÁNG 6/2022", None, None, None],
        ["Đơn vị", "Tháng", "Số hồ sơ", None],
        [None, None, "Tổng số", "Trực tuyến"],
        ["Sở Y tế", "06/2022", 10, 4],
        ["Sở Tư pháp", "06/2022", 8, 9],
    ]
    path = write_workbook(
        tmp_path / "two_rows.xlsx",
        {"S": rows},
        merges={"S": ["A1:D1", "A2:A3", "B2:B3", "C2:D2"]},
    )
    loaded = read_counts([path], resolver)
    assert tidy(loaded) == [("SYT", 10, 4, 4)]
    [problem] = loaded.problems
    assert (problem.row, problem.column, problem.value) == (5, "D (Trực tuyến)", 9)
    # The same layout saved as CSV: merged cells leave empty cells beside their text.
    csv_path = write_csv(tmp_path / "two_rows.csv", rows)
    assert tidy(read_counts([csv_path], resolver)) == [("SYT", 10, 4, 4)]


def test_a_data_row_is_never_taken_for_a_second_header_row(tmp_path, resolver):
    rows = [["Đơn vị", "Tháng", "Tổng số", "Trực tuyến"], ["Trực tuyến", "06/2022", 1, 1]]
    loaded = read_counts([write_csv(tmp_path / "c.csv", rows)], resolver)
    [problem] = loaded.problems
    assert (problem.row, problem.value) == (2, "Trực tuyến")
    assert "unknown unit" in problem.message


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(
    n=st.integers(min_value=0, max_value=10**9),
    style=st.sampled_from(["plain", ".", ",", " ", "\u00a0", "float"]),
)
# the ends of the range and of each grouping width, in every style, tried on every run
@example(n=10**9, style=".")
@example(n=10**9, style=",")
@example(n=10**9, style="\u00a0")
@example(n=10**9, style="float")
@example(n=0, style="plain")
@example(n=999, style=".")
@example(n=1000, style=".")
@example(n=1000, style=",")
@example(n=1_000_000, style=" ")
def test_any_count_in_any_accepted_style(n, style):
    text = {"plain": str(n), "float": f"{n}.0"}.get(style) or _grouped(n, style)
    assert cells.parse_count(text) == (n, None)


@given(
    year=st.integers(min_value=1990, max_value=2100),
    month=st.integers(min_value=1, max_value=12),
    style=st.sampled_from(
        ["{y}-{m:02d}", "{m:02d}/{y}", "{m}/{y}", "T{m:02d}/{y}", "Tháng {m}/{y}", "01/{m:02d}/{y}"]
    ),
)
@example(year=1990, month=1, style="{y}-{m:02d}")
@example(year=1990, month=1, style="{m}/{y}")
@example(year=2100, month=12, style="{m:02d}/{y}")
@example(year=2100, month=12, style="Tháng {m}/{y}")
@example(year=2022, month=10, style="01/{m:02d}/{y}")
@example(year=2022, month=1, style="T{m:02d}/{y}")
def test_any_month_in_any_accepted_style(year, month, style):
    text = style.format(y=year, m=month)
    assert cells.parse_month(text) == (pd.Period(year=year, month=month, freq="M"), None)
    assert cells.parse_month(dt.date(year, month, 1))[0] == pd.Period(f"{year}-{month:02d}")


def test_a_row_wider_than_its_header_is_an_error_naming_the_extra_cells(tmp_path, resolver):
    """`SCT,2022-01,5000,1,234`: an unquoted thousands comma splits 1,234 into two cells. Read
    by position it gives online = 1; it must be an error naming row 3 and the cell E = '234'."""
    path = write_csv(
        tmp_path / "c.csv",
        [["unit", "month", "total", "online"], ["STC", "2022-01", 10, 4]],
    )
    path.write_text(path.read_text(encoding="utf-8") + "SCT,2022-01,5000,1,234\n", "utf-8")
    loaded = read_counts([path], resolver)
    (problem,) = loaded.problems
    assert problem.is_error and problem.row == 3 and problem.column == "E"
    assert problem.value == "234"
    assert "5 cells under a header of 4 columns" in problem.message
    assert list(loaded.frame["unit_code"]) == ["STC"]  # the wide row is never counted


def test_a_wide_row_lists_every_extra_cell(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("unit,month,total,online,\nSCT,2022-01,5000,1,234,9\n", encoding="utf-8")
    table, problems = read_table(path, headers.COUNTS)
    (problem,) = problems
    assert problem.row == 2 and problem.column == "E, F" and problem.value == "234, 9"


def test_a_trailing_empty_cell_is_not_a_wide_row(tmp_path, resolver):
    path = tmp_path / "c.csv"
    path.write_text("unit,month,total,online\nSCT,2022-01,5000,1,\n", encoding="utf-8")
    loaded = read_counts([path], resolver)
    assert loaded.problems == [] and list(loaded.frame["online"]) == [1]


@pytest.mark.parametrize("text", ["2022.1", "2022.10", "2022.06", "2022.6"])
def test_month_as_number_text_in_a_csv_is_refused_as_in_a_workbook(text):
    """Excel saves October typed as 2022.10 to CSV as `2022.1`: never read it as January."""
    month, message = cells.parse_month(text)
    assert month is None
    assert "number" in message


def test_month_2022_dot_1_in_a_counts_csv_is_an_error(tmp_path, resolver):
    path = write_csv(
        tmp_path / "c.csv", [["unit", "month", "total", "online"], ["SCT", "2022.1", 10, 5]]
    )
    loaded = read_counts([path], resolver)
    (problem,) = loaded.problems
    assert (problem.row, problem.column, problem.value) == (2, "B (month)", "2022.1")
    assert loaded.frame.empty


# --- the frames' columns and types, and every problem's file, row, column and value -----------

_TARGETS_DTYPES = {
    "unit_code": "str",
    "year": "Int64",
    "eligible_procedures": "Int64",
    "target_rate": "float64",
    "source_file": "str",
    "source_row": "int64",
}


def _dtypes(frame):
    return {c: str(t) for c, t in frame.dtypes.items()}


def test_targets_frame_columns_types_and_cells(tmp_path, resolver):
    import hashlib

    path = write_csv(
        tmp_path / "t.csv",
        [["Năm", "Đơn vị", "Số TTHC", "Chỉ tiêu"], [2022, "Sở Tư pháp", 131, "55%"]],
    )
    loaded = read_targets(path, resolver)
    assert loaded.problems == []
    assert _dtypes(loaded.frame) == _TARGETS_DTYPES
    assert list(loaded.frame.columns) == list(_TARGETS_DTYPES)
    assert loaded.frame.values.tolist() == [["STP", 2022, 131, 0.55, str(path), 2]]
    # the file as read: its name, path, data rows, SHA-256 of its bytes and its unit column
    (read,) = loaded.files
    assert (read.name, read.path, read.rows, read.unit_column) == (
        "t.csv",
        str(path),
        1,
        "B (Đơn vị)",
    )
    assert read.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    empty = read_targets(write_csv(tmp_path / "x.csv", [["a", "b"]]), resolver).frame
    assert empty.empty and _dtypes(empty) == _TARGETS_DTYPES


def test_counts_frame_types_of_the_optional_counts(tmp_path, resolver):
    from kpi_utils.sources.inputs import counts_frame

    for f in ("resolved", "resolved_on_time", "pending_overdue"):
        assert str(counts_frame([])[f].dtype) == "Int64"
    # an empty optional cell is unknown (<NA>), not an error; a filled one is read
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["Đơn vị", "Tháng", "Tổng số", "Trực tuyến", "Đã giải quyết", "Đúng hạn"],
            ["Sở Tư pháp", "2022-06", 10, 4, "", ""],
            ["Sở Tư pháp", "2022-07", 10, 4, 9, 8],
        ],
    )
    loaded = read_counts([path], resolver)
    assert loaded.problems == []
    frame = loaded.frame
    for f in ("resolved", "resolved_on_time", "pending_overdue"):
        assert str(frame[f].dtype) == "Int64"
    assert frame["resolved"].tolist()[1] == 9 and frame["resolved_on_time"].tolist()[1] == 8
    assert frame[["resolved", "resolved_on_time"]].iloc[0].isna().all()
    assert frame["pending_overdue"].isna().all()


def test_unit_problems_word_for_word(tmp_path, resolver):
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["Tháng", "Đơn vị", "Tổng số", "Trực tuyến"],
            ["2022-06", "", 10, 4],  # row 2: no unit
            ["2022-06", "Qwxz Zzq", 10, 4],  # row 3: like no unit at all: no "closest"
        ],
    )
    loaded = read_counts([path], resolver)
    assert [(p.file, p.row, p.column, p.value, p.message) for p in loaded.problems] == [
        (str(path), 2, "B (Đơn vị)", "", "empty unit cell"),
        (str(path), 3, "B (Đơn vị)", "Qwxz Zzq", "unknown unit"),
    ]


def test_targets_without_a_year_say_so_at_their_header_row(tmp_path, resolver):
    # one title row above the header: the header, where the year column is missing, is row 2
    path = write_csv(
        tmp_path / "t.csv", [["CHỈ TIÊU NĂM"], ["Đơn vị", "Chỉ tiêu"], ["Sở Y tế", "55%"]]
    )
    loaded = read_targets(path, resolver)
    assert [(p.severity, p.file, p.row, p.column, p.message) for p in loaded.problems] == [
        ("error", str(path), 2, None, "no year column: give the year the targets are for")
    ]


def test_second_targets_are_located_in_file_order(tmp_path, resolver):
    # Yên Thủy (YENTHUY) first, then Sở Tư pháp (STP), each twice: each second row is an error on
    # the unit column, in the order of the file: YENTHUY's first although "STP" sorts before it
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Năm", "Đơn vị", "Chỉ tiêu"],
            [2022, "UBND huyện Yên Thủy", "55%"],
            [2022, "Sở Tư pháp", "55%"],
            [2022, "UBND huyện Yên Thủy", "60%"],
            [2022, "Sở Tư pháp", "60%"],
        ],
    )
    loaded = read_targets(path, resolver)
    assert [(p.file, p.row, p.column, p.value, p.message) for p in loaded.problems] == [
        (str(path), 4, "B (Đơn vị)", None, "a second target for YENTHUY in 2022 (rows 2, 4)"),
        (str(path), 5, "B (Đơn vị)", None, "a second target for STP in 2022 (rows 3, 5)"),
    ]


def test_a_known_unit_beside_a_roman_numeral_is_not_a_section_heading(tmp_path, resolver):
    # row 3 names a unit but has no rate: reported, not skipped as a heading; row 4 has no unit
    # at all: reported (empty unit, empty rate), not skipped either. Row 2 is the only heading.
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["TT", "Cơ quan, địa phương", "Tỷ lệ"],
            ["I", "Sở, Ban ngành", None],
            ["II", "Sở Tư pháp", None],
            ["III", None, None],
        ],
    )
    loaded = read_targets(path, resolver, year=2022)
    assert [(p.row, p.column, p.message) for p in loaded.problems] == [
        (3, "C (Tỷ lệ)", "empty target_rate cell"),
        (4, "B (Cơ quan, địa phương)", "empty unit cell"),
        (4, "C (Tỷ lệ)", "empty target_rate cell"),
    ]
