"""One test per kind of input problem (issue 2, item 5), warnings, and refusing a bad dataset.

Row numbers are as a spreadsheet user counts: the header is row 1, the first data row is row 2.
Each test checks the file, row, column and value a user needs to find and fix the cell.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import counts_of, targets_of, write_csv, write_workbook

from kpi_utils.common.problems import InputError, errors, format_report
from kpi_utils.metrics import pipeline
from kpi_utils.sources import validate
from kpi_utils.sources.files import Loaded, SourceFile
from kpi_utils.sources.inputs import read_counts

HEADER = ["unit", "month", "total", "online"]


def read(path: Path, resolver):
    loaded = read_counts([path], resolver)
    codes = list(resolver.codes)
    return loaded, validate.validate_counts(loaded, codes)


def the_error(problems):
    found = errors(problems)
    assert len(found) == 1, found
    return found[0]


def bad_cell_file(tmp_path: Path, row: list[object]) -> Path:
    """A good row 2, the row under test on row 3, another good row 4."""
    rows = [HEADER, ["SYT", "2022-06", 10, 4], row, ["STP", "2022-06", 20, 5]]
    return write_csv(tmp_path / "counts.csv", rows)


def assert_located(problem, path, row, column, value):
    assert problem.is_error
    assert problem.file == str(path)
    assert problem.row == row
    assert problem.column == column
    assert problem.value == value
    text = str(problem)
    assert str(path) in text and f"row {row}" in text and f"column {column}" in text
    assert repr(str(value)) in text


def test_unknown_unit_with_suggestions(tmp_path, resolver):
    path = bad_cell_file(tmp_path, ["Sở Giao thông vân tải", "2022-06", 10, 4])
    loaded, problems = read(path, resolver)
    problem = the_error(problems)
    assert_located(problem, path, 3, "A (unit)", "Sở Giao thông vân tải")
    assert "unknown unit" in problem.message
    assert problem.message == "unknown unit; closest: SGTVT (Sở Giao thông vận tải)"
    assert list(loaded.frame["unit_code"]) == ["SYT", "STP"]


def test_online_greater_than_total(tmp_path, resolver):
    path = bad_cell_file(tmp_path, ["SCT", "2022-06", "10", "12"])
    problem = the_error(read(path, resolver)[1])
    assert_located(problem, path, 3, "D (online)", "12")
    assert "online (12) is greater than total (10)" in problem.message


def test_on_time_greater_than_resolved_but_resolved_may_exceed_total(tmp_path, resolver):
    # resolved above total is fine (carried-over dossiers); on time above resolved is not.
    rows = [
        [*HEADER, "resolved", "resolved_on_time"],
        ["SYT", "2022-06", 10, 4, 12, 12],
        ["SCT", "2022-06", 10, 4, 8, 9],
    ]
    path = write_csv(tmp_path / "counts.csv", rows)
    loaded, problems = read(path, resolver)
    problem = the_error(problems)
    assert_located(problem, path, 3, "F (resolved_on_time)", "9")
    assert "resolved_on_time (9) is greater than resolved (8)" in problem.message
    assert list(loaded.frame["unit_code"]) == ["SYT"]


@pytest.mark.parametrize("column", ["total", "online"])
def test_negative_count(tmp_path, resolver, column):
    row = ["SCT", "2022-06", "10", "4"]
    index = HEADER.index(column)
    row[index] = "-5"
    path = bad_cell_file(tmp_path, row)
    problem = the_error(read(path, resolver)[1])
    assert_located(problem, path, 3, f"{'ABCD'[index]} ({column})", "-5")
    assert "negative" in problem.message


@pytest.mark.parametrize("value", ["12.5", "12,5", "mười", "1e30"])
def test_non_integer_or_impossible_count(tmp_path, resolver, value):
    path = bad_cell_file(tmp_path, ["SCT", "2022-06", value, "4"])
    problem = the_error(read(path, resolver)[1])
    assert_located(problem, path, 3, "C (total)", value)


@pytest.mark.parametrize(("index", "field"), list(enumerate(HEADER)))
def test_empty_required_cell(tmp_path, resolver, index, field):
    row: list[object] = ["SCT", "2022-06", "10", "4"]
    row[index] = None
    path = bad_cell_file(tmp_path, row)
    problem = the_error(read(path, resolver)[1])
    assert_located(problem, path, 3, f"{'ABCD'[index]} ({field})", "")
    assert f"empty {field} cell" in problem.message


@pytest.mark.parametrize("value", ["June 2022", "13/2022", "2022"])
def test_unparseable_month(tmp_path, resolver, value):
    path = bad_cell_file(tmp_path, ["SCT", value, "10", "4"])
    problem = the_error(read(path, resolver)[1])
    assert_located(problem, path, 3, "B (month)", value)
    assert "month" in problem.message


def test_same_unit_and_month_twice_spelled_two_ways(tmp_path, resolver):
    rows = [
        HEADER,
        ["Sở Y tế", "2022-06", 10, 4],
        ["STP", "2022-06", 20, 5],
        ["SYT", "06/2022", 11, 5],
    ]
    path = write_csv(tmp_path / "counts.csv", rows)
    problem = the_error(read(path, resolver)[1])
    assert_located(problem, path, 4, "A (unit)", "SYT")
    # Both rows are named, with the unit as each was written.
    assert problem.message == (
        f"SYT 2022-06 appears more than once: {path} row 2 ('Sở Y tế'); {path} row 4 ('SYT')"
    )


def test_same_unit_and_month_in_two_files(tmp_path, resolver):
    first = write_csv(tmp_path / "a.csv", [HEADER, ["SYT", "2022-06", 10, 4]])
    second = write_csv(
        tmp_path / "b.csv", [HEADER, ["STP", "2022-06", 1, 1], ["Y tế", "T6/2022", 9, 4]]
    )
    loaded = read_counts([first, second], resolver)
    problem = the_error(validate.validate_counts(loaded, list(resolver.codes)))
    assert problem.file == str(second) and problem.row == 3
    assert f"{first} row 2" in problem.message and f"{second} row 3" in problem.message


def test_missing_required_column(tmp_path, resolver):
    path = write_csv(
        tmp_path / "counts.csv", [["Đơn vị", "Tháng", "Tổng số"], ["SYT", "2022-06", 10]]
    )
    loaded, problems = read(path, resolver)
    problem = the_error(problems)
    assert problem.file == str(path)
    assert problem.row == 1
    assert problem.column == "online"
    assert "missing required column 'online'" in problem.message
    assert loaded.frame.empty


def test_missing_several_columns_names_each(tmp_path, resolver):
    path = write_csv(tmp_path / "counts.csv", [["Đơn vị", "Ghi chú"], ["SYT", "x"]])
    problems = errors(read(path, resolver)[1])
    assert sorted(p.column for p in problems) == ["month", "online", "total"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"  \r\n\r\n", "empty"),
        ("bom_only.csv", b"\xef\xbb\xbf", "no rows"),
        ("header_only.csv", b"unit,month,total,online\r\n", "no data rows"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("bad.csv", b"unit,month,total,online\nS\x81\x8d,2022-06,1,1\n", "unreadable"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "XLSX"),
        ("text.csv", b"just some words\nand more words\n", "no header row"),
    ],
)
def test_unreadable_binary_or_empty_file(tmp_path, resolver, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    loaded, problems = read(path, resolver)
    found = errors(problems)
    assert len(found) == 1, found
    assert found[0].file == str(path)
    assert words in found[0].message
    assert loaded.frame.empty and loaded.files == []


def test_missing_file_and_directory(tmp_path, resolver):
    missing = tmp_path / "nope.csv"
    loaded = read_counts([missing, tmp_path], resolver)
    assert [p.file for p in loaded.problems] == [str(missing), str(tmp_path)]
    assert all("cannot read" in p.message for p in loaded.problems)


def test_title_row_above_the_header_shifts_row_numbers(tmp_path, resolver):
    rows = [["Báo cáo tháng 6/2022"], HEADER, ["SYT", "2022-06", 10, 4], ["SCT", "2022-06", 5, 6]]
    path = write_csv(tmp_path / "counts.csv", rows)
    problem = the_error(read(path, resolver)[1])
    assert problem.row == 4
    assert problem.value == "6"


def test_workbook_row_numbers_and_values(tmp_path, resolver):
    rows = [["Báo cáo"], [], HEADER, ["SYT", "2022-06", 10, 4], ["SCT", "2022-06", 5, -1]]
    path = write_workbook(tmp_path / "counts.xlsx", {"S": rows})
    problem = the_error(read(path, resolver)[1])
    assert (problem.row, problem.column, problem.value) == (5, "D (online)", -1)


def test_several_problems_are_all_reported(tmp_path, resolver):
    rows = [
        HEADER,
        ["Sở Giao thông vân tải", "2022-06", 10, 4],  # row 2: unknown unit
        ["SCT", "June", 10, 4],  # row 3: month
        ["SYT", "2022-06", 10, 12],  # row 4: online > total
        ["STP", "2022-06", -1, 0],  # row 5: negative
        ["SXD", "2022-06", "7.5", 1],  # row 6: not whole
        ["SNV", None, 3, 1],  # row 7: empty month
        ["STC", "2022-06", 3, 1],  # row 8: fine
        ["Sở Tài chính", "2022-06", 3, 1],  # row 9: duplicate of row 8
        ["Nowhere", "Tháng 13/2022", "x", "y"],  # row 10: four problems in one row
    ]
    path = write_csv(tmp_path / "counts.csv", rows)
    loaded, problems = read(path, resolver)
    found = errors(problems)
    assert [(p.row, p.column[0]) for p in found] == [
        (2, "A"),
        (3, "B"),
        (4, "D"),
        (5, "C"),
        (6, "C"),
        (7, "B"),
        (10, "A"),
        (10, "B"),
        (10, "C"),
        (10, "D"),
        (9, "A"),
    ]
    report = format_report(problems)
    assert report.splitlines()[-1].startswith("11 error(s), ")
    assert list(loaded.frame["unit_code"]) == ["STC", "STC"]


# --- warnings -------------------------------------------------------------------------------


def test_registered_unit_without_rows_is_a_warning(tmp_path, resolver):
    codes = list(resolver.codes)
    rows = [HEADER, *([code, "2022-06", 10, 4] for code in codes if code != "STP")]
    path = write_csv(tmp_path / "counts.csv", rows)
    loaded, problems = read(path, resolver)
    assert errors(problems) == []
    [warning] = problems
    assert warning.severity == "warning"
    assert "STP has no rows" in warning.message
    assert str(path) in warning.file


def test_unit_with_missing_months_is_a_warning(tmp_path, resolver):
    codes = list(resolver.codes)
    months = ["2022-01", "2022-02", "2022-03", "2022-04"]
    rows = [HEADER]
    for code in codes:
        for month in months:
            if not (code == "TANLAC" and month in ("2022-02", "2022-03")):
                rows.append([code, month, 10, 4])
    path = write_csv(tmp_path / "counts.csv", rows)
    problems = read(path, resolver)[1]
    assert errors(problems) == []
    [warning] = problems
    assert warning.message == "TANLAC has no row for 2 month(s): 2022-02, 2022-03"


def test_warnings_do_not_stop_the_table(tmp_path):
    codes = [c for c in pd.read_csv(pipeline.paths.data_dir() / "units.csv")["unit_code"]]
    rows = [HEADER, *([code, "2022-06", 100, 55] for code in codes if code != "SNV")]
    path = write_csv(tmp_path / "counts.csv", rows)
    inputs = pipeline.load_inputs(counts=[path], month="2022-06")
    assert errors(inputs.problems) == []
    # SNV has no rows; the other 26 lack January to May of the year to date.
    messages = [p.message for p in inputs.problems]
    assert "SNV has no rows in 2022-01..2022-06" in messages
    assert len(messages) == 27
    table = pipeline.kpi_for_month("2022-06", counts=[path])
    assert table.set_index("unit_code").at["SNV", "status"] == "no_data"
    assert (table["status"] == "met").sum() == 26


# --- any error: no KPI table ----------------------------------------------------------------


def test_a_file_with_an_error_yields_no_kpi_table(tmp_path):
    codes = [c for c in pd.read_csv(pipeline.paths.data_dir() / "units.csv")["unit_code"]]
    rows = [HEADER, *([code, "2022-06", 100, 55] for code in codes)]
    rows[5][3] = 101  # online above total on row 6
    rows.append(["Sở Ngoại giao", "2022-06", 1, 1])  # row 29
    path = write_csv(tmp_path / "counts.csv", rows)
    with pytest.raises(InputError) as caught:
        pipeline.kpi_for_month("2022-06", counts=[path])
    found = errors(caught.value.problems)
    assert sorted(p.row for p in found) == [6, 29]
    assert "2 error(s) in the input" in str(caught.value)
    # The unit with the bad row is then missing: that is a warning beside the errors.
    assert any(p.severity == "warning" and codes[4] in p.message for p in caught.value.problems)


def test_targets_problems_also_stop_the_table(tmp_path):
    targets = write_csv(
        tmp_path / "targets.csv",
        [["year", "unit", "target"], [2022, "SYT", "55%"], [2022, "Sở Y tế", "60%"]],
    )
    with pytest.raises(InputError) as caught:
        pipeline.kpi_for_month("2022-06", targets=targets)
    messages = [p.message for p in errors(caught.value.problems)]
    assert any("a second target for SYT in 2022 (rows 2, 3)" in m for m in messages)


def test_missing_targets_for_the_month_year_are_errors(tmp_path):
    codes = [c for c in pd.read_csv(pipeline.paths.data_dir() / "units.csv")["unit_code"]]
    counts = write_csv(tmp_path / "c.csv", [HEADER, *([c, "2021-06", 10, 5] for c in codes)])
    targets = pipeline.paths.data_dir() / "targets_2022.csv"
    with pytest.raises(InputError) as caught:
        pipeline.kpi_for_month("2021-06", counts=[counts], targets=targets)
    found = errors(caught.value.problems)
    assert len(found) == 27
    assert all("no target for" in p.message and "2021" in p.message for p in found)


def test_a_stray_control_character_is_a_cell_problem_not_a_binary_file(tmp_path, resolver):
    path = bad_cell_file(tmp_path, ["SCT", "2022-06", "1\x070", "4"])
    loaded, problems = read(path, resolver)
    problem = the_error(problems)
    assert_located(problem, path, 3, "C (total)", "1\x070")
    assert list(loaded.frame["unit_code"]) == ["SYT", "STP"]


def test_control_characters_throughout_mean_a_binary_file(tmp_path, resolver):
    path = tmp_path / "data.csv"
    path.write_bytes(b"unit,month,total,online\n" + bytes(range(1, 32)) * 4)
    problem = the_error(read(path, resolver)[1])
    assert "a binary file" in problem.message
    assert problem.row == 2


def test_a_line_in_another_encoding_inside_a_utf8_file(tmp_path, resolver):
    """One row pasted from a Windows-1258 file: name that row, not 27 garbled unit names."""
    from conftest import cp1258_bytes

    good = "unit,month,total,online\nSở Y tế,2022-06,10,4\nUBND huyện Lạc Thủy,2022-06,8,3\n"
    pasted = cp1258_bytes("Sở Tư pháp,2022-06,7,2\n")
    path = tmp_path / "mixed.csv"
    path.write_bytes(good.encode("utf-8") + pasted + "Sở Nội vụ,2022-06,5,1\n".encode())
    problem = the_error(read(path, resolver)[1])
    assert problem.row == 4
    assert "not valid UTF-8" in problem.message
    # With a BOM the file is UTF-8 whatever follows.
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + b"unit,month,total,online\n" + pasted)
    problem = the_error(read(bom, resolver)[1])
    assert problem.row == 2 and "not valid UTF-8" in problem.message


def _with_saved_values(path: Path, replacements: dict[bytes, bytes]) -> Path:
    """A copy of an openpyxl workbook as Excel would save it: formulas with their values."""
    import zipfile

    out = path.with_name("saved_" + path.name)
    applied = set()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                # openpyxl writes an empty value as <v /> or, with lxml installed, <v></v>
                data = data.replace(b"<v></v>", b"<v />")
                for old, new in replacements.items():
                    if old in data:
                        data = data.replace(old, new)
                        applied.add(old)
            dst.writestr(item, data)
    assert applied == set(replacements), "a formula cell was not where the test expects it"
    return out


def test_formulas_never_calculated_are_named_not_read_as_empty(tmp_path, resolver):
    rows = [HEADER, ["SYT", "2022-06", "=6+4", 4], ["STP", "2022-06", 10, "=C3/2"]]
    path = write_workbook(tmp_path / "script.xlsx", {"S": rows})
    loaded, problems = read(path, resolver)
    found = errors(problems)
    assert [(p.row, p.column, p.value) for p in found] == [
        (2, "C (total)", "=6+4"),
        (3, "D (online)", "=C3/2"),
    ]
    assert all("formula without a saved value" in p.message for p in found)
    assert loaded.frame.empty


def test_formulas_with_saved_values_read_as_values(tmp_path, resolver):
    rows = [HEADER, ["SYT", "2022-06", "=6+4", 4], ["STP", "2022-06", 10, '=IF(C3>0,"",1)']]
    path = write_workbook(tmp_path / "script.xlsx", {"S": rows})
    saved = _with_saved_values(
        path,
        {
            b"<f>6+4</f><v /></c>": b"<f>6+4</f><v>10</v></c>",
            b'<c r="D3"><f>IF(C3&gt;0,"",1)</f><v /></c>': (
                b'<c r="D3" t="str"><f>IF(C3&gt;0,"",1)</f><v></v></c>'
            ),
        },
    )
    loaded, problems = read(saved, resolver)
    # The saved 10 is read; the saved blank is an empty cell, as Excel shows it.
    assert tidy_rows(loaded) == [("SYT", 10, 4)]
    problem = the_error(problems)
    assert (problem.row, problem.column, problem.message) == (3, "D (online)", "empty online cell")


def tidy_rows(loaded) -> list[tuple]:
    frame = loaded.frame
    return list(zip(frame["unit_code"], frame["total"], frame["online"], strict=True))


def test_a_table_month_after_the_data_warns_about_the_missing_months(tmp_path):
    """Counts through March and a table for June: June and April-May are missing for everyone."""
    codes = [c for c in pd.read_csv(pipeline.paths.data_dir() / "units.csv")["unit_code"]]
    months = ["2022-01", "2022-02", "2022-03"]
    rows = [HEADER, *([code, m, 100, 60] for code in codes for m in months)]
    path = write_csv(tmp_path / "q1.csv", rows)
    assert pipeline.load_inputs(counts=[path]).problems == []
    inputs = pipeline.load_inputs(counts=[path], month="2022-06")
    assert errors(inputs.problems) == []
    assert len(inputs.problems) == 27
    assert inputs.problems[0].message == "SCT has no row for 3 month(s): 2022-04, 2022-05, 2022-06"


def test_a_table_month_warns_about_missing_january(tmp_path):
    codes = [c for c in pd.read_csv(pipeline.paths.data_dir() / "units.csv")["unit_code"]]
    rows = [HEADER, *([code, m, 100, 60] for code in codes for m in ("2022-02", "2022-03"))]
    path = write_csv(tmp_path / "feb_mar.csv", rows)
    problems = pipeline.load_inputs(counts=[path], month="2022-03").problems
    assert {p.message.split(" ", 1)[1] for p in problems} == {"has no row for 1 month(s): 2022-01"}


# --- coverage, missing targets and a month outside the counts, rule by rule ----------------------


def test_missing_months_up_to_six_are_listed_past_six_cut_short():
    # January..August. STP has January and August: 6 months missing. SNV January only: 7.
    months = [f"2022-{m:02d}" for m in range(1, 9)]
    rows = [("SCT", m, 10, 5) for m in months]
    rows += [("STP", "2022-01", 10, 5), ("STP", "2022-08", 10, 5), ("SNV", "2022-01", 10, 5)]
    problems = validate.coverage(counts_of(rows), ["SCT", "STP", "SNV"], "q.csv")
    assert [(p.severity, p.file) for p in problems] == [("warning", "q.csv")] * 2
    assert [p.message for p in problems] == [
        "STP has no row for 6 month(s): 2022-02, 2022-03, 2022-04, 2022-05, 2022-06, 2022-07",
        "SNV has no row for 7 month(s): 2022-02, 2022-03, 2022-04, 2022-05, 2022-06, 2022-07, ...",
    ]


def test_coverage_of_no_rows_and_its_default_label():
    [problem] = validate.coverage(counts_of([]), ["SCT"], "q.csv")
    assert (problem.severity, problem.file, problem.message) == (
        "warning",
        "q.csv",
        "no usable rows of counts",
    )
    # called without a label, the warnings name "inputs"
    [problem] = validate.coverage(counts_of([("SCT", "2022-01", 1, 1)]), ["SCT", "STP"])
    assert (problem.file, problem.message) == ("inputs", "STP has no rows in 2022-01..2022-01")


def test_coverage_for_a_month_given_as_a_date():
    # Counts of February; a table for March given as a date: January and March are missing.
    counts = counts_of([("SCT", "2022-02", 10, 5)])
    [problem] = validate.coverage(counts, ["SCT"], "q.csv", datetime.date(2022, 3, 15))
    assert problem.message == "SCT has no row for 2 month(s): 2022-01, 2022-03"


def _loaded(frame: pd.DataFrame, *paths: str) -> Loaded:
    files = [SourceFile(name=Path(p).name, path=p, rows=len(frame), sha256="") for p in paths]
    return Loaded(frame, [], files)


def test_coverage_warnings_name_the_files_read_else_the_files_given():
    rows = counts_of([("SCT", "2022-01", 10, 5)])
    [problem] = validate.validate_counts(_loaded(rows, "a.csv", "b.csv"), ["SCT", "STP"])
    assert (problem.file, problem.message) == (
        "a.csv, b.csv",
        "STP has no rows in 2022-01..2022-01",
    )
    # nothing could be read: the files the user gave, never a made-up name
    [problem] = validate.validate_counts(_loaded(counts_of([])), ["SCT"], given="x.xlsx")
    assert (problem.file, problem.message) == ("x.xlsx", "no usable rows of counts")
    # and with no name at all, "inputs"
    [problem] = validate.validate_counts(_loaded(counts_of([])), ["SCT"])
    assert problem.file == "inputs"


def test_a_missing_target_names_the_targets_file():
    targets = targets_of(["SCT"], year=2022)
    [problem] = validate.missing_targets(targets, ["SCT", "STP"], 2022, "t.csv")
    assert (problem.severity, problem.file, problem.message) == (
        "error",
        "t.csv",
        "no target for STP in 2022",
    )


def test_a_month_past_the_years_of_the_counts_is_outside_even_with_targets_for_it():
    # Counts January..March 2022; targets for 2021..2023; a table for May 2023.
    counts = counts_of([("SCT", m, 10, 5) for m in ("2022-01", "2022-02", "2022-03")])
    targets = pd.concat([targets_of(["SCT"], year=y) for y in (2023, 2021, 2022)])
    problem = validate.month_outside(counts, targets, "2023-05", "q.csv")
    assert (problem.severity, problem.file, problem.message) == (
        "error",
        "q.csv",
        "no counts for 2023-05: the counts cover 2022-01 to 2022-03, "
        "and targets exist for 2021, 2022, 2023",
    )
    # June 2022: after the counts, but in their year and with targets: a table
    assert validate.month_outside(counts, targets, "2022-06", "q.csv") is None
    # a month given as a date
    assert validate.month_outside(counts, targets, datetime.date(2022, 2, 10), "q.csv") is None


def test_a_month_outside_the_counts_without_any_target():
    counts = counts_of([("SCT", "2022-01", 10, 5)])
    problem = validate.month_outside(counts, targets_of([]), "2021-12", "q.csv")
    assert problem.message == (
        "no counts for 2021-12: the counts cover 2022-01 to 2022-01, and targets exist for no year"
    )
