"""The three report pages: what each shows, computed once per page, displayed part by part.

A notebook calls one constructor (`overview_page`, `data_quality_page`, `unit_page`), which reads
the inputs once (through `pipeline.checked_inputs`, so bad input stops the page with every
problem listed) and computes the year's KPI series once; each method then returns one part of
the page, ready to display: `Html` (headline, tables) or `charts.Figure` (inline SVG).
No file is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from kpi_utils import fmt, html_blocks, labels, quality, trends
from kpi_utils.html_blocks import Column, Html
from kpi_utils.pipeline import Inputs, checked_inputs, latest_month
from kpi_utils.registry import UnitResolver

CountsArg = str | Path | Sequence[str | Path] | None


def _counts_paths(counts: CountsArg) -> list[str | Path] | None:
    """A papermill parameter may be one path or a list of paths; None means the sample."""
    if counts is None:
        return None
    if isinstance(counts, str | Path):
        return [counts]
    return list(counts)


@dataclass
class Page:
    """What every page shares: the month, the language, the inputs and the year's KPI series."""

    month: str
    lang: str
    inputs: Inputs
    series: pd.DataFrame = field(repr=False)

    @cached_property
    def table(self) -> pd.DataFrame:
        """The month's KPI table (equal to `kpi.kpi_table` for the month)."""
        return trends.month_slice(self.series, self.month)

    def notice(self) -> Html:
        """The synthetic-data notice when the bundled sample is used; nothing otherwise."""
        if not self.inputs.is_sample:
            return Html("")
        return html_blocks.notice(labels.text("sample_notice", self.lang))

    def _month_text(self) -> str:
        return fmt.month(self.month, self.lang)

    # formatters for table columns
    def _pct(self, value: object) -> str:
        return fmt.percent(value, self.lang)

    def _mon(self, value: object) -> str:
        return fmt.month(value, self.lang)

    def _num(self, value: object) -> str:
        return fmt.number(value, self.lang)

    def _pts(self, value: object) -> str:
        return fmt.points(value, self.lang)

    def _status(self, value: object) -> str:
        return labels.status(str(value), self.lang)

    def _section(self, key: str) -> Html:
        return html_blocks.heading(labels.text(key, self.lang), 2)

    def _col(self, name: str, fmt_=str, numeric=False, colour_field=None) -> Column:
        return Column(name, labels.column(name, self.lang), fmt_, numeric, colour_field)


def _charts():
    """Altair and vl-convert take seconds to import: only the parts that draw load them."""
    from kpi_utils import charts

    return charts


def _load(
    month: str | None, counts: CountsArg, targets, lang: str
) -> tuple[str, Inputs, pd.DataFrame]:
    labels.check_lang(lang)
    inputs = checked_inputs(
        counts=_counts_paths(counts),
        targets=targets,
        month=None if month in (None, "latest") else month,
    )
    if month in (None, "latest"):
        month = latest_month(inputs.counts)
    month = str(pd.Period(month, freq="M"))
    series = trends.kpi_series(inputs.counts, inputs.targets, inputs.registry, month)
    return month, inputs, series


# ------------------------------------------------------------------------------------------------
# Overview: the province


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
        1.4 points up on last month." """
        now = self.trend[self.trend["month"] == self.month].iloc[0]
        change = trends.province_change_pp(self.trend, self.month)
        if change is None:
            change_text = ""
        else:
            shown = fmt.decimal(abs(change), self.lang)
            if shown == fmt.decimal(0, self.lang):
                change_text = labels.text("headline_same", self.lang)
            else:
                key = "headline_up" if change > 0 else "headline_down"
                change_text = labels.text(key, self.lang, points=shown)
        return labels.text(
            "headline",
            self.lang,
            met=now["met"],
            units=len(self.table),
            rate=fmt.percent(now["ytd_rate"], self.lang),
            change=change_text,
        )

    def headline(self) -> Html:
        return html_blocks.headline(self.headline_text())

    def kpi_tables(self) -> Html:
        """The KPI table, one table per group, ranked, with status colours and a group total."""
        columns = [
            self._col("rank_in_group", self._num, numeric=True),
            self._col("unit_name"),
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
        sections = []
        for group, rows in table.groupby("group", sort=False):
            rows = rows.sort_values(["rank_in_group", "_order"], na_position="last")
            name = labels.group(group, self.lang)
            sections.append(html_blocks.Section(name, rows, self._total_row(rows, name)))
        province = self._total_row(self.table, labels.text("total_row", self.lang))
        table_html = html_blocks.sectioned_table(sections, columns, province)
        return self._section("section_kpi_table") + table_html

    def _total_row(self, rows: pd.DataFrame, name: str) -> dict[str, str]:
        month_total = int(rows["month_total"].fillna(0).sum())
        month_online = int(rows["month_online"].fillna(0).sum())
        ytd_total, ytd_online = int(rows["ytd_total"].sum()), int(rows["ytd_online"].sum())
        return {
            "unit_name": name,
            "month_total": self._num(month_total),
            "month_online": self._num(month_online),
            "month_rate": self._pct(month_online / month_total if month_total else None),
            "ytd_total": self._num(ytd_total),
            "ytd_online": self._num(ytd_online),
            "ytd_rate": self._pct(ytd_online / ytd_total if ytd_total else None),
        }

    def ytd_chart(self):
        charts = _charts()
        return charts.figure(charts.ytd_vs_target(self.table, self.lang), self.lang)

    def shortfall_chart(self):
        charts = _charts()
        if not (self.table["shortfall"].fillna(0) > 0).any():
            return html_blocks.text_block(labels.text("no_units_below", self.lang))
        return charts.figure(charts.shortfall_bars(self.table, self.lang), self.lang)

    def heatmap(self):
        charts = _charts()
        return charts.figure(charts.rate_heatmap(self.series, self.lang), self.lang)

    def trend_chart(self):
        charts = _charts()
        target = charts.common_target(self.table)
        return charts.figure(charts.province_trend(self.trend, target, self.lang), self.lang)

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
        """For every unit not on target: the rate it needs in each remaining month."""
        rows = self.needed_rates
        heading = self._section("section_needed")
        if rows.empty:
            return heading + html_blocks.text_block(labels.text("no_units_below", self.lang))
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


def overview_page(
    month: str | None = None,
    counts: CountsArg = None,
    targets: str | Path | None = None,
    lang: str = "vi",
) -> OverviewPage:
    """The province page for `month` (None or "latest": the last month in the counts)."""
    month, inputs, series = _load(month, counts, targets, lang)
    return OverviewPage(month, lang, inputs, series)


# ------------------------------------------------------------------------------------------------
# Data quality


@dataclass
class DataQualityPage(Page):
    def title(self) -> Html:
        return html_blocks.heading(
            labels.text("data_quality_title", self.lang, month=self._month_text()), 1
        )

    def files(self) -> Html:
        """Every file read: name, rows, SHA-256."""
        frame = pd.DataFrame(
            {
                "file_name": [f.name for f in self.inputs.files],
                "file_rows": [f.rows for f in self.inputs.files],
                "sha256": [f.sha256 for f in self.inputs.files],
            }
        )
        columns = [
            self._col("file_name"),
            self._col("file_rows", self._num, numeric=True),
            self._col("sha256"),
        ]
        return self._section("section_files") + html_blocks.table(frame, columns)

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
        return (
            self._section("section_coverage")
            + html_blocks.text_block(summary)
            + html_blocks.table(frame, columns)
        )

    def warnings(self) -> Html:
        """Every problem found in the inputs (only warnings: an error stops the page earlier)."""
        problems = self.inputs.problems
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

    def reconciliation(self) -> Html:
        """Input totals against report totals, month by month and year to date."""
        frame = self.reconciliation_table
        ok = bool(frame["matches"].all())
        verdict = labels.text("reconciliation_ok" if ok else "reconciliation_bad", self.lang)
        shown = frame.assign(
            period=[
                labels.text("ytd_period", self.lang, month=self._month_text())
                if p == "ytd"
                else fmt.month(p, self.lang)
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
        return (
            self._section("section_reconciliation")
            + html_blocks.headline(verdict)
            + html_blocks.table(shown, columns)
        )


def data_quality_page(
    month: str | None = None,
    counts: CountsArg = None,
    targets: str | Path | None = None,
    lang: str = "vi",
) -> DataQualityPage:
    month, inputs, series = _load(month, counts, targets, lang)
    return DataQualityPage(month, lang, inputs, series)


# ------------------------------------------------------------------------------------------------
# One unit


@dataclass
class UnitPage(Page):
    unit_code: str = ""

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
            "unit_headline",
            self.lang,
            rate=self._pct(unit["ytd_rate"]),
            target=self._pct(unit["target_rate"]),
            status=self._status(unit["status"]),
        )
        rank = self.ranks.iloc[-1]
        second = labels.text(
            "unit_rank",
            self.lang,
            rank=int(rank["rank_in_group"]),
            ranked=int(rank["ranked_units"]),
            group=labels.group(unit["group"], self.lang),
        )
        return html_blocks.headline(first) + html_blocks.text_block(second)

    def outlook(self) -> Html:
        """What the unit needs for the rest of the year."""
        unit = self.unit
        if unit["status"] == "no_data":
            return self._section("section_outlook") + html_blocks.text_block(
                labels.text("unit_no_data", self.lang)
            )
        if unit["status"] == "met":
            text = labels.text("unit_met", self.lang, target=self._pct(unit["target_rate"]))
            return self._section("section_outlook") + html_blocks.text_block(text)
        needed = trends.needed_rates(self.table)
        row = needed[needed["unit_code"] == self.unit_code].iloc[0]
        if row["remaining_months"] == 0:
            text = labels.text("unit_year_over", self.lang)
        else:
            key = "unit_out_of_reach" if row["out_of_reach"] else "unit_needed"
            text = labels.text(
                key, self.lang, months=row["remaining_months"], rate=self._pct(row["needed_rate"])
            )
        return self._section("section_outlook") + html_blocks.headline(text)

    def monthly_table(self) -> Html:
        """Month by month: dossiers, rates, status, rank, and the group's median YTD rate."""
        group = self.unit["group"]
        medians = self.medians[self.medians["group"] == group].set_index("month")
        frame = self.rows.assign(
            median_ytd_rate=medians["median_ytd_rate"].reindex(self.rows["month"]).to_numpy(),
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
            self._col("status", self._status, colour_field="status"),
        ]
        return self._section("section_monthly") + html_blocks.table(frame, columns)

    def rates_chart(self):
        charts = _charts()
        return charts.figure(charts.unit_rates(self.rows, self.lang), self.lang)

    def volumes_chart(self):
        charts = _charts()
        return charts.figure(charts.unit_volumes(self.rows, self.lang), self.lang)

    def rank_chart(self):
        charts = _charts()
        return charts.figure(charts.unit_rank(self.ranks, self.lang), self.lang)

    def median_chart(self):
        charts = _charts()
        return charts.figure(charts.unit_vs_median(self.rows, self.medians, self.lang), self.lang)


def unit_page(
    unit_code: str,
    month: str | None = None,
    counts: CountsArg = None,
    targets: str | Path | None = None,
    lang: str = "vi",
) -> UnitPage:
    """The page of one unit (`unit_code`, or any name of it the registry knows)."""
    month, inputs, series = _load(month, counts, targets, lang)
    resolver = UnitResolver.from_registry(inputs.registry)
    code = resolver.resolve(unit_code)
    if code is None:
        close = resolver.suggest(unit_code)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise ValueError(f"unknown unit {unit_code!r}{hint}")
    return UnitPage(month, lang, inputs, series, code)
