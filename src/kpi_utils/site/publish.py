"""Replace a report folder in one step: readers see the old report or the new one, never a mix.

A build writes into a temporary sibling folder (`staging_dir`); `publish` then renames the old
report aside, renames the new one in, and deletes the old one. A build that failed never calls
`publish`, so the previous report stays byte for byte.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_dir(target: Path) -> Path:
    """A new, empty folder beside `target` (same file system, so renames are atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_readable(tree: Path) -> None:
    """Ordinary permissions (0755/0644 less the umask): temporary files are created private."""
    mask = _umask()
    os.chmod(tree, 0o777 & ~mask)
    for root, dirs, files in os.walk(tree):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o777 & ~mask)
        for name in files:
            os.chmod(os.path.join(root, name), 0o666 & ~mask)


def publish(staging: Path, target: Path) -> Path:
    """Put `staging` in the place of `target` (which may not exist yet); return `target`."""
    make_readable(staging)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def set_aside(staging: Path, place: Path) -> Path:
    """Keep a failed build for inspection at `place`, replacing an earlier failed one."""
    if place.exists():
        shutil.rmtree(place)
    os.rename(staging, place)
    return place
