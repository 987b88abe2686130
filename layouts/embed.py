"""The embed page: one chart, no site chrome, at the size of its frame, with its provenance.

A plain HTML page rather than a Dash page: it draws one figure dict built by `dashboard.views`
(the same function the dashboard uses, so an embed cannot disagree with it) with the plotly.js
the dashboard serves, and needs no Dash renderer, callbacks or layout. Everything interpolated
is escaped (markupsafe for HTML, JSON with `<`, `>` and `&` escaped inside the data block), and
the page runs no inline script, so it works under the site's Content-Security-Policy.

The page is in the reader's language (`lang`): `<html lang>`, every sentence through the
catalogue, the plain-language summary under the chart as its accessible description, and the
source citations as published, marked `lang="en"` on a Lao page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from plotly.utils import PlotlyJSONEncoder

from dashboard.formatting import nature_label
from dashboard.i18n import translator
from dashboard.queries import Dataset
from dashboard.viewmodels import ChartView
from layouts.components import GRAPH_CONFIG
from layouts.releases import release_date

#: plotly.js as the dashboard itself serves it (Dash's copy from the plotly package).
PLOTLY_JS_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
EMBED_SCRIPT_URL = "/embed/embed.js"
FONT_CSS_URL = "/assets/vendor/noto-sans-lao/noto-sans-lao.css"
FAVICON_URL = "/_favicon.ico"  # served by Dash (assets/favicon.ico, else Dash's own)

#: Draws the figure from the page's JSON data block, resizing with the frame.
EMBED_SCRIPT = """(function () {
  var spec = JSON.parse(document.getElementById('embed-figure').textContent);
  var chart = document.getElementById('embed-chart');
  Plotly.newPlot(chart, spec.figure.data, spec.figure.layout, spec.config).then(function () {
    chart.setAttribute('data-rendered', 'true');
  });
  window.addEventListener('resize', function () { Plotly.Plots.resize(chart); });
})();
"""

_STYLE = """
html, body { margin: 0; height: 100%; background: #fff; }
body { display: flex; flex-direction: column; width: 100vw; height: 100vh; overflow: hidden;
  font-family: 'Noto Sans Lao', 'Phetsarath OT', system-ui, -apple-system, 'Segoe UI', sans-serif;
  font-size: 12px; color: #333; }
#embed-chart { flex: 1 1 auto; min-height: 0; }
:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
.embed-notice { background: #fff3cd; color: #664d03; padding: 4px 8px; margin: 0; }
.embed-summary { flex: 0 0 auto; padding: 4px 8px; margin: 0; }
.embed-attribution { flex: 0 0 auto; border-top: 1px solid #ddd; padding: 4px 8px; }
.embed-attribution p { margin: 0 0 2px; }
.embed-badge { background: #b00020; color: #fff; padding: 1px 4px; font-weight: bold; }
a { color: #1f4e79; }
"""


@dataclass(frozen=True)
class EmbedContent:
    """What an embed shows besides its figure; every field is plain text (escaped on output).

    `title`, `summary`, `attribution` and `notices` are already in `lang`; `sources` are
    citations as published (English).
    """

    lang: str
    title: str
    summary: str
    figure: dict[str, Any]
    config: dict[str, Any]
    sources: list[str]
    release_id: str
    release_date: str
    pinned: bool
    full_view_url: str
    attribution: str
    illustrative: bool
    notices: tuple[str, ...] = ()


def _json_for_script(value: Any) -> Markup:
    """JSON that cannot close its <script> element or open markup."""
    text = json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _english(text: str, lang: str) -> Markup:
    """Escaped text that stays English (a citation), marked so on a page in another language."""
    return escape(text) if lang == "en" else Markup('<span lang="en">{}</span>').format(text)


def embed_page(content: EmbedContent) -> str:
    lang = content.lang
    _ = translator(lang)
    release = {"release": content.release_id, "date": content.release_date}
    release_note = (
        escape(_("Data release {release} of {date}, pinned: it will not change.")).format(**release)
        if content.pinned
        else escape(
            _("Data release {release} of {date}; it follows the latest data release.")
        ).format(**release)
    )
    notices = "".join(
        f'<p class="embed-notice" role="status">{escape(n)}</p>' for n in content.notices
    )
    badge = (
        Markup('<span class="embed-badge">{}</span> ').format(nature_label("illustrative", lang))
        if content.illustrative
        else ""
    )
    sources = (
        Markup("; ").join(_english(s, lang) for s in content.sources)
        if content.sources
        else escape(_("no values published"))
    )
    source_line = escape(_("Source: {sources}")).format(sources=sources)
    attribution = f" {escape(content.attribution)}" if content.attribution else ""
    dashboard_name = _("National Social Protection Strategy dashboard, Lao PDR")
    full_view = _("View full dashboard")
    spec = {"figure": content.figure, "config": content.config}
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(content.title)}</title>\n"
        f'<link rel="icon" href="{FAVICON_URL}">\n'
        f'<link rel="stylesheet" href="{escape(FONT_CSS_URL)}">\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{notices}"
        f'<div id="embed-chart" role="img" aria-label="{escape(content.title)}" '
        'aria-describedby="embed-summary"></div>\n'
        f'<p id="embed-summary" class="embed-summary">{escape(content.summary)}</p>\n'
        '<footer class="embed-attribution">\n'
        f"<p>{badge}{source_line}.</p>\n"
        f"<p>{release_note}{attribution}</p>\n"
        f"<p>{escape(dashboard_name)} — "
        f'<a class="embed-full-view" href="{escape(content.full_view_url)}" target="_blank" '
        f'rel="noopener">{escape(full_view)}</a></p>\n'
        "</footer>\n"
        '<script id="embed-figure" type="application/json">'
        f"{_json_for_script(spec)}</script>\n"
        f'<script src="{escape(PLOTLY_JS_URL)}"></script>\n'
        f'<script src="{escape(EMBED_SCRIPT_URL)}"></script>\n'
        "</body>\n</html>\n"
    )


def embed_content(ds: Dataset, view: ChartView, pinned: bool, *, attribution: str) -> EmbedContent:
    """One chart's embed: its view (title, provenance, link back) and the release it shows."""
    lang = view.lang
    return EmbedContent(
        lang=lang,
        title=view.share["title"],
        summary=view.summary,
        figure=view.figure,
        config=GRAPH_CONFIG,
        sources=list(view.sources),
        release_id=view.release_id,
        release_date=release_date(str(ds.release.meta.get("date", view.release_id)), lang),
        pinned=pinned,
        full_view_url=view.page_link(),
        attribution=attribution,
        illustrative=view.illustrative,
        notices=view.notices,
    )
