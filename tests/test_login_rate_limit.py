"""Admin sign-in is rate-limited per account and per address (django-axes)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_repeated_failures_even_from_new_addresses(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "right-password")
    limit = settings.AXES_FAILURE_LIMIT
    for i in range(limit - 1):
        response = attempt(client, "editor", "wrong", address=f"10.0.0.{i + 1}")
        assert response.status_code == 200 and "Please enter the correct username and password" in response.text
    locked = attempt(client, "editor", "wrong", address="10.0.0.99")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    # Even the right password from a fresh address is refused while the account is locked.
    response = attempt(client, "editor", "right-password", address="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_failures_across_many_usernames(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "right-password")
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{i}", "wrong", address="10.1.1.1")
    response = attempt(client, "editor", "right-password", address="10.1.1.1")
    assert response.status_code == 429
    # Another address can still sign in to the untouched account.
    response = attempt(client, "editor", "right-password", address="10.2.2.2")
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "right-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "right-password").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "right-password").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(rf, settings):
    from site_project.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "203.0.113.7"
