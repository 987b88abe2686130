"""The embed page: one chart, no site chrome, at the size of its frame, with its provenance.

A plain HTML page rather than a Dash page: it draws one figure dict built by `dashboard.views`
(the same function the dashboard uses, so an embed cannot disagree with it) with the plotly.js
the dashboard serves, and needs no Dash renderer, callbacks or layout. Everything interpolated
is escaped (markupsafe for HTML, JSON with `<`, `>` and `&` escaped inside the data block), and
the page runs no inline script, so it works under the site's Content-Security-Policy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from plotly.utils import PlotlyJSONEncoder

from dashboard.queries import ILLUSTRATIVE_BADGE

#: plotly.js as the dashboard itself serves it (Dash's copy from the plotly package).
PLOTLY_JS_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
EMBED_SCRIPT_URL = "/embed/embed.js"
FONT_CSS_URL = "/assets/vendor/noto-sans-lao/noto-sans-lao.css"

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
.embed-notice { background: #fff3cd; color: #664d03; padding: 4px 8px; margin: 0; }
.embed-attribution { flex: 0 0 auto; border-top: 1px solid #ddd; padding: 4px 8px; }
.embed-attribution p { margin: 0 0 2px; }
.embed-badge { background: #b00020; color: #fff; padding: 1px 4px; font-weight: bold; }
a { color: #1f4e79; }
"""


@dataclass(frozen=True)
class EmbedContent:
    """What an embed shows besides its figure; every field is plain text (escaped on output)."""

    title: str
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


def embed_page(content: EmbedContent) -> str:
    release_note = (
        "pinned: it will not change" if content.pinned else "follows the latest data release"
    )
    notices = "".join(
        f'<p class="embed-notice" role="status">{escape(n)}</p>' for n in content.notices
    )
    badge = (
        f'<span class="embed-badge">{escape(ILLUSTRATIVE_BADGE)}</span> '
        if content.illustrative
        else ""
    )
    sources = "; ".join(str(escape(s)) for s in content.sources) or "no values published"
    spec = {"figure": content.figure, "config": content.config}
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(content.title)}</title>\n"
        f'<link rel="stylesheet" href="{escape(FONT_CSS_URL)}">\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{notices}"
        f'<div id="embed-chart" role="img" aria-label="{escape(content.title)}"></div>\n'
        '<footer class="embed-attribution">\n'
        f"<p>{badge}Source: {sources}.</p>\n"
        f"<p>Data release {escape(content.release_id)} of {escape(content.release_date)} "
        f"({escape(release_note)}). {escape(content.attribution)}</p>\n"
        "<p>National Social Protection Strategy dashboard, Lao PDR — "
        f'<a class="embed-full-view" href="{escape(content.full_view_url)}" target="_blank" '
        'rel="noopener">View full dashboard</a></p>\n'
        "</footer>\n"
        '<script id="embed-figure" type="application/json">'
        f"{_json_for_script(spec)}</script>\n"
        f'<script src="{escape(PLOTLY_JS_URL)}"></script>\n'
        f'<script src="{escape(EMBED_SCRIPT_URL)}"></script>\n'
        "</body>\n</html>\n"
    )
