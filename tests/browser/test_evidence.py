"""Evidence by condition in real Chromium: filtering in place, the URL, back/forward, JavaScript
off, the article's findings beside its paragraphs, the Low magnesium page, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Finding
from articles.seed import CONDITIONS, LAUNCH_ARTICLE
from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def sections(page):
    return page.locator("#results section.condition-section > h2").all_inner_texts()


def matching(**filters):
    """The count the page should show for these filters: the seeded findings, counted in the
    database (the seed's CSV decides; an editor adding a row breaks no test)."""
    return f"{Finding.objects.published().filter(**filters).count()} findings match your filters"


def test_filters_update_in_place_the_url_follows_and_back_restores(page, seeded):
    page.goto("/evidence/")
    expect(page.locator("#result-count")).to_have_text(f"{Finding.objects.published().count()} findings")
    assert sections(page) == [condition["name"] for condition in CONDITIONS]  # every seeded condition, in order
    expect(page.get_by_text("Guideline: American Society of Clinical Oncology (ASCO)")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "evidence")
    page.evaluate("window.__same_document = true")

    page.get_by_role("checkbox", name="Chemotherapy neuropathy").check()
    expect(page).to_have_url(re.compile(r"/evidence/\?.*condition=chemotherapy-neuropathy"))
    chemo = "chemotherapy-neuropathy"
    expect(page.locator("#result-count")).to_have_text(matching(condition__slug=chemo))
    page.get_by_role("checkbox", name="Leg cramps").check()
    expect(page).to_have_url(re.compile(r"condition=chemotherapy-neuropathy&condition=leg-cramps"))
    expect(page.locator("#result-count")).to_have_text(matching(condition__slug__in=[chemo, "leg-cramps"]))
    page.get_by_role("combobox", name="Certainty").select_option("moderate")
    expect(page.locator("#result-count")).to_have_text(
        matching(condition__slug__in=[chemo, "leg-cramps"], certainty="moderate")
    )
    assert sections(page) == ["Chemotherapy neuropathy", "Leg cramps"]
    page.get_by_role("combobox", name="What the study found").select_option("no clear benefit")
    expect(page).to_have_url(re.compile(r"direction=no(\+|%20)clear(\+|%20)benefit"))
    expect(page.locator("#result-count")).to_have_text(
        matching(condition__slug__in=[chemo, "leg-cramps"], certainty="moderate", direction="no clear benefit")
    )
    assert page.evaluate("window.__same_document") is True  # no page load so far
    assert_accessible(page)
    screenshot(page, "evidence-filtered")

    page.go_back()
    expect(page).to_have_url(re.compile(r"certainty=moderate$"))
    expect(page.get_by_role("combobox", name="What the study found")).to_have_value("")
    page.go_back()
    expect(page.locator("#result-count")).to_have_text(matching(condition__slug__in=[chemo, "leg-cramps"]))
    expect(page.get_by_role("combobox", name="Certainty")).to_have_value("")
    expect(page.get_by_role("checkbox", name="Leg cramps")).to_be_checked()
    page.go_forward()
    expect(page.locator("#result-count")).to_have_text(
        matching(condition__slug__in=[chemo, "leg-cramps"], certainty="moderate")
    )
    expect(page.get_by_role("combobox", name="Certainty")).to_have_value("moderate")


def test_the_same_form_works_with_javascript_off(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/evidence/?condition=nope")
    expect(page.get_by_text("Unknown condition “nope”: ignored.")).to_be_visible()
    page.get_by_role("checkbox", name="Restless legs").check()
    page.get_by_role("combobox", name="Certainty").select_option("very low")
    page.get_by_role("button", name="Show findings").click()
    expect(page).to_have_url(re.compile(r"condition=restless-legs.*certainty=very\+low"))
    expect(page.locator("#result-count")).to_have_text(matching(condition__slug="restless-legs", certainty="very low"))
    expect(page.get_by_role("checkbox", name="Restless legs")).to_be_checked()
    context.close()


def test_a_condition_page_and_the_article_findings_beside_the_chemotherapy_paragraph(page, seeded):
    page.goto("/evidence/chemotherapy-neuropathy/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chemotherapy neuropathy")
    expect(page.get_by_text("Clinicians should NOT offer the following agents").first).to_be_visible()
    page.get_by_text("Study details").first.click()
    expect(page.get_by_text("Why this certainty").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "evidence-condition")

    page.goto(f"/articles/{LAUNCH_ARTICLE['slug']}/")
    paragraph = page.locator(".prose > p", has_text="For chemotherapy-induced neuropathy")
    aside = paragraph.locator("xpath=following-sibling::*[1]")
    expect(aside).to_have_class(re.compile("claim-evidence"))
    expect(aside.get_by_text("ASCO: do not offer calcium/magnesium to prevent it")).to_be_visible()
    # A landmark named after its heading and first finding: the article's other box has another name.
    expect(aside).to_have_accessible_name("What the evidence says Diabetic neuropathy: small trials only")
    aside.get_by_role("link", name="All evidence on chemotherapy neuropathy").first.scroll_into_view_if_needed()
    assert_accessible(page)
    screenshot(page, "article-with-evidence")
    aside.get_by_role("link", name="All evidence on chemotherapy neuropathy").first.click()
    expect(page).to_have_url(re.compile(r"/evidence/chemotherapy-neuropathy/$"))


def test_low_magnesium_page_is_accessible(page, seeded):
    page.goto("/supplements/low-magnesium/")
    expect(page.get_by_role("heading", name="Numbness and tingling: test, do not guess")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("0.75 to 0.95")
    assert_accessible(page)
    screenshot(page, "low-magnesium")
