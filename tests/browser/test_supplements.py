"""Supplement forms in real Chromium: live filtering, URL and back button, the calculator live and
without JavaScript, accessibility, and screenshots of every page."""

import re

import pytest
from playwright.sync_api import expect

from supplements.models import SupplementForm
from tests.browser.conftest import assert_accessible, assert_back_and_forward, assert_swapped_in_place, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def rows(page):
    return page.locator("#results tbody th a")


def laxative(page, label):
    return page.get_by_role("group", name="Laxative effect").get_by_label(label, exact=True)


def absorption(page, label):
    return page.get_by_role("group", name="Absorption").get_by_label(label, exact=True)


def seeded_names(sort="elemental", **filters):
    """The seeded forms the page should list for these filters, in its order, from the database
    (the seed's CSV decides; an editor adding a form breaks no test)."""
    forms = SupplementForm.objects.published().filter(**filters).distinct()
    names = list(forms.order_by("-elemental_percent", "name").values_list("name", flat=True))
    return sorted(names, key=str.lower) if sort == "name" else names


def matching(names):
    return f"{len(names)} forms match your filters"


def test_filters_update_the_comparison_in_place_and_the_url_follows(page, seeded):
    page.goto("/supplements/")
    expect(rows(page)).to_have_text(seeded_names())
    expect(page.locator(".bar-chart li")).to_have_count(len(seeded_names()))
    assert_accessible(page)
    screenshot(page, "supplements")
    page.evaluate("window.__same_document = true")  # a full reload would lose this

    laxative(page, "Strong").check()
    expect(page).to_have_url(re.compile(r"/supplements/\?.*laxative=strong"))
    strong = seeded_names(laxative_effect="strong")
    assert 1 < len(strong) < len(seeded_names())  # the filter keeps some and drops some
    expect(page.locator("#results .result-count")).to_have_text(matching(strong))
    expect(rows(page)).to_have_text(strong)
    expect(page.locator(".bar-chart .bar-name")).to_have_text(strong)  # the chart follows the filters

    page.get_by_label("Used for").select_option("antacid")
    expect(page).to_have_url(re.compile(r"use=antacid"))
    both = seeded_names(laxative_effect="strong", uses__slug="antacid")
    assert 0 < len(both) < len(strong)
    expect(page.locator("#results .result-count")).to_have_text(matching(both))
    assert_swapped_in_place(page, "supplements-filtered")


def test_back_button_restores_the_previous_view_with_matching_controls(page, seeded):
    def unfiltered():
        expect(rows(page)).to_have_text(seeded_names(sort="name"))

    assert_back_and_forward(
        page,
        "/supplements/",
        absorption(page, "High"),
        page.locator("#results .result-count"),
        matching(seeded_names(absorption="high")),
        re.compile(r"/supplements/\?sort=name$"),
        unfiltered,
    )


def test_calculator_updates_as_the_reader_types(page, seeded):
    page.goto("/supplements/calculator/")
    assert_accessible(page)
    page.evaluate("window.__same_document = true")
    compound = page.get_by_label("Compound on the label")
    expect(compound).to_be_hidden()  # the Supplement Facts answer is chosen first
    page.get_by_label("My label gives the compound’s weight").check()
    expect(compound).to_be_visible()
    compound.select_option("magnesium-glycinate")
    page.get_by_label("Amount per serving (mg)").fill("500")
    page.get_by_label("Servings a day").fill("2")
    result = page.locator("#result")
    expect(result.locator(".calc-answer")).to_have_text("141.0 mg of elemental magnesium a day")
    expect(page).to_have_url(re.compile(r"label=compound.*form=magnesium-glycinate.*amount_mg=500.*per_day=2"))
    expect(result).to_contain_text("Within the Upper Level of 350 mg a day")
    expect(result).to_contain_text("With kidney disease, take no magnesium supplement")
    screenshot(page, "calculator")

    # A bad value: the message appears beside the field, and goes once fixed.
    page.get_by_label("Amount per serving (mg)").fill("-5")
    expect(page.locator("#id_amount_mg_error")).to_have_text("The amount must be more than 0 mg.")
    expect(result).to_contain_text("Check the field marked above")
    page.get_by_label("Amount per serving (mg)").fill("500")
    expect(page.locator("#id_amount_mg_error")).to_have_text("")
    expect(result.locator(".calc-answer")).to_contain_text("141.0 mg")

    # Another form: its elemental % field appears only when asked for.
    percent = page.get_by_label("Elemental magnesium in your form (%)")
    expect(percent).to_be_hidden()
    page.get_by_label("Another form: I know its elemental magnesium %").check()
    expect(percent).to_be_visible()
    expect(compound).to_be_hidden()
    percent.fill("11")
    page.get_by_label("Amount per serving (mg)").fill("1000")
    expect(result.locator(".calc-answer")).to_have_text("220.0 mg of elemental magnesium a day")

    # The label lists magnesium itself; an adult woman; just over the Upper Level.
    page.get_by_label("My label lists “Magnesium … mg”").check()
    page.get_by_label("Amount per serving (mg)").fill("351")
    page.get_by_label("Servings a day").fill("1")
    page.get_by_label("Life stage (optional)").select_option("adults-31-50-years-female")
    expect(result.locator(".notice-danger")).to_contain_text("Above the Upper Level.")
    expect(result).to_contain_text("110 % of 320 mg")
    expect(result).to_contain_text("never magnesium from food")
    expect(result).to_contain_text("With kidney disease, take no magnesium supplement")
    assert page.evaluate("window.__same_document") is True
    assert_accessible(page)
    screenshot(page, "calculator-over-upper-level")


def test_the_forms_work_with_javascript_off(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/supplements/")
    absorption(page, "Low").check()
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"absorption=low.*sort=name"))
    low = seeded_names(sort="name", absorption="low")
    expect(page.locator("#results .result-count")).to_have_text(matching(low))
    expect(rows(page)).to_have_text(low)
    expect(absorption(page, "Low")).to_be_checked()

    page.goto("/supplements/calculator/")
    page.get_by_label("My label gives the compound’s weight").check()
    page.get_by_label("Compound on the label").select_option("magnesium-oxide")
    page.get_by_label("Amount per serving (mg)").fill("500")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("#result .calc-answer")).to_have_text("301.5 mg of elemental magnesium a day")
    expect(page.get_by_label("Amount per serving (mg)")).to_have_value("500")
    expect(page.get_by_label("My label gives the compound’s weight")).to_be_checked()

    page.get_by_label("Amount per serving (mg)").fill("1e9")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("#id_amount_mg_error")).to_contain_text("more than 10,000 mg (10 g) in one serving")
    expect(page.get_by_label("Amount per serving (mg)")).to_have_attribute("aria-invalid", "true")

    # The label trap with JavaScript off: "Magnesium 400 mg" is 400 mg, over the adult Upper Level.
    page.get_by_label("My label lists “Magnesium … mg”").check()
    page.get_by_label("Amount per serving (mg)").fill("400")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("#result .calc-answer")).to_have_text("400.0 mg of elemental magnesium a day")
    expect(page.locator("#result .notice-danger")).to_contain_text("Above the Upper Level.")
    context.close()


def test_form_page_and_safety_page_are_accessible_and_linked(page, seeded):
    page.goto("/supplements/magnesium-glycinate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Magnesium glycinate")
    expect(page.locator(".worked-example")).to_contain_text("500 mg × 14.1 % = 70.5 mg")
    assert_accessible(page)
    screenshot(page, "supplement-glycinate")

    page.get_by_role("link", name=re.compile("Read the safety page")).click()
    expect(page).to_have_url(re.compile(r"/supplements/safety/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("how much is too much")
    expect(page.get_by_role("table").first).to_contain_text("9 years and older")
    assert_accessible(page)
    screenshot(page, "supplements-safety")


@pytest.mark.parametrize(
    "url",
    [
        "/supplements/",
        "/supplements/magnesium-l-threonate/",
        "/supplements/safety/",
        "/supplements/calculator/?form=magnesium-oxide&amount_mg=500&stage=adults-31-50-years-female",
        "/supplements/calculator/?label=elemental&amount_mg=5&stage=infants-0-6-months-all",
        "/supplements/calculator/?form=label&amount_mg=200&pills=2&per_day=2",
    ],
)
def test_pages_fit_a_phone_screen_without_sideways_scrolling(page, seeded, url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(url)
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
