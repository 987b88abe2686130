"""Languages of the interface: one catalogue of strings, negotiation, and number and date formats.

Interface strings live in gettext catalogues (`locales/<lang>/LC_MESSAGES/messages.po`, msgid = the
English text), read once with Babel. English needs no catalogue: the msgid is the text. Entries
flagged `fuzzy` are drafts not yet reviewed by a native speaker; gettext tools skip them when
compiling, but here they are used (a draft beats English for a Lao reader) and listed by
`needs_review` so the README can hand them to the ministry. Data text (indicator names, goals, …)
comes from the release tables' `_lo`/`_en` columns through `localized`. No Dash here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import pandas as pd
from babel.dates import format_date as babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
LANGUAGES = ("lo", "en")
DEFAULT_LANGUAGE = "lo"
#: Babel (CLDR) locale of each interface language, for numbers and dates.
BABEL_LOCALES = {"lo": "lo_LA", "en": "en"}
#: Each language named in itself, for the language switch.
LANGUAGE_NAMES = {"lo": "ລາວ", "en": "English"}
DOMAIN = "messages"

Gettext = Callable[..., str]


def N_(msgid: str) -> str:  # noqa: N802 — the gettext convention the extractor looks for
    """Marks an English constant for the catalogue without translating it (yet).

    Tables of labels are built at import time, before any reader's language is known; they hold
    `N_("…")` and are translated where shown, with `translator(lang)(label)`.
    """
    return msgid


def catalogue_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def read_catalogue(lang: str, locales_dir: Path = LOCALES_DIR) -> dict[str, tuple[str, bool]]:
    """msgid → (translation, needs review) for one language, fuzzy entries included.

    Read once per process; a missing catalogue is an error for any language but English.
    """
    if lang == "en":
        return {}
    with catalogue_path(lang, locales_dir).open("rb") as handle:
        catalogue = read_po(handle, locale=BABEL_LOCALES[lang], ignore_obsolete=True)
    return {
        str(message.id): (str(message.string), message.fuzzy)
        for message in catalogue
        if message.id and isinstance(message.id, str)
    }


def needs_review(lang: str = "lo", locales_dir: Path = LOCALES_DIR) -> list[str]:
    """msgids whose translation is a draft (`#, fuzzy`), for the native-speaker review list."""
    return [msgid for msgid, (_, fuzzy) in read_catalogue(lang, locales_dir).items() if fuzzy]


def translator(lang: str, locales_dir: Path = LOCALES_DIR) -> Gettext:
    """`gettext(msgid, **fmt)` for one language; `{name}` placeholders are filled from `fmt`.

    A msgid with no (or an empty) translation falls back to the English msgid, so a missing entry
    degrades to English rather than to a blank; the unit tests keep the Lao catalogue complete.
    """
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    messages = read_catalogue(lang, locales_dir)

    def gettext(msgid: str, **fmt: object) -> str:
        text = messages.get(msgid, ("", False))[0] or msgid
        return text.format(**fmt) if fmt else text

    return gettext


#: One language range of an Accept-Language header: `tag[-subtag…][;q=weight]`.
_LANGUAGE_RANGE = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?"
)


def _preferred(accept_language: str) -> list[str]:
    """Primary language subtags of an Accept-Language header, most preferred first."""
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        match = _LANGUAGE_RANGE.match(part)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            ranked.append((-quality, position, match.group(1).split("-")[0].lower()))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate_language(query_lang: str | None, accept_language: str | None) -> str:
    """The URL's `lang=lo|en` first, else the browser's first supported language, else Lao."""
    if query_lang and query_lang.strip().lower() in LANGUAGES:
        return query_lang.strip().lower()
    for tag in _preferred(accept_language or ""):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


#: What a missing value reads as, everywhere: never a zero, never a blank.
NO_DATA = N_("no data")


def format_number(value: float | None, lang: str, decimals: int = 1) -> str:
    """`6,492,228` / `73.6` in English, `6.492.228` / `73,6` in Lao (CLDR); "no data" if missing."""
    if value is None or pd.isna(value):
        return translator(lang)(NO_DATA)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES.get(lang, "lo_LA"))


def format_date(value: dt.date, lang: str, style: str = "long") -> str:
    """`29 ພະຈິກ 2026` / `November 29, 2026`: dates spelled out in the reader's language."""
    return babel_format_date(value, format=style, locale=BABEL_LOCALES.get(lang, "lo_LA"))


def with_language(href: str, lang: str) -> str:
    """`href` with `lang=` set, so following a link keeps the reader's language."""
    path, _, fragment = href.partition("#")
    path, _, query = path.partition("?")
    params = [p for p in query.split("&") if p and not p.startswith("lang=")]
    params.append(f"lang={lang}")
    return f"{path}?{'&'.join(params)}" + (f"#{fragment}" if fragment else "")


def localized(row: Mapping[str, object], stem: str, lang: str) -> str:
    """`<stem>_lo` or `<stem>_en` of a table row; English only where the Lao cell is blank."""
    if lang == "lo":
        text = row.get(f"{stem}_lo")
        if isinstance(text, str) and text.strip():
            return text
    text = row.get(f"{stem}_en")
    return text if isinstance(text, str) else ""
