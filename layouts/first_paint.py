"""The answer in the first HTML: a goal page's map view drawn as static SVG before any script.

Dash sends an empty page and draws it with JavaScript; on a slow phone the reader waits for
plotly.js before seeing anything. The first HTML of a goal page therefore carries the view the
page opens on — title, illustrative badge, the map as SVG, its legend and summary — inside
Dash's entry point, which React replaces when the app starts. It is built from the same map view
model as the interactive map, so the two cannot disagree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

from dashboard import static_map, views
from dashboard.cache import PerOwnerCache
from dashboard.formatting import format_with_unit
from dashboard.i18n import N_, localized, translator, with_language
from dashboard.store import GeoLayers, Store
from dashboard.viewmodels.map import map_view
from layouts.templating import TEMPLATES

GOAL_PATH = re.compile(r"^/goal/([123])/?$")
#: Dash's loading placeholder inside its entry point (dash/dash.py, `_app_entry`).
DASH_LOADING = re.compile(r'<div class="_dash-loading">\s*Loading\.\.\.\s*</div>')
LOADING = N_("Loading the interactive map…")
LITE_LINK = N_("Lite version")
LEGEND = N_("Legend")
BADGE = N_("Illustrative — not official statistics")

_cache: PerOwnerCache[Markup] = PerOwnerCache(64)


@lru_cache(maxsize=4)
def _layer(geo: GeoLayers, level: str) -> static_map.ProjectedLayer | None:
    """The level's shapes, projected once per process."""
    collection = geo.geojson(level)
    return static_map.project(collection) if collection is not None else None


def goal_first_paint(store: Store, path: str, query: dict[str, str], lang: str) -> Markup | None:
    """The static map view of the goal page at `path` with its query, or None for other pages."""
    match = GOAL_PATH.match(path)
    if match is None:
        return None
    goal = match.group(1)
    ds = store.dataset
    selection = views.resolve_map_selection(
        ds, goal, query.get("indicator"), query.get("level"), query.get("year"), lang=lang
    )
    key = (goal, selection.indicator_id, selection.level, selection.year, lang)
    return _cache.get_or_make(ds, key, lambda: _render(store, goal, selection, lang))


def _render(store: Store, goal: str, selection: views.MapSelection, lang: str) -> Markup:
    _ = translator(lang)
    ds = store.dataset
    layer = _layer(store.geo, selection.level)
    view = map_view(ds, goal, selection, lang=lang, schematic=store.geo.schematic)
    if layer is None:
        return Markup("")
    values = [t for t in view.figure.get("data", []) if t.get("type") == "choropleth"]
    indicator = ds.indicator(selection.indicator_id)
    legend = (
        static_map.legend_entries(values[-1], lambda v: format_with_unit(v, indicator, lang))
        if values
        else []
    )
    svg = static_map.choropleth_svg(
        layer, static_map.area_fills(view.figure), label=f"{view.title}. {view.subtitle}"
    )
    return Markup(
        TEMPLATES.get_template("first_paint.html").render(
            goal_name=localized(ds.release.goals.loc[goal], "name", lang),
            view=view,
            svg=svg,
            legend=legend,
            legend_label=_(LEGEND),
            badge=_(BADGE),
            loading=_(LOADING),
            lite_href=with_language(f"/lite/goal/{goal}", lang),
            lite_label=_(LITE_LINK),
        )
    )


def with_first_paint(index: str, content: Markup | None) -> str:
    """Dash's index page with `content` in place of its "Loading..." placeholder."""
    if not content:
        return index
    return DASH_LOADING.sub(lambda _match: str(content), index, count=1)
