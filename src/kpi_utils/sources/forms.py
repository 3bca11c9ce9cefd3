"""Reading Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) workbooks into tidy counts.

The form ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC") is
read as units fill it: title rows, "Từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy", a header of two (or
three) rows with merged cells, the row of column numbers (1) … (13), then data rows. The 13
columns (DOMAIN.md §4) are found by the column-number row, or failing that by the header text
(`headers.FORM06`); a header whose text names a different column than its number is an error.

**Counts.** For each unit: `online` = (4); `total` = (4) + (5), the dossiers of the period
(received online plus in person or by post); with `include_carried_over` also (6), those carried
over from the previous period; `resolved` = (7); `resolved_on_time` = (8) + (9) (early plus on
time); `pending_overdue` = (13). Empty cells and "-" are 0. Each row is checked on its own:
(3) = (4) + (5) + (6) and (7) = (8) + (9) + (10) are errors when broken (the counts depend on
them), (11) = (12) + (13) and (3) = (7) + (11) warnings; each only when its left cell is filled.

**Rows.** The name is column (2) (or (1), when a label is merged across both). In order:

1. A total row ("Tổng cộng", "Tổng số", "Tổng", "Toàn tỉnh") is checked against the sum of every
   unit and commune in the file; "Cộng" inside a section is that section's subtotal.
2. A section row ("Sở ban ngành" / "Cấp tỉnh", "Huyện, thị xã, thành phố" / "Cấp huyện",
   "Xã, phường, thị trấn" / "Cấp xã", with or without a numeral) starts a level; its numbers, if
   any, are checked against the sum of its units. In a section only units of that level start.
3. A row whose STT marks a sub-item ("1.1", "a", "-", "+") belongs to the unit above it; under
   an area numbered "1", rows "1.1", "1.2" are its parts (checked against it, not added again).
4. A row named as a commune ("Xã …", "Phường …", "Thị trấn …", or any row of the commune section)
   is a commune: it feeds the commune counts and, under a district, counts as that district's
   area of work. Names two districts share are settled by the district above them.
5. A row whose name resolves to a unit (`registry`) starts that unit: its block runs until the
   next unit, section or total row. Inside a block, only a row numbered like a unit (a whole
   number, or no STT) starts another. (Not when the form names its reporting unit; see below.)
   Inside a district's block, a row named like a department ("1 | Tư pháp", "2 | Xây dựng"
   under "1 | UBND huyện Đà Bắc") never starts that department: it is the district's area of
   work, because a district reports its areas under its own row, and the form lists departments
   above the districts (or in their own section), never inside a district's rows. The district
   row's check against its areas catches a department misplaced there when the row is filled;
   when the row is named in full ("Sở Tư pháp") or numbered on from the district (district 1,
   then 2 before any area restarted at 1), a warning asks which it is.
6. Any other row inside a unit's block is one of its areas of work (lĩnh vực).
7. Any other row with numbers, or with a whole-number STT, is an unknown unit (an error with the
   closest names); other text rows (sub-headings, notes) are skipped. Reading stops at the
   signature lines ("Người lập biểu", "Thủ trưởng đơn vị").

A unit's counts are its own row's numbers; its area rows must then sum to them (an error naming
both figures otherwise). When the unit row is empty, its counts are the sum of its areas. Total and
section rows are only ever checked, never counted, so nothing is counted twice.

**One unit's own form.** When the title names the reporting unit ("Đơn vị báo cáo: Sở Tư pháp";
or `unit=`), every row is that unit's area of work (areas are often named like departments:
"Xây dựng", "Tư pháp"), and its counts are their sum.

**Period.** From the title ("Từ ngày 01/06/2022 đến ngày 30/06/2022", or "Tháng 6 năm 2022"), or
`period`. A title period that is not exactly one calendar month is an error unless `period` states
the month; a `period` that contradicts a one-month title is an error. Periods of several months
are never read as one of their months: "từ tháng 01 đến tháng 6 năm 2022" (a cumulative form),
"6 tháng đầu năm", "9 tháng năm 2022", "Quý II", "Kỳ báo cáo: năm 2022". The place-and-date
line ("Hòa Bình, ngày ... tháng 7 năm 2022", the signing date, its day often left blank) is not
the period. A title date that is no date ("31/06/2022") is an error naming it and its cell.

Commune rows without a district's block above them (a province compilation's commune section)
feed the commune counts only: a district's counts come from its own row. In that section a row
naming a district ("Huyện Đà Bắc") heads its communes: it settles names two districts share, its
numbers are checked against its communes' sum, and it is not counted (write "Thị trấn Đà Bắc" for
the township).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from kpi_utils.common.names import fold_tones
from kpi_utils.common.problems import Problem, column_letter, error, warning
from kpi_utils.common.registry import UnitResolver, load_registry
from kpi_utils.sources import cells, headers
from kpi_utils.sources.communes import (
    CommuneResolver,
    commune_counts_frame,
    load_communes,
    ward_type_of,
)
from kpi_utils.sources.files import Loaded, SourceFile
from kpi_utils.sources.inputs import counts_frame
from kpi_utils.sources.tables import HEADER_SEARCH_ROWS, open_read_only, read_grids

FIELDS = headers.FORM06.required  # the 13 columns in order
NUMBER_FIELDS = FIELDS[2:]  # (3) .. (13)
COLUMN_NUMBERS = {f: i + 1 for i, f in enumerate(FIELDS)}

# Consistency of one row: (left, right parts, severity). Checked when the left cell is filled.
ROW_RULES = (
    ("received_total", ("received_online", "received_offline", "carried_over"), "error"),
    ("resolved_total", ("resolved_early", "resolved_in_time", "resolved_late"), "error"),
    ("pending_total", ("pending_in_time", "pending_overdue"), "warning"),
    ("received_total", ("resolved_total", "pending_total"), "warning"),
)


def _label_key(text: object) -> str:
    """Casefolded, tone-folded words without punctuation or a leading numeral: for row labels."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    if words and re.fullmatch(r"[ivx]+|\d+", words[0]) and len(words) > 1:
        words = words[1:]
    return fold_tones(" ".join(words))


TOTAL_LABELS = frozenset(_label_key(t) for t in ("tổng cộng", "tổng số", "tổng", "toàn tỉnh"))
SUBTOTAL_LABELS = frozenset({_label_key("cộng")})
SECTION_LABELS = {
    "department": tuple(
        _label_key(t) for t in ("sở ban ngành", "sở, ban, ngành", "cấp tỉnh", "cơ quan cấp tỉnh")
    ),
    "district": tuple(
        _label_key(t) for t in ("huyện, thị xã, thành phố", "huyện, thành phố", "cấp huyện")
    ),
    "commune": tuple(_label_key(t) for t in ("xã, phường, thị trấn", "cấp xã")),
}
FOOTER_LABELS = tuple(
    _label_key(t) for t in ("người lập biểu", "thủ trưởng", "ghi chú", "nơi nhận", "ký tên")
)
REPORTING_UNIT = re.compile(
    r"^(?:đơn vị báo cáo|cơ quan báo cáo|đơn vị|cơ quan)\s*:\s*(?P<name>.+)$", re.IGNORECASE
)
_DATE = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
PERIOD_RANGE = re.compile(rf"từ\s+ngày\s*{_DATE}\s*(?:,\s*)?đến\s+ngày\s*{_DATE}", re.IGNORECASE)
PERIOD_MONTH = re.compile(r"tháng\s*(\d{1,2})\s*(?:năm|/|-)\s*(\d{4})", re.IGNORECASE)
# "từ tháng 01 đến tháng 6 năm 2022", "từ tháng 1/2022 đến hết tháng 6/2022"
PERIOD_MONTHS = re.compile(
    r"từ\s+tháng\s*(\d{1,2})(?:\s*(?:năm|/|-)\s*(\d{4}))?\s*,?\s*đến(?:\s+hết)?\s+"
    r"tháng\s*(\d{1,2})\s*(?:năm|/|-)\s*(\d{4})",
    re.IGNORECASE,
)
# "6 tháng đầu năm", "6 tháng cuối năm 2022", "9 tháng năm 2022", "12 tháng 2022"
MONTHS_COUNT = re.compile(
    r"(?<![\w/.-])(?:[2-9]|1[0-2])\s+tháng\s+(?:đầu|cuối|năm|\d{4}|qua)", re.IGNORECASE
)
QUARTER = re.compile(r"\bquý\s+(?:iv|i{1,3}|[1-4])\b", re.IGNORECASE)
WHOLE_YEAR = re.compile(
    r"^\(?\s*(?:kỳ báo cáo\s*:?\s*|báo cáo\s+)?(?P<year>(?:cả\s+)?năm\s+\d{4})\s*\)?\.?$",
    re.IGNORECASE,
)
_DAY_BEFORE = re.compile(r"ngày[\s\d.…_/-]*$", re.IGNORECASE)
_AREA_STT = re.compile(r"^(?:\d+\.\d+(?:\.\d+)*\.?|[-+*•–]|[a-hj-uwyzđ][.)]?)$", re.IGNORECASE)
_TOP_STT = re.compile(r"^\d+\.?$")
_LEADING_ENUM = re.compile(r"^\s*(?:[-+*•–]|\d+(?:\.\d+)*[.)]|[a-zđ][.)])\s+", re.IGNORECASE)
_DASHES = frozenset({"-", "–", "—"})


@dataclass
class FormsLoaded(Loaded):
    """Unit counts (`frame`, as `inputs.read_counts` gives them) and commune counts (`communes`)."""

    communes: pd.DataFrame = field(default_factory=lambda: commune_counts_frame([]))


@dataclass
class _Row:
    row: int
    name: str
    numbers: dict[str, int]
    filled: bool  # any number cell not empty
    stt: str = ""
    children: list[_Row] = field(default_factory=list)  # "1.1", "1.2" under an area "1"

    def figures(self) -> dict[str, int]:
        """Its own numbers; for an empty row with sub-rows, their sum."""
        if self.filled or not self.children:
            return self.numbers
        return _sum(c.numbers for c in self.children)


@dataclass
class _Block:
    """A unit and the rows under it."""

    unit_code: str
    head: _Row
    areas: list[_Row] = field(default_factory=list)
    by_stt: dict[str, _Row] = field(default_factory=dict)  # the last area numbered so

    def add(self, row: _Row) -> None:
        """An area of work, or a sub-row of the area whose STT its own STT extends (1 -> 1.1)."""
        match = re.fullmatch(r"(\d+)\.\d+.*", row.stt)
        if match and match.group(1) in self.by_stt:
            self.by_stt[match.group(1)].children.append(row)
            return
        self.areas.append(row)
        if row.stt:
            self.by_stt[row.stt.rstrip(".")] = row

    def figures(self) -> dict[str, int]:
        if self.head.filled or not self.areas:
            return self.head.numbers
        return _sum(r.figures() for r in self.areas)


def _sum(rows) -> dict[str, int]:
    out = dict.fromkeys(NUMBER_FIELDS, 0)
    for numbers in rows:
        for f in NUMBER_FIELDS:
            out[f] += numbers[f]
    return out


# --- the header -------------------------------------------------------------------------------


def _field_of(cell: object) -> str | None:
    return None if cell is None else headers.FORM06.field_for(cell)


def _number_row(grid: list[list[object]]) -> tuple[int, int] | None:
    """(row index, column of (1)) of the row of column numbers (1) .. (13)."""
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        for c in range(len(row) - len(FIELDS) + 1):
            if all(_is_column_number(row[c + i], i + 1) for i in range(len(FIELDS))):
                return r, c
    return None


def _is_column_number(cell: object, n: int) -> bool:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell == n
    return (
        cell is not None and re.fullmatch(rf"\(\s*0?{n}\s*\)|0?{n}", str(cell).strip()) is not None
    )


def _composite(grid: list[list[object]], first: int, last: int, c0: int) -> list[str]:
    """Each column's header text, header rows joined; the first row's merged groups filled right."""
    labels = [""] * len(FIELDS)
    for r in range(first, last + 1):
        row = grid[r]
        carry = None
        for i in range(len(FIELDS)):
            cell = row[c0 + i] if c0 + i < len(row) else None
            if r == first and i >= 2:
                carry = cell if cell is not None else carry
                cell = carry
            if cell is not None:
                labels[i] = f"{labels[i]} {cell}".strip()
    return [
        " ".join(
            re.sub(r"\btrong đó\s*:?", " ", unicodedata.normalize("NFC", t).casefold()).split()
        )
        for t in labels
    ]


def _text_header_top(grid: list[list[object]], c0: int, below: int) -> int | None:
    """The first header row above `below`: the one holding STT / Lĩnh vực at c0, c0+1."""
    for r in range(below - 1, max(-1, below - 4), -1):
        row = grid[r]
        cells_ = [row[c0 + i] if c0 + i < len(row) else None for i in (0, 1)]
        if _field_of(cells_[0]) == "stt" or _field_of(cells_[1]) == "name":
            return r
    return None


def _locate_header(
    grid: list[list[object]], name: str
) -> tuple[int, int, list[str], list[Problem]] | None:
    """(first data row index, column of (1), header texts, problems) or None when not a form."""
    found = _number_row(grid)
    if found is not None:
        r_num, c0 = found
        top = _text_header_top(grid, c0, r_num)
        texts = _composite(grid, top, r_num - 1, c0) if top is not None else [""] * len(FIELDS)
        problems = []
        for i, (f, text) in enumerate(zip(FIELDS, texts, strict=True)):
            named = _field_of(text)  # None for "" (no header text)
            if named is not None and named != f and i >= 2:
                problems.append(
                    error(
                        name,
                        f"the header names column ({COLUMN_NUMBERS[named]}) but the column-number "
                        f"row says ({COLUMN_NUMBERS[f]})",
                        row=r_num,  # 1-based: the header row just above the column numbers
                        column=column_letter(c0 + i),
                        value=text,
                    )
                )
        return r_num + 1, c0, texts, problems
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        for c in range(len(row) - 1):
            if _field_of(row[c]) != "stt" or _field_of(row[c + 1]) != "name":
                continue
            last = r
            while last + 1 < len(grid) and last - r < 2 and _is_header_row(grid[last + 1], c):
                last += 1
            if last + 1 < len(grid) and _is_column_numbers_with_sums(grid[last + 1], c):
                last += 1  # under a header of three text rows
            texts = _composite(grid, r, last, c)
            if [_field_of(t) for t in texts[2:]] == list(NUMBER_FIELDS):
                return last + 1, c, texts, []
    return None


_NUMBERED = r"\(?\s*\d{1,2}\s*\)?"
_NUMBERED_SUM = re.compile(rf"{_NUMBERED}(?:\s*[=+-]\s*{_NUMBERED})*")


def _is_column_numbers_with_sums(row: list[object], c0: int) -> bool:
    """A row of column numbers that `_number_row` did not take, as some forms write it: "(1)",
    "(2)", then numbers or sums of them ("(3)=(4)+(5)+(6)"). Never a unit's row: (2) is its name."""
    cells_ = row[c0 : c0 + len(FIELDS)]
    return (
        len(cells_) > 1
        and _is_column_number(cells_[0], 1)
        and _is_column_number(cells_[1], 2)
        and all(
            c is None or _NUMBERED_SUM.fullmatch(str(c).strip()) is not None for c in cells_[2:]
        )
    )


def _is_header_row(row: list[object], c0: int) -> bool:
    """A row of header text: no number in it (in a CSV a count is text too: "9" is a number).
    A row of column numbers that `_number_row` did not take ("(3)=(4)+(5)+(6)") is one too: it
    is no data, and its "(3)" leaves the column's header text naming the same column."""
    texts = [c for c in row[c0 : c0 + len(FIELDS)] if c is not None]
    return bool(texts) and all(
        isinstance(c, str) and cells.parse_count(c)[1] is not None for c in texts
    )


# --- the period -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TitleCell:
    row: int  # as a spreadsheet user counts
    column: str | None  # its letter
    text: str


@dataclass(frozen=True)
class _Several:
    """A title period of more than one month ("6 tháng đầu năm 2022", "Quý II", "năm 2022")."""

    text: str


@dataclass(frozen=True)
class _BadDate:
    """A title date that is no calendar date ("31/06/2022")."""

    text: str


def _title_cells(grid: list[list[object]], first_data: int) -> list[_TitleCell]:
    """Every text cell above the data (title, period, header), with its row and column."""
    return [
        _TitleCell(r + 1, column_letter(c), unicodedata.normalize("NFC", " ".join(str(v).split())))
        for r, row in enumerate(grid[: max(0, first_data)])
        for c, v in enumerate(row)
        if isinstance(v, str)
    ]


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _is_a_date(text: str, match: re.Match) -> bool:
    """True when "tháng 7 năm 2022" is part of a date ("Hòa Bình, ngày 05 tháng 7 năm 2022"),
    also with its day left blank to be written by hand ("ngày ... tháng 7", "ngày __ tháng 7")."""
    before = text[: match.start()].rstrip()
    return before[-1:].isdigit() or _DAY_BEFORE.search(before) is not None


def _several_months(text: str) -> pd.Period | _Several | None:
    """A period of months in one cell: "từ tháng 1 đến tháng 6 năm 2022" (one month when both
    ends are the same), "6 tháng đầu năm", "9 tháng năm 2022", "Quý II"; else None."""
    match = PERIOD_MONTHS.search(text)
    if match:
        m1, y1, m2, y2 = match.group(1), match.group(2) or match.group(4), *match.group(3, 4)
        if (int(m1), y1) == (int(m2), y2) and 1 <= int(m2) <= 12:
            return pd.Period(year=int(y2), month=int(m2), freq="M")
        return _Several(match.group(0))
    for pattern in (MONTHS_COUNT, QUARTER):
        match = pattern.search(text)
        if match and not (pattern is MONTHS_COUNT and _is_a_date(text, match)):
            return _Several(match.group(0))
    return None


def _find_period(
    cells_: Sequence[_TitleCell],
) -> tuple[tuple[date, date] | pd.Period | _Several | _BadDate | None, _TitleCell | None]:
    """What the title says the period is, and the cell that says it.

    In order: "Từ ngày … đến ngày …"; a period of several months anywhere above the data (never
    read as one of its months); "Tháng 6 năm 2022" (not inside a date line such as "Hòa Bình,
    ngày … tháng 7 năm 2022"); a whole year ("Kỳ báo cáo: năm 2022").
    """
    for cell in cells_:
        match = PERIOD_RANGE.search(cell.text)
        if match:
            ends = match.group(1, 2, 3), match.group(4, 5, 6)
            bad = next(("/".join(end) for end in ends if _date(*end) is None), None)
            if bad is not None:
                return _BadDate(bad), cell
            return (_date(*ends[0]), _date(*ends[1])), cell
    for cell in cells_:
        found = _several_months(cell.text)
        if isinstance(found, _Several):
            return found, cell
    for cell in cells_:
        found = _several_months(cell.text)
        if found is not None:
            return found, cell
        for match in PERIOD_MONTH.finditer(cell.text):
            if _is_a_date(cell.text, match):
                continue  # "ngày 05 tháng 7 năm 2022" is a date (of signing), not a period
            if 1 <= int(match.group(1)) <= 12:
                month = pd.Period(year=int(match.group(2)), month=int(match.group(1)), freq="M")
                return month, cell
    for cell in cells_:
        match = WHOLE_YEAR.match(cell.text)
        if match:
            return _Several(match.group("year")), cell
    return None, None


def title_period(texts: Sequence[str]) -> tuple[date, date] | pd.Period | None:
    """The period title texts state: (from, to) dates, or a month ("Tháng 6 năm 2022"), or None
    (also for a period of several months or an invalid date)."""
    found = _find_period([_TitleCell(i + 1, None, t) for i, t in enumerate(texts)])[0]
    return None if isinstance(found, _Several | _BadDate) else found


def month_of(span: tuple[date, date]) -> pd.Period | None:
    """The calendar month a date span covers exactly, else None."""
    start, end = span
    last = calendar.monthrange(start.year, start.month)[1]
    if start.day == 1 and (end.year, end.month, end.day) == (start.year, start.month, last):
        return pd.Period(year=start.year, month=start.month, freq="M")
    return None


def _period(
    cells_: Sequence[_TitleCell], stated: pd.Period | None, name: str
) -> tuple[pd.Period | None, list[Problem]]:
    found, cell = _find_period(cells_)
    where = {"row": cell.row, "column": cell.column} if cell is not None else {}
    if isinstance(found, _BadDate):
        return None, [
            error(
                name,
                f"the title's date {found.text} is not a date: correct it "
                "(or give the month with --form-period YYYY-MM)",
                value=found.text,
                **where,
            )
        ]
    if isinstance(found, tuple | _Several):
        if isinstance(found, tuple):
            shown = f"{found[0]:%d/%m/%Y} – {found[1]:%d/%m/%Y}"
            month = month_of(found)
            what = f"the form covers {shown}, not one calendar month"
        else:
            shown, month = found.text, None
            what = f"the title states a period of more than one month ({shown!r})"
        if month is None:
            if stated is None:
                return None, [
                    error(
                        name,
                        f"{what}: state the month it should count for (--form-period YYYY-MM)",
                        value=shown,
                        **where,
                    )
                ]
            return stated, [
                warning(name, f"the form covers {shown}; counted for {stated} as stated", **where)
            ]
        found = month
    if stated is not None and found is not None and stated != found:
        return None, [
            error(
                name,
                f"the title says {found} but the stated period is {stated}",
                value=str(found),
                **where,
            )
        ]
    if stated is None and found is None:
        return None, [
            error(
                name,
                "no period: the title has no 'Từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy' "
                "(give the month with --form-period YYYY-MM)",
            )
        ]
    return stated or found, []


def _reporting_unit(
    cells_: Sequence[_TitleCell], units: UnitResolver, name: str
) -> tuple[str | None, list[Problem]]:
    for cell in cells_:
        row = cell.row
        match = REPORTING_UNIT.match(cell.text)
        if match:
            raw = match.group("name").strip()
            code = units.resolve(raw)
            if code is None:
                close = units.suggest(raw)
                hint = f"; closest: {', '.join(close)}" if close else ""
                return None, [error(name, f"unknown reporting unit{hint}", row=row, value=raw)]
            return code, []
    return None, []


# --- rows -------------------------------------------------------------------------------------


def _numbers(
    values: list[object], c0: int, row: int, name: str, problems: list[Problem]
) -> tuple[dict[str, int], bool]:
    numbers: dict[str, int] = {}
    filled = False
    for i, f in enumerate(FIELDS):
        if f not in NUMBER_FIELDS:
            continue
        raw = values[c0 + i] if c0 + i < len(values) else None
        if raw is None or (isinstance(raw, str) and raw.strip() in _DASHES):
            numbers[f] = 0
            continue
        filled = True
        value, message = cells.parse_count(raw)
        if message:
            problems.append(error(name, message, row=row, column=_column(c0, f), value=raw))
            value = 0
        numbers[f] = value
    return numbers, filled


def _column(c0: int, field_name: str) -> str:
    return f"{column_letter(c0 + COLUMN_NUMBERS[field_name] - 1)} ({COLUMN_NUMBERS[field_name]})"


def _row_rules(r: _Row, values: list[object], c0: int, name: str) -> list[Problem]:
    problems = []
    for left, parts, severity in ROW_RULES:
        index = c0 + COLUMN_NUMBERS[left] - 1
        if index >= len(values) or values[index] is None:
            continue
        total = sum(r.numbers[p] for p in parts)
        if r.numbers[left] != total:
            shown = " + ".join(f"({COLUMN_NUMBERS[p]})" for p in parts)
            make = error if severity == "error" else warning
            problems.append(
                make(
                    name,
                    f"({COLUMN_NUMBERS[left]}) is {r.numbers[left]} but {shown} = {total}",
                    row=r.row,
                    column=_column(c0, left),
                    value=values[index],
                )
            )
    return problems


def _check_sum(
    what: str, head: _Row, parts: list[dict[str, int]], c0: int, name: str
) -> list[Problem]:
    """Errors for each column where a total/section/unit row differs from the sum of its rows."""
    if not head.filled:
        return []
    summed = _sum(parts)
    return [
        error(
            name,
            f"{what} says ({COLUMN_NUMBERS[f]}) = {head.numbers[f]} but its {len(parts)} "
            f"row(s) sum to {summed[f]}",
            row=head.row,
            column=_column(c0, f),
            value=head.numbers[f],
        )
        for f in NUMBER_FIELDS
        if head.numbers[f] != summed[f]
    ]


def _section_of(key: str) -> str | None:
    for level, labels in SECTION_LABELS.items():
        if any(key == label or key.startswith(label + " ") for label in labels):
            return level
    return None


def to_counts(numbers: dict[str, int], include_carried_over: bool = False) -> dict[str, int]:
    """The documented mapping of a row's 13 columns to the counts the KPI uses."""
    total = numbers["received_online"] + numbers["received_offline"]
    if include_carried_over:
        total += numbers["carried_over"]
    return {
        "total": total,
        "online": numbers["received_online"],
        "resolved": numbers["resolved_total"],
        "resolved_on_time": numbers["resolved_early"] + numbers["resolved_in_time"],
        "pending_overdue": numbers["pending_overdue"],
    }


def _defaults(
    units: UnitResolver, communes: CommuneResolver | None, groups: dict[str, str] | None
) -> tuple[CommuneResolver, dict[str, str]]:
    """The bundled commune list and the registry's groups, for those not given."""
    if communes is None:
        communes = CommuneResolver.from_communes(load_communes(), units)
    if groups is None:
        groups = load_registry().set_index("unit_code")["group"].to_dict()
    return communes, groups


def read_form(
    path: str | Path,
    units: UnitResolver,
    communes: CommuneResolver | None = None,
    period: str | pd.Period | None = None,
    include_carried_over: bool = False,
    sheet: str | None = None,
    unit: str | None = None,
    groups: dict[str, str] | None = None,
) -> FormsLoaded:
    """One Biểu 06 workbook (or CSV) as unit and commune counts; see the module docstring.

    `communes` defaults to the bundled commune list; `groups` maps unit codes to "department" /
    "district" (default: from the bundled registry) so that a section admits only its level;
    `unit` names the reporting unit when the title does not. Rows are kept even when the file has
    errors (so `check` can show them); callers must look at `problems`.
    """
    name = str(path)
    stated = pd.Period(period, freq="M") if period is not None else None
    communes, groups = _defaults(units, communes, groups)
    grids, sha256, problems = read_grids(path, sheet)  # its problems name the file as `name`
    if problems:
        return FormsLoaded(counts_frame([]), problems)
    # a text file gives one grid per delimiter: the one whose header is found (as looks_like_form)
    grid, located = next(
        ((g, found) for g in grids if (found := _locate_header(g, name)) is not None),
        (grids[0], None),
    )
    if located is None:
        return FormsLoaded(
            counts_frame([]),
            [
                error(
                    name,
                    "not a Biểu số 06/VPCP/KSTT: no row of column numbers (1) … (13) and no "
                    f"header 'STT', 'Lĩnh vực, công việc giải quyết theo cấp' in the first "
                    f"{HEADER_SEARCH_ROWS} rows",
                    row=1,
                )
            ],
        )
    first, c0, _texts, problems = located
    texts = _title_cells(grid, first)
    month, found = _period(texts, stated, name)
    problems += found
    reporting = units.resolve(unit) if unit else None
    if unit and reporting is None:
        problems.append(error(name, "unknown reporting unit", value=unit))
    if reporting is None and not unit:
        reporting, found = _reporting_unit(texts, units, name)
        problems += found
    reader = _FormReader(name, c0, units, communes, groups, reporting, include_carried_over)
    for index in range(first, len(grid)):
        if not reader.take(index + 1, grid[index]):
            break
    reader.finish()
    problems += reader.problems
    if month is None:
        return FormsLoaded(counts_frame([]), problems)
    unit_rows, commune_rows = reader.records(month)
    rows = len(unit_rows) + len(commune_rows)
    files = [SourceFile(Path(path).name, name, rows, sha256, _column(c0, "name"))]
    return FormsLoaded(
        counts_frame(unit_rows), problems, files, communes=commune_counts_frame(commune_rows)
    )


class _FormReader:
    """Walks the data rows once, keeping the current section and unit block."""

    def __init__(self, name, c0, units, communes, groups, reporting, include_carried_over):
        self.name, self.c0 = name, c0
        self.units, self.communes, self.groups = units, communes, groups
        self.reporting = reporting
        self.include_carried_over = include_carried_over
        self.problems: list[Problem] = []
        self.level: str | None = None
        self.section_head: _Row | None = None
        self.section_start = 0  # spreadsheet row where the current section began
        self.subtotals: list[_Row] = []
        self.totals: list[_Row] = []
        self.blocks: list[_Block] = []
        self.block: _Block | None = None
        self.group: _Block | None = None  # a district heading its communes in the commune section
        self.commune_rows: list[tuple[_Row, int, str]] = []
        self.leaves_in_section: list[dict[str, int]] = []
        self.all_leaves: list[dict[str, int]] = []
        if reporting is not None:
            head = _Row(0, reporting, dict.fromkeys(NUMBER_FIELDS, 0), False)
            self.block = _Block(reporting, head)

    def take(self, row: int, values: list[object]) -> bool:
        """Read one row; False at the signature lines, where the table ends."""
        c0 = self.c0
        stt = values[c0] if c0 < len(values) else None
        text = values[c0 + 1] if c0 + 1 < len(values) else None
        if text is None and isinstance(stt, str) and not _AREA_STT.match(stt.strip()):
            text, stt = stt, None  # a label merged across (1) and (2)
        stt_text = "" if stt is None else str(stt).strip()
        label = "" if text is None else _LEADING_ENUM.sub("", str(text)).strip()
        key = _label_key(label)  # "" for no label
        if key and any(key.startswith(f) for f in FOOTER_LABELS):
            return False
        found: list[Problem] = []
        numbers, filled = _numbers(values, c0, row, self.name, found)
        if not label and not filled:
            return True
        r = _Row(row, label, numbers, filled, stt_text)
        if filled:
            found += _row_rules(r, values, c0, self.name)
        self.problems += found
        if not label:
            self.problems.append(
                error(
                    self.name,
                    "a row of numbers without a name",
                    row=row,
                    column=_column(c0, "name"),
                )
            )
        elif key in SUBTOTAL_LABELS and self.level is not None:
            self._close_group()
            self._close_block_unless_reporting()
            self.subtotals.append(r)
        elif key in TOTAL_LABELS or key in SUBTOTAL_LABELS:
            self._close_group()
            self._close_block_unless_reporting()
            self.totals.append(r)
        elif (level := _section_of(key)) is not None:
            self._close_group()
            self._close_block_unless_reporting()
            self._close_section()
            self.level, self.section_head, self.section_start = level, r, row
        else:
            self._item(r, stt_text)
        return True

    def _item(self, r: _Row, stt: str) -> None:
        block = self.block
        if self.level == "commune" and block is None and ward_type_of(r.name) is None:
            code = self.units.resolve(r.name)
            if code is not None and self._is_district(code):
                self._close_group()
                self.group = _Block(code, r)
                return
        district = block.unit_code if block and self._is_district(block.unit_code) else None
        if district is None and block is None and self.group is not None:
            district = self.group.unit_code
        in_department = block is not None and district is None
        explicit = ward_type_of(r.name) is not None and not in_department
        if block is not None and stt and _AREA_STT.match(stt) and not explicit:
            if not (district and self._commune(r, district, quiet=True)):
                block.add(r)
            return
        loud = explicit or (self.level == "commune" and block is None)
        wants_commune = loud or self.level == "commune" or district is not None
        if wants_commune and (self._commune(r, district, quiet=not loud) or loud):
            return  # a commune, or an error already recorded
        if self.reporting is None:
            code = self.units.resolve(r.name)
            department_in_district = (
                code is not None and district is not None and self.groups.get(code) == "department"
            )
            starts = (
                code is not None
                and not department_in_district
                and (self.level is None or self.groups.get(code) == self.level)
                and (
                    block is None or (code != block.unit_code and (not stt or _TOP_STT.match(stt)))
                )
            )
            if starts:
                self._close_block_unless_reporting()
                self.block = _Block(code, r)
                return
            if department_in_district and block is not None:
                self._ask_if_department(r, stt, block, code)
        if block is not None:
            block.add(r)
        elif r.filled or _TOP_STT.match(stt):
            self._leaf(r.numbers)  # unattributed, but its figures are in the totals above it
            close = self.units.suggest(r.name)
            hint = f"; closest: {', '.join(close)}" if close else ""
            self.problems.append(
                error(
                    self.name,
                    f"unknown unit{hint} (a unit's own form names it in the title: "
                    "'Đơn vị báo cáo: …')",
                    row=r.row,
                    column=_column(self.c0, "name"),
                    value=r.name,
                )
            )

    def _ask_if_department(self, r: _Row, stt: str, block: _Block, code: str) -> None:
        """A warning when a department-named row under a district may be the department's own:
        named in full ("Sở Tư pháp"), or numbered on from the district (its STT one more than the
        district's, before any area restarted the numbering)."""
        in_full = _label_key(r.name).startswith(_label_key("sở") + " ")
        head_stt = block.head.stt.rstrip(".")
        numbered_on = (
            not block.areas
            and head_stt.isdigit()
            and stt.rstrip(".").isdigit()
            and int(stt.rstrip(".")) == int(head_stt) + 1
        )
        if in_full or numbered_on:
            self.problems.append(
                warning(
                    self.name,
                    f"read as an area of work of {block.unit_code} (it is inside "
                    f"{block.unit_code}'s rows, from row {block.head.row}), not as {code}'s "
                    f"counts: if it is {code}'s own row, move it above the districts or under a "
                    "section row 'Sở, ban, ngành'",
                    row=r.row,
                    column=_column(self.c0, "name"),
                    value=r.name,
                )
            )

    def _commune(self, r: _Row, district: str | None, quiet: bool) -> bool:
        code, message = self.communes.resolve(r.name, district, suggest=not quiet)
        if code is None:
            if not quiet:
                self._place_commune(r)  # unresolved, but its figures are in the rows above it
                self.problems.append(
                    error(
                        self.name,
                        message,
                        row=r.row,
                        column=_column(self.c0, "name"),
                        value=r.name,
                    )
                )
            return False
        self.commune_rows.append((r, code, self.communes.info[code]["unit_code"]))
        self._place_commune(r)
        return True

    def _place_commune(self, r: _Row) -> None:
        """Under a district's block, one of its areas; else a leaf (and part of its group)."""
        if self.block is not None:
            self.block.add(r)
            return
        self._leaf(r.numbers)
        if self.group is not None:
            self.group.areas.append(r)

    def _close_group(self) -> None:
        group, self.group = self.group, None
        if group is not None and group.areas:
            parts = [a.numbers for a in group.areas]
            what = f"the row of {group.unit_code}'s communes"
            self.problems += _check_sum(what, group.head, parts, self.c0, self.name)

    def _is_district(self, code: str) -> bool:
        if self.groups:
            return self.groups.get(code) == "district"
        return self.communes is not None and self.communes.district(code) == code

    def _leaf(self, numbers: dict[str, int]) -> None:
        self.leaves_in_section.append(numbers)
        self.all_leaves.append(numbers)

    def _close_block_unless_reporting(self) -> None:
        if self.reporting is None:
            self._close_block()

    def _close_block(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        if block.areas:
            self.problems += _check_sum(
                f"the row of {block.unit_code}",
                block.head,
                [a.figures() for a in block.areas],
                self.c0,
                self.name,
            )
        for area in block.areas:
            if area.children:
                what = f"the row {area.name!r}"
                parts = [c.numbers for c in area.children]
                self.problems += _check_sum(what, area, parts, self.c0, self.name)
        self.blocks.append(block)
        self._leaf(block.figures())

    def _section_parts(self) -> list[dict[str, int]]:
        parts = list(self.leaves_in_section)
        if self.block is not None and self.block.head.row < self.section_start:
            # A block that began before the section (the reporting unit's): its rows in it.
            parts += [a.figures() for a in self.block.areas if a.row > self.section_start]
        return parts

    def _close_section(self) -> None:
        parts = self._section_parts()
        if self.section_head is not None:
            what = f"the section row {self.section_head.name!r}"
            self.problems += _check_sum(what, self.section_head, parts, self.c0, self.name)
        for subtotal in self.subtotals:
            self.problems += _check_sum("the subtotal row", subtotal, parts, self.c0, self.name)
        self.section_head, self.subtotals, self.leaves_in_section = None, [], []

    def finish(self) -> None:
        self._close_group()
        self._close_block_unless_reporting()
        self._close_section()
        self._close_block()
        for total in self.totals:
            self.problems += _check_sum("the total row", total, self.all_leaves, self.c0, self.name)
        for block in self.blocks:
            if not block.head.filled and not block.areas:
                self.problems.append(
                    warning(
                        self.name,
                        f"{block.unit_code} has no figures",
                        row=block.head.row or None,
                        value=block.head.name,
                    )
                )

    def records(self, month: pd.Period) -> tuple[list[dict], list[dict]]:
        units = [
            {
                "unit_code": b.unit_code,
                "month": month,
                **to_counts(b.figures(), self.include_carried_over),
                "source_file": self.name,
                "source_row": b.head.row or b.areas[0].row,
                "source_unit": b.head.name,
            }
            for b in self.blocks
            if b.head.filled or b.areas
        ]
        communes = []
        for r, code, unit in self.commune_rows:
            counts = to_counts(r.numbers, self.include_carried_over)
            counts.pop("pending_overdue")
            communes.append(
                {
                    "ward_code": code,
                    "unit_code": unit,
                    "month": month,
                    **counts,
                    "source_file": self.name,
                    "source_row": r.row,
                    "source_unit": r.name,
                }
            )
        return units, communes


def read_forms(
    paths: Sequence[str | Path],
    units: UnitResolver,
    communes: CommuneResolver | None = None,
    period: str | pd.Period | None = None,
    include_carried_over: bool = False,
    sheet: str | None = None,
    groups: dict[str, str] | None = None,
) -> FormsLoaded:
    """Several forms into one `FormsLoaded` (problems of every file, all at once)."""
    frames, commune_frames, problems, files = [], [], [], []
    communes, groups = _defaults(units, communes, groups)  # once for all the files
    for path in paths:
        one = read_form(path, units, communes, period, include_carried_over, sheet, groups=groups)
        frames.append(one.frame)
        commune_frames.append(one.communes)
        problems += one.problems
        files += one.files
    frame = pd.concat(frames, ignore_index=True) if frames else counts_frame([])
    commune_frame = (
        pd.concat(commune_frames, ignore_index=True) if commune_frames else commune_counts_frame([])
    )
    return FormsLoaded(frame, problems, files, communes=commune_frame)


DETECT_BYTES = 64 * 1024


def looks_like_form(path: str | Path, sheet: str | None = None) -> bool:
    """True when the file has the form's column-number row or its header (for `check` detection).

    Looks at the head of the file only, so that large dossier exports cost nothing.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(DETECT_BYTES)
    except OSError:
        return False
    if head.startswith(b"PAR1") or path.suffix.lower() == ".parquet":
        return False
    if head.startswith(b"PK\x03\x04"):  # (a .xlsx that is no zip: read_grids says not a form)
        grids = _workbook_head(path, sheet)
    else:
        grids, _, problems = read_grids(path, head=DETECT_BYTES)
        if problems:
            return False
    return any(_locate_header(g, str(path)) is not None for g in grids)


def _workbook_head(path: Path, sheet: str | None) -> list[list[list[object]]]:
    try:
        # opened by its content: openpyxl refuses a path not named .xlsx / .xlsm
        with path.open("rb") as handle:
            book = open_read_only(handle, data_only=True)
            try:
                ws = book[sheet] if sheet is not None else book.worksheets[0]
                ws.reset_dimensions()
                rows = ws.iter_rows(max_row=HEADER_SEARCH_ROWS + 2, values_only=True)
                return [[[_detect_cell(c) for c in row] for row in rows]]
            finally:
                book.close()
    except Exception:  # not readable, or no such sheet: the reader proper will say why
        return []


def _detect_cell(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip() or None
    return value


COUNTS_CSV_COLUMNS = ["unit_code", "month", "total", "online"]
ON_TIME_CSV_COLUMNS = ["resolved", "resolved_on_time", "pending_overdue"]


def counts_csv(counts: pd.DataFrame) -> str:
    """Form counts as a monthly counts CSV (UTF-8, LF) that `inputs.read_counts` reads back.

    `resolved` may exceed `total` here: (7) counts carried-over dossiers resolved in the period,
    while `total` is (4) + (5); the counts reader allows it and checks on time ≤ resolved.
    """
    frame = counts[[*COUNTS_CSV_COLUMNS, *ON_TIME_CSV_COLUMNS]].copy()
    frame["month"] = frame["month"].astype(str)
    return frame.to_csv(index=False, lineterminator="\n")
