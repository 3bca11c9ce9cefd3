"""The targets decision's number: set once (`[document] decision_number` in kpi-report.toml), cited
alike by the Word report and by every page's sources."""

from __future__ import annotations

from kpi_utils.report import labels, pages
from kpi_utils.report.document import DocumentSettings
from kpi_utils.report.pages import Prepared

NUMBERED = "Quyết định số 345/QĐ-UBND tháng 02/2022 của Chủ tịch UBND tỉnh Hòa Bình"
UNNUMBERED = "Quyết định tháng 02/2022 của Chủ tịch UBND tỉnh Hòa Bình"


def test_the_citation_with_and_without_a_number():
    assert labels.decision("vi", "345") == NUMBERED
    for blank in (None, "", "  "):
        assert labels.decision("vi", blank) == UNNUMBERED
    assert labels.decision("en", "345").startswith("Decision No. 345/QĐ-UBND of February 2022")


def test_a_page_cites_the_number_its_build_prepared(tmp_path):
    read_here = pages.overview_page("2022-06")
    assert UNNUMBERED in str(read_here.sources())  # no build: no number
    ready = pages.prepare("2022-06", read_here.inputs, None, "345")
    ready.save(tmp_path / "prepared.pickle")
    for page in (
        pages.overview_page("2022-06", prepared=tmp_path / "prepared.pickle"),
        pages.unit_page("SYT", "2022-06", prepared=tmp_path / "prepared.pickle"),
    ):
        assert NUMBERED in str(page.sources())


def test_the_build_hands_the_word_reports_number_to_the_pages(tmp_path):
    from kpi_utils.site import build
    from kpi_utils.site.runner import PageResult

    seen = []

    class Pool:  # runs no kernel: reads what each page would be given
        def start(self, jobs, *, timeout):
            class Running:
                def results(self, on_result=None):
                    for job in jobs:
                        seen.append(Prepared.read(job.parameters["prepared"]).decision_number)
                        job.html_path.parent.mkdir(parents=True, exist_ok=True)
                        job.html_path.write_text("<p>page</p>", encoding="utf-8")
                    return [PageResult(job.name, 0.0) for job in jobs]

                def cancel(self):
                    pass

            return Running()

    document = DocumentSettings(decision_number="345", decision_date="18/02/2022")
    outcome = build.build_report("2022-06", out=tmp_path / "r", pool=Pool(), document=document)
    assert outcome.ok
    assert seen == ["345"] * 30  # 3 province pages and 27 units
