"""Adding files to a store: all checked first, then all added, or none.

Each file's kind is told by its content (`sources.kinds`), and it is read by that kind's reader
with every problem listed, as `kpi-report check` lists them. Only when no file has an error are
they copied in, byte for byte, under the lock: the files first, then the manifest in one step,
so that a store is never seen half-added (a file copied before a failure that is not in the
manifest is not part of the store).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from kpi_utils.common.outputs import CannotWrite
from kpi_utils.common.problems import Problem, error, errors, warning
from kpi_utils.sources import kinds
from kpi_utils.sources.tables import file_sha256
from kpi_utils.store import cache
from kpi_utils.store.contents import Contents, read_contents
from kpi_utils.store.lock import locked
from kpi_utils.store.manifest import FILES_DIR, Entry, next_id, read_manifest, write_manifest
from kpi_utils.store.resolve import cache_key

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # the department's calendar day


def today() -> str:
    """Today's date in Hòa Bình (YYYY-MM-DD)."""
    return datetime.datetime.now(TIMEZONE).date().isoformat()


@dataclass
class Checked:
    """A file to add, read and checked."""

    path: Path
    kind: str
    sha256: str
    contents: Contents
    catalogue: str = ""  # a dossier export's catalogue: "#id" in the store, or a path in the batch


@dataclass
class Added:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def _stored_name(entry_id: int, name: str) -> str:
    safe = re.sub(r"[^\w.\-]+", "_", name).strip("._") or "file"
    return f"{FILES_DIR}/{entry_id:05d}-{safe}"


def _copy_in(store: Path, checked: list[Checked], entries: list[Entry]) -> list[Problem]:
    """Copy every file into the store, each through a temporary file hashed on the way, renamed
    into place only when all were copied with the bytes that were checked. A file changed since
    it was checked is an error, and then nothing is left behind."""
    temporary: list[tuple[Path, Path]] = []
    problems = []
    try:
        for c, entry in zip(checked, entries, strict=True):
            target = store / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temporary.append((Path(tmp), target))
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, c.path.open("rb") as source:
                for block in iter(lambda source=source: source.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
            os.chmod(tmp, 0o644)
            if digest.hexdigest() != c.sha256:
                problems.append(
                    error(c.path, "the file changed while it was being added: add it again")
                )
        if problems:
            raise _Abandon
        for tmp, target in temporary:
            os.replace(tmp, target)
        temporary = []
    except _Abandon:
        pass
    except OSError as exc:
        raise CannotWrite(f"cannot write {store}: {exc.strerror or exc}") from None
    finally:
        for tmp, _ in temporary:
            tmp.unlink(missing_ok=True)
    return problems


class _Abandon(Exception):
    """Nothing is added: a file changed since it was checked."""


def check_files(store: Path, files: list[Path]) -> list[Checked]:
    """Read every file by its kind; a dossier export is counted with the catalogue given with it
    (the last one), else the store's last received."""
    detected = [(Path(p), kinds.detect_kind(p)) for p in files]
    catalogues = [p for p, kind in detected if kind == kinds.CATALOGUE]
    stored = [e for e in read_manifest(store) if e.kind == kinds.CATALOGUE and not e.withdrawn]
    latest = max(stored, key=lambda e: e.order, default=None)
    checked = []
    for path, kind in detected:
        catalogue_path, catalogue = None, ""
        if kind == kinds.DOSSIERS:
            if catalogues:
                catalogue_path, catalogue = catalogues[-1], str(catalogues[-1])
            elif latest is not None:
                catalogue_path, catalogue = Path(store) / latest.path, f"#{latest.id}"
        contents = read_contents(path, kind, catalogue_path)
        sha = file_sha256(path.read_bytes()) if path.is_file() else ""
        checked.append(Checked(path, kind, sha, contents, catalogue))
    return checked


def add_files(
    store: Path,
    files: list[Path],
    received: str | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Added:
    """Check `files`, then add them all to `store`, or (any error) add none and say why."""
    store = Path(store)
    received = received or today()
    checked = check_files(store, files)
    problems = [p for c in checked for p in c.contents.problems]
    if errors(problems):
        return Added([], problems)
    now = now or datetime.datetime.now(datetime.UTC)
    added_at = now.isoformat(timespec="microseconds")
    with locked(store):
        entries = read_manifest(store)
        known = {e.sha256: e for e in entries}
        new: list[Entry] = []
        by_path: dict[str, str] = {}
        for c in checked:
            if c.sha256 in known:
                message = f"the same bytes are already stored as {known[c.sha256].describe()}"
                problems.append(warning(c.path, message))
            entry_id = next_id([*entries, *new])
            catalogue = c.catalogue
            if catalogue and not catalogue.startswith("#"):
                catalogue = by_path[catalogue]
            entry = Entry(
                id=str(entry_id),
                original_name=c.path.name,
                path=_stored_name(entry_id, c.path.name),
                sha256=c.sha256,
                kind=c.kind,
                months=" ".join(c.contents.periods()),
                units=" ".join(c.contents.units()),
                rows=c.contents.rows,
                received=received,
                added_at=added_at,
                note=note,
                catalogue=catalogue.lstrip("#"),
            )
            by_path[str(c.path)] = entry.id
            new.append(entry)
        changed = _copy_in(store, checked, new)
        if changed:
            return Added([], changed)
        write_manifest(store, [*entries, *new])
    by_id = {e.id: e for e in [*entries, *new]}
    for entry, c in zip(new, checked, strict=True):
        cache.save(store, cache_key(entry, by_id), c.contents)
    return Added(new, problems)


def withdraw(store: Path, entry_id: str, note: str, day: str | None = None) -> Entry:
    """Record in the manifest that a file was withdrawn (the file itself is kept)."""
    from kpi_utils.store.manifest import withdrawn

    with locked(store):
        entries = withdrawn(read_manifest(store), entry_id, day or today(), note)
        write_manifest(store, entries)
    return next(e for e in entries if e.id == entry_id.lstrip("#"))
