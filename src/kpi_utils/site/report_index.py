"""The month's front page: the answer first (`report.front_page`: the headline, tiles, every
unit's status, the units that need attention), then links to every page, the downloads, the
inputs and when the report was built (in Vietnam's time, said as such).

Everything shown is escaped (Jinja autoescape): file and unit names come from the user; only the
sparklines, built from escaped text in `report.front_page`, go in as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from kpi_utils.report import fmt, labels
from kpi_utils.report.front_page import FrontPage
from kpi_utils.site.html_export import page_css, templates_dir
from kpi_utils.sources.files import SourceFile


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass(frozen=True)
class UnitLinks:
    label: str
    pages: list[Link]


def render_index(
    *,
    month: str,
    lang: str,
    built: datetime.datetime,
    main_pages: Sequence[Link],
    unit_groups: Sequence[UnitLinks],
    downloads: Sequence[Link],
    files: Sequence[SourceFile],
    is_sample: bool,
    as_of: str | None = None,
    from_store: bool = False,
    front: FrontPage | None = None,
    month_links: Sequence = (),
) -> str:
    """The index page. `as_of`, `from_store`: the report was built from a store of submissions,
    as of that date (or with everything received): the page says which."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    words = labels.site_labels(lang)
    return env.get_template("report_index.html.j2").render(
        lang=lang,
        title=words["index_title"].format(month=fmt.month(month, lang)),
        css=page_css(),
        t=words,
        footer=words["footer"],
        is_sample=is_sample,
        sample_notice=labels.text("sample_notice", lang),
        built_iso=built.isoformat(timespec="seconds"),
        built_text=fmt.local_time(built, lang),
        front=front,
        w=lambda key, **fields: labels.front(key, lang, **fields),
        month_links=month_links,
        month_nav_label=labels.front("months_nav", lang),
        main_pages=main_pages,
        unit_groups=unit_groups,
        downloads=downloads,
        files=files,
        as_of=as_of,
        from_store=from_store,
    )
