"""Security-test setup: the production app (``app.create_app``) behind Flask's test client.

The app is built once per module from the shipped release (and the boundary files when they
are installed), exactly as gunicorn builds it, so what is tested is what is served.
"""

from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient

from tests.browser.conftest import pytest_setup_options  # noqa: F401  (headless Chromium)
from tests.conftest import boundary_dir

# Markers of a Python stack trace or an exception leaking into a response body.
TRACE_MARKERS = ("Traceback", 'File "', "Error:", "werkzeug", "site-packages")


def assert_safe_response(status: int, body: bytes, what: str) -> None:
    """No 5xx, and nothing that looks like a stack trace reaches the reader."""
    assert status < 500, f"{what}: HTTP {status}\n{body[:2000]!r}"
    text = body.decode("utf-8", "replace")
    leaked = [m for m in TRACE_MARKERS if m in text]
    assert not leaked, f"{what}: response leaks {leaked}\n{text[:2000]}"


def production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key.startswith("NSPS_")}
    env.pop("NSPS_DEBUG", None)
    found = boundary_dir()
    if found is not None and "NSPS_GEO_DIR" not in env:
        env["NSPS_GEO_DIR"] = str(found)
    env.update(overrides)
    return env


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    from app import create_app
    from dashboard.config import Settings

    app = create_app(Settings.from_env(production_env()))
    assert not app.server.debug, "the production app must not run in debug mode"
    return app.server.test_client()
