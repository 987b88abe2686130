"""The whole strategy text: what social protection is, universality, who is responsible; the
challenge-to-goal mapping labelled as an editorial reading; C05's urban and rural values."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from component_text import component_text as _text

from dashboard.i18n import translator
from layouts import pages
from layouts.goal.text import EDITORIAL_READING, strategy_sections


class _Store:
    def __init__(self, dataset):
        self.dataset = dataset
        # no boundaries: the home page's map is the schematic tile grid
        self.geo = SimpleNamespace(schematic=True, has_level=lambda level: level == "province")


def test_strategy_carries_the_brochures_own_words(shipped_release):
    strategy = shipped_release.strategy
    assert strategy.at["universality", "text_en"].startswith(
        "Under the condition of universality, all Lao people will have access"
    )
    assert (
        "coordination with development partners"
        in strategy.at["governance_commission_responsibilities", "text_en"]
    )
    assert "Vice Governor" in strategy.at["governance_local_committees", "text_en"]
    assert (
        "non-contributory tax-financed benefits"
        in strategy.at["what_is_social_protection", "text_en"]
    )
    for key in ("universality", "what_is_social_protection", "governance_local_committees"):
        assert re.search("[\u0e80-\u0eff]", strategy.at[key, "text_lo"]), key


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_overview_shows_what_social_protection_is_and_who_is_responsible(dataset, lang):
    text = _text(pages.overview_layout(_Store(dataset), lang=lang))
    strategy = dataset.release.strategy
    column = "text_lo" if lang == "lo" else "text_en"
    for key in (
        "what_is_social_protection",
        "universality",
        "governance_commission_responsibilities",
        "governance_local_committees",
    ):
        assert strategy.at[key, column] in text, key


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_challenge_to_goal_mapping_is_labelled_as_an_editorial_reading(dataset, lang):
    label = translator(lang)(EDITORIAL_READING)
    store = _Store(dataset)
    assert label in _text(pages.challenges_layout(store, lang=lang))
    for goal in ("1", "2", "3"):
        assert label in _text(strategy_sections(store, goal, lang=lang)), goal


def test_challenges_page_shows_the_urban_and_rural_series_of_c05(dataset):
    text = _text(pages.challenges_layout(_Store(dataset), lang="en"))
    c05 = text[text.index("C05") : text.index("C06")]
    # MPI headcount 2017 and poverty (revised method) 2018, urban beside rural
    for needle in ("urban", "rural", "Poverty headcount, urban (revised LECS method)"):
        assert needle in c05, needle
    assert "Bears on goals 1, 3 (editorial reading)." in c05


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_budget_sections_of_goals_2_and_3_show_their_financing_with_plans_labelled(dataset, lang):
    from layouts.goal.budget import budget_section

    social_security = _text(budget_section(dataset, "2", lang=lang))
    welfare = _text(budget_section(dataset, "3", lang=lang))
    name = "name_lo" if lang == "lo" else "name_en"
    caveat = "caveat_lo" if lang == "lo" else "caveat_en"
    ind = dataset.release.indicators
    assert ind.at["NSSF_COVID_UNEMPLOYMENT_BENEFIT", name] in social_security
    for indicator_id in ("SCHOOL_MEALS_GOV_BUDGET_2025", "EU_BUDGET_SUPPORT_EDU_NUTRITION_2021"):
        assert ind.at[indicator_id, name] in welfare
        assert ind.at[indicator_id, caveat] in welfare  # "not spending" / "a plan" said beside it
    # the ADB financing is a programme envelope of the budget chart, listed once
    assert ind.at["CCT_ADB_FINANCING", name] not in welfare.split("financing figures")[-1]
