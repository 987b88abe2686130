"""Wiring of the goal pages: controls → view models → figure patches, links and context.

Every view is a URL: each chart's callback also returns its share state (`views.map_share_state`,
`views.series_share_state`, built in Python), and a browser-side callback rewrites the address
bar from those states with `history.replaceState`: no reload, no new history entry, no Dash
Pages re-render, and query keys the goal page does not own (such as `lang=`) are kept. The share
dialogs are filled in the browser too, since only it knows the address the reader sees.
"""

from __future__ import annotations

import json

from dash import Dash, Input, Output, Patch, State, no_update
from dash.exceptions import PreventUpdate

from dashboard import views
from dashboard.figures import apply_properties
from dashboard.store import Store
from layouts.components import notices
from layouts.goal import (
    map_context,
    map_downloads,
    map_table,
    series_downloads,
    series_progress,
    year_slider_props,
)

#: Rewrites the query string from the two charts' share states; keeps keys it does not own.
_SYNC_URL_JS = """
function (mapView, seriesView) {
    const owned = %(owned)s;
    const current = new URLSearchParams(window.location.search);
    const params = new URLSearchParams();
    [mapView, seriesView].forEach(function (view) {
        const query = (view && view.query) || {};
        Object.keys(query).forEach(function (key) { params.set(key, query[key]); });
    });
    current.forEach(function (value, key) {
        if (owned.indexOf(key) < 0) { params.append(key, value); }
    });
    const search = params.toString();
    const url = window.location.pathname + (search ? '?' + search : '') + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, '', url);
    }
    if (mapView && mapView.title) { document.title = mapView.title; }
    return url;
}
"""

#: Opens a share dialog with absolute URLs built from the browser's own address.
_SHARE_JS = """
function (clicks, view) {
    const skip = window.dash_clientside.no_update;
    if (!clicks || !view || !view.embed) { return [skip, skip, skip, skip]; }
    const escape = function (text) {
        return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;')
            .replace(/</g, '&lt;').replace(/>/g, '&gt;');
    };
    const frame = function (path) {
        return '<iframe src="' + escape(window.location.origin + path) + '" title="' +
            escape(view.title) + '" width="100%%" height="%(height)d" style="border:0" ' +
            'loading="lazy"></iframe>';
    };
    return [true, window.location.href, frame(view.embed), frame(view.embed_pinned)];
}
"""

#: Share dialogs: component id prefix → (the store holding the chart's share state, frame height).
SHARED_CHARTS = {"map": ("map-view", 600), "series": ("series-view", 500)}


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
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        Input("map-year", "value"),
        State("goal-id", "data"),
        State("map-view", "data"),
        prevent_initial_call=True,
    )
    def update_map(indicator_id, level, year, goal, shown):
        """Send only what changed: values, colours and labels. Geometry stays in the browser.

        A slider year without data snaps to the next published year in the direction of the
        move (a new indicator or level keeps the year if it has data, else shows its latest),
        and the slider is set to the year shown.
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
        selection = views.resolve_map_selection(ds, goal, indicator_id, level, requested)
        patch = apply_properties(Patch(), views.map_update(ds, selection, store.geo.schematic))
        return (
            patch,
            map_context(store, selection),
            map_table(store, selection),
            map_downloads(goal, selection),
            notices(selection.notices),
            views.map_share_state(ds, goal, selection),
            selection.year if selection.year != year else no_update,
        )

    @app.callback(
        Output("map-table-collapse", "is_open"),
        Input("map-table-toggle", "n_clicks"),
        State("map-table-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_map_table(_clicks, is_open):
        return not is_open

    @app.callback(
        Output("series-graph", "figure"),
        Output("series-downloads", "children"),
        Output("series-notices", "children"),
        Output("series-progress", "children"),
        Output("series-view", "data"),
        Input("series-indicator", "value"),
        Input("series-areas", "value"),
        State("goal-id", "data"),
        prevent_initial_call=True,
    )
    def update_series(indicator_id, areas, goal):
        ds = store.dataset
        if goal not in views.GOAL_IDS:
            raise PreventUpdate
        selection = views.resolve_series_selection(ds, goal, indicator_id, areas)
        if selection is None:
            raise PreventUpdate
        return (
            views.series_figure(ds, selection.indicator_id, selection.area_codes),
            series_downloads(goal, selection),
            notices(selection.notices),
            series_progress(ds, selection.indicator_id),
            views.series_share_state(ds, goal, selection),
        )

    app.clientside_callback(
        _SYNC_URL_JS % {"owned": json.dumps(list(views.GOAL_QUERY_KEYS))},
        Output("goal-url", "data"),
        Input("map-view", "data"),
        Input("series-view", "data"),
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
