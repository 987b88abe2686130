"""Queries and view models on the shipped release: values asserted against the published tables."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import queries, views
from dashboard.queries import ILLUSTRATIVE_BADGE, PUBLIC_COLUMNS


def test_tidy_table_has_one_row_per_observation_with_public_columns(dataset, shipped_release):
    assert list(dataset.tidy.columns) == list(PUBLIC_COLUMNS)
    assert len(dataset.tidy) == len(shipped_release.observations) == 738 + 204 + 6160


def test_observations_view_province_stunting_2017_has_18_provinces(dataset):
    rows = queries.observations_view(dataset, "LSIS2_STUNTING", level="province", year=2017)
    assert len(rows) == 18
    assert rows.set_index("area_code").at["LA01", "value"] == pytest.approx(13.8)
    assert set(rows["nature"]) == {"survey"}
    assert set(rows["area_level"]) == {"province"}


def test_observations_view_unknown_indicator_is_empty_not_an_error(dataset):
    assert queries.observations_view(dataset, "NO_SUCH_INDICATOR").empty


def test_latest_prefers_dated_values_and_returns_2024_coverage(dataset):
    row = queries.latest(dataset, "SHP_COVERAGE")
    assert (int(row["year"]), row["value"]) == (2024, 94.0)


def test_latest_falls_back_to_an_undated_value(dataset):
    row = queries.latest(dataset, "NSSF_INSURED_MEMBERS")
    assert pd.isna(row["year"]) and row["value"] == 353962


def test_series_view_keeps_the_two_poverty_methods_as_separate_series(dataset):
    rows = queries.series_view(dataset, "POV_NATIONAL_LECS")
    by_series = rows.groupby("indicator_id")["year"].apply(lambda y: sorted(y.astype(int)))
    assert by_series["POV_NATIONAL_LECS"] == [2012, 2018]
    assert by_series["POV_NATIONAL_LECS_OLD"] == [1992, 2002, 2007, 2012]


def test_series_view_never_puts_undated_values_on_the_time_axis(dataset):
    rows = queries.series_view(dataset, "NSSF_INSURED_MEMBERS")
    assert rows.empty
    assert len(queries.undated_view(dataset, ["NSSF_INSURED_MEMBERS"])) == 1


def test_series_view_adds_chosen_provinces(dataset):
    rows = queries.series_view(dataset, "ILL_HEALTH_COVERAGE", ("LA01", "LA13"))
    assert set(rows["area_code"]) == {"LA", "LA01", "LA13"}
    assert (rows["badge"] == ILLUSTRATIVE_BADGE).all()


def test_mappable_indicators_put_real_series_before_illustrative(dataset):
    ids = queries.mappable_indicator_ids(dataset, "1")
    natures = [dataset.indicator(i)["nature"] for i in ids]
    assert ids[0] == "LSIS2_SKILLED_BIRTH_ATTENDANCE"
    assert natures.index("illustrative") > 0
    assert "illustrative" not in natures[: natures.index("illustrative")]


def test_budget_stack_shares_add_to_100_each_year(dataset):
    rows = queries.budget_stack_view(dataset, "1")
    assert set(rows["indicator_id"]) == {
        "GHED_GGHE-DCHE_SHA2011",
        "GHED_PVT-DCHE_SHA2011",
        "GHED_EXTCHE_SHA2011",
    }
    totals = rows.groupby("year")["value"].sum()
    assert len(totals) == 23
    assert ((totals - 100).abs() <= 0.05).all()


def test_goal_2_has_no_budget_stack_and_goal_3_has_programme_envelopes(dataset):
    assert queries.budget_stack_view(dataset, "2").empty
    lines = queries.budget_view(dataset, "3")
    assert lines.set_index("budget_id").at["wb_rrpmp_credit", "amount"] == 27_000_000


def test_challenge_c07_bears_on_goal_2(dataset):
    assert "C07" in queries.goal_challenge_ids(dataset, "2")
    assert "C07" not in queries.goal_challenge_ids(dataset, "1")


# ---------------------------------------------------------------- view models


def test_resolve_map_selection_defaults_to_latest_year(dataset):
    selection = views.resolve_map_selection(dataset, "2")
    assert selection.indicator_id == "ILL_SOCIAL_SECURITY_COVERAGE"
    assert (selection.level, selection.year) == ("province", 2024)
    assert selection.years == tuple(range(2016, 2025))
    assert selection.notices == ()


@pytest.mark.parametrize(
    ("indicator", "level", "year", "notice"),
    [
        ("NOPE", None, None, "has no map"),
        (None, "village", None, "Unknown map level"),
        (None, None, "1999", "showing the latest year"),
        (None, None, "<script>", "showing the latest year"),
    ],
)
def test_invalid_map_query_falls_back_with_a_notice(dataset, indicator, level, year, notice):
    selection = views.resolve_map_selection(dataset, "2", indicator, level, year)
    assert selection.indicator_id == "ILL_SOCIAL_SECURITY_COVERAGE"
    assert selection.year == 2024
    assert any(notice in n for n in selection.notices)


def test_district_level_of_a_province_only_series_shows_provinces_with_a_notice(dataset):
    """Never an all-grey "no data" map: a level without figures falls back to one with them."""
    selection = views.resolve_map_selection(dataset, "3", "LSIS2_STUNTING", "district")
    assert selection.level == "province" and selection.year == 2017
    assert len(views.map_rows(dataset, selection)) == 18
    assert selection.notices == ("This indicator has no district figures; showing provinces.",)


def test_goal_1_with_level_district_opens_on_a_level_with_data(dataset):
    selection = views.resolve_map_selection(dataset, "1", None, "district")
    assert selection.level in queries.levels_with_data(dataset, selection.indicator_id)
    assert not views.map_rows(dataset, selection).empty


def test_series_area_codes_ignores_unknown_codes(dataset):
    assert views.series_area_codes(dataset, "LA01,XX,LA0101,") == ("LA01", "LA0101")
    assert views.series_area_codes(dataset, None) == ()


def test_kept_views_are_each_callers_own_copy(dataset):
    """Views, latest values and targets are kept per dataset; changing one a caller got
    changes nothing another caller gets."""
    first = queries.observations_view(dataset, "LSIS2_STUNTING", level="province", year=2017)
    first["value"] = -1.0
    first.loc[first.index[0], "area_code"] = "XX"
    again = queries.observations_view(dataset, "LSIS2_STUNTING", level="province", year=2017)
    assert len(again) == 18 and (again["value"] > 0).all() and "XX" not in set(again["area_code"])
    row = queries.latest(dataset, "SHP_COVERAGE")
    row["value"] = -1.0
    assert queries.latest(dataset, "SHP_COVERAGE")["value"] > 0
    targets = queries.targets_view(dataset)
    targets["value"] = -1.0
    assert not (queries.targets_view(dataset)["value"] == -1.0).any()
