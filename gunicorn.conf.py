"""Gunicorn settings for production: `make serve`, or `gunicorn -c gunicorn.conf.py` directly.

Command-line flags and GUNICORN_CMD_ARGS override anything here (the bench passes
--workers 2 and its own --bind). Run it behind a reverse proxy that terminates TLS and
buffers slow clients (see README.md, "Production and benchmarks").
"""

import gc
import os

wsgi_app = "site_project.wsgi:application"

# Loopback only: the reverse proxy on this machine is the only client.
bind = f"127.0.0.1:{os.environ.get('PORT') or '8000'}"

# Sync workers: one request at a time per process. Pages are CPU-bound template rendering,
# and sync workers gave the best tail latency on these 2-core machines; the proxy
# buffers slow clients so a worker is never held up by one. Gunicorn's own advice for the
# count is (2 x cores) + 1; WEB_CONCURRENCY sets it.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)

# Load Django once in the master: a settings error (a missing DJANGO_SECRET_KEY) stops the
# server at once with one message instead of every worker failing in a loop, and the workers
# share the loaded code's memory.
preload_app = True


def pre_fork(server, worker):
    """Move everything loaded so far (Django, the apps, their modules) out of the garbage collector's
    reach before a worker is forked, as Python's gc.freeze() documentation advises: it is never freed
    anyway, and a worker's full collection then scans the objects it made itself rather than about
    86,000 more. Full collections took about 31 ms each (a request queued behind one waits that much
    longer: the typing bench's p99), 3.5 ms frozen; the workers also keep sharing those pages."""
    gc.freeze()


timeout = 30
graceful_timeout = 20
keepalive = 5

# The worker heartbeat file on tmpfs, so a slow disk never makes the master kill a worker.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Errors and startup to stderr. No access log by default (the reverse proxy keeps one);
# GUNICORN_CMD_ARGS="--access-logfile -" turns it on.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "magnesium-site"

# Gunicorn 27's control socket (for `gunicornc`) defaults to one path per user, which two
# servers on one machine (say `make serve` and `make bench`) would fight over. Signals
# (HUP, TERM, TTIN/TTOU) do the same jobs.
control_socket_disable = True
