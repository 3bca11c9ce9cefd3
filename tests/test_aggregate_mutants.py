"""Cases found by mutation testing of `aggregate` (`make mutation`): each pins a behaviour that no
other test told apart from a plausible bug. Small Parquet exports of text cells (Parquet is read
as it lies: spaces and blank cells stay, unlike staged CSV), a catalogue given as levels.

Counts are (total, online, resolved, resolved_on_time, pending_overdue), worked out by hand from
the rows (row numbers are spreadsheet rows: the n-th dossier is row n + 1).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import DOSSIER_HEADER, write_csv
from test_dossier_problems import write_text_parquet

from kpi_utils.common.outputs import CannotWrite
from kpi_utils.common.problems import errors
from kpi_utils.common.registry import UnitResolver
from kpi_utils.sources import aggregate

HEADER = DOSSIER_HEADER[:7]  # id, procedure, agency, channel, received, due, completed
COUNTS = ("total", "online", "resolved", "resolved_on_time", "pending_overdue")
LEVELS = {"P3": 3}


def ingest_rows(tmp_path, rows, resolver):
    """`rows` (header first) as a text Parquet export, ingested at the catalogue's levels."""
    return aggregate.ingest(
        [write_text_parquet(tmp_path / "export.parquet", rows)], LEVELS, resolver
    )


def counts(result) -> dict:
    return {(r["unit_code"], r["month"]): tuple(r[c] for c in COUNTS) for r in result.records}


def test_a_utc_instant_with_a_trailing_space_is_still_read_in_vietnam_time(tmp_path, resolver):
    """Protects: an ISO instant ending in `Z` is converted to Vietnam time even with a trailing
    space (the plain cast read "...Z " as a UTC wall time, a day early)."""
    # By hand: 2022-01-31 20:00 UTC is 2022-02-01 03:00 in Vietnam (UTC+7): both rows are
    # February dossiers, online (channel 2, P3 at level 3), not completed, due 10/02, i.e. by
    # the end of February: overdue. February: total 2, online 2, resolved 0, on time 0,
    # overdue 2; no January at all.
    rows = [
        HEADER,
        ["R1", "P3", "Sở Tư pháp", "2", "2022-01-31T20:00:00Z ", "2022-02-10", ""],
        ["R2", "P3", "Sở Tư pháp", "2", "2022-01-31T20:00:00Z", "2022-02-10", ""],
    ]
    result = ingest_rows(tmp_path, rows, resolver)
    assert counts(result) == {("STP", "2022-02"): (2, 2, 0, 0, 2)}


def test_a_blank_agency_cell_names_no_unit_even_if_a_spelling_of_one_has_no_letters(tmp_path):
    """Protects: a blank agency cell is an "empty agency cell" error, never resolved, even when
    a registry alias without letters (a "-" for "none") makes the empty name key name a unit."""
    unit = {
        "unit_code": "STP",
        "name_in_decision": "Sở Tư pháp",
        "official_name": "Sở Tư pháp",
        "aliases": ["-"],  # its name key is "", as is that of a blank cell
        "group": "department",
    }
    resolver = UnitResolver.from_units([unit])
    # By hand: R1 (row 2) is STP's, online, completed 05/02 before its due date 10/02: February
    # (1, 1, 1, 1, 0). R2 (row 3) has an agency of three spaces: left out, one error.
    rows = [
        HEADER,
        ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"],
        ["R2", "P3", "   ", "2", "03/02/2022", "10/02/2022", ""],
    ]
    result = ingest_rows(tmp_path, rows, resolver)
    assert counts(result) == {("STP", "2022-02"): (1, 1, 1, 1, 0)}
    assert [(p.row, p.column, p.value, p.message) for p in errors(result.problems)] == [
        (3, "C (Cơ quan/đơn vị)", "", "empty agency cell")  # column C: the third
    ]
    assert result.summary.rejected["unknown_agency"] == 1


def test_a_unit_silent_for_seven_months_gets_six_listed_then_an_ellipsis(tmp_path, resolver):
    """Protects: the empty-months warning lists at most six months, then "..." (seven is the
    first count that is cut)."""
    # By hand: STP has dossiers in January and September 2022 only, so the period is
    # 2022-01..2022-09 and its empty months are February to August: 7 of them, of which the
    # first six are listed.
    rows = [
        HEADER,
        ["R1", "P3", "Sở Tư pháp", "1", "03/01/2022", "10/01/2022", "05/01/2022"],
        ["R2", "P3", "Sở Tư pháp", "1", "05/09/2022", "10/09/2022", "06/09/2022"],
    ]
    result = ingest_rows(tmp_path, rows, resolver)
    [silent] = [p for p in result.problems if "no dossier at all" in p.message]
    assert silent.message == (
        "STP has no dossier at all in 7 month(s) of 2022-01..2022-09: 2022-02, 2022-03, "
        "2022-04, 2022-05, 2022-06, 2022-07, ...; counted as 0 (if its exports for those "
        "months were not sent, its figures are too low)"
    )


@pytest.mark.parametrize("rows", [4, 1, 0, 10])
def test_every_row_s_id_is_hashed_whatever_the_row_count_given(rows):
    """Protects: the id hashes of every row, one each, even when the row count given (the
    files' metadata) is too low (an export replaced while being read) or too high."""
    con = duckdb.connect()
    con.execute(
        "CREATE VIEW dossiers AS SELECT * FROM (VALUES ('R1'), (NULL), ('R1'), ('R2')) t(dossier_id)"
    )
    hashes = aggregate._id_hashes(con, rows).tolist()
    # By hand: 4 rows; the empty id hashes to 0 (once); R1's two rows share one hash: 3 distinct.
    assert len(hashes) == 4
    assert hashes.count(0) == 1
    assert len(set(hashes)) == 3


def test_quotes_in_a_header_and_in_the_file_name_are_read(tmp_path, resolver):
    """Protects: a column name holding double quotes (a received-date header saying its format)
    and a file name holding an apostrophe are quoted for DuckDB, not a broken query."""
    header = [*HEADER[:4], 'Ngày tiếp nhận "dd/mm/yyyy"', *HEADER[5:]]
    # By hand: one online dossier received 03/02/2022, completed 05/02 before its due date
    # 10/02: February (1, 1, 1, 1, 0).
    rows = [header, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    export = write_text_parquet(tmp_path / "STP's export.parquet", rows)
    result = aggregate.ingest([export], LEVELS, resolver)
    assert counts(result) == {("STP", "2022-02"): (1, 1, 1, 1, 0)}


FULL_HEADER = [*DOSSIER_HEADER, "Xã/phường"]  # with status and commune


def test_the_same_dossier_with_empty_cells_in_a_csv_and_a_parquet_export_counts_once(
    tmp_path, resolver
):
    """Protects: an empty text cell of a Parquet export is an empty cell, as in a CSV (was: the
    two copies of one dossier "differ" in status and commune, and neither counted)."""
    rows = [
        FULL_HEADER,
        ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022", "", ""],
    ]
    csv_export = write_csv(tmp_path / "a.csv", rows)
    parquet_export = write_text_parquet(tmp_path / "b.parquet", rows)
    result = aggregate.ingest([csv_export, parquet_export], LEVELS, resolver)
    # By hand: one online dossier completed 05/02, before its due date 10/02, counted once;
    # the Parquet copy is an identical duplicate (a warning), no error.
    assert counts(result) == {("STP", "2022-02"): (1, 1, 1, 1, 0)}
    assert result.summary.identical_copies == 1
    assert errors(result.problems) == []
    copies = [p for p in result.problems if "identical" in p.message]
    assert [(p.file, p.row, p.is_error) for p in copies] == [(str(parquet_export), 2, False)]


def test_copies_that_differ_only_in_commune_are_conflicting(tmp_path, resolver):
    """Protects: the commune is part of what two copies of a dossier are compared on."""
    rows = [
        FULL_HEADER,
        ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022", "x", "Xã A"],
        ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022", "x", "Xã B"],
        ["R2", "P3", "Sở Tư pháp", "1", "04/02/2022", "10/02/2022", ""],
    ]
    rows[3] += ["x", "Xã A"]
    result = ingest_rows(tmp_path, rows, resolver)
    # By hand: R1's copies (rows 2, 3) differ in commune only: neither counts, an error each.
    # R2 alone counts: February, not online (channel 1), pending and due 10/02: overdue.
    assert counts(result) == {("STP", "2022-02"): (1, 0, 0, 0, 1)}
    export = tmp_path / "export.parquet"  # as ingest_rows writes it
    places = f"{export} row 2; {export} row 3"
    message = f"dossier id appears 2 times with different commune ({places}): none is counted"
    assert [(p.row, p.message) for p in errors(result.problems)] == [(2, message), (3, message)]


def test_a_parquet_cell_is_shown_in_a_problem_as_written(tmp_path, resolver):
    """Protects: only a Parquet export's ids are trimmed (the other cells are read as they lie):
    a problem's value is the cell as written, spaces included."""
    rows = [
        HEADER,
        ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"],
        ["R2", "P3", "  Sở Không Tồn Tại ", "2", "03/02/2022", "10/02/2022", ""],
    ]
    result = ingest_rows(tmp_path, rows, resolver)
    # By hand: R2's agency names no unit: left out, an error on row 3 with the cell as written.
    assert counts(result) == {("STP", "2022-02"): (1, 1, 1, 1, 0)}
    assert [(p.row, p.value) for p in errors(result.problems)] == [(3, "  Sở Không Tồn Tại ")]


def test_duckdb_spills_to_the_staging_folder_within_the_memory_limit(tmp_path):
    """Protects: DuckDB spills to the folder it is given (whose name a disk-full message
    reports), within `MEMORY_LIMIT` unless told otherwise; dates in Vietnam's zone."""

    def settings(con) -> dict:
        names = "('temp_directory', 'memory_limit', 'TimeZone')"
        query = f"SELECT name, value FROM duckdb_settings() WHERE name IN {names}"
        return dict(con.execute(query).fetchall())

    # By hand: 256 MB = 256,000,000 bytes = 244.14 MiB; 2 GB = 2e9 bytes = 1.86 GiB, which DuckDB
    # shows cut to one decimal.
    assert settings(aggregate.connect(tmp_path)) == {
        "temp_directory": str(tmp_path),
        "memory_limit": "244.1 MiB",
        "TimeZone": "Asia/Ho_Chi_Minh",
    }
    assert settings(aggregate.connect(tmp_path, "2GB"))["memory_limit"] == "1.8 GiB"


def test_a_procedure_missing_from_the_catalogue_is_counted_beside_a_duplicate(tmp_path, resolver):
    """Protects: the dossiers of a procedure missing from the catalogue are counted (and warned
    about) when some rows are left out as duplicates while none fails a check."""
    rows = [
        HEADER,
        ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"],
        ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"],
        ["R2", "P9", "Sở Tư pháp", "2", "04/02/2022", "10/02/2022", "05/02/2022"],
    ]
    result = ingest_rows(tmp_path, rows, resolver)
    # By hand: R1 counts once (row 3 an identical copy); R2's P9 is not in the catalogue: in the
    # total, not online. February: total 2, online 1, both completed 05/02 by their due 10/02.
    assert counts(result) == {("STP", "2022-02"): (2, 1, 2, 2, 0)}
    assert result.summary.not_in_catalogue == 1
    [missing] = [p for p in result.problems if "not in the catalogue" in p.message]
    assert (missing.row, missing.value, missing.message) == (
        4,
        "P9",
        "procedure P9 is not in the catalogue: its 1 dossier(s) count in the total, never as "
        "online",
    )


CATALOGUE = [["Mã TTHC", "Mức độ"], ["P3", "3"]]


@pytest.mark.parametrize("with_catalogue", [False, True])
def test_an_export_is_read_from_the_sheet_named_and_needs_a_catalogue(
    tmp_path, resolver, with_catalogue
):
    """Protects: with or without a catalogue the export is read from the sheet asked for; a
    missing catalogue is an error unless the caller says it is not required."""
    from conftest import write_workbook

    catalogue = write_csv(tmp_path / "catalogue.csv", CATALOGUE) if with_catalogue else None

    notes = [["Ghi chú"], ["Báo cáo tháng 2"]]
    rows = [HEADER, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    book = write_workbook(tmp_path / "export.xlsx", {"Ghi chú": notes, "Hồ sơ": rows})
    result = aggregate.load_dossiers([book], catalogue, resolver, sheet="Hồ sơ")
    # By hand: R1 is February's, completed 05/02 by its due 10/02, online (channel 2, P3 at
    # level 3) only with the catalogue; without one, an error says so.
    online = 1 if with_catalogue else 0
    assert counts(result) == {("STP", "2022-02"): (1, online, 1, 1, 0)}
    assert [p.message for p in errors(result.problems)] == (
        []
        if with_catalogue
        else ["no procedure catalogue given (--catalogue FILE): online dossiers not counted"]
    )


@pytest.mark.parametrize("with_catalogue", [False, True])
def test_an_export_keeps_its_digest_and_the_memory_limit_asked_for(
    tmp_path, resolver, monkeypatch, with_catalogue
):
    """Protects: with or without a catalogue, `load_dossiers` passes on `digests` (the file's
    SHA-256 in the list of files read) and `memory_limit` (DuckDB's, from --memory-limit)."""
    import hashlib

    limits = []

    def connect(temp_directory, memory_limit=None):
        con = real_connect(temp_directory, memory_limit)
        query = "SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'"
        limits.append(con.execute(query).fetchone()[0])
        return con

    real_connect = aggregate.connect
    monkeypatch.setattr(aggregate, "connect", connect)
    rows = [HEADER, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    export = write_text_parquet(tmp_path / "export.parquet", rows)
    catalogue = write_csv(tmp_path / "catalogue.csv", CATALOGUE) if with_catalogue else None
    result = aggregate.load_dossiers([export], catalogue, resolver, memory_limit="300MB")
    assert result.files[0].sha256 == hashlib.sha256(export.read_bytes()).hexdigest()
    assert limits == ["286.1 MiB"]  # by hand: 300,000,000 bytes / 2^20 = 286.10 MiB


def test_ingest_gives_each_export_s_digest_unless_told_not_to(tmp_path, resolver):
    """Protects: `ingest` hashes the exports by default (the report's list of files read names
    each by its SHA-256); `digests=False` leaves it empty."""
    import hashlib

    rows = [HEADER, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    export = write_text_parquet(tmp_path / "export.parquet", rows)
    digest = hashlib.sha256(export.read_bytes()).hexdigest()
    assert [f.sha256 for f in aggregate.ingest([export], LEVELS, resolver).files] == [digest]
    assert [
        f.sha256 for f in aggregate.ingest([export], LEVELS, resolver, digests=False).files
    ] == [""]


def test_a_full_disk_names_the_program_s_own_staging_folder(tmp_path, resolver, monkeypatch):
    """Protects: the folder a disk-full message names is recognisably this program's
    (`kpi-ingest-...` in the temporary folder), so the user knows what filled the disk."""
    import errno
    import tempfile

    def failing(con, *args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(aggregate, "_aggregate", failing)
    rows = [HEADER, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    export = write_text_parquet(tmp_path / "export.parquet", rows)
    with pytest.raises(CannotWrite) as raised:
        aggregate.ingest([export], LEVELS, resolver)
    assert raised.value.path.parent == Path(tempfile.gettempdir())
    assert raised.value.path.name.startswith("kpi-ingest-")
    assert raised.value.reason == "No space left on device"


def test_a_csv_export_leaves_nothing_in_the_temporary_folder(tmp_path, resolver, monkeypatch):
    """Protects: the staged copy of a CSV export is written in the ingest's own staging folder,
    removed at the end: nothing is left in the temporary folder."""
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    rows = [HEADER, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    export = write_csv(tmp_path / "export.csv", rows)
    result = aggregate.ingest([export], LEVELS, resolver)
    assert counts(result) == {("STP", "2022-02"): (1, 1, 1, 1, 0)}  # as in the tests above
    assert list(temporary.iterdir()) == []


def test_a_missing_export_is_reported_beside_the_one_read(tmp_path, resolver):
    """Protects: the problem of an export that cannot be opened is kept when a later export
    opens fine."""
    rows = [HEADER, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    export = write_text_parquet(tmp_path / "export.parquet", rows)
    missing = tmp_path / "gone.csv"
    result = aggregate.ingest([missing, export], LEVELS, resolver)
    assert counts(result) == {("STP", "2022-02"): (1, 1, 1, 1, 0)}  # as in the tests above
    assert [(p.file, p.message) for p in errors(result.problems)] == [
        (str(missing), "cannot read the file: no such file")
    ]


def test_an_export_with_no_dossier_is_listed_with_zero_rows(tmp_path, resolver):
    """Protects: the list of files read gives an export holding only its header 0 rows."""
    rows = [HEADER, ["R1", "P3", "Sở Tư pháp", "2", "03/02/2022", "10/02/2022", "05/02/2022"]]
    empty = write_text_parquet(tmp_path / "empty.parquet", [HEADER])
    export = write_text_parquet(tmp_path / "export.parquet", rows)
    result = aggregate.ingest([empty, export], LEVELS, resolver, digests=False)
    # By hand: the first export has no row, the second one.
    assert [(f.name, f.rows) for f in result.files] == [("empty.parquet", 0), ("export.parquet", 1)]
