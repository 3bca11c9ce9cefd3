"""One figure per key (unit or commune, and month or year): the later received file counts.

Files are taken in the order they were received (on the same day, the order they were added);
each gives its records, and a record for a key already given replaces it. Every field that
changed is a `Revision`: what, old -> new, and both files with their dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kpi_utils.store.manifest import Entry


@dataclass(frozen=True)
class Revision:
    key: str  # unit code, or commune (GSO code)
    period: str  # YYYY-MM, or YYYY for targets
    field: str
    old: str
    new: str
    old_entry: Entry
    new_entry: Entry

    def __str__(self) -> str:
        return (
            f"{self.key} {self.period} {self.field}: {self.old or '-'} -> {self.new or '-'} "
            f"({self.old_entry.describe()} -> {self.new_entry.describe()})"
        )


@dataclass
class Settled:
    """The winning record of each key, who gave each key, and every revision."""

    records: dict[tuple[str, str], dict] = field(default_factory=dict)
    winners: dict[tuple[str, str], Entry] = field(default_factory=dict)
    givers: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)

    def revised_keys(self) -> set[tuple[str, str]]:
        return {(r.key, r.period) for r in self.revisions}


def settle(
    given: Sequence[tuple[Entry, Sequence[dict]]], key: tuple[str, str], fields: Sequence[str]
) -> Settled:
    """Settle records given by entries, in the order given (`selection.select`'s order)."""
    settled = Settled()
    for entry, records in given:
        for record in records:
            k = (str(record[key[0]]), str(record[key[1]]))
            before = settled.records.get(k)
            if before is not None:
                old_entry = settled.winners[k]
                settled.revisions += [
                    Revision(k[0], k[1], f, before.get(f, ""), record.get(f, ""), old_entry, entry)
                    for f in fields
                    if before.get(f, "") != record.get(f, "")
                ]
            settled.records[k] = record
            settled.winners[k] = entry
            settled.givers.setdefault(k, []).append(entry)
    return settled


REVISION_COLUMNS = ["unit_code", "month", "field", "old", "new", "received"]


def revisions_since(revisions: Sequence[Revision], month: str) -> list[dict]:
    """The revisions a report of `month` tells its readers about: figures of earlier months
    that a file received from the first day of `month` on changed (the previous report, of the
    month before, was drafted from what had arrived until then). Rows of `REVISION_COLUMNS`,
    counts as integers where they are numbers, in the order received."""
    since = f"{month}-01"
    rows = []
    for revision in revisions:
        is_month = len(revision.period) == 7
        if is_month and revision.period < month and revision.new_entry.received >= since:
            rows.append(
                {
                    "unit_code": revision.key,
                    "month": revision.period,
                    "field": revision.field,
                    "old": _number(revision.old),
                    "new": _number(revision.new),
                    "received": revision.new_entry.received,
                }
            )
    return rows


def _number(text: str) -> int | str:
    return int(text) if text.strip().lstrip("-").isdigit() else text
