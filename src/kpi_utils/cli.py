"""The `kpi-report` command line (also `python -m kpi_utils`).

Each subcommand is a small function over the package; problems in the inputs are printed as
`check` prints them and give exit code 1; anything else unexpected is one line on stderr and
exit code 2, never a traceback (set KPI_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kpi_utils import paths
from kpi_utils.problems import InputError, errors, format_report

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2


def _month_arg(text: str) -> str:
    """`--month` accepts YYYY-MM (or `latest`, resolved against the counts later)."""
    if text == "latest":
        return text
    from kpi_utils.cells import parse_month

    month, message = parse_month(text)
    if month is None:
        raise argparse.ArgumentTypeError(f"{text!r}: {message}")
    return str(month)


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--counts",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="monthly counts (CSV/XLSX); default: the bundled synthetic sample",
    )
    parser.add_argument(
        "--targets",
        metavar="FILE",
        type=Path,
        help=f"targets file (CSV/XLSX); default: {paths.default_targets_path().name}",
    )
    parser.add_argument("--sheet", help="workbook sheet to read (default: the first)")


def _resolve_month(month: str, counts_paths, sheet) -> str:
    if month != "latest":
        return month
    from kpi_utils.pipeline import checked_inputs, latest_month

    return latest_month(checked_inputs(counts=counts_paths, sheet=sheet).counts)


def cmd_check(args: argparse.Namespace) -> int:
    from kpi_utils.pipeline import load_inputs

    inputs = load_inputs(counts=args.files, targets=args.targets, sheet=args.sheet)
    print(format_report(inputs.problems))
    if not errors(inputs.problems):
        rows = sum(f.rows for f in inputs.files)
        print(f"ok: {len(inputs.files)} file(s), {rows} data row(s) read")
    return EXIT_PROBLEMS if errors(inputs.problems) else EXIT_OK


def cmd_table(args: argparse.Namespace) -> int:
    from kpi_utils.outputs import kpi_csv_text, write_atomic
    from kpi_utils.pipeline import kpi_for_month

    month = _resolve_month(args.month, args.counts, args.sheet)
    table = kpi_for_month(month, counts=args.counts, targets=args.targets, sheet=args.sheet)
    text = kpi_csv_text(table)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(write_atomic(args.out, text))
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    from kpi_utils.sample import write_sample

    print(write_sample(args.out) if args.out else write_sample())
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from kpi_utils import import_speed

    import_speed.skip_iri_grammar()  # 2.6 s saved; see import_speed
    from kpi_utils.build import Progress, build_report

    if args.sheet:
        print(
            "kpi-report build: --sheet is not supported (the pages read the first sheet)",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    progress = Progress()
    try:
        outcome = build_report(
            args.month,
            counts=args.counts,
            targets=args.targets,
            out=args.out,
            lang=args.lang,
            jobs=args.jobs,
            on_start=progress.start,
            on_result=progress.page_done,
        )
    finally:
        progress.close()
    if not outcome.ok:
        print(
            f"{len(outcome.failures)} page(s) failed; the report was not published:",
            file=sys.stderr,
        )
        for failure in outcome.failures:
            print(f"  {failure}", file=sys.stderr)
        print(f"executed notebooks of the failed build: {outcome.failed_dir}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(outcome.index_html)
    return EXIT_OK


def _jobs_arg(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpi-report",
        description="Online-dossier KPI of Hòa Bình province: check inputs, compute the KPI table, "
        "build the monthly report.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="print every problem and warning in input files")
    check.add_argument("files", nargs="+", metavar="FILE", type=Path, help="monthly counts files")
    check.add_argument("--targets", metavar="FILE", type=Path, help="targets file to check too")
    check.add_argument("--sheet", help="workbook sheet to read (default: the first)")
    check.set_defaults(func=cmd_check)

    table = sub.add_parser("table", help="write the KPI table of a month as CSV")
    table.add_argument("--month", required=True, type=_month_arg, help="YYYY-MM, or 'latest'")
    _add_inputs(table)
    table.add_argument("--out", metavar="FILE.csv", type=Path, help="output file (default: stdout)")
    table.set_defaults(func=cmd_table)

    sample = sub.add_parser("sample", help="regenerate the bundled synthetic sample counts")
    sample.add_argument("--out", type=Path, help="where to write (default: data/sample/...)")
    sample.set_defaults(func=cmd_sample)

    build = sub.add_parser("build", help="build the month's HTML report, CSV and workbook")
    build.add_argument("--month", required=True, type=_month_arg, help="YYYY-MM, or 'latest'")
    _add_inputs(build)
    build.add_argument(
        "--out", type=Path, default=Path("reports"), help="reports folder (default: reports/)"
    )
    build.add_argument("--lang", choices=("vi", "en"), default="vi", help="report language")
    build.add_argument(
        "--jobs", type=_jobs_arg, default=2, help="worker processes, each with one kernel"
    )
    build.set_defaults(func=cmd_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(format_report(exc.problems), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("KPI_DEBUG"):
            raise
        print(f"kpi-report {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
