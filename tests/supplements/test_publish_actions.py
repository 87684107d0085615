"""The publish and hide actions of the food and supplement-form lists: their labels in the action
menu, what they report, and that each change is a version by the editor who made it."""

import pytest

from tests.factories import make_food, make_supplement_form

pytestmark = pytest.mark.django_db

# changelist, a factory, the item as the messages name it, what hiding hides it from
LISTS = {
    "foods": ("/admin/supplements/foodentry/", make_food, "food", "the public table"),
    "forms": ("/admin/supplements/supplementform/", make_supplement_form, "supplement form", "the public pages"),
}


def messages_in(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("kind", LISTS)
def test_the_action_menu_offers_publish_and_hide(staff_client, kind):
    changelist, make, noun, hidden_from = LISTS[kind]
    make()
    html = staff_client.get(changelist).text
    assert f'<option value="publish">Publish the selected {noun}s</option>' in html
    assert f'<option value="unpublish">Hide the selected {noun}s from {hidden_from}</option>' in html


@pytest.mark.parametrize("kind", LISTS)
def test_hide_and_publish_report_how_many_changed_and_keep_a_version_each(staff_client, kind):
    changelist, make, noun, _ = LISTS[kind]
    items = [make(), make()]
    selected = [item.pk for item in items]

    response = staff_client.post(changelist, {"action": "unpublish", "_selected_action": selected}, follow=True)
    assert f"2 {noun}s updated." in messages_in(response)
    response = staff_client.post(changelist, {"action": "publish", "_selected_action": selected[:1]}, follow=True)
    assert f"1 {noun} updated." in messages_in(response)
    response = staff_client.post(changelist, {"action": "publish", "_selected_action": selected[:1]}, follow=True)
    assert f"0 {noun}s updated." in messages_in(response)  # already published: nothing saved

    published, hidden = (type(item).objects.get(pk=item.pk) for item in items)
    assert published.is_published and not hidden.is_published
    assert published.history.count() == 3  # created, hidden, published again
    assert [version.is_published for version in hidden.history.all()] == [False, True]
    assert published.history.first().history_user == staff_client.user
