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
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from dashboard import queries
from dashboard.formatting import format_with_unit
from dashboard.i18n import N_, format_number, translator
from dashboard.queries import ILLUSTRATIVE_BADGE, Dataset

BASELINE_YEAR = 2015  # first year of the SDG period, the Open SDG / StatCan default baseline
ON_TRACK_RATIO = 0.95
OFF_TRACK_RATIO = 0.5

TARGET_MET = "target_met"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
SUBSTANTIALLY_OFF_TRACK = "substantially_off_track"
NOT_ENOUGH_DATA = "not_enough_data"

#: Statuses in display order, with their label (translated where shown).
STATUS_LABELS = {
    TARGET_MET: N_("Target met"),
    ON_TRACK: N_("On track"),
    OFF_TRACK: N_("Off track"),
    SUBSTANTIALLY_OFF_TRACK: N_("Substantially off track"),
    NOT_ENOUGH_DATA: N_("Not enough data"),
}
#: Okabe–Ito colours, distinguishable with every common colour-vision deficiency; the meaning
#: never rests on colour alone (each status has its label in every legend, table and hover).
STATUS_COLOURS = {
    TARGET_MET: "#009E73",  # bluish green
    ON_TRACK: "#56B4E9",  # sky blue
    OFF_TRACK: "#E69F00",  # orange
    SUBSTANTIALLY_OFF_TRACK: "#D55E00",  # vermillion
    NOT_ENOUGH_DATA: "#BBBBBB",  # grey: no status
}
#: The status of the goal-less cross-cutting indicators is listed under this heading.
GOAL_LABELS = {
    "1": N_("Goal 1"),
    "2": N_("Goal 2"),
    "3": N_("Goal 3"),
    "challenge": N_("Challenges"),
}

#: Why an indicator has its status: one whole sentence per case, filled from its numbers.
NO_DATED_VALUE = N_("No dated value.")
REACHED = N_("The {year} value has reached the target.")
NO_TARGET_YEAR = N_("The target has no target year.")
TARGET_YEAR_PASSED = N_("The target year has passed; target not reached.")
ONE_VALUE = N_("Only one value since the baseline year.")
ZERO_VALUES = N_("Growth rates are undefined for zero values.")
GROWTH = N_(
    "Growth {observed} a year since {baseline_year}; {required} a year needed to reach the "
    "target by {target_year}."
)


def status_label(status: str, lang: str) -> str:
    """`On track` / `ຕາມແຜນ`: a status in the reader's language."""
    return translator(lang)(STATUS_LABELS[status])


def goal_label(goal: str, lang: str) -> str:
    return translator(lang)(GOAL_LABELS[goal])


def _rate(rate: float, lang: str) -> str:
    """`+3.1 %` / `+3,1 %`: a yearly growth rate, signed, in the reader's number format."""
    sign = "+" if rate >= 0 else "−"
    return f"{sign}{format_number(abs(rate) * 100, lang, 1)} %"


def _year(value: object) -> object:
    return int(value) if isinstance(value, (int, float)) and not pd.isna(value) else value


def explain(result: Mapping[str, object], lang: str) -> str:
    """Why a status was given, in the reader's language, from a `Progress` as a mapping (or a
    row of `level_progress`/`overview`)."""
    _ = translator(lang)
    reason_id = str(result["reason_id"])
    if reason_id == GROWTH:
        return _(
            GROWTH,
            observed=_rate(float(result["observed_rate"]), lang),
            required=_rate(float(result["required_rate"]), lang),
            baseline_year=_year(result["baseline_year"]),
            target_year=_year(result["target_year"]),
        )
    if reason_id == REACHED:
        return _(REACHED, year=_year(result["latest_year"]))
    return _(reason_id)


def target_text(indicator: pd.Series, lang: str) -> str:
    """`80.0 % by 2025` / `80,0 % ພາຍໃນປີ 2025`: an indicator's target, in the reader's language."""
    _ = translator(lang)
    value = format_with_unit(indicator["target_value"], indicator, lang)
    if pd.isna(indicator["target_year"]):
        return value
    return _("{value} by {year}", value=value, year=int(indicator["target_year"]))


@dataclass(frozen=True)
class Progress:
    """The status of one indicator in one area, with every number the status was derived from."""

    status: str
    reason_id: str
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
        """The status in English (for exports); `status_label` gives it in a reader's language."""
        return STATUS_LABELS[self.status]

    @property
    def reason(self) -> str:
        """Why, in English (for exports); `explain` gives it in a reader's language."""
        return explain(asdict(self), "en")


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
            NOT_ENOUGH_DATA, NO_DATED_VALUE, target_value=target_value, target_year=target_year
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
        return Progress(TARGET_MET, REACHED, **numbers)
    if target_year is None:
        return Progress(NOT_ENOUGH_DATA, NO_TARGET_YEAR, **numbers)
    if latest_year <= baseline_year:
        if latest_year >= target_year:
            return Progress(OFF_TRACK, TARGET_YEAR_PASSED, **numbers)
        return Progress(NOT_ENOUGH_DATA, ONE_VALUE, **numbers)
    if target_year <= baseline_year:
        return Progress(OFF_TRACK, TARGET_YEAR_PASSED, **numbers)
    if min(baseline, latest, target_value) <= 0:
        return Progress(NOT_ENOUGH_DATA, ZERO_VALUES, **numbers)
    observed = _growth(baseline, latest, latest_year - baseline_year)
    required = _growth(baseline, target_value, target_year - baseline_year)
    ratio = observed / required
    if ratio >= ON_TRACK_RATIO:
        status = ON_TRACK
    elif ratio >= OFF_TRACK_RATIO:
        status = OFF_TRACK
    else:
        status = SUBSTANTIALLY_OFF_TRACK
    return Progress(
        status, GROWTH, observed_rate=observed, required_rate=required, ratio=ratio, **numbers
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
                "reason": result.reason,
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
                "reason": result.reason,
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
SPENDING_METHOD = N_(
    "Government health spending per person (WHO GHED, GGHE-D per capita, current US$) divided by "
    "the share of the population covered by social health protection: spending per person "
    "covered, for the years in which both are published. It is all domestic government health "
    "spending, not only insurance benefits, so it is an upper bound of what reaches a covered "
    "person."
)
SPENDING_GAPS = {
    "2": N_(
        "No spending series for social security (NSSF contributions or benefits paid) is "
        "published by year, and coverage of the population is published for one year only (2015)."
    ),
    "3": N_(
        "The budget table holds programme envelopes over several years (school meals 2020–2025, "
        "RRPMP 2019, nutrition 2020–2022), not spending by year, and no yearly count of people "
        "reached by social welfare is published, so no per-year ratio can be formed."
    ),
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
