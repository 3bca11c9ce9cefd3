"""The `kpi-report` command line: exit codes, what it prints, what it writes, never a traceback."""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_csv, write_workbook

from kpi_utils import cli
from kpi_utils.common.paths import sample_counts_path
from kpi_utils.metrics.kpi import KPI_COLUMNS

HEADER = ["unit", "month", "total", "online"]
CODES = [
    row["unit_code"]
    for row in csv.DictReader(
        io.StringIO(
            (Path(__file__).resolve().parents[1] / "data" / "units.csv").read_text(encoding="utf-8")
        )
    )
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def full_month_file(tmp_path: Path, name: str = "counts.csv", online: int = 55) -> Path:
    rows = [HEADER, *([code, "2022-06", 100, online] for code in CODES)]
    return write_csv(tmp_path / name, rows)


# --- check ----------------------------------------------------------------------------------


def test_check_clean_file_exits_0(capsys, tmp_path):
    path = full_month_file(tmp_path)
    code, out, err = run(capsys, "check", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "0 error(s), 0 warning(s)"
    # 27 count rows and the 27 rows of the bundled targets.
    assert lines[1] == "ok: 2 file(s), 54 data row(s) read"
    assert err == ""


def test_check_bundled_sample_exits_0(capsys):
    code, out, _ = run(capsys, "check", str(sample_counts_path()))
    assert code == 0
    assert "0 error(s), 0 warning(s)" in out
    # the sample named explicitly is still the sample (data/sample/SYNTHETIC): its counts
    # (648 rows) are checked with both bundled years of targets (27 rows each)
    assert "ok: 3 file(s), 702 data row(s) read" in out


def test_check_prints_every_problem_and_warning_then_exits_1(capsys, tmp_path):
    rows = [
        HEADER,
        ["SYT", "2022-06", 10, 11],
        ["Sở Giao thông vân tải", "2022-06", 10, 4],
        ["SCT", "tháng sáu", 10, 4],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    lines = out.splitlines()
    # Errors first, in row order, each with file, row, column and value.
    assert lines[0].startswith(f"error: {path}, row 2, column D (online), value '11': online (11)")
    assert lines[1].startswith(f"error: {path}, row 3, column A (unit), value 'Sở Giao thông vân")
    assert "closest: SGTVT" in lines[1]
    assert lines[2].startswith(f"error: {path}, row 4, column B (month), value 'tháng sáu': ")
    # No row is usable, so coverage says so once (not once per unit).
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert len(warnings) == 1 and "no usable rows" in warnings[0]
    assert lines[-1] == "3 error(s), 1 warning(s)"
    assert not any(line.startswith("ok:") for line in lines)


def test_check_warnings_only_exits_0_and_prints_them(capsys, tmp_path):
    rows = [HEADER, *([code, "2022-06", 100, 55] for code in CODES if code not in ("SNV", "STC"))]
    path = write_csv(tmp_path / "counts.csv", rows)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2
    assert "SNV has no rows" in warnings[0] and "STC has no rows" in warnings[1]
    assert "0 error(s), 2 warning(s)" in out


def test_check_several_files_reports_all(capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.csv"
    good = full_month_file(tmp_path)
    code, out, _ = run(capsys, "check", str(empty), str(missing), str(good))
    assert code == 1
    assert f"error: {empty}: the file is empty" in out
    assert f"error: {missing}: cannot read the file" in out
    assert "2 error(s), 0 warning(s)" in out


# --- table ----------------------------------------------------------------------------------


def _sample_month_sums(month: str) -> tuple[int, int]:
    with sample_counts_path().open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["month"] == month]
    return sum(int(r["total"]) for r in rows), sum(int(r["online"]) for r in rows)


def test_table_writes_the_out_file(capsys, tmp_path):
    out_path = tmp_path / "reports" / "kpi_2022-06.csv"
    code, out, err = run(capsys, "table", "--month", "2022-06", "--out", str(out_path))
    assert code == 0, err
    assert out.strip() == str(out_path)
    with out_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == KPI_COLUMNS
        rows = list(reader)
    assert [r["unit_code"] for r in rows] == CODES
    assert {r["month"] for r in rows} == {"2022-06"}
    total, online = _sample_month_sums("2022-06")
    assert sum(int(r["month_total"]) for r in rows) == total
    assert sum(int(r["month_online"]) for r in rows) == online


def test_table_to_stdout(capsys, tmp_path):
    path = full_month_file(tmp_path, online=55)
    code, out, _ = run(capsys, "table", "--month", "2022-06", "--counts", str(path))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 27
    # 55 of 100 is exactly the 55% target: met, nothing short.
    assert {r["status"] for r in rows} == {"met"}
    assert {r["shortfall"] for r in rows} == {"0"}


def test_table_latest_month_of_the_sample(capsys, tmp_path):
    out_path = tmp_path / "latest.csv"
    code, _, _ = run(capsys, "table", "--month", "latest", "--out", str(out_path))
    assert code == 0
    with out_path.open(encoding="utf-8") as handle:
        assert {r["month"] for r in csv.DictReader(handle)} == {"2022-12"}


def test_table_with_the_decision_appendix_as_targets(capsys, tmp_path):
    rows = [["Phụ lục"], ["TT", "Cơ quan, địa phương", "Số lượng TTHC", "Tỷ lệ"]]
    rows.append(["I", "Sở, Ban ngành", None, None])
    rows += [[i, code, "04", "60%"] for i, code in enumerate(CODES[:17], 1)]
    rows.append(["II", "UBND các huyện, thành phố", None, None])
    rows += [[i, code, 192, 0.6] for i, code in enumerate(CODES[17:], 1)]
    targets = write_workbook(tmp_path / "phu_luc.xlsx", {"PL": rows})
    counts = full_month_file(tmp_path, online=59)
    argv = ["table", "--month", "2022-06", "--counts", str(counts), "--targets", str(targets)]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    table = list(csv.DictReader(io.StringIO(out)))
    assert {r["target_rate"] for r in table} == {"0.6"}
    # 59 of 100 is one point under 60%: near, one dossier short.
    assert {r["status"] for r in table} == {"near"}
    assert {r["shortfall"] for r in table} == {"1"}


def test_table_with_bad_input_exits_1_and_writes_nothing(capsys, tmp_path):
    rows = [HEADER, *([code, "2022-06", 100, 55] for code in CODES)]
    rows[3][3] = 120
    counts = write_csv(tmp_path / "counts.csv", rows)
    out_path = tmp_path / "kpi.csv"
    argv = ["table", "--month", "2022-06", "--counts", str(counts), "--out", str(out_path)]
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert f"error: {counts}, row 4, column D (online), value '120'" in err
    assert "Traceback" not in err
    assert not out_path.exists()
    assert list(tmp_path.iterdir()) == [counts]


def test_table_bad_month_is_a_message(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["table", "--month", "2022-13"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "--month" in err and "'2022-13'" in err and "not a valid calendar month" in err
    assert "Traceback" not in err


def test_table_unexpected_failure_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_DEBUG", raising=False)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "table", "--month", "2022-06", "--out", str(blocker / "kpi.csv"))
    assert code == 1  # a problem of the environment, not of the command line (issue 9)
    assert err.startswith("kpi-report table: ")
    assert len(err.strip().splitlines()) == 1


# --- help everywhere ------------------------------------------------------------------------


def _subcommands() -> list[str]:
    parser = cli.build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    raise AssertionError("kpi-report has no subcommands")


def test_the_issue_subcommands_exist():
    assert {"check", "table", "sample"} <= set(_subcommands())


@pytest.mark.parametrize("command", [None, *_subcommands()])
def test_help_everywhere(capsys, command):
    argv = ["--help"] if command is None else [command, "--help"]
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 0
    out = capsys.readouterr().out
    expected = "usage: kpi-report" if command is None else f"usage: kpi-report {command}"
    assert out.startswith(expected)


def test_python_dash_m_help():
    result = subprocess.run(
        [sys.executable, "-m", "kpi_utils", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: kpi-report")
    for command in ("check", "table", "sample"):
        assert command in result.stdout


def test_console_script_check_without_traceback(tmp_path):
    script = Path(sys.executable).with_name("kpi-report")
    if not script.exists():
        pytest.skip("the kpi-report console script is not installed beside this Python")
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x00\x01\x02garbage\xff")
    result = subprocess.run([str(script), "check", str(path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert f"error: {path}: a binary file" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_a_named_sheet(capsys, tmp_path):
    good = [HEADER, *([code, "2022-06", 100, 55] for code in CODES)]
    path = write_workbook(tmp_path / "book.xlsx", {"Ghi chú": [["Đọc tôi"]], "Số liệu": good})
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "no header row of monthly counts" in out
    assert "(in sheet 'Ghi chú'; the workbook also has 'Số liệu': choose one with --sheet)" in out
    code, out, _ = run(capsys, "check", str(path), "--sheet", "Số liệu")
    assert code == 0
    assert "0 error(s), 0 warning(s)" in out


def test_table_with_a_missing_counts_file(capsys, tmp_path):
    missing = tmp_path / "nope.csv"
    code, out, err = run(capsys, "table", "--month", "2022-06", "--counts", str(missing))
    assert code == 1
    assert out == ""
    assert f"error: {missing}: cannot read the file" in err


def test_table_prints_warnings_on_stderr_and_still_writes(capsys, tmp_path):
    rows = [HEADER, *([code, "2022-06", 100, 55] for code in CODES if code != "SNV")]
    counts = write_csv(tmp_path / "counts.csv", rows)
    out_path = tmp_path / "kpi.csv"
    argv = ["table", "--month", "2022-06", "--counts", str(counts), "--out", str(out_path)]
    code, out, err = run(capsys, *argv)
    assert code == 0
    assert out.strip() == str(out_path)
    warnings = err.splitlines()
    assert all(line.startswith(f"warning: {counts}: ") for line in warnings)
    assert f"warning: {counts}: SNV has no rows in 2022-01..2022-06" in warnings
    with out_path.open(encoding="utf-8") as handle:
        statuses = {r["unit_code"]: r["status"] for r in csv.DictReader(handle)}
    assert statuses["SNV"] == "no_data" and statuses["SYT"] == "met"


def test_table_of_the_sample_is_quiet(capsys):
    code, out, err = run(capsys, "table", "--month", "2022-06")
    assert code == 0 and err == ""
    assert len(out.splitlines()) == 28


def test_output_cut_short_by_the_reader_is_quiet(tmp_path):
    """`kpi-report check FILE | head`: no BrokenPipeError message, no traceback."""
    script = Path(sys.executable).with_name("kpi-report")
    if not script.exists():
        pytest.skip("the kpi-report console script is not installed beside this Python")
    rows = [HEADER, *(["Nowhere", "2022-06", 1, 2] for _ in range(3000))]
    path = write_csv(tmp_path / "many.csv", rows)
    with subprocess.Popen(
        [str(script), "check", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        first = process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        code = process.wait()
    assert first.startswith(b"error: ")
    assert code == 141
    assert "BrokenPipe" not in err and "Traceback" not in err


def test_check_reads_the_decision_appendix_as_the_counts_year(capsys, tmp_path):
    rows = [["TT", "Cơ quan, địa phương", "Số lượng TTHC", "Tỷ lệ"]]
    rows.append(["I", "Sở, Ban ngành", None, None])
    rows += [[i, code, 10, "55%"] for i, code in enumerate(CODES, 1)]
    targets = write_workbook(tmp_path / "phu_luc.xlsx", {"PL": rows})
    counts = full_month_file(tmp_path)
    code, out, _ = run(capsys, "check", str(counts), "--targets", str(targets))
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out


# --- one path from files to problems: check finds what table finds (issue 15) ----------------


@pytest.fixture
def counts_and_form(tmp_path):
    """A counts CSV and a Biểu 06 form that both give STP for 2022-06 (form row 10)."""
    from test_forms import province_form

    counts = write_csv(
        tmp_path / "c.csv", [["unit", "month", "total", "online"], ["STP", "2022-06", 5, 1]]
    )
    return counts, province_form(tmp_path / "f.xlsx")


def test_check_reports_a_unit_month_in_counts_and_a_form(capsys, counts_and_form):
    counts, form = counts_and_form
    assert cli.main(["check", str(counts), str(form)]) == 1
    out = capsys.readouterr().out
    assert (
        f"error: {form}, row 10, column B (2), value 'Sở Tư pháp': STP 2022-06 appears more than "
        f"once: {counts} row 2 ('STP'); {form} row 10 ('Sở Tư pháp')"
    ) in out
    assert out.count("SVHTTDL has no rows") == 1  # coverage warnings once, for all files
    assert "kpi-" not in out


def test_table_names_the_users_files_not_an_intermediate_one(capsys, counts_and_form):
    counts, form = counts_and_form
    args = ["table", "--month", "2022-06", "--counts", str(counts), "--form", str(form)]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert f"{form} row 10 ('Sở Tư pháp')" in err and f"error: {form}, row 10" in err
    assert "kpi-table" not in err and "monthly_counts_from_forms" not in err
    assert err.count("SVHTTDL has no rows") <= 1


def test_table_warnings_from_forms_are_printed_once(capsys, counts_and_form):
    _, form = counts_and_form
    assert cli.main(["table", "--month", "latest", "--form", str(form)]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("SVHTTDL has no rows") == 1
    assert "monthly_counts_from_forms" not in captured.err
    stp = next(line for line in captured.out.splitlines() if line.startswith("STP,"))
    assert ",2022-06,110,40," in stp


def test_a_dossier_export_and_a_form_for_the_same_unit_month_name_both_rows(
    capsys, tmp_path, counts_and_form
):
    _, form = counts_and_form
    header = "Mã hồ sơ,Mã TTHC,Cơ quan/đơn vị,Kênh thực hiện,Ngày tiếp nhận,Ngày hẹn trả,"
    header += "Ngày kết thúc xử lý"
    exports = tmp_path / "d.csv"
    exports.write_text(
        f"{header}\nR1,P3,Sở Tư pháp,Trực tuyến,05/06/2022,10/06/2022,09/06/2022\n", "utf-8"
    )
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text("Mã TTHC,Mức độ\nP3,3\n", "utf-8")
    duplicate = (
        f"error: {form}, row 10, column B (2), value 'Sở Tư pháp': STP 2022-06 appears more than "
        f"once: {exports} row 2 ('Sở Tư pháp'); {form} row 10 ('Sở Tư pháp')"
    )
    assert cli.main(["check", str(exports), str(catalogue), str(form)]) == 1
    assert duplicate in capsys.readouterr().out
    args = ["--dossiers", str(exports), "--catalogue", str(catalogue), "--form", str(form)]
    assert cli.main(["table", "--month", "2022-06", *args]) == 1
    err = capsys.readouterr().err
    assert duplicate in err and "monthly_counts_from" not in err


def test_check_of_a_form_that_gives_no_counts_names_the_form_not_inputs(capsys, tmp_path):
    from test_forms import province_form

    form = province_form(tmp_path / "f.xlsx", period="Từ ngày 01/06/2022 đến ngày 31/06/2022")
    assert cli.main(["check", str(form)]) == 1
    out = capsys.readouterr().out
    assert f"warning: {form}: no usable rows of counts" in out
    assert "inputs:" not in out
