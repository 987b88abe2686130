"""Constants and helpers shared by the browser tests (a module of its own: test files import it
by a unique name, never from a `conftest`, which another test folder may shadow)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from shipped import SHIPPED_RELEASE

REPO = Path(__file__).resolve().parents[2]
_SHARED_GEO = REPO.parent / "shared" / "geo"
if not os.environ.get("NSPS_GEO_DIR") and (_SHARED_GEO / "lao_adm2.geojson").is_file():
    os.environ["NSPS_GEO_DIR"] = str(_SHARED_GEO)

RELEASE_DIR = SHIPPED_RELEASE
ILLUSTRATIVE_BADGE = "Illustrative — not official statistics"
UTF8_BOM = b"\xef\xbb\xbf"
BACKGROUND, VALUES = 0, 1  # trace indices of the map (dashboard.figures)


def map_values(trace: dict) -> dict[str, float]:
    """Area → value drawn by a map's values trace (its z holds colour classes; the value itself
    is the last item of each point's customdata, see `figures.map_properties`)."""
    return {code: c[4] for code, c in zip(trace["locations"], trace["customdata"], strict=True)}


def boundaries_installed() -> bool:
    geo_dir = os.environ.get("NSPS_GEO_DIR")
    return bool(geo_dir) and (Path(geo_dir) / "lao_adm2.geojson").is_file()


needs_boundaries = pytest.mark.skipif(
    not boundaries_installed(),
    reason="district boundaries not installed: set NSPS_GEO_DIR to the HDX COD-AB folder "
    "(lao_adm1.geojson, lao_adm2.geojson)",
)


def read_csv_text(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def release_csv(name: str) -> list[dict[str, str]]:
    return read_csv_text((RELEASE_DIR / name).read_bytes())


# --- pages in both languages, axe-core, layout checks (accessibility and phone tests) ---

#: Every page a reader can open, with an element that appears once it has rendered (charts are
#: also waited for, see `SETTLED_JS`). The lite pages are server-rendered HTML with no script.
SITE_PAGES = {
    "/": "#goal-card-3",
    "/goal/1": "#map-graph .choroplethlocation",
    "/goal/2": "#map-graph .choroplethlocation",
    "/goal/3": "#map-graph .choroplethlocation",
    "/progress": "#progress-table",
    "/challenges": "#challenge-C12",
    "/data": "#sources-table",
    "/embed/map?goal=1": "#embed-chart .main-svg",
    "/embed/series?goal=1": "#embed-chart .main-svg",
    "/lite/": "main",
    "/lite/goal/1": "main",
    "/lite/progress": "main",
}
LANGS = ("lo", "en")


def with_query(path: str, **params: str) -> str:
    """`path` with `params` added to its query (`/embed/map?goal=1` + lang → `…&lang=lo`)."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{path}{'&' if '?' in path else '?'}{query}"


def page_id(path: str) -> str:
    """A readable test id and file name for a path: `/goal/1` → `goal-1`, `/` → `overview`."""
    slug = "".join(c if c.isalnum() else "-" for c in path.strip("/")).strip("-")
    return slug.replace("--", "-") or "overview"


# True once the page is still: loaded, no Dash callback pending, every plotly chart drawn (an
# embed marks its chart `data-rendered` when plotly's promise resolves).
SETTLED_JS = """
if (document.readyState !== 'complete') { return false; }
if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
if (document.querySelector('._dash-loading')) { return false; }
for (const plot of document.querySelectorAll('.js-plotly-plot')) {
  if (!plot.querySelector('.main-svg')) { return false; }
}
const embed = document.getElementById('embed-chart');
return !embed || embed.getAttribute('data-rendered') === 'true';
"""

AXE_JS = REPO / ".venv" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0 and 2.1, levels A and AA: what issue #4 promises.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_IMPACTS = ("serious", "critical")
#: Nodes axe-core misjudges, each with the test that shows why, never whole rules.
#: `.dash-dropdown-focus-target`: Dash 4's dropdown puts an invisible, aria-hidden input in the
#: tab order only to forward focus to the dropdown's button at once (`aria-hidden-focus` sees a
#: focusable hidden element; no reader ever rests on it). See
#: `test_dropdown_focus_target_forwards_focus_to_its_button`.
AXE_EXCLUDE = (".dash-dropdown-focus-target",)

_AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
const context = {exclude: arguments[1].map(selector => [selector])};
axe.run(context, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(results => done({version: axe.version, violations: results.violations}))
  .catch(error => done({error: String(error)}));
"""


def axe_source() -> str:
    """The pinned axe-core that `scripts/setup --dev` installs; fails (not skips) without it."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is not installed at {AXE_JS}: run `bash scripts/setup --dev`")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(driver, tags: tuple[str, ...] = AXE_TAGS) -> tuple[str, list[dict]]:
    """Run axe-core on the page open in `driver`: its version and the violations of `tags`."""
    driver.set_script_timeout(60)
    if not driver.execute_script("return typeof window.axe === 'object';"):
        driver.execute_script(axe_source())
    result = driver.execute_async_script(_AXE_RUN_JS, list(tags), list(AXE_EXCLUDE))
    if "error" in result:
        pytest.fail(f"axe-core failed: {result['error']}")
    return result["version"], result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One block per rule: id, impact, help (with its URL) and the selectors of its nodes."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} — {rule['helpUrl']}")
        for node in rule["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' '.join(map(str, node['target']))}  {summary[:300]}")
    return "\n".join(lines)


# Visible text nodes (rendered, non-empty) with the language that applies to each: the nearest
# ancestor's `lang` attribute. SVG text counts (chart titles, axes, legends, hover labels).
VISIBLE_TEXT_JS = """
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.nodeValue.trim();
  const parent = node.parentElement;
  if (!text || !parent || parent.closest('script, style, noscript, template')) { continue; }
  if (!parent.checkVisibility({visibilityProperty: true, opacityProperty: true})) { continue; }
  const rect = parent.getBoundingClientRect();
  if (rect.width === 0 && rect.height === 0) { continue; }
  const holder = parent.closest('[lang]');
  out.push({text: text, lang: holder ? holder.getAttribute('lang') : '',
            tag: parent.tagName.toLowerCase(), id: parent.id || ''});
}
return out;
"""

# What sticks out of the viewport on the right: the page's scroll width, and each visible
# element whose right edge lies beyond the viewport, unless an ancestor clips or scrolls it
# (a wide table inside its own scrolling container is fine). Outermost offenders only.
# The viewport is the layout viewport (`clientWidth`): a phone browser zooms out to show a page
# that is too wide, which makes `window.innerWidth` grow with the overflow it should reveal.
OVERFLOW_JS = """
const width = document.documentElement.clientWidth;
function selector(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
    if (e.id) { parts.unshift('#' + e.id); break; }
    const cls = (typeof e.className === 'string' ? e.className : '').trim().split(/\\s+/)
      .filter(Boolean).slice(0, 2).map(c => '.' + c).join('');
    parts.unshift(e.tagName.toLowerCase() + cls);
  }
  return parts.join(' > ');
}
function clipped(el) {
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const style = getComputedStyle(a);
    if (style.overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) {
      return true;
    }
  }
  return false;
}
const offenders = [];
for (const el of document.body.querySelectorAll('*')) {
  if (!el.checkVisibility({visibilityProperty: true})) { continue; }
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.right <= width + 1) { continue; }
  if (offenders.some(o => o.el.contains(el)) || clipped(el)) { continue; }
  offenders.push({el: el, right: Math.round(rect.right)});
}
return {scrollWidth: document.documentElement.scrollWidth, viewportWidth: width,
        offenders: offenders.map(o => selector(o.el) + ' (right edge ' + o.right + ' px)')};
"""

# The element that has keyboard focus: a label for messages and the outline drawn around it
# (around the whole control for a Dash dropdown, whose inner button takes the focus).
FOCUSED_JS = """
const el = document.activeElement;
if (!el || el === document.body) { return null; }
const ring = el.closest('.dash-dropdown-wrapper') || el;
const style = getComputedStyle(ring);
const text = el.textContent.trim().slice(0, 40);
const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (el.getAttribute('href') ? '[href="' + el.getAttribute('href') + '"]' : '')
  + (text ? ' "' + text + '"' : '');
return {label: label, outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0, inDropdown: ring !== el};
"""


# ---------------------------------------------------------------- inside a chart: bounding boxes
# plotly clips inside its own SVG, so a document never overflows however badly a chart is laid
# out: these look inside one chart. `CHART_BOXES_JS` collects, for the chart in a container,
# the boxes of its text (title, legend items, direct labels and other annotations, axis titles,
# tick labels, colour-bar labels, point and bar texts), of its SVG, of its plot area
# (plotly's drag layer for a cartesian plot, the drawn shapes of a map's geo layer) and of the
# markers of its lines; the Python checks below judge them.

CHART_BOXES_JS = """
const root = document.querySelector(arguments[0]);
const plot = root && (root.classList.contains('js-plotly-plot') ? root
  : root.querySelector('.js-plotly-plot'));
if (!plot) { return null; }
function box(el) {
  const r = el.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          width: r.width, height: r.height};
}
const kinds = [
  ['title', '.gtitle'],
  ['legend', '.legend .legendtext'],
  ['annotation', '.annotation .annotation-text'],
  ['axis-title', '.xtitle, .ytitle'],
  ['tick', '.xtick text, .ytick text'],
  ['colorbar', '.colorbar text'],
  ['point-text', '.textpoint text, text.bartext'],
];
const texts = [];
for (const [kind, selector] of kinds) {
  for (const el of plot.querySelectorAll(selector)) {
    const text = (el.textContent || '').trim();
    if (!text) { continue; }
    const b = box(el);
    if (b.width === 0 || b.height === 0) { continue; }
    const name = el.closest('.annotation') && el.closest('.annotation').getAttribute('data-index');
    texts.push(Object.assign({kind: kind, text: text.slice(0, 60), index: name}, b));
  }
}
const svg = plot.querySelector('.main-svg');
const drag = plot.querySelector('.nsewdrag');
const geo = plot.querySelector('.geolayer .geo');
let area = null;
if (drag) { area = Object.assign({kind: 'cartesian'}, box(drag)); }
if (geo) {
  const shapes = geo.querySelectorAll('path.choroplethlocation');
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const p of shapes) {
    const r = p.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) { continue; }
    left = Math.min(left, r.left); top = Math.min(top, r.top);
    right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
  }
  if (right > left) {
    area = {kind: 'map', left: left, top: top, right: right, bottom: bottom,
            width: right - left, height: bottom - top};
  }
}
const points = Array.from(plot.querySelectorAll('.scatterlayer path.point'))
  .map(box).filter(b => b.width > 0);
return {texts: texts, svg: box(svg), plot: area, container: box(root), points: points};
"""


def chart_boxes(driver, selector: str) -> dict:
    """Boxes of one chart (see `CHART_BOXES_JS`); fails when the container holds no chart."""
    found = driver.execute_script(CHART_BOXES_JS, selector)
    if found is None:
        pytest.fail(f"no plotly chart in {selector}")
    return found


def _intersection(a: dict, b: dict) -> tuple[float, float]:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]),
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]),
    )


def _where(box: dict) -> str:
    return f"({box['left']:.0f}–{box['right']:.0f} × {box['top']:.0f}–{box['bottom']:.0f})"


def text_overlaps(boxes: dict, tolerance: float = 1.0) -> list[str]:
    """Pairs of text elements whose boxes overlap by more than `tolerance` px both ways."""
    texts = boxes["texts"]
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            across, down = _intersection(a, b)
            if across > tolerance and down > tolerance:
                found.append(
                    f"{a['kind']} {a['text']!r} {_where(a)} overlaps {b['kind']} {b['text']!r} "
                    f"{_where(b)}"
                )
    return found


def text_over_points(boxes: dict, tolerance: float = 1.0) -> list[str]:
    """Annotations (a target's label …) drawn over a data point of a line, hiding it."""
    found = []
    for text in boxes["texts"]:
        if text["kind"] != "annotation":
            continue
        for point in boxes.get("points", []):
            across, down = _intersection(text, point)
            if across > tolerance and down > tolerance:
                found.append(
                    f"annotation {text['text']!r} {_where(text)} hides a point {_where(point)}"
                )
    return found


def text_outside_svg(boxes: dict, tolerance: float = 1.0) -> list[str]:
    """Text elements that reach beyond their SVG (plotly draws them cut off there)."""
    svg = boxes["svg"]
    return [
        f"{t['kind']} {t['text']!r} ({t['left']:.0f}–{t['right']:.0f} × {t['top']:.0f}–"
        f"{t['bottom']:.0f}) outside the SVG ({svg['width']:.0f} × {svg['height']:.0f})"
        for t in boxes["texts"]
        if t["left"] < svg["left"] - tolerance
        or t["right"] > svg["right"] + tolerance
        or t["top"] < svg["top"] - tolerance
        or t["bottom"] > svg["bottom"] + tolerance
    ]


def plot_area_share(boxes: dict, axis: str = "height") -> float:
    """The plot area's share of the chart's SVG, along `axis` ("height" or "width"): 0 when
    there is no plot area."""
    plot = boxes["plot"]
    if not plot or not boxes["svg"][axis]:
        return 0.0
    return plot[axis] / boxes["svg"][axis]
