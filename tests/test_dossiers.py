"""Dossier exports to monthly counts: a hand-built fixture whose counts were worked out by hand.

The fixture (FIXTURE below, header = spreadsheet row 1) holds, for Sở Tư pháp (STP) and Cao Phong:

| row | id | procedure (level) | channel | received | due | completed | what it tests |
|---|---|---|---|---|---|---|---|
| 2 | A01 | P4 (4) | 2 | 05/01/2022 | 10/01/2022 | 10/01/2022 | online, on time on the due date |
| 3 | A02 | P3 (3) | Trực tuyến | 2022-01-06 | 2022-01-12 | 2022-01-13 09:00 | online, a day late |
| 4 | A03 | P2 (2) | 2 | 7/1/2022 08:30 | 12/01/2022 | | online channel, level 2: not online; pending past due |
| 5 | A04 | P4 (4) | 1 | 20/01/2022 | 25/01/2022 | 24/01/2022 | in person: not online; on time |
| 6 | A05 | P4 (4) | BƯU CHÍNH CÔNG ÍCH | 28/01/2022 | 03/02/2022 | | pending, due after the month: not overdue |
| 7 | A06 | PX (none) | 2 | 03/02/2022 | 28/02/2022 | 01/03/2022 | not in catalogue: total only; late; pending at end of Feb |
| 8 | A01 | = row 2 | | | | | identical duplicate: counted once |
| 9, 10 | A07 | P4 | 2 / 3 | | | | conflicting duplicate: neither counted |
| 11 | A08 | D4 (4) | 2 | 15/02/2022 14:05:09 | 20/02/2022 | 18/02/2022 | Cao Phong: online, on time |
| 12 | A09 | D4 (4) | Trực Tiếp | 16/02/2022 | 17/02/2022 | | Cao Phong: pending past due |
| 13-20 | | | | | | | one row of each problem kind |

By hand:
- STP 2022-01: rows 2-6: total 5, online 2 (rows 2, 3), resolved 3 (2, 3, 5), on time 2 (2, 5),
  pending overdue 1 (row 4; row 6 is due 03/02).
- STP 2022-02: row 7: total 1, online 0, resolved 1, on time 0, pending overdue 1 (completed on
  01/03, after the month, and due 28/02, the month's last day).
- CAOPHONG 2022-02: rows 11, 12: total 2, online 1, resolved 1, on time 1, pending overdue 1.
- CAOPHONG 2022-01: no dossiers, but the unit is in the data: a row of zeros.
- Rows: 19 read = 8 used + 10 rejected (8 problem rows, 2 conflicting copies) + 1 identical copy.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import (
    DOSSIER_HEADER,
    cp1258_bytes,
    csv_text,
    ingest_without,
    write_csv,
    write_workbook,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kpi_utils.cli import main
from kpi_utils.common.problems import errors
from kpi_utils.metrics.pipeline import load_inputs
from kpi_utils.sources import aggregate, catalogue, dossiers

HEADER = DOSSIER_HEADER
GOOD = [
    ["A01", "P4", "Sở Tư pháp", "2", "05/01/2022", "10/01/2022", "10/01/2022", "Đã trả"],
    ["A02", "P3", "Sở Tư pháp", "Trực tuyến", "2022-01-06", "2022-01-12", "2022-01-13 09:00", ""],
    ["A03", "P2", "STP", "2", "7/1/2022 08:30", "12/01/2022", "", "Đang xử lý"],
    ["A04", "P4", "Sở Tư pháp", "1", "20/01/2022", "25/01/2022", "24/01/2022", "Đã trả"],
    ["A05", "p4", "sở tư pháp", "BƯU CHÍNH CÔNG ÍCH", "28/01/2022", "03/02/2022", "", ""],
    ["A06", "PX", "Sở Tư pháp", "2", "03/02/2022", "28/02/2022", "01/03/2022", "Đã trả"],
    ["A01", "P4", "Sở Tư pháp", "2", "05/01/2022", "10/01/2022", "10/01/2022", "Đã trả"],
    ["A07", "P4", "Sở Tư pháp", "2", "04/02/2022", "10/02/2022", "09/02/2022", "Đã trả"],
    ["A07", "P4", "Sở Tư pháp", "3", "04/02/2022", "10/02/2022", "09/02/2022", "Đã trả"],
    ["A08", "D4", "Huyện Cao Phong", "2", "15/02/2022 14:05:09", "20/02/2022", "18/02/2022", ""],
    ["A09", "D4", "Cao Phong", "Trực Tiếp", "16/02/2022", "17/02/2022", "", "Đang xử lý"],
]
BAD = [
    ["", "P4", "Sở Tư pháp", "2", "05/02/2022", "10/02/2022", "", ""],  # 13 empty id
    ["A10", "P4", "Sở Không Tồn Tại", "2", "05/02/2022", "10/02/2022", "", ""],  # 14 agency
    ["A11", "P4", "Sở Tư pháp", "2", "31/02/2022", "10/02/2022", "", ""],  # 15 received
    ["A12", "P4", "Sở Tư pháp", "2", "05/02/2022", "sớm", "", ""],  # 16 due
    ["A13", "P4", "Sở Tư pháp", "2", "05/02/2022", "10/02/2022", "2022-13-01", ""],  # 17 completed
    ["A14", "P4", "Sở Tư pháp", "2", "05/02/2022", "10/02/2022", "01/02/2022", ""],  # 18 before
    ["A15", "P4", "Sở Tư pháp", "Fax", "05/02/2022", "10/02/2022", "", ""],  # 19 channel
    ["A16", "", "Sở Tư pháp", "2", "05/02/2022", "10/02/2022", "", ""],  # 20 procedure
]
FIXTURE = [HEADER, *GOOD, *BAD]
CATALOGUE = [
    ["Mã TTHC", "Tên TTHC", "Mức độ", "Cơ quan"],
    ["P4", "Thủ tục toàn trình", "Toàn trình", "Sở Tư pháp"],
    ["P3", "Thủ tục một phần", "Một phần", "Sở Tư pháp"],
    ["P2", "Thủ tục mức 2", "2", "Sở Tư pháp"],
    ["D4", "Thủ tục cấp huyện", "4", "UBND huyện Cao Phong"],
]
# unit, month -> total, online, resolved, resolved_on_time, pending_overdue (worked out above)
EXPECTED = {
    ("CAOPHONG", "2022-01"): (0, 0, 0, 0, 0),
    ("CAOPHONG", "2022-02"): (2, 1, 1, 1, 1),
    ("STP", "2022-01"): (5, 2, 3, 2, 1),
    ("STP", "2022-02"): (1, 0, 1, 0, 1),
}
# (row, column letter, value) of each error, worked out from BAD and the duplicates
EXPECTED_ERRORS = {
    (9, "A", "A07"),
    (10, "A", "A07"),
    (13, "A", ""),
    (14, "C", "Sở Không Tồn Tại"),
    (15, "E", "31/02/2022"),
    (16, "F", "sớm"),
    (17, "G", "2022-13-01"),
    (18, "G", "01/02/2022"),
    (19, "D", "Fax"),
    (20, "B", ""),
}


def as_table(frame) -> dict:
    columns = ["total", "online", "resolved", "resolved_on_time", "pending_overdue"]
    return {
        (r.unit_code, str(r.month)): tuple(int(getattr(r, c)) for c in columns)
        for r in frame.itertuples(index=False)
    }


@pytest.fixture
def catalogue_file(tmp_path):
    return write_csv(tmp_path / "catalogue.csv", CATALOGUE)


def write_parquet(path, rows):
    header, *body = rows
    columns = {h: pa.array([r[i] or None for r in body], pa.string()) for i, h in enumerate(header)}
    pq.write_table(pa.table(columns), path)
    return path


def write_xlsx(path, rows):
    """The fixture as a workbook; row 2's dates as real date cells, the rest as text."""
    rows = [list(r) for r in rows]
    rows[1][4:7] = [datetime(2022, 1, 5), datetime(2022, 1, 10), datetime(2022, 1, 10)]
    rows[7][4:7] = [datetime(2022, 1, 5), datetime(2022, 1, 10), datetime(2022, 1, 10)]
    return write_workbook(path, {"Hồ sơ": [[c or None for c in r] for r in rows]})


WRITERS = {
    "csv": lambda p, rows: write_csv(p.with_suffix(".csv"), rows),
    "csv-cp1258": lambda p, rows: write_csv(p.with_suffix(".csv"), rows, encoding="cp1258"),
    "csv-utf16": lambda p, rows: write_csv(p.with_suffix(".csv"), rows, encoding="utf-16"),
    "csv-semicolon-crlf": lambda p, rows: write_csv(
        p.with_suffix(".csv"), rows, delimiter=";", newline="\r\n"
    ),
    "xlsx": lambda p, rows: write_xlsx(p.with_suffix(".xlsx"), rows),
    "parquet": lambda p, rows: write_parquet(p.with_suffix(".parquet"), rows),
}


def ingest(path, catalogue_file, resolver):
    return aggregate.load_dossiers([path], catalogue_file, resolver)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_fixture_counts_worked_out_by_hand(tmp_path, catalogue_file, resolver, fmt):
    path = WRITERS[fmt](tmp_path / "export", FIXTURE)
    result = ingest(path, catalogue_file, resolver)
    assert as_table(result.frame) == EXPECTED
    found = {(p.row, p.column.split(" ")[0], str(p.value)) for p in errors(result.problems)}
    assert found == EXPECTED_ERRORS


def test_summary_adds_up(tmp_path, catalogue_file, resolver):
    result = ingest(write_csv(tmp_path / "e.csv", FIXTURE), catalogue_file, resolver)
    s = result.summary
    assert (s.read, s.used, s.identical_copies) == (19, 8, 1)
    assert s.rejected == {
        "empty_id": 1,
        "unknown_agency": 1,
        "received": 1,
        "due": 1,
        "completed": 1,
        "completed_before_received": 1,
        "channel": 1,
        "procedure": 1,
        "conflicting_duplicate": 2,
    }
    assert s.read == s.used + sum(s.rejected.values()) + s.identical_copies
    assert s.not_in_catalogue == 1
    text = "\n".join(s.lines())
    assert "read: 19" in text and "used: 8" in text and "rejected: 10" in text


BAD_KINDS = [
    "empty_id",
    "unknown_agency",
    "received",
    "due",
    "completed",
    "completed_before_received",
    "channel",
    "procedure",
]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("kind", BAD_KINDS)
def test_one_bad_row_alone_is_rejected_for_its_reason(
    tmp_path, catalogue_file, resolver, kind, fmt
):
    """Clean exports skip the per-row reason (`aggregate._groups` counts failing rows): each
    kind of bad row, alone among good ones, must still be found and booked under its reason."""
    clean = [*GOOD[:6], *GOOD[9:]]  # no duplicates
    bad = BAD[BAD_KINDS.index(kind)]
    result = ingest(WRITERS[fmt](tmp_path / "e", [HEADER, *clean, bad]), catalogue_file, resolver)
    s = result.summary
    assert (s.read, s.used) == (len(clean) + 1, len(clean))
    assert {k: n for k, n in s.rejected.items() if n} == {kind: 1}
    assert [p.row for p in errors(result.problems)] == [len(clean) + 2]


def test_problems_name_file_row_column_value(tmp_path, catalogue_file, resolver):
    path = write_csv(tmp_path / "e.csv", FIXTURE)
    result = ingest(path, catalogue_file, resolver)
    by_row = {p.row: p for p in result.problems if p.row is not None}
    assert all(p.file == str(path) for p in result.problems if p.row is not None)
    assert by_row[14].column == "C (Cơ quan/đơn vị)"
    assert "unknown agency" in by_row[14].message
    assert by_row[18].message.startswith("completed before it was received")
    assert by_row[13].message == "empty dossier id"
    assert "different channel" in by_row[9].message and "row 10" in by_row[9].message
    # warnings: the identical copy (row 8, naming row 2) and the procedure missing from the catalogue
    identical = by_row[8]
    assert identical.severity == "warning" and "row 2" in identical.message
    missing = by_row[7]
    assert (
        missing.severity == "warning" and missing.value == "PX" and "1 dossier" in missing.message
    )


def test_source_columns_name_the_first_row_of_each_unit_month(tmp_path, catalogue_file, resolver):
    path = write_csv(tmp_path / "e.csv", FIXTURE)
    frame = ingest(path, catalogue_file, resolver).frame.set_index(["unit_code", "month"])
    stp_jan = frame.loc[("STP", "2022-01")]
    assert (stp_jan["source_file"], stp_jan["source_row"], stp_jan["source_unit"]) == (
        str(path),
        2,
        "Sở Tư pháp",
    )
    assert frame.loc[("CAOPHONG", "2022-02"), "source_row"] == 11
    assert frame.loc[("CAOPHONG", "2022-01"), "source_row"] == 0  # a zero row has no source row


def test_row_numbers_count_blank_lines_and_multiline_cells(tmp_path, catalogue_file, resolver):
    """Rows as a spreadsheet shows them, even where the fast CSV reader cannot count them."""
    multiline = csv_text([HEADER, GOOD[0][:7] + ["Đã trả\n(bản sao)"], BAD[1]])  # rows 1, 2, 3
    blank = csv_text([HEADER, GOOD[0]]) + "\n" + csv_text([BAD[1]])  # rows 1, 2, (3 empty), 4
    for text, row in ((multiline, 3), (blank, 4)):
        path = tmp_path / "e.csv"
        path.write_text(text, encoding="utf-8")
        result = ingest(path, catalogue_file, resolver)
        assert [(p.row, p.value) for p in errors(result.problems)] == [(row, "Sở Không Tồn Tại")]
        assert result.summary.read == 2


def test_stray_spaces_read_alike_whichever_csv_reader_stages_the_file(
    tmp_path, catalogue_file, resolver
):
    """A blank line sends a file to the exact reader; it must not change what counts as the same
    dossier. "A01 " and " A01" are copies of A01 (identical once trimmed), in both readers."""
    spaced = [[f" {GOOD[0][0]} ", *(f"{c} " if c else c for c in GOOD[0][1:])], GOOD[0]]
    fast = csv_text([HEADER, GOOD[0], *spaced])
    exact = csv_text([HEADER, GOOD[0]]) + "\n" + csv_text(spaced)
    seen = []
    for name, text in (("fast.csv", fast), ("exact.csv", exact)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = ingest(path, catalogue_file, resolver)
        s = result.summary
        assert not errors(result.problems)
        assert (s.read, s.used, s.identical_copies) == (3, 1, 2)
        seen.append(as_table(result.frame))
    assert seen[0] == seen[1] == {("STP", "2022-01"): (1, 1, 1, 1, 0)}


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_ids_repeating_throw_away_the_aggregation_made_beside_the_sort(
    tmp_path, catalogue_file, resolver, monkeypatch, delay
):
    """The aggregation runs beside the id sort as if no id repeated; the fixture's ids do repeat,
    so whether the sort ends before it (0 s) or after it (0.3 s), the counts are those worked
    out by hand, with the copies excluded."""
    sort = aggregate._repeated_in

    def slow_sort(hashes):
        time.sleep(delay)
        return sort(hashes)

    monkeypatch.setattr(aggregate, "_repeated_in", slow_sort)
    result = ingest(write_csv(tmp_path / "e.csv", FIXTURE), catalogue_file, resolver)
    assert as_table(result.frame) == EXPECTED
    assert (result.summary.used, result.summary.identical_copies) == (8, 1)


def test_several_files_count_as_one_export(tmp_path, catalogue_file, resolver):
    """The fixture split over a CSV and a Parquet file: the same counts and summary as in one
    file, and the copy of A01 in the second file is found as a duplicate of the first's."""
    first = write_csv(tmp_path / "first.csv", [HEADER, *GOOD[:6]])
    second = write_parquet(tmp_path / "second.parquet", [HEADER, *GOOD[6:], *BAD])
    result = aggregate.load_dossiers([first, second], catalogue_file, resolver)
    whole = ingest(write_csv(tmp_path / "whole.csv", FIXTURE), catalogue_file, resolver)
    assert as_table(result.frame) == EXPECTED
    assert result.summary == whole.summary
    copies = [p for p in result.problems if "identical" in p.message]
    assert [(p.file, p.row, p.value) for p in copies] == [(str(second), 2, "A01")]
    assert f"{first} row 2; {second} row 2" in copies[0].message
    frame = result.frame.set_index(["unit_code", result.frame["month"].astype(str)])
    assert frame.loc[("STP", "2022-01"), ["source_file", "source_row"]].tolist() == [str(first), 2]
    assert frame.loc[("CAOPHONG", "2022-02"), ["source_file", "source_row"]].tolist() == [
        str(second),
        5,
    ]
    assert {f.name: f.rows for f in result.files} == {
        "first.csv": 6,
        "second.parquet": 13,
        "catalogue.csv": 4,
    }


def test_missing_procedures_are_counted_alike_when_every_row_is_used_or_not(
    tmp_path, catalogue_file, resolver
):
    """Procedures missing from the catalogue are counted by the spellings pass when every row is
    used, by the aggregation otherwise: a bad row added in a third file changes neither the
    warning nor the count (PX, once, in the second file's row 4)."""
    first = write_csv(tmp_path / "first.csv", [HEADER, *GOOD[:3]])
    second = write_parquet(tmp_path / "second.parquet", [HEADER, *GOOD[3:6], *GOOD[9:]])
    bad = write_csv(tmp_path / "bad.csv", [HEADER, BAD[2]])
    seen = []
    for paths in ([first, second], [first, second, bad]):
        result = aggregate.load_dossiers(paths, catalogue_file, resolver)
        missing = [p for p in result.problems if "not in the catalogue" in p.message]
        assert [(p.file, p.row, p.value) for p in missing] == [(str(second), 4, "PX")]
        assert "its 1 dossier(s)" in missing[0].message
        assert result.summary.not_in_catalogue == 1
        seen.append(as_table(result.frame))
    assert seen[0] == seen[1]


def test_long_lists_are_capped_but_counted(tmp_path, catalogue_file, resolver):
    bad = [[f"B{i}", "P4", "Sở Ma", "2", "05/02/2022", "10/02/2022", "", ""] for i in range(25)]
    result = ingest(write_csv(tmp_path / "e.csv", [HEADER, *bad]), catalogue_file, resolver)
    listed = [p for p in result.problems if p.row is not None]
    assert len(listed) == aggregate.LISTED_PER_KIND
    assert [p.row for p in listed] == list(range(2, 2 + aggregate.LISTED_PER_KIND))
    more = [p for p in result.problems if p.row is None and "more row" in p.message]
    assert len(more) == 1 and "5 more" in more[0].message and more[0].is_error
    assert result.summary.rejected["unknown_agency"] == 25


def test_missing_column_is_reported_with_the_header_row(tmp_path, catalogue_file, resolver):
    rows = [[c for c in r if c != r[3]] for r in [HEADER, GOOD[0]]]
    result = ingest(write_csv(tmp_path / "e.csv", rows), catalogue_file, resolver)
    assert result.frame.empty
    assert [p.column for p in errors(result.problems)] == ["channel"]


def test_parquet_with_typed_columns(tmp_path, catalogue_file, resolver):
    table = pa.table(
        {
            "dossier_id": ["X1", "X2"],
            "procedure_code": ["P4", "P2"],
            "agency": ["STP", "STP"],
            "channel": pa.array([2, 2], pa.int8()),
            "received": pa.array([datetime(2022, 3, 31, 16), datetime(2022, 3, 2)]),
            "due": pa.array([datetime(2022, 4, 5).date(), datetime(2022, 3, 4).date()]),
            "completed": pa.array([datetime(2022, 4, 5, 17), None], pa.timestamp("s")),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    result = ingest(path, catalogue_file, resolver)
    assert as_table(result.frame) == {("STP", "2022-03"): (2, 1, 1, 1, 1)}


def test_parse_channel_and_level():
    assert [dossiers.parse_channel(v) for v in ("1", "2", "3", 2, "02")] == [1, 2, 3, 2, 2]
    nfd = "Tr\u01b0\u0323c tuye\u0302\u0301n"  # "Trực tuyến" decomposed
    assert dossiers.parse_channel(nfd) == 2
    assert dossiers.parse_channel("  bưu   chính công ích ") == 3
    assert dossiers.parse_channel("4") is None and dossiers.parse_channel("Fax") is None
    levels = ("2", 3, "Mức độ 4", "một phần", "TOÀN TRÌNH", "DVC trực tuyến toàn trình")
    assert [catalogue.parse_level(v)[0] for v in levels] == [2, 3, 4, 3, 4, 4]
    assert catalogue.parse_level("5")[0] is None


def test_catalogue_conflicting_levels_are_errors(tmp_path, resolver):
    rows = [*CATALOGUE, ["P4", "again", "3", "Sở Tư pháp"], ["P9", "x", "sáu", ""]]
    loaded = catalogue.read_catalogue(write_csv(tmp_path / "c.csv", rows), resolver)
    found = sorted((p.row, p.message.split(" (")[0]) for p in errors(loaded.problems))
    assert found == [(6, "procedure P4 is listed at different levels"), (7, "not a level")]
    eligible = dict(catalogue.eligible_counts(loaded.frame).itertuples(index=False))
    assert eligible == {"STP": 2, "CAOPHONG": 1}  # P4 counted once; P2 is level 2


def test_cli_ingest_writes_counts_that_read_counts_accepts(tmp_path, catalogue_file, capsys):
    good = write_csv(tmp_path / "good.csv", [HEADER, *GOOD])
    out = tmp_path / "counts.csv"
    assert main(["ingest", str(good), "--catalogue", str(catalogue_file), "--out", str(out)]) == 1
    assert "A07" in capsys.readouterr().err  # the conflicting duplicate blocks the output
    assert not out.exists()
    clean = write_csv(tmp_path / "clean.csv", [HEADER, *GOOD[:7], *GOOD[9:]])
    assert main(["ingest", str(clean), "--catalogue", str(catalogue_file), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        "unit_code,month,total,online,resolved,resolved_on_time,pending_overdue",
        "CAOPHONG,2022-01,0,0,0,0,0",
        "CAOPHONG,2022-02,2,1,1,1,1",
        "STP,2022-01,5,2,3,2,1",
        "STP,2022-02,1,0,1,0,1",
    ]
    inputs = load_inputs(counts=[out])
    assert not errors(inputs.problems)
    assert int(inputs.counts["pending_overdue"].sum()) == 3


NO_PANDAS = ingest_without("pandas", "ingest must not load pandas")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_cli_ingest_does_not_load_pandas(tmp_path, catalogue_file, fmt):
    """`ingest` is timed against a bare Arrow read (benchmarks/bench_ingest.py): pandas costs half
    a second to load and to unload, so the path from an export to its counts never touches it.
    With pandas unimportable, ingest still writes the very counts the in-process run writes."""
    export = WRITERS[fmt](tmp_path / "export", [HEADER, *GOOD[:7], *GOOD[9:]])
    out, expected = tmp_path / "counts.csv", tmp_path / "expected.csv"
    args = [str(export), "--catalogue", str(catalogue_file)]
    assert main(["ingest", *args, "--out", str(expected)]) == 0
    run = subprocess.run(
        [sys.executable, "-c", NO_PANDAS, *args, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == expected.read_bytes()


def test_cli_check_tells_dossiers_from_catalogue_and_counts(tmp_path, catalogue_file, capsys):
    export = write_csv(tmp_path / "export.csv", FIXTURE)
    assert main(["check", str(export), str(catalogue_file)]) == 1
    out = capsys.readouterr().out
    assert "row 14, column C (Cơ quan/đơn vị), value 'Sở Không Tồn Tại'" in out
    assert "dossier rows read: 19" in out


def test_table_from_dossiers(tmp_path, catalogue_file, capsys):
    clean = write_csv(tmp_path / "clean.csv", [HEADER, *GOOD[:7], *GOOD[9:]])
    args = ["table", "--month", "2022-02", "--dossiers", str(clean)]
    assert main([*args, "--catalogue", str(catalogue_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split(",")
    stp = dict(zip(header, next(r for r in lines if r.startswith("STP,")).split(","), strict=True))
    assert (stp["ytd_total"], stp["ytd_online"]) == ("6", "2")
    assert main(args) == 1  # no catalogue: online cannot be counted


def test_duplicates_found_the_same_way_beyond_the_in_memory_limit(
    tmp_path, catalogue_file, resolver, monkeypatch
):
    path = write_csv(tmp_path / "e.csv", FIXTURE)
    expected = ingest(path, catalogue_file, resolver)
    monkeypatch.setattr(aggregate, "SORT_LIMIT_ROWS", 0)  # DuckDB's hash aggregate instead
    result = ingest(path, catalogue_file, resolver)
    assert as_table(result.frame) == EXPECTED
    assert result.summary == expected.summary
    assert [str(p) for p in result.problems] == [str(p) for p in expected.problems]


def test_load_inputs_from_dossiers_names_every_file(tmp_path, catalogue_file):
    clean = write_csv(tmp_path / "clean.csv", [HEADER, *GOOD[:7], *GOOD[9:]])
    inputs = load_inputs(dossiers=[clean], catalogue=catalogue_file, month="2022-02")
    assert not errors(inputs.problems) and not inputs.is_sample
    assert as_table(inputs.counts) == EXPECTED
    files = {f.name: f for f in inputs.files}
    assert files["clean.csv"].rows == 9 and files["catalogue.csv"].rows == 4
    assert files["clean.csv"].sha256 == hashlib.sha256(clean.read_bytes()).hexdigest()
    assert inputs.dossier_summary.used == 8


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_digests_are_read_only_when_asked_for(tmp_path, catalogue_file, resolver, fmt):
    export = WRITERS[fmt](tmp_path / "e", [HEADER, *GOOD[:7], *GOOD[9:]])
    digest = hashlib.sha256(export.read_bytes()).hexdigest()
    for digests, expected in ((True, digest), (False, "")):
        result = aggregate.load_dossiers([export], catalogue_file, resolver, digests=digests)
        files = {f.name: f.sha256 for f in result.files}
        assert files[export.name] == expected
        assert files["catalogue.csv"] == hashlib.sha256(catalogue_file.read_bytes()).hexdigest()
        assert as_table(result.frame) == EXPECTED


def test_check_reads_a_parquet_export_with_the_catalogue(tmp_path, catalogue_file, capsys):
    export = write_parquet(tmp_path / "export.parquet", FIXTURE)
    assert dossiers.file_kind(export) == "dossiers"
    assert dossiers.file_kind(catalogue_file) == "catalogue"
    assert main(["check", str(export), "--catalogue", str(catalogue_file)]) == 1
    out = capsys.readouterr().out
    assert "export.parquet, row 19, column D (Kênh thực hiện), value 'Fax'" in out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_header_below_a_title_keeps_spreadsheet_row_numbers(
    tmp_path, catalogue_file, resolver, suffix
):
    title = [["DANH SÁCH HỒ SƠ TIẾP NHẬN NĂM 2022"] + [None] * 7, [None] * 8]
    rows = [*title, HEADER, GOOD[0], BAD[1]]  # header on row 3, the bad row on row 5
    path = tmp_path / f"export{suffix}"
    if suffix == ".csv":
        write_csv(path, rows)
    else:
        write_workbook(path, {"Sheet1": rows})
    result = ingest(path, catalogue_file, resolver)
    assert [(p.row, p.column) for p in errors(result.problems)] == [(5, "C (Cơ quan/đơn vị)")]
    assert as_table(result.frame) == {("STP", "2022-01"): (1, 1, 1, 1, 0)}


def test_catalogue_agency_outside_the_registry_is_one_warning_per_spelling(tmp_path, resolver):
    rows = [CATALOGUE[0], *[[f"X{i}", "x", "4", "UBND cấp xã"] for i in range(5)]]
    loaded = catalogue.read_catalogue(write_csv(tmp_path / "c.csv", rows), resolver)
    assert [(p.severity, p.row, p.value) for p in loaded.problems] == [
        ("warning", 2, "UBND cấp xã")
    ]
    assert "4 more row" in loaded.problems[0].message
    assert len(loaded.frame) == 5 and set(loaded.frame["unit_code"]) == {""}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=st.lists(st.integers(0, len(GOOD) + len(BAD) - 1), min_size=1, max_size=30))
@example(picks=list(range(len(GOOD) + len(BAD))))  # every row once
@example(picks=[0] * 30)  # one good row thirty times: identical copies
@example(picks=[len(GOOD)])  # a single bad row
def test_rows_add_up_whatever_the_mix(tmp_path_factory, catalogue_file, resolver, picks):
    """read = used + rejected + identical copies, and the counts hold exactly the used rows."""
    pool = [*GOOD, *BAD]
    rows = [pool[i] for i in picks]
    path = write_csv(tmp_path_factory.mktemp("mix") / "e.csv", [HEADER, *rows])
    result = ingest(path, catalogue_file, resolver)
    s = result.summary
    assert s.read == len(rows)
    assert s.read == s.used + sum(s.rejected.values()) + s.identical_copies
    assert int(result.frame["total"].sum()) == s.used
    assert (result.frame["online"] <= result.frame["total"]).all()
    assert (result.frame["resolved_on_time"] <= result.frame["resolved"]).all()


def test_utf8_head_with_a_windows_1258_body_is_read_as_windows_1258(
    tmp_path, catalogue_file, resolver, monkeypatch
):
    """The encoding is judged on the head; a body that is not UTF-8 after all is re-read."""
    header = ["dossier_id", "procedure_code", "agency", "channel", "received", "due", "completed"]
    ascii_rows = [[f"Z{i}", "P4", "STP", "2", "05/01/2022", "10/01/2022", ""] for i in range(40)]
    text = csv_text(
        [header, *ascii_rows, ["Z99", "P4", "Sở Ma", "2", "05/01/2022", "10/01/2022", ""]]
    )
    path = tmp_path / "e.csv"
    path.write_bytes(cp1258_bytes(text))
    monkeypatch.setattr(dossiers, "HEAD_BYTES", 300)  # the head holds ASCII rows only
    result = ingest(path, catalogue_file, resolver)
    assert [(p.row, p.value) for p in errors(result.problems)] == [(42, "Sở Ma")]
    assert result.summary.used == 40
