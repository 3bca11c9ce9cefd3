"""From files to a checked dataset and a KPI table: the edge where I/O meets the arithmetic.

`load_inputs` reads the registry, targets and counts, applies every rule, and returns them with
all problems; `checked_inputs` raises `InputError` on any error; `kpi_for_month` is the whole path
from file names to the KPI table. Notebooks and the command line both start here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kpi_utils import paths, validate
from kpi_utils.inputs import SourceFile, read_counts, read_targets
from kpi_utils.kpi import kpi_table
from kpi_utils.problems import Problem, raise_if_errors
from kpi_utils.registry import UnitResolver, load_registry

if TYPE_CHECKING:
    from kpi_utils.aggregate import IngestSummary


@dataclass
class Inputs:
    """Everything a report needs from files, and what was wrong with them."""

    registry: pd.DataFrame
    counts: pd.DataFrame
    targets: pd.DataFrame
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    is_sample: bool = False
    dossier_summary: IngestSummary | None = None  # rows read/used/rejected, for dossier exports


def load_inputs(
    counts: Sequence[str | Path] | None = None,
    targets: str | Path | None = None,
    month: str | pd.Period | None = None,
    sheet: str | None = None,
    dossiers: Sequence[str | Path] | None = None,
    catalogue: str | Path | None = None,
) -> Inputs:
    """Read and check counts (default: the bundled synthetic sample) and targets (default: 2022).

    With `month`, also checks that every unit has a target for that month's year, and reads a
    targets file without a year column (the decision's appendix as published) as that year's.
    `dossiers` (exports, one row per dossier) with the procedure `catalogue` replace `counts`:
    they are aggregated to the same monthly counts (`aggregate.load_dossiers`).
    """
    registry = load_registry()
    resolver = UnitResolver.from_registry(registry)
    is_sample = counts is None and dossiers is None
    counts_paths = [paths.sample_counts_path()] if counts is None else list(counts)
    targets_path = Path(targets) if targets is not None else paths.default_targets_path()
    if dossiers is not None:
        if counts is not None:
            raise ValueError("give either monthly counts or dossier exports, not both")
        from kpi_utils.aggregate import load_dossiers  # DuckDB is imported only when needed

        loaded_counts = load_dossiers(dossiers, catalogue, resolver, sheet=sheet)
    else:
        loaded_counts = read_counts(counts_paths, resolver, sheet=sheet)
    year = pd.Period(month, freq="M").year if month is not None else None
    loaded_targets = read_targets(targets_path, resolver, year=year)
    codes = list(registry["unit_code"])
    problems = [*validate.validate_counts(loaded_counts, codes), *loaded_targets.problems]
    if year is not None and not loaded_targets.problems:
        problems += validate.missing_targets(loaded_targets.frame, codes, year, str(targets_path))
    return Inputs(
        registry=registry,
        counts=loaded_counts.frame,
        targets=loaded_targets.frame,
        files=[*loaded_counts.files, *loaded_targets.files],
        problems=problems,
        is_sample=is_sample,
        dossier_summary=getattr(loaded_counts, "summary", None),
    )


def checked_inputs(**kwargs) -> Inputs:
    """`load_inputs`, raising `InputError` (with every problem) if any is an error."""
    inputs = load_inputs(**kwargs)
    raise_if_errors(inputs.problems)
    return inputs


def kpi_for_month(month: str, **kwargs) -> pd.DataFrame:
    """The KPI table for `month` from files (see `load_inputs` for the arguments)."""
    inputs = checked_inputs(month=month, **kwargs)
    return kpi_table(inputs.counts, inputs.targets, inputs.registry, month)


def latest_month(counts: pd.DataFrame) -> str:
    """The last month present in the counts, as YYYY-MM."""
    return str(counts["month"].max())
