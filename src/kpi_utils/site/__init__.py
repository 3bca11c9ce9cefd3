"""Building and publishing a month's report: checked inputs and pages in, a published folder out.

In: the declared pages (`build.report_pages`) and the inputs `metrics.pipeline` checked. Out:
`reports/YYYY-MM/` (HTML pages, kpi_table.csv and .xlsx, executed notebooks), replaced in one step
(`publish`). `runner` runs the notebooks through papermill on warm kernels, `html_export` turns an
executed notebook into one offline HTML page, `report_index` writes the month's front page
(`report.front_page` laid out), `archive` the page of every month in OUT (`OUT/index.html`) and the
links between months.
"""
