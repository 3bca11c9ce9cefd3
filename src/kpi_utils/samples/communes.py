"""SYNTHETIC commune counts for the bundled sample: each district's months split over its communes.

Every number is invented, like the district counts it starts from (`samples/counts.py`,
`data/sample/monthly_counts.csv`). The model treats every dossier of a district as handled at
one of its communes' one-stop desks, so that **for every district and month the communes' totals
and online counts add up exactly to the district's**. (Real districts also handle dossiers at
their own desk; the sample leaves that out so that the two files can be checked against each
other.)

The model, for commune ``c`` of district ``d``:

- **Size.** ``weight_c = TYPE_SIZE[type_c] * exp(SIZE_SD * z_c)``: wards (phường) and townships
  (thị trấn) are denser and busier than rural communes (xã); ``z_c`` is standard normal, drawn
  once per commune.
- **Online propensity.** ``shift_c = TYPE_ONLINE[type_c] + ONLINE_SD * u_c`` on the logit
  scale, ``u_c`` standard normal, drawn once per commune: a commune's dossiers are online more or
  less often than its district's average, wards and townships more often.
- **Totals.** In each month, the district's ``total`` is split over its communes as a multinomial
  draw with probabilities ``weight_c / sum(weight)``, made as successive binomials; the last
  commune takes the remainder, so the sum is exact.
- **Online.** Each commune's expected share is ``logistic(k + shift_c)``, with ``k`` set (by
  bisection) so that the expected online dossiers add up to the district's ``online``. Communes
  are then drawn one by one: a binomial of ``total_c`` trials at that share, rescaled by what is
  left to place over what is left expected, clamped so that what remains can still be placed
  (``online_c <= total_c``, remaining online never above remaining total); the last commune takes
  the remainder, so the sum is exact.

Reproducibility: one ``random.Random(COMMUNE_SEED)``, only through `sample.draw_normal` and
`sample.draw_binomial` (which use ``.random()`` alone). Draws are made in a fixed order: the
commune attributes (z, then u) for every commune in `data/communes.csv` order; then, district by
district in that file's order and month by month, the totals split and then the online split.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

import pandas as pd

from kpi_utils.common import paths
from kpi_utils.samples.counts import SAMPLE_SEED, draw_binomial, draw_normal
from kpi_utils.sources.communes import load_communes

COMMUNE_SEED = SAMPLE_SEED + 1
"""A stream of its own: the district sample uses SAMPLE_SEED."""

TYPE_SIZE = {"xã": 1.0, "thị trấn": 2.0, "phường": 2.5}
SIZE_SD = 0.4
TYPE_ONLINE = {"xã": 0.0, "thị trấn": 0.3, "phường": 0.4}
ONLINE_SD = 0.5
COLUMNS = ["ward_code", "ward_name", "unit_code", "month", "total", "online"]


def commune_counts_path() -> Path:
    return paths.data_dir() / "sample" / "commune_counts.csv"


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """A multinomial split of `total` by successive binomials; sums to `total` exactly."""
    out = []
    remaining, weight_left = total, sum(weights)
    for weight in weights[:-1]:
        share = min(1.0, weight / weight_left) if weight_left > 0 else 0.0
        drawn = min(remaining, max(0, draw_binomial(rng, remaining, share)))
        out.append(drawn)
        remaining -= drawn
        weight_left -= weight
    out.append(remaining)
    return out


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def calibrated_shares(online: int, totals: list[int], shifts: list[float]) -> list[float]:
    """Online shares `logistic(k + shift_c)`, with `k` chosen so that they give `online` in all.

    `k` is found by bisection: sum(total_c * logistic(k + shift_c)) grows with k.
    """
    if online <= 0:
        return [0.0] * len(totals)
    if online >= sum(totals):
        return [1.0] * len(totals)
    low, high = -60.0, 60.0
    for _ in range(100):
        middle = (low + high) / 2.0
        expected = sum(t * _logistic(middle + s) for t, s in zip(totals, shifts, strict=True))
        low, high = (middle, high) if expected < online else (low, middle)
    return [_logistic((low + high) / 2.0 + s) for s in shifts]


def _split_online(
    rng: random.Random, online: int, totals: list[int], shifts: list[float]
) -> list[int]:
    """Place `online` dossiers among communes with `totals`; exact, and never above a total."""
    shares = calibrated_shares(online, totals, shifts)
    out = []
    left_online, left_total = online, sum(totals)
    left_expected = sum(p * t for p, t in zip(shares, totals, strict=True))
    for total, share in zip(totals[:-1], shares[:-1], strict=True):
        scale = left_online / left_expected if left_expected > 0 else 0.0
        drawn = draw_binomial(rng, total, min(1.0, share * scale))
        drawn = min(total, left_online, max(drawn, left_online - (left_total - total), 0))
        out.append(drawn)
        left_online -= drawn
        left_total -= total
        left_expected -= share * total
    out.append(left_online)
    return out


def generate_commune_counts(
    district_counts: pd.DataFrame, communes: pd.DataFrame, seed: int = COMMUNE_SEED
) -> pd.DataFrame:
    """SYNTHETIC (total, online) per commune and month; sums equal `district_counts` exactly.

    district_counts: unit_code, month (str 'YYYY-MM' or Period), total, online; districts only
    are used. communes: `communes.load_communes()`. Returns COLUMNS, month as 'YYYY-MM', sorted
    by the commune file's order then month.
    """
    rng = random.Random(seed)
    size, shift = {}, {}
    for record in communes.to_dict("records"):
        z, u = draw_normal(rng), draw_normal(rng)
        size[record["ward_code"]] = TYPE_SIZE[record["ward_type"]] * math.exp(SIZE_SD * z)
        shift[record["ward_code"]] = TYPE_ONLINE[record["ward_type"]] + ONLINE_SD * u
    counts = district_counts.assign(month=district_counts["month"].astype(str))
    rows: dict[int, list[tuple[str, int, int]]] = {code: [] for code in communes["ward_code"]}
    for unit in dict.fromkeys(communes["unit_code"]):
        members = communes[communes["unit_code"] == unit]
        codes = list(members["ward_code"])
        months = counts[counts["unit_code"] == unit].sort_values("month")
        for month, total, online in zip(
            months["month"], months["total"], months["online"], strict=True
        ):
            totals = _split(rng, int(total), [size[c] for c in codes])
            onlines = _split_online(rng, int(online), totals, [shift[c] for c in codes])
            for code, t, o in zip(codes, totals, onlines, strict=True):
                rows[code].append((month, t, o))
    names = dict(zip(communes["ward_code"], communes["ward_name"], strict=True))
    units = dict(zip(communes["ward_code"], communes["unit_code"], strict=True))
    records = [
        (code, names[code], units[code], month, t, o)
        for code, months in rows.items()
        for month, t, o in months
    ]
    frame = pd.DataFrame(records, columns=COLUMNS)
    return frame.astype({"ward_code": "int64", "total": "int64", "online": "int64"})


def write_commune_sample(path: Path | None = None, seed: int = COMMUNE_SEED) -> Path:
    """Generate from the committed district sample and write UTF-8 CSV, LF endings."""
    target = commune_counts_path() if path is None else Path(path)
    district_counts = pd.read_csv(paths.sample_counts_path(), dtype={"month": str})
    frame = generate_commune_counts(district_counts, load_communes(), seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(frame.itertuples(index=False, name=None))
    return target
