"""The official monthly report (bao-cao-YYYY-MM.docx): its sentences on hand-made counts, its
layout reopened with python-docx, its appendix against kpi_table.csv, and (when LibreOffice is
installed) its text once converted to PDF."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest
from conftest import counts_of, targets_of, write_csv
from docx.shared import Pt

from kpi_utils.common.outputs import kpi_csv_text
from kpi_utils.metrics.kpi import kpi_table
from kpi_utils.metrics.pipeline import checked_inputs
from kpi_utils.report.document import DocumentSettings, official_report_docx
from kpi_utils.report.official_report import (
    appendix_rows,
    data_paragraphs,
    report_facts,
    sections,
    status_paragraphs,
    trend_paragraphs,
)

DEPARTMENTS_ONLY = ["SCT", "SGTVT", "STC"]


def _facts(registry, rows, month, codes=None, **kwargs):
    registry = registry if codes is None else registry[registry["unit_code"].isin(codes)]
    registry = registry.reset_index(drop=True)
    counts = counts_of(rows)
    return report_facts(counts, targets_of(registry["unit_code"]), registry, month, **kwargs)


def _every_month(unit, months, total, online):
    return [(unit, f"2022-{m:02d}", total, online) for m in months]


# --- sentences, worked out by hand -------------------------------------------------------------


def test_one_unit_below_is_named_with_its_shortfall(registry):
    # SCT: 100 dossiers, 50 online in June: 50% < 55%, by 5 points -> below;
    # shortfall ceil(0.55 * 100 - 50) = 5. The two others: 80%, met.
    rows = [("SCT", "2022-06", 100, 50), ("SGTVT", "2022-06", 100, 80), ("STC", "2022-06", 10, 8)]
    facts = _facts(registry, rows, "2022-06", DEPARTMENTS_ONLY)
    assert status_paragraphs(facts) == (
        "Có 2/3 cơ quan, đơn vị có tỷ lệ lũy kế đạt chỉ tiêu (chỉ tiêu giao cho mỗi cơ quan, "
        "đơn vị là 55%): Sở Giao thông vận tải (80,0%); Sở Tài chính (80,0%).",
        "1 cơ quan, đơn vị chưa đạt chỉ tiêu: Sở Công Thương (50,0%, còn thiếu 5 hồ sơ trực tuyến).",
    )


def test_none_met_and_a_near_unit(registry):
    # SCT 53/100 (2 points short: near, shortfall 2); SGTVT 10/100 (below, shortfall 45);
    # STC sent nothing (no data).
    rows = [("SCT", "2022-06", 100, 53), ("SGTVT", "2022-06", 100, 10)]
    facts = _facts(registry, rows, "2022-06", DEPARTMENTS_ONLY)
    assert status_paragraphs(facts) == (
        "Chưa có cơ quan, đơn vị nào có tỷ lệ lũy kế đạt chỉ tiêu (chỉ tiêu giao cho mỗi cơ quan, "
        "đơn vị là 55%).",
        "1 cơ quan, đơn vị gần đạt chỉ tiêu (thấp hơn chỉ tiêu dưới 5 điểm phần trăm): "
        "Sở Công Thương (53,0%, còn thiếu 2 hồ sơ trực tuyến).",
        "1 cơ quan, đơn vị chưa đạt chỉ tiêu: Sở Giao thông vận tải (10,0%, còn thiếu 45 hồ sơ "
        "trực tuyến).",
        "1 cơ quan, đơn vị chưa có số liệu: Sở Tài chính.",
    )
    (missing,) = [p for p in data_paragraphs(facts) if p.startswith("Chưa nhận")]
    assert missing == "Chưa nhận được số liệu tháng 6/2022 của 1 cơ quan, đơn vị: Sở Tài chính."


def test_all_met_says_all_and_no_zero_clause(registry):
    rows = [(code, "2022-06", 10, 6) for code in DEPARTMENTS_ONLY]
    facts = _facts(registry, rows, "2022-06", DEPARTMENTS_ONLY)
    (sentence,) = status_paragraphs(facts)
    assert sentence.startswith("Tất cả 3 cơ quan, đơn vị có tỷ lệ lũy kế đạt chỉ tiêu")
    text = " ".join(p for s in sections(facts) for p in s.paragraphs)
    assert not re.search(r"\b0 cơ quan", text)
    assert "Đã nhận đủ số liệu tháng 6/2022 của 3 cơ quan, đơn vị." in text


def test_december_is_a_verdict_not_a_forecast(registry):
    # SCT: 53% for the year (near by the table's code) is "không đạt" in December, with its gap
    # (2,0 points) and the 2 dossiers it lacked; nothing about the months remaining.
    months = range(1, 13)
    rows = _every_month("SCT", months, 100, 53) + _every_month("SGTVT", months, 100, 60)
    facts = _facts(registry, rows, "2022-12", ["SCT", "SGTVT"])
    assert facts.table.set_index("unit_code").at["SCT", "status"] == "near"  # the contract's code
    assert status_paragraphs(facts) == (
        "Có 1/2 cơ quan, đơn vị đạt chỉ tiêu năm 2022: Sở Giao thông vận tải (60,0%).",
        "1 cơ quan, đơn vị không đạt chỉ tiêu năm 2022: Sở Công Thương (53,0%, thấp hơn chỉ tiêu "
        "2,0 điểm phần trăm, thiếu 24 hồ sơ trực tuyến so với chỉ tiêu).",
    )
    text = " ".join(p for s in sections(facts) for p in s.paragraphs)
    for never in ("gần đạt", "Gần đạt", "chưa đạt", "Chưa đạt", "tháng còn lại"):
        assert never not in text


def test_mid_year_says_what_rate_is_needed_and_who_is_out_of_reach(registry):
    # June, 6 months elapsed, 6 remaining. SCT: 600 dossiers, 300 online (100 a month);
    # by December 1,200 at 55% = 660 online needed, 360 more of 600: 60,0% a month.
    # SGTVT: 600 dossiers, 0 online: 660 needed of 600 remaining -> 110%: out of reach.
    rows = _every_month("SCT", range(1, 7), 100, 50) + _every_month("SGTVT", range(1, 7), 100, 0)
    facts = _facts(registry, rows, "2022-06", ["SCT", "SGTVT"])
    paragraphs = trend_paragraphs(facts)
    assert (
        "Để đạt chỉ tiêu năm 2022, với số hồ sơ bình quân mỗi tháng như hiện nay, tỷ lệ trực "
        "tuyến cần đạt trong mỗi tháng còn lại của các cơ quan, đơn vị chưa đạt là: "
        "Sở Công Thương (60,0%)." in paragraphs
    )
    assert (
        "1 cơ quan, đơn vị không còn khả năng đạt chỉ tiêu năm 2022 kể cả khi toàn bộ hồ sơ các "
        "tháng còn lại được giải quyết trực tuyến: Sở Giao thông vận tải." in paragraphs
    )


def test_rises_and_falls_against_the_month_before(registry):
    # May 100/50 each. June: SCT 100/100 -> YTD 75%, +25 points; SGTVT 100/0 -> 25%, -25 points.
    rows = [
        ("SCT", "2022-05", 100, 50),
        ("SGTVT", "2022-05", 100, 50),
        ("SCT", "2022-06", 100, 100),
        ("SGTVT", "2022-06", 100, 0),
    ]
    facts = _facts(registry, rows, "2022-06", ["SCT", "SGTVT"])
    assert trend_paragraphs(facts)[:2] == (
        "So với lũy kế đến hết tháng 5/2022, tỷ lệ lũy kế tăng nhiều nhất ở: Sở Công Thương "
        "(+25,0 điểm phần trăm).",
        "Giảm nhiều nhất ở: Sở Giao thông vận tải (-25,0 điểm phần trăm).",
    )


def test_province_paragraph_names_what_it_sums(registry):
    # May 100/50 + 100/50; June 100/100 + 100/0. YTD 400/200 = 50,0%; May YTD 200/100 = 50,0%.
    rows = [
        ("SCT", "2022-05", 100, 50),
        ("SGTVT", "2022-05", 100, 50),
        ("SCT", "2022-06", 100, 100),
        ("SGTVT", "2022-06", 100, 0),
    ]
    facts = _facts(registry, rows, "2022-06", ["SCT", "SGTVT"])
    first, ytd, _definition = sections(facts)[0].paragraphs
    assert first == (
        "Tháng 6/2022, 2 cơ quan, đơn vị tiếp nhận 200 hồ sơ thủ tục hành chính, trong đó 100 hồ "
        "sơ trực tuyến mức độ 3, 4; tỷ lệ trong tháng là 50,0%."
    )
    assert ytd == (
        "Lũy kế từ đầu năm đến hết tháng 6/2022: 400 hồ sơ, trong đó 200 hồ sơ trực tuyến; tỷ lệ "
        "lũy kế của 2 cơ quan, đơn vị là 50,0% (chỉ tiêu giao cho mỗi cơ quan, đơn vị là 55%), "
        "không thay đổi so với lũy kế đến hết tháng 5/2022 và chưa có số liệu cùng kỳ năm 2021 "
        "để so sánh."
    )


def test_revisions_are_listed_when_the_store_gives_them(registry):
    rows = [("SCT", "2022-06", 100, 60)]
    revisions = pd.DataFrame(
        [{"unit_code": "SCT", "month": "2022-05", "field": "online", "old": 1200, "new": 1234}]
    )
    facts = _facts(registry, rows, "2022-06", ["SCT"], revisions=revisions)
    assert (
        "Có 1 số liệu được điều chỉnh so với báo cáo kỳ trước: Sở Công Thương, tháng 5/2022, số "
        "hồ sơ trực tuyến: 1.200 thành 1.234." in data_paragraphs(facts)
    )
    none = _facts(registry, rows, "2022-06", ["SCT"], revisions=revisions.iloc[0:0])
    assert "Không có số liệu điều chỉnh so với báo cáo kỳ trước." in data_paragraphs(none)


# --- the Word file, reopened -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_june():
    inputs = checked_inputs(month="2022-06")
    facts = report_facts(
        inputs.counts, inputs.targets, inputs.registry, "2022-06", is_sample=inputs.is_sample
    )
    table = kpi_table(inputs.counts, inputs.targets, inputs.registry, "2022-06")
    return facts, table


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_page_margins_and_fonts_follow_decree_30(sample_june):
    document = _open(official_report_docx(sample_june[0]))
    portrait, appendix = document.sections[0], document.sections[-1]

    # Word stores twips: millimetres to a tenth
    def mm(*lengths):
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(portrait.page_width, portrait.page_height) == (210.0, 297.0)
    assert mm(portrait.top_margin, portrait.bottom_margin) == (20.0, 20.0)
    assert mm(portrait.left_margin, portrait.right_margin) == (30.0, 15.0)
    assert mm(appendix.page_width, appendix.page_height) == (297.0, 210.0)
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    runs += [
        r
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.strip()
    ]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    by_text = {r.text: r for r in runs}
    assert by_text["BÁO CÁO"].bold and by_text["BÁO CÁO"].font.size == Pt(14)
    assert by_text["UBND TỈNH HÒA BÌNH"].font.size == Pt(12)
    assert by_text["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"].bold
    motto = by_text["Độc lập - Tự do - Hạnh phúc"]
    assert motto.bold and motto.underline and motto.font.size == Pt(14)
    received = by_text["Nơi nhận:"]
    assert received.bold and received.italic and received.font.size == Pt(12)
    body = [p for p in document.paragraphs if p.text.startswith("Lũy kế từ đầu năm")]
    assert body and body[0].runs[0].font.size == Pt(14)
    assert body[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY


def test_nothing_invented_unset_places_stay_dotted(sample_june):
    text = _all_text(_open(official_report_docx(sample_june[0])))
    assert "Số: ……/BC-STTTT" in text
    assert "Hòa Bình, ngày …… tháng …… năm ……" in text
    assert "SỐ LIỆU MÔ PHỎNG" in text  # the sample is synthetic
    assert "Đề xuất, kiến nghị".upper() in text
    settings = DocumentSettings(
        number="15",
        date=datetime.date(2023, 1, 5),
        signer="Nguyễn Văn A",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        recipients=("UBND tỉnh (b/c)", "Các sở, ban, ngành"),
    )
    text = _all_text(_open(official_report_docx(sample_june[0], settings)))
    assert "Số: 15/BC-STTTT" in text
    assert "Hòa Bình, ngày 05 tháng 01 năm 2023" in text
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in text and "Nguyễn Văn A" in text
    assert "- UBND tỉnh (b/c)" in text and "……………" not in text.split("Nơi nhận:")[1][:80]


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _rate(text: str) -> float:
    return float(text.rstrip("%").replace(".", "").replace(",", "."))


def test_appendix_equals_kpi_table_csv(sample_june):
    facts, table = sample_june
    published = pd.read_csv(io.StringIO(kpi_csv_text(table)))
    document = _open(official_report_docx(facts))
    appendix = document.tables[-1]
    by_name = {}
    for row in appendix.rows[2:]:
        cells = [c.text for c in row.cells]
        by_name[cells[1]] = cells
    for unit in published.itertuples():
        cells = by_name[unit.unit_name]
        assert _number(cells[3]) == unit.month_total
        assert _number(cells[4]) == unit.month_online
        assert _rate(cells[5]) == round(unit.month_rate * 100, 1)
        assert _number(cells[6]) == unit.ytd_total
        assert _number(cells[7]) == unit.ytd_online
        assert _rate(cells[8]) == round(unit.ytd_rate * 100, 1)
        assert cells[10] == (
            "–" if pd.isna(unit.shortfall) else f"{int(unit.shortfall):,}".replace(",", ".")
        )
    departments = published[published["group"] == "department"]
    subtotal = by_name["Cộng sở, ban, ngành"]
    assert _number(subtotal[6]) == departments["ytd_total"].sum()
    assert _number(subtotal[7]) == departments["ytd_online"].sum()
    total = by_name["Tổng cộng 27 cơ quan, đơn vị"]
    assert _number(total[6]) == published["ytd_total"].sum()
    # the decision's order: departments, their subtotal, districts, theirs, the total
    names = [r.values["unit_name"] for r in appendix_rows(facts)]
    assert names[0] == "Sở, ban, ngành" and names[-1] == "Tổng cộng 27 cơ quan, đơn vị"
    assert names[1:18] == list(published["unit_name"][:17])


def test_units_named_below_are_exactly_those_below(sample_june):
    facts, table = sample_june
    text = "\n".join(p.text for p in _open(official_report_docx(facts)).paragraphs)
    below = set(table.loc[table["status"] == "below", "unit_name"])
    match = re.search(r"\d+ cơ quan, đơn vị chưa đạt chỉ tiêu: (.*)\.\n", text)
    named = set() if match is None else {item.split(" (")[0] for item in match[1].split("; ")}
    assert named == below


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_it_as_a_report(sample_june, tmp_path):
    path = tmp_path / "bao-cao-2022-06.docx"
    path.write_bytes(official_report_docx(sample_june[0]))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = tmp_path / "bao-cao-2022-06.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for words in ("BÁO CÁO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHỤ LỤC", "Nơi nhận:"):
        assert words in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages)[1]) >= 3


# --- what the store and the settings file give the document ------------------------------------


def _store_with_a_may_revision(tmp_path) -> Path:
    """January-June 2022 for every unit (100 dossiers, 60 online a month) received 5 July; Sở Tư
    pháp's May resent on 20 July with 90 online."""
    from kpi_utils import cli
    from kpi_utils.common.registry import load_registry

    codes = list(load_registry()["unit_code"])
    header = ["unit", "month", "total", "online"]
    months = [f"2022-{m:02d}" for m in range(1, 7)]
    first = tmp_path / "jan_jun.csv"
    write_csv(first, [header, *([c, m, 100, 60] for m in months for c in codes)])
    resent = tmp_path / "stp_may.csv"
    write_csv(resent, [header, ["STP", "2022-05", 100, 90]])
    store = tmp_path / "inputs"
    for path, day in ((first, "2022-07-05"), (resent, "2022-07-20")):
        assert cli.main(["add", str(path), "--store", str(store), "--received", day]) == 0
    return store


def test_revisions_since_the_previous_report_come_from_the_store(tmp_path, registry, capsys):
    from kpi_utils.site.build import _revisions

    store = _store_with_a_may_revision(tmp_path)
    capsys.readouterr()
    revisions = _revisions(store, None, "2022-06")
    assert revisions.to_dict("records") == [
        {
            "unit_code": "STP",
            "month": "2022-05",
            "field": "online",
            "old": 60,
            "new": 90,
            "received": "2022-07-20",
        }
    ]
    facts = _facts(registry, [("STP", "2022-06", 100, 60)], "2022-06", ["STP"], revisions=revisions)
    assert (
        "Có 1 số liệu được điều chỉnh so với báo cáo kỳ trước: Sở Tư pháp, tháng 5/2022, số hồ sơ "
        "trực tuyến: 60 thành 90." in data_paragraphs(facts)
    )
    # as the June report stood on 10 July, nothing had been revised
    assert _revisions(store, "2022-07-10", "2022-06").empty
    # the July report (drafted from 1 August on) was after this revision: nothing new for it
    assert _revisions(store, None, "2022-08").empty
    assert _revisions(None, None, "2022-06") is None  # no store: the document cannot know


def test_the_settings_file_fills_the_document(tmp_path):
    from kpi_utils import cli
    from kpi_utils.common.config import load_config
    from kpi_utils.common.problems import InputError

    config = tmp_path / "kpi-report.toml"
    config.write_text(
        '[document]\nnumber = "15"\ndate = 2023-01-05\nsigner = "Nguyễn Văn A"\n'
        'signer_title = "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC"\nrecipients = ["UBND tỉnh (b/c)"]\n',
        encoding="utf-8",
    )
    document = load_config(config)["document"]
    assert document["date"] == datetime.date(2023, 1, 5)
    args = cli.build_parser().parse_args(["build", "--month", "2022-06", "--signer", "Trần B"])
    args.config_document = document
    settings = cli._document_settings(args)
    assert settings.number == "15" and settings.signer == "Trần B"  # a flag wins
    assert settings.signer_title == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert settings.recipients == ("UBND tỉnh (b/c)",)
    config.write_text('[document]\nsigner = 3\nseal = "x"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(config)
    assert len(caught.value.problems) == 2


def test_facts_use_the_series_given_instead_of_computing_it(registry):
    # the build hands over the series it computed for the pages; the document must state what
    # that series says (here: a series whose one unit reached 3 of 4, 75%, while the counts
    # say 1 of 4)
    from kpi_utils.metrics.trends import kpi_series

    registry = registry[registry["unit_code"] == "SCT"].reset_index(drop=True)
    targets = targets_of(registry["unit_code"])
    counts = counts_of([("SCT", "2022-01", 4, 1)])
    other = kpi_series(counts_of([("SCT", "2022-01", 4, 3)]), targets, registry, "2022-01")
    own = report_facts(counts, targets, registry, "2022-01")
    given = report_facts(counts, targets, registry, "2022-01", series=other)
    assert own.table["ytd_rate"].tolist() == [0.25]
    assert given.table["ytd_rate"].tolist() == [0.75]
