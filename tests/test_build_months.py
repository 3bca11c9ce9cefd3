"""Two months built into one OUT: the archive lists both, newest first, with their figures, and
every page links the same page of the other month (issue 11 items 1-2).

The pages run from the small fixture notebooks (tests/fixtures/notebooks): what is checked here
is what the build writes around them. Counts, every unit's target 55%:
  SCT   June 100/60,  July 100/50:  July YTD 110/200 = 55.0% (met)
  STC   June 100/40,  July 100/52:  July YTD  92/200 = 46.0% (below)
  TPHB  June 200/100, July 200/113: July YTD 213/400 = 53.25% (near; June 50.0%: below)
June: 200/400 = 50.0%, 1 met, 2 below, 24 without data;
July: 415/800 = 51.9% (51.875), 1 met, 1 near, 1 below, 24 without data.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import write_csv
from test_build import FIXTURES, kpi_report

pytestmark = pytest.mark.slow

COUNTS = [
    ("Sở Công Thương", "2022-06", 100, 60),
    ("Sở Công Thương", "2022-07", 100, 50),
    ("Sở Tài chính", "2022-06", 100, 40),
    ("Sở Tài chính", "2022-07", 100, 52),
    ("TP. Hòa Bình", "2022-06", 200, 100),
    ("TP. Hòa Bình", "2022-07", 200, 113),
]
PAGES = ("index.html", "overview.html", "data-quality.html", "communes.html", "units/SCT.html")


def nav_links(page: Path) -> dict[str, str]:
    """rel -> href of the links between months on a page."""
    html = page.read_text(encoding="utf-8")
    nav = re.search(r'<nav[^>]*class="fp-months"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None, f"no links between months on {page}"
    links = {}
    for item in re.finditer(r'<li class="fp-month-(\w+)"><a href="([^"]+)"', nav.group(1)):
        links[item.group(1)] = item.group(2)
    return links


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("months")
    counts = write_csv(root / "counts.csv", [("Đơn vị", "Tháng", "Tổng số", "Trực tuyến"), *COUNTS])
    out = root / "reports"
    env = dict(os.environ, KPI_NOTEBOOKS_DIR=str(FIXTURES / "notebooks"))
    runs = {}
    for step, month in enumerate(("2022-06", "2022-07", "2022-06")):
        result = kpi_report(
            "build", "--month", month, "--counts", str(counts), "--out", str(out), env=env, cwd=root
        )
        assert result.returncode == 0, result.stderr
        if step == 1:  # before June is rebuilt: what June's pages said then
            runs["june_before_rebuild"] = {p: nav_links(out / "2022-06" / p) for p in PAGES}
    return out, runs


def test_archive_lists_both_months_newest_first_with_their_figures(out):
    out, _ = out
    html = (out / "index.html").read_text(encoding="utf-8")
    july, june = html.index('<tr id="2022-07">'), html.index('<tr id="2022-06">')
    assert july < june
    rows = re.findall(r'<tr id="(\d{4}-\d\d)">(.*?)</tr>', html, re.S)
    figures = {month: re.sub(r"<[^>]+>", "|", row) for month, row in rows}
    assert "51,9%" in figures["2022-07"]
    assert "Đạt: 1; Gần đạt: 1; Chưa đạt: 1; Không có số liệu: 24" in figures["2022-07"]
    assert "50,0%" in figures["2022-06"]
    assert "Đạt: 1; Gần đạt: 0; Chưa đạt: 2; Không có số liệu: 24" in figures["2022-06"]
    assert "tháng 6/2022 50,0%; tháng 7/2022 51,9%" in html  # the trend's words
    assert "(giờ Việt Nam)" in html and "UTC" not in html.split("</style>")[1]


def test_july_pages_link_june_and_june_pages_link_july(out):
    out, runs = out
    for page in PAGES:
        up = "../" * (page.count("/") + 1)
        july = nav_links(out / "2022-07" / page)
        assert july == {"prev": f"{up}2022-06/{page}", "index": f"{up}index.html"}, page
        assert (out / "2022-07" / page).parent.joinpath(july["prev"]).resolve().is_file()
        june = nav_links(out / "2022-06" / page)
        assert june == {"next": f"{up}2022-07/{page}", "index": f"{up}index.html"}, page
        assert (out / "2022-06" / page).parent.joinpath(june["next"]).resolve().is_file()


def test_pages_built_earlier_are_not_rewritten(out):
    # June's first build knew of no later month: its pages gained "next" only when rebuilt
    _, runs = out
    for page in PAGES:
        assert "next" not in runs["june_before_rebuild"][page]


def test_july_front_page_answers_first(out):
    out, _ = out
    html = (out / "2022-07" / "index.html").read_text(encoding="utf-8")
    body = html.split("</style>")[1]
    headline = body.index('class="fp-headline"')
    assert headline < body.index('class="fp-tiles"') < body.index("kpi_table.xlsx")
    assert "1 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu lũy kế từ đầu năm" in body
    assert "51,9%" in body
    assert body.index("bao-cao-2022-07.docx") < body.index("kpi_table.xlsx")
    assert body.count('<svg class="fp-spark" role="img"') == 27
    assert '<a href="units/STC.html">Sở Tài chính</a>' in body
