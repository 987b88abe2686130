"""The chart frame: one component around every chart of the goal pages, the home page, the
progress page and (as plain HTML, `layouts/templates/embed.html`) the embeds.

Text a reader needs is HTML here, outside the plotly figure, in the reader's language: the title
(with the illustrative badge beside it) and subtitle, which wrap; the tabs (Map | Chart | Table
| Sources | Download, only those that apply); the figure; and a one-line footer, "Source: … ·
nature · release", whose "Details" opens the Sources tab (definition, caveat, unit, every
source as a citation).

The tabs work without a server round trip (`assets/frame.js`); every panel is in the page, so
callbacks keep all of them in step. The frame measures its own width in the browser and writes
the chosen width class (`dashboard.figure_layouts`) into its `<prefix>-layout` store, which the
figure callbacks read: a phone, a tablet and a desktop each get a figure drawn for them, and a
rotation re-chooses.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from dashboard.figure_layouts import DESKTOP_MIN, PHONE_MAX
from dashboard.i18n import N_, translator
from dashboard.viewmodels import ChartView
from layouts.components import english, nature_badge, nature_badges

#: Tab keys in their display order, with their labels.
TAB_LABELS = {
    "map": N_("Map"),
    "chart": N_("Chart"),
    "table": N_("Table"),
    "sources": N_("Sources"),
    "download": N_("Download"),
}
FIGURE_TABS = ("map", "chart")
#: The width class a frame is drawn for before the browser has measured it.
DEFAULT_LAYOUT = "desktop"
#: What `assets/frame.js` needs to choose a width class as `figure_layouts.layout_for_width`.
BREAKPOINTS = {"phone_max": PHONE_MAX, "desktop_min": DESKTOP_MIN}


@dataclass(frozen=True)
class FrameView:
    """One figure of a frame (its Map or its Chart tab) and what the other tabs show for it.

    `key` is "map" or "chart"; `prefix` the component id prefix of this view's parts
    (`<prefix>-heading`, `-subtitle`, `-footer`, `-sources`, `-table`, `-downloads`). `figure`
    is the panel's content (controls, graph, summary …); `table` and `downloads` fill the Table
    and Download tabs (None: the tab does not apply); `sources_extra` follows the citations.
    `table_button_id` names the Table tab's button where a callback builds the table on first
    opening; `after` follows the frame (summary, chosen area), shown with this view.
    """

    key: str
    prefix: str
    view: ChartView
    figure: Any
    table: Any = None
    downloads: Any = None
    sources_extra: Sequence[Any] = ()
    table_button_id: str | None = None
    #: What follows the frame for this view (its summary …): outside the frame, so the plot
    #: keeps most of the frame's height.
    after: Any = None


def tab_id(prefix: str, key: str) -> str:
    return f"{prefix}-tab-{key}"


def panel_id(prefix: str, key: str) -> str:
    return f"{prefix}-panel-{key}"


def title_children(view: ChartView) -> list:
    """The frame's title: the chart's title, and beside it the illustrative badge if any value
    shown is illustrative (never inside clipped SVG text)."""
    children: list = [html.Span(view.title, className="chart-frame-title-text")]
    if view.illustrative:
        children += [" ", nature_badge("illustrative", lang=view.lang)]
    return children


def _source_short(view: ChartView) -> str:
    """The footer's source: the first publisher cited, and how many more there are."""
    _ = translator(view.lang)
    if not view.sources:
        return _("no values published")
    first = view.sources[0].split(" (")[0].split(". ")[0]
    if len(view.sources) == 1:
        return first
    return _("{first} and {count} more", first=first, count=len(view.sources) - 1)


def footer_children(view: ChartView, frame_prefix: str) -> list:
    """One line: "Source: … · nature · release …" and a "Details" button opening Sources."""
    _ = translator(view.lang)
    sources = panel_id(frame_prefix, "sources")
    return [
        html.Span(
            [_("Source:"), " ", english(_source_short(view), view.lang)],
            className="chart-frame-source",
        ),
        html.Span(
            nature_badges(list(view.natures), lang=view.lang), className="chart-frame-natures"
        ),
        html.Span(_("Release {release}", release=view.release_id), className="chart-frame-release"),
        html.Button(
            _("Details"),
            type="button",
            className="btn btn-link btn-sm p-0 chart-frame-details",
            **{"data-frame-open": sources, "aria-controls": sources},
        ),
    ]


def sources_children(view: ChartView, extra: Sequence[Any] = ()) -> list:
    """The Sources tab: definition, caveat and unit of the indicator, then every source of the
    values shown as a citation (as published, marked English on a Lao page)."""
    _ = translator(view.lang)
    rows: list = []
    for label, text in (
        (_("Definition"), view.definition),
        (_("Unit"), view.unit),
        (_("Caveat"), view.caveat),
    ):
        if text:
            rows += [html.Dt(label), html.Dd(text)]
    citations = (
        html.Ol([html.Li(english(c, view.lang)) for c in view.sources], className="frame-citations")
        if view.sources
        else html.P(_("No values are published for this view."), className="text-muted")
    )
    return [
        html.Dl(rows, className="small indicator-details mb-2") if rows else None,
        html.H3(_("Sources"), className="h6"),
        citations,
        *extra,
    ]


def _tab_button(prefix: str, key: str, label: str, active: bool, button_id: str | None = None):
    """A tab; its label is a span, which a phone hides behind an icon where the row would not
    fit (Download): the button keeps the label as its accessible name and its tooltip."""
    return html.Button(
        html.Span(label, className="chart-frame-tab-label"),
        id=button_id or tab_id(prefix, key),
        type="button",
        role="tab",
        n_clicks=0,
        title=label,
        className=f"chart-frame-tab chart-frame-tab-{key}" + (" active" if active else ""),
        tabIndex="0" if active else "-1",
        **{
            "aria-selected": "true" if active else "false",
            "aria-controls": panel_id(prefix, key),
            "data-frame-tab": panel_id(prefix, key),
        },
    )


def _per_view(views: Sequence[FrameView], part: str, make) -> list:
    """One block per figure view; CSS shows the block of the view whose tab was last open."""
    return [
        html.Div(
            make(v),
            id=f"{v.prefix}-{part}",
            className="chart-frame-part",
            **{"data-frame-view": v.key},
        )
        for v in views
    ]


def chart_frame(
    prefix: str,
    views: Sequence[FrameView],
    *,
    lang: str,
    toolbar: Sequence[Any] = (),
    active: str | None = None,
    heading_level: str = "H2",
) -> html.Section | html.Div:
    """The frame of one or two figures (Map, Chart) with Table, Sources and Download tabs.

    `active` is the tab it opens on (the first figure by default); `toolbar` holds Filters and
    Share. Title, subtitle, footer and the other tabs show the last opened figure's view.
    """
    _ = translator(lang)
    active = active or views[0].key
    heading = getattr(html, heading_level)
    tabs: list[tuple[str, Any, str | None]] = [(v.key, v.figure, None) for v in views]
    tables = [v for v in views if v.table is not None]
    if tables:
        tabs.append(
            (
                "table",
                _per_view(tables, "table-panel", lambda v: v.table),
                tables[0].table_button_id,
            )
        )
    tabs.append(
        (
            "sources",
            _per_view(views, "sources", lambda v: sources_children(v.view, v.sources_extra)),
            None,
        )
    )
    downloads = [v for v in views if v.downloads is not None]
    if downloads:
        tabs.append(("download", _per_view(downloads, "downloads", lambda v: v.downloads), None))
    buttons = [
        _tab_button(prefix, key, _(TAB_LABELS[key]), key == active, button_id)
        for key, _content, button_id in tabs
    ]
    # A figure panel not shown keeps its width (it is only made invisible), so plotly lays its
    # chart out for the frame even before the reader opens it; other panels are `hidden`.
    panels = [
        html.Div(
            content,
            id=panel_id(prefix, key),
            role="tabpanel",
            className=f"chart-frame-panel chart-frame-panel-{key}"
            + (" chart-frame-figure-panel" if key in FIGURE_TABS else "")
            + (" chart-frame-panel-inactive" if key in FIGURE_TABS and key != active else ""),
            hidden=key != active and key not in FIGURE_TABS,
            **{"aria-labelledby": button_id or tab_id(prefix, key)},
        )
        for key, content, button_id in tabs
    ]
    headers = [
        html.Div(
            [
                heading(
                    title_children(v.view),
                    id=f"{v.prefix}-heading",
                    className="chart-frame-title h4",
                ),
                html.P(
                    v.view.subtitle, id=f"{v.prefix}-subtitle", className="chart-frame-subtitle"
                ),
            ],
            className="chart-frame-titles",
            **{"data-frame-view": v.key},
        )
        for v in views
    ]
    footers = [
        html.Footer(
            footer_children(v.view, prefix),
            id=f"{v.prefix}-footer",
            className="chart-frame-footer",
            **{"data-frame-view": v.key},
        )
        for v in views
    ]
    section = html.Section(
        [
            dcc.Store(id=f"{prefix}-layout", data=DEFAULT_LAYOUT),
            html.Div(
                [
                    html.Div(headers, className="chart-frame-heading"),
                    html.Div(list(toolbar), className="chart-frame-toolbar"),
                ],
                className="chart-frame-header",
            ),
            html.Div(
                buttons,
                role="tablist",
                className="chart-frame-tabs",
                **{"aria-label": _("Views of this chart")},
            ),
            *panels,
            *footers,
        ],
        id=f"{prefix}-frame",
        className="chart-frame",
        **{
            "data-active-view": active if active in FIGURE_TABS else views[0].key,
            "data-layout-store": f"{prefix}-layout",
            "data-breakpoints": json.dumps(BREAKPOINTS),
            "data-embedded": "false",
            "data-width-class": DEFAULT_LAYOUT,  # as drawn; assets/frame.js re-chooses
        },
    )
    after = [
        html.Div(v.after, className="chart-frame-part", **{"data-frame-view": v.key})
        for v in views
        if v.after is not None
    ]
    if not after:
        return section
    return html.Div(
        [section, html.Div(after, className="chart-frame-after")],
        className="chart-frame-wrap",
        **{"data-active-view": active if active in FIGURE_TABS else views[0].key},
    )
