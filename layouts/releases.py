"""The Data page's list of releases: each with its date, title, bulk zip and API link."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import bundle
from dashboard.api import API_PREFIX
from dashboard.store import Store


def releases_section(store: Store) -> html.Div:
    """Newest first; the served release is marked. Links are stable: a release never changes."""
    served = store.dataset.release.release_id
    rows = [
        html.Tr(
            [
                html.Td(entry.date),
                html.Td(
                    [
                        html.Code(entry.release_id),
                        " ",
                        dbc.Badge("served", color="success", className="ms-1")
                        if entry.release_id == served
                        else None,
                    ]
                ),
                html.Td(entry.title),
                html.Td(
                    [
                        html.A(
                            bundle.zip_name(entry.release_id),
                            href=bundle.zip_path(entry.release_id),
                            className="release-zip",
                            **{"data-release": entry.release_id},
                        ),
                        " · ",
                        html.A(
                            "API",
                            href=f"{API_PREFIX}/observations?release={entry.release_id}",
                            className="release-api",
                        ),
                    ]
                ),
            ]
        )
        for entry in store.changelog()
    ]
    return html.Div(
        [
            html.H2("Releases and bulk data", className="h4"),
            html.P(
                [
                    "Each release is one zip at a stable address: every observation (tidy CSV, "
                    "UTF-8), the indicator catalogue, the sources with their licences, the "
                    "boundaries' attribution, a README explaining every column and a ready "
                    "citation. ",
                    html.A("Latest release", href=bundle.zip_path(bundle.LATEST)),
                    ". The same data is served by a read-only ",
                    html.A("JSON API", href=f"{API_PREFIX}/"),
                    " (indicators, observations, sources, releases).",
                ],
                className="small",
            ),
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th(h) for h in ("Date", "Release", "Title", "Data")])),
                    html.Tbody(rows),
                ],
                size="sm",
                responsive=True,
                className="small",
                id="releases-table",
            ),
        ],
        id="releases-section",
    )
