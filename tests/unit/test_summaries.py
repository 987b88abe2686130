"""Plain-language summaries: the exact English sentences for known views, Lao numbers and words."""

from __future__ import annotations

import re

from dashboard import summaries, views

#: Latin words allowed in a Lao sentence: acronyms the glossary keeps in Latin letters.
KEPT_LATIN = {"NSPS", "NHI", "NSSF", "LECS", "LSIS", "GHED", "USD"}


def _english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text)) - KEPT_LATIN


def _map(dataset, goal, indicator=None, level=None, year=None):
    return views.resolve_map_selection(dataset, goal, indicator, level, year)


def test_summaries_map_states_year_counts_national_value_and_extremes(dataset):
    selection = _map(dataset, "3", "LSIS2_STUNTING", "province", "2017")
    assert summaries.map_summary(dataset, selection, lang="en") == (
        "In 2017, 18 of 18 provinces have a value of “Child stunting”. "
        "The national value is 33.0\u00a0%. "
        "Highest: Phongsaly (54.0\u00a0%). Lowest: Vientiane Capital (13.8\u00a0%)."
    )


def test_summaries_map_in_lao_has_lao_numbers_and_no_english_words(dataset):
    selection = _map(dataset, "3", "LSIS2_STUNTING", "province", "2017")
    text = summaries.map_summary(dataset, selection, lang="lo")
    assert "33,0\u00a0%" in text and "54,0\u00a0%" in text and "13,8\u00a0%" in text
    assert "ຜົ້ງສາລີ" in text and "ນະຄອນຫຼວງວຽງຈັນ" in text
    assert _english_words(text) == set()


def test_summaries_map_counts_areas_without_data(dataset):
    selection = _map(dataset, "1", "NHI_START_YEAR_PROVINCE")
    text = summaries.map_summary(dataset, selection, lang="en")
    missing = 18 - len(views.map_rows(dataset, selection))
    assert missing > 0
    assert f"{missing} areas have no data." in text


def test_summaries_illustrative_map_says_so_in_both_languages(dataset):
    selection = _map(dataset, "2")
    assert "illustrative — not official statistics" in summaries.map_summary(
        dataset, selection, lang="en"
    )
    assert "ບໍ່ແມ່ນສະຖິຕິທາງການ" in summaries.map_summary(dataset, selection, lang="lo")


def test_summaries_series_states_latest_change_target_and_status(dataset):
    selection = views.SeriesSelection("SHP_COVERAGE", ())
    assert summaries.series_summary(dataset, selection, lang="en") == (
        "In 2024, the value of “Social health protection coverage” was 94.0\u00a0%. "
        "Its values come from 5 sources, and the latest source has one value (2024), so no "
        "change over time is stated across sources. "
        "Target of the 8th Health Sector Development Plan (2016–2020), Ministry of Health: "
        "80.0\u00a0% by 2020. "
        "Progress towards the target: Target achieved. The 2024 value has reached the target. "
        "Series break: the lines use different methods and must not be joined."
    )


def test_summaries_series_in_lao_has_lao_numbers_and_no_english_words(dataset):
    text = summaries.series_summary(dataset, views.SeriesSelection("SHP_COVERAGE", ()), lang="lo")
    assert "94,0\u00a0%" in text and "83,5" not in text and "80,0\u00a0%" in text
    assert "ຄາດໝາຍ" in text
    assert _english_words(text) == set()


def test_summaries_series_of_a_falling_indicator_says_it_fell(dataset):
    text = summaries.series_summary(
        dataset, views.SeriesSelection("POV_NATIONAL_LECS", ()), lang="en"
    )
    assert text.startswith(
        "In 2018, the value of “Poverty rate (LECS, revised method)” was 18.3\u00a0%."
    )
    assert "It fell by 6.3 percentage points since 2012, when it was 24.6\u00a0%." in text


def test_summaries_series_of_a_chosen_area_names_it(dataset):
    text = summaries.series_summary(
        dataset, views.SeriesSelection("ILL_HEALTH_COVERAGE", ("LA05",)), lang="en"
    )
    assert "the value of “" in text
    assert "These values are illustrative — not official statistics." in text


def test_summaries_budget_lists_spending_by_source_and_envelopes(dataset):
    health = summaries.budget_summary(dataset, "1", lang="en")
    assert health.startswith("Health spending by source in 2022: ")
    assert "Government share of health spending: 31.04\u00a0%" in health
    welfare = summaries.budget_summary(dataset, "3", lang="en")
    assert "5 programme envelopes are published for this goal." in welfare
    assert "186.17 million USD" in welfare
    assert summaries.budget_summary(dataset, "2", lang="en") == (
        "No budget figures are published for this goal yet."
    )
    lao = summaries.budget_summary(dataset, "3", lang="lo")
    assert "186,17 ລ້ານ USD" in lao and _english_words(lao) == set()


def test_summaries_status_of_an_illustrative_series_gives_no_status(dataset):
    text = summaries.status_summary(dataset, "ILL_SCHOOL_MEALS_COVERAGE", lang="en")
    assert text == (
        "National status: Illustrative — no status. Illustrative values: no status is given. "
        "These values are illustrative — not official statistics."
    )
    lao = summaries.status_summary(dataset, "ILL_SCHOOL_MEALS_COVERAGE", lang="lo")
    assert "ສົມມຸດ — ບໍ່ມີສະຖານະ" in lao and _english_words(lao) == set()


def test_summaries_series_names_the_commitment_as_the_strategys(dataset):
    text = summaries.series_summary(
        dataset, views.SeriesSelection("ILL_SCHOOL_MEALS_COVERAGE", ()), lang="en"
    )
    assert "Commitment of the National Social Protection Strategy: Expand the National School" in (
        text
    )
    assert "(read here as 100.0\u00a0% by 2025)" in text and "Progress towards" not in text


def test_summaries_series_states_change_within_one_source_only(dataset):
    text = summaries.series_summary(
        dataset, views.SeriesSelection("GHED_GGHE-DGGE_SHA2011", ()), lang="en"
    )
    # one WHO GHED series: the change from 2000 is within one source and in percentage points
    assert "It fell by 1.95 percentage points since 2000, when it was 6.20\u00a0%." in text
    assert "sources" not in text


def test_summaries_map_summary_is_built_once_per_view_and_language(dataset, monkeypatch):
    from dashboard.cache import PerOwnerCache

    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "province", "2021")
    monkeypatch.setattr(summaries, "_map_summaries", PerOwnerCache(4))  # none built yet
    first = summaries.map_summary(dataset, selection, lang="en")
    monkeypatch.setattr(summaries, "_map_summary", lambda *_args: "rebuilt")
    assert summaries.map_summary(dataset, selection, lang="en") == first
    assert summaries.map_summary(dataset, selection, lang="lo") == "rebuilt"  # other language
