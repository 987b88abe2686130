"""The read-only JSON API under /api/v1/: wiring of `dashboard.api` to Flask.

Any site may read it (CORS open for GET). A wrong parameter is answered 400 with a JSON message,
an unknown release 404, never a 500 page. Answers carry an ETag and are cached by browsers and
proxies: for a day when pinned to a release (`release=`), five minutes when following the latest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from flask import Flask, Response, request

from dashboard import api, bundle, downloads
from dashboard.api import API_PREFIX, InvalidQuery
from dashboard.exports import csv_bytes, download_name
from dashboard.queries import Dataset
from dashboard.store import Store

PINNED_MAX_AGE = 86400
LATEST_MAX_AGE = 300


class NotFound(LookupError):
    """An unknown release or endpoint (HTTP 404)."""


def error_response(status: int, message: str) -> Response:
    body = json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False)
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def cached_response(data: bytes, mimetype: str, pinned: bool) -> Response:
    """A 200 (or 304 when the reader already has these bytes) with ETag and Cache-Control."""
    etag = hashlib.sha256(data).hexdigest()[:24]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(data, mimetype=mimetype)
    response.set_etag(etag)
    max_age = PINNED_MAX_AGE if pinned else LATEST_MAX_AGE
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


def json_response(payload: object, pinned: bool) -> Response:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return cached_response(data, "application/json", pinned)


def csv_response(data: bytes, filename: str, pinned: bool) -> Response:
    response = cached_response(data, "text/csv", pinned)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def releases_payload(store: Store) -> list[dict[str, object]]:
    """Every published release up to the served one, newest first, with its zip."""
    served = store.dataset.release.release_id
    return [
        {
            "id": entry.release_id,
            "date": entry.date,
            "title": entry.title,
            "served": entry.release_id == served,
            "zip": bundle.zip_path(entry.release_id),
            "observations": f"{API_PREFIX}/observations?release={entry.release_id}",
        }
        for entry in store.changelog()
    ]


def register(server: Flask, store: Store) -> None:
    def dataset(values: dict[str, str]) -> Dataset:
        try:
            return store.dataset_for(values.get("release") or None)
        except KeyError:
            raise NotFound(
                f"Unknown release {values.get('release')!r}; the releases are at "
                f"{API_PREFIX}/releases."
            ) from None

    def answering(endpoint: str, answer: Callable[[dict[str, str]], Response]) -> Response:
        """Parse the query string for `endpoint`, then answer; errors become JSON."""
        try:
            values = api.single_values(
                request.path, api.PARAMETERS[endpoint], request.args.to_dict(flat=False)
            )
            return answer(values)
        except InvalidQuery as error:
            return error_response(400, str(error))
        except NotFound as error:
            return error_response(404, str(error))

    def table_answer(name: str, table: Callable[[Dataset], object]) -> Callable:
        def answer(values: dict[str, str]) -> Response:
            fmt = api.parse_format(values)
            ds = dataset(values)
            frame = table(ds)
            pinned = bool(values.get("release"))
            if fmt == "csv":
                columns = tuple(frame.columns)
                filename = download_name(name, ds.release.release_id)
                return csv_response(csv_bytes(frame, columns), filename, pinned)
            payload = {
                "release": api.release_record(ds),
                "count": len(frame),
                name: api.records(frame, list(frame.columns)),
            }
            return json_response(payload, pinned)

        return answer

    @server.get(f"{API_PREFIX}/")
    def api_index() -> Response:
        endpoints = {name: f"{API_PREFIX}/{name}" for name in api.PARAMETERS}
        return json_response(
            {"endpoints": endpoints, "parameters": api.PARAMETERS, "docs": "docs/api.md"}, False
        )

    @server.get(f"{API_PREFIX}/indicators")
    def api_indicators() -> Response:
        return answering("indicators", table_answer("indicators", api.catalogue_table))

    @server.get(f"{API_PREFIX}/sources")
    def api_sources() -> Response:
        return answering("sources", table_answer("sources", api.sources_table))

    @server.get(f"{API_PREFIX}/targets")
    def api_targets() -> Response:
        return answering("targets", table_answer("targets", api.targets_table))

    @server.get(f"{API_PREFIX}/releases")
    def api_releases() -> Response:
        def answer(_values: dict[str, str]) -> Response:
            return json_response({"releases": releases_payload(store)}, False)

        return answering("releases", answer)

    @server.get(f"{API_PREFIX}/observations")
    def api_observations() -> Response:
        def answer(values: dict[str, str]) -> Response:
            ds = dataset(values)
            query = api.parse_observations_query(ds, values)
            lang = api.parse_language(values)
            rows = downloads.in_language(api.observations(ds, query), ds, lang)
            pinned = bool(values.get("release"))
            if query.format == "csv":
                ids = query.indicator_ids if len(query.indicator_ids) <= 3 else ("observations",)
                name = download_name(
                    *ids,
                    query.level,
                    query.year,
                    ds.release.release_id,
                    "lo" if lang == "lo" else None,
                )
                return csv_response(csv_bytes(rows), name, pinned)
            payload = {
                "release": api.release_record(ds),
                "query": query.as_dict(),
                "count": len(rows),
                "observations": api.observation_records(rows),
            }
            return json_response(payload, pinned)

        return answering("observations", answer)

    @server.get(f"{API_PREFIX}/<path:unknown>")
    def api_unknown(unknown: str) -> Response:
        return error_response(
            404, f"No endpoint {unknown!r}; the endpoints are: {', '.join(api.PARAMETERS)}."
        )

    @server.after_request
    def open_to_every_site(response: Response) -> Response:
        """Public data: any page may read the API and the bulk downloads with fetch()."""
        if request.path.startswith(f"{API_PREFIX}/") or request.path.startswith("/download/"):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Expose-Headers"] = "ETag, Content-Disposition"
        return response
