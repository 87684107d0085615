import pytest
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: a page cached by one test must not answer another."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def seeded(db):
    """The site's seed content, loaded by the same command `make run` uses."""
    call_command("seed_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(user)
    client.user = user
    return client
