"""Executed notebook -> reviewer page: no code, no prompts, no scripts, inline SVG, escaped text."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kpi_utils.site.html_export import notebook_to_html

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<text x="5" y="20" font-family="Arial, sans-serif">Tỷ lệ lũy kế</text></svg>'
)


def executed_notebook():
    cells = [
        new_markdown_cell("# Tổng quan\n\nĐoạn văn *mô tả*."),
        new_code_cell('month = "2022-06"', metadata={"tags": ["parameters"]}),
        new_code_cell("SECRET_SOURCE = 1  # must not be shown", execution_count=2),
        new_code_cell(
            "show()",
            execution_count=3,
            outputs=[
                new_output("stream", name="stdout", text="Đơn vị <script>alert(1)</script>\n"),
                new_output("stream", name="stderr", text="FutureWarning: noise\n"),
                new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "<SVG>"}),
                new_output(
                    "display_data", data={"text/html": "<table><tr><td>1.234</td></tr></table>"}
                ),
                new_output(
                    "display_data",
                    data={"application/javascript": "alert('js')", "text/plain": "<JS>"},
                ),
                new_output(
                    "execute_result", data={"text/plain": "'Sở <b>Y tế</b>'"}, execution_count=3
                ),
            ],
        ),
    ]
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )


def test_page_has_no_code_no_prompts_no_scripts():
    html = notebook_to_html(executed_notebook(), title="Trang <thử>", lang="vi")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html
    assert "<title>Trang &lt;thử&gt;</title>" in html
    assert "SECRET_SOURCE" not in html and 'month = "2022-06"' not in html
    assert "In&nbsp;[" not in html and "Out[" not in html
    assert "<script" not in html.lower()
    assert "alert('js')" not in html
    assert "require.js" not in html and "mathjax" not in html.lower()
    assert "FutureWarning" not in html  # stderr stays in the executed notebook
    assert "@media print" in html


def test_text_outputs_are_escaped_and_svg_is_inline():
    html = notebook_to_html(executed_notebook(), title="x")
    assert "Đơn vị &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Sở &lt;b&gt;Y tế&lt;/b&gt;" in html
    assert "<text" in html and "Tỷ lệ lũy kế</text>" in html
    assert "data:image/svg+xml" not in html and "<img" not in html
    assert "<td>1.234</td>" in html  # HTML tables from the notebook are kept as they are
    assert "<em>mô tả</em>" in html


def test_back_link_and_english_frame():
    html = notebook_to_html(executed_notebook(), title="x", lang="en", index_href="../index.html")
    assert '<a href="../index.html">← Report index</a>' in html
    assert '<html lang="en">' in html


def _nbconvert_html(notebook, exporter) -> str:
    """What nbconvert's own HTMLExporter writes with the same template and resources."""
    from nbconvert import HTMLExporter

    from kpi_utils.site.html_export import TEMPLATE_NAME, templates_dir

    plain = HTMLExporter(
        extra_template_basedirs=[str(templates_dir())],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {
        "kpi": {
            "title": "x",
            "lang": "vi",
            "css": exporter._css,
            "index_href": "index.html",
            "back_label": "b",
            "footer": "f",
        }
    }
    return plain.from_notebook_node(notebook, resources=resources)[0], resources


def test_pages_are_byte_for_byte_what_nbconvert_writes_without_its_no_op_passes():
    from kpi_utils.site.html_export import PageExporter

    exporter = PageExporter()
    with_img = executed_notebook()
    with_img.cells.append(
        new_markdown_cell('<img src="data:image/png;base64,AAAA"> and <b>text</b>')
    )
    for notebook in (executed_notebook(), with_img):
        expected, resources = _nbconvert_html(notebook, exporter)
        ours, _ = exporter._exporter.from_notebook_node(notebook, resources=resources)
        assert ours == expected
    # an <img> without alt text still gets nbconvert's (the pass runs when it has work to do)
    assert 'alt="No description has been provided for this image"' in expected


def test_a_chart_keeps_its_words_and_figures_in_its_figure():
    """A report chart (charts.Figure) carries a caption and a table in its output's metadata:
    the page shows them in the chart's figure, in a box keyboard users can scroll."""
    meta = {
        "kpi_figure": {
            "title": "Tỷ lệ <theo> tháng",
            "description": "Tỷ lệ của 27 cơ quan, đơn vị <b>",
            "table": "<table><tr><th scope='col'>T6</th></tr></table>",
            "table_label": "Số liệu của biểu đồ",
        }
    }
    cell = new_code_cell(
        "page.heatmap()",
        execution_count=1,
        outputs=[
            new_output(
                "display_data", data={"image/svg+xml": SVG}, metadata={"image/svg+xml": meta}
            ),
            new_output("display_data", data={"image/svg+xml": SVG}),  # a bare chart
        ],
    )
    book = new_notebook(
        cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    html = notebook_to_html(book, title="x", lang="vi")
    assert html.count('<figure class="kpi-chart">') == 2
    assert (
        '<div aria-label="Tỷ lệ &lt;theo&gt; tháng" class="kpi-chart-box" role="region" tabindex="0">'
        in html
    )
    assert "<figcaption>Tỷ lệ của 27 cơ quan, đơn vị &lt;b&gt;</figcaption>" in html
    assert "<details><summary>Số liệu của biểu đồ</summary>" in html
    assert '<th scope="col">T6</th>' in html
    assert 'aria-label="Biểu đồ"' in html  # the bare chart's box is named too
