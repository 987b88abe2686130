"""Lao text of the release tables, kept as data and applied by every step that writes a table.

`translations_lo.csv` is a harmonisation table: one row per (table, key, column) with the English
text it translates, the Lao text and a review status. Keeping the English beside the Lao makes a
stale translation visible: when the English of a cell changes, the step stops until the Lao is
revised. Entries whose status is not `reviewed` still need a native speaker's review (the README
lists them).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

STEPS_DIR = Path(__file__).resolve().parent
TRANSLATIONS_PATH = STEPS_DIR / "translations_lo.csv"
COLUMNS = ["table", "key", "column", "english", "lao", "status"]
STATUSES = {"needs_review", "reviewed"}


def load_translations(path: Path = TRANSLATIONS_PATH) -> pd.DataFrame:
    """The harmonisation table, checked for shape, unique keys and known statuses."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(table.columns) == COLUMNS, f"{path.name}: columns must be {COLUMNS}"
    assert not table.duplicated(["table", "key", "column"]).any(), f"{path.name}: duplicate key"
    unknown = set(table["status"]) - STATUSES
    assert not unknown, f"{path.name}: unknown status {sorted(unknown)}"
    blank = table[table["lao"].str.strip() == ""]
    assert blank.empty, f"{path.name}: blank Lao text for {blank[['table', 'key']].values}"
    return table


def apply_lao(
    frame: pd.DataFrame,
    table: str,
    key_column: str,
    translations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """`frame` with every `<stem>_lo` column filled from the harmonisation table.

    A cell keeps a Lao text it already has (the official goal names) unless the table gives one.
    Stops the build when a non-blank English cell has no Lao, or when the table translates an
    English text that is no longer the one in the frame.
    """
    translations = load_translations() if translations is None else translations
    rows = translations[translations["table"] == table].set_index(["key", "column"])
    out = frame.copy()
    missing, stale = [], []
    for lo_column in [c for c in out.columns if c.endswith("_lo")]:
        en_column = lo_column.removesuffix("_lo") + "_en"
        if en_column not in out.columns:
            continue
        filled = []
        for key, english, current in zip(
            out[key_column].astype(str), out[en_column], out[lo_column], strict=True
        ):
            english = "" if pd.isna(english) else str(english)
            current = "" if pd.isna(current) else str(current)
            if (key, lo_column) in rows.index:
                row = rows.loc[(key, lo_column)]
                if row["english"] != english:
                    stale.append(f"{table}/{key}/{lo_column}")
                filled.append(row["lao"])
            elif current or not english:
                filled.append(current)
            else:
                missing.append(f"{table}/{key}/{lo_column}")
                filled.append("")
        out[lo_column] = filled
    assert not stale, f"English changed since these were translated (revise the Lao): {stale}"
    assert not missing, f"no Lao text in translations_lo.csv for: {missing}"
    return out
