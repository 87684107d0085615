"""/foods/<slug>/ and /foods/compare/: USDA's figures equal to the files, a featured food beside
its USDA entry with both sources, the comparison with 1, 2, 4 and 5 foods, unknown slugs,
htmx fragment vs full page vs history restore, Vary headers and constant query counts."""

import re

import pytest

from supplements.models import USDAFood
from tests.supplements.test_usda_import import run, write_sr28

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PUMPKIN = "12016"  # Seeds, pumpkin and squash seed kernels, roasted, without salt: 550 mg, 574 kcal
SPINACH = "11457"  # Spinach, raw: 79 mg, 23 kcal
WATER = "14411"  # Beverages, water, tap, drinking: 0 kcal


@pytest.fixture
def usda(tmp_path, seeded):
    """Six foods made of USDA's own SR28 lines, the seeded featured foods linked to three of them."""
    run(write_sr28(tmp_path / "sr28"))
    return {food.ndb_number: food for food in USDAFood.objects.all()}


def page(client, slug, **headers):
    response = client.get(f"/foods/{slug}/", **headers)
    assert response.status_code == 200
    return response.text


def text(html):
    """The page's words without tags, spaces collapsed: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_usda_food_page(client, usda):
    spinach = usda[SPINACH]
    words = text(page(client, spinach.slug))
    assert "Spinach, raw" in words
    print(words)
