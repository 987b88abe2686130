"""Progress against the NSPS targets: a documented, reproducible status for each indicator and area.

Method (the Statistics Canada / Open SDG progress measure, as used by national SDG platforms):

1. Baseline: the first dated value in or after `BASELINE_YEAR` (else the earliest value).
   Latest: the most recent dated value. Values are totals (no sex or urban/rural breakdown).
2. *Target met* when the latest value has reached the target (at or above it for an indicator
   where higher is better, at or below it where lower is better).
3. Otherwise, with a baseline and a later value and a target year after the baseline, compare
   the observed compound annual growth rate with the rate needed to reach the target on time::

       observed = ln(latest / baseline) / (latest_year - baseline_year)
       required = ln(target / baseline) / (target_year - baseline_year)
       ratio    = observed / required

   *On track*: ratio ≥ 0.95. *Off track*: 0.5 ≤ ratio < 0.95 (progress, but it must speed up).
   *Substantially off track*: ratio < 0.5, including no progress or moving away from the target.
   The rates are logarithmic, so the same formula serves rising and falling targets.
4. The target year has passed and the target is not met, with a single value: *off track*.
5. *Not enough data* otherwise: no target year, a single value before the target year, or a
   value of zero or below (growth rates are undefined).

A national target is applied to every province: a province's status says whether it is moving
fast enough to reach the national target itself. Statuses of illustrative series are
illustrative too and carry the badge wherever they are shown.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from dashboard import queries
from dashboard.queries import ILLUSTRATIVE_BADGE, Dataset

BASELINE_YEAR = 2015  # first year of the SDG period, the Open SDG / StatCan default baseline
ON_TRACK_RATIO = 0.95
OFF_TRACK_RATIO = 0.5

TARGET_MET = "target_met"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
SUBSTANTIALLY_OFF_TRACK = "substantially_off_track"
NOT_ENOUGH_DATA = "not_enough_data"

#: Statuses in display order, with their label and colour (colour-blind safe, ordered light→dark
#: is avoided on purpose: each status also has its label on every table and hover).
STATUS_LABELS = {
    TARGET_MET: "Target met",
    ON_TRACK: "On track",
    OFF_TRACK: "Off track",
    SUBSTANTIALLY_OFF_TRACK: "Substantially off track",
    NOT_ENOUGH_DATA: "Not enough data",
}
STATUS_COLOURS = {
    TARGET_MET: "#1a7f37",
    ON_TRACK: "#7fbf7b",
    OFF_TRACK: "#f1a340",
    SUBSTANTIALLY_OFF_TRACK: "#b2182b",
    NOT_ENOUGH_DATA: "#bdbdbd",
}
#: The status of the goal-less cross-cutting indicators is listed under this heading.
GOAL_LABELS = {"1": "Goal 1", "2": "Goal 2", "3": "Goal 3", "challenge": "Challenges"}


@dataclass(frozen=True)
class Progress:
    """The status of one indicator in one area, with every number the status was derived from."""

    status: str
    reason: str
    baseline_year: int | None = None
    baseline_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_value: float | None = None
    target_year: int | None = None
    observed_rate: float | None = None
    required_rate: float | None = None
    ratio: float | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _growth(start: float, end: float, years: int) -> float:
    return math.log(end / start) / years


def assess(
    points: list[tuple[int, float]],
    target_value: float,
    target_year: int | None,
    direction: str,
) -> Progress:
    """The status of one series of (year, value) points against a target (see module docstring).

    `direction` is "higher" or "lower" (better); any other value is read from where the target
    lies relative to the baseline.
    """
    points = sorted(points)
    if not points:
        return Progress(
            NOT_ENOUGH_DATA, "No dated value.", target_value=target_value, target_year=target_year
        )
    on_or_after = [p for p in points if p[0] >= BASELINE_YEAR]
    baseline_year, baseline = (on_or_after or points)[0]
    latest_year, latest = points[-1]
    if direction not in ("higher", "lower"):
        direction = "lower" if target_value < baseline else "higher"
    numbers = {
        "baseline_year": baseline_year,
        "baseline_value": baseline,
        "latest_year": latest_year,
        "latest_value": latest,
        "target_value": target_value,
        "target_year": target_year,
    }
    met = latest >= target_value if direction == "higher" else latest <= target_value
    if met:
        return Progress(TARGET_MET, f"{latest_year} value has reached the target.", **numbers)
    if target_year is None:
        return Progress(NOT_ENOUGH_DATA, "The target has no target year.", **numbers)
    if latest_year <= baseline_year:
        if latest_year >= target_year:
            return Progress(OFF_TRACK, "The target year has passed; target not reached.", **numbers)
        return Progress(NOT_ENOUGH_DATA, "Only one value since the baseline year.", **numbers)
    if target_year <= baseline_year:
        return Progress(OFF_TRACK, "The target year has passed; target not reached.", **numbers)
    if min(baseline, latest, target_value) <= 0:
        return Progress(NOT_ENOUGH_DATA, "Growth rates are undefined for zero values.", **numbers)
    observed = _growth(baseline, latest, latest_year - baseline_year)
    required = _growth(baseline, target_value, target_year - baseline_year)
    ratio = observed / required
    if ratio >= ON_TRACK_RATIO:
        status = ON_TRACK
    elif ratio >= OFF_TRACK_RATIO:
        status = OFF_TRACK
    else:
        status = SUBSTANTIALLY_OFF_TRACK
    reason = (
        f"Growth {observed:+.1%} a year since {baseline_year}; "
        f"{required:+.1%} a year needed to reach the target by {target_year}."
    )
    return Progress(
        status, reason, observed_rate=observed, required_rate=required, ratio=ratio, **numbers
    )


def _target(indicator: pd.Series) -> tuple[float, int | None]:
    year = indicator["target_year"]
    return float(indicator["target_value"]), None if pd.isna(year) else int(year)


def target_indicator_ids(ds: Dataset) -> list[str]:
    """Indicators with a numeric target, in goal order (goals 1–3, then the challenges)."""
    ind = ds.release.indicators
    with_target = ind[ind["target_value"].notna()]
    order = {g: i for i, g in enumerate(GOAL_LABELS)}
    return sorted(with_target.index, key=lambda i: (order.get(str(ind.at[i, "goal"]), 9), i))


def area_progress(ds: Dataset, indicator_id: str, area_code: str = "LA") -> Progress:
    """Status of one indicator in one area, from the same rows the time series shows."""
    indicator = ds.indicator(indicator_id)
    rows = queries.observations_view(ds, indicator_id, area_codes=(area_code,), dated_only=True)
    points = [(int(y), float(v)) for y, v in zip(rows["year"], rows["value"], strict=True)]
    target_value, target_year = _target(indicator)
    return assess(points, target_value, target_year, indicator["direction"])


def level_progress(ds: Dataset, indicator_id: str, level: str = "province") -> pd.DataFrame:
    """One row per area of a level: its status and numbers (areas without any value included)."""
    rows = []
    for _, area in queries.areas_at(ds, level).iterrows():
        result = area_progress(ds, indicator_id, area["area_code"])
        rows.append(
            {
                "area_code": area["area_code"],
                "area_name": area["name_en"],
                **asdict(result),
                "label": result.label,
            }
        )
    return pd.DataFrame(rows)


def overview(ds: Dataset) -> pd.DataFrame:
    """The national status of every indicator with a target: the progress overview table."""
    rows = []
    for indicator_id in target_indicator_ids(ds):
        indicator = ds.indicator(indicator_id)
        result = area_progress(ds, indicator_id)
        rows.append(
            {
                "goal": str(indicator["goal"]),
                "indicator_id": indicator_id,
                "indicator_name": indicator["name_en"],
                "nature": indicator["nature"],
                "badge": ILLUSTRATIVE_BADGE if indicator["nature"] == "illustrative" else "",
                "has_provinces": bool(
                    not queries.observations_view(ds, indicator_id, level="province").empty
                ),
                **asdict(result),
                "label": result.label,
            }
        )
    return pd.DataFrame(rows)


Trajectory = tuple[tuple[int, float], tuple[int, float]]


def trajectory(ds: Dataset, indicator_id: str) -> Trajectory | None:
    """The straight path from the national baseline to the target, for the time series."""
    result = area_progress(ds, indicator_id)
    if result.baseline_year is None or result.target_year is None:
        return None
    if result.target_year <= result.baseline_year:
        return None
    return (
        (result.baseline_year, float(result.baseline_value)),
        (result.target_year, float(result.target_value)),
    )


# ---------------------------------------------------------------- spending per person covered

#: Goal → (spending per person indicator, coverage share indicator), where both are published.
SPENDING_PAIRS = {"1": ("GHED_GGHE-D_pc_US_SHA2011", "SHP_COVERAGE")}
SPENDING_METHOD = (
    "Government health spending per person (WHO GHED, GGHE-D per capita, current US$) divided by "
    "the share of the population covered by social health protection: spending per person "
    "covered, for the years in which both are published. It is all domestic government health "
    "spending, not only insurance benefits, so it is an upper bound of what reaches a covered "
    "person."
)
SPENDING_GAPS = {
    "2": "No spending series for social security (NSSF contributions or benefits paid) is "
    "published by year, and coverage of the population is published for one year only (2015).",
    "3": "The budget table holds programme envelopes over several years (school meals 2020–2025, "
    "RRPMP 2019, nutrition 2020–2022), not spending by year, and no yearly count of people "
    "reached by social welfare is published, so no per-year ratio can be formed.",
}


def spending_per_person_covered(ds: Dataset, goal: str) -> pd.DataFrame:
    """Yearly spending per person covered for a goal; empty when no defensible pair exists."""
    columns = ["year", "spending", "coverage", "per_person_covered", "natures"]
    if goal not in SPENDING_PAIRS:
        return pd.DataFrame(columns=columns)
    spending_id, coverage_id = SPENDING_PAIRS[goal]
    spending = queries.observations_view(ds, spending_id, area_codes=("LA",), dated_only=True)
    coverage = queries.observations_view(ds, coverage_id, area_codes=("LA",), dated_only=True)
    joined = spending[["year", "value", "nature"]].merge(
        coverage[["year", "value", "nature"]], on="year", suffixes=("_spending", "_coverage")
    )
    joined = joined[joined["value_coverage"] > 0]
    return pd.DataFrame(
        {
            "year": joined["year"].astype(int),
            "spending": joined["value_spending"],
            "coverage": joined["value_coverage"],
            "per_person_covered": joined["value_spending"] / (joined["value_coverage"] / 100),
            "natures": joined["nature_spending"] + ", " + joined["nature_coverage"],
        },
        columns=columns,
    ).reset_index(drop=True)
