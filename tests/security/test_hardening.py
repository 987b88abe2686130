"""Hostile requests against the production app: a forged Host is never reflected, releases with
broken files are refused with the right status, odd paths and callback bodies are client errors,
and every response says how long it may be cached.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dashboard.publish import MANIFEST_FILE
from tests.security.conftest import assert_safe_response, production_env

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED = REPO_ROOT / "data" / "releases" / "2026-11-29"
HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
SITE = "https://nsps.example.la"


def _copy(releases: Path, release_id: str) -> Path:
    folder = releases / release_id
    shutil.copytree(SHIPPED, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    meta = folder / "release.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("2026-11-29", release_id))
    return folder


@pytest.fixture(scope="module")
def broken_app(tmp_path_factory):
    """The shipped release, plus three folders that must never be served: 2026-11-27 without
    manifest, 2026-11-28 with a table changed after publication, and a newer 2026-11-30 that is
    also changed (so the instance serves 2026-11-29 as a fallback)."""
    from app import create_app
    from dashboard.config import Settings
    from dashboard.publish import write_manifest

    root = tmp_path_factory.mktemp("releases")
    shutil.copytree(SHIPPED, root / SHIPPED.name)
    _copy(root, "2026-11-27").joinpath(MANIFEST_FILE).unlink()
    for release_id in ("2026-11-28", "2026-11-30"):
        folder = _copy(root, release_id)
        write_manifest(folder)
        (folder / "budget.csv").write_text("edited by hand\n", encoding="utf-8")
    env = production_env(NSPS_DATA_DIR=str(root), NSPS_SITE_URL=SITE, NSPS_GEO_DIR=str(root))
    return create_app(Settings.from_env(env))


@pytest.fixture(scope="module")
def broken_client(broken_app):
    return broken_app.server.test_client()


# ---------------------------------------------------------------- the Host header


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/goal/1",
        "/data",
        "/lite",
        "/lite/goal/1",
        "/embed/map?goal=1",
        "/download/nsps-latest.zip",
        "/favicon.ico",
        "/api/v1/",
        "/api/v1/releases",
        "/no/such/page",
    ],
)
def test_host_header_is_never_reflected(broken_client, path):
    response = broken_client.get(path, headers=HOSTILE)
    assert_safe_response(response.status_code, response.data, path)
    assert b"evil.example" not in response.data, path
    for name, value in response.headers.items():
        assert "evil.example" not in value, (path, name)


def test_host_header_is_never_reflected_in_redirects_to_the_canonical_site(broken_client):
    response = broken_client.get("/lite", headers=HOSTILE)
    assert response.status_code in (301, 308)
    assert response.headers["Location"] in (f"{SITE}/lite/", "/lite/")


def test_host_header_is_never_reflected_in_page_meta_tags(broken_client):
    page = broken_client.get("/goal/1?lang=en", headers=HOSTILE).text
    assert f'<meta property="twitter:url" content="{SITE}/goal/1?lang=en">' in page


def test_host_header_is_never_reflected_in_the_release_zip(broken_client):
    response = broken_client.get("/download/nsps-2026-11-29.zip", headers=HOSTILE)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    texts = {n: archive.read(f"nsps-2026-11-29/{n}") for n in ("README.txt", "CITATION.txt")}
    assert all(b"evil.example" not in text for text in texts.values())
    assert SITE.encode() in texts["CITATION.txt"] + texts["README.txt"]


# ---------------------------------------------------------------- broken releases


def test_broken_release_is_never_the_one_served_and_health_says_why(broken_client):
    body = broken_client.get("/healthz").get_json()
    assert body["release"] == "2026-11-29"
    assert body["status"] == "degraded"
    assert any(r.startswith("fallback release: serving 2026-11-29") for r in body["reasons"])
    assert any(r.startswith("schematic maps") for r in body["reasons"])


@pytest.mark.parametrize("release_id", ["2026-11-27", "2026-11-28"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/observations?release={r}",
        "/api/v1/indicators?release={r}&format=csv",
        "/embed/map?goal=1&release={r}",
        "/embed/series?goal=1&release={r}",
        "/image/map.png?goal=1&release={r}",
        "/download/nsps-{r}.zip",
    ],
)
def test_broken_pinned_release_answers_503_not_500(broken_client, path, release_id):
    url = path.format(r=release_id)
    response = broken_client.get(url)
    assert response.status_code == 503, url
    assert response.headers["Retry-After"].isdigit()
    assert response.headers["Cache-Control"] == "no-store"
    assert_safe_response(400, response.data, url)  # no trace in the body
    assert release_id.encode() in response.data


@pytest.mark.parametrize(
    "path", ["/api/v1/observations?release=2026-01-01", "/download/nsps-2026-01-01.zip"]
)
def test_unknown_pinned_release_answers_404(broken_client, path):
    assert broken_client.get(path).status_code == 404


# ---------------------------------------------------------------- odd requests


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/os/x.js",
        "/_dash-component-suites/dash/no-such-file.js",
        "/_dash-component-suites/plotly/../../app.py",
    ],
)
def test_unknown_component_suite_path_is_404_without_traceback(client, path, caplog):
    response = client.get(path)
    assert response.status_code == 404
    assert_safe_response(response.status_code, response.data, path)
    assert "Traceback" not in caplog.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _map_body(client, outputs_of) -> dict:
    """The map callback's request as dash-renderer sends it, with `outputs` changed."""
    dependencies = client.get("/_dash-dependencies").get_json()
    spec = next(d for d in dependencies if "map-graph.figure" in d["output"])
    declared = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
        for part in spec["output"].strip(".").split("...")
    ]
    return {
        "output": spec["output"],
        "outputs": outputs_of(declared),
        "inputs": [{**i, "value": None} for i in spec["inputs"]],
        "state": [{**s, "value": None} for s in spec["state"]],
        "changedPropIds": [],
    }


@pytest.mark.parametrize(
    "outputs_of",
    [
        lambda declared: declared[:1],  # too short
        lambda declared: declared * 2,  # too long
        lambda declared: declared[0],  # one output for a callback of many
        lambda declared: list(reversed(declared)),  # other outputs than declared
    ],
    ids=["short", "long", "single", "reordered"],
)
def test_malformed_callback_outputs_are_400(client, outputs_of, caplog):
    response = client.post("/_dash-update-component", json=_map_body(client, outputs_of))
    assert response.status_code == 400
    assert "Traceback" not in caplog.text


def test_well_formed_callback_outputs_still_reach_the_callback(client):
    response = client.post("/_dash-update-component", json=_map_body(client, lambda d: d))
    assert response.status_code in (200, 204)


@pytest.mark.parametrize("body", [b"{bad json", b"[1, 2", b"\xff\xfe", b"null"])
def test_callback_body_that_is_not_a_json_object_is_400(client, body):
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400


# ---------------------------------------------------------------- caching


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "no-cache"),
        ("/goal/1", "no-cache"),
        ("/_dash-layout", "no-cache"),
        ("/_dash-dependencies", "no-cache"),
        ("/healthz", "no-store"),
        ("/no/such/page", "no-store"),
    ],
)
def test_cache_control_on_every_response(client, path, expected):
    assert client.get(path).headers["Cache-Control"] == expected


def test_cache_control_on_callbacks_and_long_on_versioned_bundles(client):
    response = client.post("/_dash-update-component", json=_map_body(client, lambda d: d))
    assert response.headers["Cache-Control"] == "no-cache"
    page = client.get("/goal/1").text
    bundle = page.split('src="/_dash-component-suites/', 1)[1].split('"', 1)[0]
    response = client.get("/_dash-component-suites/" + bundle)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


# ---------------------------------------------------------------- gunicorn's own answers


def test_gunicorn_own_error_pages_carry_security_headers_and_echo_nothing():
    from callbacks.security import write_server_error

    server, client = socket.socketpair()
    with server, client:
        write_server_error(server, 414, "URI Too Long", "GET /<script>alert(1)</script>")
        server.shutdown(socket.SHUT_WR)
        answer = b"".join(iter(lambda: client.recv(65536), b"")).decode()
    head, body = answer.split("\r\n\r\n", 1)
    assert head.startswith("HTTP/1.1 414 URI Too Long\r\n")
    headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:])
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert int(headers["Content-Length"]) == len(body.encode())
    assert "<script>" not in body


def _gunicorn_settings(env: dict[str, str]) -> list[str]:
    script = (
        "import runpy; from gunicorn import util; "
        "ns = runpy.run_path('deploy/gunicorn.conf.py'); "
        "print(util.write_error is ns['write_server_error'], ns['control_socket'], "
        "ns['control_socket_disable'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NSPS_")} | env
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_gunicorn_instances_each_have_their_own_control_socket(tmp_path):
    first, second = _gunicorn_settings({}), _gunicorn_settings({})
    assert first[0] == "True", "gunicorn's error writer is the one with security headers"
    assert first[1] != second[1] and first[1].endswith("gunicorn.ctl")
    pinned = _gunicorn_settings({"NSPS_RUNTIME_DIR": str(tmp_path)})
    assert pinned[1] == str(tmp_path / "gunicorn.ctl")
    off = _gunicorn_settings({"NSPS_CONTROL_SOCKET": "off", "NSPS_RUNTIME_DIR": str(tmp_path)})
    assert off[2] == "True"
    for settings in (first, second):
        shutil.rmtree(Path(settings[1]).parent, ignore_errors=True)
