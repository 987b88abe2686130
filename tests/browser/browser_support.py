"""Constants and helpers shared by the browser tests (a module of its own: test files import it
by a unique name, never from a `conftest`, which another test folder may shadow)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_SHARED_GEO = REPO.parent / "shared" / "geo"
if not os.environ.get("NSPS_GEO_DIR") and (_SHARED_GEO / "lao_adm2.geojson").is_file():
    os.environ["NSPS_GEO_DIR"] = str(_SHARED_GEO)

RELEASE_DIR = REPO / "data" / "releases" / "2026-11-29"
ILLUSTRATIVE_BADGE = "Illustrative — not official statistics"
UTF8_BOM = b"\xef\xbb\xbf"
BACKGROUND, VALUES = 0, 1  # trace indices of the map (dashboard.figures)


def boundaries_installed() -> bool:
    geo_dir = os.environ.get("NSPS_GEO_DIR")
    return bool(geo_dir) and (Path(geo_dir) / "lao_adm2.geojson").is_file()


needs_boundaries = pytest.mark.skipif(
    not boundaries_installed(),
    reason="district boundaries not installed: set NSPS_GEO_DIR to the HDX COD-AB folder "
    "(lao_adm1.geojson, lao_adm2.geojson)",
)


def read_csv_text(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def release_csv(name: str) -> list[dict[str, str]]:
    return read_csv_text((RELEASE_DIR / name).read_bytes())
