"""What `load_dossiers` tells the user: the summary lines and every problem, word for word.

tests/test_dossiers.py pins the counts; here each problem is compared whole (`str(problem)`: its
severity, export, row, column, value and message), so that a wrong column, a lost value or a
changed sentence is seen. Every expected line is written out by hand from the rows of its fixture
(row numbers are spreadsheet rows: the header is row 1, so the n-th dossier is row n + 1).

Catalogue (tests/test_dossiers.py): P4 (level 4), P3 (3), P2 (2), D4 (4); anything else is
missing from it.
"""

from __future__ import annotations

import errno
import os
from datetime import datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import write_csv
from test_dossiers import CATALOGUE, HEADER

from kpi_utils.common.outputs import CannotWrite
from kpi_utils.sources import aggregate
from kpi_utils.sources.aggregate import IngestSummary
from kpi_utils.sources.files import SourceFile

COUNTS = ("total", "online", "resolved", "resolved_on_time", "pending_overdue")
DATE_HINT = "not a date (write dd/mm/yyyy, dd/mm/yyyy HH:MM[:SS] or yyyy-mm-dd)"
CHANNEL_HINT = "unknown channel (write 1/2/3 or Trực tiếp/Trực tuyến/Bưu chính công ích)"


def year_message(year: int) -> str:
    return (
        f"year {year} is not plausible: a dossier date needs a four-digit year from 2000 to "
        "2099 (a two-digit year is read as 20yy)"
    )


def row(
    dossier_id,
    procedure="P4",
    agency="Sở Tư pháp",
    channel="2",
    received="05/01/2022",
    due="10/01/2022",
    completed="",
    status="",
):
    """One dossier in HEADER's columns (A id, B procedure, C agency, D channel, E received,
    F due, G completed, H status); by default online (P4, channel 2), received in January 2022,
    due 10/01, not completed."""
    return [dossier_id, procedure, agency, channel, received, due, completed, status]


@pytest.fixture
def catalogue_file(tmp_path):
    return write_csv(tmp_path / "catalogue.csv", CATALOGUE)


def export(tmp_path, name, rows):
    return write_csv(tmp_path / name, [HEADER, *rows])


def counts(result) -> dict:
    return {(r["unit_code"], r["month"]): tuple(r[c] for c in COUNTS) for r in result.records}


def shown(problems) -> list[str]:
    return [str(p) for p in problems]


A, B, C, D, E, F, G = (
    "A (Mã hồ sơ)",
    "B (Mã TTHC)",
    "C (Cơ quan/đơn vị)",
    "D (Kênh thực hiện)",
    "E (Ngày tiếp nhận)",
    "F (Ngày hẹn trả)",
    "G (Ngày kết thúc xử lý)",
)

# --- the row checks -------------------------------------------------------------------------

CHECKED = [
    row("G1", completed="10/01/2022"),  # 2: used
    row(""),  # 3: empty id
    row("E2", agency=""),  # 4: empty agency
    row("E3", agency="Sở Giao thông vân tải"),  # 5: a typo of SGTVT's name
    row("E4", received=""),  # 6
    row("E5", received="05/01/1999"),  # 7: year out of range
    row("E6", due=""),  # 8
    row("E7", due="sớm"),  # 9
    row("E8", completed="2022-13-01"),  # 10: month 13
    row("E9", completed="01/01/2022"),  # 11: before its receipt on 05/01
    row("E10", channel=""),  # 12
    row("E11", channel="Fax"),  # 13
    row("E12", procedure=""),  # 14
    row("E13", agency="qqqq", received=""),  # 15: fails two checks
]


def test_each_check_names_export_row_column_value_and_why(tmp_path, catalogue_file, resolver):
    """Each failed check is an error on its own row; a row failing two checks (row 15) is listed
    under both, in the order of the checks (id, agency, received, due, completed, completed before
    received, channel, procedure), rows ascending within each."""
    path = export(tmp_path, "e.csv", CHECKED)
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(result.problems) == [
        f"error: {path}, row 3, column {A}, value '': empty dossier id",
        f"error: {path}, row 4, column {C}, value '': empty agency cell",
        f"error: {path}, row 5, column {C}, value 'Sở Giao thông vân tải': "
        "unknown agency; closest: SGTVT",
        f"error: {path}, row 15, column {C}, value 'qqqq': unknown agency",
        f"error: {path}, row 6, column {E}, value '': empty received date",
        f"error: {path}, row 7, column {E}, value '05/01/1999': {year_message(1999)}",
        f"error: {path}, row 15, column {E}, value '': empty received date",
        f"error: {path}, row 8, column {F}, value '': empty due date",
        f"error: {path}, row 9, column {F}, value 'sớm': {DATE_HINT}",
        f"error: {path}, row 10, column {G}, value '2022-13-01': {DATE_HINT}",
        f"error: {path}, row 11, column {G}, value '01/01/2022': "
        "completed before it was received (05/01/2022)",
        f"error: {path}, row 12, column {D}, value '': empty channel cell",
        f"error: {path}, row 13, column {D}, value 'Fax': {CHANNEL_HINT}",
        f"error: {path}, row 14, column {B}, value '': empty procedure code",
    ]
    # G1 alone: online (P4, channel 2), completed 10/01 on its due date 10/01.
    assert counts(result) == {("STP", "2022-01"): (1, 1, 1, 1, 0)}


def test_summary_books_each_row_under_its_first_failed_check(tmp_path, catalogue_file, resolver):
    """By hand from CHECKED: 14 rows; G1 used; row 15 (unknown agency and no receipt) is booked
    under the agency only: agency 3 (rows 4, 5, 15), received 2 (6, 7), due 2, channel 2, the
    other checks 1 each: 13 rejected. Reasons with no row are left out of the line."""
    path = export(tmp_path, "e.csv", CHECKED)
    summary = aggregate.load_dossiers([path], catalogue_file, resolver).summary
    assert summary.lines() == [
        "dossier rows read: 14",
        "  used: 1",
        "  rejected: 13 (empty dossier id 1, unknown agency 3, received date empty or not a date "
        "2, due date empty or not a date 2, completion date not a date 1, completed before "
        "received 1, unknown channel 2, empty procedure code 1)",
        "  identical duplicates counted once: 0",
    ]


def test_summary_lines_group_thousands():
    summary = IngestSummary(
        read=1_242_567,
        used=1_234_000,
        rejected={"unknown_agency": 0, "received": 4_567, "conflicting_duplicate": 2_000},
        identical_copies=2_000,
        not_in_catalogue=1_500,
    )
    assert summary.lines() == [
        "dossier rows read: 1,242,567",
        "  used: 1,234,000 (of which 1,500 of procedures not in the catalogue)",
        "  rejected: 6,567 (received date empty or not a date 4,567, conflicting duplicate id "
        "2,000)",
        "  identical duplicates counted once: 2,000",
    ]
    clean = IngestSummary(read=3, used=3, rejected={}, identical_copies=0, not_in_catalogue=0)
    assert clean.lines() == [
        "dossier rows read: 3",
        "  used: 3",
        "  rejected: 0",
        "  identical duplicates counted once: 0",
    ]


def write_text_parquet(path, rows):
    """Every cell as text, exactly as written ("" stays "", spaces stay, no normalisation)."""
    header, *body = rows
    columns = {h: pa.array([r[i] for r in body], pa.string()) for i, h in enumerate(header)}
    pq.write_table(pa.table(columns), path)
    return path


def test_blank_and_decomposed_cells_of_a_parquet_export(tmp_path, catalogue_file, resolver):
    """Parquet is read as written: a cell of spaces is an empty cell (as CSV's are), and a value
    is shown in composed Unicode (NFC) whatever the file holds."""
    nfd = "So\u031b\u0309 Giao tho\u0302ng va\u0302n ta\u0309i"  # "Sở Giao thông vân tải", NFD
    rows = [
        row("G1", completed="10/01/2022"),  # 2: used
        row("E1", agency="   "),  # 3
        row("E2", agency=nfd),  # 4
        row("E3", channel="  "),  # 5
        row("E4", procedure="  "),  # 6
    ]
    path = write_text_parquet(tmp_path / "e.parquet", [HEADER, *rows])
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(result.problems) == [
        f"error: {path}, row 3, column {C}, value '': empty agency cell",
        f"error: {path}, row 4, column {C}, value 'Sở Giao thông vân tải': "
        "unknown agency; closest: SGTVT",
        f"error: {path}, row 5, column {D}, value '': empty channel cell",
        f"error: {path}, row 6, column {B}, value '': empty procedure code",
    ]
    assert counts(result) == {("STP", "2022-01"): (1, 1, 1, 1, 0)}


def test_the_twentieth_problem_of_a_kind_is_still_listed(tmp_path, catalogue_file, resolver):
    """LISTED_PER_KIND (20) rows of a kind: all listed, no "more" line."""
    rows = [row(f"B{i}", agency="qqqq") for i in range(20)]
    result = aggregate.load_dossiers([export(tmp_path, "e.csv", rows)], catalogue_file, resolver)
    assert [p.row for p in result.problems] == list(range(2, 22))
    assert not [p for p in result.problems if "more row" in p.message]


def test_more_problems_than_listed_name_the_exports_listed(tmp_path, catalogue_file, resolver):
    """25 unknown agencies, 15 in b.csv then 10 in a.csv (read in that order): the first 20 are
    b's rows 2-16 and a's rows 2-6; the line for the other 5 names both files, sorted."""
    second = export(tmp_path, "b.csv", [row(f"B{i}", agency="qqqq") for i in range(15)])
    first = export(tmp_path, "a.csv", [row(f"A{i}", agency="qqqq") for i in range(10)])
    result = aggregate.load_dossiers([second, first], catalogue_file, resolver)
    listed = [(p.file, p.row) for p in result.problems if p.row is not None]
    assert listed == [(str(second), r) for r in range(2, 17)] + [
        (str(first), r) for r in range(2, 7)
    ]
    assert shown(p for p in result.problems if p.row is None) == [
        f"error: {first}, {second}: ... and 5 more row(s) with the same problem (unknown agency), "
        "not listed"
    ]
    assert result.summary.rejected["unknown_agency"] == 25


# --- duplicate ids --------------------------------------------------------------------------

DUPLICATED = [
    row("D1"),  # 2
    row("D1"),  # 3
    row("D1", received="06/01/2022", status="Đã trả"),  # 4: differs in received and status
    row("D2"),  # 5
    row("D2"),  # 6
    row("D2"),  # 7
    row(""),  # 8: empty ids are not copies of each other
    row(""),  # 9
    row("D3", agency="STP"),  # 10: the same unit, written otherwise
    row("D3"),  # 11
]


def test_duplicate_ids_name_every_copy_and_what_differs(tmp_path, catalogue_file, resolver):
    """D1 (rows 2-4) differs in received and status: all three are errors, none counted; D3
    differs in how its agency is written (cells are compared as written): both errors. D2's
    copies (rows 6, 7) are warnings, row 5 counts. The empty ids are two errors."""
    path = export(tmp_path, "d.csv", DUPLICATED)
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    d1 = (
        "dossier id appears 3 times with different received, status "
        f"({path} row 2; {path} row 3; {path} row 4): none is counted"
    )
    d3 = (
        "dossier id appears 2 times with different agency "
        f"({path} row 10; {path} row 11): none is counted"
    )
    d2 = (
        "dossier id appears 3 times, identical "
        f"({path} row 5; {path} row 6; {path} row 7): counted once"
    )
    assert shown(result.problems) == [
        f"error: {path}, row 2, column {A}, value 'D1': {d1}",
        f"error: {path}, row 3, column {A}, value 'D1': {d1}",
        f"error: {path}, row 4, column {A}, value 'D1': {d1}",
        f"error: {path}, row 10, column {A}, value 'D3': {d3}",
        f"error: {path}, row 11, column {A}, value 'D3': {d3}",
        f"warning: {path}, row 6, column {A}, value 'D2': {d2}",
        f"warning: {path}, row 7, column {A}, value 'D2': {d2}",
        f"error: {path}, row 8, column {A}, value '': empty dossier id",
        f"error: {path}, row 9, column {A}, value '': empty dossier id",
    ]
    s = result.summary
    assert (s.read, s.used, s.identical_copies) == (10, 1, 2)
    assert {k: n for k, n in s.rejected.items() if n} == {"empty_id": 2, "conflicting_duplicate": 5}
    # D2 (row 5): online, not completed, due 10/01 within January: pending overdue.
    assert counts(result) == {("STP", "2022-01"): (1, 1, 0, 0, 1)}


def test_many_duplicates_are_capped_but_counted(tmp_path, catalogue_file, resolver):
    """11 ids each twice with different channels (rows 2-23: 22 errors) and one id 22 times
    (rows 24-45: 21 identical copies): 20 of each kind listed, then a line for the rest naming
    every export read (a.csv, without copies, too)."""
    conflicting = [row(f"C{i:02d}", channel=ch) for i in range(11) for ch in ("1", "2")]
    identical = [row("I1") for _ in range(22)]
    path = export(tmp_path, "d.csv", [*conflicting, *identical])
    other = export(tmp_path, "a.csv", [row("Z1")])
    result = aggregate.load_dossiers([path, other], catalogue_file, resolver)
    errors = [p for p in result.problems if p.is_error]
    warnings = [p for p in result.problems if not p.is_error]
    assert [p.row for p in errors] == [*range(2, 22), None]
    assert str(errors[0]) == (
        f"error: {path}, row 2, column {A}, value 'C00': dossier id appears 2 times with "
        f"different channel ({path} row 2; {path} row 3): none is counted"
    )
    assert str(errors[-1]) == (
        f"error: {path}, {other}: ... and 2 more row(s) with the same problem (conflicting "
        "duplicate id), not listed"
    )
    assert [p.row for p in warnings] == [*range(25, 45), None]
    assert str(warnings[-1]) == (
        f"warning: {path}, {other}: ... and 1 more row(s) with the same problem (identical "
        "duplicate (counted once)), not listed"
    )
    s = result.summary
    assert (s.read, s.used, s.identical_copies) == (45, 2, 21)  # 22 + 22 + 1 rows
    assert s.rejected["conflicting_duplicate"] == 22


# --- procedures missing from the catalogue --------------------------------------------------


def missing_rows() -> list[list[str]]:
    """X50 3 dossiers (rows 2-4), X99 4 (rows 5-8), X01..X21 2 each (rows 9-50; X01 at rows 9
    and 10, X01's second in February)."""
    rows = [row("M50a", "X50"), row("M50b", "X50"), row("M50c", "X50")]
    rows += [row(f"M99{c}", "X99") for c in "abcd"]
    for i in range(1, 22):
        rows += [
            row(f"M{i:02d}a", f"X{i:02d}"),
            row(f"M{i:02d}b", f"X{i:02d}", received="05/02/2022", due="10/02/2022"),
        ]
    return rows


@pytest.mark.parametrize("with_bad_row", [False, True])
def test_procedures_missing_from_the_catalogue_most_dossiers_first(
    tmp_path, catalogue_file, resolver, with_bad_row
):
    """One warning per code, most dossiers first (X99 4, X50 3), then by code (X01..X18, 2 each):
    20 listed, each at its first row; the rest (X19, X20, X21: 3 codes, 6 dossiers) in one line.
    Alike whether every row is used or a bad row in a second export makes the aggregation count
    them (that bad row's own code, X77, is not counted: the row is not used)."""
    path = export(tmp_path, "m.csv", missing_rows())
    paths = [path]
    if with_bad_row:
        paths.append(export(tmp_path, "bad.csv", [row("Q1", "X77", agency="qqqq")]))
    result = aggregate.load_dossiers(paths, catalogue_file, resolver)
    missing = [p for p in result.problems if "catalogue" in p.message]
    first_rows = {"X99": 5, "X50": 2} | {f"X{i:02d}": 7 + 2 * i for i in range(1, 19)}
    assert shown(missing[:-1]) == [
        f"warning: {path}, row {first}, column {B}, value '{code}': procedure {code} is not in "
        f"the catalogue: its {4 if code == 'X99' else 3 if code == 'X50' else 2} dossier(s) count "
        "in the total, never as online"
        for code, first in first_rows.items()
    ]
    names = ", ".join(str(p) for p in paths)
    assert str(missing[-1]) == (
        f"warning: {names}: ... and 3 more procedure code(s) not in the catalogue (6 dossier(s)), "
        "not listed"
    )
    assert result.summary.not_in_catalogue == 49
    # 49 dossiers, none online (no code is in the catalogue): January 3 + 4 + 21, February 21.
    assert counts(result) == {
        ("STP", "2022-01"): (28, 0, 0, 0, 28),
        ("STP", "2022-02"): (21, 0, 0, 0, 21),
    }


def test_rejected_rows_of_a_missing_procedure_are_not_counted_in_its_warning(
    tmp_path, catalogue_file, resolver
):
    """PX: rows 2 and 4 used, row 3 rejected (unknown agency): "its 2 dossier(s)", first row 2."""
    rows = [row("R1", "PX"), row("R2", "PX", agency="qqqq"), row("R3", "PX")]
    path = export(tmp_path, "e.csv", rows)
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(p for p in result.problems if not p.is_error) == [
        f"warning: {path}, row 2, column {B}, value 'PX': procedure PX is not in the catalogue: "
        "its 2 dossier(s) count in the total, never as online"
    ]
    assert result.summary.not_in_catalogue == 2


# --- no catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize("required", [True, False])
def test_without_a_catalogue_online_is_not_counted(tmp_path, resolver, required):
    """The first problem names every export: an error, or for `check` a warning. No procedure
    is then reported missing from a catalogue; the counts are those by hand with online 0."""
    first = export(tmp_path, "a.csv", [row("R1", completed="08/01/2022")])
    second = export(tmp_path, "b.csv", [row("R2", "PX")])
    result = aggregate.load_dossiers([first, second], None, resolver, catalogue_required=required)
    assert shown(result.problems) == [
        f"{'error' if required else 'warning'}: {first}, {second}: no procedure catalogue given "
        "(--catalogue FILE): online dossiers not counted"
    ]
    # R1 completed 08/01 before its due date 10/01; R2 pending past 10/01.
    assert counts(result) == {("STP", "2022-01"): (2, 0, 1, 1, 1)}


# --- two-digit years and the plausible range --------------------------------------------------

TWO_DIGIT = [
    row("R1", received="01/02/22", due="10/02/2022"),  # 2
    row("R2", received="03/02/2022", due="28/02/99", completed="1/3/22"),  # 3: two dates
]


def test_two_digit_years_are_read_as_20yy_one_warning_per_date(tmp_path, catalogue_file, resolver):
    """R1 received 01/02/2022, pending past its due date 10/02: overdue; R2 due 28/02/2099,
    completed 01/03/2022: resolved on time, not overdue. February: 2 online, 1 resolved."""
    path = export(tmp_path, "e.csv", TWO_DIGIT)
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    tail = "write the year with four digits"
    assert shown(result.problems) == [
        f"warning: {path}, row 2, column {E}, value '01/02/22': two-digit year read as 2022 "
        f"(01/02/2022): {tail}",
        f"warning: {path}, row 3, column {F}, value '28/02/99': two-digit year read as 2099 "
        f"(28/02/2099): {tail}",
        f"warning: {path}, row 3, column {G}, value '1/3/22': two-digit year read as 2022 "
        f"(01/03/2022): {tail}",
    ]
    assert counts(result) == {("STP", "2022-02"): (2, 2, 1, 1, 1)}


def test_many_two_digit_years_are_capped_but_counted(tmp_path, catalogue_file, resolver):
    """22 rows with a two-digit receipt: 20 warnings, then one for the other 2 rows, naming
    every export read (a.csv too, which has none)."""
    path = export(tmp_path, "e.csv", [row(f"R{i}", received="05/01/22") for i in range(22)])
    other = export(tmp_path, "a.csv", [row("S1")])
    result = aggregate.load_dossiers([path, other], catalogue_file, resolver)
    assert [p.row for p in result.problems] == [*range(2, 22), None]
    assert str(result.problems[-1]) == (
        f"warning: {path}, {other}: ... and 2 more row(s) with the same problem (two-digit year "
        "read as 20yy), not listed"
    )
    assert not any(p.is_error for p in result.problems)


def test_plausible_years_run_from_2000_to_2099(tmp_path, catalogue_file, resolver):
    """The first and last days of the range are dates, the days either side are not."""
    rows = [
        row("Y1", received="01/01/2000", due="31/12/2099"),  # 2: used
        row("Y2", received="31/12/1999"),  # 3
        row("Y3", received="01/01/2022", due="01/01/2100"),  # 4
        row("Y4", received="2000-01-01", due="2099-12-31"),  # 5: used
    ]
    path = export(tmp_path, "e.csv", rows)
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(result.problems) == [
        f"error: {path}, row 3, column {E}, value '31/12/1999': {year_message(1999)}",
        f"error: {path}, row 4, column {F}, value '01/01/2100': {year_message(2100)}",
    ]
    # Y1, Y4: January 2000, online, pending but due in 2099: not overdue.
    assert counts(result) == {("STP", "2000-01"): (2, 2, 0, 0, 0)}


# --- dates as systems write them ------------------------------------------------------------


def test_every_date_format_and_offsets_give_vietnam_dates(tmp_path, catalogue_file, resolver):
    """In this process (whatever its zone), instants are Vietnam wall time (UTC+7):
    - F1: received 05-01-2022, due 10/01/2022 17:00:00, completed 2022-01-08T09:15: January,
      on time;
    - F2: received 2022-01-31T20:00:00-05:00 = 01/02 01:00 UTC = 01/02 08:00 in Vietnam:
      February; pending, due 10/02: overdue;
    - F3: received 2022-01-31T17:30:00Z = 01/02 00:30: February; completed
      2022-02-10T18:00:00+00:00 = 11/02 01:00, after its due date 10/02: late;
    - F4: received 15/02/2022 09:30, completed 2022-02-16 08:00+07: February, on time."""
    rows = [
        row("F1", received="05-01-2022", due="10/01/2022 17:00:00", completed="2022-01-08T09:15"),
        row("F2", received="2022-01-31T20:00:00-05:00", due="2022-02-10"),
        row(
            "F3",
            received="2022-01-31T17:30:00Z",
            due="10/02/2022",
            completed="2022-02-10T18:00:00+00:00",
        ),
        row("F4", received="15/02/2022 09:30", due="20/02/2022", completed="2022-02-16 08:00+07"),
    ]
    result = aggregate.load_dossiers([export(tmp_path, "e.csv", rows)], catalogue_file, resolver)
    assert not result.problems
    assert counts(result) == {
        ("STP", "2022-01"): (1, 1, 1, 1, 0),
        ("STP", "2022-02"): (3, 3, 2, 1, 1),
    }


def test_parquet_dates_with_stray_spaces_are_read(tmp_path, catalogue_file, resolver):
    """Parquet text is not trimmed on reading; a date with spaces around it is still a date.
    P1: received 05/01, completed 09/01 before due 10/01: on time."""
    rows = [row("P1", received=" 05/01/2022 ", due="10/01/2022 ", completed=" 2022-01-09")]
    path = write_text_parquet(tmp_path / "e.parquet", [HEADER, *rows])
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert not result.problems
    assert counts(result) == {("STP", "2022-01"): (1, 1, 1, 1, 0)}


def test_date_formats_for_puts_the_commonest_first():
    """Hits by hand: iso 2 (the first two), dd/mm/yyyy 1, dd-mm-yyyy 1 (once stripped), the two
    with a time 0; ties keep the accepted formats' order; empty cells count for none."""
    sample = ["2022-01-05", "2022-01-06T08:00", "05/01/2022", None, "  ", " 05-01-2022 "]
    assert aggregate.date_formats_for(sample) == [
        "iso",
        "%d/%m/%Y",
        "%d-%m-%Y",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ]
    assert aggregate.date_formats_for(["05/01/2022 08:30"] * 2 + ["05/01/2022 08:30:00"]) == [
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y",
        "%d-%m-%Y",
        "iso",
    ]


# --- months with no dossier -----------------------------------------------------------------


def test_months_with_no_dossier_list_six_then_dots(tmp_path, catalogue_file, resolver):
    """STP has dossiers in January and October 2022 only (8 empty months: 6 listed), STC in every
    month from January to October, CAOPHONG in January and August to October (6 empty months: all listed).
    The warning names every export, in the order given."""
    months = range(1, 11)
    stc = [row(f"S{m}", agency="Sở Tài chính", received=f"05/{m:02d}/2022") for m in months]
    stp = [row("T1"), row("T10", received="05/10/2022")]
    caophong = [row(f"C{m}", "D4", "Cao Phong", received=f"05/{m:02d}/2022") for m in (1, 8, 9, 10)]
    first = export(tmp_path, "b.csv", [*stp, *caophong])
    second = export(tmp_path, "a.csv", stc)
    result = aggregate.load_dossiers([first, second], catalogue_file, resolver)
    tail = "counted as 0 (if its exports for those months were not sent, its figures are too low)"
    assert shown(result.problems) == [
        f"warning: {first}, {second}: CAOPHONG has no dossier at all in 6 month(s) of "
        "2022-01..2022-10: 2022-02, 2022-03, 2022-04, 2022-05, 2022-06, 2022-07; " + tail,
        f"warning: {first}, {second}: STP has no dossier at all in 8 month(s) of "
        "2022-01..2022-10: 2022-02, 2022-03, 2022-04, 2022-05, 2022-06, 2022-07, ...; " + tail,
    ]
    records = {(r["unit_code"], r["month"]): r for r in result.records}
    assert len(records) == 30  # 3 units x 10 months
    empty = records[("STP", "2022-05")]
    assert (empty["total"], empty["source_file"], empty["source_row"], empty["source_unit"]) == (
        0,
        f"{first}, {second}",
        0,
        "",
    )


def test_source_row_is_the_first_in_export_order_then_row_order(tmp_path, catalogue_file, resolver):
    """STP's January dossiers: a.csv row 4 (written "STP") and b.csv row 2: the first is a.csv's,
    though its row number is larger. With a rejected row, the used rows still decide it."""
    first = export(
        tmp_path,
        "a.csv",
        [row("C1", "D4", "Cao Phong"), row("Q1", agency="qqqq"), row("S1", agency="STP")],
    )
    second = export(tmp_path, "b.csv", [row("S2"), row("S3", received="31/12/2021")])
    result = aggregate.load_dossiers([first, second], catalogue_file, resolver)
    where = {
        (r["unit_code"], r["month"]): (r["source_file"], r["source_row"], r["source_unit"])
        for r in result.records
    }
    assert where == {
        ("CAOPHONG", "2021-12"): (f"{first}, {second}", 0, ""),
        ("CAOPHONG", "2022-01"): (str(first), 2, "Cao Phong"),
        ("STP", "2021-12"): (str(second), 3, "Sở Tư pháp"),
        ("STP", "2022-01"): (str(first), 4, "STP"),
    }


def test_monthly_counts_csv_of_december_and_january(tmp_path, catalogue_file, resolver):
    """December 2021 then January 2022: the month is written YYYY-MM across the year's end.
    S0 (Dec): online, pending, due 10/01 after December: not overdue; S1 (Jan) overdue."""
    rows = [row("S0", received="20/12/2021"), row("S1")]
    result = aggregate.load_dossiers([export(tmp_path, "e.csv", rows)], catalogue_file, resolver)
    assert aggregate.monthly_counts_csv(result.records) == (
        "unit_code,month,total,online,resolved,resolved_on_time,pending_overdue\n"
        "STP,2021-12,1,1,0,0,0\n"
        "STP,2022-01,1,1,0,0,1\n"
    )


# --- what was read, and faults --------------------------------------------------------------


def test_files_name_each_export_with_rows_digest_and_unit_column(
    tmp_path, catalogue_file, resolver
):
    import hashlib

    path = export(tmp_path, "e.csv", [row("R1"), row("R2", agency="qqqq")])
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.files[0] == SourceFile("e.csv", str(path), 2, digest, C)


def test_nothing_readable_gives_no_counts_and_an_empty_summary(tmp_path, catalogue_file, resolver):
    missing = tmp_path / "nowhere.csv"
    result = aggregate.ingest([missing], None, resolver)
    assert result.records == [] and result.files == []
    assert result.summary == IngestSummary(0, 0, {}, 0, 0)
    assert [p.file for p in result.problems] == [str(missing)] and result.problems[0].is_error


def test_connect_defaults_and_vietnam_time_zone(tmp_path):
    con = aggregate.connect(tmp_path)
    try:
        setting = "SELECT current_setting('memory_limit'), current_setting('TimeZone')"
        limit, zone = con.execute(setting).fetchone()
        cursor_zone = con.cursor().execute("SELECT current_setting('TimeZone')").fetchone()[0]
        others = con.execute(
            "SELECT current_setting('threads'), current_setting('preserve_insertion_order'), "
            "current_setting('enable_progress_bar')"
        ).fetchone()
    finally:
        con.close()
    # 256MB as DuckDB shows it (256 * 10^6 bytes = 244.1 MiB)
    assert limit in ("244.1 MiB", "256.0 MB") and zone == cursor_zone == "Asia/Ho_Chi_Minh"
    # every core, at most 8; no insertion order to keep; no progress bar on the terminal
    assert others == (min(os.cpu_count() or 2, 8), False, False)


def staging_of(con) -> str:
    return con.execute("SELECT current_setting('temp_directory')").fetchone()[0]


FAULTS = {
    # DuckDB could not write its spill file into the staging folder
    "spill": (
        lambda staging: duckdb.IOException(
            f'IO Error: Could not write "{staging}/t.block": quota\nHINT: free some space'
        ),
        'IO Error: Could not write "{staging}/t.block": quota',
    ),
    "disk full": (
        lambda staging: duckdb.IOException("IO Error: write failed: No space left on device\nhint"),
        "No space left on device (DuckDB spills there beyond --memory-limit)",
    ),
    "memory": (
        lambda staging: duckdb.OutOfMemoryException("Out of Memory Error: could not allocate"),
        "out of memory: raise --memory-limit, or free space in the temporary folder",
    ),
    "os": (
        lambda staging: OSError(errno.EDQUOT, "Disk quota exceeded"),
        "Disk quota exceeded",
    ),
    "os, no strerror": (lambda staging: OSError("quota gone"), "quota gone"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_spilling_faults_are_cannot_write_the_staging_folder(
    tmp_path, catalogue_file, resolver, monkeypatch, fault
):
    make, reason = FAULTS[fault]
    seen = []

    def failing(con, *args):
        seen.append(staging_of(con))
        raise make(seen[0])

    monkeypatch.setattr(aggregate, "_aggregate", failing)
    path = export(tmp_path, "e.csv", [row("R1")])
    with pytest.raises(CannotWrite) as raised:
        aggregate.ingest([path], None, resolver)
    assert str(raised.value.path) == seen[0]
    assert raised.value.reason == reason.format(staging=seen[0])


def test_other_duckdb_io_errors_are_not_blamed_on_the_staging_folder(
    tmp_path, resolver, monkeypatch
):
    def failing(con, *args):
        raise duckdb.IOException("IO Error: Cannot open file: Permission denied")

    monkeypatch.setattr(aggregate, "_aggregate", failing)
    path = export(tmp_path, "e.csv", [row("R1")])
    with pytest.raises(duckdb.IOException, match="Permission denied"):
        aggregate.ingest([path], None, resolver)


def test_exports_that_vanish_are_each_an_error(tmp_path, resolver, monkeypatch):
    """Two exports, one removed before DuckDB scans it: one error, naming that one only."""
    kept = export(tmp_path, "a.csv", [row("R1")])
    gone = write_text_parquet(tmp_path / "b.parquet", [HEADER, row("R2")])
    real = aggregate._aggregate

    def vanishing(con, sources, *args):
        gone.unlink()
        return real(con, sources, *args)

    monkeypatch.setattr(aggregate, "_aggregate", vanishing)
    result = aggregate.ingest([kept, gone], None, resolver)
    assert shown(result.problems) == [
        f"error: {gone}: cannot read the file: it was removed or moved while being read"
    ]
    assert result.records == []


def test_typed_parquet_ids_and_channels(tmp_path, catalogue_file, resolver):
    """Integer ids are compared as text (7 twice, identical: counted once); an integer channel
    outside 1-3 is an unknown channel shown as written."""
    table = pa.table(
        {
            "dossier_id": pa.array([7, 7, 8], pa.int64()),
            "procedure_code": ["P4", "P4", "P4"],
            "agency": ["STP", "STP", "STP"],
            "channel": pa.array([2, 2, 4], pa.int16()),
            "received": pa.array([datetime(2022, 1, 5)] * 3),
            "due": pa.array([datetime(2022, 1, 10)] * 3),
            "completed": pa.array([None, None, None], pa.timestamp("s")),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert [(p.severity, p.row, p.column, p.value) for p in result.problems] == [
        ("warning", 3, "A (dossier_id)", "7"),
        ("error", 4, "D (channel)", "4"),
    ]
    assert result.problems[1].message == CHANNEL_HINT
    assert counts(result) == {("STP", "2022-01"): (1, 1, 0, 0, 1)}


def test_a_blank_procedure_code_is_never_missing_from_the_catalogue(
    tmp_path, catalogue_file, resolver
):
    """A Parquet export writes an empty procedure as "" (not null). With a row left out (so that
    the aggregation, not the spellings pass, counts the missing procedures), the used rows of
    catalogued procedures were booked under that blank code: a warning "procedure  is not in
    the catalogue" and a wrong count in the summary. By hand: R1 (P4) used, R2 (blank code)
    rejected; nothing is missing from the catalogue."""
    rows = [row("R1"), row("R2", procedure="")]
    path = write_text_parquet(tmp_path / "e.parquet", [HEADER, *rows])
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(result.problems) == [
        f"error: {path}, row 3, column {B}, value '': empty procedure code"
    ]
    assert result.summary.not_in_catalogue == 0
    assert result.summary.lines()[1] == "  used: 1"


def test_a_two_digit_date_that_is_no_date_is_an_error_not_a_warning(
    tmp_path, catalogue_file, resolver
):
    """Row 2: received 01/02/22 (read as 2022: a warning), due 31/02/22 (no such day: an error,
    the row left out)."""
    path = export(tmp_path, "e.csv", [row("R1", received="01/02/22", due="31/02/22")])
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(result.problems) == [
        f"error: {path}, row 2, column {F}, value '31/02/22': {DATE_HINT}",
        f"warning: {path}, row 2, column {E}, value '01/02/22': two-digit year read as 2022 "
        "(01/02/2022): write the year with four digits",
    ]
    assert result.records == []


def test_twenty_missing_procedures_are_all_listed_by_code(tmp_path, catalogue_file, resolver):
    """Z20 .. Z01 at rows 2 .. 21, one dossier each: the same count, so by code (Z01 first, at
    row 21), not by row; exactly LISTED_PER_KIND (20) codes: no "more" line."""
    path = export(tmp_path, "e.csv", [row(f"R{i}", f"Z{i:02d}") for i in range(20, 0, -1)])
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert [(p.value, p.row) for p in result.problems] == [
        (f"Z{i:02d}", 22 - i) for i in range(1, 21)
    ]
    assert all(
        p.message.endswith("its 1 dossier(s) count in the total, never as online")
        for p in result.problems
    )


def test_a_two_digit_year_is_read_as_day_month_year_in_an_iso_column(
    tmp_path, catalogue_file, resolver
):
    """Received dates mostly ISO, so the ISO reading is tried first; DuckDB's cast reads
    "01/02/22" as year 1, month 2, day 22 (then moved to 2001-02-22). By hand it is 1 February
    2022 (dd/mm/yy), with a warning: R3 counts in February 2022 with R1 and R2."""
    rows = [
        row("R1", received="2022-02-03", due="10/02/2022"),
        row("R2", received="2022-02-04", due="10/02/2022"),
        row("R3", received="01/02/22", due="10/02/2022"),
    ]
    path = export(tmp_path, "e.csv", rows)
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(result.problems) == [
        f"warning: {path}, row 4, column {E}, value '01/02/22': two-digit year read as 2022 "
        "(01/02/2022): write the year with four digits",
    ]
    # all three online, pending past their due date 10/02
    assert counts(result) == {("STP", "2022-02"): (3, 3, 0, 0, 3)}


def test_an_unknown_agency_names_every_close_unit(tmp_path, catalogue_file, resolver):
    """ "Huyện Lạc Thổ" is close to two districts, Lạc Thủy and Lạc Sơn (the registry's own
    example, `UnitResolver.suggest`): both are offered, the closest first."""
    path = export(tmp_path, "e.csv", [row("R1", agency="Huyện Lạc Thổ")])
    result = aggregate.load_dossiers([path], catalogue_file, resolver)
    assert shown(result.problems) == [
        f"error: {path}, row 2, column {C}, value 'Huyện Lạc Thổ': "
        "unknown agency; closest: LACTHUY, LACSON"
    ]
