"""Writing results to files, atomically: a reader never sees a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def kpi_csv_text(table: pd.DataFrame) -> str:
    """The KPI table as CSV text (UTF-8, LF, empty cells for undefined values, full-precision rates)."""
    return table.to_csv(index=False, lineterminator="\n")


class CannotWrite(Exception):
    """An output could not be written (a file in the way, a folder not writable, the disk full):
    its message is the one line the user sees, "cannot write reports/2022-06: No space left on
    device"; whatever was being written was removed, and what was there before is untouched."""

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = Path(path), reason
        super().__init__(f"cannot write {path}: {reason}")


def _reason(path: Path, exc: OSError) -> str:
    """Why `path` could not be written, in words: a file where a folder should be is named."""
    for parent in [path, *path.parents]:
        if parent.exists():
            if parent != path and not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    if isinstance(exc, IsADirectoryError) or (path.is_dir() and exc.errno == errno.EISDIR):
        return "it is a folder"
    return exc.strerror or str(exc)


@contextlib.contextmanager
def writing(path: str | Path):
    """Turn any OSError raised inside into `CannotWrite(path, reason)`."""
    try:
        yield
    except CannotWrite:
        raise
    except OSError as exc:
        raise CannotWrite(path, _reason(Path(path), exc)) from exc


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder, then rename over it.

    Raises `CannotWrite` if it cannot; then no temporary file is left and `path` is as it was."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with writing(path):
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return path
