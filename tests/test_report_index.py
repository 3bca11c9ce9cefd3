"""The report's index page: every link, the month, the build time, the inputs, escaped."""

from __future__ import annotations

import datetime

from kpi_utils.site.report_index import Link, UnitLinks, render_index
from kpi_utils.sources.files import SourceFile

BUILT = datetime.datetime(2022, 7, 3, 8, 5, tzinfo=datetime.UTC)


def index(lang="vi", is_sample=True):
    return render_index(
        month="2022-06",
        lang=lang,
        built=BUILT,
        main_pages=[Link("overview.html", "Tổng quan toàn tỉnh")],
        unit_groups=[
            UnitLinks("Sở, ban, ngành", [Link("units/SCT.html", "Sở <b>Công</b> Thương")])
        ],
        downloads=[Link("kpi_table.csv", "CSV")],
        files=[SourceFile("counts <script>x</script>.csv", "/tmp/c.csv", 12, "ab" * 32)],
        is_sample=is_sample,
    )


def test_index_names_month_time_links_and_inputs():
    html = index()
    assert (
        "<title>Báo cáo tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4, tháng 6/2022</title>" in html
    )
    assert "Sở Thông tin và Truyền thông tỉnh Hòa Bình" in html  # the issuer, in the footer
    assert (
        '<time datetime="2022-07-03T08:05:00+00:00">03/07/2022 15:05 (giờ Việt Nam)</time>' in html
    )
    for href in ("overview.html", "units/SCT.html", "kpi_table.csv"):
        assert f'<a href="{href}">' in html
    assert "<td>12</td>" in html and "ab" * 32 in html
    assert "mô phỏng" in html  # the synthetic-data notice


def test_index_escapes_names_and_drops_the_notice_for_real_data():
    html = index(is_sample=False)
    assert "counts &lt;script&gt;x&lt;/script&gt;.csv" in html
    assert "Sở &lt;b&gt;Công&lt;/b&gt; Thương" in html
    assert "<script" not in html and "mô phỏng" not in html


def test_index_in_english():
    html = index(lang="en")
    assert '<html lang="en">' in html
    assert "Report on dossiers handled online at levels 3 and 4, June 2022" in html
    assert "Built at" in html
    assert "Jul 3, 2022, 3:05 PM (Vietnam time, UTC+7)" in html
    assert "UTC<" not in html
