"""The review queue on the admin index and an article's byline in a real browser: strict CSP, no
axe-core finding at any impact, screenshots of the byline at phone and desktop widths."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from supplements.models import FoodEntry
from tests.browser.conftest import assert_accessible, assert_strict_csp, screenshot
from tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_index_review_queue_is_accessible(editor_page):
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


def test_a_reviewed_page_names_writer_and_reviewer_whose_links_lead_to_their_entries(page, seeded, settings, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from supplements.models import SupplementForm

    settings.MEDIA_ROOT, settings.SERVE_MEDIA = tmp_path, True  # as under `make run`
    buffer = io.BytesIO()
    Image.new("RGB", (240, 240), (90, 130, 170)).save(buffer, "PNG")
    reviewer = make_person(
        name="Ana Silva", credentials="PharmD", role="Medical reviewer", conflicts_of_interest="None"
    )
    reviewer.photo.save("ana.png", ContentFile(buffer.getvalue()), save=False)
    reviewer.photo_alt = "Ana Silva, head and shoulders, in front of a bookshelf"
    reviewer.save()
    writer = make_person(name="Lee Writer", credentials="MSc", role="Health writer")
    form = SupplementForm.objects.get(slug="magnesium-citrate")
    form.author = writer
    form.save()
    form.mark_reviewed(reviewer, datetime.date(2026, 11, 2))

    page.goto(form.get_absolute_url())
    dates = page.locator(".page-dates")
    expect(dates.get_by_role("definition").first).to_have_text("Lee Writer, MSc")
    expect(dates.get_by_role("link", name="Lee Writer, MSc")).to_have_attribute("href", f"/people/#person-{writer.pk}")
    expect(dates).to_contain_text("2 November 2026 by Ana Silva, PharmD")
    assert_accessible(page)
    screenshot(page, "form-byline")

    dates.get_by_role("link", name="Ana Silva, PharmD").click()
    expect(page).to_have_url(re.compile(rf"/people/#person-{reviewer.pk}$"))
    entry = page.locator(f"#person-{reviewer.pk}")
    expect(entry).to_contain_text("Medical reviewer")
    photo = entry.get_by_role("img", name="Ana Silva, head and shoulders, in front of a bookshelf")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 240  # served, and the CSP let it load
    assert_accessible(page)
    screenshot(page, "people")
