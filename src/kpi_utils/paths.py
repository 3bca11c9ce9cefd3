"""Where the bundled reference data lives.

The package is installed editable from the repository, so `data/` sits two levels above `src/kpi_utils`.
`KPI_DATA_DIR` overrides it (for an installed wheel, or to point a report at other reference data).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The folder holding units.csv, targets_*.csv, communes.csv and sample/."""
    return Path(os.environ.get("KPI_DATA_DIR", REPO_ROOT / "data"))


def sample_counts_path() -> Path:
    return data_dir() / "sample" / "monthly_counts.csv"


def default_targets_path() -> Path:
    return data_dir() / "targets_2022.csv"
