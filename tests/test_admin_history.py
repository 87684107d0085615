"""The admin's History pages of articles, supplement forms and foods: every version, who made it and
what changed, in a fixed number of queries however many versions there are."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article
from tests.factories import make_article, make_food, make_group, make_supplement_form, make_topic, make_use

pytestmark = pytest.mark.django_db


def article_with_versions(count, editor):
    """An article with `count` versions, all but the first by `editor`: the text edited, then a food,
    a supplement form and a topic linked, in turn (each save and each change of links is a version)."""
    article = make_article(title=f"Magnesium and sleep {count}", body="Version 1.")
    article._history_user = editor
    for n in range(2, count + 1):
        if n % 4 == 0:
            article.body = f"Version {n}."
            article.save()
        elif n % 4 == 1:
            article.topics.add(make_topic())
        elif n % 4 == 2:
            article.foods.add(make_food())
        else:
            article.supplement_forms.add(make_supplement_form())
    return article


def form_with_versions(count, editor):
    """A supplement form with `count` versions, all but the first by `editor`: the elemental %
    edited and a use tag linked, in turn."""
    form = make_supplement_form(name=f"Magnesium glycinate {count}")
    form._history_user = editor
    for n in range(2, count + 1):
        if n % 2:
            form.uses.add(make_use())
        else:
            form.elemental_percent = Decimal(n)
            form.save()
    return form


def food_with_versions(count, editor):
    """A food with `count` versions, all but the first by `editor`: the amount and the group
    changed, in turn."""
    food = make_food(name=f"Pumpkin seeds {count}")
    food._history_user = editor
    for n in range(2, count + 1):
        if n % 2:
            food.group = make_group()
        else:
            food.magnesium_mg = Decimal(100 + n)
        food.save()
    return food


# The queries of each page: session, user, the object, the number of versions, the page of versions
# with their editors (and a food's groups); an article's topics; a form's reference count is in its
# query. Then one query per many-to-many field for all the versions on the page: an article's
# topics, foods and supplement forms, a form's uses.
HISTORY_PAGES = {
    "article": (article_with_versions, "articles/article", 9),
    "supplement form": (form_with_versions, "supplements/supplementform", 7),
    "food": (food_with_versions, "supplements/foodentry", 5),
}


def history_page(client, kind, count):
    build, path, _ = HISTORY_PAGES[kind]
    item = build(count, client.user)
    assert item.history.count() == count
    return item, f"/admin/{path}/{item.pk}/history/"


def page_text(response):
    """The page's text as an editor reads it: tags dropped, entities and spacing as shown."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.text)).replace("\xa0", " "))


@pytest.mark.parametrize("count", [3, 12])
@pytest.mark.parametrize("kind", HISTORY_PAGES)
def test_history_page_query_count_does_not_grow_with_versions(staff_client, django_assert_num_queries, kind, count):
    _, url = history_page(staff_client, kind, count)
    staff_client.get(url)  # the first request also fills the content-type cache
    with django_assert_num_queries(HISTORY_PAGES[kind][2]):
        response = staff_client.get(url)
    assert response.status_code == 200
    # Each version is listed and linked; all but the first (made by a factory, outside any
    # request) name the editor who made them.
    assert len(re.findall(rf'href="{url}\d+/"', response.text)) == count
    assert response.text.count(f'<a href="/admin/auth/user/{staff_client.user.pk}/change/">editor</a>') == count - 1
    assert f"{count} entries" in page_text(response)


def test_article_history_says_what_changed_in_the_text_and_in_the_links(staff_client):
    article, url = history_page(staff_client, "article", 5)
    response = staff_client.get(url)
    text = page_text(response)
    assert f"Foods: [] → [{article.foods.get().name}]" in text
    assert f"Supplement forms: [] → [{article.supplement_forms.get().name}]" in text
    assert "Body: Version 1. → Version 4." in text
    assert f"Topics: [] → [{article.topics.get().name}]" in text
    assert response.text.count("<td>Published</td>") == 5  # each version's status column


def test_form_history_says_what_changed_in_the_fields_and_the_use_tags(staff_client):
    form, url = history_page(staff_client, "supplement form", 4)
    text = page_text(staff_client.get(url))
    assert "Elemental magnesium (%): 10.00 → 2.00" in text
    assert f"Uses: [] → [{form.uses.get().name}]" in text
    assert "Elemental magnesium (%): 2.00 → 4.00" in text


def test_food_history_says_what_changed_including_the_group(staff_client):
    food, url = history_page(staff_client, "food", 3)
    text = page_text(staff_client.get(url))
    assert "Magnesium (mg per serving): 50.0 → 102.0" in text
    assert f"Group: {food.history.earliest().group.name} → {food.group.name}" in text


def test_changes_column_says_what_simple_history_itself_says(rf, django_user_model):
    """The links read in one query give the very list simple-history's own diff gives, version by
    version, including a linked topic that has since been deleted."""
    article = article_with_versions(10, django_user_model.objects.create_user("editor"))
    article.topics.add(make_topic(name="Topic to delete"))
    article.topics.get(name="Topic to delete").delete()
    article.body = "After a linked topic was deleted."
    article.save()

    model_admin = admin.site._registry[Article]
    ours, theirs = list(article.history.all()), list(article.history.all())
    model_admin.set_history_delta_changes(rf.get("/"), ours)
    SimpleHistoryAdmin.set_history_delta_changes(model_admin, rf.get("/"), theirs)

    changes = [record.history_delta_changes for record in ours[:-1]]  # the oldest has nothing before it
    assert changes == [record.history_delta_changes for record in theirs[:-1]]
    assert not hasattr(ours[-1], "history_delta_changes")
    assert [change["field"] for change in changes[0]] == ["Body", "Topics"]  # the newest version
    # What was linked, though gone now (where it sorts differs: NULLs first on SQLite, last on PostgreSQL).
    assert "Deleted topic (pk=" in changes[0][1]["old"]
