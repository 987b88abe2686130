"""The read-only API: same rows and bytes as the CSV downloads, clear 400s, open CORS, caching."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from api_server import make_server
from shipped import SHIPPED_ID

from dashboard import api, queries, views
from dashboard.exports import csv_bytes, read_csv_bytes

MAP_VIEW = "indicator=ILL_HEALTH_COVERAGE&level=province&year=2020"


@pytest.fixture(scope="module")
def client():
    server, _store = make_server()
    return server.test_client()


def test_api_observations_csv_is_byte_identical_to_map_download(client):
    download = client.get(f"/download/map.csv?{MAP_VIEW}")
    answer = client.get(f"/api/v1/observations?{MAP_VIEW}&format=csv")
    assert download.status_code == answer.status_code == 200
    assert len(read_csv_bytes(answer.data)) == 18
    assert answer.data == download.data


def test_api_observations_json_values_equal_csv_values(client):
    as_json = client.get(f"/api/v1/observations?{MAP_VIEW}").get_json()
    as_csv = read_csv_bytes(client.get(f"/api/v1/observations?{MAP_VIEW}&format=csv").data)
    assert as_json["count"] == len(as_csv) == len(as_json["observations"]) == 18
    assert as_json["query"]["year"] == 2020 and as_json["release"]["id"] == SHIPPED_ID
    for record, (_, row) in zip(as_json["observations"], as_csv.iterrows(), strict=True):
        assert list(record) == list(queries.PUBLIC_COLUMNS)
        assert record["area_code"] == row["area_code"]
        assert record["year"] == int(row["year"]) == 2020
        assert record["value"] == pytest.approx(float(row["value"]), rel=1e-9)
        assert record["badge"] == row["badge"] == queries.ILLUSTRATIVE_BADGE


def test_api_observations_answer_through_observations_view(dataset):
    values = {"indicator": "ILL_HEALTH_COVERAGE,SHP_COVERAGE", "area": "LA,LA01"}
    query = api.parse_observations_query(dataset, values)
    rows = api.observations(dataset, query)
    expected = pd.concat(
        queries.observations_view(dataset, i, area_codes=("LA", "LA01"))
        for i in ("ILL_HEALTH_COVERAGE", "SHP_COVERAGE")
    )
    assert csv_bytes(rows) == csv_bytes(expected)
    assert set(rows["area_code"]) == {"LA", "LA01"}
    assert rows["indicator_id"].unique().tolist() == ["ILL_HEALTH_COVERAGE", "SHP_COVERAGE"]


def test_api_map_view_equals_view_model_rows(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "district", 2019)
    query = api.parse_observations_query(
        dataset, {"indicator": "ILL_HEALTH_COVERAGE", "level": "district", "year": "2019"}
    )
    assert csv_bytes(api.observations(dataset, query)) == csv_bytes(
        views.map_rows(dataset, selection)
    )


def test_api_breakdowns_all_adds_sex_and_urban_rural_rows(dataset):
    totals = api.observations(dataset, api.parse_observations_query(dataset, {}))
    every = api.observations(dataset, api.parse_observations_query(dataset, {"breakdowns": "all"}))
    assert len(every) == len(dataset.tidy) > len(totals)
    assert set(totals["sex"]) == {"total"}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("indicator=NOPE", "Unknown indicator(s) NOPE"),
        ("level=moon", "Unknown level 'moon'"),
        ("area=LA99", "Unknown area code(s) LA99"),
        ("year=20x0", "is not a year"),
        ("year=99999", "is not a year"),
        ("format=xml", "Unknown format 'xml'"),
        ("breakdowns=some", "Unknown breakdowns"),
        ("indicators=SHP_COVERAGE", "Unknown parameter(s) indicators"),
        ("year=2020&year=2021", "given more than once"),
    ],
)
def test_api_invalid_parameter_answers_400_json(client, query, words):
    response = client.get(f"/api/v1/observations?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert words in response.get_json()["error"]["message"]


def test_api_unknown_release_and_endpoint_answer_404_json(client):
    for url in (
        "/api/v1/observations?release=1999-01-01",
        "/api/v1/indicators?release=x",
        "/api/v1/x",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["status"] == 404


def test_api_pinned_release_is_cached_longer_with_etag_and_cors(client):
    latest = client.get("/api/v1/sources")
    pinned = client.get(f"/api/v1/sources?release={SHIPPED_ID}")
    assert latest.headers["Cache-Control"] == "public, max-age=300"
    assert pinned.headers["Cache-Control"] == "public, max-age=86400"
    assert latest.headers["Access-Control-Allow-Origin"] == "*"
    assert pinned.get_json()["sources"] == latest.get_json()["sources"]
    again = client.get("/api/v1/sources", headers={"If-None-Match": latest.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_api_catalogue_and_sources_carry_licences_and_list_cells(client, dataset):
    indicators = client.get("/api/v1/indicators").get_json()
    assert indicators["count"] == len(dataset.release.indicators)
    first = indicators["indicators"][0]
    assert {"indicator_id", "name_en", "name_lo", "unit_en", "direction"} <= set(first)
    assert all(isinstance(row["challenge_ids"], str) for row in indicators["indicators"])
    sources = client.get("/api/v1/sources").get_json()["sources"]
    assert all(row["licence"] for row in sources)
    as_csv = read_csv_bytes(client.get("/api/v1/sources?format=csv").data)
    assert as_csv["source_id"].tolist() == [row["source_id"] for row in sources]


def test_api_releases_lists_served_release_with_zip(client):
    releases = client.get("/api/v1/releases").get_json()["releases"]
    served = [r for r in releases if r["served"]]
    assert served and served[0]["id"] == SHIPPED_ID and served[0]["date"] == SHIPPED_ID
    assert served[0]["zip"] == f"/download/nsps-{SHIPPED_ID}.zip"
    index = json.loads(client.get("/api/v1/").data)
    assert set(index["endpoints"]) == {
        "indicators",
        "sources",
        "targets",
        "releases",
        "observations",
    }


def test_api_targets_name_whose_target_and_its_document(client, dataset):
    answer = client.get("/api/v1/targets").get_json()
    assert answer["count"] == len(dataset.release.targets)
    by_id = {row["target_id"]: row for row in answer["targets"]}
    hsdp = by_id["hsdp8_health_coverage_2020"]
    assert (hsdp["indicator_id"], hsdp["value"], hsdp["year"]) == ("SHP_COVERAGE", 80.0, 2020)
    assert hsdp["setter_en"].startswith("8th Health Sector Development Plan")
    assert hsdp["document_title"] and hsdp["document_url"].startswith("https://")
    assert by_id["nsps_objective_2_1_formal_sector"]["kind"] == "commitment"
    as_csv = read_csv_bytes(client.get("/api/v1/targets?format=csv").data)
    assert as_csv["target_id"].tolist() == [row["target_id"] for row in answer["targets"]]
