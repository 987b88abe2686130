"""Flask routes of lite mode: `/lite/`, `/lite/goal/<n>?indicator=&level=&year=`, `/lite/progress`.

Wiring only: settle the reader's language (`lang=`, else the browser's, else Lao), resolve the
requested view with the same `views.resolve_*` functions as the interactive pages (invalid
values fall back with a visible notice, never an error), build its view models and hand them to
`layouts.lite`, which renders the page's template.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Flask, Response, request

from dashboard import views
from dashboard.i18n import translator
from dashboard.queries import Dataset
from dashboard.store import Store
from dashboard.viewmodels import map_view, series_view
from layouts import lite
from layouts.shell import request_language

CACHE_SECONDS = 300  # as the CSV downloads: a new release shows within minutes


def _respond(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.headers["Vary"] = "Accept-Language"  # without `lang=` the header picks the language
    return response


def _frame(
    store: Store,
    ds: Dataset,
    lang: str,
    path: str,
    query: Mapping[str, str],
    shows_map: bool = False,
) -> lite.PageFrame:
    """The page's frame; `query` is what reopens this view (the language switch keeps it)."""
    own_query = {k: v for k, v in query.items() if k != "lang"}
    return lite.PageFrame(
        lang=lang,
        path=path + ("?" + urlencode(own_query) if own_query else ""),
        release_id=ds.release.release_id,
        shows_map=shows_map,
        schematic=store.geo.schematic,
        publisher=store.settings.publisher,
    )


def goal_view(
    store: Store, ds: Dataset, goal: str, args: Mapping[str, str], lang: str
) -> lite.GoalView:
    """The requested map view of a goal and the national trend of its indicator."""
    selection = views.resolve_map_selection(
        ds, goal, args.get("indicator"), args.get("level"), args.get("year"), lang=lang
    )
    # national only; another indicator than the map's only when the map's has no national series
    trend = views.resolve_series_selection(ds, goal, selection.indicator_id, lang=lang)
    return lite.GoalView(
        goal=goal,
        map=map_view(
            ds, goal, selection, lang=lang, layout="image_phone", schematic=store.geo.schematic
        ),
        map_image=store.geo.has_level(selection.level),
        trend=series_view(ds, goal, trend, lang=lang, layout="image_phone") if trend else None,
    )


def register(server: Flask, store: Store) -> None:
    @server.get("/lite/")
    def lite_index() -> Response:
        ds = store.dataset
        lang = request_language(request.args.get("lang"))
        _ = translator(lang)
        frame = _frame(store, ds, lang, request.path, request.args)
        return _respond(
            lite.page(frame, _(lite.INDEX_TITLE), "lite/index.html", **lite.index_context(ds, lang))
        )

    @server.get("/lite/goal/<goal>")
    def lite_goal(goal: str) -> Response:
        ds = store.dataset
        lang = request_language(request.args.get("lang"))
        goal_id, goal_notices = views.resolve_goal(
            ds, goal, request.args.get("indicator"), lang=lang
        )
        view = goal_view(store, ds, goal_id, request.args, lang)
        frame = _frame(
            store,
            ds,
            lang,
            f"/lite/goal/{goal_id}",
            {**request.args.to_dict(), **views.map_query(view.map.selection)},
            shows_map=view.map_image,
        )
        return _respond(
            lite.page(
                frame,
                lite.goal_title(ds, goal_id, lang),
                "lite/goal.html",
                notices=(*goal_notices, *view.map.selection.notices),
                **lite.goal_context(ds, view, lang),
            )
        )

    @server.get("/lite/progress")
    def lite_progress() -> Response:
        ds = store.dataset
        lang = request_language(request.args.get("lang"))
        _ = translator(lang)
        frame = _frame(store, ds, lang, request.path, request.args)
        return _respond(
            lite.page(
                frame,
                _(lite.PROGRESS_TITLE),
                "lite/progress.html",
                **lite.progress_context(ds, lang),
            )
        )
