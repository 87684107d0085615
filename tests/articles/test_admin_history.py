"""An article's History page: every version, who made it and what changed, in a fixed number of queries."""

import re
from html import unescape

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article
from tests.articles.helpers import make_topic
from tests.factories import make_food
from tests.supplements.supplement_factories import make_supplement_form

pytestmark = pytest.mark.django_db

# session, user, the article and its topics, the number of versions, the page of versions with
# their users, the versions' topics, foods and supplement forms (one query each, for all versions)
QUERIES_ARTICLE_HISTORY = 9


def article_with_versions(count, editor):
    """An article with `count` versions, all by `editor`: the text edited, then a food, a supplement
    form and a topic linked, in turn (each save and each change of links is a version)."""
    article = Article(title="Magnesium and sleep", slug=f"magnesium-and-sleep-{count}", summary="S", body="Version 1.")
    article._history_user = editor
    article.save()
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
    assert article.history.count() == count
    return article


def page_text(response):
    """The page's text as an editor reads it: tags dropped, entities and spacing as shown."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.text)).replace("\xa0", " "))


@pytest.mark.parametrize("count", [3, 12])
def test_history_page_query_count_does_not_grow_with_versions(staff_client, django_assert_num_queries, count):
    article = article_with_versions(count, staff_client.user)
    url = f"/admin/articles/article/{article.pk}/history/"
    staff_client.get(url)  # the first request also fills the content-type cache
    with django_assert_num_queries(QUERIES_ARTICLE_HISTORY):
        response = staff_client.get(url)
    assert response.status_code == 200
    # Each version is listed, linked, and names the editor who made it.
    assert len(re.findall(rf'href="{url}\d+/"', response.text)) == count
    user_link = f'<a href="/admin/auth/user/{staff_client.user.pk}/change/">editor</a>'
    assert response.text.count(user_link) == count
    assert f"{count} entries" in page_text(response)


def test_history_page_says_what_changed_in_the_text_and_in_the_links(staff_client):
    article = article_with_versions(5, staff_client.user)
    food, form, topic = article.foods.get(), article.supplement_forms.get(), article.topics.get()
    response = staff_client.get(f"/admin/articles/article/{article.pk}/history/")
    text = page_text(response)
    assert f"Foods: [] → [{food.name}]" in text
    assert f"Supplement forms: [] → [{form.name}]" in text
    assert "Body: Version 1. → Version 4." in text
    assert f"Topics: [] → [{topic.name}]" in text
    assert response.text.count("<td>Draft</td>") == 5  # each version's status column


def test_changes_column_says_what_simple_history_itself_says(rf, django_user_model):
    """The links read in one query give the very list simple-history's own diff gives, version by
    version, including a linked topic that has since been deleted."""
    editor = django_user_model.objects.create_user("editor")
    article = article_with_versions(10, editor)
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
    assert changes[0][1]["old"].startswith("[Deleted topic (pk=")  # what was linked, though gone now
