"""The `kpi-report` command line (also `python -m kpi_utils`).

Each subcommand is a small function over the package. Exit codes: 0 fine; 1 problems in the
inputs (printed as `check` prints them) or in the environment (a file or folder that cannot be
read or written), and anything else unexpected: one line on stderr, never a traceback or an
exception's name (set KPI_DEBUG=1 to see the traceback); 2 only for wrong command-line usage.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kpi_utils.common import paths
from kpi_utils.common.outputs import CannotWrite
from kpi_utils.common.problems import InputError, error, errors, format_report, plain_reason

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2


def _month_arg(text: str) -> str:
    """`--month` accepts YYYY-MM (or `latest`, resolved against the counts later)."""
    if text == "latest":
        return text
    from kpi_utils.sources.cells import parse_month

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
        nargs="+",
        metavar="FILE",
        type=Path,
        help="targets files (CSV/XLSX), one or several years; default: "
        f"{paths.default_targets_path().name} (with the sample: every bundled year)",
    )
    parser.add_argument("--sheet", help="workbook sheet to read (default: the first)")
    parser.add_argument(
        "--dossiers",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="dossier exports (CSV/XLSX/Parquet, one row per dossier) in place of --counts",
    )
    parser.add_argument(
        "--catalogue",
        metavar="FILE",
        type=Path,
        help="procedure catalogue (Mã TTHC, Mức độ) that --dossiers needs",
    )
    _add_form_inputs(parser)


def _period_arg(text: str) -> str:
    if text == "latest":
        raise argparse.ArgumentTypeError("give the month as YYYY-MM")
    return _month_arg(text)


def _add_form_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--form",
        dest="forms",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="Biểu số 06/VPCP/KSTT workbooks (report form of Circular 01/2020/TT-VPCP)",
    )
    parser.add_argument(
        "--form-period",
        type=_period_arg,
        metavar="YYYY-MM",
        help="the month the forms count for (needed when their title is not one calendar month)",
    )
    parser.add_argument(
        "--include-carried-over",
        action="store_true",
        help="count the form's column (6), dossiers carried over, in the total",
    )


def _read_forms(args: argparse.Namespace, forms: Sequence[Path]):
    from kpi_utils.common.registry import resolver
    from kpi_utils.sources.forms import read_forms

    return read_forms(
        forms,
        resolver(),
        period=args.form_period,
        include_carried_over=args.include_carried_over,
        sheet=args.sheet,
    )


def _forms_to_counts(args: argparse.Namespace, folder: Path, quiet: bool = False) -> None:
    """With --form: read the forms once, write their monthly counts in `folder`, add those."""
    if not getattr(args, "forms", None):
        return
    from kpi_utils.common.outputs import write_atomic
    from kpi_utils.sources.forms import counts_csv

    result = _read_forms(args, args.forms)
    if errors(result.problems):
        raise InputError(result.problems)
    if result.problems and not quiet:
        print(format_report(result.problems), file=sys.stderr)
    args.sources = [*getattr(args, "sources", []), *result.files]
    text = counts_csv(result.frame)
    written = write_atomic(folder / "monthly_counts_from_forms.csv", text)
    if not args.counts:
        args.sheet = None
    args.counts = [*(args.counts or []), written]
    if hasattr(args, "commune_counts") and not result.communes.empty:
        # `build`: the forms' commune rows go to the district pages and the communes page
        from kpi_utils.sources.communes import commune_counts_csv

        communes = write_atomic(
            folder / "commune_counts_from_forms.csv", commune_counts_csv(result.communes)
        )
        args.commune_counts = [*(args.commune_counts or []), communes]


def _dossiers_to_counts(args: argparse.Namespace, folder: Path, quiet: bool = False) -> None:
    """With --dossiers: ingest them once, write the monthly counts in `folder`, use those.

    Every later step (month resolution, the table, each report page) then reads a small counts
    file instead of scanning the exports again. Errors in the exports stop here (InputError).
    """
    if not getattr(args, "dossiers", None):
        if getattr(args, "catalogue", None):
            raise InputError([error("--catalogue", "--catalogue is only used with --dossiers")])
        return
    if args.counts:
        raise InputError([error("--dossiers", "give either --counts or --dossiers, not both")])
    from kpi_utils.common.outputs import write_atomic
    from kpi_utils.common.registry import resolver
    from kpi_utils.sources.aggregate import load_dossiers, monthly_counts_csv

    memory_limit = getattr(args, "memory_limit", None)
    result = load_dossiers(
        args.dossiers, args.catalogue, resolver(), args.sheet, memory_limit=memory_limit
    )
    if not quiet:
        print("\n".join(result.summary.lines()), file=sys.stderr)
    if errors(result.problems):
        raise InputError(result.problems)
    if result.problems and not quiet:
        print(format_report(result.problems), file=sys.stderr)
    args.sources = [*getattr(args, "sources", []), *result.files]
    written = write_atomic(
        folder / "monthly_counts_from_dossiers.csv", monthly_counts_csv(result.records)
    )
    args.counts = [written]
    args.sheet = None


def _derive_counts(args: argparse.Namespace, folder: Path, quiet: bool = False) -> None:
    """Turn --dossiers and --form into counts files in `folder`, keeping their provenance:
    the original files are listed as sources, and counts derived only from SYNTHETIC inputs
    (the bundled sample's exports or forms) are marked synthetic, so every page says so."""
    from kpi_utils.common import paths

    originals = [*(getattr(args, "dossiers", None) or []), *(getattr(args, "forms", None) or [])]
    _dossiers_to_counts(args, folder, quiet)
    _forms_to_counts(args, folder, quiet)
    if originals and all(paths.is_synthetic(p) for p in originals):
        paths.mark_synthetic(folder)


def _emit(text: str, out: Path | None) -> int:
    """CSV text to stdout, or atomically to `out` (then its path on stdout)."""
    from kpi_utils.common.outputs import write_atomic

    if out is None:
        sys.stdout.write(text)
    else:
        print(write_atomic(out, text))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from kpi_utils.metrics.pipeline import load_inputs
    from kpi_utils.sources.dossiers import file_kind
    from kpi_utils.sources.forms import looks_like_form

    found = [p for p in args.files if looks_like_form(p, args.sheet)]
    forms = [*(args.forms or []), *found]
    if not args.files and not forms:
        raise InputError([error("check", "give files to check (or --form FILE)")])
    kinds = {path: file_kind(path, args.sheet) for path in args.files if path not in found}
    counts = [p for p, kind in kinds.items() if kind == "counts"]
    from kpi_utils.sources.communes import looks_like_commune_counts

    commune_counts = [p for p in counts if looks_like_commune_counts(p, args.sheet)]
    counts = [p for p in counts if p not in commune_counts]
    dossiers = [p for p, kind in kinds.items() if kind == "dossiers"]
    catalogues = [p for p, kind in kinds.items() if kind == "catalogue"]
    if args.catalogue:
        catalogues.insert(0, args.catalogue)
    if len(catalogues) > 1:
        names = ", ".join(str(p) for p in catalogues)
        raise InputError([error(names, "more than one procedure catalogue: give one")])
    problems, files, summary = [], [], []
    if counts or dossiers or forms or not (catalogues or commune_counts):
        # One path for every kind of counts, as `table` reads them: rules across files (a unit
        # and month in a counts file and a form) are found here too, coverage is said once.
        inputs = load_inputs(
            counts=counts,
            targets=args.targets,
            sheet=args.sheet,
            dossiers=dossiers or None,
            catalogue=catalogues[0] if catalogues and dossiers else None,
            forms=forms or None,
            form_period=args.form_period,
            include_carried_over=args.include_carried_over,
            catalogue_required=False,
        )
        problems += inputs.problems
        files += inputs.files
        if inputs.dossier_summary is not None:
            summary = inputs.dossier_summary.lines()
    elif args.targets:
        from kpi_utils.common.registry import resolver
        from kpi_utils.sources.inputs import read_targets

        loaded = read_targets(args.targets, resolver())
        problems += loaded.problems
        files += loaded.files
    if catalogues and not dossiers:
        from kpi_utils.common.registry import resolver
        from kpi_utils.sources.catalogue import read_catalogue

        loaded = read_catalogue(catalogues[0], resolver())
        problems += loaded.problems
        files += loaded.files
    if commune_counts:
        from kpi_utils.metrics.pipeline import load_commune_inputs

        loaded = load_commune_inputs(commune_counts=commune_counts, sheet=args.sheet)
        problems += loaded.problems
        files += loaded.files
    print(format_report(problems))
    if summary:
        print("\n".join(summary))
    if not errors(problems):
        rows = sum(f.rows for f in files)
        print(f"ok: {len(files)} file(s), {rows} data row(s) read")
    return EXIT_PROBLEMS if errors(problems) else EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from kpi_utils.common.registry import resolver
    from kpi_utils.sources.aggregate import load_dossiers, monthly_counts_csv

    if not args.files and not args.forms:
        raise InputError([error("ingest", "give dossier exports (with --catalogue) or --form")])
    if args.files and not args.catalogue:
        raise InputError([error("--catalogue", "dossier exports need --catalogue")])
    if args.forms:
        return _ingest_forms(args)
    # The counts file names no source file: no need to read the exports again for their SHA-256.
    result = load_dossiers(
        args.files,
        args.catalogue,
        resolver(),
        args.sheet,
        digests=False,
        memory_limit=args.memory_limit,
    )
    print("\n".join(result.summary.lines()), file=sys.stderr)
    if errors(result.problems):
        raise InputError(result.problems)
    if result.problems:
        print(format_report(result.problems), file=sys.stderr)
    text = monthly_counts_csv(result.records)
    return _emit(text, args.out)


def _ingest_forms(args: argparse.Namespace) -> int:
    """`ingest --form`: the forms' counts (with any dossier exports') as one monthly counts CSV."""
    from kpi_utils.sources.forms import counts_csv

    args.dossiers, args.counts, args.targets = args.files or None, None, None
    inputs = _checked(args, None)
    return _emit(counts_csv(inputs.counts), args.out)


def _check_dossier_args(args: argparse.Namespace) -> None:
    if not getattr(args, "dossiers", None):
        if getattr(args, "catalogue", None):
            raise InputError([error("--catalogue", "--catalogue is only used with --dossiers")])
    elif args.counts:
        raise InputError([error("--dossiers", "give either --counts or --dossiers, not both")])


def _checked(args: argparse.Namespace, month: str | None):
    """The user's files as given (counts, dossier exports, forms) through `load_inputs`, the one
    path: every problem names the user's file and row. Raises `InputError` on any error; prints
    the dossier summary and the warnings, once, on stderr."""
    from kpi_utils.metrics.pipeline import load_inputs

    inputs = load_inputs(
        counts=args.counts,
        targets=args.targets,
        month=month,
        sheet=args.sheet,
        dossiers=getattr(args, "dossiers", None),
        catalogue=getattr(args, "catalogue", None),
        forms=getattr(args, "forms", None),
        form_period=getattr(args, "form_period", None),
        include_carried_over=getattr(args, "include_carried_over", False),
    )
    if inputs.dossier_summary is not None:
        print("\n".join(inputs.dossier_summary.lines()), file=sys.stderr)
    inputs.problems = _named_as_store(args, inputs.problems)
    if errors(inputs.problems):
        raise InputError(inputs.problems)
    if month == "latest" and inputs.month is None:
        raise InputError([error("--month", "no counts to take the latest month from")])
    # No errors got here; warnings (units or months missing) go beside the output, on stderr.
    for problem in inputs.problems:
        print(problem, file=sys.stderr)
    return inputs


def cmd_table(args: argparse.Namespace) -> int:
    from kpi_utils.common.outputs import kpi_csv_text
    from kpi_utils.metrics.kpi import kpi_table

    _apply_config(args, ("targets",))
    with tempfile.TemporaryDirectory(prefix="kpi-table-") as folder:
        _store_to_inputs(args, Path(folder))
        _check_dossier_args(args)
        inputs = _checked(args, args.month)
    table = kpi_table(inputs.counts, inputs.targets, inputs.registry, inputs.month)
    return _emit(kpi_csv_text(table), args.out)


def cmd_sample(args: argparse.Namespace) -> int:
    from kpi_utils.samples.counts import write_sample

    print(write_sample(args.out) if args.out else write_sample())
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    _apply_config(args, ("targets", "out", "lang", "jobs"))
    quiet = False
    if args.forms:
        # Forms are checked with the other counts as given, so that every problem names the
        # user's file and row; the pages then read the counts derived from them (quietly: the
        # warnings were printed here, once).
        _check_dossier_args(args)
        args.month = _checked(args, args.month).month
        quiet = True
    with tempfile.TemporaryDirectory(prefix="kpi-build-") as folder:
        _store_to_inputs(args, Path(folder))
        _derive_counts(args, Path(folder), quiet=quiet)
        try:
            return _build(args)
        except InputError as exc:
            raise InputError(_named_as_store(args, exc.problems)) from None


def _build(args: argparse.Namespace) -> int:
    from kpi_utils.site import import_speed

    import_speed.skip_iri_grammar()  # 2.6 s saved; see import_speed
    if args.sheet:
        print(
            "kpi-report build: --sheet is not supported (the pages read the first sheet)",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    from kpi_utils.site.runner import open_pool

    pool = open_pool(args.jobs)  # kernels boot while the build is imported and inputs checked
    try:
        return _build_with(args, pool)
    finally:
        if pool is not None:
            pool.__exit__(None, None, None)


def _build_with(args: argparse.Namespace, pool) -> int:
    from kpi_utils.site.build import Progress, build_report

    progress = Progress()
    try:
        outcome = build_report(
            args.month,
            counts=args.counts,
            targets=args.targets,
            commune_counts=args.commune_counts,
            commune_targets=args.commune_targets,
            sources=getattr(args, "sources", ()),
            store=getattr(args, "store_used", None),
            as_of=args.as_of,
            out=args.out,
            lang=args.lang,
            jobs=args.jobs,
            on_start=progress.start,
            on_result=progress.page_done,
            document=_document_settings(args),
            pool=pool,
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


# --- the store of submissions (issue 10) ------------------------------------------------------

DEFAULT_STORE = Path("inputs")
BUILD_DEFAULTS = {"out": Path("reports"), "lang": "vi", "jobs": 2}


def _day_arg(text: str) -> str:
    """`--as-of`, `--received`: a calendar date written YYYY-MM-DD, kept as that text."""
    import datetime
    import re

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give the date as YYYY-MM-DD") from None


def _add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="settings file (default: kpi-report.toml in the working folder, if there is one)",
    )


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="DIR",
        type=Path,
        help="the store of submissions (default: the configuration's, else inputs/ if it is a "
        "store, else the bundled sample)",
    )
    parser.add_argument(
        "--as-of",
        type=_day_arg,
        metavar="YYYY-MM-DD",
        help="use only the stored files received on or before this date (the report as it was "
        "published then)",
    )
    _add_config_option(parser)


def _apply_config(args: argparse.Namespace, keys: Sequence[str] = ()) -> None:
    """Fill the settings `keys` no flag gave from the configuration, then from the built-in
    defaults (the store is kept apart: `args.store` says whether the flag was given)."""
    from kpi_utils.common.config import load_config

    settings = load_config(getattr(args, "config", None))
    for key in keys:
        if getattr(args, key, None) is None:
            setattr(args, key, settings.get(key, BUILD_DEFAULTS.get(key)))
    args.config_store = settings.get("store")
    args.config_document = settings.get("document", {})


def _store_of(args: argparse.Namespace) -> Path:
    """The store a store command works on: --store, the configuration's, else inputs/."""
    return args.store or getattr(args, "config_store", None) or DEFAULT_STORE


def _store_to_inputs(args: argparse.Namespace, folder: Path) -> None:
    """`build`/`table` without --counts, --form or --dossiers: read the store as of --as-of and
    give the pages its settled counts (and commune counts, targets) as files in `folder`."""
    from kpi_utils.store.manifest import is_store

    one_off = args.counts or getattr(args, "dossiers", None) or getattr(args, "forms", None)
    if one_off:
        if args.store or args.as_of:
            message = "give either a store (--store, --as-of) or files (--counts, --form, "
            raise InputError([error("--store", message + "--dossiers), not both")])
        return
    store = args.store or args.config_store
    if store is None:
        store = DEFAULT_STORE if is_store(DEFAULT_STORE) else paths.data_dir() / "sample"
        if not is_store(store):  # a data folder without the sample's manifest: as before
            if args.as_of:
                raise InputError([error("--as-of", "--as-of needs a store (--store DIR)")])
            return
    from kpi_utils.store.resolve import resolve, write_inputs

    # `table` needs the units' counts and targets only; `build` the communes' too
    parts = None if hasattr(args, "commune_counts") else ("counts", "targets")
    resolved = resolve(store, args.as_of) if parts is None else resolve(store, args.as_of, parts)
    written = write_inputs(resolved, folder)
    if written.counts is None:
        when = f"received by {args.as_of}" if args.as_of else "stored"
        raise InputError([error(store, f"no monthly counts {when}: add some with `add`")])
    args.counts, args.sheet = [written.counts], None
    if args.targets is None and written.targets is not None:
        args.targets = [written.targets]
    from_store = getattr(args, "commune_counts", ()) is None and written.commune_counts is not None
    if from_store:  # `build`: the store's commune counts, with its commune targets
        args.commune_counts = [written.commune_counts]
        if args.commune_targets is None:
            args.commune_targets = written.commune_targets
    args.sources = [*getattr(args, "sources", []), *resolved.source_files()]
    args.store_used = Path(store)
    # a problem found in a settled file names the store, not the temporary file
    label = f"{store} (the store's {{}}{f' as of {args.as_of}' if args.as_of else ''})"
    args.store_names = {
        str(path): label.format(what)
        for path, what in (
            (written.counts, "counts"),
            (written.targets, "targets"),
            (written.commune_counts, "commune counts"),
            (written.commune_targets, "commune targets"),
        )
        if path is not None
    }


def _named_as_store(args: argparse.Namespace, problems: Sequence) -> list:
    """`problems`, those in the store's settled files named by the store (`_store_to_inputs`)."""
    import dataclasses

    names = getattr(args, "store_names", None) or {}
    return [dataclasses.replace(p, file=names.get(p.file, p.file)) for p in problems]


def cmd_add(args: argparse.Namespace) -> int:
    _apply_config(args)
    from kpi_utils.store.add import add_files

    missing = [p for p in args.files if not p.is_file()]
    if missing:
        raise InputError(
            [
                error(p, "a folder: give the files in it" if p.is_dir() else "no such file")
                for p in missing
            ]
        )
    store = _store_of(args)
    added = add_files(store, list(args.files), received=args.received, note=args.note or "")
    if not added.ok:
        print(format_report(added.problems))
        print(f"nothing added to {store}: correct the files and add them again")
        return EXIT_PROBLEMS
    if added.problems:
        print(format_report(added.problems))
    for entry in added.entries:
        print(
            f"added #{entry.id} {entry.original_name}: {entry.kind}, {entry.rows} row(s), "
            f"received {entry.received}"
        )
    return EXIT_OK


def cmd_withdraw(args: argparse.Namespace) -> int:
    _apply_config(args)
    from kpi_utils.store.add import withdraw

    store = _store_of(args)
    try:
        entry = withdraw(store, args.id, args.note)
    except KeyError:
        raise InputError(
            [error(store / "manifest.csv", "no stored file with this id", value=args.id)]
        ) from None
    except ValueError as exc:
        raise InputError([error(store / "manifest.csv", str(exc), value=args.id)]) from None
    print(
        f"withdrawn #{entry.id} {entry.original_name} on {entry.withdrawn}: {entry.withdrawn_note}"
    )
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    _apply_config(args)
    from kpi_utils.common.registry import load_registry
    from kpi_utils.store import status
    from kpi_utils.store.manifest import read_manifest
    from kpi_utils.store.resolve import resolve

    store = _store_of(args)
    resolved = resolve(store, args.as_of, ("counts",))
    counts = resolved.parts["counts"]
    months = status.months_of_year(counts, None if args.month == "latest" else args.month)
    if not months:
        print(f"{store}: no monthly counts stored")
        return EXIT_OK
    grid = status.status_grid(counts, list(load_registry()["unit_code"]), months)
    print(f"store {store}" + (f", as of {args.as_of}" if args.as_of else ""))
    print(status.grid_text(grid))
    print("P present, - missing, R revised")
    month = months[-1]
    absent = status.missing(grid, month)
    print(
        f"not yet sent for {month}: {', '.join(absent)}" if absent else f"every unit sent {month}"
    )
    if args.revisions:
        print(f"revisions ({len(resolved.revisions)}):")
        for revision in resolved.revisions:
            print(f"  {revision}")
    print("files:")
    used = {e.id for e in resolved.entries}
    for e in read_manifest(store):
        state = "" if e.id in used else "  (withdrawn)" if e.withdrawn else "  (not used)"
        if e.withdrawn:
            state += f" withdrawn {e.withdrawn}: {e.withdrawn_note}"
        print(
            f"  #{e.id} {e.original_name}  {e.kind}  received {e.received}  {e.sha256[:12]}{state}"
        )
    return EXIT_OK


def _add_store_commands(sub) -> None:
    add = sub.add_parser("add", help="check files and add them to the store of submissions")
    add.add_argument("files", nargs="+", metavar="FILE", type=Path, help="files as received")
    add.add_argument("--store", metavar="DIR", type=Path, help="the store (default: inputs/)")
    add.add_argument(
        "--received",
        type=_day_arg,
        metavar="YYYY-MM-DD",
        help="the day the files were received (default: today in Hòa Bình)",
    )
    add.add_argument("--note", help="a note kept with the files (who sent them, why)")
    _add_config_option(add)
    add.set_defaults(func=cmd_add)

    withdraw = sub.add_parser("withdraw", help="withdraw a stored file sent by mistake (kept)")
    withdraw.add_argument("id", metavar="ID", help="the file's id (`status` lists them)")
    withdraw.add_argument("--note", required=True, help="why it is withdrawn")
    withdraw.add_argument("--store", metavar="DIR", type=Path, help="the store (default: inputs/)")
    _add_config_option(withdraw)
    withdraw.set_defaults(func=cmd_withdraw)

    status = sub.add_parser("status", help="what each unit has sent, month by month")
    status.add_argument("--store", metavar="DIR", type=Path, help="the store (default: inputs/)")
    status.add_argument(
        "--month", type=_month_arg, default="latest", help="YYYY-MM (default: the latest stored)"
    )
    status.add_argument("--revisions", action="store_true", help="list every revision too")
    status.add_argument("--as-of", type=_day_arg, metavar="YYYY-MM-DD", help="as of this date")
    _add_config_option(status)
    status.set_defaults(func=cmd_status)


def _document_settings(args: argparse.Namespace):
    """What the department fills in on the Word report: flags, else the configuration's
    `[document]`; what neither gives stays dotted."""
    from kpi_utils.report.document import DocumentSettings

    config = getattr(args, "config_document", None) or {}
    title = args.signer_title.replace("\\n", "\n") if args.signer_title else None
    return DocumentSettings(
        number=args.doc_number or config.get("number"),
        date=args.doc_date or config.get("date"),
        signer=args.signer or config.get("signer"),
        signer_title=title or config.get("signer_title"),
        recipients=tuple(args.recipient or config.get("recipients", ())),
        decision_number=args.decision_number or config.get("decision_number"),
        decision_date=args.decision_date or config.get("decision_date"),
    )


def _date_arg(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _add_document_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "the Word report (bao-cao-YYYY-MM.docx)",
        "Filled in by the department; anything not given is left as a dotted placeholder.",
    )
    group.add_argument("--doc-number", metavar="N", help="the report's number (Số: N/BC-STTTT)")
    group.add_argument("--doc-date", metavar="YYYY-MM-DD", type=_date_arg, help="its date")
    group.add_argument("--signer", metavar="NAME", help="who signs")
    group.add_argument(
        "--signer-title",
        metavar="TITLE",
        help="the signer's title; a line break as \\n, e.g. 'KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC'",
    )
    group.add_argument(
        "--recipient", action="append", metavar="TEXT", help="a recipient (repeat the option)"
    )
    group.add_argument("--decision-number", metavar="N", help="the targets decision's number")
    group.add_argument("--decision-date", metavar="DD/MM/YYYY", help="the decision's date")


def _memory_arg(text: str) -> str:
    import re

    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", text, re.I):
        raise argparse.ArgumentTypeError(f"{text!r}: give a size such as 512MB or 2GB")
    return text.strip()


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
    check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        type=Path,
        help="monthly counts, dossier exports, a procedure catalogue or Biểu 06 forms "
        "(told apart by header)",
    )
    check.add_argument("--targets", metavar="FILE", type=Path, help="targets file to check too")
    check.add_argument(
        "--catalogue", metavar="FILE", type=Path, help="procedure catalogue for dossier exports"
    )
    check.add_argument("--sheet", help="workbook sheet to read (default: the first)")
    _add_form_inputs(check)
    check.set_defaults(func=cmd_check)

    table = sub.add_parser("table", help="write the KPI table of a month as CSV")
    table.add_argument("--month", required=True, type=_month_arg, help="YYYY-MM, or 'latest'")
    _add_inputs(table)
    table.add_argument("--out", metavar="FILE.csv", type=Path, help="output file (default: stdout)")
    _add_store_options(table)
    table.set_defaults(func=cmd_table)

    ingest = sub.add_parser(
        "ingest", help="aggregate dossier exports to monthly counts (with every problem found)"
    )
    ingest.add_argument(
        "files", nargs="*", metavar="FILE", type=Path, help="dossier exports (CSV/XLSX/Parquet)"
    )
    ingest.add_argument(
        "--catalogue", metavar="FILE", type=Path, help="procedure catalogue (for dossier exports)"
    )
    ingest.add_argument("--sheet", help="workbook sheet to read (default: the first)")
    _add_form_inputs(ingest)
    ingest.add_argument(
        "--out", metavar="FILE.csv", type=Path, help="output file (default: stdout)"
    )
    ingest.add_argument(
        "--memory-limit",
        type=_memory_arg,
        metavar="SIZE",
        help="DuckDB's memory limit, e.g. 256MB or 2GB (default: 256MB); beyond it, "
        "it spills to a temporary folder under TMPDIR",
    )
    ingest.set_defaults(func=cmd_ingest)

    sample = sub.add_parser("sample", help="regenerate the bundled synthetic sample counts")
    sample.add_argument("--out", type=Path, help="where to write (default: data/sample/...)")
    sample.set_defaults(func=cmd_sample)

    build = sub.add_parser("build", help="build the month's HTML report, CSV and workbook")
    build.add_argument("--month", required=True, type=_month_arg, help="YYYY-MM, or 'latest'")
    _add_inputs(build)
    build.add_argument(
        "--commune-counts",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="monthly counts per commune (CSV/XLSX) for the district pages and communes.html; "
        "default: the synthetic commune sample with the sample, none otherwise",
    )
    build.add_argument(
        "--commune-targets",
        metavar="FILE",
        type=Path,
        help="targets districts assigned to their communes; a commune without one takes its "
        "district's target",
    )
    build.add_argument("--out", type=Path, help="reports folder (default: reports/)")
    build.add_argument("--lang", choices=("vi", "en"), help="report language (default: vi)")
    build.add_argument(
        "--jobs", type=_jobs_arg, help="worker processes, each with one kernel (default: 2)"
    )
    _add_store_options(build)
    _add_document_options(build)
    build.set_defaults(func=cmd_build)
    _add_store_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(format_report(exc.problems), file=sys.stderr)
        return EXIT_PROBLEMS
    except CannotWrite as exc:  # a file in the way, a folder not writable, the disk full
        print(f"kpi-report {args.command}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader left (`kpi-report check ... | head`): stop quietly, and point stdout at
        # /dev/null so the flush at exit does not complain again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        if os.environ.get("KPI_DEBUG"):
            raise
        print(f"kpi-report {args.command}: {_failure(exc)}", file=sys.stderr)
        return EXIT_PROBLEMS


def _failure(exc: Exception) -> str:
    """One plain line for an exception no reader turned into a problem: the file and the system's
    reason for an OSError, the exception's own words otherwise; never its class name."""
    reason = plain_reason(exc)
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ""
        return f"{where}: {reason}" if where else reason or "the system refused"
    return (
        f"failed: {reason} (KPI_DEBUG=1 shows where)"
        if reason
        else "failed (KPI_DEBUG=1 shows where)"
    )
