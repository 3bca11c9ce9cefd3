"""What kind of input a file is, told by its content (its header or the form's layout).

One detection for every command: `kpi-report add` stores each file under its kind. It puts
together the detections the readers already have (`forms.looks_like_form`, `dossiers.file_kind`,
`communes.looks_like_commune_counts`) and tells targets from counts by their header.
"""

from __future__ import annotations

from pathlib import Path

from kpi_utils.sources import headers

COUNTS = "counts"
COMMUNE_COUNTS = "commune_counts"
TARGETS = "targets"
COMMUNE_TARGETS = "commune_targets"
FORM = "form"
DOSSIERS = "dossiers"
CATALOGUE = "catalogue"
KINDS = (COUNTS, COMMUNE_COUNTS, TARGETS, COMMUNE_TARGETS, FORM, DOSSIERS, CATALOGUE)

DESCRIPTIONS = {
    COUNTS: "monthly counts",
    COMMUNE_COUNTS: "commune monthly counts",
    TARGETS: "targets",
    COMMUNE_TARGETS: "commune targets",
    FORM: "Biểu 06 form",
    DOSSIERS: "dossier export",
    CATALOGUE: "procedure catalogue",
}


def _has_header(path: Path, schema: headers.Schema, sheet: str | None) -> bool:
    from kpi_utils.sources.tables import read_table

    table, _ = read_table(path, schema, sheet=sheet, label=str(path))
    return table is not None


def detect_kind(path: str | Path, sheet: str | None = None) -> str:
    """One of `KINDS`. A file that is none of them is taken as monthly counts, whose reader then
    says what is missing (as `check` does)."""
    from kpi_utils.sources.communes import looks_like_commune_counts
    from kpi_utils.sources.dossiers import file_kind
    from kpi_utils.sources.forms import looks_like_form

    path = Path(path)
    if looks_like_form(path, sheet):
        return FORM
    kind = file_kind(path, sheet)
    if kind != COUNTS:
        return kind
    if looks_like_commune_counts(path, sheet):
        return COMMUNE_COUNTS
    if _has_header(path, headers.COUNTS, sheet):
        return COUNTS
    if _has_header(path, headers.COMMUNE_TARGETS, sheet):
        return COMMUNE_TARGETS
    if _has_header(path, headers.TARGETS, sheet):
        return TARGETS
    return COUNTS
