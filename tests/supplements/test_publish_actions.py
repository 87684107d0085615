"""The publish and return-to-draft actions, one set for every kind of content (articles, foods,
supplement forms): their labels in the action menu, what they report, what the public then sees,
and that each change is a version by the editor who made it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_article, make_food, make_supplement_form

pytestmark = pytest.mark.django_db

# changelist, a factory, one item and several as the menu and messages name them, its public list
LISTS = {
    "articles": ("/admin/articles/article/", make_article, "article", "articles", "/articles/"),
    "foods": ("/admin/supplements/foodentry/", make_food, "food entry", "food entries", "/foods/"),
    "forms": (
        "/admin/supplements/supplementform/",
        make_supplement_form,
        "supplement form",
        "supplement forms",
        "/supplements/",
    ),
}


def messages_in(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("kind", LISTS)
def test_the_action_menu_offers_publish_and_return_to_draft(staff_client, kind):
    changelist, make, _, plural, _ = LISTS[kind]
    make()
    html = staff_client.get(changelist).text
    assert (
        f'<option value="publish">Publish the selected {plural} (now, unless a time is already set)</option>' in html
    )
    assert (
        f'<option value="return_to_draft">Return the selected {plural} to draft (hide them from the public)</option>'
        in html
    )


@pytest.mark.parametrize("kind", LISTS)
def test_draft_and_publish_report_how_many_changed_and_keep_a_version_each(staff_client, kind):
    changelist, make, one, plural, public_list = LISTS[kind]
    name = "title" if kind == "articles" else "name"
    items = [make(**{name: "Zanzibar item"}), make()]
    selected = [item.pk for item in items]
    assert "Zanzibar item" in Client().get(public_list).text

    response = staff_client.post(changelist, {"action": "return_to_draft", "_selected_action": selected}, follow=True)
    assert f"Returned 2 {plural} to draft." in messages_in(response)
    assert "Zanzibar item" not in Client().get(public_list).text
    response = staff_client.post(changelist, {"action": "publish", "_selected_action": selected[:1]}, follow=True)
    assert f"Published 1 {one}." in messages_in(response)
    assert "Zanzibar item" in Client().get(public_list).text
    response = staff_client.post(changelist, {"action": "publish", "_selected_action": selected[:1]}, follow=True)
    assert f"Published 0 {plural}." in messages_in(response)  # already published: nothing saved

    published, hidden = (type(item).objects.get(pk=item.pk) for item in items)
    assert published.is_public and hidden.status == "draft"
    assert published.history.count() == 3  # created, returned to draft, published again
    assert [version.status for version in hidden.history.all()] == ["draft", "published"]
    assert published.history.first().history_user == staff_client.user
    assert published.history.first().history_change_reason == f"Published from the {one} list"


@pytest.mark.parametrize("kind", LISTS)
def test_the_list_shows_status_and_time_and_filters_by_publication(staff_client, kind):
    changelist, make, *_ = LISTS[kind]
    name = "title" if kind == "articles" else "name"
    make(**{name: "Out now"})
    make(**{name: "Still a draft", "status": "draft", "published_at": None})
    make(**{name: "Coming soon", "published_at": timezone.now() + datetime.timedelta(days=3)})
    html = staff_client.get(changelist).text
    for column in (">Status</a>", ">Published at</a>", ">Scheduled<", ">Draft<", ">Published<"):
        assert column in html, column
    for value, shown, hidden in (
        ("draft", "Still a draft", "Out now"),
        ("scheduled", "Coming soon", "Out now"),
        ("public", "Out now", "Coming soon"),
    ):
        html = staff_client.get(changelist, {"publication": value}).text
        assert shown in html and hidden not in html, value
