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
from conftest import write_csv

from kpi_utils import aggregate
from kpi_utils.cli import main
from kpi_utils.problems import errors

HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Cơ quan/đơn vị",
    "Kênh thực hiện",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
]
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


def test_implausible_years_are_errors_naming_the_export_and_row(
    tmp_path, catalogue_file, resolver
):
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
