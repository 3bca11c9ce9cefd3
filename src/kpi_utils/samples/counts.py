"""SYNTHETIC monthly counts of administrative-procedure dossiers, per unit, for the bundled sample.

No per-unit real counts are public (DOMAIN.md §5), so the sample is generated from the documented
model below and calibrated to the province-level figures that are public. Every number it produces
is invented; label it SYNTHETIC wherever it is shown.

Output: one row per unit per month, columns ``unit_code, month, total, online`` (month written
``YYYY-MM``; a month with no dossiers is a row with 0 and 0, never a missing row), sorted by the
registry's ``order`` and then month.

The model, for unit ``u`` and month index ``t`` (0 = 2021-01, whatever window is asked for):

- **Volume.** ``mean(u, t) = volume_u * growth_u ** ((t - 5.5) / 12) * season(month)``, where
  ``volume_u`` is the unit's mean dossiers per month over 2021 (``t = 5.5`` is the middle of
  2021), ``growth_u`` its year-on-year multiplier and ``season`` a multiplicative factor per calendar
  month with a Tết dip (January low, February lowest). Departments differ by more than an order of
  magnitude (Sở Khoa học và Công nghệ a few dozen a month, Sở Giao thông vận tải thousands);
  districts are large; the foreign-affairs unit VPUBND-NV sees a couple of dossiers a month.
- **Monthly noise.** The mean is multiplied by ``exp(NOISE_SD * z)`` with ``z`` standard normal, and
  ``total`` is a Poisson draw with that mean (a gamma-Poisson-like over-dispersion), so small units
  have months with no dossiers at all.
- **Online share.** A logistic curve per unit:
  ``share(u, t) = floor_u + (ceiling_u - floor_u) / (1 + exp(-speed_u * (t - midpoint_u)))``,
  with its own starting share, ceiling, midpoint and speed, shifted each month on the logit scale by
  ``ONLINE_NOISE_SD * z``. ``online`` is a binomial draw of ``total`` trials at that share.
- **Calibration** (province = sum over the 27 units): online share about 49% in Q2 2021 (public:
  43,535 / 88,412 = 49.2%) and about 83% over January-September 2022 (public: 278,219 / 336,418);
  about 29,500 dossiers a month in Q2 2021 and 37,400 a month in January-September 2022. At 2022-06
  the units' year-to-date rates are spread around the 55% target: most large units met, a few near
  and a few below. ``UNIT_PROFILES`` holds the parameters.

Reproducibility: all randomness comes from one ``random.Random(seed)`` and only its ``.random()``
method (Mersenne Twister, stable across Python versions), turned into normal, Poisson and binomial
draws by the transforms in this module rather than numpy's or ``random``'s own distributions, whose
algorithms may change between versions. Draws are made in a fixed order: units in registry order,
then months, and for each unit-month: volume noise, total, share noise, online. A unit's numbers
therefore depend on the units before it: generating a subset of units gives different numbers.
"""

from __future__ import annotations

import csv
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi_utils.common import paths
from kpi_utils.common.registry import load_registry

SAMPLE_SEED = 20220215
"""Default seed: the date of the proposal Tờ trình 09/TTr-STTTT (15/02/2022)."""


COLUMNS = ["unit_code", "month", "total", "online"]

MODEL_ORIGIN = (2021, 1)
"""Month index 0 of the model; curves and growth are anchored here, not at the requested start."""

SEASON = {
    1: 0.88,
    2: 0.62,
    3: 1.06,
    4: 1.02,
    5: 1.04,
    6: 1.05,
    7: 1.03,
    8: 1.00,
    9: 1.02,
    10: 1.06,
    11: 1.07,
    12: 1.11,
}
"""Multiplicative volume factor per calendar month (mean about 1). Tết falls in February in both
2021 (12/02) and 2022 (01/02): offices close for a week or more, and January is quieter too."""

NOISE_SD = 0.08
"""Standard deviation of the log-normal month-to-month volume noise."""

ONLINE_NOISE_SD = 0.12
"""Standard deviation of the month-to-month shift of the online share on the logit scale."""

POISSON_INVERSE_LIMIT = 50.0
"""Poisson means below this are drawn by inverse CDF; above it by the normal approximation."""

BERNOULLI_LIMIT = 60
"""Binomial draws with at most this many trials are Bernoulli sums; above it, normal approximation."""


@dataclass(frozen=True)
class UnitProfile:
    """Parameters of one unit in the model (see the module docstring)."""

    volume: float  # mean dossiers per month over 2021
    growth: float  # year-on-year multiplier of the volume
    floor: float  # online share long before the midpoint
    ceiling: float  # online share the unit tends to
    midpoint: float  # month index (0 = 2021-01) where the share is halfway from floor to ceiling
    speed: float  # logistic steepness, per month


UNIT_PROFILES: dict[str, UnitProfile] = {
    # Departments. Volumes span SKHCN (~40 a month) to SGTVT (~2,450: vehicle and driving-licence
    # procedures). Laggards carry the 2022-06 year-to-date status they are aimed at: "near" means
    # an expected rate of about 52.5%, "below" well under 50%; the noise decides where they land.
    "SCT": UnitProfile(420, 1.3, 0.24, 0.88, 5.5, 0.4),
    "SVHTTDL": UnitProfile(260, 1.2, 0.1, 0.7, 14.0, 0.25),  # below
    "SGTVT": UnitProfile(2450, 1.4, 0.29, 0.88, 4.5, 0.45),
    "SGDDT": UnitProfile(320, 1.25, 0.1, 0.72, 12.0, 0.3),  # near
    "SKHDT": UnitProfile(1520, 1.4, 0.34, 0.93, 2.5, 0.45),
    "SKHCN": UnitProfile(40, 1.15, 0.05, 0.6, 18.0, 0.3),  # below
    "SLDTBXH": UnitProfile(630, 1.3, 0.15, 0.82, 9.0, 0.35),
    "SNNPTNT": UnitProfile(360, 1.2, 0.1, 0.82, 10.0, 0.35),
    "SNV": UnitProfile(130, 1.2, 0.1, 0.72, 12.0, 0.3),  # near
    "STC": UnitProfile(90, 1.15, 0.2, 0.88, 7.0, 0.4),
    "STNMT": UnitProfile(910, 1.35, 0.19, 0.83, 5.5, 0.4),
    "STTTT": UnitProfile(150, 1.25, 0.35, 0.97, 3.0, 0.5),
    "STP": UnitProfile(1810, 1.4, 0.29, 0.88, 4.5, 0.45),
    "SXD": UnitProfile(460, 1.3, 0.15, 0.82, 9.0, 0.35),
    "SYT": UnitProfile(710, 1.25, 0.1, 0.8, 10.0, 0.35),
    "BQLKCN": UnitProfile(60, 1.4, 0.2, 0.88, 7.0, 0.45),
    "VPUBND-NV": UnitProfile(2.2, 1.0, 0.0, 0.35, 15.0, 0.3),  # below; some months none
    # Districts and the city: one-stop desks of the district and its communes.
    "TPHB": UnitProfile(3720, 1.4, 0.29, 0.88, 3.5, 0.45),
    "CAOPHONG": UnitProfile(1320, 1.35, 0.24, 0.84, 5.5, 0.45),
    "TANLAC": UnitProfile(1720, 1.35, 0.24, 0.85, 4.5, 0.45),
    "LACSON": UnitProfile(2010, 1.35, 0.24, 0.85, 5.5, 0.45),
    "YENTHUY": UnitProfile(1520, 1.35, 0.24, 0.83, 5.5, 0.45),
    "MAICHAU": UnitProfile(1220, 1.3, 0.19, 0.8, 6.5, 0.4),
    "KIMBOI": UnitProfile(1910, 1.35, 0.24, 0.85, 5.5, 0.45),
    "LACTHUY": UnitProfile(1520, 1.35, 0.24, 0.85, 4.5, 0.45),
    "DABAC": UnitProfile(1130, 1.3, 0.1, 0.67, 11.0, 0.3),  # near
    "LUONGSON": UnitProfile(2840, 1.45, 0.29, 0.88, 3.5, 0.45),
}


# --- Draws from random.Random.random() only ---------------------------------------------------


def draw_normal(rng: random.Random) -> float:
    """One standard normal by Box-Muller, from two uniforms (the second normal is discarded)."""
    u1 = 1.0 - rng.random()  # in (0, 1], so the log is finite
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def draw_poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count: inverse CDF for small means, rounded normal approximation for large ones."""
    if mean <= 0.0:
        return 0
    if mean >= POISSON_INVERSE_LIMIT:
        return max(0, math.floor(mean + math.sqrt(mean) * draw_normal(rng) + 0.5))
    u = rng.random()
    k = 0
    p = math.exp(-mean)
    cdf = p
    # The cap only guards against a cdf that rounding keeps just below u.
    cap = math.ceil(mean + 20.0 * math.sqrt(mean) + 20.0)
    while u >= cdf and k < cap:
        k += 1
        p *= mean / k
        cdf += p
    return k


def draw_binomial(rng: random.Random, trials: int, share: float) -> int:
    """A binomial count: Bernoulli sum for few trials, rounded normal approximation for many."""
    if trials <= BERNOULLI_LIMIT:
        return sum(1 for _ in range(trials) if rng.random() < share)
    mean = trials * share
    sd = math.sqrt(trials * share * (1.0 - share))
    return min(trials, max(0, math.floor(mean + sd * draw_normal(rng) + 0.5)))


# --- The model --------------------------------------------------------------------------------


def month_index(year: int, month: int) -> int:
    """Months since the model origin, 2021-01."""
    return (year - MODEL_ORIGIN[0]) * 12 + (month - MODEL_ORIGIN[1])


def expected_total(profile: UnitProfile, year: int, month: int) -> float:
    """Mean dossiers of a unit in a month, before the monthly noise."""
    trend = profile.growth ** ((month_index(year, month) - 5.5) / 12.0)
    return profile.volume * trend * SEASON[month]


def online_share(profile: UnitProfile, year: int, month: int) -> float:
    """The unit's logistic online share in a month, before the monthly noise."""
    t = month_index(year, month)
    rise = 1.0 / (1.0 + math.exp(-profile.speed * (t - profile.midpoint)))
    return profile.floor + (profile.ceiling - profile.floor) * rise


def _shift_logit(share: float, shift: float) -> float:
    if share <= 0.0 or share >= 1.0:
        return share
    return 1.0 / (1.0 + math.exp(-(math.log(share / (1.0 - share)) + shift)))


def draw_unit_month(
    rng: random.Random, profile: UnitProfile, year: int, month: int
) -> tuple[int, int]:
    """(total, online) of one unit in one month; consumes draws in the documented order."""
    mean = expected_total(profile, year, month) * math.exp(NOISE_SD * draw_normal(rng))
    total = draw_poisson(rng, mean)
    share = _shift_logit(online_share(profile, year, month), ONLINE_NOISE_SD * draw_normal(rng))
    online = draw_binomial(rng, total, share)
    return total, online


def month_range(start: str, end: str) -> list[tuple[int, int]]:
    """(year, month) pairs from start to end inclusive, both written 'YYYY-MM'."""
    bounds = []
    for text in (start, end):
        match = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"month must be written YYYY-MM, got {text!r}")
        bounds.append((int(match.group(1)), int(match.group(2))))
    (year, month), last = bounds
    if (year, month) > last:
        raise ValueError(f"start {start} is after end {end}")
    months = []
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def generate_monthly_counts(
    units: pd.DataFrame,
    seed: int = SAMPLE_SEED,
    start: str = "2021-01",
    end: str = "2022-12",
) -> pd.DataFrame:
    """SYNTHETIC monthly (total, online) counts for every unit and month from start to end.

    ``units`` needs the registry columns ``unit_code`` and ``order``; every unit must have a profile
    in ``UNIT_PROFILES``. Returns columns unit_code (str), month (str 'YYYY-MM'), total and online
    (int64), sorted by registry order then month.
    """
    missing = sorted(set(units["unit_code"]) - set(UNIT_PROFILES))
    if missing:
        raise ValueError(f"no sample profile for unit(s): {', '.join(missing)}")
    months = month_range(start, end)
    rng = random.Random(seed)
    rows = []
    for unit_code in units.sort_values("order", kind="stable")["unit_code"]:
        profile = UNIT_PROFILES[unit_code]
        for year, month in months:
            total, online = draw_unit_month(rng, profile, year, month)
            rows.append((unit_code, f"{year:04d}-{month:02d}", total, online))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["unit_code"] = frame["unit_code"].astype(str)
    frame["month"] = frame["month"].astype(str)
    return frame.astype({"total": "int64", "online": "int64"})


# --- I/O edges --------------------------------------------------------------------------------


def write_sample(path: Path | None = None, seed: int = SAMPLE_SEED) -> Path:
    """Generate the sample for the registry in data/units.csv and write it as UTF-8 CSV, LF endings.

    The bytes depend only on the seed, the registry and this module. Returns the path written.
    """
    target = paths.sample_counts_path() if path is None else Path(path)
    counts = generate_monthly_counts(load_registry(), seed=seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(counts.itertuples(index=False, name=None))
    return target
