"""The frame around every page: navigation, the page itself, and the footer with provenance."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.store import Store

NAV_ITEMS = (
    ("Overview", "/"),
    ("Health insurance", "/goal/1"),
    ("Social security", "/goal/2"),
    ("Social welfare", "/goal/3"),
    ("Progress", "/progress"),
    ("Challenges", "/challenges"),
    ("Data & sources", "/data"),
)


def navbar() -> dbc.Navbar:
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("NSPS Lao PDR", href="/"),
                dbc.NavbarToggler(id="navbar-toggler", n_clicks=0),
                dbc.Collapse(
                    dbc.Nav(
                        [
                            dbc.NavItem(dbc.NavLink(label, href=href, active="exact"))
                            for label, href in NAV_ITEMS
                        ],
                        navbar=True,
                    ),
                    id="navbar-collapse",
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )


def footer(store: Store) -> html.Footer:
    release = store.dataset.release
    geo_note = (
        "Maps use a schematic tile grid: boundary files are not installed."
        if store.geo.schematic
        else "Boundaries: NGD Lao PDR and OCHA ROAP (HDX COD-AB 2019, CC BY 3.0 IGO), "
        "via geoBoundaries."
    )
    return html.Footer(
        dbc.Container(
            [
                html.P(
                    [
                        f"Data release {release.release_id}. ",
                        "Owner: National Social Protection Commission; "
                        "secretariat: Ministry of Labour and Social Welfare. ",
                        html.A("Data and sources", href="/data"),
                        " · ",
                        html.A("Download all data (CSV)", href="/download/nsps-data.csv"),
                    ],
                    className="mb-1",
                ),
                html.P(geo_note, className="mb-0"),
            ],
            fluid=True,
        ),
        className="small text-muted border-top mt-4 py-3",
    )


def app_shell(store: Store) -> html.Div:
    return html.Div(
        [
            html.A("Skip to content", href="#main", className="visually-hidden-focusable"),
            navbar(),
            dbc.Container(html.Main(dash.page_container, id="main"), fluid="lg"),
            footer(store),
        ]
    )
