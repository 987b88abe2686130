"""The Data page's list of releases: each with its date, title, bulk zip and API link."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import html

from dashboard import bundle
from dashboard.api import API_PREFIX
from dashboard.i18n import N_, format_date, translator
from dashboard.store import Store
from layouts.components import english

#: The badge of the release the site serves now.
CURRENT = N_("current")


def release_date(date: str, lang: str) -> str:
    """A release's ISO date spelled out in the reader's language (as written if not a date)."""
    try:
        return format_date(dt.date.fromisoformat(date), lang)
    except ValueError:
        return date


def current_badge(lang: str) -> dbc.Badge:
    return dbc.Badge(translator(lang)(CURRENT), color="success", className="ms-1")


def releases_section(store: Store, *, lang: str) -> html.Div:
    """Newest first; the served release is marked. Links are stable: a release never changes."""
    _ = translator(lang)
    served = store.dataset.release.release_id
    rows = [
        html.Tr(
            [
                html.Td(release_date(entry.date, lang)),
                html.Td(
                    [
                        html.Code(entry.release_id),
                        " ",
                        current_badge(lang) if entry.release_id == served else None,
                    ]
                ),
                html.Td(english(entry.title, lang)),
                html.Td(
                    [
                        html.A(
                            english(bundle.zip_name(entry.release_id), lang),
                            href=bundle.zip_path(entry.release_id),
                            className="release-zip",
                            **{"data-release": entry.release_id},
                        ),
                        " · ",
                        html.A(
                            english("API", lang),
                            href=f"{API_PREFIX}/observations?release={entry.release_id}",
                            className="release-api",
                        ),
                    ]
                ),
            ]
        )
        for entry in store.changelog()
    ]
    heads = (_("Date"), _("Release"), _("Title"), _("Data"))
    return html.Div(
        [
            html.H2(_("Releases and bulk data"), className="h4"),
            html.P(
                _(
                    "Each release is one zip at a stable address: every observation (tidy CSV, "
                    "UTF-8), the indicator catalogue, the sources with their licences, the "
                    "boundaries' attribution, a README explaining every column and a ready "
                    "citation."
                ),
                className="small mb-1",
            ),
            html.P(
                [
                    html.A(
                        _("Download the latest release (zip)"), href=bundle.zip_path(bundle.LATEST)
                    ),
                    " · ",
                    html.A(
                        _("Read-only JSON API: indicators, observations, sources and releases"),
                        href=f"{API_PREFIX}/",
                    ),
                ],
                className="small",
            ),
            dbc.Table(
                [html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(rows)],
                size="sm",
                responsive=True,
                className="small",
                id="releases-table",
            ),
        ],
        id="releases-section",
    )
