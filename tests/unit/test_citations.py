"""The one citation formatter: publisher, title, year, link to the original, "via" a copy."""

from __future__ import annotations

import re

from dashboard.citations import citation

WDI = {
    "publisher": "World Bank",
    "title": "World Development Indicators: Population, total",
    "year": 2026,
    "url": "https://data.worldbank.org/indicator/SP.POP.TOTL",
    "via": "DataHub 'population' dataset",
    "via_url": "https://github.com/datasets/population",
    "licence": "CC BY 4.0",
    "licence_url": "https://www.worldbank.org/en/about/legal/terms-of-use-for-datasets",
    "provenance": "Read from github:datasets/population@425fc447:data/population.csv",
}


def test_citation_read_via_a_copy_names_the_original_and_the_copy():
    cited = citation(WDI, "en")
    assert cited.text == (
        "World Bank, World Development Indicators: Population, total (2026), "
        "via DataHub 'population' dataset"
    )
    assert cited.label == "World Bank, via DataHub 'population' dataset"
    assert cited.url == "https://data.worldbank.org/indicator/SP.POP.TOTL"
    assert "github:" not in cited.text + cited.label and "@" not in cited.text


def test_citation_without_year_says_no_date_and_without_original_links_the_copy():
    news = {**WDI, "year": float("nan"), "url": "", "via": "Devdiscourse"}
    news["via_url"] = "https://www.devdiscourse.com/article/x"
    cited = citation(news, "en")
    assert "(n.d.)" in cited.text and cited.text.endswith("via Devdiscourse")
    assert cited.url == "https://www.devdiscourse.com/article/x"
    lao = citation(news, "lo")
    assert "n.d." not in lao.text and "World Bank" in lao.text


def test_citation_carries_the_licence_and_its_link_and_never_a_repository_path():
    cited = citation(WDI, "en")
    assert cited.licence == "CC BY 4.0"
    assert cited.licence_url.startswith("https://www.worldbank.org/")
    unlicensed = citation({**WDI, "licence": "", "licence_url": "", "url": "repo:x.py"}, "en")
    assert unlicensed.licence == "not stated" and unlicensed.licence_url is None
    assert unlicensed.url == "https://github.com/datasets/population"  # the copy, not repo:


def test_shipped_sources_cite_original_publishers(shipped_release):
    """No secondary host as publisher, no path as title; secondary copies say via."""
    sources = shipped_release.sources
    bad = re.compile(r"via |transcribed|reported by|fixture|github:|\.csv|\.xlsx", re.I)
    for source_id, row in sources.iterrows():
        assert not bad.search(row["publisher"]), (source_id, row["publisher"])
        assert not bad.search(row["title"]), (source_id, row["title"])
        assert not str(row["url"]).startswith(("github:", "repo:")), source_id
        read = re.match(r"Read from github:(([^/@]+)/[^@]+)@", str(row["provenance"]))
        own = read and str(row["url"]).startswith(
            (f"https://github.com/{read.group(1)}", f"https://{read.group(2)}.github.io")
        )  # the publisher's own repository is the original, not a copy
        if read and not own:
            assert row["via"], f"{source_id}: read from a copy but no 'via'"


def test_licences_are_looked_up_for_the_publishers_that_publish_terms(shipped_release):
    """WHO, World Bank data, GDL, ILO, UN agencies publish their terms: they are cited."""
    sources = shipped_release.sources
    for prefix in ("who_", "wdi_", "gdl_shdi5_", "ilo_gimi_", "un_", "unicef_"):
        rows = sources[sources.index.str.startswith(prefix)]
        assert len(rows) and (rows["licence"] != "not stated").all(), prefix
        assert rows["licence_url"].str.startswith("https://").all(), prefix
    stated = (sources["licence"] != "not stated").sum()
    assert stated >= 40, f"only {stated} sources with their terms"


def test_observation_notes_hold_no_reading_notes_paths_or_codes(shipped_release):
    """Scraping notes moved to the downloadable provenance; the note is for readers."""
    obs = shipped_release.observations
    scraping = re.compile(
        r"read directly|github:|repo:|\[table\]|\[text\]|\.csv\b|\b[A-Z0-9]+_[A-Z0-9_]+\b|seed \d"
    )
    bad = obs.loc[obs["note"].str.contains(scraping), ["indicator_id", "note"]]
    assert bad.empty, bad.head().to_dict("records")
    real = obs[obs["nature"] != "illustrative"]
    assert (real["provenance"].str.strip() != "").all(), "every real value says how it was read"


def test_a_copy_is_named_once_never_via_via(shipped_release):
    assert not shipped_release.sources["via"].str.contains(r"\bvia\b").any()
