"""Flask routes of the embeds: `/embed/map` and `/embed/series`, one chart each, no chrome.

`release=` pins an embed to a published release (`store.dataset_for`); without it the embed
follows the release being served. Invalid or unknown parameters fall back to the defaults with a
visible notice; only an unknown release is an error (404), since showing other data than the one
a briefing names would be wrong. `lang=` chooses the language (else the browser's, else Lao),
and the link back to the dashboard keeps it.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

from dashboard import views
from dashboard.config import REPO_ROOT
from dashboard.i18n import translator
from dashboard.queries import Dataset
from dashboard.store import Store
from dashboard.viewmodels import map_view, series_view
from layouts.embed import embed_page
from layouts.shell import request_language

CACHE_SECONDS = {True: 86400, False: 300}
#: The embed page's script, served from assets/ (Dash pages do not load it).
EMBED_SCRIPT = (REPO_ROOT / "assets" / "embed.js").read_text(
    encoding="utf-8"
)  # pinned embeds never change; unpinned follow releases


def _dataset(store: Store, lang: str) -> tuple[Dataset, bool]:
    release_id = request.args.get("release") or None
    try:
        return store.dataset_for(release_id), release_id is not None
    except KeyError:
        _ = translator(lang)
        abort(
            404,
            description=_(
                "There is no published data release {release}. Published releases: {releases}.",
                release=repr(release_id),
                releases=", ".join(store.available_releases()),
            ),
        )


def _respond(html: str, pinned: bool) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS[pinned]}"
    response.vary.add("Accept-Language")  # without `lang=`, the browser's language chooses
    return response


def register(server: Flask, store: Store) -> None:
    @server.get("/embed/embed.js")
    def embed_script() -> Response:
        response = Response(EMBED_SCRIPT, mimetype="text/javascript")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @server.get("/embed/map")
    def embed_map() -> Response:
        args = request.args
        lang = request_language(args.get("lang"))
        ds, pinned = _dataset(store, lang)
        goal, notices = views.resolve_goal(ds, args.get("goal"), args.get("indicator"), lang=lang)
        selection = views.resolve_map_selection(
            ds, goal, args.get("indicator"), args.get("level"), args.get("year"), lang=lang
        )
        attribution = views.map_attribution(store.geo.schematic, lang=lang)
        page = embed_page(
            lambda layout: map_view(
                ds,
                goal,
                selection,
                lang=lang,
                layout=layout,
                schematic=store.geo.schematic,
                notices=tuple(notices),
            ),
            pinned=pinned,
            attribution=attribution,
        )
        return _respond(page, pinned)

    @server.get("/embed/series")
    def embed_series() -> Response:
        args = request.args
        lang = request_language(args.get("lang"))
        ds, pinned = _dataset(store, lang)
        goal, notices = views.resolve_goal(ds, args.get("goal"), args.get("indicator"), lang=lang)
        selection = views.resolve_series_selection(
            ds, goal, args.get("indicator"), args.get("areas", ""), lang=lang
        )
        if selection is None:
            _ = translator(lang)
            abort(404, description=_("Goal {goal} has no time series.", goal=goal))
        page = embed_page(
            lambda layout: series_view(
                ds, goal, selection, lang=lang, layout=layout, notices=tuple(notices)
            ),
            pinned=pinned,
            attribution="",
        )
        return _respond(page, pinned)
