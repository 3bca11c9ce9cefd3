"""Derived data, cached: what a stored file says (`contents`), kept as JSON under the store.

Keyed by the file's SHA-256 (and, for a dossier export, its catalogue's) and by the code's
version (the package version and a digest of the reading code), so that a new reader never
uses what an old one derived. A cache is never the truth: a missing, unreadable or foreign entry
is simply derived again from the stored file; writing one is atomic, and a store that cannot be
written to (a read-only copy) is read without caching.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from kpi_utils.common.outputs import CannotWrite, write_atomic
from kpi_utils.store.contents import Contents
from kpi_utils.store.manifest import CACHE_DIR


@functools.cache
def code_version() -> str:
    """The package version and a digest of the code that reads files (`sources`, `store`)."""
    import kpi_utils

    package = Path(kpi_utils.__file__).parent
    digest = hashlib.sha256()
    for folder in ("sources", "store", "common"):
        for path in sorted((package / folder).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{kpi_utils.__version__}-{digest.hexdigest()[:16]}"


def cache_path(store: Path, key: str, part: str | None = None) -> Path:
    name = key if part is None else f"{key}.{part}"
    return Path(store) / CACHE_DIR / code_version() / f"{name}.json"


def load(store: Path, key: str, parts: Sequence[str] | None = None) -> Contents | None:
    """The cached contents under `key` (only `parts` of it, if given: each part is cached on its
    own, so that a table need not load the communes), or None if anything is missing."""
    try:
        index = json.loads(cache_path(store, key).read_text(encoding="utf-8"))
        wanted = [p for p in index["parts"] if parts is None or p in parts]
        found = {
            part: json.loads(cache_path(store, key, part).read_text(encoding="utf-8"))
            for part in wanted
        }
        if not all(isinstance(records, list) for records in found.values()):
            return None
        return Contents(parts=found)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(store: Path, key: str, contents: Contents) -> None:
    """Cache `contents` (only ever for a file without errors); silently not on a read-only store.
    The index is written last: a part is never looked for before it is there."""
    with contextlib.suppress(OSError, CannotWrite):
        for part, records in contents.parts.items():
            text = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
            write_atomic(cache_path(store, key, part), text)
        write_atomic(cache_path(store, key), json.dumps({"parts": sorted(contents.parts)}))
