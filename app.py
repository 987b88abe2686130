"""Assembles the dashboard: settings → loaded data → pages, callbacks and routes.

`server` is the Flask application for gunicorn (`gunicorn app:server`).
"""

from __future__ import annotations

import logging

from dash import Dash

import callbacks
from dashboard.config import REPO_ROOT, Settings
from dashboard.store import Store
from layouts.pages import register_pages
from layouts.shell import app_shell


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings.from_env()
    store = Store(settings)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(REPO_ROOT / "assets"),
        serve_locally=True,
        compress=True,
        title="NSPS Lao PDR — social protection dashboard",
        update_title=None,
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    register_pages(store)
    app.layout = app_shell(store)
    callbacks.register(app, store)
    app.server.config["NSPS_STORE"] = store
    return app


logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(debug=app.server.config["NSPS_STORE"].settings.debug, port=8050)
