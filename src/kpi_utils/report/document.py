"""The monthly BÁO CÁO as a Word file, laid out as Decree 30/2020/NĐ-CP lays out a report.

`official_report` decides what is said; this module only places it (python-docx): A4 portrait,
margins 20/20/30/15 mm, Times New Roman throughout (body 14 pt, justified, first-line indent);
the two-column header (governing and issuing body, number; national title, motto, place and
date); "BÁO CÁO" and the subject; numbered sections; "Nơi nhận:" and the signature block; then a
landscape PHỤ LỤC with the KPI table. Nothing is invented: the number, date, signer, title and
recipients come from `DocumentSettings`, and what is unset stays a dotted placeholder.
"""

from __future__ import annotations

import copy
import datetime
import io
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.run import Run

from kpi_utils.report import fmt
from kpi_utils.report.labels import document as words
from kpi_utils.report.official_report import (
    AppendixRow,
    ReportFacts,
    appendix_rows,
    appendix_status,
    sections,
)

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 12  # governing and issuing body, national title: 12-13 pt
TABLE_PT = 11
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
DOTS = "……"
_ROMAN = ("I", "II", "III", "IV", "V", "VI")
RESULT_COLUMN = 11  # the appendix's "Kết quả" (status in words)


@dataclass(frozen=True)
class DocumentSettings:
    """What the department fills in; None (or empty) leaves a dotted placeholder."""

    number: str | None = None
    date: datetime.date | None = None
    signer: str | None = None
    signer_title: str | None = None  # lines split by "\n", e.g. "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    recipients: tuple[str, ...] = ()
    decision_number: str | None = None
    decision_date: str | None = None  # as written, e.g. "18/02/2022"


def _date_words(date: datetime.date | None) -> dict[str, str]:
    """Day and month with a leading zero below 10 (day) and for months 1 and 2, as Decree 30 says."""
    if date is None:
        return {"day": DOTS, "month": DOTS, "year": DOTS}
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return {"day": f"{date.day:02d}", "month": month, "year": str(date.year)}


def _font(run, size: float, *, bold=False, italic=False, underline=False) -> None:
    """Font, size and style of a new run (one with no properties yet).

    The properties element is made once per style and copied into each run: python-docx's own
    setters look up the schema's order of children at every call, most of the document's time
    (its appendix has some 400 cells). The copy is the same XML the setters write."""
    key = (size, bold, italic, underline)
    properties = _RUN_PROPERTIES.get(key)
    if properties is None:
        properties = _RUN_PROPERTIES[key] = _run_properties(size, bold, italic, underline)
    run._r.insert(0, copy.deepcopy(properties))


_RUN_PROPERTIES: dict[tuple, object] = {}


def _run_properties(size: float, bold: bool, italic: bool, underline: bool):
    run = Run(OxmlElement("w:r"), None)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    return run._r.rPr


def _paragraph(container, text="", size=BODY_PT, *, align=None, indent=False, after=6, **style):
    paragraph = container.add_paragraph()
    if text:
        _font(paragraph.add_run(text), size, **style)
    fmt_ = paragraph.paragraph_format
    fmt_.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    fmt_.space_before, fmt_.space_after = Pt(0), Pt(after)
    fmt_.line_spacing = 1.15
    if indent:
        fmt_.first_line_indent = Cm(1.27)
    return paragraph


def _short_rule(container, width_share: float, column_width) -> None:
    """A short centred line (under the issuing body, the motto and the subject): an empty
    paragraph of its own whose bottom border is narrowed by indents."""
    paragraph = _paragraph(container, "", 2, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    margin = int(column_width * (1 - width_share) / 2)
    paragraph.paragraph_format.left_indent = margin
    paragraph.paragraph_format.right_indent = margin
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _widths(table, widths) -> None:
    """Fixed column widths that Word and LibreOffice both keep (grid and every cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _no_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _page(section, landscape: bool = False) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    if landscape:  # the binding edge stays the wide margin: top in landscape
        section.top_margin, section.bottom_margin = MARGINS["left"], MARGINS["right"]
        section.left_margin, section.right_margin = MARGINS["top"], MARGINS["bottom"]
    else:
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]


def _header(doc, settings: DocumentSettings, text_width) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left_width, right_width = int(text_width * 0.42), int(text_width * 0.58)
    _widths(table, (left_width, right_width))
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = left.paragraphs[0]
    _font(first.add_run(words("governing_body")), HEADER_PT)
    first.alignment = center
    _paragraph(left, words("issuing_body"), HEADER_PT, align=center, after=0, bold=True)
    _short_rule(left, 0.4, left_width)
    number = settings.number or DOTS
    _paragraph(left, words("number", number=number), HEADER_PT, align=center, after=0)

    top = right.paragraphs[0]
    _font(top.add_run(words("nation")), HEADER_PT, bold=True)
    top.alignment = center
    _paragraph(right, words("motto"), BODY_PT, align=center, after=6, bold=True, underline=True)
    _paragraph(
        right,
        words("place_date", **_date_words(settings.date)),
        BODY_PT,
        align=center,
        after=0,
        italic=True,
    )


def _basis(facts: ReportFacts, settings: DocumentSettings) -> str:
    month = fmt.month(facts.month, "vi")
    decision = settings.decision_number or DOTS
    if facts.month.year == 2022:
        decision_date = settings.decision_date or f"{DOTS} tháng 02 năm 2022"
        return words("basis_2022", decision=decision, decision_date=decision_date, month=month)
    return words(
        "basis_other",
        decision=decision,
        decision_date=settings.decision_date or DOTS,
        year=facts.month.year,
        month=month,
    )


def _signature(doc, settings: DocumentSettings, text_width) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (int(text_width * 0.45), int(text_width * 0.55)))
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    _font(first.add_run(words("recipients")), 12, bold=True, italic=True)
    recipients = [f"- {r}" for r in settings.recipients] or [words("recipient_placeholder")] * 2
    for line in [*recipients, words("archive")]:
        _paragraph(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    title = settings.signer_title or words("signer_placeholder")
    center = WD_ALIGN_PARAGRAPH.CENTER
    lines = title.split("\n")
    head = right.paragraphs[0]
    _font(head.add_run(lines[0].upper()), BODY_PT, bold=True)
    head.alignment = center
    for line in lines[1:]:
        _paragraph(right, line.upper(), BODY_PT, align=center, after=0, bold=True)
    for _ in range(4):  # room for the signature and the seal
        _paragraph(right, "", BODY_PT, align=center, after=0)
    _paragraph(
        right, settings.signer or words("signer_placeholder"), BODY_PT, align=center, bold=True
    )


def _cell(cell, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), TABLE_PT, bold=bold)


def _appendix_values(row: AppendixRow, closed_year: bool, with_on_time: bool) -> list[str]:
    v = row.values
    vi = "vi"
    target = v.get("target_rate")
    out = [
        fmt.percent(target, vi, digits=0) if target is not None and row.kind == "unit" else "",
        fmt.number(v.get("month_total"), vi),
        fmt.number(v.get("month_online"), vi),
        fmt.percent(v.get("month_rate"), vi),
        fmt.number(v.get("ytd_total"), vi),
        fmt.number(v.get("ytd_online"), vi),
        fmt.percent(v.get("ytd_rate"), vi),
    ]
    if row.kind == "unit":
        out += [fmt.points(v.get("gap_pp"), vi), fmt.number(v.get("shortfall"), vi)]
        out.append(appendix_status(row, closed_year))
    else:
        out += ["", "", ""]
    if with_on_time:
        out += [
            fmt.number(v.get("ytd_resolved"), vi),
            fmt.number(v.get("ytd_resolved_on_time"), vi),
            fmt.percent(v.get("ytd_on_time_rate"), vi),
        ]
    return out


def _appendix(doc, facts: ReportFacts, settings: DocumentSettings) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    center = WD_ALIGN_PARAGRAPH.CENTER
    month = fmt.month(facts.month, "vi")
    _paragraph(doc, words("appendix"), BODY_PT, align=center, after=0, bold=True)
    _paragraph(doc, words("appendix_title", month=month), BODY_PT, align=center, after=0, bold=True)
    date = f"{d['day']}/{d['month']}/{d['year']}" if (d := _date_words(settings.date)) else DOTS
    attached = words("appendix_attached", number=settings.number or DOTS, date=date)
    _paragraph(doc, attached, BODY_PT - 1, align=center, after=6, italic=True)

    with_on_time = facts.on_time is not None
    heads = [
        words("col_number"),
        words("col_unit"),
        words("col_target"),
        *[words(k) for k in ("col_total", "col_online", "col_rate")] * 2,
        words("col_gap"),
        words("col_shortfall"),
        words("col_status"),
    ]
    if with_on_time:
        heads += [words("col_resolved"), words("col_in_time"), words("col_rate")]
    rows = appendix_rows(facts)
    table = doc.add_table(rows=2, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # relative widths: number, unit name, target, 3 + 3 counts and rates, gap, shortfall, result
    shares = [5, 26, 6, *[8] * 6, 8, 9, 9] + ([8, 8, 7] if with_on_time else [])
    width = section.page_width - section.left_margin - section.right_margin
    _widths(table, [int(width * s / sum(shares)) for s in shares])
    top, second = table.rows
    for index, head in enumerate(heads):
        _cell(second.cells[index], head, bold=True)
    # the group row above: month and YTD over their three columns each
    spans = [
        (3, 5, words("col_month", month=month.capitalize())),
        (6, 8, words("col_ytd", month=month)),
    ]
    if with_on_time:
        spans.append((12, 14, words("col_on_time")))
    for start, end, text in spans:
        merged = top.cells[start].merge(top.cells[end])
        _cell(merged, text, bold=True)
    for index in range(len(heads)):
        if not any(start <= index <= end for start, end, _ in spans):
            merged = top.cells[index].merge(second.cells[index])
            merged.paragraphs[0].text = ""
            for extra in merged.paragraphs[1:]:
                extra._element.getparent().remove(extra._element)
            _cell(merged, heads[index], bold=True)
    _repeat_header(top)
    _repeat_header(second)
    left = WD_ALIGN_PARAGRAPH.LEFT
    for row in rows:
        cells = table.add_row().cells
        bold = row.kind != "unit"
        _cell(cells[0], row.number, bold=bold)
        _cell(cells[1], str(row.values.get("unit_name", "")), bold=bold, align=left)
        if row.kind == "heading":
            continue
        values = _appendix_values(row, facts.closed_year, with_on_time)
        for index, text in enumerate(values, start=2):
            align = (
                WD_ALIGN_PARAGRAPH.CENTER if index == RESULT_COLUMN else WD_ALIGN_PARAGRAPH.RIGHT
            )
            _cell(cells[index], text, bold=bold, align=align)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def official_report_docx(facts: ReportFacts, settings: DocumentSettings | None = None) -> bytes:
    """The month's BÁO CÁO as .docx bytes (the appendix in a landscape section)."""
    settings = settings or DocumentSettings()
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    _page(section)
    text_width = section.page_width - section.left_margin - section.right_margin

    if facts.is_sample:
        notice = _paragraph(
            doc, words("synthetic_notice"), 12, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True
        )
        notice.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    _header(doc, settings, text_width)
    month = fmt.month(facts.month, "vi")
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, "", BODY_PT, after=0)
    _paragraph(doc, words("type"), BODY_PT, align=center, after=0, bold=True)
    _paragraph(doc, words("subject", month=month), BODY_PT, align=center, after=0, bold=True)
    _short_rule(doc, 0.25, text_width)
    _paragraph(doc, _basis(facts, settings), indent=True)
    for number, part in enumerate(sections(facts)):
        _paragraph(doc, f"{_ROMAN[number]}. {part.heading.upper()}", bold=True, indent=True)
        for text in part.paragraphs:
            paragraph = _paragraph(doc, text, indent=True, italic=part.placeholder)
            if part.placeholder:
                paragraph.runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW
    _paragraph(doc, words("closing", month=month), indent=True, after=12)
    _signature(doc, settings, text_width)
    _appendix(doc, facts, settings)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
