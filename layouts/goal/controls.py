"""The goal page's controls and what they read: indicator choices, the level switch (only levels
with data), the year slider, and the area selector with the chosen area's value in words."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import queries, views
from dashboard.formatting import format_with_unit
from dashboard.i18n import N_, localized, translator
from layouts.components import dropdown_labels, english, nature_badge, year_text

LEVEL_CHOICES = (("province", N_("Provinces")), ("district", N_("Districts")))
#: Why a level is offered but cannot be chosen: the indicator has no figures at that level.
LEVEL_UNAVAILABLE = {
    "province": N_("Provinces (no province figures for this indicator)"),
    "district": N_("Districts (no district figures for this indicator)"),
}


def level_options(ds: queries.Dataset, indicator_id: str, *, lang: str) -> list[dict]:
    """Both levels, the one without data for the indicator disabled and saying why."""
    _ = translator(lang)
    available = queries.levels_with_data(ds, indicator_id)
    return [
        {"label": _(label), "value": level}
        if level in available
        else {"label": _(LEVEL_UNAVAILABLE[level]), "value": level, "disabled": True}
        for level, label in LEVEL_CHOICES
    ]


def indicator_options(ds: queries.Dataset, indicator_ids: list[str], *, lang: str) -> list[dict]:
    """Indicator choices named in the reader's language; illustrative series say so."""
    _ = translator(lang)
    ind = ds.release.indicators
    marker = _("{label} (illustrative)", label="").strip()  # names often say it already
    options = []
    for indicator_id in indicator_ids:
        name = localized(ind.loc[indicator_id], "name", lang)
        if ind.at[indicator_id, "nature"] == "illustrative" and marker not in name:
            name = _("{label} (illustrative)", label=name)
        options.append({"label": name, "value": indicator_id})
    return options


def indicator_control(
    ds: queries.Dataset, control_id: str, indicator_ids: list[str], value: str, *, lang: str
) -> list:
    """A chart's labelled indicator dropdown (label and control)."""
    return [
        dbc.Label(translator(lang)("Indicator"), html_for=control_id),
        dcc.Dropdown(
            id=control_id,
            options=indicator_options(ds, indicator_ids, lang=lang),
            value=value,
            clearable=False,
            labels=dropdown_labels(lang),
        ),
    ]


def year_slider_props(selection: views.MapSelection) -> dict:
    """Every calendar year is a step (screen readers announce real years); marks show those
    with data, and `callbacks.goal` snaps a step into a gap to the next year with data."""
    years = list(selection.years) or [0]
    return {
        "min": years[0],
        "max": years[-1],
        "step": 1,
        "marks": {y: {"label": str(y)} for y in years},
        "value": selection.year if selection.year is not None else years[-1],
        "disabled": len(years) < 2,
    }


def area_name(ds: queries.Dataset, area_code: str, *, lang: str) -> str:
    return localized(ds.release.areas.loc[area_code], "name", lang)


def area_options(ds: queries.Dataset, level: str, *, lang: str) -> list[dict]:
    """The areas of a level for the area selector, in official order; a district names its
    province too, since some district names recur."""
    _ = translator(lang)
    areas = queries.areas_at(ds, level)
    options = []
    for code, row in areas.iterrows():
        name = localized(row, "name", lang)
        if level == "district" and row["parent_code"] in ds.release.areas.index:
            name = _(
                "{district}, {province}",
                district=name,
                province=area_name(ds, row["parent_code"], lang=lang),
            )
        options.append({"label": name, "value": code})
    return options


def chosen_area(ds: queries.Dataset, level: str, area_code: object) -> str | None:
    """The area selector's value if it is an area of the map's level, else none."""
    if not isinstance(area_code, str) or area_code not in ds.release.areas.index:
        return None
    return area_code if ds.release.areas.at[area_code, "level"] == level else None


def area_value(
    ds: queries.Dataset, selection: views.MapSelection, area_code: str | None, *, lang: str
) -> list:
    """What the map shows for the chosen area, in words: value, year, source and nature."""
    _ = translator(lang)
    if area_code is None:
        return [
            html.P(
                _("Choose an area to read its value here and to outline it on the map."),
                className="text-muted mb-0",
            )
        ]
    name = area_name(ds, area_code, lang=lang)
    rows = views.map_rows(ds, selection)
    rows = rows[rows["area_code"] == area_code]
    year = "" if selection.year is None else str(selection.year)
    if rows.empty:
        return [
            html.P(
                _("{area}: no data for {year}.", area=name, year=year),
                className="mb-0 area-value",
            )
        ]
    row = rows.iloc[0]
    indicator = ds.indicator(selection.indicator_id)
    return [
        html.P(
            _(
                "{area}: {value} in {year}.",
                area=name,
                value=format_with_unit(row["value"], indicator, lang),
                year=year_text(row["year"], lang),
            ),
            className="mb-1 area-value fw-semibold",
        ),
        html.P(
            [_("Source:"), " ", english(str(row["source_label"]), lang)],
            className="small mb-1",
        ),
        nature_badge(row["nature"], lang=lang),
    ]


def area_compares(ds: queries.Dataset, area_code: object) -> bool:
    """Whether the trends chart can add this area: its comparison lists provinces."""
    return chosen_area(ds, "province", area_code) is not None
