"""The content of the monthly BÁO CÁO to the Provincial People's Committee, from the KPI table.

Pure: `report_facts` gathers from tidy frames everything the document states (the month's KPI
table, the month before, the same period a year earlier, movers, the rate needed for the rest of
the year, missing figures, revisions, the on-time rate); `sections` turns the facts into the
numbered sections' Vietnamese sentences; `appendix_rows` gives the PHỤ LỤC table in the
decision's order with group subtotals and the total of the 27 units. The layout of the Word file
is `report.document`'s; the words are `labels.DOCUMENT`'s.

The document is always Vietnamese: it is an official document of the department (Decree
30/2020/NĐ-CP), whatever language the site is built in. Every sentence is written for any count
of units (none, one, some, all); a zero clause is dropped rather than said as "0 ...". In the last
month of a target year the year is closed: units have met the target or not, never "near".
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from kpi_utils.metrics import trends
from kpi_utils.metrics.kpi import RATE_COLUMNS, province_total
from kpi_utils.metrics.ontime import has_on_time, on_time_rates
from kpi_utils.metrics.yoy import year_over_year
from kpi_utils.report import fmt, labels

LANG = "vi"
MOVERS = 3
FINAL_MONTH = 12


@dataclass(frozen=True)
class Section:
    """A numbered section: its heading and paragraphs (`placeholder` marks text to be written)."""

    heading: str
    paragraphs: tuple[str, ...]
    placeholder: bool = False


@dataclass(frozen=True)
class ReportFacts:
    """What the document states, all derived from the checked inputs of one month."""

    month: pd.Period
    table: pd.DataFrame  # the month's KPI table (kpi_table.csv's rows)
    previous: pd.DataFrame | None  # the month before, same year (None in January)
    changes: pd.DataFrame  # trends.changes: each unit's rates against the month before
    needed: pd.DataFrame  # trends.needed_rates of the month's table
    year_before: dict | None  # like-for-like YTD a year earlier (units with both years)
    on_time: pd.DataFrame | None  # on_time_rates per unit, where the counts carry it
    revisions: pd.DataFrame | None  # store revisions since the last report (None: unknown)
    is_sample: bool = False

    @property
    def closed_year(self) -> bool:
        """December: the YTD rate is the year's result, not a forecast."""
        return self.month.month == FINAL_MONTH


def report_facts(
    counts: pd.DataFrame,
    targets: pd.DataFrame,
    registry: pd.DataFrame,
    month: str | pd.Period,
    *,
    revisions: pd.DataFrame | None = None,
    is_sample: bool = False,
    series: pd.DataFrame | None = None,
) -> ReportFacts:
    """Everything the month's document states, from the same frames the site is built from.

    `series`: the year's KPI series of these frames up to `month` (`trends.kpi_series`), when
    the caller has it already (the build does); computed here otherwise."""
    month = pd.Period(month, freq="M")
    if series is None:
        series = trends.kpi_series(counts, targets, registry, month)
    table = trends.month_slice(series, month)
    previous = trends.month_slice(series, month - 1) if month.month > 1 else None
    codes = list(registry["unit_code"])
    return ReportFacts(
        month=month,
        table=table,
        previous=previous,
        changes=trends.changes(series, month),
        needed=trends.needed_rates(table),
        year_before=_year_before(counts, month, codes),
        on_time=on_time_rates(counts, month, keys=codes) if has_on_time(counts) else None,
        revisions=revisions,
        is_sample=is_sample,
    )


def _year_before(counts: pd.DataFrame, month: pd.Period, codes: list[str]) -> dict | None:
    """YTD now and a year earlier over the units with complete YTD figures in both years."""
    yoy = year_over_year(counts, month, keys=codes)
    both = yoy[yoy["ytd_rate_change_pp"].notna()]
    if both.empty:
        return None
    now = Fraction(int(both["ytd_online"].sum()), int(both["ytd_total"].sum()))
    before = Fraction(int(both["prev_ytd_online"].sum()), int(both["prev_ytd_total"].sum()))
    with_data = int((yoy["ytd_total"].fillna(0) > 0).sum())
    return {
        "units": len(both),
        "units_with_data": with_data,
        "ytd_rate": float(now),
        "prev_ytd_rate": float(before),
        "change_pp": float((now - before) * 100),
    }


# --- words ------------------------------------------------------------------------------------


def _t(key: str, **fields: object) -> str:
    return labels.document(key, **fields)


def _pct(rate: object) -> str:
    return fmt.percent(rate, LANG)


def _target(rate: object) -> str:
    """A target as the decision writes it: 55% (a decimal only where it has one)."""
    digits = 0 if round(float(rate) * 100, 6) == round(float(rate) * 100) else 1
    return fmt.percent(rate, LANG, digits=digits)


def _pp(value: float) -> str:
    return fmt.decimal(abs(value), LANG)


def _month(month: pd.Period) -> str:
    return fmt.month(month, LANG)


def _names(items: list[str]) -> str:
    """A list in a sentence: `A`, `A và B`, `A, B và C`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def _listing(items: list[str]) -> str:
    """Units with their figures, separated by semicolons: `A (80,0%); B (60,1%)`."""
    return "; ".join(items)


def _direction(change_pp: float) -> str:
    if round(change_pp, 1) == 0:
        return _t("unchanged")
    return _t("up" if change_pp > 0 else "down", points=_pp(change_pp))


def _targets_phrase(table: pd.DataFrame) -> str:
    rates = sorted(set(table["target_rate"].dropna().astype(float)))
    if len(rates) == 1:
        return _t("target_uniform", target=_target(rates[0]))
    if not rates:
        return _t("target_none")
    return _t("target_range", low=_target(rates[0]), high=_target(rates[-1]))


def _units(table: pd.DataFrame) -> int:
    return len(table)


def province_paragraphs(facts: ReportFacts) -> tuple[str, ...]:
    """1. The 27 units together: the month, the YTD against the targets, the changes."""
    total = province_total(facts.table)
    units = _units(facts.table)
    month = _month(facts.month)
    out = []
    if total["month_total"]:
        out.append(
            _t(
                "month_sum",
                month=month.capitalize(),
                units=units,
                total=fmt.number(total["month_total"], LANG),
                online=fmt.number(total["month_online"], LANG),
                rate=_pct(total["month_rate"]),
            )
        )
    else:
        out.append(_t("month_sum_none", month=month.capitalize(), units=units))
    if not total["ytd_total"]:
        out.append(_t("ytd_none", month=month))
        return tuple(out)
    sentence = _t(
        "ytd_sum",
        month=month,
        units=units,
        total=fmt.number(total["ytd_total"], LANG),
        online=fmt.number(total["ytd_online"], LANG),
        rate=_pct(total["ytd_rate"]),
        targets=_targets_phrase(facts.table),
    )
    comparisons = []
    if facts.previous is not None:
        before = province_total(facts.previous)
        if before["ytd_total"]:
            change = (total["ytd_rate"] - before["ytd_rate"]) * 100
            comparisons.append(
                _t("vs_previous", direction=_direction(change), month=_month(facts.month - 1))
            )
    if facts.year_before is not None:
        yb = facts.year_before
        clause = _t(
            "vs_year_before",
            direction=_direction(yb["change_pp"]),
            year=facts.month.year - 1,
        )
        if yb["units"] < yb["units_with_data"]:
            clause += _t("vs_year_before_partial", units=yb["units"])
        comparisons.append(clause)
    else:
        comparisons.append(_t("no_year_before", year=facts.month.year - 1))
    out.append(sentence + ", " + _t("and").join(comparisons) + ".")
    out.append(_t("definition"))
    return tuple(out)


def _unit_figure(row: pd.Series, *, shortfall: bool, closed: bool = False) -> str:
    """`Unit (rate; ...)`; a closed year says the gap and what was missing, not what still is."""
    parts = [_pct(row["ytd_rate"])]
    if closed and pd.notna(row["gap_pp"]):
        parts.append(_t("below_target_by", points=_pp(float(row["gap_pp"]))))
    if shortfall and pd.notna(row["shortfall"]) and int(row["shortfall"]) > 0:
        key = "shortfall_closed" if closed else "shortfall"
        parts.append(_t(key, count=fmt.number(int(row["shortfall"]), LANG)))
    return f"{row['unit_name']} ({', '.join(parts)})"


def _rows(table: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    return table[table["status"].isin(statuses)]


def status_paragraphs(facts: ReportFacts) -> tuple[str, ...]:
    """2. Units met, near and below (in December: met or not met), named with their figures."""
    table = facts.table
    units = _units(table)
    target = _targets_phrase(table)
    met = _rows(table, ("met",))
    out = []
    year = facts.month.year
    if facts.closed_year:
        missed = _rows(table, ("near", "below"))
        figures = [_unit_figure(r, shortfall=False) for _, r in met.iterrows()]
        if len(met) == units:
            out.append(_t("year_all_met", units=units, year=year, list=_listing(figures)))
        elif len(met):
            out.append(
                _t("year_met", count=len(met), units=units, year=year, list=_listing(figures))
            )
        else:
            out.append(_t("year_none_met", year=year))
        if len(missed):
            figures = [_unit_figure(r, shortfall=True, closed=True) for _, r in missed.iterrows()]
            out.append(_t("year_missed", count=len(missed), year=year, list=_listing(figures)))
    else:
        figures = [_unit_figure(r, shortfall=False) for _, r in met.iterrows()]
        if len(met) == units:
            out.append(_t("all_met", units=units, target=target, list=_listing(figures)))
        elif len(met):
            out.append(
                _t("met", count=len(met), units=units, target=target, list=_listing(figures))
            )
        else:
            out.append(_t("none_met", target=target))
        for status in ("near", "below"):
            rows = _rows(table, (status,))
            if len(rows):
                figures = [_unit_figure(r, shortfall=True) for _, r in rows.iterrows()]
                out.append(_t(status, count=len(rows), list=_listing(figures)))
    no_data = _rows(table, ("no_data",))
    if len(no_data):
        out.append(_t("no_data", count=len(no_data), list=_names(list(no_data["unit_name"]))))
    return tuple(out)


def trend_paragraphs(facts: ReportFacts) -> tuple[str, ...]:
    """3. Largest rises and falls of the YTD rate; who can no longer reach the year's target."""
    out = []
    if facts.previous is None:
        out.append(_t("first_month", month=_month(facts.month)))
    else:
        change = facts.changes[facts.changes["ytd_change_pp"].notna()]
        before = _month(facts.month - 1)
        rises = change[change["ytd_change_pp"].round(1) > 0]
        falls = change[change["ytd_change_pp"].round(1) < 0]
        rises = rises.sort_values("ytd_change_pp", ascending=False, kind="stable").head(MOVERS)
        falls = falls.sort_values("ytd_change_pp", ascending=True, kind="stable").head(MOVERS)
        if len(rises):
            items = [
                f"{r['unit_name']} (+{_pp(float(r['ytd_change_pp']))} {_t('points')})"
                for _, r in rises.iterrows()
            ]
            out.append(_t("rises", month=before, list=_listing(items)))
        else:
            out.append(_t("no_rises", month=before))
        if len(falls):
            items = [
                f"{r['unit_name']} (-{_pp(float(r['ytd_change_pp']))} {_t('points')})"
                for _, r in falls.iterrows()
            ]
            out.append(_t("falls", list=_listing(items)))
        else:
            out.append(_t("no_falls"))
    if not facts.closed_year and len(facts.needed):
        year = facts.month.year
        lost = facts.needed[facts.needed["out_of_reach"]]
        open_ = facts.needed[~facts.needed["out_of_reach"]]
        if len(open_):
            items = [f"{r['unit_name']} ({_pct(r['needed_rate'])})" for _, r in open_.iterrows()]
            out.append(_t("needed", year=year, list=_listing(items)))
        if len(lost):
            out.append(
                _t(
                    "out_of_reach",
                    count=len(lost),
                    year=year,
                    list=_names(list(lost["unit_name"])),
                )
            )
    return tuple(out)


def data_paragraphs(facts: ReportFacts) -> tuple[str, ...]:
    """4. Figures missing for the month, revisions since the last report, the on-time rate."""
    table = facts.table
    month = _month(facts.month)
    out = []
    missing = table[table["month_total"].isna()]
    if len(missing):
        out.append(
            _t(
                "missing",
                month=month,
                count=len(missing),
                list=_names(list(missing["unit_name"])),
            )
        )
    else:
        out.append(_t("complete", month=month, units=_units(table)))
    if facts.revisions is not None:
        out.append(
            revision_sentence(
                facts.revisions, dict(zip(table["unit_code"], table["unit_name"], strict=True))
            )
        )
    if facts.on_time is not None:
        known = facts.on_time[facts.on_time["ytd_resolved"].notna()]
        resolved = int(known["ytd_resolved"].sum())
        on_time = int(known["ytd_resolved_on_time"].sum())
        if resolved:
            out.append(
                _t(
                    "on_time",
                    month=month,
                    rate=_pct(on_time / resolved),
                    on_time=fmt.number(on_time, LANG),
                    resolved=fmt.number(resolved, LANG),
                    units=len(known),
                )
            )
    return tuple(out)


def revision_sentence(revisions: pd.DataFrame, names: dict[str, str]) -> str:
    """Revisions (unit_code, month, field, old, new) as one sentence, or that there were none."""
    if revisions.empty:
        return _t("no_revisions")
    items = []
    for _, r in revisions.iterrows():
        key = "field_" + str(r["field"])
        field = labels.document(key) if key in labels.DOCUMENT else str(r["field"])
        items.append(
            _t(
                "revision",
                unit=names.get(str(r["unit_code"]), str(r["unit_code"])),
                month=_month(pd.Period(str(r["month"]), freq="M")),
                field=field,
                old=fmt.number(r["old"], LANG),
                new=fmt.number(r["new"], LANG),
            )
        )
    return _t("revisions", count=len(items), list=_listing(items))


def sections(facts: ReportFacts) -> list[Section]:
    """The numbered sections of the document, in order."""
    return [
        Section(_t("h_province"), province_paragraphs(facts)),
        Section(
            _t("h_units_year") if facts.closed_year else _t("h_units"), status_paragraphs(facts)
        ),
        Section(_t("h_trends"), trend_paragraphs(facts)),
        Section(_t("h_data"), data_paragraphs(facts)),
        Section(_t("h_proposals"), (_t("proposals_placeholder"),), placeholder=True),
    ]


# --- the appendix -----------------------------------------------------------------------------

# a unit's row of the PHỤ LỤC: its name and target, then the KPI table's month and YTD cells
APPENDIX_COLUMNS = ("unit_name", "target_rate", *(c for c in RATE_COLUMNS if c != "month"))
ON_TIME_COLUMNS = ("ytd_resolved", "ytd_resolved_on_time", "ytd_on_time_rate")


@dataclass(frozen=True)
class AppendixRow:
    """One row of the PHỤ LỤC table: `kind` is heading, unit, subtotal or total."""

    kind: str
    number: str
    values: dict


def _sums(rows: pd.DataFrame, on_time: pd.DataFrame | None) -> dict:
    total = province_total(rows)
    values = {
        "month_total": total["month_total"],
        "month_online": total["month_online"],
        "month_rate": total["month_rate"],
        "ytd_total": total["ytd_total"],
        "ytd_online": total["ytd_online"],
        "ytd_rate": total["ytd_rate"],
    }
    if on_time is not None:
        known = on_time[on_time["unit_code"].isin(rows["unit_code"])]
        resolved = known["ytd_resolved"].dropna().astype("int64").sum()
        in_time = known["ytd_resolved_on_time"].dropna().astype("int64").sum()
        values["ytd_resolved"] = int(resolved)
        values["ytd_resolved_on_time"] = int(in_time)
        values["ytd_on_time_rate"] = in_time / resolved if resolved else None
    return values


def appendix_rows(facts: ReportFacts) -> list[AppendixRow]:
    """The KPI table in the decision's order: a heading per group, its units, its subtotal;
    then the total of all units. Unit rows carry the KPI table's own values."""
    table = facts.table
    on_time = facts.on_time.set_index("unit_code") if facts.on_time is not None else None
    rows: list[AppendixRow] = []
    numerals = ("I", "II", "III", "IV")
    for index, group in enumerate(dict.fromkeys(table["group"])):
        members = table[table["group"] == group]
        rows.append(
            AppendixRow("heading", numerals[index], {"unit_name": labels.group(group, LANG)})
        )
        for n, (_, unit) in enumerate(members.iterrows(), start=1):
            values = {c: unit[c] for c in APPENDIX_COLUMNS}
            if on_time is not None:
                for c in ON_TIME_COLUMNS:
                    values[c] = on_time.at[unit["unit_code"], c]
            rows.append(AppendixRow("unit", str(n), values))
        subtotal = _sums(members, facts.on_time)
        subtotal["unit_name"] = _t("subtotal_" + str(group))
        rows.append(AppendixRow("subtotal", "", subtotal))
    total = _sums(table, facts.on_time)
    total["unit_name"] = _t("total", units=_units(table))
    rows.append(AppendixRow("total", "", total))
    return rows


def appendix_status(row: AppendixRow, closed_year: bool) -> str:
    """The result column in words; a closed year says met or not met, never near."""
    status = row.values.get("status")
    if row.kind != "unit" or status is None:
        return ""
    if closed_year and status in ("near", "below"):
        return _t("status_missed")
    return labels.status(str(status), LANG)
