"""One call to open the data, and the tidy frames an analyst starts from.

    >>> from kpi_utils.analysis import open_data
    >>> data = open_data()                       # the bundled synthetic sample
    >>> data.is_sample, data.months[0], data.latest
    (True, '2021-01', '2022-12')
    >>> table = data.kpi("2022-06")              # kpi_table.csv's rows for June 2022
    >>> table.loc[table["unit_code"] == "SCT", ["ytd_total", "ytd_online", "status"]].values.tolist()
    [[2898, 2516, 'met']]
    >>> len(data.series("2022-06")), len(data.communes("2022-06"))   # 6 months x 27 units; 151 communes
    (162, 151)
    >>> data.problems().empty                    # the sample has no error or warning
    True
    >>> open_data(store="data/sample").kpi("2022-06").equals(table)   # the sample is a store too
    True
    >>> data.what_if("SKHCN", "2022-06")["extra_online_needed"]   # 55% of (256 + 6 x 256/6) - 63
    219

`open_data(counts=[...], targets=[...])` opens your own files instead; problems never raise
here: `data.problems()` lists them (errors and warnings), and `data.kpi()` refuses to compute
while there are errors, as the report does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path

import pandas as pd

from kpi_utils.common.problems import InputError, error, errors
from kpi_utils.metrics import trends
from kpi_utils.metrics.commune_kpi import commune_kpi_table
from kpi_utils.metrics.kpi import exact_rate, kpi_table
from kpi_utils.metrics.pipeline import (
    CommuneInputs,
    Inputs,
    latest_month,
    load_commune_inputs,
    load_inputs,
)

PROBLEM_COLUMNS = ["severity", "file", "row", "column", "value", "message"]
Paths = Sequence[str | Path] | None


@dataclass
class Dataset:
    """Checked inputs and what is computed from them; every frame is a copy the caller may change."""

    inputs: Inputs
    commune_inputs: CommuneInputs | None = None

    @property
    def counts(self) -> pd.DataFrame:
        """Tidy monthly counts: unit_code, month (Period[M]), total, online, ... one row per file row."""
        return self.inputs.counts.copy()

    @property
    def targets(self) -> pd.DataFrame:
        """Targets: unit_code, year, eligible_procedures, target_rate."""
        return self.inputs.targets.copy()

    @property
    def registry(self) -> pd.DataFrame:
        """The 27 units in the decision's order (unit_code, group, official_name, ...)."""
        return self.inputs.registry.copy()

    @property
    def is_sample(self) -> bool:
        return self.inputs.is_sample

    @property
    def months(self) -> list[str]:
        """Every month with counts, oldest first, as 'YYYY-MM'."""
        return sorted({str(m) for m in self.inputs.counts["month"]})

    @property
    def latest(self) -> str:
        return latest_month(self.inputs.counts)

    def problems(self) -> pd.DataFrame:
        """Every error and warning found in the inputs (commune files included), one per row."""
        found = list(self.inputs.problems)
        if self.commune_inputs is not None:
            found += self.commune_inputs.problems
        rows = [
            {
                "severity": p.severity,
                "file": p.file,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "message": p.message,
            }
            for p in found
        ]
        return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)

    def _checked(self) -> Inputs:
        if errors(self.inputs.problems):
            raise InputError(errors(self.inputs.problems))
        return self.inputs

    def _month(self, month: str | None) -> str:
        return self.latest if month in (None, "latest") else str(pd.Period(month, freq="M"))

    def kpi(self, month: str | None = None) -> pd.DataFrame:
        """The KPI table of `month` (default: the latest): the published contract's columns."""
        inputs = self._checked()
        return kpi_table(inputs.counts, inputs.targets, inputs.registry, self._month(month))

    def series(self, through: str | None = None) -> pd.DataFrame:
        """The KPI table of every month from January through `through`, stacked."""
        inputs = self._checked()
        return trends.kpi_series(
            inputs.counts, inputs.targets, inputs.registry, self._month(through)
        )

    @cached_property
    def _communes(self) -> CommuneInputs:
        communes = self.commune_inputs or load_commune_inputs()
        if errors(communes.problems):
            raise InputError(errors(communes.problems))
        return communes

    def communes(self, month: str | None = None) -> pd.DataFrame:
        """The KPI table of the 151 communes for `month` (with the sample: the commune sample)."""
        c = self._communes
        return commune_kpi_table(
            c.counts, c.targets, self._checked().targets, c.communes, self._month(month)
        )

    def what_if(self, unit_code: str, month: str | None = None) -> dict[str, object]:
        """How many more online dossiers `unit_code` needs by December, at its monthly volume so far.

        Keeps the unit's average monthly total (YTD total / months elapsed) for the months left;
        `extra_online_needed` is the least number of online dossiers, beyond the YTD ones, that puts
        the December YTD rate at the target (exact arithmetic, as the shortfall); `needed_rate` is
        that number over the dossiers expected in the remaining months (above 1: out of reach).
        """
        table = self.kpi(month)
        row = table[table["unit_code"] == unit_code]
        if row.empty:
            raise ValueError(f"unknown unit {unit_code!r}")
        unit = row.iloc[0]
        elapsed = pd.Period(unit["month"], freq="M").month
        remaining = 12 - elapsed
        average = Fraction(int(unit["ytd_total"]), elapsed)
        expected = remaining * average
        target = exact_rate(float(unit["target_rate"]))
        year_total = int(unit["ytd_total"]) + expected
        needed = max(0, math.ceil(target * year_total - int(unit["ytd_online"])))
        return {
            "unit_code": unit_code,
            "month": unit["month"],
            "ytd_total": int(unit["ytd_total"]),
            "ytd_online": int(unit["ytd_online"]),
            "remaining_months": remaining,
            "expected_total_remaining": float(expected),
            "extra_online_needed": needed,
            "needed_rate": float(needed / expected) if expected else None,
        }


def open_data(
    counts: Paths = None,
    targets: Paths | str | Path = None,
    *,
    store: str | Path | None = None,
    as_of: str | None = None,
    commune_counts: Paths = None,
    commune_targets: str | Path | None = None,
    dossiers: Paths = None,
    catalogue: str | Path | None = None,
    forms: Paths = None,
) -> Dataset:
    """Open the data: the bundled sample by default, a store of submissions (`store`, as it
    stood on `as_of` if given), or the files given (as `kpi-report` takes them).

    Reading never raises for a problem in the files: see `Dataset.problems()`.
    """
    if store is not None:
        if counts or dossiers or forms:
            raise ValueError("give either a store or files, not both")
        counts, targets, commune_counts, commune_targets = _settled(
            Path(store), as_of, targets, commune_counts, commune_targets
        )
    elif as_of is not None:
        raise ValueError("as_of needs a store")
    inputs = load_inputs(
        counts=counts, targets=targets, dossiers=dossiers, catalogue=catalogue, forms=forms
    )
    communes = None
    if commune_counts is not None or commune_targets is not None:
        communes = load_commune_inputs(commune_counts, commune_targets)
    return Dataset(inputs, communes)


def _settled(store: Path, as_of, targets, commune_counts, commune_targets):
    """The store's files settled (the later received wins) into files `load_inputs` reads, as
    `kpi-report build --store` does; kept in a temporary folder for the session."""
    import tempfile

    from kpi_utils.store.resolve import resolve, write_inputs

    written = write_inputs(resolve(store, as_of), Path(tempfile.mkdtemp(prefix="kpi-store-")))
    if written.counts is None:
        raise InputError([error(store, "the store holds no monthly counts (as of that date)")])
    if targets is None and written.targets is not None:
        targets = [written.targets]
    if commune_counts is None and written.commune_counts is not None:
        commune_counts = [written.commune_counts]
        if commune_targets is None:
            commune_targets = written.commune_targets
    return [written.counts], targets, commune_counts, commune_targets


def save_table(frame: pd.DataFrame, name: str, folder: str | Path | None = None) -> Path:
    """Write `frame` as `<folder>/<name>.xlsx` (default folder: reports/explore/) and return it.

    Written atomically: a reader never sees half a workbook.
    """
    import io

    from kpi_utils.common.outputs import write_atomic
    from kpi_utils.common.paths import REPO_ROOT

    folder = Path(folder) if folder is not None else REPO_ROOT / "reports" / "explore"
    plain = frame.copy()
    for column in plain.columns:
        if isinstance(plain[column].dtype, pd.PeriodDtype):
            plain[column] = plain[column].astype(str)
    buffer = io.BytesIO()
    plain.to_excel(buffer, index=False, engine="openpyxl")
    return write_atomic(folder / f"{name}.xlsx", buffer.getvalue())
