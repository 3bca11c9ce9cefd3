"""Reading a Biểu 06 form's rows (`read_form`, its row walker, `read_forms`) and telling a form
from other files (`looks_like_form`), on small hand-made forms: every count, message, row and
column below is worked out by hand from the rows written (see the comments)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pandas as pd
import pytest
from conftest import write_csv, write_workbook

from kpi_utils.sources import forms
from kpi_utils.sources.communes import CommuneResolver, load_communes
from kpi_utils.sources.files import SourceFile

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
JUNE = "Từ ngày 01/06/2022 đến ngày 30/06/2022"
HEADER_1 = ["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết"]
HEADER_1 += [None, None, None, "Số hồ sơ đã giải quyết", None, None, None]
HEADER_1 += ["Số hồ sơ đang giải quyết", None, None]
HEADER_2 = [None, None, "Tổng số", "Trong đó: Trực tuyến", "Trực tiếp, dịch vụ bưu chính"]
HEADER_2 += ["Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số"]
HEADER_2 += ["Trong hạn", "Quá hạn"]
NUMBERS_ROW = [f"({n})" for n in range(1, 14)]
EMPTY = [None] * 11


def n(online, offline, early, in_time, late=0, overdue=0, carried=0):
    """Columns (3) .. (13) of a row that adds up: (3) = (4)+(5)+(6), (7) = (8)+(9)+(10),
    (11) = (3) - (7) = (12)+(13)."""
    received = online + offline + carried
    resolved = early + in_time + late
    pending = received - resolved
    assert pending >= overdue >= 0
    return [received, online, offline, carried, resolved, early, in_time, late, pending,
            pending - overdue, overdue]  # fmt: skip


def form(path, body, *, title=(JUNE,), shift=0):
    """A form: the title in row 1, `title` rows, the header and the column numbers, then `body`
    (with one title row, the column numbers are row 5 and the body starts at row 6). `shift`
    moves the table right by that many columns (its column (1) is then B for shift 1)."""
    pad = [None] * shift
    rows = [[TITLE], *([t] for t in title), pad + HEADER_1, pad + HEADER_2, pad + NUMBERS_ROW]
    rows += [pad + list(r) for r in body]
    return write_workbook(path, {"Biểu 06": rows})


def shown(loaded):
    return [str(p) for p in loaded.problems]


def counts(frame):
    """unit -> (total, online, resolved, resolved_on_time, pending_overdue)."""
    columns = ["total", "online", "resolved", "resolved_on_time", "pending_overdue"]
    return {r.unit_code: tuple(int(getattr(r, c)) for c in columns) for r in frame.itertuples()}


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- units, their areas and the records ---------------------------------------------------------

HO_TICH = n(3, 2, 1, 3, overdue=1)  # [5, 3, 2, 0, 4, 1, 3, 0, 1, 0, 1]
CHUNG_THUC = n(1, 4, 2, 2)  # [5, 1, 4, 0, 4, 2, 2, 0, 1, 1, 0]
Y_TE = n(2, 5, 3, 4, carried=2)  # [9, 2, 5, 2, 7, 3, 4, 0, 2, 2, 0]


@pytest.mark.parametrize("carried", [False, True])
def test_units_and_their_areas_become_records_in_a_table_one_column_right(
    tmp_path, units, communes, carried
):
    body = [
        [1, "Sở Tư pháp", *EMPTY],  # row 6: empty, its areas give its counts
        ["1.1", "Hộ tịch", *HO_TICH],
        ["1.2", "Chứng thực", *CHUNG_THUC],
        [2, "Sở Y tế", *Y_TE],  # row 9
    ]
    path = form(tmp_path / "f.xlsx", body, shift=1)
    loaded = forms.read_form(path, units, communes, include_carried_over=carried)
    assert shown(loaded) == []
    # STP: total = (4)+(5) = 3+2 + 1+4 = 10, online 3+1, resolved 4+4, on time 1+3 + 2+2,
    # overdue 1. SYT: total 2+5 (+ 2 carried over when asked), online 2, resolved 7, on time 7.
    assert counts(loaded.frame) == {
        "STP": (10, 4, 8, 8, 1),
        "SYT": (9 if carried else 7, 2, 7, 7, 0),
    }
    assert list(loaded.frame["source_row"]) == [6, 9]
    assert list(loaded.frame["source_unit"]) == ["Sở Tư pháp", "Sở Y tế"]
    assert list(loaded.frame["source_file"]) == [str(path), str(path)]
    assert [str(m) for m in loaded.frame["month"]] == ["2022-06", "2022-06"]
    # the name is column (2), here C; 2 records
    assert loaded.files == [SourceFile("f.xlsx", str(path), 2, sha256(path), "C (2)")]
    assert loaded.communes.empty


def test_commune_records_count_carried_over_dossiers_on_request(tmp_path, units, communes):
    tu_ly = n(4, 1, 2, 2, carried=3)  # [8, 4, 1, 3, 4, 2, 2, 0, 4, 4, 0]
    body = [["III", "Xã, phường, thị trấn", *tu_ly], [1, "Xã Tú Lý", *tu_ly]]  # rows 6, 7
    path = form(tmp_path / "c.xlsx", body)
    for carried, total in ((False, 5), (True, 8)):  # (4)+(5) = 4+1, + (6) = 3 when asked
        loaded = forms.read_form(path, units, communes, include_carried_over=carried)
        assert shown(loaded) == []
        assert loaded.frame.empty
        got = loaded.communes
        assert got.to_dict("records") == [
            {
                "ward_code": 4867,
                "unit_code": "DABAC",
                "month": pd.Period("2022-06", "M"),
                "total": total,
                "online": 4,
                "resolved": 4,
                "resolved_on_time": 4,
                "source_file": str(path),
                "source_row": 7,
                "source_unit": "Xã Tú Lý",
            }
        ]
        assert loaded.files == [SourceFile("c.xlsx", str(path), 1, sha256(path), "B (2)")]
        # the bundled commune list when none is given
        by_default = forms.read_form(path, units, include_carried_over=carried)
        pd.testing.assert_frame_equal(by_default.communes, loaded.communes)


A = n(1, 1, 1, 1)  # [2, 1, 1, 0, 2, 1, 1, 0, 0, 0, 0]
B = n(2, 0, 1, 0)  # [2, 2, 0, 0, 1, 1, 0, 0, 1, 1, 0]
A_B = [4, 3, 1, 0, 3, 2, 1, 0, 1, 1, 0]  # A + B


def test_section_and_subtotal_rows_are_checked_against_the_units_of_the_section(
    tmp_path, units, communes
):
    body = [
        ["TỔNG CỘNG", None, *A_B],  # row 6: label merged across (1) and (2); right
        ["I", "Sở ban ngành", 4, 2, 2, 0, 3, 2, 1, 0, 1, 1, 0],  # row 7: (4) 2, (5) 2: wrong
        [1, "Sở Tư pháp", *A],
        [2, "Sở Y tế", *B],
        [None, "Cộng", 4, 3, 1, 0, 3, 1, 2, 0, 1, 1, 0],  # row 10: (8) 1, (9) 2: wrong
    ]
    path = form(tmp_path / "s.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    # the section's 2 units sum to A_B: (4) 3, (5) 1, (8) 2, (9) 1
    assert shown(loaded) == [
        f"error: {path}, row 7, column D (4), value '2': the section row 'Sở ban ngành' says "
        "(4) = 2 but its 2 row(s) sum to 3",
        f"error: {path}, row 7, column E (5), value '2': the section row 'Sở ban ngành' says "
        "(5) = 2 but its 2 row(s) sum to 1",
        f"error: {path}, row 10, column H (8), value '1': the subtotal row says (8) = 1 but its "
        "2 row(s) sum to 2",
        f"error: {path}, row 10, column I (9), value '2': the subtotal row says (9) = 2 but its "
        "2 row(s) sum to 1",
    ]
    # totals, sections and subtotals are checked, never counted
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0), "SYT": (2, 2, 1, 1, 0)}


def test_a_subtotal_row_outside_any_section_is_a_total(tmp_path, units, communes):
    body = [
        [None, "Cộng", *n(2, 1, 1, 1)],  # row 6: [3, 2, 1, 0, 2, 1, 1, 0, 1, 1, 0]
        [1, "Sở Tư pháp", *A],  # [2, 1, 1, 0, 2, 1, 1, 0, 0, 0, 0]
    ]
    path = form(tmp_path / "t.xlsx", body, shift=1)
    loaded = forms.read_form(path, units, communes)
    # against the one unit: (3) 3 vs 2, (4) 2 vs 1, (11) 1 vs 0, (12) 1 vs 0; columns one right
    assert shown(loaded) == [
        f"error: {path}, row 6, column {col}, value '{said}': the total row says ({k}) = {said} "
        f"but its 1 row(s) sum to {summed}"
        for col, k, said, summed in (
            ("D (3)", 3, 3, 2),
            ("E (4)", 4, 2, 1),
            ("L (11)", 11, 1, 0),
            ("M (12)", 12, 1, 0),
        )
    ]
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0)}


def test_rows_that_are_not_units_and_the_end_of_the_table(tmp_path, units, communes):
    body = [
        [None, "Danh sách đơn vị"],  # row 6: a sub-heading without numbers: skipped
        ["a", "Phần hai"],  # row 7: numbered like an area, with no unit above it: skipped
        [3, "Phòng Không Tên"],  # row 8: numbered like a unit, unknown: an error
        ["-", None, *A],  # row 9: numbers without a name: an error, not counted
        [4, "Đơn vị lạ", *B],  # row 10: unknown, with numbers: an error, in the total
        [5, "Qqq"],  # row 11: unknown, and nothing like it
        [],  # row 12: blank
        [1, "Sở Tư pháp", *A],  # row 13
        [None, "Tổng cộng", *A_B],  # row 14: A + B, the unknown unit's figures included
        [None, "Người lập biểu"],  # row 15: the table ends here
        [2, "Sở Không Có", *B],  # row 16: below the signatures, never read
    ]
    path = form(tmp_path / "u.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    hint = "(a unit's own form names it in the title: 'Đơn vị báo cáo: …')"
    assert shown(loaded) == [
        f"error: {path}, row 8, column B (2), value 'Phòng Không Tên': unknown unit; closest: "
        f"SNNPTNT, LUONGSON, CAOPHONG {hint}",
        f"error: {path}, row 9, column B (2): a row of numbers without a name",
        f"error: {path}, row 10, column B (2), value 'Đơn vị lạ': unknown unit; closest: "
        f"TANLAC, VPUBND-NV, SNV {hint}",
        f"error: {path}, row 11, column B (2), value 'Qqq': unknown unit {hint}",
    ]
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0)}
    assert loaded.files == [SourceFile("u.xlsx", str(path), 1, sha256(path), "B (2)")]


def test_a_blank_line_in_a_csv_form_is_skipped(tmp_path, units, communes):
    rows = [[TITLE], [JUNE], HEADER_1, HEADER_2, NUMBERS_ROW]
    rows += [[1, "Sở Tư pháp", *A], [], [2, "Sở Y tế", *B]]  # rows 6, 7 (blank), 8
    path = write_csv(tmp_path / "f.csv", rows, delimiter=";")
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == []
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0), "SYT": (2, 2, 1, 1, 0)}
    assert list(loaded.frame["source_row"]) == [6, 8]


def test_which_rows_start_a_unit_inside_another_units_rows(tmp_path, units, communes):
    c = n(3, 0, 3, 0)  # [3, 3, 0, 0, 3, 3, 0, 0, 0, 0, 0]
    body = [
        [1, "Sở Tư pháp", *EMPTY],  # row 6
        ["II", "Sở Xây dựng", *A],  # numbered like no unit: an area of STP
        [None, "Sở Y tế", *B],  # row 8: no STT, another unit: starts it
        [None, "Sở Y tế", *B],  # named like its own unit: SYT's area, whose sum it is
        ["3.", "Sở GD&ĐT", *c],  # row 10: a whole number: starts SGDDT
    ]
    path = form(tmp_path / "w.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == []
    assert counts(loaded.frame) == {
        "STP": (2, 1, 2, 2, 0),
        "SYT": (2, 2, 1, 1, 0),
        "SGDDT": (3, 3, 3, 3, 0),
    }
    assert list(loaded.frame["source_row"]) == [6, 8, 10]


def test_a_unit_outside_its_section_is_unknown_there(tmp_path, units, communes):
    body = [
        ["II", "Huyện, thị xã, thành phố", *A],  # row 6
        [1, "Sở Tư pháp", *A],  # row 7: a department among districts: not started
    ]
    path = form(tmp_path / "x.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == [
        f"error: {path}, row 7, column B (2), value 'Sở Tư pháp': unknown unit; closest: STP "
        "(a unit's own form names it in the title: 'Đơn vị báo cáo: …')"
    ]
    assert loaded.frame.empty


# --- departments' names under a district ---------------------------------------------------------

ASK = (
    "read as an area of work of DABAC (it is inside DABAC's rows, from row 6), not as {code}'s "
    "counts: if it is {code}'s own row, move it above the districts or under a section row "
    "'Sở, ban, ngành'"
)


@pytest.mark.parametrize(
    ("district_stt", "rows", "asked"),
    [
        # numbered on from the district (1 then 2) before any area: asked
        (1, [[2, "Tư pháp", *A]], [(7, "Tư pháp", "STP")]),
        ("1.", [["2.", "Tư pháp", *A]], [(7, "Tư pháp", "STP")]),
        # numbered 3 after 1, or after an area restarted the numbering, or without a number
        (1, [[3, "Tư pháp", *A]], []),
        (1, [[1, "Đất đai", *B], [2, "Tư pháp", *A]], []),
        (1, [[None, "Tư pháp", *A]], []),
        (None, [[1, "Tư pháp", *A]], []),
        ("I", [["II", "Tư pháp", *A]], []),
        ("1X", [[2, "Tư pháp", *A]], []),  # no number, however close
        (1, [["2X", "Tư pháp", *A]], []),
        # named in full: asked wherever it is
        (1, [[1, "Đất đai", *B], [5, "Sở Xây dựng", *A]], [(8, "Sở Xây dựng", "SXD")]),
    ],
)
def test_a_department_under_a_district_is_its_area_and_sometimes_asked_about(
    tmp_path, units, communes, district_stt, rows, asked
):
    body = [[district_stt, "UBND huyện Đà Bắc", *EMPTY], *rows]  # the district in row 6
    loaded = forms.read_form(form(tmp_path / "d.xlsx", body), units, communes)
    path = tmp_path / "d.xlsx"
    assert shown(loaded) == [
        f"warning: {path}, row {row}, column B (2), value '{name}': " + ASK.format(code=code)
        for row, name, code in asked
    ]
    summed = [sum(col) for col in zip(*(r[2:] for r in rows), strict=True)]
    assert counts(loaded.frame) == {
        "DABAC": (summed[1] + summed[2], summed[1], summed[4], summed[5] + summed[6], 0)
    }


# --- communes ------------------------------------------------------------------------------------

TU_LY = n(2, 1, 1, 2)  # [3, 2, 1, 0, 3, 1, 2, 0, 0, 0, 0]
DAT_DAI = n(1, 3, 2, 1)  # [4, 1, 3, 0, 3, 2, 1, 0, 1, 1, 0]


def test_communes_under_a_district_a_department_and_on_their_own(tmp_path, units, communes):
    total = [16, 10, 6, 0, 13, 7, 6, 0, 3, 3, 0]  # A + Tú Lý + Đất đai + Tú Lý + B + B
    body = [
        [1, "Sở Tư pháp", *EMPTY],  # row 6
        ["-", "Xã Tú Lý", *A],  # a department's area named like a commune: only its area
        [2, "Huyện Đà Bắc", *EMPTY],  # row 8
        ["2.1", "Xã Tú Lý", *TU_LY],  # a commune of Đà Bắc, and its area of work
        ["2.2", "Đất đai", *DAT_DAI],
        [None, "Cao Sơn", *TU_LY],  # row 11: Đà Bắc's Cao Sơn (Lương Sơn has one too)
        [None, "Tổng cộng", *total],  # row 12
        [None, "Xã Cao Sơn", *B],  # row 13: outside any block, two districts have one: an error
        [None, "Xã Tú Lýy", *B],  # row 14: no such commune: an error with the closest names
    ]
    path = form(tmp_path / "c.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    # the total agrees: the communes in error are counted in it too
    assert shown(loaded) == [
        f"error: {path}, row 13, column B (2), value 'Xã Cao Sơn': ambiguous commune name: "
        "Xã Cao Sơn (Huyện Đà Bắc); Xã Cao Sơn (Huyện Lương Sơn); give the district to tell "
        "them apart",
        f"error: {path}, row 14, column B (2), value 'Xã Tú Lýy': unknown commune; closest: "
        "Xã Tú Lý (Huyện Đà Bắc), Xã Sơn Thủy (Huyện Mai Châu)",
    ]
    # STP = A; DABAC = Tú Lý + Đất đai + Cao Sơn: total (4)+(5) = 3 + 4 + 3, online 2 + 1 + 2,
    # resolved 3 + 3 + 3, on time (1+2) + (2+1) + (1+2)
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0), "DABAC": (10, 5, 9, 9, 0)}
    got = loaded.communes[["ward_code", "unit_code", "total", "source_row"]]
    assert got.values.tolist() == [[4867, "DABAC", 3, 9], [4876, "DABAC", 3, 11]]


def test_district_headings_in_the_commune_section_are_checked_against_their_communes(
    tmp_path, units, communes
):
    section = [7, 5, 2, 0, 6, 3, 3, 0, 1, 1, 0]  # Tú Lý + B + A (the unknown commune's too)
    body = [
        ["III", "Xã, phường, thị trấn", *section],  # row 6
        [None, "Huyện Lương Sơn", 3, 1, 2, 0, 3, 1, 2, 0, 0, 0, 0],  # row 7: (4) 1, (5) 2
        [1, "Cao Sơn", *TU_LY],  # Lương Sơn's: (4) 2, (5) 1
        [None, "Huyện Đà Bắc", *EMPTY],  # row 9: empty: not checked
        [1, "Cao Sơn", *B],  # row 10: Đà Bắc's
        [2, "Không Có", *A],  # row 11: no such commune
        [None, "Tổng cộng", *section],
    ]
    path = form(tmp_path / "h.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    what = "the row of LUONGSON's communes says"
    assert shown(loaded) == [
        f"error: {path}, row 7, column D (4), value '1': {what} (4) = 1 but its 1 row(s) sum to 2",
        f"error: {path}, row 7, column E (5), value '2': {what} (5) = 2 but its 1 row(s) sum to 1",
        f"error: {path}, row 11, column B (2), value 'Không Có': unknown commune",
    ]
    assert loaded.frame.empty  # the headings are not the districts' counts
    got = loaded.communes[["ward_code", "unit_code", "total", "source_row"]]
    assert got.values.tolist() == [[4957, "LUONGSON", 3, 8], [4876, "DABAC", 2, 10]]


def test_without_groups_a_district_is_a_unit_the_commune_list_knows(tmp_path, units, communes):
    body = [
        [1, "Sở Tư pháp", *EMPTY],  # row 6
        ["-", "Xã Tú Lý", *A],  # a department's area, not a commune
        [2, "Huyện Đà Bắc", *EMPTY],  # row 8
        ["2.1", "Xã Tú Lý", *TU_LY],  # row 9: a district's commune
    ]
    path = form(tmp_path / "g.xlsx", body)
    loaded = forms.read_form(path, units, communes, groups={})
    assert shown(loaded) == []
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0), "DABAC": (3, 2, 3, 3, 0)}
    assert loaded.communes[["ward_code", "source_row"]].values.tolist() == [[4867, 9]]


def test_without_groups_an_unknown_row_of_the_commune_section_is_an_unknown_commune(
    tmp_path, units, communes
):
    body = [["III", "Xã, phường, thị trấn", *A], [1, "Qqq", *A]]  # rows 6, 7
    path = form(tmp_path / "g.xlsx", body)
    loaded = forms.read_form(path, units, communes, groups={})
    assert shown(loaded) == [f"error: {path}, row 7, column B (2), value 'Qqq': unknown commune"]


def test_a_districts_communes_are_found_within_it(tmp_path, units, communes):
    body = [
        [1, "Huyện Lương Sơn", *EMPTY],  # row 6
        ["1.1", "Cao Sơn", *A],  # Lương Sơn's (Đà Bắc has one too)
        [2, "Lâm Sơn", *B],  # row 8
        ["-", "Xã Tú Lý", *A],  # row 9: named a commune, but Đà Bắc's: an error
    ]
    path = form(tmp_path / "l.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == [
        f"error: {path}, row 9, column B (2), value 'Xã Tú Lý': no commune of that name in "
        "LUONGSON; there is Xã Tú Lý (Huyện Đà Bắc)"
    ]
    # A + B + A (the row in error still counts as Lương Sơn's area)
    assert counts(loaded.frame) == {"LUONGSON": (6, 4, 5, 5, 0)}
    got = loaded.communes[["ward_code", "unit_code", "source_row"]].values.tolist()
    assert got == [[4957, "LUONGSON", 7], [4942, "LUONGSON", 8]]
    by_default = forms.read_form(path, units)  # the bundled commune list
    assert shown(by_default) == shown(loaded)
    pd.testing.assert_frame_equal(by_default.communes, loaded.communes)


def test_a_departments_own_form_with_a_commune_section(tmp_path, units, communes):
    body = [["II", "Cấp xã", *TU_LY], [1, "Xã Tú Lý", *TU_LY]]  # rows 7, 8
    path = form(tmp_path / "o.xlsx", body, title=(JUNE, "Đơn vị báo cáo: Sở Tư pháp"))
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == []
    assert counts(loaded.frame) == {"STP": (3, 2, 3, 3, 0)}
    assert loaded.communes[["ward_code", "source_row"]].values.tolist() == [[4867, 8]]


def test_groups_decide_which_units_a_section_admits(tmp_path, units, communes):
    body = [["II", "Huyện, thị xã, thành phố", *A], [1, "Sở Tư pháp", *A]]  # rows 6, 7
    path = form(tmp_path / "g.xlsx", body)
    assert [p.row for p in forms.read_form(path, units, communes).problems] == [7]  # unknown
    loaded = forms.read_form(path, units, communes, groups={"STP": "district"})
    assert shown(loaded) == []
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0)}


# --- a unit's own form ---------------------------------------------------------------------------

OWN = ("Đơn vị báo cáo: UBND huyện Đà Bắc",)


def test_a_units_own_form_with_sections_checks_each_against_its_own_rows(tmp_path, units, communes):
    body = [
        ["I", "Cấp huyện", 4, 2, 2, 0, 3, 2, 1, 0, 1, 1, 0],  # row 7: A + B has (4) 3, (5) 1
        [1, "Xây dựng", *A],
        [2, "Tư pháp", *B],
        ["II", "Cấp xã", *TU_LY],  # row 10
        [1, "Cao Sơn", *TU_LY],  # row 11: Đà Bắc's own commune
        [None, "Cộng", 3, 2, 1, 0, 3, 2, 1, 0, 0, 0, 0],  # row 12: (8) 2, (9) 1; Tú Lý's 1, 2
        [None, "Tổng cộng", 7, 5, 2, 0, 6, 3, 3, 0, 1, 1, 0],  # A + B + Tú Lý
    ]
    path = form(tmp_path / "own.xlsx", body, title=(JUNE, *OWN))  # the body starts at row 7
    loaded = forms.read_form(path, units, communes)
    section = "the section row 'Cấp huyện' says"
    assert shown(loaded) == [
        f"error: {path}, row 7, column D (4), value '2': {section} (4) = 2 but its 2 row(s) sum "
        "to 3",
        f"error: {path}, row 7, column E (5), value '2': {section} (5) = 2 but its 2 row(s) sum "
        "to 1",
        f"error: {path}, row 12, column H (8), value '2': the subtotal row says (8) = 2 but its "
        "1 row(s) sum to 1",
        f"error: {path}, row 12, column I (9), value '1': the subtotal row says (9) = 1 but its "
        "1 row(s) sum to 2",
    ]
    # every row is Đà Bắc's: total (4)+(5) = 2 + 3 + 2 = 7, online 1 + 2 + 2, resolved 2+1+3,
    # on time 2 + 1 + 3; its first row is row 8, and it is named by its code
    assert counts(loaded.frame) == {"DABAC": (7, 5, 6, 6, 0)}
    assert list(loaded.frame["source_row"]) == [8]
    assert list(loaded.frame["source_unit"]) == ["DABAC"]
    got = loaded.communes[["ward_code", "unit_code", "total", "source_row"]]
    assert got.values.tolist() == [[4876, "DABAC", 3, 11]]


def test_the_reporting_unit_given_overrides_the_title(tmp_path, units, communes):
    body = [[1, "Xây dựng", *A], [2, "Tư pháp", *B]]  # rows 7, 8
    path = form(tmp_path / "own.xlsx", body, title=(JUNE, "Đơn vị báo cáo: Sở Y tế"))
    loaded = forms.read_form(path, units, communes, unit="Đà Bắc")
    assert shown(loaded) == []
    assert counts(loaded.frame) == {"DABAC": (4, 3, 3, 3, 0)}  # A + B
    # an unknown one is an error, and the title is not asked instead: the rows are units
    loaded = forms.read_form(path, units, communes, unit="Không Có")
    assert shown(loaded) == [f"error: {path}, value 'Không Có': unknown reporting unit"]
    assert counts(loaded.frame) == {"SXD": (2, 1, 2, 2, 0), "STP": (2, 2, 1, 1, 0)}


def test_a_units_own_form_without_rows_has_no_figures(tmp_path, units, communes):
    path = form(tmp_path / "own.xlsx", [[None, "Tổng cộng", *A]], title=(JUNE, *OWN))  # row 7
    loaded = forms.read_form(path, units, communes)
    # the unit's figures are all 0: each filled cell of the total differs
    said = {"C (3)": 2, "D (4)": 1, "E (5)": 1, "G (7)": 2, "H (8)": 1, "I (9)": 1}
    assert shown(loaded) == [
        f"error: {path}, row 7, column {col}, value '{v}': the total row says {col[2:]} = {v} "
        "but its 1 row(s) sum to 0"
        for col, v in said.items()
    ] + [f"warning: {path}, value 'DABAC': DABAC has no figures"]
    assert loaded.frame.empty
    assert loaded.files == [SourceFile("own.xlsx", str(path), 0, sha256(path), "B (2)")]


def test_a_unit_row_without_figures_is_a_warning(tmp_path, units, communes):
    path = form(tmp_path / "e.xlsx", [[1, "1. Sở Tư pháp", *EMPTY]])  # row 6
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == [f"warning: {path}, row 6, value 'Sở Tư pháp': STP has no figures"]
    assert loaded.frame.empty


# --- read_form: files that are no form, cells that are no number, sheets, periods -----------------


def test_an_empty_file_and_a_file_that_is_no_form(tmp_path, units, communes):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    loaded = forms.read_form(empty, units, communes)
    assert shown(loaded) == [f"error: {empty}: the file is empty"]
    assert loaded.frame.empty and loaded.communes.empty and loaded.files == []
    other = write_csv(tmp_path / "c.csv", [["unit", "month", "total"], ["STP", "2022-06", 5]])
    loaded = forms.read_form(other, units, communes)
    assert shown(loaded) == [
        f"error: {other}, row 1: not a Biểu số 06/VPCP/KSTT: no row of column numbers (1) … "
        "(13) and no header 'STT', 'Lĩnh vực, công việc giải quyết theo cấp' in the first 30 "
        "rows"
    ]
    assert loaded.frame.empty and loaded.files == []


def test_a_form_without_a_period_reports_its_rows_too_but_counts_nothing(tmp_path, units, communes):
    body = [[1, "Sở Tư phap", *A], [2, "Sở Y tế", *B]]  # rows 6, 7
    path = form(tmp_path / "p.xlsx", body, title=("Báo cáo",))
    loaded = forms.read_form(path, units, communes)
    unknown = (
        f"error: {path}, row 6, column B (2), value 'Sở Tư phap': unknown unit; closest: STP "
        "(a unit's own form names it in the title: 'Đơn vị báo cáo: …')"
    )
    assert shown(loaded) == [
        f"error: {path}: no period: the title has no 'Từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy' "
        "(give the month with --form-period YYYY-MM)",
        unknown,
    ]
    assert loaded.frame.empty and loaded.files == []
    for period in ("2022-05", "2022-05-20", pd.Period("2022-05-20", "D")):  # May, or a day of it
        stated = forms.read_form(path, units, communes, period=period)
        assert shown(stated) == [unknown]
        assert [str(m) for m in stated.frame["month"]] == ["2022-05"]
    # a day of the title's month is that month
    june = form(tmp_path / "j.xlsx", [[1, "Sở Y tế", *B]])
    assert shown(forms.read_form(june, units, communes, period="2022-06-15")) == []


def test_a_cell_that_is_no_number_and_a_row_that_does_not_add_up(tmp_path, units, communes):
    body = [[1, "Sở Tư pháp", 5, "abc", 3, 0, 3, 1, 2, 0, 2, 2, 0]]  # row 6
    path = form(tmp_path / "n.xlsx", body, shift=1)
    loaded = forms.read_form(path, units, communes)
    # "abc" reads as 0: (4) + (5) + (6) = 0 + 3 + 0 = 3, not 5
    assert shown(loaded) == [
        f"error: {path}, row 6, column E (4), value 'abc': not a number of dossiers",
        f"error: {path}, row 6, column D (3), value '5': (3) is 5 but (4) + (5) + (6) = 3",
    ]
    assert counts(loaded.frame) == {"STP": (3, 0, 3, 3, 0)}


def test_the_sheet_named_is_read(tmp_path, units, communes):
    rows = [[TITLE], [JUNE], HEADER_1, HEADER_2, NUMBERS_ROW, [1, "Sở Y tế", *B]]
    path = write_workbook(tmp_path / "s.xlsx", {"Ghi chú": [["Số liệu tháng 6"]], "Biểu": rows})
    loaded = forms.read_form(path, units, communes, sheet="Biểu")
    assert shown(loaded) == []
    assert counts(loaded.frame) == {"SYT": (2, 2, 1, 1, 0)}
    assert "not a Biểu số 06" in shown(forms.read_form(path, units, communes))[0]


def test_a_semicolon_csv_form_with_lines_of_one_cell(tmp_path, units, communes):
    rows = [[TITLE], [JUNE], HEADER_1, HEADER_2, NUMBERS_ROW]
    rows += [["Các sở"], [1, "Sở Tư pháp", *A], ["Người lập biểu"]]  # rows 6, 7, 8
    path = write_csv(tmp_path / "f.csv", rows, delimiter=";")
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == []
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0)}
    assert loaded.files == [SourceFile("f.csv", str(path), 1, sha256(path), "B (2)")]


# --- several forms at once -------------------------------------------------------------------------


def test_read_forms_gathers_every_files_counts_problems_and_communes(tmp_path, units):
    first = form(tmp_path / "a.xlsx", [[1, "Xã Tú Lý", *TU_LY], [2, "Sở Y tế", *Y_TE]])
    rows = [[TITLE], [JUNE], HEADER_1, HEADER_2, NUMBERS_ROW]
    rows += [[1, "Xã Cao Sơn", *B], [2, "Sở Tư phap", *A], [3, "Sở Tư pháp", *A]]
    second = write_csv(tmp_path / "b.csv", rows)
    # no commune list and no groups given: the bundled ones
    loaded = forms.read_forms([first, second], units)
    assert shown(loaded) == [
        f"error: {second}, row 6, column B (2), value 'Xã Cao Sơn': ambiguous commune name: "
        "Xã Cao Sơn (Huyện Đà Bắc); Xã Cao Sơn (Huyện Lương Sơn); give the district to tell "
        "them apart",
        f"error: {second}, row 7, column B (2), value 'Sở Tư phap': unknown unit; closest: STP "
        "(a unit's own form names it in the title: 'Đơn vị báo cáo: …')",
    ]
    # SYT: (4)+(5) = 2 + 5, its 2 carried over not counted unless asked
    assert counts(loaded.frame) == {"SYT": (7, 2, 7, 7, 0), "STP": (2, 1, 2, 2, 0)}
    assert list(loaded.frame.index) == [0, 1]
    assert list(loaded.frame["source_file"]) == [str(first), str(second)]
    assert loaded.communes[["ward_code", "source_row"]].values.tolist() == [[4867, 6]]
    assert list(loaded.communes.index) == [0]
    assert loaded.files == [
        SourceFile("a.xlsx", str(first), 2, sha256(first), "B (2)"),
        SourceFile("b.csv", str(second), 1, sha256(second), "B (2)"),
    ]
    again = forms.read_forms([second, first], units, include_carried_over=True)
    assert shown(again) == shown(loaded)  # the problems of every file, not the last one's
    assert counts(again.frame) == {"STP": (2, 1, 2, 2, 0), "SYT": (9, 2, 7, 7, 0)}
    assert list(again.frame.index) == [0, 1]
    both = forms.read_forms([first, first], units)
    assert list(both.communes.index) == [0, 1]


def test_read_forms_passes_on_the_communes_groups_period_and_sheet_given(tmp_path, units):
    rows = [[TITLE], ["Báo cáo"], HEADER_1, HEADER_2, NUMBERS_ROW]
    rows += [["II", "Huyện, thị xã, thành phố", *A], [1, "Sở Tư pháp", *A]]  # rows 6, 7
    rows += [["III", "Xã, phường, thị trấn", *TU_LY], [1, "Xã Lâm Sơn", *TU_LY]]  # rows 8, 9
    path = write_workbook(tmp_path / "f.xlsx", {"Ghi chú": [["Tháng 6"]], "Biểu": rows})
    listed = load_communes()
    da_bac = CommuneResolver.from_communes(listed[listed["unit_code"] == "DABAC"], units)
    loaded = forms.read_forms(
        [path], units, da_bac, period="2022-05", sheet="Biểu", groups={"STP": "district"}
    )
    # Lâm Sơn is Lương Sơn's, not in the list given; STP is a district by the groups given
    assert shown(loaded) == [
        f"error: {path}, row 9, column B (2), value 'Xã Lâm Sơn': unknown commune; closest: "
        "Xã Cao Sơn (Huyện Đà Bắc), Xã Toàn Sơn (Huyện Đà Bắc)"
    ]
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0)}
    assert [str(m) for m in loaded.frame["month"]] == ["2022-05"]
    assert loaded.communes.empty
    one = forms.read_form(
        path, units, da_bac, period="2022-05", sheet="Biểu", groups={"STP": "district"}
    )
    assert shown(one) == shown(loaded)


def test_read_forms_of_no_file_is_empty(units):
    from kpi_utils.sources.communes import commune_counts_frame
    from kpi_utils.sources.inputs import counts_frame

    loaded = forms.read_forms([], units)
    pd.testing.assert_frame_equal(loaded.frame, counts_frame([]))
    pd.testing.assert_frame_equal(loaded.communes, commune_counts_frame([]))
    assert loaded.problems == [] and loaded.files == []


# --- telling a form from other files ----------------------------------------------------------------


def _form_rows():
    return [[TITLE], [JUNE], HEADER_1, HEADER_2, NUMBERS_ROW, [1, "Sở Tư pháp", *A]]


def test_looks_like_form_on_workbooks_and_their_sheets(tmp_path):
    path = write_workbook(tmp_path / "f.xlsx", {"Ghi chú": [["Tháng 6"]], "Biểu": _form_rows()})
    assert forms.looks_like_form(path, "Biểu")
    assert not forms.looks_like_form(path)  # the first sheet is not the form
    assert not forms.looks_like_form(path, "Không có")
    # a workbook whatever its name: known by its zip signature
    other = tmp_path / "bieu06.dat"
    other.write_bytes(path.read_bytes())
    assert forms.looks_like_form(other, "Biểu")
    assert not forms.looks_like_form(other)
    upper = tmp_path / "F.XLSX"
    upper.write_bytes(path.read_bytes())
    assert forms.looks_like_form(upper, "Biểu")


def test_a_form_workbook_named_otherwise_is_a_form(tmp_path, units):
    """`read_form` reads a workbook by its content whatever its name (a download saved without
    its extension): `check` must recognise it as a form too."""
    path = tmp_path / "bieu06"
    path.write_bytes(write_workbook(tmp_path / "f.xlsx", {"S": _form_rows()}).read_bytes())
    assert forms.looks_like_form(path)
    assert counts(forms.read_form(path, units).frame) == {"STP": (2, 1, 2, 2, 0)}


def test_looks_like_form_on_text_and_files_that_cannot_be_forms(tmp_path):
    from conftest import csv_text

    text = csv_text(_form_rows()).encode("utf-8")
    csv = tmp_path / "f.csv"
    csv.write_bytes(text)
    assert forms.looks_like_form(csv)
    for name, data in (
        ("f.parquet", text),  # named Parquet: never a form
        ("p.csv", b"PAR1" + text),  # Parquet's signature: never a form
        ("x.xlsx", text),  # named a workbook, but no zip: not readable as one
        ("e.csv", b""),  # empty: not readable
    ):
        (tmp_path / name).write_bytes(data)
        assert not forms.looks_like_form(tmp_path / name), name
    assert not forms.looks_like_form(tmp_path / "missing.csv")
    assert not forms.looks_like_form(tmp_path)  # a folder


def _patched(path, sheet_xml):
    """The workbook at `path` with its first sheet's XML passed through `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            data = source.read(item)
            if item == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


def test_looks_like_form_reads_the_saved_values_of_formulas(tmp_path):
    # the column numbers as formulas ="(1)" … with the values Excel saved: "(1)" …
    rows = [[TITLE], [f'="({k})"' for k in range(1, 14)], [1, "Sở Tư pháp", *A]]
    path = write_workbook(tmp_path / "f.xlsx", {"S": rows})

    def saved(xml):
        for k in range(1, 14):
            xml = xml.replace(f'"><f>"({k})"</f><v></v>', f'" t="str"><f>"({k})"</f><v>({k})</v>')
        return xml

    assert not forms.looks_like_form(path)  # no values saved: no column numbers
    assert forms.looks_like_form(_patched(path, saved))


def test_looks_like_form_finds_the_column_numbers_in_the_first_30_rows_only(tmp_path):
    def at(row):
        rows = [[TITLE]] + [[None]] * (row - 2) + [NUMBERS_ROW, [1, "Sở Tư pháp", *A]]
        return write_workbook(tmp_path / f"r{row}.xlsx", {"S": rows})

    assert forms.looks_like_form(at(30))
    assert not forms.looks_like_form(at(31))


def test_looks_like_form_reads_only_the_head_of_a_workbook(tmp_path):
    rows = [*_form_rows(), *([[2, "Sở Y tế", *B]] * 40)]
    path = write_workbook(tmp_path / "f.xlsx", {"S": rows})
    # a damaged cell in row 40, far below the header: never read
    damaged = _patched(
        path, lambda xml: xml.replace('<c r="C40" t="n"><v>2</v>', '<c r="C40" t="n"><v>x</v>')
    )
    assert forms.looks_like_form(damaged)


def test_a_unit_row_and_an_area_row_checked_against_their_rows(tmp_path, units, communes):
    body = [
        [1, "Sở Tư pháp", *A],  # row 6: its one area is B
        [1, "Hộ tịch", *B],  # row 7: its one part is A
        ["1.1", "Khai sinh", *A],
    ]
    path = form(tmp_path / "u.xlsx", body)
    loaded = forms.read_form(path, units, communes)
    # A = [2, 1, 1, 0, 2, 1, 1, 0, 0, 0, 0] and B = [2, 2, 0, 0, 1, 1, 0, 0, 1, 1, 0] differ in
    # (4), (5), (7), (9), (11), (12)
    differ = (("D", 4), ("E", 5), ("G", 7), ("I", 9), ("K", 11), ("L", 12))
    a = dict(zip(range(3, 14), A, strict=True))
    b = dict(zip(range(3, 14), B, strict=True))
    assert shown(loaded) == [
        f"error: {path}, row 6, column {c} ({k}), value '{a[k]}': the row of STP says ({k}) = "
        f"{a[k]} but its 1 row(s) sum to {b[k]}"
        for c, k in differ
    ] + [
        f"error: {path}, row 7, column {c} ({k}), value '{b[k]}': the row 'Hộ tịch' says ({k}) = "
        f"{b[k]} but its 1 row(s) sum to {a[k]}"
        for c, k in differ
    ]
    assert counts(loaded.frame) == {"STP": (2, 1, 2, 2, 0)}  # its own row


def test_header_problems_name_the_file(tmp_path, units, communes):
    swapped = list(HEADER_2)
    swapped[3], swapped[4] = swapped[4], swapped[3]  # "Trực tiếp" over (4), "Trực tuyến" over (5)
    rows = [[TITLE], [JUNE], HEADER_1, swapped, NUMBERS_ROW, [1, "Sở Y tế", *B]]
    path = write_workbook(tmp_path / "x.xlsx", {"S": rows})
    loaded = forms.read_form(path, units, communes)
    assert [(p.file, p.row, p.column) for p in loaded.problems] == [
        (str(path), 4, "D"),
        (str(path), 4, "E"),
    ]


def test_an_unknown_reporting_unit_in_the_title_is_an_error_naming_its_place(
    tmp_path, units, communes
):
    path = form(tmp_path / "q.xlsx", [[1, "Xây dựng", *A]], title=(JUNE, "Đơn vị báo cáo: Qqq"))
    loaded = forms.read_form(path, units, communes)
    assert shown(loaded) == [f"error: {path}, row 3, value 'Qqq': unknown reporting unit"]
