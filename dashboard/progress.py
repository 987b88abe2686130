"""Progress against published targets: the Open SDG progress measure, as Statistics Canada
specifies it, applied to one comparable series at a time.

Method (Statistics Canada, "Progress Measurement Methodology for the Sustainable Development
Goals", as built into Open SDG 2.4; see `METHOD_CITATION`):

1. Base year 2015, or the first year after it with a value; current year: the most recent value.
   The compound annual growth rate (CAGR) between them is ``(y_i / y_0) ** (1 / (t_i - t_0)) - 1``.
2. With a quantitative target ``y_T`` for year ``t_T``: *Target achieved* when the latest value
   has reached it. Otherwise ``R = d · CAGR_i / |CAGR_T|`` with ``CAGR_T`` the growth needed
   from the base value to the target on time and ``d`` = +1 (higher is better) or −1. *On track*:
   R ≥ 95 %; *Progress made but acceleration needed*: 60 % ≤ R < 95 %; *Limited progress*:
   0 ≤ R < 60 %; *Deterioration*: R < 0.
3. Without a target: ``d · CAGR_i`` against fixed rates: on track ≥ 1.5 %·C, acceleration needed
   ≥ 0.5 %·C, limited progress ≥ 0, deterioration < 0, where C ∈ [0, 1] shrinks the positive
   thresholds near a natural limit (100 % for a share that should rise).
4. Minimum data: two years of values of one sign; a zero base or target is replaced by 0.001.
   Otherwise the method reports "unable to assess" — here *Not enough data*.

What this dashboard adds, never as a coloured status: *Series break* when the values in the
assessed window come from more than one source or definition (`dashboard.series`), and
*Illustrative — no status* for illustrative series. A target with no target year gets no status
(the method's default of 2030 would invent a deadline nobody set). The method's −5…+5 score only
serves to average several series of one indicator; every status here is one series, so it is
not computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from dashboard import queries, series
from dashboard.citations import citation
from dashboard.formatting import format_with_unit
from dashboard.i18n import N_, format_number, localized, translator
from dashboard.queries import ILLUSTRATIVE_BADGE, Dataset

#: The published method, cited on the progress page.
METHOD_CITATION = {
    "title": "Progress Measurement Methodology for the Sustainable Development Goals",
    "publisher": "Statistics Canada; implemented in Open SDG 2.4 (open-sdg.org)",
    "url": "https://sdgcif-data-canada-oddcic-donnee.github.io/methodology/",
    "implementation": "https://github.com/open-sdg/sdg-build/blob/master/sdg/ProgressMeasure.py",
}
BASE_YEAR = 2015
#: Thresholds of the ratio R (observed over required growth) with a target.
RATIO_THRESHOLDS = (0.95, 0.60, 0.0)
#: Thresholds of the observed growth rate without a target (before the limit factor C).
GROWTH_THRESHOLDS = (0.015, 0.005, 0.0)
LIMIT_EXPONENT = 4.44
ZERO_REPLACEMENT = 0.001

TARGET_ACHIEVED = "target_achieved"
ON_TRACK = "substantial_progress"
ACCELERATION_NEEDED = "moderate_progress"
LIMITED_PROGRESS = "limited_progress"
DETERIORATION = "deterioration"
NOT_ENOUGH_DATA = "not_enough_data"
SERIES_BREAK = "series_break"
ILLUSTRATIVE = "illustrative"

#: The method's categories, best first (keys as in Open SDG), with their published names.
STATUS_LABELS = {
    TARGET_ACHIEVED: N_("Target achieved"),
    ON_TRACK: N_("On track"),
    ACCELERATION_NEEDED: N_("Progress made but acceleration needed"),
    LIMITED_PROGRESS: N_("Limited progress"),
    DETERIORATION: N_("Deterioration"),
}
#: Not statuses: why none is given. Shown as words, never in a status colour.
NO_STATUS_LABELS = {
    NOT_ENOUGH_DATA: N_("Not enough data"),
    SERIES_BREAK: N_("Series break — no status"),
    ILLUSTRATIVE: N_("Illustrative — no status"),
}
ALL_LABELS = {**STATUS_LABELS, **NO_STATUS_LABELS}
#: Okabe–Ito colours, distinguishable with every common colour-vision deficiency; the meaning
#: never rests on colour alone (each status has its label in every legend, table and hover).
STATUS_COLOURS = {
    TARGET_ACHIEVED: "#009E73",  # bluish green
    ON_TRACK: "#56B4E9",  # sky blue
    ACCELERATION_NEEDED: "#F0E442",  # yellow
    LIMITED_PROGRESS: "#E69F00",  # orange
    DETERIORATION: "#D55E00",  # vermillion
}
#: Shades of grey for the reasons for no status: never a status colour.
NO_STATUS_COLOURS = {
    NOT_ENOUGH_DATA: "#F2F2F2",
    SERIES_BREAK: "#E0E0E0",
    ILLUSTRATIVE: "#CCCCCC",
}
ALL_COLOURS = {**STATUS_COLOURS, **NO_STATUS_COLOURS}
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
NO_VALUE_SINCE_BASE = N_("No value in or after {base_year}, the base year of the method.")
ONE_VALUE = N_("Only one year with a value since {base_year}; the method needs two.")
NO_TARGET_YEAR = N_("The target states no year, so no pace can be required.")
NO_NUMERIC_TARGET = N_("No numeric target is set on this series.")
TARGET_BEFORE_BASE = N_(
    "The target year ({target_year}) is not after the base year ({baseline_year}), so no pace "
    "can be required."
)
MIXED_SIGNS = N_("Growth rates need values that are all positive or all negative.")
NO_DIRECTION = N_("No desired direction is defined for this indicator.")
BREAK = N_(
    "The values since {base_year} come from more than one source or definition; no growth is "
    "computed across a series break."
)
ILLUSTRATIVE_REASON = N_("Illustrative values: no status is given.")
GROWTH = N_(
    "Compound annual growth of the value {observed} a year from {baseline_year} to "
    "{latest_year}; {required} a year needed to reach the target by {target_year} "
    "(ratio {ratio} %)."
)
GROWTH_NO_TARGET = N_(
    "Compound annual growth of the value {observed} a year from {baseline_year} to "
    "{latest_year}, against the method's fixed rates for indicators without a target."
)


def status_label(status: str, lang: str) -> str:
    """`On track` / `ຕາມແຜນ`: a status (or the reason for none) in the reader's language."""
    return translator(lang)(ALL_LABELS[status])


def has_status(status: str) -> bool:
    """True for the method's categories; False for "not enough data", "series break" and
    "illustrative — no status"."""
    return status in STATUS_LABELS


def goal_label(goal: str, lang: str) -> str:
    return translator(lang)(GOAL_LABELS[goal])


def _rate(rate: float, lang: str) -> str:
    """`+3.1 %` / `+3,1 %`: a yearly growth rate, signed, in the reader's number format."""
    sign = "+" if rate >= 0 else "−"
    return f"{sign}{format_number(abs(rate) * 100, lang, 1)}\u00a0%"


def _year(value: object) -> object:
    return int(value) if isinstance(value, (int, float)) and not pd.isna(value) else value


def explain(result: Mapping[str, object], lang: str) -> str:
    """Why a status was given, in the reader's language, from a `Progress` as a mapping (or a
    row of `level_progress`/`overview`)."""
    _ = translator(lang)
    reason_id = str(result["reason_id"])
    years = {
        "base_year": _year(result.get("baseline_year")) or BASE_YEAR,
        "baseline_year": _year(result.get("baseline_year")),
        "latest_year": _year(result.get("latest_year")),
        "target_year": _year(result.get("target_year")),
    }
    if reason_id == GROWTH:
        return _(
            GROWTH,
            observed=_rate(float(result["observed_rate"]), lang),
            required=_rate(float(result["required_rate"]), lang),
            ratio=format_number(100 * float(result["ratio"]), lang, 0),
            **years,
        )
    if reason_id == GROWTH_NO_TARGET:
        return _(GROWTH_NO_TARGET, observed=_rate(float(result["observed_rate"]), lang), **years)
    if reason_id == REACHED:
        return _(REACHED, year=years["latest_year"])
    if reason_id in (NO_VALUE_SINCE_BASE, BREAK):
        return _(reason_id, base_year=BASE_YEAR)
    return _(reason_id, **years)


@dataclass(frozen=True)
class Progress:
    """The status of one series against a target (or none), with every number it came from."""

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
        return ALL_LABELS[self.status]

    @property
    def reason(self) -> str:
        """Why, in English (for exports); `explain` gives it in a reader's language."""
        return explain(asdict(self), "en")


def cagr(current: float, base: float, current_year: int, base_year: int) -> float:
    """Compound annual growth rate from `base` in `base_year` to `current` in `current_year`."""
    return (current / base) ** (1 / (current_year - base_year)) - 1


def limit_factor(base: float, limit: float) -> float:
    """The method's factor C that shrinks the positive no-target thresholds near a limit."""
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:
        return 1.0
    if base <= limit:
        return 1 - (base / limit) ** LIMIT_EXPONENT
    return 1 - ((2 * limit - base) / limit) ** LIMIT_EXPONENT


def _category(value: float, thresholds: tuple[float, float, float]) -> str:
    high, medium, low = thresholds
    if value >= high:
        return ON_TRACK
    if value >= medium:
        return ACCELERATION_NEEDED
    if value >= low:
        return LIMITED_PROGRESS
    return DETERIORATION


def assess(
    points: list[tuple[int, float]],
    target_value: float | None,
    target_year: int | None,
    direction: str,
    *,
    limit: float | None = None,
    base_year: int = BASE_YEAR,
) -> Progress:
    """The status of one comparable series of (year, value) points (see the module docstring).

    `direction` is "higher" or "lower" (better). `target_value` None applies the method for
    indicators without a target; `limit` is then the natural limit in the desired direction.
    The caller guarantees the points are one series (`dashboard.series`).
    """
    points = sorted(points)
    target = {"target_value": target_value, "target_year": target_year}
    if not points:
        return Progress(NOT_ENOUGH_DATA, NO_DATED_VALUE, **target)
    latest_year, latest = points[-1]
    sign_of_direction = 1 if direction == "higher" else -1
    numbers = {"latest_year": latest_year, "latest_value": latest, **target}
    if _met(points, target_value, direction):
        return Progress(TARGET_ACHIEVED, REACHED, **numbers)
    window = [p for p in points if p[0] >= base_year]
    if not window:
        return Progress(NOT_ENOUGH_DATA, NO_VALUE_SINCE_BASE, **numbers)
    first_year, base = window[0]
    numbers.update(baseline_year=first_year, baseline_value=base)
    if latest_year - first_year < 1:
        return Progress(NOT_ENOUGH_DATA, ONE_VALUE, **numbers)
    if direction not in ("higher", "lower"):
        return Progress(NOT_ENOUGH_DATA, NO_DIRECTION, **numbers)
    base = ZERO_REPLACEMENT if base == 0 else base
    if base * latest < 0:
        return Progress(NOT_ENOUGH_DATA, MIXED_SIGNS, **numbers)
    sign = -1 if base < 0 else 1
    observed = cagr(latest, base, latest_year, first_year)
    if target_value is None:
        factor = 1.0
        if limit is not None:
            factor = limit_factor(base, limit)
        progress_value = sign * sign_of_direction * observed
        if factor == 0 and progress_value >= 0:
            status = ON_TRACK
        else:
            high, medium, low = GROWTH_THRESHOLDS
            status = _category(progress_value, (high * factor, medium * factor, low))
        return Progress(status, GROWTH_NO_TARGET, observed_rate=observed, **numbers)
    if target_year is None:
        return Progress(NOT_ENOUGH_DATA, NO_TARGET_YEAR, **numbers)
    if target_year <= first_year:
        return Progress(NOT_ENOUGH_DATA, TARGET_BEFORE_BASE, **numbers)
    goal = ZERO_REPLACEMENT if target_value == 0 else target_value
    required = cagr(goal, base, target_year, first_year)
    ratio = sign * sign_of_direction * observed / abs(required)
    return Progress(
        _category(ratio, RATIO_THRESHOLDS),
        GROWTH,
        observed_rate=observed,
        required_rate=required,
        ratio=ratio,
        **numbers,
    )


def method_base_year(years: list[int], base_year: int = BASE_YEAR) -> int | None:
    """The method's base year for these years: `base_year`, else the first year after it."""
    after = sorted(y for y in years if y >= base_year)
    return after[0] if after else None


def assess_rows(
    rows: pd.DataFrame,
    target_value: float | None,
    target_year: int | None,
    direction: str,
    *,
    limit: float | None = None,
) -> Progress:
    """The status of observation rows of one area: illustrative values and series breaks inside
    the assessed window get no status (the rule is `dashboard.series`)."""
    target = {"target_value": target_value, "target_year": target_year}
    dated = rows[rows["year"].notna()].sort_values("year", kind="stable")
    if (dated["nature"] == "illustrative").any():
        return Progress(ILLUSTRATIVE, ILLUSTRATIVE_REASON, **target)
    points = [(int(y), float(v)) for y, v in zip(dated["year"], dated["value"], strict=True)]
    base = method_base_year([p[0] for p in points])
    crosses_break = base is not None and series.has_break(dated[dated["year"] >= base])
    if crosses_break and not _met(points, target_value, direction):
        # a target reached by the latest value compares one observation with the target only
        latest_year, latest = points[-1]
        return Progress(SERIES_BREAK, BREAK, latest_year=latest_year, latest_value=latest, **target)
    return assess(points, target_value, target_year, direction, limit=limit)


def _met(points: list[tuple[int, float]], target_value: float | None, direction: str) -> bool:
    """True when the latest point has reached the target."""
    if not points or target_value is None or direction not in ("higher", "lower"):
        return False
    latest = max(points)[1]
    return latest >= target_value if direction == "higher" else latest <= target_value


# ---------------------------------------------------------------- targets of the release

TARGET_OF = N_("Target of the {setter}: {target}")
COMMITMENT_OF = N_("Commitment of the {setter}: {wording}")
VALUE_BY_YEAR = N_("{value} by {year}")
READ_AS = N_("read here as {target}")
#: A target's label where its full one has no room in the chart (hover and Sources name whose).
TARGET_SHORT = N_("Target: {target}")


def target_value_text(target: Mapping[str, object], indicator: pd.Series, lang: str) -> str:
    """`80.0 % by 2020` / `80,0 % ພາຍໃນປີ 2020`: a target's number and year, if it has them."""
    _ = translator(lang)
    if pd.isna(target["value"]):
        return ""
    value = format_with_unit(target["value"], indicator, lang)
    if pd.isna(target["year"]):
        return value
    return _(VALUE_BY_YEAR, value=value, year=int(target["year"]))


def _setter(target: Mapping[str, object], lang: str) -> str:
    return localized(target, "setter", lang)


def target_label(target: Mapping[str, object], indicator: pd.Series | None, lang: str) -> str:
    """Whose target it is and what it says, e.g. "Target of the 8th Health Sector Development
    Plan (2016–2020), Ministry of Health: 80.0 % by 2020"; a commitment quotes its wording and
    gives any number only as a stated reading ("read here as 100.0 % by 2025")."""
    _ = translator(lang)
    if target["kind"] == "numeric" and indicator is not None:
        return _(
            TARGET_OF,
            setter=_setter(target, lang),
            target=target_value_text(target, indicator, lang),
        )
    label = _(
        COMMITMENT_OF, setter=_setter(target, lang), wording=localized(target, "wording", lang)
    )
    if indicator is not None and not pd.isna(target["value"]):
        reading = _(READ_AS, target=target_value_text(target, indicator, lang))
        label = f"{label.rstrip('.')} ({reading})"
    return label


def document_text(target: Mapping[str, object], lang: str = "en") -> str:
    """`World Bank, Challenges in health financing for Lao PDR (2013)`: the document a target was
    read from, cited by the one formatter (`dashboard.citations`)."""
    fields = {
        key.removeprefix("document_"): value
        for key, value in target.items()
        if str(key).startswith("document_")
    }
    return citation(fields, lang).text


def target_row(ds: Dataset, target_id: str) -> pd.Series:
    """One target with its document's citation."""
    return queries.targets_view(ds).loc[target_id]


def status_target(ds: Dataset, indicator_id: str) -> pd.Series | None:
    """The numeric target an indicator's status is measured against: its latest-dated one.

    Commitments get no status (their numbers, if any, are interpretations)."""
    targets = queries.indicator_targets(ds, indicator_id)
    numeric = targets[targets["kind"] == "numeric"]
    return None if numeric.empty else numeric.iloc[-1]


def _direction(target: pd.Series) -> str:
    return "higher" if target["comparison"] == "at_least" else "lower"


def assessed_indicator_ids(ds: Dataset) -> list[str]:
    """Indicators with a numeric target, in goal order (goals 1–3, then the challenges)."""
    ind = ds.release.indicators
    targets = ds.release.targets
    ids = set(targets.loc[targets["kind"] == "numeric", "indicator_id"]) - {""}
    order = {g: i for i, g in enumerate(GOAL_LABELS)}
    return sorted(ids, key=lambda i: (order.get(str(ind.at[i, "goal"]), 9), i))


def area_progress(ds: Dataset, indicator_id: str, area_code: str = "LA") -> Progress:
    """Status of one indicator in one area against its numeric target, from the rows the time
    series shows (no target: not enough data, since no pace can be required)."""
    rows = queries.observations_view(ds, indicator_id, area_codes=(area_code,), dated_only=True)
    target = status_target(ds, indicator_id)
    if target is None:
        if (rows["nature"] == "illustrative").any():
            return Progress(ILLUSTRATIVE, ILLUSTRATIVE_REASON)
        return Progress(NOT_ENOUGH_DATA, NO_NUMERIC_TARGET)
    year = None if pd.isna(target["year"]) else int(target["year"])
    return assess_rows(rows, float(target["value"]), year, _direction(target))


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
    """The national status of every indicator with a numeric target: the overview table, with
    whose target it is and the document it was read from."""
    rows = []
    for indicator_id in assessed_indicator_ids(ds):
        indicator = ds.indicator(indicator_id)
        result = area_progress(ds, indicator_id)
        target = status_target(ds, indicator_id)
        rows.append(
            {
                "goal": str(indicator["goal"]),
                "indicator_id": indicator_id,
                "target_id": target["target_id"],
                "target_label": target_label(target, indicator, "en"),
                "document": document_text(target),
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


def commitments(ds: Dataset) -> pd.DataFrame:
    """Targets that get no status: commitments in words (with any number read from them as an
    interpretation) and targets without a series; each with its document."""
    view = queries.targets_view(ds)
    return view[view["kind"] == "commitment"]


Trajectory = tuple[tuple[int, float], tuple[int, float]]


def trajectory(ds: Dataset, indicator_id: str) -> Trajectory | None:
    """The path the method requires, from the national base value to the target: drawn only
    where a growth status was computed (never across a series break or for illustrative data)."""
    result = area_progress(ds, indicator_id)
    if result.reason_id != GROWTH:
        return None
    return (
        (int(result.baseline_year), float(result.baseline_value)),
        (int(result.target_year), float(result.target_value)),
    )


# ---------------------------------------------------------------- spending per person covered

#: Goal → (spending per person indicator, coverage share indicator), where both are published.
SPENDING_PAIRS = {"1": ("GHED_GGHE-D_pc_US_SHA2011", "SHP_COVERAGE")}
SPENDING_METHOD = N_(
    "Government health spending per person (WHO GHED, GGHE-D per capita) divided by the share "
    "of the population covered by social health protection, for the years in which both are "
    "published for the same year. Each side comes from one series of one publisher: the "
    "coverage figures are the most recent series of one publisher that overlaps the spending "
    "series; coverage figures of other publishers, or dated by their publication, are not mixed "
    "in. In current US dollars: the release holds no price deflator for Lao PDR, so the values "
    "are not adjusted for inflation. It is all domestic government health spending, not only "
    "insurance benefits, so it is an upper bound of what reaches a covered person."
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
SPENDING_NO_COMMON_YEAR = N_(
    "No coverage series of one publisher shares a year with the spending series, so no ratio "
    "can be formed without mixing publishers or years."
)


def spending_pair_rows(ds: Dataset, goal: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The spending series and the coverage series the ratio is formed from (one series each).

    The most recent pair of comparable series (`dashboard.series`) that share at least one
    year; None when the goal has no pair or no two series overlap.
    """
    if goal not in SPENDING_PAIRS:
        return None
    spending_id, coverage_id = SPENDING_PAIRS[goal]
    national = {
        indicator_id: series.split(
            queries.observations_view(ds, indicator_id, area_codes=("LA",), dated_only=True)
        )
        for indicator_id in (spending_id, coverage_id)
    }
    for spending in reversed(national[spending_id]):
        for coverage in reversed(national[coverage_id]):
            if set(coverage["year"]) & set(spending["year"]):
                return spending, coverage
    return None


def spending_per_person_covered(ds: Dataset, goal: str) -> pd.DataFrame:
    """Yearly spending per person covered for a goal; empty when no defensible pair exists."""
    columns = ["year", "spending", "coverage", "per_person_covered", "natures"]
    pair = spending_pair_rows(ds, goal)
    if pair is None:
        return pd.DataFrame(columns=columns)
    spending, coverage = pair
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
