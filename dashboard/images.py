"""Briefing images: the figure of a view with its title, source, nature, release and link drawn
inside, in the reader's language, rendered server-side to PNG or SVG.

The figure is the one the page shows (`views.map_figure`, `views.series_figure`); this module
only frames it (`briefing_figure`) and inlines the map geometry, which the page fetches by URL.
Rendering uses kaleido, which drives the system's Chromium (never a downloaded one) with the
plotly.js shipped in the plotly package, no MathJax and the vendored topojson: nothing is fetched
from the network. Lao script needs the Noto Sans Lao font installed for Chromium (Debian
`fonts-noto-core`, installed by scripts/setup): web fonts are not visible to the renderer.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboard.config import REPO_ROOT
from dashboard.figure_layouts import IMAGE_LAYOUTS, FigureLayout
from dashboard.figures import BADGE_COLOUR, illustrative_badge_text
from dashboard.formatting import nature_line
from dashboard.i18n import N_, NO_DATA, localized, translator
from dashboard.lao_text import wrap_lines
from dashboard.queries import natures_of

log = logging.getLogger(__name__)

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
KINDS = ("map", "series")
#: Environment: the Chromium kaleido drives, and the seconds one image may take.
BROWSER_ENV, TIMEOUT_ENV = "NSPS_IMAGE_BROWSER", "NSPS_IMAGE_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
TOPOJSON_DIR = REPO_ROOT / "assets" / "topojson"
OFFICIAL_BADGE_COLOUR = "#3d4f5c"  # white badge text on it: 8.9:1
#: Pixel heights of the frame's parts: margins, a gap above the plot, and the release and link
#: line at the bottom (title and subtitle rows follow the layout's font sizes).
PAD = 16
ABOVE_PLOT, FOOTER_ROW = 8, 26
MAP_SUBTITLES = {
    "province": N_("Provinces of {country}, {year}"),
    "district": N_("Districts of {country}, {year}"),
}
MAP_SUBTITLES_NO_YEAR = {
    "province": N_("Provinces of {country}"),
    "district": N_("Districts of {country}"),
}
RELEASE_LINE = N_("NSPS Lao PDR · data release {release} · {link}")


@dataclass(frozen=True)
class ImageSize:
    """Layout size in CSS pixels and the scale a PNG is rendered at (SVG keeps the layout size)."""

    name: str
    width: int
    height: int
    scale: float

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


#: screen 960 × 600; slide 16:9, 1600 × 900 pixels; image_phone 360 px wide for lite pages,
#: shown at its own width on a phone so its text stays legible. Sizes come from the layouts.
SIZES = {
    name: ImageSize(name, layout.width or 960, layout.height or 600, layout.scale)
    for name, layout in IMAGE_LAYOUTS.items()
}


def layout_for_size(size: ImageSize | str) -> FigureLayout:
    """The figure layout an image of this size is built with (`views.map_figure(layout=…)`)."""
    return IMAGE_LAYOUTS[size if isinstance(size, str) else size.name]


@dataclass(frozen=True)
class BriefingFrame:
    """What a briefing image says around its chart, besides what the chart already carries;
    `title` and `subtitle` are in `lang`, the language of the whole image."""

    title: str
    subtitle: str
    natures: tuple[str, ...]
    release_id: str
    link: str
    lang: str

    @property
    def illustrative(self) -> bool:
        return "illustrative" in self.natures


def image_path(kind: str, fmt: str, query: dict[str, str], size: str = "screen") -> str:
    """`/image/map.png?…`: the link a page offers next to a chart (same query as its embed)."""
    return f"/image/{kind}.{fmt}?" + urlencode({**query, "size": size})


def area_label(areas: pd.DataFrame, code: str, lang: str) -> str:
    """`Vientiane Capital` / `ນະຄອນຫຼວງວຽງຈັນ`: an area's name in the image's language."""
    return localized(areas.loc[code], "name", lang)


def map_subtitle(areas: pd.DataFrame, level: str, year: int | None, lang: str) -> str:
    """`Provinces of Lao PDR, 2020`: one whole sentence per level, in the image's language."""
    _ = translator(lang)
    country = area_label(areas, "LA", lang)
    if year is None:
        return _(MAP_SUBTITLES_NO_YEAR[level], country=country)
    return _(MAP_SUBTITLES[level], country=country, year=year)


def series_subtitle(areas: pd.DataFrame, rows: pd.DataFrame, lang: str) -> str:
    """`Lao PDR, Phongsaly, 2008–2024`: the areas drawn (four at most named) and the years."""
    _ = translator(lang)
    codes = list(dict.fromkeys(rows["area_code"])) or ["LA"]
    names = ", ".join(area_label(areas, c, lang) for c in codes[:4])
    if len(codes) > 4:
        names = _("{names} and {count} more", names=names, count=len(codes) - 4)
    years = rows["year"].dropna()
    if years.empty:
        return names
    return _("{areas}, {start}–{end}", areas=names, start=int(years.min()), end=int(years.max()))


def frame_for(
    rows: pd.DataFrame,
    title: str,
    subtitle: str,
    release_id: str,
    link: str,
    *,
    lang: str,
) -> BriefingFrame:
    """The frame of a view, its `title` and `subtitle` already in `lang`."""
    natures = tuple(natures_of(rows)) if not rows.empty else ()
    return BriefingFrame(title, subtitle, natures, release_id, link, lang)


def inline_geometry(figure: dict[str, Any], geojson: dict[str, Any]) -> dict[str, Any]:
    """A copy whose map traces carry their shapes, not the URL the browser would fetch."""
    out = copy.deepcopy(figure)
    for trace in out["data"]:
        if isinstance(trace.get("geojson"), str):
            trace["geojson"] = geojson
    return out


def _badge(frame: BriefingFrame) -> tuple[str, str]:
    if frame.illustrative:
        return illustrative_badge_text(frame.lang), BADGE_COLOUR
    natures = nature_line(list(frame.natures), frame.lang)
    return (natures or translator(frame.lang)(NO_DATA)), OFFICIAL_BADGE_COLOUR


def briefing_figure(
    figure: dict[str, Any], frame: BriefingFrame, size: ImageSize
) -> dict[str, Any]:
    """The figure at a fixed size with title, subtitle, nature badge, release and link inside.

    `figure` is built with this size's layout (`layout_for_size`), so it already carries its
    footer (source, unit, nature, attribution) under the plot. The header is laid out in pixels
    from the top of the image: title (wrapped at word boundaries, Lao included), subtitle (areas,
    years), the nature badge on the right (on its own row on a phone-sized image); the release
    and link line closes the image.
    """
    out = copy.deepcopy(figure)
    layout = out["layout"]
    sizes = layout_for_size(size) if size.name in IMAGE_LAYOUTS else None
    title_size = sizes.title_size if sizes else 20
    text_size = sizes.font_size if sizes else 13
    narrow = size.width < 600
    # the header starts at the plot's left edge; ~0.62 em a column for the bold title, ~0.58 em
    # for the subtitle
    room = size.width - max(int(layout.get("margin", {}).get("l", 0)), PAD) - PAD
    title_columns = int((room - (0 if narrow else 220)) / (title_size * 0.62))
    subtitle_columns = int(room / (text_size * 0.58))
    title_lines = wrap_lines(frame.title, title_columns) or (frame.title,)
    subtitle_lines = wrap_lines(frame.subtitle, subtitle_columns) or (frame.subtitle,)
    title_row = round(title_size * 1.3)
    subtitle_row = round(text_size * 1.6)
    header: list[tuple[str, str, int, int, str]] = [
        (
            "title",
            "<b>" + "<br>".join(title_lines) + "</b>",
            title_size,
            title_row * len(title_lines),
            "",
        ),
        (
            "subtitle",
            "<br>".join(subtitle_lines),
            text_size,
            subtitle_row * len(subtitle_lines),
            "#444444",
        ),
    ]
    badge_row = 26 if narrow else 0
    release_line = translator(frame.lang)(RELEASE_LINE, release=frame.release_id, link=frame.link)
    release_lines = wrap_lines(release_line, int((size.width - 2 * PAD) / 6)) or (release_line,)
    footer = FOOTER_ROW + 14 * (len(release_lines) - 1)
    margin = dict(layout.get("margin", {}))
    top = PAD + sum(row[3] for row in header) + badge_row + ABOVE_PLOT
    bottom = int(margin.get("b", 96)) + footer
    margin.update(
        t=top, b=bottom, l=max(int(margin.get("l", 0)), PAD), r=max(int(margin.get("r", 0)), PAD)
    )
    plot_height = size.height - top - bottom

    def paper_y(pixels_from_top: float) -> float:
        return (size.height - bottom - pixels_from_top) / plot_height

    def line(name: str, text: str, y_pixel: float, font: dict, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "text": text,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": paper_y(y_pixel),
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "align": "left",
            "font": font,
            **extra,
        }

    lines, y = [], float(PAD)
    for name, text, font_size, height, colour in header:
        font = {"size": font_size, **({"color": colour} if colour else {})}
        lines.append(line(name, text, y, font))
        y += height
    badge_text, badge_colour = _badge(frame)
    badge_place = {"x": 0, "xanchor": "left"} if narrow else {"x": 1, "xanchor": "right"}
    lines.append(
        line(
            "nature-badge",
            f"<b>{badge_text}</b>",
            y + 2 if narrow else PAD,
            {"size": 11, "color": "#ffffff"},
            bgcolor=badge_colour,
            borderpad=4,
            **badge_place,
        )
    )
    lines.append(
        line(
            "release-link",
            "<br>".join(release_lines),
            size.height - footer + 4,
            {"size": 10, "color": "#1f4e79"},
        )
    )
    kept = [a for a in layout.get("annotations", []) if a.get("name") != "illustrative-badge"]
    layout.update(
        width=size.width,
        height=size.height,
        margin=margin,
        paper_bgcolor="#ffffff",
        annotations=[*kept, *lines],
    )
    layout.pop("title", None)
    layout.pop("autosize", None)
    return out


# ---------------------------------------------------------------- rendering


class RendererUnavailable(RuntimeError):
    """No Chromium to render with, or it failed: images cannot be made on this server."""


def browser_path(env: dict[str, str] | None = None) -> str | None:
    """NSPS_IMAGE_BROWSER, else Debian's Chromium; never a browser kaleido would download."""
    env = os.environ if env is None else env
    configured = env.get(BROWSER_ENV)
    if configured:
        return configured
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


class Renderer:
    """Renders each image with kaleido in a child process that is killed after `timeout`.

    A Chromium that hangs or crashes then costs one failed image, never a stuck server worker;
    the routes cache rendered images, so the start-up cost is paid once per view.
    """

    def __init__(self, browser: str | None = None, timeout: float | None = None):
        self.browser = browser if browser is not None else browser_path()
        self.timeout = timeout or float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))

    @property
    def available(self) -> bool:
        return bool(self.browser) and Path(self.browser or "").exists()

    def render(self, figure: dict[str, Any], fmt: str, size: ImageSize) -> bytes:
        """PNG or SVG bytes of a figure dict at `size`."""
        if not self.available:
            raise RendererUnavailable(
                f"No Chromium found (set {BROWSER_ENV}); install Debian's chromium package."
            )
        opts = {"format": fmt, "width": size.width, "height": size.height}
        if fmt == "png":
            opts["scale"] = size.scale
        job = {
            "figure": figure,
            "opts": opts,
            "topojson": TOPOJSON_DIR.as_uri() + "/",
            "browser": self.browser,
        }
        child = subprocess.Popen(
            [sys.executable, "-m", "dashboard.image_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: the browser dies with it
        )
        try:
            out, err = child.communicate(json.dumps(job).encode(), timeout=self.timeout)
        except subprocess.TimeoutExpired as error:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            raise RendererUnavailable(
                f"The image took longer than {self.timeout:.0f} s."
            ) from error
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
        if child.returncode != 0 or not out:
            log.error("image rendering failed: %s", err.decode(errors="replace")[-2000:])
            raise RendererUnavailable("The image could not be rendered.")
        return out
