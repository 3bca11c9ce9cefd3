"""Commune sections of district pages and the communes page, on a fixture worked out by hand.

The fixture's reference data lists five communes only (KPI_DATA_DIR points at a copy of data/
with a shorter communes.csv): Cao Phong has three, Lạc Thủy two. Counts are for January to March
2022; the report month is March.

Cao Phong assigned one commune a target (Thị trấn Cao Phong, 90%); its other two take the
district's own 55%. Lạc Thủy assigned none: the page must say the district's target applies.

| commune               | Jan   | Feb   | Mar   | YTD online/total | target        | status | shortfall |
|-----------------------|-------|-------|-------|------------------|---------------|--------|-----------|
| Thị trấn Cao Phong    | 30/40 | 34/40 | 70/80 | 134/160 = 83.75% | 90% commune   | below  | ⌈144-134⌉ = 10 |
| Xã Bình Thanh         | 20/30 | 20/30 | 45/60 |  85/120 = 70.8%  | 55% district  | met    | 0         |
| Xã Thung Nai          |  5/30 | 10/30 | 30/60 |  45/120 = 37.5%  | 55% district  | below  | ⌈66-45⌉ = 21 |
| Thị trấn Chi Nê       | 12/20 | 12/20 | 24/40 |  48/80  = 60.0%  | 55% district  | met    | 0         |
| Xã Phú Nghĩa          |  5/10 |  6/10 | 10/20 |  21/40  = 52.5%  | 55% district  | near   | ⌈22-21⌉ = 1  |

Gaps: Thị trấn Cao Phong 83.75 - 90 = -6.25 points (5 or more short: below); Phú Nghĩa -2.5 (near).
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from conftest import write_csv

from kpi_utils import report
from kpi_utils.common.problems import InputError

REPO = Path(__file__).resolve().parents[1]
COMMUNES = [
    ("ward_code", "ward_name", "ward_type", "district_code", "district_name", "unit_code"),
    (5089, "Thị trấn Cao Phong", "thị trấn", 154, "Huyện Cao Phong", "CAOPHONG"),
    (5092, "Xã Bình Thanh", "xã", 154, "Huyện Cao Phong", "CAOPHONG"),
    (5095, "Xã Thung Nai", "xã", 154, "Huyện Cao Phong", "CAOPHONG"),
    (5392, "Thị trấn Chi Nê", "thị trấn", 159, "Huyện Lạc Thủy", "LACTHUY"),
    (5395, "Xã Phú Nghĩa", "xã", 159, "Huyện Lạc Thủy", "LACTHUY"),
]
# (commune as a district would write it, district, Jan, Feb, Mar) with (online, total) each
COMMUNE_COUNTS = [
    ("TT. Cao Phong", "Cao Phong", (30, 40), (34, 40), (70, 80)),
    ("Bình Thanh", "Cao Phong", (20, 30), (20, 30), (45, 60)),
    ("xã Thung Nai", "Huyện Cao Phong", (5, 30), (10, 30), (30, 60)),
    ("Thị trấn Chi Nê", "Lạc Thủy", (12, 20), (12, 20), (24, 40)),
    ("Phú Nghĩa", "Lạc Thủy", (5, 10), (6, 10), (10, 20)),
]
UNIT_COUNTS = [
    ("unit_code", "month", "total", "online"),
    ("CAOPHONG", "2022-01", 100, 55),
    ("CAOPHONG", "2022-02", 100, 64),
    ("CAOPHONG", "2022-03", 200, 145),
    ("LACTHUY", "2022-01", 30, 17),
    ("LACTHUY", "2022-02", 30, 18),
    ("LACTHUY", "2022-03", 60, 34),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("communes")
    data = root / "data"
    data.mkdir()
    for name in ("units.csv", "targets_2022.csv"):
        shutil.copy(REPO / "data" / name, data / name)
    write_csv(data / "communes.csv", COMMUNES)
    rows = [("Xã, phường, thị trấn", "Huyện", "Tháng", "Tổng số", "Trực tuyến")]
    for commune, district, *months in COMMUNE_COUNTS:
        for i, (online, total) in enumerate(months, start=1):
            rows.append((commune, district, f"2022-{i:02d}", total, online))
    return {
        "data": data,
        "counts": write_csv(root / "counts.csv", UNIT_COUNTS),
        "commune_counts": write_csv(root / "commune_counts.csv", rows),
        "commune_targets": write_csv(
            root / "commune_targets.csv",
            [("Năm", "Huyện", "Xã", "Chỉ tiêu"), (2022, "Cao Phong", "Thị trấn Cao Phong", "90%")],
        ),
    }


@pytest.fixture
def data_dir(files, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(files["data"]))
    return files["data"]


def _text(html: object) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(html)))).strip()


def _unit(files, code: str, **kw):
    return report.unit_page(
        code,
        month="2022-03",
        counts=[files["counts"]],
        lang="en",
        commune_counts=[files["commune_counts"]],
        commune_targets=files["commune_targets"],
        **kw,
    )


def _rows(text: str) -> list[str]:
    return [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", text)]


def test_commune_table_worked_out_by_hand(files, data_dir):
    page = _unit(files, "CAOPHONG")
    table = page.commune_table.set_index("ward_name")
    assert list(page.commune_table["ward_code"]) == [5089, 5092, 5095, 5392, 5395]
    tt = table.loc["Thị trấn Cao Phong"]
    assert (tt["ytd_total"], tt["ytd_online"], tt["target_rate"]) == (160, 134, 0.9)
    assert (tt["target_source"], tt["status"], tt["shortfall"]) == ("commune", "below", 10)
    assert tt["gap_pp"] == pytest.approx(-6.25)
    thung_nai = table.loc["Xã Thung Nai"]
    assert (thung_nai["target_rate"], thung_nai["target_source"]) == (0.55, "district")
    assert (thung_nai["status"], thung_nai["shortfall"]) == ("below", 21)
    assert table.loc["Xã Bình Thanh", "status"] == "met"
    assert (table.loc["Xã Phú Nghĩa", "status"], table.loc["Xã Phú Nghĩa", "shortfall"]) == (
        "near",
        1,
    )


def test_district_page_commune_section(files, data_dir):
    html = str(_unit(files, "CAOPHONG").communes_section())
    text = _text(html)
    assert "Communes" in text
    assert (
        "1 of 3 communes met their target year to date; below it: 2, of which near it: 0."
        not in text
    )  # a zero clause is left out
    assert "1 of 3 communes met their target year to date; below it: 2." in text
    # some communes take the district's target: said once; the district did assign one
    assert (
        "Communes with no assigned target on record: by this report's convention, the "
        "district's own target (55%) is applied for now." in text
    )
    assert "No targets assigned by the district to its communes are on record" not in text
    rows = _rows(html)
    # best YTD rate first: Thị trấn Cao Phong 83.75%, Bình Thanh 70.8%, Thung Nai 37.5%
    names = [r for r in rows if "Xã" in r or "Thị trấn" in r]
    assert [n.split(" ")[1] for n in names[:3]] == ["Thị", "Xã", "Xã"]
    first, second, third = names[:3]
    assert first.startswith("1 Thị trấn Cao Phong 80 70 87.5% 160 134")
    assert "90% Assigned by the district below 10" in first
    own = "The district's own, applied for now"
    assert "Bình Thanh" in second and f"55% {own} met 0" in second
    assert "Thung Nai" in third and f"37.5% 55% {own} below 21" in third
    # district total row (what it sums): Jan-Mar 400 dossiers, 264 online; March 200, 145
    assert "Total, 3 communes 200 145 72.5% 400 264 66.0%" in text
    # below target, largest shortfall first
    below = text[text.index("Communes below their target") :]
    assert below.index("Xã Thung Nai") < below.index("Thị trấn Cao Phong")
    assert "Xã Thung Nai 120 45 37.5% 55% -17.5 below 21" in below
    assert "Thị trấn Cao Phong 160 134" in below and "-6.2 below 10" in below
    assert "Phú Nghĩa" not in text  # another district's commune


def test_district_without_commune_targets_says_its_target_applies(files, data_dir):
    text = _text(_unit(files, "LACTHUY").communes_section())
    assert (
        "No targets assigned by the district to its communes are on record; by this report's "
        "convention, the district's own target (55%) is applied for now." in text
    )
    assert "Xã Phú Nghĩa 40 21 52.5% 55% -2.5 near 1" in text


def test_vietnamese_fallback_sentence(files, data_dir):
    page = report.unit_page(
        "LACTHUY",
        month="2022-03",
        counts=[files["counts"]],
        commune_counts=[files["commune_counts"]],
    )
    text = _text(page.communes_section())
    assert (
        "Chưa có số liệu chỉ tiêu huyện giao cho các xã, thị trấn; theo quy ước của báo cáo "
        "này, tạm áp dụng chỉ tiêu của huyện (55%)." in text
    )
    assert "Huyện chưa giao" not in text  # the data cannot show a failing
    assert "Tạm áp dụng chỉ tiêu của huyện, thành phố" in text  # every commune's target source


def test_department_pages_have_no_commune_section_and_read_no_commune_file(files, data_dir):
    page = _unit(files, "SCT")
    assert page.communes is None
    assert str(page.communes_section()) == ""


def test_real_counts_without_commune_counts_show_none(files, data_dir):
    page = report.unit_page("CAOPHONG", month="2022-03", counts=[files["counts"]], lang="en")
    assert page.communes is None
    assert "No commune counts were given for this report." in _text(page.communes_section())
    overview = report.communes_page(month="2022-03", counts=[files["counts"]], lang="en")
    assert "No commune counts were given" in _text(overview.headline())
    assert str(overview.communes_table()) == "" and str(overview.below_target()) == ""


def test_communes_page_lists_every_commune_by_district(files, data_dir):
    page = report.communes_page(
        month="2022-03",
        counts=[files["counts"]],
        lang="en",
        commune_counts=[files["commune_counts"]],
        commune_targets=files["commune_targets"],
    )
    assert "Dossiers handled online at levels 3 and 4, communes, March 2022" in _text(page.title())
    assert _text(page.headline()) == (
        "2 of 5 communes met their target year to date; below it: 3, of which near it: 1."
    )
    html = str(page.communes_table())
    text = _text(html)
    for _, name, *_ in COMMUNES[1:]:
        assert name in text
    assert text.index("Huyện Cao Phong") < text.index("Thị trấn Chi Nê")
    # the district heading says when its own target applies
    assert "Huyện Lạc Thủy. No targets assigned by the district to its communes" in text
    assert "Huyện Cao Phong. Communes with no assigned target on record" in text
    # province total: March 200 + 60 = 260 dossiers, 145 + 34 = 179 online (68.8%);
    # YTD 400 + 120 = 520, 264 + 69 = 333 (64.0%)
    assert text.endswith("Total, 5 communes 260 179 68.8% 520 333 64.0%")
    below = _text(page.below_target())
    assert below.index("Thung Nai") < below.index("Thị trấn Cao Phong") < below.index("Phú Nghĩa")
    assert "Xã Phú Nghĩa Huyện Lạc Thủy 40 21 52.5% 55% -2.5 near 1" in below
    assert str(page.notice()) == ""  # no sample anywhere


def test_commune_input_errors_stop_the_page(files, data_dir, tmp_path):
    bad = write_csv(
        tmp_path / "bad.csv",
        [("Xã", "Tháng", "Tổng số", "Trực tuyến"), ("Xã Không Có", "2022-01", 10, 5)],
    )
    with pytest.raises(InputError) as caught:
        report.communes_page(month="2022-03", counts=[files["counts"]], commune_counts=[bad])
    (problem,) = caught.value.problems
    assert "unknown commune" in problem.message and problem.row == 2


def test_the_sample_has_commune_sections_by_default():
    page = report.unit_page("DABAC", month="2022-06", lang="en")
    assert page.communes is not None and page.communes.is_sample
    text = _text(page.communes_section())
    assert "of 17 communes met their target" in text
    # Đà Bắc assigned its communes none in the sample: the district's target applies
    assert "the district's own target (55%) is applied for now" in text
    communes = report.communes_page(month="2022-06", lang="en")
    assert "of 151 communes" in _text(communes.headline())
    assert "the targets districts assign to communes, are synthetic" in _text(communes.notice())
