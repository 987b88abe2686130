"""Callbacks of the progress page: its status map drawn for its frame's width class."""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import views
from dashboard.figure_layouts import PAGE_LAYOUTS
from dashboard.i18n import LANGUAGES
from dashboard.store import Store
from dashboard.viewmodels import status_view
from layouts.progress import STATUS_FRAME


def register(app: Dash, store: Store) -> None:
    @app.callback(
        Output("status-map-graph", "figure"),
        Input(f"{STATUS_FRAME}-layout", "data"),
        State("status-indicator", "data"),
        State("page-lang", "data"),
        prevent_initial_call=True,
    )
    def redraw_status_map(layout, indicator_id, lang):
        """The status map drawn again for its frame's width class (a phone's legend goes
        under the map)."""
        ds = store.dataset
        if indicator_id not in views.status_indicator_ids(ds) or lang not in LANGUAGES:
            raise PreventUpdate
        layout = layout if layout in PAGE_LAYOUTS else "desktop"
        schematic = store.geo.schematic
        return status_view(ds, indicator_id, lang=lang, layout=layout, schematic=schematic).figure
