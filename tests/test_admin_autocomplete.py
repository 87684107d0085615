"""A tampered or stale value in an admin autocomplete field is a form error, not a 500.

Django's autocomplete widget looks the submitted values up to show them again, and a value the
key cannot hold ("abc" for a numeric id) raised ValueError there (found by wapiti and sqlmap).
"""

import pytest
from django.contrib import admin

from site_project.admin import SafeAutocompleteAdminMixin
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# Every autocomplete field of the admin, by its add page.
AUTOCOMPLETE_FIELDS = [
    ("/admin/articles/reference/add/", "article"),
    ("/admin/articles/article/add/", "topics"),
    ("/admin/articles/article/add/", "foods"),
    ("/admin/articles/article/add/", "supplement_forms"),
    ("/admin/supplements/supplementform/add/", "uses"),
    ("/admin/supplements/foodentry/add/", "usda_food"),
]


def test_the_list_above_names_every_autocomplete_field_and_each_admin_uses_the_mixin():
    found = set()
    for model, model_admin in admin.site._registry.items():
        fields = model_admin.autocomplete_fields
        if fields:
            assert isinstance(model_admin, SafeAutocompleteAdminMixin), model
        found |= {(f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/", name) for name in fields}
        for inline in model_admin.inlines:  # an inline with autocomplete fields needs the mixin too
            if inline.autocomplete_fields:
                assert issubclass(inline, SafeAutocompleteAdminMixin), inline
    assert found == set(AUTOCOMPLETE_FIELDS)


@pytest.mark.parametrize(("url", "field"), AUTOCOMPLETE_FIELDS)
@pytest.mark.parametrize("value", ["abc", "1.5", "999999", "' OR 1=1--"])
def test_a_value_the_key_cannot_hold_gives_the_fields_own_error(staff_client, url, field, value):
    response = staff_client.post(url, {field: value})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    # Django's own words: "Select a valid choice..." (one item), or for a list of items
    # "“abc” is not a valid value." when the id cannot be a number at all.
    message = errors[field][0]
    assert "Select a valid choice" in message or message == f"“{value}” is not a valid value."
    assert '<ul class="errorlist"' in response.text
    # The bad value is not offered back as a selected option.
    assert f'<option value="{value}" selected' not in response.text


def test_a_valid_value_is_still_shown_selected_when_the_form_comes_back(staff_client):
    article = make_article(title="Magnesium and sleep")
    response = staff_client.post("/admin/articles/reference/add/", {"article": str(article.pk), "citation": ""})
    assert response.status_code == 200
    assert "citation" in response.context["adminform"].form.errors
    assert f'<option value="{article.pk}" selected>Magnesium and sleep</option>' in response.text
