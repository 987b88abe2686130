"""Settings, read once from environment variables (each has a default; see the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.publisher import INDEPENDENT, Publisher

REPO_ROOT = Path(__file__).resolve().parent.parent


def _path_or_none(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


#: Where the site is when NSPS_SITE_URL is not set (a development server on this machine).
DEFAULT_SITE_URL = "http://localhost:8050"


def site_url(value: str | None) -> str:
    """The canonical address of the site, `http(s)://host[:port][/path]` without a trailing
    slash: every absolute link is built from it, never from the request's Host header."""
    url = (value or DEFAULT_SITE_URL).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(
            f"NSPS_SITE_URL must be an http(s) address like https://example.org: {url!r}"
        )
    return url


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything an operator may change without touching code."""

    releases_dir: Path
    release: str | None
    geo_dir: Path | None
    geo_simplify_tolerance: float
    debug: bool
    release_check_seconds: float
    site_url: str = DEFAULT_SITE_URL
    runtime_dir: Path | None = None  # per instance: the served-release mark (gunicorn sets it)
    publisher: Publisher = INDEPENDENT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            releases_dir=Path(env.get("NSPS_DATA_DIR") or REPO_ROOT / "data" / "releases"),
            release=env.get("NSPS_RELEASE") or None,
            geo_dir=_path_or_none(env.get("NSPS_GEO_DIR")),
            geo_simplify_tolerance=float(env.get("NSPS_GEO_SIMPLIFY", "0.005")),
            debug=_flag(env.get("NSPS_DEBUG")),
            release_check_seconds=float(env.get("NSPS_RELEASE_CHECK_SECONDS", "10")),
            site_url=site_url(env.get("NSPS_SITE_URL")),
            runtime_dir=_path_or_none(env.get("NSPS_RUNTIME_DIR")),
            publisher=Publisher.from_env(env),
        )
