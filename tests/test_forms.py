"""Biểu số 06/VPCP/KSTT workbooks, built the way units fill them, read to counts worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_utils.common.registry import load_registry
from kpi_utils.metrics.kpi import kpi_table
from kpi_utils.sources import forms

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
HEADER_1 = [
    "STT",
    "Lĩnh vực, công việc giải quyết theo cấp",
    "Số hồ sơ nhận giải quyết",
    None,
    None,
    None,
    "Số hồ sơ đã giải quyết",
    None,
    None,
    None,
    "Số hồ sơ đang giải quyết",
    None,
    None,
]
HEADER_2 = [
    None,
    None,
    "Tổng số",
    "Trong đó: Trực tuyến",
    "Trực tiếp, dịch vụ bưu chính",
    "Từ kỳ trước",
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
]
NUMBERS_ROW = [f"({n})" for n in range(1, 14)]
HEADER_MERGES = ["A2:M2", "A3:M3", "A5:A6", "B5:B6", "C5:F5", "G5:J5", "K5:M5"]

# Columns (3) .. (13) of each row, written out by hand. Leaves first, then the sums worked out
# from them (each sum also satisfies (3) = (4)+(5)+(6), (7) = (8)+(9)+(10), (11) = (12)+(13)
# and (3) = (7)+(11)).
#                (3)  (4)  (5)  (6)  (7)  (8)  (9) (10) (11) (12) (13)
HO_TICH = [85, 30, 50, 5, 77, 40, 35, 2, 8, 7, 1]
CHUNG_THUC = [30, 10, 20, 0, 29, 15, 14, 0, 1, 1, 0]
STP = [115, 40, 70, 5, 106, 55, 49, 2, 9, 8, 1]  # Hộ tịch + Chứng thực
GDDT = [16, 12, 3, 1, 15, 10, 4, 1, 1, 1, 0]
VAN_BANG = [8, 6, 2, 0, 8, 5, 3, 0, 0, 0, 0]
SXD = [54, 20, 30, 4, 48, 25, 20, 3, 6, 5, 1]
DEPARTMENTS = [193, 78, 105, 10, 177, 95, 76, 6, 16, 14, 2]  # STP + (GDDT + VAN_BANG) + SXD
CAO_PHONG = [170, 100, 60, 10, 155, 90, 60, 5, 15, 14, 1]
DAT_DAI = [66, 20, 40, 6, 59, 30, 25, 4, 7, 5, 2]
CAO_SON = [12, 9, 3, 0, 12, 8, 4, 0, 0, 0, 0]
DISTRICTS = [248, 129, 103, 16, 226, 128, 89, 9, 22, 19, 3]  # CAO_PHONG + DAT_DAI + CAO_SON
TAN_HOA = [20, 15, 5, 0, 20, 12, 8, 0, 0, 0, 0]
TT_MAI_CHAU = [11, 4, 6, 1, 10, 5, 4, 1, 1, 1, 0]
COMMUNES = [31, 19, 11, 1, 30, 17, 12, 1, 1, 1, 0]  # TAN_HOA + TT_MAI_CHAU
TOTAL = [472, 226, 219, 27, 433, 240, 177, 16, 39, 34, 5]  # DEPARTMENTS + DISTRICTS + COMMUNES
EMPTY = [None] * 11


def province_form(path, total=TOTAL, period="Từ ngày 01/06/2022 đến ngày 30/06/2022", body=None):
    """A province compilation as the one-stop office fills it: three sections, sub-rows, totals."""
    rows = [
        ["UBND TỈNH HÒA BÌNH", None, None, None, None, None, None, None, None, None, "Biểu số 06"],
        [TITLE],
        [f"({period})"],
        [None] * 11 + ["Đơn vị tính: Số hồ sơ TTHC"],
        HEADER_1,
        HEADER_2,
        NUMBERS_ROW,
        ["TỔNG CỘNG", None, *total],  # row 8, label merged across (1) and (2)
        *(
            body
            or [
                ["I", "Sở ban ngành", *DEPARTMENTS],  # row 9
                [1, "Sở Tư pháp", *STP],  # row 10
                ["1.1", "Hộ tịch", *HO_TICH],
                ["1.2", "Chứng thực", *CHUNG_THUC],
                [2, "Sở GD&ĐT", *EMPTY],  # row 13: empty, its areas give its counts
                ["-", "Giáo dục và Đào tạo", *GDDT],  # an area named like its own unit
                ["-", "Văn bằng, chứng chỉ", *VAN_BANG],
                [3, "Sở Xây dựng", *SXD],  # row 16
                ["II", "Huyện, thị xã, thành phố", *DISTRICTS],  # row 17
                [1, "UBND huyện Cao Phong", *CAO_PHONG],  # row 18
                [2, "Huyện Đà Bắc", *EMPTY],  # row 19
                ["2.1", "Đất đai", *DAT_DAI],
                ["2.2", "Xã Cao Sơn", *CAO_SON],  # row 21: the Cao Sơn of Đà Bắc, not Lương Sơn's
                ["III", "Xã, phường, thị trấn", *COMMUNES],  # row 22
                [1, "Phường Tân Hòa", *TAN_HOA],
                [2, "Thị trấn Mai Châu", *TT_MAI_CHAU],  # a commune, not the district
            ]
        ),
        [],
        [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, "(Ký, ghi rõ họ tên)"],
    ]
    return write_workbook(path, {"Biểu 06": rows}, merges={"Biểu 06": [*HEADER_MERGES, "A8:B8"]})


def read(path, units, communes, **kw):
    return forms.read_form(path, units, communes, **kw)


def messages(loaded):
    return [str(p) for p in loaded.problems]


def test_province_form_reads_to_hand_worked_counts(tmp_path, units, communes):
    loaded = read(province_form(tmp_path / "bieu06.xlsx"), units, communes)
    assert messages(loaded) == []
    got = loaded.frame.set_index("unit_code")
    assert list(got.index) == ["STP", "SGDDT", "SXD", "CAOPHONG", "DABAC"]
    assert set(got["month"].astype(str)) == {"2022-06"}
    # total = (4)+(5); online = (4); resolved = (7); resolved_on_time = (8)+(9); overdue = (13)
    expected = {
        "STP": (110, 40, 106, 104, 1),
        "SGDDT": (23, 18, 23, 22, 0),
        "SXD": (50, 20, 48, 45, 1),
        "CAOPHONG": (160, 100, 155, 150, 1),
        "DABAC": (72, 29, 71, 67, 2),
    }
    for code, values in expected.items():
        row = got.loc[code]
        assert (
            row["total"],
            row["online"],
            row["resolved"],
            row["resolved_on_time"],
            row["pending_overdue"],
        ) == values, code
    assert got.loc["STP", "source_row"] == 10
    assert got.loc["SGDDT", "source_row"] == 13


def test_commune_rows_become_commune_counts(tmp_path, units, communes):
    loaded = read(province_form(tmp_path / "bieu06.xlsx"), units, communes)
    got = loaded.communes.set_index("ward_code")
    # 4876 is Xã Cao Sơn of Đà Bắc (Lương Sơn's is 4957); 5200 is Thị trấn Mai Châu.
    assert list(got.index) == [4876, 4792, 5200]
    assert list(got["unit_code"]) == ["DABAC", "TPHB", "MAICHAU"]
    assert list(got["total"]) == [12, 20, 10]
    assert list(got["online"]) == [9, 15, 4]
    assert list(got["resolved_on_time"]) == [12, 20, 9]
    assert "MAICHAU" not in set(loaded.frame["unit_code"])


def test_carried_over_dossiers_are_counted_on_request(tmp_path, units, communes):
    loaded = read(
        province_form(tmp_path / "bieu06.xlsx"), units, communes, include_carried_over=True
    )
    got = loaded.frame.set_index("unit_code")["total"].to_dict()
    assert got == {"STP": 115, "SGDDT": 24, "SXD": 54, "CAOPHONG": 170, "DABAC": 78}


def test_total_row_that_disagrees_is_reported_with_both_figures(tmp_path, units, communes):
    wrong = list(TOTAL)
    wrong[1] = 230  # (4): the rows sum to 226
    wrong[0] = 476  # (3) moves with (4), so the row itself still adds up
    loaded = read(province_form(tmp_path / "bieu06.xlsx", total=wrong), units, communes)
    errors = [p for p in loaded.problems if p.is_error]
    by_column = {p.column: p for p in errors if "total row" in p.message}
    assert set(by_column) == {"C (3)", "D (4)"}
    assert by_column["D (4)"].row == 8
    assert "(4) = 230" in by_column["D (4)"].message
    assert "sum to 226" in by_column["D (4)"].message
    assert "sum to 472" in by_column["C (3)"].message
    # the total row is checked, never counted: the units' counts do not move
    assert loaded.frame["online"].sum() == 40 + 18 + 20 + 100 + 29


def test_section_and_unit_rows_are_checked_against_their_rows(tmp_path, units, communes):
    body = [
        ["I", "Sở ban ngành", 10, 5, 5, 0, 10, 5, 5, 0, 0, 0, 0],  # its one unit has 12 / 6
        [1, "Sở Tư pháp", 12, 6, 6, 0, 12, 6, 6, 0, 0, 0, 0],  # its areas sum to 12 / 7 online
        ["1.1", "Hộ tịch", 8, 4, 4, 0, 8, 4, 4, 0, 0, 0, 0],
        ["1.2", "Chứng thực", 4, 3, 1, 0, 4, 3, 1, 0, 0, 0, 0],
    ]
    total = [12, 6, 6, 0, 12, 6, 6, 0, 0, 0, 0]
    loaded = read(province_form(tmp_path / "f.xlsx", total=total, body=body), units, communes)
    found = {(p.row, p.column): p.message for p in loaded.problems if p.is_error}
    assert "sum to 12" in found[(9, "C (3)")] and "'Sở ban ngành'" in found[(9, "C (3)")]
    assert "(4) = 5" in found[(9, "D (4)")] and "sum to 6" in found[(9, "D (4)")]
    assert "STP" in found[(10, "D (4)")] and "(4) = 6" in found[(10, "D (4)")]
    assert "sum to 7" in found[(10, "D (4)")]
    assert "sum to 5" in found[(10, "E (5)")]
    assert (8, "C (3)") not in found  # the total agrees with the unit's own row


def test_row_that_does_not_add_up_is_an_error(tmp_path, units, communes):
    body = [[1, "Sở Tư pháp", 20, 6, 6, 0, 12, 6, 6, 0, 8, 8, 0]]  # (3) 20 but (4)+(5)+(6) = 12
    total = [20, 6, 6, 0, 12, 6, 6, 0, 8, 8, 0]
    loaded = read(province_form(tmp_path / "f.xlsx", total=total, body=body), units, communes)
    errors = [p for p in loaded.problems if p.is_error and p.row == 9]
    assert len(errors) == 1
    assert errors[0].column == "C (3)" and "(4) + (5) + (6) = 12" in errors[0].message


def test_unknown_unit_is_an_error_with_suggestions(tmp_path, units, communes):
    body = [[1, "Sở Tư phap", 12, 6, 6, 0, 12, 6, 6, 0, 0, 0, 0]]
    loaded = read(
        province_form(tmp_path / "f.xlsx", total=[12, 6, 6, 0, 12, 6, 6, 0, 0, 0, 0], body=body),
        units,
        communes,
    )
    (problem,) = [p for p in loaded.problems if p.is_error]
    assert problem.row == 9 and problem.column == "B (2)" and problem.value == "Sở Tư phap"
    assert "unknown unit" in problem.message and "STP" in problem.message


def test_period_that_is_not_one_month_needs_stating(tmp_path, units, communes):
    path = province_form(tmp_path / "q.xlsx", period="Từ ngày 01/04/2022 đến ngày 30/06/2022")
    loaded = read(path, units, communes)
    (problem,) = [p for p in loaded.problems if p.is_error]
    assert (
        "01/04/2022 – 30/06/2022" in problem.message and "not one calendar month" in problem.message
    )
    assert problem.row == 3  # the row of "(Từ ngày … đến ngày …)"
    assert loaded.frame.empty
    stated = read(path, units, communes, period="2022-06")
    assert not [p for p in stated.problems if p.is_error]
    assert [p.severity for p in stated.problems] == ["warning"]
    assert set(stated.frame["month"].astype(str)) == {"2022-06"}


def test_period_from_month_title_or_stated(tmp_path, units, communes):
    loaded = read(province_form(tmp_path / "m.xlsx", period="Tháng 5 năm 2022"), units, communes)
    assert set(loaded.frame["month"].astype(str)) == {"2022-05"}
    clash = read(tmp_path / "m.xlsx", units, communes, period="2022-06")
    assert any("title says 2022-05" in p.message for p in clash.problems if p.is_error)
    none = read(province_form(tmp_path / "n.xlsx", period="Kỳ báo cáo"), units, communes)
    assert any("no period" in p.message for p in none.problems)
    given = read(tmp_path / "n.xlsx", units, communes, period="2022-03")
    assert set(given.frame["month"].astype(str)) == {"2022-03"}


def test_a_units_own_form_sums_its_areas(tmp_path, units, communes):
    # Đà Bắc's own form: areas named like departments ("Xây dựng", "Tư pháp") stay its areas,
    # and "Cao Sơn" is its own commune.
    rows = [
        ["UBND HUYỆN ĐÀ BẮC"],
        [TITLE],
        ["Từ ngày 01/03/2022 đến ngày 31/03/2022"],
        ["Đơn vị báo cáo: UBND huyện Đà Bắc"],
        HEADER_1,
        HEADER_2,
        NUMBERS_ROW,
        ["I", "Cấp huyện", 30, 10, 20, 0, 30, 10, 20, 0, 0, 0, 0],
        [1, "Xây dựng", 10, 4, 6, 0, 10, 4, 6, 0, 0, 0, 0],
        [2, "Tư pháp", 20, 6, 14, 0, 20, 6, 14, 0, 0, 0, 0],
        ["II", "Cấp xã", 5, 5, 0, 0, 5, 5, 0, 0, 0, 0, 0],
        [1, "Cao Sơn", 5, 5, 0, 0, 5, 5, 0, 0, 0, 0, 0],
        [None, "Tổng cộng", 35, 15, 20, 0, 35, 15, 20, 0, 0, 0, 0],
    ]
    path = write_workbook(tmp_path / "dabac.xlsx", {"S": rows}, merges={"S": HEADER_MERGES})
    loaded = read(path, units, communes)
    assert messages(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["DABAC", 35, 15]]
    assert str(loaded.frame["month"].iloc[0]) == "2022-03"
    assert loaded.communes[["ward_code", "total"]].values.tolist() == [[4876, 5]]


def test_a_three_row_header_without_column_numbers(tmp_path, units, communes):
    rows = [
        [TITLE],
        ["Từ ngày 01/02/2022 đến ngày 28/02/2022"],
        HEADER_1,
        [
            None,
            None,
            "Tổng số",
            "Trong đó",
            None,
            None,
            "Tổng số",
            "Trong đó",
            None,
            None,
            "Tổng số",
            "Trong đó",
            None,
        ],
        [
            None,
            None,
            None,
            "Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "Từ kỳ trước",
            None,
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            None,
            "Trong hạn",
            "Quá hạn",
        ],
        [1, "Sở Y tế", 9, 4, 5, 0, 9, 2, 6, 1, 0, 0, 0],
    ]
    merges = ["A3:A5", "B3:B5", "C3:F3", "G3:J3", "K3:M3", "C4:C5", "D4:F4", "G4:G5", "H4:J4"]
    path = write_workbook(tmp_path / "three.xlsx", {"S": rows}, merges={"S": merges})
    loaded = read(path, units, communes)
    assert messages(loaded) == []
    got = loaded.frame.iloc[0]
    assert (got["unit_code"], got["total"], got["online"], got["resolved_on_time"]) == (
        "SYT",
        9,
        4,
        8,
    )


def test_header_that_contradicts_the_column_numbers(tmp_path, units, communes):
    swapped = list(HEADER_2)
    swapped[3], swapped[4] = swapped[4], swapped[3]  # "Trực tiếp" over (4), "Trực tuyến" over (5)
    rows = [[TITLE], ["Từ ngày 01/06/2022 đến ngày 30/06/2022"], HEADER_1, swapped, NUMBERS_ROW]
    rows.append([1, "Sở Y tế", 9, 4, 5, 0, 9, 2, 6, 1, 0, 0, 0])
    path = write_workbook(tmp_path / "x.xlsx", {"S": rows})
    columns = {p.column for p in read(path, units, communes).problems if p.is_error}
    assert columns == {"D", "E"}


def test_not_a_form(tmp_path, units, communes):
    path = write_workbook(tmp_path / "c.xlsx", {"S": [["unit", "month", "total", "online"]]})
    loaded = read(path, units, communes)
    assert "not a Biểu số 06" in loaded.problems[0].message
    assert not forms.looks_like_form(path)
    assert forms.looks_like_form(province_form(tmp_path / "f.xlsx"))


def test_kpi_table_takes_form_counts_and_ignores_the_extra_columns(tmp_path, units, communes):
    counts = read(province_form(tmp_path / "f.xlsx"), units, communes).frame
    registry = load_registry()
    targets = pd.DataFrame(
        {
            "unit_code": list(registry["unit_code"]),
            "year": pd.array([2022] * len(registry), dtype="Int64"),
            "eligible_procedures": pd.array([1] * len(registry), dtype="Int64"),
            "target_rate": [0.55] * len(registry),
        }
    )
    with_extra = kpi_table(counts, targets, registry, "2022-06")
    plain = kpi_table(
        counts[["unit_code", "month", "total", "online"]], targets, registry, "2022-06"
    )
    pd.testing.assert_frame_equal(with_extra, plain)
    stp = with_extra.set_index("unit_code").loc["STP"]
    assert (stp["ytd_total"], stp["ytd_online"], stp["shortfall"]) == (110, 40, 21)  # 60.5 -> 61


# --- through the pipeline and the command line ------------------------------------------------


def test_load_inputs_with_forms_alone(tmp_path):
    from kpi_utils.metrics.pipeline import load_inputs

    inputs = load_inputs(forms=[province_form(tmp_path / "f.xlsx")])
    assert not inputs.is_sample
    assert not [p for p in inputs.problems if p.is_error]
    assert inputs.counts.set_index("unit_code")["total"].to_dict() == {
        "STP": 110,
        "SGDDT": 23,
        "SXD": 50,
        "CAOPHONG": 160,
        "DABAC": 72,
    }
    assert list(inputs.commune_counts["ward_code"]) == [4876, 4792, 5200]


def test_form_and_counts_for_the_same_unit_and_month_are_duplicates(tmp_path):
    from conftest import write_csv

    from kpi_utils.metrics.pipeline import load_inputs

    counts = write_csv(
        tmp_path / "c.csv", [["unit", "month", "total", "online"], ["Sở Tư pháp", "2022-06", 5, 1]]
    )
    inputs = load_inputs(counts=[counts], forms=[province_form(tmp_path / "f.xlsx")])
    (dup,) = [p for p in inputs.problems if p.is_error]
    assert "STP 2022-06 appears more than once" in dup.message


def test_cli_check_detects_a_form_and_reports_the_total(tmp_path, capsys):
    from kpi_utils.cli import main

    wrong = list(TOTAL)
    wrong[1], wrong[0] = 230, 476
    path = province_form(tmp_path / "bieu06.xlsx", total=wrong)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "row 8, column D (4), value '230': the total row says (4) = 230" in out
    assert "sum to 226" in out


def test_cli_table_and_ingest_take_forms(tmp_path, capsys):
    from kpi_utils.cli import main

    path = province_form(tmp_path / "bieu06.xlsx", period="Từ ngày 01/04/2022 đến ngày 30/06/2022")
    assert main(["table", "--month", "2022-06", "--form", str(path)]) == 1  # not one month
    capsys.readouterr()
    args = ["--form", str(path), "--form-period", "2022-06"]
    assert main(["table", "--month", "2022-06", *args]) == 0
    table = capsys.readouterr().out.splitlines()
    stp = next(line for line in table if line.startswith("STP,"))
    assert ",2022-06,110,40," in stp
    assert main(["ingest", *args, "--include-carried-over"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "unit_code,month,total,online,resolved,resolved_on_time,pending_overdue"
    assert "STP,2022-06,115,40,106,104,1" in lines


def test_counts_csv_keeps_on_time_when_resolved_exceeds_the_period(tmp_path, units):
    from kpi_utils.sources.inputs import counts_frame, read_counts

    frame = counts_frame(
        [
            {
                "unit_code": "STP",
                "month": pd.Period("2022-06", "M"),
                "total": 10,
                "online": 4,
                "resolved": 12,  # 2 carried-over dossiers resolved too
                "resolved_on_time": 11,
                "source_file": "f",
                "source_row": 9,
                "source_unit": "Sở Tư pháp",
            }
        ]
    )
    text = forms.counts_csv(frame)
    assert text == (
        "unit_code,month,total,online,resolved,resolved_on_time,pending_overdue\n"
        "STP,2022-06,10,4,12,11,\n"
    )
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    loaded = read_counts([path], units)
    assert loaded.problems == []
    assert loaded.frame[["resolved", "resolved_on_time"]].values.tolist() == [[12, 11]]


def test_a_signing_date_in_the_title_is_not_the_period(tmp_path, units, communes):
    rows = [
        ["UBND HUYỆN ĐÀ BẮC", None, None, None, None, None, "Đà Bắc, ngày 05 tháng 7 năm 2022"],
        [TITLE],
        ["Kỳ báo cáo: Tháng 6 năm 2022"],
        ["Đơn vị báo cáo: Đà Bắc"],
        HEADER_1,
        HEADER_2,
        NUMBERS_ROW,
        [1, "Đất đai", 3, 1, 2, 0, 3, 1, 2, 0, 0, 0, 0],
    ]
    path = write_workbook(tmp_path / "s.xlsx", {"S": rows}, merges={"S": HEADER_MERGES})
    loaded = read(path, units, communes)
    assert messages(loaded) == []
    assert [str(m) for m in loaded.frame["month"]] == ["2022-06"]
    assert forms.title_period(["Hòa Bình, ngày 05 tháng 7 năm 2022"]) is None


def test_a_form_saved_as_csv_in_windows_1258(tmp_path, units, communes):
    from conftest import write_csv

    rows = [
        [TITLE],
        ["Từ ngày 01/06/2022 đến ngày 30/06/2022"],
        HEADER_1,
        HEADER_2,
        NUMBERS_ROW,
        [1, "Sở Tư pháp", *STP],
        ["1.1", "Hộ tịch", *HO_TICH],
        ["1.2", "Chứng thực", *CHUNG_THUC],
    ]
    path = write_csv(tmp_path / "bieu06.csv", rows, encoding="cp1258", delimiter=";")
    assert forms.looks_like_form(path)
    loaded = read(path, units, communes)
    assert messages(loaded) == []
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["STP", 110, 40]]


def _own_form(tmp_path, body):
    rows = [
        [TITLE],
        ["Từ ngày 01/06/2022 đến ngày 30/06/2022"],
        ["Đơn vị báo cáo: UBND huyện Kim Bôi"],
        ["Đơn vị tính: Số hồ sơ TTHC"],
        HEADER_1,
        HEADER_2,
        NUMBERS_ROW,
        *body,
    ]
    return write_workbook(tmp_path / "own.xlsx", {"S": rows}, merges={"S": HEADER_MERGES})


def test_parts_of_an_area_are_checked_not_added_again(tmp_path, units, communes):
    #                                 (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
    body = [
        [1, "Đất đai", 10, 4, 6, 0, 10, 5, 5, 0, 0, 0, 0],  # row 8: its parts sum to it
        ["1.1", "Giao đất", 6, 2, 4, 0, 6, 3, 3, 0, 0, 0, 0],
        ["1.2", "Thu hồi đất", 4, 2, 2, 0, 4, 2, 2, 0, 0, 0, 0],
        [2, "Xây dựng", 5, 5, 0, 0, 5, 5, 0, 0, 0, 0, 0],
        [3, "Tư pháp", *EMPTY],  # row 12: empty, its parts give it: 2 + 1
        ["3.1", "Hộ tịch", 2, 1, 1, 0, 2, 2, 0, 0, 0, 0, 0],
        ["3.2", "Chứng thực", 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0],
    ]
    loaded = read(_own_form(tmp_path, body), units, communes)
    assert messages(loaded) == []
    row = loaded.frame.iloc[0]
    # total = (4)+(5) over the areas 1, 2, 3 only: (4+6) + (5+0) + (2+1) = 18; online 4+5+2 = 11
    assert (row["unit_code"], row["total"], row["online"]) == ("KIMBOI", 18, 11)
    body[2] = ["1.2", "Thu hồi đất", 3, 1, 2, 0, 3, 1, 2, 0, 0, 0, 0]  # parts now 9 / 3 online
    loaded = read(_own_form(tmp_path, body), units, communes)
    found = {p.column: p for p in loaded.problems if p.is_error}
    assert set(found) == {"C (3)", "D (4)", "G (7)", "H (8)"}
    assert found["D (4)"].row == 8 and "'Đất đai' says (4) = 4 but its 2 row(s) sum to 3" in (
        found["D (4)"].message
    )


def test_district_headings_in_the_commune_section(tmp_path, units, communes):
    #                 (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
    cao_son = [4, 3, 1, 0, 4, 2, 2, 0, 0, 0, 0]
    doan_ket = [6, 2, 4, 0, 6, 3, 3, 0, 0, 0, 0]
    body = [
        ["III", "Xã, phường, thị trấn", 15, 7, 8, 0, 15, 8, 7, 0, 0, 0, 0],  # row 9
        [None, "Huyện Đà Bắc", 10, 5, 5, 0, 10, 5, 5, 0, 0, 0, 0],  # row 10: a heading, = 4 + 6
        [1, "Xã Cao Sơn", *cao_son],  # Đà Bắc's (4876)
        [2, "Thị trấn Đà Bắc", *doan_ket],  # the township (4831), not the district
        [None, "Huyện Lương Sơn", 6, 2, 4, 0, 5, 3, 2, 0, 1, 1, 0],  # row 13: its commune has 5
        [1, "Cao Sơn", 5, 2, 3, 0, 5, 3, 2, 0, 0, 0, 0],  # Lương Sơn's (4957)
    ]
    total = [15, 7, 8, 0, 15, 8, 7, 0, 0, 0, 0]
    loaded = read(province_form(tmp_path / "x.xlsx", total=total, body=body), units, communes)
    assert loaded.frame.empty  # headings are not units' counts
    assert list(loaded.communes["ward_code"]) == [4876, 4831, 4957]
    errors = [p for p in loaded.problems if p.is_error]
    assert {p.row for p in errors} == {13}
    assert {p.column for p in errors} == {"C (3)", "E (5)", "K (11)", "L (12)"}
    assert "LUONGSON's communes says (3) = 6 but its 1 row(s) sum to 5" in errors[0].message


# --- property: any consistent form reads back to the sums it was built from ---------------

_DEPARTMENTS = ["Sở Tư pháp", "Sở Y tế", "Sở GD&ĐT", "Sở Xây dựng", "Sở Nội vụ", "Sở TT&TT"]
_CODES = {"Sở Tư pháp": "STP", "Sở Y tế": "SYT", "Sở GD&ĐT": "SGDDT", "Sở Xây dựng": "SXD"}
_CODES |= {"Sở Nội vụ": "SNV", "Sở TT&TT": "STTTT"}


@st.composite
def _area(draw):
    online, offline = draw(st.integers(0, 50)), draw(st.integers(0, 50))
    early, on_time, late = (draw(st.integers(0, 20)) for _ in range(3))
    carried = max(draw(st.integers(0, 10)), early + on_time + late - online - offline)
    received = online + offline + carried
    resolved = early + on_time + late
    overdue = draw(st.integers(0, received - resolved))
    pending = received - resolved
    return [received, online, offline, carried, resolved, early, on_time, late, pending,
            pending - overdue, overdue]  # fmt: skip


_unit = st.tuples(st.lists(_area(), max_size=3), st.booleans(), _area())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    units_=st.lists(st.sampled_from(_DEPARTMENTS), min_size=1, max_size=4, unique=True).flatmap(
        lambda names: st.tuples(
            st.just(names), st.lists(_unit, min_size=len(names), max_size=len(names))
        )
    ),
    carried=st.booleans(),
)
def test_any_consistent_form_reads_back_its_sums(tmp_path, units, communes, units_, carried):
    names, specs = units_
    body, total, expected = [], [0] * 11, {}
    for n, (name, (areas, filled, own)) in enumerate(zip(names, specs, strict=True), start=1):
        figures = [sum(col) for col in zip(*areas, strict=True)] if areas else own
        head = figures if (filled or not areas) else EMPTY
        body.append([n, name, *head])
        body += [[f"{n}.{i}", f"Lĩnh vực {i}", *a] for i, a in enumerate(areas, start=1)]
        total = [a + b for a, b in zip(total, figures, strict=True)]
        online, offline, carried_over = figures[1], figures[2], figures[3]
        expected[_CODES[name]] = (
            online + offline + (carried_over if carried else 0),
            online,
            figures[4],
            figures[5] + figures[6],
        )
    path = province_form(tmp_path / "p.xlsx", total=total, body=body)
    loaded = read(path, units, communes, include_carried_over=carried)
    assert not [p for p in loaded.problems if p.is_error]
    got = {
        row.unit_code: (row.total, row.online, row.resolved, row.resolved_on_time)
        for row in loaded.frame.itertuples()
    }
    assert got == expected


# --- periods of more than one month, signing lines, invalid dates (issue 15) -------------------


@pytest.mark.parametrize(
    "period",
    [
        "Kỳ báo cáo: từ tháng 01 đến tháng 6 năm 2022",
        "Từ tháng 1/2022 đến tháng 6/2022",
        "6 tháng đầu năm 2022",
        "Báo cáo 6 tháng cuối năm 2022",
        "Quý II năm 2022",
        "Quý 2/2022",
        "9 tháng năm 2022",
        "Kỳ báo cáo: năm 2022",
        "Năm 2022",
    ],
)
def test_a_period_of_several_months_is_never_one_month(tmp_path, units, communes, period):
    """A six-month cumulative form read as June alone would put six months into one."""
    path = province_form(tmp_path / "h.xlsx", period=period)
    loaded = read(path, units, communes)
    (problem,) = [p for p in loaded.problems if p.is_error]
    assert "more than one month" in problem.message and "--form-period" in problem.message
    assert problem.row == 3 and problem.column == "A"
    assert loaded.frame.empty
    stated = read(path, units, communes, period="2022-06")
    assert [p.severity for p in stated.problems] == ["warning"]
    assert set(stated.frame["month"].astype(str)) == {"2022-06"}


@pytest.mark.parametrize(
    "period",
    [
        "Kỳ báo cáo: từ tháng 6 đến tháng 6 năm 2022",
        "Tháng 6 năm 2022",
        "Kỳ báo cáo: tháng 06/2022",
    ],
)
def test_one_month_spelled_as_a_range_or_month_is_that_month(tmp_path, units, communes, period):
    loaded = read(province_form(tmp_path / "m.xlsx", period=period), units, communes)
    assert messages(loaded) == []
    assert set(loaded.frame["month"].astype(str)) == {"2022-06"}


@pytest.mark.parametrize(
    "place_and_date",
    [
        "Hòa Bình, ngày ... tháng 7 năm 2022",
        "Hòa Bình, ngày      tháng 7 năm 2022",
        "Hòa Bình, ngày … tháng 7 năm 2022",
        "Hòa Bình, ngày __ tháng 7 năm 2022",
    ],
)
def test_the_place_and_date_line_is_not_the_period(tmp_path, units, communes, place_and_date):
    rows = [
        [place_and_date],  # row 1, above the title: the signing date, left blank for the day
        [TITLE],
        ["Tháng 6 năm 2022"],
        ["Đơn vị báo cáo: Đà Bắc"],
        HEADER_1,
        HEADER_2,
        NUMBERS_ROW,
        [1, "Đất đai", 3, 1, 2, 0, 3, 1, 2, 0, 0, 0, 0],
    ]
    path = write_workbook(tmp_path / "s.xlsx", {"S": rows}, merges={"S": HEADER_MERGES})
    loaded = read(path, units, communes)
    assert messages(loaded) == []
    assert [str(m) for m in loaded.frame["month"]] == ["2022-06"]
    assert forms.title_period([place_and_date]) is None


def test_an_invalid_title_date_is_named_with_its_place(tmp_path, units, communes):
    path = province_form(tmp_path / "d.xlsx", period="Từ ngày 01/06/2022 đến ngày 31/06/2022")
    loaded = read(path, units, communes)
    (problem,) = [p for p in loaded.problems if p.is_error]
    assert "31/06/2022 is not a date" in problem.message
    assert (problem.row, problem.column) == (3, "A")
    assert str(problem).startswith(f"error: {path}, row 3, column A, value '31/06/2022'")
    assert loaded.frame.empty


# --- areas named like departments inside a district's block (issue 15) --------------------------

#              (3) (4) (5) (6) (7) (8) (9)(10)(11)(12)(13)
_TU_PHAP = [20, 6, 14, 0, 20, 6, 14, 0, 0, 0, 0]
_XAY_DUNG = [10, 4, 6, 0, 10, 4, 6, 0, 0, 0, 0]
_DA_BAC = [30, 10, 20, 0, 30, 10, 20, 0, 0, 0, 0]  # Tư pháp + Xây dựng


@pytest.mark.parametrize("head", [_DA_BAC, EMPTY])
def test_areas_named_like_departments_under_a_district_are_its_areas(
    tmp_path, units, communes, head
):
    """`1,UBND huyện Đà Bắc` then `1,Tư pháp`, `2,Xây dựng`: Đà Bắc's areas of work, not the
    counts of STP and SXD (departments are never listed under a district)."""
    body = [
        [1, "UBND huyện Đà Bắc", *head],  # row 9
        [1, "Tư pháp", *_TU_PHAP],
        [2, "Xây dựng", *_XAY_DUNG],
    ]
    loaded = read(province_form(tmp_path / "d.xlsx", total=_DA_BAC, body=body), units, communes)
    assert messages(loaded) == []
    # total = (4) + (5) = 10 + 20 = 30, online = (4) = 10: from the row, or from 6 + 4 and 14 + 6
    assert loaded.frame[["unit_code", "total", "online"]].values.tolist() == [["DABAC", 30, 10]]


def test_a_department_named_in_full_under_a_district_is_asked_about(tmp_path, units, communes):
    body = [
        [1, "UBND huyện Đà Bắc", *EMPTY],  # row 9
        [2, "Sở Tư pháp", *_TU_PHAP],  # row 10: numbered on from the district, named in full
        [3, "Xây dựng", *_XAY_DUNG],
    ]
    loaded = read(province_form(tmp_path / "d.xlsx", total=_DA_BAC, body=body), units, communes)
    (problem,) = loaded.problems
    assert problem.severity == "warning" and problem.row == 10 and problem.value == "Sở Tư pháp"
    assert "area of work of DABAC" in problem.message and "STP" in problem.message
    assert loaded.frame[["unit_code", "total"]].values.tolist() == [["DABAC", 30]]
