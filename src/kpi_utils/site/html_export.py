"""Executed notebook -> one self-contained HTML page for reviewers.

nbconvert's `lab` and `classic` templates load require.js and MathJax from a CDN and show code and
prompts; reviewers read the report on networks that block CDNs or with none at all. This module
uses nbconvert's `basic` cell rendering inside our own page template (templates/kpi_page): no code
cells, no prompts, no scripts, inline CSS, charts as inline SVG. Text is escaped by nbconvert
(streams, Markdown) or by the notebooks (HTML tables); SVG from vl-convert is inlined as it is.

nbconvert's HTMLExporter parses every page it renders with BeautifulSoup and runs three CSS
selections over it: alt text for `<img>` without one, and `tabindex` on JupyterLab's cell
wrappers (`.jp-Notebook ...`). Our template emits neither (charts are inline SVG, cells are
`basic` ones), and the selections cost most of the export (about 0.7 s of 1.2 s for the
overview). `_PageHTMLExporter` skips them when the page has no `<img` and no `jp-Notebook`,
and keeps the parse and re-serialisation, so every page is byte for byte what nbconvert writes
(tests/test_html_export.py compares the two). That round trip itself is done by
`soup_markup.roundtrip`, which writes BeautifulSoup's result without it for the markup our pages
hold (about a fifth of the time; tests/test_soup_markup.py compares the two on a whole report).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_utils.report.labels import site_labels
from kpi_utils.site import soup_markup

if TYPE_CHECKING:
    import nbformat

TEMPLATE_NAME = "kpi_page"


def _exporter_class():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class _PageHTMLExporter(HTMLExporter):
        """HTMLExporter without its alt-text and tabindex passes where they would change nothing."""

        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            if "<img" in html or "jp-Notebook" in html:  # what the passes act on: let them run
                return super().from_notebook_node(nb, resources, **kw)
            # the same parse and serialisation as nbconvert's, hence the same bytes (done
            # without BeautifulSoup for markup within soup_markup's subset: all of ours)
            return soup_markup.roundtrip(html), resources

    return _PageHTMLExporter


def templates_dir() -> Path:
    return Path(str(resources.files("kpi_utils.site") / "templates"))


def page_css() -> str:
    """The one stylesheet of the report (inlined in every page)."""
    return (templates_dir() / "report.css").read_text(encoding="utf-8")


@dataclass
class PageExporter:
    """Renders executed notebooks to report pages; build one per process and reuse it."""

    def __post_init__(self) -> None:
        self._exporter = _exporter_class()(
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
        month_links: tuple = (),
        month_nav_label: str = "",
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
                "month_links": list(month_links),
                "month_nav_label": month_nav_label,
                "chart_label": labels["chart"],
            }
        }
        body, _ = self._exporter.from_notebook_node(notebook, resources=page_resources)
        return body

    def warm_up(self) -> None:
        """Render an empty page once: loads and compiles the template before the first page."""
        import nbformat

        self.to_html(nbformat.v4.new_notebook(), title="")


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
