"""A map view's data for every year at once, as one immutable document per release.

A year change on a goal page used to be a Dash callback (an HTTP POST no proxy can cache), run on
the server for every reader. The view data holds, for one indicator, level, language and layout,
the figure of the latest year and, for each other year, only what differs from it (values,
hover text, legend classes), with each year's title, subtitle, summary, citations and natures —
all built by the map view model and formatted in Python, once. The browser then changes years
with no request, and a proxy or CDN can answer every reader after the first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from dashboard import queries, views
from dashboard.api import API_PREFIX
from dashboard.queries import Dataset
from dashboard.viewmodels.common import ChartView
from dashboard.viewmodels.map import map_view

#: Where the view data is served (`callbacks.viewdata`).
VIEW_DATA_PATH = f"{API_PREFIX}/views/map"


def map_view_data_url(view: ChartView) -> str:
    """The address of the view data of the map `view` draws: same goal, indicator, level,
    language and width class, pinned to its release (so the answer is immutable)."""
    query = {
        "goal": view.goal,
        "indicator": view.selection.indicator_id,
        "level": view.selection.level,
        "lang": view.lang,
        "layout": view.layout,
        "release": view.release_id,
    }
    return f"{VIEW_DATA_PATH}?{urlencode(query)}"


class UnknownView(ValueError):
    """The request names no map of this release (an unknown goal, indicator or level)."""


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """`("data.1.z", [...])` pairs: every leaf of a figure by its dotted path; lists of
    objects (traces, annotations) are walked by index, other lists are leaves."""
    if isinstance(value, Mapping) and value:
        for key, child in value.items():
            yield from flatten(child, f"{prefix}{key}.")
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for index, child in enumerate(value):
            yield from flatten(child, f"{prefix}{index}.")
    else:
        yield prefix[:-1], value


def figure_changes(base: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """What to set on `base` (by dotted path) to draw `other`. Both are figures of one view
    model that differ in values, not in structure; a path missing from `other` is set to None."""
    before, after = dict(flatten(base)), dict(flatten(other))
    changes = {path: value for path, value in after.items() if before.get(path) != value}
    changes.update({path: None for path in before.keys() - after.keys()})
    return changes


def _year_text(view: ChartView) -> dict[str, Any]:
    return {
        "title": view.title,
        "subtitle": view.subtitle,
        "summary": view.summary,
        "sources": list(view.sources),
        "natures": list(view.natures),
        "illustrative": view.illustrative,
        "csv_url": view.csv_url,
        "page_path": view.page_path,
        "share": view.share,
    }


def map_view_data(
    ds: Dataset,
    goal: str,
    indicator: str,
    level: str,
    *,
    lang: str,
    schematic: bool = False,
    layout: str | None = None,
    parts: Callable[[ChartView], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The map of `indicator` (an id) at `level` for every year with data, in `lang`.

    `parts` adds a surface's own pieces to each year (the goal page's frame parts, built by its
    layout code, so the browser places them and builds no HTML). Raises `UnknownView` rather
    than falling back to a default: a cached document must be exactly what its address names.
    """
    if goal not in views.GOAL_IDS:
        raise UnknownView(f"Unknown goal {goal!r}.")
    selection = views.resolve_map_selection(ds, goal, indicator, level, lang=lang)
    if selection.notices:
        raise UnknownView(" ".join(selection.notices))
    if level not in queries.levels_with_data(ds, indicator):
        raise UnknownView(f"Indicator {indicator!r} has no {level} values.")
    options = {"lang": lang, "schematic": schematic}
    if layout is not None:
        options["layout"] = layout
    latest = map_view(ds, goal, selection, **options)
    years: dict[str, Any] = {}
    for year in selection.years:
        view = (
            latest
            if year == selection.year
            else map_view(ds, goal, dataclasses.replace(selection, year=year), **options)
        )
        years[str(year)] = {
            **_year_text(view),
            **(parts(view) if parts is not None else {}),
            "changes": figure_changes(latest.figure, view.figure),
        }
    return {
        "release": ds.release.release_id,
        "goal": goal,
        "indicator": selection.indicator_id,
        "level": selection.level,
        "lang": lang,
        "layout": latest.layout,
        "latest_year": selection.year,
        "years": [int(y) for y in selection.years],
        "figure": latest.figure,
        "by_year": years,
    }
