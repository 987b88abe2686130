"""What each goal page opens on (defaults as data, by rule) and the view models every surface
shares: a page, an embed, an image, a lite page and a CSV say the same thing about a view."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import defaults, queries, views
from dashboard.viewmodels import budget_view, map_view, series_view

GOALS = ("1", "2", "3")


@pytest.mark.parametrize("goal", GOALS)
def test_defaults_every_goal_page_opens_on_a_non_illustrative_indicator(dataset, goal):
    default = queries.default_view(dataset, goal)
    natures = dataset.release.indicators["nature"]
    shown = (
        default.indicator_id
        if default.tab == "map"
        else views.resolve_series_selection(dataset, goal).indicator_id
    )
    assert natures[shown] in defaults.REAL_NATURES
    if default.tab == "map":
        selection = views.resolve_map_selection(dataset, goal)
        assert selection.indicator_id == default.indicator_id
        assert not views.map_rows(dataset, selection).empty


@pytest.mark.parametrize("goal", GOALS)
def test_defaults_are_read_from_the_release_catalogue(dataset, goal):
    """The release's goals.csv says what each page opens on, and it is what the rule gives."""
    row = dataset.release.goals.loc[goal]
    assert row["default_tab"] in ("map", "chart")
    release = dataset.release
    computed = defaults.choose(
        goal, release.indicators, release.observations, release.challenges, release.areas
    )
    assert queries.default_view(dataset, goal) == computed


def test_defaults_goal_1_and_3_no_longer_open_on_a_single_year_survey_map(dataset):
    """Goal 1 opened on skilled birth attendance 2017 and goal 3 on stunting 2017 (one year, a
    greyed slider): a page now opens on a map whose slider moves, or else on its chart."""
    for goal, stale in (("1", "LSIS2_SKILLED_BIRTH_ATTENDANCE"), ("3", "LSIS2_STUNTING")):
        default = queries.default_view(dataset, goal)
        if default.tab == "map":
            assert default.indicator_id != stale
            selection = views.resolve_map_selection(dataset, goal)
            assert len(selection.years) >= 2  # the year slider has somewhere to go
        else:
            national = queries.observations_view(
                dataset, default.series_id, area_codes=("LA",), dated_only=True
            )
            assert national["year"].nunique() >= 2


def _frames(rows: list[tuple[str, str, str, int]], natures: dict[str, str]):
    """A catalogue, observations and challenges for the rule: (indicator, goal, area, year)."""
    indicators = pd.DataFrame(
        {
            "goal": {i: g for i, g, _a, _y in rows},
            "nature": natures,
            "challenge_ids": {i: "" for i, *_rest in rows},
        }
    )
    observations = pd.DataFrame(
        [{"indicator_id": i, "area_code": a, "year": str(y)} for i, _g, a, y in rows]
    )
    challenges = pd.DataFrame({"goal_ids": {"C01": "1"}})
    return indicators, observations, challenges


def test_defaults_rule_recent_multi_year_real_map_first_never_illustrative():
    rows = [
        ("OLD_SURVEY", "1", "LA01", 2017),  # one year: no default map
        ("ADMIN", "1", "LA01", 2020),
        ("ADMIN", "1", "LA01", 2022),
        ("ADMIN", "1", "LA0101", 2022),
        ("ADMIN", "1", "LA0101", 2020),
        ("ILLUS", "1", "LA01", 2023),
        ("ILLUS", "1", "LA01", 2024),
        ("NATIONAL", "1", "LA", 2019),
        ("NATIONAL", "1", "LA", 2021),
    ]
    natures = {
        "OLD_SURVEY": "survey",
        "ADMIN": "administrative",
        "ILLUS": "illustrative",
        "NATIONAL": "estimate",
    }
    chosen = defaults.choose("1", *_frames(rows, natures))
    # the illustrative series is newer and longer, but never a default; provinces first
    assert chosen == defaults.DefaultView("map", "ADMIN", "province", "NATIONAL")
    # a study of one province of two is no national map, however recent
    areas = pd.DataFrame({"level": ["national", "province", "province", "district"]})
    narrow = defaults.choose("1", *_frames(rows, natures), areas)
    assert narrow == defaults.DefaultView("map", "ADMIN", "province", "NATIONAL")  # 1 of 2: ok
    areas = pd.DataFrame({"level": ["national", *["province"] * 4, *["district"] * 4]})
    assert defaults.choose("1", *_frames(rows, natures), areas).tab == "chart"  # 1 of 4: not
    natures["ADMIN"] = "policy"  # a policy value is not a statistic either
    again = defaults.choose("1", *_frames(rows, natures))
    assert again == defaults.DefaultView("chart", "OLD_SURVEY", "province", "NATIONAL")


def test_level_switch_disables_a_level_without_figures_and_says_why(dataset):
    from layouts.goal import level_options

    options = level_options(dataset, "LSIS2_STUNTING", lang="en")
    assert options[0] == {"label": "Provinces", "value": "province"}
    assert options[1]["disabled"] is True
    assert options[1]["label"] == "Districts (no district figures for this indicator)"
    assert not any(
        o.get("disabled") for o in level_options(dataset, "ILL_HEALTH_COVERAGE", lang="en")
    )


def test_viewmodel_map_rows_are_exactly_the_csv_rows_and_sources_cite_them(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "province", 2020)
    view = map_view(dataset, "1", selection, lang="en")
    rows = queries.observations_view(dataset, "ILL_HEALTH_COVERAGE", level="province", year=2020)
    assert view.rows.equals(rows) and len(rows) == 18
    assert view.csv_url == views.map_csv_url(selection)
    assert view.illustrative and view.natures == ("illustrative",)
    assert len(view.sources) == 1 and "not official statistics" in view.sources[0]
    assert view.subtitle == "Provinces of Lao PDR, 2020 · % of population"
    assert view.page_link() == (
        "/goal/1?indicator=ILL_HEALTH_COVERAGE&level=province&year=2020&lang=en"
    )


def test_viewmodel_speaks_the_readers_language(dataset):
    selection = views.resolve_series_selection(dataset, "1")
    lao = series_view(dataset, "1", selection, lang="lo")
    english = series_view(dataset, "1", selection, lang="en")
    assert lao.title != english.title and lao.summary != english.summary
    assert lao.sources == english.sources  # citations as published
    assert lao.figure["layout"]["meta"]["lang"] == "lo"


def test_viewmodel_budget_cites_every_budget_source(dataset):
    view = budget_view(dataset, "3", lang="en")
    assert len(view.rows) == len(queries.budget_view(dataset, "3"))
    assert len(view.sources) == view.rows["source_publisher"].nunique()
