"""Plain-language summaries of the current view, in the reader's language. No Dash here.

Each chart has a few sentences beside it, written from the very rows it draws (so they cannot
disagree), which also serve as its accessible description: the year, how many areas have data,
the extremes, the latest value against its published target and the progress status. Changes
over time are stated only within one comparable series (`dashboard.series`): a summary describes
the latest series and says where the values come from several sources. Every sentence
is one whole catalogue entry with `{placeholders}` (word order differs in Lao); numbers are in the
reader's format. Illustrative data says so in the summary too.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from dashboard import progress, queries, series, views
from dashboard.cache import PerOwnerCache
from dashboard.figures import SERIES_BREAK_NOTE, programme_label
from dashboard.formatting import format_value, format_with_unit
from dashboard.i18n import N_, localized, translator
from dashboard.queries import Dataset

ILLUSTRATIVE_SENTENCE = N_("These values are illustrative — not official statistics.")
MAP_COUNTS = {
    "province": N_("In {year}, {count} of {total} provinces have a value of “{indicator}”."),
    "district": N_("In {year}, {count} of {total} districts have a value of “{indicator}”."),
}
MAP_NOTHING = {
    "province": N_("No province figures of “{indicator}” are published for this year."),
    "district": N_("No district figures of “{indicator}” are published for this year."),
}
NATIONAL_VALUE = N_("The national value is {value}.")
EXTREMES = N_("Highest: {area} ({value}). Lowest: {area_low} ({value_low}).")
MISSING_AREAS = N_("{count} areas have no data.")
LATEST = N_("In {year}, the value of “{indicator}” was {value}.")
LATEST_IN_AREA = N_("In {year}, the value of “{indicator}” in {area} was {value}.")
ROSE = N_("It rose by {change} since {year}, when it was {value}.")
FELL = N_("It fell by {change} since {year}, when it was {value}.")
UNCHANGED = N_("It is the same as in {year}.")
POINTS = N_("{value} percentage points")
TARGET = N_("{target}.")
SOURCES_CHANGE = N_(
    "Its values come from {count} sources; a change is stated only within the latest source, "
    "whose values start in {year}."
)
SOURCES_NO_CHANGE = N_(
    "Its values come from {count} sources, and the latest source has one value ({year}), so no "
    "change over time is stated across sources."
)
STATUS = N_("Progress towards the target: {status}. {reason}")
NO_SERIES = N_("No values of “{indicator}” are published yet.")
STACK = N_("Health spending by source in {year}: {values}.")
LARGEST_ENVELOPE = N_("The largest programme envelope is {programme}: {amount} million {currency}.")
ENVELOPE_COUNT = N_("{count} programme envelopes are published for this goal.")
NO_BUDGET = N_("No budget figures are published for this goal yet.")
PROVINCE_STATUSES = N_(
    "Status of the {total} provinces against the national target ({target}): {counts}."
)
NATIONAL_STATUS = N_("National status: {status}. {reason}")


def _illustrative(rows: pd.DataFrame) -> bool:
    return bool((rows["nature"] == "illustrative").any()) if not rows.empty else False


def _join(sentences: list[str], rows_illustrative: bool, lang: str) -> str:
    if rows_illustrative:
        sentences.append(translator(lang)(ILLUSTRATIVE_SENTENCE))
    return " ".join(s for s in sentences if s)


def _area_name(rows: pd.DataFrame, lang: str) -> str:
    first = rows.iloc[0]
    return localized(
        {"name_en": first["area_name"], "name_lo": first["area_name_lo"]}, "name", lang
    )


#: Map summaries last written, per dataset: every reader of a view gets the same sentence.
_map_summaries: PerOwnerCache[str] = PerOwnerCache(256)


def map_summary(ds: Dataset, selection: views.MapSelection, *, lang: str) -> str:
    """Year, areas with data, the national value, highest and lowest area, areas without data.

    Built once per (dataset, indicator, level, year, language)."""
    key = (selection.indicator_id, selection.level, selection.year, lang)
    return _map_summaries.get_or_make(ds, key, lambda: _map_summary(ds, selection, lang))


def _map_summary(ds: Dataset, selection: views.MapSelection, lang: str) -> str:
    _ = translator(lang)
    indicator = ds.indicator(selection.indicator_id)
    name = localized(indicator, "name", lang)
    rows = views.map_rows(ds, selection)
    if rows.empty or selection.year is None:
        return _(MAP_NOTHING[selection.level], indicator=name)
    total = len(queries.areas_at(ds, selection.level))
    sentences = [
        _(
            MAP_COUNTS[selection.level],
            year=selection.year,
            count=len(rows),
            total=total,
            indicator=name,
        )
    ]
    national = queries.observations_view(
        ds, selection.indicator_id, area_codes=("LA",), year=selection.year
    )
    if not national.empty:
        value = format_with_unit(national["value"].iloc[0], indicator, lang)
        sentences.append(_(NATIONAL_VALUE, value=value))
    if len(rows) >= 2:
        ordered = rows.sort_values("value", kind="stable")
        high, low = ordered.iloc[[-1]], ordered.iloc[[0]]
        sentences.append(
            _(
                EXTREMES,
                area=_area_name(high, lang),
                value=format_with_unit(high["value"].iloc[0], indicator, lang),
                area_low=_area_name(low, lang),
                value_low=format_with_unit(low["value"].iloc[0], indicator, lang),
            )
        )
    if missing := total - len(rows):
        sentences.append(_(MISSING_AREAS, count=missing))
    return _join(sentences, _illustrative(rows), lang)


def _change(first: float, last: float, indicator: pd.Series, lang: str) -> str:
    """How much a value moved, in its unit; percentages move in percentage points."""
    if indicator["unit_kind"] == "percent":
        amount = format_value(abs(last - first), indicator["decimals"], lang=lang)
        return translator(lang)(POINTS, value=amount)
    return format_with_unit(abs(last - first), indicator, lang)


def series_summary(ds: Dataset, selection: views.SeriesSelection, *, lang: str) -> str:
    """Latest value and year, change since the first year, target and progress status."""
    _ = translator(lang)
    indicator_id = selection.indicator_id
    indicator = ds.indicator(indicator_id)
    name = localized(indicator, "name", lang)
    rows = views.series_rows(ds, indicator_id, selection.area_codes)
    own = rows[rows["indicator_id"] == indicator_id].dropna(subset=["year"])
    if own.empty:
        return _(NO_SERIES, indicator=name)
    area_code = "LA" if (own["area_code"] == "LA").any() else own["area_code"].iloc[0]
    line = own[own["area_code"] == area_code].sort_values("year", kind="stable")
    last = line.iloc[-1]
    latest_value = format_with_unit(last["value"], indicator, lang)
    if area_code == "LA":
        sentences = [_(LATEST, year=int(last["year"]), indicator=name, value=latest_value)]
    else:
        area = _area_name(line, lang)
        sentences = [
            _(LATEST_IN_AREA, year=int(last["year"]), indicator=name, area=area, value=latest_value)
        ]
    latest_series = series.latest_series(line)
    if series.has_break(line):
        count = len(series.split(line))
        rule = SOURCES_CHANGE if series.change(latest_series) else SOURCES_NO_CHANGE
        sentences.append(_(rule, count=count, year=int(latest_series["year"].iloc[0])))
    if (pair := series.change(latest_series)) is not None:
        first, last = pair
        before = format_with_unit(first["value"], indicator, lang)
        if last["value"] == first["value"]:
            sentences.append(_(UNCHANGED, year=int(first["year"])))
        else:
            change = _change(float(first["value"]), float(last["value"]), indicator, lang)
            rule = ROSE if last["value"] > first["value"] else FELL
            sentences.append(_(rule, change=change, year=int(first["year"]), value=before))
    for _id, target in queries.indicator_targets(ds, indicator_id).iterrows():
        label = progress.target_label(target, indicator, lang).rstrip(".")
        sentences.append(_(TARGET, target=label))
    if area_code == "LA" and progress.status_target(ds, indicator_id) is not None:
        result = progress.area_progress(ds, indicator_id)
        sentences.append(
            _(
                STATUS,
                status=progress.status_label(result.status, lang),
                reason=progress.explain(asdict(result), lang),
            )
        )
    if rows["indicator_id"].nunique() > 1:
        sentences.append(_(SERIES_BREAK_NOTE))
    return _join(sentences, _illustrative(rows), lang)


def budget_summary(ds: Dataset, goal: str, *, lang: str) -> str:
    """Spending by source in the latest year, or the programme envelopes, of a goal."""
    _ = translator(lang)
    stack = queries.budget_stack_view(ds, goal)
    envelopes = queries.budget_view(ds, goal)
    sentences = []
    if not stack.empty:
        year = int(stack["year"].max())
        latest = stack[stack["year"] == year]
        values = "; ".join(
            f"{localized(ds.indicator(i), 'name', lang)}: "
            f"{format_with_unit(v, ds.indicator(i), lang)}"
            for i, v in zip(latest["indicator_id"], latest["value"], strict=True)
        )
        sentences.append(_(STACK, year=year, values=values))
    if not envelopes.empty:
        largest = envelopes.loc[envelopes["amount"].idxmax()]
        sentences.append(_(ENVELOPE_COUNT, count=len(envelopes)))
        sentences.append(
            _(
                LARGEST_ENVELOPE,
                programme=programme_label(largest, lang),
                amount=format_value(largest["amount"] / 1e6, 2, lang=lang),
                currency=largest["currency"],
            )
        )
    if not sentences:
        return _(NO_BUDGET)
    illustrative = _illustrative(stack) or _illustrative(envelopes)
    return _join(sentences, illustrative, lang)


def status_summary(ds: Dataset, indicator_id: str, *, lang: str) -> str:
    """The national status and how many provinces are in each status, with the target."""
    _ = translator(lang)
    indicator = ds.indicator(indicator_id)
    national = progress.area_progress(ds, indicator_id)
    sentences = [
        _(
            NATIONAL_STATUS,
            status=progress.status_label(national.status, lang),
            reason=progress.explain(asdict(national), lang),
        )
    ]
    statuses = progress.level_progress(ds, indicator_id, "province")
    target = progress.status_target(ds, indicator_id)
    if not statuses.empty and target is not None:
        counts = statuses["status"].value_counts()
        listed = "; ".join(
            f"{progress.status_label(status, lang)} ({int(counts[status])})"
            for status in progress.ALL_LABELS
            if status in counts
        )
        sentences.append(
            _(
                PROVINCE_STATUSES,
                total=len(statuses),
                target=progress.target_label(target, indicator, lang),
                counts=listed,
            )
        )
    return _join(sentences, indicator["nature"] == "illustrative", lang)
