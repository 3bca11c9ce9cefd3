"""BeautifulSoup's re-serialisation of a report page, without BeautifulSoup when it can.

nbconvert's HTMLExporter ends by parsing every page with BeautifulSoup (`html.parser`) and
writing it out again; our exporter keeps that step so that pages stay byte for byte what
nbconvert writes (html_export). A page is mostly charts (vl-convert's SVG) and tables, some
15,000 elements, and BeautifulSoup's pure-Python parse and re-serialisation of them was most of
the export's time. The markup our template, nbconvert's `basic` cells, our tables and
vl-convert write is a small, regular subset of HTML, for which that round trip is a simple
rewrite, done here with one regular expression and a stack:

- tag and attribute names lower-cased; attributes sorted by name (bs4's default formatter);
  an attribute without a value written `name=""`;
- void elements (`<br>`, `<meta ...>`) written `<br/>`; any other `<x .../>` written `<x ...></x>`;
- in text: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&nbsp;` and numeric references decoded, then `&`,
  `<`, `>` escaped; attribute values decoded (as html.parser does) and escaped alike, a value
  holding `"` single-quoted (or `&quot;` when it holds both quotes);
- the whitespace of multi-valued attributes (`class`, ...) collapsed to single spaces;
- text of whitespace alone (outside `<pre>`) written as one line break, or one space when it
  holds no line break;
- `<style>` and `<script>` contents, comments kept as they
  are, and `<!DOCTYPE html>` followed by a line break.

`roundtrip(html)` returns that rewrite when the whole page is within the subset, and otherwise
BeautifulSoup's own result: anything else (an unclosed or stray tag, an end tag of a void
element, an unquoted or repeated attribute, another entity, a `<` that starts no tag, CDATA,
processing instructions, any other declaration) sends the page to BeautifulSoup.
tests/test_soup_markup.py checks the rewrite against BeautifulSoup on every page of a report in
both languages and on markup written to probe each rule.
"""

from __future__ import annotations

import html
import re

# bs4.builder.HTMLTreeBuilder: empty_element_tags and cdata_list_attributes
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "menuitem",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "command",
        "frame",
        "image",
        "isindex",
        "nextid",
        "spacer",
    ]
)
_LIST_ATTRIBUTES = {
    "*": {"class", "accesskey", "dropzone"},
    "a": {"rel", "rev"},
    "link": {"rel", "rev"},
    "td": {"headers"},
    "th": {"headers"},
    "form": {"accept-charset"},
    "object": {"archive"},
    "area": {"rel"},
    "icon": {"sizes"},
    "iframe": {"sandbox"},
    "output": {"for"},
}
_RAW_TEXT = frozenset(["style", "script"])
_PRESERVE_WHITESPACE = frozenset(["pre", "textarea"])
_ASCII_SPACES = " \n\t\f\r"
_ESCAPABLE_RAW = frozenset(["title", "textarea", "plaintext", "xmp", "iframe", "noembed"])

_NAME = r"[A-Za-z][A-Za-z0-9:_.-]*"
_ATTRIBUTES = rf"(?:\s+{_NAME}(?:=\"[^\"<]*\"|='[^'<]*')?)*"
_TOKEN = re.compile(
    rf"<(?P<name>{_NAME})(?P<attrs>{_ATTRIBUTES})\s*(?P<close>/)?>"
    rf"|</(?P<end>{_NAME})>"
    r"|(?P<comment><!--(?:(?!--).)*-->)"
    r"|(?P<doctype><!DOCTYPE html>)"
    r"|(?P<text>[^<]+)"
    r"|(?P<other><)",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(rf"({_NAME})(?:=\"([^\"]*)\"|='([^']*)')?")
# the references html.parser and BeautifulSoup decode alike in text (with the semicolon)
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|nbsp)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "nbsp": "\xa0"}


class _Outside(Exception):
    """The markup is outside the subset: BeautifulSoup it is."""


def _character(match: re.Match) -> str:
    if match[1]:
        return _NAMED[match[1]]
    code = int(match[2]) if match[2] else int(match[3], 16)
    if not (32 <= code < 127 or 160 <= code < 0xD800 or 0xE000 <= code <= 0x10FFFF):
        raise _Outside  # control characters, the windows-1252 range, surrogates: rules differ
    return chr(code)


def _text(raw: str, preserve: bool) -> str:
    if "&" in raw:
        decoded = _REFERENCE.sub(_character, raw)
        if "&" in _REFERENCE.sub("", raw).replace("& ", "").replace("&\n", ""):
            raise _Outside  # another reference, or `&` before a letter: rules differ
        raw = decoded
    if not preserve and not raw.strip(_ASCII_SPACES):
        return "\n" if "\n" in raw else " "  # bs4's BeautifulSoup.endData
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(name: str, value: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if '"' in value:
        if "'" in value:
            return f'{name}="{value.replace(chr(34), "&quot;")}"'
        return f"{name}='{value}'"
    return f'{name}="{value}"'


def _start_tag(name: str, raw_attributes: str) -> str:
    attributes: dict[str, str] = {}
    lists = _LIST_ATTRIBUTES["*"] | _LIST_ATTRIBUTES.get(name, set())
    for match in _ATTRIBUTE.finditer(raw_attributes):
        key = match[1].lower()
        if key in attributes:
            raise _Outside
        raw = match[2] if match[2] is not None else (match[3] or "")
        value = html.unescape(raw) if "&" in raw else raw
        attributes[key] = " ".join(value.split()) if key in lists else value
    written = "".join(f" {_attribute(k, attributes[k])}" for k in sorted(attributes))
    return f"<{name}{written}>"


def _rewrite(markup: str) -> str:
    if "\r" in markup or "\x00" in markup:
        raise _Outside  # html.parser's line-ending and NUL handling
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    while position < len(markup):
        match = _TOKEN.match(markup, position)
        assert match is not None  # `<` alone always matches
        position = match.end()
        if match["text"] is not None:
            preserve = any(tag in _PRESERVE_WHITESPACE for tag in open_tags)
            out.append(_text(match["text"], preserve))
        elif match["name"] is not None:
            name = match["name"].lower()
            if name in _ESCAPABLE_RAW and name != "title":
                raise _Outside
            if name in _VOID:
                out.append(_start_tag(name, match["attrs"])[:-1] + "/>")
                continue
            out.append(_start_tag(name, match["attrs"]))
            if match["close"]:
                out.append(f"</{name}>")
            elif name in _RAW_TEXT:
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(markup, position)
                if end is None or markup[end.start() : end.end()] != f"</{name}>":
                    raise _Outside
                out.append(markup[position : end.start()] + f"</{name}>")
                position = end.end()
            else:
                open_tags.append(name)
        elif match["end"] is not None:
            name = match["end"].lower()
            if not open_tags or open_tags[-1] != name:
                raise _Outside  # a void element's end tag, a stray or crossed end tag
            open_tags.pop()
            out.append(f"</{name}>")
        elif match["comment"] is not None:
            out.append(match[0])
        elif match["doctype"] is not None:
            out.append(match[0] + "\n")  # bs4's Doctype ends its line
        else:
            raise _Outside
    if open_tags:
        raise _Outside
    return "".join(out)


def roundtrip(markup: str) -> str:
    """`str(BeautifulSoup(markup, features="html.parser"))`, rewritten here when it can be."""
    try:
        return _rewrite(markup)
    except _Outside:
        pass
    from bs4 import BeautifulSoup

    return str(BeautifulSoup(markup, features="html.parser"))
