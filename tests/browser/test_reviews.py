"""The review queue on the admin index and an article's byline in a real browser: strict CSP, no serious
axe-core findings, screenshots of the byline at phone and desktop widths."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from supplements.models import FoodEntry
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_admin_csp import assert_strict_csp, editor_page  # noqa: F401 (a fixture)
from tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_index_review_queue_is_accessible(editor_page):  # noqa: F811
    page = editor_page
    reviewer = make_person(name="Ana Silva", credentials="PharmD")
    food = FoodEntry.objects.get(slug="almonds-dry-roasted")
    food.mark_reviewed(reviewer, timezone.localdate() - datetime.timedelta(days=400))
    response = page.goto("/admin/")
    assert_strict_csp(response)
    queue = page.get_by_role("region", name="Review queue")
    expect(queue).to_contain_text("Overdue: 1")
    expect(queue.get_by_role("link", name=food.name)).to_be_visible()
    assert_accessible(page)
    assert page.violations == []


def test_article_byline_with_author_reviewer_and_dates(page, seeded):
    article = Article.objects.get()
    article.mark_reviewed(make_person(name="Ana Silva", credentials="PharmD, clinical pharmacist"))
    page.goto(article.get_absolute_url())
    dates = page.locator(".page-dates")
    expect(dates).to_contain_text("Last reviewed")
    expect(dates).to_contain_text("by Ana Silva, PharmD, clinical pharmacist")
    expect(dates).to_contain_text("Last updated")
    assert_accessible(page)
    screenshot(page, "article-byline")
