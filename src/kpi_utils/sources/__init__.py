"""Reading sources: input files in, checked tidy frames out (dbt's staging; Kedro's raw layer).

In: the bytes of input files as received: monthly counts and targets (CSV/XLSX), Biểu 06 forms,
dossier-level exports and the procedure catalogue, commune counts and targets. Out: tidy frames
with documented columns (`inputs.COUNTS_COLUMNS`, ...) and every problem found, each naming the
user's own file, row, column and value. One reader (`tables`), one header map (`headers`), one
cell parser (`cells`); one module per kind of source (`inputs`, `forms`, `dossiers` + `aggregate`,
`catalogue`, `communes`); `validate` holds the rules across rows and files. Raw files are never
changed. Imports only `common`.
"""
