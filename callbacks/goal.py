"""Wiring of the goal pages: controls → view models → figure patches, links and context."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State

from dashboard import views
from dashboard.figures import apply_properties
from dashboard.store import Store
from layouts.components import notices
from layouts.goal import map_context, map_table, year_slider_props


def register(app: Dash, store: Store) -> None:
    @app.callback(
        Output("map-year", "min"),
        Output("map-year", "max"),
        Output("map-year", "marks"),
        Output("map-year", "value"),
        Output("map-year", "disabled"),
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        State("map-year", "value"),
        State("goal-id", "data"),
        prevent_initial_call=True,
    )
    def update_year_slider(indicator_id, level, year, goal):
        """Keep the chosen year when the new indicator or level has it, else its latest year."""
        ds = store.dataset
        selection = views.resolve_map_selection(ds, goal, indicator_id, level)
        if year in selection.years:
            selection = views.resolve_map_selection(ds, goal, indicator_id, level, year)
        props = year_slider_props(selection)
        return props["min"], props["max"], props["marks"], props["value"], props["disabled"]

    @app.callback(
        Output("map-graph", "figure"),
        Output("map-context", "children"),
        Output("map-table", "children"),
        Output("map-download", "href"),
        Output("map-notices", "children"),
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        Input("map-year", "value"),
        State("goal-id", "data"),
        prevent_initial_call=True,
    )
    def update_map(indicator_id, level, year, goal):
        """Send only what changed: values, colours and labels. Geometry stays in the browser."""
        ds = store.dataset
        selection = views.resolve_map_selection(ds, goal, indicator_id, level, year)
        patch = apply_properties(Patch(), views.map_update(ds, selection, store.geo.schematic))
        return (
            patch,
            map_context(store, selection),
            map_table(store, selection),
            views.map_csv_url(selection),
            notices(selection.notices),
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
        Output("series-download", "href"),
        Input("series-indicator", "value"),
        Input("series-areas", "value"),
        prevent_initial_call=True,
    )
    def update_series(indicator_id, areas):
        ds = store.dataset
        codes = views.series_area_codes(ds, areas)
        return views.series_figure(ds, indicator_id, codes), views.series_csv_url(
            indicator_id, codes
        )

    @app.callback(
        Output("navbar-collapse", "is_open"),
        Input("navbar-toggler", "n_clicks"),
        State("navbar-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_navbar(_clicks, is_open):
        return not is_open
