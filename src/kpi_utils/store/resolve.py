"""A store as of a date, resolved into the input files the `metrics` pipeline reads.

`resolve` selects the files (`selection`), verifies them, reads what each says (from the cache
when it can, `cache`), and settles every key (`revisions`). `write_inputs` writes the result as
one counts file (and commune counts, targets, commune targets when the store holds any) in a
folder the caller owns, so that a report from a store is built exactly as one from files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpi_utils.common import paths
from kpi_utils.common.outputs import write_atomic
from kpi_utils.common.problems import InputError, Problem, error, errors, raise_if_errors
from kpi_utils.sources import kinds
from kpi_utils.sources.files import SourceFile
from kpi_utils.store import cache
from kpi_utils.store.contents import PARTS, Contents, read_contents
from kpi_utils.store.manifest import Entry, read_manifest
from kpi_utils.store.revisions import Revision, Settled, settle
from kpi_utils.store.selection import select, verify


@dataclass
class Resolved:
    """What a store says as of a date: the files used and each part settled."""

    store: Path
    as_of: str | None
    entries: list[Entry]  # the files used, oldest received first
    parts: dict[str, Settled] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # warnings from reading (none cached)

    @property
    def revisions(self) -> list[Revision]:
        return [r for part in self.parts.values() for r in part.revisions]

    @property
    def is_sample(self) -> bool:
        return paths.is_synthetic(Path(self.store) / "manifest.csv")

    def source_files(self) -> list[SourceFile]:
        """The stored files used, by their original names, for the report's list of inputs."""
        return [
            SourceFile(
                f"{e.original_name} (#{e.id}, {e.received})",
                str(Path(self.store) / e.path),
                e.rows,
                e.sha256,
            )
            for e in self.entries
        ]


def cache_key(entry: Entry, by_id: dict[str, Entry]) -> str:
    if entry.kind == kinds.DOSSIERS and entry.catalogue in by_id:
        return f"{entry.sha256}-{by_id[entry.catalogue].sha256}"
    return entry.sha256


def contents_of(
    store: Path, entry: Entry, by_id: dict[str, Entry], parts: Sequence[str] | None = None
) -> Contents:
    """What a stored file says (its `parts`, default all): from the cache, else read again (and
    cached if it has no error)."""
    key = cache_key(entry, by_id)
    found = cache.load(store, key, parts)
    if found is not None:
        return found
    catalogue = by_id.get(entry.catalogue)
    catalogue_path = Path(store) / catalogue.path if catalogue is not None else None
    contents = read_contents(Path(store) / entry.path, entry.kind, catalogue_path)
    if not errors(contents.problems):
        cache.save(store, key, contents)
    return contents


def resolve(store: Path, as_of: str | None = None, parts: Sequence[str] = tuple(PARTS)) -> Resolved:
    """The store as of `as_of`, settling only `parts` (default: all; a table needs only "counts"
    and "targets"); raises `InputError` naming every changed, missing or bad file."""
    store = Path(store)
    if not (store / "manifest.csv").is_file():
        raise InputError([error(store, "not a store: no manifest.csv (add files with `add`)")])
    everything = read_manifest(store)
    by_id = {e.id: e for e in everything}
    entries = select(everything, as_of)
    needed = list(entries)
    for entry in entries:  # a dossier export's catalogue is used too, even if withdrawn since
        catalogue = by_id.get(entry.catalogue)
        if entry.kind == kinds.DOSSIERS and catalogue is not None and catalogue not in needed:
            needed.append(catalogue)
    raise_if_errors(verify(store, needed))
    problems: list[Problem] = []
    given: dict[str, list[tuple[Entry, list[dict]]]] = {part: [] for part in parts}
    for entry in entries:
        contents = contents_of(store, entry, by_id, parts)
        problems += contents.problems
        for part, records in contents.parts.items():
            if part in given:
                given[part].append((entry, records))
    raise_if_errors(problems)
    settled = {part: settle(given[part], *PARTS[part]) for part in parts}
    return Resolved(store, as_of, entries, settled, problems)


def _csv(columns: list[str], rows: list[list[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return text.getvalue()


def _sorted(settled: Settled) -> list[dict]:
    return [settled.records[k] for k in sorted(settled.records)]


@dataclass(frozen=True)
class Written:
    """The files `write_inputs` wrote (None where the store holds nothing of that part)."""

    counts: Path | None
    commune_counts: Path | None
    targets: Path | None
    commune_targets: Path | None


def write_inputs(resolved: Resolved, folder: Path) -> Written:
    """The settled parts as files the readers read back, in `folder` (marked synthetic when the
    store is the sample's)."""
    folder = Path(folder)
    parts = resolved.parts
    written: dict[str, Path | None] = {}
    counts_columns = ["unit_code", "month", *PARTS["counts"][1]]
    commune_columns = ["ward_code", "month", "unit_code", *PARTS["communes"][1][1:]]
    specs = {
        "counts": (
            "monthly_counts_from_store.csv",
            counts_columns,
            counts_columns,
        ),
        "communes": (
            "commune_counts_from_store.csv",
            ["commune", "month", "district", *PARTS["communes"][1][1:]],
            commune_columns,
        ),
        "targets": (
            "targets_from_store.csv",
            ["unit_code", "year", "target_rate", "eligible_procedures"],
            ["unit_code", "year", "target_rate", "eligible_procedures"],
        ),
        "commune_targets": (
            "commune_targets_from_store.csv",
            ["commune", "year", "district", "target_rate", "decision"],
            ["ward_code", "year", "unit_code", "target_rate", "decision"],
        ),
    }
    for part, (name, header, columns) in specs.items():
        records = _sorted(parts[part]) if part in parts else []
        if not records:
            written[part] = None
            continue
        rows = [[r.get(c, "") for c in columns] for r in records]
        written[part] = write_atomic(folder / name, _csv(header, rows))
    if resolved.is_sample:
        paths.mark_synthetic(folder)
    return Written(
        written["counts"], written["communes"], written["targets"], written["commune_targets"]
    )
