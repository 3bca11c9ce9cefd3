"""The KPI table as an Excel workbook to attach to an official document.

One sheet: a title row naming the month, a note row, the header row (frozen, repeated on every
printed page), one row per unit in registry order, and a province total row from
`kpi.province_total`. The title, the note, headers and status/group names come from `labels`;
rates are stored as fractions and shown as percentages, so the cells keep their full precision.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kpi_utils.metrics import trends
from kpi_utils.metrics.kpi import province_total
from kpi_utils.report import fmt, labels

# (KPI column, number format, width in characters)
COLUMNS = [
    ("unit_code", "@", 12),
    ("unit_name", "@", 44),
    ("group", "@", 22),
    ("eligible_procedures", "#,##0", 12),
    ("target_rate", "0%", 9),
    ("month_total", "#,##0", 12),
    ("month_online", "#,##0", 12),
    ("month_rate", "0.0%", 11),
    ("ytd_total", "#,##0", 12),
    ("ytd_online", "#,##0", 12),
    ("ytd_rate", "0.0%", 11),
    ("gap_pp", "+0.0;-0.0;0.0", 11),
    ("shortfall", "#,##0", 12),
    ("status", "@", 16),
    ("rank_in_group", "0", 10),
]
TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 4
FIRST_DATA_ROW = HEADER_ROW + 1

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _cell_value(column: str, value: object, lang: str, closed: bool = False) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if column == "status":
        return labels.status(str(value), lang, closed)
    if column == "group":
        return labels.group(str(value), lang)
    if hasattr(value, "item"):  # numpy / pandas scalars -> plain Python for openpyxl
        return value.item()
    return value


def _total_row(table: pd.DataFrame, lang: str) -> dict[str, object]:
    total = province_total(table)
    return {
        "unit_name": labels.text("total_row", lang, units=len(table)),
        "month_total": total["month_total"],
        "month_online": total["month_online"],
        "month_rate": total["month_rate"],
        "ytd_total": total["ytd_total"],
        "ytd_online": total["ytd_online"],
        "ytd_rate": total["ytd_rate"],
    }


def kpi_workbook(table: pd.DataFrame, *, lang: str = "vi", is_sample: bool = False) -> bytes:
    """The workbook's bytes for a KPI table of one month (see `kpi.kpi_table`)."""
    month = pd.Period(table["month"].iloc[0], freq="M")
    month_text = fmt.month(month, lang)
    closed = trends.year_closed(month)  # December: statuses read as the year's result
    first_text = fmt.month(pd.Period(year=month.year, month=1, freq="M"), lang)

    book = Workbook()
    sheet = book.active
    sheet.title = f"KPI {month}"
    last_col = get_column_letter(len(COLUMNS))

    sheet.cell(TITLE_ROW, 1, labels.text("workbook_title", lang, month=month_text))
    sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    sheet.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    note = labels.text("workbook_note", lang, first=first_text, month=month_text)
    if is_sample:
        note = f"{note} {labels.text('sample_notice_table', lang)}"
    sheet.cell(NOTE_ROW, 1, note).font = Font(italic=True, color="7F6000" if is_sample else None)
    sheet.merge_cells(f"A{NOTE_ROW}:{last_col}{NOTE_ROW}")

    for col, (name, _, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, col, labels.column(name, lang))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 45

    records = table.to_dict("records")
    for offset, record in enumerate([*records, _total_row(table, lang)]):
        row = FIRST_DATA_ROW + offset
        is_total = offset == len(records)
        for col, (name, number_format, _) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row, col, _cell_value(name, record.get(name), lang, closed))
            cell.number_format = number_format
            cell.border = _BORDER
            if is_total:
                cell.font = Font(bold=True)
                cell.fill = _TOTAL_FILL

    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 3)  # header rows and code/name columns
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
