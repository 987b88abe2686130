"""How numbers, units, sources and natures are written for readers, in their language.

One place, so every view agrees: the map hover, the table beside it, the summary sentence and
the briefing image all print `73,6 %` on a Lao page and `73.6 %` on an English one.
"""

from __future__ import annotations

import math
from functools import cache

import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

from dashboard.i18n import (
    BABEL_LOCALES,
    DEFAULT_LANGUAGE,
    N_,
    NO_DATA,
    format_number,
    localized,
    translator,
)

#: A programme-area value (`unit_kind` flag): the source names the area. Areas it does not name
#: are "not named by this source" — never a zero, never a rate.
NAMED_BY_SOURCE = N_("named by this source")
NOT_NAMED_BY_SOURCE = N_("not named by this source")

#: The nature of every value, as printed beside it (translated where shown).
NATURE_LABELS = {
    "administrative": N_("Administrative data"),
    "survey": N_("Survey / census"),
    "estimate": N_("Estimate"),
    "policy": N_("Policy figure"),
    "illustrative": N_("Illustrative — not official statistics"),
}

LEVEL_LABELS = {"national": N_("National"), "province": N_("Province"), "district": N_("District")}


def nature_label(nature: str, lang: str) -> str:
    """`Survey / census` / `ການສຳຫຼວດ / …`: one nature in the reader's language."""
    return translator(lang)(NATURE_LABELS[nature])


def level_label(level: str, lang: str) -> str:
    return translator(lang)(LEVEL_LABELS[level])


def nature_line(natures: list[str], lang: str) -> str:
    """Every nature of a view, comma-separated, in the reader's language."""
    return ", ".join(nature_label(n, lang) for n in natures)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or bool(pd.isna(value))


def format_value(
    value: float | None, decimals: int | None = 1, unit_kind: str = "other", *, lang: str
) -> str:
    """`6,492,228` / `6.492.228`, `73.6` / `73,6`; "no data" in the reader's language when the
    value is missing (never a zero). Years are never grouped (`2025`, not `2,025`)."""
    if _missing(value):
        return translator(lang)(NO_DATA)
    if unit_kind == "year":
        return f"{int(round(float(value)))}"
    digits = 1 if decimals is None or pd.isna(decimals) else int(decimals)
    return format_number(float(value), lang, digits)


def unit_text(indicator: pd.Series, lang: str) -> str:
    """The indicator's unit in the reader's language (`unit_lo`, else `unit_en`)."""
    return localized(indicator, "unit", lang)


def format_with_unit(value: float | None, indicator: pd.Series, lang: str) -> str:
    """`73.6 %`, `0.7 million people` / `73,6 %`: a value with its unit, in the reader's format."""
    text = format_value(value, indicator["decimals"], indicator["unit_kind"], lang=lang)
    if _missing(value) or indicator["unit_kind"] == "year":
        return text
    if indicator["unit_kind"] == "flag":  # a category, not a quantity: never "1 …"
        return translator(lang)(NAMED_BY_SOURCE)
    # A no-break space: a narrow phone column must never leave "%" or the unit on a line alone.
    if indicator["unit_kind"] == "percent":
        return f"{text}\u00a0%"
    return f"{text}\u00a0{unit_text(indicator, lang)}"


@cache
def plotly_separators(lang: str) -> str:
    """Plotly's `layout.separators` (decimal then group symbol) from CLDR: `.,` / `,.`.

    So that hover values and axis ticks formatted by plotly.js read like the text around them.
    """
    locale = BABEL_LOCALES.get(lang, BABEL_LOCALES[DEFAULT_LANGUAGE])
    return get_decimal_symbol(locale) + get_group_symbol(locale)
