"""Grow a release to N times its observations, to measure how cost grows with data.

The copy goes to a temporary folder (never committed) that the apps read through NSPS_DATA_DIR
and NSPS_RELEASE; it is sealed as publishing would (validated, snapshot and manifest written).
Extra rows stay valid under the release schema: for each series (indicator, area) they first
fill the sex and urban/rural breakdowns of the existing years, then older years going back
towards 1900. The newest year of every series is unchanged, so the default map view
shows the same areas; every indicator's frame is N times longer, which is what queries scan.
A series with too few free slots gets fewer copies; `grow_release` returns the real factor.
"""

from __future__ import annotations

import shutil
from itertools import product
from pathlib import Path

import pandas as pd

from dashboard.publish import seal
from dashboard.schema import SEXES, URBAN_RURAL

OBSERVATION_FILES = ("observations.csv", "observations-illustrative.csv")
BREAKDOWNS = list(product(SEXES, URBAN_RURAL))  # ("total", "total") first
FIRST_YEAR = 1900


def _series_slots(years: list[float | None]) -> list[tuple[float | None, str, str]]:
    """Free (year, sex, urban_rural) keys of one series, breakdowns first, then older years."""
    slots = [(y, s, u) for y in years for s, u in BREAKDOWNS[1:]]
    dated = [y for y in years if pd.notna(y)]
    if dated:
        for year in range(int(min(dated)) - 1, FIRST_YEAR - 1, -1):
            slots += [(float(year), s, u) for s, u in BREAKDOWNS]
    return slots


def grow_observations(frame: pd.DataFrame, factor: int) -> pd.DataFrame:
    """The observations plus up to factor-1 copies of each total row, at free keys."""
    if factor <= 1:
        return frame
    key = ["indicator_id", "area_code", "year", "sex", "urban_rural"]
    taken = set(map(tuple, frame[key].astype(object).where(frame[key].notna(), None).values))
    totals = frame[(frame["sex"] == "total") & (frame["urban_rural"] == "total")]
    extra: list[dict] = []
    for (indicator, area), rows in totals.groupby(["indicator_id", "area_code"], sort=False):
        records = rows.to_dict("records")
        wanted = (factor - 1) * len(records)
        for year, sex, urban_rural in _series_slots(rows["year"].tolist()):
            if wanted == 0:
                break
            year_key = None if pd.isna(year) else year
            if (indicator, area, year_key, sex, urban_rural) in taken:
                continue
            template = records[len(extra) % len(records)]
            extra.append({**template, "year": year, "sex": sex, "urban_rural": urban_rural})
            wanted -= 1
    grown = pd.concat([frame, pd.DataFrame(extra, columns=frame.columns)], ignore_index=True)
    grown["year"] = grown["year"].astype("Int64")
    return grown


def grow_release(source: Path, target_root: Path, factor: int) -> tuple[Path, float]:
    """Copy release folder `source` under `target_root` with `factor`× observations.

    Returns the new folder and the factor actually reached (rows after / rows before).
    """
    target = target_root / source.name
    shutil.copytree(source, target)
    for path in target.iterdir():
        path.chmod(0o644)  # published files are read-only
    before = after = 0
    for name in OBSERVATION_FILES:
        path = target / name
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype={"year": "Int64"}, keep_default_na=False, na_values=[""])
        grown = grow_observations(frame, factor)
        grown.to_csv(path, index=False)
        before, after = before + len(frame), after + len(grown)
    seal(target)  # validated once, snapshot and manifest written, as publishing does
    return target, (after / before if before else 1.0)
