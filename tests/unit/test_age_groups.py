"""Age groups are shown by name in both languages, from the codelist data, never as raw codes."""

from __future__ import annotations

import pandas as pd

from dashboard.age_groups import age_label, age_names
from layouts.changelog import _group


def test_age_groups_are_named_from_the_lsb_codelist_in_both_languages() -> None:
    assert age_label("Y_GE65", "en") == "65 years old and over"
    assert age_label("Y_GE65", "lo") == "65 ປີແລະຫຼາຍກວ່າ"
    assert age_label("Y15T24", "lo") == "15 ຫາ 24 ປີ"
    assert "_T" not in age_names() and len(age_names()) > 100


def test_age_codes_missing_from_the_codelist_are_named_by_their_pattern() -> None:
    assert "Y21T33" not in age_names() and "Y_LT3" not in age_names()
    assert age_label("Y21T33", "en") == "21 to 33 years old"
    assert age_label("Y21T33", "lo") == "21 ຫາ 33 ປີ"
    assert age_label("Y_LT3", "lo") == "ອາຍຸຕ່ຳກວ່າ 3 ປີ"
    assert age_label("AGE_OTHER", "lo") == "AGE_OTHER"  # not an age code: shown as it is


def test_changelog_group_column_names_the_age_group_not_its_code() -> None:
    row = pd.Series({"sex": "female", "urban_rural": "total", "age": "Y_GE65"})
    assert _group(row, "en") == "female, total, 65 years old and over"
    lao = _group(row, "lo")
    assert "Y_GE65" not in lao and lao.endswith("65 ປີແລະຫຼາຍກວ່າ")
    assert _group(row.drop("age"), "en") == "female, total, total"  # releases before age
