"""Test settings: production settings with only what tests need changed."""

import os

# Tests run the production code path (debug off), with a throwaway key.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from site_project.settings import *  # noqa: E402, F403

# No collectstatic before tests: plain storage, served by the live server's static handler.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
SECURE_SSL_REDIRECT = False
# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# WhiteNoise: look files up lazily instead of scanning a STATIC_ROOT that tests never build.
WHITENOISE_AUTOREFRESH = True

# `make test` runs pytest-xdist workers: with REDIS_URL set, each gets its own Redis database,
# since a test that clears the cache (FLUSHDB) must not empty another worker's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit

    CACHES["default"]["LOCATION"] = urlsplit(REDIS_URL)._replace(path=f"/{int(_worker[2:]) + 1}").geturl()  # noqa: F405
