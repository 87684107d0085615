"""The Django admin works under the site's strict Content-Security-Policy.

The `page` fixture fails a test on any console error, and Chromium reports every blocked
inline script, inline style or foreign resource as one. Each page is also checked for the
scripts it needs having run (the widgets exist), since a blocked script can fail quietly.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from supplements.models import FoodEntry, SupplementForm
from tests.browser.conftest import assert_accessible, assert_strict_csp, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_changelist_and_change_form_with_inlines(editor_page):
    page = editor_page
    response = page.goto("/admin/articles/article/")
    assert_strict_csp(response)
    expect(page.locator("#result_list")).to_be_visible()
    # actions.js ran: ticking the select-all box ticks the rows and updates the counter.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")

    article = Article.objects.get()
    response = page.goto(f"/admin/articles/article/{article.pk}/change/")
    assert_strict_csp(response)
    # inlines.js ran: the "Add another" link adds a reference row.
    rows = page.locator("#references-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#references-group .add-row a").click()
    expect(rows).to_have_count(before + 1)
    # The collapsed fieldset opens, and the autocomplete (Select2) widget opens its list.
    page.get_by_text("Computed", exact=True).click()
    expect(page.get_by_text("Reading minutes", exact=False).first).to_be_visible()
    page.locator(".field-topics .select2-selection").click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    page.keyboard.press("Escape")
    # DateTimeShortcuts ran: the calendar opens.
    page.locator(".field-published_at .datetimeshortcuts a").first.click()
    assert page.violations == []


def test_history_pages(editor_page):
    page = editor_page
    article = Article.objects.get()
    article.summary = article.summary + " Edited."
    article.save()
    response = page.goto(f"/admin/articles/article/{article.pk}/history/")
    assert_strict_csp(response)
    expect(page.locator("#change-history")).to_contain_text("Changed")
    screenshot(page, "admin-history")
    first_version = page.locator("#change-history a[href*='/history/']").last
    first_version.click()
    expect(page.get_by_role("button", name="Revert").first).to_be_visible()
    assert page.violations == []


def test_import_and_export_pages(editor_page):
    page = editor_page
    response = page.goto("/admin/supplements/foodentry/import/")
    assert_strict_csp(response)
    expect(page.locator("input[type=file]")).to_be_attached()
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    # The export form's "Select all" box (an inline handler, allowed by its hash) unticks every field.
    page.goto("/admin/supplements/foodentry/export/")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    expect(fields.first).to_be_checked()
    page.locator("input[name=select-all-toggle]").uncheck()
    expect(fields.first).not_to_be_checked()
    # And the food changelist with its filters and search.
    page.goto("/admin/supplements/foodentry/?q=almonds")
    expect(page.locator("#result_list")).to_contain_text(FoodEntry.objects.filter(name__icontains="almonds")[0].name)
    assert page.violations == []


@pytest.mark.parametrize(
    ("model", "admin_path"), [(Article, "articles/article"), (SupplementForm, "supplements/supplementform")]
)
def test_reference_rows_have_labels_a_screen_reader_can_read(editor_page, model, admin_path):
    # A tabular inline shows its labels only as column headers; each input must be named too.
    page = editor_page
    page.goto(f"/admin/{admin_path}/{model.objects.first().pk}/change/")
    page.locator("#references-group .add-row a").click()  # a row added by inlines.js, too
    expect(page.locator("#references-group tbody tr.form-row:not(.empty-form) [aria-label='Citation']")).to_have_count(
        model.objects.first().references.count() + 2  # the rows, the extra blank row and the added one
    )
    assert_accessible(page, "#references-group")


def test_autocomplete_search_boxes_are_named_after_their_field(editor_page):
    # Select2 creates its search box unnamed; a screen reader must hear which field it searches.
    page = editor_page
    page.goto(f"/admin/articles/article/{Article.objects.get().pk}/change/")
    for field, name in [
        ("topics", "Search topics"),
        ("foods", "Search foods"),
        ("supplement_forms", "Search supplement forms"),
    ]:
        expect(page.locator(f".field-{field} .select2-search__field")).to_have_attribute("aria-label", name)
    results = Axe().run(page, context=".field-topics, .field-foods, .field-supplement_forms")
    unlabelled = [v for v in results.response["violations"] if v["id"] == "label"]
    assert not unlabelled, unlabelled
    assert page.violations == []  # the script runs under the admin's strict CSP
