"""A page cache for anonymous visitors, cleared the moment an editor changes content.

Public pages are the same for every visitor who is not logged in, so the rendered response
is kept and served again without touching the database or the templates. The rules:

- Only GET requests without a session or messages cookie (never staff, never someone
  just logged out with a pending message), never under /admin/ or /healthz, and only
  200 responses without Set-Cookie whose Cache-Control does not say private/no-cache/no-store.
  A page that renders a CSRF token sets the CSRF cookie, so it is never kept: a cached page
  cannot hand one visitor's token to another.
- The key is the full URL (scheme, host, path, query string) plus the htmx headers
  HX-Request and HX-History-Restore-Request, so an htmx fragment and the full page at the
  same URL are kept apart, as their views' `Vary` headers ask.
- Every entry remembers the cache "generation" it was rendered under. Saving or deleting any
  model of the content apps (and any change to their many-to-many links, and any admin
  POST, since admin actions may use QuerySet.update(), which sends no signal) starts a new
  generation after the transaction commits, and entries of an older generation are never
  served. The generation lives where every app server sees it: in the cache itself when
  that is shared (Redis), else in a small stamp file that all worker processes on this
  machine read (the local-memory cache is per process).
- A page is also kept gzipped, compressed once when stored: a hit then costs no
  compression (the GZip middleware leaves an encoded response alone), and the response that
  stored it is sent from that copy too rather than compressed a second time (a search asked
  for once, such as each letter typed into the foods search, cost two compressions, about a
  twentieth of its time). Cached pages are public and hold no secret (the public pages' CSP
  has no nonce), so one compressed copy, without the GZip middleware's random padding, gives
  BREACH nothing to find.
- Pages also expire after PAGE_CACHE_SECONDS, which bounds how late a scheduled article
  appears on the lists.

DJANGO_PAGE_CACHE=false turns it off (`make bench BENCH_ARGS=--no-cache` does).
"""

import functools
import hashlib
import logging
import os
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.http import split_directive_names
from django.utils.text import compress_string

logger = logging.getLogger(__name__)

# Request headers that select a different rendering of the same URL.
KEY_HEADERS = ("HX-Request", "HX-History-Restore-Request")
# A response that varies on anything else is not kept: the key could not tell the variants apart.
# (Cookie is fine: only requests without a session cookie are served or stored.)
ALLOWED_VARY = {"cookie", "hx-request", "hx-history-restore-request"}
EXCLUDED_PREFIXES = ("/admin/", "/healthz")
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
MESSAGES_COOKIE = "messages"
GENERATION_KEY = "page-cache:generation"
CACHE_ALIAS = "default"
MAX_ENTRY_BYTES = 512 * 1024


def page_cache():
    return caches[CACHE_ALIAS]


def cache_is_shared():
    """True when every app server reads the same cache (Redis, Memcached, database...)."""
    return not isinstance(page_cache(), LocMemCache | DummyCache)


def stamp_path():
    return _stamp_path(getattr(settings, "PAGE_CACHE_STAMP", ""), str(settings.BASE_DIR))


@functools.cache
def _stamp_path(configured, base_dir):
    if configured:
        return Path(configured)
    checkout = hashlib.md5(base_dir.encode(), usedforsecurity=False).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"page-cache-{checkout}.stamp"


def new_generation():
    return secrets.token_hex(8)


def bump_generation():
    """Start a new generation: every page cached so far is stale, on every app server.

    Runs after an editor's change is committed, so it must not fail their request: if the
    cache is unreachable it says so in the log (and pages are not served from it either)."""
    try:
        write_generation(new_generation())
    except Exception:
        logger.exception("The page cache could not be cleared; cached pages may be stale.")


def write_generation(generation):
    if cache_is_shared():
        page_cache().set(GENERATION_KEY, generation, timeout=None)
        return
    path = stamp_path()
    # Write beside the stamp, then rename: a reader sees the old or the new value, never half.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{generation}")
    temporary.write_text(generation)
    os.replace(temporary, path)


def read_stamp():
    path = stamp_path()
    try:
        return path.read_text()
    except FileNotFoundError:
        write_generation(new_generation())
        return path.read_text()


def lookup(key):
    """The current generation and the entry stored under key (or None)."""
    if not cache_is_shared():
        return read_stamp(), page_cache().get(key)
    cache = page_cache()
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # First use, or Redis evicted it: start one (add, so concurrent servers agree on it).
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        return cache.get(GENERATION_KEY), None
    return generation, found.get(key)


def bump_after_commit(**kwargs):
    # After the commit: a page rendered before it must not be stored under the new generation.
    transaction.on_commit(bump_generation)


def content_changed(sender, **kwargs):
    if sender._meta.app_label in settings.CONTENT_APPS or getattr(sender, "clears_page_cache", False):
        bump_after_commit()


def m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed(sender)


def request_key(request):
    # build_absolute_uri() validates the Host header against ALLOWED_HOSTS, as CommonMiddleware
    # would have, and keeps pages for different host names apart.
    parts = [request.build_absolute_uri()]
    parts += [request.headers.get(name, "") for name in KEY_HEADERS]
    digest = hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"page-cache:page:{digest}"


def request_is_cacheable(request):
    # GET only: HEAD goes to the views (require_safe), which answer it like GET without a body.
    if request.method != "GET" or not settings.PAGE_CACHE:
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies or "authorization" in request.headers:
        return False
    # Inside an open transaction (only ever in tests, which roll back) the data may vanish.
    return not connection.in_atomic_block


def response_is_cacheable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_ENTRY_BYTES:
        return False  # a huge page is rare and would crowd out the rest
    if UNCACHEABLE_DIRECTIVES & set(split_directive_names(response.get("Cache-Control", ""))):
        return False
    vary = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    return vary <= ALLOWED_VARY


def admin_change(request, response):
    """A successful write in the admin by a staff member: the only kind that may clear pages.
    (A stranger's POST to /admin/login/ must not empty everyone's cache.)"""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.path.startswith("/admin/"):
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff) and response.status_code < 400


class PageCacheMiddleware:
    """Serve and store pages for anonymous visitors. Sits before the session middleware so a
    hit costs no session, authentication, CSRF or database work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            response = self.get_response(request)
            if admin_change(request, response):
                bump_after_commit()
            return response

        if time.monotonic() < self.down_until:
            return self.get_response(request)  # the cache failed a moment ago: not tried again yet
        key = request_key(request)
        try:
            generation, entry = lookup(key)
        except Exception:
            # An unreachable cache (Redis down, stamp folder unwritable) costs speed, not pages.
            self.went_down(f"rendering {request.path}")
            return self.get_response(request)
        if entry is not None and entry["generation"] == generation:
            return self.replay(request, entry)

        response = self.get_response(request)
        if response_is_cacheable(request, response):
            try:
                entry = self.store(key, generation, response)
            except Exception:
                self.went_down(f"{request.path} not stored")
            else:
                if self.accepts_gzip(request, entry):
                    self.send_gzipped(response, entry)
        return response

    # While the cache is down, each request would wait for it to fail (up to the Redis socket timeout,
    # 0.5 s, when Redis hangs) and log a traceback: after a failure it is left alone for this long.
    RETRY_SECONDS = 5
    down_until = 0.0

    def went_down(self, what):
        logger.warning(
            "Page cache unavailable; %s. Pages render without it for %s s before it is tried again.",
            what,
            self.RETRY_SECONDS,
            exc_info=True,
        )
        self.down_until = time.monotonic() + self.RETRY_SECONDS

    def store(self, key, generation, response):
        if not response.has_header("ETag"):
            # Weak: the same tag for the plain and the gzipped copy.
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'W/"{digest}"'
        entry = {
            "generation": generation,
            "status": response.status_code,
            "headers": list(response.items()),
            "content": response.content,
            # Compressed once here rather than on every hit; not when the GZip middleware
            # would not compress it (under 200 bytes).
            "gzip": compress_string(response.content) if len(response.content) >= 200 else None,
        }
        page_cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        return entry

    def replay(self, request, entry):
        if self.accepts_gzip(request, entry):
            return self.send_gzipped(self.build(entry, entry["gzip"], entry["headers"]), entry)
        return self.build(entry, entry["content"], entry["headers"])

    @staticmethod
    def accepts_gzip(request, entry):
        return entry.get("gzip") and re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))

    @staticmethod
    def send_gzipped(response, entry):
        """`response` with the entry's gzipped copy as its body, headers as the GZip middleware writes them
        (its ETag is already weak: store())."""
        response.content = entry["gzip"]
        response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ["Accept-Encoding"])
        response["Content-Length"] = str(len(entry["gzip"]))
        return response

    @staticmethod
    def build(entry, content, headers):
        response = HttpResponse(content, status=entry["status"])
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
