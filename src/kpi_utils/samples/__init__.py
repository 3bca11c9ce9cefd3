"""The synthetic sample: a documented, seeded model in, sample input files out.

`counts` writes the monthly counts of the 27 units (data/sample/monthly_counts.csv), `communes`
the commune counts summing exactly to the districts', `dossiers` a dossier-level export and
catalogue aggregating exactly to the monthly counts. Every file says it is synthetic. Imports
`common` and `sources` only; nothing but the command line imports this package.
"""
