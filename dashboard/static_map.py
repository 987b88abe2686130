"""A choropleth drawn as plain SVG, for the first HTML of a page: the answer before the scripts.

On a slow phone the interactive map needs plotly.js (hundreds of KB) before it can draw. The
same figure the interactive map shows — its choropleth traces and colour scale — is rendered here
to a few KB of SVG paths, in the same Mercator projection, so the first paint already shows the
map; Dash replaces it when the app has loaded. Pure functions: geometry + figure in, text out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from markupsafe import Markup, escape
from plotly.colors import convert_colors_to_same_type, get_colorscale, unlabel_rgb

#: Width of the SVG's coordinate system; paths use whole numbers in it.
VIEW_WIDTH = 1000
#: Simplification tolerance in view units: a placeholder needs no detail finer than this.
TOLERANCE = 2.5
BORDER = "#ffffff"


@dataclass(frozen=True)
class Shape:
    code: str
    path: str  # SVG path data in view units


@dataclass(frozen=True)
class ProjectedLayer:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def project(collection: Mapping[str, Any]) -> ProjectedLayer:
    """Every feature in Mercator, fitted to VIEW_WIDTH, simplified as one coverage (neighbours
    keep their shared borders), as SVG path data."""
    features = collection["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    projected = [shapely.transform(g, _project_xy) for g in geoms]
    x0, y0, x1, y1 = shapely.total_bounds(projected)
    scale = VIEW_WIDTH / (x1 - x0)
    height = math.ceil((y1 - y0) * scale)

    def fit(xy: np.ndarray) -> np.ndarray:
        out = xy.copy()
        out[:, 0] = (xy[:, 0] - x0) * scale
        out[:, 1] = (y1 - xy[:, 1]) * scale  # SVG's y grows downwards
        return out

    fitted = [shapely.transform(g, fit) for g in projected]
    simplified = shapely.coverage_simplify(fitted, TOLERANCE)
    shapes = tuple(
        Shape(str(feature["id"]), _path(geom))
        for feature, geom in zip(features, simplified, strict=True)
    )
    return ProjectedLayer(VIEW_WIDTH, height, shapes)


def _project_xy(xy: np.ndarray) -> np.ndarray:
    """Web Mercator (as plotly's geo projection), in radians."""
    lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    return np.column_stack([lon, np.log(np.tan(np.pi / 4 + lat / 2))])


def _path(geom: Any) -> str:
    polygons = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
    parts = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            points = [(round(x), round(y)) for x, y in ring.coords[:-1]]
            if len(points) < 3:
                continue
            first, *rest = points
            parts.append(f"M{first[0]} {first[1]}" + "".join(f"L{x} {y}" for x, y in rest) + "Z")
    return "".join(parts)


Colour = tuple[float, float, float]


def _rgb(colour: str) -> Colour:
    """`#rrggbb` or `rgb(…)` as three numbers."""
    return unlabel_rgb(convert_colors_to_same_type([colour], "rgb")[0][0])


@lru_cache(maxsize=16)
def _scale(
    colorscale: str | tuple[tuple[float, str], ...], reverse: bool
) -> tuple[tuple[float, Colour], ...]:
    steps = get_colorscale(colorscale) if isinstance(colorscale, str) else colorscale
    scale = [(float(position), _rgb(colour)) for position, colour in steps]
    if reverse:
        scale = [(1 - position, colour) for position, colour in reversed(scale)]
    return tuple(scale)


def fill_colour(trace: Mapping[str, Any], value: float) -> str:
    """The colour plotly gives `value` in a choropleth trace: its colour scale between zmin and
    zmax, linear between stops, clipped at the ends."""
    raw = trace.get("colorscale") or "Cividis"
    key = raw if isinstance(raw, str) else tuple((float(p), str(c)) for p, c in raw)
    scale = _scale(key, bool(trace.get("reversescale")))
    low, high = float(trace.get("zmin", 0.0)), float(trace.get("zmax", 1.0))
    share = 0.0 if high == low else min(max((value - low) / (high - low), 0.0), 1.0)
    colour = scale[-1][1]
    for (start, first), (end, second) in zip(scale, scale[1:], strict=False):
        if share <= end:
            t = 0.0 if end == start else (share - start) / (end - start)
            colour = tuple(a + t * (b - a) for a, b in zip(first, second, strict=True))
            break
    return "rgb({}, {}, {})".format(*(round(c) for c in colour))


def area_fills(figure: Mapping[str, Any]) -> dict[str, str]:
    """Each area's colour as the figure draws it: the choropleth traces in order, later over
    earlier (the "no data" layer beneath, the values over it)."""
    fills: dict[str, str] = {}
    for trace in figure.get("data", []):
        if trace.get("type") != "choropleth":
            continue
        for code, value in zip(trace.get("locations", []), trace.get("z", []), strict=False):
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                fills[str(code)] = fill_colour(trace, float(value))
    return fills


def choropleth_svg(
    layer: ProjectedLayer,
    fills: Mapping[str, str],
    *,
    label: str,
    highlight: str | None = None,
    no_data_colour: str = "#e6e6e6",
) -> Markup:
    """The map as one responsive `<svg>` (role img, labelled): every area filled as `fills`
    says, the rest in the no-data grey; `highlight` outlines one area."""
    paths = [
        f'<path d="{shape.path}" fill="{escape(fills.get(shape.code, no_data_colour))}"/>'
        for shape in layer.shapes
    ]
    chosen = next((s for s in layer.shapes if s.code == highlight), None)
    if chosen is not None:
        paths.append(f'<path d="{chosen.path}" fill="none" stroke="#d81b60" stroke-width="6"/>')
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layer.width} {layer.height}" '
        f'role="img" aria-label="{escape(label)}" class="static-map" '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<g stroke="{BORDER}" stroke-width="1.5" stroke-linejoin="round">{"".join(paths)}</g>'
        "</svg>"
    )


def legend_entries(
    trace: Mapping[str, Any], format_value: Callable[[float], str], count: int = 5
) -> list[tuple[str, str]]:
    """(label, colour) pairs for the map's legend: the trace's own classes when its colour bar
    names them (tick values and texts), else `count` even steps from zmin to zmax."""
    colorbar = trace.get("colorbar") or {}
    ticks, texts = colorbar.get("tickvals"), colorbar.get("ticktext")
    if ticks and texts and len(ticks) == len(texts):
        return [
            (str(text), fill_colour(trace, float(v))) for v, text in zip(ticks, texts, strict=True)
        ]
    low, high = float(trace.get("zmin", 0.0)), float(trace.get("zmax", 1.0))
    steps = [low + (high - low) * i / (count - 1) for i in range(count)]
    return [(format_value(v), fill_colour(trace, v)) for v in steps]
