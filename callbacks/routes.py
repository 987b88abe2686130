"""Plain Flask routes beside the Dash app, for what is not interactive: downloads and geometry.

Each download runs the same view function as the chart it belongs to, so the file holds exactly
the rows the chart shows. Refusals (404) explain themselves in the reader's language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Flask, Response, abort, redirect, request

from dashboard import downloads, queries, views
from dashboard.cache import PerOwnerCache
from dashboard.exports import csv_bytes, download_name
from dashboard.i18n import Gettext, translator
from dashboard.queries import Dataset, full_table
from dashboard.store import Store
from layouts.embed import FAVICON_URL
from layouts.shell import request_language


def _csv_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


#: Whole-release CSVs kept per dataset and process: each took about 130 ms of CPU per download
#: at 1× data. Files larger than `KEPT_CSV_BYTES` (a release many times larger) are made per
#: request instead of holding hundreds of MB in every worker.
_WHOLE_CSVS: PerOwnerCache[bytes | None] = PerOwnerCache(4)
KEPT_CSV_BYTES = 16 * 2**20


def _whole_csv(ds: Dataset, key: tuple[str, str], make: Callable[[], bytes]) -> bytes:
    made: list[bytes] = []

    def keep_if_small() -> bytes | None:
        made.append(make())
        return made[0] if len(made[0]) <= KEPT_CSV_BYTES else None

    kept = _WHOLE_CSVS.get_or_make(ds, key, keep_if_small)
    if kept is not None:
        return kept
    return made[0] if made else make()


def _suffix(lang: str) -> str:
    """`lo` in the file name of a Lao CSV, so the two languages never overwrite each other."""
    return "lo" if lang == "lo" else ""


def _translator() -> Gettext:
    """The translator of the request's language, for the text of a refusal."""
    return translator(request_language(request.args.get("lang")))


def _requested_indicator(ds: Dataset) -> str:
    """The `indicator` query parameter, which must name an indicator of the release (else 404)."""
    indicator_id = request.args.get("indicator", "")
    if not ds.has_indicator(indicator_id):
        _ = _translator()
        abort(404, description=_("Unknown indicator {indicator}.", indicator=repr(indicator_id)))
    return indicator_id


def register(server: Flask, store: Store) -> None:
    @server.get("/favicon.ico")
    def favicon() -> Response:
        """Browsers ask for /favicon.ico on pages that name no icon (the API, a CSV opened in a
        tab): the icon Dash serves, rather than a 404 for every such page."""
        response = redirect(FAVICON_URL, code=301)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @server.get(downloads.ALL_URL)
    def download_all() -> Response:
        """Everything, illustrative rows included (each marked in the badge column)."""
        ds, lang = store.dataset, downloads.csv_language(request.args.get("lang"))
        data = _whole_csv(
            ds, ("all", lang), lambda: csv_bytes(downloads.in_language(full_table(ds), ds, lang))
        )
        return _csv_response(data, download_name("data", ds.release.release_id, _suffix(lang)))

    @server.get(downloads.OFFICIAL_URL)
    def download_official() -> Response:
        """Published figures only: no illustrative row."""
        ds, lang = store.dataset, downloads.csv_language(request.args.get("lang"))
        data = _whole_csv(
            ds,
            ("official", lang),
            lambda: csv_bytes(downloads.in_language(downloads.official_table(ds), ds, lang)),
        )
        name = download_name("data-official", ds.release.release_id, _suffix(lang))
        return _csv_response(data, name)

    @server.get("/download/map.csv")
    def download_map() -> Response:
        ds = store.dataset
        indicator_id = _requested_indicator(ds)
        goal = str(ds.indicator(indicator_id)["goal"])
        if indicator_id not in queries.mappable_indicator_ids(ds, goal):
            _ = _translator()
            abort(
                404,
                description=_(
                    "Indicator {indicator} has no sub-national values.",
                    indicator=repr(indicator_id),
                ),
            )
        selection = views.resolve_map_selection(
            ds, goal, indicator_id, request.args.get("level"), request.args.get("year")
        )
        lang = downloads.csv_language(request.args.get("lang"))
        rows = downloads.in_language(views.map_rows(ds, selection), ds, lang)
        name = download_name(
            indicator_id, selection.level, selection.year, ds.release.release_id, _suffix(lang)
        )
        return _csv_response(csv_bytes(rows), name)

    @server.get("/download/series.csv")
    def download_series() -> Response:
        ds = store.dataset
        indicator_id = _requested_indicator(ds)
        codes = views.series_area_codes(ds, request.args.get("areas", ""))
        lang = downloads.csv_language(request.args.get("lang"))
        rows = downloads.in_language(views.series_download_rows(ds, indicator_id, codes), ds, lang)
        name = download_name(indicator_id, "series", *codes, ds.release.release_id, _suffix(lang))
        return _csv_response(csv_bytes(rows, views.SERIES_CSV_COLUMNS), name)

    @server.get("/geo/<level>.geojson")
    def geojson(level: str) -> Response:
        data = store.geo.geojson_bytes(level)
        if data is None:
            _ = _translator()
            abort(404, description=_("No boundaries for this level are installed on this server."))
        etag = hashlib.sha256(data).hexdigest()[:20]
        if request.if_none_match.contains(etag):
            return Response(status=304)
        response = Response(data, mimetype="application/geo+json")
        response.set_etag(etag)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response
