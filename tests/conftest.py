import pytest
from django.core.management import call_command


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
