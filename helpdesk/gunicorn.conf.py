"""Gunicorn settings of the PSO helpdesk (``gunicorn --config helpdesk/gunicorn.conf.py``).

Each value can be set from the environment, so one file serves a laptop and production.
"""

import multiprocessing
import os

wsgi_app = "helpdesk.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Requests are short and mostly wait on the database: a few processes per core.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so a slow leak never grows into an outage.
max_requests = 1000
max_requests_jitter = 100
# Only trust X-Forwarded-* from the reverse proxy in front of us.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# gunicorn 27's control socket sits at one path per user, so a second instance on
# the same machine (a demo beside production, two checkouts) would take it over.
control_socket_disable = True
