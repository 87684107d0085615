"""/supplements/medicines/ in real Chromium: ticking medicines updates the cards in place, the URL
follows, back works, the form works with JavaScript off, and axe-core finds nothing at any impact."""

import re

import pytest
from playwright.sync_api import expect

from supplements.models import Medicine
from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import GABAPENTIN_TIMETABLE

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/supplements/medicines/"


def box(page, slug):
    return page.locator(f'input[name="medicine"][value="{slug}"]')


def cards(page):
    return page.locator("#results .medicine-card h3")


def test_ticking_medicines_updates_the_cards_in_place_and_the_url_follows(page, seeded):
    every = Medicine.objects.published().count()  # as many as the seed's CSV lists
    page.goto(URL)
    expect(cards(page)).to_have_count(every)
    assert_accessible(page)
    screenshot(page, "medicines")
    page.evaluate("window.__same_document = true")  # a full reload would lose this

    box(page, "gabapentin").check()
    expect(page).to_have_url(re.compile(r"/supplements/medicines/\?medicine=gabapentin$"))
    expect(cards(page)).to_have_text(["gabapentin"])
    expect(page.locator(".timetable li")).to_have_text([GABAPENTIN_TIMETABLE])

    box(page, "ciprofloxacin").check()
    box(page, "raltegravir").check()
    expect(page).to_have_url(re.compile(r"medicine=gabapentin.*medicine=raltegravir"))
    expect(page.locator(".timetable li")).to_have_text(
        [
            # By what to do: "do not combine" first, each line labelled in words.
            "raltegravir: Do not combine raltegravir with magnesium/aluminium antacids; ask your HIV team before "
            "taking any magnesium supplement. Do not take aluminium- or magnesium-containing antacids with "
            "raltegravir, either together or spaced apart.",
            "ciprofloxacin: Keep apart: take ciprofloxacin at least 2 h before or 6 h after magnesium",
            GABAPENTIN_TIMETABLE,
        ]
    )
    assert page.evaluate("window.__same_document") is True
    # Every card carries its sources, one click away.
    page.get_by_text("Sources for raltegravir").click()
    expect(page.locator("#medicine-raltegravir a").first).to_have_attribute(
        "href", "https://hiv-druginteractions.org/interactions/70927"
    )
    assert_accessible(page)
    screenshot(page, "medicines-ticked")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?medicine=ciprofloxacin&medicine=gabapentin$"))
    expect(cards(page)).to_have_text(["ciprofloxacin", "gabapentin"])
    expect(box(page, "raltegravir")).not_to_be_checked()
    expect(box(page, "ciprofloxacin")).to_be_checked()
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?medicine=gabapentin$"))
    expect(cards(page)).to_have_text(["gabapentin"])
    page.go_back()
    expect(page).to_have_url(re.compile(r"/supplements/medicines/$"))
    expect(cards(page)).to_have_count(every)
    expect(box(page, "gabapentin")).not_to_be_checked()


def test_the_same_form_works_with_javascript_off(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(URL)
    box(page, "levothyroxine").check()
    box(page, "proton-pump-inhibitors").check()
    page.get_by_role("button", name="Show my medicines").click()
    expect(page).to_have_url(re.compile(r"medicine=levothyroxine&medicine=proton-pump-inhibitors"))
    expect(page.locator(".timetable li")).to_have_text(
        [
            "levothyroxine: Keep apart: take levothyroxine at least 4 h before or 4 h after magnesium",
            "proton pump inhibitors (prescription, long-term): Ask about a blood magnesium test. Do not stop a "
            "prescribed PPI on your own.",
        ]
    )
    expect(box(page, "levothyroxine")).to_be_checked()
    context.close()


def test_a_bad_slug_in_a_shared_link_is_ignored_with_a_notice(page, seeded):
    page.goto(f"{URL}?medicine=gabapentin&medicine=nope")
    expect(page.get_by_role("status")).to_contain_text("We list no medicine “nope”: ignored.")
    expect(cards(page)).to_have_text(["gabapentin"])
    assert_accessible(page)
