"""Open SDG importer: the Lao Statistics Bureau's indicator files, as they are, into a release."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from importer_samples import formats_dir, releases_with_shipped
from shipped import SHIPPED_ID

from dashboard.importers import opensdg
from dashboard.importers.__main__ import main as import_main
from dashboard.loading import read_release, release_ids
from dashboard.publish import main as publish_main
from dashboard.queries import Dataset, observations_view


@pytest.fixture(scope="module")
def samples() -> Path:
    return formats_dir() / "open-sdg"


def _by_key(result) -> dict[tuple, str]:
    return {
        (o["indicator_id"], o["year"], o["sex"], o["urban_rural"], o["age"]): o["value"]
        for o in result.observations
    }


def test_opensdg_english_labels_map_to_dimensions(samples: Path) -> None:
    result = opensdg.import_opensdg(samples / "en" / "data" / "1-2-1.csv")
    assert (result.read, len(result.observations), result.rejected) == (22, 22, [])
    values = _by_key(result)
    assert values[("LSB_SDG_1_2_1", "2018", "total", "total", "total")] == "18.3"
    assert values[("LSB_SDG_1_2_1", "2018", "total", "rural", "total")] == "23.8"
    assert values[("LSB_SDG_1_2_1", "2013", "female", "total", "total")] == "24.6"
    assert (
        values[("LSB_SDG_1_2_1", "2018", "total", "total", "Y_GE65")] == "15.1"
    )  # "65 years old and over"
    assert (
        values[("LSB_SDG_1_2_1", "2013", "total", "total", "Y0T14")] == "32.6"
    )  # "under 15 years old"
    assert {o["area_code"] for o in result.observations} == {"LA"}  # blank GeoCode = national
    row = result.observations[0]
    assert row["provenance"].startswith("Open SDG file ") and ", row 2, read " in row["provenance"]
    source = result.sources["opensdg_1_2_1"]
    assert source["publisher"] == "Lao Statistics Bureau in cooperation with the World Bank"
    assert (
        "1.2.1 Percentage of population living below the national poverty line" in source["title"]
    )
    entry = result.indicators["LSB_SDG_1_2_1"]
    assert entry["definition_en"].startswith("The national poverty rate is the percentage")


def test_opensdg_lao_and_code_builds_give_the_same_rows(samples: Path) -> None:
    lao = opensdg.import_opensdg(samples / "lo" / "data" / "8-5-2.csv")
    codes = opensdg.import_opensdg(samples / "untranslated" / "data" / "8-5-2.csv")
    english = opensdg.import_opensdg(samples / "en" / "data" / "8-5-2.csv")
    assert lao.rejected == codes.rejected == english.rejected == []
    assert _by_key(lao) == _by_key(codes) == _by_key(english)
    assert len(_by_key(lao)) == 10
    assert _by_key(lao)[("LSB_SDG_8_5_2", "2017", "total", "urban", "Y_GE15")] == "5.3"


def test_opensdg_folder_rejects_every_unmapped_or_unkept_row_with_a_reason(samples: Path) -> None:
    result = opensdg.import_opensdg(samples)  # the repository: its untranslated build
    assert result.read == 153
    assert len(result.observations) + len(result.rejected) == result.read
    reasons = {(r.where, r.row): (r.reason, r.value) for r in result.rejected}
    assert reasons[("2-2-1.csv", 8)] == (
        "broken down by a dimension the release does not have: INCOME_WEALTH_QUANTILE=Q1",
        "",
    )
    assert reasons[("4-1-1.csv", 2)] == (
        "series and unit not in the mapping file",
        "SE_TOT_PRFL / PT",
    )
    mapped = {o["indicator_id"] for o in result.observations}
    assert mapped == {"LSB_SDG_1_2_1", "LSB_SDG_3_8_2_OOP", "LSB_SDG_8_5_2"}


def test_opensdg_git_checkout_records_the_commit(samples: Path, tmp_path: Path) -> None:
    repo = tmp_path / "data-repo"
    shutil.copytree(samples / "untranslated", repo / "untranslated")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "data"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    remote = "https://officer:s3cret@github.com/sdg-laos/data.git"
    subprocess.run([*git, "remote", "add", "origin", remote], check=True)
    result = opensdg.import_opensdg(repo)
    assert len(result.observations) == 34
    pinned = f"https://github.com/sdg-laos/data/blob/{commit}/untranslated/data/"
    assert result.sources["opensdg_8_5_2"]["url"] == pinned + "8-5-2.csv"  # a web address
    assert all(o["provenance"].startswith(f"Open SDG file {pinned}") for o in result.observations)
    assert not any("s3cret" in o["provenance"] for o in result.observations)
    subprocess.run(
        [*git, "remote", "set-url", "origin", "https://git.lsb.gov.la/sdg/data"], check=True
    )
    other = opensdg.import_opensdg(repo / "untranslated" / "data" / "1-2-1.csv")
    source = other.sources["opensdg_1_2_1"]
    assert (
        f"https://git.lsb.gov.la/sdg/data@{commit}:untranslated/data/1-2-1.csv"
        in source["provenance"]
    )
    assert source["url"] == ""  # a checkout elsewhere is not a web address (the URL rule)


def test_opensdg_end_to_end_publishes_what_the_dashboard_serves(
    samples: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    releases = releases_with_shipped(tmp_path)
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    monkeypatch.delenv("NSPS_RELEASE", raising=False)
    draft = tmp_path / "draft"
    assert import_main(["opensdg", str(samples / "en" / "data"), "--out", str(draft)]) == 0
    out = capsys.readouterr().out
    assert "opensdg: 153 rows read, 34 mapped, 119 rejected" in out
    assert "2-2-1.csv, row 8: broken down by a dimension the release does not have" in out
    assert publish_main([str(draft), "--id", "2099-01-01"]) == 0
    ds = Dataset.from_release(read_release(releases / "2099-01-01"))
    totals = observations_view(ds, "LSB_SDG_1_2_1", area_codes=("LA",), dated_only=True)
    assert totals.set_index("year")["value"].to_dict() == {
        1993: 46.0,
        1998: 39.0,
        2003: 33.5,
        2008: 27.6,
        2013: 24.6,
        2018: 18.3,
    }
    everything = observations_view(ds, "LSB_SDG_1_2_1", totals_only=False)
    assert len(everything) == 22
    assert set(everything["age"]) == {"total", "Y0T14", "Y15T24", "Y55T64", "Y_GE65"}
    assert ds.indicator("LSB_SDG_1_2_1")["nature"] == "survey"


def test_opensdg_bad_file_is_refused_and_nothing_published(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    releases = releases_with_shipped(tmp_path)
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    bad = tmp_path / "1-2-1.csv"
    bad.write_text(
        "Year,SERIES,UNIT_MEASURE,GeoCode,Value\n"
        "2018,SI_POV_NAHC,PT,,118.3\n"  # a typo: out of range for a percentage
        "2019,SI_POV_NAHC,PT,LA99,20\n"  # an unknown GeoCode
        "20x9,SI_POV_NAHC,PT,,20\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft"
    assert import_main(["opensdg", str(bad), "--out", str(draft)]) == 1
    out = capsys.readouterr().out
    assert "1-2-1.csv, row 3: GeoCode not in the reviewed area crosswalk (found 'LA99')" in out
    assert "1-2-1.csv, row 4: Year is not a calendar year (found '20x9')" in out
    assert (
        "observations-import-opensdg.csv, row 2, column 'value': "
        "out of range for unit kind 'percent'" in out
    )
    assert publish_main([str(draft), "--id", "2099-01-01"]) == 1
    assert release_ids(releases) == [SHIPPED_ID]
