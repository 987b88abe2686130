"""Which view each goal page opens on, by one written rule over the catalogue and observations.

The rule (issue "One chart frame"): only real figures (administrative, survey or estimate —
never illustrative, never a policy value); the goal's own indicators before those of the
challenges it faces; the most recent series first, then the longest (most years per area),
then provinces before districts (readable at a glance), then the widest (most areas). A map
worth opening on covers at least half the areas of its level in its latest year (a study of one
province is no national map). A goal page opens on its map when the goal has a real
sub-national series of its own with two or more years for an area (a year slider with something
to show);
otherwise on its Chart tab with the national series chosen by the same rule, its Map tab then
showing the best real sub-national indicator there is. Illustrative series are never a default.

`data/steps/defaults.py` runs this when a release is built and writes the result into the
release's `goals.csv` (`default_tab`, `default_indicator`, `default_level`, `default_series`),
so the catalogue says what each page opens on; the app reads it there (`queries.default_view`).
The same function answers for releases published before these columns existed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

#: Natures that count as real figures for a default view (not illustrative, not a policy value).
REAL_NATURES = ("administrative", "survey", "estimate")
LEVEL_BY_CODE_LENGTH = {2: "national", 4: "province", 6: "district"}
#: The share of a level's areas a default map must show in its latest year.
MIN_COVERAGE = 0.5
#: The columns of `goals.csv` that hold the defaults.
COLUMNS = ("default_tab", "default_indicator", "default_level", "default_series")


@dataclass(frozen=True)
class DefaultView:
    """What a goal page opens on: its frame's tab ("map" or "chart"), the map's indicator and
    level (None when no real sub-national indicator exists), and the chart's series."""

    tab: str
    indicator_id: str | None
    level: str | None
    series_id: str | None

    def as_row(self) -> dict[str, str]:
        return {
            "default_tab": self.tab,
            "default_indicator": self.indicator_id or "",
            "default_level": self.level or "",
            "default_series": self.series_id or "",
        }


def _ids(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [v for v in re.split(r"[;,\s]+", str(value or "")) if v]


def coverage(observations: pd.DataFrame) -> pd.DataFrame:
    """Dated total values per indicator, level (national, province, district), area and year."""
    rows = observations
    for column in ("sex", "urban_rural"):
        if column in rows.columns:
            rows = rows[rows[column].isin(("total", ""))]
    years = pd.to_numeric(rows["year"], errors="coerce")
    level = rows["area_code"].astype(str).str.len().map(LEVEL_BY_CODE_LENGTH)
    out = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"],
            "level": level,
            "area_code": rows["area_code"],
            "year": years,
        }
    )
    return out.dropna().drop_duplicates()


def _scores(candidates: list[str], table: pd.DataFrame) -> list[tuple]:
    """(last year, most years of one area, provinces before districts, areas in the last year)
    of each candidate's levels with data, best first; ties keep the order of `candidates`."""
    scored = []
    for order, indicator_id in enumerate(candidates):
        rows = table[table["indicator_id"] == indicator_id]
        for level, part in rows.groupby("level"):
            last = part["year"].max()
            length = int(part.groupby("area_code")["year"].nunique().max())
            width = int((part["year"] == last).sum())
            scored.append((-last, -length, level != "province", -width, order, indicator_id, level))
    return sorted(scored)


def _best(
    candidates: list[str],
    table: pd.DataFrame,
    min_years: int = 1,
    min_areas: dict[str, float] | None = None,
) -> tuple | None:
    for score in _scores(candidates, table):
        level = score[6]
        if -score[1] >= min_years and -score[3] >= (min_areas or {}).get(level, 0):
            return score[5], level
    return None


def choose(
    goal: str,
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    challenges: pd.DataFrame,
    areas: pd.DataFrame | None = None,
) -> DefaultView:
    """The default view of one goal page (see the module's rule).

    `indicators` is indexed by indicator id with `goal`, `nature` and `challenge_ids`;
    `challenges` by challenge id with `goal_ids`; `observations` has `indicator_id`,
    `area_code`, `year` (and `sex`, `urban_rural`); `areas` (with `level`) sizes each level.
    """
    real = indicators[indicators["nature"].isin(REAL_NATURES)]
    own = real.index[real["goal"].astype(str) == goal].tolist()
    faced = [c for c, ids in challenges["goal_ids"].items() if goal in _ids(ids)]
    others = [
        i
        for i in real.index
        if i not in own and set(_ids(real.at[i, "challenge_ids"])) & set(faced)
    ]
    table = coverage(observations)
    subnational = table[table["level"].isin(("province", "district"))]
    national = table[table["level"] == "national"]
    series = _best(own, national, min_years=2) or _best(own, national)
    series_id = series[0] if series else None
    sizes = areas["level"].value_counts() if areas is not None else pd.Series(dtype=int)
    wide = {level: MIN_COVERAGE * int(count) for level, count in sizes.items()}
    moving = _best(own, subnational, min_years=2, min_areas=wide)
    if moving:
        return DefaultView("map", moving[0], moving[1], series_id)
    shown = (
        _best(own, subnational, min_areas=wide)
        or _best(others, subnational, min_areas=wide)
        or _best(own, subnational)
        or _best(others, subnational)
    )
    tab = "chart" if series_id else "map"
    return DefaultView(tab, shown and shown[0], shown and shown[1], series_id)
