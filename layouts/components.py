"""Small reusable pieces of the interface: badges, provenance lines, value cards."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.formatting import NATURE_LABELS, format_with_unit
from dashboard.images import image_path
from dashboard.queries import Dataset, latest

NATURE_COLOURS = {
    "administrative": "primary",
    "survey": "info",
    "estimate": "secondary",
    "policy": "dark",
    "illustrative": "danger",
}

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "topojsonURL": "/assets/topojson/",
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def nature_badge(nature: str) -> dbc.Badge:
    return dbc.Badge(
        NATURE_LABELS[nature],
        color=NATURE_COLOURS[nature],
        className=f"me-1 nature-badge nature-{nature}",
    )


def nature_badges(natures: list[str]) -> list[dbc.Badge]:
    """Badges for the natures present in a view; illustrative data always shows its warning."""
    return [nature_badge(n) for n in natures]


def source_links(view: pd.DataFrame) -> html.Ul:
    items = []
    for _, src in view.drop_duplicates("source_id").iterrows():
        year = "" if pd.isna(src["source_year"]) else f" ({int(src['source_year'])})"
        url = src["source_url"]
        link = (
            html.A("link", href=url, target="_blank", rel="noopener")
            if url.startswith("http")
            else html.Code(url)
        )
        items.append(html.Li([f"{src['source_publisher']}, {src['source_title']}{year} — ", link]))
    return html.Ul(items, className="small mb-1 source-list")


def indicator_details(ds: Dataset, indicator_id: str) -> html.Div:
    """Definition, unit, target and caveat of one indicator: what a reader needs to trust it."""
    ind = ds.indicator(indicator_id)
    rows = [
        html.Dt("Definition"),
        html.Dd(ind["definition_en"]),
        html.Dt("Unit"),
        html.Dd(ind["unit_en"]),
    ]
    if pd.notna(ind["target_value"]):
        target = format_with_unit(ind["target_value"], ind)
        year = "" if pd.isna(ind["target_year"]) else f" by {int(ind['target_year'])}"
        note = f" — {ind['target_note_en']}" if ind["target_note_en"] else ""
        rows += [html.Dt("Target"), html.Dd(f"{target}{year}{note}")]
    if ind["caveat_en"]:
        rows += [html.Dt("Caveat"), html.Dd(ind["caveat_en"])]
    return html.Dl(rows, className="small indicator-details mb-0")


def headline_card(ds: Dataset, indicator_id: str) -> dbc.Card:
    """Latest national value with year, source and nature, against the target where one exists."""
    ind = ds.indicator(indicator_id)
    row = latest(ds, indicator_id)
    if row is None:
        body = [html.P("No national value published yet.", className="mb-0")]
    else:
        year = "date not stated" if pd.isna(row["year"]) else str(int(row["year"]))
        body = [
            html.P(format_with_unit(row["value"], ind), className="display-6 mb-0 headline-value"),
            html.P(f"{year} · {row['source_publisher']}", className="small text-muted mb-1"),
            nature_badge(row["nature"]),
        ]
        if pd.notna(ind["target_value"]):
            target_year = "" if pd.isna(ind["target_year"]) else f" by {int(ind['target_year'])}"
            body.append(
                html.P(
                    f"Target: {format_with_unit(ind['target_value'], ind)}{target_year}",
                    className="small mb-0 mt-1",
                )
            )
    return dbc.Card(
        dbc.CardBody([html.H3(ind["name_en"], className="h6"), *body]),
        className="h-100 headline-card",
        id={"type": "headline", "indicator": indicator_id},
    )


def download_link(component_id: str, href: str, label: str = "Download CSV of this view") -> html.A:
    return html.A(
        label,
        id=component_id,
        href=href,
        download="",
        className="btn btn-outline-primary btn-sm",
    )


IMAGE_FORMATS = (
    ("png", "screen", "PNG image"),
    ("png", "slide", "Slide (16:9 PNG)"),
    ("svg", "screen", "SVG image"),
)


def chart_downloads(prefix: str, csv_url: str, image_kind: str, image_query: dict) -> list:
    """The CSV of exactly what a chart shows, and briefing images of the same view."""
    links: list = [download_link(f"{prefix}-download", csv_url)]
    for fmt, size, label in IMAGE_FORMATS:
        links.append(
            html.A(
                label,
                id=f"{prefix}-image-{fmt}-{size}",
                href=image_path(image_kind, fmt, image_query, size),
                download="",
                className="btn btn-outline-secondary btn-sm",
            )
        )
    return links


def notices(messages: tuple[str, ...] | list[str]) -> list[dbc.Alert]:
    return [dbc.Alert(m, color="warning", className="py-1 small mb-2") for m in messages]


def loading(child) -> dcc.Loading:
    return dcc.Loading(child, type="dot", delay_show=300)


def share_button(prefix: str) -> dbc.Button:
    return dbc.Button(
        "Share / embed",
        id=f"share-{prefix}-open",
        color="outline-secondary",
        size="sm",
        n_clicks=0,
    )


def _copy_row(label: str, field: dbc.Input | dbc.Textarea, field_id: str) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=field_id, className="small mb-1"),
            html.Div(
                [field, dcc.Clipboard(target_id=field_id, title="Copy", className="ms-2 fs-5")],
                className="d-flex align-items-start",
            ),
        ],
        className="mb-3",
    )


def share_modal(prefix: str) -> dbc.Modal:
    """The share dialog of one chart: its link and copy-ready iframe snippets.

    The browser fills the fields with absolute URLs (its own origin), see `callbacks.goal`.
    """
    snippet = {"rows": 3, "readonly": True, "className": "font-monospace small"}
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Share or embed this view")),
            dbc.ModalBody(
                [
                    _copy_row(
                        "Link to this view",
                        dbc.Input(id=f"share-{prefix}-link", readonly=True, className="small"),
                        f"share-{prefix}-link",
                    ),
                    _copy_row(
                        "Embed, following the latest data release",
                        dbc.Textarea(id=f"share-{prefix}-embed", **snippet),
                        f"share-{prefix}-embed",
                    ),
                    _copy_row(
                        "Embed, pinned to this data release (never changes under your readers)",
                        dbc.Textarea(id=f"share-{prefix}-embed-pinned", **snippet),
                        f"share-{prefix}-embed-pinned",
                    ),
                    html.P(
                        "The embed shows this chart alone, at the size of its frame, with its "
                        "title, source, data release and a link back here.",
                        className="small text-muted mb-0",
                    ),
                ]
            ),
        ],
        id=f"share-{prefix}-modal",
        is_open=False,
        size="lg",
    )
