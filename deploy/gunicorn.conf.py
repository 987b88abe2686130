"""gunicorn settings for one dashboard instance (`gunicorn -c deploy/gunicorn.conf.py app:server`).

Every value is an environment variable with a default. Instances are stateless (the release is
read from disk at start-up, nothing is written), so scaling out is running more of them behind
a proxy (deploy/nginx.conf).
"""

import os

bind = f"{os.environ.get('NSPS_BIND', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let one worker serve readers whose connections stay open (keep-alive, slow clients)
# while the callbacks, which are short and CPU-bound, run in turn.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# Load the release once in the master; workers share it copy-on-write, and a worker that dies
# is replaced by a fork that needs no loading.
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
