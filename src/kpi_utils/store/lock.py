"""One command at a time on a store: an exclusive `flock` on the store's lock file.

Two `kpi-report add` run together both land, one after the other: the second waits for the
first to write its files and manifest, then reads the manifest the first wrote.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from kpi_utils.common.outputs import CannotWrite
from kpi_utils.store.manifest import LOCK


@contextlib.contextmanager
def locked(store: Path, shared: bool = False) -> Iterator[None]:
    """Hold the store's lock (exclusive, or `shared` for readers) for the `with` block."""
    store = Path(store)
    try:
        store.mkdir(parents=True, exist_ok=True)
        fd = os.open(store / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CannotWrite(f"cannot write {store}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
