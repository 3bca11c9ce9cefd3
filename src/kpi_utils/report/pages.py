"""The report pages: what each shows, computed once per page, displayed part by part.

A notebook calls one constructor (`overview_page`, `data_quality_page`, `unit_page`,
`communes_page`), which reads the inputs once (through `pipeline.checked_inputs`, so bad input
stops the page with every problem listed) and computes the year's KPI series once; each method
then returns one part of the page, ready to display: `Html` (headline, tables) or
`charts.Figure` (inline SVG). No file is written here.

Beside the online rate, pages show, where the inputs allow it:
- the on-time rate (`ontime`), only when this year's counts carry `resolved` and
  `resolved_on_time` (otherwise no column and no sentence appear);
- the month and the YTD against the same month and YTD a year earlier (`yoy`), or a sentence
  saying there is no data a year earlier;
- on district pages and the commune page, the communes (`commune_report`). Commune inputs are
  read only by those pages: `commune_counts` None means the SYNTHETIC commune sample when the
  unit counts are the sample, and no commune figures otherwise.

Within a build the inputs are read and checked once, by the build (`site/build.py`): it saves
them with the year's KPI series as a `Prepared` file in its staging folder, and every page gets
its path as the notebook parameter `prepared`; the constructors then take the inputs from it and
read no input file. A notebook run by hand (`prepared` left None) reads its inputs itself.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from kpi_utils.common import paths
from kpi_utils.common.outputs import write_atomic
from kpi_utils.common.problems import raise_if_errors
from kpi_utils.common.registry import UnitResolver
from kpi_utils.metrics import ontime, quality, trends, yoy
from kpi_utils.metrics.commune_kpi import commune_kpi_table
from kpi_utils.metrics.pipeline import (
    CommuneInputs,
    Inputs,
    checked_inputs,
    latest_month,
    load_commune_inputs,
)
from kpi_utils.report import commune_sections as commune_report
from kpi_utils.report import fmt, html_blocks, labels
from kpi_utils.report.html_blocks import Column, Html

CountsArg = str | Path | Sequence[str | Path] | None
TargetsArg = str | Path | Sequence[str | Path] | None  # several files: several years


def _counts_paths(counts: CountsArg) -> list[str | Path] | None:
    """A papermill parameter may be one path or a list of paths; None means the sample."""
    if counts is None:
        return None
    if isinstance(counts, str | Path):
        return [counts]
    return list(counts)


# Bundled targets files that are illustrative, not a decision's (data/README.md).
ILLUSTRATIVE_TARGETS = ("targets_2021.csv",)


def illustrative_target_years(targets: pd.DataFrame) -> set[int]:
    """The years whose targets come from a bundled ILLUSTRATIVE file."""
    bundled = {(paths.data_dir() / name).resolve() for name in ILLUSTRATIVE_TARGETS}
    years = set()
    for source, year in zip(targets["source_file"], targets["year"], strict=True):
        if not pd.isna(year) and Path(source).resolve() in bundled:
            years.add(int(year))
    return years


@dataclass
class Page:
    """What every page shares: the month, the language, the inputs and the year's KPI series."""

    month: str
    lang: str
    inputs: Inputs
    series: pd.DataFrame = field(repr=False)
    # the targets decision's number, as the Word report cites it (a build's `[document]
    # decision_number`); blank, the decision is named by its issuer and month
    decision_number: str = field(default="", kw_only=True)

    @cached_property
    def table(self) -> pd.DataFrame:
        """The month's KPI table (equal to `kpi.kpi_table` for the month)."""
        return trends.month_slice(self.series, self.month)

    def notice(self) -> Html:
        """The synthetic-data notice when the bundled sample is used, and a notice when the
        year's targets are illustrative; nothing otherwise."""
        parts = Html("")
        if self.inputs.is_sample:
            parts += html_blocks.notice(labels.text("sample_notice", self.lang))
        year = pd.Period(self.month, freq="M").year
        if year in illustrative_target_years(self.inputs.targets):
            parts += html_blocks.notice(
                labels.text("illustrative_targets_notice", self.lang, year=year)
            )
        return parts

    def text(self, key: str) -> Html:
        """A paragraph of the notebook's narrative in the page's language (`labels.TEXT[key]`).

        The narrative lives in labels.py, not in Markdown cells: one place per language, and a
        page built with `lang="en"` carries no Vietnamese sentence (nor the reverse)."""
        return html_blocks.text_block(labels.text(key, self.lang))

    @cached_property
    def year(self) -> int:
        return pd.Period(self.month, freq="M").year

    @cached_property
    def closed(self) -> bool:
        """December: the YTD rate is the year's result, told as met or not met."""
        return trends.year_closed(self.month)

    def sources(self) -> Html:
        """Definitions, the decision, the data source and the cut-off date, at the foot."""
        lang = self.lang
        decision = labels.decision(lang, self.decision_number)
        cutoff = fmt.date(fmt.last_day(self.month), lang)
        items = [
            labels.text(
                "definition_rate", lang, decision=decision, subject=labels.decision_subject(lang)
            ),
            labels.text("definition_status_year" if self.closed else "definition_status", lang),
            labels.text("definition_missing", lang),
            labels.text("definition_levels", lang),
            labels.text("source_data", lang, cutoff=cutoff),
        ]
        return self._section("section_sources") + html_blocks.bullets(items)

    @cached_property
    def codes(self) -> list[str]:
        return list(self.inputs.registry["unit_code"])

    @cached_property
    def shows_on_time(self) -> bool:
        """Whether this year's counts (through the month) carry on-time figures at all."""
        month = pd.Period(self.month, freq="M")
        counts = self.inputs.counts
        this_year = counts[(counts["month"].dt.year == month.year) & (counts["month"] <= month)]
        return ontime.has_on_time(this_year)

    @cached_property
    def on_time_table(self) -> pd.DataFrame:
        """Month and YTD on-time rates per unit, registry order (`ontime.on_time_rates`)."""
        return ontime.on_time_rates(self.inputs.counts, self.month, keys=self.codes)

    @cached_property
    def yoy_table(self) -> pd.DataFrame:
        """Each unit's month and YTD beside a year earlier (`yoy.year_over_year`)."""
        return yoy.year_over_year(self.inputs.counts, self.month, keys=self.codes)

    def _yoy_rows(self, row: pd.Series) -> Html:
        """One key's month and YTD beside the same month and YTD a year earlier, as two rows;
        a sentence when there is no data a year earlier."""
        previous = fmt.month(row["prev_month"], self.lang)
        month = self._month_text()
        if pd.isna(row["prev_month_total"]) and pd.isna(row["prev_ytd_total"]):
            return html_blocks.text_block(labels.text("no_year_earlier", self.lang, month=previous))
        frame = pd.DataFrame(
            [
                {
                    "yoy_period": labels.capitalized(
                        labels.text("yoy_month_row", self.lang, month=month, previous=previous)
                    ),
                    "yoy_total": row["month_total"],
                    "yoy_online": row["month_online"],
                    "yoy_rate": row["month_rate"],
                    "prev_total": row["prev_month_total"],
                    "prev_online": row["prev_month_online"],
                    "prev_rate": row["prev_month_rate"],
                    "rate_change_pp": row["month_rate_change_pp"],
                },
                {
                    "yoy_period": labels.text("yoy_ytd_row", self.lang, month=month),
                    "yoy_total": row["ytd_total"],
                    "yoy_online": row["ytd_online"],
                    "yoy_rate": row["ytd_rate"],
                    "prev_total": row["prev_ytd_total"],
                    "prev_online": row["prev_ytd_online"],
                    "prev_rate": row["prev_ytd_rate"],
                    "rate_change_pp": row["ytd_rate_change_pp"],
                },
            ]
        )
        columns = [
            self._col("yoy_period"),
            self._col("yoy_total", self._num, numeric=True),
            self._col("yoy_online", self._num, numeric=True),
            self._col("yoy_rate", self._pct, numeric=True),
            self._col("prev_total", self._num, numeric=True),
            self._col("prev_online", self._num, numeric=True),
            self._col("prev_rate", self._pct, numeric=True),
            self._col("rate_change_pp", self._pts, numeric=True),
        ]
        parts = html_blocks.table(frame, columns)
        if pd.isna(row["ytd_rate_change_pp"]):
            parts += html_blocks.text_block(labels.text("yoy_partial", self.lang))
        return parts

    def _month_text(self) -> str:
        return fmt.month(self.month, self.lang)

    # formatters for table columns
    def _pct(self, value: object) -> str:
        return fmt.percent(value, self.lang)

    def _mon(self, value: object) -> str:
        return labels.capitalized(fmt.month(value, self.lang))

    def _tgt(self, value: object) -> str:
        return fmt.target(value, self.lang)

    def _num(self, value: object) -> str:
        return fmt.number(value, self.lang)

    def _pts(self, value: object) -> str:
        return fmt.points(value, self.lang)

    def _status(self, value: object) -> str:
        return labels.status(str(value), self.lang, self.closed)

    def _section(self, key: str) -> Html:
        return html_blocks.heading(labels.text(key, self.lang), 2)

    def _col(self, name: str, fmt_=str, numeric=False, colour_field=None) -> Column:
        return Column(name, labels.column(name, self.lang), fmt_, numeric, colour_field)


def _charts():
    """Altair and vl-convert take seconds to import: only the parts that draw load them."""
    from kpi_utils.report import charts

    return charts


@dataclass(frozen=True)
class Prepared:
    """What a build checked once and hands to every page: the month, the inputs, the year's KPI
    series, and the commune inputs (None: no commune figures)."""

    month: str
    inputs: Inputs
    series: pd.DataFrame
    communes: CommuneInputs | None = None
    decision_number: str = ""  # of the targets decision, for the pages' sources (see Page)

    def save(self, path: str | Path) -> None:
        """Write it for the pages (a pickle: the build's own file, read by its own pages);
        `CannotWrite` if it cannot."""
        write_atomic(path, pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def read(cls, path: str | Path) -> Prepared:
        prepared = pickle.loads(Path(path).read_bytes())
        if not isinstance(prepared, cls):
            raise ValueError(f"{path}: not a build's prepared inputs")
        return prepared


def prepare(
    month: str,
    inputs: Inputs,
    communes: CommuneInputs | None,
    decision_number: str = "",
) -> Prepared:
    """The `Prepared` inputs of every page of `month`'s report (inputs checked by the caller)."""
    month = str(pd.Period(month, freq="M"))
    series = trends.kpi_series(inputs.counts, inputs.targets, inputs.registry, month)
    return Prepared(month, inputs, series, communes, decision_number)


def _decision_number(prepared: Prepared | None) -> str:
    return prepared.decision_number if prepared is not None else ""


def _load(
    month: str | None, counts: CountsArg, targets, lang: str, prepared: str | Path | None = None
) -> tuple[str, Inputs, pd.DataFrame, Prepared | None]:
    """The month, the inputs and the year's KPI series: from `prepared` (returned too) when given,
    otherwise read and checked here."""
    labels.check_lang(lang)
    if prepared is not None:
        checked = _prepared(prepared, month)
        return checked.month, checked.inputs, checked.series, checked
    inputs = checked_inputs(
        counts=_counts_paths(counts),
        targets=targets,
        month=None if month in (None, "latest") else month,
    )
    if month in (None, "latest"):
        month = latest_month(inputs.counts)
    month = str(pd.Period(month, freq="M"))
    series = trends.kpi_series(inputs.counts, inputs.targets, inputs.registry, month)
    return month, inputs, series, None


def _prepared(path: str | Path, month: str | None) -> Prepared:
    checked = Prepared.read(path)
    if month not in (None, "latest") and str(pd.Period(month, freq="M")) != checked.month:
        raise ValueError(f"{path} holds the inputs of {checked.month}, not of {month}")
    return checked


# ------------------------------------------------------------------------------------------------
# Overview: the province


def province_on_time_rate(counts: pd.DataFrame, month: str) -> float | None:
    """The province's YTD on-time rate (NaN when nothing was resolved yet), or None when this
    year's counts through `month` carry no on-time figures (then no on-time sentence appears)."""
    period = pd.Period(month, freq="M")
    this_year = counts[(counts["month"].dt.year == period.year) & (counts["month"] <= period)]
    if not ontime.has_on_time(this_year):
        return None
    rate = ontime.province_on_time(counts, month).iloc[0]["ytd_on_time_rate"]
    return float("nan") if fmt.is_missing(rate) else float(rate)  # shown as a dash


def headline_sentence(
    trend: pd.DataFrame,
    table: pd.DataFrame,
    month: str,
    lang: str,
    on_time_rate: float | None = None,
) -> str:
    """The report's one-sentence answer, shared by the overview and the front page: how many
    units met the target, the province's YTD rate and its change since last month (December:
    the year's result), and the on-time rate when the counts carry it (`on_time_rate`).

    `trend`: `trends.province_trend` of the year's series; `table`: the month's KPI table.
    """
    now = trend[trend["month"] == month].iloc[0]
    units = len(table)
    closed = trends.year_closed(month)
    year = pd.Period(month, freq="M").year
    change = trends.province_change_pp(trend, month)
    if change is None:
        change_text = ""
    else:
        previous = fmt.month(pd.Period(month, freq="M") - 1, lang)
        shown = fmt.decimal(abs(change), lang)
        if shown == fmt.decimal(0, lang):
            change_text = labels.text("headline_same", lang, previous=previous)
        else:
            key = "headline_up" if change > 0 else "headline_down"
            change_text = labels.text(key, lang, points=shown, previous=previous)
    text = labels.text(
        "headline_year" if closed else "headline",
        lang,
        met=labels.met_clause(int(now["met"]), units, lang, year if closed else None),
        units=units,
        year=year,
        rate=fmt.percent(now["ytd_rate"], lang),
        change=change_text,
    )
    if on_time_rate is not None:
        rate = fmt.percent(on_time_rate, lang)
        text += labels.text("headline_on_time", lang, rate=rate, units=units)
    return text


@dataclass
class OverviewPage(Page):
    @cached_property
    def trend(self) -> pd.DataFrame:
        return trends.province_trend(self.series)

    @cached_property
    def changes(self) -> pd.DataFrame:
        return trends.changes(self.series, self.month)

    @cached_property
    def needed_rates(self) -> pd.DataFrame:
        return trends.needed_rates(self.table)

    def title(self) -> Html:
        return html_blocks.heading(
            labels.text("overview_title", self.lang, month=self._month_text()), 1
        )

    def headline_text(self) -> str:
        """E.g. "18 of 27 units met the target year-to-date; the province stands at 61.2%,
        1.4 points up on last month." (`headline_sentence`)"""
        on_time = province_on_time_rate(self.inputs.counts, self.month)
        return headline_sentence(self.trend, self.table, self.month, self.lang, on_time)

    def headline(self) -> Html:
        return html_blocks.headline(self.headline_text())

    def kpi_tables(self) -> Html:
        """The KPI table, one table per group, ranked, with status colours and a group total."""
        columns = [
            self._col("rank_in_group", self._num, numeric=True),
            self._col("unit_name"),
            self._col("target_rate", self._tgt, numeric=True),
            self._col("month_total", self._num, numeric=True),
            self._col("month_online", self._num, numeric=True),
            self._col("month_rate", self._pct, numeric=True),
            self._col("ytd_total", self._num, numeric=True),
            self._col("ytd_online", self._num, numeric=True),
            self._col("ytd_rate", self._pct, numeric=True, colour_field="status"),
            self._col("gap_pp", self._pts, numeric=True),
            self._col("shortfall", self._num, numeric=True),
            self._col("status", self._status, colour_field="status"),
        ]
        table = self.table.assign(_order=range(len(self.table)))
        if self.shows_on_time:
            on_time = self.on_time_table.set_index("unit_code")
            for name in ("ytd_resolved", "ytd_resolved_on_time", "ytd_on_time_rate"):
                table[name] = on_time[name].reindex(table["unit_code"]).to_numpy()
            columns.insert(9, self._col("ytd_on_time_rate", self._pct, numeric=True))
        sections = []
        for group, rows in table.groupby("group", sort=False):
            rows = rows.sort_values(["rank_in_group", "_order"], na_position="last")
            name = labels.group(group, self.lang)
            subtotal = self._total_row(rows, labels.group_total(group, self.lang))
            sections.append(html_blocks.Section(name, rows, subtotal))
        total_name = labels.text("total_row", self.lang, units=len(table))
        province = self._total_row(table, total_name)
        table_html = html_blocks.sectioned_table(sections, columns, province)
        # printed on its own landscape A4 pages (report.css: @page wide)
        return html_blocks.wide(self._section("section_kpi_table") + table_html)

    def _total_row(self, rows: pd.DataFrame, name: str) -> dict[str, str]:
        month_total = int(rows["month_total"].fillna(0).sum())
        month_online = int(rows["month_online"].fillna(0).sum())
        ytd_total, ytd_online = int(rows["ytd_total"].sum()), int(rows["ytd_online"].sum())
        total = {
            "unit_name": name,
            "month_total": self._num(month_total),
            "month_online": self._num(month_online),
            "month_rate": self._pct(month_online / month_total if month_total else None),
            "ytd_total": self._num(ytd_total),
            "ytd_online": self._num(ytd_online),
            "ytd_rate": self._pct(ytd_online / ytd_total if ytd_total else None),
        }
        if "ytd_on_time_rate" in rows:
            resolved = int(rows["ytd_resolved"].fillna(0).sum())
            on_time = int(rows["ytd_resolved_on_time"].fillna(0).sum())
            total["ytd_on_time_rate"] = self._pct(on_time / resolved if resolved else None)
        return total

    @cached_property
    def province_yoy(self) -> pd.Series:
        return yoy.province_year_over_year(self.inputs.counts, self.month).iloc[0]

    def year_over_year(self) -> Html:
        """The province's month and YTD against a year earlier, then every unit's rates."""
        heading = self._section("section_yoy")
        province = self.province_yoy
        units_heading = labels.text("yoy_province", self.lang, units=len(self.table))
        parts = heading + html_blocks.heading(units_heading, 3)
        parts += self._yoy_rows(province)
        left_out = {
            code
            for column in ("month_left_out", "ytd_left_out")
            for code in str(province[column]).split(", ")
            if code
        }
        if left_out:
            names = dict(zip(self.table["unit_code"], self.table["unit_name"], strict=True))
            units = ", ".join(names.get(c, c) for c in self.codes if c in left_out)
            parts += html_blocks.text_block(
                labels.text("yoy_like_for_like", self.lang, units=units)
            )
        frame = self.yoy_table
        if frame[["prev_month_rate", "prev_ytd_rate"]].isna().all().all():
            return parts
        names = dict(zip(self.table["unit_code"], self.table["unit_name"], strict=True))
        frame = frame.assign(unit_name=[names[c] for c in frame["unit_code"]])
        columns = [
            self._col("unit_name"),
            self._col("month_rate", self._pct, numeric=True),
            self._col("prev_month_rate", self._pct, numeric=True),
            self._col("month_rate_change_pp", self._pts, numeric=True),
            self._col("ytd_rate", self._pct, numeric=True),
            self._col("prev_ytd_rate", self._pct, numeric=True),
            self._col("ytd_rate_change_pp", self._pts, numeric=True),
        ]
        parts += html_blocks.heading(labels.text("yoy_units", self.lang), 3)
        return parts + html_blocks.table(frame, columns)

    def ytd_chart(self):
        charts = _charts()
        table = self.table
        counts: dict[str, int] = {}
        for code in ("met", "near", "below", "no_data"):
            n = int((table["status"] == code).sum())
            if n:
                word = labels.status(code, self.lang, self.closed)
                counts[word] = counts.get(word, 0) + n
        ranked = table.dropna(subset=["ytd_rate"]).sort_values("ytd_rate", kind="stable")
        top = ranked.iloc[-1] if len(ranked) else None
        bottom = ranked.iloc[0] if len(ranked) else None
        description = labels.text(
            "chart_ytd_desc",
            self.lang,
            counts="; ".join(f"{word}: {self._num(n)}" for word, n in counts.items()),
            top=fmt.MISSING if top is None else top["unit_name"],
            top_rate=self._pct(None if top is None else top["ytd_rate"]),
            bottom=fmt.MISSING if bottom is None else bottom["unit_name"],
            bottom_rate=self._pct(None if bottom is None else bottom["ytd_rate"]),
            table=labels.text("section_kpi_table", self.lang),
        )
        chart = charts.ytd_vs_target(table, self.lang)
        return charts.figure(chart, self.lang, description)

    def shortfall_chart(self):
        charts = _charts()
        short = self.table[self.table["shortfall"].fillna(0) > 0]
        if short.empty:
            return html_blocks.text_block(labels.text("no_units_below", self.lang))
        largest = short.sort_values("shortfall", ascending=False, kind="stable").iloc[0]
        description = labels.text(
            "chart_shortfall_desc",
            self.lang,
            units=self._num(len(short)),
            unit=largest["unit_name"],
            count=self._num(largest["shortfall"]),
            column=labels.column("shortfall", self.lang),
            table=labels.text("section_kpi_table", self.lang),
        )
        chart = charts.shortfall_bars(self.table, self.lang)
        return charts.figure(chart, self.lang, description)

    def _months_span(self, months) -> dict[str, str]:
        months = list(months)
        return {"first": self._month_text_of(months[0]), "last": self._month_text_of(months[-1])}

    def _month_text_of(self, month: object) -> str:
        return fmt.month(month, self.lang)

    def heatmap(self):
        charts = _charts()
        series = self.series
        months = list(dict.fromkeys(series["month"]))
        description = labels.text(
            "chart_heatmap_desc",
            self.lang,
            units=self._num(len(self.table)),
            **self._months_span(months),
        )
        wide = series.pivot_table(
            index="unit_code", columns="month", values="month_rate", sort=False, dropna=False
        )
        frame = pd.DataFrame({"unit_name": list(dict.fromkeys(series["unit_name"]))})
        codes = list(dict.fromkeys(series["unit_code"]))
        columns = [self._col("unit_name")]
        for i, month in enumerate(months):
            frame[f"m{i}"] = wide[month].reindex(codes).to_numpy()
            columns.append(Column(f"m{i}", self._mon(month), self._pct, numeric=True))
        return charts.figure(
            charts.rate_heatmap(series, self.lang),
            self.lang,
            description,
            html_blocks.table(frame, columns),
            labels.text("chart_table", self.lang),
        )

    def trend_chart(self):
        charts = _charts()
        target = charts.common_target(self.table)
        trend = self.trend
        description = labels.text(
            "chart_trend_desc",
            self.lang,
            units=self._num(len(self.table)),
            rate=self._pct(trend["ytd_rate"].iloc[-1]),
            **self._months_span(trend["month"]),
        )
        columns = [
            self._col("month", self._mon),
            self._col("month_total", self._num, numeric=True),
            self._col("month_online", self._num, numeric=True),
            self._col("month_rate", self._pct, numeric=True),
            self._col("ytd_total", self._num, numeric=True),
            self._col("ytd_online", self._num, numeric=True),
            self._col("ytd_rate", self._pct, numeric=True),
        ]
        chart = charts.province_trend(trend, target, self.lang, units=len(self.table))
        return charts.figure(
            chart,
            self.lang,
            description,
            html_blocks.table(trend, columns),
            labels.text("chart_table", self.lang),
        )

    def movers(self, n: int = 5) -> Html:
        """The units whose month rate changed most since last month."""
        movers = trends.largest_movers(self.changes, n)
        heading = self._section("section_movers")
        if movers.empty:
            return heading + html_blocks.text_block(labels.text("no_changes", self.lang))
        columns = [
            self._col("unit_name"),
            self._col("previous_month_total", self._num, numeric=True),
            self._col("month_total", self._num, numeric=True),
            self._col("previous_month_rate", self._pct, numeric=True),
            self._col("month_rate", self._pct, numeric=True),
            self._col("month_change_pp", self._pts, numeric=True),
            self._col("ytd_rate", self._pct, numeric=True),
        ]
        return heading + html_blocks.table(movers, columns)

    def needed(self) -> Html:
        """For every unit not on target: the rate it needs in each remaining month; in December,
        the year's result instead (the units that did not meet the target, and by how much)."""
        if self.closed:
            return self.year_result()
        rows = self.needed_rates
        heading = self._section("section_needed")
        if rows.empty:
            return heading + html_blocks.text_block(labels.text("no_units_below", self.lang))
        heading += html_blocks.text_block(labels.text("needed_note", self.lang))
        mark = labels.text("out_of_reach_mark", self.lang)
        columns = [
            self._col("unit_name"),
            self._col("status", self._status, colour_field="status"),
            self._col("ytd_rate", self._pct, numeric=True),
            self._col("avg_monthly_total", self._num, numeric=True),
            self._col("remaining_months", self._num, numeric=True),
            self._col("needed_rate", self._pct, numeric=True),
            self._col("out_of_reach", lambda v: mark if v else "", colour_field="reach"),
        ]
        shown = rows.assign(reach=["below" if out else "" for out in rows["out_of_reach"]])
        return heading + html_blocks.table(shown, columns)

    def year_result(self) -> Html:
        """The year's result: the units that did not meet the annual target, largest shortfall
        first, with their rate, target, gap and shortfall (or a sentence when all met)."""
        heading = html_blocks.heading(
            labels.text("section_year_result", self.lang, year=self.year), 2
        )
        rows = self.table[self.table["status"].isin(["near", "below"])]
        if rows.empty:
            return heading + html_blocks.text_block(
                labels.text("no_units_short_year", self.lang, year=self.year)
            )
        rows = rows.sort_values(["shortfall", "unit_code"], ascending=[False, True])
        columns = [
            self._col("unit_name"),
            self._col("ytd_rate", self._pct, numeric=True, colour_field="status"),
            self._col("target_rate", self._tgt, numeric=True),
            Column("gap_pp", labels.column("year_gap_pp", self.lang), self._gap, numeric=True),
            self._col("shortfall", self._num, numeric=True),
            self._col("status", self._status, colour_field="status"),
        ]
        intro = labels.text("year_result_intro", self.lang, year=self.year)
        return heading + html_blocks.text_block(intro) + html_blocks.table(rows, columns)

    def _gap(self, value: object) -> str:
        """A gap below the target as a positive number of points (3,5)."""
        return (
            fmt.decimal(abs(float(value)), self.lang) if not fmt.is_missing(value) else fmt.MISSING
        )


def overview_page(
    month: str | None = None,
    counts: CountsArg = None,
    targets: TargetsArg = None,
    lang: str = "vi",
    prepared: str | Path | None = None,
) -> OverviewPage:
    """The province page for `month` (None or "latest": the last month in the counts).

    `prepared`: a build's checked inputs (`Prepared`), read in place of `counts` and `targets`."""
    month, inputs, series, checked = _load(month, counts, targets, lang, prepared)
    return OverviewPage(month, lang, inputs, series, decision_number=_decision_number(checked))


# ------------------------------------------------------------------------------------------------
# Data quality


@dataclass
class DataQualityPage(Page):
    """Files, coverage, warnings and reconciliation: of the unit counts, then of the commune
    counts when the report has any (the same files the index lists)."""

    communes: CommuneInputs | None = field(default=None, repr=False)

    def title(self) -> Html:
        return html_blocks.heading(
            labels.text("data_quality_title", self.lang, month=self._month_text()), 1
        )

    def files(self) -> Html:
        """Every file read: name, rows, SHA-256; the unit files, then the commune files."""
        parts = self._section("section_files")
        parts += html_blocks.heading(labels.text("section_unit_files", self.lang), 3)
        parts += self._files_table(self.inputs.files)
        parts += html_blocks.heading(labels.text("section_commune_files", self.lang), 3)
        if self.communes is None:
            return parts + html_blocks.text_block(labels.text("no_commune_files", self.lang))
        return parts + self._files_table(self.communes.files)

    def _files_table(self, files) -> Html:
        frame = pd.DataFrame(
            {
                "file_name": [f.name for f in files],
                "file_rows": [f.rows for f in files],
                "sha256": [f.sha256 for f in files],
            }
        )
        columns = [
            self._col("file_name"),
            self._col("file_rows", self._num, numeric=True),
            self._col("sha256"),
        ]
        return html_blocks.table(frame, columns)

    @cached_property
    def coverage_table(self) -> pd.DataFrame:
        return quality.coverage_by_unit(self.inputs.counts, self.inputs.registry)

    def coverage(self) -> Html:
        """Months and units covered: a sentence, then one row per unit."""
        counts = self.inputs.counts
        summary = labels.text(
            "coverage",
            self.lang,
            first=fmt.month(counts["month"].min(), self.lang) if len(counts) else fmt.MISSING,
            last=fmt.month(counts["month"].max(), self.lang) if len(counts) else fmt.MISSING,
            units=int((self.coverage_table["rows"] > 0).sum()),
            rows=self._num(len(counts)),
        )

        columns = [
            self._col("unit_name"),
            self._col("first_month", self._mon),
            self._col("last_month", self._mon),
            self._col("months_with_rows", self._num, numeric=True),
            self._col("file_rows", self._num, numeric=True),
        ]
        frame = self.coverage_table.rename(columns={"rows": "file_rows"})
        parts = (
            self._section("section_coverage")
            + html_blocks.text_block(summary)
            + html_blocks.table(frame, columns)
        )
        if self.communes is not None:
            c = self.communes.counts
            parts += html_blocks.heading(labels.text("section_commune_files", self.lang), 3)
            parts += html_blocks.text_block(
                labels.text(
                    "commune_coverage",
                    self.lang,
                    first=fmt.month(c["month"].min(), self.lang) if len(c) else fmt.MISSING,
                    last=fmt.month(c["month"].max(), self.lang) if len(c) else fmt.MISSING,
                    communes=self._num(c["ward_code"].nunique()),
                    rows=self._num(len(c)),
                )
            )
        return parts

    def warnings(self) -> Html:
        """Every problem found in the inputs (only warnings: an error stops the page earlier)."""
        problems = list(self.inputs.problems)
        if self.communes is not None:
            problems += self.communes.problems
        if not problems:
            return self._section("section_warnings") + html_blocks.text_block(
                labels.text("no_warnings", self.lang)
            )
        frame = pd.DataFrame(
            {
                "severity": [labels.text(p.severity, self.lang) for p in problems],
                "location": [p.location() for p in problems],
                "message": [
                    p.message if p.value is None else f"{p.message} ({p.value!s})" for p in problems
                ],
            }
        )
        columns = [self._col("severity"), self._col("location"), self._col("message")]
        return self._section("section_warnings") + html_blocks.table(frame, columns)

    @cached_property
    def reconciliation_table(self) -> pd.DataFrame:
        return quality.reconciliation(self.inputs.counts, self.series)

    @cached_property
    def commune_series(self) -> pd.DataFrame | None:
        """The commune KPI table of every month from January through the month (None without
        commune counts): what the commune pages show, to reconcile with the commune inputs."""
        if self.communes is None:
            return None
        c = self.communes
        month = pd.Period(self.month, freq="M")
        months = pd.period_range(pd.Period(year=month.year, month=1, freq="M"), month, freq="M")
        return pd.concat(
            [
                commune_kpi_table(c.counts, c.targets, self.inputs.targets, c.communes, m)
                for m in months
            ],
            ignore_index=True,
        )

    def reconciliation(self) -> Html:
        """Input totals against report totals, month by month and year to date: the units',
        then the communes' when the report has commune counts."""
        parts = self._section("section_reconciliation")
        parts += html_blocks.heading(labels.text("section_unit_files", self.lang), 3)
        parts += self._reconciliation_part(self.reconciliation_table)
        if self.commune_series is not None:
            frame = quality.reconciliation(self.communes.counts, self.commune_series)
            parts += html_blocks.heading(labels.text("section_commune_files", self.lang), 3)
            parts += self._reconciliation_part(frame)
        return parts

    def _reconciliation_part(self, frame: pd.DataFrame) -> Html:
        ok = bool(frame["matches"].all())
        verdict = labels.text("reconciliation_ok" if ok else "reconciliation_bad", self.lang)
        shown = frame.assign(
            period=[
                labels.text("ytd_period", self.lang, month=self._month_text())
                if p == "ytd"
                else self._mon(p)
                for p in frame["period"]
            ],
            status=["met" if m else "below" for m in frame["matches"]],
        )
        yes, no = labels.text("yes", self.lang), labels.text("no", self.lang)
        columns = [
            self._col("period"),
            self._col("input_total", self._num, numeric=True),
            self._col("report_total", self._num, numeric=True),
            self._col("input_online", self._num, numeric=True),
            self._col("report_online", self._num, numeric=True),
            self._col("matches", lambda v: yes if v else no, colour_field="status"),
        ]
        return html_blocks.headline(verdict) + html_blocks.table(shown, columns)

    # --- the store of submissions (issue 10): set by `data_quality_page` for a store's report
    store = None  # the store folder, or None (files given one by one: these sections are empty)
    as_of = None  # YYYY-MM-DD, or None: every file received

    @cached_property
    def resolved(self):
        """The store as of the report's date (`store.resolve`), or None without a store."""
        if self.store is None:
            return None
        from kpi_utils.store.resolve import resolve

        return resolve(Path(self.store), self.as_of)

    def store_files(self) -> Html:
        """The stored files the report used, with the date they were received, as of the date."""
        if self.resolved is None:
            return Html("")
        key, fields_ = ("store_as_of", {"as_of": self.as_of}) if self.as_of else ("store_now", {})
        entries = self.resolved.entries
        frame = pd.DataFrame(
            {
                "store_id": [f"#{e.id}" for e in entries],
                "file_name": [e.original_name for e in entries],
                "kind": [e.kind for e in entries],
                "received": [e.received for e in entries],
                "file_rows": [e.rows for e in entries],
                "note": [e.note for e in entries],
                "sha256": [e.sha256 for e in entries],
            }
        )
        columns = [
            self._col("store_id"),
            self._col("file_name"),
            self._col("kind"),
            self._col("received"),
            self._col("file_rows", self._num, numeric=True),
            self._col("note"),
            self._col("sha256"),
        ]
        return (
            self._section("section_store")
            + html_blocks.text_block(labels.text(key, self.lang, **fields_))
            + html_blocks.table(frame, columns)
        )

    def revisions(self) -> Html:
        """Every figure a later file changed: unit, month, field, old -> new, both files."""
        if self.resolved is None:
            return Html("")
        found = self.resolved.revisions
        heading = self._section("section_revisions")
        if not found:
            return heading + html_blocks.text_block(labels.text("no_revisions", self.lang))
        frame = pd.DataFrame(
            {
                "revision_unit": [r.key for r in found],
                "revision_month": [r.period for r in found],
                "field": [r.field for r in found],
                "old": [r.old for r in found],
                "new": [r.new for r in found],
                "old_file": [r.old_entry.describe() for r in found],
                "new_file": [r.new_entry.describe() for r in found],
            }
        )
        names = ["revision_unit", "revision_month", "field", "old", "new", "old_file", "new_file"]
        return heading + html_blocks.table(frame, [self._col(n) for n in names])

    def status_grid(self) -> Html:
        """For each unit and month of the year through the report's month: present, missing or
        revised; then who has not sent the month."""
        if self.resolved is None:
            return Html("")
        from kpi_utils.store import status

        counts = self.resolved.parts["counts"]
        months = status.months_of_year(counts, self.month)
        grid = status.status_grid(counts, self.codes, months)
        names = dict(
            zip(
                self.inputs.registry["unit_code"],
                self.inputs.registry["official_name"],
                strict=True,
            )
        )
        shown = grid.assign(unit_name=grid["unit_code"].map(names))
        columns = [self._col("unit_name")] + [
            Column(m, fmt.month(m, self.lang), lambda v: labels.text(v, self.lang)) for m in months
        ]
        absent = status.missing(grid, self.month)
        sentence = (
            labels.text(
                "status_missing",
                self.lang,
                month=fmt.month(self.month, self.lang),
                units=", ".join(names[c] for c in absent),
            )
            if absent
            else labels.text("status_complete", self.lang, month=fmt.month(self.month, self.lang))
        )
        return (
            self._section("section_status")
            + html_blocks.text_block(sentence)
            + html_blocks.table(shown, columns)
        )


def data_quality_page(
    month: str | None = None,
    counts: CountsArg = None,
    targets: TargetsArg = None,
    lang: str = "vi",
    commune_counts: CountsArg = None,
    commune_targets: str | Path | None = None,
    store: str | Path | None = None,
    as_of: str | None = None,
    prepared: str | Path | None = None,
) -> DataQualityPage:
    """The data-quality page (commune inputs and their defaults as for the communes page); with
    `store` (and `as_of`), also the store's files, revisions and status grid (the counts are then
    the store's, settled as `kpi-report build` settled them). `prepared`: the build's checked
    inputs, read in place of the files."""
    month, inputs, series, checked = _load(month, counts, targets, lang, prepared)
    communes = _load_communes(inputs, commune_counts, commune_targets, checked)
    page = DataQualityPage(
        month, lang, inputs, series, communes, decision_number=_decision_number(checked)
    )
    page.store, page.as_of = store, as_of
    return page


# ------------------------------------------------------------------------------------------------
# One unit


@dataclass
class UnitPage(Page):
    unit_code: str = ""
    communes: CommuneInputs | None = field(default=None, repr=False)

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The unit's rows of the series, January through the month."""
        return self.series[self.series["unit_code"] == self.unit_code].reset_index(drop=True)

    @cached_property
    def unit(self) -> pd.Series:
        """The unit's row of the month's KPI table."""
        return self.rows.iloc[-1]

    @cached_property
    def ranks(self) -> pd.DataFrame:
        history = trends.rank_history(self.series)
        return history[history["unit_code"] == self.unit_code].reset_index(drop=True)

    @cached_property
    def medians(self) -> pd.DataFrame:
        return trends.group_medians(self.series)

    def title(self) -> Html:
        return html_blocks.heading(
            labels.text(
                "unit_title", self.lang, unit=self.unit["unit_name"], month=self._month_text()
            ),
            1,
        )

    def summary(self) -> Html:
        """YTD rate against the target, status, and rank in the group."""
        unit = self.unit
        if unit["status"] == "no_data":
            return html_blocks.headline(labels.text("unit_no_data", self.lang))
        first = labels.text(
            "unit_headline_year" if self.closed else "unit_headline",
            self.lang,
            year=self.year,
            rate=self._pct(unit["ytd_rate"]),
            target=self._tgt(unit["target_rate"]),
            status=self._verdict(unit),
        )
        rank = self.ranks.iloc[-1]
        second = labels.text(
            "unit_rank",
            self.lang,
            rank=int(rank["rank_in_group"]),
            ranked=int(rank["ranked_units"]),
            group=labels.group_in_sentence(unit["group"], self.lang),
        )
        return html_blocks.headline(first) + html_blocks.text_block(second) + self.on_time()

    def _verdict(self, unit: pd.Series) -> str:
        """The status as a headline says it; in December "Không đạt, thấp hơn chỉ tiêu 3,5 điểm
        phần trăm" when the year's target was not met."""
        if self.closed and unit["status"] in ("near", "below"):
            points = fmt.decimal(abs(float(unit["gap_pp"])), self.lang)
            return labels.text("verdict_not_met", self.lang, points=points)
        return self._status(unit["status"])

    def on_time(self) -> Html:
        """The on-time rate, month and YTD, beside the online rate (nothing without figures)."""
        if not self.shows_on_time:
            return Html("")
        row = self.on_time_table[self.on_time_table["unit_code"] == self.unit_code].iloc[0]
        text = labels.text(
            "unit_on_time",
            self.lang,
            month=self._month_text(),
            month_rate=self._pct(row["month_on_time_rate"]),
            ytd_rate=self._pct(row["ytd_on_time_rate"]),
            month_online_rate=self._pct(self.unit["month_rate"]),
            ytd_online_rate=self._pct(self.unit["ytd_rate"]),
        )
        return html_blocks.text_block(text)

    def year_over_year(self) -> Html:
        """The month and the YTD against the same month and YTD a year earlier."""
        row = self.yoy_table[self.yoy_table["unit_code"] == self.unit_code].iloc[0]
        return self._section("section_yoy") + self._yoy_rows(row)

    @cached_property
    def is_district(self) -> bool:
        return self.unit["group"] == "district"

    @cached_property
    def commune_table(self) -> pd.DataFrame | None:
        if self.communes is None:
            return None
        c = self.communes
        return commune_kpi_table(c.counts, c.targets, self.inputs.targets, c.communes, self.month)

    def communes_section(self) -> Html:
        """A district's communes (table, whose target applies, those below target with their
        shortfall); nothing on a department's page."""
        if not self.is_district:
            return Html("")
        if self.commune_table is None:
            heading = labels.text("section_communes", self.lang, wards="xã, phường, thị trấn")
            return html_blocks.heading(heading, 2) + html_blocks.text_block(
                labels.text("communes_no_counts", self.lang)
            )
        return commune_report.district_section(self.commune_table, self.unit_code, self.lang)

    def _monthly_on_time(self) -> list[object]:
        """The unit's on-time rate of each month of `rows` (NA where it has no figures)."""
        rates = []
        for month in self.rows["month"]:
            one = ontime.on_time_rates(self.inputs.counts, month, keys=[self.unit_code])
            rates.append(one["month_on_time_rate"].iloc[0])
        return rates

    def outlook(self) -> Html:
        """What the unit needs for the rest of the year; in December, the year's result."""
        unit = self.unit
        if self.closed:
            heading = html_blocks.heading(
                labels.text("section_year_result", self.lang, year=self.year), 2
            )
        else:
            heading = self._section("section_outlook")
        if unit["status"] == "no_data":
            return heading + html_blocks.text_block(labels.text("unit_no_data", self.lang))
        target = self._tgt(unit["target_rate"])
        if self.closed:
            fields = {"year": self.year, "rate": self._pct(unit["ytd_rate"]), "target": target}
            if unit["status"] == "met":
                text = labels.text("unit_year_met", self.lang, **fields)
            else:
                text = labels.text(
                    "unit_year_not_met",
                    self.lang,
                    points=fmt.decimal(abs(float(unit["gap_pp"])), self.lang),
                    shortfall=self._num(unit["shortfall"]),
                    **fields,
                )
            return heading + html_blocks.headline(text)
        if unit["status"] == "met":
            return heading + html_blocks.text_block(
                labels.text("unit_met", self.lang, target=target)
            )
        needed = trends.needed_rates(self.table)
        row = needed[needed["unit_code"] == self.unit_code].iloc[0]
        key = "unit_out_of_reach" if row["out_of_reach"] else "unit_needed"
        text = labels.text(
            key, self.lang, months=row["remaining_months"], rate=self._pct(row["needed_rate"])
        )
        return heading + html_blocks.headline(text)

    def monthly_table(self) -> Html:
        """Month by month: dossiers, rates, status, rank, and the group's median YTD rate."""
        group = self.unit["group"]
        medians = self.medians[self.medians["group"] == group].set_index("month")
        frame = self.rows.assign(
            month_on_time_rate=self._monthly_on_time() if self.shows_on_time else None,
            median_ytd_rate=medians["median_ytd_rate"].reindex(self.rows["month"]).to_numpy(),
            status_text=[
                labels.status(str(s), self.lang, trends.year_closed(m))
                for s, m in zip(self.rows["status"], self.rows["month"], strict=True)
            ],
            ranked=[
                fmt.MISSING if pd.isna(r) else f"{int(r)}/{n}"
                for r, n in zip(
                    self.ranks["rank_in_group"], self.ranks["ranked_units"], strict=True
                )
            ],
        )
        columns = [
            self._col("month", self._mon),
            self._col("month_total", self._num, numeric=True),
            self._col("month_online", self._num, numeric=True),
            self._col("month_rate", self._pct, numeric=True),
            self._col("ytd_rate", self._pct, numeric=True, colour_field="status"),
            self._col("median_ytd_rate", self._pct, numeric=True),
            Column("ranked", labels.column("rank_in_group", self.lang), str, numeric=True),
            Column("status_text", labels.column("status", self.lang), colour_field="status"),
        ]
        if self.shows_on_time:
            columns.insert(4, self._col("month_on_time_rate", self._pct, numeric=True))
        return self._section("section_monthly") + html_blocks.table(frame, columns)

    def _chart_fields(self) -> dict[str, str]:
        """What every unit chart's description names: the unit, its months, the month's table."""
        return {
            "unit": self.unit["unit_name"],
            "table": labels.text("section_monthly", self.lang),
            "first": fmt.month(self.rows["month"].iloc[0], self.lang),
            "last": fmt.month(self.rows["month"].iloc[-1], self.lang),
        }

    def rates_chart(self):
        charts = _charts()
        description = labels.text(
            "chart_unit_rates_desc",
            self.lang,
            target=self._tgt(self.unit["target_rate"]),
            rate=self._pct(self.unit["ytd_rate"]),
            **self._chart_fields(),
        )
        return charts.figure(charts.unit_rates(self.rows, self.lang), self.lang, description)

    def volumes_chart(self):
        charts = _charts()
        description = labels.text(
            "chart_unit_volumes_desc",
            self.lang,
            total=self._num(self.unit["ytd_total"]),
            online=self._num(self.unit["ytd_online"]),
            **self._chart_fields(),
        )
        return charts.figure(charts.unit_volumes(self.rows, self.lang), self.lang, description)

    def rank_chart(self):
        charts = _charts()
        last = self.ranks.iloc[-1]
        rank = (
            fmt.MISSING
            if pd.isna(last["rank_in_group"])
            else f"{int(last['rank_in_group'])}/{int(last['ranked_units'])}"
        )
        description = labels.text(
            "chart_unit_rank_desc", self.lang, rank=rank, **self._chart_fields()
        )
        return charts.figure(charts.unit_rank(self.ranks, self.lang), self.lang, description)

    def median_chart(self):
        charts = _charts()
        group = self.unit["group"]
        medians = self.medians[self.medians["group"] == group].set_index("month")
        median = medians["median_ytd_rate"].get(self.rows["month"].iloc[-1])
        description = labels.text(
            "chart_unit_median_desc",
            self.lang,
            rate=self._pct(self.unit["ytd_rate"]),
            median=self._pct(median),
            **self._chart_fields(),
        )
        chart = charts.unit_vs_median(self.rows, self.medians, self.lang)
        return charts.figure(chart, self.lang, description)


def unit_page(
    unit_code: str,
    month: str | None = None,
    counts: CountsArg = None,
    targets: TargetsArg = None,
    lang: str = "vi",
    commune_counts: CountsArg = None,
    commune_targets: str | Path | None = None,
    prepared: str | Path | None = None,
) -> UnitPage:
    """The page of one unit (`unit_code`, or any name of it the registry knows).

    A district's page reads the commune inputs too (see the module docstring for the defaults);
    a department's page never does. `prepared`: a build's checked inputs (`Prepared`), read in
    place of every input file.
    """
    month, inputs, series, checked = _load(month, counts, targets, lang, prepared)
    resolver = UnitResolver.from_registry(inputs.registry)
    code = resolver.resolve(unit_code)
    if code is None:
        close = resolver.suggest(unit_code)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise ValueError(f"unknown unit {unit_code!r}{hint}")
    group = inputs.registry.set_index("unit_code").at[code, "group"]
    communes = None
    if group == "district":
        communes = _load_communes(inputs, commune_counts, commune_targets, checked)
    return UnitPage(
        month, lang, inputs, series, code, communes, decision_number=_decision_number(checked)
    )


def _load_communes(
    inputs: Inputs,
    commune_counts: CountsArg,
    commune_targets: str | Path | None,
    checked: Prepared | None = None,
) -> CommuneInputs | None:
    """Commune inputs, checked (errors raise `InputError`); None when there are none to show:
    no commune counts given and the unit counts are not the sample. With `checked` (a build's
    prepared inputs), those the build read."""
    if checked is not None:
        return checked.communes
    if commune_counts is None and not inputs.is_sample:
        return None
    loaded = load_commune_inputs(_counts_paths(commune_counts), commune_targets)
    raise_if_errors(loaded.problems)
    return loaded


# ------------------------------------------------------------------------------------------------
# Communes: all of them, district by district


@dataclass
class CommunesPage(Page):
    communes: CommuneInputs | None = field(default=None, repr=False)

    @cached_property
    def commune_table(self) -> pd.DataFrame | None:
        if self.communes is None:
            return None
        c = self.communes
        return commune_kpi_table(c.counts, c.targets, self.inputs.targets, c.communes, self.month)

    def title(self) -> Html:
        return html_blocks.heading(
            labels.text("communes_title", self.lang, month=self._month_text()), 1
        )

    def notice(self) -> Html:
        parts = super().notice()
        if self.communes is not None and self.communes.is_sample:
            parts += html_blocks.notice(labels.text("communes_sample_notice", self.lang))
        return parts

    def headline(self) -> Html:
        if self.commune_table is None:
            return html_blocks.headline(labels.text("communes_no_counts", self.lang))
        return html_blocks.headline(commune_report.headline_text(self.commune_table, self.lang))

    def communes_table(self) -> Html:
        """Every commune grouped by district, with district totals and whose target applies."""
        if self.commune_table is None:
            return Html("")
        table = commune_report.all_communes(self.commune_table, self.lang, self.codes)
        heading = labels.text("section_communes", self.lang, wards=commune_report.ALL_WARDS)
        # as wide as the KPI table: printed on landscape pages of its own
        return html_blocks.wide(html_blocks.heading(heading, 2) + table)

    def below_target(self) -> Html:
        """Communes near or below their target across the province, largest shortfall first."""
        if self.commune_table is None:
            return Html("")
        return commune_report.below_target(self.commune_table, self.lang)


def communes_page(
    month: str | None = None,
    counts: CountsArg = None,
    targets: TargetsArg = None,
    lang: str = "vi",
    commune_counts: CountsArg = None,
    commune_targets: str | Path | None = None,
    prepared: str | Path | None = None,
) -> CommunesPage:
    """Every commune of the province for `month` (defaults as for a district's page)."""
    month, inputs, series, checked = _load(month, counts, targets, lang, prepared)
    communes = _load_communes(inputs, commune_counts, commune_targets, checked)
    return CommunesPage(
        month, lang, inputs, series, communes, decision_number=_decision_number(checked)
    )
