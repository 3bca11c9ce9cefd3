"""The stored submissions: every input file as received, and which of them a report uses.

In: input files handed to `kpi-report add`, each checked by the readers of `sources` first, and
a date ("as of"). Out: the store folder (the files byte for byte under `files/`, one manifest
row per file: `manifest`), serialized by a lock (`lock`); the files received by a date and not
withdrawn, verified against their SHA-256 (`selection`); one figure per unit (or commune) and
month, the later received file winning, with every revision listed (`revisions`); the unit ×
month grid of what arrived (`status`); and the resolved counts and targets as files the
`metrics` pipeline reads (`resolve`). Derived data (a form's counts, an export's monthly counts)
is a cache under the store keyed by SHA-256 and code version, never the truth (`cache`).
Imports `common` and `sources` only.
"""
