"""DHIS2 importer: request syntax, the client against recorded real responses, and end to end.

No DHIS2 server exists here: `FakeDHIS2` answers on 127.0.0.1 with the real analytics responses
saved in ../shared/formats/dhis2 (two from the Lao PDR HMIS, one from the Sierra Leone demo) and
with the errors a real server gives (401, 500, a timeout, a broken body, paged collections).
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest
from dhis2_server import EIGHTEEN_UNITS, AnalyticsReplay, FakeDHIS2, Reply
from importer_samples import formats_dir, releases_with_shipped
from shipped import SHIPPED_ID, SHIPPED_RELEASE

from dashboard.importers import dhis2
from dashboard.importers.__main__ import main as import_main
from dashboard.importers.mapping import MappingError
from dashboard.loading import read_release, release_ids
from dashboard.publish import main as publish_main
from dashboard.queries import Dataset, observations_view

SECRET = "pa55-Very-S3cret-value"
TOKEN = "d2pat_TokenThatMustNotLeak0123456789"


@pytest.fixture(scope="module")
def samples() -> Path:
    return formats_dir() / "dhis2"


@pytest.fixture(scope="module")
def areas():
    return read_release(SHIPPED_RELEASE).areas


def _reply(path: Path) -> Reply:
    return Reply(200, path.read_bytes())


def _client(url: str, **kw) -> dhis2.Client:
    settings = {"timeout": 30.0, "retries": 2, "backoff": 0.0, **kw}
    return dhis2.Client(dhis2.Connection(url, token=TOKEN, **settings))


# ---------------------------------------------------------------- request building


def test_dhis2_analytics_request_uses_the_documented_dimension_syntax(samples: Path) -> None:
    params = dhis2.analytics_params(["fbfJHSPpUQD", "cYeuwXTCPkU"], [2, 3], ["2016", "2017"])
    assert params == [
        ("dimension", "dx:fbfJHSPpUQD;cYeuwXTCPkU"),
        ("dimension", "ou:LEVEL-2;LEVEL-3"),
        ("dimension", "pe:2016;2017"),
        ("displayProperty", "NAME"),
    ]
    url = dhis2.query_url("https://hmis.example", dhis2.ANALYTICS_PATH, params)
    assert url == (
        "https://hmis.example/api/analytics?dimension=dx:fbfJHSPpUQD;cYeuwXTCPkU"
        "&dimension=ou:LEVEL-2;LEVEL-3&dimension=pe:2016;2017&displayProperty=NAME"
    )
    # Each part exactly as the DHIS2 Web API documentation writes it.
    doc = (samples / "docs" / "dhis2-docs_web-api_analytics_EXCERPT.md").read_text()
    single = dhis2.query_url(
        "", "/api/analytics", dhis2.analytics_params(["fbfJHSPpUQD"], [3], ["2016"])
    )
    for part in single.split("?", 1)[1].split("&")[:3]:
        assert part in doc, part
    assert "/api/analytics?dimension=dx:fbfJHSPpUQD;cYeuwXTCPkU" in doc
    assert dhis2.year_periods(2019, 2021) == ["2019", "2020", "2021"]
    with pytest.raises(ValueError):
        dhis2.analytics_params([], [2], ["2020"])


# ---------------------------------------------------------------- the client


def test_dhis2_client_imports_lao_population_by_province(samples: Path, areas) -> None:
    with FakeDHIS2(
        {**EIGHTEEN_UNITS, "/api/analytics": _reply(samples / "lao-hmis" / "population_Laos.json")}
    ) as fake:
        result = dhis2.import_dhis2(_client(fake.url), areas, levels=[2], periods=["2024"])
    count, request = fake.requests
    assert (count.path, dict(count.params)["filter"]) == ("/api/organisationUnits", "level:in:[2]")
    assert request.path == "/api/analytics"
    assert [v for k, v in request.params if k == "dimension"] == [
        "dx:DkmMEcubiPv;wryMP8p8k1C",
        "ou:LEVEL-2",
        "pe:2024",
    ]
    assert request.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert (result.read, len(result.observations), result.rejected) == (18, 18, [])
    by_area = {row["area_code"]: row for row in result.observations}
    assert sorted(by_area) == [f"LA{n:02d}" for n in range(1, 19)]
    assert by_area["LA01"]["value"] == "989292"  # "01 Vientiane Capital" in the response
    assert by_area["LA13"]["value"] == "1101857"  # "13 Savannakhet"
    row = by_area["LA01"]
    assert (row["indicator_id"], row["year"], row["nature"]) == (
        "DHIS2_GEN_POPULATION",
        "2024",
        "estimate",
    )
    assert "pe 20240417" in row["provenance"] and "ou W6sNfkJcXGC" in row["provenance"]
    assert f"{fake.url}/api/analytics?dimension=dx:DkmMEcubiPv" in row["provenance"]
    source = result.sources[row["source_id"]]
    assert source["url"].startswith(fake.url + "/api/analytics?")
    assert "GEN - Population" in source["title"]


def test_dhis2_weekly_counts_are_rejected_not_summed(samples: Path, areas) -> None:
    """Dengue cases come by week; a week is not a year, and adding weeks up is not reshaping."""
    with FakeDHIS2(
        {**EIGHTEEN_UNITS, "/api/analytics": _reply(samples / "lao-hmis" / "dhis_response.json")}
    ) as fake:
        result = dhis2.import_dhis2(_client(fake.url), areas, levels=[2], periods=["LAST_52_WEEKS"])
    assert (result.read, len(result.observations), len(result.rejected)) == (707, 0, 707)
    first = result.rejected[0]
    assert first.row == 1 and first.value == "2023W25"
    assert "shorter than a year" in first.reason


def test_dhis2_category_breakdown_is_rejected_with_its_option(
    samples: Path, areas, tmp_path
) -> None:
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "dhis2_id,dhis2_name,indicator_id,nature\nfbfJHSPpUQD,ANC 1st visit,ANC1,administrative\n",
        encoding="utf-8",
    )
    body = samples / "sierra-leone-demo" / "analytics_dx2_ouLEVEL-2_pe202306_co.body.json"
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": _reply(body)}) as fake:
        result = dhis2.import_dhis2(
            _client(fake.url), areas, levels=[2], periods=["202306"], mapping_file=mapping
        )
    assert (result.read, len(result.observations), len(result.rejected)) == (52, 0, 52)
    assert result.rejected[0].reason == "broken down by co=pq2XI5kz2BY: request totals"


def test_dhis2_unmatched_units_are_listed_with_a_name_suggestion_never_joined(
    samples: Path, areas, tmp_path: Path
) -> None:
    crosswalk = tmp_path / "crosswalk.csv"
    rows = list(csv.reader(dhis2.CROSSWALK_FILE.open(encoding="utf-8")))
    header = rows[0]
    kept = [r for r in rows[1:] if r[header.index("area_code")] not in ("LA05", "LA17")]
    attapeu = next(r for r in rows[1:] if r[header.index("area_code")] == "LA17")
    attapeu[header.index("reviewed_by")] = ""  # proposed, not yet reviewed
    with crosswalk.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *kept, attapeu])
    with FakeDHIS2(
        {**EIGHTEEN_UNITS, "/api/analytics": _reply(samples / "lao-hmis" / "population_Laos.json")}
    ) as fake:
        result = dhis2.import_dhis2(
            _client(fake.url), areas, levels=[2], periods=["2024"], crosswalk_file=crosswalk
        )
    assert len(result.observations) == 16
    assert {r.value for r in result.rejected} == {"FRmrFTE63D0 05 Bokeo", "hRQsZhmvqgS 17 Attapu"}
    reasons = {r.value: r.reason for r in result.rejected}
    assert "awaits review" in reasons["hRQsZhmvqgS 17 Attapu"]
    assert "LA05" not in {o["area_code"] for o in result.observations}
    assert any("FRmrFTE63D0 '05 Bokeo'" in n and "LA05 Bokeo" in n for n in result.notices)


def test_dhis2_organisation_units_are_read_page_after_page(samples: Path) -> None:
    page2 = samples / "organisationUnits" / "organisationUnits_fields-id-name_page2.body.json"
    units2 = json.loads(page2.read_bytes())["organisationUnits"]
    page1 = {
        "pager": {"page": 1, "pageCount": 2, "total": 1332, "pageSize": 1000},
        "organisationUnits": [{"id": f"uid{n:08d}", "name": f"Unit {n}"} for n in range(1000)],
    }
    routes = {
        "/api/organisationUnits?page=1": Reply(200, json.dumps(page1).encode()),
        "/api/organisationUnits?page=2": _reply(page2),
    }
    with FakeDHIS2(routes) as fake:
        units = _client(fake.url).org_units([2, 3])
    assert len(units) == 1000 + len(units2) == 1332
    assert units[-1] == units2[-1]
    assert [dict(r.params)["page"] for r in fake.requests] == ["1", "2"]
    assert dict(fake.requests[0].params)["filter"] == "level:in:[2,3]"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(401, b'{"httpStatus":"Unauthorized"}'), "refused the credentials (HTTP 401)"),
        (
            Reply(500, b"<html>Internal error</html>", content_type="text/html"),
            "HTTP 500 from the server (after 2 retries)",
        ),
        (Reply(200, b'{"headers": [ {"name": "dx"'), "the answer is not JSON"),
        (Reply(200, b"[]"), "not an analytics response"),
        (Reply(200, b"{}", delay=3.0), "no answer within 0.5 s"),
    ],
    ids=["401", "500", "malformed-json", "not-analytics", "timeout"],
)
def test_dhis2_server_errors_give_a_clear_message_without_credentials(
    reply: Reply, message: str, areas
) -> None:
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": reply}) as fake:
        client = dhis2.Client(
            dhis2.Connection(
                fake.url,
                username="officer",
                password=SECRET,
                timeout=0.5 if reply.delay else 10.0,  # only the slow server times out
                retries=2,
                backoff=0,
            )
        )
        with pytest.raises(dhis2.DHIS2Error) as caught:
            dhis2.import_dhis2(client, areas, levels=[2], periods=["2024"])
    assert message in str(caught.value)
    assert SECRET not in str(caught.value) and SECRET not in repr(client.connection)
    expected_requests = 3 if reply.status == 500 or reply.delay else 1  # 2 retries
    assert len([r for r in fake.requests if r.path == "/api/analytics"]) == expected_requests


def test_dhis2_mapping_file_errors_name_row_and_column(tmp_path: Path, areas) -> None:
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "dhis2_id,dhis2_name,indicator_id,nature,periods\nabc,x,BAD ID,official,monthly\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as caught:
        dhis2.import_dhis2(
            _client("http://127.0.0.1:9"), areas, levels=[2], periods=["2024"], mapping_file=mapping
        )
    text = str(caught.value)
    assert "mapping.csv, row 2, column 'indicator_id'" in text
    assert "column 'nature': must be one of" in text and "column 'periods'" in text


# ---------------------------------------------------------------- end to end


def _env(monkeypatch, releases: Path, url: str) -> None:
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    monkeypatch.delenv("NSPS_RELEASE", raising=False)
    monkeypatch.setenv("DHIS2_URL", url)
    monkeypatch.setenv("DHIS2_USERNAME", "officer")
    monkeypatch.setenv("DHIS2_PASSWORD", SECRET)


def test_dhis2_import_end_to_end_publishes_what_the_dashboard_serves(
    samples: Path, tmp_path: Path, monkeypatch, capsys, caplog
) -> None:
    releases = releases_with_shipped(tmp_path)
    draft = tmp_path / "draft"
    caplog.set_level(logging.DEBUG)  # urllib3 logs every request at DEBUG
    with FakeDHIS2(
        {**EIGHTEEN_UNITS, "/api/analytics": _reply(samples / "lao-hmis" / "population_Laos.json")}
    ) as fake:
        _env(monkeypatch, releases, fake.url)
        code = import_main(
            ["dhis2", "--levels", "2", "--from", "2024", "--to", "2024", "--out", str(draft)]
        )
    out = capsys.readouterr()
    assert code == 0, out.err + out.out
    assert "dhis2: 18 rows read, 18 mapped, 0 rejected" in out.out
    assert "publishable: 18 values added, 0 revised, 0 removed" in out.out
    assert fake.requests[0].headers["Authorization"].startswith("Basic ")
    # The password is sent (as HTTP basic auth) but never printed, logged or written.
    written = "".join(p.read_text(encoding="utf-8") for p in draft.iterdir())
    for text in (out.out, out.err, caplog.text, written):
        assert SECRET not in text
    assert release_ids(releases) == [SHIPPED_ID]  # importing publishes nothing

    assert publish_main([str(draft), "--id", "2099-01-01"]) == 0
    ds = Dataset.from_release(read_release(releases / "2099-01-01"))
    rows = observations_view(ds, "DHIS2_GEN_POPULATION", level="province", year=2024)
    assert len(rows) == 18
    assert rows.set_index("area_code").at["LA13", "value"] == 1101857.0
    assert ds.indicator("DHIS2_GEN_POPULATION")["unit_kind"] == "count"
    assert (rows["nature"] == "estimate").all()
    cited = ds.release.sources.loc["dhis2_dkmmecubipv"]
    assert cited["url"].startswith(fake.url + "/api/analytics?dimension=dx:")


def test_dhis2_dry_run_shows_the_changes_and_writes_nothing(
    samples: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    releases = releases_with_shipped(tmp_path)
    with FakeDHIS2(
        {**EIGHTEEN_UNITS, "/api/analytics": _reply(samples / "lao-hmis" / "population_Laos.json")}
    ) as fake:
        _env(monkeypatch, releases, fake.url)
        code = import_main(
            [
                "dhis2",
                "--levels",
                "2",
                "--from",
                "2024",
                "--to",
                "2024",
                "--out",
                str(tmp_path / "draft"),
                "--dry-run",
            ]
        )
    out = capsys.readouterr().out
    assert code == 0
    assert "would change: 18 values added, 0 revised, 0 removed" in out
    assert "added DHIS2_GEN_POPULATION LA13 2024" in out
    assert not (tmp_path / "draft").exists()
    assert release_ids(releases) == [SHIPPED_ID]


def test_dhis2_values_that_break_a_rule_are_refused_and_nothing_published(
    samples: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A mapping that calls a population a percentage: the draft fails the one validation."""
    releases = releases_with_shipped(tmp_path)
    mapping = tmp_path / "mapping.csv"
    text = dhis2.MAPPING_FILE.read_text(encoding="utf-8").replace(
        ",count,none,0,Population", ",percent,none,0,Population"
    )
    mapping.write_text(text, encoding="utf-8")
    draft = tmp_path / "draft"
    with FakeDHIS2(
        {**EIGHTEEN_UNITS, "/api/analytics": _reply(samples / "lao-hmis" / "population_Laos.json")}
    ) as fake:
        _env(monkeypatch, releases, fake.url)
        code = import_main(
            [
                "dhis2",
                "--levels",
                "2",
                "--from",
                "2024",
                "--to",
                "2024",
                "--mapping",
                str(mapping),
                "--out",
                str(draft),
            ]
        )
    out = capsys.readouterr().out
    assert code == 1
    assert "the draft does NOT pass validation (18 problem(s))" in out
    assert (
        "observations-import-dhis2.csv, row 2, column 'value': out of range for unit kind 'percent'"
        in out
    )
    assert publish_main([str(draft), "--id", "2099-01-01"]) == 1
    assert release_ids(releases) == [SHIPPED_ID]


def test_dhis2_credentials_missing_server_is_a_clear_error(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.delenv("DHIS2_URL", raising=False)
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases_with_shipped(tmp_path)))
    assert import_main(["dhis2"]) == 1
    assert "NOT IMPORTED: no server given: set DHIS2_URL" in capsys.readouterr().err


def test_dhis2_levels_given_by_uid_are_resolved_for_the_organisation_unit_query(
    samples: Path, areas, tmp_path: Path
) -> None:
    """`LEVEL-<uid>` is valid analytics syntax; the org-unit filter needs the level number."""
    levels = samples / "organisationUnits" / "filledOrganisationUnitLevels.body.json"
    routes = {
        "/api/filledOrganisationUnitLevels": _reply(levels),
        "/api/organisationUnits": Reply(
            200, b'{"pager": {"pageCount": 1}, "organisationUnits": []}'
        ),
    }
    with FakeDHIS2(routes) as fake:
        client = _client(fake.url)
        assert client.level_numbers(["wjP19dkFeIk", 4]) == [2, 4]
        client.org_units(["tTUf91fCytl"])
        with pytest.raises(dhis2.DHIS2Error, match="no organisation unit level nope"):
            client.level_numbers(["nope"])
    unit_query = [r for r in fake.requests if r.path == "/api/organisationUnits"][0]
    assert dict(unit_query.params)["filter"] == "level:in:[3]"
    assert dhis2.analytics_params(["x"], ["qpXLDdXT3po"], ["2024"])[1] == (
        "dimension",
        "ou:LEVEL-qpXLDdXT3po",
    )


# ---------------------------------------------------------------- the row limit


def _dengue_by_latest_week(tmp_path: Path) -> Path:
    """Test-only mapping: both recorded Lao series, the weekly one read as a stock
    (latest_in_year), so that a year's value depends on periods asked in different requests."""
    mapping = tmp_path / "mapping.csv"
    text = dhis2.MAPPING_FILE.read_text(encoding="utf-8")
    mapping.write_text(
        text.replace(
            "DHIS2_IDS_DENGUE_SUSPECTED,administrative,year,", "DENGUE,estimate,latest_in_year,"
        ),
        encoding="utf-8",
    )
    return mapping


def _lao_recordings(samples: Path) -> list[dict]:
    return [
        json.loads((samples / "lao-hmis" / name).read_text(encoding="utf-8"))
        for name in ("population_Laos.json", "dhis_response.json")
    ]


def _comparable(result) -> tuple:
    """What an import yields, without where each value was read (the query URLs differ)."""
    rows = sorted(tuple(v for k, v in o.items() if k != "provenance") for o in result.observations)
    rejected = sorted((r.reason, r.value) for r in result.rejected)
    return rows, rejected, result.read


def test_dhis2_requests_are_split_under_the_row_limit_and_merge_to_the_unsplit_result(
    samples: Path, areas, tmp_path: Path
) -> None:
    recordings = _lao_recordings(samples)
    periods = ["20240417", *recordings[1]["metaData"]["dimensions"]["pe"]]  # 1 + 52 periods
    mapping = _dengue_by_latest_week(tmp_path)

    def run(row_limit: int):
        routes = {**EIGHTEEN_UNITS, "/api/analytics": AnalyticsReplay(recordings)}
        with FakeDHIS2(routes) as fake:
            result = dhis2.import_dhis2(
                _client(fake.url),
                areas,
                levels=[2],
                periods=periods,
                mapping_file=mapping,
                row_limit=row_limit,
            )
        return result, [r for r in fake.requests if r.path == "/api/analytics"]

    whole, (one,) = run(dhis2.DEFAULT_ROW_LIMIT)  # 2 × 18 × 53 = 1,908 rows at most: one request
    assert whole.read == 18 + 707
    split, requests = run(100)  # 100 // 18 = 5 cells (dx × pe) per request
    assert len(requests) == 2 * 11  # each data item alone, periods in 11 groups of at most 5
    asked = []
    for request in requests:
        dims = dict(v.split(":", 1) for k, v in request.params if k == "dimension")
        dx, pe = dims["dx"].split(";"), dims["pe"].split(";")
        assert len(dx) * 18 * len(pe) <= 100
        asked += [(d, p) for d in dx for p in pe]
    assert sorted(asked) == sorted((d, p) for d in ("DkmMEcubiPv", "wryMP8p8k1C") for p in periods)
    assert _comparable(split) == _comparable(whole)
    dengue = {
        (o["area_code"], o["year"]): o for o in split.observations if o["indicator_id"] == "DENGUE"
    }
    assert len(dengue) == 36  # 18 provinces × 2023, 2024: the latest week of each year kept
    assert "pe 2024W15" in dengue[("LA01", "2024")]["provenance"]
    assert any("analytics split into 22 requests" in n for n in split.notices)
    source = split.sources["dhis2_wrymp8p8k1c"]
    assert (
        "?dimension=dx:wryMP8p8k1C&dimension=ou:LEVEL-2&dimension=pe:20240417;2023W16;"
        in (
            source["url"]  # cited: the first request for the series; provenance lists all of them
        )
    )
    assert "11 requests: " in source["provenance"]


@pytest.mark.parametrize("truncate", [False, True], ids=["refused-E7128", "cut-short"])
def test_dhis2_server_with_a_lower_row_limit_gets_smaller_requests(
    samples: Path, areas, tmp_path: Path, truncate: bool
) -> None:
    """Our limit is 50,000, the server's 40: it refuses (409 E7128) or cuts short (rows fewer
    than `height`) every larger answer; the importer halves the request until it fits."""
    recordings = _lao_recordings(samples)
    periods = ["20240417", *recordings[1]["metaData"]["dimensions"]["pe"]]
    mapping = _dengue_by_latest_week(tmp_path)
    replay = AnalyticsReplay(recordings, max_rows=40, truncate=truncate)
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": replay}) as fake:
        result = dhis2.import_dhis2(
            _client(fake.url), areas, levels=[2], periods=periods, mapping_file=mapping
        )
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": AnalyticsReplay(recordings)}) as fake:
        whole = dhis2.import_dhis2(
            _client(fake.url), areas, levels=[2], periods=periods, mapping_file=mapping
        )
    assert _comparable(result) == _comparable(whole)
    assert any("the server's row limit is lower" in n for n in result.notices)

    tiny = AnalyticsReplay(recordings, max_rows=10, truncate=truncate)  # < 18 units
    refused = pytest.raises(dhis2.DHIS2Error, match="one data item and one period already exceed")
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": tiny}) as fake, refused:
        dhis2.import_dhis2(
            _client(fake.url), areas, levels=[2], periods=periods, mapping_file=mapping
        )


def test_dhis2_request_plan_keeps_every_request_under_the_limit() -> None:
    plan = dhis2.request_plan(["a", "b", "c"], [str(y) for y in range(2015, 2025)], 166, 1000)
    assert plan[0] == (["a"], ["2015", "2016", "2017", "2018", "2019", "2020"])
    assert all(len(dx) * 166 * len(pe) <= 1000 for dx, pe in plan)
    assert len(plan) == 3 * 2
    assert dhis2.request_plan(["a", "b"], ["2024"], 18, 50_000) == [(["a", "b"], ["2024"])]
    with pytest.raises(dhis2.DHIS2Error, match="166 organisation units exceed the row limit"):
        dhis2.request_plan(["a"], ["2024"], 166, 100)
