"""The site's frame: home, health check, error pages, settings safety, seed and admin commands."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from supplements.models import FoodEntry
from tests.factories import seed_data

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_home_page_has_frame_navigation_and_disclaimer(client):
    response = client.get("/")
    html = response.text
    assert response.status_code == 200
    assert 'href="#main"' in html and "Skip to main content" in html
    for label in ("Articles", "Foods", "Supplements"):
        assert f">{label}</a>" in html
    assert "not medical advice" in html
    assert "Talk to a doctor or pharmacist before you start a supplement" in html
    assert 'href="/sources/"' in html
    # htmx is served from this site, configured so a history restore never gets a fragment.
    assert 'src="/static/js/htmx.min.js"' in html
    assert '"historyRestoreAsHxRequest": false' in html


@pytest.mark.django_db
def test_home_explore_has_a_card_for_every_section_evidence_included(client):
    """A reader who lands on home finds the evidence pages among the other sections' cards."""
    html = client.get("/").text
    explore = html[html.index('id="explore-heading"') : html.index("</section>", html.index('id="explore-heading"'))]
    cards = re.findall(r'<li class="card">\s*<h3><a href="([^"]+)">([^<]+)</a></h3>', explore)
    assert ("/evidence/", "Evidence by condition") in cards
    assert {href for href, _name in cards} >= {"/foods/", "/supplements/", "/evidence/", "/supplements/low-magnesium/"}


@pytest.mark.django_db
def test_sources_page_names_the_reference_sources(client):
    html = client.get("/sources/").text
    assert "Magnesium Fact Sheet for Health Professionals" in html
    assert "420 mg" in html


@pytest.mark.django_db
def test_unknown_url_gets_the_site_404_page(client):
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'aria-label="Main"' in response.text


def test_server_error_page_uses_the_site_layout(client, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("test failure")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("boom/", boom)]})
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text


def test_vendored_htmx_exists_and_no_template_loads_from_another_host():
    assert (ROOT / "static/js/htmx.min.js").stat().st_size > 10_000
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert 'src="http' not in text and 'href="//' not in text, template


def run_settings(env):
    """Import the settings in a fresh interpreter with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", "import site_project.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_settings({"DJANGO_ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = run_settings({"DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_debug_mode_starts_without_secrets_and_defaults_to_sqlite():
    result = run_settings({"DJANGO_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_switches_to_postgresql():
    result = run_settings({"DJANGO_DEBUG": "true", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/site"})
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_is_configured_for_several_workers():
    from site_project.settings import SQLITE_OPTIONS

    assert "journal_mode=WAL" in SQLITE_OPTIONS["init_command"]
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert SQLITE_OPTIONS["timeout"] >= 5


def test_whitenoise_sits_right_after_security_middleware_and_compresses(settings):
    assert settings.MIDDLEWARE[:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert "django_htmx.middleware.HtmxMiddleware" in settings.MIDDLEWARE
    from site_project import settings as production

    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.django_db
def test_seed_command_is_idempotent_and_keeps_editor_changes():
    call_command("seed_content", stdout=StringIO())
    count = FoodEntry.objects.count()
    assert count == len(seed_data("magnesium_foods.csv"))
    almonds = FoodEntry.objects.get(slug="almonds-dry-roasted")
    almonds.notes = "Edited by an editor"
    almonds.magnesium_mg = 81
    almonds.save()
    spinach = FoodEntry.objects.get(slug="spinach-boiled-drained")
    spinach.delete()

    out = StringIO()
    call_command("seed_content", stdout=out)
    almonds.refresh_from_db()
    assert almonds.notes == "Edited by an editor" and almonds.magnesium_mg == 81
    # A deleted seed item comes back; nothing else is touched.
    assert FoodEntry.objects.count() == count
    assert "Foods: 1 created" in out.getvalue()


@pytest.mark.django_db
def test_ensure_dev_admin_creates_one_superuser_once(django_user_model):
    with override_settings(DEBUG=True):
        out = StringIO()
        call_command("ensure_dev_admin", stdout=out)
        text = out.getvalue()
        assert "username:  admin" in text and "password:" in text and "/admin/" in text
        password = text.split("password:")[1].split()[0]
        assert django_user_model.objects.get(username="admin").check_password(password)

        again = StringIO()
        call_command("ensure_dev_admin", stdout=again)
        assert "password:" not in again.getvalue()
        assert django_user_model.objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_ensure_dev_admin_refuses_outside_debug_mode(django_user_model):
    with pytest.raises(CommandError):
        call_command("ensure_dev_admin", stdout=StringIO())
    assert not django_user_model.objects.exists()


@pytest.mark.django_db
def test_head_requests_are_answered_like_get_for_uptime_and_link_checkers(client, seeded):
    for url in ("/", "/healthz", "/articles/", "/foods/", "/supplements/", "/supplements/safety/", "/sources/"):
        assert client.head(url).status_code == 200, url
    assert client.post("/foods/").status_code == 405


def test_no_public_page_calls_an_amount_safe(client, seeded):
    """The site judges amounts against limits set for healthy people; it never tells a reader an
    amount or a medicine is "safe" (kidney disease, children and pregnancy change the answer)."""
    import re

    from django.utils.html import strip_tags

    pages = [
        "/",
        "/supplements/",
        "/supplements/safety/",
        "/supplements/medicines/",
        "/supplements/calculator/?label=elemental&amount_mg=100&per_day=1",
        "/supplements/calculator/?label=elemental&amount_mg=400&per_day=1",
        "/supplements/calculator/?form=magnesium-glycinate&amount_mg=500&per_day=2&stage=adults-51-70-years-male",
        "/foods/",
        "/sources/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = strip_tags(response.text)
        assert not re.search(r"\bsafe(ly|r|st)?\b", text, re.IGNORECASE), path
