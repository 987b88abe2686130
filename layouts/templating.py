"""The Jinja2 environment of every HTML page served outside Dash (embeds, lite pages, error
pages, the first paint): one escaping mechanism, autoescaping everything interpolated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from plotly.utils import PlotlyJSONEncoder

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def script_json(value: Any) -> Markup:
    """JSON for a `<script type="application/json">` block that cannot close the element or
    open markup (`<`, `>` and `&` escaped as JSON escapes)."""
    text = json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


TEMPLATES.filters["script_json"] = script_json


def render(name: str, **context: Any) -> str:
    return TEMPLATES.get_template(name).render(**context)
