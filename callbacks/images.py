"""Briefing images of a map or a chart: `/image/map.png?goal=&indicator=&level=&year=&size=`,
`/image/series.svg?goal=&indicator=&areas=&size=`, each optionally pinned with `release=`, in
the language of `lang=` (`lo` or `en`; else the browser's, else Lao): every text drawn is in
that language.

A briefing must show exactly what was asked, so a parameter the page would replace by a default
(unknown indicator, year without data …) is answered 400 with a JSON message instead.

Rendering is bounded (`dashboard.render_queue`): one Chromium per instance (per worker without a
runtime folder), a short line per worker, 503 with Retry-After beyond it. Images are cached under
the view they show — release, kind, format, size, language and the resolved selection — so
spellings of one view share one render, and nothing from the request's Host or unknown
parameters enters the key. `HEAD` never renders. When a
release is switched in, the default views' images are rendered ahead in the background.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request

from callbacks.api import LATEST_MAX_AGE, PINNED_MAX_AGE, error_response
from dashboard import api, images, views
from dashboard.api import InvalidQuery
from dashboard.cache import LRUCache
from dashboard.i18n import LANGUAGES, with_language
from dashboard.images import Renderer, RendererUnavailable
from dashboard.queries import Dataset
from dashboard.render_queue import DEFAULT_DEPTH, QueueFull, RenderQueue
from dashboard.store import Store
from dashboard.viewmodels import ChartView, map_view, series_view
from layouts.shell import request_language

log = logging.getLogger(__name__)

PARAMETERS = {
    "map": ("goal", "indicator", "level", "year", "size", "release", "lang"),
    "series": ("goal", "indicator", "areas", "size", "release", "lang"),
}
CACHED_IMAGES = 64
#: Environment: readers' image requests that may wait for a worker's one renderer.
QUEUE_ENV = "NSPS_IMAGE_QUEUE"
#: In the instance's runtime folder: its workers take turns with one renderer.
RENDERER_LOCK = "renderer.lock"
#: What is rendered ahead for each goal when a release is switched in: the lite pages' images.
AHEAD = tuple((kind, lang) for kind in images.KINDS for lang in LANGUAGES)


@dataclass(frozen=True)
class ImageJob:
    """One image, resolved: `key` names exactly what it shows; `figure()` builds it."""

    key: Hashable
    fmt: str
    size: images.ImageSize
    figure: Callable[[], dict[str, Any]]


def _refuse_notices(notices: tuple[str, ...] | list[str]) -> None:
    if notices:
        raise InvalidQuery(" ".join(notices))


def _pinned_path(path: str, pinned: str | None) -> str:
    return path + ("&" if "?" in path else "?") + f"release={pinned}" if pinned else path


def _map_job(
    ds: Dataset, store: Store, values: dict[str, str], lang: str, size: str
) -> tuple[Hashable, Callable[[], ChartView]]:
    goal, notices = views.resolve_goal(ds, values.get("goal"), values.get("indicator"))
    _refuse_notices(notices)
    selection = views.resolve_map_selection(
        ds, goal, values.get("indicator"), values.get("level"), values.get("year")
    )
    _refuse_notices(selection.notices)
    geojson = store.geo.geojson(selection.level)
    if geojson is None:
        raise InvalidQuery(f"No {selection.level} boundaries are installed on this server.")

    def build() -> ChartView:
        view = map_view(ds, goal, selection, lang=lang, layout=size, schematic=store.geo.schematic)
        return dataclasses.replace(view, figure=images.inline_geometry(view.figure, geojson))

    return (goal, selection.indicator_id, selection.level, selection.year), build


def _series_job(
    ds: Dataset, values: dict[str, str], lang: str, size: str
) -> tuple[Hashable, Callable[[], ChartView]]:
    goal, notices = views.resolve_goal(ds, values.get("goal"), values.get("indicator"))
    _refuse_notices(notices)
    selection = views.resolve_series_selection(
        ds, goal, values.get("indicator"), values.get("areas", "")
    )
    if selection is None:
        raise InvalidQuery(f"Goal {goal} has no time series.")
    _refuse_notices(selection.notices)

    def build() -> ChartView:
        return series_view(ds, goal, selection, lang=lang, layout=size)

    return (goal, selection.indicator_id, selection.area_codes), build


def image_job(
    store: Store, ds: Dataset, kind: str, fmt: str, values: dict[str, str], lang: str
) -> ImageJob:
    """Validate and resolve an image request (InvalidQuery → 400) without drawing anything."""
    size_name = values.get("size") or "screen"
    if size_name not in images.SIZES:
        raise InvalidQuery(f"Unknown size {size_name!r}; use one of: {', '.join(images.SIZES)}.")
    pinned = values.get("release") or None
    if kind == "map":
        view_key, build = _map_job(ds, store, values, lang, size_name)
    else:
        view_key, build = _series_job(ds, values, lang, size_name)
    size = images.SIZES[size_name]
    site = store.settings.site_url

    def figure() -> dict[str, Any]:
        view = build()
        link = site + with_language(_pinned_path(view.page_path, pinned), lang)
        frame = images.frame_for(
            view.rows, view.title, view.subtitle, ds.release.release_id, link, lang=lang
        )
        return images.briefing_figure(view.figure, frame, size)

    key = (ds.release.release_id, pinned is not None, kind, fmt, size_name, lang, view_key)
    return ImageJob(key, fmt, size, figure)


def _language(values: dict[str, str]) -> str:
    given = values.get("lang")
    if given and given not in LANGUAGES:
        raise InvalidQuery(f"Unknown language {given!r}; use one of: {', '.join(LANGUAGES)}.")
    return request_language(given)


def register(
    server: Flask,
    store: Store,
    renderer: Renderer | None = None,
    queue: RenderQueue | None = None,
) -> None:
    renderer = renderer or Renderer()
    runtime = store.settings.runtime_dir
    queue = queue or RenderQueue(
        int(os.environ.get(QUEUE_ENV, DEFAULT_DEPTH)),
        lock_file=None if runtime is None else runtime / RENDERER_LOCK,
    )
    cache: LRUCache[bytes] = LRUCache(CACHED_IMAGES)

    def rendered(job: ImageJob, *, background: bool = False) -> bytes:
        def render() -> bytes:
            found = cache.get(job.key)  # finished while this one waited
            if found is None:
                found = renderer.render(job.figure(), job.fmt, job.size)
                cache.put(job.key, found)
            return found

        return cache.get(job.key) or queue.run(job.key, render, background=background)

    def render_ahead(ds: Dataset) -> None:
        """The default view of each goal, in each language, as the lite pages show them."""
        for goal in views.GOAL_IDS:
            for kind, lang in AHEAD:
                if store.dataset is not ds:
                    return  # another release was switched in meanwhile
                try:
                    job = image_job(store, ds, kind, "png", {"goal": goal}, lang)
                    rendered(job, background=True)
                except (InvalidQuery, RendererUnavailable) as error:
                    log.info("image of goal %s %s not rendered ahead: %s", goal, kind, error)

    def start_rendering_ahead(ds: Dataset) -> None:
        if renderer.available:
            threading.Thread(
                target=render_ahead, args=(ds,), name="nsps-images", daemon=True
            ).start()

    store.on_switch(start_rendering_ahead)

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
            lang = _language(values)
            try:
                ds = store.dataset_for(values.get("release") or None)
            except KeyError:
                raise LookupError(f"Unknown release {values.get('release')!r}.") from None
            job = image_job(store, ds, kind, fmt, values, lang)
            # HEAD asks for headers only: it never starts a renderer.
            data = cache.get(job.key) if request.method == "HEAD" else rendered(job)
        except InvalidQuery as error:
            return error_response(400, str(error))
        except LookupError as error:
            return error_response(404, str(error))
        except QueueFull as error:
            response = error_response(503, str(error))
            response.headers["Retry-After"] = str(error.retry_after_s)
            return response
        except RendererUnavailable as error:
            return error_response(503, str(error))
        response = Response(data or b"", mimetype=images.FORMATS[fmt])
        if data is None:
            response.headers.remove("Content-Length")  # unknown until rendered
        name = f"nsps-{kind}-{values.get('indicator') or 'default'}.{fmt}"
        response.headers["Content-Disposition"] = f'inline; filename="{name}"'
        max_age = PINNED_MAX_AGE if values.get("release") else LATEST_MAX_AGE
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        if not values.get("lang"):  # the language came from the browser's preferences
            response.headers["Vary"] = "Accept-Language"
        return response
