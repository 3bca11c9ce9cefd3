"""`build --form`: the form's commune rows reach the district pages and the communes page.

The form is test_forms' province form (hand-worked there): its commune section holds Xã Cao Sơn
of Đà Bắc (12 dossiers, 9 online, 12 resolved on time), Phường Tân Hòa of TP. Hòa Bình (20, 15,
20) and Thị trấn Mai Châu (10, 4, 9), for June 2022.
"""

from __future__ import annotations

import re
from html import unescape

from test_forms import province_form

from kpi_utils import cli, report
from kpi_utils.metrics.pipeline import load_commune_inputs


def _text(html: object) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(html)))).strip()


def test_form_commune_rows_become_the_build_commune_counts(tmp_path):
    form = province_form(tmp_path / "bieu06.xlsx")
    args = cli.build_parser().parse_args(["build", "--month", "2022-06", "--form", str(form)])
    cli._forms_to_counts(args, tmp_path)
    assert args.commune_counts == [tmp_path / "commune_counts_from_forms.csv"]
    loaded = load_commune_inputs(args.commune_counts)
    assert not loaded.problems
    got = loaded.counts.set_index("ward_code")
    assert list(got.index) == [4876, 4792, 5200]
    assert list(got["unit_code"]) == ["DABAC", "TPHB", "MAICHAU"]
    assert list(got["total"]) == [12, 20, 10] and list(got["online"]) == [9, 15, 4]
    assert list(got["resolved_on_time"]) == [12, 20, 9]

    page = report.unit_page(
        "MAICHAU", "2022-06", args.counts, lang="en", commune_counts=args.commune_counts
    )
    # Thị trấn Mai Châu: 4 of 10 online (40%) against Mai Châu's own 55%: short by
    # ceil(5.5 - 4) = 2; Mai Châu assigned no commune targets
    text = _text(page.communes_section())
    own = "The district's own, applied for now"
    assert f"Thị trấn Mai Châu 10 4 40.0% 10 4 40.0% 55% {own} below 2" in text
    assert "the district's own target (55%) is applied for now" in text


def test_table_takes_no_commune_counts(tmp_path):
    form = province_form(tmp_path / "bieu06.xlsx")
    args = cli.build_parser().parse_args(["table", "--month", "2022-06", "--form", str(form)])
    cli._forms_to_counts(args, tmp_path)
    assert not hasattr(args, "commune_counts")
    assert not (tmp_path / "commune_counts_from_forms.csv").exists()
