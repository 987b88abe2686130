"""A map view's data for every year as one cacheable GET (issue 11, item 1)."""

from __future__ import annotations

import dataclasses

import pytest
from api_server import make_server
from component_text import component_strings as _texts

from callbacks.viewdata import VIEW_DATA_PATH
from dashboard import viewdata, views
from dashboard.viewmodels.map import map_view

ILLUSTRATIVE = {"goal": "1", "indicator": "ILL_HEALTH_COVERAGE", "level": "province"}


def _set(figure: dict, path: str, value: object) -> None:
    """What the browser does with one change: set a dotted path (indices walk lists)."""
    *parents, last = path.split(".")
    node: object = figure
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _apply(figure: dict, changes: dict) -> dict:
    import copy

    out = copy.deepcopy(figure)
    for path, value in changes.items():
        _set(out, path, value)
    return out


@pytest.fixture(scope="module")
def client():
    server, _store = make_server()
    return server.test_client()


def test_view_data_figure_changes_are_the_difference_between_two_figures():
    base = {"data": [{"z": [1, 2], "name": "a"}, {"z": [3]}], "layout": {"title": {"text": "x"}}}
    other = {"data": [{"z": [1, 2], "name": "a"}, {"z": [4]}], "layout": {"title": {"text": "y"}}}
    changes = viewdata.figure_changes(base, other)
    assert changes == {"data.1.z": [4], "layout.title.text": "y"}
    assert _apply(base, changes) == other
    assert viewdata.figure_changes(base, base) == {}


def test_view_data_rebuilds_every_years_figure_and_text_exactly(dataset):
    document = viewdata.map_view_data(dataset, **ILLUSTRATIVE, lang="lo")
    selection = views.resolve_map_selection(
        dataset, "1", ILLUSTRATIVE["indicator"], "province", lang="lo"
    )
    assert document["years"] == list(selection.years) and len(document["years"]) > 1
    assert document["latest_year"] == selection.year
    for year in selection.years:
        view = map_view(dataset, "1", dataclasses.replace(selection, year=year), lang="lo")
        frame = document["by_year"][str(year)]
        assert _apply(document["figure"], frame["changes"]) == view.figure
        assert (frame["title"], frame["subtitle"], frame["summary"]) == (
            view.title,
            view.subtitle,
            view.summary,
        )
        assert frame["illustrative"] is True and "illustrative" in frame["natures"]
    oldest = document["by_year"][str(selection.years[0])]
    assert oldest["changes"], "an earlier year must change the values drawn"


@pytest.mark.parametrize(
    "query",
    [
        {"goal": "1", "indicator": "NOPE", "level": "province"},
        {"goal": "1", "indicator": "ILL_HEALTH_COVERAGE", "level": "village"},
        {"goal": "7", "indicator": "ILL_HEALTH_COVERAGE", "level": "province"},
        {"goal": "3", "indicator": "LSIS2_STUNTING", "level": "district"},  # provinces only
    ],
)
def test_view_data_never_falls_back_to_another_view(dataset, query):
    with pytest.raises(viewdata.UnknownView):
        viewdata.map_view_data(dataset, **query, lang="en")


def test_view_data_get_is_cacheable_with_etag_and_304(client):
    response = client.get(VIEW_DATA_PATH, query_string={**ILLUSTRATIVE, "lang": "en"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json["lang"] == "en" and response.json["indicator"] == "ILL_HEALTH_COVERAGE"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    again = client.get(
        VIEW_DATA_PATH,
        query_string={**ILLUSTRATIVE, "lang": "en"},
        headers={"If-None-Match": etag},
    )
    assert again.status_code == 304 and again.data == b""


def test_view_data_pinned_to_a_release_is_immutable(client, dataset):
    release = dataset.release.release_id
    response = client.get(VIEW_DATA_PATH, query_string={**ILLUSTRATIVE, "release": release})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.json["release"] == release and response.json["lang"] == "lo"


def _hrefs(component: object) -> list[str]:
    if isinstance(component, list):
        return [href for child in component for href in _hrefs(child)]
    if isinstance(component, dict):
        props = component.get("props", {})
        own = [props["href"]] if "href" in props else []
        return own + _hrefs(props.get("children"))
    return []


def test_view_data_for_a_width_class_carries_each_years_frame_parts_and_share_state(client):
    """What the goal page places on a year change in the browser (`assets/viewdata.js`):
    the figure drawn for the page's width class, and per year the share state and the frame's
    heading, footer, Sources tab and downloads, as components."""
    response = client.get(
        VIEW_DATA_PATH, query_string={**ILLUSTRATIVE, "lang": "en", "layout": "phone"}
    )
    assert response.status_code == 200
    document = response.json
    assert (
        document["layout"] == "phone" and document["figure"]["layout"]["meta"]["layout"] == "phone"
    )
    for year in document["years"]:
        entry = document["by_year"][str(year)]
        assert entry["share"]["query"] == {
            "indicator": "ILL_HEALTH_COVERAGE",
            "level": "province",
            "year": str(year),
        }
        assert entry["share"]["layout"] == "phone" and str(year) in entry["share"]["title"]
        frame = entry["frame"]
        heading = _texts(frame["heading"])
        assert heading[0] == entry["title"]
        assert "Illustrative — not official statistics" in heading  # the badge beside it
        assert "Release " + document["release"] in _texts(frame["footer"])
        assert _texts(frame["sources"]).count(entry["sources"][0]) == 1
        hrefs = _hrefs(frame["downloads"])
        assert entry["csv_url"] in hrefs
        assert all(f"year={year}" in href for href in hrefs), hrefs


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({**ILLUSTRATIVE, "lang": "x1"}, 400),
        ({**ILLUSTRATIVE, "colour": "red"}, 400),
        ({**ILLUSTRATIVE, "layout": "slide"}, 400),  # a page is never drawn as a slide
        ({"goal": "1", "level": "province"}, 400),
        ({**ILLUSTRATIVE, "indicator": "NOPE"}, 400),
        ({**ILLUSTRATIVE, "release": "1999-01-01"}, 404),
    ],
)
def test_view_data_refuses_what_it_cannot_answer_with_a_json_error(client, query, status):
    response = client.get(VIEW_DATA_PATH, query_string=query)
    assert response.status_code == status
    assert response.json["error"]["status"] == status
    assert response.headers["Cache-Control"] == "no-store"


def test_view_data_url_of_a_drawn_map_names_exactly_its_view(client, dataset):
    """The address the goal page fetches (`map-view-data`) answers the view data of the very
    map drawn: its width class, language and release, immutable."""
    selection = views.resolve_map_selection(
        dataset, "1", ILLUSTRATIVE["indicator"], "province", lang="en"
    )
    view = map_view(dataset, "1", selection, lang="en", layout="tablet")
    url = viewdata.map_view_data_url(view)
    assert url.startswith(VIEW_DATA_PATH + "?")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    document = response.json
    assert (document["layout"], document["lang"], document["release"]) == (
        "tablet",
        "en",
        view.release_id,
    )
    assert document["by_year"][str(selection.year)]["share"] == view.share
