"""A Flask server with the API, bulk and image routes over the configured store (unit tests)."""

from __future__ import annotations

from functools import cache

from flask import Flask

from callbacks import api, bulk, images, routes, viewdata
from dashboard.config import Settings
from dashboard.store import Store


@cache
def make_server() -> tuple[Flask, Store]:
    """Built once per test session: loading the boundaries takes seconds."""
    store = Store(Settings.from_env())
    server = Flask("nsps-test")
    routes.register(server, store)
    api.register(server, store)
    viewdata.register(server, store)
    bulk.register(server, store)
    images.register(server, store)
    return server, store
