"""Assembles the dashboard: settings → loaded data → pages, callbacks and routes.

`server` is the Flask application for gunicorn (`gunicorn app:server`).
"""

from __future__ import annotations

import logging

from flask import Flask

import callbacks
from dashboard.config import REPO_ROOT, Settings
from dashboard.store import Store
from layouts.pages import register_pages
from layouts.shell import LocalizedDash, app_shell

#: Asset URLs carry the file's modification time (`?m=`), so browsers may keep them a year.
ASSET_MAX_AGE_S = 365 * 24 * 3600
#: What Flask-Compress compresses: its defaults for what this app serves, plus map geometry.
COMPRESSED_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
)


def create_app(settings: Settings | None = None) -> LocalizedDash:
    settings = settings or Settings.from_env()
    store = Store(settings)
    server = Flask(__name__)
    server.config["SEND_FILE_MAX_AGE_DEFAULT"] = ASSET_MAX_AGE_S
    server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_TYPES)  # read when Dash enables it
    app = LocalizedDash(
        __name__,
        server=server,
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
    app.layout = app_shell()
    callbacks.register(app, store)
    app.server.config["NSPS_STORE"] = store
    return app


logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(debug=app.server.config["NSPS_STORE"].settings.debug, port=8050)
