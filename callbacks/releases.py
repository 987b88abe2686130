"""Release switching on the request path: each worker notices a newly published release.

Before every request a worker first catches up with the newest release its instance has served
(so a replacement worker never goes back in time), then the store looks (at most every
NSPS_RELEASE_CHECK_SECONDS) for a newer release and checks it in the background; the request
itself is fixed to the release being served when it starts, so no response mixes two releases.
"""

from __future__ import annotations

from flask import Flask, g

from dashboard.store import Store


def register(server: Flask, store: Store) -> None:
    @server.before_request
    def serve_one_release_per_request() -> None:
        store.catch_up()  # never older than a release another worker has served
        store.refresh_if_new()
        g.nsps_release_token = store.begin_request()

    @server.teardown_request
    def end_release_of_request(_error: BaseException | None) -> None:
        token = g.pop("nsps_release_token", None)
        if token is not None:
            store.end_request(token)
