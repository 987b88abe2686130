"""SDMX importer: LSB SDMX-ML, ILOSTAT SDMX-CSV and an SDMX-JSON message, as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_samples import formats_dir, releases_with_shipped
from shipped import SHIPPED_ID

from dashboard.importers import opensdg, sdmx, sdmx_structure
from dashboard.importers.__main__ import main as import_main
from dashboard.loading import read_release, release_ids
from dashboard.publish import main as publish_main
from dashboard.queries import Dataset, observations_view


@pytest.fixture(scope="module")
def samples() -> Path:
    return formats_dir() / "sdmx"


def _key(o: dict) -> tuple:
    return (o["indicator_id"], o["year"], o["sex"], o["urban_rural"], o["age"], o["value"])


def test_sdmx_ml_of_the_lsb_gives_what_its_open_sdg_build_publishes(samples: Path) -> None:
    """The LSB's Open SDG CSVs are built from these SDMX-ML files: both routes must agree."""
    xml = sdmx.import_sdmx([samples / "lao-lsb-sdmx-ml" / "SDG_DSD_Laos.Goal.1.xml"])
    csv_build = opensdg.import_opensdg(
        formats_dir() / "open-sdg" / "untranslated" / "data" / "1-2-1.csv"
    )
    assert xml.read == 72
    poverty = [o for o in xml.observations if o["indicator_id"] == "LSB_SDG_1_2_1"]
    assert sorted(map(_key, poverty)) == sorted(map(_key, csv_build.observations))
    assert len(poverty) == 22
    first = poverty[0]
    assert first["note"] == "Lao Statistics Bureau, Survey-(LECS), https://www.lsb.gov.la/"
    assert "dataflow LSB-SDGs:SDG" in first["provenance"]
    assert xml.sources["sdmx_lsb_sdgs_sdg"]["publisher"] == "Lao Statistics Bureau"
    unmapped = [r for r in xml.rejected if r.reason == "series not in the mapping file"]
    assert len(unmapped) == 72 - 22 and "LSB-SDGs:SDG(1.1) SI_POV_DAY1" in {
        r.value for r in unmapped
    }


def test_sdmx_csv_from_ilostat_is_read_and_foreign_areas_rejected(samples: Path) -> None:
    files = sorted((samples / "ilostat-sdmx-csv").glob("*.csv"))
    result = sdmx.import_sdmx(files)
    assert (result.read, len(result.observations), len(result.rejected)) == (5, 0, 5)
    reasons = {(r.where, r.row): (r.reason, r.value) for r in result.rejected}
    assert reasons[("probe-UNE_DEAP_SEX_AGE_RT.csv", 2)] == (
        "REF_AREA not in the reviewed area crosswalk",
        "ABW",
    )
    assert reasons[("probe-LAP_2LID_QTL_RT.csv", 2)] == (
        "series not in the mapping file",
        "ILO:DF_LAP_2LID_QTL_RT(1.0) LAP_2LID_RT",
    )


def test_sdmx_csv_codes_unit_multiplier_and_breakdowns(samples: Path, tmp_path: Path) -> None:
    """ILOSTAT's prefixed codes and UNIT_MULT, checked with a test-only crosswalk that treats
    the sample's countries as the national area (the samples hold no Lao rows)."""
    crosswalk = tmp_path / "areas.csv"
    crosswalk.write_text(
        "system,code,area_code,reviewed_by,note\n"
        "sdmx,KEN,LA,test,test only\nsdmx,ABW,LA,test,test only\n",
        encoding="utf-8",
    )
    files = sorted((samples / "ilostat-sdmx-csv").glob("*.csv"))
    result = sdmx.import_sdmx(files, areas_file=crosswalk)
    rows = {(o["indicator_id"], o["sex"], o["age"]): o for o in result.observations}
    employment = rows[("ILO_EMPLOYMENT", "total", "total")]
    assert employment["value"] == "18073200"  # 18073.2 thousands (UNIT_MULT 3)
    assert "× 10^3 (UNIT_MULT)" in employment["provenance"]
    assert rows[("ILO_UNEMPLOYMENT_RATE", "male", "Y_GE15")]["value"] == "8.6"
    assert rows[("ILO_UNEMPLOYMENT_RATE", "total", "Y_GE15")]["value"] == "8.9"
    assert result.sources["sdmx_ilo_df_une_deap_sex_age_rt"]["publisher"].startswith(
        "International Labour"
    )


def test_sdmx_json_message_is_decoded_by_its_structure(samples: Path) -> None:
    path = samples / "sdmx-json" / "OECD_data-PART2-all-all.json"
    first = next(iter(sdmx.read_message(path)))
    assert first.values["LOCATION"] == "AUS" and first.values["IND"] == "5CLAT"
    assert first.values["OBS_VALUE"] == "11.963615756565"
    assert first.dataflow == "PART2"
    result = sdmx.import_sdmx([path])
    assert result.read > 0 and result.observations == []
    assert {r.reason for r in result.rejected} == {"series not in the mapping file"}


def test_sdmx_sources_cite_the_query_the_files_answer(samples: Path) -> None:
    path = samples / "sdmx-json" / "OECD_data-PART2-all-all.json"
    assert sdmx.request_link(path) == "https://stats.oecd.org:443/sdmx-json/data/PART2/all/all"
    xml = samples / "lao-lsb-sdmx-ml" / "SDG_DSD_Laos.Goal.8.xml"
    assert sdmx.request_link(xml) == ""
    plain = sdmx.import_sdmx([xml])
    assert plain.sources["sdmx_lsb_sdgs_sdg"]["url"] == ""  # a file path is not a web address
    given = "https://github.com/sdg-laos/data/blob/89b93331ee118981c7ea995e6afbd63685e3f47f/data/SDG_DSD_Laos.Goal.8.xml"
    cited = sdmx.import_sdmx([xml], source_url=given)
    assert cited.sources["sdmx_lsb_sdgs_sdg"]["url"] == given
    assert f"from {given}" in cited.sources["sdmx_lsb_sdgs_sdg"]["provenance"]


def test_sdmx_json_without_a_year_is_rejected_by_reason(samples: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "dataflow,series_dimension,series,unit,indicator_id,nature\nPART2,IND,5CLAT,,X,estimate\n",
        encoding="utf-8",
    )
    path = samples / "sdmx-json" / "OECD_data-PART2-all-all.json"
    result = sdmx.import_sdmx([path], mapping_file=mapping)
    mapped = [r for r in result.rejected if r.reason != "series not in the mapping file"]
    assert mapped and all(
        r.reason.startswith("broken down by") or "REF_AREA" in r.reason for r in mapped
    )


def test_sdmx_not_a_data_message_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "table.csv"
    bad.write_text("country,year,value\nLAO,2020,1\n", encoding="utf-8")
    with pytest.raises(sdmx.SDMXError, match="not SDMX-CSV"):
        sdmx.import_sdmx([bad])


def test_sdmx_end_to_end_publishes_what_the_dashboard_serves(
    samples: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    releases = releases_with_shipped(tmp_path)
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    monkeypatch.delenv("NSPS_RELEASE", raising=False)
    draft = tmp_path / "draft"
    files = [str(p) for p in sorted((samples / "lao-lsb-sdmx-ml").glob("SDG_DSD_Laos.Goal.*.xml"))]
    assert import_main(["sdmx", *files, "--out", str(draft)]) == 0
    out = capsys.readouterr().out
    assert "sdmx: 205 rows read" in out
    assert publish_main([str(draft), "--id", "2099-01-01"]) == 0
    ds = Dataset.from_release(read_release(releases / "2099-01-01"))
    unemployment = observations_view(ds, "LSB_SDG_8_5_2", area_codes=("LA",), dated_only=True)
    assert unemployment.set_index("year")["value"].to_dict() == {2015: 2.1, 2017: 9.4}
    poverty = observations_view(ds, "LSB_SDG_1_2_1", area_codes=("LA",), year=2018)
    assert poverty["value"].tolist() == [18.3]


def test_sdmx_bad_value_is_refused_and_nothing_published(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    releases = releases_with_shipped(tmp_path)
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    bad = tmp_path / "flow.csv"
    bad.write_text(
        "DATAFLOW,REF_AREA,FREQ,SERIES,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
        "LSB-SDGs:SDG(1.1),LA,A,SI_POV_NAHC,2021,-4,PT\n"
        "LSB-SDGs:SDG(1.1),LA,Q,SI_POV_NAHC,2021,4,PT\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft"
    assert import_main(["sdmx", str(bad), "--out", str(draft)]) == 1
    out = capsys.readouterr().out
    assert "flow.csv, row 3: not an annual value (FREQ) (found 'Q')" in out
    assert "column 'value': out of range for unit kind 'percent'" in out
    assert publish_main([str(draft), "--id", "2099-01-01"]) == 1
    assert release_ids(releases) == [SHIPPED_ID]


def _lsb_structure() -> list[Path]:
    """The LSB's DSD (verbatim excerpt) and the names of its codes (Open SDG translations)."""
    base = formats_dir()
    dsd = base / "sdmx" / "lao-lsb-sdmx-ml" / "LSB_DSD.DataStructures-excerpt.lines26880-27492.xml"
    return [dsd, base / "open-sdg" / "source" / "translations" / "dsd"]


def test_sdmx_structure_names_each_dimension_codelist() -> None:
    structure = sdmx_structure.read_structures(_lsb_structure())
    dsd = structure.data_structure("LSB-SDGs:SDG(1.1)")
    assert dsd is not None and dsd.ref == "LSB-SDG:SDG(1.1)"
    assert dsd.dimensions[:6] == ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE")
    assert len(dsd.dimensions) == 15
    age, ref = structure.codelist(dsd, "AGE")
    assert ref == "LSB-SDGs:CL_AGE(1.1)"
    assert age.name("Y_GE65") == "65 years old and over"
    assert age.name("Y_GE65", "lo") == "65 ປີແລະຫຼາຍກວ່າ"
    assert "AGE" not in age  # the concept's own name in the translation file is not a code
    assert structure.codelist(dsd, "UNIT_MEASURE")[1] == "IAEG-SDGs:CL_UNIT_MEASURE(1.3)"
    assert structure.codelist(dsd, "SOURCE_DETAIL") == (None, "")  # free text: no codelist


def test_sdmx_structure_checks_every_code_and_names_them_in_provenance(samples: Path) -> None:
    files = sorted((samples / "lao-lsb-sdmx-ml").glob("SDG_DSD_Laos.Goal.*.xml"))
    plain = sdmx.import_sdmx(files)
    checked = sdmx.import_sdmx(files, structure=_lsb_structure())
    assert checked.read == plain.read == 205
    assert [o["value"] for o in checked.observations] == [o["value"] for o in plain.observations]
    old = next(o for o in checked.observations if o["age"] == "Y_GE65" and o["year"] == "2018")
    assert "AGE=Y_GE65 (65 years old and over)" in old["provenance"]
    assert "SERIES=" not in old["provenance"]  # the LSB's series codelist was not supplied
    assert "UNIT_MEASURE=PT (Percent)" in old["provenance"]
    lines = checked.summary_lines()
    assert "  AGE=Y_GE65 (65 years old and over): 2 rows" in lines
    unchecked = next(line for line in lines if line.startswith("structure: codes not checked"))
    assert "SERIES (LSB-SDGs:CL_SERIES(1.1))" in unchecked and "AGE" not in unchecked
    assert any("read with LSB-SDG:SDG(1.1)" in line for line in lines)


def test_sdmx_code_outside_its_codelist_stops_the_import_naming_file_row_column(
    samples: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    releases = releases_with_shipped(tmp_path)
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    monkeypatch.delenv("NSPS_RELEASE", raising=False)
    text = (samples / "lao-lsb-sdmx-ml" / "SDG_DSD_Laos.Goal.1.xml").read_text(encoding="utf-8")
    bad = tmp_path / "SDG_DSD_Laos.Goal.1.xml"  # its first 65-and-over series, miscoded
    bad.write_text(text.replace('AGE="Y_GE65"', 'AGE="Y_GE66"', 1), encoding="utf-8")
    with pytest.raises(sdmx.SDMXError) as caught:
        sdmx.import_sdmx([bad], structure=_lsb_structure())
    message = str(caught.value)
    assert message.startswith("1 code(s) not in their codelist")
    assert (
        "SDG_DSD_Laos.Goal.1.xml, row series element 10, observation 1: column 'AGE': "
        "not a code of its codelist LSB-SDGs:CL_AGE(1.1) (found 'Y_GE66')"
    ) in message
    draft = tmp_path / "draft"
    args = ["sdmx", str(bad), "--out", str(draft)]
    for path in _lsb_structure():
        args += ["--structure", str(path)]
    assert import_main(args) == 1
    assert "NOT IMPORTED: 1 code(s) not in their codelist" in capsys.readouterr().err
    assert not draft.exists()
    assert release_ids(releases) == [SHIPPED_ID]


def test_sdmx_structure_file_that_is_not_one_is_a_clear_error(tmp_path: Path) -> None:
    wrong = tmp_path / "notes.xml"
    wrong.write_text("<notes><note>hello</note></notes>", encoding="utf-8")
    with pytest.raises(sdmx.SDMXError, match="notes.xml: no DataStructure or Codelist element"):
        sdmx.import_sdmx([], structure=[wrong])


def test_sdmx_dry_run_lists_age_groups_by_code_and_name(
    samples: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases_with_shipped(tmp_path)))
    monkeypatch.delenv("NSPS_RELEASE", raising=False)
    goal1 = samples / "lao-lsb-sdmx-ml" / "SDG_DSD_Laos.Goal.1.xml"
    assert import_main(["sdmx", str(goal1), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "added LSB_SDG_1_2_1 LA 2018 Y_GE65 (65 years old and over): 15.1" in out
