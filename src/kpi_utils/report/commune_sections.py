"""The commune parts of the report: a district's communes on its page, and all of them on one page.

Pure: a commune KPI table (`commune_kpi.commune_kpi_table`, one row per commune) in, escaped `Html`
out. Where no target a district assigned to a commune is on record, the commune is held to the
district's own target (`target_source` = "district"): this report's convention, not the
decision's (Điều 2 only tells districts to assign targets), and the part says so in a sentence.
Words follow the district: "thành phố" and "phường" for the city, "huyện" and "xã, thị trấn"
elsewhere; in December the statuses are the year's result (met or not met).
"""

from __future__ import annotations

import pandas as pd

from kpi_utils.metrics import trends
from kpi_utils.metrics.commune_kpi import communes_below_target, communes_of_district
from kpi_utils.report import fmt, html_blocks, labels
from kpi_utils.report.html_blocks import Column, Html, Section

ALL_WARDS = "xã, phường, thị trấn"


def _closed(rows: pd.DataFrame) -> bool:
    return bool(len(rows)) and trends.year_closed(str(rows["month"].iloc[0]))


def district_kind(rows: pd.DataFrame) -> str:
    """ "thành phố" for the city's communes, "huyện" for a district's (from `district_name`)."""
    name = str(rows["district_name"].iloc[0]) if len(rows) else ""
    return "thành phố" if name.lower().startswith("thành phố") else "huyện"


def wards_of(rows: pd.DataFrame) -> str:
    """The kinds of commune among `rows`, as a noun: "xã, thị trấn", "xã, phường", …"""
    return labels.ward_nouns(rows["ward_type"]) if len(rows) else ALL_WARDS


def _columns(lang: str, names: list[str], closed: bool = False) -> list[Column]:
    formats = {
        "month_total": fmt.number,
        "month_online": fmt.number,
        "ytd_total": fmt.number,
        "ytd_online": fmt.number,
        "shortfall": fmt.number,
        "rank_in_district": fmt.number,
        "month_rate": fmt.percent,
        "ytd_rate": fmt.percent,
        "target_rate": fmt.target,
        "gap_pp": fmt.points,
    }
    columns = []
    for name in names:
        header = labels.column(name, lang)
        if name in formats:
            one = formats[name]
            columns.append(
                Column(
                    name,
                    header,
                    lambda v, f=one: f(v, lang),
                    numeric=True,
                    colour_field="status" if name == "ytd_rate" else None,
                )
            )
        elif name == "status":
            columns.append(
                Column(
                    name,
                    header,
                    lambda v: labels.status(str(v), lang, closed),
                    colour_field="status",
                )
            )
        elif name == "target_source":
            columns.append(Column(name, header, lambda v: labels.target_source(str(v), lang)))
        else:
            columns.append(Column(name, header))
    return columns


TABLE_COLUMNS = [
    "rank_in_district",
    "ward_name",
    "month_total",
    "month_online",
    "month_rate",
    "ytd_total",
    "ytd_online",
    "ytd_rate",
    "target_rate",
    "target_source",
    "status",
    "shortfall",
]
BELOW_COLUMNS = ["ward_name", "ytd_total", "ytd_online", "ytd_rate", "target_rate", "gap_pp"]


def has_counts(rows: pd.DataFrame) -> bool:
    """True when any of the communes has dossiers this year."""
    return bool((rows["ytd_total"] > 0).any())


def target_note(rows: pd.DataFrame, lang: str) -> str | None:
    """The sentence saying whose target applies, for one district's communes (None: all assigned).

    Every commune on the district's own target: the district assigned none. Some: those take it.
    """
    sources = set(rows["target_source"])
    if not len(rows) or sources == {"commune"}:
        return None
    kind, wards = district_kind(rows), wards_of(rows)
    if sources == {"none"}:
        return labels.text("communes_no_target", lang, kind=kind, wards=wards)
    district_rates = rows.loc[rows["target_source"] == "district", "target_rate"].dropna()
    target = fmt.target(district_rates.iloc[0], lang) if len(district_rates) else fmt.MISSING
    whole = sources <= {"district", "none"}
    key = "communes_district_target" if whole else "communes_some_district_target"
    return labels.text(key, lang, target=target, kind=kind, wards=wards)


def headline_text(rows: pd.DataFrame, lang: str, wards: str | None = None) -> str:
    """E.g. "5 trong tổng số 18 xã, phường, thị trấn đạt chỉ tiêu lũy kế; 13 xã, phường, thị trấn
    chưa đạt, trong đó 6 gần đạt." (a zero clause left out; `labels.communes_headline`)."""
    counts = rows["status"].value_counts()
    year = int(str(rows["month"].iloc[0])[:4]) if _closed(rows) else None
    return labels.communes_headline(
        {k: int(counts.get(k, 0)) for k in ("met", "near", "below", "no_data")},
        wards or wards_of(rows),
        lang,
        year,
    )


def _total_name(rows: pd.DataFrame, lang: str, wards: str | None = None) -> str:
    """ "Cộng 13 xã, thị trấn": what a commune total row sums."""
    return labels.text("communes_total", lang, communes=len(rows), wards=wards or wards_of(rows))


def _total_row(rows: pd.DataFrame, name: str, lang: str) -> dict[str, str]:
    month_total = int(rows["month_total"].fillna(0).sum())
    month_online = int(rows["month_online"].fillna(0).sum())
    ytd_total, ytd_online = int(rows["ytd_total"].sum()), int(rows["ytd_online"].sum())
    return {
        "ward_name": name,
        "month_total": fmt.number(month_total, lang),
        "month_online": fmt.number(month_online, lang),
        "month_rate": fmt.percent(month_online / month_total if month_total else None, lang),
        "ytd_total": fmt.number(ytd_total, lang),
        "ytd_online": fmt.number(ytd_online, lang),
        "ytd_rate": fmt.percent(ytd_online / ytd_total if ytd_total else None, lang),
    }


def _heading(key: str, lang: str, level: int = 2, **fields: object) -> Html:
    return html_blocks.heading(labels.text(key, lang, **fields), level)


def _in_sentence(name: str, lang: str) -> str:
    """ "Huyện Cao Phong" as a Vietnamese sentence names it: "huyện Cao Phong"."""
    return name[:1].lower() + name[1:] if lang == "vi" else name


def district_section(table: pd.DataFrame, unit_code: str, lang: str) -> Html:
    """A district page's commune section: headline, whose target applies, the table of its
    communes (best YTD rate first), then the communes below target with their shortfall."""
    rows = communes_of_district(table, unit_code)
    wards, kind = wards_of(rows), district_kind(rows)
    district = _in_sentence(str(rows["district_name"].iloc[0]), lang) if len(rows) else ""
    heading = _heading("section_communes", lang, wards=wards)
    if not has_counts(rows):
        return heading + html_blocks.text_block(
            labels.text("communes_no_counts_district", lang, wards=wards, district=district)
        )
    intro = labels.text("communes_intro", lang, wards=wards, kind=kind, district=district)
    parts = heading + html_blocks.text_block(intro)
    parts += html_blocks.headline(headline_text(rows, lang))
    note = target_note(rows, lang)
    if note is not None:
        parts += html_blocks.text_block(note)
    parts += html_blocks.table(
        rows,
        _columns(lang, TABLE_COLUMNS, _closed(rows)),
        _total_row(rows, _total_name(rows, lang), lang),
    )
    return parts + below_target(table, lang, unit_code, level=3)


def below_target(
    table: pd.DataFrame, lang: str, unit_code: str | None = None, level: int = 2
) -> Html:
    """Communes near or below their target, largest shortfall first (one district's if given)."""
    rows = communes_below_target(table, unit_code)
    scope = table if unit_code is None else table[table["unit_code"] == unit_code]
    wards, closed = wards_of(scope), _closed(table)
    year = str(table["month"].iloc[0])[:4] if len(table) else ""
    key = "section_communes_below_year" if closed else "section_communes_below"
    heading = _heading(key, lang, level, wards=wards, year=year)
    if rows.empty:
        return heading + html_blocks.text_block(labels.text("no_communes_below", lang, wards=wards))
    names = list(BELOW_COLUMNS)
    if unit_code is None:
        names.insert(1, "district_name")
    columns = _columns(lang, [*names, "status", "shortfall"], closed)
    return heading + html_blocks.table(rows, columns)


def all_communes(table: pd.DataFrame, lang: str, order: list[str] | None = None) -> Html:
    """Every commune, grouped by district in `order` (the decision's order of the units; the
    table's order without it), with district totals; a district's title says when its own
    target applies to its communes."""
    columns = _columns(lang, TABLE_COLUMNS, _closed(table))
    present = list(table["unit_code"].unique())
    codes = [c for c in (order or present) if c in present]
    codes += [c for c in present if c not in codes]
    sections = []
    for unit_code in codes:
        rows = communes_of_district(table, str(unit_code))
        name = str(rows["district_name"].iloc[0])
        note = target_note(rows, lang)
        title = name if note is None else f"{name}. {note}"
        sections.append(Section(title, rows, _total_row(rows, _total_name(rows, lang), lang)))
    total = _total_row(table, _total_name(table, lang, ALL_WARDS), lang)
    return html_blocks.sectioned_table(sections, columns, total)
