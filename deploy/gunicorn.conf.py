"""gunicorn settings for one dashboard instance (`gunicorn -c deploy/gunicorn.conf.py app:server`).

Every value is an environment variable with a default. Instances keep nothing but a small runtime
folder of their own (NSPS_RUNTIME_DIR, a fresh temporary folder unless set): the newest release
its workers have served, so that no worker goes back to an older one, and gunicorn's control
socket, so that several instances on one machine never share (or remove) each other's socket.
Scaling out is running more of them behind a proxy (deploy/nginx.conf).
"""

import os
import shutil
import tempfile

from gunicorn import util

from callbacks.security import write_server_error

bind = f"{os.environ.get('NSPS_BIND', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let one worker serve readers whose connections stay open (keep-alive, slow clients)
# while the callbacks, which are short and CPU-bound, run in turn.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# Load the release once in the master; workers share it copy-on-write, and a worker that dies
# is replaced by a fork that needs no loading (it catches up with a newer release before its
# first request: post_worker_init below).
preload_app = True
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that slow growth of memory never builds up.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("NSPS_ACCESS_LOG", "-") or None
errorlog = "-"
# Behind nginx on the same machine: trust its X-Forwarded-* headers only from loopback.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Requests gunicorn refuses before Flask sees them (a request line over 4094 bytes: 414, header
# fields too large or too many: 431, unparsable: 400) get the site's security headers too.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
util.write_error = write_server_error

# The instance's own runtime folder; the config is read again on SIGHUP, which keeps it.
_created_runtime = not os.environ.get("NSPS_RUNTIME_DIR")
if _created_runtime:
    os.environ["NSPS_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="nsps-instance-")
# One control socket per instance (gunicorn's default is one per user, shared by every
# instance); NSPS_CONTROL_SOCKET=off runs without one.
_control = os.environ.get("NSPS_CONTROL_SOCKET", "")
control_socket_disable = _control == "off"
control_socket = _control or os.path.join(os.environ["NSPS_RUNTIME_DIR"], "gunicorn.ctl")


def post_worker_init(worker):
    """A new worker (after max_requests, a crash or SIGHUP) forks with the master's start-up
    release: switch to the newest one its instance has served before the first request."""
    store = getattr(worker.wsgi, "config", {}).get("NSPS_STORE")
    if store is not None:
        store.catch_up()


def on_exit(server):
    if _created_runtime:
        shutil.rmtree(os.environ["NSPS_RUNTIME_DIR"], ignore_errors=True)
