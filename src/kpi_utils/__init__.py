"""kpi_utils: the online-dossier KPI of Hòa Bình province (targets, counts, KPI table, reports).

The folders follow the data, and imports point one way, from later stages to earlier ones
(enforced by import-linter, see `.importlinter`):

    common   -> sources  -> metrics  -> report  -> site     (-> cli)
                        \\-> samples

- `common`: what every stage shares: unit registry and names, paths, problems, atomic writes.
- `sources`: input files (counts, targets, Biểu 06 forms, dossier exports, catalogue, communes)
  read and checked into tidy frames.
- `metrics`: the KPI arithmetic on those frames: the KPI table, trends, year over year, on time,
  data quality, communes' KPI; `metrics.pipeline` goes from file names to checked inputs.
- `report`: what a reader sees: pages, tables, charts, words (vi/en), numbers, the workbook.
- `site`: a month's report built and published: page runner, HTML export, index, publishing.
- `samples`: the synthetic sample data, generated reproducibly.

Notebooks import pages as `from kpi_utils import report` (`report.overview_page(...)`).
"""

__version__ = "0.1.0"
