"""Biểu 06 titles, periods, row checks and cell errors: exact messages, worked out by hand.

Each form here is a small CSV (row 1 the title, then the title rows given, the two header rows,
the row of column numbers, then the data), so every row and column a message names is counted
by hand from the rows written below.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from conftest import write_csv
from test_forms import HEADER_1, HEADER_2, NUMBERS_ROW, TITLE

from kpi_utils.sources import forms

JUNE = "Từ ngày 01/06/2022 đến ngày 30/06/2022"
OWN = "Đơn vị báo cáo: UBND huyện Kim Bôi"
#       (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
AREA = [12, 6, 6, 0, 12, 6, 6, 0, 0, 0, 0]


def form(tmp_path, title, body, name="f.csv"):
    """Row 1 the title, rows 2.. `title`, then 3 header rows, then `body`."""
    rows = [[TITLE], *([t] if isinstance(t, str) else t for t in title)]
    rows += [HEADER_1, HEADER_2, NUMBERS_ROW, *body]
    return write_csv(tmp_path / name, rows)


def first_body_row(title) -> int:
    return 1 + len(title) + 3 + 1


def read(path, units, communes, **kw):
    return forms.read_form(path, units, communes, **kw)


def shown(loaded):
    return [str(p) for p in loaded.problems]


# --- title_period: the period a title states ------------------------------------------------


def test_title_period_of_a_range_is_its_two_dates():
    got = forms.title_period(["UBND TỈNH HÒA BÌNH", JUNE])
    assert got == (date(2022, 6, 1), date(2022, 6, 30))


@pytest.mark.parametrize(
    ("texts", "month"),
    [
        (["Tháng 1 năm 2022"], "2022-01"),  # the first month is a month
        (["Tháng 12 năm 2022"], "2022-12"),  # and so is the last
        (["Tháng 13 năm 2022"], None),  # no month 13
        (["Tháng 0 năm 2022"], None),
        (["Kỳ báo cáo: từ tháng 06 đến tháng 6 năm 2022"], "2022-06"),  # "06" is "6"
        (["Kỳ báo cáo: từ tháng 6 đến tháng 06 năm 2022"], "2022-06"),
        (["Từ tháng 1 đến tháng 1 năm 2022"], "2022-01"),
        (["Từ tháng 12 đến tháng 12 năm 2022"], "2022-12"),
        (["Từ tháng 10 đến tháng 1 năm 2022"], None),  # October .. January: not one month
        (["Từ tháng 0 đến tháng 0 năm 2022"], None),
        (["Từ tháng 13 đến tháng 13 năm 2022"], None),
        # a period of several months anywhere in the title wins over a month in an earlier cell
        (["Tháng 6 năm 2022", "Lũy kế 6 tháng đầu năm 2022"], None),
        # the one-month range is read before a bare month in the same cell
        (["Tháng 7 năm 2022 (số liệu từ tháng 6 đến tháng 6 năm 2022)"], "2022-06"),
        # the signing date first in the cell, the month after it
        (["Hòa Bình, ngày 05 tháng 7 năm 2022 - Báo cáo tháng 6 năm 2022"], "2022-06"),
        # a date without "ngày" ("5 tháng 7 năm 2022") is the signing date, not the period
        (["Hòa Bình, 5 tháng 7 năm 2022", "Tháng 6 năm 2022"], "2022-06"),
        (["Hòa Bình, 05 tháng 7 năm 2022", "Tháng 6 năm 2022"], "2022-06"),
        # a date whose month is left blank ("ngày 12 tháng    năm 2022") is no "12 tháng năm"
        (["Hòa Bình, ngày 12 tháng năm 2022", "Tháng 6 năm 2022"], "2022-06"),
        (["6 tháng đầu năm 2022"], None),
        (["Năm 2022"], None),
        (["Từ ngày 31/06/2022 đến ngày 30/07/2022"], None),  # no 31 June
    ],
)
def test_title_period_of_month_titles(texts, month):
    got = forms.title_period(texts)
    assert got == (None if month is None else pd.Period(month, freq="M"))


# --- the period's messages ------------------------------------------------------------------


def test_an_invalid_first_date_is_named(tmp_path, units, communes):
    path = form(tmp_path, ["Từ ngày 31/04/2022 đến ngày 30/05/2022"], [[1, "Sở Tư pháp", *AREA]])
    loaded = read(path, units, communes)
    assert shown(loaded) == [
        f"error: {path}, row 2, column A, value '31/04/2022': the title's date 31/04/2022 is not "
        "a date: correct it (or give the month with --form-period YYYY-MM)"
    ]
    assert loaded.frame.empty


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Kỳ báo cáo: từ tháng 01 đến tháng 6 năm 2022", "từ tháng 01 đến tháng 6 năm 2022"),
        ("6 tháng đầu năm 2022", "6 tháng đầu"),  # the pattern stops at "đầu"
        ("Quý II năm 2022", "Quý II"),
        ("Kỳ báo cáo: năm 2022", "năm 2022"),
    ],
)
def test_a_period_of_several_months_is_named_in_full(tmp_path, units, communes, title, text):
    path = form(tmp_path, [title], [[1, "Sở Tư pháp", *AREA]])
    assert shown(read(path, units, communes)) == [
        f"error: {path}, row 2, column A, value '{text}': the title states a period of more than "
        f"one month ('{text}'): state the month it should count for (--form-period YYYY-MM)"
    ]
    stated = read(path, units, communes, period="2022-06")
    assert shown(stated) == [
        f"warning: {path}, row 2, column A: the form covers {text}; counted for 2022-06 as stated"
    ]
    assert list(stated.frame["month"].astype(str)) == ["2022-06"]


def test_a_range_of_two_months_names_both_dates(tmp_path, units, communes):
    path = form(tmp_path, ["", "Từ ngày 15/05/2022 đến ngày 14/06/2022"], [[1, "Sở Y tế", *AREA]])
    assert shown(read(path, units, communes)) == [
        f"error: {path}, row 3, column A, value '15/05/2022 – 14/06/2022': the form covers "
        "15/05/2022 – 14/06/2022, not one calendar month: state the month it should count for "
        "(--form-period YYYY-MM)"
    ]


def test_a_stated_period_that_contradicts_the_title(tmp_path, units, communes):
    path = form(tmp_path, ["Tháng 5 năm 2022"], [[1, "Sở Y tế", *AREA]])
    loaded = read(path, units, communes, period="2022-06")
    assert shown(loaded) == [
        f"error: {path}, row 2, column A, value '2022-05': the title says 2022-05 but the stated "
        "period is 2022-06"
    ]
    assert loaded.frame.empty


def test_no_period_at_all(tmp_path, units, communes):
    path = form(tmp_path, ["Kỳ báo cáo"], [[1, "Sở Y tế", *AREA]])
    loaded = read(path, units, communes)
    assert shown(loaded) == [
        f"error: {path}: no period: the title has no 'Từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy' "
        "(give the month with --form-period YYYY-MM)"
    ]


# --- the reporting unit ---------------------------------------------------------------------


def test_an_unknown_reporting_unit_is_named_with_the_closest(tmp_path, units, communes):
    path = form(tmp_path, [JUNE, "", "Đơn vị báo cáo: Sở Tư phap"], [[1, "Hộ tịch", *AREA]])
    # without its unit, the rows are read as units: "Hộ tịch" is then an unknown unit too
    assert shown(read(path, units, communes))[0] == (
        f"error: {path}, row 4, value 'Sở Tư phap': unknown reporting unit; closest: STP"
    )


def test_an_unknown_reporting_unit_with_nothing_close(tmp_path, units, communes):
    path = form(tmp_path, [JUNE, "Đơn vị: Qwxz"], [[1, "Hộ tịch", *AREA]])
    assert shown(read(path, units, communes))[0] == (
        f"error: {path}, row 3, value 'Qwxz': unknown reporting unit"
    )


# --- number cells -----------------------------------------------------------------------------


def test_empty_and_dash_cells_are_zero(tmp_path, units, communes):
    #                               (3) (4) (5)   (6)  (7) (8) (9)  (10) (11) (12) (13)
    body = [[1, "Sở Y tế", *[None, 6, 5, "-", 11, 6, 5, None, None, "–", None]]]
    path = form(tmp_path, [JUNE], body)
    loaded = read(path, units, communes, include_carried_over=True)
    assert shown(loaded) == []
    # total = (4) + (5) + (6) = 6 + 5 + 0; resolved (7) = 11; on time (8) + (9) = 11
    got = loaded.frame[["unit_code", "total", "online", "resolved", "resolved_on_time"]]
    assert got.values.tolist() == [["SYT", 11, 6, 11, 11]]
    assert loaded.frame["pending_overdue"].tolist() == [0]


def test_a_cell_that_is_no_count_is_named_and_read_as_zero(tmp_path, units, communes):
    #                                 (3) (4)  (5)  (6) (7) (8) (9)(10)(11)(12)(13)
    body = [[1, "Sở Y tế", *[12, 6, "sáu", 0, 12, 6, 6, 0, 0, 0, 0]]]
    path = form(tmp_path, [JUNE], body)
    loaded = read(path, units, communes)
    row = first_body_row([JUNE])  # 6
    assert shown(loaded) == [
        f"error: {path}, row {row}, column E (5), value 'sáu': not a number of dossiers",
        # (5) read as 0: (4) + (5) + (6) = 6
        f"error: {path}, row {row}, column C (3), value '12': (3) is 12 but (4) + (5) + (6) = 6",
    ]
    # the row is kept: total = (4) + (5) = 6 + 0
    assert loaded.frame[["unit_code", "total"]].values.tolist() == [["SYT", 6]]


# --- each row's own sums -----------------------------------------------------------------------


def test_a_rule_whose_left_cell_is_empty_is_not_checked(tmp_path, units, communes):
    # (3) empty: neither (3) = (4)+(5)+(6) nor (3) = (7)+(11) is checked; (7) = (8)+(9)+(10)
    # still is: 12 against 6 + 5 + 0 = 11.
    #                          (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
    body = [[1, "Sở Y tế", *[None, 6, 6, 0, 12, 6, 5, 0, 9, 9, 0]]]
    path = form(tmp_path, [JUNE], body)
    row = first_body_row([JUNE])
    assert shown(read(path, units, communes)) == [
        f"error: {path}, row {row}, column G (7), value '12': (7) is 12 but (8) + (9) + (10) = 11"
    ]


def test_a_row_that_ends_before_its_sums_is_not_checked(tmp_path, units, communes):
    path = form(tmp_path, [JUNE], [[1, "Sở Y tế"]])  # a name and nothing after it
    row = first_body_row([JUNE])
    assert shown(read(path, units, communes)) == [
        f"warning: {path}, row {row}, value 'Sở Y tế': SYT has no figures"
    ]


def test_pending_and_received_sums_are_warnings(tmp_path, units, communes):
    # (11) = 5 but (12) + (13) = 3 + 1 = 4; (3) = 12 but (7) + (11) = 8 + 5 = 13
    #                          (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
    body = [[1, "Sở Y tế", *[12, 6, 6, 0, 8, 4, 4, 0, 5, 3, 1]]]
    path = form(tmp_path, [JUNE], body)
    row = first_body_row([JUNE])
    assert shown(read(path, units, communes)) == [
        f"warning: {path}, row {row}, column K (11), value '5': (11) is 5 but (12) + (13) = 4",
        f"warning: {path}, row {row}, column C (3), value '12': (3) is 12 but (7) + (11) = 13",
    ]


def test_a_total_row_against_its_units_names_the_file(tmp_path, units, communes):
    body = [
        [1, "Sở Y tế", *AREA],
        ["Tổng cộng", None, *[13, 7, 6, 0, 13, 7, 6, 0, 0, 0, 0]],  # (3), (4), (7), (8) one over
    ]
    path = form(tmp_path, [JUNE], body)
    row = first_body_row([JUNE]) + 1
    got = shown(read(path, units, communes))
    assert got[0] == (
        f"error: {path}, row {row}, column C (3), value '13': the total row says (3) = 13 but "
        "its 1 row(s) sum to 12"
    )
    assert len(got) == 4


# --- labels and sections ----------------------------------------------------------------------


def test_a_label_loses_a_leading_numeral_only_before_words():
    key = forms._label_key
    assert key("II. Huyện, thị xã, thành phố") == key("huyện thị xã thành phố")
    assert key("I Sở ban ngành") == key("sở ban ngành")
    assert key("1 Tổng") == key("tổng")
    assert key("III") == "iii"  # a numeral alone stays: it is the whole label
    assert key("12") == "12"


def test_a_section_named_with_more_words_is_that_section(tmp_path, units, communes):
    body = [
        ["I", "Sở, ban, ngành cấp tỉnh", *AREA],
        [1, "Sở Y tế", 13, 7, 6, 0, 13, 7, 6, 0, 0, 0, 0],  # one over the section in (3) (4)
    ]
    path = form(tmp_path, [JUNE], body)
    row = first_body_row([JUNE])
    got = [str(p) for p in read(path, units, communes).problems if p.column == "C (3)"]
    assert got == [
        f"error: {path}, row {row}, column C (3), value '12': the section row 'Sở, ban, ngành cấp "
        "tỉnh' says (3) = 12 but its 1 row(s) sum to 13"
    ]


# --- areas and their parts ---------------------------------------------------------------------


def test_areas_numbered_with_a_dot_keep_their_parts(tmp_path, units, communes):
    #                       (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
    body = [
        ["1.", "Đất đai", 10, 4, 6, 0, 10, 5, 5, 0, 0, 0, 0],
        ["1.1", "Giao đất", 6, 2, 4, 0, 6, 3, 3, 0, 0, 0, 0],
        ["1.2", "Thu hồi đất", 4, 2, 2, 0, 4, 2, 2, 0, 0, 0, 0],
    ]
    loaded = read(form(tmp_path, [JUNE, OWN], body), units, communes)
    assert shown(loaded) == []
    # the parts are in "1.": total = (4) + (5) = 4 + 6, not 10 + 6 + 4
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["KIMBOI", 10, 4]]


def test_a_filled_area_counts_its_own_row_even_when_its_parts_disagree(tmp_path, units, communes):
    body = [
        [1, "Đất đai", 10, 4, 6, 0, 10, 5, 5, 0, 0, 0, 0],
        ["1.1", "Giao đất", 6, 2, 4, 0, 6, 3, 3, 0, 0, 0, 0],
        ["1.2", "Thu hồi đất", 3, 1, 2, 0, 3, 1, 2, 0, 0, 0, 0],  # parts 9 / 3 online
    ]
    loaded = read(form(tmp_path, [JUNE, OWN], body), units, communes)
    assert {p.column for p in loaded.problems if p.is_error} == {"C (3)", "D (4)", "G (7)", "H (8)"}
    # counted from the area's own row: total = 4 + 6, online = 4 (the parts would give 9 / 3)
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["KIMBOI", 10, 4]]


# --- the documented mapping --------------------------------------------------------------------


def test_to_counts_leaves_out_carried_over_by_default():
    numbers = dict(zip(forms.NUMBER_FIELDS, [15, 6, 5, 4, 11, 6, 3, 2, 4, 3, 1], strict=True))
    # total = (4) + (5) = 11; online = (4); resolved = (7); on time = (8) + (9); overdue = (13)
    expected = {
        "total": 11,
        "online": 6,
        "resolved": 11,
        "resolved_on_time": 9,
        "pending_overdue": 1,
    }
    assert forms.to_counts(numbers) == expected
    assert forms.to_counts(numbers, include_carried_over=True) == {**expected, "total": 15}


# --- a header found by its text (no row of column numbers) ------------------------------------

#                        (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
SYT = [1, "Sở Y tế", *[9, 4, 5, 0, 9, 2, 6, 1, 0, 0, 0]]


def text_header_form(tmp_path, after_header):
    rows = [[TITLE], [JUNE], HEADER_1, HEADER_2, *after_header]
    return write_csv(tmp_path / "t.csv", rows)


def test_a_unit_row_under_a_text_header_is_data(tmp_path, units, communes):
    """In a CSV every cell is text: a row of counts is still no header row, with or without
    its STT (a unit's row without one was once taken for a third header row, and lost)."""
    for stt in ("1", None):
        body = [[stt, *SYT[1:]], [2, "Sở Tư pháp", *SYT[2:]]]
        loaded = read(text_header_form(tmp_path, body), units, communes)
        assert shown(loaded) == []
        # each: total = (4) + (5) = 9, online = (4) = 4, on time = (8) + (9) = 8
        got = loaded.frame[["unit_code", "total", "online", "resolved_on_time"]]
        assert got.values.tolist() == [["SYT", 9, 4, 8], ["STP", 9, 4, 8]]


def test_a_total_row_right_under_a_text_header_is_data(tmp_path, units, communes):
    body = [["Tổng cộng", None, *[9, 4, 5, 0, 9, 2, 6, 1, 0, 0, 0]], SYT]
    loaded = read(text_header_form(tmp_path, body), units, communes)
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total"]].values.tolist() == [["SYT", 9]]
    body[0][2] = 10  # the total row is read, and checked: 10 against the unit's 9
    loaded = read(text_header_form(tmp_path, body), units, communes)
    assert [(p.row, p.column) for p in loaded.problems if p.is_error] == [(5, "C (3)")] * 2


def test_a_one_cell_heading_under_a_text_header(tmp_path, units, communes):
    loaded = read(text_header_form(tmp_path, [["I. Sở ban ngành"], SYT]), units, communes)
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total"]].values.tolist() == [["SYT", 9]]


def test_a_row_that_ends_after_column_6_checks_only_what_it_has(tmp_path, units, communes):
    path = form(tmp_path, [JUNE], [[1, "Sở Y tế", 9, 4, 5, 0]])  # (7) .. (13) not there
    row = first_body_row([JUNE])
    loaded = read(path, units, communes)
    # (3) = (4) + (5) + (6) holds; (7) = (8) + (9) + (10) has no (7); (3) = (7) + (11) = 0
    assert shown(loaded) == [
        f"warning: {path}, row {row}, column C (3), value '9': (3) is 9 but (7) + (11) = 0"
    ]
    assert loaded.frame[["unit_code", "total", "resolved"]].values.tolist() == [["SYT", 9, 0]]


def test_an_unknown_reporting_unit_lists_every_close_name(tmp_path, units, communes):
    path = form(tmp_path, [JUNE, "Đơn vị báo cáo: Huyện Lạc"], [[1, "Hộ tịch", *AREA]])
    # the three districts whose names hold "Lạc": Tân Lạc, Lạc Sơn, Lạc Thủy
    assert shown(read(path, units, communes))[0] == (
        f"error: {path}, row 3, value 'Huyện Lạc': unknown reporting unit; "
        "closest: TANLAC, LACSON, LACTHUY"
    )


# --- the header's text checked against the column numbers ---------------------------------------

SWAPPED = list(HEADER_2)
SWAPPED[3], SWAPPED[4] = SWAPPED[4], SWAPPED[3]  # "Trực tiếp" over (4), "Trực tuyến" over (5)


def numbered_form(tmp_path, header, title=(TITLE, JUNE), numbers=NUMBERS_ROW, name="n.csv"):
    rows = [*([t] for t in title), *header, numbers, SYT]
    return write_csv(tmp_path / name, rows)


def swapped_errors(path, header_row):
    """(4) and (5) swapped in the header row just above the column numbers."""
    return [
        f"error: {path}, row {header_row}, column D, value 'số hồ sơ nhận giải quyết trực tiếp, "
        "dịch vụ bưu chính': the header names column (5) but the column-number row says (4)",
        # "Trong đó:" is dropped from the text, and the spaces around it with it
        f"error: {path}, row {header_row}, column E, value 'số hồ sơ nhận giải quyết trực "
        "tuyến': the header names column (4) but the column-number row says (5)",
    ]


@pytest.mark.parametrize(
    "first",
    [
        ["STT", None, *HEADER_1[2:]],  # only "STT" marks the header's first row
        [None, HEADER_1[1], *HEADER_1[2:]],  # only the name column's heading marks it
    ],
)
def test_a_header_marked_by_stt_or_name_alone_is_checked(tmp_path, units, communes, first):
    path = numbered_form(tmp_path, [first, SWAPPED])
    assert shown(read(path, units, communes)) == swapped_errors(path, 4)


def test_a_header_at_the_top_of_the_sheet_is_checked(tmp_path, units, communes):
    path = numbered_form(tmp_path, [HEADER_1, SWAPPED], title=())
    assert shown(read(path, units, communes, period="2022-06")) == swapped_errors(path, 2)


def test_a_one_row_header_right_above_the_numbers_is_checked(tmp_path, units, communes):
    one_row = ["STT", HEADER_1[1], "Số hồ sơ nhận giải quyết tổng số"]
    one_row += ["Số hồ sơ nhận giải quyết " + t.casefold() for t in SWAPPED[3:6]]
    one_row += [f"Số hồ sơ đã giải quyết {t.casefold()}" for t in HEADER_2[6:10]]
    one_row += [f"Số hồ sơ đang giải quyết {t.casefold()}" for t in HEADER_2[10:]]
    path = numbered_form(tmp_path, [one_row])
    got = shown(read(path, units, communes))
    assert got == [
        f"error: {path}, row 3, column D, value 'số hồ sơ nhận giải quyết trực tiếp, dịch vụ bưu "
        "chính': the header names column (5) but the column-number row says (4)",
        f"error: {path}, row 3, column E, value 'số hồ sơ nhận giải quyết trực tuyến': the "
        "header names column (4) but the column-number row says (5)",
    ]


@pytest.mark.parametrize("title", [(TITLE, JUNE), ()])
def test_a_header_without_stt_or_name_is_not_checked(tmp_path, units, communes, title):
    # no "STT", no name heading within three rows above the numbers: nothing to check against
    path = numbered_form(tmp_path, [[None, None, *HEADER_1[2:]], SWAPPED], title=title)
    loaded = read(path, units, communes, period="2022-06")
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["SYT", 9, 4]]


@pytest.mark.parametrize("with_numbers", [True, False])
def test_a_form_with_no_data_rows_is_read_to_nothing(tmp_path, units, communes, with_numbers):
    rows = [[TITLE], [JUNE], HEADER_1, HEADER_2, *([NUMBERS_ROW] if with_numbers else [])]
    loaded = read(write_csv(tmp_path / "e.csv", rows), units, communes)
    assert [p for p in loaded.problems if p.is_error] == []
    assert loaded.frame.empty


def test_column_numbers_as_whole_numbers_find_the_header(tmp_path, units, communes):
    # an xlsx whose column-number row holds the numbers 1 .. 13 (not "(1)" .. "(13)")
    from conftest import write_workbook

    rows = [[TITLE], [JUNE], HEADER_1, SWAPPED, list(range(1, 14)), SYT]
    path = write_workbook(tmp_path / "w.xlsx", {"S": rows})
    assert [(p.row, p.column) for p in read(path, units, communes).problems] == [
        (4, "D"),
        (4, "E"),
    ]


def test_column_numbers_written_with_their_sums_are_no_data(tmp_path, units, communes):
    """Some forms write the sums into the column numbers ("(3)=(4)+(5)+(6)"): that row is not
    "(1) … (13)", but it is still no data row (it once gave an error for each of its cells)."""
    numbers = ["(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)"]
    numbers += ["(8)", "(9)", "(10)", "(11)=(12)+(13)", "(12)", "(13)"]
    loaded = read(text_header_form(tmp_path, [numbers, SYT]), units, communes)
    assert shown(loaded) == []
    # total = (4) + (5) = 9, online = (4) = 4, on time = (8) + (9) = 8
    got = loaded.frame[["unit_code", "total", "online", "resolved_on_time"]]
    assert got.values.tolist() == [["SYT", 9, 4, 8]]


# groups, then "Tổng số | Trong đó", then the kinds: three rows of text above the column numbers
MIDDLE = [None, None, "Tổng số", "Trong đó", None, None, "Tổng số", "Trong đó", None, None]
MIDDLE += ["Tổng số", "Trong đó", None]
KINDS = [None, None, None, *HEADER_2[3:6], None, *HEADER_2[7:10], None, *HEADER_2[11:]]
WITH_SUMS = ["(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)"]
WITH_SUMS += ["(8)", "(9)", "(10)", "(11)=(12)+(13)", "(12)", "(13)"]


@pytest.mark.parametrize(
    "numbers",
    [
        WITH_SUMS,
        [*WITH_SUMS[:5], None, *WITH_SUMS[6:]],  # (6) left unnumbered
        ["(1)", "(2)"],  # a row of numbers cut short (a CSV row ends where its cells do)
        ["(1)"],
    ],
)
def test_column_numbers_with_sums_under_three_header_rows_are_no_data(
    tmp_path, units, communes, numbers
):
    # such a form was refused, with an error for each cell of the row of numbers
    rows = [[TITLE], [JUNE], HEADER_1, MIDDLE, KINDS, numbers, SYT]
    loaded = read(write_csv(tmp_path / "three.csv", rows), units, communes)
    assert shown(loaded) == []
    # total = (4) + (5) = 9, online = (4) = 4, on time = (8) + (9) = 8
    got = loaded.frame[["unit_code", "total", "online", "resolved_on_time"]]
    assert got.values.tolist() == [["SYT", 9, 4, 8]]


def test_column_numbers_with_sums_and_no_row_below_is_an_empty_form(tmp_path, units, communes):
    rows = [[TITLE], [JUNE], HEADER_1, MIDDLE, KINDS, WITH_SUMS]
    loaded = read(write_csv(tmp_path / "empty.csv", rows), units, communes)
    assert shown(loaded) == []
    assert loaded.frame.empty


def test_a_header_four_rows_above_the_numbers_is_not_read(tmp_path, units, communes):
    # the header's text is looked for in the three rows above the column numbers only
    notes = [["Ghi chú: số liệu tính đến hết ngày 30/6"], ["(Kèm theo báo cáo tháng)"]]
    path = numbered_form(tmp_path, [HEADER_1, SWAPPED, *notes])
    assert shown(read(path, units, communes)) == []


def test_a_blank_sub_header_is_not_filled_from_its_left(tmp_path, units, communes):
    # (5) has no sub-heading: its header is the group's "Số hồ sơ nhận giải quyết" alone, which
    # names no column, so there is nothing to contradict (4)'s "Trực tuyến"
    lower = list(HEADER_2)
    lower[4] = None
    loaded = read(numbered_form(tmp_path, [HEADER_1, lower]), units, communes)
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["SYT", 9, 4]]


def test_a_header_over_column_3_that_names_another_is_an_error(tmp_path, units, communes):
    lower = list(HEADER_2)
    lower[2] = "Trực tuyến"  # over (3): "Số hồ sơ nhận giải quyết" + "Trực tuyến" is (4)
    path = numbered_form(tmp_path, [HEADER_1, lower])
    assert shown(read(path, units, communes)) == [
        f"error: {path}, row 4, column C, value 'số hồ sơ nhận giải quyết trực tuyến': the "
        "header names column (4) but the column-number row says (3)"
    ]


def test_a_column_number_row_that_stops_at_12(tmp_path, units, communes):
    # (13) left out: no row of (1) .. (13), so the header is found by its text; the row of
    # numbers is then one more header row, and the data below it is read
    loaded = read(text_header_form(tmp_path, [NUMBERS_ROW[:12], SYT]), units, communes)
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["SYT", 9, 4]]


def test_a_semicolon_form_without_column_numbers_is_read_as_check_detects_it(
    tmp_path, units, communes
):
    # `check` took it for a form (its header is there), then the reader tried the comma grid
    # only and said it was no form
    path = write_csv(tmp_path / "s.csv", [[TITLE], [JUNE], HEADER_1, HEADER_2, SYT], delimiter=";")
    assert forms.looks_like_form(path)
    loaded = read(path, units, communes)
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["SYT", 9, 4]]


def test_no_stt_heading_and_no_column_numbers_is_not_a_form(tmp_path, units, communes):
    first = [None, *HEADER_1[1:]]  # "STT" left out, and no row of column numbers
    path = write_csv(tmp_path / "x.csv", [[TITLE], [JUNE], first, HEADER_2, SYT])
    assert shown(read(path, units, communes)) == [
        f"error: {path}, row 1: not a Biểu số 06/VPCP/KSTT: no row of column numbers (1) … (13) "
        "and no header 'STT', 'Lĩnh vực, công việc giải quyết theo cấp' in the first 30 rows"
    ]


def test_stt_and_name_headings_alone_in_their_row(tmp_path, units, communes):
    # "STT" and the name heading in a row of their own, each column's full heading below them
    labels = ["Số hồ sơ nhận giải quyết " + t.casefold() for t in HEADER_2[2:6]]
    labels += [f"Số hồ sơ đã giải quyết {t.casefold()}" for t in HEADER_2[6:10]]
    labels += [f"Số hồ sơ đang giải quyết {t.casefold()}" for t in HEADER_2[10:]]
    rows = [[TITLE], [JUNE], HEADER_1[:2], [None, None, *labels], SYT]
    loaded = read(write_csv(tmp_path / "s.csv", rows), units, communes)
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["SYT", 9, 4]]


def test_a_header_at_the_top_without_stt_or_name_is_not_checked(tmp_path, units, communes):
    # the header's text is looked for above the column numbers only, never in the rows below
    # (here the last row, a unit without figures, reads "1 | Sở Xây dựng", and "1" is the
    # number of the STT column)
    groups = [None, None, *[HEADER_1[2]] * 4, *[HEADER_1[6]] * 4, *[HEADER_1[10]] * 3]
    rows = [groups, SWAPPED, NUMBERS_ROW, [2, *SYT[1:]], [1, "Sở Xây dựng"]]
    path = write_csv(tmp_path / "t.csv", rows)
    assert shown(read(path, units, communes, period="2022-06")) == [
        f"warning: {path}, row 5, value 'Sở Xây dựng': SXD has no figures"
    ]


def test_a_text_header_that_starts_in_column_b(tmp_path, units, communes):
    rows = [[TITLE], [JUNE], [None, *HEADER_1], [None, *HEADER_2], [None, *SYT]]
    loaded = read(write_csv(tmp_path / "b.csv", rows), units, communes)
    assert shown(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["SYT", 9, 4]]


def test_a_section_heading_under_a_three_row_header_starts_its_section(tmp_path, units, communes):
    # a header of three rows at most: the commune section's heading below it is data, so
    # "Tân Hòa" (no "Phường") is read as a commune of that section
    middle = [None, None, "Tổng số", "Trong đó", None, None, "Tổng số", "Trong đó", None, None]
    middle += ["Tổng số", "Trong đó", None]
    lower = [None, None, None, *HEADER_2[3:6], None, *HEADER_2[7:10], None, *HEADER_2[11:]]
    tan_hoa = [1, "Tân Hòa", 20, 15, 5, 0, 20, 12, 8, 0, 0, 0, 0]
    rows = [[TITLE], [JUNE], HEADER_1, middle, lower, [None, "Xã, phường, thị trấn"], tan_hoa]
    loaded = read(write_csv(tmp_path / "c.csv", rows), units, communes)
    assert shown(loaded) == []
    # Phường Tân Hòa of Hòa Bình city: total = (4) + (5) = 15 + 5
    assert loaded.communes[["ward_code", "total"]].values.tolist() == [[4792, 20]]
