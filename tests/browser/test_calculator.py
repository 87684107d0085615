"""The dose calculator, label first (issue 12), in real Chromium: the label trap, the infant alert,
the kidney-disease sentence and an old link, each checked with axe and photographed at 390 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

KIDNEY = "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."


def test_the_label_trap_the_supplement_facts_answer_is_the_first_and_live(page, seeded):
    page.goto("/supplements/calculator/")
    facts = page.get_by_label("My label lists “Magnesium … mg”")
    expect(facts).to_be_checked()
    expect(page.locator(".field-label input[type=radio]").first).to_have_attribute("value", "elemental")
    page.get_by_label("Amount per serving (mg)").fill("400")
    result = page.locator("#result")
    expect(result.locator(".calc-answer")).to_have_text("400.0 mg of elemental magnesium a day")
    expect(result.locator(".notice-danger")).to_contain_text("50.0 mg more than the Upper Level of 350 mg")
    expect(result).to_contain_text("Children’s Upper Levels are lower: 65 mg a day for ages 1-3 years")
    expect(result).to_contain_text(KIDNEY)
    expect(page).to_have_url(re.compile(r"label=elemental.*amount_mg=400"))
    assert_accessible(page)
    screenshot(page, "calculator-label-trap")

    # The same 400 mg as the compound's weight of glycinate is 56.4 mg.
    page.get_by_label("My label gives the compound’s weight").check()
    page.get_by_label("Compound on the label").select_option("magnesium-glycinate")
    expect(result.locator(".calc-answer")).to_have_text("56.4 mg of elemental magnesium a day")
    expect(result).to_contain_text("Within the Upper Level of 350 mg")
    expect(result).to_contain_text(KIDNEY)
    expect(page.locator("#id_form_helptext")).to_contain_text("about 167 mg of magnesium")


def test_an_infant_gets_an_alert(page, seeded):
    page.goto("/supplements/calculator/")
    page.get_by_label("Amount per serving (mg)").fill("10")
    page.get_by_label("Life stage (optional)").select_option("infants-7-12-months-all")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("No Upper Level is set for 0-12 months")
    expect(alert).to_contain_text("unless a clinician prescribes it")
    expect(page.locator("#result")).to_contain_text(KIDNEY)
    assert_accessible(page)
    screenshot(page, "calculator-infant")


def test_an_old_link_gives_its_old_answer(page, seeded):
    # Measured on the old calculator: 2 pills of 500 mg glycinate twice a day = 282.0 mg.
    page.goto("/supplements/calculator/?form=magnesium-glycinate&amount_mg=500&pills=2&per_day=2")
    expect(page.locator("#result .calc-answer")).to_have_text("282.0 mg of elemental magnesium a day")
    expect(page.get_by_label("My label gives the compound’s weight")).to_be_checked()
    expect(page.get_by_label("Servings taken together")).to_have_value("2")
    # Editing the old link's multiplier updates the answer in place.
    page.get_by_label("Servings taken together").fill("1")
    expect(page.locator("#result .calc-answer")).to_have_text("141.0 mg of elemental magnesium a day")
    assert_accessible(page)
    screenshot(page, "calculator-old-link")
