"""The public server's hardening: security headers, plain error pages, /healthz, no writes,
no debug; and, in a real browser, that Dash still renders every page under the CSP.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from tests.security.conftest import assert_safe_response, production_env

PATHS = [
    "/",
    "/goal/1",
    "/data",
    "/healthz",
    "/download/map.csv?indicator=ILL_HEALTH_COVERAGE&level=province",
    "/download/nsps-data.csv",
    "/geo/province.geojson",
    "/no/such/page",
    "/download/map.csv?indicator=nope",
    "/_dash-layout",
]
REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def _csp(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )


@pytest.mark.parametrize("path", PATHS)
def test_security_headers_on_every_kind_of_response(client, path):
    response = client.get(path)
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, (path, name)
    csp = _csp(response)
    assert csp["frame-ancestors"] == "'none'", path
    assert response.headers["X-Frame-Options"] == "DENY"
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "Server" not in response.headers


@pytest.mark.parametrize("path", ["/embed/goal/1/map", "/embed/", "/embed/anything?x=1"])
def test_embed_pages_may_be_framed_by_any_site(client, path):
    response = client.get(path)
    assert _csp(response)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/embedded", "/goal/1/embed/", "/Embed/x"])
def test_paths_that_merely_contain_embed_are_not_frameable(client, path):
    assert _csp(client.get(path))["frame-ancestors"] == "'none'"


def test_csp_allows_dash_inline_scripts_by_hash_and_no_other_inline_script(client):
    response = client.get("/")
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
        response.data.decode(),
        flags=re.S,
    )
    assert inline, "Dash's index page has its renderer bootstrap inline"
    allowed = set(_csp(response)["script-src"].split())
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        if "alert(" in script:  # Dash's <!--[if IE]> notice: a comment, never run
            continue
        assert f"'sha256-{digest}'" in allowed, script[:80]


def test_healthz_reports_the_release_being_served(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    store = client.application.config["NSPS_STORE"]
    reasons = store.health_problems()
    assert body == {
        "status": "degraded" if reasons else "ok",
        "reasons": reasons,
        "release": store.dataset.release.release_id,
        "boundaries": "schematic" if store.geo.schematic else "official",
    }
    assert body["release"] == "2026-11-29" or body["release"] in store.available_releases()


def test_not_found_is_a_plain_page_that_escapes_what_was_asked(client):
    response = client.get("/download/map.csv?indicator=<script>alert(1)</script>")
    assert response.status_code == 404
    text = response.data.decode()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert response.mimetype == "text/html"
    assert_safe_response(response.status_code, response.data, "404")


@pytest.mark.parametrize("path", ["/no/such/page", "/goal/9", "/wp-login.php", "/embed/"])
def test_unknown_page_is_a_plain_404_not_the_dash_page_shell(client, path):
    """Dash would answer any path with its page shell and HTTP 200; only real pages may."""
    response = client.get(path)
    assert response.status_code == 404
    text = response.data.decode()
    assert "_dash-config" not in text and "<script" not in text
    assert response.headers["Cache-Control"] == "no-store"
    assert_safe_response(response.status_code, response.data, path)


def test_unknown_page_escapes_the_address_it_links_to(client):
    response = client.get('/x"><script>alert(1)</script>?lang="><b>')
    assert response.status_code == 404
    text = response.data.decode()
    assert "<script>alert" not in text and "<b>" not in text
    assert '<html lang="lo">' in text or '<html lang="en">' in text


def test_unknown_method_is_refused_plainly(client):
    response = client.delete("/download/nsps-data.csv")
    assert response.status_code == 405
    assert_safe_response(response.status_code, response.data, "405")


def test_an_unhandled_exception_gives_a_plain_500_without_trace(caplog):
    from app import create_app
    from dashboard.config import Settings

    app = create_app(Settings.from_env(production_env()))

    @app.server.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internal detail /srv/path")

    response = app.server.test_client().get("/boom-for-test")
    assert response.status_code == 500
    text = response.data.decode()
    assert "secret internal detail" not in text and "Traceback" not in text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "RuntimeError" in caplog.text, "the traceback must still reach the server log"


def test_public_server_has_no_write_endpoints(client):
    """Only reads; the one POST is Dash's callback endpoint, which computes and stores nothing."""
    writes = {
        rule.rule: sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})
        for rule in client.application.url_map.iter_rules()
        if rule.methods - {"GET", "HEAD", "OPTIONS"}
    }
    assert writes == {"/_dash-update-component": ["POST"]}


def test_production_app_runs_without_debug(client):
    from dashboard.config import Settings

    assert client.application.debug is False
    assert Settings.from_env({}).debug is False
    config = client.get("/").data.decode().split('id="_dash-config" type="application/json">')[1]
    assert json.loads(config.split("</script>")[0])["ui"] is False, "Dash dev tools are on"


@pytest.mark.browser
def test_every_page_renders_under_the_csp_without_violations(dash_duo):
    """Chrome reports each CSP violation as a SEVERE console entry; there must be none."""
    import requests

    from app import create_app
    from dashboard.config import Settings

    dash_duo.start_server(create_app(Settings.from_env(production_env())))
    base = dash_duo.server_url.rstrip("/")
    pages = {
        "/": "#goal-card-3",
        "/goal/1": "#map-graph .choroplethlocation",
        "/goal/2": "#series-graph .main-svg",
        "/challenges": "#challenge-C12",
        "/data": "#sources-table",
        "/goal/3?level=district": "#map-graph .choroplethlocation",
    }
    for path, marker in pages.items():
        assert (
            "frame-ancestors 'none'"
            in requests.get(base + path, timeout=10).headers["Content-Security-Policy"]
        )
        dash_duo.driver.get(base + path)
        dash_duo.wait_for_element(marker, timeout=20)
        dash_duo.wait_for_no_elements('[data-dash-is-loading="true"]', timeout=15)
    logs = [entry["message"] for entry in dash_duo.get_logs() or []]
    assert logs == [], logs
