"""WCAG 2.1 AA in a real browser (issue #4): axe-core on every page in both languages (and the
goal page on a phone with its filters open), visible keyboard focus at every Tab stop, the page's
language in `<html lang>`, and no English on a Lao page outside an element marked `lang="en"`.

axe-core is the pinned npm package that `scripts/setup --dev` installs into `.venv/axe-core`.
Only serious and critical violations fail a test; the message lists every one with its nodes.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from browser_support import (
    AXE_JS,
    BLOCKING_IMPACTS,
    FOCUSED_JS,
    LANGS,
    SITE_PAGES,
    VISIBLE_TEXT_JS,
    axe_source,
    axe_violations,
    describe_violations,
    page_id,
    with_query,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

PAGE_LANGS = [
    pytest.param(path, lang, id=f"{page_id(path)}-{lang}") for path in SITE_PAGES for lang in LANGS
]
EACH_PAGE = [pytest.param(path, id=page_id(path)) for path in SITE_PAGES]
MIN_AXE_VERSION = (4, 8)
MIN_FOCUS_OUTLINE_PX = 2
MAX_TAB_STOPS = 80

# Text that is not English prose even when it has Latin letters: URLs, e-mail addresses, file
# names, codes with digits or underscores (LA01, LSIS2_STUNTING, 2016–2024), acronyms in capitals
# (NSPS, NSSF, GHED, CC BY IGO), and units kept in their international form.
_NOT_PROSE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+|\S+\.(?:csv|zip|json|geojson|png|svg|js|py)\b"
    r"|\b\w*(?:\d|_)\w*\b|\b[A-Z][A-Z.&-]+s?\b"
)
_ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
ALLOWED_WORDS = {"kip"}
RELEASES_DIR = Path(__file__).resolve().parents[2] / "data" / "releases"


def _cited_names() -> tuple[str, ...]:
    """Publishers and titles of the served release's sources. Citations quote them as published
    (in English for most) — also inside charts, whose SVG text cannot carry `lang="en"`."""
    release = max(p for p in RELEASES_DIR.iterdir() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name))
    sources = pd.concat(
        pd.read_csv(path, dtype=str, keep_default_na=False) for path in release.glob("sources*.csv")
    )
    return tuple(n for n in {*sources["publisher"], *sources["title"]} if n)


#: Proper names that Lao sentences keep in Latin script (WCAG 3.1.2 exempts proper names),
#: longest first so that a name inside a longer one is not cut out first.
PROPER_NAMES = tuple(
    sorted(
        {"geoBoundaries", "McGovern-Dole", "Statistics Canada", "Open SDG", *_cited_names()},
        key=len,
        reverse=True,
    )
)
#: Elements whose text is code by definition.
CODE_TAGS = {"code", "kbd", "samp"}


def english_words(text: str) -> list[str]:
    """Words of 4+ Latin letters in `text` that read as English prose (see `_NOT_PROSE`)."""
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    prose = _NOT_PROSE.sub(" ", text)
    return [w for w in _ENGLISH_WORD.findall(prose) if w.lower() not in ALLOWED_WORDS]


def test_english_words_flags_prose_not_codes_acronyms_names_or_urls():
    assert english_words("ແຂວງ Province coverage") == ["Province", "coverage"]
    assert english_words("NSPS NSSF NHI GHED LECS CC BY 3.0 IGO") == []
    assert english_words("LSIS2_STUNTING LA01 2016–2024 1,234 kip") == []
    assert english_words("https://data.humdata.org/dataset/cod-ab-lao nsps-data.csv") == []
    assert english_words("ສ້າງໂດຍ data/steps/illustrative.py, ຜ່ານ geoBoundaries") == []
    assert english_words("ດາວໂຫຼດ (CSV) Download") == ["Download"]


def test_axe_core_is_installed_at_a_recent_version():
    axe_source()  # fails with the command to run when it is missing
    version = json.loads((AXE_JS.parent / "package.json").read_text())["version"]
    assert tuple(int(part) for part in version.split(".")[:2]) >= MIN_AXE_VERSION, version


@pytest.mark.browser
def test_axe_finds_the_violations_of_a_known_bad_page(site):
    """The scan itself works: a page without a language, an image without text alternative and
    an unlabelled field are reported (with the tags and exclusions the page tests use)."""
    site.driver.get(
        "data:text/html,<html><head><title>bad</title></head><body><main>"
        "<img src='x.png'><input type='text'></main></body></html>"
    )
    _version, violations = axe_violations(site.driver)
    assert {"html-has-lang", "image-alt", "label"} <= {v["id"] for v in violations}


def assert_no_blocking_violations(site, where: str) -> None:
    """Run axe-core on the open page; fail listing every serious or critical violation."""
    version, violations = axe_violations(site.driver)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(
            f"axe-core {version} on {where}: {len(blocking)} serious or critical rule(s) "
            f"violated\n{describe_violations(blocking)}",
            pytrace=False,
        )


@pytest.mark.browser
@pytest.mark.parametrize(("path", "lang"), PAGE_LANGS)
def test_axe_reports_no_serious_or_critical_violations(site, path, lang):
    site.set_viewport(1280, 800)
    site.open_settled(path, lang)
    assert_no_blocking_violations(site, with_query(path, lang=lang))


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_axe_reports_no_serious_or_critical_violations_with_phone_filters_open(site, lang):
    """The goal page at phone width with its off-canvas filters open (a dialog on top)."""
    site.set_viewport(360, 740)
    site.open_settled("/goal/1", lang)
    site.show_tab("map")
    site.duo.find_element("#map-filters-open").click()
    site.wait_until(
        lambda: site.duo.find_element("#map-level").is_displayed(), "filters panel open"
    )
    time.sleep(0.5)  # Bootstrap's slide-in transition
    assert_no_blocking_violations(site, f"/goal/1?lang={lang} at 360 px, filters open")


def tab_stops(site, max_stops: int = MAX_TAB_STOPS) -> Iterator[dict]:
    """Press Tab from the top of the page; yield what `FOCUSED_JS` reads at each stop until
    focus leaves the page or comes back to the first stop."""
    keys = ActionChains(site.driver)
    first = None
    for _stop in range(max_stops):
        keys.send_keys(Keys.TAB).perform()
        focused = site.driver.execute_script(FOCUSED_JS)
        if focused is None or focused["label"] == first:
            return
        first = first or focused["label"]
        yield focused


def focus_is_visible(focused: dict) -> bool:
    """An outline of ≥ 2 px (site.css), or the browser's own ring (`auto`: Chromium draws a
    two-tone ring). Bootstrap's `outline: 0` + faint glow counts as invisible."""
    style, width = focused["outlineStyle"], focused["outlineWidth"]
    return style == "auto" or (style != "none" and width >= MIN_FOCUS_OUTLINE_PX)


@pytest.mark.browser
@pytest.mark.parametrize("path", EACH_PAGE)
def test_keyboard_focus_is_visible_at_every_tab_stop(site, path):
    """WCAG 2.4.7: Tab through the page; every element that takes focus shows an outline."""
    site.set_viewport(1280, 800)
    site.open_settled(path, "en")
    stops = list(tab_stops(site))
    invisible = [
        f"{f['label']} (outline {f['outlineStyle']} {f['outlineWidth']} px)"
        for f in stops
        if not focus_is_visible(f)
    ]
    assert not invisible, f"no visible focus on {path}: {invisible}"
    assert stops, f"the keyboard reaches nothing on {path}"


@pytest.mark.browser
def test_dropdown_focus_target_forwards_focus_to_its_button(site):
    """Why `AXE_EXCLUDE` may skip Dash's dropdown focus target: Tab never rests on it, the
    dropdown's button takes the focus instead."""
    site.set_viewport(1280, 800)
    site.open_settled("/goal/1", "en")
    in_dropdowns = [f["label"] for f in tab_stops(site) if f["inDropdown"]]
    assert in_dropdowns, "Tab reached no dropdown on /goal/1"
    assert all(label.startswith("button#") for label in in_dropdowns), in_dropdowns


@pytest.mark.browser
@pytest.mark.parametrize(("path", "lang"), PAGE_LANGS)
def test_html_lang_is_the_url_language(site, path, lang):
    site.driver.get(site.url + with_query(path, lang=lang))
    site.duo.wait_for_element(SITE_PAGES[path], timeout=30)
    assert site.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang


@pytest.mark.browser
@pytest.mark.parametrize("path", EACH_PAGE)
def test_lao_page_has_no_english_outside_lang_en(site, path):
    """WCAG 3.1.2: English left on a Lao page (names of sources, publishers, licences) must be
    marked `lang="en"` so that screen readers switch voice; anything else is untranslated."""
    site.set_viewport(1280, 800)
    site.open_settled(path, "lo")
    offenders = [
        f"<{node['tag']}{' #' + node['id'] if node['id'] else ''}> {node['text'][:120]!r} "
        f"(lang={node['lang']!r}; {', '.join(words)})"
        for node in site.driver.execute_script(VISIBLE_TEXT_JS)
        if not node["lang"].startswith("en")
        and node["tag"] not in CODE_TAGS
        and (words := english_words(node["text"]))
    ]
    if offenders:
        pytest.fail(
            f"{len(offenders)} English text(s) on {with_query(path, lang='lo')}:\n"
            + "\n".join(offenders),
            pytrace=False,
        )
