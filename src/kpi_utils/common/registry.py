"""The unit registry: the 27 units of the decision, their codes, and every way people name them.

`load_registry()` reads `data/units.csv` into a frame; `UnitResolver` turns any spelling into a
unit code (see `names.name_key` for what "any spelling" covers) and suggests the closest codes
otherwise. This module is the one place that knows unit names. `resolver()` reads the file
without pandas (`read_units`): `kpi-report ingest` never needs a frame.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_utils.common.names import initials, name_key, suggestion_key
from kpi_utils.common.paths import data_dir

if TYPE_CHECKING:
    import pandas as pd

REGISTRY_COLUMNS = [
    "unit_code",
    "group",
    "order",
    "name_in_decision",
    "official_name",
    "gso_district_code",
    "aliases",
]
GROUPS = ("department", "district")
SUGGEST_MARGIN = 0.15


def read_units(path: Path | None = None) -> list[dict]:
    """The registry's rows in decision order, as dicts: `order` an int, `gso_district_code` an int
    or None, `aliases` a list of strings; the other columns as written."""
    path = path or data_dir() / "units.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        units = [
            {
                **row,
                "order": int(row["order"]),
                "gso_district_code": int(row["gso_district_code"])
                if row["gso_district_code"]
                else None,
                "aliases": [a for a in row["aliases"].split("|") if a],
            }
            for row in csv.DictReader(handle)
        ]
    return sorted(units, key=lambda unit: unit["order"])


def load_registry(path: Path | None = None) -> pd.DataFrame:
    """The unit registry in decision order: one row per unit, `aliases` as a list of strings."""
    import pandas as pd  # here, not at the top: `resolver()` must not load pandas

    frame = pd.DataFrame.from_records(read_units(path), columns=REGISTRY_COLUMNS)
    for column in REGISTRY_COLUMNS:
        if column not in ("order", "gso_district_code", "aliases"):
            frame[column] = frame[column].astype("str")
    frame["order"] = frame["order"].astype("int64")
    frame["gso_district_code"] = pd.array(frame["gso_district_code"], dtype="Int64")
    return frame


def _spellings(unit: Mapping) -> list[str]:
    names = [unit["unit_code"], unit["name_in_decision"], unit["official_name"], *unit["aliases"]]
    if unit["group"] == "department":
        # "initials of the words of the official name" (DOMAIN §2): Sở GDĐT, Sở NNPTNT, ...
        abbreviation = initials(unit["official_name"])
        if len(abbreviation) >= 3:
            names.append(abbreviation)
    return names


def _short_initials(unit: Mapping) -> str | None:
    """Two-letter initials of a department (Sở TC, Sở XD, Sở YT, Sở TP): they name it only
    after "Sở", since alone they mean other things ("TP" is also "thành phố")."""
    if unit["group"] != "department":
        return None
    abbreviation = initials(unit["official_name"])
    return abbreviation if len(abbreviation) == 2 else None


def _starts_with_so(text: str) -> bool:
    words = unicodedata.normalize("NFC", text).casefold().split()
    return bool(words) and words[0].rstrip(".:") == "sở"


@dataclass(frozen=True)
class UnitResolver:
    """Resolves unit names to codes. Build it once: `resolver()`, `UnitResolver.from_registry`."""

    codes: tuple[str, ...]
    by_key: dict[str, str] = field(repr=False)
    by_loose_key: dict[str, str] = field(repr=False)
    # code -> official name, for messages that suggest codes to someone who knows the names.
    names: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # name_key of two-letter department initials -> code, used only after "Sở".
    by_short_key: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # Files repeat each unit's name on every row: fold each distinct spelling once.
    _resolved: dict[str, str | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_registry(cls, registry: pd.DataFrame) -> UnitResolver:
        return cls.from_units(registry.to_dict("records"))

    @classmethod
    def from_units(cls, units: Iterable[Mapping]) -> UnitResolver:
        """From registry rows (`read_units`, or a registry frame's records)."""
        units = list(units)
        by_key: dict[str, str] = {}
        by_loose_key: dict[str, str] = {}
        for unit in units:
            for spelling in _spellings(unit):
                for table, key in (
                    (by_key, name_key(spelling)),
                    (by_loose_key, suggestion_key(spelling)),
                ):
                    owner = table.setdefault(key, unit["unit_code"])
                    if owner != unit["unit_code"] and table is by_key:
                        raise ValueError(
                            f"registry: {spelling!r} would name both {owner} and {unit['unit_code']}"
                        )
        names = {unit["unit_code"]: unit["official_name"] for unit in units}
        by_short_key = {}
        for unit in units:
            short = _short_initials(unit)
            if short and name_key(short) not in by_key:
                by_short_key[name_key(short)] = unit["unit_code"]
        return cls(tuple(u["unit_code"] for u in units), by_key, by_loose_key, names, by_short_key)

    def resolve(self, name: str) -> str | None:
        """The unit code for `name`, or None when no unit answers to it."""
        text = str(name).strip()
        if text not in self._resolved:
            if text.upper() in self.codes:
                self._resolved[text] = text.upper()
            else:
                key = name_key(text)
                code = self.by_key.get(key)
                if code is None and _starts_with_so(text):
                    code = self.by_short_key.get(key)
                self._resolved[text] = code
        return self._resolved[text]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The codes whose spellings come closest to `name`, best first.

        Only codes nearly as close as the best one (similarity within `SUGGEST_MARGIN`) are
        offered: "Sở Giao thông vân tải" gets SGTVT alone, "Huyện Lạc Thổ" LACTHUY and LACSON.
        """
        key = suggestion_key(str(name))
        found: list[str] = []
        best = None
        for match in difflib.get_close_matches(key, list(self.by_loose_key), n=3 * n, cutoff=0.3):
            score = difflib.SequenceMatcher(None, key, match).ratio()
            best = score if best is None else best
            code = self.by_loose_key[match]
            if score >= best - SUGGEST_MARGIN and code not in found:
                found.append(code)
        return found[:n]

    def describe(self, codes: list[str]) -> str:
        """`SGTVT (Sở Giao thông vận tải), ...`: codes with the names people know them by."""
        return ", ".join(f"{c} ({self.names[c]})" if c in self.names else c for c in codes)


def resolver(path: Path | None = None) -> UnitResolver:
    """A resolver over the bundled (or given) registry."""
    return UnitResolver.from_units(read_units(path))
