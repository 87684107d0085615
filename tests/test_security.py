"""Production security: `check --deploy` is clean, every page carries the security headers,
cookies are secure, and `make serve` refuses to start without its secrets, saying why."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]

HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def production_env(tmp_path, **extra):
    """The environment of a production server: no DJANGO_* left over from the test run."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return {
        **clean,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }


def test_check_deploy_prints_no_warning_in_production_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper()


def test_check_deploy_does_warn_when_production_is_weakened(tmp_path):
    """The test above can fail: turning off the https redirect is reported."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path, DJANGO_SECURE_SSL_REDIRECT="false"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def assert_security_headers(response):
    for name, value in HEADERS.items():
        assert response[name] == value, name
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_every_security_header_is_on_a_public_page(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    # Nothing from another host, no inline script or style anywhere.
    assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    assert "style-src 'self';" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_has_the_headers_and_only_its_hashed_exceptions(client):
    response = client.get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    policy = response["Content-Security-Policy"]
    assert "style-src 'self';" in policy
    assert "style-src-attr 'unsafe-hashes' 'sha256-" in policy
    # The admin exceptions stay in the admin.
    assert "unsafe-hashes" not in client.get("/", secure=True)["Content-Security-Policy"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/foods/?group=nuts")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/foods/?group=nuts"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_the_session_is_httponly(django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/", secure=True)
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "pw-for-tests", "csrfmiddlewaretoken": token},
        secure=True,
        headers={"Referer": "https://testserver/admin/login/"},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["secure"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is not set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is not set"),
    ],
)
def test_make_serve_without_a_secret_stops_with_a_readable_message(tmp_path, missing, message):
    env = production_env(tmp_path, DJANGO_DEBUG="true")  # serve must force production mode anyway
    del env[missing]
    # The Makefile's own serve recipe, with this test run's Python, run in an empty folder: `-o` tells
    # make the virtualenv is in place (no .venv, no pip), and whatever the recipe would do after a
    # failed check (migrate, collectstatic, gunicorn) could touch nothing in the checkout.
    command = [
        "make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-o", ".venv/.installed", "serve",
        f"PY={sys.executable}",
    ]  # fmt: skip
    env["PYTHONPATH"] = str(ROOT)  # the settings the check reads
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "db.sqlite3").exists(), "nothing may run before the settings are checked"


def test_gunicorn_config_binds_loopback_and_takes_workers_from_web_concurrency():
    env = {**os.environ, "PORT": "8123", "WEB_CONCURRENCY": "3"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    config = {
        name.strip(): value.strip() for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    assert config["bind"] == "['127.0.0.1:8123']"
    assert config["workers"] == "3"
    assert config["worker_class"] == "sync"
    assert config["wsgi_app"] == "site_project.wsgi:application"
