"""The full download comes in two files with the illustrative count stated; `lang=lo` CSVs."""

from __future__ import annotations

import pytest
from api_server import make_server

from dashboard import downloads
from dashboard.exports import read_csv_bytes


@pytest.fixture(scope="module")
def client():
    return make_server()[0].test_client()


def test_full_download_comes_as_official_only_and_all_with_illustrative(client, dataset):
    official = read_csv_bytes(client.get(downloads.OFFICIAL_URL).data)
    everything = read_csv_bytes(client.get(downloads.ALL_URL).data)
    illustrative = downloads.illustrative_count(dataset)
    assert illustrative == 6160
    assert len(everything) == len(dataset.tidy) == len(official) + illustrative
    assert not (official["nature"] == "illustrative").any()
    assert (official["badge"] == "").all()
    marked = everything[everything["nature"] == "illustrative"]
    assert len(marked) == illustrative and (marked["badge"] != "").all()


def test_download_links_state_the_illustrative_count_beside_the_link(dataset):
    official, everything = downloads.full_download_links(dataset, "en")
    assert official.href == downloads.OFFICIAL_URL and "no illustrative" in official.note
    assert "6,160 are illustrative" in everything.note
    lao = downloads.full_download_links(dataset, "lo")
    assert all(link.href.endswith("?lang=lo") for link in lao)
    assert "6.160" in lao[1].note or "6,160" in lao[1].note


@pytest.mark.parametrize(
    "path",
    [
        downloads.ALL_URL,
        downloads.OFFICIAL_URL,
        "/download/map.csv?indicator=ILL_HEALTH_COVERAGE&level=province&year=2020",
        "/download/series.csv?indicator=SHP_COVERAGE&areas=LA",
        "/api/v1/observations?indicator=ILL_HEALTH_COVERAGE&level=province&year=2020&format=csv",
    ],
)
def test_lang_lo_csv_has_lao_indicator_names_units_and_area_names(client, dataset, path):
    english = read_csv_bytes(client.get(path).data)
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}lang=lo")
    assert response.status_code == 200
    lao = read_csv_bytes(response.data)
    assert list(lao.columns) == list(english.columns) and len(lao) == len(english)
    areas = dataset.release.areas
    for column, lookup in (("area_name", areas["name_lo"]),):
        assert (lao[column] == lao["area_code"].map(lookup)).all()
    names = dataset.release.indicators["name_lo"]
    assert (lao["indicator_name"] == lao["indicator_id"].map(names)).all()
    assert lao["unit"].str.contains("[\u0e80-\u0eff%]", regex=True).all()
    assert (english["indicator_name"] != lao["indicator_name"]).any()
    assert 'lo.csv"' in response.headers["Content-Disposition"]
    if (lao["nature"] == "illustrative").any():
        assert (
            lao.loc[lao["nature"] == "illustrative", "badge"] == "ຂໍ້ມູນສົມມຸດ — ບໍ່ແມ່ນສະຖິຕິທາງການ"
        ).all()


def test_whole_release_csv_is_made_once_per_language_unless_too_large(client, monkeypatch):
    from callbacks import routes

    made: list[str] = []
    real = routes.csv_bytes

    def counting(rows):
        made.append("csv")
        return real(rows)

    monkeypatch.setattr(routes, "csv_bytes", counting)
    monkeypatch.setattr(routes, "_WHOLE_CSVS", routes.PerOwnerCache(4))
    first = client.get("/download/nsps-data-official.csv").data
    assert client.get("/download/nsps-data-official.csv").data == first and len(made) == 1
    client.get("/download/nsps-data-official.csv?lang=lo")
    assert len(made) == 2  # the Lao file is another file
    monkeypatch.setattr(routes, "KEPT_CSV_BYTES", 1000)  # a release too large to keep
    monkeypatch.setattr(routes, "_WHOLE_CSVS", routes.PerOwnerCache(4))
    for _ in range(2):
        assert client.get("/download/nsps-data-official.csv").data == first
    assert len(made) == 4  # made once per download, never twice for one
