"""Fixtures shared by unit and browser tests: the shipped release, loaded once per session."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from dash.testing.application_runners import BaseDashRunner
from shipped import SHIPPED_RELEASE

from dashboard.config import REPO_ROOT
from dashboard.loading import Release, read_release
from dashboard.queries import Dataset


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# dash[testing] numbers its test servers from a fixed 58050, so two test runs on one machine
# (two checkouts, CI beside a developer) would fight over the same ports: start where the
# kernel found a free one.
BaseDashRunner._next_port = _free_port()


def boundary_dir() -> Path | None:
    """Where the boundary files are: NSPS_GEO_DIR, else ../shared/geo beside the repository."""
    configured = os.environ.get("NSPS_GEO_DIR")
    candidate = Path(configured) if configured else REPO_ROOT.parent / "shared" / "geo"
    return candidate if (candidate / "lao_adm2.geojson").is_file() else None


@pytest.fixture(scope="session")
def shipped_release() -> Release:
    return read_release(SHIPPED_RELEASE)


@pytest.fixture(scope="session")
def dataset(shipped_release: Release) -> Dataset:
    return Dataset.from_release(shipped_release)


@pytest.fixture(scope="session")
def geo_dir() -> Path:
    found = boundary_dir()
    if found is None:
        pytest.skip("boundary files not installed (set NSPS_GEO_DIR or put ../shared/geo beside)")
    return found
