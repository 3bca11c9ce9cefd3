"""Communes: names in many spellings, ambiguity settled by district, readers, the commune KPI table,
and the synthetic commune sample's consistency with the district sample."""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_csv, write_workbook

from kpi_utils.metrics.commune_kpi import (
    COMMUNE_KPI_COLUMNS,
    commune_kpi_table,
    commune_targets_for_year,
    communes_below_target,
    communes_of_district,
)
from kpi_utils.samples import communes as sample_communes
from kpi_utils.sources.communes import (
    CommuneResolver,
    commune_targets_frame,
    load_communes,
    read_commune_counts,
    read_commune_targets,
)

DATA = Path(__file__).resolve().parents[1] / "data"
COMMUNES = load_communes()


@pytest.fixture(scope="module")
def communes(resolver):
    return CommuneResolver.from_communes(COMMUNES, resolver)


def test_registry_has_the_gso_list():
    assert len(COMMUNES) == 151
    assert COMMUNES["ward_type"].value_counts().to_dict() == {
        "xã": 129,
        "phường": 12,
        "thị trấn": 10,
    }
    assert COMMUNES["unit_code"].nunique() == 10


@pytest.mark.parametrize(
    "spelling",
    [
        "Xã Mường Chiềng",
        "Mường Chiềng",
        "xã mường chiềng",
        "XÃ MƯỜNG CHIỀNG",
        "  Xã   Mường  Chiềng ",
        unicodedata.normalize("NFD", "Xã Mường Chiềng"),
        "4846",
    ],
)
def test_spellings_resolve(communes, spelling):
    assert communes.resolve(spelling) == (4846, None)


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Phường Tân Hòa", 4792),
        ("Tân Hoà", 4792),  # old tone placement
        ("P. Tân Hòa", 4792),
        ("TT. Mai Châu", 5200),
        ("TT Mai Châu", 5200),
        ("Thị trấn Mai Châu", 5200),
        ("Thị Trấn Bo", 4978),
        ("Xã Mông Hoá", 4912),
    ],
)
def test_prefixes_abbreviations_and_tone_placement(communes, spelling, code):
    assert communes.resolve(spelling) == (code, None)


def test_unknown_commune_is_an_error_with_suggestions(communes):
    code, message = communes.resolve("Xã Mường Chiền")
    assert code is None
    assert message.startswith("unknown commune")
    assert "Xã Mường Chiềng (Huyện Đà Bắc)" in message


def test_same_name_in_two_districts_is_settled_by_the_district(communes):
    code, message = communes.resolve("Xã Cao Sơn")
    assert code is None
    assert "ambiguous" in message
    assert "Huyện Đà Bắc" in message and "Huyện Lương Sơn" in message
    assert communes.resolve("Xã Cao Sơn", "Đà Bắc") == (4876, None)
    assert communes.resolve("Cao Sơn", "DABAC") == (4876, None)
    assert communes.resolve("cao sơn", "Huyện Lương Sơn") == (4957, None)
    assert communes.resolve("Đoàn Kết", "Yên Thuỷ") == (5380, None)
    assert communes.resolve("Đoàn Kết", "UBND huyện Đà Bắc") == (4858, None)
    # the type settles Thống Nhất: a ward of the city, a commune of Lạc Thủy
    assert communes.resolve("Phường Thống Nhất") == (4828, None)
    assert communes.resolve("Xã Thống Nhất") == (5425, None)


def test_a_district_that_does_not_hold_the_commune(communes):
    code, message = communes.resolve("Cao Sơn", "Kim Bôi")
    assert code is None and "no commune of that name in KIMBOI" in message
    code, message = communes.resolve("Cao Sơn", "Huyện Không Có")
    assert code is None and "unknown district" in message


def test_commune_counts_file_reads_with_problems_named(tmp_path, communes):
    path = write_csv(
        tmp_path / "xa.csv",
        [
            ["Huyện", "Xã, phường, thị trấn", "Tháng", "Tổng số hồ sơ", "Hồ sơ trực tuyến"],
            ["Đà Bắc", "Cao Sơn", "06/2022", 40, 30],
            ["Lương Sơn", "Xã Cao Sơn", "06/2022", 50, 20],
            ["", "Cao Sơn", "06/2022", 5, 1],  # row 4: ambiguous without the district
            ["Kim Bôi", "Xã Vĩnh Tiến", "2022-06", 10, 11],  # row 5: online above total
            ["Kim Bôi", "Xã Vình Tiến", "2022-06", 10, 1],  # row 6: unknown
            ["Huyện Đà Bắc", "xã cao sơn", "2022-06", 1, 1],  # row 7: duplicate of row 2
        ],
    )
    loaded = read_commune_counts([path], communes)
    got = loaded.frame[["ward_code", "unit_code", "total", "online"]].values.tolist()
    assert got == [[4876, "DABAC", 40, 30], [4957, "LUONGSON", 50, 20], [4876, "DABAC", 1, 1]]
    found = {p.row: p for p in loaded.problems}
    assert set(found) == {4, 5, 6, 7}
    assert "ambiguous" in found[4].message and found[4].column == "B (Xã, phường, thị trấn)"
    assert found[4].value == "Cao Sơn"
    assert "greater than total" in found[5].message and found[5].column.startswith("E")
    assert (
        "unknown commune" in found[6].message and "Xã Vĩnh Tiến (Huyện Kim Bôi)" in found[6].message
    )
    assert "more than once" in found[7].message and "row 2" in found[7].message


def test_commune_targets_from_a_workbook(tmp_path, communes):
    path = write_workbook(
        tmp_path / "giao.xlsx",
        {
            "Giao chỉ tiêu": [
                ["UBND HUYỆN ĐÀ BẮC: GIAO CHỈ TIÊU CHO CẤP XÃ NĂM 2022"],
                [],
                ["STT", "Tên xã, phường, thị trấn", "Huyện", "Năm", "Chỉ tiêu"],
                [1, "Thị trấn Đà Bắc", "Đà Bắc", 2022, "70%"],
                [2, "Xã Cao Sơn", "Đà Bắc", 2022, 0.6],
                [3, "Xã Cao Sơn", "Đà Bắc", 2022, 0.65],  # row 6: a second target
            ]
        },
    )
    loaded = read_commune_targets(path, communes)
    assert loaded.frame[["ward_code", "target_rate"]].values.tolist()[:2] == [
        [4831, 0.7],  # Thị trấn Đà Bắc
        [4876, 0.6],
    ]
    (problem,) = loaded.problems
    assert problem.row == 6 and "a second target" in problem.message


def _targets(rate: float, year: int = 2022) -> pd.DataFrame:
    codes = sorted(set(COMMUNES["unit_code"]))
    return pd.DataFrame(
        {
            "unit_code": codes,
            "year": pd.array([year] * len(codes), dtype="Int64"),
            "eligible_procedures": pd.array([None] * len(codes), dtype="Int64"),
            "target_rate": [rate] * len(codes),
        }
    )


def _commune_counts(rows):
    from kpi_utils.sources.communes import commune_counts_frame

    units = dict(zip(COMMUNES["ward_code"], COMMUNES["unit_code"], strict=True))
    return commune_counts_frame(
        [
            {
                "ward_code": code,
                "unit_code": units[code],
                "month": pd.Period(month, "M"),
                "total": total,
                "online": online,
                "source_file": "fixture",
                "source_row": i + 2,
                "source_unit": str(code),
            }
            for i, (code, month, total, online) in enumerate(rows)
        ]
    )


def test_commune_kpi_table_by_hand():
    # Month 2022-02, YTD Jan..Feb 2022. Đà Bắc assigns 60% to Xã Cao Sơn (4876); its other
    # communes fall back to the district's 55%.
    #   4876 Cao Sơn (DABAC): 30/50 Jan + 30/50 Feb = 60/100 = 60%: met, target 60% (commune)
    #   4858 Đoàn Kết (DABAC): 54/100 in Feb: near 55% (district), shortfall 1
    #   4846 Mường Chiềng (DABAC): 40/100: below, shortfall 15; 2021-12 row excluded
    #   4957 Cao Sơn (LUONGSON): 0/0 -> no_data
    counts = _commune_counts(
        [
            (4876, "2022-01", 50, 30),
            (4876, "2022-02", 50, 30),
            (4858, "2022-02", 100, 54),
            (4846, "2021-12", 100, 100),
            (4846, "2022-02", 100, 40),
            (4957, "2022-02", 0, 0),
        ]
    )
    assigned = pd.DataFrame(
        {
            "ward_code": [4876],
            "unit_code": ["DABAC"],
            "year": pd.array([2022], dtype="Int64"),
            "target_rate": [0.6],
        }
    )
    table = commune_kpi_table(counts, assigned, _targets(0.55), COMMUNES, "2022-02")
    assert list(table.columns) == COMMUNE_KPI_COLUMNS
    assert len(table) == 151
    t = table.set_index("ward_code")
    assert t.loc[
        4876, ["target_rate", "target_source", "ytd_rate", "status", "shortfall"]
    ].tolist() == [
        0.6,
        "commune",
        0.6,
        "met",
        0,
    ]
    assert t.loc[4858, ["target_source", "status", "shortfall"]].tolist() == ["district", "near", 1]
    assert t.loc[4846, ["ytd_total", "ytd_online", "status", "shortfall"]].tolist() == [
        100,
        40,
        "below",
        15,
    ]
    assert t.loc[4957, "status"] == "no_data" and pd.isna(t.loc[4957, "rank_in_district"])
    assert t.loc[4876, "gap_pp"] == 0
    # ranks within Đà Bắc: Cao Sơn 60% 1st, Đoàn Kết 54% 2nd, Mường Chiềng 40% 3rd
    assert t.loc[[4876, 4858, 4846], "rank_in_district"].tolist() == [1, 2, 3]
    below = communes_below_target(table, "DABAC")
    assert below["ward_code"].tolist() == [4846, 4858]
    assert communes_of_district(table, "DABAC")["ward_code"].tolist()[:3] == [4876, 4858, 4846]


def test_no_target_anywhere_is_no_data():
    from kpi_utils.sources.communes import commune_targets_frame

    # district targets for 2022 only; asked for 2021
    goals = commune_targets_for_year(COMMUNES, commune_targets_frame([]), _targets(0.55), 2021)
    assert set(goals["target_source"]) == {"none"} and goals["target_rate"].isna().all()
    goals = commune_targets_for_year(COMMUNES, commune_targets_frame([]), _targets(0.55), 2022)
    assert set(goals["target_source"]) == {"district"} and set(goals["target_rate"]) == {0.55}


def test_communes_with_counts_but_no_target_are_no_data_and_unranked():
    # 2022-02: Đà Bắc has no target of its own and assigned none, so its communes Cao Sơn (4876,
    # 60 / 100) and Đoàn Kết (4858, 54 / 100) have counts but no target: no_data, unranked, no
    # gap or shortfall, target_source "none". Cao Sơn of Lương Sơn (4957, 50 / 100, district 55%)
    # is below and ranks 1 in its district.
    from kpi_utils.sources.communes import commune_targets_frame

    counts = _commune_counts(
        [(4876, "2022-02", 100, 60), (4858, "2022-02", 100, 54), (4957, "2022-02", 100, 50)]
    )
    targets = _targets(0.55)
    targets = targets[targets["unit_code"] != "DABAC"]
    table = commune_kpi_table(counts, commune_targets_frame([]), targets, COMMUNES, "2022-02")
    t = table.set_index("ward_code")
    for code, online in ((4876, 60), (4858, 54)):
        row = t.loc[code]
        assert (row["status"], row["target_source"]) == ("no_data", "none")
        assert (row["ytd_total"], row["ytd_online"]) == (100, online)
        for column in ("target_rate", "gap_pp", "shortfall", "rank_in_district"):
            assert pd.isna(row[column]), (code, column)
    assert t.loc[4957, ["status", "shortfall", "rank_in_district"]].tolist() == ["below", 5, 1]


def _commune_frame_types(table):
    return {c: str(t) for c, t in table.dtypes.items()}


def test_commune_kpi_frame_types_month_and_index():
    # Cao Sơn (4876) 60 / 100 against the district's 55%; everything else without counts
    counts = _commune_counts([(4876, "2022-02", 100, 60)])
    table = commune_kpi_table(
        counts, commune_targets_frame([]), _targets(0.55), COMMUNES, "2022-02"
    )
    assert _commune_frame_types(table) == {
        "ward_code": "int64",
        "ward_name": "str",
        "ward_type": "str",
        "unit_code": "str",
        "district_name": "str",
        "target_rate": "Float64",
        "target_source": "str",
        "month": "str",
        "month_total": "Int64",
        "month_online": "Int64",
        "month_rate": "Float64",
        "ytd_total": "int64",
        "ytd_online": "int64",
        "ytd_rate": "Float64",
        "status": "str",
        "shortfall": "Int64",
        "gap_pp": "Float64",
        "rank_in_district": "Int64",
    }
    assert set(table["month"]) == {"2022-02"}
    # a commune without counts: no rates, NA (not NaN) in the nullable columns
    quiet = table.set_index("ward_code").loc[4858]
    assert quiet["ytd_rate"] is pd.NA and quiet["month_total"] is pd.NA
    # a month given as a date (as a notebook may) is its calendar month
    by_date = commune_kpi_table(
        counts, commune_targets_frame([]), _targets(0.55), COMMUNES, pd.Timestamp("2022-02-20")
    ).set_index("ward_code")
    assert by_date.loc[4876, ["month", "month_total", "ytd_online", "status"]].tolist() == [
        "2022-02",
        100,
        60,
        "met",
    ]


def test_commune_targets_frame_and_the_last_row_of_a_code_wins():
    # district targets: DABAC undated 50%, LUONGSON 60%, then DABAC for 2022 70%: the last row of
    # DABAC applies (70%). Assignments: Cao Sơn (4876) 60% then 65% for 2022 (65% applies),
    # Đoàn Kết (4858) 80% for 2021 only (not 2022: the district's 70%).
    targets = pd.DataFrame(
        {
            "unit_code": ["DABAC", "LUONGSON", "DABAC"],
            "year": pd.array([None, 2022, 2022], dtype="Int64"),
            "eligible_procedures": pd.array([None, None, None], dtype="Int64"),
            "target_rate": [0.5, 0.6, 0.7],
        }
    )
    assigned = pd.DataFrame(
        {
            "ward_code": [4876, 4876, 4858],
            "unit_code": ["DABAC", "DABAC", "DABAC"],
            "year": pd.array([2022, 2022, 2021], dtype="Int64"),
            "target_rate": [0.6, 0.65, 0.8],
        }
    )
    goals = commune_targets_for_year(COMMUNES, assigned, targets, 2022)
    assert list(goals.columns) == ["ward_code", "target_rate", "target_source"]
    assert str(goals["target_rate"].dtype) == "Float64"
    g = goals.set_index("ward_code")
    assert g.loc[4876].tolist() == [0.65, "commune"]
    assert g.loc[4858].tolist() == [0.7, "district"]
    assert g.loc[4957].tolist() == [0.6, "district"]  # Cao Sơn of Lương Sơn
    tphb = g.loc[4792]  # Phường Tân Hòa: TPHB has no target here
    assert tphb["target_source"] == "none" and tphb["target_rate"] is pd.NA


def _shortfall_table():
    # 55% everywhere, 2022-02. Cao Sơn (4876, DABAC) 50 / 100 and Cao Sơn (4957, LUONGSON)
    # 50 / 100: both below, 5 short each; Đoàn Kết (4858, DABAC) 54 / 100: near, 1 short;
    # Mường Chiềng (4846, DABAC) 70 / 100: met.
    counts = _commune_counts(
        [
            (4957, "2022-02", 100, 50),
            (4876, "2022-02", 100, 50),
            (4858, "2022-02", 100, 54),
            (4846, "2022-02", 100, 70),
        ]
    )
    return commune_kpi_table(counts, commune_targets_frame([]), _targets(0.55), COMMUNES, "2022-02")


def test_communes_below_target_of_the_province_largest_shortfall_first():
    below = communes_below_target(_shortfall_table())
    # the two 5-short communes of two districts, the lower ward code first, then the near one
    assert below["ward_code"].tolist() == [4876, 4957, 4858]
    assert below["shortfall"].tolist() == [5, 5, 1]
    assert list(below.columns) == COMMUNE_KPI_COLUMNS and list(below.index) == [0, 1, 2]


def test_communes_of_district_best_first_with_a_fresh_index():
    dabac = communes_of_district(_shortfall_table(), "DABAC")
    # Mường Chiềng 70%, Đoàn Kết 54%, Cao Sơn 50%, then Đà Bắc's communes without counts
    assert dabac["ward_code"].tolist()[:3] == [4846, 4858, 4876]
    assert dabac["rank_in_district"].tolist()[:4] == [1, 2, 3, pd.NA]
    assert list(dabac.columns) == COMMUNE_KPI_COLUMNS
    assert list(dabac.index) == list(range(len(dabac)))
    assert set(dabac["unit_code"]) == {"DABAC"}


# --- the synthetic commune sample -----------------------------------------------------------


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_commune_sample_sums_to_the_district_sample_exactly():
    communes = _rows(DATA / "sample" / "commune_counts.csv")
    districts = {
        (r["unit_code"], r["month"]): (int(r["total"]), int(r["online"]))
        for r in _rows(DATA / "sample" / "monthly_counts.csv")
    }
    sums = defaultdict(lambda: [0, 0])
    for r in communes:
        assert 0 <= int(r["online"]) <= int(r["total"])
        sums[(r["unit_code"], r["month"])][0] += int(r["total"])
        sums[(r["unit_code"], r["month"])][1] += int(r["online"])
    assert len(communes) == 151 * 24
    assert len(sums) == 10 * 24
    for key, (total, online) in sums.items():
        assert districts[key] == (total, online), key


def test_commune_sample_regenerates_byte_for_byte(tmp_path):
    written = sample_communes.write_commune_sample(tmp_path / "commune_counts.csv")
    assert written.read_bytes() == (DATA / "sample" / "commune_counts.csv").read_bytes()


def test_commune_sample_and_targets_read_cleanly(communes):
    counts = read_commune_counts([DATA / "sample" / "commune_counts.csv"], communes)
    targets = read_commune_targets(DATA / "sample" / "commune_targets.csv", communes)
    assert counts.problems == [] and targets.problems == []
    assert sorted(set(targets.frame["unit_code"])) == ["CAOPHONG", "LUONGSON", "TPHB"]


def test_split_online_is_exact_and_feasible():
    import random

    rng = random.Random(1)
    for online, totals in [(0, [3, 4]), (7, [3, 4]), (5, [0, 5, 0]), (90, [10, 50, 40])]:
        got = sample_communes._split_online(rng, online, totals, [1.0, -1.0, 0.0][: len(totals)])
        assert sum(got) == online
        assert all(0 <= o <= t for o, t in zip(got, totals, strict=True))


def test_district_coverage_by_hand():
    from kpi_utils.metrics.commune_kpi import district_coverage
    from kpi_utils.sources.inputs import counts_frame

    district = counts_frame(
        [
            {
                "unit_code": "DABAC",
                "month": pd.Period(m, "M"),
                "total": 100,
                "online": 50,
                "source_file": "f",
                "source_row": 2,
                "source_unit": "DABAC",
            }
            for m in ("2022-01", "2022-02")
        ]
    )
    communes = _commune_counts([(4876, "2022-01", 30, 20), (4858, "2022-02", 90, 10)])
    row = district_coverage(communes, district, "2022-02").iloc[0]
    assert (row["unit_code"], row["ytd_total"], row["communes_ytd_total"]) == ("DABAC", 200, 120)
    assert row["communes_ytd_online"] == 30 and row["communes_share"] == 0.6
    january = district_coverage(communes, district, "2022-01").iloc[0]
    assert january["communes_ytd_total"] == 30 and january["communes_share"] == 0.3


def test_district_coverage_of_districts_with_counts_on_one_side_only():
    # 2022-02, YTD Jan..Feb 2022.
    #   DABAC: district 2 x 100 / 50 = 200 / 100; its communes 30 + 90 = 120 (20 + 10 online)
    #   LUONGSON: communes 40 / 8 (Cao Sơn, 4957), no district counts: 0 / 0, share NA
    #   CAOPHONG: district 80 / 20; its commune rows only in 2021 (not this YTD): 0 / 0, share 0
    #   SCT (no communes): not listed
    from conftest import counts_of

    from kpi_utils.metrics.commune_kpi import district_coverage

    district = counts_of(
        [
            ("DABAC", "2022-01", 100, 50),
            ("DABAC", "2022-02", 100, 50),
            ("CAOPHONG", "2022-02", 80, 20),
            ("SCT", "2022-02", 500, 300),
        ]
    )
    caophong = int(COMMUNES.loc[COMMUNES["unit_code"] == "CAOPHONG", "ward_code"].iloc[0])
    communes = _commune_counts(
        [
            (4876, "2022-01", 30, 20),
            (4858, "2022-02", 90, 10),
            (4957, "2022-02", 40, 8),
            (caophong, "2021-06", 70, 7),
        ]
    )
    frame = district_coverage(communes, district, pd.Timestamp("2022-02-01"))
    assert list(frame.columns) == [
        "unit_code",
        "ytd_total",
        "ytd_online",
        "communes_ytd_total",
        "communes_ytd_online",
        "communes_share",
    ]
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "unit_code": "str",
        "ytd_total": "int64",
        "ytd_online": "int64",
        "communes_ytd_total": "int64",
        "communes_ytd_online": "int64",
        "communes_share": "Float64",
    }
    rows = frame.set_index("unit_code")
    assert list(rows.index) == ["CAOPHONG", "DABAC", "LUONGSON"]
    assert rows.loc["DABAC"].tolist() == [200, 100, 120, 30, 0.6]
    assert rows.loc["CAOPHONG"].tolist() == [80, 20, 0, 0, 0.0]
    assert rows.loc["LUONGSON", ["ytd_total", "ytd_online", "communes_ytd_total"]].tolist() == [
        0,
        0,
        40,
    ]
    assert rows.loc["LUONGSON", "communes_ytd_online"] == 8
    assert rows.loc["LUONGSON", "communes_share"] is pd.NA


def test_district_coverage_without_commune_counts_is_empty():
    from conftest import counts_of

    from kpi_utils.metrics.commune_kpi import district_coverage

    frame = district_coverage(
        _commune_counts([]), counts_of([("DABAC", "2022-02", 100, 50)]), "2022-02"
    )
    assert len(frame) == 0 and list(frame.columns)[:3] == ["unit_code", "ytd_total", "ytd_online"]
    assert str(frame["communes_share"].dtype) == "Float64"


def test_cli_check_tells_commune_counts_from_unit_counts(tmp_path, capsys):
    from kpi_utils.cli import main

    assert main(["check", str(DATA / "sample" / "commune_counts.csv")]) == 0
    assert "ok: 1 file(s), 3624 data row(s) read" in capsys.readouterr().out
    path = write_csv(
        tmp_path / "xa.csv",
        [["Xã", "Tháng", "Tổng số", "Trực tuyến"], ["Cao Sơn", "2022-06", 3, 1]],
    )
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "row 2, column A (Xã), value 'Cao Sơn': ambiguous commune name" in out


def test_commune_kpi_of_the_sample_adds_up_to_the_district_kpi():
    from kpi_utils.metrics.pipeline import commune_kpi_for_month, kpi_for_month

    communes = commune_kpi_for_month("2022-06")
    districts = kpi_for_month("2022-06").set_index("unit_code")
    sums = communes.groupby("unit_code")[["ytd_total", "ytd_online", "month_total"]].sum()
    for unit, row in sums.iterrows():
        assert row["ytd_total"] == districts.loc[unit, "ytd_total"], unit
        assert row["ytd_online"] == districts.loc[unit, "ytd_online"], unit
        assert row["month_total"] == districts.loc[unit, "month_total"], unit
    assert communes["target_source"].value_counts().to_dict() == {"district": 111, "commune": 40}
    tphb_ward = communes.set_index("ward_code").loc[4792]  # Phường Tân Hòa: TPHB assigns 85%
    assert (tphb_ward["target_rate"], tphb_ward["target_source"]) == (0.85, "commune")


def test_a_commune_row_wider_than_its_header_is_one_error_and_not_read(tmp_path, communes):
    # row 3: "1,234" written with an unquoted comma gives a sixth cell: one error naming it, and
    # the row is not read by position (it would give Lương Sơn's Cao Sơn 1 online dossier)
    path = write_csv(
        tmp_path / "xa.csv",
        [
            ["Huyện", "Xã, phường, thị trấn", "Tháng", "Tổng số hồ sơ", "Hồ sơ trực tuyến"],
            ["Đà Bắc", "Cao Sơn", "06/2022", 40, 30],
            ["Lương Sơn", "Xã Cao Sơn", "06/2022", 5000, 1, 234],
        ],
    )
    loaded = read_commune_counts([path], communes)
    assert [(p.row, p.column, p.value) for p in loaded.problems] == [(3, "F", "234")]
    assert loaded.frame["total"].tolist() == [40]


# --- the resolver's messages, word for word --------------------------------------------------


def test_resolver_keeps_the_registry_and_suggests_from_a_fresh_build(resolver):
    # built here, not by the module fixture, so that building it is part of this test: the
    # suggestions need the loose-key index ("Mường Chiền" is one letter from Mường Chiềng, and
    # Đồng Chum shares "chu" and "ng"; both of Đà Bắc)
    built = CommuneResolver.from_communes(COMMUNES, resolver)
    assert built.communes is COMMUNES
    assert built.resolve("Xã Mường Chiền", "Đà Bắc") == (
        None,
        "unknown commune; closest: Xã Mường Chiềng (Huyện Đà Bắc), Xã Đồng Chum (Huyện Đà Bắc)",
    )


def test_empty_and_unmatched_names_word_for_word(communes):
    assert communes.resolve(None) == (None, "empty commune name")
    assert communes.resolve("   ") == (None, "empty commune name")
    # nothing in the list is near "Qwxz": no "closest" part at all
    assert communes.resolve("Qwxz") == (None, "unknown commune")
    # suggest=False: the hint is not looked for even where one exists
    assert communes.resolve("Xã Mường Chiền", suggest=False) == (None, "unknown commune")


def test_suggestions_are_the_three_closest_of_the_given_district(communes):
    # "Xã Tân" matches no commune. Within a district, the closest names by difflib's ratio of
    # their loose keys (at least 0.5), best first, at most three; names of other districts never.
    # Lạc Sơn has four such names (Tân Mỹ, Tân Lập, Tuân Đạo, Mỹ Thành): the fourth is cut.
    assert communes.resolve("Xã Tân", "Lạc Sơn") == (
        None,
        "unknown commune; closest: Xã Tân Mỹ (Huyện Lạc Sơn), Xã Tân Lập (Huyện Lạc Sơn), "
        "Xã Tuân Đạo (Huyện Lạc Sơn)",
    )
    # Lương Sơn: Tân Vinh and Thanh Sơn reach 0.5; Thanh Cao does not (it would at 0.4)
    assert communes.resolve("Xã Tân", "Lương Sơn") == (
        None,
        "unknown commune; closest: Xã Tân Vinh (Huyện Lương Sơn), Xã Thanh Sơn (Huyện Lương Sơn)",
    )
    # Tân Lạc: of the twelve closest names of the whole list only Tử Nê is Tân Lạc's (Thanh Hối
    # is the 14th)
    assert communes.resolve("Xã Tân", "Tân Lạc") == (
        None,
        "unknown commune; closest: Xã Tử Nê (Huyện Tân Lạc)",
    )


def test_district_messages_word_for_word(communes):
    assert communes.resolve("Cao Sơn", "Huyện Không Có") == (
        None,
        "unknown district 'Huyện Không Có'",
    )
    # a unit that is not a district (a department) settles nothing: it is an unknown district
    assert communes.district("Sở Tư pháp") is None
    assert communes.resolve("Cao Sơn", "Sở Tư pháp") == (None, "unknown district 'Sở Tư pháp'")
    # an empty or blank district is no district: the name alone decides
    assert communes.district("") is None and communes.district(None) is None
    assert communes.resolve("Xã Mường Chiềng", "  ") == (4846, None)
    assert communes.resolve("Cao Sơn", "Kim Bôi") == (
        None,
        "no commune of that name in KIMBOI; there is Xã Cao Sơn (Huyện Đà Bắc), "
        "Xã Cao Sơn (Huyện Lương Sơn)",
    )
    assert communes.resolve("Cao Sơn") == (
        None,
        "ambiguous commune name: Xã Cao Sơn (Huyện Đà Bắc); Xã Cao Sơn (Huyện Lương Sơn); "
        "give the district to tell them apart",
    )


def test_a_gso_code_is_checked_against_the_district(communes):
    # 4876 is Xã Cao Sơn of Đà Bắc (data/communes.csv)
    assert communes.resolve("4876", "Đà Bắc") == (4876, None)
    assert communes.resolve("4876", "Lương Sơn") == (
        None,
        "commune 4876 is Xã Cao Sơn (Huyện Đà Bắc), not in LUONGSON",
    )


# --- the registry file -----------------------------------------------------------------------


def test_registry_columns_and_types():
    assert list(COMMUNES.columns) == [
        "ward_code",
        "ward_name",
        "ward_type",
        "district_code",
        "district_name",
        "unit_code",
    ]
    assert COMMUNES.index.tolist() == list(range(151))
    assert str(COMMUNES["ward_code"].dtype) == "int64"
    assert str(COMMUNES["district_code"].dtype) == "int64"
    # first line of data/communes.csv: 4789,Phường Thái Bình,phường,148,Thành phố Hòa Bình,TPHB
    assert COMMUNES.iloc[0].tolist() == [
        4789,
        "Phường Thái Bình",
        "phường",
        148,
        "Thành phố Hòa Bình",
        "TPHB",
    ]


def test_registry_empty_cell_stays_empty_text(tmp_path):
    # an empty district name is read as "" (not NaN), so a label shows "()" and never "nan"
    path = tmp_path / "communes.csv"
    path.write_text(
        "ward_code,ward_name,ward_type,district_code,district_name,unit_code\n"
        "04876,Xã Cao Sơn,xã,150,,DABAC\n",
        encoding="utf-8",
    )
    frame = load_communes(path)
    assert frame.iloc[0].tolist() == [4876, "Xã Cao Sơn", "xã", 150, "", "DABAC"]
    assert (str(frame["ward_code"].dtype), str(frame["district_code"].dtype)) == ("int64", "int64")


# --- the readers: every problem's file, row, column and value ---------------------------------

_HEADER = ["Huyện", "Xã", "Mã xã", "Tháng", "Tổng số", "Trực tuyến"]


def _problems(loaded):
    return [(p.severity, p.file, p.row, p.column, p.value, p.message) for p in loaded.problems]


def test_commune_counts_problems_name_file_row_column_value(tmp_path, communes):
    path = write_csv(
        tmp_path / "xa.csv",
        [
            _HEADER,
            ["Huyện Không Có", "Cao Sơn", "", "2022-06", 1, 1],  # row 2: the district is wrong
            ["Đà Bắc", "", "", "2022-06", 1, 1],  # row 3: no commune
            ["Đà Bắc", "Cao Sơn", "4957", "2022-06", 1, 1],  # row 4: 4957 is Lương Sơn's
            ["Đà Bắc", "Cao Sơn", "4876", "2022-06", 9, 4],  # row 5: read
        ],
    )
    loaded = read_commune_counts([path], communes)
    f = str(path)
    assert _problems(loaded) == [
        ("error", f, 2, "A (Huyện)", "Huyện Không Có", "unknown district 'Huyện Không Có'"),
        ("error", f, 3, "B (Xã)", "", "empty commune name"),
        (
            "error",
            f,
            4,
            "C (Mã xã)",
            "4957",
            "the code does not match the name Xã Cao Sơn (Huyện Đà Bắc) (4876)",
        ),
    ]
    assert loaded.frame[["ward_code", "total", "online"]].values.tolist() == [[4876, 9, 4]]


_COUNTS_DTYPES = {
    "ward_code": "int64",
    "unit_code": "str",
    "month": "period[M]",
    "total": "int64",
    "online": "int64",
    "resolved": "Int64",
    "resolved_on_time": "Int64",
    "source_file": "str",
    "source_row": "int64",
    "source_unit": "str",
}


def _dtypes(frame):
    return {c: str(t) for c, t in frame.dtypes.items()}


def test_commune_counts_frame_columns_and_types(tmp_path, communes):
    from kpi_utils.sources.communes import commune_counts_frame

    assert _dtypes(commune_counts_frame([])) == _COUNTS_DTYPES
    assert list(commune_counts_frame([]).columns) == list(_COUNTS_DTYPES)
    path = write_csv(
        tmp_path / "xa.csv",
        [
            ["Xã", "Tháng", "Tổng số", "Trực tuyến", "Đã giải quyết", "Đúng hạn"],
            ["Xã Mường Chiềng", "2022-06", 10, 4, 8, 7],
            ["  mường chiềng ", "2022-07", 12, 5, "", ""],  # on-time unknown: <NA>
        ],
    )
    frame = read_commune_counts([path], communes).frame
    assert _dtypes(frame) == _COUNTS_DTYPES
    assert list(frame.columns) == list(_COUNTS_DTYPES)
    assert frame.astype(object).where(frame.notna(), None).values.tolist() == [
        [4846, "DABAC", pd.Period("2022-06", "M"), 10, 4, 8, 7, str(path), 2, "Xã Mường Chiềng"],
        [4846, "DABAC", pd.Period("2022-07", "M"), 12, 5, None, None, str(path), 3, "mường chiềng"],
    ]


def test_commune_counts_of_several_files_keep_every_problem(tmp_path, communes):
    # first: no header at all (not read); second: one bad row; third: one good row. Every
    # problem of every file is kept, and reading carries on after a file it cannot read.
    bad = write_csv(tmp_path / "a.csv", [["x", "y"], [1, 2]])
    second = write_csv(
        tmp_path / "b.csv",
        [["Xã", "Tháng", "Tổng số", "Trực tuyến"], ["Xã Mường Chiềng", "2022-06", 3, 5]],
    )
    third = write_csv(
        tmp_path / "c.csv",
        [["Xã", "Tháng", "Tổng số", "Trực tuyến"], ["Xã Mường Chiềng", "2022-07", 5, 3]],
    )
    loaded = read_commune_counts([bad, second, third], communes)
    assert [(p.file, p.row) for p in loaded.problems][-1] == (str(second), 2)
    assert {p.file for p in loaded.problems} == {str(bad), str(second)}
    assert loaded.problems[-1].message == "online (5) is greater than total (3)"
    assert loaded.frame[["month", "total"]].astype(str).values.tolist() == [["2022-07", "5"]]
    assert [f.name for f in loaded.files] == ["b.csv", "c.csv"]


def test_commune_counts_from_a_named_sheet(tmp_path, communes):
    # the counts are on the second sheet; the first holds a note, not a table
    path = write_workbook(
        tmp_path / "xa.xlsx",
        {
            "Ghi chú": [["Số liệu cấp xã tháng 6/2022"]],
            "Số liệu": [
                ["Xã", "Tháng", "Tổng số", "Trực tuyến"],
                ["Xã Mường Chiềng", "2022-06", 10, 4],
            ],
        },
    )
    from kpi_utils.sources.communes import looks_like_commune_counts

    assert looks_like_commune_counts(path, sheet="Số liệu") is True
    assert looks_like_commune_counts(path) is False
    loaded = read_commune_counts([path], communes, sheet="Số liệu")
    assert loaded.problems == []
    assert loaded.frame[["ward_code", "total", "online"]].values.tolist() == [[4846, 10, 4]]


def test_duplicate_commune_month_names_the_commune(tmp_path, communes):
    path = write_csv(
        tmp_path / "xa.csv",
        [
            ["Huyện", "Xã", "Tháng", "Tổng số", "Trực tuyến"],
            ["Đà Bắc", "Cao Sơn", "2022-06", 1, 1],
            ["Đà Bắc", "Xã Cao Sơn", "2022-06", 2, 1],
        ],
    )
    (problem,) = read_commune_counts([path], communes).problems
    assert problem.message.startswith("Xã Cao Sơn (Huyện Đà Bắc) 2022-06 appears more than once")


def test_commune_counts_csv_reads_back(tmp_path, communes, monkeypatch):
    import os

    from kpi_utils.sources.communes import commune_counts_csv

    counts = _commune_counts([(4876, "2022-01", 50, 30), (4957, "2022-02", 7, 0)])
    counts["resolved"] = pd.array([40, None], dtype="Int64")
    # LF lines even where the system's line separator is CRLF (a CSV written on Windows)
    monkeypatch.setattr(os, "linesep", "\r\n")
    text = commune_counts_csv(counts)
    # by hand: each commune by its code with its district; the unknown on-time counts empty
    assert text == (
        "commune,district,month,total,online,resolved,resolved_on_time\n"
        "4876,DABAC,2022-01,50,30,40,\n"
        "4957,LUONGSON,2022-02,7,0,,\n"
    )
    path = tmp_path / "back.csv"
    path.write_text(text, encoding="utf-8")
    back = read_commune_counts([path], communes)
    assert back.problems == []
    assert back.frame[["ward_code", "unit_code", "total", "online"]].values.tolist() == [
        [4876, "DABAC", 50, 30],
        [4957, "LUONGSON", 7, 0],
    ]


_TARGETS_DTYPES = {
    "ward_code": "int64",
    "unit_code": "str",
    "year": "Int64",
    "target_rate": "float64",
    "decision": "str",
    "source_file": "str",
    "source_row": "int64",
}


def test_commune_targets_frame_columns_types_and_cells(tmp_path, communes):
    from kpi_utils.sources.communes import commune_targets_frame

    assert _dtypes(commune_targets_frame([])) == _TARGETS_DTYPES
    assert list(commune_targets_frame([]).columns) == list(_TARGETS_DTYPES)
    path = write_csv(
        tmp_path / "giao.csv",
        [
            ["Huyện", "Xã", "Năm", "Chỉ tiêu", "Quyết định"],
            ["Đà Bắc", "Cao Sơn", 2022, "60%", "QĐ 12/QĐ-UBND"],
            ["Lương Sơn", "Cao Sơn", 2022, "0.7", ""],
        ],
    )
    loaded = read_commune_targets(path, communes)
    assert loaded.problems == []
    assert _dtypes(loaded.frame) == _TARGETS_DTYPES
    assert list(loaded.frame.columns) == list(_TARGETS_DTYPES)
    assert loaded.frame.values.tolist() == [
        [4876, "DABAC", 2022, 0.6, "QĐ 12/QĐ-UBND", str(path), 2],
        [4957, "LUONGSON", 2022, 0.7, "", str(path), 3],
    ]
    assert [(f.name, f.rows, f.unit_column) for f in loaded.files] == [("giao.csv", 2, "B (Xã)")]


def test_commune_targets_year_given_for_a_file_without_one(tmp_path, communes):
    path = write_csv(tmp_path / "giao.csv", [["Xã", "Chỉ tiêu"], ["Xã Mường Chiềng", "55%"]])
    loaded = read_commune_targets(path, communes, year=2023)
    assert loaded.problems == []
    assert loaded.frame[["ward_code", "year", "target_rate", "decision"]].values.tolist() == [
        [4846, 2023, 0.55, ""]
    ]


def test_commune_targets_without_a_year_say_so_at_the_header(tmp_path, communes):
    # two title rows: the header is row 3, and that is where the year column is missing
    path = write_csv(
        tmp_path / "giao.csv",
        [["UBND HUYỆN ĐÀ BẮC"], ["GIAO CHỈ TIÊU"], ["Xã", "Chỉ tiêu"], ["Mường Chiềng", "55%"]],
    )
    loaded = read_commune_targets(path, communes)
    assert _problems(loaded) == [
        ("error", str(path), 3, None, None, "no year column: give the year the targets are for")
    ]


def test_commune_targets_problems_name_file_row_column_value(tmp_path, communes):
    path = write_csv(
        tmp_path / "giao.csv",
        [
            ["Huyện", "Xã", "Năm", "Chỉ tiêu"],
            ["Đà Bắc", "Xã Không Có Qwxz", 2022, "60%"],  # row 2: unknown commune
            ["Đà Bắc", "Cao Sơn", 2022, "sáu mươi"],  # row 3: not a rate
            ["Đà Bắc", "Cao Sơn", "năm nay", "60%"],  # row 4: not a year
            ["Đà Bắc", "Cao Sơn", 2022, "60%"],  # row 5: read
            ["Đà Bắc", "Xã Cao Sơn", 2022, "65%"],  # row 6: a second target
        ],
    )
    loaded = read_commune_targets(path, communes)
    got = _problems(loaded)
    f = str(path)
    assert got[0] == ("error", f, 2, "B (Xã)", "Xã Không Có Qwxz", "unknown commune")
    assert got[1][:5] == ("error", f, 3, "D (Chỉ tiêu)", "sáu mươi")
    assert got[2][:5] == ("error", f, 4, "C (Năm)", "năm nay")
    assert got[3] == (
        "error",
        f,
        6,
        "B (Xã)",
        None,
        "a second target for Xã Cao Sơn (Huyện Đà Bắc) in 2022 (rows 5, 6)",
    )
    assert len(got) == 4


def test_commune_targets_file_without_a_header(tmp_path, communes):
    path = write_csv(tmp_path / "giao.csv", [["a", "b"], [1, 2]])
    loaded = read_commune_targets(path, communes)
    assert loaded.frame.empty and list(loaded.frame.columns) == list(_TARGETS_DTYPES)
    assert _dtypes(loaded.frame) == _TARGETS_DTYPES
    assert loaded.files == []
    assert len(loaded.problems) == 1 and loaded.problems[0].file == str(path)
