"""Where the bundled reference data lives.

The package is installed editable from the repository, so `data/` sits two levels above `src/kpi_utils`.
`KPI_DATA_DIR` overrides it (for an installed wheel, or to point a report at other reference data).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """The folder holding units.csv, targets_*.csv, communes.csv and sample/."""
    return Path(os.environ.get("KPI_DATA_DIR", REPO_ROOT / "data"))


SYNTHETIC_MARKER = "SYNTHETIC"


def is_synthetic(path: str | Path) -> bool:
    """True when `path` sits in a folder that holds a file named SYNTHETIC (as data/sample does).

    Provenance travels with the folder: counts derived from the sample dossiers are written
    beside such a marker too, so every report built from them is labelled synthetic.
    """
    return (Path(path).resolve().parent / SYNTHETIC_MARKER).is_file()


def mark_synthetic(folder: str | Path) -> None:
    """Put the SYNTHETIC marker in `folder` (for data derived from synthetic data)."""
    (Path(folder) / SYNTHETIC_MARKER).write_text(
        "Data in this folder is derived from SYNTHETIC sample data.\n", encoding="utf-8"
    )


def sample_counts_path() -> Path:
    return data_dir() / "sample" / "monthly_counts.csv"


def default_targets_path() -> Path:
    return data_dir() / "targets_2022.csv"
