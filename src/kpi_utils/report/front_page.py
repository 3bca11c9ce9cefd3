"""A month's front page, what it answers first: the headline, a few tiles, every unit's status,
the units that need attention. Pure: the year's KPI series (and the counts, for the on-time
rate) in, small frozen dataclasses out; `site.report_index` lays them out.

- the headline is the overview's (`pages.headline_sentence`), word for word;
- tiles: the 27 units' YTD rate against the target and its change since last month; how many
  units are met / near / below / without data (December: met / not met); the on-time rate when
  the counts carry it; the dossiers year to date;
- the grid: every unit in registry order, grouped, with its YTD rate, target, status in words
  (and a colour class), a sparkline of its YTD rate through the year (inline SVG with a text
  alternative), and its page;
- needs attention: units below or near, with their shortfall and the rate they need in each
  remaining month (`trends.needed_rates`); in December, the year's result instead.

Every string here is plain text except `Sparkline.svg`, built from escaped text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from kpi_utils.metrics import ontime, trends
from kpi_utils.report import fmt, labels
from kpi_utils.report.html_blocks import escape
from kpi_utils.report.pages import headline_sentence, province_on_time_rate

STATUSES = ("met", "near", "below", "no_data")


def _colour(status: str, closed: bool) -> str:
    """The colour class of a status: in December near and below are both "not met", one colour,
    so that the colour never says more than the words."""
    return "below" if closed and status == "near" else status


def _status_text(status: str, lang: str, closed: bool) -> str:
    return labels.capitalized(labels.status(status, lang, closed))


@dataclass(frozen=True)
class Tile:
    """One figure: what it is (`label`), the figure (`value`), lines that qualify it."""

    key: str
    label: str
    value: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitStatus:
    """One unit of the grid. `status` is the code (met/near/below/no_data, for the colour);
    `status_text` the words a reader sees."""

    code: str
    name: str
    ytd_rate: str
    target: str
    status: str
    status_text: str
    sparkline: str
    href: str
    colour: str = ""


@dataclass(frozen=True)
class UnitGroup:
    label: str
    units: tuple[UnitStatus, ...]


@dataclass(frozen=True)
class Attention:
    """A unit that needs attention. Before December: `needed` is the rate it needs in each
    remaining month (or "out of reach"); in December `gap` is the points below the target."""

    code: str
    name: str
    href: str
    status: str
    status_text: str
    ytd_rate: str
    target: str
    shortfall: str
    needed: str = ""
    gap: str = ""
    colour: str = ""


@dataclass(frozen=True)
class FrontPage:
    month: str
    lang: str
    closed: bool
    headline: str
    tiles: tuple[Tile, ...]
    groups: tuple[UnitGroup, ...]
    attention_heading: str
    attention_note: str
    attention: tuple[Attention, ...]
    attention_empty: str
    columns: dict[str, str]

    def tile(self, key: str) -> Tile | None:
        return next((tile for tile in self.tiles if tile.key == key), None)


# ------------------------------------------------------------------------------------------------
# sparklines


def sparkline(
    rates: Sequence[float | None],
    target: float | None,
    status: str,
    description: str,
    *,
    width: int = 160,
    height: int = 40,
    slots: int = trends.MONTHS_IN_YEAR,
) -> str:
    """A small line of rates (0..1) across `slots` places (a year's months), on a fixed 0-100%
    scale, with the target as a dashed line and the last rate as a dot coloured by `status`.

    Hand-written SVG, no script; `description` is its text alternative (<title>, role="img").
    Missing rates break the line; a rate standing alone is a dot.
    """
    pad = 3
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    step = inner_w / max(slots - 1, 1)

    def x(i: int) -> float:
        return round(pad + i * step, 1)

    def y(rate: float) -> float:
        return round(pad + (1 - min(max(rate, 0.0), 1.0)) * inner_h, 1)

    parts = [f"<title>{escape(description)}</title>"]
    parts.append(
        f'<rect class="fp-spark-frame" x="{pad}" y="{pad}" width="{inner_w}" height="{inner_h}"/>'
    )
    if target is not None and not fmt.is_missing(target):
        ty = y(float(target))
        parts.append(
            f'<line class="fp-spark-target" x1="{pad}" y1="{ty}" x2="{pad + inner_w}" y2="{ty}"/>'
        )
    runs: list[list[tuple[float, float]]] = [[]]
    for i, rate in enumerate(rates):
        if fmt.is_missing(rate):
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x(i), y(float(rate))))
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{px},{py}" for px, py in run)
            parts.append(f'<polyline class="fp-spark-line" points="{points}"/>')
        elif len(run) == 1:
            px, py = run[0]
            parts.append(f'<circle class="fp-spark-line-dot" cx="{px}" cy="{py}" r="1.5"/>')
    last = next(
        ((i, r) for i, r in reversed(list(enumerate(rates))) if not fmt.is_missing(r)), None
    )
    if last is not None:
        i, rate = last
        parts.append(
            f'<circle class="fp-spark-end fp-fill-{escape(status)}" cx="{x(i)}" '
            f'cy="{y(float(rate))}" r="2.5"/>'
        )
    return (
        f'<svg class="fp-spark" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-label="{escape(description)}">' + "".join(parts) + "</svg>"
    )


def trend_chart(
    points: Sequence[tuple[str, str, float | None, str]],
    description: str,
    *,
    width: int = 640,
    height: int = 200,
) -> str:
    """A small line chart with its scale: `points` are (x label, label below it or "", rate,
    rate in words), in order; a 0-100% scale with grid lines every 25 points, each point's rate
    written above it when there are at most 12 (the last one only otherwise).

    Hand-written SVG, no script; `description` is its text alternative (<title>, role="img").
    """
    left, right, top, bottom = 44, 32, 20, 40
    inner_w, inner_h = width - left - right, height - top - bottom
    step = inner_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return round(left + (i * step if len(points) > 1 else inner_w / 2), 1)

    def y(rate: float) -> float:
        return round(top + (1 - min(max(rate, 0.0), 1.0)) * inner_h, 1)

    parts = [f"<title>{escape(description)}</title>"]
    for level in (0, 0.25, 0.5, 0.75, 1.0):
        ly = y(level)
        parts.append(
            f'<line class="fp-axis-grid" x1="{left}" y1="{ly}" x2="{left + inner_w}" y2="{ly}"/>'
            f'<text class="fp-axis-text" x="{left - 6}" y="{ly + 4}" text-anchor="end">'
            f"{int(level * 100)}%</text>"
        )
    line = [(x(i), y(float(r))) for i, (_, _, r, _) in enumerate(points) if not fmt.is_missing(r)]
    if len(line) > 1:
        joined = " ".join(f"{px},{py}" for px, py in line)
        parts.append(f'<polyline class="fp-trend-line" points="{joined}"/>')
    labelled = len(points) <= trends.MONTHS_IN_YEAR
    for i, (label, below, rate, shown) in enumerate(points):
        px = x(i)
        parts.append(
            f'<text class="fp-axis-text" x="{px}" y="{top + inner_h + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        if below:
            parts.append(
                f'<text class="fp-axis-text" x="{px}" y="{top + inner_h + 32}" '
                f'text-anchor="middle">{escape(below)}</text>'
            )
        if fmt.is_missing(rate):
            continue
        py = y(float(rate))
        parts.append(f'<circle class="fp-trend-dot" cx="{px}" cy="{py}" r="3.5"/>')
        if labelled or i == len(points) - 1:
            parts.append(
                f'<text class="fp-trend-value" x="{px}" y="{py - 8}" text-anchor="middle">'
                f"{escape(shown)}</text>"
            )
    return (
        f'<svg class="fp-trend-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-label="{escape(description)}">' + "".join(parts) + "</svg>"
    )


def _spark_text(name: str, months: Sequence[str], rates: Sequence, target, lang: str) -> str:
    points = "; ".join(
        labels.front("spark_point", lang, month=fmt.month_short(m, lang), rate=fmt.percent(r, lang))
        for m, r in zip(months, rates, strict=True)
    )
    return labels.front("spark", lang, name=name, points=points, target=fmt.target(target, lang))


# ------------------------------------------------------------------------------------------------
# the page


def _rate_tile(trend: pd.DataFrame, table: pd.DataFrame, month: str, lang: str) -> Tile:
    now = trend[trend["month"] == month].iloc[0]
    closed = trends.year_closed(month)
    year = pd.Period(month, freq="M").year
    units = len(table)
    label = labels.front("tile_rate_year" if closed else "tile_rate", lang, units=units, year=year)
    targets = sorted({float(t) for t in table["target_rate"].dropna()})
    if len(targets) == 1:
        target = labels.front("tile_target", lang, target=fmt.target(targets[0], lang))
    elif targets:
        low, high = fmt.target(targets[0], lang), fmt.target(targets[-1], lang)
        target = labels.front("tile_targets", lang, low=low, high=high)
    else:
        target = labels.front("tile_target", lang, target=fmt.MISSING)
    change = trends.province_change_pp(trend, month)
    previous = fmt.month(pd.Period(month, freq="M") - 1, lang)
    if change is None:
        change_text = labels.front("tile_first_month", lang)
    else:
        shown = fmt.decimal(abs(change), lang)
        if shown == fmt.decimal(0, lang):
            change_text = labels.front("tile_same", lang, previous=previous)
        else:
            key = "tile_up" if change > 0 else "tile_down"
            change_text = labels.front(key, lang, points=shown, previous=previous)
    return Tile("rate", label, fmt.percent(now["ytd_rate"], lang), (target, change_text))


def _units_tile(table: pd.DataFrame, lang: str, closed: bool) -> Tile:
    counts = {s: int((table["status"] == s).sum()) for s in STATUSES}
    units = len(table)
    value = labels.front("tile_units_value", lang, met=counts["met"], units=units)
    if closed:  # a verdict: met or not met (near and below are both "not met")
        shown = [("near", counts["near"] + counts["below"]), ("no_data", counts["no_data"])]
    else:
        shown = [(s, counts[s]) for s in ("near", "below", "no_data")]
    details = tuple(
        labels.front(
            "tile_count", lang, status=_status_text(s, lang, closed), count=fmt.number(n, lang)
        )
        for s, n in shown
    )
    return Tile("units", labels.front("tile_units", lang), value, details)


def _on_time_tile(counts: pd.DataFrame, month: str, lang: str, rate: float) -> Tile:
    province = ontime.province_on_time(counts, month).iloc[0]
    detail = labels.front(
        "tile_on_time_detail",
        lang,
        on_time=fmt.number(province["ytd_resolved_on_time"], lang),
        resolved=fmt.number(province["ytd_resolved"], lang),
    )
    return Tile("on_time", labels.front("tile_on_time", lang), fmt.percent(rate, lang), (detail,))


def _dossiers_tile(trend: pd.DataFrame, month: str, lang: str) -> Tile:
    now = trend[trend["month"] == month].iloc[0]
    details = (
        labels.front("tile_dossiers_online", lang, online=fmt.number(now["ytd_online"], lang)),
        labels.front(
            "tile_dossiers_month",
            lang,
            month=fmt.month(month, lang),
            total=fmt.number(now["month_total"], lang),
        ),
    )
    return Tile(
        "dossiers", labels.front("tile_dossiers", lang), fmt.number(now["ytd_total"], lang), details
    )


def _grid(
    series: pd.DataFrame, table: pd.DataFrame, lang: str, closed: bool, href: Callable[[str], str]
) -> tuple[UnitGroup, ...]:
    months = sorted(series["month"].unique())
    rates = series.pivot(index="unit_code", columns="month", values="ytd_rate")
    groups = []
    for group, rows in table.groupby("group", sort=False):
        units = []
        for unit in rows.itertuples(index=False):
            unit_rates = [rates.at[unit.unit_code, m] for m in months]
            description = _spark_text(unit.unit_name, months, unit_rates, unit.target_rate, lang)
            target = None if fmt.is_missing(unit.target_rate) else float(unit.target_rate)
            units.append(
                UnitStatus(
                    code=unit.unit_code,
                    name=unit.unit_name,
                    ytd_rate=fmt.percent(unit.ytd_rate, lang),
                    target=fmt.target(unit.target_rate, lang),
                    status=unit.status,
                    status_text=_status_text(unit.status, lang, closed),
                    sparkline=sparkline(
                        unit_rates, target, _colour(unit.status, closed), description
                    ),
                    href=href(unit.unit_code),
                    colour=_colour(unit.status, closed),
                )
            )
        groups.append(UnitGroup(labels.group(str(group), lang), tuple(units)))
    return tuple(groups)


def _attention(
    table: pd.DataFrame, lang: str, closed: bool, href: Callable[[str], str]
) -> tuple[Attention, ...]:
    shortfall = dict(zip(table["unit_code"], table["shortfall"], strict=True))
    if closed:
        rows = table[table["status"].isin(["near", "below"])]
        rows = rows.sort_values(["shortfall", "unit_code"], ascending=[False, True])
        return tuple(
            Attention(
                code=r.unit_code,
                name=r.unit_name,
                href=href(r.unit_code),
                status=r.status,
                status_text=_status_text(r.status, lang, closed=True),
                colour=_colour(r.status, closed=True),
                ytd_rate=fmt.percent(r.ytd_rate, lang),
                target=fmt.target(r.target_rate, lang),
                shortfall=fmt.number(r.shortfall, lang),
                gap=fmt.decimal(abs(float(r.gap_pp)), lang),
            )
            for r in rows.itertuples(index=False)
        )
    out_of_reach = labels.front("out_of_reach", lang)
    return tuple(
        Attention(
            code=r.unit_code,
            name=r.unit_name,
            href=href(r.unit_code),
            status=r.status,
            status_text=_status_text(r.status, lang, closed=False),
            colour=r.status,
            ytd_rate=fmt.percent(r.ytd_rate, lang),
            target=fmt.target(r.target_rate, lang),
            shortfall=fmt.number(shortfall[r.unit_code], lang),
            needed=out_of_reach if r.out_of_reach else fmt.percent(r.needed_rate, lang),
        )
        for r in trends.needed_rates(table).itertuples(index=False)
    )


def front_page(
    series: pd.DataFrame,
    month: str,
    lang: str = "vi",
    *,
    counts: pd.DataFrame | None = None,
    unit_href: Callable[[str], str] = lambda code: f"units/{code}.html",
) -> FrontPage:
    """The front page of `month` from the year's KPI series (`trends.kpi_series` through the
    month); `counts` (tidy, as checked) give the on-time tile when they carry on-time figures."""
    labels.check_lang(lang)
    month = str(pd.Period(month, freq="M"))
    table = trends.month_slice(series, month)
    trend = trends.province_trend(series)
    closed = trends.year_closed(month)
    year = pd.Period(month, freq="M").year
    on_time = None if counts is None else province_on_time_rate(counts, month)
    tiles = [_rate_tile(trend, table, month, lang), _units_tile(table, lang, closed)]
    if on_time is not None:
        tiles.append(_on_time_tile(counts, month, lang, on_time))
    tiles.append(_dossiers_tile(trend, month, lang))
    columns = {
        key: labels.front(key, lang, year=year)
        for key in (
            "grid_unit",
            "grid_target",
            "grid_status",
            "grid_trend",
            "attention_shortfall",
            "attention_needed",
            "attention_gap",
        )
    }
    columns["grid_rate"] = labels.front(
        "grid_rate_year" if closed else "grid_rate", lang, year=year
    )
    if closed:
        heading = labels.front("attention_year", lang, year=year)
        note = labels.text("year_result_intro", lang, year=year)
        empty = labels.text("no_units_short_year", lang, year=year)
    else:
        heading = labels.front("attention", lang)
        note = labels.front("attention_note", lang)
        empty = labels.text("no_units_below", lang)
    return FrontPage(
        month=month,
        lang=lang,
        closed=closed,
        headline=headline_sentence(trend, table, month, lang, on_time),
        tiles=tuple(tiles),
        groups=_grid(series, table, lang, closed, unit_href),
        attention_heading=heading,
        attention_note=note,
        attention=_attention(table, lang, closed, unit_href),
        attention_empty=empty,
        columns=columns,
    )
