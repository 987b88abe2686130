"""Age groups by name: the SDMX age codes the release keeps (`Y_GE65`), said in both languages.

The names are data, not code: the AGE codelist of the Lao Statistics Bureau with its English and
Lao names (`data/channels/opensdg_codes.csv`, from `sdg-laos/data: translations/dsd`), which the
importers already use to read the codes. It is read once. A code the list lacks is named by its
SDMX pattern (`Y20T29`: 20 to 29 years old), and any other code is shown as it is.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from dashboard.config import REPO_ROOT
from dashboard.i18n import N_, translator

CODES_FILE = REPO_ROOT / "data" / "channels" / "opensdg_codes.csv"
TOTAL = "total"

_PATTERNS = (
    (re.compile(r"Y(\d+)T(\d+)"), N_("{low} to {high} years old")),
    (re.compile(r"Y_GE(\d+)"), N_("{low} years old and over")),
    (re.compile(r"Y_LT(\d+)"), N_("under {low} years old")),
)


@lru_cache(maxsize=4)
def age_names(path: Path = CODES_FILE) -> dict[str, dict[str, str]]:
    """Age code → {"en": name, "lo": name}."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["code"]: {"en": row["label_en"].strip(), "lo": row["label_lo"].strip()}
            for row in csv.DictReader(handle)
            if row["concept"] == "AGE" and row["code"] not in ("", "_T")
        }


def age_label(code: str, lang: str) -> str:
    """The name of an age group in `lang`; `total` (every age) is the caller's to say."""
    names = age_names().get(code)
    if names:
        return names.get(lang) or names["en"]
    _ = translator(lang)
    for pattern, msgid in _PATTERNS:
        found = pattern.fullmatch(code)
        if found:
            low, *high = found.groups()
            return _(msgid, low=low, high=high[0] if high else "")
    return code
