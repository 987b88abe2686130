"""Wiring of the goal pages: controls → view models → figure patches, summaries, links, context.

Every callback reads the page's language from `State("page-lang", "data")` and hands it on.

Every view is a URL: each chart's callback also returns its share state (`views.map_share_state`,
`views.series_share_state`, built in Python), and a browser-side callback rewrites the address
bar from those states with `history.replaceState`: no reload, no new history entry, no Dash
Pages re-render. Query keys the goal page does not own are kept, and `lang=` always names the
language shown, so the address bar, the share dialogs and the language switch all keep it.
"""

from __future__ import annotations

import json

from dash import Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import summaries, views
from dashboard.figures import apply_properties
from dashboard.i18n import LANGUAGES
from dashboard.store import Store
from layouts.components import FILTERS_PANEL_CLASS, notices
from layouts.goal import (
    area_compares,
    area_options,
    area_value,
    chosen_area,
    map_context,
    map_downloads,
    map_table,
    series_downloads,
    series_progress,
    series_table,
    year_slider_props,
)

#: Rewrites the query string from the two charts' share states and the page's language; keeps
#: keys it does not own. Returns the new address (path, query and hash).
_SYNC_URL_JS = """
function (mapView, seriesView, lang) {
    const owned = %(owned)s;
    const current = new URLSearchParams(window.location.search);
    const params = new URLSearchParams();
    [mapView, seriesView].forEach(function (view) {
        const query = (view && view.query) || {};
        Object.keys(query).forEach(function (key) { params.set(key, query[key]); });
    });
    current.forEach(function (value, key) {
        if (owned.indexOf(key) < 0 && key !== 'lang') { params.append(key, value); }
    });
    if (lang) { params.set('lang', lang); }
    const search = params.toString();
    const url = window.location.pathname + (search ? '?' + search : '') + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, '', url);
    }
    if (mapView && mapView.title) { document.title = mapView.title; }
    return url;
}
"""

#: The language switch link to `lang`: this very view (the address as last rewritten).
_SWITCH_JS = """
function (url) {
    if (!url) { return window.dash_clientside.no_update; }
    const target = new URL(url, window.location.origin);
    target.searchParams.set('lang', '%(lang)s');
    return target.pathname + target.search + target.hash;
}
"""

#: Opens a share dialog with absolute URLs built from the browser's own address; the link and
#: both embeds name the page's language.
_SHARE_JS = """
function (clicks, view, lang) {
    const skip = window.dash_clientside.no_update;
    if (!clicks || !view || !view.embed) { return [skip, skip, skip, skip]; }
    const absolute = function (path) {
        const url = new URL(path, window.location.origin);
        if (lang) { url.searchParams.set('lang', lang); }
        return url.href;
    };
    const escape = function (text) {
        return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;')
            .replace(/</g, '&lt;').replace(/>/g, '&gt;');
    };
    const frame = function (path) {
        return '<iframe src="' + escape(absolute(path)) + '" title="' +
            escape(view.title) + '" width="100%%" height="%(height)d" style="border:0" ' +
            'loading="lazy"></iframe>';
    };
    return [true, absolute(window.location.href), frame(view.embed), frame(view.embed_pinned)];
}
"""

#: Shows or hides a chart's off-canvas filters (phones): the `show` class, the button's
#: `aria-expanded`, focus into the panel on opening and back to the button on closing, and
#: Escape to close.
_FILTERS_JS = """
function (opened, closed) {
    const panel = document.getElementById('%(prefix)s-filters');
    const opener = document.getElementById('%(prefix)s-filters-open');
    const closer = document.getElementById('%(prefix)s-filters-close');
    const open = window.dash_clientside.callback_context.triggered_id === '%(prefix)s-filters-open';
    if (panel && !panel.dataset.escapeCloses) {
        panel.dataset.escapeCloses = 'true';
        panel.addEventListener('keydown', function (event) {
            if (event.key === 'Escape' && panel.classList.contains('show')) { closer.click(); }
        });
    }
    window.setTimeout(function () { (open ? panel : opener).focus(); }, 50);
    return [open ? '%(base)s show' : '%(base)s', open ? 'true' : 'false'];
}
"""

#: Names a slider's handle and number box after the slider's visible label: Dash's Slider has
#: no ARIA properties, and a `<label for>` cannot name a `role="slider"` element. The slider is
#: drawn asynchronously, so this waits (briefly) for it; it returns nothing to update.
_LABEL_SLIDER_JS = """
function () {
    const name = function (tries) {
        const parts = document.querySelectorAll('#%(slider)s [role=slider], #%(slider)s input');
        parts.forEach(function (part) { part.setAttribute('aria-labelledby', '%(label)s'); });
        if (!parts.length && tries > 0) {
            window.setTimeout(function () { name(tries - 1); }, 100);
        }
    };
    name(50);
    return window.dash_clientside.no_update;
}
"""

#: Share dialogs: component id prefix → (the store holding the chart's share state, frame height).
SHARED_CHARTS = {"map": ("map-view", 600), "series": ("series-view", 500)}
#: Charts whose controls become an off-canvas panel on phones (`layouts.components.filters_panel`).
FILTERED_CHARTS = ("map", "series")


def _shown_level(shown: object) -> str | None:
    query = shown.get("query") if isinstance(shown, dict) else None
    return query.get("level") if isinstance(query, dict) else None


def register(app: Dash, store: Store) -> None:
    @app.callback(
        Output("map-year", "min"),
        Output("map-year", "max"),
        Output("map-year", "marks"),
        Output("map-year", "disabled"),
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        State("goal-id", "data"),
        prevent_initial_call=True,
    )
    def update_year_slider(indicator_id, level, goal):
        """The slider's range and marks follow the years of the new indicator and level
        (its value is set by `update_map`, which decides the year shown)."""
        if goal not in views.GOAL_IDS:
            raise PreventUpdate
        props = year_slider_props(
            views.resolve_map_selection(store.dataset, goal, indicator_id, level)
        )
        return props["min"], props["max"], props["marks"], props["disabled"]

    @app.callback(
        Output("map-graph", "figure"),
        Output("map-context", "children"),
        Output("map-table", "children"),
        Output("map-downloads", "children"),
        Output("map-notices", "children"),
        Output("map-view", "data"),
        Output("map-year", "value"),
        Output("map-summary", "children"),
        Output("map-area", "options"),
        Output("map-area", "value"),
        Output("map-area-text", "children"),
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        Input("map-year", "value"),
        Input("map-area", "value"),
        State("goal-id", "data"),
        State("map-view", "data"),
        State("page-lang", "data"),
        State("map-table-toggle", "n_clicks"),
        prevent_initial_call=True,
    )
    def update_map(indicator_id, level, year, area, goal, shown, lang, table_opened):
        """Send only what changed: values, colours, labels and the outline of the chosen area.
        Geometry stays in the browser.

        A slider year without data snaps to the next published year in the direction of the
        move (a new indicator or level keeps the year if it has data, else shows its latest),
        and the slider is set to the year shown. Choosing an area only moves its outline and
        its text; a new level offers that level's areas (and forgets an area of the other).
        """
        if goal not in views.GOAL_IDS:
            raise PreventUpdate
        ds = store.dataset
        requested = year
        if isinstance(year, int | float) and not isinstance(year, bool):
            available = views.resolve_map_selection(ds, goal, indicator_id, level)
            if available.years:
                previous = views.shown_year(shown, available)
                requested = views.snap_year(available.years, year, previous)
        selection = views.resolve_map_selection(ds, goal, indicator_id, level, requested, lang=lang)
        area_code = chosen_area(ds, selection.level, area)
        highlight = views.map_highlight(ds, selection, area_code)
        described = area_value(ds, selection, area_code, lang=lang)
        if ctx.triggered_id == "map-area":
            unchanged = [no_update] * 9  # everything but the outline and the area's text
            return apply_properties(Patch(), highlight), *unchanged, described
        level_changed = selection.level != _shown_level(shown)
        patch = apply_properties(
            Patch(),
            {
                **views.map_update(ds, selection, store.geo.schematic, lang=lang, shown=shown),
                **highlight,
            },
        )
        return (
            patch,
            map_context(store, selection, lang=lang),
            map_table(store, selection, lang=lang) if table_opened else no_update,
            map_downloads(goal, selection, lang=lang),
            notices(selection.notices, lang=lang),
            views.map_share_state(ds, goal, selection, lang=lang),
            selection.year if selection.year != year else no_update,
            summaries.map_summary(ds, selection, lang=lang),
            area_options(ds, selection.level, lang=lang) if level_changed else no_update,
            area_code if area_code != area else no_update,
            described,
        )

    @app.callback(
        Output("map-table", "children", allow_duplicate=True),
        Input("map-table-toggle", "n_clicks"),
        State("map-view", "data"),
        State("goal-id", "data"),
        State("page-lang", "data"),
        prevent_initial_call=True,
    )
    def open_map_table(opened, shown, goal, lang):
        """The map's values as a table, built when the reader first opens it (`update_map` then
        keeps it in step): a map update does not pay for 148 rows nobody reads."""
        if not opened or goal not in views.GOAL_IDS or not isinstance(shown, dict):
            raise PreventUpdate
        query = shown.get("query") if isinstance(shown.get("query"), dict) else {}
        selection = views.resolve_map_selection(
            store.dataset,
            goal,
            query.get("indicator"),
            query.get("level"),
            query.get("year"),
            lang=lang,
        )
        return map_table(store, selection, lang=lang)

    @app.callback(
        Output("map-area-compare", "disabled"),
        Input("map-area", "value"),
        prevent_initial_call=True,
    )
    def enable_area_compare(area):
        return not area_compares(store.dataset, area)

    @app.callback(
        Output("series-areas", "value"),
        Input("map-area-compare", "n_clicks"),
        State("map-area", "value"),
        State("series-areas", "value"),
        prevent_initial_call=True,
    )
    def compare_area(_clicks, area, compared):
        """The area chosen on the map joins the provinces compared in the trends chart."""
        ds = store.dataset
        if not area_compares(ds, area):
            raise PreventUpdate
        compared = list(views.series_area_codes(ds, compared))  # forged values dropped
        if area in compared:
            raise PreventUpdate
        return [*compared, area]

    @app.callback(
        Output("series-graph", "figure"),
        Output("series-downloads", "children"),
        Output("series-notices", "children"),
        Output("series-progress", "children"),
        Output("series-view", "data"),
        Output("series-summary", "children"),
        Output("series-table", "children"),
        Input("series-indicator", "value"),
        Input("series-areas", "value"),
        State("goal-id", "data"),
        State("page-lang", "data"),
        prevent_initial_call=True,
    )
    def update_series(indicator_id, areas, goal, lang):
        ds = store.dataset
        if goal not in views.GOAL_IDS:
            raise PreventUpdate
        selection = views.resolve_series_selection(ds, goal, indicator_id, areas, lang=lang)
        if selection is None:
            raise PreventUpdate
        return (
            views.series_figure(ds, selection.indicator_id, selection.area_codes, lang=lang),
            series_downloads(goal, selection, lang=lang),
            notices(selection.notices, lang=lang),
            series_progress(ds, selection.indicator_id, lang=lang),
            views.series_share_state(ds, goal, selection, lang=lang),
            summaries.series_summary(ds, selection, lang=lang),
            series_table(ds, selection, lang=lang),
        )

    app.clientside_callback(
        _SYNC_URL_JS % {"owned": json.dumps(list(views.GOAL_QUERY_KEYS))},
        Output("goal-url", "data"),
        Input("map-view", "data"),
        Input("series-view", "data"),
        State("page-lang", "data"),
    )

    # The switch shows only the languages other than the page's: a link absent from the page
    # has no callback to run.
    for lang in LANGUAGES:
        app.clientside_callback(
            _SWITCH_JS % {"lang": lang},
            Output(f"language-switch-{lang}", "href"),
            Input("goal-url", "data"),
            prevent_initial_call=True,
        )

    app.clientside_callback(
        _LABEL_SLIDER_JS % {"slider": "map-year", "label": "map-year-label"},
        Output("map-year-label", "title"),
        Input("map-year", "max"),
    )

    for prefix, (view_store, height) in SHARED_CHARTS.items():
        app.clientside_callback(
            _SHARE_JS % {"height": height},
            Output(f"share-{prefix}-modal", "is_open"),
            Output(f"share-{prefix}-link", "value"),
            Output(f"share-{prefix}-embed", "value"),
            Output(f"share-{prefix}-embed-pinned", "value"),
            Input(f"share-{prefix}-open", "n_clicks"),
            State(view_store, "data"),
            State("page-lang", "data"),
            prevent_initial_call=True,
        )

    for prefix in FILTERED_CHARTS:
        app.clientside_callback(
            _FILTERS_JS % {"prefix": prefix, "base": FILTERS_PANEL_CLASS},
            Output(f"{prefix}-filters", "className"),
            Output(f"{prefix}-filters-open", "aria-expanded"),
            Input(f"{prefix}-filters-open", "n_clicks"),
            Input(f"{prefix}-filters-close", "n_clicks"),
            prevent_initial_call=True,
        )

    @app.callback(
        Output("navbar-collapse", "is_open"),
        Input("navbar-toggler", "n_clicks"),
        State("navbar-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_navbar(_clicks, is_open):
        return not is_open
