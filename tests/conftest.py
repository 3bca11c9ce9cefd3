"""Generic helpers shared by the tests: writing CSV text in a given encoding, building workbooks.

Nothing here knows what a KPI is; the tests say what they put in the files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from kpi_utils.common.registry import UnitResolver, load_registry

# Hypothesis fails an example that takes over 200 ms by default: a timed assertion, which a loaded
# machine (or a mutation run beside other work) turns into a failure that says nothing about the
# code; under `make mutation` it counted mutants as killed that no test could tell apart. Speed is
# measured in benchmarks/, never in tests.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")

# Combining tone marks that Windows-1258 writes after the base letter.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def cp1258_bytes(text: str) -> bytes:
    """`text` as real Windows-1258 bytes.

    Windows-1258 holds the vowel-quality letters (â ă ê ô ơ ư đ) and a few toned letters as
    single bytes, and writes every other tone as a combining mark after its letter. Python's
    cp1258 encoder does not decompose by itself, so letters it cannot encode are split here.
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            tones = "".join(c for c in parts if c in _TONES)
            out.append((base + tones).encode("cp1258"))
    data = b"".join(out)
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == unicodedata.normalize(
        "NFC", text
    ), "Windows-1258 round trip"
    return data


def encode_text(text: str, encoding: str) -> bytes:
    """`text` in `encoding`: utf-8, utf-8-sig, utf-16 (LE) and utf-16-be (both with BOM), cp1258."""
    if encoding == "cp1258":
        return cp1258_bytes(text)
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


def csv_text(rows: Sequence[Sequence[object]], delimiter: str = ",", newline: str = "\n") -> str:
    """Rows joined as delimited text; a cell holding the delimiter or a quote is quoted."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = "" if cell is None else str(cell)
            if delimiter in text or '"' in text or "\n" in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return newline.join(lines) + newline


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\n",
) -> Path:
    """Write `rows` as a delimited text file in `encoding`; returns the path."""
    path.write_bytes(encode_text(csv_text(rows, delimiter, newline), encoding))
    return path


def write_workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    merges: dict[str, Sequence[str]] | None = None,
    number_formats: dict[str, dict[str, str]] | None = None,
) -> Path:
    """Write an XLSX with openpyxl: sheet name -> rows (row 1 first), optional merged ranges
    ("A1:D1") and number formats ({"C5": "0%"}) per sheet. The first sheet is the active one."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for cell_range in (merges or {}).get(name, ()):
            ws.merge_cells(cell_range)
        for ref, fmt in (number_formats or {}).get(name, {}).items():
            ws[ref].number_format = fmt
    book.save(path)
    return path


@pytest.fixture(scope="session")
def registry():
    return load_registry()


@pytest.fixture(scope="session")
def resolver(registry):
    return UnitResolver.from_registry(registry)


def counts_of(rows: Sequence[tuple]) -> pd.DataFrame:
    """A tidy counts frame from (unit, 'YYYY-MM', total, online[, resolved, on_time]) tuples."""
    from kpi_utils.sources.inputs import counts_frame

    records = []
    for i, (unit, month, total, online, *resolved) in enumerate(rows):
        record = {
            "unit_code": unit,
            "month": pd.Period(month, "M"),
            "total": total,
            "online": online,
            "source_file": "fixture",
            "source_row": i + 2,
            "source_unit": unit,
        }
        if resolved:
            record["resolved"], record["resolved_on_time"] = resolved
        records.append(record)
    return counts_frame(records)


def targets_of(
    codes: Sequence[str], rate: float = 0.55, year: int = 2022, eligible: int | None = 10
) -> pd.DataFrame:
    """A targets frame giving every unit in `codes` the same rate for `year`."""
    return pd.DataFrame(
        {
            "unit_code": list(codes),
            "year": pd.array([year] * len(codes), dtype="Int64"),
            "eligible_procedures": pd.array([eligible] * len(codes), dtype="Int64"),
            "target_rate": [rate] * len(codes),
        }
    )


@pytest.fixture(scope="module")
def units():
    """The unit resolver of the registry (the forms tests read rows against it)."""
    return UnitResolver.from_registry(load_registry())


@pytest.fixture(scope="module")
def communes(units):
    """The commune resolver of the GSO list, under `units`."""
    from kpi_utils.sources.communes import CommuneResolver, load_communes

    return CommuneResolver.from_communes(load_communes(), units)


def ingest_without(module: str, why: str) -> str:
    """Python source that runs `kpi-report ingest ARGS` with `module` unimportable (an import of
    it raises ImportError saying `why`): for `python -c SCRIPT ARGS...`."""
    return f"""
import sys

class Without:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r} or name.startswith({module + "."!r}):
            raise ImportError({why!r})

sys.meta_path.insert(0, Without())
from kpi_utils.cli import main

raise SystemExit(main(["ingest", *sys.argv[1:]]))
"""


# The columns of a one-stop system's dossier export, as the tests' exports write them.
DOSSIER_HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Cơ quan/đơn vị",
    "Kênh thực hiện",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "Trạng thái",
]
