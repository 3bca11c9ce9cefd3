"""Build a month's report: check inputs, run every page, write tables, publish atomically.

What is rendered is declared in `report_pages` (which notebook, which parameters, which output
path), apart from how it runs (`runner`). The report folder `OUT/YYYY-MM/` holds index.html,
overview.html, data-quality.html, communes.html, units/<CODE>.html (one per unit), kpi_table.csv
(the same bytes as `kpi-report table`), kpi_table.xlsx, and the executed notebooks under
notebooks/; index.html is the month's front page (`report.front_page`), and every page links the
same page of the months before and after built in OUT (`archive.month_links`). After publishing,
`OUT/index.html`, the page of every month in OUT, is rewritten (`archive`). It is built in a
hidden sibling folder and replaces the previous report only when
every page succeeded; otherwise the previous report is left as it was and the failed build is
kept in `OUT/.YYYY-MM.failed/` for inspection.
"""

from __future__ import annotations

import datetime
import shutil
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_utils.common.outputs import CannotWrite, kpi_csv_text, write_atomic, writing
from kpi_utils.common.problems import raise_if_errors
from kpi_utils.metrics.kpi import kpi_table
from kpi_utils.metrics.pipeline import (
    CommuneInputs,
    Inputs,
    checked_inputs,
    load_commune_inputs,
)
from kpi_utils.report import fmt, labels
from kpi_utils.report.document import DocumentSettings, official_report_docx
from kpi_utils.report.front_page import front_page
from kpi_utils.report.labels import site_labels
from kpi_utils.report.official_report import report_facts
from kpi_utils.report.pages import prepare
from kpi_utils.report.workbook import kpi_workbook
from kpi_utils.site.archive import month_links, write_archive
from kpi_utils.site.publish import publish, set_aside, staging_dir
from kpi_utils.site.report_index import Link, UnitLinks, render_index
from kpi_utils.site.runner import (
    DEFAULT_CELL_TIMEOUT,
    DEFAULT_KERNEL,
    PageJob,
    PagePool,
    PageResult,
    notebooks_dir,
)
from kpi_utils.sources.files import SourceFile

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_OUT = Path("reports")
# The inputs the build checked, for its pages (`pages.Prepared`); removed before publishing.
PREPARED_NAME = ".prepared-inputs.pickle"


@dataclass(frozen=True)
class Page:
    """One page of the report: which notebook, for which unit, written where, called what.

    `title` is the `labels.text` key of the page's title; `link` the site label of its link on
    the index (unit pages are listed by unit name instead). `communes`: the notebook takes the
    commune parameters (`commune_counts`, `commune_targets`).
    """

    name: str
    notebook: str
    html: str
    executed: str
    title: str
    link: str = ""
    unit_code: str | None = None
    communes: bool = False


def report_pages(unit_codes: Sequence[str]) -> list[Page]:
    """Every page of a month's report, the province pages first."""
    return [
        Page(
            "overview",
            "overview.ipynb",
            "overview.html",
            "notebooks/overview.ipynb",
            title="overview_title",
            link="overview",
        ),
        Page(
            "data-quality",
            "data_quality.ipynb",
            "data-quality.html",
            "notebooks/data_quality.ipynb",
            title="data_quality_title",
            link="data_quality",
            communes=True,
        ),
        Page(
            "communes",
            "communes.ipynb",
            "communes.html",
            "notebooks/communes.ipynb",
            title="communes_title",
            link="communes",
            communes=True,
        ),
        *(
            Page(
                f"units/{code}",
                "unit_profile.ipynb",
                f"units/{code}.html",
                f"notebooks/units/{code}.ipynb",
                title="unit_title",
                unit_code=code,
                communes=True,
            )
            for code in unit_codes
        ),
    ]


def _resolved(paths_: Path | Sequence[Path] | None) -> str | list[str] | None:
    if paths_ is None:
        return None
    if isinstance(paths_, str | Path):
        return str(Path(paths_).resolve())
    return [str(Path(p).resolve()) for p in paths_]


def page_parameters(
    page: Page,
    month: str,
    counts: Sequence[Path] | None,
    targets: Path | Sequence[Path] | None,
    lang: str,
    commune_counts: Sequence[Path] | None = None,
    commune_targets: Path | None = None,
    store: Path | None = None,
    as_of: str | None = None,
    prepared: Path | None = None,
) -> dict:
    """The values of the notebook's `parameters` cell (plain types: papermill writes them).

    `prepared`: the build's checked inputs (`pages.Prepared`), which the page reads in place of
    the input files (named too, for the record)."""
    parameters = {
        "month": month,
        "counts": None if counts is None else _resolved(list(counts)),
        "targets": _resolved(targets),
        "lang": lang,
    }
    if prepared is not None:
        parameters["prepared"] = _resolved(prepared)  # the kernels run in notebooks/
    if page.unit_code is not None:
        parameters["unit_code"] = page.unit_code
    if page.communes:
        parameters["commune_counts"] = (
            None if commune_counts is None else _resolved(list(commune_counts))
        )
        parameters["commune_targets"] = _resolved(commune_targets)
    if page.name == "data-quality" and store is not None:
        # the store's files, revisions and status grid, as of the report's date
        parameters["store"] = _resolved(store)
        parameters["as_of"] = as_of
    return parameters


@dataclass
class BuildOutcome:
    month: str
    report_dir: Path
    results: list[PageResult] = field(default_factory=list)
    failed_dir: Path | None = None

    @property
    def failures(self):
        return [r.failure for r in self.results if r.failure is not None]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def index_html(self) -> Path:
        return self.report_dir / "index.html"


def _revisions(store: Path | None, as_of: str | None, month: str):
    """For the Word report: earlier months' figures revised by files received this month (None
    without a store: then the report cannot know, and says nothing of revisions)."""
    if store is None:
        return None
    import pandas as pd

    from kpi_utils.store.resolve import resolve
    from kpi_utils.store.revisions import REVISION_COLUMNS, revisions_since

    rows = revisions_since(resolve(store, as_of, ("counts",)).revisions, month)
    return pd.DataFrame(rows, columns=REVISION_COLUMNS)


def document_name(month: str) -> str:
    """The Word report's file name in a month's folder."""
    return f"bao-cao-{month}.docx"


def _title(page: Page, month: str, lang: str, unit_names: dict[str, str]) -> str:
    fields = {"month": fmt.month(month, lang)}
    if page.unit_code is not None:
        fields["unit"] = unit_names[page.unit_code]
    return labels.text(page.title, lang, **fields)


def _index_html(
    inputs: Inputs,
    pages: list[Page],
    month: str,
    lang: str,
    extra_files: Sequence = (),
    as_of: str | None = None,
    from_store: bool = False,
    *,
    built: datetime.datetime,
    series: pd.DataFrame,
    nav: Sequence = (),
) -> str:
    words = site_labels(lang)
    registry = inputs.registry
    names = dict(zip(registry["unit_code"], registry["official_name"], strict=True))
    by_code = {page.unit_code: page for page in pages if page.unit_code}
    groups = []
    for group, members in registry.groupby("group", sort=False):
        links = [
            Link(by_code[code].html, names[code])
            for code in members["unit_code"]
            if code in by_code
        ]
        groups.append(UnitLinks(labels.group(str(group), lang), links))
    province = [Link(p.html, words[p.link]) for p in pages if not p.unit_code]
    downloads = [
        Link(document_name(month), words["report_docx"]),
        Link("kpi_table.xlsx", words["kpi_xlsx"]),
        Link("kpi_table.csv", words["kpi_csv"]),
        Link("notebooks/", words["notebooks"]),
    ]
    front = front_page(
        series,
        month,
        lang,
        counts=inputs.counts,
        unit_href=lambda code: by_code[code].html if code in by_code else "",
    )
    return render_index(
        month=month,
        lang=lang,
        built=built,
        front=front,
        month_links=nav,
        main_pages=province,
        unit_groups=groups,
        downloads=downloads,
        files=[*inputs.files, *extra_files],
        is_sample=inputs.is_sample,
        as_of=as_of,
        from_store=from_store,
    )


def _keep_failed(staging: Path, place: Path) -> Path:
    """Where a failed build is kept: set aside at `place`, or left in its staging folder when an
    earlier failed build there cannot be removed. The failure being reported matters more than
    the name of the folder its traces are kept in (set_aside's error would replace it)."""
    try:
        return set_aside(staging, place)
    except OSError:
        return staging


def build_report(
    month: str,
    *,
    counts: Sequence[Path] | None = None,
    targets: Path | Sequence[Path] | None = None,
    commune_counts: Sequence[Path] | None = None,
    commune_targets: Path | None = None,
    sources: Sequence[SourceFile] = (),
    store: Path | None = None,
    as_of: str | None = None,
    out: Path = DEFAULT_OUT,
    lang: str = "vi",
    jobs: int = 2,
    notebooks: Path | None = None,
    kernel_name: str = DEFAULT_KERNEL,
    timeout: float = DEFAULT_CELL_TIMEOUT,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[PageResult], None] | None = None,
    document: DocumentSettings | None = None,
    pool: PagePool | None = None,
) -> BuildOutcome:
    """Build `out/<month>/`; raises `InputError` before any page runs if the inputs have errors.

    `sources`: the original files that `counts` were derived from (dossier exports, forms, the
    store's files), listed on the index beside the counts files the pages read. `store`, `as_of`:
    the store the counts were settled from, and as of which date (the index and the data-quality
    page say so; the data-quality page lists the revisions and what each unit has sent).
    `document`: what the department fills in on the Word report (number, date, signer,
    recipients); unset places stay dotted.
    """
    labels.check_lang(lang)
    notebooks = Path(notebooks) if notebooks is not None else notebooks_dir()
    # Worker processes and their kernels start (and warm up) while the inputs are checked; not
    # when the notebooks are missing (input errors are still reported first, then those). A
    # pool opened by the caller (`open_pool`, before importing this module) is used as it is.
    runnable = all((notebooks / name).exists() for name in _notebook_names())
    if pool is not None:
        opened = nullcontext(pool)
    elif runnable:
        opened = PagePool(jobs, kernel_name=kernel_name, cwd=notebooks)
    else:
        opened = nullcontext()
    with opened as pool:
        # one read: "latest" is resolved from the counts the check reads
        inputs = checked_inputs(counts=counts, targets=targets, month=month)
        month = inputs.month
        table = kpi_table(inputs.counts, inputs.targets, inputs.registry, month)
        communes = _checked_communes(inputs, commune_counts, commune_targets)
        commune_files = communes.files if communes is not None else []
        pages = report_pages(list(inputs.registry["unit_code"]))
        missing = sorted({p.notebook for p in pages if not (notebooks / p.notebook).exists()})
        if missing:
            raise FileNotFoundError(f"notebook(s) not found in {notebooks}: {', '.join(missing)}")

        out = Path(out)
        target = out / month
        built = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        with writing(target):
            staging = staging_dir(target)
        try:
            write_atomic(staging / "kpi_table.csv", kpi_csv_text(table))
            prepared = staging / PREPARED_NAME
            number = (document.decision_number or "") if document is not None else ""
            ready = prepare(month, inputs, communes, number)
            ready.save(prepared)
            names = dict(
                zip(inputs.registry["unit_code"], inputs.registry["official_name"], strict=True)
            )
            jobs_ = [
                PageJob(
                    name=page.name,
                    notebook=notebooks / page.notebook,
                    parameters=page_parameters(
                        page,
                        month,
                        counts,
                        targets,
                        lang,
                        commune_counts,
                        commune_targets,
                        store,
                        as_of,
                        prepared=prepared,
                    ),
                    executed_path=staging / page.executed,
                    html_path=staging / page.html,
                    title=_title(page, month, lang, names),
                    lang=lang,
                    unit_code=page.unit_code,
                    index_href="../index.html" if "/" in page.html else "index.html",
                    month_links=tuple(month_links(out, month, page.html, lang)),
                    month_nav_label=labels.front("months_nav", lang),
                )
                for page in pages
            ]
            if on_start is not None:
                on_start(len(jobs_))
            # The pages start now; the report's other files are written while they run.
            running = pool.start(jobs_, timeout=timeout)
            try:
                facts = report_facts(
                    inputs.counts,
                    inputs.targets,
                    inputs.registry,
                    month,
                    revisions=_revisions(store, as_of, month),
                    is_sample=inputs.is_sample,
                    series=ready.series,
                )
                write_atomic(staging / document_name(month), official_report_docx(facts, document))
                write_atomic(
                    staging / "kpi_table.xlsx",
                    kpi_workbook(table, lang=lang, is_sample=inputs.is_sample),
                )
                write_atomic(
                    staging / "index.html",
                    _index_html(
                        inputs,
                        pages,
                        month,
                        lang,
                        [*commune_files, *sources],
                        as_of=as_of,
                        from_store=store is not None,
                        built=built,
                        series=ready.series,
                        nav=month_links(out, month, "index.html", lang),
                    ),
                )
                results = running.results(on_result)
            except BaseException:
                running.cancel()  # no page writes into the staging folder once it is set aside
                raise
            finally:
                prepared.unlink(missing_ok=True)
        except CannotWrite as exc:
            # A full disk or an unwritable folder: nothing of this build is kept, named as the
            # report.
            shutil.rmtree(staging, ignore_errors=True)
            raise CannotWrite(target, exc.reason) from exc
        except BaseException:
            _keep_failed(staging, out / f".{month}.failed")
            raise
    outcome = BuildOutcome(month=month, report_dir=target, results=results)
    if outcome.ok:
        try:
            with writing(target):
                publish(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone already unless publishing failed
        write_archive(out, lang, built)
    else:
        outcome.failed_dir = _keep_failed(staging, out / f".{month}.failed")
    return outcome


def _notebook_names() -> set[str]:
    """The notebooks every report runs (unit pages share one)."""
    return {page.notebook for page in report_pages(["any unit"])}


def _checked_communes(
    inputs: Inputs, commune_counts: Sequence[Path] | None, commune_targets: Path | None
) -> CommuneInputs | None:
    """Read the commune inputs the pages show (given ones; the sample's with the sample), so
    that their errors stop the build before any page runs; None when there are none to show."""
    if commune_counts is None and not inputs.is_sample:
        if commune_targets is not None:
            from kpi_utils.common.problems import InputError, error

            raise InputError([error(str(commune_targets), "commune targets need commune counts")])
        return None
    communes = load_commune_inputs(commune_counts, commune_targets)
    raise_if_errors(communes.problems)
    return communes


class Progress:
    """A progress bar on a terminal; one plain line per page otherwise (logs, CI, make)."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.bar = None
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total
        if self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="page", file=self.stream, desc="pages")

    def page_done(self, result: PageResult) -> None:
        self.done += 1
        state = "ok" if result.ok else "FAILED"
        if self.bar is not None:
            self.bar.set_postfix_str(f"{result.page} {state}", refresh=False)
            self.bar.update(1)
        else:
            width = len(str(self.total))
            print(
                f"[{self.done:>{width}}/{self.total}] {state:<6} {result.page} "
                f"({result.seconds:.1f} s)",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
