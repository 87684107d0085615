"""The pages a reader lands on most, each at a phone's width (390 px) and a desktop's (1280 px), with
axe-core's full check: no violation at any impact (tests/browser/conftest.py, assert_accessible). The
other browser tests check these pages at one width, in the middle of what they test."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from site_project.models import SITE_PAGES
from tests.browser.conftest import WIDTHS, assert_accessible
from tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "stage=adults-31-50-years-female&food=pumpkin-seeds-pepitas-roasted:1&food=spinach-boiled-drained:2"
PLAN += "&supplement=label:200:1"
PAGES = [
    # The path ({pumpkin}, {spinach}: USDA foods' slugs) and the first-level heading once the page is there.
    pytest.param("/foods/?scope=all", "Magnesium-rich foods", id="all-foods"),
    pytest.param("/foods/{pumpkin}/", "Seeds, pumpkin and squash seed kernels, roasted, without salt", id="usda-food"),
    pytest.param("/foods/pumpkin-seeds-pepitas-roasted/", "Pumpkin seeds (pepitas), roasted", id="featured-food"),
    pytest.param("/foods/compare/?food={spinach}&food=pumpkin-seeds-pepitas-roasted", "Compare foods", id="compare"),
    pytest.param(f"/planner/?{PLAN}", "My magnesium day", id="planner"),
    pytest.param(f"/supplements/medicines/?{PLAN}&medicine=gabapentin", "Your medicines and magnesium", id="drugs"),
    pytest.param("/people/", "Who writes and reviews this site", id="people"),
    pytest.param("/sources/", "Where our figures come from", id="sources"),
    pytest.param("/evidence/nerve-pain/", "Nerve pain: what the evidence on magnesium says", id="nerve-pain"),
    *[pytest.param(f"/{slug}/", title, id=slug) for slug, title in SITE_PAGES],
]


def a_reviewer_with_a_photo(settings, tmp_path):
    """/people/ with more than the seed's editors: a reviewer with a photo who has reviewed a page."""
    from PIL import Image

    from supplements.models import SupplementForm

    settings.MEDIA_ROOT, settings.SERVE_MEDIA = tmp_path, True  # as under `make run`
    buffer = io.BytesIO()
    Image.new("RGB", (240, 240), (90, 130, 170)).save(buffer, "PNG")
    reviewer = make_person(name="Ana Silva", credentials="PharmD", role="Medical reviewer")
    reviewer.photo.save("ana.png", ContentFile(buffer.getvalue()), save=False)
    reviewer.photo_alt = "Ana Silva, head and shoulders, in front of a bookshelf"
    reviewer.save()
    SupplementForm.objects.get(slug="magnesium-citrate").mark_reviewed(reviewer, datetime.date(2026, 11, 2))


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_the_page_passes_axe_at_both_widths(page, usda, settings, tmp_path, path, heading):
    if path == "/people/":
        a_reviewer_with_a_photo(settings, tmp_path)
    response = page.goto(path.format(pumpkin=usda["12016"], spinach=usda["11457"]))
    assert response.status == 200
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.wait_for_load_state("load")  # deferred scripts (site.js) have run: what a reader gets
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
