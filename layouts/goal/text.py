"""The goal page's text, after its figures: the strategy's goal statement, description and
objective, its activities and institutions, and the challenges it faces, each a collapsible
section so a reader on a phone reaches the numbers first."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import queries
from dashboard.age_groups import age_label
from dashboard.formatting import format_with_unit
from dashboard.i18n import N_, localized, translator
from dashboard.store import Store
from layouts.components import data_text, english, nature_badge, year_text


def strategy_sections(store: Store, goal: str, *, lang: str) -> dbc.Accordion:
    """The goal as the strategy states it, in collapsed sections."""
    _ = translator(lang)
    ds = store.dataset
    release = ds.release
    row = release.goals.loc[goal]
    activities = release.activities[release.activities["goal_id"] == goal]
    institutions = release.institutions[release.institutions["goal_id"] == goal]
    return dbc.Accordion(
        [
            dbc.AccordionItem(
                [
                    html.P(data_text(row, "description", lang)),
                    html.P(
                        [
                            html.Strong(_("Objective {number}:", number=row["objective_id"])),
                            " ",
                            data_text(row, "objective", lang),
                        ],
                        className="mb-0",
                    ),
                ],
                title=_("The goal and its objective"),
            ),
            dbc.AccordionItem(
                html.Ol(
                    [
                        html.Li(
                            [
                                html.Strong(activity["activity_id"]),
                                " ",
                                data_text(activity, "text", lang),
                            ]
                        )
                        for _index, activity in activities.iterrows()
                    ],
                    className="list-unstyled mb-0",
                ),
                title=_("Activities ({count})", count=len(activities)),
            ),
            dbc.AccordionItem(
                html.Ul(
                    [
                        html.Li(data_text(institution, "institution", lang))
                        for _index, institution in institutions.iterrows()
                    ]
                ),
                title=_("Responsible institutions"),
            ),
            dbc.AccordionItem(
                [
                    html.P(_(EDITORIAL_READING), className="small text-muted editorial-reading"),
                    challenge_list(store, queries.goal_challenge_ids(ds, goal), lang=lang),
                ],
                title=_("Challenges this goal faces"),
            ),
        ],
        start_collapsed=True,
        always_open=True,
        className="mb-4 goal-sections",
        id="goal-sections",
    )


#: Said wherever challenges are tied to goals: the strategy itself does not tie them.
EDITORIAL_READING = N_(
    "Which goals a challenge bears on is an editorial reading by this dashboard: the strategy "
    "lists its challenges without assigning them to goals."
)
GROUP_LABELS = {
    "female": N_("women"),
    "male": N_("men"),
    "urban": N_("urban"),
    "rural": N_("rural"),
}


def _breakdown_items(ds: queries.Dataset, indicator_id: str, lang: str) -> list:
    """Urban/rural (or women/men) values of a series published only by breakdown, side by side."""
    _ = translator(lang)
    ind = ds.indicator(indicator_id)
    items = []
    for _index, row in queries.latest_breakdowns(ds, indicator_id).iterrows():
        group = next((row[c] for c in ("urban_rural", "sex") if row[c] in GROUP_LABELS), row["age"])
        name = localized(ind, "name", lang)
        label = _(GROUP_LABELS[group]) if group in GROUP_LABELS else age_label(group, lang)
        if label.casefold() not in name.casefold():  # "Poverty, urban" already says it
            name = f"{name} — {label}"
        items.append(_value_item(name, row, ind, lang, className="breakdown-value"))
    return items


def _value_item(name: str, row: pd.Series, ind: pd.Series, lang: str, **props: str) -> html.Li:
    """ "Name: value (year)", its source as published and its nature badge."""
    _ = translator(lang)
    return html.Li(
        [
            _(
                "{indicator}: {value} ({year})",
                indicator=name,
                value=format_with_unit(row["value"], ind, lang),
                year=year_text(row["year"], lang),
            ),
            " ",
            english(str(row["source_label"]), lang),
            " ",
            nature_badge(row["nature"], lang=lang),
        ],
        **props,
    )


def challenge_list(
    store: Store,
    challenge_ids: list[str],
    *,
    lang: str,
    heading_level: str = "h3",
    show_goals: bool = False,
) -> html.Div:
    """Each challenge with the latest national value of every indicator that measures it (its
    urban and rural values where the series is published only by breakdown); with
    `show_goals`, the goals it is read as bearing on, labelled as an editorial reading."""
    _ = translator(lang)
    ds = store.dataset
    challenges = ds.release.challenges
    blocks = []
    for cid in challenge_ids:
        items = []
        for indicator_id in queries.challenge_indicator_ids(ds, cid):
            ind = ds.indicator(indicator_id)
            row = queries.latest(ds, indicator_id)
            if row is None:
                items += _breakdown_items(ds, indicator_id, lang)
                continue
            items.append(_value_item(localized(ind, "name", lang), row, ind, lang))
        blocks.append(
            html.Div(
                [
                    html.Div(
                        [cid, " — ", data_text(challenges.loc[cid], "text", lang)],
                        className=f"{heading_level} h6",
                    ),
                    *([_goals_line(challenges.loc[cid], lang)] if show_goals else []),
                    html.Ul(
                        items or [html.Li(_("No indicator published yet."), className="text-muted")]
                    ),
                ],
                className="challenge-block",
                id=f"challenge-{cid}",
            )
        )
    return html.Div(blocks)


def _goals_line(challenge: object, lang: str) -> html.P:
    _ = translator(lang)
    goals = ", ".join(str(g) for g in (challenge["goal_ids"] or ()))
    return html.P(
        _("Bears on goals {goals} (editorial reading).", goals=goals),
        className="small text-muted editorial-reading mb-1",
    )
