"""What a reader would see in a Dash component tree, for unit tests that assert page text.

Imported by a unique module name (`from component_text import …`; `tests` is on the pytest path).
"""

from __future__ import annotations

import json

import plotly


def component_strings(component: object) -> list[str]:
    """Every string of a component tree (Dash components or their serialised dicts), in
    document order: the `children` of each node, as the browser would render them."""
    tree = json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            found.append(str(node))
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            walk(node.get("props", {}).get("children"))

    walk(tree)
    return found


def component_text(component: object) -> str:
    """The tree's strings joined by spaces: the text a reader of the page would see."""
    return " ".join(component_strings(component))
