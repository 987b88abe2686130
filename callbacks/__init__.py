"""Wiring only: Dash callbacks and Flask routes that connect requests to queries and figures."""

from __future__ import annotations

from dash import Dash

from callbacks import goal, routes
from dashboard.store import Store


def register(app: Dash, store: Store) -> None:
    goal.register(app, store)
    routes.register(app.server, store)
