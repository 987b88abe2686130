"""One page per NSPS goal, in the reader's language, leading with the answer: the goal's
headline figures and its chart frame (Map | Chart | Table | Sources | Download) first, then its
budget, then the strategy's text, activities, institutions and challenges in collapsible
sections.

The layout is a function of the URL query (`?indicator=&level=&year=&series=&areas=&lang=`), so
a shared link reopens the same view; `callbacks.goal` keeps the address bar naming the view
shown. What the page opens on when the URL names nothing is data: the release's catalogue
(`queries.default_view`). On phones each chart's controls sit in an off-canvas panel opened by a
"Filters" button.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import queries, views
from dashboard.i18n import localized, translator, with_language
from dashboard.store import Store
from dashboard.viewmodels import map_view, series_view
from layouts.components import (
    data_text,
    filters_button,
    filters_panel,
    headline_card,
    share_button,
    share_modal,
)
from layouts.frame import FrameView, chart_frame
from layouts.goal.budget import budget_section, budget_table
from layouts.goal.controls import (
    area_compares,
    area_name,
    area_options,
    area_value,
    chosen_area,
    indicator_control,
    indicator_options,
    level_options,
    year_slider_props,
)
from layouts.goal.map import (
    _map_controls,
    map_downloads,
    map_frame_parts,
    map_frame_view,
    map_notes,
    map_table,
)
from layouts.goal.series import (
    series_controls,
    series_downloads,
    series_frame_view,
    series_progress,
    series_table,
)
from layouts.goal.text import challenge_list, strategy_sections

GOAL_IDS = views.GOAL_IDS

__all__ = [
    "area_compares",
    "area_name",
    "area_options",
    "area_value",
    "budget_table",
    "challenge_list",
    "chosen_area",
    "indicator_control",
    "indicator_options",
    "layout",
    "level_options",
    "map_downloads",
    "map_frame_parts",
    "map_notes",
    "map_table",
    "series_downloads",
    "series_progress",
    "series_table",
    "year_slider_props",
]


def _no_such_goal(goal_id: object, lang: str) -> html.Div:
    _ = translator(lang)
    return html.Div(
        [
            dbc.Alert(
                _(
                    "There is no goal {number}; the NSPS has goals 1, 2 and 3.",
                    number=repr(goal_id),
                ),
                color="warning",
            ),
            html.Ul(
                [
                    html.Li(
                        dcc.Link(
                            _("Goal {number}", number=g), href=with_language(f"/goal/{g}", lang)
                        )
                    )
                    for g in GOAL_IDS
                ]
            ),
        ]
    )


def _headlines(store: Store, goal: str, lang: str) -> html.Div:
    """The goal's headline figures: latest national value, year, source, nature, target. On a
    phone a swipeable row, so it is a named region the keyboard can scroll too."""
    _ = translator(lang)
    ds = store.dataset
    return html.Div(
        [
            dbc.Col(headline_card(ds, i, lang=lang), xs=12, sm=6, lg=4, className="mb-2")
            for i in queries.headline_indicator_ids(ds, goal)
        ],
        className="row g-2 mb-3 goal-headlines",
        role="region",
        tabIndex="0",
        **{"aria-label": _("Headline figures")},
    )


def _toolbar_part(key: str, prefix: str, lang: str) -> html.Div:
    return html.Div(
        [filters_button(prefix, lang=lang), share_button(prefix, lang=lang)],
        className="d-flex gap-2",
        **{"data-frame-view": key},
    )


def goal_frame(store: Store, goal: str, query: dict[str, str], *, lang: str) -> html.Section:
    """The goal's chart frame: Map and Chart (those the goal has), opening on the tab the
    catalogue names unless the URL asks for a view."""
    _ = translator(lang)
    ds = store.dataset
    selection = views.resolve_map_selection(
        ds, goal, query.get("indicator"), query.get("level"), query.get("year"), lang=lang
    )
    series = views.resolve_series_selection(
        ds, goal, query.get("series"), query.get("areas"), lang=lang
    )
    mapped = map_view(ds, goal, selection, lang=lang, schematic=store.geo.schematic)
    frames: list[FrameView] = [
        map_frame_view(
            store,
            mapped,
            filters=filters_panel(
                "map", _("Map filters"), _map_controls(store, goal, selection, lang), lang=lang
            ),
            has_series=series is not None,
        )
    ]
    toolbar = [_toolbar_part("map", "map", lang)]
    if series is not None:
        charted = series_view(ds, goal, series, lang=lang)
        frames.append(
            series_frame_view(
                ds,
                charted,
                filters=filters_panel(
                    "series", _("Trend filters"), series_controls(ds, charted), lang=lang
                ),
            )
        )
        toolbar.append(_toolbar_part("chart", "series", lang))
    default = queries.default_view(ds, goal)
    asked = "chart" if query.get("series") and not query.get("indicator") else None
    if query.get("indicator"):
        asked = "map"
    active = asked or (default.tab if series is not None else "map")
    return html.Div(
        [
            dcc.Store(id="map-view", data=mapped.share),
            dcc.Store(
                id="series-view", data=charted.share if series else {"query": {}, "lang": lang}
            ),
            share_modal("map", lang=lang),
            share_modal("series", lang=lang) if series is not None else None,
            chart_frame("goal", frames, lang=lang, toolbar=toolbar, active=active),
        ]
    )


def layout(store: Store, goal_id: str | None = None, *, lang: str, **query: str) -> html.Div:
    ds = store.dataset
    goal = str(goal_id) if str(goal_id) in GOAL_IDS else None
    if goal is None:
        return _no_such_goal(goal_id, lang)
    _ = translator(lang)
    row = ds.release.goals.loc[goal]
    return html.Div(
        [
            dcc.Store(id="goal-id", data=goal),
            dcc.Store(id="goal-query-keys", data=list(views.GOAL_QUERY_KEYS)),
            dcc.Store(id="goal-url"),  # the address bar as last rewritten (callbacks.goal)
            html.H1(
                _("Goal {number}: {name}", number=goal, name=localized(row, "name", lang)),
                className="h2",
            ),
            html.P(data_text(row, "statement", lang), className="lead mb-2"),
            _headlines(store, goal, lang),
            goal_frame(store, goal, query, lang=lang),
            budget_section(ds, goal, lang=lang),
            html.H2(_("About this goal"), className="h4"),
            strategy_sections(store, goal, lang=lang),
        ]
    )
