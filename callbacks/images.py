"""Briefing images of a map or a chart: `/image/map.png?goal=&indicator=&level=&year=&size=`,
`/image/series.svg?goal=&indicator=&areas=&size=`, each optionally pinned with `release=`, in
the language of `lang=` (else the browser's, else Lao): every text drawn is in that language.

A briefing must show exactly what was asked, so a parameter the page would replace by a default
(unknown indicator, year without data …) is answered 400 with a JSON message instead.
"""

from __future__ import annotations

import dataclasses

from flask import Flask, Response, request

from callbacks.api import LATEST_MAX_AGE, PINNED_MAX_AGE, error_response
from dashboard import api, images, views
from dashboard.api import InvalidQuery
from dashboard.cache import LRUCache
from dashboard.i18n import with_language
from dashboard.images import Renderer, RendererUnavailable
from dashboard.queries import Dataset
from dashboard.store import Store
from dashboard.viewmodels import ChartView, map_view, series_view
from layouts.shell import request_language

PARAMETERS = {
    "map": ("goal", "indicator", "level", "year", "size", "release", "lang"),
    "series": ("goal", "indicator", "areas", "size", "release", "lang"),
}
CACHED_IMAGES = 64


def _refuse_notices(notices: tuple[str, ...] | list[str]) -> None:
    if notices:
        raise InvalidQuery(" ".join(notices))


def _map_view(ds: Dataset, store: Store, values: dict[str, str], lang: str, size: str) -> ChartView:
    goal, notices = views.resolve_goal(ds, values.get("goal"), values.get("indicator"))
    _refuse_notices(notices)
    selection = views.resolve_map_selection(
        ds, goal, values.get("indicator"), values.get("level"), values.get("year")
    )
    _refuse_notices(selection.notices)
    geojson = store.geo.geojson(selection.level)
    if geojson is None:
        raise InvalidQuery(f"No {selection.level} boundaries are installed on this server.")
    view = map_view(ds, goal, selection, lang=lang, layout=size, schematic=store.geo.schematic)
    return dataclasses.replace(view, figure=images.inline_geometry(view.figure, geojson))


def _series_view(ds: Dataset, values: dict[str, str], lang: str, size: str) -> ChartView:
    goal, notices = views.resolve_goal(ds, values.get("goal"), values.get("indicator"))
    _refuse_notices(notices)
    selection = views.resolve_series_selection(
        ds, goal, values.get("indicator"), values.get("areas", "")
    )
    if selection is None:
        raise InvalidQuery(f"Goal {goal} has no time series.")
    _refuse_notices(selection.notices)
    return series_view(ds, goal, selection, lang=lang, layout=size)


def register(server: Flask, store: Store, renderer: Renderer | None = None) -> None:
    renderer = renderer or Renderer()
    cache: LRUCache[bytes] = LRUCache(CACHED_IMAGES)

    def image(kind: str, fmt: str, values: dict[str, str], site: str, lang: str) -> bytes:
        size_name = values.get("size") or "screen"
        if size_name not in images.SIZES:
            sizes = ", ".join(images.SIZES)
            raise InvalidQuery(f"Unknown size {size_name!r}; use one of: {sizes}.")
        release_id = values.get("release") or None
        try:
            ds = store.dataset_for(release_id)
        except KeyError:
            raise LookupError(f"Unknown release {release_id!r}.") from None
        key = (ds.release.release_id, kind, fmt, site, lang, tuple(sorted(values.items())))
        return cache.get_or_make(key, lambda: render(ds, kind, fmt, values, site, size_name, lang))

    def render(
        ds: Dataset,
        kind: str,
        fmt: str,
        values: dict[str, str],
        site: str,
        size_name: str,
        lang: str,
    ) -> bytes:
        release_id = values.get("release") or None
        view = (
            _map_view(ds, store, values, lang, size_name)
            if kind == "map"
            else _series_view(ds, values, lang, size_name)
        )
        path = view.page_path
        if release_id:
            path += ("&" if "?" in path else "?") + f"release={release_id}"
        frame = images.frame_for(
            view.rows,
            view.title,
            view.subtitle,
            ds.release.release_id,
            site + with_language(path, lang),
            lang=lang,
        )
        size = images.SIZES[size_name]
        return renderer.render(images.briefing_figure(view.figure, frame, size), fmt, size)

    @server.get("/image/<kind>.<fmt>")
    def briefing_image(kind: str, fmt: str) -> Response:
        if kind not in images.KINDS or fmt not in images.FORMATS:
            return error_response(
                404,
                f"No image {kind}.{fmt}; use /image/map.png, /image/map.svg, /image/series.png "
                "or /image/series.svg.",
            )
        try:
            values = api.single_values(
                request.path, PARAMETERS[kind], request.args.to_dict(flat=False)
            )
            lang = request_language(values.get("lang"))
            data = image(kind, fmt, values, request.host_url.rstrip("/"), lang)
        except InvalidQuery as error:
            return error_response(400, str(error))
        except LookupError as error:
            return error_response(404, str(error))
        except RendererUnavailable as error:
            return error_response(503, str(error))
        response = Response(data, mimetype=images.FORMATS[fmt])
        name = f"nsps-{kind}-{values.get('indicator') or 'default'}.{fmt}"
        response.headers["Content-Disposition"] = f'inline; filename="{name}"'
        max_age = PINNED_MAX_AGE if values.get("release") else LATEST_MAX_AGE
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        if not values.get("lang"):  # the language came from the browser's preferences
            response.headers["Vary"] = "Accept-Language"
        return response
