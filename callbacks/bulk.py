"""The per-release zip at a stable URL: `/download/nsps-<release id>.zip`, and `-latest`.

A release never changes once published, so its zip is built once per process and cached;
`nsps-latest.zip` redirects to the zip of the release being served. Links inside it (README,
CITATION) use the canonical site address (NSPS_SITE_URL), never the request's Host header.
"""

from __future__ import annotations

from flask import Flask, Response, redirect

from callbacks.api import PINNED_MAX_AGE, cached_response, error_response
from dashboard import bundle
from dashboard.cache import LRUCache
from dashboard.store import Store

#: Zips kept in memory per process; each is about 1 MB.
CACHED_ZIPS = 8


def register(server: Flask, store: Store) -> None:
    cache: LRUCache[bytes] = LRUCache(CACHED_ZIPS)

    def zip_bytes(release_id: str) -> bytes:
        return cache.get_or_make(
            release_id,
            lambda: bundle.bundle_zip(
                store.dataset_for(release_id), store.settings.site_url, store.settings.publisher
            ),
        )

    @server.get("/download/nsps-<release_id>.zip")
    def release_zip(release_id: str) -> Response:
        if release_id == bundle.LATEST:
            target = bundle.zip_path(store.dataset.release.release_id)
            response = redirect(target, code=302)
            response.headers["Cache-Control"] = "public, max-age=300"
            return response
        try:  # a release whose files fail their checks raises ReleaseUnavailable: 503
            data = zip_bytes(release_id)
        except KeyError:
            return error_response(404, f"No published release {release_id!r}.")
        response = cached_response(data, "application/zip", pinned=True)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{bundle.zip_name(release_id)}"'
        )
        response.headers["Cache-Control"] = f"public, max-age={PINNED_MAX_AGE}, immutable"
        return response
