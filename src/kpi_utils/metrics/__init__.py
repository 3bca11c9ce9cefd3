"""The KPI arithmetic: tidy counts and targets in, KPI tables and series out (dbt's marts).

In: the frames of `sources`. Out: the KPI table of a month (`kpi`, the published contract, in
exact fractions), its series through the year (`trends`), year over year (`yoy`), the on-time
rate (`ontime`), data quality (`quality`), the communes' KPI table (`commune_kpi`), and
`pipeline`, which goes from file names to checked inputs and the KPI table. Pure functions over
DataFrames; nothing here writes a file or knows a reader's language.
"""
