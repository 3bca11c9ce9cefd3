"""kpi_utils: the online-dossier KPI of Hòa Bình province (targets, counts, KPI table, reports).

The folders follow the data, and imports point one way, from later stages to earlier ones
(enforced by import-linter, see `.importlinter`):

    common   -> sources  -> store  -> metrics  -> report  -> site     (-> cli)
                        \\-> samples

- `common`: what every stage shares: unit registry and names, paths, problems, atomic writes.
- `sources`: input files (counts, targets, Biểu 06 forms, dossier exports, catalogue, communes)
  read and checked into tidy frames.
- `store`: the stored submissions: every input file kept as received, with its date; which files
  a report uses as of a date, revisions settled (the later received wins), what has arrived.
- `metrics`: the KPI arithmetic on those frames: the KPI table, trends, year over year, on time,
  data quality, communes' KPI; `metrics.pipeline` goes from file names to checked inputs.
- `report`: what a reader sees: pages, tables, charts, words (vi/en), numbers, the workbook.
- `site`: a month's report built and published: page runner, HTML export, index, publishing.
- `samples`: the synthetic sample data, generated reproducibly.

Notebooks import pages as `from kpi_utils import report` (`report.overview_page(...)`).
"""

__version__ = "0.1.0"
