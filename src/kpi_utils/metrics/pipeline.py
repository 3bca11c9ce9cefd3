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

from kpi_utils.common import paths
from kpi_utils.common.problems import Problem, error, raise_if_errors
from kpi_utils.common.registry import UnitResolver, load_registry
from kpi_utils.metrics.kpi import kpi_table
from kpi_utils.sources import validate
from kpi_utils.sources.files import Loaded, SourceFile
from kpi_utils.sources.inputs import counts_frame, read_counts, read_targets

if TYPE_CHECKING:
    from kpi_utils.sources.aggregate import IngestSummary


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
    commune_counts: pd.DataFrame | None = None  # commune rows of Biểu 06 forms (`forms`)
    month: str | None = None  # the month checked for (`month="latest"` resolved), if any


def load_inputs(
    counts: Sequence[str | Path] | None = None,
    targets: str | Path | Sequence[str | Path] | None = None,
    month: str | pd.Period | None = None,
    sheet: str | None = None,
    dossiers: Sequence[str | Path] | None = None,
    catalogue: str | Path | None = None,
    forms: Sequence[str | Path] | None = None,
    form_period: str | pd.Period | None = None,
    include_carried_over: bool = False,
    catalogue_required: bool = True,
) -> Inputs:
    """Read and check counts (default: the bundled synthetic sample) and targets (see below).

    With `month`, also checks that every unit has a target for that month's year, and reads a
    targets file without a year column (the decision's appendix as published) as that year's.
    `dossiers` (exports, one row per dossier) with the procedure `catalogue` replace `counts`:
    they are aggregated to the same monthly counts (`aggregate.load_dossiers`).

    `targets` may be one file or several (several years); by default, for the sample, every
    `data/targets_*.csv` (2022 from the decision, 2021 ILLUSTRATIVE: see data/README.md), and for
    other counts the 2022 file alone. `forms` (Biểu số 06/VPCP/KSTT
    workbooks, `forms.read_forms`) add their units' counts to the counts (alone, they replace the
    sample); `form_period` states their month, `include_carried_over` counts column (6) too.
    """
    registry = load_registry()
    resolver = UnitResolver.from_registry(registry)
    given = [*(counts or []), *(dossiers or []), *(forms or [])]
    is_sample = not given or all(paths.is_synthetic(p) for p in given)
    counts_paths = [] if counts is None and forms else None
    if counts_paths is None:
        counts_paths = [paths.sample_counts_path()] if counts is None else list(counts)
    targets_paths = targets_paths_of(targets, is_sample)
    targets_path = ", ".join(str(t) for t in targets_paths)
    dossier_summary = None
    if dossiers:
        from kpi_utils.sources.aggregate import load_dossiers  # DuckDB is imported only when needed

        from_dossiers = load_dossiers(
            dossiers, catalogue, resolver, sheet=sheet, catalogue_required=catalogue_required
        )
        dossier_summary = from_dossiers.summary
        loaded_counts = from_dossiers
        if counts:
            loaded_counts = _merged(read_counts(counts, resolver, sheet=sheet), from_dossiers)
    else:
        loaded_counts = read_counts(counts_paths, resolver, sheet=sheet)
    commune_counts = None
    if forms:
        from kpi_utils.sources.forms import read_forms

        groups = dict(zip(registry["unit_code"], registry["group"], strict=True))
        from_forms = read_forms(
            forms, resolver, None, form_period, include_carried_over, sheet, groups
        )
        loaded_counts = _merged(loaded_counts, from_forms)
        commune_counts = from_forms.communes
    if month == "latest":
        month = latest_month(loaded_counts.frame) if not loaded_counts.frame.empty else None
    year = pd.Period(month, freq="M").year if month is not None else None
    # A targets file without a year column (the decision's appendix) is for the month's year,
    # or, when checking files without a month, for the last year of the counts.
    targets_year = year
    if targets_year is None and not loaded_counts.frame.empty:
        targets_year = int(loaded_counts.frame["month"].max().year)
    loaded_targets = read_all_targets(targets_paths, resolver, year=targets_year)
    codes = list(registry["unit_code"])
    problems = [
        *validate.validate_counts(
            loaded_counts, codes, month=month, given=", ".join(str(p) for p in given) or None
        ),
        *loaded_targets.problems,
    ]
    if year is not None and not loaded_targets.problems:
        problems += validate.missing_targets(loaded_targets.frame, codes, year, str(targets_path))
    if month is not None:
        label = ", ".join(f.path for f in loaded_counts.files) or "inputs"
        outside = validate.month_outside(loaded_counts.frame, loaded_targets.frame, month, label)
        if outside is not None:
            # Not one warning and one missing target per unit: the month is simply not there.
            problems = [
                *validate.validate_counts(loaded_counts, codes),
                *loaded_targets.problems,
                outside,
            ]
    return Inputs(
        registry=registry,
        counts=loaded_counts.frame,
        targets=loaded_targets.frame,
        files=[*loaded_counts.files, *loaded_targets.files],
        problems=problems,
        is_sample=is_sample,
        dossier_summary=dossier_summary,
        commune_counts=commune_counts,
        month=None if month is None else str(pd.Period(month, freq="M")),
    )


def default_targets_paths() -> list[Path]:
    """Every bundled `targets_<year>.csv`, oldest year first."""
    return sorted(paths.data_dir().glob("targets_*.csv"))


def targets_paths_of(
    targets: str | Path | Sequence[str | Path] | None, is_sample: bool = False
) -> list[Path]:
    """`targets` as a list of paths: one file, or several; None: the bundled default.

    The default for the sample is every bundled year (its 2021 part is held to the ILLUSTRATIVE
    2021 targets); for real counts it stays the decision's 2022 targets alone, so that no
    illustrative target is applied to real data without being asked for.
    """
    if targets is None:
        return default_targets_paths() if is_sample else [paths.default_targets_path()]
    if isinstance(targets, str | Path):
        return [Path(targets)]
    return [Path(t) for t in targets]


def read_all_targets(
    targets_paths: Sequence[Path], resolver: UnitResolver, year: int | None = None
) -> Loaded:
    """Targets of several files (years) as one frame; a unit and year in two files is an error."""
    loaded = [read_targets(path, resolver, year=year) for path in targets_paths]
    frame = pd.concat([one.frame for one in loaded], ignore_index=True)
    problems = [p for one in loaded for p in one.problems]
    files = [f for one in loaded for f in one.files]
    for (code, yr), group in frame.groupby(["unit_code", "year"], sort=False):
        if group["source_file"].nunique() > 1:
            places = "; ".join(
                f"{f} row {r}"
                for f, r in zip(group["source_file"], group["source_row"], strict=True)
            )
            problems.append(
                error(
                    group["source_file"].iloc[-1],
                    f"targets for {code} in {yr} in two files: {places}",
                )
            )
    return Loaded(frame, problems, files)


def _merged(first: Loaded, second: Loaded) -> Loaded:
    frames = [f for f in (first.frame, second.frame) if not f.empty]
    frame = pd.concat(frames, ignore_index=True) if frames else counts_frame([])
    return Loaded(frame, [*first.problems, *second.problems], [*first.files, *second.files])


@dataclass
class CommuneInputs:
    """Commune counts and the targets districts assigned to communes, with their problems."""

    communes: pd.DataFrame  # the GSO list, `communes.load_communes`
    counts: pd.DataFrame  # tidy commune counts (`communes.read_commune_counts`)
    targets: pd.DataFrame  # commune targets; a commune without one takes its district's
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    is_sample: bool = False


def load_commune_inputs(
    commune_counts: Sequence[str | Path] | None = None,
    commune_targets: str | Path | None = None,
    sheet: str | None = None,
) -> CommuneInputs:
    """Read commune counts (default: the SYNTHETIC sample) and commune targets.

    The sample's commune targets are the default only with the sample's counts; with other counts
    and no targets file, every commune is held to its district's target.
    """
    from kpi_utils.sources import communes as commune_module

    registry = load_registry()
    communes = commune_module.load_communes()
    resolver = commune_module.CommuneResolver.from_communes(
        communes, UnitResolver.from_registry(registry)
    )
    is_sample = commune_counts is None or all(paths.is_synthetic(p) for p in commune_counts)
    sample_dir = paths.data_dir() / "sample"
    counts_paths = (
        [sample_dir / "commune_counts.csv"] if commune_counts is None else list(commune_counts)
    )
    if commune_targets is None and commune_counts is None:
        commune_targets = sample_dir / "commune_targets.csv"
    loaded = commune_module.read_commune_counts(counts_paths, resolver, sheet=sheet)
    problems, files = list(loaded.problems), list(loaded.files)
    targets = commune_module.commune_targets_frame([])
    if commune_targets is not None:
        loaded_targets = commune_module.read_commune_targets(commune_targets, resolver)
        targets = loaded_targets.frame
        problems += loaded_targets.problems
        files += loaded_targets.files
    return CommuneInputs(communes, loaded.frame, targets, files, problems, is_sample)


def checked_inputs(**kwargs) -> Inputs:
    """`load_inputs`, raising `InputError` (with every problem) if any is an error."""
    inputs = load_inputs(**kwargs)
    raise_if_errors(inputs.problems)
    return inputs


def kpi_for_month(month: str, **kwargs) -> pd.DataFrame:
    """The KPI table for `month` from files (see `load_inputs` for the arguments)."""
    inputs = checked_inputs(month=month, **kwargs)
    return kpi_table(inputs.counts, inputs.targets, inputs.registry, month)


def commune_kpi_for_month(
    month: str,
    commune_counts: Sequence[str | Path] | None = None,
    commune_targets: str | Path | None = None,
    targets: str | Path | Sequence[str | Path] | None = None,
) -> pd.DataFrame:
    """The commune KPI table for `month` from files (`commune_kpi.commune_kpi_table`).

    Defaults: the SYNTHETIC commune sample with its commune targets; district targets as
    `load_inputs` reads them (for the sample: every bundled year). Raises `InputError` on errors.
    """
    from kpi_utils.metrics.commune_kpi import commune_kpi_table

    loaded = load_commune_inputs(commune_counts, commune_targets)
    raise_if_errors(loaded.problems)
    registry = load_registry()
    resolver = UnitResolver.from_registry(registry)
    year = pd.Period(month, freq="M").year
    district_targets = read_all_targets(
        targets_paths_of(targets, loaded.is_sample), resolver, year=year
    )
    raise_if_errors(district_targets.problems)
    return commune_kpi_table(
        loaded.counts, loaded.targets, district_targets.frame, loaded.communes, month
    )


def latest_month(counts: pd.DataFrame) -> str:
    """The last month present in the counts, as YYYY-MM."""
    return str(counts["month"].max())
