"""Structural guarantees behind the speed figures in bench/ (never timings: those live in bench/).

A map update carries values, never geometry; our partial plotly.js bundle holds exactly the
trace types the figures draw (what a page links: test_first_page.py); the data-growth generator
of the benchmark writes releases that pass validation.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from bench.datagen import grow_observations, grow_release
from bench.run import SCENARIOS, request_body
from dashboard import figures, queries, views
from dashboard.config import REPO_ROOT
from dashboard.loading import read_release

BUNDLE = REPO_ROOT / "assets" / "vendor" / "plotly" / "plotly-nsps.min.js"
#: Upper bounds with headroom over today's sizes (bench/README.md); geometry alone is ~40 KB.
MAX_FIGURE_PATCH_GZIP = 6_000
MAX_UPDATE_RESPONSE_GZIP = 12_000


@pytest.fixture(scope="module")
def client():
    from app import app

    return app.server.test_client()


def _map_callback(client) -> dict:
    callbacks = client.get("/_dash-dependencies").get_json()
    return next(c for c in callbacks if "map-graph.figure" in c["output"])


def _post_update(client, body: bytes):
    return client.post(
        "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
    )


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_perf_map_update_response_has_no_geometry_and_is_small(client, scenario):
    callback = _map_callback(client)
    for state in SCENARIOS[scenario]:
        response = _post_update(client, request_body(callback, state, "map-level"))
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(response.data) <= MAX_UPDATE_RESPONSE_GZIP
        decoded = gzip.decompress(response.data)
        assert b"coordinates" not in decoded and b"FeatureCollection" not in decoded
        patch = json.loads(decoded)["response"]["map-graph"]["figure"]
        assert patch["__dash_patch_update"] == "__dash_patch_update"
        assert len(gzip.compress(json.dumps(patch).encode())) <= MAX_FIGURE_PATCH_GZIP


def test_perf_map_update_properties_reference_geometry_by_url(dataset):
    for goal in ("1", "2", "3"):
        for indicator_id in queries.mappable_indicator_ids(dataset, goal):
            for level in queries.levels_with_data(dataset, indicator_id):
                selection = views.resolve_map_selection(dataset, goal, indicator_id, level)
                update = views.map_update(dataset, selection, schematic=False, lang="en")
                geometry = {k: v for k, v in update.items() if k.endswith("geojson")}
                assert geometry and set(geometry.values()) == {views.geojson_url(level)}
                assert "coordinates" not in json.dumps(update)


def test_perf_geometry_is_compressed_and_cached(client):
    response = client.get("/geo/province.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age" in response.headers["Cache-Control"] and response.headers["ETag"]


def _figure_trace_types(dataset) -> set[str]:
    """Trace types of every figure the app builds for the shipped release."""
    types: set[str] = set()
    for goal in ("1", "2", "3"):
        for indicator_id in queries.mappable_indicator_ids(dataset, goal):
            selection = views.resolve_map_selection(dataset, goal, indicator_id)
            built = views.map_figure(dataset, selection, False, lang="en")
            types |= {t["type"] for t in built["data"]}
        for indicator_id in queries.series_indicator_ids(dataset, goal):
            built = views.series_figure(dataset, indicator_id, (), lang="en")
            types |= {t["type"] for t in built["data"]}
        stack = queries.budget_stack_view(dataset, goal)
        if not stack.empty:
            built = figures.budget_stack_figure(stack, dataset.release.indicators, lang="en")
            types |= {t["type"] for t in built["data"]}
        lines = queries.budget_view(dataset, goal)
        if not lines.empty:
            types |= {t["type"] for t in figures.budget_lines_figure(lines, lang="en")["data"]}
    return types


def _bundle_trace_types() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text()))


def test_perf_partial_bundle_registers_exactly_the_trace_types_figures_use(dataset):
    used = _figure_trace_types(dataset)
    assert used >= {"choropleth", "scatter", "bar"}
    assert _bundle_trace_types() == used


def test_perf_partial_bundle_is_the_plotly_js_version_dash_would_serve():
    from plotly.offline import get_plotlyjs_version

    version = get_plotlyjs_version()
    assert BUNDLE.read_text()[:200].startswith(f"/*! plotly.js v{version} partial bundle")
    assert (BUNDLE.parent / "VERSION").read_text().strip() == version
    assert (BUNDLE.parent / "LICENSE").is_file()


def test_perf_grown_observations_keep_keys_unique_and_newest_year(shipped_release):
    frame = shipped_release.observations.reset_index(drop=True)
    grown = grow_observations(frame, 5)
    key = ["indicator_id", "area_code", "year", "sex", "urban_rural"]
    assert not grown.duplicated(key).any()
    assert 4.5 * len(frame) <= len(grown) <= 5 * len(frame)
    newest = frame.groupby("indicator_id")["year"].max()
    assert grown.groupby("indicator_id")["year"].max().equals(newest)


def test_perf_grown_release_passes_validation(shipped_release, tmp_path: Path):
    folder, factor = grow_release(shipped_release.path, tmp_path, 3)
    release = read_release(folder)
    assert 2.8 <= factor <= 3.0
    expected = factor * len(shipped_release.observations)
    assert len(release.observations) == pytest.approx(expected, abs=2)
