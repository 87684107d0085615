"""What outside scanners found (issue 18): health checks over plain http, one log line per
bad Host header, and a Permissions-Policy header everywhere."""

import io
import logging
import logging.config
from contextlib import redirect_stderr

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from site_project import cache as page_cache

pytestmark = pytest.mark.django_db

TURNED_OFF = ["camera", "microphone", "geolocation", "payment", "usb"]


def test_healthz_answers_plain_http_while_pages_redirect_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True  # as production has it (tests turn it off)
    client = Client()  # SecurityMiddleware reads its settings when the handler is built
    health = client.get("/healthz")
    assert health.status_code == 200
    assert client.get("/healthz", secure=True).status_code == 200
    page = client.get("/articles/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/articles/"
    # Only /healthz itself: a look-alike path is redirected too.
    assert client.get("/healthz/x").status_code == 301


def test_a_bad_host_header_is_logged_on_one_line_without_traceback():
    stderr = io.StringIO()
    try:
        with redirect_stderr(stderr):
            logging.config.dictConfig(django_settings.LOGGING)  # the real config, writing to our stderr
            response = Client(HTTP_HOST="evil.example").get("/")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert response.status_code == 400
    lines = stderr.getvalue().splitlines()
    assert lines == [
        "ERROR django.security.DisallowedHost: Invalid HTTP_HOST header: 'evil.example'. "
        "You may need to add 'evil.example' to ALLOWED_HOSTS."
    ]


def test_other_errors_still_log_their_traceback():
    """The one-line format is for DisallowedHost only: a real error keeps its traceback."""
    stderr = io.StringIO()
    try:
        with redirect_stderr(stderr):
            logging.config.dictConfig(django_settings.LOGGING)
            try:
                raise ValueError("boom")
            except ValueError:
                logging.getLogger("django.request").exception("Internal Server Error: /x")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert "Traceback (most recent call last)" in stderr.getvalue()


def assert_permissions_policy(response):
    policy = response["Permissions-Policy"]
    for feature in TURNED_OFF:
        assert f"{feature}=()" in policy.split(", "), feature


def test_permissions_policy_on_pages_fragments_404_and_admin(client, staff_client):
    call_command("seed_content", verbosity=0, stdout=io.StringIO())
    for url in ["/", "/foods/", "/supplements/", "/articles/", "/no-such-page/", "/healthz", "/admin/login/"]:
        assert_permissions_policy(Client().get(url))
    fragment = client.get("/foods/?group=nuts", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert_permissions_policy(fragment)
    admin_page = staff_client.get("/admin/supplements/foodentry/")
    assert admin_page.status_code == 200
    assert_permissions_policy(admin_page)


@pytest.mark.django_db(transaction=True)
def test_permissions_policy_on_a_page_served_from_the_page_cache(settings, tmp_path):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_STAMP = str(tmp_path / "page-cache.stamp")
    page_cache.page_cache().clear()
    page_cache.bump_generation()
    client = Client()
    client.get("/supplements/")
    hit = client.get("/supplements/")
    assert hit.get("X-Page-Cache") == "hit"
    assert_permissions_policy(hit)
