"""An id in an admin address that could never be an id ("abc" for a number) is a 404, or Django's
"… doesn't exist. Perhaps it was deleted?" redirect that its change page gives, never a 500: on
every page of every registered admin that takes an id (change, delete, history, a version in the
history, featuring a USDA food...)."""

from itertools import product

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.urls.resolvers import RoutePattern

pytestmark = pytest.mark.django_db

BAD_IDS = {"abc": "abc", "9" * 30: "huge"}  # not a number; a number no column holds


def id_count(pattern):
    """How many ids an admin address takes: <path:object_id> in a path(), groups in a re_path()."""
    if isinstance(pattern.pattern, RoutePattern):
        return len(pattern.pattern.converters)
    return pattern.pattern.regex.groups


def addresses_with_bad_ids():
    """Every named address of every registered model admin that takes ids, with each id in turn
    (and all of them) bad and the others a plausible number."""
    cases = []
    for model_admin in admin.site._registry.values():
        for pattern in model_admin.get_urls():
            count = id_count(pattern)
            if not pattern.name or not count:
                continue
            for ids in product(["1", *BAD_IDS], repeat=count):
                if set(ids) != {"1"}:
                    label = f"{pattern.name}:{'/'.join(BAD_IDS.get(value, value) for value in ids)}"
                    cases.append(pytest.param(model_admin, pattern.name, ids, id=label))
    return cases


CASES = addresses_with_bad_ids()


def test_the_cases_include_every_history_page_and_the_feature_page():
    names = {case.values[1] for case in CASES}
    for model, model_admin in admin.site._registry.items():
        if hasattr(model_admin, "history_form_view"):  # simple-history's admins
            info = model._meta.app_label, model._meta.model_name
            assert {"{}_{}_history".format(*info), "{}_{}_simple_history".format(*info)} <= names
    assert "supplements_usdafood_feature" in names


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("model_admin", "name", "ids"), CASES)
def test_a_bad_id_in_an_admin_address_is_a_404_or_a_does_not_exist_redirect(
    staff_client, model_admin, name, ids, method
):
    response = getattr(staff_client, method)(reverse(f"admin:{name}", args=ids))
    if name.endswith("_delete") and not model_admin.has_delete_permission(response.wsgi_request):
        assert response.status_code == 403  # USDA's rows: no one deletes them, whatever the id
        return
    if response.status_code == 302:  # Django's own answer on the change and delete pages
        assert response["Location"] == reverse("admin:index")
        assert any("doesn’t exist" in str(message) for message in get_messages(response.wsgi_request))
    else:
        assert response.status_code == 404
