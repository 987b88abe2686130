"""Both languages complete and consistent: the interface catalogue, the release's Lao columns,
the glossary, language negotiation and number and date formats."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po
from shipped import SHIPPED_RELEASE

from dashboard import i18n, i18n_catalogue
from data.steps.translations import TRANSLATIONS_PATH, apply_lao, load_translations

REPO_ROOT = Path(__file__).resolve().parents[2]
RELEASE_DIR = SHIPPED_RELEASE
LO_CATALOGUE = i18n.catalogue_path("lo")
TEMPLATE = i18n.LOCALES_DIR / "messages.pot"
GLOSSARY = REPO_ROOT / "data" / "glossary.csv"
PLACEHOLDER = re.compile(r"\{\w+\}")
#: Numbers, and codes or acronyms written with two or more capitals (NSSF, LA18, MoLSW).
KEPT_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*|\b[A-Z][A-Za-z]*[A-Z]\b")


def _po_messages(path: Path) -> list:
    with path.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def _glossary() -> pd.DataFrame:
    return pd.read_csv(GLOSSARY, dtype=str, keep_default_na=False, encoding="utf-8")


def _pairs() -> list[tuple[str, str, str]]:
    """(where, English, Lao) of every translated text: release cells and interface strings."""
    table = load_translations()
    pairs = list(
        zip(
            table["table"] + "/" + table["key"] + "/" + table["column"],
            table["english"],
            table["lao"],
            strict=True,
        )
    )
    pairs += [("messages.po", str(m.id), str(m.string)) for m in _po_messages(LO_CATALOGUE)]
    return pairs


@cache
def _term_pattern(term_en: str) -> re.Pattern[str]:
    """A glossary term as a whole word or phrase, with its plural; acronyms match case."""
    flags = 0 if term_en.isupper() else re.IGNORECASE
    return re.compile(r"(?<!\w)" + re.escape(term_en) + r"(?:s|es)?(?!\w)", flags)


def glossary_violations(english: str, lao: str, glossary: pd.DataFrame) -> list[str]:
    """Glossary terms in `english` whose Lao term is missing from `lao`.

    Longer terms are matched first and hide the shorter ones inside them ("target group" is
    ກຸ່ມເປົ້າໝາຍ, not "target" ຄາດໝາຍ); `{placeholders}` are not text.
    """
    remaining = PLACEHOLDER.sub("", english)
    missing = []
    for term_en, term_lo in sorted(
        zip(glossary["term_en"], glossary["term_lo"], strict=True), key=lambda t: -len(t[0])
    ):
        pattern = _term_pattern(term_en)
        if pattern.search(remaining):
            if term_lo not in lao:
                missing.append(term_en)
            remaining = pattern.sub(lambda m: "\0" * len(m.group()), remaining)
    return missing


# --------------------------------------------------------------------------- catalogue


def test_i18n_every_msgid_has_a_lao_msgstr() -> None:
    blank = [m.id for m in _po_messages(LO_CATALOGUE) if not str(m.string).strip()]
    assert not blank, f"messages.po entries without Lao: {blank}"


def test_i18n_template_and_lao_catalogue_have_the_same_msgids() -> None:
    template = {m.id for m in _po_messages(TEMPLATE)}
    lao = {m.id for m in _po_messages(LO_CATALOGUE)}
    assert template == lao, {"only in .pot": template - lao, "only in lo .po": lao - template}


def test_i18n_placeholders_match_between_english_and_lao() -> None:
    wrong = [
        m.id
        for m in _po_messages(LO_CATALOGUE)
        if sorted(PLACEHOLDER.findall(str(m.id))) != sorted(PLACEHOLDER.findall(str(m.string)))
    ]
    assert not wrong


def test_i18n_fuzzy_entries_are_used_and_listed_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Language: lo\\n"\n\n'
        '#, fuzzy\nmsgid "Map"\nmsgstr "ແຜນທີ່"\n\n'
        'msgid "Table"\nmsgstr "ຕາຕະລາງ"\n\n'
        'msgid "Chart"\nmsgstr ""\n',
        encoding="utf-8",
    )
    monkeypatch.setitem(i18n.BABEL_LOCALES, "xx", "lo_LA")
    messages = i18n.read_catalogue("xx", tmp_path)
    assert messages["Map"] == ("ແຜນທີ່", True)
    assert i18n.needs_review("xx", tmp_path) == ["Map"]
    gettext_lo = i18n.translator("lo")  # the shipped catalogue: every entry is still a draft
    assert gettext_lo("Overview") == "ພາບລວມ"
    assert "Overview" in i18n.needs_review("lo")


def test_i18n_translator_formats_placeholders_and_falls_back_to_english() -> None:
    assert i18n.translator("lo")("Data release {release}.", release=2) == "ຂໍ້ມູນສະບັບເຜີຍແຜ່ 2."
    assert i18n.translator("en")("Data release {release}.", release=2) == "Data release 2."
    assert i18n.translator("lo")("A string nobody translated") == "A string nobody translated"
    assert i18n.translator("fr")("Overview") == "ພາບລວມ"  # unknown language: the default, Lao


# --------------------------------------------------------------------------- release data


def test_i18n_no_release_lo_cell_is_blank_where_english_exists() -> None:
    blank = []
    for path in sorted(RELEASE_DIR.glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        for lo in [c for c in table.columns if c.endswith("_lo")]:
            en = lo.removesuffix("_lo") + "_en"
            if en in table.columns:
                rows = table.index[(table[lo].str.strip() == "") & (table[en].str.strip() != "")]
                blank += [f"{path.name}:{row + 2}:{lo}" for row in rows]
    assert not blank, blank


def test_i18n_release_holds_the_translations_table(shipped_release) -> None:
    """The steps were re-run after the last edit of translations_lo.csv."""
    table = load_translations()
    tables = {
        "strategy": ("strategy", "key"),
        "goals": ("goals", "goal_id"),
        "activities": ("activities", "activity_id"),
        "institutions": ("institutions", "institution_en"),
        "challenges": ("challenges", "challenge_id"),
        "indicators": ("indicators", "indicator_id"),
        "indicators-illustrative": ("indicators-illustrative", "indicator_id"),
        "budget": ("budget", "budget_id"),
    }
    assert set(table["table"]) == set(tables)
    for name, (file_stem, key_column) in tables.items():
        frame = pd.read_csv(RELEASE_DIR / f"{file_stem}.csv", dtype=str, keep_default_na=False)
        assert apply_lao(frame, name, key_column, table).equals(frame), name


def test_i18n_localized_falls_back_to_english_only_for_a_blank_lao_cell() -> None:
    row = pd.Series({"name_en": "Map", "name_lo": "ແຜນທີ່", "unit_en": "%", "unit_lo": " "})
    assert i18n.localized(row, "name", "lo") == "ແຜນທີ່"
    assert i18n.localized(row, "name", "en") == "Map"
    assert i18n.localized(row, "unit", "lo") == "%"
    assert i18n.localized(pd.Series({"x_en": "a", "x_lo": float("nan")}), "x", "lo") == "a"


def test_i18n_localized_reads_lao_from_the_shipped_indicators(dataset) -> None:
    indicator = dataset.indicator("NHI_COVERAGE")
    assert i18n.localized(indicator, "name", "lo") == "ການຄຸ້ມຄອງຂອງ NHI (% ຂອງພົນລະເມືອງ)"
    assert i18n.localized(indicator, "name", "en") == "NHI coverage (% of population)"


def test_i18n_apply_lao_stops_on_missing_and_on_stale_translations() -> None:
    table = pd.DataFrame(
        [["goals", "1", "statement_lo", "Old English.", "ພາສາລາວ.", "needs_review"]],
        columns=["table", "key", "column", "english", "lao", "status"],
    )
    frame = pd.DataFrame({"goal_id": ["1"], "statement_en": ["Old English."], "statement_lo": [""]})
    assert apply_lao(frame, "goals", "goal_id", table)["statement_lo"].tolist() == ["ພາສາລາວ."]
    with pytest.raises(AssertionError, match="English changed"):
        apply_lao(frame.assign(statement_en="New English."), "goals", "goal_id", table)
    with pytest.raises(AssertionError, match="no Lao text"):
        apply_lao(frame.assign(goal_id="2"), "goals", "goal_id", table)


def test_i18n_translations_table_is_well_formed() -> None:
    table = load_translations(TRANSLATIONS_PATH)
    assert set(table["status"]) <= {"needs_review", "reviewed"}
    assert (table["english"].str.strip() != "").all()


def test_i18n_list_cells_keep_their_items() -> None:
    principles = load_translations().set_index(["table", "key"]).loc[("strategy", "principles")]
    assert len(principles["lao"].split(";")) == len(principles["english"].split(";")) == 6


# --------------------------------------------------------------------------- glossary and style


def test_i18n_glossary_is_complete_and_unique() -> None:
    glossary = _glossary()
    assert list(glossary.columns) == ["term_en", "term_lo", "note", "status"]
    assert glossary["term_en"].str.lower().is_unique
    assert (glossary["term_lo"].str.strip() != "").all()
    assert set(glossary["status"]) <= {"needs_review", "reviewed"}
    terms = dict(zip(glossary["term_en"], glossary["term_lo"], strict=True))
    assert terms["legend"] == "ຄຳອະທິບາຍສັນຍາລັກ"
    assert terms["chart"] != terms["table"]


def test_i18n_glossary_terms_are_used_consistently() -> None:
    glossary = _glossary()
    wrong = {
        where: missing
        for where, english, lao in _pairs()
        if (missing := glossary_violations(english, lao, glossary))
    }
    assert not wrong, wrong


def test_i18n_glossary_check_catches_an_inconsistent_translation() -> None:
    glossary = _glossary()
    assert glossary_violations("Districts", "ເຂດ", glossary) == ["district"]
    assert glossary_violations("Show the legend", "ສະແດງນິທານ", glossary) == ["legend"]
    assert glossary_violations("target groups", "ກຸ່ມເປົ້າໝາຍ", glossary) == []
    assert glossary_violations("No {indicator} here", "ບໍ່ມີ", glossary) == []


def test_i18n_numbers_and_codes_are_kept_or_written_as_the_glossary_says() -> None:
    glossary = _glossary()
    lost = []
    for where, english, lao in _pairs():
        for token in KEPT_TOKEN.findall(english):
            if token in lao:
                continue
            spelled = glossary[
                glossary["term_en"].str.contains(rf"(?<!\w){re.escape(token)}(?!\w)", regex=True)
            ]
            if not any(term_lo in lao for term_lo in spelled["term_lo"]):
                lost.append(f"{where}: {token}")
    assert not lost, lost


def test_i18n_lao_text_has_no_stray_spaces_or_machine_translation_artefacts() -> None:
    bad = []
    for where, english, lao in _pairs():
        if "  " in lao or re.search(r" [,.;:)]|\( ", lao) or "ນິທານ" in lao:
            bad.append(where)
        if lao.strip() != lao and (lao.rstrip() != lao) != (english.rstrip() != english):
            bad.append(where)
        # a space inside a Lao syllable cluster: before a vowel sign or tone mark
        if re.search(r" [\u0EB1\u0EB4-\u0EBC\u0EC8-\u0ECD]", lao):
            bad.append(where)
    assert not bad, bad


# --------------------------------------------------------------------------- negotiation, formats


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ("en", "lo", "en"),
        ("lo", "en-US,en;q=0.9", "lo"),
        ("EN", None, "en"),
        ("fr", "en-GB,en;q=0.8", "en"),
        (None, "fr-FR, lo-LA;q=0.5, en;q=0.4", "lo"),
        (None, "lo;q=0, en;q=0.1", "en"),
        (None, "fr, de", "lo"),
        (None, None, "lo"),
        (None, "garbage;;q=abc", "lo"),
    ],
)
def test_i18n_negotiate_language(query: str | None, header: str | None, expected: str) -> None:
    assert i18n.negotiate_language(query, header) == expected


def test_i18n_format_number_per_language() -> None:
    assert i18n.format_number(6492228, "en", 0) == "6,492,228"
    assert i18n.format_number(6492228, "lo", 0) == "6.492.228"
    assert i18n.format_number(73.6, "en") == "73.6"
    assert i18n.format_number(73.6, "lo") == "73,6"
    assert i18n.format_number(0.1086, "en", 3) == "0.109"
    assert i18n.format_number(None, "lo") == "ບໍ່ມີຂໍ້ມູນ"
    assert i18n.format_number(float("nan"), "en") == "no data"


def test_i18n_format_date_per_language() -> None:
    day = dt.date(2026, 11, 29)
    assert i18n.format_date(day, "lo") == "29 ພະຈິກ 2026"
    assert i18n.format_date(day, "en") == "November 29, 2026"


def test_i18n_catalogue_template_holds_exactly_the_strings_the_code_marks() -> None:
    """Every `_("…")`/`N_("…")` in the code is in messages.pot (and so, by the tests above, has
    Lao); run `bash scripts/i18n` after changing interface text."""
    assert i18n_catalogue.template_is_current() == []


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/", "/?lang=en"),
        ("/goal/1?level=district&lang=lo", "/goal/1?level=district&lang=en"),
        ("/challenges#challenge-3", "/challenges?lang=en#challenge-3"),
    ],
)
def test_i18n_links_keep_the_language(href: str, expected: str) -> None:
    assert i18n.with_language(href, "en") == expected


def test_i18n_review_list_names_every_draft_awaiting_a_native_speaker() -> None:
    """locales/REVIEW.md is what the ministry's reviewers get: rewritten by `scripts/i18n`."""
    review = i18n_catalogue.REVIEW_LIST.read_text(encoding="utf-8")
    assert review == i18n_catalogue.review_list()
    for msgid in i18n.needs_review("lo"):
        assert msgid.replace("|", "\\|") in review
