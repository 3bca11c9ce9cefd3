"""HTML fragments for report pages: tables with status colours, headlines, notices, lists.

Every piece of text is escaped here, whatever its origin (unit names come from input files);
callers pass plain text, never markup. `Html` is what a notebook cell returns: Jupyter shows it
as `text/html`, and the exported page keeps it as it is. Styles are inline, so a fragment looks
the same in JupyterLab, in the exported page and on paper.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from kpi_utils.report.style import FONT_FAMILY, STATUS_BACKGROUNDS, STATUS_INKS

TABLE_STYLE = "border-collapse:collapse;font-size:13px;margin:4px 0 12px 0"
CELL_STYLE = "border-bottom:1px solid #e0e0e0;padding:3px 8px"
HEAD_STYLE = "border-bottom:2px solid #616161;padding:4px 8px;vertical-align:bottom"
SECTION_STYLE = (
    "text-align:left;padding:10px 8px 4px 8px;font-size:14px;border-bottom:1px solid #9e9e9e"
)
TOTAL_STYLE = "font-weight:bold;border-top:1px solid #616161"
GRAND_TOTAL_STYLE = "font-weight:bold;border-top:2px solid #212121;border-bottom:2px solid #212121"
NOTICE_STYLE = (
    "background:#fff3cd;border:1px solid #e0a800;border-radius:4px;padding:8px 12px;"
    "margin:8px 0;font-weight:bold"
)


class Html:
    """A fragment of trusted HTML (built here from escaped text)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        # plain text for consoles and `text/plain` outputs (deterministic, unlike object ids)
        return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.markup))).strip()

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + other.markup)


def escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def text_block(text: str, tag: str = "p", style: str = "") -> Html:
    attribute = f' style="{escape(style)}"' if style else ""
    return Html(f"<{tag}{attribute}>{escape(text)}</{tag}>")


def heading(text: str, level: int = 2) -> Html:
    return text_block(text, f"h{level}", f"font-family:{FONT_FAMILY}")


def headline(text: str) -> Html:
    return text_block(text, "p", "font-size:18px;font-weight:bold;margin:8px 0 12px 0")


def notice(text: str) -> Html:
    """A box a reader cannot miss (e.g. the synthetic-data notice)."""
    return Html(f'<div class="notice" role="note" style="{NOTICE_STYLE}">{escape(text)}</div>')


def wide(content: Html) -> Html:
    """A part too wide for a portrait page: printed on landscape pages of its own."""
    return Html(f'<div class="kpi-wide">{content.markup}</div>')


def bullets(items: Iterable[str]) -> Html:
    return Html("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")


@dataclass(frozen=True)
class Column:
    """One column of an HTML table: which field, its header, and how to write a value.

    With `colour_field`, a cell takes the background of the status (met/near/below/no_data)
    held in that field of its row.
    """

    field: str
    header: str
    format: Callable[[object], str] = str
    numeric: bool = False
    colour_field: str | None = None


@dataclass(frozen=True)
class Section:
    """Rows of a table under a title row, optionally closed by a total row (field -> text)."""

    title: str | None
    rows: pd.DataFrame
    total: dict[str, str] | None = None


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    total: dict[str, str] | None = None,
) -> Html:
    """`frame` as an HTML table, with an optional last row `total` (already formatted)."""
    return sectioned_table([Section(None, frame, total)], columns)


def sectioned_table(
    sections: Sequence[Section], columns: Sequence[Column], total: dict[str, str] | None = None
) -> Html:
    """One table of several sections (e.g. one per group), then an optional grand total row.

    Header cells say what they head (`scope`: a column, or a section's rows, each section in its
    own `<tbody>`). The table sits in a box that scrolls sideways on its own when the screen is
    narrower than the table (the page itself never does): keyboard users reach it (tabindex) and
    screen readers hear what it holds (its column headers)."""
    head = "".join(
        f'<th scope="col" style="{HEAD_STYLE};text-align:{_align(c)}">{escape(c.header)}</th>'
        for c in columns
    )
    bodies = []
    for section in sections:
        body = []
        if section.title is not None:
            body.append(
                f'<tr><th scope="rowgroup" colspan="{len(columns)}" style="{SECTION_STYLE}">'
                f"{escape(section.title)}</th></tr>"
            )
        for _, row in section.rows.iterrows():
            body.append(
                "<tr>" + "".join(_cell(c, c.format(row[c.field]), row) for c in columns) + "</tr>"
            )
        if section.total is not None:
            body.append(_total_row(columns, section.total))
        bodies.append(body)
    if total is not None:
        bodies.append([_total_row(columns, total, GRAND_TOTAL_STYLE)])
    label = escape(", ".join(c.header for c in columns))
    return Html(
        f'<div class="kpi-scroll" role="region" tabindex="0" aria-label="{label}">'
        f'<table class="kpi-table" style="{TABLE_STYLE}">'
        f"<thead><tr>{head}</tr></thead>"
        + "".join(f"<tbody>{''.join(body)}</tbody>" for body in bodies if body)
        + "</table></div>"
    )


def _align(column: Column) -> str:
    return "right" if column.numeric else "left"


def _total_row(columns: Sequence[Column], total: dict[str, str], style: str = "") -> str:
    extra = style or TOTAL_STYLE
    return (
        "<tr>" + "".join(_cell(c, total.get(c.field, ""), None, extra) for c in columns) + "</tr>"
    )


def _cell(column: Column, text: str, row: pd.Series | None, extra: str = "") -> str:
    style = f"{CELL_STYLE};text-align:{_align(column)}"
    if column.numeric or column.colour_field:
        style += ";white-space:nowrap"
    state = row[column.colour_field] if row is not None and column.colour_field else None
    if state in STATUS_BACKGROUNDS:
        style += f";background:{STATUS_BACKGROUNDS[state]};color:{_ink(state)}"
    if extra:
        style += f";{extra}"
    return f'<td style="{style}">{escape(text)}</td>'


def _ink(state: str) -> str:
    # text in the status colour, darkened where needed to stay readable on its light background
    return STATUS_INKS[state]
