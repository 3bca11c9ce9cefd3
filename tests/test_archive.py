"""The archive of months (`OUT/index.html`) and the links between months (`site.archive`), on
report folders written here by hand: only what a build leaves in OUT is read."""

from __future__ import annotations

import datetime
from pathlib import Path

from kpi_utils.site.archive import built_months, month_figures, month_links, render_archive

BUILT = datetime.datetime(2022, 8, 1, 2, 30, tzinfo=datetime.UTC)
HEADER = "unit_code,unit_name,group,ytd_total,ytd_online,status\n"


def month_folder(out: Path, month: str, rows: list[tuple] | None, pages=("overview.html",)):
    folder = out / month
    (folder / "units").mkdir(parents=True)
    (folder / "index.html").write_text("<p>index</p>", encoding="utf-8")
    for page in pages:
        (folder / page).write_text("<p>page</p>", encoding="utf-8")
    if rows is not None:
        lines = [HEADER, *(",".join(str(v) for v in row) + "\n" for row in rows)]
        (folder / "kpi_table.csv").write_text("".join(lines), encoding="utf-8")
    return folder


# June: 165 of 300 online (55.0%), one met, one below, one without data.
JUNE = [
    ("SCT", "Sở Công Thương", "department", 100, 60, "met"),
    ("STC", "Sở Tài chính", "department", 200, 105, "below"),
    ("SNV", "Sở Nội vụ", "department", 0, 0, "no_data"),
]
# July: 90 + 135 + 25 = 250 of 400 (62.5%), two met, one near.
JULY = [
    ("SCT", "Sở Công Thương", "department", 150, 90, "met"),
    ("STC", "Sở Tài chính", "department", 200, 135, "met"),
    ("SNV", "Sở Nội vụ", "department", 50, 25, "near"),
]


def test_months_are_folders_with_an_index(tmp_path):
    month_folder(tmp_path, "2022-07", JULY)
    month_folder(tmp_path, "2022-06", JUNE)
    (tmp_path / ".2022-08.failed").mkdir()  # a failed build, kept aside
    (tmp_path / "2022-09").mkdir()  # no index.html: not a report
    (tmp_path / "notes").mkdir()
    assert built_months(tmp_path) == ["2022-06", "2022-07"]
    assert built_months(tmp_path / "absent") == []


def test_figures_come_from_the_months_table(tmp_path):
    month_folder(tmp_path, "2022-06", JUNE)
    month_folder(tmp_path, "2022-05", None)
    june = month_figures(tmp_path, "2022-06")
    assert (june.units, june.met, june.near, june.below, june.no_data) == (3, 1, 0, 1, 1)
    assert june.ytd_rate == 165 / 300
    assert not month_figures(tmp_path, "2022-05").has_figures


def test_archive_lists_months_newest_first_with_their_figures(tmp_path):
    month_folder(tmp_path, "2022-06", JUNE)
    month_folder(tmp_path, "2022-07", JULY)
    month_folder(tmp_path, "2022-05", None)
    html = render_archive(tmp_path, "vi", BUILT)
    assert '<html lang="vi">' in html
    july, june, may = (html.index(f'<tr id="2022-0{m}">') for m in (7, 6, 5))
    assert july < june < may
    assert '<a href="2022-07/index.html">Tháng 7/2022</a>' in html
    assert "<td>62,5%</td>" in html and "<td>55,0%</td>" in html
    assert "Đạt: 2; Gần đạt: 1; Chưa đạt: 0; Không có số liệu: 0" in html
    assert "Đạt: 1; Gần đạt: 0; Chưa đạt: 1; Không có số liệu: 1" in html
    assert "không có bảng chỉ số (kpi_table.csv)" in html  # May, listed without figures
    # the trend of the months with figures, with its words
    assert '<svg class="fp-trend-chart" role="img"' in html
    assert "Tỷ lệ lũy kế theo tháng: tháng 6/2022 55,0%; tháng 7/2022 62,5%." in html
    assert "01/08/2022 09:30 (giờ Việt Nam)" in html


def test_archive_in_english_and_december_says_met_or_not_met(tmp_path):
    december = [("SCT", "x", "department", 100, 60, "met"), *(r for r in JULY[1:])]
    december[1] = ("STC", "y", "department", 200, 100, "below")
    month_folder(tmp_path, "2022-12", december)
    html = render_archive(tmp_path, "en", BUILT)
    assert '<html lang="en">' in html
    assert "Met: 1; Not met: 2; No data: 0" in html
    assert "Aug 1, 2022, 9:30 AM (Vietnam time, UTC+7)" in html


def test_links_to_the_same_page_of_the_months_around(tmp_path):
    month_folder(tmp_path, "2022-05", JUNE, pages=("overview.html", "units/SCT.html"))
    month_folder(tmp_path, "2022-07", JULY, pages=("overview.html",))
    month_folder(tmp_path, "2022-09", JULY, pages=("overview.html", "units/SCT.html"))
    links = month_links(tmp_path, "2022-07", "units/SCT.html", "vi")
    assert [(link.rel, link.href, link.text) for link in links] == [
        ("prev", "../../2022-05/units/SCT.html", "← Tháng trước: tháng 5/2022"),
        ("next", "../../2022-09/units/SCT.html", "Tháng sau: tháng 9/2022 →"),
        ("index", "../../index.html", "Tất cả các tháng"),
    ]
    # a page the other month lacks: its index instead
    (tmp_path / "2022-09" / "overview.html").unlink()
    links = month_links(tmp_path, "2022-07", "overview.html", "en")
    assert [(link.rel, link.href, link.text) for link in links] == [
        ("prev", "../2022-05/overview.html", "← Previous month: May 2022"),
        ("next", "../2022-09/index.html", "Next month: September 2022 →"),
        ("index", "../index.html", "All months"),
    ]
    # alone in OUT: the archive only
    assert [link.rel for link in month_links(tmp_path / "new", "2022-07", "index.html")] == [
        "index"
    ]
