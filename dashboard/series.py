"""The one rule for "is this one comparable series?", used by every statistic.

A growth rate, a change, a difference or a ratio over time compares observations with each
other. That comparison only means something when the observations measure the same thing the
same way: one indicator (one definition), one area and breakdown, and one source. Observations of
a series family (same measure, other method) are other indicators; values of one indicator read
from several publishers are several series. Between two series there is a *series break*, and no
statistic is computed across it: the status, the "rose by …" sentence and spending per person
covered all take their observations through this module.
"""

from __future__ import annotations

import pandas as pd

from dashboard.schema import TABLES

#: What makes observations one series: one definition, one area and breakdown, one source. The
#: breakdown is every dimension of the observation key (sex, urban/rural, age, and any added
#: later): the key without its year, so that a new dimension can never be compared across.
SERIES_KEY = (
    *(c for c in TABLES["observations"].key if c != "year"),
    "source_id",
)


def series_keys(rows: pd.DataFrame) -> pd.DataFrame:
    """The distinct series among some observation rows."""
    return rows.loc[:, list(SERIES_KEY)].drop_duplicates()


def is_one_series(rows: pd.DataFrame) -> bool:
    """True when all the rows belong to one comparable series (an empty frame is one too)."""
    return len(series_keys(rows)) <= 1


def split(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """The rows cut into comparable series, each sorted by year, the most recent series last.

    A series is "more recent" when its latest year is later; on a tie, the one with more
    observations (the longer run of one publisher) counts as the more recent, then the source id.
    """
    dated = rows[rows["year"].notna()]
    if dated.empty:
        return []
    parts = [
        part.sort_values("year", kind="stable")
        for _key, part in dated.groupby(list(SERIES_KEY), sort=False)
    ]
    return sorted(parts, key=lambda p: (p["year"].max(), len(p), str(p["source_id"].iloc[0])))


def latest_series(rows: pd.DataFrame) -> pd.DataFrame:
    """The dated rows of the most recent comparable series (empty when there is none)."""
    parts = split(rows)
    return parts[-1] if parts else rows.iloc[0:0]


def has_break(rows: pd.DataFrame) -> bool:
    """True when the dated rows come from more than one series."""
    return not is_one_series(rows[rows["year"].notna()])


def change(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """(first, last) observation of one series, for a "rose by … since …" statement.

    None when the rows cross a series break or hold fewer than two years: there is then no
    change to state.
    """
    dated = rows[rows["year"].notna()].sort_values("year", kind="stable")
    if not is_one_series(dated) or dated["year"].nunique() < 2:
        return None
    return dated.iloc[0], dated.iloc[-1]
