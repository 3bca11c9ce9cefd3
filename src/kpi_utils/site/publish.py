"""Replace a report folder in one step: readers see the old report or the new one, never a mix.

A build writes into a temporary sibling folder (`staging_dir`); `publish` then swaps it with the
old report in one atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`) and deletes the old one.
A build that failed never calls `publish`, so the previous report stays byte for byte.

A build killed at any moment (SIGKILL included) leaves at most its staging folder behind, never a
missing or mixed report: the staging folder's name records its builder (`.2022-06.building-
<pid>-<start>-<host>~XXXX`, `start` being the process's start time, so that a reused pid is not
taken for the builder), and the next `staging_dir` in the same folder removes those whose
builder is gone (of any month), leaving a live concurrent build's alone. Two builds of the same
month at once both finish; each publish is one exchange, so the published folder is always one
build's complete output (the last to publish). Folders without a builder in their name (made
by an older version) are left alone: nothing says whether their build still runs.

Where the exchange is not supported (not Linux, or a file system without it), the old report is
renamed aside and the new one renamed in, under a lock on the parent folder; a build killed
between the two renames leaves the old report in `.2022-06.old-<pid>-...`, which the next build
puts back.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_TAG = re.compile(r"^(\d+)-(\d+)-(.*)~[^~]*$")


def _start_time(pid: int) -> int | None:
    """The process's start time (clock ticks since boot, /proc/PID/stat field 22); None if no
    such process (or a zombie: killed, not yet reaped); 0 where /proc is not there."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return 0
    except OSError:
        return 0
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def _host() -> str:
    return socket.gethostname().replace("~", "-") or "localhost"


def builder_tag() -> str:
    """Who is building: pid, process start time and host, as staging folders are named."""
    pid = os.getpid()
    return f"{pid}-{_start_time(pid) or 0}-{_host()}~"


def _is_dead(tag: str) -> bool:
    """True if the folder's tag names a process of this host that no longer runs."""
    found = _TAG.match(tag)
    if found is None:
        return False  # not ours to judge (a folder of an older version, or another tool)
    pid, start, host = int(found[1]), int(found[2]), found[3]
    if host != _host():
        return False  # another machine's build (a shared folder): cannot tell
    now = _start_time(pid)
    return now is None or (start != 0 and now != 0 and now != start)


_LEFT_BEHIND = re.compile(r"^\.(.+?)\.(building|old)-(.*)$")


def remove_dead_builds(target: Path) -> list[Path]:
    """Remove the staging folders beside `target` (of any month) whose builder is gone, and put
    back an old report a killed publish had renamed aside where its report is missing; return
    what was removed."""
    removed = []
    if not target.parent.is_dir():
        return removed
    for entry in sorted(target.parent.iterdir()):
        found = _LEFT_BEHIND.match(entry.name)
        if found is None or not entry.is_dir() or not _is_dead(found[3]):
            continue
        report = entry.parent / found[1]
        if found[2] == "old" and not report.exists():
            with contextlib.suppress(OSError):
                os.rename(entry, report)  # the previous report, back in its place
                continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def staging_dir(target: Path) -> Path:
    """A new, empty folder beside `target` (same file system, so renames are atomic), named after
    its builder; staging folders of dead builds of `target` are removed first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_builds(target)
    prefix = f".{target.name}.building-{builder_tag()}"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


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


def _renameat2(source: Path, destination: Path, flags: int) -> None:
    """`renameat2(2)`; OSError(ENOSYS) where the C library has none."""
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(destination), flags):
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(source), None, str(destination))


_UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP)


def _swap_in(staging: Path, target: Path) -> bool:
    """Put `staging` at `target` in one step; after it, `staging` holds the old report if there
    was one (then True). False if the exchange is not supported here (nothing was moved)."""
    while True:
        try:
            _renameat2(staging, target, _RENAME_EXCHANGE)
            return True
        except OSError as exc:
            if exc.errno in _UNSUPPORTED:
                return False
            if exc.errno != errno.ENOENT or not staging.exists():
                raise
        try:  # no report yet: rename, unless another build has just published one
            _renameat2(staging, target, _RENAME_NOREPLACE)
            staging.mkdir()  # an empty "old report", for the caller to remove
            return True
        except OSError as exc:
            if exc.errno in _UNSUPPORTED:
                return False
            if exc.errno != errno.EEXIST:
                raise


@contextlib.contextmanager
def _locked(folder: Path):
    """An exclusive lock on `folder` (flock on the folder itself: no lock file left behind)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _rename_in(staging: Path, target: Path) -> Path | None:
    """The fallback: rename the old report aside, the new one in; returns where the old one is."""
    with _locked(target.parent):
        old = None
        if target.exists():
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.old-{builder_tag()}", dir=target.parent)
            )
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)
            raise
    return old


def publish(staging: Path, target: Path) -> Path:
    """Put `staging` in the place of `target` (which may not exist yet); return `target`."""
    make_readable(staging)
    if _swap_in(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # the old report, swapped out
        return target
    old = _rename_in(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def set_aside(staging: Path, place: Path) -> Path:
    """Keep a failed build for inspection at `place`, replacing an earlier failed one (an
    OSError naming `place` if that one cannot be removed; the new one is then left in place)."""
    while True:
        try:
            shutil.rmtree(place)
        except FileNotFoundError:
            pass  # none yet, or removed meanwhile by another failed build of the month
        except OSError as exc:  # it cannot be removed: say so (retrying would never end)
            raise OSError(exc.errno, exc.strerror, str(place)) from exc
        try:
            os.rename(staging, place)
            return place
        except OSError as exc:  # another failed build of the month was set aside meanwhile
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
