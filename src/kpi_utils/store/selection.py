"""Which stored files a report uses: those received on or before a date, not withdrawn by then,
each verified against the SHA-256 the manifest recorded.

A report "as of" a date is rebuilt from exactly the files it used then: a file received later
does not count, and a file withdrawn later still does (it was withdrawn after the report).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kpi_utils.common.problems import Problem, error
from kpi_utils.store.manifest import Entry


def select(entries: list[Entry], as_of: str | None = None) -> list[Entry]:
    """The entries in use as of `as_of` (YYYY-MM-DD; None: today), oldest received first."""
    chosen = [
        e for e in entries if (as_of is None or e.received <= as_of) and not e.withdrawn_by(as_of)
    ]
    return sorted(chosen, key=lambda e: e.order)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(store: Path, entries: list[Entry]) -> list[Problem]:
    """An error for each stored file that is missing or whose bytes changed since it was added."""
    problems = []
    for entry in entries:
        path = Path(store) / entry.path
        where = f"{path} ({entry.describe()})"
        if not path.is_file():
            problems.append(error(where, "a stored file is missing: the store is damaged"))
            continue
        found = file_sha256(path)
        if found != entry.sha256:
            problems.append(
                error(
                    where,
                    f"a stored file was changed after it was added (SHA-256 {found}, the "
                    f"manifest records {entry.sha256}): restore it, or add the new version as "
                    "a file of its own",
                )
            )
    return problems
