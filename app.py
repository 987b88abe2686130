"""Assembles the dashboard: settings → loaded data → pages, callbacks and routes.

`server` is the Flask application for gunicorn (`gunicorn app:server`).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

import brotli
from dash import dash_table
from flask import Flask, Response, request

import callbacks
from dashboard.cache import LRUCache
from dashboard.config import REPO_ROOT, Settings
from dashboard.store import Store
from layouts.pages import register_pages
from layouts.shell import LocalizedDash, app_shell

log = logging.getLogger(__name__)
ASSETS = REPO_ROOT / "assets"
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
    "image/x-icon",
)
#: Files every page loads, whose bytes never change for a URL: Dash's component bundles, our
#: assets, map geometry. Each is compressed once per process, at a far better ratio than
#: Flask-Compress's per-response levels (meant for pages and callbacks), and the result kept.
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/geo/")
#: Brotli 9 compresses the largest Dash bundle in 0.05 s, 13 % smaller than gzip 6. Quality 11
#: is 8 % smaller again but takes seconds per file, so it is used only where the build wrote a
#: brotli-11 copy beside a file (`<file>.br`, e.g. the plotly bundle: 0.34 MB instead of 0.37).
STATIC_BROTLI_QUALITY = 9
STATIC_GZIP_LEVEL = 9
#: About 25 static files × 2 encodings, at most a few hundred KB each.
STATIC_CACHE_SIZE = 64


def compress_static(data: bytes, encoding: str) -> bytes:
    """`data` as brotli or gzip at the levels for files that are compressed once and kept."""
    if encoding == "br":
        return brotli.compress(data, quality=STATIC_BROTLI_QUALITY)
    return gzip.compress(data, STATIC_GZIP_LEVEL, mtime=0)


def static_key(encoding: str, data: bytes) -> tuple[str, bytes]:
    """Cache key of `data` compressed with `encoding`: the content's hash, so never stale."""
    return encoding, hashlib.blake2b(data, digest_size=16).digest()


def seed_precompressed(cache: LRUCache[bytes], folder: Path) -> None:
    """Put the build's brotli-11 copies (`<file>.br`) of files under `folder` into `cache`.

    A copy that does not decompress to the file beside it (left over from an older build) is
    skipped with a warning; that file is then compressed at request time instead.
    """
    for packed in sorted(folder.rglob("*.br")):
        original = packed.with_suffix("")
        data = original.read_bytes() if original.is_file() else None
        compressed = packed.read_bytes()
        if data is None or brotli.decompress(compressed) != data:
            log.warning("%s is not a brotli copy of %s; not used", packed, original.name)
            continue
        cache.put(static_key("br", data), compressed)


def static_compressor(cache: LRUCache[bytes]) -> Callable[[Response], Response]:
    """An `after_request` hook that serves static files from `cache`, compressed once each.

    Registered after Flask-Compress, so it runs first; Flask-Compress then leaves the response
    alone (it already has a Content-Encoding).
    """

    def compress_once(response: Response) -> Response:
        accepted = request.accept_encodings
        encoding = "br" if accepted["br"] else "gzip" if accepted["gzip"] else None
        if (
            encoding is None
            or request.method != "GET"
            or response.status_code != 200
            or not request.path.startswith(STATIC_PREFIXES)
            or response.mimetype not in COMPRESSED_TYPES
            or "Content-Encoding" in response.headers
        ):
            return response
        response.direct_passthrough = False  # a file response: read it into memory
        data = response.get_data()
        key = static_key(encoding, data)
        response.set_data(cache.get_or_make(key, lambda: compress_static(data, encoding)))
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag:  # the compressed bytes are another representation: another validator
            response.set_etag(f"{etag}:{encoding}", weak=weak)
        return response.make_conditional(request)

    return compress_once


def unlink_unused_component_bundles() -> None:
    """No page draws a DataTable, yet Dash links dash_table's bundle on every page.

    Marked dynamic, it is still served if asked for, but no page loads it
    (tests/unit/test_first_page.py checks both: no DataTable in any layout, no script tag).
    """
    for resource in dash_table._js_dist:
        if "async" not in resource:  # async ones are already loaded only on demand
            resource["dynamic"] = True


def create_app(settings: Settings | None = None) -> LocalizedDash:
    settings = settings or Settings.from_env()
    store = Store(settings)
    server = Flask(__name__)
    server.config["SEND_FILE_MAX_AGE_DEFAULT"] = ASSET_MAX_AGE_S
    server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_TYPES)  # read when Dash enables it
    app = LocalizedDash(
        __name__,
        server=server,
        site_url=settings.site_url,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        assets_ignore=r"embed\.(js|css)$",  # the embed page's own (layouts/embed.py)
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
    compressed: LRUCache[bytes] = LRUCache(STATIC_CACHE_SIZE)
    seed_precompressed(compressed, ASSETS)
    server.after_request(static_compressor(compressed))
    unlink_unused_component_bundles()
    app.server.config["NSPS_STORE"] = store
    return app


logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(debug=app.server.config["NSPS_STORE"].settings.debug, port=8050)
