"""Problems found in input files: what, where (file, row, column, value), and how bad.

Readers never raise on bad data; they collect `Problem`s and carry on, so that one pass reports
everything. Callers that need clean data call `raise_if_errors`, which raises `InputError`
carrying all problems at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input. `row` counts as a spreadsheet user counts (header row = 1)."""

    severity: str
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        value = "" if self.value is None else f", value {_show(self.value)}"
        return f"{self.severity}: {where}{value}: {self.message}"


def _show(value: object) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


def error(file: str | Path, message: str, **where) -> Problem:
    return Problem(ERROR, _name(file), message, **where)


def warning(file: str | Path, message: str, **where) -> Problem:
    return Problem(WARNING, _name(file), message, **where)


def _name(file: str | Path) -> str:
    return str(file)


# An exception's own words may name a class ("BadZipFile", "ArrowInvalid: ...") or an errno;
# a user is shown neither (see `plain_reason`).
_CODE_WORDS = re.compile(r"\[Errno [^\]]*\]\s*|\b\w*(?:Error|Exception|Invalid|BadZipFile)\b:?\s*")


def plain_reason(exc: BaseException) -> str:
    """Why a library refused a file, in its own words but without class names or `[Errno n]`:
    `ArrowInvalid: Parquet magic bytes not found` -> `Parquet magic bytes not found`. Empty when
    nothing plain is left."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = " ".join(str(exc).split())
    text = _CODE_WORDS.sub("", text).strip(" :;,.'\"")
    if len(text) > 160:
        text = text[:157] + "..."
    return text


def damaged(what: str, exc: BaseException) -> str:
    """`what` a library could not read, with its plain reason: `not a readable XLSX workbook (File
    is not a zip file)`."""
    reason = plain_reason(exc)
    return f"{what} ({reason})" if reason else f"{what} (damaged or of another kind)"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors before warnings, then by file and row, keeping discovery order otherwise."""
    return sorted(problems, key=lambda p: (not p.is_error, p.file, p.row or 0))


class InputError(Exception):
    """Raised when inputs have errors; carries every problem found (errors and warnings)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        n = len(errors(self.problems))
        lines = [f"{n} error(s) in the input:"] + [str(p) for p in sort_problems(self.problems)]
        super().__init__("\n".join(lines))


def raise_if_errors(problems: Sequence[Problem]) -> None:
    if errors(problems):
        raise InputError(problems)


def format_report(problems: Sequence[Problem]) -> str:
    """Every problem on its own line, then a count line, as `kpi-report check` prints them."""
    problems = sort_problems(problems)
    n_err = len(errors(problems))
    lines = [str(p) for p in problems]
    lines.append(f"{n_err} error(s), {len(problems) - n_err} warning(s)")
    return "\n".join(lines)
