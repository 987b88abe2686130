"""Line-breaking for Lao and English text drawn inside figures and images.

Plotly never wraps text, and Lao writes no spaces between words, so a long Lao title would run
off the chart. Latin text breaks at spaces; Lao runs are cut into words with the dictionary
segmenter of `laonlp` (Apache-2.0), imported on first use (~0.4 s, ~30 MB) and only by processes
that draw Lao. A line never starts with a combining vowel sign or tone mark (that would break a
syllable cluster), a following vowel (ະ າ ຳ), the repetition mark ໆ or closing punctuation, and
never ends with a leading vowel (ເ ແ ໂ ໃ ໄ) or opening punctuation. Widths count base characters:
combining marks take no column of their own. No Dash here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

#: Lao combining vowel signs and tone marks: U+0EB1, U+0EB4–U+0EBC, U+0EC8–U+0ECD.
COMBINING_MARKS = frozenset(
    chr(c) for c in (0x0EB1, *range(0x0EB4, 0x0EBD), *range(0x0EC8, 0x0ECE))
)
LAO_REPETITION_MARK = "\u0ec6"  # ໆ belongs to the word before it
#: Vowels written after their consonant (ະ າ ຳ) and before it (ເ ແ ໂ ໃ ໄ): a syllable never
#: starts with the first kind nor ends with the second.
FOLLOWING_VOWELS = frozenset("\u0eb0\u0eb2\u0eb3")
LEADING_VOWELS = frozenset(chr(c) for c in range(0x0EC0, 0x0EC5))
#: Characters a line may not start with: they belong to the token before them.
NO_BREAKING_SPACES = frozenset("\u00a0\u202f")
NO_BREAK_BEFORE = (
    COMBINING_MARKS
    | FOLLOWING_VOWELS
    | NO_BREAKING_SPACES
    | {LAO_REPETITION_MARK}
    | set("),.;:!?%”’»")
)
#: Characters a line may not end with: they belong to the token after them.
NO_BREAK_AFTER = LEADING_VOWELS | NO_BREAKING_SPACES | set("(“‘«")
#: Runs of Lao script, of breakable white space, and of anything else (Latin words, numbers,
#: punctuation). No-break spaces (U+00A0, U+202F: "73,6 %") belong to the words they join.
_RUNS = re.compile(r"[\u0e80-\u0eff]+|[^\S\u00a0\u202f]+|(?:[^\s\u0e80-\u0eff]|[\u00a0\u202f])+")


def display_width(text: str) -> int:
    """Columns a text takes: its characters, less the combining marks stacked on them."""
    return sum(1 for ch in text if ch not in COMBINING_MARKS)


@cache
def _lao_word_tokenize() -> Callable[[str], list[str]]:
    """`laonlp.word_tokenize`, imported once, on the first Lao text (English pages never pay)."""
    from laonlp import word_tokenize

    return word_tokenize


def tokens(text: str) -> list[str]:
    """The pieces a line may break between: Lao words, Latin words, runs of white space.

    `"".join(tokens(text)) == text`. A piece that may not start a line is glued to the piece
    before it, so a break can never fall inside a syllable cluster even where the dictionary
    does not know a word.
    """
    pieces: list[str] = []
    for run in _RUNS.findall(text):
        if "\u0e80" <= run[0] <= "\u0eff":
            pieces.extend(p for p in _lao_word_tokenize()(run) if p)
        else:
            pieces.append(run)
    merged: list[str] = []
    for piece in pieces:
        glued = piece[0] in NO_BREAK_BEFORE or merged[-1][-1] in NO_BREAK_AFTER if merged else False
        if glued and not merged[-1].isspace() and not piece.isspace():
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _split_long(word: str, width: int) -> list[str]:
    """A word wider than a line, cut into pieces of `width` columns between clusters."""
    parts, current = [], ""
    for ch in word:
        breakable = ch not in NO_BREAK_BEFORE and current[-1:] not in NO_BREAK_AFTER
        if current and breakable and display_width(current) >= width:
            parts.append(current)
            current = ""
        current += ch
    return [*parts, current] if current else parts


@lru_cache(maxsize=4096)
def wrap_lines(text: str, width: int) -> tuple[str, ...]:
    """`text` as lines of at most `width` columns, broken between words.

    White space at a break is dropped (as `textwrap` does), so for Lao text without spaces the
    lines joined give the text back exactly. A word wider than `width` is cut between clusters.
    Cached: the same titles and labels are wrapped for every figure of every reader.
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    lines: list[str] = []
    current = ""
    for piece in tokens(text.strip()):
        if piece.isspace():
            if current:
                current += piece if piece == " " else " "
            continue
        if current and display_width(current) + display_width(piece) > width:
            lines.append(current.rstrip())
            current = ""
        if not current and display_width(piece) > width:
            *full, current = _split_long(piece, width)
            lines.extend(full)
        else:
            current += piece
    if current.strip():
        lines.append(current.rstrip())
    return tuple(lines)


def wrap_html(text: str, width: int) -> str:
    """`text` wrapped for plotly, whose only line break is `<br>`."""
    return "<br>".join(wrap_lines(text, width)) or text


def line_count(text: str, width: int) -> int:
    """How many lines `text` takes at `width`: what margins are sized from."""
    return max(1, len(wrap_lines(text, width)))


def warm_up() -> None:
    """Load the Lao dictionary now: called before gunicorn forks its workers (`--preload`),
    they share it and no reader's first Lao page pays the ~0.4 s load."""
    _lao_word_tokenize()("ລາວ")
