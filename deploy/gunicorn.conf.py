"""Gunicorn settings for Simpul's web process (the container image and the systemd unit).

Read from the environment (the same env file as Simpul's settings):
  SIMPUL_BIND          address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 in the image)
  SIMPUL_WEB_WORKERS   worker processes (default 2 x cores + 1)
  SIMPUL_WEB_TIMEOUT   seconds before a stuck request's worker is replaced (default 60)

No access log: Simpul writes one JSON line per request itself (method, path without its query
string, status, duration; see docs/operations.md), so no URL query can leak into a log file.
"""

import multiprocessing
import os

wsgi_app = "simpul.wsgi:application"
bind = os.environ.get("SIMPUL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SIMPUL_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("SIMPUL_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by large exports and imports).
max_requests = 2000
max_requests_jitter = 200
accesslog = None
errorlog = "-"
loglevel = "info"
# The reverse proxy in front is the only client; its X-Forwarded-* headers are read by Django
# (SIMPUL_TRUSTED_PROXIES), not by gunicorn.
forwarded_allow_ips = ""
proxy_allow_ips = ""
