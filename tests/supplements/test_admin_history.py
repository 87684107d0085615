"""History pages of supplement forms and foods: every version, who made it and what changed, in a
fixed number of queries however many versions there are."""

import re
from decimal import Decimal
from html import unescape

import pytest

from tests.factories import make_food, make_group
from tests.supplements.supplement_factories import make_supplement_form, make_use

pytestmark = pytest.mark.django_db

# session, user, the form (with its reference count) and its uses, the number of versions, the
# page of versions with their users, the versions' uses (one query for all versions)
QUERIES_FORM_HISTORY = 7
# session, user, the food, the number of versions, the page of versions with their users and groups
QUERIES_FOOD_HISTORY = 5


def form_with_versions(count, editor):
    """A supplement form with `count` versions by `editor`: the elemental % edited and a use tag
    linked, in turn (each save and each change of tags is a version)."""
    form = make_supplement_form(name=f"Magnesium glycinate {count}")  # the first version, by no one
    form._history_user = editor
    for n in range(2, count + 1):
        if n % 2:
            form.uses.add(make_use())
        else:
            form.elemental_percent = Decimal(n)
            form.save()
    assert form.history.count() == count
    return form


def food_with_versions(count, editor):
    """A food with `count` versions by `editor`: the amount and the group changed, in turn."""
    food = make_food(name=f"Pumpkin seeds {count}")
    food._history_user = editor
    for n in range(2, count + 1):
        if n % 2:
            food.group = make_group()
        else:
            food.magnesium_mg = Decimal(100 + n)
        food.save()
    assert food.history.count() == count
    return food


def page_text(response):
    """The page's text as an editor reads it: tags dropped, entities and spacing as shown."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.text)).replace("\xa0", " "))


def check_versions_are_listed(response, url, count, editor):
    assert response.status_code == 200
    assert len(re.findall(rf'href="{url}\d+/"', response.text)) == count
    # Every version but the first (made by a factory, outside any request) names the editor.
    assert response.text.count(f'<a href="/admin/auth/user/{editor.pk}/change/">editor</a>') == count - 1
    assert f"{count} entries" in page_text(response)


@pytest.mark.parametrize("count", [3, 12])
def test_form_history_query_count_does_not_grow_with_versions(staff_client, django_assert_num_queries, count):
    form = form_with_versions(count, staff_client.user)
    url = f"/admin/supplements/supplementform/{form.pk}/history/"
    staff_client.get(url)  # the first request also fills the content-type cache
    with django_assert_num_queries(QUERIES_FORM_HISTORY):
        response = staff_client.get(url)
    check_versions_are_listed(response, url, count, staff_client.user)


@pytest.mark.parametrize("count", [3, 12])
def test_food_history_query_count_does_not_grow_with_versions(staff_client, django_assert_num_queries, count):
    food = food_with_versions(count, staff_client.user)
    url = f"/admin/supplements/foodentry/{food.pk}/history/"
    staff_client.get(url)  # the first request also fills the content-type cache
    with django_assert_num_queries(QUERIES_FOOD_HISTORY):
        response = staff_client.get(url)
    check_versions_are_listed(response, url, count, staff_client.user)


def test_form_history_says_what_changed_in_the_fields_and_the_use_tags(staff_client):
    form = form_with_versions(4, staff_client.user)
    use = form.uses.get()
    text = page_text(staff_client.get(f"/admin/supplements/supplementform/{form.pk}/history/"))
    assert "Elemental magnesium (%): 10.00 → 2.00" in text
    assert f"Uses: [] → [{use.name}]" in text
    assert "Elemental magnesium (%): 2.00 → 4.00" in text


def test_food_history_says_what_changed_including_the_group(staff_client):
    food = food_with_versions(3, staff_client.user)
    first_group = food.history.earliest().group
    text = page_text(staff_client.get(f"/admin/supplements/foodentry/{food.pk}/history/"))
    assert "Magnesium (mg per serving): 50.0 → 102.0" in text
    assert f"Group: {first_group.name} → {food.group.name}" in text
