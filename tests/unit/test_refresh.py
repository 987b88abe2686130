"""scripts/refresh: configured imports → one validated release, only when something changed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from dhis2_server import EIGHTEEN_UNITS, FakeDHIS2, Reply
from importer_samples import formats_dir, releases_with_shipped
from shipped import SHIPPED_ID

from dashboard.importers.refresh import ConfigError, main, read_config
from dashboard.loading import read_release, release_ids
from dashboard.queries import Dataset, observations_view


@pytest.fixture
def env(tmp_path: Path, monkeypatch) -> Path:
    releases = releases_with_shipped(tmp_path)
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    monkeypatch.delenv("NSPS_RELEASE", raising=False)
    monkeypatch.setenv("DHIS2_TOKEN", "d2pat_refresh_token")
    return releases


def _config(tmp_path: Path, dhis2_url: str, *, opensdg_indicators: str = "[LSB_SDG_1_2_1]") -> Path:
    samples = formats_dir()
    path = tmp_path / "channels.yaml"
    path.write_text(
        f"""channels:
  - channel: dhis2
    enabled: true
    url: {dhis2_url}
    levels: [2]
    years_back: 3
    retries: 0
    indicators: [DHIS2_GEN_POPULATION]
  - channel: opensdg
    enabled: true
    path: {samples / "open-sdg"}
    indicators: {opensdg_indicators}
  - channel: sdmx
    enabled: false
    paths: []
    indicators: [ILO_UNEMPLOYMENT_RATE]
""",
        encoding="utf-8",
    )
    return path


def _population() -> Reply:
    return Reply(200, (formats_dir() / "dhis2" / "lao-hmis" / "population_Laos.json").read_bytes())


def test_refresh_publishes_the_configured_channels_once_then_nothing_changes(
    env: Path, tmp_path: Path, capsys
) -> None:
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": _population()}) as fake:
        config = _config(tmp_path, fake.url)
        assert main(["--config", str(config), "--id", "2099-01-01"]) == 0
        captured = capsys.readouterr()
        assert "1/2 dhis2: importing" in captured.err and "2/2 opensdg: importing" in captured.err
        out = captured.out
        assert f"against {SHIPPED_ID}: 40 added, 0 revised, 0 removed" in out
        assert "indicator not configured for this channel (channels.yaml)" in out  # 8-5-2, 3-8-2
        assert release_ids(env) == [SHIPPED_ID, "2099-01-01"]
        ds = Dataset.from_release(read_release(env / "2099-01-01"))
        assert len(observations_view(ds, "DHIS2_GEN_POPULATION", level="province", year=2024)) == 18
        assert len(observations_view(ds, "LSB_SDG_1_2_1", totals_only=False)) == 22
        assert not ds.has_indicator("LSB_SDG_8_5_2")
        assert ds.release.meta["title"].startswith("Automatic refresh ")

        # The next day's run finds the same values: nothing is published.
        assert main(["--config", str(config), "--id", "2099-01-02"]) == 0
    assert "nothing changed: no release published" in capsys.readouterr().out
    assert release_ids(env) == [SHIPPED_ID, "2099-01-01"]


def test_refresh_a_failing_channel_keeps_its_published_values(
    env: Path, tmp_path: Path, capsys
) -> None:
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": _population()}) as fake:
        config = _config(tmp_path, fake.url)
        assert main(["--config", str(config), "--id", "2099-01-01"]) == 0
    capsys.readouterr()
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": Reply(500, b"down")}) as fake:
        config = _config(tmp_path, fake.url, opensdg_indicators="[LSB_SDG_1_2_1, LSB_SDG_8_5_2]")
        assert main(["--config", str(config), "--id", "2099-01-02"]) == 1
    captured = capsys.readouterr()
    assert "dhis2 FAILED, its values stay as in the live release" in captured.out
    assert "HTTP 500 from the server" in captured.err
    assert release_ids(env)[-1] == "2099-01-02"
    ds = Dataset.from_release(read_release(env / "2099-01-02"))
    assert len(observations_view(ds, "DHIS2_GEN_POPULATION", level="province", year=2024)) == 18
    assert ds.release.meta["changes"] == {"added": 10, "revised": 0, "removed": 0}


def test_refresh_result_that_fails_validation_publishes_nothing(
    env: Path, tmp_path: Path, capsys
) -> None:
    mapping = tmp_path / "mapping.csv"
    source = Path(__file__).resolve().parents[2] / "data" / "channels" / "dhis2_mapping.csv"
    mapping.write_text(
        source.read_text(encoding="utf-8").replace(
            ",count,none,0,Population", ",percent,none,0,Population"
        ),
        encoding="utf-8",
    )
    with FakeDHIS2({**EIGHTEEN_UNITS, "/api/analytics": _population()}) as fake:
        config = _config(tmp_path, fake.url)
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "    levels: [2]\n", f"    levels: [2]\n    mapping: {mapping}\n"
            ),
            encoding="utf-8",
        )
        assert main(["--config", str(config), "--id", "2099-01-01"]) == 1
    out = capsys.readouterr().out
    assert "NOT PUBLISHED: 18 problem(s)" in out
    assert "out of range for unit kind 'percent'" in out
    assert release_ids(env) == [SHIPPED_ID]


def test_refresh_config_names_each_indicator_once(tmp_path: Path) -> None:
    path = tmp_path / "channels.yaml"
    path.write_text(
        "channels:\n"
        "  - {channel: opensdg, enabled: true, path: x, indicators: [A, B]}\n"
        "  - {channel: sdmx, enabled: false, paths: [], indicators: [B]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="entry 2: B is already supplied by opensdg"):
        read_config(path)
    path.write_text("channels:\n  - {channel: ftp, enabled: true}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="channel must be one of dhis2, opensdg, sdmx"):
        read_config(path)


def test_refresh_shipped_config_is_valid_and_runs_nothing_until_enabled(capsys) -> None:
    assert read_config() == []
    assert [c.channel for c in read_config(enabled_only=False)] == ["dhis2", "opensdg", "sdmx"]
    assert main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("no channel enabled in ")
    assert out[0].endswith("channels.yaml: nothing imported, nothing published")
    assert out[1:4] == [
        "  dhis2: off (would supply DHIS2_GEN_POPULATION)",
        "  opensdg: off (would supply LSB_SDG_1_2_1, LSB_SDG_8_5_2, LSB_SDG_3_8_2_OOP)",
        "  sdmx: off (would supply no indicator yet)",
    ]
    assert "What a ministry supplies" in out[4]


def test_import_template_and_refresh_commands_run_from_the_shell(env: Path, tmp_path: Path) -> None:
    """The bash wrappers (setup, PYTHONPATH, module) as an operator or a timer runs them."""
    root = Path(__file__).resolve().parents[2]
    run_env = {**os.environ, "NSPS_DATA_DIR": str(env)}
    sample = formats_dir() / "open-sdg" / "en" / "data" / "8-5-2.csv"
    commands = [
        (
            ["bash", "scripts/import", "opensdg", str(sample), "--dry-run"],
            "would change: 10 values added",
        ),
        (["bash", "scripts/template", "--out", str(tmp_path / "t.xlsx")], "template written to"),
        (["bash", "scripts/refresh", "--dry-run"], "no channel enabled"),
    ]
    for command, expected in commands:
        done = subprocess.run(command, cwd=root, env=run_env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout
    assert (tmp_path / "t.xlsx").is_file()
    assert release_ids(env) == [SHIPPED_ID]
