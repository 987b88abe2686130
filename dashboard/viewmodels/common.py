"""What every chart view carries, whatever its kind, and the provenance helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.citations import of_rows as citation_of_rows
from dashboard.i18n import localized, with_language
from dashboard.queries import Dataset, natures_of

#: Chart kinds, which are also the frame's figure tabs ("map" → Map, "series"/"budget" → Chart).
KINDS = ("map", "series", "budget")


@dataclass(frozen=True, eq=False)
class ChartView:
    """One chart as every surface needs it; all text already in `lang`.

    `rows` are exactly the rows of the chart's CSV download; `sources` are the citations of
    those rows, as published (English); `figure` is drawn for `layout` (a width class of
    `dashboard.figure_layouts`).
    """

    kind: str
    goal: str
    lang: str
    layout: str
    title: str
    subtitle: str
    figure: dict[str, Any]
    rows: pd.DataFrame
    summary: str
    sources: tuple[str, ...]
    natures: tuple[str, ...]
    release_id: str
    page_path: str
    csv_url: str | None = None
    share: dict[str, Any] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    indicator_id: str | None = None
    unit: str = ""
    definition: str = ""
    caveat: str = ""
    selection: Any = None

    @property
    def illustrative(self) -> bool:
        """Whether any value shown is illustrative: the frame then shows the badge."""
        return "illustrative" in self.natures

    @property
    def empty(self) -> bool:
        return self.rows.empty

    def page_link(self) -> str:
        """The goal page that reopens this view, in the view's language."""
        return with_language(self.page_path, self.lang)


def citations(rows: pd.DataFrame) -> tuple[str, ...]:
    """The distinct sources of a view's rows, in the order they first appear, cited by the one
    formatter (`dashboard.citations`): publisher, title (year), via a copy — as published."""
    if rows.empty:
        return ()
    return tuple(dict.fromkeys(cited.text for _id, cited in citation_of_rows(rows, "en")))


def natures(rows: pd.DataFrame) -> tuple[str, ...]:
    return tuple(natures_of(rows)) if not rows.empty else ()


def indicator_text(ds: Dataset, indicator_id: str, lang: str) -> dict[str, str]:
    """Unit, definition and caveat of an indicator in `lang` (the Sources tab)."""
    indicator = ds.indicator(indicator_id)
    return {
        "unit": localized(indicator, "unit", lang),
        "definition": localized(indicator, "definition", lang),
        "caveat": localized(indicator, "caveat", lang),
    }
