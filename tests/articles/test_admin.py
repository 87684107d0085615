"""The editors' side: write a draft, preview it, publish it, edit it, restore an earlier version."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    NEW_ARTICLE,
    admin_form,
    make_article,
    make_draft,
    make_person,
    make_topic,
    read_form,
)

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
QUERIES_ADMIN_LIST = 9
LIST_URL = "/admin/articles/article/"


def messages_in(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_editor_writes_previews_publishes_edits_and_restores_an_article(staff_client):
    topic = make_topic(name="Sleep", slug="sleep")
    public = Client()

    # Write a draft.
    add_page = staff_client.get(ADD_URL)
    assert add_page.status_code == 200
    assert "Use ## for section headings" in add_page.text  # help text written for editors
    response = staff_client.post(ADD_URL, admin_form(NEW_ARTICLE, topics=[topic.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article = Article.objects.get(slug="magnesium-and-sleep")
    assert article.status == "draft" and article.published_at is None
    assert article.references.get().citation.startswith("NIH Office of Dietary Supplements")
    assert list(article.topics.all()) == [topic]

    # Preview it through "View on site": staff see it with the draft banner, the public gets 404.
    change_url = f"/admin/articles/article/{article.pk}/change/"
    change_page = staff_client.get(change_url).text
    content_type = ContentType.objects.get_for_model(Article)
    view_on_site = f"/admin/r/{content_type.pk}/{article.pk}/"
    assert f'href="{view_on_site}"' in change_page and "View on site" in change_page
    preview = staff_client.get(view_on_site, follow=True)
    assert preview.redirect_chain[-1][0].endswith("/articles/magnesium-and-sleep/")
    assert "Draft — not published." in preview.text and "First version of the text." in preview.text
    assert public.get("/articles/magnesium-and-sleep/").status_code == 404

    # Publish it from the list.
    response = staff_client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True)
    assert "Published 1 article." in messages_in(response)
    article.refresh_from_db()
    assert article.status == "published" and article.published_at <= timezone.now()
    assert public.get("/articles/magnesium-and-sleep/").status_code == 200

    # Edit it on its change page.
    data = read_form(staff_client.get(change_url).text, "article_form")
    data["body"] = "Second version, corrected.\n\n## What studies found\n\nStill little."
    data["topics"] = []  # and the topic removed
    data["_save"] = "Save"
    response = staff_client.post(change_url, data)
    assert response.status_code == 302
    assert "Second version, corrected." in public.get("/articles/magnesium-and-sleep/").text

    # Every save is a version; the history page compares them.
    history = staff_client.get(f"/admin/articles/article/{article.pk}/history/").text
    assert history.count("/history/") >= 3
    assert "<td>Published</td>" in history and "<td>Draft</td>" in history  # each version's status
    assert "First version of the text." in history and "Second version, corrected." in history  # the body diff

    assert not article.topics.exists()

    # Restore the version before the edit: open it, press "Revert".
    first = article.history.filter(body__startswith="First version").latest("history_date")
    version_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    version_page = staff_client.get(version_url).text
    assert "First version of the text." in version_page
    data = read_form(version_page, "historicalarticle_form")
    data["_save"] = "Revert"
    response = staff_client.post(version_url, data)
    assert response.status_code == 302, (data, response.context["errors"])
    article.refresh_from_db()
    assert article.body.startswith("First version of the text.")
    assert "First version of the text." in article.body_html  # re-rendered on save
    assert list(article.topics.all()) == [topic]  # its topics come back too
    assert article.history.latest("history_date").body == article.body  # the restore is itself a version
    assert article.history.first().history_user.username == "editor"


def test_publishing_without_a_date_says_it_was_published_now(staff_client):
    response = staff_client.post(ADD_URL, admin_form(NEW_ARTICLE, status="published"), follow=True)
    article = Article.objects.get(slug="magnesium-and-sleep")
    assert article.is_public
    assert any("had no publication time, so it was published now" in m for m in messages_in(response))


def test_return_to_draft_hides_the_article(staff_client):
    article = make_article(title="Withdrawn")
    response = staff_client.post(
        LIST_URL, {"action": "return_to_draft", "_selected_action": [article.pk]}, follow=True
    )
    assert "Returned 1 article to draft." in messages_in(response)
    article.refresh_from_db()
    assert article.status == "draft"
    assert Client().get(article.get_absolute_url()).status_code == 404
    assert article.history.first().history_change_reason == "Returned to draft from the article list"


def test_list_columns_filters_search_and_date_hierarchy(staff_client):
    neuropathy = make_topic(name="Neuropathy", slug="neuropathy")
    make_article(title="Nerves explained", topics=[neuropathy], body="About tingling feet.")
    make_draft(title="Unfinished piece")
    make_article(title="Future piece", published_at=timezone.now() + datetime.timedelta(days=5))
    html = staff_client.get(LIST_URL).text
    for column in ("Title", "Status", "Published at"):
        assert f">{column}</a>" in html, column
    assert "<span>Medical review</span>" in html
    assert "<span>Topics</span>" in html
    assert '<td class="field-status_label">Scheduled</td>' in html  # a future publication time says so
    assert '<td class="field-topic_names">Neuropathy</td>' in html
    assert "By medical review" in html and "Overdue" in html and "Never reviewed" in html
    assert "By topics" in html and "By publication" in html and "By published at" in html
    assert 'aria-labelledby="date-hierarchy-label"' in html and "Filter by published at" in html

    scheduled = staff_client.get(LIST_URL, {"publication": "scheduled"}).text
    assert "Future piece" in scheduled and "Nerves explained" not in scheduled and "Unfinished piece" not in scheduled
    drafts = staff_client.get(LIST_URL, {"publication": "draft"}).text
    assert "Unfinished piece" in drafts and "Future piece" not in drafts

    found = staff_client.get(LIST_URL, {"q": "tingling"}).text
    assert "Nerves explained" in found and "Unfinished piece" not in found


def test_review_filter_lists_overdue_and_never_reviewed_articles(staff_client):
    today = timezone.localdate()
    make_article(title="Never reviewed")
    two_years_ago = today - datetime.timedelta(days=730)
    reviewer = make_person(credentials="MD")
    make_article(title="Reviewed long ago", medical_reviewer=reviewer, reviewed_at=two_years_ago)
    make_article(title="Reviewed recently", medical_reviewer=reviewer, reviewed_at=today)
    overdue = staff_client.get(LIST_URL, {"review": "overdue"}).text
    assert "Reviewed long ago" in overdue and "Reviewed recently" not in overdue
    assert ">Never reviewed</a></th>" not in overdue  # the title column, not the filter's own link
    never = staff_client.get(LIST_URL, {"review": "never"}).text
    assert ">Never reviewed</a></th>" in never and "Reviewed long ago" not in never


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_does_not_grow_with_articles(staff_client, django_assert_num_queries, count):
    topics = [make_topic() for _ in range(5)]
    for _ in range(count):
        make_article(topics=topics)
    # session, user, counts, the page of articles, their topics, the filters' topics and dates
    with django_assert_num_queries(QUERIES_ADMIN_LIST):
        response = staff_client.get(LIST_URL)
    assert response.text.count('class="action-select"') == count


def test_slug_is_prepopulated_from_the_title_and_related_items_use_autocomplete(staff_client):
    html = staff_client.get(ADD_URL).text
    assert 'data-prepopulated-fields="[{&quot;id&quot;: &quot;#id_slug&quot;' in html
    assert "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]" in html
    for field in ("topics", "foods", "supplement_forms"):
        assert re.search(rf'<select[^>]+name="{field}"[^>]+data-ajax--url="/admin/autocomplete/"', html) or re.search(
            rf'<select[^>]+data-ajax--url="/admin/autocomplete/"[^>]+name="{field}"', html
        ), field


def test_autocomplete_finds_foods_and_supplement_forms_by_name(staff_client, seeded):
    def search(field, term):
        query = {"app_label": "articles", "model_name": "article", "field_name": field, "term": term}
        return [result["text"] for result in staff_client.get("/admin/autocomplete/", query).json()["results"]]

    assert search("foods", "almonds") == ["Almonds, dry roasted"]
    assert search("supplement_forms", "citrate") == ["Magnesium citrate"]
    assert search("topics", "neuro") == ["Neuropathy"]


def test_a_deleted_reference_can_be_restored_from_its_history(staff_client):
    article = make_article()
    reference = article.references.create(order=1, citation="Gröber U. Magnesium and Drugs. 2019.")
    reference_id, citation = reference.pk, reference.citation
    reference.delete()

    history = staff_client.get(f"/admin/articles/reference/{reference_id}/history/")
    assert history.status_code == 200 and "Deleted" in history.text
    version = article.references.model.history.filter(id=reference_id, history_type="+").get()
    version_url = f"/admin/articles/reference/{reference_id}/history/{version.history_id}/"
    data = read_form(staff_client.get(version_url).text, "historicalreference_form")
    data["_save"] = "Revert"
    assert staff_client.post(version_url, data).status_code == 302
    assert article.references.get().citation == citation
    assert citation in Client().get(article.get_absolute_url()).text


def test_a_second_editor_cannot_silently_overwrite_the_first(staff_client, django_user_model):
    article = make_article(title="Shared piece", body="Original text.")
    url = f"/admin/articles/article/{article.pk}/change/"
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("bob", "bob@example.org", "x"))
    mine = read_form(staff_client.get(url).text, "article_form")
    theirs = read_form(other.get(url).text, "article_form")
    assert mine["edit_token"] == theirs["edit_token"]

    assert staff_client.post(url, {**mine, "body": "Ann's correction.", "_save": "Save"}).status_code == 302
    refused = other.post(url, {**theirs, "body": "Bob's rewrite.", "_save": "Save"})
    assert refused.status_code == 200
    assert "Someone else saved this item after you opened it" in refused.text
    article.refresh_from_db()
    assert article.body == "Ann's correction."
