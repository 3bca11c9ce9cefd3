"""Executed notebook -> one self-contained HTML page for reviewers.

nbconvert's `lab` and `classic` templates load require.js and MathJax from a CDN and show code and
prompts; reviewers read the report on networks that block CDNs or with none at all. This module
uses nbconvert's `basic` cell rendering inside our own page template (templates/kpi_page): no code
cells, no prompts, no scripts, inline CSS, charts as inline SVG. Text is escaped by nbconvert
(streams, Markdown) or by the notebooks (HTML tables); SVG from vl-convert is inlined as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_utils.report.labels import site_labels

if TYPE_CHECKING:
    import nbformat

TEMPLATE_NAME = "kpi_page"


def templates_dir() -> Path:
    return Path(str(resources.files("kpi_utils.site") / "templates"))


def page_css() -> str:
    """The one stylesheet of the report (inlined in every page)."""
    return (templates_dir() / "report.css").read_text(encoding="utf-8")


@dataclass
class PageExporter:
    """Renders executed notebooks to report pages; build one per process and reuse it."""

    def __post_init__(self) -> None:
        from nbconvert import HTMLExporter

        self._exporter = HTMLExporter(
            extra_template_basedirs=[str(templates_dir())],
            template_name=TEMPLATE_NAME,
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        self._css = page_css()

    def to_html(
        self,
        notebook: nbformat.NotebookNode,
        *,
        title: str,
        lang: str = "vi",
        index_href: str = "index.html",
    ) -> str:
        labels = site_labels(lang)
        page_resources = {
            "kpi": {
                "title": title,
                "lang": lang,
                "css": self._css,
                "index_href": index_href,
                "back_label": labels["back"],
                "footer": labels["footer"],
                "chart_label": labels["chart"],
            }
        }
        body, _ = self._exporter.from_notebook_node(notebook, resources=page_resources)
        return body


def notebook_to_html(
    notebook: nbformat.NotebookNode | str | Path,
    *,
    title: str,
    lang: str = "vi",
    index_href: str = "index.html",
) -> str:
    """One page from an executed notebook (a node or a path); see `PageExporter` to reuse."""
    if isinstance(notebook, str | Path):
        import nbformat

        notebook = nbformat.read(str(notebook), as_version=4)
    return PageExporter().to_html(notebook, title=title, lang=lang, index_href=index_href)
