"""Child process of `dashboard.images.Renderer`: one figure in (JSON on stdin), image bytes out.

Kept apart so that the server never shares a process with a browser it cannot time out.

Chromium runs as one process (`LEAN_FLAGS`): kaleido renders one figure per job in one tab, so
Chromium's usual split (browser, two zygotes, GPU, network and storage utilities, three
renderers, each mapping the same 200 MB binary) only multiplies what a render costs. On a
district slide image the child processes peaked at 1,173 MB RSS summed (455 MB PSS) split, and
at 530 MB (320–420 MB PSS) as one process, with byte-identical PNGs (bench/README.md, image
flood). The job is a figure from our own view models in a browser that loads nothing from the
network, so the isolation those processes give buys nothing here.
"""

from __future__ import annotations

import json
import os
import sys

import kaleido
from choreographer.browsers.chromium import Chromium
from choreographer.errors import BrowserFailedError

#: Appended to the flags choreographer starts Chromium with (it has no option for more).
LEAN_FLAGS = ("--single-process", "--no-zygote", "--renderer-process-limit=1")


def _render(job: dict, flags: tuple[str, ...]) -> bytes:
    base = Chromium.get_cli
    Chromium.get_cli = lambda self: [*base(self), *flags]
    try:
        return kaleido.calc_fig_sync(
            job["figure"],
            opts=job["opts"],
            topojson=job["topojson"],
            kopts={"path": job["browser"]},
        )
    finally:
        Chromium.get_cli = base


def main() -> None:
    job = json.load(sys.stdin)
    os.environ["BROWSER_PATH"] = job["browser"]  # choreographer: use this Chromium, never fetch one
    try:
        data = _render(job, LEAN_FLAGS)
    except BrowserFailedError:  # once seen on a machine under heavy load: try the usual way
        data = _render(job, ())
    sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main()
