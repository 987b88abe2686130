"""What readers see cites sources and names indicators: it never shows a repository path, an
indicator id or a source id (those are keys for the CSV and API columns)."""

from __future__ import annotations

import re

import pytest
from browser_support import LANGS, SITE_PAGES, release_csv

#: Indicator ids look like `SP_COVERAGE_WORKING_AGE`; `ILL_…`, `GHED_…` too.
INDICATOR_ID = re.compile(r"\b[A-Z0-9]+_[A-Z0-9_]+\b")
EXTRA_PAGES = {
    "/goal/1?indicator=SHP_COVERAGE": "#map-graph .choroplethlocation",
    "/goal/3?indicator=MPI_HEADCOUNT_PROVINCE": "#map-graph .choroplethlocation",
}


def _source_ids() -> re.Pattern[str]:
    ids = {row["source_id"] for name in ("sources.csv",) for row in release_csv(name)}
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, ids))) + r")\b")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_no_reader_facing_page_shows_a_repository_path_or_internal_code(site, lang):
    source_ids = _source_ids()
    found = {}
    for path, marker in {**SITE_PAGES, **EXTRA_PAGES}.items():
        separator = "&" if "?" in path else "?"
        site.driver.get(f"{site.url}{path}{separator}lang={lang}")
        site.duo.wait_for_element(marker, timeout=45)
        site.wait_until(
            lambda: not site.driver.find_elements("css selector", '[data-dash-is-loading="true"]'),
            f"{path} idle",
            timeout=30,
        )
        # what is on screen, chart text included, plus link and image text a reader gets
        text = site.driver.execute_script(
            "const svg = [...document.querySelectorAll('svg text')].map(t => t.textContent);"
            "const alt = [...document.querySelectorAll('[title],[alt],[aria-label]')]"
            "  .map(e => [e.title, e.alt, e.getAttribute('aria-label')].join(' '));"
            "return [document.title, document.body.innerText, ...svg, ...alt].join('\\n');"
        )
        problems = sorted(
            {m for m in ("github:", "repo:") if m in text}
            | set(INDICATOR_ID.findall(text))
            | set(source_ids.findall(text))
        )
        if problems:
            found[path] = problems
    assert found == {}, f"internal codes or paths shown to readers ({lang}): {found}"
