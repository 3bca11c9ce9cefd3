"""The working folder's settings: `kpi-report.toml` (or `--config FILE`), read with tomllib.

    store = "inputs"          # the store of submissions (default: inputs/)
    out = "reports"           # where `build` writes reports
    lang = "vi"               # "vi" or "en"
    jobs = 2                  # worker processes for `build`
    targets = ["targets_2022.csv"]   # targets files (one or several years)

Paths are relative to the file's folder. A flag on the command line overrides its setting. An
unknown key or a value of the wrong type is an error naming the file and the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from kpi_utils.common.problems import InputError, Problem, error

CONFIG_NAME = "kpi-report.toml"
PATH_KEYS = ("store", "out")
KEYS = ("store", "out", "lang", "jobs", "targets")


def load_config(path: str | Path | None = None, cwd: Path | None = None) -> dict:
    """The settings of `path` (which must exist), else of `kpi-report.toml` in `cwd` if there is
    one, else none. Raises `InputError` with every problem of the file."""
    if path is None:
        default = Path(cwd or Path.cwd()) / CONFIG_NAME
        if not default.is_file():
            return {}
        path = default
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([error(path, "configuration file not found")]) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError([error(path, f"not a readable TOML file: {exc}")]) from None
    base = path.resolve().parent
    problems: list[Problem] = []
    settings: dict = {}
    for key, value in data.items():
        if key not in KEYS:
            problems.append(error(path, f"unknown setting (known: {', '.join(KEYS)})", value=key))
        elif key in PATH_KEYS and isinstance(value, str):
            settings[key] = base / value
        elif (key == "lang" and value in ("vi", "en")) or (key == "jobs" and _positive(value)):
            settings[key] = value
        elif key == "targets" and isinstance(value, str):
            settings[key] = [base / value]
        elif (
            key == "targets"
            and isinstance(value, list)
            and value
            and all(isinstance(v, str) for v in value)
        ):
            settings[key] = [base / v for v in value]
        else:
            expected = {
                "store": "a folder",
                "out": "a folder",
                "lang": '"vi" or "en"',
                "jobs": "a whole number of at least 1",
                "targets": "a file or a list of files",
            }[key]
            problems.append(error(path, f"setting {key!r} must be {expected}", value=value))
    if problems:
        raise InputError(problems)
    return settings


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
