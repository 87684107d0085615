"""Article rendering on save, publication rules, review rules and search."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from site_project.markdown import render_markdown
from site_project.models import add_months
from tests.factories import make_article, make_draft, make_person

pytestmark = pytest.mark.django_db


def test_headings_become_anchors_listed_in_the_table_of_contents():
    body = "Intro.\n\n## Why it matters\n\nText.\n\n### A detail\n\nMore.\n\n## Why it matters\n\nAgain."
    article = make_article(body=body)
    assert '<h2 id="why-it-matters">Why it matters</h2>' in article.body_html
    assert '<h3 id="a-detail">A detail</h3>' in article.body_html
    # A repeated heading gets its own id, so both sections can be linked.
    assert '<h2 id="why-it-matters_1">' in article.body_html
    assert article.toc == [
        {"level": 2, "id": "why-it-matters", "text": "Why it matters"},
        {"level": 3, "id": "a-detail", "text": "A detail"},
        {"level": 2, "id": "why-it-matters_1", "text": "Why it matters"},
    ]


def test_html_is_rendered_once_on_save_and_follows_edits():
    article = make_article(body="First **version**.")
    assert "<strong>version</strong>" in article.body_html
    article.body = "## New heading\n\nSecond version."
    article.save()
    article.refresh_from_db()
    assert "Second version." in article.body_html and "First" not in article.body_html
    assert article.toc == [{"level": 2, "id": "new-heading", "text": "New heading"}]


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert('x')</script>",
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        '<img src="x" onerror="alert(1)">',
        '<p onclick="alert(1)">hi</p>',
        '<a href="#" onmouseover="alert(1)">hover</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
        "<svg onload=alert(1)>",
    ],
)
def test_sanitizing_removes_scripts_javascript_links_and_event_handlers(dangerous):
    article = make_article(body=f"Text before.\n\n{dangerous}\n\nText after.")
    html = article.body_html.lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onclick" not in html and "onmouseover" not in html and "onload" not in html
    assert "<iframe" not in html and "data:" not in html
    assert "Text before." in article.body_html and "Text after." in article.body_html


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ :;&#abcdehijlnoprstv()[]!\n*_`")), max_size=120))
def test_no_markdown_input_can_produce_scripts_or_handlers(text):
    html, _ = render_markdown(text + " <script>x</script> <a href='javascript:x' onclick='x'>l</a>")
    lowered = html.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered
    assert "onclick" not in lowered


def test_reading_time_is_derived_from_the_body():
    assert make_article(body="word " * 50).reading_minutes == 1
    assert make_article(body="word " * 401).reading_minutes == 3


def test_publishing_without_a_date_publishes_now():
    before = timezone.now()
    article = make_article(published_at=None)
    assert before <= article.published_at <= timezone.now()
    assert article.is_public


def test_only_published_articles_whose_time_has_come_are_public():
    public = make_article()
    draft = make_draft()
    scheduled = make_article(published_at=timezone.now() + datetime.timedelta(days=2))
    assert list(Article.objects.published()) == [public]
    assert scheduled.is_scheduled and not scheduled.is_public
    assert not draft.is_scheduled and not draft.is_public


def test_review_dates_are_checked_with_messages_for_editors():
    article = make_article()
    article.reviewed_at = timezone.localdate() + datetime.timedelta(days=3)
    article.medical_reviewer = make_person(credentials="MD")
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["reviewed_at"] == ["The review date cannot be in the future."]

    article.reviewed_at = timezone.localdate()
    article.medical_reviewer = None
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "Say who reviewed it" in caught.value.message_dict["medical_reviewer"][0]


def test_duplicate_slug_gets_a_clear_message():
    make_article(slug="magnesium-basics")
    duplicate = Article(title="Another", slug="magnesium-basics", summary="s", body="b")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.message_dict["slug"] == ["Another article already uses this slug. Choose a different one."]


def test_review_queue_questions_are_asked_in_sql():
    today = timezone.localdate()
    reviewer = make_person(credentials="MD")
    never = make_article()
    stale = make_article(reviewed_at=today - datetime.timedelta(days=400), medical_reviewer=reviewer)
    soon = make_article(reviewed_at=today - datetime.timedelta(days=350), medical_reviewer=reviewer)
    fresh = make_article(reviewed_at=today - datetime.timedelta(days=30), medical_reviewer=reviewer)
    assert list(Article.objects.never_reviewed()) == [never]
    assert list(Article.objects.overdue()) == [stale]
    assert list(Article.objects.due_soon()) == [soon]
    assert list(Article.objects.review_up_to_date()) == [fresh]
    assert fresh.review_due == add_months(fresh.reviewed_at, 12)


def test_six_month_interval_makes_a_review_due_sooner():
    today = timezone.localdate()
    article = make_article(
        reviewed_at=today - datetime.timedelta(days=200), medical_reviewer=make_person(), review_interval_months=6
    )
    assert list(Article.objects.overdue()) == [article]


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 3, 2), 12) == datetime.date(2027, 3, 2)


def test_an_edit_after_a_review_is_updated_since_review_until_reviewed_again():
    article = make_article()
    article.mark_reviewed(make_person(credentials="MD"))
    article.refresh_from_db()
    assert not article.updated_since_review
    assert not Article.objects.updated_since_review().exists()
    article.summary = "Changed after the review."
    article.save()
    assert article.updated_since_review
    assert list(Article.objects.updated_since_review()) == [article]
    article.mark_reviewed(article.medical_reviewer)
    article.refresh_from_db()
    assert not article.updated_since_review


def test_search_matches_title_summary_and_body():
    by_title = make_article(title="Glycinate explained")
    by_summary = make_article(summary="All about glycinate and sleep.")
    by_body = make_article(body="Some people take magnesium glycinate at night.")
    make_article(title="Oxide", summary="Oxide only.", body="Nothing else.")
    assert set(Article.objects.published().search("glycinate")) == {by_title, by_summary, by_body}


def test_postgresql_search_ranks_title_matches_first_and_understands_word_forms():
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL; SQLite uses the substring fallback tested above")
    in_body = make_article(title="Foods", body="Some readers with neuropathy try magnesium.")
    in_title = make_article(title="Neuropathy basics", published_at=in_body.published_at - datetime.timedelta(days=9))
    make_article(title="Unrelated", summary="Nothing.", body="Nothing at all.")
    # "neuropathies" finds "neuropathy" (English stemming); the title match ranks above the body match
    # even though it is older.
    assert list(Article.objects.published().search("neuropathies")) == [in_title, in_body]
    assert list(Article.objects.published().search("magnesium -neuropathy")) == []
