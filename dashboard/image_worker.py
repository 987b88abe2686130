"""Child process of `dashboard.images.Renderer`: one figure in (JSON on stdin), image bytes out.

Kept apart so that the server never shares a process with a browser it cannot time out.
"""

from __future__ import annotations

import json
import os
import sys

import kaleido


def main() -> None:
    job = json.load(sys.stdin)
    os.environ["BROWSER_PATH"] = job["browser"]  # choreographer: use this Chromium, never fetch one
    data = kaleido.calc_fig_sync(
        job["figure"], opts=job["opts"], topojson=job["topojson"], kopts={"path": job["browser"]}
    )
    sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main()
