"""Figure builders: the values drawn, the provenance printed, and the patch/figure agreement."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from dashboard import figures, queries, views
from dashboard.figures import BACKGROUND, VALUES, apply_properties


def _map(dataset, goal="2", indicator=None, level=None, year=None, schematic=False):
    selection = views.resolve_map_selection(dataset, goal, indicator, level, year)
    return selection, views.map_figure(dataset, selection, schematic)


def test_map_figure_draws_every_value_of_the_view(dataset):
    selection, fig = _map(dataset, "3", "LSIS2_STUNTING")
    rows = views.map_rows(dataset, selection).set_index("area_code")
    values = fig["data"][VALUES]
    assert len(values["locations"]) == 18
    drawn = dict(zip(values["locations"], values["z"], strict=True))
    assert drawn == rows["value"].to_dict()
    assert drawn["LA01"] == pytest.approx(13.8)


def test_map_figure_is_valid_plotly(dataset):
    _, fig = _map(dataset, "1")
    go.Figure(fig)  # raises on any invalid property


def test_map_background_covers_every_area_so_missing_values_read_no_data(dataset):
    _, fig = _map(dataset, "1", "NHI_START_YEAR_PROVINCE")
    background, values = fig["data"][BACKGROUND], fig["data"][VALUES]
    assert len(background["locations"]) == 18
    assert "LA01" not in values["locations"]  # Vientiane Capital: no NHI start year
    assert "no data" in background["hovertemplate"]
    assert fig["layout"]["meta"]["areas_without_data"] == 18 - len(values["locations"])


def test_map_geometry_is_referenced_by_url_not_embedded(dataset):
    _, fig = _map(dataset, "2", level="district")
    assert fig["data"][VALUES]["geojson"] == "/geo/district.geojson"
    assert len(json.dumps(fig)) < 60_000


def test_map_update_patch_has_the_same_values_as_a_fresh_figure(dataset):
    """Changing year through the patch gives exactly the figure a shared link would draw."""
    first, fig = _map(dataset, "2", year="2016")
    second, fresh = _map(dataset, "2", year="2020")
    patched = apply_properties(
        json.loads(json.dumps(fig)), views.map_update(dataset, second, False)
    )
    assert patched == fresh
    assert patched["data"][VALUES]["z"] != fig["data"][VALUES]["z"]


def test_map_update_is_small_and_carries_no_geometry(dataset):
    selection = views.resolve_map_selection(dataset, "2", level="district", year="2020")
    update = views.map_update(dataset, selection, False)
    payload = json.dumps(update)
    assert '"coordinates"' not in payload
    assert len(payload) < 40_000  # 148 districts of values, names and hover text


def test_map_states_unit_year_source_nature_and_attribution(dataset):
    _, fig = _map(dataset, "3", "LSIS2_STUNTING")
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "2017" in fig["layout"]["title"]["text"]
    assert "% of children under 5" in notes
    assert "Survey / census" in notes
    assert "NIPN" in notes
    assert "CC BY 3.0 IGO" in notes


def test_illustrative_map_carries_the_badge_and_real_map_does_not(dataset):
    _, illustrative = _map(dataset, "2")
    _, real = _map(dataset, "3", "LSIS2_STUNTING")

    def badge(fig):
        return [a for a in fig["layout"]["annotations"] if a.get("name") == "illustrative-badge"]

    assert badge(illustrative) and "NOT OFFICIAL STATISTICS" in badge(illustrative)[0]["text"]
    assert not badge(real)


def test_schematic_map_says_it_is_not_a_map(dataset):
    _, fig = _map(dataset, "2", schematic=True)
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "Schematic layout" in notes


def test_lower_is_better_reverses_the_colour_scale(dataset):
    _, stunting = _map(dataset, "3", "LSIS2_STUNTING")
    _, births = _map(dataset, "1", "LSIS2_SKILLED_BIRTH_ATTENDANCE")
    assert stunting["data"][VALUES]["reversescale"] is True
    assert births["data"][VALUES]["reversescale"] is False


def test_time_series_draws_each_method_as_its_own_line_and_says_so(dataset):
    fig = views.series_figure(dataset, "POV_NATIONAL_LECS", ())
    names = [t["name"] for t in fig["data"]]
    assert len(names) == len(set(names)) >= 2
    old = next(t for t in fig["data"] if "old" in t["name"].lower() or "(old" in t["name"])
    assert old["x"] == [1992, 2002, 2007, 2012]
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "Series break" in notes
    go.Figure(fig)


def test_time_series_shows_the_target(dataset):
    fig = views.series_figure(dataset, "SHP_COVERAGE", ())
    target = next(t for t in fig["data"] if t["name"].startswith("Target"))
    assert (target["x"], target["y"]) == ([2020], [80.0])
    assert fig["layout"]["shapes"][0]["y0"] == 80.0


def test_time_series_points_equal_the_series_view(dataset):
    fig = views.series_figure(dataset, "ILL_HEALTH_COVERAGE", ("LA05",))
    rows = queries.series_view(dataset, "ILL_HEALTH_COVERAGE", ("LA05",))
    drawn = sorted(
        (x, y)
        for t in fig["data"]
        if not t["name"].startswith("Target") and t.get("meta") != "trajectory"
        for x, y in zip(t["x"], t["y"], strict=True)
    )
    assert drawn == sorted(zip(rows["year"].astype(int), rows["value"], strict=True))


def test_budget_figures_are_valid_and_sum_to_the_published_amounts(dataset):
    stack = figures.budget_stack_figure(
        queries.budget_stack_view(dataset, "1"), dataset.release.indicators
    )
    go.Figure(stack)
    assert len(stack["data"]) == 3
    lines = queries.budget_view(dataset, "3")
    fig = figures.budget_lines_figure(lines)
    go.Figure(fig)
    drawn = sum(sum(t["x"]) for t in fig["data"])
    assert drawn == pytest.approx(lines["amount"].sum() / 1e6)
