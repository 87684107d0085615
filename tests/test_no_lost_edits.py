"""Two editors open the same item; the second save must not silently overwrite the first."""

import re

import pytest

from site_project.admin import CONFLICT_MESSAGE
from supplements.models import FoodEntry

pytestmark = pytest.mark.django_db


def open_form(client, url):
    html = client.get(url).text
    return re.search(r'name="edit_token" value="([0-9a-f]+)"', html).group(1)


def food_data(food, **changes):
    data = {
        "name": food.name, "slug": food.slug, "group": food.group_id, "serving": food.serving,
        "serving_grams": food.serving_grams, "magnesium_mg": food.magnesium_mg, "source": food.source,
        "source_url": food.source_url, "notes": food.notes, "status": "published",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def two_editors(client, django_user_model):
    from django.test import Client

    first, second = client, Client()
    first.force_login(django_user_model.objects.create_superuser("ann", "ann@example.org", "x"))
    second.force_login(django_user_model.objects.create_superuser("bob", "bob@example.org", "x"))
    return first, second


def test_second_save_is_refused_keeps_input_and_can_then_be_made_deliberately(two_editors, seeded):
    ann, bob = two_editors
    food = FoodEntry.objects.get(slug="almonds-dry-roasted")
    url = f"/admin/supplements/foodentry/{food.pk}/change/"
    ann_token = open_form(ann, url)
    bob_token = open_form(bob, url)
    assert ann_token == bob_token

    saved = ann.post(url, food_data(food, notes="Ann's note", edit_token=ann_token))
    assert saved.status_code == 302

    refused = bob.post(url, food_data(food, notes="Bob's careful note", edit_token=bob_token))
    assert refused.status_code == 200
    assert CONFLICT_MESSAGE.split(",")[0] in refused.text
    assert "Bob&#x27;s careful note" in refused.text  # his input is still on the page
    food.refresh_from_db()
    assert food.notes == "Ann's note"

    # The refused page carries the new token: saving again is a deliberate overwrite.
    new_token = re.search(r'name="edit_token" value="([0-9a-f]+)"', refused.text).group(1)
    assert new_token != bob_token
    assert bob.post(url, food_data(food, notes="Bob's careful note", edit_token=new_token)).status_code == 302
    food.refresh_from_db()
    assert food.notes == "Bob's careful note"
    # Nothing is lost: both versions are in the history.
    assert {h.notes for h in food.history.all()} >= {"Ann's note", "Bob's careful note"}


def test_an_unchanged_item_saves_normally(two_editors, seeded):
    ann, _ = two_editors
    food = FoodEntry.objects.get(slug="spinach-raw")
    url = f"/admin/supplements/foodentry/{food.pk}/change/"
    token = open_form(ann, url)
    assert ann.post(url, food_data(food, notes="fine", edit_token=token)).status_code == 302


def test_a_revert_is_refused_when_someone_saved_after_the_version_page_was_opened(two_editors, seeded):
    # "Revert" on a History version saves the item too, so it carries the same token as the change form.
    ann, bob = two_editors
    food = FoodEntry.objects.get(slug="almonds-dry-roasted")
    change_url = f"/admin/supplements/foodentry/{food.pk}/change/"
    assert (
        ann.post(change_url, food_data(food, notes="First note", edit_token=open_form(ann, change_url))).status_code
        == 302
    )
    first_version = food.history.latest()
    version_url = f"/admin/supplements/foodentry/{food.pk}/history/{first_version.history_id}/"
    bob_token = open_form(bob, version_url)  # Bob opens the version he means to restore

    assert (
        ann.post(
            change_url, food_data(food, notes="Ann's newer note", edit_token=open_form(ann, change_url))
        ).status_code
        == 302
    )

    refused = bob.post(version_url, food_data(food, notes="First note", edit_token=bob_token, _save="Revert"))
    assert refused.status_code == 200
    assert CONFLICT_MESSAGE.split(",")[0] in refused.text
    food.refresh_from_db()
    assert food.notes == "Ann's newer note"

    # Reverting again from the refreshed page is a deliberate choice, and works.
    new_token = re.search(r'name="edit_token" value="([0-9a-f]+)"', refused.text).group(1)
    assert (
        bob.post(version_url, food_data(food, notes="First note", edit_token=new_token, _save="Revert")).status_code
        == 302
    )
    food.refresh_from_db()
    assert food.notes == "First note"
