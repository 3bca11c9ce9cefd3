"""Wording and formatting: Babel's vi_VN and en, and every label in both languages."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from kpi_utils.report import fmt, labels


@pytest.mark.parametrize(
    ("lang", "number", "percent", "month"),
    [
        ("vi", "1.234", "55,0%", "tháng 6/2022"),
        ("en", "1,234", "55.0%", "June 2022"),
    ],
)
def test_babel_formats(lang, number, percent, month):
    assert fmt.number(1234, lang) == number
    assert fmt.percent(0.55, lang) == percent
    assert fmt.month("2022-06", lang) == month
    assert fmt.month(pd.Period("2022-06", "M"), lang) == month


def test_more_formats():
    assert fmt.number(1234567, "vi") == "1.234.567"
    assert fmt.percent(0.6125, "vi") == "61,2%"  # Babel rounds half to even
    assert fmt.percent(0.61251, "vi") == "61,3%"
    assert fmt.percent(0.5, "en", digits=0) == "50%"
    assert fmt.points(1.44, "vi") == "+1,4"
    assert fmt.points(-0.35001, "en") == "-0.4"
    assert fmt.decimal(12345.67, "vi") == "12.345,7"
    assert fmt.month("2022-12", "vi") == "tháng 12/2022"
    assert fmt.month_short("2022-06", "vi") == "T6"
    assert fmt.month_short("2022-06", "en") == "Jun"


@pytest.mark.parametrize("missing", [None, pd.NA, float("nan")])
def test_missing_values_show_a_dash(missing):
    assert fmt.number(missing) == fmt.MISSING
    assert fmt.percent(missing, "en") == fmt.MISSING
    assert fmt.points(missing) == fmt.MISSING


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="fr"):
        fmt.percent(0.5, "fr")
    with pytest.raises(ValueError, match="fr"):
        fmt.month("2022-06", "fr")
    with pytest.raises(ValueError, match="fr"):
        labels.status("met", "fr")


def test_status_and_group_names():
    vi = [labels.status(s, "vi") for s in ("met", "near", "below", "no_data")]
    en = [labels.status(s, "en") for s in ("met", "near", "below", "no_data")]
    assert vi == ["Đạt", "Gần đạt", "Chưa đạt", "Không có số liệu"]
    assert en == ["met", "near", "below", "no data"]
    assert labels.group("department") == "Sở, ban, ngành"
    assert labels.group("district") == "UBND huyện, thành phố"
    assert labels.column("ytd_rate") == "Tỷ lệ lũy kế"
    assert labels.column("ytd_rate", "en") == "YTD rate"


ALL_TABLES = {
    "STATUS": labels.STATUS,
    "GROUP": labels.GROUP,
    "COLUMN": labels.COLUMN,
    "TARGET_SOURCE": labels.TARGET_SOURCE,
    "TEXT": labels.TEXT,
    "SITE": labels.SITE,
}


@pytest.mark.parametrize("table", ALL_TABLES.values(), ids=ALL_TABLES.keys())
def test_every_label_exists_in_both_languages(table):
    for key, words in table.items():
        assert set(words) == set(labels.LANGS), key
        assert all(w.strip() for w in words.values()), key


@pytest.mark.parametrize("table", [labels.TEXT, labels.SITE], ids=["TEXT", "SITE"])
def test_templates_take_the_same_fields_in_both_languages(table):
    for key, words in table.items():
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(words[lang]) if name}
            for lang in labels.LANGS
        ]
        assert fields[0] == fields[1], key


def test_site_labels_give_every_site_word_in_one_language():
    assert labels.site_labels("vi")["back"] == "← Mục lục báo cáo"
    assert labels.site_labels("en")["back"] == "← Report index"
    for lang in labels.LANGS:
        assert set(labels.site_labels(lang)) == set(labels.SITE)
    assert labels.site_labels("fr") == labels.site_labels("vi")  # the frame is still drawn


def test_workbook_title_and_note():
    assert labels.text("workbook_title", "en", month="June 2022") == (
        "Online dossier rate (levels 3 and 4) by unit, June 2022"
    )
    assert labels.text("workbook_note", "vi", first="tháng 1/2022", month="tháng 6/2022") == (
        "Lũy kế từ tháng 1/2022 đến tháng 6/2022. Tỷ lệ = hồ sơ trực tuyến / tổng số hồ sơ."
    )


def test_headline_template():
    text = labels.text(
        "headline",
        "en",
        met=18,
        units=27,
        rate="61.2%",
        change=labels.text("headline_up", "en", points="1.4"),
    )
    assert text == (
        "18 of 27 units met the target year-to-date; "
        "the province stands at 61.2%, 1.4 points up on last month."
    )
    vi = labels.text(
        "headline", "vi", met=18, units=27, rate="61,2%", change=labels.text("headline_same", "vi")
    )
    assert vi == (
        "18 trên 27 đơn vị đạt chỉ tiêu lũy kế từ đầu năm; "
        "toàn tỉnh đạt 61,2%, không đổi so với tháng trước."
    )


def test_sample_notice_names_synthetic_data_in_both_languages():
    for lang in labels.LANGS:
        assert "Dữ liệu mô phỏng (synthetic)" in labels.text("sample_notice", lang)


def test_missing_month():
    assert fmt.month(None) == fmt.MISSING
    assert fmt.month(float("nan"), "en") == fmt.MISSING
