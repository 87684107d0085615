import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from site_project.cache import bump_after_commit
from tests.factories import import_usda


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: a page cached by one test must not answer another."""
    for cache in caches.all():
        cache.clear()
    yield


def _tables():
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker):
    """Every row the seed command writes, for every model (new models need no list here).

    The seed runs once per session, by the same command `make run` uses, inside a transaction
    that is rolled back: the test database stays empty for tests that do not ask for the seed.
    """
    rows = []
    with django_db_blocker.unblock(), transaction.atomic():
        models = _tables()
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        call_command("seed_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        for model in models:
            new = [row for row in model._base_manager.order_by("pk") if row.pk not in before[model]]
            if new:
                rows.append((model, new))
        transaction.set_rollback(True)
    return rows


def load_seed(rows):
    """Write the seed's rows again, one bulk insert per table (milliseconds, not a re-run of the seed)."""
    with transaction.atomic():  # foreign keys are checked at the end, so table order does not matter
        for model, objects in rows:
            model._base_manager.bulk_create(objects)
        # PostgreSQL: move the id sequences past the inserted ids (SQLite's AUTOINCREMENT does so itself).
        statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in rows])
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        bump_after_commit()  # as the seed command does: pages cached before are stale


@pytest.fixture
def seeded(db, seed_rows):
    """The site's seed content: inside the test's transaction (rolled back after it), or, for
    tests with real transactions (live_server, transaction=True), until the tables are flushed."""
    load_seed(seed_rows)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    """Logged in as a member of the Editors group (staff, not a superuser)."""
    user = django_user_model.objects.create_user("eddie", "eddie@example.org", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


@pytest.fixture
def usda(tmp_path, seeded):
    """Six foods made of USDA's own SR28 lines, as {ndb: USDAFood}; three seeded featured foods link to them."""
    return import_usda(tmp_path / "sr28")
