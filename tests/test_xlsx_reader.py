"""Workbook exports read by fastexcel (Rust, into Arrow), exactly as openpyxl reads them (issue 18).

`tables.read_table_columns` is the one way a dossier workbook is read; `tables.workbook_reader`
picks fastexcel unless the cells need openpyxl (formulas, error cells). Each layout below is read
both ways and must give the same header, the same spreadsheet row numbers, the same cell texts and
the same problems.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import DOSSIER_HEADER, ingest_without, write_workbook

from kpi_utils.cli import main
from kpi_utils.sources import headers, tables

HEADER = DOSSIER_HEADER
ROW = ["A01", "P4", "Sở Tư pháp", 2, datetime(2022, 1, 5, 8, 30), date(2022, 1, 10), None, "x"]


def openpyxl_read(path: Path, sheet: str | None = None):
    table, problems = tables.read_table(path, headers.DOSSIERS, sheet=sheet)
    assert table is not None, problems
    return table, tables._text_columns(table), problems


def fastexcel_read(path: Path, sheet: str | None = None):
    assert tables.workbook_reader(path) == "fastexcel"
    read, problems = tables._fastexcel_columns(path, headers.DOSSIERS, sheet, str(path))
    assert read is not None, problems  # not handed back to openpyxl
    return read.table, read.cells, problems


def assert_alike(path: Path, sheet: str | None = None) -> pa.Table:
    old_table, old_cells, old_problems = openpyxl_read(path, sheet)
    new_table, new_cells, new_problems = fastexcel_read(path, sheet)
    assert new_table.header_row == old_table.header_row
    assert new_table.headers == old_table.headers
    assert new_table.columns == old_table.columns
    assert new_table.wide_rows == old_table.wide_rows
    assert new_cells.to_pylist() == old_cells.to_pylist()
    assert new_problems == old_problems
    via, _ = tables.read_table_columns(path, headers.DOSSIERS, sheet=sheet)
    assert via.cells.to_pylist() == old_cells.to_pylist()
    return new_cells


def test_title_rows_blank_rows_spaces_dates_and_numbers(tmp_path):
    rows = [
        ["DANH SÁCH HỒ SƠ NĂM 2022"],
        [],
        [None, "Tỉnh Hòa Bình"],
        HEADER,  # row 4
        ROW,  # row 5
        [],  # row 6: blank, skipped
        ["  A02 ", " P3", "Sở Tư pháp ", "Trực tuyến", "06/01/2022", date(2022, 1, 12), "   "],
        [12345.0, "P4", "STP", 1.0, datetime(2022, 1, 7, 23, 59, 59), "2022-01-09", None, None],
        [None, None, None, None, None, None, None, None, None, "loose"],  # only right of header
    ]
    path = write_workbook(tmp_path / "e.xlsx", {"Hồ sơ": rows})
    cells = assert_alike(path)
    # row 9, filled only right of the header, is an error and not read (both readers)
    assert cells.column("row").to_pylist() == [5, 7, 8]
    assert cells.slice(0, 3).to_pylist() == [
        {
            "row": 5,
            "dossier_id": "A01",
            "procedure_code": "P4",
            "agency": "Sở Tư pháp",
            "channel": "2",
            "received": "2022-01-05 08:30:00",
            "due": "2022-01-10 00:00:00",
            "completed": None,
            "status": "x",
        },
        {
            "row": 7,
            "dossier_id": "A02",
            "procedure_code": "P3",
            "agency": "Sở Tư pháp",
            "channel": "Trực tuyến",
            "received": "06/01/2022",
            "due": "2022-01-12 00:00:00",
            "completed": None,
            "status": None,
        },
        {
            "row": 8,
            "dossier_id": "12345",
            "procedure_code": "P4",
            "agency": "STP",
            "channel": "1",
            "received": "2022-01-07 23:59:59",
            "due": "2022-01-09",
            "completed": None,
            "status": None,
        },
    ]
    _, problems = tables.read_table_columns(path, headers.DOSSIERS)
    assert [(p.row, p.column, p.value) for p in problems] == [(9, "J", "loose")]


def test_unicode_spaces_around_cells_are_trimmed_and_vietnamese_letters_kept(tmp_path):
    # Cells beginning or ending with a space that is not ASCII (no-break U+00A0, ideographic
    # U+3000, thin U+2009) or with a Vietnamese letter of two marks (U+1EA0..U+1EF9: three
    # bytes beginning E1, as U+1680, a space, does): only the spaces go.
    rows = [
        HEADER,
        ["\u00a0A03\u3000", "P4", "Ủy ban Ấ", 2, *ROW[4:7], "Đã trả kết quả"],
        ["A04", "P4", "Sở Tư pháp\u2009", 2, *ROW[4:7], "Ỷ"],
        ["A05", "\u1680P4", "Ấ", 2, *ROW[4:7], "ư"],
    ]
    path = write_workbook(tmp_path / "e.xlsx", {"S": rows})
    cells = assert_alike(path)
    assert cells.column("dossier_id").to_pylist() == ["A03", "A04", "A05"]
    assert cells.column("procedure_code").to_pylist() == ["P4", "P4", "P4"]
    assert cells.column("agency").to_pylist() == ["Ủy ban Ấ", "Sở Tư pháp", "Ấ"]
    assert cells.column("status").to_pylist() == ["Đã trả kết quả", "Ỷ", "ư"]


def test_two_row_header_under_a_merged_group_cell(tmp_path):
    upper = ["Hồ sơ", None, *HEADER[2:]]
    lower = ["Mã hồ sơ", "Mã TTHC", None, None, None, None, None, None]
    merges = [f"{c}1:{c}2" for c in "CDEFGH"] + ["A1:B1"]
    path = write_workbook(
        tmp_path / "e.xlsx", {"S": [upper, lower, ROW, ROW]}, merges={"S": merges}
    )
    cells = assert_alike(path)
    assert cells.column("row").to_pylist() == [3, 4]
    assert cells.column("dossier_id").to_pylist() == ["A01", "A01"]


def test_table_away_from_a1_keeps_spreadsheet_rows_and_columns(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    for c, text in enumerate(HEADER, start=3):
        ws.cell(row=6, column=c, value=text)
    for r in (7, 9):
        for c, value in enumerate(ROW, start=3):
            ws.cell(row=r, column=c, value=value)
    book.save(tmp_path / "e.xlsx")
    cells = assert_alike(tmp_path / "e.xlsx")
    assert cells.column("row").to_pylist() == [7, 9]
    table, _, _ = fastexcel_read(tmp_path / "e.xlsx")
    assert table.column_label("agency") == "E (Cơ quan/đơn vị)"


def test_hidden_first_sheet_and_a_chosen_sheet(tmp_path):
    other = [HEADER, ["B01", *ROW[1:]]]
    path = write_workbook(tmp_path / "e.xlsx", {"Ẩn": [HEADER, ROW], "Hai": other})
    book = openpyxl.load_workbook(path)
    book["Ẩn"].sheet_state = "hidden"
    book.active = 1
    book.save(path)
    assert assert_alike(path).column("dossier_id").to_pylist() == ["A01"]  # the first, as openpyxl
    assert assert_alike(path, sheet="Hai").column("dossier_id").to_pylist() == ["B01"]
    read, problems = tables.read_table_columns(path, headers.DOSSIERS, sheet="Ba")
    assert read is None
    assert [p.message for p in problems] == ["no sheet named 'Ba'; the sheets are Ẩn, Hai"]


def test_no_header_and_no_rows_are_the_same_errors(tmp_path):
    empty = write_workbook(tmp_path / "a.xlsx", {"S": [HEADER]})
    other = write_workbook(tmp_path / "b.xlsx", {"S": [["x", "y"], [1, 2]], "T": [["z"]]})
    for path in (empty, other):
        assert tables.workbook_reader(path) == "fastexcel"
        _, expected = tables.read_table(path, headers.DOSSIERS)
        read, problems = tables.read_table_columns(path, headers.DOSSIERS)
        assert read is None
        assert problems == expected
    assert problems[0].message.endswith("the workbook also has 'T': choose one with --sheet)")


def test_formulas_and_error_cells_are_read_by_openpyxl(tmp_path):
    """calamine gives saved values only: a formula never calculated would read as an empty cell
    and `#N/A` as empty, so those workbooks keep openpyxl, which shows them (and they fail)."""
    formula = write_workbook(tmp_path / "f.xlsx", {"S": [HEADER, ['=CONCAT("A",1)', *ROW[1:]]]})
    failed = write_workbook(tmp_path / "e.xlsx", {"S": [HEADER, ["#N/A", *ROW[1:]]]})
    assert tables.workbook_reader(formula) == "openpyxl"
    assert tables.workbook_reader(failed) == "openpyxl"
    read, _ = tables.read_table_columns(formula, headers.DOSSIERS)
    assert read.cells.column("dossier_id").to_pylist() == ['=CONCAT("A",1)']
    read, _ = tables.read_table_columns(failed, headers.DOSSIERS)
    assert read.cells.column("dossier_id").to_pylist() == ["#N/A"]


def test_damaged_workbook_is_named_as_before(tmp_path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert tables.workbook_reader(path) == "openpyxl"
    read, problems = tables.read_table_columns(path, headers.DOSSIERS)
    assert read is None
    assert problems[0].message.startswith("not a readable XLSX workbook (")


# --- the bundled dossier sample as CSV, Parquet and XLSX: the same counts --------------------


@pytest.fixture(scope="module")
def sample_forms(tmp_path_factory):
    """Every 150th dossier of the bundled sample (about 3,200 rows, every unit and month), as
    Parquet (typed), CSV (text) and XLSX (typed dates and channel codes, below a title row)."""
    from kpi_utils.samples import dossiers as sample

    folder = tmp_path_factory.mktemp("forms")
    dossiers_file, catalogue_file = sample.write_dossier_sample(folder)
    table = pq.read_table(dossiers_file)
    table = table.take(pa.array(range(0, table.num_rows, 150)))
    parquet = folder / "export.parquet"
    pq.write_table(table, parquet)
    text = pa.table(
        {
            name: pc.cast(column, pa.string())
            if not pa.types.is_timestamp(column.type)
            else pc.strftime(column.cast(pa.timestamp("s")), "%d/%m/%Y %H:%M:%S")
            for name, column in zip(table.column_names, table.columns, strict=True)
        }
    )
    csv = folder / "export.csv"
    pacsv.write_csv(text, csv)
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Hồ sơ")
    ws.append(["DANH SÁCH HỒ SƠ NĂM 2022 (SYNTHETIC)"])
    ws.append(table.column_names)
    for row in table.to_pylist():
        ws.append(list(row.values()))
    xlsx = folder / "export.xlsx"
    book.save(xlsx)
    return {"parquet": parquet, "csv": csv, "xlsx": xlsx}, catalogue_file


def _ingest(export: Path, catalogue_file: Path, out: Path, *extra: str) -> bytes:
    args = ["ingest", str(export), "--catalogue", str(catalogue_file), "--out", str(out), *extra]
    assert main(args) == 0
    return out.read_bytes()


def test_csv_parquet_and_xlsx_forms_of_the_sample_give_identical_counts(
    sample_forms, tmp_path, monkeypatch
):
    forms, catalogue_file = sample_forms
    assert tables.workbook_reader(forms["xlsx"]) == "fastexcel"
    counts = {
        kind: _ingest(path, catalogue_file, tmp_path / f"{kind}.csv")
        for kind, path in forms.items()
    }
    assert counts["csv"] == counts["parquet"] == counts["xlsx"]
    assert counts["xlsx"].count(b"\n") > 100  # units x months, not an empty file
    # Before fastexcel: the same workbook read cell by cell by openpyxl gives the same bytes.
    monkeypatch.setattr(tables, "workbook_reader", lambda *a, **k: "openpyxl")
    assert _ingest(forms["xlsx"], catalogue_file, tmp_path / "before.csv") == counts["xlsx"]


def test_cli_ingest_of_a_workbook_does_not_load_pandas(sample_forms, tmp_path):
    from test_dossiers import NO_PANDAS

    _ingests_the_same_in_a_subprocess(NO_PANDAS, sample_forms, tmp_path)


def _ingests_the_same_in_a_subprocess(script: str, sample_forms, tmp_path) -> None:
    """`python -c script` (an ingest with some module unimportable) writes what ingest writes
    in this process from the sample's workbook."""
    forms, catalogue_file = sample_forms
    expected = _ingest(forms["xlsx"], catalogue_file, tmp_path / "expected.csv")
    out = tmp_path / "out.csv"
    args = [str(forms["xlsx"]), "--catalogue", str(catalogue_file), "--out", str(out)]
    run = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == expected


NO_OPENPYXL = ingest_without("openpyxl", "a workbook fastexcel reads is not read again by openpyxl")


def test_a_workbook_fastexcel_reads_is_read_once(sample_forms, tmp_path):
    """The header (row 2, under a title row) is found in fastexcel's own read of the sheet, so
    openpyxl is never loaded: the same counts as in-process, where openpyxl is importable."""
    _ingests_the_same_in_a_subprocess(NO_OPENPYXL, sample_forms, tmp_path)


def test_a_workbook_without_its_size_is_opened_without_parsing_every_row(tmp_path, monkeypatch):
    """openpyxl's write-only mode (and some exporters) write no `<dimension>`; openpyxl's read-only
    mode would parse the whole sheet for it when opening the workbook, a minute for a million
    rows, only to read a header. The readers open it without that scan."""
    from openpyxl.worksheet import _reader

    from kpi_utils.sources import forms

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("S")
    sheet.append(HEADER)
    sheet.append(ROW)
    book.save(tmp_path / "e.xlsx")

    def refuse(parser):
        raise AssertionError("the whole sheet parsed for its size")

    monkeypatch.setattr(_reader.WorkSheetParser, "parse_dimensions", refuse)
    read, problems = tables.read_table_columns(tmp_path / "e.xlsx", headers.DOSSIERS)
    assert problems == []
    assert read.cells.column("dossier_id").to_pylist() == ["A01"]
    assert forms.looks_like_form(tmp_path / "e.xlsx") is False


@pytest.mark.parametrize("reader", ["fastexcel", "openpyxl"])
def test_a_dossier_row_wider_than_its_header_is_an_error_not_dropped(
    tmp_path, monkeypatch, capsys, reader
):
    # row 3 has a ninth cell right of the 8-column header: it cannot be read by position
    path = write_workbook(tmp_path / "d.xlsx", {"S": [HEADER, ROW, [*ROW[:1], *ROW[1:], "extra"]]})
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text("Mã TTHC,Mức độ\nP4,4\n", encoding="utf-8")
    if reader == "openpyxl":
        monkeypatch.setattr(tables, "workbook_reader", lambda *a, **k: "openpyxl")
    code = main(["ingest", str(path), "--catalogue", str(catalogue)])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "row 3, column I" in out + err and "extra" in out + err
