"""One way to cite a source, on every surface that shows one.

A reader sees who published a figure, in which publication and year, with a link to the original
publication; a figure read from a secondary copy says "via …" that copy. Repository paths and
reading notes are provenance (downloadable, never shown as a citation). Publishers and titles are
cited as published (English); only the connecting words follow the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.i18n import translator


@dataclass(frozen=True)
class Citation:
    label: str  #: publisher, and "via …" for a secondary copy: short enough for a chart
    text: str  #: publisher, title (year), via …
    url: str | None  #: the original publication, else the copy the value was read from
    licence: str
    licence_url: str | None


def _cell(row: Mapping[str, object], key: str) -> str:
    value = row.get(key, "")
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _web(address: str) -> str | None:
    return address if address.startswith(("https://", "http://")) else None


def via_label(publisher: str, via: str, lang: str) -> str:
    """`Publisher` or `Publisher, via Copy`: the short form charts and table cells show."""
    _ = translator(lang)
    return _("{publisher}, via {copy}", publisher=publisher, copy=via) if via else publisher


def citation(source: Mapping[str, object], lang: str) -> Citation:
    """The citation of one row of the sources table (columns as in data/README.md)."""
    _ = translator(lang)
    publisher, title, via = _cell(source, "publisher"), _cell(source, "title"), _cell(source, "via")
    year = _cell(source, "year")
    year = str(int(float(year))) if year else _("n.d.")
    text = _("{publisher}, {title} ({year})", publisher=publisher, title=title, year=year)
    if via:
        text = _("{citation}, via {copy}", citation=text, copy=via)
    url = _web(_cell(source, "url")) or _web(_cell(source, "via_url"))
    return Citation(
        label=via_label(publisher, via, lang),
        text=text,
        url=url,
        licence=_cell(source, "licence") or _("not stated"),
        licence_url=_web(_cell(source, "licence_url")),
    )


def citations(sources: pd.DataFrame, source_ids: list[str], lang: str) -> list[Citation]:
    """Citations of `source_ids` (in that order, each once) from the sources table."""
    known = [sid for sid in dict.fromkeys(source_ids) if sid in sources.index]
    return [citation(sources.loc[sid].to_dict(), lang) for sid in known]


def of_rows(rows: pd.DataFrame, lang: str) -> list[tuple[str, Citation]]:
    """(source_id, citation) of each distinct source of some joined rows (`source_*` columns,
    as in the observation views), in order of first appearance."""
    out = []
    for _index, row in rows.drop_duplicates("source_id").iterrows():
        fields = {key.removeprefix("source_"): value for key, value in row.items()}
        out.append((str(row["source_id"]), citation(fields, lang)))
    return out
