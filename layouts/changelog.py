"""The changelog on the Data page: every release, what it added, revised and removed.

Journalists quote numbers; when a number is revised they need to see the old and the new value
side by side, with the release that changed it.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.age_groups import age_label
from dashboard.changes import ChangelogEntry, revisions_view
from dashboard.formatting import format_value
from dashboard.i18n import N_, format_number, localized, translator
from dashboard.loading import Release
from dashboard.store import Store
from layouts.components import english, nature_badge
from layouts.releases import current_badge

#: Revised values listed per release on the page; more are summarised with their count.
MAX_REVISED_ROWS = 200
#: The breakdowns of an observation (sex, urban/rural), as printed in the Group column; age
#: groups are named by `dashboard.age_groups`.
GROUP_LABELS = {
    "total": N_("total"),
    "female": N_("female"),
    "male": N_("male"),
    "urban": N_("urban"),
    "rural": N_("rural"),
}


def _summary(entry: ChangelogEntry, values_served: int | None, lang: str) -> str:
    """One sentence of counts; English needs "value"/"values", so each count form is a msgid."""
    _ = translator(lang)
    counts = entry.counts
    if counts is None:
        if values_served is None:
            return _("First published release; no earlier release to compare with.")
        return _(
            "First published release ({values} values); no earlier release to compare with.",
            values=format_number(values_served, lang, 0),
        )
    numbers = {
        "added": format_number(counts.added, lang, 0),
        "revised": format_number(counts.revised, lang, 0),
        "removed": format_number(counts.removed, lang, 0),
    }
    if entry.previous_id is None:
        if counts.added == 1:
            return _(
                "{added} value added, {revised} revised, {removed} removed (first release).",
                **numbers,
            )
        return _(
            "{added} values added, {revised} revised, {removed} removed (first release).", **numbers
        )
    if counts.added == 1:
        return _(
            "{added} value added, {revised} revised, {removed} removed since release {previous}.",
            previous=entry.previous_id,
            **numbers,
        )
    return _(
        "{added} values added, {revised} revised, {removed} removed since release {previous}.",
        previous=entry.previous_id,
        **numbers,
    )


def _cell(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def _names(table: pd.DataFrame, lang: str) -> pd.Series:
    """Code → name in the reader's language, for a catalogue table with `name_en`/`name_lo`."""
    return pd.Series(
        [localized(row, "name", lang) for _code, row in table.iterrows()],
        index=table.index,
        dtype=object,
    )


def _revised_rows(revised: pd.DataFrame, release: Release, lang: str) -> pd.DataFrame:
    """`revisions_view` with indicator and area names in the reader's language."""
    rows = revisions_view(revised, release)
    return rows.assign(
        indicator_name=rows["indicator_id"]
        .map(_names(release.indicators, lang))
        .fillna(rows["indicator_name"]),
        area_name=rows["area_code"].map(_names(release.areas, lang)).fillna(rows["area_name"]),
    )


def _group(row: pd.Series, lang: str) -> str:
    """Sex, urban/rural and age group of a value, each by its name in the reader's language."""
    _ = translator(lang)
    age = row.get("age", "total")
    return ", ".join(
        [
            *(_(GROUP_LABELS.get(v, v)) for v in (row["sex"], row["urban_rural"])),
            _(GROUP_LABELS["total"]) if age == "total" else age_label(age, lang),
        ]
    )


def _revised_table(entry: ChangelogEntry, store: Store, lang: str) -> html.Div | dbc.Table:
    _ = translator(lang)
    revised = entry.revised
    if revised is None or revised.empty:
        return html.Div()
    rows = _revised_rows(revised.head(MAX_REVISED_ROWS), store.dataset.release, lang)
    body = [
        html.Tr(
            [
                html.Td(row["indicator_name"]),
                html.Td(row["area_name"]),
                html.Td(_cell(row["year"])),
                html.Td(_group(row, lang)),
                html.Td(
                    format_value(row["old_value"], row["decimals"], row["unit_kind"], lang=lang)
                ),
                html.Td(
                    html.Strong(
                        format_value(row["new_value"], row["decimals"], row["unit_kind"], lang=lang)
                    )
                ),
                html.Td(
                    [nature_badge(row["nature"], lang=lang), english(row["source_title"], lang)]
                ),
            ],
            className="revised-value",
        )
        for _row_index, row in rows.iterrows()
    ]
    more = len(revised) - len(rows)
    heads = (_("Indicator"), _("Area"), _("Year"), _("Group"), _("Was"), _("Now"), _("Source"))
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
            html.P(
                _("… and {count} more revised values.", count=format_number(more, lang, 0)),
                className="small",
            )
            if more > 0
            else None,
        ]
    )


def changelog_section(store: Store, *, lang: str) -> html.Div:
    """Releases newest first, with counts of changes and a table of revised values."""
    _ = translator(lang)
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
                            _("Release {release}", release=entry.release_id),
                            *((" — ", english(entry.title, lang)) if entry.title else ()),
                            current_badge(lang) if is_served else None,
                        ],
                        className="h5",
                    ),
                    html.P(
                        _summary(entry, len(served.table) if is_served else None, lang),
                        className="changelog-summary",
                    ),
                    _revised_table(entry, store, lang),
                ],
                className="mb-3 changelog-entry",
                id=f"release-{entry.release_id}",
            )
        )
    return html.Div(
        [
            html.H2(_("What changed between releases"), className="h4"),
            html.P(
                _(
                    "A release is never edited once published: corrections come as a new "
                    "release. Each release lists the values it added, revised (old and new "
                    "value) and removed compared with the release before it."
                ),
                className="small",
            ),
            *items,
        ],
        id="changelog",
    )
