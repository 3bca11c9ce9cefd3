"""The store of submissions (issue 10): every file kept as received, reports as of a date.

The figures are written by hand: 27 units × January–June 2022, each unit 100 dossiers a month of
which 60 online; the June revision of Sở Tư pháp (STP) says 90 online. So STP's June rate is
0.6 as published on 10 July, and 0.9 once the revision received on 20 July counts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_csv

from kpi_utils import cli
from kpi_utils.store.manifest import read_manifest

REPO = Path(__file__).resolve().parents[1]
CODES = [
    row["unit_code"]
    for row in csv.DictReader(io.StringIO((REPO / "data" / "units.csv").read_text("utf-8")))
]
HEADER = ["unit", "month", "total", "online"]
FIRST_HALF = [f"2022-{m:02d}" for m in range(1, 6)]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def counts_file(path: Path, months, codes=CODES, online: int = 60) -> Path:
    return write_csv(path, [HEADER, *([c, m, 100, online] for m in months for c in codes)])


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in `folder` (the lock file included), by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def kpi_row(text: str, code: str) -> dict[str, str]:
    return next(r for r in csv.DictReader(io.StringIO(text)) if r["unit_code"] == code)


@pytest.fixture
def june_store(tmp_path, capsys) -> Path:
    """A store holding January–May and June as received on 5 July 2022."""
    store = tmp_path / "inputs"
    first = counts_file(tmp_path / "jan_may.csv", FIRST_HALF)
    june = counts_file(tmp_path / "june.csv", ["2022-06"])
    code, out, _ = run(capsys, "add", first, june, "--store", store, "--received", "2022-07-05")
    assert code == 0, out
    return store


def test_a_report_as_published_is_rebuilt_byte_for_byte_after_a_revision(
    june_store, tmp_path, capsys
):
    published = tmp_path / "published.csv"
    args = ("table", "--month", "2022-06", "--store", june_store)
    assert run(capsys, *args, "--as-of", "2022-07-10", "--out", published)[0] == 0
    assert kpi_row(published.read_text("utf-8"), "STP")["month_rate"] == "0.6"

    revision = counts_file(tmp_path / "stp_june_v2.csv", ["2022-06"], ["STP"], online=90)
    code, out, _ = run(capsys, "add", revision, "--store", june_store, "--received", "2022-07-20")
    assert code == 0, out

    now = tmp_path / "now.csv"
    assert run(capsys, *args, "--out", now)[0] == 0
    revised = kpi_row(now.read_text("utf-8"), "STP")
    assert (revised["month_online"], revised["month_rate"]) == ("90", "0.9")
    # year to date: 5 months of 60 and June's 90 online, of 600
    assert revised["ytd_online"] == "390"
    assert kpi_row(now.read_text("utf-8"), "SCT")["month_rate"] == "0.6"

    code, out, _ = run(capsys, "status", "--store", june_store, "--month", "2022-06", "--revisions")
    assert code == 0
    assert (
        "STP 2022-06 online: 60 -> 90 (#2 june.csv (received 2022-07-05) -> "
        "#3 stp_june_v2.csv (received 2022-07-20))"
    ) in out
    assert "revisions (1):" in out

    again = tmp_path / "again.csv"
    assert run(capsys, *args, "--as-of", "2022-07-10", "--out", again)[0] == 0
    assert again.read_bytes() == published.read_bytes()


def test_a_withdrawn_file_no_longer_counts_but_is_kept(june_store, tmp_path, capsys):
    revision = counts_file(tmp_path / "wrong.csv", ["2022-06"], ["STP"], online=90)
    run(capsys, "add", revision, "--store", june_store, "--received", "2022-07-20")
    code, out, _ = run(capsys, "withdraw", "3", "--note", "sent by mistake", "--store", june_store)
    assert code == 0, out
    entry = read_manifest(june_store)[2]
    assert (entry.withdrawn_note, entry.original_name) == ("sent by mistake", "wrong.csv")
    assert (june_store / entry.path).read_bytes() == revision.read_bytes()
    code, out, _ = run(capsys, "table", "--month", "2022-06", "--store", june_store)
    assert kpi_row(out, "STP")["month_rate"] == "0.6"


def test_a_file_with_one_bad_row_leaves_the_store_byte_identical(june_store, tmp_path, capsys):
    before = tree_digest(june_store)
    good = counts_file(tmp_path / "july.csv", ["2022-07"])
    bad = write_csv(
        tmp_path / "bad.csv", [HEADER, ["STP", "2022-07", 100, 60], ["SCT", "2022-07", 100, "sáu"]]
    )
    code, out, _ = run(capsys, "add", good, bad, "--store", june_store, "--received", "2022-08-03")
    assert code == 1
    assert f"error: {bad}, row 3, column D (online), value 'sáu'" in out
    assert "nothing added" in out
    assert tree_digest(june_store) == before


def test_two_adds_at_once_both_land(tmp_path):
    store = tmp_path / "inputs"
    files = [counts_file(tmp_path / f"{m}.csv", [m]) for m in ("2022-01", "2022-02")]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "kpi_utils", "add", str(f), "--store", str(store)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outcomes = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outcomes
    entries = read_manifest(store)
    assert sorted(e.original_name for e in entries) == ["2022-01.csv", "2022-02.csv"]
    assert sorted(e.id for e in entries) == ["1", "2"]
    for entry in entries:
        original = tmp_path / entry.original_name
        assert (store / entry.path).read_bytes() == original.read_bytes()


def test_a_stored_file_altered_afterwards_is_refused_by_name(june_store, capsys):
    entry = read_manifest(june_store)[1]
    stored = june_store / entry.path
    stored.write_bytes(stored.read_bytes().replace(b",60\n", b",61\n", 1))
    code, out, err = run(capsys, "table", "--month", "2022-06", "--store", june_store)
    assert code == 1
    assert out == ""
    assert f"error: {stored} (#2 june.csv (received 2022-07-05))" in err
    assert "changed after it was added" in err


def test_a_missing_stored_file_is_refused_by_name(june_store, capsys):
    entry = read_manifest(june_store)[0]
    (june_store / entry.path).unlink()
    code, _, err = run(capsys, "table", "--month", "2022-06", "--store", june_store)
    assert code == 1
    assert "#1 jan_may.csv (received 2022-07-05)" in err and "missing" in err


def test_status_names_the_unit_that_has_not_sent_the_month(tmp_path, capsys):
    store = tmp_path / "inputs"
    first = counts_file(tmp_path / "jan_may.csv", FIRST_HALF)
    june = counts_file(tmp_path / "june.csv", ["2022-06"], [c for c in CODES if c != "MAICHAU"])
    run(capsys, "add", first, june, "--store", store, "--received", "2022-07-05")
    code, out, _ = run(capsys, "status", "--store", store, "--month", "2022-06")
    assert code == 0
    assert "not yet sent for 2022-06: MAICHAU" in out
    line = next(line for line in out.splitlines() if line.startswith("MAICHAU "))
    assert line.split()[1:] == ["P", "P", "P", "P", "P", "-"]


def test_received_later_wins_and_as_of_excludes_later_files(tmp_path, capsys):
    """Same day: the later added counts; an earlier received date added later still loses."""
    store = tmp_path / "inputs"
    june = counts_file(tmp_path / "june.csv", ["2022-06"])
    late = counts_file(tmp_path / "late.csv", ["2022-06"], ["STP"], online=70)
    early = counts_file(tmp_path / "early.csv", ["2022-06"], ["STP"], online=80)
    run(capsys, "add", june, late, "--store", store, "--received", "2022-07-05")
    run(capsys, "add", early, "--store", store, "--received", "2022-07-01")
    out = run(capsys, "table", "--month", "2022-06", "--store", store)[1]
    assert (
        kpi_row(out, "STP")["month_online"] == "70"
    )  # late.csv: same day as june.csv, added after
    out = run(capsys, "table", "--month", "2022-06", "--store", store, "--as-of", "2022-07-02")[1]
    assert kpi_row(out, "STP")["month_online"] == "80"
    assert kpi_row(out, "SCT")["month_total"] == ""  # June's file was not received yet


def test_kinds_are_told_by_content(tmp_path, capsys):
    store = tmp_path / "inputs"
    counts = counts_file(tmp_path / "counts.xlsx.csv", ["2022-06"])
    targets = write_csv(tmp_path / "t.csv", [["year", "unit", "target"], [2022, "STP", "70%"]])
    communes = REPO / "data" / "sample" / "commune_targets.csv"
    code, out, _ = run(capsys, "add", counts, targets, communes, "--store", store)
    assert code == 0, out
    kinds = {e.original_name: (e.kind, e.months, e.units) for e in read_manifest(store)}
    assert kinds["counts.xlsx.csv"][0] == "counts"
    assert kinds["t.csv"] == ("targets", "2022", "STP")
    assert kinds["commune_targets.csv"][0] == "commune_targets"


def test_stored_targets_settle_by_unit_and_year(june_store, tmp_path, capsys):
    targets = write_csv(tmp_path / "t.csv", [["year", "unit", "target"], [2022, "STP", "95%"]])
    run(capsys, "add", targets, "--store", june_store)
    code, out, err = run(capsys, "table", "--month", "2022-06", "--store", june_store)
    # the store's targets name one unit: the others have none, which is an error for the table
    assert code == 1
    assert "no target for SCT in 2022" in err
    code, out, _ = run(
        capsys,
        "table",
        "--month",
        "2022-06",
        "--store",
        june_store,
        "--targets",
        REPO / "data" / "targets_2022.csv",
    )
    assert code == 0
    assert kpi_row(out, "STP")["target_rate"] == "0.55"


def test_settings_file_gives_the_store(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kpi-report.toml").write_text('store = "submissions"\n', encoding="utf-8")
    june = counts_file(tmp_path / "june.csv", ["2022-06"])
    assert run(capsys, "add", june, "--received", "2022-07-05")[0] == 0
    assert [e.original_name for e in read_manifest(tmp_path / "submissions")] == ["june.csv"]
    code, out, _ = run(capsys, "table", "--month", "latest")
    assert code == 0
    assert kpi_row(out, "STP")["month_rate"] == "0.6"
    (tmp_path / "kpi-report.toml").write_text('store = 3\nlangs = "vi"\n', encoding="utf-8")
    code, _, err = run(capsys, "table", "--month", "latest")
    assert code == 1
    assert "setting 'store' must be a folder" in err and "unknown setting" in err


def test_the_bundled_sample_is_a_store(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no inputs/ here: `table` uses the sample's store
    code, from_store, _ = run(capsys, "table", "--month", "2022-06")
    assert code == 0
    counts = REPO / "data" / "sample" / "monthly_counts.csv"
    code, from_file, _ = run(capsys, "table", "--month", "2022-06", "--counts", counts)
    assert from_store == from_file


@pytest.mark.slow
def test_build_from_a_store_lists_the_files_and_the_revision(june_store, tmp_path, capsys):
    out_dir = tmp_path / "reports"
    args = ("build", "--month", "2022-06", "--store", june_store, "--out", out_dir, "--jobs", "1")
    assert run(capsys, *args, "--as-of", "2022-07-10")[0] == 0
    published = (out_dir / "2022-06" / "kpi_table.csv").read_bytes()
    revision = counts_file(tmp_path / "stp_june_v2.csv", ["2022-06"], ["STP"], online=90)
    run(capsys, "add", revision, "--store", june_store, "--received", "2022-07-20")
    assert run(capsys, *args)[0] == 0
    page = (out_dir / "2022-06" / "data-quality.html").read_text("utf-8")
    assert "stp_june_v2.csv" in page and "#2 june.csv (received 2022-07-05)" in page
    index = (out_dir / "2022-06" / "index.html").read_text("utf-8")
    assert "stp_june_v2.csv (#3, 2022-07-20)" in index
    assert run(capsys, *args, "--as-of", "2022-07-10")[0] == 0
    assert (out_dir / "2022-06" / "kpi_table.csv").read_bytes() == published
    index = (out_dir / "2022-06" / "index.html").read_text("utf-8")
    assert "2022-07-10" in index and "stp_june_v2.csv" not in index


def test_a_file_changed_between_its_check_and_its_copy_adds_nothing(tmp_path):
    from kpi_utils.store import add

    store = tmp_path / "inputs"
    june = counts_file(tmp_path / "june.csv", ["2022-06"])
    july = counts_file(tmp_path / "july.csv", ["2022-07"])
    checked = add.check_files(store, [june, july])
    july.write_bytes(july.read_bytes().replace(b",60\n", b",59\n", 1))  # edited meanwhile
    entries = [
        add.Entry(str(i), c.path.name, f"files/{i}.csv", c.sha256, c.kind, "", "", 0, "", "")
        for i, c in enumerate(checked, start=1)
    ]
    problems = add._copy_in(store, checked, entries)
    assert [str(p) for p in problems] == [
        f"error: {july}: the file changed while it was being added: add it again"
    ]
    assert not (store / "files").exists() or not any((store / "files").iterdir())
