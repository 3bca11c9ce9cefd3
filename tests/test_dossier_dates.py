"""Dossier exports as real systems write them (issue 15): two-digit and implausible years, time
zones, ids with stray spaces, empty completion text in Parquet, a semicolon CSV under a two-row
header, units that sent nothing for a month.

Every fixture is a handful of rows in the issue's header; the counts were worked out by hand.
Catalogue: P3 (level 3), P4 (Toàn trình: 4), P2 (level 2).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import DOSSIER_HEADER, write_csv

from kpi_utils.cli import main
from kpi_utils.common.problems import errors
from kpi_utils.sources import aggregate

HEADER = DOSSIER_HEADER[:7]  # without the status column
CATALOGUE = [["Mã TTHC", "Mức độ"], ["P3", "3"], ["P4", "Toàn trình"], ["P2", "2"]]
COUNTS = ("total", "online", "resolved", "resolved_on_time", "pending_overdue")


@pytest.fixture
def catalogue_file(tmp_path):
    return write_csv(tmp_path / "catalogue.csv", CATALOGUE)


def counts(result) -> dict:
    return {(r["unit_code"], r["month"]): tuple(r[c] for c in COUNTS) for r in result.records}


# --- 1. two-digit and implausible years ---------------------------------------------------------

TWO_DIGIT = [
    HEADER,
    ["R1", "P3", "Sở Tư pháp", "2", "01/02/22", "10/02/2022", "05/02/2022"],
    ["R2", "P4", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", ""],
]


def test_two_digit_year_is_read_as_20yy_with_a_warning(tmp_path, catalogue_file, resolver):
    """By hand: R1 received 01/02/2022, online (P3, channel 2), completed 05/02 before its due
    date 10/02; R2 online, pending and due 10/02: overdue at the end of February. One month."""
    export = write_csv(tmp_path / "export.csv", TWO_DIGIT)
    result = aggregate.load_dossiers([export], catalogue_file, resolver)
    assert counts(result) == {("STP", "2022-02"): (2, 2, 1, 1, 1)}
    assert not errors(result.problems)
    [warning] = [p for p in result.problems if not p.is_error]
    assert (warning.file, warning.row, warning.column, warning.value) == (
        str(export),
        2,
        "E (Ngày tiếp nhận)",
        "01/02/22",
    )
    assert "2022" in warning.message


def test_implausible_years_are_errors_naming_the_export_and_row(tmp_path, catalogue_file, resolver):
    rows = [
        *TWO_DIGIT[:2],
        ["R2", "P4", "Sở Tư pháp", "2", "03/02/2022", "10/02/0022", ""],
        ["R3", "P4", "Sở Tư pháp", "2", "03/02/1899", "10/02/2022", ""],
        ["R4", "P4", "Sở Tư pháp", "2", "2022-02-03", "2022-02-10", "0022-02-05"],
    ]
    export = write_csv(tmp_path / "export.csv", rows)
    result = aggregate.load_dossiers([export], catalogue_file, resolver)
    found = {(p.file, p.row, p.column, p.value) for p in errors(result.problems)}
    assert found == {
        (str(export), 3, "F (Ngày hẹn trả)", "10/02/0022"),
        (str(export), 4, "E (Ngày tiếp nhận)", "03/02/1899"),
        (str(export), 5, "G (Ngày kết thúc xử lý)", "0022-02-05"),
    }
    assert all("year" in p.message for p in errors(result.problems))
    assert counts(result) == {("STP", "2022-02"): (1, 1, 1, 1, 0)}  # R1 alone


def test_cli_two_digit_year_writes_one_month_and_table_names_no_temporary_file(
    tmp_path, catalogue_file, capsys
):
    export = write_csv(tmp_path / "export.csv", TWO_DIGIT)
    out = tmp_path / "counts.csv"
    args = [str(export), "--catalogue", str(catalogue_file)]
    assert main(["ingest", *args, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        "unit_code,month,total,online,resolved,resolved_on_time,pending_overdue",
        "STP,2022-02,2,2,1,1,1",
    ]
    capsys.readouterr()
    assert main(["table", "--month", "2022-02", "--dossiers", *args]) == 0
    captured = capsys.readouterr()
    assert "kpi-table-" not in captured.err
    assert "monthly_counts_from_dossiers" not in captured.err
    assert "STP has no row for 1 month(s): 2022-01" in captured.err
    stp = next(r for r in captured.out.splitlines() if r.startswith("STP,"))
    assert ",2022-02,2,2," in stp


# --- 2. time zones ------------------------------------------------------------------------------

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# By hand, in Vietnam calendar dates:
# - T1: received 01/02 00:30 (31/01 17:30 UTC), P3 online, completed 05/02 before due 10/02:
#   February, on time.
# - T2: received 01/01 00:30 (31/12/2021 UTC), P4 in person, due 31/01, completed 01/02 06:00
#   (31/01 23:00 UTC): January, late, and not completed by the end of January while due in it:
#   pending overdue. Read in UTC, T1 would fall in January and T2 would be on time.
VIETNAM_COUNTS = [
    "unit_code,month,total,online,resolved,resolved_on_time,pending_overdue",
    "STP,2022-01,1,0,1,0,1",
    "STP,2022-02,1,1,1,1,0",
]
TEXT_WITH_OFFSETS = [
    HEADER,
    ["T1", "P3", "Sở Tư pháp", "2", "2022-01-31T17:30:00Z", "2022-02-10", "2022-02-05T10:00+07:00"],
    ["T2", "P4", "Sở Tư pháp", "1", "2022-01-01 00:30+07", "31/01/2022", "2022-01-31T23:00:00Z"],
]


def write_tz_parquet(path):
    def at(*parts):
        return datetime(*parts, tzinfo=VN)

    kind = pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
    columns = {
        "Mã hồ sơ": pa.array(["T1", "T2"]),
        "Mã TTHC": pa.array(["P3", "P4"]),
        "Cơ quan/đơn vị": pa.array(["Sở Tư pháp", "Sở Tư pháp"]),
        "Kênh thực hiện": pa.array([2, 1], pa.int8()),
        "Ngày tiếp nhận": pa.array([at(2022, 2, 1, 0, 30), at(2022, 1, 1, 0, 30)], kind),
        "Ngày hẹn trả": pa.array([at(2022, 2, 10, 12), at(2022, 1, 31, 12)], kind),
        "Ngày kết thúc xử lý": pa.array([at(2022, 2, 5, 10), at(2022, 2, 1, 6)], kind),
    }
    pq.write_table(pa.table(columns), path)
    return path


@pytest.mark.parametrize("host_zone", ["UTC", "Asia/Ho_Chi_Minh", "America/New_York"])
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_month_and_deadlines_are_vietnam_dates_whatever_the_host_zone(
    tmp_path, catalogue_file, host_zone, fmt
):
    """`ingest` in a process whose time zone (TZ, which DuckDB follows) is `host_zone`."""
    if fmt == "parquet":
        export = write_tz_parquet(tmp_path / "export.parquet")
    else:
        export = write_csv(tmp_path / "export.csv", TEXT_WITH_OFFSETS)
    out = tmp_path / "counts.csv"
    code = "import sys; from kpi_utils.cli import main; raise SystemExit(main(sys.argv[1:]))"
    run = subprocess.run(
        [sys.executable, "-c", code, "ingest", str(export), "--catalogue", str(catalogue_file)]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TZ": host_zone},
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").splitlines() == VIETNAM_COUNTS


# --- 3. ids trimmed alike; 10. empty completion text in Parquet ---------------------------------


def write_text_parquet(path, rows):
    """Every cell as text, as written: "" stays "" (not null), spaces stay."""
    header, *body = rows
    columns = {h: pa.array([r[i] for r in body], pa.string()) for i, h in enumerate(header)}
    pq.write_table(pa.table(columns), path)
    return path


SPACED_IDS = [
    HEADER,
    ["R1 ", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"],
    ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"],
    ["   ", "P4", "Sở Tư pháp", "2", "04/02/2022", "10/02/2022", ""],
    ["R2", "P4", "Sở Tư pháp", "2", "04/02/2022", "10/02/2022", ""],
    ["R3", "P4", "Sở Tư pháp", "1", "04/02/2022", "20/03/2022", "  "],
]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_ids_are_trimmed_alike_and_empty_completion_text_is_not_completed(
    tmp_path, catalogue_file, resolver, fmt
):
    """By hand: "R1 " and "R1" are one dossier (identical: counted once, a warning), online
    and completed on time; the id of spaces (row 4) is empty: an error, left out; R2 (completion
    "") is pending past its due date 10/02: overdue; R3 (completion "  ") is pending, due in
    March: not overdue. February: total 3, online 2, resolved 1, on time 1, overdue 1."""
    if fmt == "parquet":
        export = write_text_parquet(tmp_path / "export.parquet", SPACED_IDS)
    else:
        export = write_csv(tmp_path / "export.csv", SPACED_IDS)
    result = aggregate.load_dossiers([export], catalogue_file, resolver)
    assert counts(result) == {("STP", "2022-02"): (3, 2, 1, 1, 1)}
    assert [(p.row, p.column, p.value) for p in errors(result.problems)] == [
        (4, "A (Mã hồ sơ)", "")
    ]
    duplicate = next(p for p in result.problems if "identical" in p.message)
    assert (duplicate.row, duplicate.value) == (3, "R1")
    assert result.summary.identical_copies == 1


# --- 11. a semicolon CSV under a two-row header -------------------------------------------------

TWO_ROW_HEADER = [
    ["Mã hồ sơ", "Mã TTHC", "Cơ quan/đơn vị", "Kênh thực hiện", "Thời gian", "", ""],
    ["", "", "", "", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý"],
    ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"],
    ["R2", "P4", "Sở Tư pháp", "1", "04/02/2022", "10/02/2022", ""],
    ["R3", "P4", "Sở Không Tồn Tại", "2", "04/02/2022", "10/02/2022", ""],
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_two_row_header_reads_alike_whatever_the_delimiter(
    tmp_path, catalogue_file, resolver, delimiter
):
    """By hand: R1 online, completed on time; R2 in person, pending past its due date 10/02:
    total 2, online 1, resolved 1, on time 1, overdue 1; R3's agency is unknown (row 5)."""
    export = write_csv(tmp_path / "export.csv", TWO_ROW_HEADER, delimiter=delimiter)
    result = aggregate.load_dossiers([export], catalogue_file, resolver)
    assert counts(result) == {("STP", "2022-02"): (2, 1, 1, 1, 1)}
    assert [(p.row, p.column, p.value) for p in errors(result.problems)] == [
        (5, "C (Cơ quan/đơn vị)", "Sở Không Tồn Tại")
    ]


# --- 14. a unit that sent nothing for a month ---------------------------------------------------

STP_STOPS = [
    HEADER,
    ["R1", "P3", "Sở Tư pháp", "2", "03/01/2022", "10/01/2022", "05/01/2022"],
    ["R2", "P4", "Sở Tài chính", "2", "04/01/2022", "10/01/2022", "05/01/2022"],
    ["R3", "P4", "Sở Tài chính", "1", "04/02/2022", "10/02/2022", "05/02/2022"],
    ["R4", "P4", "Sở Tài chính", "2", "04/03/2022", "10/03/2022", ""],
]
# By hand: STP only in January; STC every month (R4 pending past its due date 10/03: overdue).
STP_STOPS_COUNTS = {
    ("STC", "2022-01"): (1, 1, 1, 1, 0),
    ("STC", "2022-02"): (1, 0, 1, 1, 0),
    ("STC", "2022-03"): (1, 1, 0, 0, 1),
    ("STP", "2022-01"): (1, 1, 1, 1, 0),
    ("STP", "2022-02"): (0, 0, 0, 0, 0),
    ("STP", "2022-03"): (0, 0, 0, 0, 0),
}


def test_unit_with_no_dossier_in_a_month_is_a_warning_on_the_data_quality_page(
    tmp_path, catalogue_file, resolver
):
    from kpi_utils.metrics import trends
    from kpi_utils.metrics.pipeline import load_inputs
    from kpi_utils.report.pages import DataQualityPage

    export = write_csv(tmp_path / "export.csv", STP_STOPS)
    result = aggregate.load_dossiers([export], catalogue_file, resolver)
    assert counts(result) == STP_STOPS_COUNTS  # the zeros stay
    [silent] = [p for p in result.problems if "no dossier at all" in p.message]
    assert not silent.is_error
    assert silent.file == str(export)
    assert silent.message.startswith(
        "STP has no dossier at all in 2 month(s) of 2022-01..2022-03: 2022-02, 2022-03;"
    )
    inputs = load_inputs(dossiers=[export], catalogue=catalogue_file, month="2022-03")
    series = trends.kpi_series(inputs.counts, inputs.targets, inputs.registry, "2022-03")
    page = DataQualityPage("2022-03", "en", inputs, series)
    assert "STP has no dossier at all in 2 month(s)" in str(page.warnings())


def test_date_formats_are_ordered_by_the_sample_they_read():
    # Worked by hand: of the 4 values, "05/01/2022 08:30:00" reads as %d/%m/%Y %H:%M:%S only;
    # "5/1/2022" and "31/12/2022" as %d/%m/%Y; "2022-01-05 08:30:00" as ISO only (its "-" is at
    # index 4, where no dd-mm format has its separator). So: %d/%m/%Y (2), then the others with
    # one hit each, in the tuple's order, then those with none.
    sample = ["05/01/2022 08:30:00", "5/1/2022", "31/12/2022", "2022-01-05 08:30:00", None, " "]
    assert aggregate.date_formats_for(sample) == [
        "%d/%m/%Y",
        "%d/%m/%Y %H:%M:%S",
        "iso",
        "%d/%m/%Y %H:%M",
        "%d-%m-%Y",
    ]
    assert aggregate.date_formats_for(["5-1-2022", "05-01-2022"])[0] == "%d-%m-%Y"
