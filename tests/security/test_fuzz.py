"""Hostile input: query strings, download parameters and Dash callback payloads, fuzzed.

Whatever a client sends, the server answers below 500 and no stack trace reaches it. Invalid
selections fall back to defaults (views.resolve_map_selection); malformed requests get a 4xx
or Dash's "no update" (204).

`NSPS_FUZZ_EXAMPLES` sets how many examples each property tries (default 150).
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.load.harness import dash_callback_request
from tests.security.conftest import assert_safe_response

FUZZ = settings(
    max_examples=int(os.environ.get("NSPS_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
UPDATE = "/_dash-update-component"

# Real values mixed in, so the fuzz also reaches the code behind a valid first argument.
INDICATORS = ["ILL_HEALTH_COVERAGE", "ILL_SOCIAL_SECURITY_COVERAGE", "SHP_COVERAGE", "POP_TOTAL"]
AREAS = ["LA", "LA01", "LA13", "LA1301", "LA18"]
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
text_params = st.text(max_size=60) | st.sampled_from(
    [
        "",
        "0",
        "-1",
        "2020",
        "1e9",
        "NaN",
        "province",
        "district",
        "national",
        "<script>",
        "'",
        "%00",
        "\x00",
        "../../etc/passwd",
        ",,,",
        "LA01,LA13",
        "a" * 3000,
    ]
)
indicator_like = json_values | st.sampled_from(INDICATORS)
level_like = json_values | st.sampled_from(["province", "district", "national"])
year_like = json_values | st.integers(min_value=1990, max_value=2030)
goal_like = json_values | st.sampled_from(["1", "2", "3", 1, 3])
areas_like = json_values | st.lists(st.sampled_from(AREAS) | st.text(max_size=6), max_size=6)


def _callbacks(client) -> list[dict[str, Any]]:
    """Every callback the app registers, as the renderer learns them (`/_dash-dependencies`)."""
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200
    return response.json


def _callback_with_input(client, component: str) -> dict[str, Any]:
    found = [c for c in _callbacks(client) if any(i["id"] == component for i in c["inputs"])]
    assert found, f"no callback takes {component!r} as input"
    return found[0]


def _post(client, payload: Any) -> tuple[int, bytes]:
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    response = client.post(UPDATE, data=body, content_type="application/json")
    return response.status_code, response.data


@FUZZ
@given(indicator=indicator_like, level=level_like, year=year_like, goal=goal_like)
def test_fuzz_update_map_callback_never_fails(client, indicator, level, year, goal):
    values = {
        "map-indicator.value": indicator,
        "map-level.value": level,
        "map-year.value": year,
        "goal-id.data": goal,
    }
    callback = next(c for c in _callbacks(client) if c["output"].startswith("..map-graph.figure"))
    assert_safe_response(
        *_post(client, dash_callback_request(callback, values)), f"update_map {values}"
    )


@FUZZ
@given(indicator=indicator_like, level=level_like, year=year_like, goal=goal_like)
def test_fuzz_update_year_slider_callback_never_fails(client, indicator, level, year, goal):
    values = {
        "map-indicator.value": indicator,
        "map-level.value": level,
        "map-year.value": year,
        "goal-id.data": goal,
    }
    callback = next(c for c in _callbacks(client) if c["output"].startswith("..map-year.min"))
    assert_safe_response(
        *_post(client, dash_callback_request(callback, values)), f"update_year_slider {values}"
    )


@FUZZ
@given(indicator=indicator_like, areas=areas_like)
def test_fuzz_update_series_callback_never_fails(client, indicator, areas):
    values = {"series-indicator.value": indicator, "series-areas.value": areas}
    callback = _callback_with_input(client, "series-indicator")
    assert_safe_response(
        *_post(client, dash_callback_request(callback, values)), f"update_series {values}"
    )


@FUZZ
@given(data=st.data())
def test_fuzz_every_registered_callback_with_any_json_never_fails(client, data):
    """Also covers callbacks added later: each input and state gets arbitrary JSON."""
    callbacks = [
        c
        for c in _callbacks(client)
        if all(isinstance(i["id"], str) for i in c["inputs"] + c["state"])
    ]
    callback = data.draw(st.sampled_from(callbacks), label="callback")
    values = {
        f"{i['id']}.{i['property']}": data.draw(json_values, label=f"{i['id']}.{i['property']}")
        for i in callback["inputs"] + callback["state"]
    }
    assert_safe_response(
        *_post(client, dash_callback_request(callback, values)), f"{callback['output']} {values}"
    )


def _pages_payload(client, pathname: Any, search: Any) -> dict[str, Any]:
    callback = _callback_with_input(client, "_pages_location")
    return dash_callback_request(
        callback, {"_pages_location.pathname": pathname, "_pages_location.search": search}
    )


@FUZZ
@given(
    goal=st.sampled_from(["1", "2", "3", "0", "9", "", "%3Cscript%3E"]) | st.text(max_size=12),
    query=st.dictionaries(
        st.sampled_from(["indicator", "level", "year", "series", "areas"]) | st.text(max_size=8),
        text_params,
        max_size=6,
    ),
    raw_tail=st.text(max_size=30),
)
def test_fuzz_goal_page_query_string_never_fails(client, goal, query, raw_tail):
    """Dash Pages renders a page in a POST callback from `_pages_location` pathname + search."""
    from urllib.parse import quote, urlencode

    search = "?" + urlencode(query) + raw_tail
    payload = _pages_payload(client, "/goal/" + quote(goal, safe=""), search)
    assert_safe_response(*_post(client, payload), f"page /goal/{goal}{search}")


@FUZZ
@given(pathname=json_values | st.text(max_size=40), search=json_values | st.text(max_size=40))
def test_fuzz_pages_location_with_any_json_never_fails(client, pathname, search):
    payload = _pages_payload(client, pathname, search)
    assert_safe_response(*_post(client, payload), f"page {pathname!r} {search!r}")


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["indicator", "level", "year", "areas"]) | st.text(max_size=8),
        text_params | st.sampled_from(INDICATORS),
        max_size=5,
    ),
    route=st.sampled_from(["/download/map.csv", "/download/series.csv"]),
)
def test_fuzz_download_parameters_never_fail(client, params, route):
    response = client.get(route, query_string=params)
    assert_safe_response(response.status_code, response.data, f"GET {route} {params!r}")
    assert response.status_code in (200, 404), (route, params, response.status_code)


@FUZZ
@given(level=st.text(min_size=1, max_size=40), params=st.dictionaries(st.text(), st.text()))
def test_fuzz_geojson_level_never_fails(client, level, params):
    from urllib.parse import quote

    response = client.get(f"/geo/{quote(level, safe='')}.geojson", query_string=params)
    assert_safe_response(response.status_code, response.data, f"GET /geo/{level!r}.geojson")


@FUZZ
@given(
    envelope=json_values
    | st.fixed_dictionaries(
        {"output": json_values, "outputs": json_values, "inputs": json_values},
        optional={"state": json_values, "changedPropIds": json_values},
    )
    | st.fixed_dictionaries(
        {
            "output": st.sampled_from(["map-year.min", "..map-graph.figure..", "nope.x", ""]),
            "outputs": st.just({"id": "map-graph", "property": "figure"}),
            "inputs": st.lists(
                st.fixed_dictionaries(
                    {"id": json_values, "property": json_values, "value": json_values}
                ),
                max_size=4,
            ),
        }
    )
)
def test_fuzz_malformed_callback_envelopes_never_fail(client, envelope):
    assert_safe_response(*_post(client, envelope), f"envelope {envelope!r}"[:300])


@FUZZ
@given(body=st.binary(max_size=200) | st.text(max_size=200))
def test_fuzz_non_json_callback_bodies_never_fail(client, body):
    assert_safe_response(*_post(client, body), f"body {body!r}")


def test_huge_callback_payload_is_refused_or_handled_without_error(client):
    areas = ["LA01"] * 200_000 + ["x" * 100_000]
    payload = dash_callback_request(
        _callback_with_input(client, "series-indicator"),
        {"series-indicator.value": "ILL_HEALTH_COVERAGE" * 10_000, "series-areas.value": areas},
    )
    status, body = _post(client, payload)
    assert_safe_response(status, body, "huge series payload")
    assert status == 413, status


def test_deeply_nested_callback_payload_is_handled_without_error(client):
    nested = "[" * 5_000 + '"x"' + "]" * 5_000
    payload = json.dumps(
        dash_callback_request(
            _callback_with_input(client, "series-indicator"), {"series-indicator.value": "NESTED"}
        )
    ).replace('"NESTED"', nested)
    assert_safe_response(*_post(client, payload), "deeply nested payload")
