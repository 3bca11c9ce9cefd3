"""soup_markup.roundtrip writes exactly what BeautifulSoup (html.parser) writes.

The report's pages keep nbconvert's final BeautifulSoup round trip byte for byte; soup_markup
does it without BeautifulSoup for markup within a subset. Checked three ways against
BeautifulSoup itself: markup written to probe each rule (and that the rewrite, not the fallback,
produced it, or that the fallback did where it must), every page of a report rendered from the
real notebooks in both languages, and random markup built from the subset's pieces.
"""

from __future__ import annotations

import json
import warnings

import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from kpi_utils.common import paths
from kpi_utils.site import soup_markup
from kpi_utils.site.html_export import PageExporter


def soup(markup: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "looks like XML": the probes mean it
        return str(BeautifulSoup(markup, features="html.parser"))


# Each within the subset: written by the rewrite itself, and the same as BeautifulSoup's.
WITHIN = [
    # names lower-cased, attributes sorted, self-closed non-void elements opened and closed
    '<svg viewBox="0 0 1 1" xmlns="x"><clipPath id="a"><rect x="1"/></clipPath></svg>',
    # void elements: `<br>` and `<br/>` both written `<br/>`
    '<p>a<br>b<br/>c<meta charset="utf-8"></p>',
    # entities decoded and re-escaped; a bare `&` before a space escaped
    "<p>A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x27;f&#x27; &nbsp;g & h &#7843;</p>",
    # attribute values: decoded, escaped, quoted by what they hold
    '<p title="a&quot;b" lang=\'x"y\' data-x="a&amp;b&lt;c" data-y="it&#39;s &quot;q&quot;">x</p>',
    # multi-valued attributes: whitespace collapsed; per-tag ones too (td headers)
    '<div class="  a   b\tc "><td headers=" h1  h2 ">x</td></div>',
    # an attribute without a value
    "<details open><summary>s</summary>t</details>",
    # whitespace-only text: one line break, or one space; kept inside <pre>
    "<div>\n\n  <p>x</p>  <p>y</p>\t\n</div><pre>\n\n  a  \n</pre>",
    # doctype followed by its line break, comments and style kept as they are
    '<!DOCTYPE html>\n\n\n<html><head><style>a > b { content: "&amp;<"; }</style></head>'
    "<!-- a <b> comment --><body></body></html>",
    # Vietnamese text and numbers as the report writes them
    "<table><tr><th>Tỷ lệ lũy kế</th><td>1.234</td><td>86,6%</td></tr></table>",
    # a `>` alone in text is escaped
    "<p>a > b</p>",
]

# Outside the subset: left to BeautifulSoup (the rewrite refuses), with the same result.
OUTSIDE = [
    "<p>unclosed",  # a tag left open
    "<p>a</div></p>",  # a stray end tag
    "<br></br>",  # a void element's end tag
    "<p a=1>x</p>",  # an unquoted attribute value
    '<p a="1" a="2">x</p>',  # a repeated attribute
    "<p>&copy; &foo; &ampx</p>",  # other references, `&` before a letter
    "<p>a < b</p>",  # a `<` that starts no tag
    "<p>&#128;&#0;</p>",  # windows-1252 range, NUL
    "<![CDATA[x]]><p>y</p>",  # CDATA
    "<?xml version='1.0'?><p>y</p>",  # a processing instruction
    "<!doctype html><p>y</p>",  # another spelling of the doctype
    "<textarea>\n a </textarea>",  # escapable raw text
    "<p>a\r\nb</p>",  # carriage returns
    "<style>a {}</STYLE >",  # a raw-text end tag spelled otherwise
]


@pytest.mark.parametrize("markup", WITHIN)
def test_markup_within_the_subset_is_rewritten_as_beautifulsoup_writes_it(markup):
    assert soup_markup._rewrite(markup) == soup(markup)
    assert soup_markup.roundtrip(markup) == soup(markup)


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")  # the `<?xml` probe
@pytest.mark.parametrize("markup", OUTSIDE)
def test_markup_outside_the_subset_is_left_to_beautifulsoup(markup):
    with pytest.raises(soup_markup._Outside):
        soup_markup._rewrite(markup)
    assert soup_markup.roundtrip(markup) == soup(markup)


def test_hand_worked_rewrite():
    # worked by hand from the rules in soup_markup's docstring
    markup = '<!DOCTYPE html>\n<P Class=" b  a" ID="x">T &amp; &#39;U&#39;<BR></P>\n\n<G/>'
    expected = '<!DOCTYPE html>\n\n<p class="b a" id="x">T &amp; \'U\'<br/></p>\n<g></g>'
    assert soup_markup.roundtrip(markup) == expected == soup(markup)


# --- every page of a report ------------------------------------------------------------------


def _executed(notebook_name: str, parameters: dict) -> dict:
    """The notebook as papermill would leave it: each code cell's last expression as its output,
    computed in this process (the same page functions, without a kernel). Not with an IPython
    shell: one replaces `sys.modules["__main__"]` for the rest of the test session."""
    import ast

    from IPython.core.formatters import DisplayFormatter

    formatter = DisplayFormatter()
    namespace: dict = {}
    source = json.loads((paths.REPO_ROOT / "notebooks" / notebook_name).read_text("utf-8"))
    cells = []
    for cell in source["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            cells.append(new_markdown_cell(text))
            continue
        if "parameters" in cell["metadata"].get("tags", []):
            text += "".join(f"\n{k} = {v!r}" for k, v in parameters.items())
        tree = ast.parse(text)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, notebook_name, "exec"), namespace)
        if last is not None:
            result = eval(compile(ast.Expression(last.value), notebook_name, "eval"), namespace)
            if result is not None:
                cells.append(_code_cell_with(*formatter.format(result)))
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )


def _code_cell_with(data, metadata):
    from nbformat.v4 import new_code_cell

    return new_code_cell(
        "hidden",
        execution_count=1,
        outputs=[new_output("execute_result", data=data, metadata=metadata, execution_count=1)],
    )


PAGES = [
    ("overview.ipynb", {"month": "2022-06", "lang": "vi"}),
    ("unit_profile.ipynb", {"month": "2022-12", "lang": "vi", "unit_code": "DABAC"}),
    ("unit_profile.ipynb", {"month": "2022-06", "lang": "en", "unit_code": "SNV"}),
    ("communes.ipynb", {"month": "2022-12", "lang": "vi"}),
    ("data_quality.ipynb", {"month": "2022-12", "lang": "vi"}),
]


@pytest.mark.parametrize(("notebook_name", "parameters"), PAGES)
def test_real_pages_are_rewritten_as_beautifulsoup_writes_them(
    notebook_name, parameters, monkeypatch
):
    notebook = _executed(notebook_name, parameters)
    seen = []
    original = soup_markup.roundtrip
    monkeypatch.setattr(soup_markup, "roundtrip", lambda m: seen.append(m) or original(m))
    page = PageExporter().to_html(notebook, title="Trang", lang=parameters["lang"])
    (raw,) = seen
    if notebook_name in ("overview.ipynb", "unit_profile.ipynb"):
        assert raw.count("<svg") >= 4  # the charts are in
    assert soup_markup._rewrite(raw) == soup(raw)  # the rewrite, not the fallback
    assert page == soup(raw)


# --- random markup of the subset's pieces ----------------------------------------------------

_names = st.sampled_from(["p", "div", "g", "svg", "td", "pre", "a", "SPAN", "clipPath"])
_voids = st.sampled_from(["br", "meta", "img", "hr"])
_attribute_names = st.sampled_from(["class", "id", "title", "viewBox", "rel", "headers", "x"])
_chars = st.sampled_from(list("ab \n\t&<>\"'é;#x") + ["&amp;", "&lt;", "&quot;", "&#39;", "&nbsp;"])
_text = st.lists(_chars, max_size=8).map("".join)


def _attribute_value(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


_attributes = st.dictionaries(_attribute_names, _text, max_size=3).map(
    lambda d: "".join(f' {k}="{_attribute_value(v)}"' for k, v in d.items())
)


def _element(children):
    return st.one_of(
        st.tuples(_names, _attributes, children).map(
            lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"
        ),
        st.tuples(_names, _attributes).map(lambda t: f"<{t[0]}{t[1]}/>"),
        st.tuples(_voids, _attributes).map(lambda t: f"<{t[0]}{t[1]}>"),
        _text,
    )


_markup = st.recursive(_text, lambda inner: _element(st.lists(inner, max_size=4)), max_leaves=12)


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")  # `<?xml` may be drawn
@settings(max_examples=300, deadline=None)
@given(st.lists(_markup, max_size=4).map("".join))
@example("<p>&amp &ampx & &#39</p>")  # references without their semicolon
@example('<p title="&ampx">&nbsp;</p>')
def test_random_markup_is_written_as_beautifulsoup_writes_it(markup):
    assert soup_markup.roundtrip(markup) == soup(markup)
