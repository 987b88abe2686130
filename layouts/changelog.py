"""The changelog on the Data page: every release, what it added, revised and removed.

Journalists quote numbers; when a number is revised they need to see the old and the new value
side by side, with the release that changed it.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.changes import ChangelogEntry, revisions_view
from dashboard.formatting import format_value
from dashboard.store import Store
from layouts.components import nature_badge

#: Revised values listed per release on the page; more are summarised with their count.
MAX_REVISED_ROWS = 200


def _summary(entry: ChangelogEntry, values_served: int | None) -> str:
    counts = entry.counts
    if counts is None:
        served = "" if values_served is None else f" ({values_served:,} values)"
        return f"First published release{served}; no earlier release to compare with."
    since = f"since release {entry.previous_id}" if entry.previous_id else "(first release)"
    values = "value" if counts.added == 1 else "values"
    return (
        f"{counts.added:,} {values} added, {counts.revised:,} revised, "
        f"{counts.removed:,} removed {since}."
    )


def _cell(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def _revised_table(entry: ChangelogEntry, store: Store) -> html.Div | dbc.Table:
    revised = entry.revised
    if revised is None or revised.empty:
        return html.Div()
    rows = revisions_view(revised.head(MAX_REVISED_ROWS), store.dataset.release)
    body = [
        html.Tr(
            [
                html.Td(row["indicator_name"]),
                html.Td(row["area_name"]),
                html.Td(_cell(row["year"])),
                html.Td(f"{row['sex']}, {row['urban_rural']}"),
                html.Td(format_value(row["old_value"], row["decimals"], row["unit_kind"])),
                html.Td(
                    html.Strong(format_value(row["new_value"], row["decimals"], row["unit_kind"]))
                ),
                html.Td([nature_badge(row["nature"]), row["source_title"]]),
            ],
            className="revised-value",
        )
        for _, row in rows.iterrows()
    ]
    more = len(revised) - len(rows)
    heads = ("Indicator", "Area", "Year", "Group", "Was", "Now", "Source")
    return html.Div(
        [
            dbc.Table(
                [html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(body)],
                size="sm",
                striped=True,
                responsive=True,
                className="small",
                id=f"revisions-{entry.release_id}",
            ),
            html.P(f"… and {more:,} more revised values.", className="small") if more > 0 else None,
        ]
    )


def changelog_section(store: Store) -> html.Div:
    """Releases newest first, with counts of changes and a table of revised values."""
    entries = store.changelog()
    served = store.dataset
    items = []
    for entry in entries:
        is_served = entry.release_id == served.release.release_id
        items.append(
            html.Div(
                [
                    html.H3(
                        [
                            f"Release {entry.release_id}",
                            f" — {entry.title}" if entry.title else "",
                            dbc.Badge("served", color="success", className="ms-2")
                            if is_served
                            else None,
                        ],
                        className="h5",
                    ),
                    html.P(
                        _summary(entry, len(served.tidy) if is_served else None),
                        className="changelog-summary",
                    ),
                    _revised_table(entry, store),
                ],
                className="mb-3 changelog-entry",
                id=f"release-{entry.release_id}",
            )
        )
    return html.Div(
        [
            html.H2("What changed between releases", className="h4"),
            html.P(
                "A release is never edited once published: corrections come as a new release. "
                "Each release lists the values it added, revised (old and new value) and removed "
                "compared with the release before it.",
                className="small",
            ),
            *items,
        ],
        id="changelog",
    )
