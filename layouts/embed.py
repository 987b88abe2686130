"""The embed page: one chart, no site chrome, at the size of its frame, with its provenance.

A plain HTML page rather than a Dash page, rendered from `templates/embed.html` (Jinja2,
autoescaped): the chart frame of the dashboard without its tabs — title and subtitle as HTML
in the reader's language (the illustrative badge beside the title), the plot filling the rest
of the iframe, and one footer line (source, nature, release) with a link to the sources. The
figures come from the same view model as the dashboard's (`dashboard.viewmodels`), one per
embed width class; `assets/embed.js` draws the one that fits the iframe and re-chooses on
resize. The page runs no inline script, so it works under the site's Content-Security-Policy.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from dashboard.figure_layouts import DESKTOP_MIN, PHONE_MAX, TALL_EMBED_MIN
from dashboard.formatting import nature_label
from dashboard.i18n import N_, translator
from dashboard.viewmodels import ChartView
from layouts.components import GRAPH_CONFIG
from layouts.frame import panel_id
from layouts.templating import render

#: plotly.js as the dashboard itself serves it (Dash's copy from the plotly package).
PLOTLY_JS_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
EMBED_SCRIPT_URL = "/embed/embed.js"
EMBED_CSS_URL = "/assets/embed.css"
FONT_CSS_URL = "/assets/vendor/noto-sans-lao/noto-sans-lao.css"
FAVICON_URL = "/_favicon.ico"  # served by Dash (assets/favicon.ico, else Dash's own)
#: The width classes an embed can be drawn for (`dashboard.figure_layouts`).
EMBED_LAYOUTS = ("embed", "embed_phone", "embed_phone_wide", "embed_phone_tall")
PINNED = N_("Data release {release}, pinned")
LATEST = N_("Data release {release}, the latest")
SOURCES_LINK = N_("Sources and full view")


def embed_page(
    make_view: Callable[[str], ChartView], *, pinned: bool, attribution: str, frame: str = "goal"
) -> str:
    """The embed of a chart; `make_view(layout)` builds its view model for a width class."""
    drawn = {layout: make_view(layout) for layout in EMBED_LAYOUTS}
    view = drawn["embed"]
    lang = view.lang
    _ = translator(lang)
    sources = view.sources
    source = sources[0].split(". ")[0] if sources else _("no values published")
    if len(sources) > 1:
        source = _("{first} and {count} more", first=source, count=len(sources) - 1)
    spec = {
        "figures": {layout: v.figure for layout, v in drawn.items()},
        "fallback": "embed",
        "config": GRAPH_CONFIG,
    }
    return render(
        "embed.html",
        lang=lang,
        page_title=view.share.get("title", view.title),
        favicon_url=FAVICON_URL,
        font_css_url=FONT_CSS_URL,
        embed_css_url=EMBED_CSS_URL,
        plotly_url=PLOTLY_JS_URL,
        script_url=EMBED_SCRIPT_URL,
        breakpoints=json.dumps(
            {"phone_max": PHONE_MAX, "desktop_min": DESKTOP_MIN, "tall_min": TALL_EMBED_MIN}
        ),
        layout="embed",
        notices=view.notices,
        view=view,
        badge=nature_label("illustrative", lang),
        source_label=_("Source:"),
        source=source,
        attribution=attribution,
        natures=" / ".join(nature_label(n, lang) for n in view.natures if n != "illustrative"),
        release_note=_(PINNED if pinned else LATEST, release=view.release_id),
        sources_url=f"{view.page_link()}#{panel_id(frame, 'sources')}",
        sources_link=_(SOURCES_LINK),
        spec=spec,
    )
