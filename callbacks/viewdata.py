"""`/api/v1/views/map`: a map view's data for every year, as a cacheable GET.

The document depends only on its address and the release, so it carries an ETag and, pinned to
a release (`release=`), a year-long immutable Cache-Control: browsers, `deploy/nginx.conf`'s
proxy cache or any CDN answer repeated views without reaching Python. Following the latest
release it is cached for five minutes. Built once per process per address (`PerOwnerCache`).

`layout=` names the width class the page drew its map for (`dashboard.figure_layouts`), and each
year carries the goal frame's parts (`frame`: heading, footer, Sources tab, downloads, as Dash
components), so the goal page changes years in the browser (`assets/viewdata.js`).
"""

from __future__ import annotations

import json

from flask import Flask, Response, request
from plotly.utils import PlotlyJSONEncoder

from callbacks.api import LATEST_MAX_AGE, cached_response, error_response
from callbacks.goal import FRAME
from dashboard import api, viewdata
from dashboard.api import InvalidQuery
from dashboard.cache import PerOwnerCache
from dashboard.figure_layouts import PAGE_LAYOUTS
from dashboard.i18n import LANGUAGES
from dashboard.store import Store
from layouts.goal import map_frame_parts

VIEW_DATA_PATH = viewdata.VIEW_DATA_PATH
PARAMETERS = ("goal", "indicator", "level", "lang", "layout", "release")
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
            layout = values.get("layout") or None
            if layout is not None and layout not in PAGE_LAYOUTS:
                raise InvalidQuery(
                    f"Unknown layout {layout!r}; accepted: {', '.join(PAGE_LAYOUTS)}."
                )
            release = values.get("release") or None
            try:
                ds = store.dataset_for(release)
            except KeyError:
                return error_response(404, f"Unknown release {release!r}.")
            key = (
                values["goal"],
                values["indicator"],
                values["level"],
                lang,
                layout,
                store.geo.schematic,
            )

            def build() -> bytes:
                document = viewdata.map_view_data(
                    ds,
                    values["goal"],
                    indicator=values["indicator"],
                    level=values["level"],
                    lang=lang,
                    schematic=store.geo.schematic,
                    layout=layout,
                    parts=lambda view: {"frame": map_frame_parts(store, view, FRAME)},
                )
                return json.dumps(
                    document, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":")
                ).encode()

            data = _documents.get_or_make(ds, key, build)
        except (InvalidQuery, viewdata.UnknownView) as error:
            return error_response(400, str(error))
        response = cached_response(data, "application/json", pinned=release is not None)
        max_age = PINNED_MAX_AGE if release else LATEST_MAX_AGE
        immutable = ", immutable" if release else ""
        response.headers["Cache-Control"] = f"public, max-age={max_age}{immutable}"
        return response
