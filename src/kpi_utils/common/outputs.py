"""Writing results to files, atomically: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def kpi_csv_text(table: pd.DataFrame) -> str:
    """The KPI table as CSV text (UTF-8, LF, empty cells for undefined values, full-precision rates)."""
    return table.to_csv(index=False, lineterminator="\n")


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
