"""The months of a report folder: the archive page `OUT/index.html`, and the links between months.

The archive is rebuilt on every build from what is in OUT: every month folder (`YYYY-MM`) with an
index.html, newest first, with its headline figures read from that month's kpi_table.csv (never
recomputed from inputs; a month whose folder lacks the table, or holds one that cannot be read,
is listed without figures) and the YTD rates of the months built that year as a small trend.

Links between months: every page of the month being built links the same page of the previous
and the next month built in OUT at that time (or that month's index when the page is not there),
and the archive. Pages of months built earlier are never rewritten, so an older month's pages
gain their "next month" link only when that month is rebuilt; the archive link on every page
always leads to every month (README, "Reports across months").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from kpi_utils.common.outputs import write_atomic
from kpi_utils.report import fmt, labels
from kpi_utils.report.front_page import trend_chart
from kpi_utils.site.html_export import page_css, templates_dir

MONTH_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ARCHIVE = "index.html"


@dataclass(frozen=True)
class MonthLink:
    """A link to another month: `rel` is "prev", "next" or "index" (the archive of months)."""

    href: str
    text: str
    rel: str


@dataclass(frozen=True)
class MonthFigures:
    """A month's headline figures from its kpi_table.csv; `ytd_rate` None: no table read."""

    month: str
    units: int = 0
    ytd_rate: float | None = None
    met: int = 0
    near: int = 0
    below: int = 0
    no_data: int = 0

    @property
    def has_figures(self) -> bool:
        return self.units > 0


def built_months(out: Path) -> list[str]:
    """The months with a published report in `out` (a `YYYY-MM` folder holding index.html),
    oldest first. Hidden staging and failed folders start with a dot and are not months."""
    out = Path(out)
    if not out.is_dir():
        return []
    return sorted(
        p.name for p in out.iterdir() if MONTH_FOLDER.match(p.name) and (p / "index.html").is_file()
    )


def month_figures(out: Path, month: str) -> MonthFigures:
    """The province's YTD rate and the status counts of `month`, from its kpi_table.csv."""
    path = Path(out) / month / "kpi_table.csv"
    try:
        table = pd.read_csv(path, usecols=["ytd_total", "ytd_online", "status"])
    except (OSError, ValueError, pd.errors.ParserError):
        return MonthFigures(month)
    if table.empty:
        return MonthFigures(month)
    total, online = int(table["ytd_total"].sum()), int(table["ytd_online"].sum())
    counts = table["status"].value_counts()
    return MonthFigures(
        month=month,
        units=len(table),
        ytd_rate=online / total if total else None,
        **{s: int(counts.get(s, 0)) for s in ("met", "near", "below", "no_data")},
    )


def month_links(out: Path, month: str, page: str, lang: str = "vi") -> list[MonthLink]:
    """The links of page `page` (a path in the month folder, e.g. "units/SCT.html") of `month`
    to the same page of the previous and next months built in `out` (their index.html when the
    page is not there), and to the archive; relative, so OUT can be moved or served anywhere."""
    out = Path(out)
    months = [m for m in built_months(out) if m != month]
    before = [m for m in months if m < month]
    after = [m for m in months if m > month]
    up = "../" * (page.count("/") + 1)
    links = []
    for other, rel in (
        (before[-1] if before else None, "prev"),
        (after[0] if after else None, "next"),
    ):
        if other is None:
            continue
        target = page if (out / other / page).is_file() else "index.html"
        words = fmt.month(other, lang)
        key = "previous_month" if rel == "prev" else "next_month"
        links.append(
            MonthLink(
                href=f"{up}{other}/{target}",
                text=labels.front(key, lang, month=words),
                rel=rel,
            )
        )
    all_months = labels.front("all_months", lang)
    links.append(MonthLink(f"{up}{ARCHIVE}", all_months, "index"))
    return links


@dataclass(frozen=True)
class ArchiveRow:
    month: str
    href: str
    month_text: str
    figures: MonthFigures
    rate: str
    statuses: str


def _statuses(figures: MonthFigures, lang: str) -> str:
    closed = pd.Period(figures.month, freq="M").month == 12
    shown = (
        [("met", figures.met), ("near", figures.near + figures.below), ("no_data", figures.no_data)]
        if closed
        else [
            ("met", figures.met),
            ("near", figures.near),
            ("below", figures.below),
            ("no_data", figures.no_data),
        ]
    )
    return "; ".join(
        labels.front(
            "tile_count", lang, status=labels.capitalized(labels.status(s, lang, closed)), count=n
        )
        for s, n in shown
    )


def _trend_text(points: Sequence[MonthFigures], lang: str) -> str:
    return labels.front(
        "archive_trend_text",
        lang,
        points="; ".join(
            f"{fmt.month(p.month, lang)} {fmt.percent(p.ytd_rate, lang)}" for p in points
        ),
    )


def archive_rows(figures: Sequence[MonthFigures], lang: str) -> list[ArchiveRow]:
    """One row per month, newest first."""
    return [
        ArchiveRow(
            month=f.month,
            href=f"{f.month}/index.html",
            month_text=labels.capitalized(fmt.month(f.month, lang)),
            figures=f,
            rate=fmt.percent(f.ytd_rate, lang) if f.has_figures else "",
            statuses=_statuses(f, lang) if f.has_figures else "",
        )
        for f in sorted(figures, key=lambda f: f.month, reverse=True)
    ]


def province_trend(figures: Sequence[MonthFigures], lang: str) -> str:
    """The units' YTD rate over the months with figures, oldest first, as a small chart
    (empty when fewer than two months have figures). The YTD starts afresh each January."""
    shown = sorted((f for f in figures if f.has_figures), key=lambda f: f.month)
    if len(shown) < 2:
        return ""
    points = []
    for i, f in enumerate(shown):
        period = pd.Period(f.month, freq="M")
        year = str(period.year) if i == 0 or period.month == 1 else ""
        points.append(
            (fmt.month_short(f.month, lang), year, f.ytd_rate, fmt.percent(f.ytd_rate, lang))
        )
    return trend_chart(points, _trend_text(shown, lang))


def render_archive(out: Path, lang: str, built: datetime.datetime) -> str:
    """The archive page of `out` as it is now."""
    labels.check_lang(lang)
    figures = [month_figures(out, m) for m in built_months(out)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("archive.html.j2").render(
        lang=lang,
        title=labels.front("archive_title", lang),
        css=page_css(),
        w=lambda key, **fields: labels.front(key, lang, **fields),
        t=labels.site_labels(lang),
        built_iso=built.isoformat(timespec="seconds"),
        built_text=fmt.local_time(built, lang),
        rows=archive_rows(figures, lang),
        trend=province_trend(figures, lang),
    )


def write_archive(out: Path, lang: str, built: datetime.datetime) -> Path:
    """Write `out/index.html` afresh from the months in `out`; the month pages are untouched."""
    path = Path(out) / ARCHIVE
    write_atomic(path, render_archive(out, lang, built))
    return path
