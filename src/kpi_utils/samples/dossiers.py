"""SYNTHETIC dossier-level sample for 2022 and the procedure catalogue it refers to.

Built *from* the committed monthly sample (`data/sample/monthly_counts.csv`, see `sample`), so that
aggregating the dossiers (`kpi-report ingest`) gives back exactly its 2022 `total` and `online` for
every unit and month. Every dossier is invented; label the files SYNTHETIC wherever shown.

**Catalogue** (`catalogue_2022.csv`: `Mã TTHC, Tên TTHC, Mức độ, Cơ quan`). Each department gets
as many level-3/4 procedures as its eligible-procedure count in `data/targets_2022.csv`, plus a
quarter as many level-2 ones (at least two). The ten districts share one district-level list (192
level-3/4 procedures, as the decision gives every district, plus 48 at level 2), written once per
district, as a real catalogue lists a district procedure for each district. About 40% of the
level-3/4 procedures are `Toàn trình` (level 4), the rest `Một phần` (level 3); level 2 is written
`Mức độ 2`.

**Dossiers** (`dossiers_2022.parquet`), for a unit-month with `total` T and `online` O:

- O dossiers received online (channel 2), each of a level-3/4 procedure of the unit;
- T - O received in person (channel 1, 85%) or by public post (channel 3, 15%): half of them of a
  level-3/4 procedure (people still come to the desk for those), half of a level-2 one.

No dossier of a level-2 procedure is received online, so `online` (channel 2 and level 3/4) is O
exactly and `total` is T exactly; that is the one constraint the sample keeps, by construction.
(Real data has online filings of level-2 procedures; they count in `total` only and the hand-built
test fixture covers them.)

Dates: received on a weekday of the month between 07:30 and 17:00; due after the procedure's
processing time (a fixed 1-20 days per procedure); 97% resolved by the export date, of which 0.5%
a few days late, the others between receipt and the due date; the rest are pending (a few of those
already overdue). Status follows: `Đã trả kết quả` or `Đang xử lý`. Districts' dossiers name one of
the district's communes (`Xã/phường`, from `data/communes.csv`); departments' leave it empty.
Agency names are mostly the official name, one in ten a registered short form.

Reproducibility: one `random.Random(seed)`, only its `.random()` method, draws made in a fixed order
(units in registry order, months, then dossiers); the table's content depends only on the seed and
the committed inputs. Parquet bytes may differ between pyarrow versions; the rows do not.

Run `python -m kpi_utils.samples.dossiers` (or `make sample-dossiers`). The Parquet file (about
480,000 rows) is not committed; the catalogue is.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import random
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kpi_utils.common import paths
from kpi_utils.common.registry import load_registry

EPOCH = date(1970, 1, 1)
DAY = 86_400
DOSSIER_SEED = 20220215 + 4  # the monthly sample's seed, moved on: issue 4
YEAR = 2022
DISTRICT_ELIGIBLE = 192
LEVEL4_SHARE = 0.4
POSTAL_SHARE = 0.15
OFFLINE_ELIGIBLE_SHARE = 0.5
RESOLVED_SHARE = 0.97
LATE_SHARE = 0.005
ALIAS_SHARE = 0.1
CATALOGUE_COLUMNS = ["Mã TTHC", "Tên TTHC", "Mức độ", "Cơ quan"]
LEVEL_TEXT = {2: "Mức độ 2", 3: "Một phần", 4: "Toàn trình"}
DOSSIER_COLUMNS = {
    "dossier_id": "Mã hồ sơ",
    "procedure_code": "Mã TTHC",
    "agency": "Cơ quan/đơn vị",
    "channel": "Kênh thực hiện",
    "received": "Ngày tiếp nhận",
    "due": "Ngày hẹn trả",
    "completed": "Ngày kết thúc xử lý",
    "status": "Trạng thái",
    "commune": "Xã/phường",
}


def sample_dir() -> Path:
    return paths.data_dir() / "sample"


def catalogue_path() -> Path:
    return sample_dir() / "catalogue_2022.csv"


def dossiers_path() -> Path:
    return sample_dir() / "dossiers_2022.parquet"


# --- catalogue --------------------------------------------------------------------------------


def _eligible(targets_path: Path) -> dict[str, int]:
    frame = pd.read_csv(targets_path, dtype={"unit_code": str})
    return dict(zip(frame["unit_code"], frame["eligible_procedures"].astype(int), strict=True))


def sample_catalogue(registry: pd.DataFrame, eligible: dict[str, int]) -> pd.DataFrame:
    """The catalogue in its file layout (Vietnamese headers), units in registry order.

    Levels are assigned by position, not drawn: every 5th level-3/4 procedure from the 1st and the
    4th (2 of 5 = 40%) is level 4.
    """
    rows = []
    district_codes = _procedures("H29.HUYEN", DISTRICT_ELIGIBLE)
    for unit in registry.itertuples(index=False):
        if unit.group == "district":
            procedures = district_codes
        else:
            procedures = _procedures(f"H29.{unit.unit_code}", eligible[unit.unit_code])
        for code, level in procedures:
            rows.append((code, f"Thủ tục {code} (mô phỏng)", LEVEL_TEXT[level], unit.official_name))
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)


def _procedures(prefix: str, eligible: int) -> list[tuple[str, int]]:
    level2 = max(2, eligible // 4)
    online = [(f"{prefix}.{i + 1:03d}", 4 if i % 5 in (0, 3) else 3) for i in range(eligible)]
    offline = [(f"{prefix}.{eligible + i + 1:03d}", 2) for i in range(level2)]
    return online + offline


# --- dossiers ---------------------------------------------------------------------------------


def _weekdays(year: int, month: int) -> list[date]:
    days = calendar.monthrange(year, month)[1]
    return [d for d in (date(year, month, k) for k in range(1, days + 1)) if d.weekday() < 5]


def _pick(rng: random.Random, items: list):
    return items[min(int(rng.random() * len(items)), len(items) - 1)]


def sample_dossiers(
    counts: pd.DataFrame,
    catalogue: pd.DataFrame,
    registry: pd.DataFrame,
    communes: pd.DataFrame,
    seed: int = DOSSIER_SEED,
) -> pa.Table:
    """One row per dossier for every unit-month of `counts` (columns unit_code, month, total,
    online; month 'YYYY-MM'), as a one-stop system exports them (Vietnamese headers)."""
    rng = random.Random(seed)
    units = registry.set_index("unit_code")
    procedures: dict[str, dict[str, list[str]]] = {}
    processing: dict[str, int] = {}
    by_name = dict(zip(registry["official_name"], registry["unit_code"], strict=True))
    for code, _, level, agency in catalogue.itertuples(index=False):
        kind = "offline_only" if level == LEVEL_TEXT[2] else "eligible"
        procedures.setdefault(by_name[agency], {}).setdefault(kind, []).append(code)
        if code not in processing:
            processing[code] = 1 + int(rng.random() * 20)
    wards = communes.groupby("unit_code")["ward_name"].apply(list).to_dict()
    # Dates are whole days since 1970-01-01 and times seconds since then: plain ints are fast.
    export_day = (date(YEAR + 1, 1, 15) - EPOCH).days
    columns: dict[str, list] = {name: [] for name in DOSSIER_COLUMNS}
    order = {code: i for i, code in enumerate(registry["unit_code"])}
    counts = counts.assign(order=counts["unit_code"].map(order)).sort_values(["order", "month"])
    rows = counts[["unit_code", "month", "total", "online"]].itertuples(index=False)
    for unit_code, month, total, online in rows:
        unit = units.loc[unit_code]
        names = [unit["official_name"], *unit["aliases"]]
        year, month_number = (int(x) for x in month.split("-"))
        days = [(d - EPOCH).days for d in _weekdays(year, month_number)]
        for k in range(int(total)):
            if k < online:
                channel, kind = 2, "eligible"
            else:
                channel = 3 if rng.random() < POSTAL_SHARE else 1
                eligible = rng.random() < OFFLINE_ELIGIBLE_SHARE
                kind = "eligible" if eligible else "offline_only"
            code = _pick(rng, procedures[unit_code][kind])
            received_day = _pick(rng, days)
            received = received_day * DAY + (7 * 60 + 30 + int(rng.random() * 570)) * 60
            due = received_day + processing[code]
            completed = None
            draw = rng.random()
            if draw < RESOLVED_SHARE:
                if draw < RESOLVED_SHARE * LATE_SHARE:
                    day = due + 1 + int(rng.random() * 10)
                else:
                    day = received_day + int(rng.random() * (due - received_day + 1))
                if day <= export_day:
                    completed = max(received, day * DAY + 16 * 3600)
            alias = rng.random() < ALIAS_SHARE and len(names) > 1
            agency = _pick(rng, names[1:]) if alias else names[0]
            columns["dossier_id"].append(
                f"H29-{unit_code}-{year % 100:02d}{month_number:02d}-{k + 1:05d}"
            )
            columns["procedure_code"].append(code)
            columns["agency"].append(agency)
            columns["channel"].append(channel)
            columns["received"].append(received)
            columns["due"].append(due)
            columns["completed"].append(completed)
            columns["status"].append("Đã trả kết quả" if completed else "Đang xử lý")
            columns["commune"].append(_pick(rng, wards[unit_code]) if unit_code in wards else None)
    schema = pa.schema(
        [
            (DOSSIER_COLUMNS["dossier_id"], pa.string()),
            (DOSSIER_COLUMNS["procedure_code"], pa.string()),
            (DOSSIER_COLUMNS["agency"], pa.string()),
            (DOSSIER_COLUMNS["channel"], pa.int8()),
            (DOSSIER_COLUMNS["received"], pa.timestamp("s")),
            (DOSSIER_COLUMNS["due"], pa.date32()),
            (DOSSIER_COLUMNS["completed"], pa.timestamp("s")),
            (DOSSIER_COLUMNS["status"], pa.string()),
            (DOSSIER_COLUMNS["commune"], pa.string()),
        ]
    )
    arrays = []
    for i, name in enumerate(columns):
        kind = schema.field(i).type
        if pa.types.is_timestamp(kind):
            arrays.append(pa.array(columns[name], pa.int64()).cast(kind))
        elif pa.types.is_date32(kind):
            arrays.append(pa.array(columns[name], pa.int32()).cast(kind))
        else:
            arrays.append(pa.array(columns[name], kind))
    return pa.table(arrays, schema=schema)


# --- I/O edges --------------------------------------------------------------------------------


def monthly_counts_2022() -> pd.DataFrame:
    """The committed monthly sample's 2022 rows (the counts the dossiers must add up to)."""
    frame = pd.read_csv(paths.sample_counts_path(), dtype={"unit_code": str, "month": str})
    return frame[frame["month"].str.startswith(f"{YEAR}-")].reset_index(drop=True)


def write_dossier_sample(folder: Path | None = None, seed: int = DOSSIER_SEED) -> tuple[Path, Path]:
    """Write catalogue_2022.csv and dossiers_2022.parquet into `folder` (default data/sample)."""
    folder = Path(folder) if folder is not None else sample_dir()
    folder.mkdir(parents=True, exist_ok=True)
    registry = load_registry()
    catalogue = sample_catalogue(registry, _eligible(paths.default_targets_path()))
    communes = pd.read_csv(paths.data_dir() / "communes.csv", dtype=str)
    table = sample_dossiers(monthly_counts_2022(), catalogue, registry, communes, seed=seed)
    catalogue_file = folder / catalogue_path().name
    with catalogue_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CATALOGUE_COLUMNS)
        writer.writerows(catalogue.itertuples(index=False, name=None))
    dossiers_file = folder / dossiers_path().name
    pq.write_table(table, dossiers_file, compression="zstd")
    return dossiers_file, catalogue_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the SYNTHETIC dossier sample for 2022.")
    parser.add_argument("--out", type=Path, help="folder (default: data/sample)")
    parser.add_argument("--seed", type=int, default=DOSSIER_SEED)
    args = parser.parse_args(argv)
    for path in write_dossier_sample(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
