"""Charts render to SVG offline, with Vietnamese text intact and a font list ending in sans-serif."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import altair as alt
import pandas as pd
import pytest
from conftest import counts_of as _counts

from kpi_utils.common.registry import load_registry
from kpi_utils.metrics import trends
from kpi_utils.report import charts

REGISTRY = load_registry()
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    rows = [
        (code, f"2022-{m:02d}", 100 + 10 * i, 20 + 5 * i + 3 * m)
        for i, code in enumerate(REGISTRY["unit_code"])
        for m in (1, 2, 3)
    ]
    targets = pd.DataFrame(
        {
            "unit_code": REGISTRY["unit_code"],
            "year": pd.array([2022] * 27, dtype="Int64"),
            "eligible_procedures": pd.array([10] * 27, dtype="Int64"),
            "target_rate": [0.55] * 27,
        }
    )
    return trends.kpi_series(_counts(rows), targets, REGISTRY, "2022-03")


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _fonts(svg: str) -> set[str]:
    root = ET.fromstring(svg)
    return {t.get("font-family") for t in root.iter(f"{SVG}text")}


def _all_charts(series: pd.DataFrame, lang: str):
    table = trends.month_slice(series, "2022-03")
    unit = series[series["unit_code"] == "SVHTTDL"].reset_index(drop=True)
    ranks = trends.rank_history(series)
    return {
        "ytd_vs_target": charts.ytd_vs_target(table, lang),
        "shortfall_bars": charts.shortfall_bars(table, lang),
        "rate_heatmap": charts.rate_heatmap(series, lang),
        "province_trend": charts.province_trend(trends.province_trend(series), 0.55, lang),
        "unit_rates": charts.unit_rates(unit, lang),
        "unit_volumes": charts.unit_volumes(unit, lang),
        "unit_rank": charts.unit_rank(ranks[ranks["unit_code"] == "SVHTTDL"], lang),
        "unit_vs_median": charts.unit_vs_median(unit, trends.group_medians(series), lang),
    }


@pytest.fixture(scope="module")
def svgs_vi(series) -> dict[str, str]:
    return {name: charts.to_svg(c, "vi") for name, c in _all_charts(series, "vi").items()}


def test_every_chart_is_svg_with_vietnamese_text_and_a_generic_font(svgs_vi):
    for name, svg in svgs_vi.items():
        texts = _texts(svg)
        assert texts, name
        assert any("Tỷ lệ" in t or "hồ sơ" in t or "Xếp hạng" in t for t in texts), name
        fonts = _fonts(svg)
        assert fonts, name
        assert all(f.replace(" ", "").endswith(",sans-serif") for f in fonts), (name, fonts)


def test_no_external_references(svgs_vi):
    for name, svg in svgs_vi.items():
        urls = set(re.findall(r"https?://[^\"' )]+", svg))
        assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, name
        assert "<script" not in svg, name
        assert "<image" not in svg, name


def test_ytd_chart_shows_unit_names_groups_and_vietnamese_percentages(svgs_vi):
    texts = _texts(svgs_vi["ytd_vs_target"])
    assert "UBND huyện Đà Bắc" in texts
    assert "Sở Văn hóa, Thể thao và Du lịch" in texts  # whole, not truncated
    assert "Sở, ban, ngành" in texts and "UBND huyện, thành phố" in texts
    assert "Tỷ lệ lũy kế so với chỉ tiêu 55%" in texts
    assert "Chưa đạt" in texts
    assert any(re.fullmatch(r"\d+,\d%", t) for t in texts)  # decimal comma: 41,3%


def test_english_labels(series):
    svg = charts.to_svg(charts.ytd_vs_target(trends.month_slice(series, "2022-03"), "en"), "en")
    texts = _texts(svg)
    assert "Year-to-date rate against the 55% target" in texts
    assert "Departments" in texts
    assert "Đạt" not in texts and "met" in texts
    assert any(re.fullmatch(r"\d+\.\d%", t) for t in texts)


def test_vietnamese_thousands_separator_on_axes(series):
    table = trends.month_slice(series, "2022-03").assign(shortfall=[0] * 26 + [12345])
    texts = _texts(charts.to_svg(charts.shortfall_bars(table, "vi"), "vi"))
    assert "12.345" in texts


def test_unit_names_from_inputs_are_escaped(series):
    table = trends.month_slice(series, "2022-03")
    table.loc[0, "unit_name"] = "<script>alert('x')</script> & co"
    svg = charts.to_svg(charts.ytd_vs_target(table, "vi"), "vi")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<script>alert('x')</script> & co" in _texts(svg)


def test_figure_carries_svg_as_its_mime_type(series):
    figure = charts.figure(charts.unit_volumes(series[series["unit_code"] == "SCT"], "vi"))
    bundle = figure._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<svg")
    assert "Số hồ sơ theo tháng" in bundle["text/plain"]


def test_theme_applies_even_when_another_theme_is_active(series):
    import altair as alt

    with alt.theme.enable("dark"):
        svg = charts.to_svg(charts.unit_volumes(series[series["unit_code"] == "SCT"]), "vi")
    assert all(f.endswith("sans-serif") for f in _fonts(svg))


def test_show_displays_raw_svg_not_altair_html(series, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    charts.show(charts.unit_volumes(series[series["unit_code"] == "SCT"]), "vi")
    [(bundle, raw)] = shown
    assert raw is True
    assert list(bundle) == ["image/svg+xml"]
    assert bundle["image/svg+xml"].startswith("<svg")


def test_every_report_chart_spec_is_valid_vega_lite(series):
    # to_svg skips Altair's schema validation for speed; the specs are validated here instead
    for lang in ("vi", "en"):
        for name, chart in _all_charts(series, lang).items():
            with alt.theme.enable(charts.THEME):
                assert chart.to_dict(validate=True), name


def test_a_figure_is_one_named_image_with_its_description():
    import altair as alt

    chart = alt.Chart(pd.DataFrame({"x": [1, 2]}), title="Tỷ lệ <x>").mark_bar().encode(x="x:Q")
    figure = charts.figure(chart, "vi", "Hai cột", "<table></table>", "Số liệu")
    assert figure.svg.startswith('<svg role="img" aria-label="Tỷ lệ &lt;x&gt;"')
    assert figure.svg.count("role=") == 1 and "aria-roledescription" not in figure.svg
    data, meta = figure._repr_mimebundle_()
    assert data["text/plain"] == "Tỷ lệ <x>"
    assert meta["image/svg+xml"]["kpi_figure"] == {
        "title": "Tỷ lệ <x>",
        "description": "Hai cột",
        "table": "<table></table>",
        "table_label": "Số liệu",
    }
    # without words, a plain bundle as before
    assert "aria-label" in charts.figure(chart).svg
    assert isinstance(charts.figure(chart)._repr_mimebundle_(), dict)
