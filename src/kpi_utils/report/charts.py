"""Report charts: small functions that take tidy frames and return Altair charts, and SVG output.

Every chart function returns an `alt.Chart` (or a layer/concatenation of them) and draws nothing.
`to_svg` renders a chart to SVG with vl-convert (no browser, no network), with numbers in the
report's locale; `Figure` carries that SVG into a notebook output as `image/svg+xml`, and `show`
displays one explicitly. Altair's own HTML renderer is never used: it loads Vega from a CDN.

The one theme (`THEME`, fonts and sizes) is registered here and applied to every SVG.
This is the only module that imports Altair and vl-convert, so that pages without charts stay fast.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import altair as alt
import pandas as pd
import vl_convert

from kpi_utils.metrics import trends
from kpi_utils.report import fmt, labels
from kpi_utils.report.style import FONT_FAMILY, SERIES_COLOURS, STATUS_COLOURS, TARGET_COLOUR

THEME = "kpi_report"
# Plot widths (px) chosen so that a chart, with its axis labels and legend, is about as wide as the
# page's text column on a 1,280 px screen (~1,100 px, report.css), and shrinks to fit narrower ones.
WIDTH = 780  # charts with unit names beside the plot (~300 px of labels)
TIME_WIDTH = 1000  # charts over the months of a year (month labels below, no long labels)
STATUS_ORDER = ("met", "near", "below", "no_data")
RATE_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1]

# d3-format has no Vietnamese locale; this is vi_VN's (CLDR) decimal and grouping marks.
NUMBER_LOCALES: dict[str, str | dict] = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "en": "en-US",
}


@alt.theme.register(THEME, enable=True)
def kpi_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT_FAMILY,
            # no ARIA of Vega's own on marks and axes: it is English ("X-axis titled ...") and
            # names data fields; a chart is one image named by its title and described in words
            # by the page (`figure`)
            "aria": False,
            "view": {"stroke": None},
            "title": {"fontSize": 15, "anchor": "start", "fontWeight": "bold", "offset": 10},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e0e0e0"},
            # unit names are long: show them whole (a limit also makes Vega re-measure text)
            "axisY": {"labelLimit": 0},
            # legend words are sentences in Vietnamese ("Trực tiếp, qua dịch vụ bưu chính"): whole
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "labelLimit": 0,
            },
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "text": {"fontSize": 11},
            "concat": {"spacing": 24},
        }
    }


def to_svg(chart: alt.TopLevelMixin, lang: str = "vi") -> str:
    """The chart as an SVG document, drawn with the report theme and `lang`'s number format.

    The spec is not validated against Vega-Lite's JSON schema here (most of `to_dict`'s time, about
    15 ms a chart): it is the same dict either way, and tests/test_charts.py validates every
    chart function's spec.
    """
    with alt.theme.enable(THEME):
        spec = chart.to_dict(validate=False)
    return vl_convert.vegalite_to_svg(spec, format_locale=NUMBER_LOCALES[labels.check_lang(lang)])


class Figure:
    """A rendered chart: a notebook shows it as `image/svg+xml` (inline SVG in exported HTML).

    `description` says in words what the chart shows (the page prints it under the chart and
    screen readers read it); `table`, when the page has the chart's figures nowhere else, is
    an HTML table of them (under the chart, behind `table_label`). Both travel in the output's
    metadata (`kpi_figure`), which the page template reads."""

    def __init__(
        self,
        svg: str,
        title: str = "",
        description: str = "",
        table: str = "",
        table_label: str = "",
    ):
        self.svg = svg
        self.title = title
        self.description = description
        self.table = table
        self.table_label = table_label

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/svg+xml": self.svg, "text/plain": self.title or "<chart>"}
        if not (self.description or self.table):
            return data
        meta = {
            "title": self.title,
            "description": self.description,
            "table": self.table,
            "table_label": self.table_label,
        }
        return data, {"image/svg+xml": {"kpi_figure": meta}}


# JupyterLab 4 draws Vega-Lite 5 specs with the Vega it bundles (no network); Altair 6 writes
# Vega-Lite 6, whose specs these charts keep within what Vega-Lite 5 reads (tests compile them).
JUPYTERLAB_MIMETYPE = "application/vnd.vegalite.v5+json"
JUPYTERLAB_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


class Interactive:
    """A chart for JupyterLab's own Vega renderer: tooltips, pickers and brushes work, offline."""

    def __init__(self, spec: dict, title: str = ""):
        self.spec = spec
        self.title = title

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {JUPYTERLAB_MIMETYPE: self.spec, "text/plain": self.title or "<chart>"}


def interactive(chart: alt.TopLevelMixin, lang: str = "vi") -> Interactive:
    """The same chart the report draws as SVG, for exploring in JupyterLab (theme and locale kept).

    Altair's default renderer would load Vega from a CDN; this hands the spec to the renderer
    JupyterLab ships, which needs no network.
    """
    with alt.theme.enable(THEME):
        spec = chart.to_dict()
    spec["$schema"] = JUPYTERLAB_SCHEMA
    number_locale = NUMBER_LOCALES[labels.check_lang(lang)]
    if isinstance(number_locale, dict):
        spec.setdefault("config", {})["locale"] = {"number": number_locale}
    return Interactive(spec, _title_text(chart))


def figure(
    chart: alt.TopLevelMixin,
    lang: str = "vi",
    description: str = "",
    table: object = "",
    table_label: str = "",
) -> Figure:
    """The chart as SVG named by its title (`role="img"`), with what it shows in words and, when
    the page has its figures nowhere else, a table of them (`table`: trusted HTML)."""
    title = _title_text(chart)
    svg = _named(to_svg(chart, lang), title or description)
    return Figure(svg, title, description, str(table), table_label)


_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-description)="[^"]*"')


def _named(svg: str, name: str) -> str:
    """The SVG as one image with an accessible name: the roles and labels Vega leaves on mark
    containers (unnamed, in English) are removed, and the root says what the chart is."""
    if not name or not svg.lstrip().startswith("<svg"):
        return svg
    svg = _INNER_ARIA.sub("", svg)
    return svg.replace("<svg", f'<svg role="img" aria-label="{html.escape(name, quote=True)}"', 1)


def show(chart: alt.TopLevelMixin, lang: str = "vi") -> None:
    """Display a chart in a notebook as SVG (never through Altair's HTML renderer)."""
    from IPython.display import display

    display({"image/svg+xml": to_svg(chart, lang)}, raw=True)


def _title_text(chart: alt.TopLevelMixin) -> str:
    """The chart's title, or its first layer's (a layered chart takes its layers' title)."""
    title = getattr(chart, "title", None)
    if isinstance(title, alt.TitleParams):
        return str(title.text)
    if isinstance(title, str):
        return title
    for layer in getattr(chart, "layer", None) or []:
        if text := _title_text(layer):
            return text
    return ""


# ----------------------------------------------------------------------------------------------
# Encodings shared by several charts


def _rate_axis(lang: str, title_key: str = "rate") -> alt.Axis:
    # every label is a text mark that vl-convert measures: six ticks read as well as eleven
    return alt.Axis(format=".0%", title=labels.column(title_key, lang), values=RATE_TICKS)


def _closed(table: pd.DataFrame) -> bool:
    """Whether a KPI table's month ends its year (statuses then read as the year's result)."""
    return bool(len(table)) and trends.year_closed(str(table["month"].iloc[0]))


def _status_colour(lang: str, closed: bool = False) -> alt.Color:
    # a closed year's legend words are long: two to a row, so the chart stays the page's width
    return alt.Color(
        "status_label:N",
        title=labels.column("status", lang),
        legend=alt.Legend(columns=2) if closed else alt.Undefined,
        scale=alt.Scale(
            domain=[labels.status_legend(s, lang, closed) for s in STATUS_ORDER],
            range=[STATUS_COLOURS[s] for s in STATUS_ORDER],
        ),
    )


def _with_status_labels(frame: pd.DataFrame, lang: str, closed: bool = False) -> pd.DataFrame:
    return frame.assign(
        status_label=[labels.status_legend(s, lang, closed) for s in frame["status"]]
    )


def _month_labels(months: Sequence[str], lang: str) -> list[str]:
    return [fmt.month_short(m, lang) for m in months]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable columns as plain objects with None, which every Vega-Lite serializer accepts."""
    return frame.astype(object).where(frame.notna(), None)


def _target_rule(target: float, lang: str, key: str = "target_line") -> alt.LayerChart:
    data = pd.DataFrame(
        {"target": [target], "label": [f"{labels.text(key, lang)} {_pct(target, lang)}"]}
    )
    base = alt.Chart(data)
    rule = base.mark_rule(color=TARGET_COLOUR, strokeDash=[6, 3], strokeWidth=1.5).encode(
        y="target:Q"
    )
    text = base.mark_text(align="left", dx=4, dy=-6, color=TARGET_COLOUR).encode(
        y="target:Q", x=alt.value(0), text="label:N"
    )
    return rule + text


def _pct(rate: float, lang: str) -> str:
    return fmt.target(rate, lang)


def common_target(table: pd.DataFrame) -> float:
    """The target most units share (55% for every unit in the 2022 decision)."""
    targets = table["target_rate"].dropna()
    return float(targets.mode().iloc[0]) if len(targets) else float("nan")


# ----------------------------------------------------------------------------------------------
# Province (overview page)


def ytd_vs_target(table: pd.DataFrame, lang: str = "vi") -> alt.VConcatChart:
    """Each unit's YTD rate as a bar coloured by status, one panel per group, highest first;
    a black tick marks each unit's target."""
    closed = _closed(table)
    data = _plain(_with_status_labels(table, lang, closed))
    panels = []
    for group in dict.fromkeys(table["group"]):
        rows = data[data["group"] == group]
        order = list(rows.sort_values("ytd_rate", ascending=False, na_position="last")["unit_name"])
        base = alt.Chart(rows, title=labels.group(group, lang))
        y = alt.Y("unit_name:N", sort=order, title=None)
        bars = base.mark_bar().encode(
            x=alt.X(
                "ytd_rate:Q", scale=alt.Scale(domain=[0, 1]), axis=_rate_axis(lang, "ytd_rate")
            ),
            y=y,
            color=_status_colour(lang, closed),
            tooltip=[
                alt.Tooltip("unit_name:N", title=labels.column("unit_name", lang)),
                alt.Tooltip("ytd_rate:Q", title=labels.column("ytd_rate", lang), format=".1%"),
                alt.Tooltip("status_label:N", title=labels.column("status", lang)),
                alt.Tooltip("shortfall:Q", title=labels.column("shortfall", lang), format=",d"),
            ],
        )
        ticks = base.mark_tick(color=TARGET_COLOUR, thickness=2).encode(x="target_rate:Q", y=y)
        labels_ = base.mark_text(align="left", dx=3).encode(
            x="ytd_rate:Q", y=y, text=alt.Text("ytd_rate:Q", format=".1%")
        )
        panels.append((bars + ticks + labels_).properties(width=WIDTH))
    title = labels.text("chart_ytd_vs_target", lang, target=_pct(common_target(table), lang))
    return alt.vconcat(*panels, title=title)


def shortfall_bars(table: pd.DataFrame, lang: str = "vi") -> alt.LayerChart:
    """Dossiers each unit below target is short of the target YTD, largest first."""
    closed = _closed(table)
    rows = table[table["shortfall"].fillna(0) > 0].sort_values(
        "shortfall", ascending=False, kind="stable"
    )
    data = _plain(
        _with_status_labels(rows, lang, closed).assign(
            shortfall_label=[fmt.number(v, lang) for v in rows["shortfall"]]
        )
    )
    base = alt.Chart(data, title=labels.text("chart_shortfall", lang))
    # an explicit order: "-x" is not kept when the bars and their labels are layered
    y = alt.Y("unit_name:N", sort=list(rows["unit_name"]), title=None)
    bars = base.mark_bar().encode(
        x=alt.X("shortfall:Q", title=labels.column("shortfall", lang), axis=alt.Axis(format=",d")),
        y=y,
        color=_status_colour(lang, closed),
    )
    text = base.mark_text(align="left", dx=3).encode(x="shortfall:Q", y=y, text="shortfall_label:N")
    return (bars + text).properties(width=WIDTH)


def rate_heatmap(series: pd.DataFrame, lang: str = "vi") -> alt.Chart:
    """Units × months, each cell the month's online rate; red below the target, green above."""
    months = list(dict.fromkeys(series["month"]))
    units = list(dict.fromkeys(series["unit_name"]))
    month_label = dict(zip(months, _month_labels(months, lang), strict=True))
    data = _plain(
        series[["unit_name", "month", "month_rate"]].assign(
            month_label=series["month"].map(month_label),
        )
    )
    target = common_target(series)
    year = months[0][:4] if months else ""
    base = alt.Chart(data, title=labels.text("chart_heatmap", lang, year=year)).encode(
        x=alt.X(
            "month_label:O",
            sort=list(month_label.values()),
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0),
        ),
        y=alt.Y("unit_name:N", sort=units, title=None),
    )
    # no numbers in the cells: 300-odd text marks triple the drawing time; the table has them
    cells = base.mark_rect().encode(
        color=alt.Color(
            "month_rate:Q",
            title=labels.column("month_rate", lang),
            scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1], domainMid=target),
            legend=alt.Legend(format=".0%"),
        )
    )
    return cells.properties(width=WIDTH)


def _rates_over_months(
    rows: pd.DataFrame,
    measures: dict[str, str],
    target: float,
    title: str,
    lang: str,
    target_key: str = "target_line",
) -> alt.LayerChart:
    """Lines of rate columns (`measures`: column -> legend label) over months, and the target."""
    months = list(rows["month"])
    month_label = _month_labels(months, lang)
    long = pd.DataFrame(
        [
            {"month_label": label, "measure": name, "rate": rows[column].iloc[i]}
            for column, name in measures.items()
            for i, label in enumerate(month_label)
        ]
    )
    lines = (
        alt.Chart(_plain(long))
        .mark_line(point=True)
        .encode(
            x=alt.X("month_label:O", sort=month_label, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("rate:Q", scale=alt.Scale(domain=[0, 1]), axis=_rate_axis(lang)),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=list(measures.values()),
                scale=alt.Scale(domain=list(measures.values()), range=list(SERIES_COLOURS)),
            ),
            tooltip=[
                alt.Tooltip("month_label:O", title=labels.column("month", lang)),
                alt.Tooltip("measure:N", title=labels.text("chart_measure", lang)),
                alt.Tooltip("rate:Q", title=labels.column("rate", lang), format=".1%"),
            ],
        )
    )
    return alt.layer(lines, _target_rule(target, lang, target_key), title=title).properties(
        width=TIME_WIDTH
    )


def province_trend(
    trend: pd.DataFrame, target: float, lang: str = "vi", units: int = 27
) -> alt.LayerChart:
    """The month rate and YTD rate of the units' sum over the year, against the target assigned
    to each unit (not a province target)."""
    year = str(trend["month"].iloc[0])[:4] if len(trend) else ""
    measures = {
        "month_rate": labels.column("month_rate", lang),
        "ytd_rate": labels.column("ytd_rate", lang),
    }
    title = labels.text("chart_province_trend", lang, year=year, units=units)
    return _rates_over_months(trend, measures, target, title, lang, "target_line_each")


# ----------------------------------------------------------------------------------------------
# One unit (unit profile page)


def unit_rates(unit_rows: pd.DataFrame, lang: str = "vi") -> alt.LayerChart:
    """A unit's month rate and YTD rate over the year against its target (rows of `kpi_series`)."""
    year = str(unit_rows["month"].iloc[0])[:4] if len(unit_rows) else ""
    measures = {
        "month_rate": labels.column("month_rate", lang),
        "ytd_rate": labels.column("ytd_rate", lang),
    }
    title = labels.text("chart_unit_rates", lang, year=year)
    return _rates_over_months(unit_rows, measures, common_target(unit_rows), title, lang)


def unit_volumes(unit_rows: pd.DataFrame, lang: str = "vi") -> alt.Chart:
    """A unit's dossiers each month, stacked: online, and the rest (in person, by post)."""
    months = list(unit_rows["month"])
    month_label = _month_labels(months, lang)
    online, other = labels.column("online", lang), labels.column("other", lang)
    totals = unit_rows["month_total"].fillna(0).astype("int64")
    onlines = unit_rows["month_online"].fillna(0).astype("int64")
    long = pd.DataFrame(
        {
            "month_label": month_label * 2,
            "channel": [online] * len(months) + [other] * len(months),
            "order": [0] * len(months) + [1] * len(months),
            "dossiers": list(onlines) + list(totals - onlines),
        }
    )
    return (
        alt.Chart(long, title=labels.text("chart_unit_volumes", lang))
        .mark_bar()
        .encode(
            x=alt.X("month_label:O", sort=month_label, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "dossiers:Q", title=labels.column("dossiers", lang), axis=alt.Axis(format=",d")
            ),
            color=alt.Color(
                "channel:N",
                title=None,
                sort=[online, other],
                scale=alt.Scale(domain=[online, other], range=[SERIES_COLOURS[0], "#bdbdbd"]),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=TIME_WIDTH)
    )


def unit_rank(unit_ranks: pd.DataFrame, lang: str = "vi") -> alt.Chart:
    """A unit's rank in its group month by month (1 at the top); rows of `trends.rank_history`."""
    months = list(unit_ranks["month"])
    month_label = _month_labels(months, lang)
    data = _plain(unit_ranks.assign(month_label=month_label))
    ranked = int(unit_ranks["ranked_units"].max()) if len(unit_ranks) else 1
    return (
        alt.Chart(data, title=labels.text("chart_rank", lang))
        .mark_line(point=True, color=SERIES_COLOURS[0])
        .encode(
            x=alt.X("month_label:O", sort=month_label, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "rank_in_group:Q",
                title=labels.column("rank", lang),
                scale=alt.Scale(domain=[1, max(ranked, 2)], reverse=True, nice=False),
                axis=alt.Axis(values=_rank_ticks(ranked), format="d"),
            ),
        )
        .properties(width=TIME_WIDTH, height=200)
    )


def _rank_ticks(ranked: int) -> list[int]:
    return sorted({1, ranked, *range(5, ranked + 1, 5)})


def unit_vs_median(
    unit_rows: pd.DataFrame, medians: pd.DataFrame, lang: str = "vi"
) -> alt.LayerChart:
    """A unit's YTD rate against the median YTD rate of its group, month by month."""
    group = unit_rows["group"].iloc[0]
    median = medians[medians["group"] == group].set_index("month")["median_ytd_rate"]
    rows = unit_rows.assign(median_ytd_rate=median.reindex(unit_rows["month"]).to_numpy())
    measures = {
        "ytd_rate": labels.text("unit_series", lang),
        "median_ytd_rate": labels.text("group_median", lang),
    }
    title = labels.text("chart_vs_median", lang)
    return _rates_over_months(rows, measures, common_target(unit_rows), title, lang)


# ----------------------------------------------------------------------------------------------
# Exploring (JupyterLab): one chart with a unit picker and a brush over months


def _month_axis() -> alt.Axis:
    # months are calendar months: drawn in UTC so no browser's time zone shifts them
    return alt.Axis(format="%m/%Y", tickCount={"interval": "month", "step": 1}, labelAngle=0)


def unit_explorer(series: pd.DataFrame, lang: str = "vi") -> alt.VConcatChart:
    """A unit's month and YTD rates against its target, the unit picked from a list; the strip
    below brushes a range of months. Static (SVG), it shows the first unit over every month."""
    units = list(dict.fromkeys(series["unit_name"]))
    measures = {
        "month_rate": labels.column("month_rate", lang),
        "ytd_rate": labels.column("ytd_rate", lang),
    }
    long = pd.DataFrame(
        [
            {
                "unit_name": row.unit_name,
                "month_start": f"{row.month}-01",
                "month_label": fmt.month(row.month, lang),
                "measure": name,
                "rate": getattr(row, column),
                "target_rate": row.target_rate,
                "status_label": labels.status(row.status, lang),
            }
            for row in series.itertuples(index=False)
            for column, name in measures.items()
        ]
    )
    pick = alt.param(
        name="picked_unit",
        value=units[0] if units else None,
        bind=alt.binding_select(options=units, name=labels.column("unit_name", lang) + " "),
    )
    months = alt.selection_interval(name="months", encodings=["x"])
    base = alt.Chart(_plain(long)).transform_filter(alt.datum.unit_name == pick)
    x_title = labels.column("month", lang)
    lines = base.mark_line(point=True).encode(
        x=alt.X(
            "utcyearmonth(month_start):T",
            title=None,
            scale=alt.Scale(domain=months),
            axis=_month_axis(),
        ),
        y=alt.Y("rate:Q", scale=alt.Scale(domain=[0, 1]), axis=_rate_axis(lang)),
        color=alt.Color(
            "measure:N",
            title=None,
            sort=list(measures.values()),
            scale=alt.Scale(domain=list(measures.values()), range=list(SERIES_COLOURS)),
        ),
        tooltip=[
            alt.Tooltip("unit_name:N", title=labels.column("unit_name", lang)),
            alt.Tooltip("month_label:N", title=x_title),
            alt.Tooltip("measure:N", title=labels.text("chart_measure", lang)),
            alt.Tooltip("rate:Q", title=labels.column("rate", lang), format=".1%"),
            alt.Tooltip("status_label:N", title=labels.column("status", lang)),
        ],
    )
    target = base.mark_rule(color=TARGET_COLOUR, strokeDash=[6, 3]).encode(y="mean(target_rate):Q")
    # the picked unit's name above the lines, so a static copy says whose rates it shows
    name = (
        base.transform_window(order="row_number()")
        .transform_filter(alt.datum.order == 1)
        .mark_text(align="left", baseline="top", fontWeight="bold", fontSize=13)
        .encode(text="unit_name:N", x=alt.value(6), y=alt.value(6))
    )
    detail = alt.layer(lines, target, name).properties(width=WIDTH, height=240)
    strip = (
        base.transform_filter(alt.datum.measure == measures["ytd_rate"])
        .mark_area(color=SERIES_COLOURS[1], opacity=0.5)
        .encode(
            x=alt.X(
                "utcyearmonth(month_start):T",
                title=labels.text("chart_brush", lang),
                axis=_month_axis(),
            ),
            y=alt.Y("rate:Q", scale=alt.Scale(domain=[0, 1]), axis=None),
        )
        .add_params(months)
        .properties(width=WIDTH, height=50)
    )
    return alt.vconcat(detail, strip, title=labels.text("chart_explorer", lang)).add_params(pick)


def units_compared(
    series: pd.DataFrame, unit_codes: Sequence[str], lang: str = "vi"
) -> alt.LayerChart:
    """The YTD rates of a few units over the year, one line each, against the target."""
    rows = series[series["unit_code"].isin(list(unit_codes))]
    months = list(dict.fromkeys(rows["month"]))
    month_label = dict(zip(months, _month_labels(months, lang), strict=True))
    names = list(dict.fromkeys(rows.set_index("unit_code").loc[list(unit_codes), "unit_name"]))
    data = _plain(
        _with_status_labels(rows, lang).assign(month_label=[month_label[m] for m in rows["month"]])
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "month_label:O",
                sort=list(month_label.values()),
                title=None,
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(
                "ytd_rate:Q", scale=alt.Scale(domain=[0, 1]), axis=_rate_axis(lang, "ytd_rate")
            ),
            color=alt.Color(
                "unit_name:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=list(SERIES_COLOURS)),
                legend=alt.Legend(labelLimit=0, orient="bottom", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("unit_name:N", title=labels.column("unit_name", lang)),
                alt.Tooltip("month_label:O", title=labels.column("month", lang)),
                alt.Tooltip("ytd_rate:Q", title=labels.column("ytd_rate", lang), format=".1%"),
                alt.Tooltip("status_label:N", title=labels.column("status", lang)),
            ],
        )
    )
    title = labels.text("chart_units_compared", lang)
    return alt.layer(lines, _target_rule(common_target(rows), lang), title=title).properties(
        width=WIDTH
    )
