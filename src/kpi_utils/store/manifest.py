"""The store's manifest: one CSV row per stored file, replaced atomically, never edited in place.

The store folder holds `manifest.csv`, the files under `files/` (byte for byte as received), a
lock file and the cache (`.cache/`). A row records what was received: the id, the file's
original name and its path in the store, SHA-256, kind, the months (or years) and units it
covers, data rows, the date it was received, when it was added, a note, and, once withdrawn, the
date and the reason. Rows are only appended, except that withdrawing fills in the last two
fields; no stored file is ever changed or deleted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from kpi_utils.common.outputs import write_atomic

MANIFEST = "manifest.csv"
FILES_DIR = "files"
LOCK = ".lock"
CACHE_DIR = ".cache"


@dataclass(frozen=True)
class Entry:
    """One stored file. `months`, `units`: space-separated (YYYY-MM or YYYY; codes)."""

    id: str
    original_name: str
    path: str  # relative to the store folder
    sha256: str
    kind: str
    months: str
    units: str
    rows: int
    received: str  # YYYY-MM-DD
    added_at: str  # ISO 8601, UTC
    note: str = ""
    withdrawn: str = ""  # YYYY-MM-DD, the day it was withdrawn
    withdrawn_note: str = ""
    catalogue: str = ""  # for a dossier export: the id of the catalogue it is counted with

    @property
    def month_list(self) -> list[str]:
        return self.months.split()

    @property
    def unit_list(self) -> list[str]:
        return self.units.split()

    @property
    def order(self) -> tuple[str, str, int]:
        """Later received first wins; on the same day the later added; then the larger id."""
        return (self.received, self.added_at, int(self.id))

    def withdrawn_by(self, as_of: str | None) -> bool:
        """Withdrawn on or before `as_of` (None: today, i.e. withdrawn at all)."""
        return bool(self.withdrawn) and (as_of is None or self.withdrawn <= as_of)

    def describe(self) -> str:
        return f"#{self.id} {self.original_name} (received {self.received})"


COLUMNS = [f.name for f in fields(Entry)]


def manifest_path(store: Path) -> Path:
    return Path(store) / MANIFEST


def is_store(folder: Path) -> bool:
    return manifest_path(folder).is_file()


def read_manifest(store: Path) -> list[Entry]:
    """The manifest's rows, in the order they were added (an absent manifest: no rows)."""
    path = manifest_path(store)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: not a store manifest (no column {', '.join(missing)})")
        return [
            Entry(**{**{c: row[c] or "" for c in COLUMNS}, "rows": int(row["rows"])})
            for row in reader
        ]


def manifest_text(entries: list[Entry]) -> str:
    text = io.StringIO()
    writer = csv.DictWriter(text, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(asdict(e) for e in entries)
    return text.getvalue()


def write_manifest(store: Path, entries: list[Entry]) -> Path:
    """Replace the manifest in one step (a reader sees the old one or the new one)."""
    return write_atomic(manifest_path(store), manifest_text(entries))


def next_id(entries: list[Entry]) -> int:
    return max((int(e.id) for e in entries), default=0) + 1


def withdrawn(entries: list[Entry], entry_id: str, day: str, note: str) -> list[Entry]:
    """The entries with `entry_id` marked withdrawn on `day` for `note` (KeyError: no such id;
    ValueError: already withdrawn)."""
    key = entry_id.lstrip("#")
    found = [e for e in entries if e.id == key]
    if not found:
        raise KeyError(entry_id)
    if found[0].withdrawn:
        raise ValueError(f"{found[0].describe()} was withdrawn on {found[0].withdrawn}")
    return [replace(e, withdrawn=day, withdrawn_note=note) if e.id == key else e for e in entries]
