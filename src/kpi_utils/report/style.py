"""The report's look, shared by charts and HTML tables: one font list and one colour per status.

Kept apart from `charts` so that tables can use the colours without importing Altair.
"""

from __future__ import annotations

# Vietnamese needs a font with its diacritics; the list ends in a generic family so a reader's
# browser always finds one.
FONT_FAMILY = "Be Vietnam Pro, Noto Sans, DejaVu Sans, Arial, sans-serif"

# Fill (strong, for charts) and background (light, for table cells) per KPI status.
STATUS_COLOURS = {
    "met": "#2e7d32",
    "near": "#f9a825",
    "below": "#c62828",
    "no_data": "#9e9e9e",
}
STATUS_BACKGROUNDS = {
    "met": "#e8f5e9",
    "near": "#fff8e1",
    "below": "#ffebee",
    "no_data": "#f5f5f5",
}
# Text on those backgrounds: contrast of at least 4.5:1 (WCAG 2.1 AA), so amber and grey darkened.
STATUS_INKS = {
    "met": "#2e7d32",
    "near": "#6d4c00",
    "below": "#c62828",
    "no_data": "#57606a",
}
TARGET_COLOUR = "#212121"
SERIES_COLOURS = ("#1565c0", "#ef6c00", "#6a1b9a", "#00838f")
