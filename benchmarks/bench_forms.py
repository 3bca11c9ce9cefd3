"""Benchmark: reading a large Biểu 06 workbook, and generating the commune sample.

Run on demand, never in the tests:

    .venv/bin/python benchmarks/bench_forms.py [--areas 40]

Builds (in a temporary folder) a province compilation the way the one-stop office fills it: the
17 departments and 10 districts, each with `--areas` areas of work numbered 1.1, 1.2, ..., then
the 151 communes in the commune section under their districts' headings, with section and total
rows that add up. Prints the time
to read it (`forms.read_form`, best of 3) and to regenerate the SYNTHETIC commune counts
(`sample_communes.generate_commune_counts`, best of 3). The workbook is written by openpyxl with
merged header cells, as in `tests/test_forms.py`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd

from kpi_utils.common import paths
from kpi_utils.common.registry import UnitResolver, load_registry
from kpi_utils.samples import communes as sample_communes
from kpi_utils.sources import forms
from kpi_utils.sources.communes import CommuneResolver, load_communes

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"


def _numbers(i: int) -> list[int]:
    online, offline, carried = 3 + i % 7, 5 + i % 5, 5 + i % 3
    early, on_time, late = 2 + i % 4, 4 + i % 3, i % 2
    received = online + offline + carried
    resolved = early + on_time + late
    pending = received - resolved
    return [received, online, offline, carried, resolved, early, on_time, late, pending, pending, 0]


def _add(total: list[int], numbers: list[int]) -> list[int]:
    return [a + b for a, b in zip(total, numbers, strict=True)]


def build_form(path: Path, areas: int) -> int:
    registry, communes = load_registry(), load_communes()
    body, grand = [], [0] * 11
    sections = (
        ("I", "Sở ban ngành", registry[registry["group"] == "department"]["official_name"]),
        (
            "II",
            "Huyện, thị xã, thành phố",
            registry[registry["group"] == "district"]["official_name"],
        ),
    )
    k = 0
    for numeral, title, names in sections:
        rows, section = [], [0] * 11
        for n, name in enumerate(names, start=1):
            unit, unit_rows = [0] * 11, []
            for a in range(1, areas + 1):
                k += 1
                numbers = _numbers(k)
                unit = _add(unit, numbers)
                unit_rows.append([f"{n}.{a}", f"Lĩnh vực {a}", *numbers])
            rows += [[n, name, *unit], *unit_rows]
            section = _add(section, unit)
        body += [[numeral, title, *section], *rows]
        grand = _add(grand, section)
    rows, section = [], [0] * 11
    for unit, members in communes.groupby("unit_code", sort=False):
        group, group_rows = [0] * 11, []
        for n, name in enumerate(members["ward_name"], start=1):
            k += 1
            numbers = _numbers(k)
            group_rows.append([n, name, *numbers])
            group = _add(group, numbers)
        heading = registry.loc[registry["unit_code"] == unit, "official_name"].iloc[0]
        rows += [[None, heading, *group], *group_rows]  # a district heading its communes
        section = _add(section, group)
    body += [["III", "Xã, phường, thị trấn", *section], *rows]
    grand = _add(grand, section)
    book = openpyxl.Workbook()
    ws = book.active
    for row in [
        [TITLE],
        ["(Từ ngày 01/06/2022 đến ngày 30/06/2022)"],
        [],
        [],
        [
            "STT",
            "Lĩnh vực, công việc giải quyết theo cấp",
            "Số hồ sơ nhận giải quyết",
            None,
            None,
            None,
            "Số hồ sơ đã giải quyết",
            None,
            None,
            None,
            "Số hồ sơ đang giải quyết",
        ],
        [
            None,
            None,
            "Tổng số",
            "Trong đó: Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "Từ kỳ trước",
            "Tổng số",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tổng số",
            "Trong hạn",
            "Quá hạn",
        ],
        [f"({n})" for n in range(1, 14)],
        ["TỔNG CỘNG", None, *grand],
        *body,
    ]:
        ws.append(row)
    for cells in ("A1:M1", "A2:M2", "A5:A6", "B5:B6", "C5:F5", "G5:J5", "K5:M5", "A8:B8"):
        ws.merge_cells(cells)
    book.save(path)
    return len(body) + 1


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=40, help="areas of work per unit")
    args = parser.parse_args()
    units = UnitResolver.from_registry(load_registry())
    communes = CommuneResolver.from_communes(load_communes(), units)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bieu06.xlsx"
        rows = build_form(path, args.areas)
        loaded = forms.read_form(path, units, communes)
        errors = [p for p in loaded.problems if p.is_error]
        assert not errors, errors[:3]
        assert len(loaded.frame) == 27 and len(loaded.communes) == 151
        seconds = best_of(3, lambda: forms.read_form(path, units, communes))
        print(f"read_form: {rows} data rows, {path.stat().st_size:,} bytes: {seconds:.2f} s")
    district = pd.read_csv(paths.sample_counts_path(), dtype={"month": str})
    table = load_communes()
    seconds = best_of(3, lambda: sample_communes.generate_commune_counts(district, table))
    print(f"generate_commune_counts: 151 communes x 24 months: {seconds:.2f} s")


if __name__ == "__main__":
    main()
