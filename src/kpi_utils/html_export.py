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

if TYPE_CHECKING:
    import nbformat

TEMPLATE_NAME = "kpi_page"

# Words of the site's own frame (index, navigation); page content takes its words from `labels`.
SITE_LABELS = {
    "vi": {
        "back": "← Mục lục báo cáo",
        "footer": "Báo cáo tỷ lệ hồ sơ trực tuyến, tỉnh Hòa Bình",
        "index_title": "Báo cáo tỷ lệ hồ sơ trực tuyến, {month}",
        "built": "Thời điểm lập báo cáo",
        "pages": "Các trang của báo cáo",
        "overview": "Tổng quan toàn tỉnh",
        "data_quality": "Chất lượng số liệu",
        "communes": "Các xã, phường, thị trấn",
        "downloads": "Tải về",
        "kpi_csv": "Bảng chỉ số (CSV, UTF-8)",
        "kpi_xlsx": "Bảng chỉ số (Excel)",
        "notebooks": "Các sổ tay đã chạy (để kiểm tra lại)",
        "inputs": "Tệp số liệu đầu vào",
        "file": "Tệp",
        "rows": "Số dòng",
    },
    "en": {
        "back": "← Report index",
        "footer": "Online dossier rate report, Hòa Bình province",
        "index_title": "Online dossier rate report, {month}",
        "built": "Built at",
        "pages": "Pages",
        "overview": "Province overview",
        "data_quality": "Data quality",
        "communes": "Communes",
        "downloads": "Downloads",
        "kpi_csv": "KPI table (CSV, UTF-8)",
        "kpi_xlsx": "KPI table (Excel)",
        "notebooks": "Executed notebooks (for audit)",
        "inputs": "Input files",
        "file": "File",
        "rows": "Rows",
    },
}


def templates_dir() -> Path:
    return Path(str(resources.files("kpi_utils") / "templates"))


def page_css() -> str:
    """The one stylesheet of the report (inlined in every page)."""
    return (templates_dir() / "report.css").read_text(encoding="utf-8")


def site_labels(lang: str) -> dict[str, str]:
    return SITE_LABELS.get(lang, SITE_LABELS["vi"])


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
