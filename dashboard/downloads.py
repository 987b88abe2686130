"""What the data downloads hold and how they are offered, for every surface that links them.

The full download comes as two files — official figures only, and everything including the
illustrative series — and every link states how many rows are illustrative, so no reader takes
a generated value for a statistic. `lang=lo` gives the same columns with Lao indicator names,
units, area names and badge; codes (ids, natures) stay as they are, so scripts keep working.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.i18n import N_, format_number, localized, translator, with_language
from dashboard.queries import ILLUSTRATIVE_BADGE, Dataset, full_table

ALL_URL = "/download/nsps-data.csv"
OFFICIAL_URL = "/download/nsps-data-official.csv"
#: Said beside every data download (each figure keeps its own source's licence).
TERMS = N_(
    "Each figure stays under the terms of its own source: see the licence of each source on "
    "the Data and sources page and in the sources column of the file."
)


def official_table(ds: Dataset) -> pd.DataFrame:
    """The full table without the illustrative rows: published figures only."""
    table = full_table(ds)
    return table[table["nature"] != "illustrative"]


def illustrative_count(ds: Dataset) -> int:
    return int((ds.table["nature"] == "illustrative").sum())


def csv_language(requested: str | None) -> str:
    """CSVs are English unless `lang=lo` is asked for: a file's language is chosen, never
    guessed from a browser, so a script gets the same bytes every time."""
    return "lo" if requested == "lo" else "en"


def in_language(frame: pd.DataFrame, ds: Dataset, lang: str) -> pd.DataFrame:
    """`frame` (rows of the public columns) with reader text in `lang`: indicator names, units,
    area names and the illustrative badge. Lao falls back to English where no Lao exists."""
    if lang == "en" or frame.empty:
        return frame
    out = frame.copy()
    indicators = ds.release.indicators
    areas = ds.release.areas
    names = {i: localized(row, "name", lang) for i, row in indicators.iterrows()}
    units = {i: localized(row, "unit", lang) for i, row in indicators.iterrows()}
    if "indicator_name" in out:
        out["indicator_name"] = out["indicator_id"].map(names).fillna(out["indicator_name"])
    if "unit" in out:
        out["unit"] = out["indicator_id"].map(units).fillna(out["unit"])
    if "area_name" in out:
        lao = out["area_code"].map(areas["name_lo"])
        out["area_name"] = lao.where(lao.fillna("") != "", out["area_name"])
    if "badge" in out:
        badge = translator(lang)(ILLUSTRATIVE_BADGE)
        out["badge"] = out["badge"].where(out["badge"] == "", badge)
    return out


@dataclass(frozen=True)
class DownloadLink:
    label: str
    href: str
    note: str  #: rows, and how many are illustrative, in the reader's language


def full_download_links(ds: Dataset, lang: str) -> list[DownloadLink]:
    """The two full downloads, each with its row count and illustrative count stated."""
    _ = translator(lang)
    total, illustrative = len(ds.table), illustrative_count(ds)

    def href(path: str) -> str:
        return with_language(path, lang) if lang == "lo" else path

    def number(n: int) -> str:
        return format_number(n, lang, 0)

    return [
        DownloadLink(
            _("Official figures only (CSV)"),
            href(OFFICIAL_URL),
            _("{rows} rows; no illustrative values.", rows=number(total - illustrative)),
        ),
        DownloadLink(
            _("All data, including illustrative series (CSV)"),
            href(ALL_URL),
            _(
                "{rows} rows, of which {illustrative} are illustrative — not official "
                "statistics (marked in the badge column).",
                rows=number(total),
                illustrative=number(illustrative),
            ),
        ),
    ]
