"""Wiring only: Dash callbacks and Flask routes that connect requests to queries and figures."""

from __future__ import annotations

from dash import Dash

from callbacks import (
    api,
    bulk,
    embed,
    goal,
    images,
    lite,
    progress,
    releases,
    routes,
    security,
    viewdata,
)
from dashboard.store import Store


def register(app: Dash, store: Store) -> None:
    goal.register(app, store)
    progress.register(app, store)
    embed.register(app.server, store)
    routes.register(app.server, store)
    api.register(app.server, store)
    viewdata.register(app.server, store)
    bulk.register(app.server, store)
    images.register(app.server, store)
    releases.register(app.server, store)
    lite.register(app.server, store)
    security.register(app, store)
