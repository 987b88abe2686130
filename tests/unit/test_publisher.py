"""Who speaks: the site claims no owner or endorsement unless its operator configures one."""

from __future__ import annotations

import io
import zipfile

from bs4 import BeautifulSoup

from dashboard import bundle
from dashboard.config import Settings
from dashboard.publisher import INDEPENDENT, INDEPENDENT_AUTHOR, Publisher
from layouts import lite

CONFIGURED = Publisher(
    name="Example Ministry",
    statement_en="Published with the ministry's approval.",
    statement_lo="ເຜີຍແຜ່ດ້ວຍການອະນຸມັດຂອງກະຊວງ.",
)


def test_publisher_default_says_independent_and_not_official_in_both_languages():
    english = INDEPENDENT.footer_line("en")
    assert "independent" in english and "not an official statistical publication" in english
    assert "ບໍ່ແມ່ນສິ່ງພິມສະຖິຕິທາງການ" in INDEPENDENT.footer_line("lo")
    assert INDEPENDENT.credit("en") == "" and INDEPENDENT.author == INDEPENDENT_AUTHOR


def test_publisher_comes_from_the_environment_and_is_named_when_configured():
    publisher = Settings.from_env(
        {"NSPS_PUBLISHER_NAME": " Example Ministry ", "NSPS_PUBLISHER_STATEMENT_EN": "Ours."}
    ).publisher
    assert publisher.footer_line("en") == "Published by Example Ministry. Ours."
    # an English statement alone is shown on Lao pages rather than the independent default
    assert publisher.footer_line("lo").endswith("Ours.")
    assert Settings.from_env({}).publisher == INDEPENDENT


def test_publisher_zip_readme_and_citation_name_no_owner_by_default(dataset):
    site = "https://nsps.example.la"
    with zipfile.ZipFile(io.BytesIO(bundle.bundle_zip(dataset, site))) as archive:
        texts = {
            name.rsplit("/", 1)[-1]: " ".join(archive.read(name).decode("utf-8").split())
            for name in archive.namelist()
            if name.endswith(".txt")
        }
    for text in (texts["README.txt"], texts["CITATION.txt"]):
        assert "Social Protection Commission" not in text and "Owner" not in text
    assert "not an official statistical publication" in texts["README.txt"]
    assert "stays under the terms of its own source" in texts["README.txt"]
    assert f"author = {{{{{INDEPENDENT_AUTHOR}}}}}" in texts["CITATION.txt"]
    configured = bundle.citation_text(dataset, site, CONFIGURED)
    assert "author = {{Example Ministry}}" in configured


def test_publisher_lite_footer_carries_the_configured_statement():
    frame = lite.PageFrame(lang="lo", path="/lite/", release_id="2026-11-29", publisher=CONFIGURED)
    page = BeautifulSoup(lite.page(frame, "NSPS"), "html.parser")
    footer = page.find("footer").get_text()
    assert "ເຜີຍແຜ່ໂດຍ Example Ministry." in footer and "ດ້ວຍການອະນຸມັດ" in footer
    assert "Owner" not in footer
