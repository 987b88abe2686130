"""Wiring of the goal pages: controls → view models → figure patches, summaries, links, context.

Every callback reads the page's language from `State("page-lang", "data")` and hands it on.

A year change on the map is the browser's alone (`assets/viewdata.js`): it fetches the map's
view data once (`callbacks.viewdata`) and places each year's figure changes and frame parts, with
no request; the server redraws only when a decision needs it (indicator, level, width class,
area). The play button steps through the years on the same path.

Every view is a URL: each chart's callback also returns its share state (`views.map_share_state`,
`views.series_share_state`, built in Python), and a browser-side callback rewrites the address
bar from those states with `history.replaceState`: no reload, no new history entry, no Dash
Pages re-render. Query keys the goal page does not own are kept, and `lang=` always names the
language shown, so the address bar, the share dialogs and the language switch all keep it.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import queries, views
from dashboard.figure_layouts import PAGE_LAYOUTS, layout_named
from dashboard.figures import apply_properties
from dashboard.i18n import LANGUAGES
from dashboard.store import Store
from dashboard.viewdata import map_view_data_url
from dashboard.viewmodels import map_view, series_view
from layouts.components import notices
from layouts.frame import footer_children, sources_children, title_children
from layouts.goal import (
    area_compares,
    area_options,
    area_value,
    chosen_area,
    level_options,
    map_frame_parts,
    map_notes,
    map_table,
    series_downloads,
    series_progress,
    series_table,
    year_slider_props,
)
from layouts.goal.series import graph_style

#: The goal page's frame (`layouts.frame.chart_frame("goal", …)`): its id prefix.
FRAME = "goal"

#: Share dialogs: component id prefix → the store holding the chart's share state.
SHARED_CHARTS = {"map": "map-view", "series": "series-view"}
#: Charts whose controls become an off-canvas panel on phones (`layouts.components.filters_panel`).
FILTERED_CHARTS = ("map", "series")


def _shown_level(shown: object) -> str | None:
    query = shown.get("query") if isinstance(shown, dict) else None
    return query.get("level") if isinstance(query, dict) else None


def _width_class(layout: object) -> str:
    """The width class a frame reported (`assets/frame.js`), if it is one; else desktop."""
    return layout if isinstance(layout, str) and layout in PAGE_LAYOUTS else "desktop"


def register(app: Dash, store: Store) -> None:
    @app.callback(
        Output("map-year", "min"),
        Output("map-year", "max"),
        Output("map-year", "marks"),
        Output("map-year", "disabled"),
        Output("map-level", "options"),
        Output("map-play", "disabled"),
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        State("goal-id", "data"),
        State("page-lang", "data"),
        prevent_initial_call=True,
    )
    def update_year_slider(indicator_id, level, goal, lang):
        """The slider's range and marks follow the years of the new indicator and level (its
        value is set by `update_map`, which decides the year shown); the level switch offers
        only the levels with figures for the indicator."""
        if goal not in views.GOAL_IDS:
            raise PreventUpdate
        ds = store.dataset
        selection = views.resolve_map_selection(ds, goal, indicator_id, level)
        props = year_slider_props(selection)
        options = level_options(ds, selection.indicator_id, lang=lang)
        disabled = props["disabled"]
        return props["min"], props["max"], props["marks"], disabled, options, disabled

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
        Output("map-heading", "children"),
        Output("map-subtitle", "children"),
        Output("map-footer", "children"),
        Output("map-sources", "children"),
        Output("map-level", "value"),
        Output("map-area-text", "children"),
        Output("map-view-data", "data"),
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        Input("map-area", "value"),
        Input(f"{FRAME}-layout", "data"),
        State("map-year", "value"),
        State("goal-id", "data"),
        State("map-view", "data"),
        State("page-lang", "data"),
        State("map-table-toggle", "n_clicks"),
        prevent_initial_call=True,
    )
    def update_map(indicator_id, level, area, layout, year, goal, shown, lang, table_opened):
        """Send only what changed: values, colours, labels and the outline of the chosen area.
        Geometry stays in the browser.

        The year is only read here: the browser changes it (`changeMapYear`). A new indicator
        or level keeps the year if it has data, else shows its latest, and the slider is set to
        the year shown. Choosing an area only moves its outline and its text; a new level
        offers that level's areas (and forgets an area of the other). A new width class of the
        frame (`layout`) redraws the figure for it.
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
        # the chosen area outlined and zoomed to (its shape's bounds), or the whole country
        bounds = store.geo.bounds(selection.level, area_code or "")
        highlight = views.map_highlight(ds, selection, area_code, bounds)
        described = area_value(ds, selection, area_code, lang=lang)
        if ctx.triggered_id == "map-area":
            unchanged = [no_update] * 14  # everything but the outline and the area's text
            return apply_properties(Patch(), highlight), *unchanged, described, no_update
        layout = _width_class(layout)
        view = map_view(
            ds, goal, selection, lang=lang, layout=layout, schematic=store.geo.schematic
        )
        level_changed = selection.level != _shown_level(shown)
        patch = apply_properties(
            Patch(),
            {
                **views.map_update(
                    ds,
                    selection,
                    store.geo.schematic,
                    lang=lang,
                    shown=shown,
                    layout=layout_named(layout),
                ),
                **highlight,
            },
        )
        if ctx.triggered_id == f"{FRAME}-layout":  # the frame's width class changed: redraw
            # the whole figure: another layout's properties must not linger in a patch
            figure = apply_properties(view.figure, highlight)
            return figure, *[no_update] * 4, view.share, *[no_update] * 10, map_view_data_url(view)
        parts = map_frame_parts(store, view, FRAME)
        return (
            patch,
            map_notes(store, view, lang=lang),
            map_table(store, selection, lang=lang) if table_opened else no_update,
            parts["downloads"],
            notices(view.notices, lang=lang),
            view.share,
            selection.year if selection.year != year else no_update,
            view.summary,
            area_options(ds, selection.level, lang=lang) if level_changed else no_update,
            area_code if area_code != area else no_update,
            parts["heading"],
            view.subtitle,
            parts["footer"],
            parts["sources"],
            selection.level if selection.level != level else no_update,
            described,
            map_view_data_url(view),
        )

    def shown_selection(shown: object, goal: str, lang: str) -> views.MapSelection:
        """The selection a map shows, from its share state (`map-view`), which the browser
        keeps in step with the year it shows."""
        query = shown.get("query") if isinstance(shown, dict) else None
        query = query if isinstance(query, dict) else {}
        return views.resolve_map_selection(
            store.dataset,
            goal,
            query.get("indicator"),
            query.get("level"),
            query.get("year"),
            lang=lang,
        )

    # A year change in the browser (`changeMapYear`), no request: the figure's values, its share
    # state and every text of the frame that follows the year come from the view data.
    app.clientside_callback(
        ClientsideFunction("nsps", "changeMapYear"),
        Output("map-graph", "figure", allow_duplicate=True),
        Output("map-view", "data", allow_duplicate=True),
        Output("map-year", "value", allow_duplicate=True),
        Output("map-summary", "children", allow_duplicate=True),
        Output("map-heading", "children", allow_duplicate=True),
        Output("map-subtitle", "children", allow_duplicate=True),
        Output("map-footer", "children", allow_duplicate=True),
        Output("map-sources", "children", allow_duplicate=True),
        Output("map-downloads", "children", allow_duplicate=True),
        Output("map-notices", "children", allow_duplicate=True),
        Output("map-table", "children", allow_duplicate=True),
        Output("map-area-text", "data-year"),
        Input("map-year", "value"),
        State("map-view-data", "data"),
        State("map-view", "data"),
        State("map-area", "value"),
        State("map-notices", "children"),
        State("map-table", "children"),
        prevent_initial_call=True,
    )
    # The view data of the map as drawn, fetched once it is drawn (and after every server
    # redraw, which names a new address), so that even the first year change costs no request.
    app.clientside_callback(
        ClientsideFunction("nsps", "prefetchMapYears"),
        Output("map-view-data", "data", allow_duplicate=True),
        Input("map-view-data", "data"),
        prevent_initial_call="initial_duplicate",
    )

    @app.callback(
        Output("map-graph", "figure", allow_duplicate=True),
        Output("map-area-text", "children", allow_duplicate=True),
        Input("map-area-text", "data-year"),
        State("map-area", "value"),
        State("map-view", "data"),
        State("goal-id", "data"),
        State("page-lang", "data"),
        prevent_initial_call=True,
    )
    def follow_area_year(_year, area, shown, goal, lang):
        """A year changed in the browser while an area is chosen: that area's outline (it may
        have moved to the "no data" trace) and its value in words, for the year now shown. The
        browser asks for it only when an area is chosen."""
        if goal not in views.GOAL_IDS:
            raise PreventUpdate
        ds = store.dataset
        selection = shown_selection(shown, goal, lang)
        area_code = chosen_area(ds, selection.level, area)
        if area_code is None:
            raise PreventUpdate
        bounds = store.geo.bounds(selection.level, area_code)
        highlight = views.map_highlight(ds, selection, area_code, bounds)
        return (
            apply_properties(Patch(), highlight),
            area_value(ds, selection, area_code, lang=lang),
        )

    app.clientside_callback(
        ClientsideFunction("nsps", "togglePlay"),
        Output("map-play-timer", "disabled"),
        Output("map-play", "aria-pressed"),
        Output("map-year", "value", allow_duplicate=True),
        Input("map-play", "n_clicks"),
        Input("map-indicator", "value"),
        Input("map-level", "value"),
        State("map-play", "aria-pressed"),
        State("map-year", "value"),
        State("map-year", "marks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("nsps", "playStep"),
        Output("map-play-timer", "disabled", allow_duplicate=True),
        Output("map-play", "aria-pressed", allow_duplicate=True),
        Output("map-year", "value", allow_duplicate=True),
        Input("map-play-timer", "n_intervals"),
        State("map-year", "value"),
        State("map-year", "marks"),
        prevent_initial_call=True,
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
        """The map's values as a table, built each time the reader opens its tab (`update_map`
        keeps an opened one in step; a year change in the browser drops it): a map update
        does not pay for 148 rows nobody reads."""
        if not opened or goal not in views.GOAL_IDS or not isinstance(shown, dict):
            raise PreventUpdate
        return map_table(store, shown_selection(shown, goal, lang), lang=lang)

    # "Whole country": shown while an area is chosen; pressed, it clears the area, and
    # `update_map` zooms back out.
    app.clientside_callback(
        ClientsideFunction("nsps", "wholeCountry"),
        Output("map-area", "value", allow_duplicate=True),
        Input("map-whole-country", "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("nsps", "hiddenWithout"),
        Output("map-whole-country", "hidden"),
        Input("map-area", "value"),
    )

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
        Output("series-graph", "style"),
        Output("series-downloads", "children"),
        Output("series-notices", "children"),
        Output("series-progress", "children"),
        Output("series-view", "data"),
        Output("series-summary", "children"),
        Output("series-table", "children"),
        Output("series-heading", "children"),
        Output("series-subtitle", "children"),
        Output("series-footer", "children"),
        Output("series-sources", "children"),
        Input("series-indicator", "value"),
        Input("series-areas", "value"),
        Input(f"{FRAME}-layout", "data"),
        State("goal-id", "data"),
        State("page-lang", "data"),
        prevent_initial_call=True,
    )
    def update_series(indicator_id, areas, layout, goal, lang):
        ds = store.dataset
        if goal not in views.GOAL_IDS:
            raise PreventUpdate
        selection = views.resolve_series_selection(ds, goal, indicator_id, areas, lang=lang)
        if selection is None:
            raise PreventUpdate
        view = series_view(ds, goal, selection, lang=lang, layout=_width_class(layout))
        style = graph_style(view.figure)
        if ctx.triggered_id == f"{FRAME}-layout":  # the frame's width class changed: redraw
            return view.figure, style, *[no_update] * 10
        return (
            view.figure,
            style,
            series_downloads(view),
            notices(view.notices, lang=lang),
            series_progress(ds, selection.indicator_id, lang=lang),
            view.share,
            view.summary,
            series_table(ds, selection, lang=lang),
            title_children(view),
            view.subtitle,
            footer_children(view, FRAME),
            sources_children(view),
        )

    app.clientside_callback(
        ClientsideFunction("nsps", "syncUrl"),
        Output("goal-url", "data"),
        Input("map-view", "data"),
        Input("series-view", "data"),
        State("page-lang", "data"),
        State("goal-query-keys", "data"),
    )

    # The switch shows only the languages other than the page's: a link absent from the page
    # has no callback to run.
    for lang in LANGUAGES:
        app.clientside_callback(
            ClientsideFunction("nsps", "switchLanguage"),
            Output(f"language-switch-{lang}", "href"),
            Input("goal-url", "data"),
            prevent_initial_call=True,
        )

    app.clientside_callback(
        ClientsideFunction("nsps", "labelSlider"),
        Output("map-year-label", "title"),
        Input("map-year", "max"),
    )

    for prefix, view_store in SHARED_CHARTS.items():
        app.clientside_callback(
            ClientsideFunction("nsps", "share"),
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
            ClientsideFunction("nsps", "filters"),
            Output(f"{prefix}-filters", "className"),
            Output(f"{prefix}-filters-open", "aria-expanded"),
            Input(f"{prefix}-filters-open", "n_clicks"),
            Input(f"{prefix}-filters-close", "n_clicks"),
            prevent_initial_call=True,
        )

    @app.callback(
        Output("home-map-graph", "figure"),
        Input("home-layout", "data"),
        State("page-lang", "data"),
        prevent_initial_call=True,
    )
    def redraw_home_map(layout, lang):
        """The home page's map, drawn again for its frame's width class (a phone's legend
        goes under the map)."""
        ds = store.dataset
        indicator_id = queries.national_map_indicator(ds)
        if indicator_id is None or lang not in LANGUAGES:
            raise PreventUpdate
        goal, _notices = views.resolve_goal(ds, None, indicator_id)
        selection = views.resolve_map_selection(ds, goal, indicator_id, "province", lang=lang)
        view = map_view(
            ds,
            goal,
            selection,
            lang=lang,
            layout=_width_class(layout),
            schematic=store.geo.schematic,
        )
        return view.figure

    @app.callback(
        Output("navbar-collapse", "is_open"),
        Input("navbar-toggler", "n_clicks"),
        State("navbar-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_navbar(_clicks, is_open):
        return not is_open
