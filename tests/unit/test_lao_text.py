"""Lao line-breaking: lines within width, broken between words, never inside a syllable cluster."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dashboard.config import REPO_ROOT
from dashboard.lao_text import (
    COMBINING_MARKS,
    FOLLOWING_VOWELS,
    LAO_REPETITION_MARK,
    LEADING_VOWELS,
    display_width,
    tokens,
    wrap_html,
    wrap_lines,
)

#: "Share of the population covered by social health protection by the National Health
#: Insurance" — one long Lao title with no spaces at all.
LONG_LAO = "ອັດຕາສ່ວນຂອງພົນລະເມືອງທີ່ໄດ້ຮັບການຄຸ້ມຄອງຈາກການປົກປ້ອງສຸຂະພາບທາງສັງຄົມໂດຍປະກັນສຸຂະພາບແຫ່ງຊາດ"


def _never_splits_a_cluster(lines: tuple[str, ...]) -> bool:
    starts_ok = all(
        line[0] not in COMBINING_MARKS | FOLLOWING_VOWELS | {LAO_REPETITION_MARK} for line in lines
    )
    ends_ok = all(line[-1] not in LEADING_VOWELS for line in lines)
    return starts_ok and ends_ok


def test_lao_text_long_lao_title_wraps_into_lines_within_width_that_join_back():
    lines = wrap_lines(LONG_LAO, 20)
    assert len(lines) >= 3
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines) == LONG_LAO
    assert _never_splits_a_cluster(lines)


def test_lao_text_breaks_between_dictionary_words():
    lines = wrap_lines(LONG_LAO, 20)
    words = tokens(LONG_LAO)
    assert {"ອັດຕາສ່ວນ", "ພົນລະເມືອງ", "ປະກັນ"} <= set(words)
    boundaries = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    cuts = {sum(len(line) for line in lines[:i]) for i in range(1, len(lines))}
    assert cuts <= boundaries


@pytest.mark.parametrize("width", [4, 7, 12, 25, 40])
def test_lao_text_indicator_names_never_break_inside_a_syllable_cluster(dataset, width):
    for name in dataset.release.indicators["name_lo"].dropna():
        lines = wrap_lines(name, width)
        assert _never_splits_a_cluster(lines), (name, lines)
        assert "".join(lines).replace(" ", "") == name.replace(" ", "")


def test_lao_text_width_counts_base_characters_not_combining_marks():
    assert display_width("ຄຸ້ມ") == 2  # ຄ ມ, with a vowel sign and a tone mark stacked on ຄ
    assert display_width("ສຸຂະພາບ") == 6
    assert display_width("NHI 2021") == 8


def test_lao_text_english_wraps_at_spaces():
    text = "Share of the population covered by social health protection in 2021"
    lines = wrap_lines(text, 20)
    assert lines == ("Share of the", "population covered", "by social health", "protection in 2021")
    assert " ".join(lines) == text


def test_lao_text_mixed_script_keeps_acronyms_and_closing_punctuation_attached():
    text = "ການຄຸ້ມຄອງຂອງປະກັນສຸຂະພາບແຫ່ງຊາດ (NHI), ປີ 2021 ແລະ ອື່ນໆ"
    for width in range(6, 30):
        lines = wrap_lines(text, width)
        assert all(not line.startswith((",", ")", "ໆ")) for line in lines), lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_lao_text_a_word_wider_than_the_line_is_cut_between_clusters():
    lines = wrap_lines("ສຸຂະພາບ", 3)
    assert lines == ("ສຸຂະ", "ພາບ")
    assert _never_splits_a_cluster(lines)


def test_lao_text_wrap_html_uses_plotly_line_breaks():
    assert wrap_html("one two three", 7) == "one two<br>three"
    assert wrap_html("", 10) == ""


def test_lao_text_english_pages_never_import_the_lao_segmenter():
    """The segmenter costs ~0.4 s and ~30 MB at first use: only processes drawing Lao pay it."""
    script = (
        "import sys; from dashboard.lao_text import wrap_lines;"
        "wrap_lines('Coverage of social health protection', 10);"
        "print('laonlp' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_lao_text_never_breaks_at_a_no_break_space():
    text = "ຄ່າລະດັບຊາດແມ່ນ 186,17\u00a0ລ້ານ USD ແລະ 73,6\u00a0%"
    for width in range(12, 40):  # wide enough for "186,17 ລ້ານ", which is never cut
        lines = wrap_lines(text, width)
        assert not any(line.startswith(("ລ້ານ", "%")) for line in lines), (width, lines)
        assert any("186,17\u00a0ລ້ານ" in line for line in lines), (width, lines)
