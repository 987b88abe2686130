"""`/api/v1/views/map`: a map view's data for every year, as a cacheable GET.

The document depends only on its address and the release, so it carries an ETag and, pinned to
a release (`release=`), a year-long immutable Cache-Control: browsers, `deploy/nginx.conf`'s
proxy cache or any CDN answer repeated views without reaching Python. Following the latest
release it is cached for five minutes. Built once per process per address (`PerOwnerCache`).
"""

from __future__ import annotations

import json

from flask import Flask, Response, request

from callbacks.api import LATEST_MAX_AGE, cached_response, error_response
from dashboard import api, viewdata
from dashboard.api import API_PREFIX, InvalidQuery
from dashboard.cache import PerOwnerCache
from dashboard.i18n import LANGUAGES
from dashboard.store import Store

VIEW_DATA_PATH = f"{API_PREFIX}/views/map"
PARAMETERS = ("goal", "indicator", "level", "lang", "release")
#: A release never changes once published: a pinned view is cached for a year.
PINNED_MAX_AGE = 365 * 86400
#: Documents kept per process and release (a district view is about 350 KB before compression).
CACHED_VIEWS = 48

_documents: PerOwnerCache[bytes] = PerOwnerCache(CACHED_VIEWS)


def register(server: Flask, store: Store) -> None:
    @server.get(VIEW_DATA_PATH)
    def map_view_data() -> Response:
        try:
            values = api.single_values(request.path, PARAMETERS, request.args.to_dict(flat=False))
            missing = [name for name in ("goal", "indicator", "level") if not values.get(name)]
            if missing:
                raise InvalidQuery(f"Missing parameter(s) {', '.join(missing)}.")
            lang = values.get("lang") or "lo"
            if lang not in LANGUAGES:
                raise InvalidQuery(f"Unknown language {lang!r}; accepted: {', '.join(LANGUAGES)}.")
            release = values.get("release") or None
            try:
                ds = store.dataset_for(release)
            except KeyError:
                return error_response(404, f"Unknown release {release!r}.")
            key = (values["goal"], values["indicator"], values["level"], lang, store.geo.schematic)

            def build() -> bytes:
                document = viewdata.map_view_data(
                    ds,
                    values["goal"],
                    indicator=values["indicator"],
                    level=values["level"],
                    lang=lang,
                    schematic=store.geo.schematic,
                )
                return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

            data = _documents.get_or_make(ds, key, build)
        except (InvalidQuery, viewdata.UnknownView) as error:
            return error_response(400, str(error))
        response = cached_response(data, "application/json", pinned=release is not None)
        max_age = PINNED_MAX_AGE if release else LATEST_MAX_AGE
        immutable = ", immutable" if release else ""
        response.headers["Cache-Control"] = f"public, max-age={max_age}{immutable}"
        return response
