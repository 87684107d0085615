"""Every content page (article, supplement form, featured food, site page) renders through
site_project.views.render_content: a staff preview of an unpublished item is never stored by a
shared cache and never indexed; the published page carries neither header."""

import pytest
from django.urls import reverse

from site_project.models import Status
from tests.factories import make_article, make_food, make_site_page, make_supplement_form


def address(item):
    """The item's page; a food (FoodEntry) has no get_absolute_url, its page is /foods/<slug>/."""
    if hasattr(item, "get_absolute_url"):
        return item.get_absolute_url()
    return reverse("supplements:food", args=[item.slug])


MAKERS = {
    "article": make_article,
    "supplement form": make_supplement_form,
    "featured food": make_food,
    "site page": make_site_page,
}


@pytest.mark.parametrize("kind", MAKERS)
def test_a_staff_preview_is_not_cached_or_indexed(staff_client, kind):
    item = MAKERS[kind](status=Status.DRAFT, published_at=None)
    response = staff_client.get(address(item))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("kind", MAKERS)
def test_a_published_page_may_be_cached_and_indexed(staff_client, kind):
    item = MAKERS[kind](status=Status.PUBLISHED)
    response = staff_client.get(address(item))
    assert response.status_code == 200
    assert "X-Robots-Tag" not in response
    assert "no-cache" not in response.get("Cache-Control", "")
