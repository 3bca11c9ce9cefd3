"""The unit registry and name resolution against DOMAIN.md §2 and the decision's appendix.

The expected spellings below are copied by hand from DOMAIN.md §2 (not read from data/units.csv),
and the targets are parsed from the decision's own text (tests/fixtures), so a wrong registry
or targets file is caught rather than compared with itself.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from kpi_utils.common import names
from kpi_utils.common.paths import default_targets_path
from kpi_utils.common.registry import UnitResolver
from kpi_utils.sources.inputs import read_targets

FIXTURES = Path(__file__).parent / "fixtures"
DECISION = FIXTURES / "decision_hoabinh_2022_online_targets.md"
SHARED_DECISION = Path("/work/shared/source/decision_hoabinh_2022_online_targets.md")

# code -> (group, name as printed in the decision, official name, listed short forms), DOMAIN §2.
DOMAIN_UNITS = {
    "SCT": ("department", "Sở Công Thương", "Sở Công Thương", ["Sở CT"]),
    "SVHTTDL": (
        "department",
        "Sở Văn hóa và Thể thao và DL",
        "Sở Văn hóa, Thể thao và Du lịch",
        ["Sở VHTTDL", "Sở VH-TT-DL", "Sở VH,TT&DL"],
    ),
    "SGTVT": ("department", "Sở Giao thông vận tải", "Sở Giao thông vận tải", ["Sở GTVT"]),
    "SGDDT": (
        "department",
        "Sở Giáo dục và Đào tạo",
        "Sở Giáo dục và Đào tạo",
        ["Sở GD&ĐT", "Sở GDĐT"],
    ),
    "SKHDT": (
        "department",
        "Sở Kế hoạch và Đầu tư",
        "Sở Kế hoạch và Đầu tư",
        ["Sở KH&ĐT", "Sở KHĐT"],
    ),
    "SKHCN": (
        "department",
        "Sở Khoa học và Công nghệ",
        "Sở Khoa học và Công nghệ",
        ["Sở KH&CN", "Sở KHCN"],
    ),
    "SLDTBXH": (
        "department",
        "Sở Lao động - TB&XH",
        "Sở Lao động - Thương binh và Xã hội",
        ["Sở LĐ-TB&XH", "Sở LĐTBXH"],
    ),
    "SNNPTNT": (
        "department",
        "Sở Nông nghiệp và PTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        ["Sở NN&PTNT", "Sở NNPTNT"],
    ),
    "SNV": ("department", "Sở Nội vụ", "Sở Nội vụ", []),
    "STC": ("department", "Sở Tài chính", "Sở Tài chính", []),
    "STNMT": (
        "department",
        "Sở Tài nguyên và Môi trường",
        "Sở Tài nguyên và Môi trường",
        ["Sở TN&MT", "Sở TNMT"],
    ),
    "STTTT": (
        "department",
        "Sở Thông tin và Truyền thông",
        "Sở Thông tin và Truyền thông",
        ["Sở TT&TT", "Sở TTTT"],
    ),
    "STP": ("department", "Sở Tư pháp", "Sở Tư pháp", []),
    "SXD": ("department", "Sở Xây dựng", "Sở Xây dựng", []),
    "SYT": ("department", "Sở Y tế", "Sở Y tế", []),
    "BQLKCN": (
        "department",
        "Ban QL Khu công nghiệp",
        "Ban Quản lý các khu công nghiệp tỉnh",
        ["BQL KCN", "Ban QL các KCN"],
    ),
    "VPUBND-NV": (
        "department",
        "Lĩnh vực Ngoại vụ - VPUBND tỉnh",
        "Lĩnh vực Ngoại vụ - Văn phòng UBND tỉnh",
        ["Ngoại vụ"],
    ),
    "TPHB": (
        "district",
        "UBND TP. Hòa Bình",
        "UBND thành phố Hòa Bình",
        ["TP. Hòa Bình", "TP Hòa Bình", "Thành phố Hòa Bình"],
    ),
}
DISTRICTS = {
    "CAOPHONG": "Cao Phong",
    "TANLAC": "Tân Lạc",
    "LACSON": "Lạc Sơn",
    "YENTHUY": "Yên Thủy",
    "MAICHAU": "Mai Châu",
    "KIMBOI": "Kim Bôi",
    "LACTHUY": "Lạc Thủy",
    "DABAC": "Đà Bắc",
    "LUONGSON": "Lương Sơn",
}
for _code, _place in DISTRICTS.items():
    DOMAIN_UNITS[_code] = (
        "district",
        f"UBND huyện {_place}",
        f"UBND huyện {_place}",
        [f"Huyện {_place}", _place],
    )
GSO = {
    "TPHB": 148,
    "CAOPHONG": 154,
    "TANLAC": 155,
    "LACSON": 157,
    "YENTHUY": 158,
    "MAICHAU": 156,
    "KIMBOI": 153,
    "LACTHUY": 159,
    "DABAC": 150,
    "LUONGSON": 152,
}

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"
# Old and new tone placement on the pairs where both are written: "Hoà"/"Hòa", "Thuỷ"/"Thủy".
_NEW_TO_OLD = {}
for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
    for _tone in _TONE_MARKS:
        _new = unicodedata.normalize("NFC", _first + _tone + _second)
        _old = unicodedata.normalize("NFC", _first + _second + _tone)
        _NEW_TO_OLD[_new] = _old


_OLD_TO_NEW = {old: new for new, old in _NEW_TO_OLD.items()}


def _swap(text: str) -> str:
    """Write every tone the other way: new placement (Hòa) -> old (Hoà) and old -> new."""
    text = unicodedata.normalize("NFC", text)
    result = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        swapped = _NEW_TO_OLD.get(pair) or _OLD_TO_NEW.get(pair)
        if swapped:
            result.append(swapped)
            i += 2
        else:
            result.append(text[i])
            i += 1
    return "".join(result)


def prefix_variants(code: str, name: str) -> set[str]:
    """With and without UBND / Sở / Huyện, TP. or thành phố, as people write them."""
    out = {name}
    body = name
    for prefix in ("UBND ", "Sở ", "huyện ", "Huyện "):
        if body.startswith(prefix):
            body = body[len(prefix) :]
    out.add(body)
    if DOMAIN_UNITS[code][0] == "department" and not name.startswith(("Ban", "Lĩnh", "Ngoại")):
        out |= {f"Sở {body}", f"SỞ {body}"}
    if code in DISTRICTS:
        out |= {f"Huyện {body}", f"huyện {body}", f"UBND huyện {body}", f"UBND {body}"}
        out |= {f"Ủy ban nhân dân huyện {body}", f"Uỷ ban nhân dân huyện {body}"}
    if code == "TPHB":
        for tp in ("TP.", "TP", "Tp.", "thành phố", "Thành phố", "TP. "):
            place = "Hòa Bình"
            out |= {f"{tp} {place}", f"UBND {tp} {place}"}
        out.add(f"TP.{place}")
    return out


def spelling_family(code: str) -> set[str]:
    group, in_decision, official, short = DOMAIN_UNITS[code]
    base = {code, code.lower(), in_decision, official, *short}
    grown = set()
    for name in base:
        grown |= prefix_variants(code, name) if name not in (code, code.lower()) else {name}
    connectors = set()
    for name in grown:
        connectors |= {name, name.replace("&", " và "), name.replace(" và ", " & ")}
        connectors.add(name.replace("&", " & "))
    variants = set()
    for name in connectors:
        for form in (name, _swap(name)):
            for case in (form, form.upper(), form.lower(), form.title()):
                for spaced in (
                    case,
                    f"  {case} ",
                    case.replace(" ", "  "),
                    case.replace(" ", "\u00a0"),
                ):
                    variants.add(unicodedata.normalize("NFC", spaced))
                    variants.add(unicodedata.normalize("NFD", spaced))
    return variants


@pytest.mark.parametrize("code", list(DOMAIN_UNITS))
def test_every_spelling_of_a_unit_resolves_to_its_code(resolver, code):
    family = spelling_family(code)
    assert len(family) > 50
    wrong = {name: resolver.resolve(name) for name in family if resolver.resolve(name) != code}
    assert wrong == {}


def test_tone_placement_variants_really_differ():
    """The old/new placement swap the family relies on changes the text (so it is tested)."""
    assert _swap("Hòa Bình") == "Hoà Bình"
    assert _swap("Hoà Bình") == "Hòa Bình"
    assert _swap("Yên Thủy") == "Yên Thuỷ"
    assert _swap("Lạc Thuỷ") == "Lạc Thủy"
    assert _swap("Văn hóa") == "Văn hoá"
    assert "TP. Hoà Bình" in spelling_family("TPHB")
    assert unicodedata.normalize("NFD", "Yên Thuỷ") in spelling_family("YENTHUY")


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("UBND TP. Hoà Bình", "TPHB"),
        ("uỷ ban nhân dân thành phố hoà bình", "TPHB"),
        ("TP.Hòa Bình", "TPHB"),
        ("Huyện Yên Thuỷ", "YENTHUY"),
        ("LẠC THUỶ", "LACTHUY"),
        ("Sở Văn hoá, Thể thao & Du lịch", "SVHTTDL"),
        ("Sở VH, TT và DL", "SVHTTDL"),
        ("Sở Lao động – Thương binh và Xã hội", "SLDTBXH"),
        ("Sở LĐ - TB & XH", "SLDTBXH"),
        ("Sở GD-ĐT", "SGDDT"),
        ("Sở NN & PTNT", "SNNPTNT"),
        ("  Sở   Y   tế  ", "SYT"),
        ("vpubnd-nv", "VPUBND-NV"),
        (" sct ", "SCT"),
    ],
)
def test_examples_written_out(resolver, spelling, code):
    assert resolver.resolve(spelling) == code
    assert resolver.resolve(unicodedata.normalize("NFD", spelling)) == code


def test_unknown_name_suggests_the_closest_codes(resolver):
    # "vân" for "vận": one tone mark off.
    assert resolver.resolve("Sở Giao thông vân tải") is None
    # Only codes nearly as close as the best are offered: one tone off is SGTVT alone.
    assert resolver.suggest("Sở Giao thông vân tải") == ["SGTVT"]
    assert resolver.describe(["SGTVT", "TPHB"]) == (
        "SGTVT (Sở Giao thông vận tải), TPHB (UBND thành phố Hòa Bình)"
    )
    assert resolver.resolve("Huyện Lạc Thổ") is None
    assert resolver.suggest("Huyện Lạc Thổ")[:2] in (["LACTHUY", "LACSON"], ["LACSON", "LACTHUY"])
    assert resolver.resolve("Sở Ngoại giao") is None
    assert resolver.resolve("Tổng cộng") is None
    assert resolver.resolve("") is None
    assert 0 < len(resolver.suggest("Sở Tài nguyen va Moi truong")) <= 3
    assert resolver.suggest("Sở Tài nguyen va Moi truong")[0] == "STNMT"


def test_name_key_folds_what_people_vary_and_nothing_else():
    key = names.name_key
    assert key("Hòa Bình") == key("Hoà Bình") == key("HOÀ BÌNH")
    assert key(unicodedata.normalize("NFD", "Thủy")) == key("Thuỷ")
    assert key("Sở GD&ĐT") == key("GD và ĐT")
    # Vowel-quality marks change the letter: these must stay apart.
    assert key("Lạc Sơn") != key("Lạc Son")
    assert key("Tân Lạc") != key("Tấn Lạc")
    assert key("Nội vụ") != key("Ngoại vụ")


def test_registry_matches_domain(registry):
    assert list(registry["unit_code"]) == list(DOMAIN_UNITS)
    assert list(registry["order"]) == list(range(1, 28))
    for _, unit in registry.iterrows():
        group, in_decision, official, short = DOMAIN_UNITS[unit["unit_code"]]
        assert unit["group"] == group
        assert unit["name_in_decision"] == in_decision
        assert unit["official_name"] == official
        gso = unit["gso_district_code"]
        if group == "district":
            assert gso == GSO[unit["unit_code"]]
        else:
            assert pd.isna(gso)
    assert (registry["group"] == "department").sum() == 17
    assert (registry["group"] == "district").sum() == 10


def test_registry_refuses_a_spelling_that_names_two_units(registry):
    clash = registry.copy()
    clash.at[0, "aliases"] = ["Sở Y tế"]  # SCT would answer to SYT's name
    with pytest.raises(ValueError, match="SCT"):
        UnitResolver.from_registry(clash)


# --- the decision's appendix ----------------------------------------------------------------


def decision_appendix(text: str) -> dict[str, tuple[str, int, str]]:
    """Parse the appendix table of the decision's text: unit name -> (section, eligible, rate).

    Independent of the package: plain string handling of the tab-separated rows.
    """
    rows: dict[str, tuple[str, int, str]] = {}
    section = ""
    in_table = False
    for line in text.splitlines():
        cells = line.split("\t")
        if cells[0] == "TT":
            in_table = True
            continue
        if not in_table or len(cells) < 4:
            continue
        mark = re.sub(r"<[^>]+>", "", cells[0])
        if mark in ("I", "II"):
            section = {"I": "department", "II": "district"}[mark]
            continue
        rows[cells[1].strip()] = (section, int(cells[2]), cells[3].strip())
    return rows


@pytest.fixture(scope="module")
def appendix() -> dict[str, tuple[str, int, str]]:
    return decision_appendix(DECISION.read_text(encoding="utf-8"))


def test_fixture_is_the_shared_decision():
    if not SHARED_DECISION.exists():
        pytest.skip("the shared source folder is not on this machine")
    assert DECISION.read_bytes() == SHARED_DECISION.read_bytes()


def test_decision_appendix_as_parsed(appendix):
    assert len(appendix) == 27
    departments = [v for v in appendix.values() if v[0] == "department"]
    districts = [v for v in appendix.values() if v[0] == "district"]
    assert len(departments) == 17 and len(districts) == 10
    assert sum(v[1] for v in departments) == 1316
    assert sum(v[1] for v in districts) == 1920
    assert {v[2] for v in appendix.values()} == {"55%"}


def test_bundled_targets_equal_the_decision(resolver, registry, appendix):
    loaded = read_targets(default_targets_path(), resolver)
    assert loaded.problems == []
    frame = loaded.frame.set_index("unit_code")
    assert list(frame.index) == list(registry["unit_code"])
    assert set(frame["year"]) == {2022}
    groups = registry.set_index("unit_code")["group"]
    by_name = registry.set_index("name_in_decision")["unit_code"]
    for name, (section, eligible, rate) in appendix.items():
        code = by_name[name]
        assert groups[code] == section
        assert frame.at[code, "eligible_procedures"] == eligible
        assert rate == "55%" and frame.at[code, "target_rate"] == 0.55
    dep = frame.loc[groups[groups == "department"].index, "eligible_procedures"].sum()
    dist = frame.loc[groups[groups == "district"].index, "eligible_procedures"].sum()
    assert (dep, dist) == (1316, 1920)


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Sở Y tế tỉnh Hòa Bình", "SYT"),
        ("Sở Tư pháp tỉnh Hoà Bình", "STP"),
        ("UBND huyện Cao Phong, tỉnh Hòa Bình", "CAOPHONG"),
        ("Ban QL KCN", "BQLKCN"),
        ("BQL các KCN", "BQLKCN"),
        ("Ban Quản lý khu công nghiệp", "BQLKCN"),
        ("Lĩnh vực Ngoại vụ - VPUBND", "VPUBND-NV"),
    ],
)
def test_place_suffix_and_optional_cac(resolver, spelling, code):
    assert resolver.resolve(spelling) == code


@pytest.mark.parametrize(
    "spelling", ["UBND tỉnh Hòa Bình", "tỉnh Hòa Bình", "Văn phòng UBND tỉnh", "Sở", "UBND"]
)
def test_names_of_no_unit(resolver, spelling):
    """The province, the whole provincial office, or a bare prefix are not units."""
    assert resolver.resolve(spelling) is None


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Sở TC", "STC"),
        ("Sở XD", "SXD"),
        ("Sở YT", "SYT"),
        ("Sở NV", "SNV"),
        ("Sở TP", "STP"),
        ("SỞ TP", "STP"),
        ("sở  yt", "SYT"),
        ("UBND TP", None),  # "TP" after UBND is "thành phố", not Sở Tư pháp
        ("TP", None),
        ("TC", None),
    ],
)
def test_two_letter_department_initials_only_after_so(resolver, spelling, code):
    assert resolver.resolve(spelling) == code
    assert resolver.resolve(unicodedata.normalize("NFD", spelling)) == code
