"""Articles in a real browser: filtering in place, the launch article, its table of contents,
the back button, JavaScript off, accessibility and screenshots."""

import re

import pytest
from playwright.sync_api import expect

from articles.seed import LAUNCH_ARTICLE
from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_articles(seeded):
    """The launch article (neuropathy, magnesium, nutrition, supplements) and one on another topic."""
    make_article(
        title="Magnesium and blood sugar",
        summary="What magnesium has to do with insulin and glucose.",
        topics=[make_topic(name="Diabetes", slug="diabetes")],
    )


def result_titles(page):
    return page.locator("#results h2").all_inner_texts()


def test_filter_by_topic_in_place_open_the_launch_article_follow_the_toc_and_go_back(page, two_articles):
    page.goto("/articles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles")
    expect(page.locator("#results h2")).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "articles-list")

    # Choosing a topic swaps the results in place: no page load, the address follows.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Topic", exact=True).select_option("neuropathy")
    expect(page.locator("#results h2")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/articles/\?.*topic=neuropathy"))
    assert page.evaluate("window.stillTheSamePage") is True
    assert result_titles(page) == [LAUNCH_ARTICLE["title"]]
    expect(page.locator("#results")).to_contain_text("1 article on neuropathy")
    assert_accessible(page)

    # Open the launch article.
    page.get_by_role("link", name=LAUNCH_ARTICLE["title"]).click()
    expect(page).to_have_url(re.compile(rf"/articles/{LAUNCH_ARTICLE['slug']}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LAUNCH_ARTICLE["title"])
    expect(page.get_by_text("Not yet medically reviewed")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "article-launch")

    # The table of contents jumps to the section.
    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="Obtaining Magnesium Safely").click()
    expect(page).to_have_url(re.compile(r"#obtaining-magnesium-safely$"))
    expect(page.get_by_role("heading", name="Obtaining Magnesium Safely", level=2)).to_be_in_viewport()

    # Back: first to the top of the article, then to the filtered list as it was.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/articles/{LAUNCH_ARTICLE['slug']}/$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/articles/\?.*topic=neuropathy"))
    expect(page.locator("#results h2")).to_have_count(1)
    expect(page.get_by_label("Topic", exact=True)).to_have_value("neuropathy")


def test_search_updates_the_results_as_the_reader_types(page, two_articles):
    page.goto("/articles/")
    page.get_by_label("Search articles").fill("insulin")
    expect(page.locator("#results h2")).to_have_count(2)  # the launch article mentions insulin too
    page.get_by_label("Search articles").fill("glucose and insulin")
    expect(page).to_have_url(re.compile(r"q=glucose"))
    page.get_by_label("Search articles").fill("zzzz")
    expect(page.locator("#results")).to_contain_text("No articles match “zzzz”.")
    page.get_by_role("link", name="clear the filters and see all articles").click()
    expect(page.locator("#results h2")).to_have_count(2)
    expect(page.get_by_label("Search articles")).to_have_value("")


def test_filters_work_with_javascript_off(browser, live_server, two_articles):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/articles/")
        page.get_by_label("Topic", exact=True).select_option("diabetes")
        page.get_by_role("button", name="Show articles").click()
        expect(page).to_have_url(re.compile(r"topic=diabetes"))
        expect(page.locator("#results h2")).to_have_count(1)
        expect(page.locator("#results h2")).to_have_text("Magnesium and blood sugar")
    finally:
        context.close()


def test_article_page_cards_and_references_on_a_phone(page, seeded):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/articles/{LAUNCH_ARTICLE['slug']}/")
    references = page.get_by_role("region", name="References").get_by_role("listitem")
    assert references.count() >= 4
    cards = page.get_by_role("region", name="Foods and supplements in this article")
    expect(cards.get_by_role("link", name="Almonds, dry roasted", exact=True)).to_be_visible()
    # Each food's figure opens onto its source.
    source = cards.locator("details", has_text="Source of the figure for Almonds, dry roasted")
    source.locator("summary").click()
    expect(source.get_by_text("NIH ODS Magnesium Fact Sheet for Health Professionals, Table 2")).to_be_visible()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards.get_by_role("link", name="Almonds, dry roasted", exact=True).click()
    expect(page).to_have_url(re.compile(r"/foods/\?q=Almonds"))


def test_editor_writes_a_draft_and_previews_it(page, seeded, django_user_model):
    """The admin's slug prepopulation and food autocomplete, then "View on site" shows the draft banner."""
    django_user_model.objects.create_superuser("writer", "writer@example.org", "a-long-password-for-tests")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill("a-long-password-for-tests")
    page.get_by_role("button", name="Log in").click()

    page.goto("/admin/articles/article/add/")
    page.get_by_label("Title:").press_sequentially("Magnesium and cramps")  # as an editor types
    expect(page.get_by_label("Slug:")).to_have_value("magnesium-and-cramps")
    page.get_by_label("Summary:").fill("What is known about magnesium and muscle cramps.")
    page.get_by_label("Body:").fill("Intro.\n\n## What studies found\n\nLittle so far.")
    # Foods are picked by typing part of the name.
    page.locator("#id_foods").locator("xpath=..").locator(".select2-selection").click()
    page.locator(".select2-search__field").last.fill("almonds")
    page.get_by_role("option", name="Almonds, dry roasted").click()
    expect(page.locator(".select2-selection__choice")).to_contain_text("Almonds, dry roasted")
    page.keyboard.press("Escape")  # close the autocomplete list, as an editor would
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").last.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    with page.expect_navigation():
        page.get_by_role("link", name="View on site").click()
    expect(page).to_have_url(re.compile(r"/articles/magnesium-and-cramps/$"))
    expect(page.get_by_text("Draft — not published.")).to_be_visible()
    expect(page.get_by_role("link", name="Almonds, dry roasted", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "article-draft-preview")
