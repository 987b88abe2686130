"""The image worker starts Chromium as one process, and the usual way if that fails to start."""

from __future__ import annotations

import io
import json

import pytest
from choreographer.browsers.chromium import Chromium
from choreographer.errors import BrowserFailedError

from dashboard import image_worker

JOB = {"figure": {"data": []}, "opts": {"format": "svg"}, "topojson": "", "browser": "/bin/true"}


def _base_cli(_self: object) -> list[str]:
    return ["chromium", "--headless"]


def _run(monkeypatch: pytest.MonkeyPatch, fail_first: bool) -> tuple[list[list[str]], bytes]:
    seen: list[list[str]] = []

    def calc(figure, opts, topojson, kopts):
        seen.append(Chromium.get_cli(None))
        if fail_first and len(seen) == 1:
            raise BrowserFailedError("closed immediately")
        return b"<svg/>"

    out = io.BytesIO()
    monkeypatch.setattr(Chromium, "get_cli", _base_cli)  # choreographer's own flags, stubbed
    monkeypatch.setattr(image_worker.kaleido, "calc_fig_sync", calc)
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(JOB)))
    monkeypatch.setattr("sys.stdout", type("Out", (), {"buffer": out})())
    image_worker.main()
    return seen, out.getvalue()


def test_image_worker_starts_chromium_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    seen, data = _run(monkeypatch, fail_first=False)
    assert data == b"<svg/>" and len(seen) == 1
    assert seen[0][:2] == ["chromium", "--headless"]  # choreographer's flags, then ours
    assert {"--single-process", "--no-zygote"} <= set(seen[0][2:])
    assert Chromium.get_cli(None) == ["chromium", "--headless"]  # its method is restored


def test_image_worker_falls_back_to_the_usual_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    seen, data = _run(monkeypatch, fail_first=True)
    assert data == b"<svg/>" and len(seen) == 2
    assert "--single-process" in seen[0] and "--single-process" not in seen[1]
