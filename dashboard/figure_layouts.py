"""Figure layouts by width class: the numbers a figure needs for where it is shown.

A chart is read on a 360 px phone, in a 640 × 400 iframe, on a desktop page and on a 16:9 slide.
One figure builder serves them all; what changes is this small record of sizes (height, margins,
font sizes, how many ticks, where the legend goes). The page's chart frame measures its width and
asks `layout_for_width`; images pick theirs by name (`IMAGE_LAYOUTS`).

On pages and embeds the title, subtitle, source and footer are HTML around the figure (the chart
frame), so figures draw no such text (`text_inside` is False). Only images, which travel alone,
draw them into the figure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

#: Below this width (px) a page is a phone (Bootstrap's `sm` breakpoint); below `DESKTOP_MIN` a
#: tablet.
PHONE_MAX, DESKTOP_MIN = 576, 992


@dataclass(frozen=True)
class Margins:
    l: int  # noqa: E741 - plotly's own name
    r: int
    t: int
    b: int

    def as_dict(self) -> dict[str, int]:
        return {"l": self.l, "r": self.r, "t": self.t, "b": self.b}


@dataclass(frozen=True)
class FigureLayout:
    """Where a figure is shown, as the numbers its builders need.

    `height` is the figure's height in px, or None where the figure fills its container's height
    (embeds: the iframe decides). `width` is fixed for images only. `margin` is the room around
    a cartesian plot before labels are added (builders add room for direct labels and legends);
    maps use `map_margin`.
    """

    name: str
    height: int | None
    width: int | None
    #: A map's height (Lao PDR is taller than wide: on a phone its width decides), or None.
    map_height: int | None
    #: The narrowest figure width this layout is used at (px): what legends are packed for.
    nominal_width: int
    margin: Margins
    map_margin: Margins
    font_size: int  # tick labels, legend, direct labels
    title_size: int  # images only: the title drawn inside
    max_xticks: int  # year ticks on a time axis (unrotated)
    max_yticks: int
    #: Lines labelled at their ends up to this many; more lines get a compact legend below.
    max_direct_labels: int
    #: Columns a direct label or legend entry wraps at.
    label_width: int
    #: Where a map's colour legend goes: "right" (vertical) or "below" (horizontal, phones).
    colour_legend: Literal["right", "below"]
    #: True only for images: title, subtitle, source and footer are drawn inside the figure.
    text_inside: bool
    #: PNG scale (device pixels per CSS pixel) for images; 1 elsewhere.
    scale: float = 1.0
    #: Where the figure fills its container (`height` None): the plot height (px) it can
    #: count on in the smallest frame it is chosen for. Direct labels are spread over it.
    min_plot_height: int = 150
    #: The widest the column of direct labels may be, as a share of `nominal_width`, where a
    #: legend can go below the plot instead (figures of a fixed height): long names (a series
    #: and its family across breaks) would leave a phone's plot a narrow strip.
    max_label_share: float = 0.34

    @property
    def compact(self) -> bool:
        """Narrow (a phone, or an image sized for one): fewer ticks, legends below."""
        return self.colour_legend == "below"

    @property
    def is_image(self) -> bool:
        return self.text_inside

    def size(self) -> dict[str, int]:
        """`layout.width`/`layout.height` for the figure: fixed sizes only."""
        out = {}
        if self.width is not None:
            out["width"] = self.width
        if self.height is not None:
            out["height"] = self.height
        return out


PHONE = FigureLayout(
    name="phone",
    height=340,
    width=None,
    map_height=520,
    nominal_width=340,
    margin=Margins(l=40, r=8, t=12, b=28),
    map_margin=Margins(l=0, r=0, t=0, b=0),
    font_size=12,
    title_size=15,
    max_xticks=5,
    max_yticks=5,
    max_direct_labels=6,
    label_width=14,
    colour_legend="below",
    text_inside=False,
)
TABLET = FigureLayout(
    name="tablet",
    height=420,
    width=None,
    map_height=480,
    nominal_width=560,
    margin=Margins(l=48, r=8, t=12, b=30),
    map_margin=Margins(l=0, r=0, t=0, b=0),
    font_size=12,
    title_size=16,
    max_xticks=6,
    max_yticks=6,
    max_direct_labels=6,
    label_width=20,
    colour_legend="right",
    text_inside=False,
)
DESKTOP = FigureLayout(
    name="desktop",
    height=460,
    width=None,
    map_height=500,
    nominal_width=700,
    margin=Margins(l=52, r=12, t=12, b=32),
    map_margin=Margins(l=0, r=0, t=0, b=0),
    font_size=12,
    title_size=16,
    max_xticks=9,
    max_yticks=6,
    max_direct_labels=6,
    label_width=24,
    colour_legend="right",
    text_inside=False,
)
#: An embed fills its iframe: the height comes from the frame, never from the figure.
EMBED = FigureLayout(
    name="embed",
    height=None,
    width=None,
    map_height=None,
    nominal_width=560,
    margin=Margins(l=44, r=8, t=8, b=26),
    map_margin=Margins(l=0, r=0, t=0, b=0),
    font_size=11,
    title_size=15,
    max_xticks=6,
    max_yticks=5,
    max_direct_labels=6,
    label_width=18,
    colour_legend="right",
    text_inside=False,
)
#: An embed narrower than a phone breakpoint (a 400 × 500 box).
EMBED_PHONE = FigureLayout(
    name="embed_phone",
    height=None,
    width=None,
    map_height=None,
    nominal_width=340,
    margin=Margins(l=38, r=6, t=8, b=24),
    map_margin=Margins(l=0, r=0, t=0, b=0),
    font_size=11,
    title_size=14,
    max_xticks=4,
    max_yticks=4,
    max_direct_labels=6,
    label_width=12,
    colour_legend="below",
    text_inside=False,
)
#: A narrow landscape embed (a 400 × 300 box): as `EMBED_PHONE`, the map's legend beside it.
EMBED_PHONE_WIDE = replace(EMBED_PHONE, name="embed_phone_wide", colour_legend="right")
#: An iframe at least this tall (px) leaves a plot of at least `EMBED_PHONE_TALL`'s
#: `min_plot_height` under a title of up to three lines and the footer line.
TALL_EMBED_MIN = 560
#: A narrow, tall embed (a 360 × 740 column): as `EMBED_PHONE`, with room for its lines to be
#: named at their ends one above the other.
EMBED_PHONE_TALL = replace(
    EMBED_PHONE, name="embed_phone_tall", label_width=18, min_plot_height=380
)
#: 16:9, rendered at 1600 × 900 pixels (layout 1200 × 675 CSS px at scale 4/3).
SLIDE = FigureLayout(
    name="slide",
    height=675,
    width=1200,
    map_height=675,
    nominal_width=1200,
    margin=Margins(l=64, r=24, t=16, b=40),
    map_margin=Margins(l=16, r=16, t=8, b=8),
    font_size=15,
    title_size=24,
    max_xticks=10,
    max_yticks=6,
    max_direct_labels=7,
    label_width=28,
    colour_legend="right",
    text_inside=True,
    scale=4 / 3,
)
SCREEN = FigureLayout(
    name="screen",
    height=600,
    width=960,
    map_height=600,
    nominal_width=960,
    margin=Margins(l=56, r=16, t=12, b=36),
    map_margin=Margins(l=12, r=12, t=8, b=8),
    font_size=13,
    title_size=19,
    max_xticks=9,
    max_yticks=6,
    max_direct_labels=6,
    label_width=24,
    colour_legend="right",
    text_inside=True,
)
#: For lite pages: a 360 px screen shows it at its layout width, so its text is legible there.
IMAGE_PHONE = FigureLayout(
    name="image_phone",
    height=720,
    width=360,
    map_height=720,
    nominal_width=360,
    margin=Margins(l=40, r=8, t=8, b=28),
    map_margin=Margins(l=8, r=8, t=8, b=8),
    font_size=12,
    title_size=16,
    max_xticks=4,
    max_yticks=5,
    max_direct_labels=5,
    label_width=14,
    colour_legend="below",
    text_inside=True,
    scale=2.0,
)

LAYOUTS = {
    layout.name: layout
    for layout in (
        PHONE,
        TABLET,
        DESKTOP,
        EMBED,
        EMBED_PHONE,
        EMBED_PHONE_WIDE,
        EMBED_PHONE_TALL,
        SLIDE,
        SCREEN,
        IMAGE_PHONE,
    )
}
#: The layouts an image can be rendered at (`/image/…?size=`).
IMAGE_LAYOUTS = {name: LAYOUTS[name] for name in ("screen", "slide", "image_phone")}
#: The layouts a page or embed can choose from its width.
PAGE_LAYOUTS = (
    "phone",
    "tablet",
    "desktop",
    "embed",
    "embed_phone",
    "embed_phone_wide",
    "embed_phone_tall",
)


#: Height over width of Lao PDR drawn in plotly's Mercator projection, and the pixels a colour
#: legend under a phone's map takes: a phone map is as tall as its width needs.
MAP_ASPECT, LEGEND_BELOW = 1.26, 70


def layout_for_width(width_px: int, embedded: bool, height_px: int | None = None) -> FigureLayout:
    """The layout for a chart frame `width_px` wide, on a page or inside an iframe.

    An embed's height is the iframe's: given it (`height_px`), a narrow but landscape embed
    (a 400 × 300 box) puts the map's colour legend beside the map, where there is room, and a
    narrow tall one (a 360 × 740 column) names its lines at their ends.
    """
    if embedded:
        if width_px >= PHONE_MAX:
            return EMBED
        if height_px is not None and height_px < width_px:
            return EMBED_PHONE_WIDE
        if height_px is not None and height_px >= TALL_EMBED_MIN:
            return EMBED_PHONE_TALL
        return EMBED_PHONE
    if width_px < PHONE_MAX:
        return replace(PHONE, map_height=round(max(width_px, 280) * MAP_ASPECT) + LEGEND_BELOW)
    if width_px < DESKTOP_MIN:
        return TABLET
    return DESKTOP


def layout_named(name: object, default: FigureLayout = DESKTOP) -> FigureLayout:
    """A layout by its name (from a store or URL); `default` for anything unknown."""
    return LAYOUTS.get(str(name), default) if name else default
