"""Mutation fuzzing of every command that reads files: any bytes end in exit 0 or 1, in plain words.

Seeds are small real-shaped inputs of every kind (monthly counts CSV and XLSX, targets, commune
counts and targets, a Biểu 06 form workbook, dossier exports as CSV, XLSX and Parquet, a
procedure catalogue). Each case takes one seed, mutates it (bit flips, truncation, inserted
delimiters, quotes, NULs and BOMs, duplicated or dropped lines, two files spliced, re-encoding;
for workbooks the zip bytes or the cell values through openpyxl; for Parquet the bytes or the
values through pyarrow) and runs one command on it in-process (`kpi_utils.cli.main`): `check`,
`table`, `ingest` or `build` (stopped once its inputs are checked). The case fails when the exit
code is not 0 or 1, or the output shows a traceback, an exception's class name or an errno.

Everything is drawn from `random.Random(f"{seed}:{index}")`: case N of a seed is the same case on
every machine. `tests/test_fuzz.py` runs it in the suite; `make fuzz` (FUZZ_CASES, FUZZ_SEED)
runs it at length and keeps each failing case under `fuzz-failures/`, ready to be copied into
`tests/fixtures/fuzz/` as a regression file.

    python tests/fuzz.py --cases 100000 --seed 1 --keep fuzz-failures
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from conftest import csv_text, write_workbook  # noqa: E402

REPO = HERE.parent
DATA = REPO / "data"
MONTH = "2022-06"

# What a user must never see: a traceback, an exception's class name, an errno.
FORBIDDEN = re.compile(
    r"Traceback|\b(?:[A-Z][a-z0-9]+)+(?:Error|Exception|Invalid)\b|\bException\b|BadZipFile|\[Errno"
)


# --- seeds ------------------------------------------------------------------------------------


def _head(path: Path, lines: int) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return "".join(line for _, line in zip(range(lines), handle, strict=False))


def _counts_rows() -> list[list[str]]:
    text = (DATA / "sample" / "monthly_counts.csv").read_text(encoding="utf-8").splitlines()
    header, body = text[0].split(","), [line.split(",") for line in text[1:]]
    return [header, *[row for row in body if row[1] in ("2022-05", "2022-06")]]


DOSSIER_ROWS = [
    ["Mã hồ sơ", "Mã TTHC", "Cơ quan/đơn vị", "Kênh thực hiện", "Ngày tiếp nhận", "Ngày hẹn trả"]
    + ["Ngày kết thúc xử lý", "Trạng thái"],
    ["A01", "H29.STP.001", "Sở Tư pháp", "2", "05/06/2022", "10/06/2022", "10/06/2022", "Đã trả"],
    ["A02", "H29.STP.002", "Sở Tư pháp", "Trực tuyến", "2022-06-06", "2022-06-12", "", ""],
    ["A03", "H29.STP.001", "STP", "1", "7/6/2022 08:30", "12/06/2022", "", "Đang xử lý"],
    ["A04", "H29.SCT.001", "Sở Công Thương", "2", "20/06/2022", "25/06/2022", "24/06/2022", ""],
    ["A05", "h29.sct.002", "sở công thương", "BƯU CHÍNH CÔNG ÍCH", "28/06/2022", "03/07/2022"]
    + ["", ""],
    ["A06", "H29.SCT.001", "Sở Công Thương", "2", "03/06/2022", "28/06/2022", "01/07/2022", ""],
    ["A06", "H29.SCT.001", "Sở Công Thương", "2", "03/06/2022", "28/06/2022", "01/07/2022", ""],
    ["A07", "H29.STP.002", "Sở Tư pháp", "2", "", "28/06/2022", "", ""],
]


def _catalogue_rows() -> list[list[str]]:
    import csv

    with (DATA / "sample" / "catalogue_2022.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    wanted = [r for r in body if r[0].startswith(("H29.STP.", "H29.SCT."))][:12]
    return [header, *wanted]


def write_seeds(folder: Path) -> dict[str, Path]:
    """One small file of every kind of input, in `folder`: kind -> path."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from test_forms import province_form

    folder.mkdir(parents=True, exist_ok=True)
    counts = _counts_rows()
    seeds = {
        "counts.csv": folder / "counts.csv",
        "counts.xlsx": folder / "counts.xlsx",
        "targets.csv": folder / "targets.csv",
        "commune_counts.csv": folder / "commune_counts.csv",
        "commune_targets.csv": folder / "commune_targets.csv",
        "form.xlsx": folder / "form.xlsx",
        "dossiers.csv": folder / "dossiers.csv",
        "dossiers.xlsx": folder / "dossiers.xlsx",
        "dossiers.parquet": folder / "dossiers.parquet",
        "catalogue.csv": folder / "catalogue.csv",
    }
    seeds["counts.csv"].write_text(csv_text(counts), encoding="utf-8")
    write_workbook(seeds["counts.xlsx"], {"Số liệu": [counts[0], *counts[1:40]]})
    seeds["targets.csv"].write_text(_head(DATA / "targets_2022.csv", 28), encoding="utf-8")
    commune = (DATA / "sample" / "commune_counts.csv").read_text(encoding="utf-8").splitlines()
    commune = [commune[0], *[line for line in commune[1:] if ",2022-06," in line][:40]]
    seeds["commune_counts.csv"].write_text("\n".join(commune) + "\n", encoding="utf-8")
    seeds["commune_targets.csv"].write_text(
        _head(DATA / "sample" / "commune_targets.csv", 12), encoding="utf-8"
    )
    province_form(seeds["form.xlsx"])
    seeds["dossiers.csv"].write_text(csv_text(DOSSIER_ROWS), encoding="utf-8")
    write_workbook(seeds["dossiers.xlsx"], {"Hồ sơ": DOSSIER_ROWS})
    header, *body = DOSSIER_ROWS
    columns = {h: pa.array([r[i] or None for r in body], pa.string()) for i, h in enumerate(header)}
    pq.write_table(pa.table(columns), seeds["dossiers.parquet"])
    seeds["catalogue.csv"].write_text(csv_text(_catalogue_rows()), encoding="utf-8")
    for name in ("counts.xlsx", "form.xlsx", "dossiers.xlsx"):
        seeds[name].write_bytes(same_bytes(seeds[name].read_bytes()))
    return seeds


# --- commands ---------------------------------------------------------------------------------

# Per kind of input: the command lines that read it. `{f}` is the mutated file, `{s:kind}` the
# clean seed of another kind.
COMMANDS: dict[str, list[list[str]]] = {
    "counts": [
        ["check", "{f}"],
        ["check", "{f}", "--targets", "{s:targets.csv}"],
        ["table", "--month", MONTH, "--counts", "{f}"],
        ["table", "--month", "latest", "--counts", "{f}"],
        ["build", "--month", MONTH, "--counts", "{f}"],
    ],
    "targets": [
        ["check", "{s:counts.csv}", "--targets", "{f}"],
        ["table", "--month", MONTH, "--counts", "{s:counts.csv}", "--targets", "{f}"],
        ["build", "--month", MONTH, "--counts", "{s:counts.csv}", "--targets", "{f}"],
    ],
    "commune_counts": [
        ["check", "{f}"],
        ["build", "--month", MONTH, "--counts", "{s:counts.csv}", "--commune-counts", "{f}"],
    ],
    "commune_targets": [
        ["build", "--month", MONTH, "--counts", "{s:counts.csv}"]
        + ["--commune-counts", "{s:commune_counts.csv}", "--commune-targets", "{f}"],
    ],
    "form": [
        ["check", "{f}"],
        ["check", "--form", "{f}", "--form-period", MONTH],
        ["ingest", "--form", "{f}"],
        ["table", "--month", MONTH, "--form", "{f}", "--form-period", MONTH],
        ["build", "--month", MONTH, "--form", "{f}"],
    ],
    "dossiers": [
        ["check", "{f}"],
        ["check", "{f}", "--catalogue", "{s:catalogue.csv}"],
        ["ingest", "{f}", "--catalogue", "{s:catalogue.csv}"],
        ["table", "--month", MONTH, "--dossiers", "{f}", "--catalogue", "{s:catalogue.csv}"],
        ["build", "--month", MONTH, "--dossiers", "{f}", "--catalogue", "{s:catalogue.csv}"],
    ],
    "catalogue": [
        ["check", "{f}"],
        ["check", "{s:dossiers.csv}", "--catalogue", "{f}"],
        ["ingest", "{s:dossiers.csv}", "--catalogue", "{f}"],
    ],
}


# Dossier exports go through DuckDB (about ten times the cost of a counts file): they get fewer
# cases, so that a run of the suite stays short.
SEED_WEIGHTS = {"dossiers": 1, "catalogue": 1}


def kind_of(seed_name: str) -> str:
    return seed_name.split(".")[0]


# --- mutations of bytes -----------------------------------------------------------------------

BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
INSERTS = (b",", b";", b"\t", b'"', b"\x00", b"\n", b"\r", b"\r\n", b'""', b"\xef\xbb\xbf")


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def flip_bits(rng, data, others):
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def random_byte(rng, data, others):
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]


def truncate(rng, data, others):
    return data[: _pos(rng, data)]


def insert(rng, data, others):
    i = _pos(rng, data)
    return data[:i] + rng.choice(INSERTS) * rng.randint(1, 3) + data[i:]


def bom(rng, data, others):
    mark = rng.choice(BOMS)
    return mark + data if rng.random() < 0.7 else data[3:] if data[:3] in BOMS else mark + data


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def duplicate_line(rng, data, others):
    lines = _lines(data)
    if not lines:
        return data
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return b"".join(lines)


def drop_line(rng, data, others):
    lines = _lines(data)
    if len(lines) < 2:
        return data
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def splice(rng, data, others):
    other = rng.choice(others)
    return data[: _pos(rng, data)] + other[_pos(rng, other) :]


def reencode(rng, data, others):
    text = data.decode("utf-8", errors=rng.choice(("replace", "ignore", "surrogateescape")))
    encoding = rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1258", "latin-1"))
    errors = "replace" if encoding != "utf-8-sig" else "surrogateescape"
    try:
        return text.encode(encoding, errors=errors)
    except UnicodeEncodeError:
        return text.encode(encoding, errors="replace")


def long_cell(rng, data, others):
    i = _pos(rng, data)
    return (
        data[:i]
        + rng.choice((b"9", b"x", b"\xe1\xbb\x87", b'"')) * rng.randint(100, 20000)
        + data[i:]
    )


def line_endings(rng, data, others):
    return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", b"")))


BYTE_MUTATIONS: list[Callable] = [
    flip_bits,
    random_byte,
    truncate,
    insert,
    insert,
    bom,
    duplicate_line,
    drop_line,
    splice,
    reencode,
    long_cell,
    line_endings,
]


def mutate_bytes(rng: random.Random, data: bytes, others: list[bytes]) -> tuple[bytes, list[str]]:
    names = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        mutation = rng.choice(BYTE_MUTATIONS)
        data = mutation(rng, data, others)
        names.append(mutation.__name__)
    return data, names


# --- mutations of workbook cells and Parquet values -------------------------------------------

CELL_VALUES: list[Callable[[random.Random], object]] = [
    lambda rng: None,
    lambda rng: "",
    lambda rng: " ",
    lambda rng: -rng.randint(1, 10**6),
    lambda rng: rng.randint(0, 10**15),
    lambda rng: rng.random() * 10 ** rng.randint(-5, 20),
    lambda rng: float("nan") if rng.random() < 0.5 else float("inf"),
    lambda rng: True,
    lambda rng: "=1/0",
    lambda rng: "=SUM(C1:C3)",
    lambda rng: "#N/A",
    lambda rng: rng.choice(("2022-13", "13/2022", "06/2022", "Tháng 6", "2022-06-31", "0")),
    lambda rng: rng.choice(("Sở Tư pháp", "STP", "Xã Cao Sơn", "TỔNG CỘNG", "(3)", "I", "1.1")),
    lambda rng: "x" * rng.randint(1, 5000),
    lambda rng: "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(1, 30))),
    lambda rng: __import__("datetime").datetime(rng.randint(1900, 2100), rng.randint(1, 12), 1),
    lambda rng: __import__("datetime").date(2022, 6, rng.randint(1, 30)),
    lambda rng: __import__("datetime").time(rng.randint(0, 23), 30),
]


def mutate_cells(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """Change cells, rows, merges and sheets of a workbook through openpyxl."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book.worksheets[0]
    names = []
    for _ in range(rng.randint(1, 4)):
        what = rng.choice(("cell", "cell", "cell", "insert_row", "delete_row", "merge", "sheet"))
        names.append(f"cells:{what}")
        rows, cols = max(ws.max_row, 1), max(ws.max_column, 1)
        if what == "cell":
            cell = ws.cell(rng.randint(1, rows + 1), rng.randint(1, cols + 1))
            with contextlib.suppress(ValueError, TypeError):  # openpyxl refuses some values
                cell.value = rng.choice(CELL_VALUES)(rng)
        elif what == "insert_row":
            ws.insert_rows(rng.randint(1, rows + 1), rng.randint(1, 3))
        elif what == "delete_row":
            ws.delete_rows(rng.randint(1, rows), rng.randint(1, 3))
        elif what == "merge":
            r, c = rng.randint(1, rows), rng.randint(1, cols)
            with contextlib.suppress(ValueError):
                ws.merge_cells(
                    start_row=r, start_column=c, end_row=r + rng.randint(0, 2), end_column=c + 1
                )
        else:
            book.create_sheet(rng.choice(("Sheet", "Trống", "Biểu 06")), index=rng.randint(0, 1))
    out = io.BytesIO()
    book.save(out)
    return same_bytes(out.getvalue()), names


FIXED_TIME = (2022, 6, 30, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:)")


def same_bytes(book: bytes) -> bytes:
    """A workbook as openpyxl saved it, with its clock taken out (zip entry times, the created
    and modified dates of docProps/core.xml): the same cells give the same bytes on every run."""
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>2022-06-30T00:00:00Z\g<2>", content)
            target.writestr(zipfile.ZipInfo(name, FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def mutate_zip_member(
    rng: random.Random, data: bytes, others: list[bytes]
) -> tuple[bytes, list[str]]:
    """Mutate the bytes of one member of a workbook's zip (a sheet's XML, the shared strings,
    the workbook's list of sheets) and zip it again, so that the damage gets past the zip layer."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = source.namelist()
    chosen = rng.choice(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in members:
            content = source.read(name)
            if name == chosen:
                content, _ = mutate_bytes(rng, content, others)
            target.writestr(zipfile.ZipInfo(name, FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue(), [f"zip:{chosen}"]


def mutate_parquet(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """Change values, types and names of a Parquet file's columns through pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    names = []
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(table.num_columns)
        what = rng.choice(("values", "int", "timestamp", "rename", "drop", "nulls"))
        names.append(f"parquet:{what}")
        column, n = table.column(i), table.num_rows
        if what == "values":
            values = [str(rng.choice(CELL_VALUES)(rng)) for _ in range(n)]
            table = table.set_column(i, table.field(i).name, pa.array(values, pa.string()))
        elif what == "int":
            values = [rng.randint(-(2**40), 2**40) for _ in range(n)]
            table = table.set_column(i, table.field(i).name, pa.array(values, pa.int64()))
        elif what == "timestamp":
            values = [rng.randint(-(2**50), 2**50) for _ in range(n)]
            array = pa.array(values, pa.int64()).cast(pa.timestamp("us"))
            table = table.set_column(i, table.field(i).name, array)
        elif what == "rename":
            table = table.rename_columns(
                [
                    rng.choice(("", "x", "Mã hồ sơ", f.name + " ")) if j == i else f.name
                    for j, f in enumerate(table.schema)
                ]
            )
        elif what == "drop" and table.num_columns > 1:
            table = table.remove_column(i)
        else:
            table = table.set_column(i, table.field(i).name, pa.nulls(n, column.type))
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue(), names


# --- cases ------------------------------------------------------------------------------------


@dataclass
class Case:
    index: int
    seed_name: str
    mutations: list[str]
    data: bytes
    argv: list[str]  # with `{f}` and `{s:...}` placeholders


def make_case(seed: int, index: int, seeds: dict[str, bytes]) -> Case:
    rng = random.Random(f"{seed}:{index}")
    names = sorted(seeds)
    seed_name = rng.choices(names, weights=[SEED_WEIGHTS.get(kind_of(n), 3) for n in names])[0]
    data = seeds[seed_name]
    others = [seeds[name] for name in sorted(seeds) if name != seed_name]
    mutations: list[str] = []
    structured = rng.random()
    try:
        if seed_name.endswith(".xlsx") and structured < 0.4:
            data, mutations = mutate_cells(rng, data)
        elif seed_name.endswith(".xlsx") and structured < 0.7:
            data, mutations = mutate_zip_member(rng, data, others)
        elif seed_name.endswith(".parquet") and structured < 0.5:
            data, mutations = mutate_parquet(rng, data)
    except Exception as exc:  # a mutation the library itself cannot write: mutate the bytes
        mutations = [f"(structured mutation refused: {type(exc).__name__})"]
    if not mutations or rng.random() < 0.2:
        data, more = mutate_bytes(rng, data, others)
        mutations += more
    argv = rng.choice(COMMANDS[kind_of(seed_name)])
    return Case(index, seed_name, mutations, data, list(argv))


@contextlib.contextmanager
def constants_once():
    """Build what never changes between cases once: the unit registry and its resolver, the
    commune list and its resolver, and targets files by their bytes (the bundled ones that most
    commands read beside the mutated file). Results are handed out as deep copies, so a caller
    that changes what it got cannot change the next case. Without this, each case spends most of
    its time rebuilding them, and 1,000 cases do not fit in a minute on a shared machine."""
    import copy
    import functools
    import hashlib

    from kpi_utils.common import registry
    from kpi_utils.metrics import pipeline
    from kpi_utils.sources import communes, forms, inputs

    def by_value(func, key):
        memo = {}

        @functools.wraps(func)
        def cached(*args, **kwargs):
            k = key(*args, **kwargs)
            if k not in memo:
                memo[k] = func(*args, **kwargs)
            return copy.deepcopy(memo[k])

        return cached

    def file_key(path, *args, **kwargs):
        data = Path(path).read_bytes() if Path(path).is_file() else b""
        return (str(path), hashlib.sha256(data).digest(), repr(args), repr(sorted(kwargs.items())))

    patches = [
        (registry, "load_registry", by_value(registry.load_registry, lambda path=None: path)),
        (communes, "load_communes", by_value(communes.load_communes, lambda path=None: path)),
        (inputs, "read_targets", by_value(inputs.read_targets, file_key)),
    ]
    patches += [
        (pipeline, "load_registry", patches[0][2]),
        (forms, "load_registry", patches[0][2]),
        (forms, "load_communes", patches[1][2]),
        (pipeline, "read_targets", patches[2][2]),
    ]
    units_memo: dict = {}
    original_from_units = registry.UnitResolver.from_units.__func__

    def from_units(cls, units):
        units = list(units)
        key = repr(units)
        if key not in units_memo:
            units_memo[key] = original_from_units(cls, units)
        return units_memo[key]  # a resolver is not changed by its users

    patches.append((registry.UnitResolver, "from_units", classmethod(from_units)))
    communes_memo: dict = {}
    original_from_communes = communes.CommuneResolver.from_communes.__func__

    def from_communes(cls, frame, units):
        key = (frame.to_csv(), id(units))
        if key not in communes_memo:
            communes_memo[key] = original_from_communes(cls, frame, units)
        return communes_memo[key]

    patches.append((communes.CommuneResolver, "from_communes", classmethod(from_communes)))
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]
    try:
        for owner, name, value in patches:
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


class StopAfterInputs(BaseException):
    """Raised where `build` would start writing the report: its inputs were checked and passed."""


@dataclass
class Outcome:
    code: int
    output: str

    @property
    def failed(self) -> bool:
        return self.code not in (0, 1) or bool(FORBIDDEN.search(self.output))


def _argv(argv: list[str], file: Path, seeds: dict[str, Path]) -> list[str]:
    out = []
    for arg in argv:
        if arg == "{f}":
            out.append(str(file))
        elif arg.startswith("{s:"):
            out.append(str(seeds[arg[3:-1]]))
        else:
            out.append(arg)
    return out


def run_cli(argv: list[str]) -> Outcome:
    """`kpi-report argv` in this process: (exit code, stdout + stderr). `build` stops as soon as
    its inputs are checked (nothing is written)."""
    import warnings

    from kpi_utils import cli
    from kpi_utils.site import build

    stdout, stderr = io.StringIO(), io.StringIO()
    saved = build.staging_dir

    def stop(target):
        raise StopAfterInputs

    build.staging_dir = stop
    try:
        with (
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("default")
            try:
                code = cli.main(argv)
            except StopAfterInputs:
                code = 0
            except SystemExit as exc:  # argparse: usage
                code = exc.code if isinstance(exc.code, int) else 2
            except Exception as exc:  # escaped main: report it as the user would see it
                code = 99
                print(f"Traceback (escaped cli.main): {type(exc).__name__}: {exc}", file=stderr)
    finally:
        build.staging_dir = saved
    return Outcome(code, stdout.getvalue() + stderr.getvalue())


def run_case(case: Case, folder: Path, seeds: dict[str, Path]) -> Outcome:
    file = folder / f"case{Path(case.seed_name).suffix}"
    file.write_bytes(case.data)
    return run_cli(_argv(case.argv, file, seeds))


def keep_case(case: Case, outcome: Outcome, folder: Path) -> Path:
    """Write a failing case as a regression folder: the input file and case.json."""
    target = folder / f"case-{case.index:06d}-{kind_of(case.seed_name)}"
    target.mkdir(parents=True, exist_ok=True)
    name = f"input{Path(case.seed_name).suffix}"
    (target / name).write_bytes(case.data)
    description = {
        "argv": ["{case}/" + name if a == "{f}" else a for a in case.argv],
        "seed_file": case.seed_name,
        "mutations": case.mutations,
        "exit_code": outcome.code,
        "output": outcome.output[-2000:],
    }
    (target / "case.json").write_text(
        json.dumps(description, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return target


def fuzz(
    cases: int,
    seed: int,
    work: Path,
    keep: Path | None = None,
    progress: bool = False,
    part: tuple[int, int] = (0, 1),
) -> tuple[list[tuple[Case, Outcome]], dict[str, int], float]:
    """Run cases 0 .. `cases` - 1 (of them, those with index % part[1] == part[0]); returns
    (failures, cases per command, seconds)."""
    seed_paths = write_seeds(work / "seeds")
    seeds = {name: path.read_bytes() for name, path in seed_paths.items()}
    failures: list[tuple[Case, Outcome]] = []
    commands: dict[str, int] = {}
    start = time.perf_counter()
    with constants_once():
        for done, index in enumerate(range(part[0], cases, part[1]), start=1):
            _one(seed, index, seeds, seed_paths, work, keep, failures, commands)
            if progress and done % 250 == 0:
                elapsed = time.perf_counter() - start
                print(
                    f"part {part[0] + 1}/{part[1]}: {done} cases, {len(failures)} failing, "
                    f"{elapsed:.0f} s",
                    file=sys.__stderr__,
                    flush=True,
                )
    return failures, commands, time.perf_counter() - start


def _one(seed, index, seeds, seed_paths, work, keep, failures, commands) -> None:
    case = make_case(seed, index, seeds)
    folder = work / "case"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    outcome = run_case(case, folder, seed_paths)
    commands[case.argv[0]] = commands.get(case.argv[0], 0) + 1
    if outcome.failed:
        failures.append((case, outcome))
        if keep is not None:
            keep_case(case, outcome, keep)


def replay(case_dir: Path, seeds: dict[str, Path]) -> Outcome:
    """Run a kept case (a folder with case.json and its input file) again."""
    description = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    argv = [a.replace("{case}", str(case_dir)) for a in description["argv"]]
    return run_cli(_argv(argv, case_dir, seeds))


def _part(cases: int, seed: int, keep: Path, part: tuple[int, int]):
    import tempfile

    cpu = time.process_time()
    with tempfile.TemporaryDirectory(prefix="kpi-fuzz-") as work:
        failures, commands, _ = fuzz(cases, seed, Path(work), keep=keep, progress=True, part=part)
    return failures, commands, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--jobs", type=int, default=1, help="processes, each a share of the cases")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            parts = pool.starmap(
                _part,
                [(args.cases, args.seed, args.keep, (k, args.jobs)) for k in range(args.jobs)],
            )
    else:
        parts = [_part(args.cases, args.seed, args.keep, (0, 1))]
    failures = sorted((f for part in parts for f in part[0]), key=lambda f: f[0].index)
    commands: dict[str, int] = {}
    for part in parts:
        for name, n in part[1].items():
            commands[name] = commands.get(name, 0) + n
    seconds = time.perf_counter() - start
    cpu = sum(part[2] for part in parts)
    by_command = ", ".join(f"{name} {n}" for name, n in sorted(commands.items()))
    print(
        f"{args.cases} cases (seed {args.seed}; {by_command}) in {seconds:.0f} s "
        f"({cpu:.0f} s of CPU in {args.jobs} process(es)): "
        f"{len(failures)} failing" + (f", kept in {args.keep}/" if failures else "")
    )
    for case, outcome in failures[:20]:
        last = outcome.output.strip().splitlines()[-1:] or [""]
        print(f"  case {case.index} {case.seed_name} {case.argv[0]} exit {outcome.code}: {last[0]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
