"""One decoder for every input: whatever the bytes, a command says what is wrong in plain words.

`tables.decode_bytes` decodes the text of every reader (tables, the head of a dossier export,
the kind detection of `check`, the form detection); no codec, OS or parser exception reaches the
user by its name, and exit code 2 is left to wrong command-line usage.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import csv_text, encode_text

from kpi_utils import cli
from kpi_utils.common.problems import damaged, plain_reason
from kpi_utils.sources import dossiers, tables

# What a user must never see: a traceback, an exception's class name, an errno.
EXCEPTION_WORDS = re.compile(
    r"Traceback|\b(?:[A-Z][a-z0-9]+)+(?:Error|Exception|Invalid)\b|\bException\b|BadZipFile|\[Errno"
)


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _noise(seed: int, size: int = 6000, low: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(size))


# --- the decoder ------------------------------------------------------------------------------


def test_decode_bytes_names_the_encoding_it_read():
    text = "Đơn vị,Tháng\nSở Y tế,2022-06\n"
    for encoding, expected in [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-be", "utf-16"),
        ("cp1258", "cp1258"),
    ]:
        decoded, found, problems = tables.decode_bytes(encode_text(text, encoding), "f.csv")
        assert (decoded, found, problems) == (text, expected, []), encoding


def test_a_head_cut_inside_a_character_reads_its_whole_lines():
    """The head of a long file ends anywhere: in a UTF-8 letter, or between the two bytes of a
    UTF-16 code unit. It is read up to its last line break, not refused as damaged."""
    text = "Đơn vị,Tháng\nSở Y tế,2022-06\nSở Tư pháp,2022-06\n"
    utf8 = text.encode("utf-8")
    cut = utf8.index("ư".encode()) + 1  # inside the two bytes of "ư"
    assert tables.decode_bytes(utf8[:cut], "f.csv", partial=True)[:2] == (
        "Đơn vị,Tháng\nSở Y tế,2022-06\n",
        "utf-8",
    )
    utf16 = encode_text(text, "utf-16")
    decoded, encoding, problems = tables.decode_bytes(utf16[:-3], "f.csv", partial=True)
    assert (decoded, encoding, problems) == ("Đơn vị,Tháng\nSở Y tế,2022-06\n", "utf-16", [])


def test_bytes_undefined_in_windows_1258_are_a_problem_not_a_crash():
    data = b"unit,month\nS\x8f\x81,2022-06\n"  # 0x8F and 0x81 mean nothing in Windows-1258
    text, _, problems = tables.decode_bytes(data, "f.csv")
    assert text is None
    assert [p.message for p in problems] == [
        "unreadable text: not UTF-8, UTF-16 (with BOM) or Windows-1258"
    ]


def test_plain_reason_drops_class_names_and_errno():
    assert plain_reason(ValueError("ArrowInvalid: Parquet magic bytes not found")) == (
        "Parquet magic bytes not found"
    )
    assert plain_reason(OSError(28, "No space left on device")) == "No space left on device"
    assert plain_reason(RuntimeError("[Errno 5] Input/output error")) == "Input/output error"
    assert damaged("not a readable XLSX workbook", KeyError()) == (
        "not a readable XLSX workbook (damaged or of another kind)"
    )


# --- the readers that used to decode by themselves --------------------------------------------


def test_file_kind_of_bytes_windows_1258_cannot_decode(tmp_path):
    """`check`'s kind detection decoded file heads with its own decoder and raised
    UnicodeDecodeError ('charmap' codec can't decode byte 0x8f)."""
    path = tmp_path / "odd.csv"
    path.write_bytes(b"unit,month,total,online\nS\x8f,2022-06,1,1\n")
    assert dossiers.file_kind(path) == "counts"


def test_dossier_head_and_body_read_with_the_tables_encoding_and_delimiter(tmp_path):
    header = ["dossier_id", "procedure_code", "agency", "channel", "received", "due", "completed"]
    rows = [[f"H{i}", "P1", "Sở Tư pháp", "2", "05/01/2022", "10/01/2022", ""] for i in range(3)]
    path = tmp_path / "export.csv"
    path.write_bytes(encode_text(csv_text([header, *rows], delimiter=";"), "utf-16"))
    table, problems = tables.read_table(path, dossiers.headers.DOSSIERS, head=301)
    assert problems == []
    assert (table.encoding, table.delimiter, table.header_row) == ("utf-16", ";", 1)


# --- every command, any bytes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("noise.csv", _noise(1)),
        ("noise.csv", _noise(2, low=1)),  # no NUL: decoded as Windows-1258 until 0x8F
        ("noise.xlsx", _noise(3)),
        ("noise.xlsx", b"PK\x03\x04" + _noise(4)),
        ("noise.parquet", _noise(5)),
        ("noise.parquet", b"PAR1" + _noise(6) + b"PAR1"),
    ],
)
def test_check_of_random_bytes_is_exit_1_in_plain_words(capsys, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    code, output = run(capsys, "check", str(path))
    assert code == 1
    assert f"error: {path}: " in output
    assert not EXCEPTION_WORDS.search(output), output


def test_every_reading_command_on_random_bytes_is_exit_1(capsys, tmp_path):
    noise = tmp_path / "noise.csv"
    noise.write_bytes(_noise(7, low=1))
    for argv in [
        ["table", "--month", "2022-06", "--counts", str(noise)],
        ["table", "--month", "2022-06", "--targets", str(noise)],
        ["ingest", str(noise), "--catalogue", str(noise)],
        ["ingest", "--form", str(noise)],
        ["check", "--form", str(noise)],
    ]:
        code, output = run(capsys, *argv)
        assert code == 1, argv
        assert str(noise) in output, argv
        assert not EXCEPTION_WORDS.search(output), (argv, output)
