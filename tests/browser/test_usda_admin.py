"""The USDA foods' admin in a real browser: strict CSP, axe-core, the featured food's USDA link."""

import pytest
from playwright.sync_api import expect

from supplements.models import FoodEntry, USDAFood
from tests.browser.conftest import assert_accessible, log_in_to_admin
from tests.factories import run, write_sr28

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_page(page, seeded, django_user_model, tmp_path):
    run(write_sr28(tmp_path / "sr28"))
    log_in_to_admin(page, django_user_model, "usda-editor")
    return page  # the page fixture fails the test on any console error (a CSP violation is one)


def test_usda_food_list_and_read_only_page(admin_page):
    page = admin_page
    page.goto("/admin/supplements/usdafood/")
    page.locator("#searchbar").fill("spinach")
    page.locator("#changelist-search [type=submit]").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Featured (a curated food links to it)").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    assert_accessible(page)

    spinach = USDAFood.objects.get(ndb_number="11457")
    page.goto(f"/admin/supplements/usdafood/{spinach.pk}/change/")
    expect(page.get_by_text("7 analyses (standard error 4.794 mg)")).to_be_visible()
    expect(page.locator("#measures-group tbody tr.form-row:not(.empty-form)")).to_have_count(4)
    expect(page.locator("input[name=description], input[name=_save]")).to_have_count(0)
    assert_accessible(page)


def test_featured_food_links_to_a_usda_food_by_search(admin_page):
    page = admin_page
    entry = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    page.goto(f"/admin/supplements/foodentry/{entry.pk}/change/")
    expect(page.locator(".field-usda_food")).to_contain_text("NDB 12016")
    page.locator(".field-usda_food .select2-selection").click()
    page.locator(".select2-search__field").fill("spinach raw")
    page.get_by_role("option", name="Spinach, raw (NDB 11457)").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    entry.refresh_from_db()
    assert entry.usda_food.ndb_number == "11457" and entry.magnesium_mg == 156
