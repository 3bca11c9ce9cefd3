"""Time the compute of each report page in one warm process (what a warm kernel pays per page).

    .venv/bin/python benchmarks/page_compute.py [--month 2022-06] [--units 5] [--districts 3]

For each page: reading inputs and the year's KPI series, the HTML parts, and the charts (SVG
through vl-convert), in wall-clock and CPU seconds. The first overview run warms up Altair and
vl-convert and is reported apart. Notebook execution and HTML export are not included.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from kpi_utils import report
from kpi_utils.common import registry


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _overview(month: str, prepared=None) -> list[Callable[[], object]]:
    page = report.overview_page(month=month, prepared=prepared)
    return [
        lambda: [page.title(), page.notice(), page.headline(), page.kpi_tables()],
        lambda: [page.movers(), page.needed(), page.year_over_year(), page.sources()],
        lambda: [page.ytd_chart(), page.shortfall_chart(), page.heatmap(), page.trend_chart()],
    ]


def _data_quality(month: str, prepared=None) -> list[Callable[[], object]]:
    page = report.data_quality_page(month=month, prepared=prepared)
    return [
        lambda: [page.title(), page.notice(), page.files(), page.coverage()],
        lambda: [page.warnings(), page.reconciliation(), page.sources()],
        lambda: [],
    ]


def _unit(code: str, month: str, prepared=None) -> list[Callable[[], object]]:
    page = report.unit_page(code, month=month, prepared=prepared)
    return [
        lambda: [page.title(), page.notice(), page.summary(), page.monthly_table()],
        lambda: [page.outlook(), page.year_over_year(), page.communes_section(), page.sources()],
        lambda: [page.rates_chart(), page.volumes_chart(), page.rank_chart(), page.median_chart()],
    ]


def _communes(month: str, prepared=None) -> list[Callable[[], object]]:
    page = report.communes_page(month=month, prepared=prepared)
    return [
        lambda: [page.title(), page.notice(), page.headline()],
        lambda: [page.communes_table(), page.below_target(), page.sources()],
        lambda: [],
    ]


def measure(build: Callable[[], list[Callable[[], object]]]) -> dict[str, float]:
    wall0, cpu0 = _clock()
    parts = build()
    wall1, cpu1 = _clock()
    for part in parts[:2]:
        part()
    wall2, cpu2 = _clock()
    parts[2]()
    wall3, cpu3 = _clock()
    return {
        "load": wall1 - wall0,
        "tables": wall2 - wall1,
        "charts": wall3 - wall2,
        "wall": wall3 - wall0,
        "cpu": cpu3 - cpu0,
    }


def floor(month: str) -> tuple[float, int]:
    """(seconds, pages): the compute of every page of the report in this process, warm, with the
    inputs read and checked once (as a build does), charts drawn as SVG; no notebook, no export.
    """
    import tempfile
    from pathlib import Path

    from kpi_utils.metrics.pipeline import checked_inputs, load_commune_inputs
    from kpi_utils.report.pages import prepare

    measure(lambda: _overview(month))  # warm-up: imports, vl-convert's first SVG
    with tempfile.TemporaryDirectory() as folder:
        prepared = Path(folder) / "prepared.pickle"
        start = time.perf_counter()
        prepare(month, checked_inputs(month=month), load_commune_inputs()).save(prepared)
        codes = list(registry.load_registry()["unit_code"])
        builders = [
            lambda: _overview(month, prepared),
            lambda: _data_quality(month, prepared),
            lambda: _communes(month, prepared),
            *[lambda c=c: _unit(c, month, prepared) for c in codes],
        ]
        for build in builders:
            measure(build)
        return time.perf_counter() - start, len(builders)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2022-06")
    parser.add_argument("--units", type=int, default=5, help="department pages to time")
    parser.add_argument(
        "--districts", type=int, default=3, help="district pages (with communes) to time"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    warm = measure(lambda: _overview(args.month))
    print(f"warm-up overview (imports, first SVG): {warm['wall']:.2f} s")
    units = registry.load_registry()
    departments = list(units.loc[units["group"] == "department", "unit_code"])[: args.units]
    districts = list(units.loc[units["group"] == "district", "unit_code"])[: args.districts]
    pages = [
        ("overview", lambda: _overview(args.month)),
        ("data-quality", lambda: _data_quality(args.month)),
        ("communes", lambda: _communes(args.month)),
        *[(f"unit {c}", lambda c=c: _unit(c, args.month)) for c in [*departments, *districts]],
    ]
    print(f"{'page':<16}{'load':>8}{'tables':>8}{'charts':>8}{'wall':>8}{'cpu':>8}")
    walls = []
    for name, build in pages:
        t = measure(build)
        walls.append(t["wall"])
        print(
            f"{name:<16}{t['load']:>8.3f}{t['tables']:>8.3f}{t['charts']:>8.3f}"
            f"{t['wall']:>8.3f}{t['cpu']:>8.3f}"
        )
    unit_walls = walls[3:]
    if unit_walls:
        print(f"unit page median wall: {statistics.median(unit_walls):.3f} s")
    print(f"total (incl. warm-up): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
