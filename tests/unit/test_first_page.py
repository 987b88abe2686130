"""What the first load of a page fetches, and how (issue #5: first page ≤ 0.8 MB gzipped).

Sizes are measured by bench/ in Chromium; these tests pin the structure that keeps them small:
the exact scripts and stylesheets a page links (a new bundle must be a decision, not an
accident), static files compressed once at a high ratio, the build's brotli-11 copy of the plotly
bundle in step with the bundle, and no world topojson for maps drawn from our own GeoJSON.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest

import app as app_module
from dashboard import figures
from dashboard.cache import LRUCache
from dashboard.config import REPO_ROOT

BUNDLE = REPO_ROOT / "assets" / "vendor" / "plotly" / "plotly-nsps.min.js"
BUNDLE_URL = "/assets/vendor/plotly/plotly-nsps.min.js"
#: Every script a page links, in order, without Dash's version fingerprints or `?m=`.
FIRST_PAGE_SCRIPTS = [
    "/_dash-component-suites/dash/deps/polyfill@7.min.js",
    "/_dash-component-suites/dash/deps/react@18.min.js",
    "/_dash-component-suites/dash/deps/react-dom@18.min.js",
    "/_dash-component-suites/dash/deps/prop-types@15.min.js",
    "/_dash-component-suites/dash_bootstrap_components/_components/dash_bootstrap_components.min.js",
    "/assets/clientside.js",  # the site's clientside callbacks
    "/assets/frame.js",  # the chart frame's tabs and width class
    "/assets/viewdata.js",  # the goal map's year changes in the browser
    BUNDLE_URL,
    "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js",
    "/_dash-component-suites/dash/dcc/dash_core_components.js",
    "/_dash-component-suites/dash/dcc/dash_core_components-shared.js",
    "/_dash-component-suites/dash/html/dash_html_components.min.js",
]
FIRST_PAGE_STYLESHEETS = [
    "/assets/site.css",
    "/assets/vendor/bootstrap/bootstrap.min.css",
    "/assets/vendor/noto-sans-lao/noto-sans-lao.css",
]
SOURCE_FOLDERS = ("layouts", "callbacks", "dashboard")


@pytest.fixture(scope="module")
def client():
    return app_module.app.server.test_client()


def _without_fingerprint(url: str) -> str:
    """`/x/react@18.v4_4_1m17.3.1.min.js` → `/x/react@18.min.js`; `/a.js?m=17` → `/a.js`."""
    url = url.split("?", 1)[0]
    return re.sub(r"\.v\d+_\d+_\d+m\d+(?:\.\d+)*", "", url)


@pytest.mark.parametrize("path", ["/goal/1", "/", "/data"])
def test_first_page_links_exactly_the_pinned_scripts_and_stylesheets(client, path):
    page = client.get(path).get_data(as_text=True)
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert [_without_fingerprint(s) for s in scripts] == FIRST_PAGE_SCRIPTS
    assert [_without_fingerprint(s) for s in stylesheets] == FIRST_PAGE_STYLESHEETS
    assert not any("dash_table" in s or "plotly.min.js" in s for s in scripts)


def test_first_page_no_layout_or_callback_uses_dash_table():
    """dash_table's bundle is not linked (app.py), so a DataTable would not render."""
    users = [
        str(path.relative_to(REPO_ROOT))
        for folder in SOURCE_FOLDERS
        for path in sorted((REPO_ROOT / folder).rglob("*.py"))
        if re.search(r"\bdash_table\b|\bDataTable\b", path.read_text(encoding="utf-8"))
    ]
    assert users == []


def test_first_page_static_file_is_sent_as_the_builds_brotli_11_copy(client):
    response = client.get(BUNDLE_URL, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.data == BUNDLE.with_name(BUNDLE.name + ".br").read_bytes()


def test_first_page_plotly_bundle_brotli_copy_is_in_step_with_the_bundle():
    packed = BUNDLE.with_name(BUNDLE.name + ".br").read_bytes()
    assert brotli.decompress(packed) == BUNDLE.read_bytes()


def test_first_page_static_file_falls_back_to_gzip_of_the_same_bytes(client):
    response = client.get(BUNDLE_URL, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["ETag"].endswith(':gzip"')
    assert gzip.decompress(response.data) == BUNDLE.read_bytes()


def test_first_page_static_file_revalidates_its_compressed_copy_with_304(client):
    headers = {"Accept-Encoding": "br"}
    first = client.get(BUNDLE_URL, headers=headers)
    again = client.get(BUNDLE_URL, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert first.headers["ETag"].endswith(':br"')
    assert again.status_code == 304 and again.data == b""


def test_first_page_component_bundle_is_compressed_once_and_kept(client):
    page = client.get("/goal/1").get_data(as_text=True)
    url = next(s for s in re.findall(r'src="([^"]+)"', page) if "dash_core_components." in s)
    responses = [client.get(url, headers={"Accept-Encoding": "br"}) for _ in range(2)]
    assert [r.headers["Content-Encoding"] for r in responses] == ["br", "br"]
    assert responses[0].data == responses[1].data
    assert len(responses[0].data) < len(gzip.compress(brotli.decompress(responses[0].data), 6))


def test_seed_precompressed_ignores_a_copy_older_than_its_file(tmp_path: Path):
    current, stale = tmp_path / "current.js", tmp_path / "stale.js"
    current.write_bytes(b"var a = 1;" * 100)
    stale.write_bytes(b"var b = 2;" * 100)
    (tmp_path / "current.js.br").write_bytes(brotli.compress(current.read_bytes()))
    (tmp_path / "stale.js.br").write_bytes(brotli.compress(b"an older build"))
    cache: LRUCache[bytes] = LRUCache(8)
    app_module.seed_precompressed(cache, tmp_path)
    fresh = cache.get_or_make(app_module.static_key("br", current.read_bytes()), lambda: b"")
    rebuilt = cache.get_or_make(app_module.static_key("br", stale.read_bytes()), lambda: b"new")
    assert brotli.decompress(fresh) == current.read_bytes()
    assert rebuilt == b"new"


def test_first_page_map_fetches_no_world_topojson():
    """plotly.js fetches the world topojson for any `locationmode`; the build limits that to
    the modes that need it, and every choropleth we draw takes its shapes from our GeoJSON."""
    assert BUNDLE.read_text().count('locationmode!=="geojson-id"') == 1
    traces = figures.empty_map_figure(lang="en")["data"]
    assert {t["type"] for t in traces} == {"choropleth"}
    assert all(t["featureidkey"] and "locationmode" not in t for t in traces)


def test_first_page_plotly_bundle_leaves_out_country_names_and_extra_projections():
    source = BUNDLE.read_text()
    assert "Zimbabwe" not in source  # country-iso-search's table (locationmode "country names")
    assert "geoWinkel3" not in source  # d3-geo-projection; our maps use d3-geo's mercator
    assert figures.GEO_LAYOUT["projection"]["type"] == "mercator"
