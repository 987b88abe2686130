"""Small reusable pieces of the interface, in the reader's language: badges, provenance lines,
value cards, downloads, notices and the share dialog.

Every function takes the page's `lang` (keyword) and writes its sentences through the catalogue
(`dashboard.i18n`); data text comes from the release's `_lo`/`_en` columns. Text that stays
English on a Lao page (source titles, publishers, an English-only cell) is marked `lang="en"`.
"""

from __future__ import annotations

from collections.abc import Mapping

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import citations, downloads
from dashboard.formatting import format_with_unit, nature_label
from dashboard.i18n import N_, localized, translator
from dashboard.images import image_path
from dashboard.progress import document_text, target_label
from dashboard.queries import Dataset, indicator_targets, latest

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
    # No plotly toolbar: on phones it sits on the chart's title, and its labels are English
    # only. Zoom and pan stay (scroll, pinch, drag; double-click resets); images and data
    # have their own links under each chart, in the reader's language.
    "displayModeBar": False,
}


def data_text(row: Mapping[str, object], stem: str, lang: str) -> str | html.Span:
    """A release cell in the reader's language; an English fallback on a Lao page says so
    (`lang="en"`), so screen readers pronounce it as English."""
    text = localized(row, stem, lang)
    lao = row.get(f"{stem}_lo")
    if lang != "en" and not (isinstance(lao, str) and lao.strip()) and text:
        return html.Span(text, lang="en")
    return text


def english(text: str, lang: str) -> str | html.Span:
    """Text that has no Lao form (titles, publishers, licences): marked English on a Lao page."""
    return html.Span(text, lang="en") if lang != "en" else text


def year_text(year: object, lang: str) -> str:
    """A reference year, or that the source states none."""
    _ = translator(lang)
    return _("date not stated") if pd.isna(year) else str(int(year))


def nature_badge(nature: str, *, lang: str) -> dbc.Badge:
    return dbc.Badge(
        nature_label(nature, lang),
        color=NATURE_COLOURS[nature],
        className=f"me-1 nature-badge nature-{nature}",
    )


def nature_badges(natures: list[str], *, lang: str) -> list[dbc.Badge]:
    """Badges for the natures present in a view; illustrative data always shows its warning."""
    return [nature_badge(n, lang=lang) for n in natures]


def full_downloads(ds: Dataset, *, lang: str) -> html.Div:
    """The two full downloads (official only; all including illustrative), each with its row
    count and illustrative count beside it, and the terms every figure keeps."""
    _ = translator(lang)
    items = [
        html.Li(
            [
                html.A(link.label, href=link.href, id=f"download-{kind}", className="fw-semibold"),
                " — ",
                html.Span(link.note, className="download-note"),
            ]
        )
        for kind, link in zip(
            ("official", "all"), downloads.full_download_links(ds, lang), strict=True
        )
    ]
    return html.Div(
        [html.Ul(items, className="mb-1"), html.P(_(downloads.TERMS), className="small")],
        id="downloads",
    )


def source_links(view: pd.DataFrame, *, lang: str) -> html.Ul:
    """One line per distinct source of a view: publisher, title, year and a link to it."""
    _ = translator(lang)
    items = []
    for _source_id, cited in citations.of_rows(view, lang):
        parts = [english(cited.text, lang)]
        if cited.url:
            parts += [
                " — ",
                html.A(_("open the source"), href=cited.url, target="_blank", rel="noopener"),
            ]
        items.append(html.Li(parts))
    return html.Ul(items, className="small mb-1 source-list")


def target_description(target: pd.Series, indicator: pd.Series, lang: str) -> list:
    """Whose target, what it says, how a number was read from it, and its document."""
    _ = translator(lang)
    parts: list = [target_label(target, indicator, lang).rstrip("."), ". "]
    if interpretation := data_text(target, "interpretation", lang):
        parts += [interpretation, " "]
    if note := data_text(target, "note", lang):
        parts += [note, " "]
    cited = english(document_text(target), lang)
    url = str(target.get("document_url") or "")
    if url.startswith(("https://", "http://")):
        cited = html.A(cited, href=url, target="_blank", rel="noopener")
    parts += [_("Source:"), " ", cited]
    return parts


def headline_card(ds: Dataset, indicator_id: str, *, lang: str) -> dbc.Card:
    """Latest national value with year, source and nature, against the target where one exists."""
    _ = translator(lang)
    ind = ds.indicator(indicator_id)
    row = latest(ds, indicator_id)
    if row is None:
        body = [html.P(_("No national value published yet."), className="mb-0")]
    else:
        body = [
            html.P(
                format_with_unit(row["value"], ind, lang),
                className="display-6 mb-0 headline-value",
            ),
            html.P(
                [year_text(row["year"], lang), " · ", english(row["source_label"], lang)],
                className="small text-muted mb-1",
            ),
            nature_badge(row["nature"], lang=lang),
        ]
        body += [
            html.P(target_label(target, ind, lang), className="small mb-0 mt-1 headline-target")
            for _id, target in indicator_targets(ds, indicator_id).iterrows()
        ]
    return dbc.Card(
        dbc.CardBody([html.H3(data_text(ind, "name", lang), className="h6"), *body]),
        className="h-100 headline-card",
        id={"type": "headline", "indicator": indicator_id},
    )


DOWNLOAD_CSV = N_("Download CSV of this view")


def download_link(component_id: str, href: str, *, lang: str, label: str = DOWNLOAD_CSV) -> html.A:
    """A file download; `label` is an English msgid, translated here."""
    return html.A(
        translator(lang)(label),
        id=component_id,
        href=href,
        download="",
        className="btn btn-outline-primary btn-sm",
    )


IMAGE_FORMATS = (
    ("png", "screen", N_("PNG image")),
    ("png", "slide", N_("Slide (16:9 PNG)")),
    ("svg", "screen", N_("SVG image")),
)


def chart_downloads(
    prefix: str, csv_url: str, image_kind: str, image_query: dict, *, lang: str
) -> list:
    """The CSV of exactly what a chart shows, and briefing images of the same view."""
    _ = translator(lang)
    links: list = [download_link(f"{prefix}-download", csv_url, lang=lang)]
    for fmt, size, label in IMAGE_FORMATS:
        links.append(
            html.A(
                _(label),
                id=f"{prefix}-image-{fmt}-{size}",
                href=image_path(image_kind, fmt, image_query, size),
                download="",
                className="btn btn-outline-secondary btn-sm",
            )
        )
    return links


def notices(messages: tuple[str, ...] | list[str], *, lang: str) -> list[dbc.Alert]:
    """Warnings about a view (e.g. an unknown indicator in the URL), translated by
    `dashboard.views`; each starts with a word only screen readers hear, as colour says it."""
    _ = translator(lang)
    prefix = _("Notice:")
    return [
        dbc.Alert(
            [html.Span(prefix + " ", className="visually-hidden"), message],
            color="warning",
            className="py-1 small mb-2",
        )
        for message in messages
    ]


def loading(child) -> dcc.Loading:
    return dcc.Loading(child, type="dot", delay_show=300)


def share_button(prefix: str, *, lang: str) -> dbc.Button:
    _ = translator(lang)
    return dbc.Button(
        _("Share / embed"),
        id=f"share-{prefix}-open",
        color="outline-secondary",
        size="sm",
        n_clicks=0,
    )


def _copy_row(label: str, field: dbc.Input | dbc.Textarea, field_id: str, copy: str) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=field_id, className="small mb-1"),
            html.Div(
                [field, dcc.Clipboard(target_id=field_id, title=copy, className="ms-2 fs-5")],
                className="d-flex align-items-start",
            ),
        ],
        className="mb-3",
    )


def share_modal(prefix: str, *, lang: str) -> dbc.Modal:
    """The share dialog of one chart: its link and copy-ready iframe snippets.

    The browser fills the fields with absolute URLs (its own origin) that keep `lang=`, see
    `callbacks.goal`.
    """
    _ = translator(lang)
    snippet = {"rows": 3, "readonly": True, "className": "font-monospace small"}
    copy = _("Copy")
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(_("Share or embed this view"))),
            dbc.ModalBody(
                [
                    _copy_row(
                        _("Link to this view"),
                        dbc.Input(id=f"share-{prefix}-link", readonly=True, className="small"),
                        f"share-{prefix}-link",
                        copy,
                    ),
                    _copy_row(
                        _("Embed, following the latest data release"),
                        dbc.Textarea(id=f"share-{prefix}-embed", **snippet),
                        f"share-{prefix}-embed",
                        copy,
                    ),
                    _copy_row(
                        _("Embed, pinned to this data release (never changes under your readers)"),
                        dbc.Textarea(id=f"share-{prefix}-embed-pinned", **snippet),
                        f"share-{prefix}-embed-pinned",
                        copy,
                    ),
                    html.P(
                        _(
                            "The embed shows this chart alone, at the size of its frame, with its "
                            "title, source, data release and a link back here."
                        ),
                        className="small text-muted mb-0",
                    ),
                ]
            ),
        ],
        id=f"share-{prefix}-modal",
        is_open=False,
        size="lg",
    )


def dropdown_labels(lang: str) -> dict[str, str]:
    """The words inside a `dcc.Dropdown` (search box, clear buttons …) in the reader's language."""
    _ = translator(lang)
    return {
        "select_all": _("Select all"),
        "deselect_all": _("Deselect all"),
        "selected_count": _("{num_selected} selected"),
        "search": _("Search"),
        "clear_search": _("Clear search"),
        "clear_selection": _("Clear selection"),
        "no_options_found": _("No options found"),
    }


def data_table(
    header: list[str], rows: list[list], *, caption: str | None = None, class_name: str = ""
) -> html.Div:
    """A chart's values as an HTML table: the accessible alternative to the chart.

    It scrolls inside its own frame (`table-responsive`), so the page never scrolls sideways on
    a phone; the caption (the chart's summary) tells a screen reader what the table is.
    """
    parts: list = [html.Caption(caption, className="caption-top")] if caption else []
    parts += [
        html.Thead(html.Tr([html.Th(cell, scope="col") for cell in header])),
        html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
    ]
    return html.Div(
        html.Table(parts, className=f"table table-sm table-striped small mb-0 {class_name}"),
        className="table-responsive",
    )


def described_chart(chart: object, *, summary_id: str, label_id: str) -> html.Div:
    """A chart as a figure for assistive technology: named by its heading, described by its
    text summary (which `callbacks.goal` keeps in step with the view)."""
    return html.Div(
        chart,
        role="figure",
        **{"aria-labelledby": label_id, "aria-describedby": summary_id},
    )


#: The filters container: off-canvas (from the right) below the md breakpoint, inline above.
FILTERS_PANEL_CLASS = "offcanvas-md offcanvas-end mb-2"


def filters_button(prefix: str, *, lang: str) -> html.Button:
    """Opens a chart's controls on a phone; hidden from the md breakpoint up, where the
    controls are always shown (see `filters_panel`)."""
    _ = translator(lang)
    return html.Button(
        _("Filters"),
        id=f"{prefix}-filters-open",
        type="button",
        n_clicks=0,
        className="btn btn-primary btn-sm d-md-none",
        **{"aria-controls": f"{prefix}-filters", "aria-expanded": "false"},
    )


def filters_panel(prefix: str, title: str, controls: object, *, lang: str) -> html.Div:
    """A chart's controls, rendered once: inline from the md breakpoint up, an off-canvas
    panel below it (Bootstrap's responsive `offcanvas-md`), opened by `filters_button`.

    `callbacks.goal` adds or removes `show`; the header with its close button only appears
    below md. The panel is a labelled dialog on phones and plain content on larger screens.
    """
    _ = translator(lang)
    return html.Div(
        [
            html.Div(
                [
                    html.H3(title, className="offcanvas-title h5", id=f"{prefix}-filters-title"),
                    html.Button(
                        id=f"{prefix}-filters-close",
                        type="button",
                        n_clicks=0,
                        className="btn-close",
                        **{"aria-label": _("Close the filters")},
                    ),
                ],
                className="offcanvas-header",
            ),
            html.Div(controls, className="offcanvas-body d-block"),
        ],
        id=f"{prefix}-filters",
        className=FILTERS_PANEL_CLASS,
        tabIndex="-1",
        **{"aria-labelledby": f"{prefix}-filters-title"},
    )
