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


# Vietnamese nouns that English says in its own words ("xã, thị trấn", "huyện"/"thành phố")
VI_ONLY_FIELDS = {"wards", "Wards", "kind"}


@pytest.mark.parametrize("table", [labels.TEXT, labels.SITE], ids=["TEXT", "SITE"])
def test_templates_take_the_same_fields_in_both_languages(table):
    for key, words in table.items():
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(words[lang]) if name}
            - VI_ONLY_FIELDS
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
    assert labels.text("workbook_title", "vi", month="tháng 6/2022") == (
        "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4 của các cơ quan, đơn vị, tháng 6/2022"
    )
    assert labels.text("workbook_note", "vi", first="tháng 1/2022", month="tháng 6/2022") == (
        "Lũy kế từ tháng 1/2022 đến hết tháng 6/2022. Tỷ lệ = số hồ sơ trực tuyến / tổng số hồ sơ."
    )
    assert "trong bảng này" in labels.text("sample_notice_table", "vi")


def test_headline_template():
    vi = labels.text(
        "headline",
        "vi",
        met=labels.met_clause(18, 27, "vi"),
        units=27,
        rate="61,2%",
        change=labels.text("headline_same", "vi", previous="tháng 5/2022"),
    )
    assert vi == (
        "18 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu lũy kế từ đầu năm; "
        "tỷ lệ lũy kế của 27 cơ quan, đơn vị là 61,2%, không đổi so với lũy kế đến hết "
        "tháng 5/2022."
    )


# Item 8 of issue 16: a sentence for every count, never "0 trên 27"; nouns after numbers.
def test_met_clause_for_none_one_some_and_all():
    assert labels.met_clause(0, 27) == (
        "Chưa có cơ quan, đơn vị nào đạt chỉ tiêu lũy kế từ đầu năm"
    )
    assert labels.met_clause(1, 27) == (
        "1 trong tổng số 27 cơ quan, đơn vị đạt chỉ tiêu lũy kế từ đầu năm"
    )
    assert labels.met_clause(27, 27) == "Cả 27 cơ quan, đơn vị đều đạt chỉ tiêu lũy kế từ đầu năm"
    assert labels.met_clause(0, 27, year=2022) == (
        "Năm 2022, không có cơ quan, đơn vị nào đạt chỉ tiêu"
    )
    assert labels.met_clause(27, 27, year=2022) == (
        "Năm 2022, cả 27 cơ quan, đơn vị đều đạt chỉ tiêu"
    )
    assert labels.met_clause(0, 27, "en") == "No unit has met the target year to date"


def test_communes_headline_for_every_count():
    wards = "xã, phường, thị trấn"
    some = {"met": 5, "near": 6, "below": 7, "no_data": 0}
    assert labels.communes_headline(some, wards) == (
        "5 trong tổng số 18 xã, phường, thị trấn đạt chỉ tiêu lũy kế; "
        "13 xã, phường, thị trấn chưa đạt, trong đó 6 gần đạt."
    )
    none_met = {"met": 0, "near": 0, "below": 3, "no_data": 1}
    assert labels.communes_headline(none_met, "xã, thị trấn") == (
        "Chưa có xã, thị trấn nào đạt chỉ tiêu lũy kế; 3 xã, thị trấn chưa đạt; "
        "1 xã, thị trấn không có số liệu."
    )
    all_met = {"met": 4, "near": 0, "below": 0, "no_data": 0}
    assert labels.communes_headline(all_met, "xã, phường") == (
        "Cả 4 xã, phường đều đạt chỉ tiêu lũy kế."
    )
    # December: the year's result, no "gần đạt"
    assert labels.communes_headline(some, wards, year=2022) == (
        "Năm 2022, 5 trong tổng số 18 xã, phường, thị trấn đạt chỉ tiêu; "
        "13 xã, phường, thị trấn không đạt."
    )
    assert labels.communes_headline(all_met, wards, "en") == (
        "All 4 communes met their target year to date."
    )


def test_ward_nouns_follow_the_district():
    assert labels.ward_nouns(["phường", "xã", "phường"]) == "xã, phường"
    assert labels.ward_nouns(["thị trấn", "xã"]) == "xã, thị trấn"
    assert labels.ward_nouns([]) == "xã, phường, thị trấn"


def test_targets_as_the_decision_writes_them():
    assert fmt.target(0.55) == "55%"
    assert fmt.target(0.555) == "55,5%"
    assert fmt.target(0.9, "en") == "90%"


def test_decision_cited_without_and_with_its_number():
    assert labels.decision() == "Quyết định tháng 02/2022 của Chủ tịch UBND tỉnh Hòa Bình"
    assert labels.decision(number="345") == (
        "Quyết định số 345/QĐ-UBND tháng 02/2022 của Chủ tịch UBND tỉnh Hòa Bình"
    )
    assert labels.decision_subject().startswith(
        "về việc giao chỉ tiêu hồ sơ giải quyết trực tuyến mức độ 3, mức độ 4"
    )


def test_sample_notice_names_synthetic_data_without_english_in_vietnamese():
    assert labels.text("sample_notice", "vi").startswith("Dữ liệu mô phỏng:")
    assert labels.text("sample_notice", "en").startswith("Synthetic data:")


def test_no_english_words_in_vietnamese_labels():
    english = ("synthetic", "ILLUSTRATIVE", "GSO", "province")
    for table in (labels.TEXT, labels.SITE, labels.COLUMN, labels.STATUS, labels.TARGET_SOURCE):
        for key, words in table.items():
            for word in english:
                assert word not in words["vi"], (key, word)


def test_sentences_say_percentage_points_in_full():
    for key, words in labels.TEXT.items():
        assert "điểm %" not in words["vi"] or key.startswith("status"), key


def test_missing_month():
    assert fmt.month(None) == fmt.MISSING
    assert fmt.month(float("nan"), "en") == fmt.MISSING


def test_moments_are_shown_in_vietnam_time_said_as_such():
    import datetime

    utc = datetime.datetime(2026, 12, 2, 4, 40, tzinfo=datetime.UTC)
    assert fmt.local_time(utc, "vi") == "02/12/2026 11:40 (giờ Việt Nam)"
    assert fmt.local_time(utc, "en") == "Dec 2, 2026, 11:40 AM (Vietnam time, UTC+7)"
    # 20:30 UTC is the next morning in Hòa Bình
    late = datetime.datetime(2026, 12, 31, 20, 30, tzinfo=datetime.UTC)
    assert fmt.local_time(late, "vi") == "01/01/2027 03:30 (giờ Việt Nam)"
    with pytest.raises(ValueError, match="without a time zone"):
        fmt.local_time(datetime.datetime(2026, 12, 2, 4, 40), "vi")
