"""The report's front page: the month, when it was built, links to every page, the inputs.

Everything shown is escaped (Jinja autoescape): file names come from the user.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from kpi_utils.report import fmt, labels
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
        built_text=fmt.timestamp(built, lang) + (" UTC" if built.utcoffset() is not None else ""),
        main_pages=main_pages,
        unit_groups=unit_groups,
        downloads=downloads,
        files=files,
        as_of=as_of,
        from_store=from_store,
    )
