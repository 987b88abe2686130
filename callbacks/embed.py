"""Flask routes of the embeds: `/embed/map` and `/embed/series`, one chart each, no chrome.

`release=` pins an embed to a published release (`store.dataset_for`); without it the embed
follows the release being served. Invalid or unknown parameters fall back to the defaults with a
visible notice; only an unknown release is an error (404), since showing other data than the one
a briefing names would be wrong.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

from dashboard import views
from dashboard.queries import Dataset
from dashboard.store import Store
from layouts.components import GRAPH_CONFIG
from layouts.embed import EMBED_SCRIPT, EmbedContent, embed_page

EMBED_CONFIG = {**GRAPH_CONFIG, "displayModeBar": False}
CACHE_SECONDS = {True: 86400, False: 300}  # pinned embeds never change; unpinned follow releases


def _dataset(store: Store) -> tuple[Dataset, bool]:
    release_id = request.args.get("release") or None
    try:
        return store.dataset_for(release_id), release_id is not None
    except KeyError:
        abort(
            404,
            description=f"There is no published data release {release_id!r}. Published "
            f"releases: {', '.join(store.available_releases())}.",
        )


def _sources(rows) -> list[str]:
    return list(
        dict.fromkeys(
            f"{p}, {t}" for p, t in zip(rows["source_publisher"], rows["source_title"], strict=True)
        )
    )


def _respond(content: EmbedContent) -> Response:
    response = Response(embed_page(content), mimetype="text/html")
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS[content.pinned]}"
    return response


def register(server: Flask, store: Store) -> None:
    @server.get("/embed/embed.js")
    def embed_script() -> Response:
        response = Response(EMBED_SCRIPT, mimetype="text/javascript")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @server.get("/embed/map")
    def embed_map() -> Response:
        ds, pinned = _dataset(store)
        args = request.args
        goal, notices = views.resolve_goal(ds, args.get("goal"), args.get("indicator"))
        selection = views.resolve_map_selection(
            ds, goal, args.get("indicator"), args.get("level"), args.get("year")
        )
        rows = views.map_rows(ds, selection)
        state = views.map_share_state(ds, goal, selection)
        return _respond(
            EmbedContent(
                title=state["title"],
                figure=views.map_figure(ds, selection, store.geo.schematic),
                config=EMBED_CONFIG,
                sources=_sources(rows),
                release_id=ds.release.release_id,
                release_date=str(ds.release.meta.get("date", ds.release.release_id)),
                pinned=pinned,
                full_view_url=views.goal_path(goal, state["query"]),
                attribution=views.map_attribution(store.geo.schematic),
                illustrative=bool((rows["badge"] != "").any()),
                notices=(*notices, *selection.notices),
            )
        )

    @server.get("/embed/series")
    def embed_series() -> Response:
        ds, pinned = _dataset(store)
        args = request.args
        goal, notices = views.resolve_goal(ds, args.get("goal"), args.get("indicator"))
        selection = views.resolve_series_selection(
            ds, goal, args.get("indicator"), args.get("areas", "")
        )
        if selection is None:
            abort(404, description=f"Goal {goal} has no time series.")
        rows = views.series_rows(ds, selection.indicator_id, selection.area_codes)
        state = views.series_share_state(ds, goal, selection)
        return _respond(
            EmbedContent(
                title=state["title"],
                figure=views.series_figure(ds, selection.indicator_id, selection.area_codes),
                config=EMBED_CONFIG,
                sources=_sources(rows),
                release_id=ds.release.release_id,
                release_date=str(ds.release.meta.get("date", ds.release.release_id)),
                pinned=pinned,
                full_view_url=views.goal_path(goal, state["query"]),
                attribution="",
                illustrative=bool((rows["badge"] != "").any()),
                notices=(*notices, *selection.notices),
            )
        )
