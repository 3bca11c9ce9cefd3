"""The built report read as people read it: in one language, with a screen reader or a keyboard, on
a phone and a wide screen, and on paper.

One report is built per language (module fixture `built`) from the sample's counts without the
rows of one unit (BQLKCN: a unit page with no data), with the sample's commune files. Then, in
headless Chromium (tests/browser.py), offline:
- axe-core (npm, installed by `make axe` into tests/.axe/) finds no violation of WCAG 2.1 A and
  AA on each page of `PAGES`, at 1,280 and at 375 px wide (wide tables scroll only there);
- no page scrolls sideways at 375 or 1,280 px, and at 1,280 px charts use the text column;
- the overview printed to A4: the KPI table on landscape pages, the rest portrait, rows and charts
  kept whole, the words of the page in the PDF (pdftotext).
The language checks read the HTML alone.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MONTH = "2022-06"
NO_DATA_UNIT = "BQLKCN"
LANGS = ("vi", "en")

# The pages checked, by what they are (name -> path in the month's folder). The front page and
# the archive join this list as they are built (the archive: "../index.html").
PAGES = {
    "front page": "index.html",
    "overview": "overview.html",
    "data quality": "data-quality.html",
    "communes": "communes.html",
    "department": "units/SCT.html",
    "district": "units/DABAC.html",
    "unit with no data": f"units/{NO_DATA_UNIT}.html",
}
WIDTHS = (375, 1280)

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(os.environ.get("AXE_JS") or REPO / "tests/.axe/node_modules/axe-core/axe.min.js")


def _build(root: Path, lang: str, counts: Path) -> Path:
    sample = REPO / "data" / "sample"
    out = root / lang
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpi_utils",
            "build",
            "--month",
            MONTH,
            "--counts",
            str(counts),
            "--commune-counts",
            str(sample / "commune_counts.csv"),
            "--commune-targets",
            str(sample / "commune_targets.csv"),
            "--lang",
            lang,
            "--out",
            str(out),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr
    return out / MONTH


@pytest.fixture(scope="module")
def built():
    root = Path(tempfile.mkdtemp(prefix="kpi-pages-test-"))
    source = (REPO / "data" / "sample" / "monthly_counts.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.reader(io.StringIO(source)) if r[0] != NO_DATA_UNIT]
    counts = root / "counts.csv"
    with counts.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    yield {lang: _build(root, lang, counts) for lang in LANGS}
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from browser import Browser

    assert Path(CHROMIUM).exists(), "chromium is not installed (`make test` installs it)"
    with Browser(CHROMIUM, tmp_path_factory.mktemp("profile")) as b:
        yield b


# --- one language per page ---------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The words a reader sees: text outside <style>, <script> and <head>, and attribute text a
    screen reader says (aria-label, alt, title)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    parser = VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def proper_names() -> list[str]:
    """Names that stay Vietnamese in English: units (every spelling), districts, communes, the
    province; longest first, so that a name is removed before a part of it."""
    names = {"Hòa Bình", "Hoà Bình"}
    with (REPO / "data" / "units.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names |= {row["name_in_decision"], row["official_name"]}
            names |= {a for a in row["aliases"].split("|") if a}
    with (REPO / "data" / "communes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names |= {row["ward_name"], row["district_name"]}
            # the district as pages name it, without "Huyện"/"Thành phố"
            names.add(re.sub(r"^(Huyện|Thành phố) ", "", row["district_name"]))
    return sorted(names, key=len, reverse=True)


VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)
ENGLISH_WORDS = re.compile(r"\b(the|and|of|is|are|with|from|which|units?|rate|month|year)\b")


def vietnamese_words(text: str) -> list[str]:
    for name in proper_names():
        text = text.replace(name, " ")
    text = re.sub(r"\b\d+/\d{4}/[\w-]+", " ", text)  # numbers of legal documents: 42/2022/NĐ-CP
    return sorted({w for w in re.findall(r"\w+", text) if VIETNAMESE_LETTERS.search(w)})


@pytest.mark.slow
@pytest.mark.parametrize("page", list(PAGES))
def test_an_english_page_has_no_vietnamese_words_but_names(built, page):
    path = built["en"] / PAGES[page]
    html = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert vietnamese_words(visible_text(path)) == []


@pytest.mark.slow
@pytest.mark.parametrize("page", list(PAGES))
def test_a_vietnamese_page_has_no_english_sentence(built, page):
    path = built["vi"] / PAGES[page]
    html = path.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    text = visible_text(path)
    assert ENGLISH_WORDS.findall(text) == []
    assert vietnamese_words(text)  # control: Vietnamese is seen


def test_the_word_checks_see_the_other_language():
    """Controls for the two tests above."""
    assert vietnamese_words("Sở Công Thương met the target in Hòa Bình (42/2022/NĐ-CP)") == []
    assert vietnamese_words("Tỷ lệ lũy kế of Sở Công Thương") == sorted(["Tỷ", "lệ", "lũy", "kế"])
    assert ENGLISH_WORDS.findall("Tỷ lệ lũy kế of the units") == ["of", "the", "units"]


# --- accessible --------------------------------------------------------------------------------


def _axe_source() -> str:
    assert AXE_JS.exists(), f"axe-core is not installed at {AXE_JS} (`make axe` installs it)"
    return AXE_JS.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_wcag_violation(built, browser, lang):
    source = _axe_source()
    found = {}
    for page, path in PAGES.items():
        for width in WIDTHS:
            browser.open(built[lang] / path, width)
            violations = browser.axe(source)
            if violations:
                found[f"{page} at {width} px"] = violations
    assert found == {}


@pytest.mark.slow
def test_axe_sees_what_a_bad_page_does(browser, tmp_path):
    """Control for the test above: a page with known faults is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main>"
        '<img src="x.png"><p style="color:#bbb">faint</p>'
        '<div style="overflow-x:auto;width:100px"><table><tr><td>'
        + "x" * 80
        + "</td></tr></table></div></main></body></html>",
        encoding="utf-8",
    )
    browser.open(page, 1280)
    ids = {v["id"] for v in browser.axe(_axe_source())}
    assert {"html-has-lang", "image-alt", "color-contrast", "scrollable-region-focusable"} <= ids


CHARTS = """JSON.stringify(Array.from(document.querySelectorAll('figure.kpi-chart')).map(
  function (f) { var svg = f.querySelector('svg'); return {
    width: svg.getBoundingClientRect().width,
    name: svg.getAttribute('aria-label') || '',
    caption: (f.querySelector('figcaption') || {}).textContent || ''}; }))"""
COLUMN = "document.querySelector('main').clientWidth"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_is_named_and_described(built, browser, lang):
    import json

    for page in ("overview", "department", "district"):
        browser.open(built[lang] / PAGES[page], 1280)
        charts = json.loads(browser.evaluate(CHARTS))
        assert charts, page
        for chart in charts:
            assert chart["name"] and len(chart["caption"]) > 40, (page, chart)


# --- fits every screen and paper ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_page_scrolls_sideways(built, browser, lang):
    wider = {}
    for page, path in PAGES.items():
        for width in WIDTHS:
            browser.open(built[lang] / path, width)
            scroll, inner, over = browser.scroll_width()
            assert inner == width
            if scroll > inner:
                wider[f"{page} at {width} px"] = (scroll, over)
    assert wider == {}


@pytest.mark.slow
def test_charts_use_the_text_column_on_a_wide_screen(built, browser):
    import json

    for page in ("overview", "department"):
        browser.open(built["en"] / PAGES[page], 1280)
        column = browser.evaluate(COLUMN)
        assert column > 1000  # the text column of a 1,280 px screen
        widths = [c["width"] for c in json.loads(browser.evaluate(CHARTS))]
        assert widths and all(w >= 0.8 * column for w in widths), (page, column, widths)


def _pdf_pages(pdf: Path) -> list[tuple[str, bool]]:
    """Each page's text (pdftotext, white space as one space) and whether it is landscape."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    pages = []
    for number, (w, h) in enumerate(sizes, start=1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append((re.sub(r"\s+", " ", text).strip(), float(w) > float(h)))
    return pages


BREAKS = """JSON.stringify({
  kept: Array.from(document.querySelectorAll('figure, tr')).every(function (e) {
    return getComputedStyle(e).breakInside === 'avoid'; }),
  wide: Array.from(document.querySelectorAll('.kpi-wide')).map(function (e) {
    return getComputedStyle(e).page; })})"""


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_the_overview_prints_on_a4_with_the_kpi_table_landscape(built, browser, lang, tmp_path):
    import json

    from kpi_utils.report import labels

    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.fail("pdftotext and pdfinfo are not installed (poppler-utils; `make test` does)")
    browser.open(built[lang] / PAGES["overview"], 1280)
    browser.emulate_media("print")
    rules = json.loads(browser.evaluate(BREAKS))
    browser.emulate_media("")
    assert rules == {"kept": True, "wide": ["wide"]}
    pdf = tmp_path / "overview.pdf"
    pdf.write_bytes(browser.pdf())
    pages = _pdf_pages(pdf)
    assert 3 <= len(pages) <= 20, len(pages)
    landscape = [text for text, wide in pages if wide]
    portrait = [text for text, wide in pages if not wide]
    heading = labels.text("section_kpi_table", lang)
    subtotal = labels.group_total("department", lang)  # a row of the KPI table only
    # the KPI table, every unit of it, on landscape pages; the title and the charts portrait
    assert landscape and landscape[0].startswith(heading)
    assert subtotal in " ".join(landscape) and subtotal not in " ".join(portrait)
    for name in ("Sở Công Thương", "Đà Bắc"):
        assert name in " ".join(landscape)
    assert portrait and labels.text("section_sources", lang) in " ".join(portrait)
