"""Exploring the data in JupyterLab: checked inputs in, tidy DataFrames and interactive charts out.

`open_data()` opens the bundled sample (or given files) in one call and returns a `Dataset`
whose methods give what the report pages use: the monthly counts, the targets, the KPI table of
any month (the published contract), the year's series, the communes' table, the problems found,
and a what-if for one unit. Charts come from `report.charts`, the same functions the report
draws as SVG; `report.charts.interactive` shows them through JupyterLab's own Vega renderer.
"""

from kpi_utils.analysis.dataset import Dataset, open_data, save_table

__all__ = ["Dataset", "open_data", "save_table"]
