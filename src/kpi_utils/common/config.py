"""The working folder's settings: `kpi-report.toml` (or `--config FILE`), read with tomllib.

    store = "inputs"          # the store of submissions (default: inputs/)
    out = "reports"           # where `build` writes reports
    lang = "vi"               # "vi" or "en"
    jobs = 2                  # worker processes for `build`
    targets = ["targets_2022.csv"]   # targets files (one or several years)

    [document]                # what the department fills in on the Word report (bao-cao-*.docx)
    number = "15"             # Số: 15/BC-STTTT
    date = 2023-01-05         # a TOML date
    signer = "Nguyễn Văn A"
    signer_title = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    recipients = ["UBND tỉnh (b/c)", "Các sở, ban, ngành"]
    decision_number = "…"     # the targets decision's number and date, as written
    decision_date = "…"

Paths are relative to the file's folder. A flag on the command line overrides its setting. An
unknown key or a value of the wrong type is an error naming the file and the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from kpi_utils.common.problems import InputError, Problem, error

CONFIG_NAME = "kpi-report.toml"
PATH_KEYS = ("store", "out")
KEYS = ("store", "out", "lang", "jobs", "targets", "document")
DOCUMENT_TEXT = ("number", "signer", "signer_title", "decision_number", "decision_date")


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
        elif key == "document" and isinstance(value, dict):
            settings[key] = _document(path, value, problems)
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
                "document": "a table ([document])",
            }[key]
            problems.append(error(path, f"setting {key!r} must be {expected}", value=value))
    if problems:
        raise InputError(problems)
    return settings


def _document(path: Path, table: dict, problems: list[Problem]) -> dict:
    """The `[document]` table: texts, a date and a list of recipients, each checked."""
    import datetime

    out: dict = {}
    for key, value in table.items():
        if (
            key in DOCUMENT_TEXT
            and isinstance(value, str)
            or key == "date"
            and isinstance(value, datetime.date)
        ):
            out[key] = value
        elif (
            key == "recipients"
            and isinstance(value, list)
            and all(isinstance(v, str) for v in value)
        ):
            out[key] = tuple(value)
        else:
            known = ", ".join([*DOCUMENT_TEXT, "date", "recipients"])
            problems.append(
                error(
                    path,
                    f"[document] {key}: unknown or of the wrong type (known: {known})",
                    value=value,
                )
            )
    return out


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
