"""What a reader returns: its tidy frame, the problems found, and the files it read.

Kept apart from the readers (and from pandas, which only type checkers import here) so that
`kpi-report ingest`, which never builds a frame, starts without loading pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kpi_utils.common.problems import Problem

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class SourceFile:
    """What was read: for the data-quality page and the report index."""

    name: str
    path: str
    rows: int
    sha256: str
    unit_column: str = ""


@dataclass
class Loaded:
    """A tidy frame, the problems found while reading it, and the files it came from."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
