"""The report's content: KPI tables in, what a reader sees out (pages, tables, charts, words).

In: the frames of `metrics`. Out: page objects whose cells return escaped HTML and SVG charts
(`pages`, `commune_sections`, `html_blocks`, `charts`), a month's front page as small
dataclasses (`front_page`), every word in Vietnamese and English
(`labels`), numbers and months per locale (`fmt`), the one chart theme and status colours
(`style`), and the KPI workbook (`workbook`). No file is written here.

The notebooks call the page functions through this package: `from kpi_utils import report`, then
`report.overview_page(...)`; they are loaded on first use, so importing a submodule stays cheap.
"""

from __future__ import annotations

from typing import Any

_PAGES = (
    "overview_page",
    "data_quality_page",
    "unit_page",
    "communes_page",
    "Page",
    "OverviewPage",
    "DataQualityPage",
    "UnitPage",
    "CommunesPage",
)
__all__ = list(_PAGES)


def __getattr__(name: str) -> Any:
    if name in _PAGES:
        from kpi_utils.report import pages

        return getattr(pages, name)
    raise AttributeError(f"module 'kpi_utils.report' has no attribute {name!r}")
