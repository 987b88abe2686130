"""The per-release zip: deterministic, and holding exactly what its README promises."""

from __future__ import annotations

import io
import zipfile

import pytest
from api_server import make_server
from shipped import SHIPPED_DATE, SHIPPED_ID

from dashboard import bundle
from dashboard.exports import BOM, csv_bytes, read_csv_bytes
from dashboard.queries import PUBLIC_COLUMNS, full_table
from geo import ATTRIBUTION

SITE = "https://nsps.example.la"


@pytest.fixture(scope="module")
def archive(dataset) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle.bundle_zip(dataset, SITE))) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def test_bundle_zip_is_byte_identical_for_the_same_release(dataset):
    first = bundle.bundle_zip(dataset, SITE)
    assert first == bundle.bundle_zip(dataset, SITE)
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {
            (SHIPPED_DATE.year, SHIPPED_DATE.month, SHIPPED_DATE.day, 0, 0, 0)
        }


def test_bundle_holds_every_file_the_readme_lists(archive):
    folder = f"nsps-{SHIPPED_ID}/"
    assert list(archive) == [folder + name for name in bundle.FILES]
    readme = archive[folder + "README.txt"].decode("utf-8")
    for name in bundle.FILES:
        assert name in readme


def test_bundle_readme_explains_every_column_and_nature(archive, dataset):
    readme = archive[f"nsps-{SHIPPED_ID}/README.txt"].decode("utf-8")
    header = read_csv_bytes(archive[f"nsps-{SHIPPED_ID}/observations.csv"]).columns.tolist()
    assert header == list(PUBLIC_COLUMNS)
    for column in header:
        assert f"{column}: " in readme, column
    for nature in set(dataset.tidy["nature"]):
        assert f"{nature} (" in readme, nature
    flowing = " ".join(readme.split())
    title = dataset.release.meta["title"]
    assert f'data release {SHIPPED_ID} "{title}", published {SHIPPED_ID}' in flowing


def test_bundle_observations_are_the_full_download_with_bom(archive, dataset):
    data = archive[f"nsps-{SHIPPED_ID}/observations.csv"]
    assert data.startswith(BOM.encode("utf-8"))
    assert data == csv_bytes(full_table(dataset))
    assert len(read_csv_bytes(data)) == len(dataset.tidy) == 738 + 204 + 6160


def test_bundle_catalogue_sources_areas_attribution_and_citation(archive, dataset):
    folder = f"nsps-{SHIPPED_ID}/"
    catalogue = read_csv_bytes(archive[folder + "indicators.csv"])
    assert catalogue["indicator_id"].tolist() == dataset.release.indicators.index.tolist()
    sources = read_csv_bytes(archive[folder + "sources.csv"])
    assert len(sources) == len(dataset.release.sources) and (sources["licence"] != "").all()
    assert len(read_csv_bytes(archive[folder + "areas.csv"])) == 1 + 18 + 148
    attribution = archive[folder + "ATTRIBUTION.txt"].decode("utf-8")
    assert " ".join(attribution.split()).startswith(ATTRIBUTION)
    citation = archive[folder + "CITATION.txt"].decode("utf-8")
    assert f"{SITE}/download/nsps-{SHIPPED_ID}.zip" in citation
    assert f"data release {SHIPPED_ID}" in citation
    assert "@misc{nsps_lao_" + SHIPPED_ID.replace("-", "_") in citation


def test_bundle_route_serves_release_zip_and_latest_redirects():
    client = make_server()[0].test_client()
    latest = client.get("/download/nsps-latest.zip")
    assert latest.status_code == 302
    assert latest.headers["Location"].endswith(f"/download/nsps-{SHIPPED_ID}.zip")
    response = client.get(f"/download/nsps-{SHIPPED_ID}.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "immutable" in response.headers["Cache-Control"]
    assert zipfile.ZipFile(io.BytesIO(response.data)).testzip() is None
    assert client.get(f"/download/nsps-{SHIPPED_ID}.zip").data == response.data
    assert client.get("/download/nsps-1999-01-01.zip").status_code == 404
