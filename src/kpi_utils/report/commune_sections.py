"""The commune parts of the report: a district's communes on its page, and all of them on one page.

Pure: a commune KPI table (`commune_kpi.commune_kpi_table`, one row per commune) in, escaped `Html`
out. Where a district assigned its communes no targets, its communes are held to the district's
own target (`target_source` = "district") and the part says so in a sentence, as Điều 2 of the
decision requires districts to assign them.
"""

from __future__ import annotations

import pandas as pd

from kpi_utils.metrics.commune_kpi import communes_below_target, communes_of_district
from kpi_utils.report import fmt, html_blocks, labels
from kpi_utils.report.html_blocks import Column, Html, Section


def _columns(lang: str, names: list[str]) -> list[Column]:
    formats = {
        "month_total": fmt.number,
        "month_online": fmt.number,
        "ytd_total": fmt.number,
        "ytd_online": fmt.number,
        "shortfall": fmt.number,
        "rank_in_district": fmt.number,
        "month_rate": fmt.percent,
        "ytd_rate": fmt.percent,
        "target_rate": fmt.percent,
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
                Column(name, header, lambda v: labels.status(str(v), lang), colour_field="status")
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
    if sources == {"none"}:
        return labels.text("communes_no_target", lang)
    district_rates = rows.loc[rows["target_source"] == "district", "target_rate"].dropna()
    target = fmt.percent(district_rates.iloc[0], lang) if len(district_rates) else fmt.MISSING
    whole = sources <= {"district", "none"}
    key = "communes_district_target" if whole else "communes_some_district_target"
    return labels.text(key, lang, target=target)


def headline_text(rows: pd.DataFrame, lang: str) -> str:
    """E.g. "12 of 19 communes met their target year-to-date; near or below it: 7; no data: 0."."""
    status = rows["status"]
    return labels.text(
        "communes_headline",
        lang,
        met=int((status == "met").sum()),
        communes=len(rows),
        short=int(status.isin(["near", "below"]).sum()),
        no_data=int((status == "no_data").sum()),
    )


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


def _heading(key: str, lang: str, level: int = 2) -> Html:
    return html_blocks.heading(labels.text(key, lang), level)


def district_section(table: pd.DataFrame, unit_code: str, lang: str) -> Html:
    """A district page's commune section: headline, whose target applies, the table of its
    communes (best YTD rate first), then the communes below target with their shortfall."""
    rows = communes_of_district(table, unit_code)
    heading = _heading("section_communes", lang)
    if not has_counts(rows):
        return heading + html_blocks.text_block(labels.text("communes_no_counts_district", lang))
    parts = heading + html_blocks.headline(headline_text(rows, lang))
    note = target_note(rows, lang)
    if note is not None:
        parts += html_blocks.text_block(note)
    name = rows["district_name"].iloc[0]
    parts += html_blocks.table(
        rows, _columns(lang, TABLE_COLUMNS), _total_row(rows, str(name), lang)
    )
    return parts + below_target(table, lang, unit_code, level=3)


def below_target(
    table: pd.DataFrame, lang: str, unit_code: str | None = None, level: int = 2
) -> Html:
    """Communes near or below their target, largest shortfall first (one district's if given)."""
    rows = communes_below_target(table, unit_code)
    heading = _heading("section_communes_below", lang, level)
    if rows.empty:
        return heading + html_blocks.text_block(labels.text("no_communes_below", lang))
    names = list(BELOW_COLUMNS)
    if unit_code is None:
        names.insert(1, "district_name")
    columns = _columns(lang, [*names, "status", "shortfall"])
    return heading + html_blocks.table(rows, columns)


def all_communes(table: pd.DataFrame, lang: str) -> Html:
    """Every commune, grouped by district (in the registry's order), with district totals;
    a district's title says when its own target applies to its communes."""
    columns = _columns(lang, TABLE_COLUMNS)
    sections = []
    for unit_code in table["unit_code"].unique():
        rows = communes_of_district(table, str(unit_code))
        name = str(rows["district_name"].iloc[0])
        note = target_note(rows, lang)
        title = name if note is None else f"{name}. {note}"
        sections.append(Section(title, rows, _total_row(rows, name, lang)))
    total = _total_row(table, labels.text("total_row", lang), lang)
    return html_blocks.sectioned_table(sections, columns, total)
