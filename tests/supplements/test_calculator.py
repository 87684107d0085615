"""The elemental-magnesium dose calculator: the arithmetic, the form's messages, and the page."""

import re
from decimal import Decimal

import pytest

from supplements.dosing import elemental_dose, round_mg
from supplements.forms import DoseCalculatorForm
from tests.factories import assert_readers_figures_not_kept, make_intake, make_supplement_form

URL = "/supplements/calculator/"
HTMX = {"HX-Request": "true"}


# --- The arithmetic (no database) --------------------------------------------------------------


def test_500_mg_magnesium_oxide_at_60_3_percent_is_301_5_mg():
    dose = elemental_dose(Decimal(500), Decimal("60.3"))
    assert dose.per_pill == Decimal("301.5")
    assert dose.per_day == Decimal("301.5")


def test_two_500_mg_glycinate_pills_at_14_1_percent_are_141_mg():
    assert elemental_dose(Decimal(500), Decimal("14.1"), doses_per_day=2).per_day == Decimal("141")
    assert elemental_dose(Decimal(500), Decimal("14.1"), pills_per_dose=2).per_day == Decimal("141")


def test_pills_per_dose_and_doses_per_day_multiply():
    dose = elemental_dose(Decimal(250), Decimal("16.2"), pills_per_dose=2, doses_per_day=3)
    assert dose.per_pill == Decimal("40.5")
    assert dose.pills_per_day == 6
    assert dose.per_day == Decimal("243")


def test_a_label_that_gives_elemental_magnesium_needs_no_conversion():
    assert elemental_dose(Decimal(200), Decimal(100), doses_per_day=2).per_day == Decimal(400)


def test_percent_of_rda_and_daily_value_are_rounded_half_up():
    dose = elemental_dose(Decimal(500), Decimal("14.1"), doses_per_day=2, recommended_mg=320)
    assert dose.percent_of_recommended == Decimal(44)  # 141 / 320 = 44.06 %
    assert dose.percent_of_daily_value == Decimal(34)  # 141 / 420 = 33.57 %
    assert round_mg(Decimal("0.05")) == Decimal("0.1")
    assert elemental_dose(Decimal(333), Decimal("14.1")).per_pill_rounded == Decimal("47.0")  # 46.953


def test_upper_level_boundary_350_is_not_over_351_is():
    at_limit = elemental_dose(Decimal(350), Decimal(100), upper_level_mg=350)
    assert not at_limit.over_upper_level and at_limit.over_by is None
    over = elemental_dose(Decimal(351), Decimal(100), upper_level_mg=350)
    assert over.over_upper_level and over.over_by == Decimal("1.0")
    # The comparison uses the amount as shown: 350.04 mg shows as 350.0, at the Upper Level, not over it.
    shown_at_limit = elemental_dose(Decimal("350.04"), Decimal(100), upper_level_mg=350)
    assert not shown_at_limit.over_upper_level and shown_at_limit.over_by is None
    just_over = elemental_dose(Decimal("350.05"), Decimal(100), upper_level_mg=350)  # shows as 350.1
    assert just_over.over_upper_level and just_over.over_by == Decimal("0.1")


def test_elemental_percent_keeps_the_references_one_decimal():
    assert elemental_dose(Decimal(500), Decimal("12.00")).elemental_percent_text == "12.0"
    assert elemental_dose(Decimal(500), Decimal("60.30")).elemental_percent_text == "60.3"
    assert elemental_dose(Decimal(500), Decimal("14.15")).elemental_percent_text == "14.15"
    assert elemental_dose(Decimal(500), Decimal(11)).elemental_percent_text == "11.0"


def test_no_upper_level_means_no_warning():
    assert not elemental_dose(Decimal(5000), Decimal(100), upper_level_mg=None).over_upper_level


# --- The form ----------------------------------------------------------------------------------


@pytest.fixture
def choices(db):
    oxide = make_supplement_form(name="Magnesium oxide", slug="magnesium-oxide", elemental_percent=Decimal("60.3"))
    glycinate = make_supplement_form(
        name="Magnesium glycinate", slug="magnesium-glycinate", elemental_percent=Decimal("14.1")
    )
    adult = make_intake(
        life_stage="adults", age_range="31-50 years", sex="female", recommended_mg=320, upper_level_mg=350
    )
    toddler = make_intake(
        life_stage="children", age_range="1-3 years", sex="all", recommended_mg=80, upper_level_mg=65,
        upper_level_ages="1-3 years",
    )  # fmt: skip
    infant = make_intake(
        life_stage="infants", age_range="0-6 months", sex="all", metric="AI", recommended_mg=30,
        upper_level_mg=None, upper_level_ages="0-12 months", upper_level_note="Not established",
    )  # fmt: skip
    return {"forms": [glycinate, oxide], "stages": [adult, toddler, infant]}


def calculator_form(choices, **data):
    return DoseCalculatorForm(
        {key: str(value) for key, value in data.items()}, supplement_forms=choices["forms"], stages=choices["stages"]
    )


def test_form_computes_the_dose_for_a_form_and_life_stage(choices):
    form = calculator_form(
        choices, form="magnesium-glycinate", amount_mg=500, per_day=2, stage="adults-31-50-years-female"
    )
    dose = form.dose()
    assert dose.per_day == Decimal("141")
    assert dose.recommended_mg == 320 and dose.upper_level_mg == 350
    assert form.selected_form.slug == "magnesium-glycinate"


def test_without_a_life_stage_the_upper_level_for_ages_9_and_over_applies(choices):
    form = calculator_form(choices, form="magnesium-oxide", amount_mg=500)
    dose = form.dose()
    assert dose.upper_level_mg == 350 and dose.recommended_mg is None
    assert form.upper_level_row.upper_level_ages == "9 years and older"


def test_a_child_gets_the_childs_upper_level(choices):
    dose = calculator_form(choices, form="label", amount_mg=66, stage="children-1-3-years-all").dose()
    assert dose.upper_level_mg == 65 and dose.over_upper_level


def test_entering_an_elemental_percent_directly(choices):
    dose = calculator_form(choices, form="percent", percent="11", amount_mg=1000).dose()
    assert dose.per_day == Decimal("110")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"form": "magnesium-oxide"}, "amount_mg", "Enter the amount per serving"),
        ({"form": "magnesium-oxide", "amount_mg": ""}, "amount_mg", "Enter the amount per serving"),
        ({"form": "magnesium-oxide", "amount_mg": "-5"}, "amount_mg", "The amount must be more than 0 mg."),
        ({"form": "magnesium-oxide", "amount_mg": "0"}, "amount_mg", "The amount must be more than 0 mg."),
        ({"form": "magnesium-oxide", "amount_mg": "lots"}, "amount_mg", "Enter the amount as a number of milligrams"),
        ({"form": "magnesium-oxide", "amount_mg": "1e9"}, "amount_mg", "more than 10,000 mg (10 g) in one serving"),
        ({"form": "magnesium-oxide", "amount_mg": "NaN"}, "amount_mg", "Enter the amount as a number of milligrams"),
        ({"form": "magnesium-oxide", "amount_mg": "Infinity"}, "amount_mg", "Enter the amount as a number"),
        ({"form": "magnesium-x", "amount_mg": "500"}, "form", "We have no supplement form “magnesium-x”"),
        ({"amount_mg": "500"}, "label", "Say what your label gives"),
        ({"label": "compound", "amount_mg": "500"}, "form", "Choose the compound your label names"),
        ({"label": "nonsense", "amount_mg": "500"}, "label", "Choose one of the three answers"),
        ({"form": "percent", "amount_mg": "500"}, "percent", "Enter the elemental magnesium % from the label"),
        ({"form": "percent", "percent": "101", "amount_mg": "500"}, "percent", "more than 0 and at most 100 %"),
        ({"form": "percent", "percent": "0", "amount_mg": "500"}, "percent", "more than 0 and at most 100 %"),
        ({"form": "magnesium-oxide", "amount_mg": "500", "per_day": "0"}, "per_day", "whole number from 1 to 12"),
        ({"form": "magnesium-oxide", "amount_mg": "500", "per_day": "1.5"}, "per_day", "whole number from 1 to 12"),
        ({"form": "magnesium-oxide", "amount_mg": "500", "per_day": "99"}, "per_day", "whole number from 1 to 12"),
        ({"form": "magnesium-oxide", "amount_mg": "500", "pills": "-1"}, "pills", "whole number from 1 to 20"),
        ({"form": "magnesium-oxide", "amount_mg": "500", "stage": "martians"}, "stage", "Choose a life stage"),
    ],
)  # fmt: skip
def test_every_bad_input_gets_a_clear_message_on_its_field(choices, data, field, message):
    form = calculator_form(choices, **data)
    assert form.dose() is None
    assert message in " ".join(form.errors[field])


def test_a_first_visit_is_not_an_error(choices):
    form = DoseCalculatorForm({}, supplement_forms=choices["forms"], stages=choices["stages"])
    assert not form.is_bound and form.dose() is None and not form.errors


# --- The page ----------------------------------------------------------------------------------


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
def test_full_page_without_javascript_answers_the_get_form(client, choices):
    response = client.get(URL, {"form": "magnesium-oxide", "amount_mg": "500"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="calc-form" method="get" action="/supplements/calculator/"' in html
    assert '<option value="magnesium-oxide" selected>' in html
    page = page_text(response)
    assert "301.5 mg of elemental magnesium a day" in page
    assert "500 mg of magnesium oxide × 60.3 % magnesium = 301.5 mg per serving" in page
    assert "72 % of 420 mg" in page  # % of the label Daily Value when no life stage is chosen
    assert "Within the Upper Level of 350 mg a day for ages 9 years and older" in page
    assert "Rounding: milligrams to one decimal place" in page


@pytest.mark.django_db
def test_over_the_upper_level_shows_a_warning_that_food_does_not_count(client, choices):
    params = {"form": "label", "amount_mg": "351", "stage": "adults-31-50-years-female"}
    page = page_text(client.get(URL, params))
    assert "Above the Upper Level." in page
    assert "351.0 mg a day is 1.0 mg more than the Upper Level of 350 mg a day for ages 9 years and older" in page
    assert "never magnesium from food" in page
    assert "110 % of 320 mg" in page

    page = page_text(client.get(URL, {**params, "amount_mg": "350"}))
    assert "Above the Upper Level" not in page
    assert "Within the Upper Level of 350 mg" in page


@pytest.mark.django_db
@pytest.mark.parametrize("amount_mg", ["580.44", "580.5"])  # 350.0053 and 350.0415 mg of magnesium a day
def test_a_dose_shown_as_exactly_the_upper_level_is_not_reported_as_over_it(client, choices, amount_mg):
    page = page_text(client.get(URL, {"form": "magnesium-oxide", "amount_mg": amount_mg}))
    assert "350.0 mg of elemental magnesium a day" in page
    assert "Above the Upper Level" not in page
    assert "0.0 mg more" not in page
    assert "Within the Upper Level of 350 mg a day for ages 9 years and older" in page
    assert "uses the daily amount as shown, to 0.1 mg" in page


@pytest.mark.django_db
def test_a_dose_shown_a_tenth_over_the_upper_level_is_reported_as_0_1_mg_over(client, choices):
    page = page_text(client.get(URL, {"form": "label", "amount_mg": "350.05"}))
    assert "Above the Upper Level. 350.1 mg a day is 0.1 mg more than the Upper Level of 350 mg" in page


@pytest.mark.django_db
def test_infants_have_no_upper_level_and_the_page_says_so(client, choices):
    page = page_text(client.get(URL, {"form": "label", "amount_mg": "10", "stage": "infants-0-6-months-all"}))
    assert "No Upper Level is set for 0-12 months" in page
    assert "33 % of 30 mg" in page


@pytest.mark.django_db
def test_htmx_request_gets_the_result_and_the_field_messages_only(client, choices):
    response = client.get(URL, {"form": "magnesium-glycinate", "amount_mg": "500", "per_day": "2"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="result" class="calc-result" aria-live="polite"')
    assert "<html" not in html and "calc-form" not in html
    assert "141.0 mg" in html
    # Each field's message travels out of band, so a fixed field loses its old message.
    assert '<p id="id_amount_mg_error" class="field-error" data-hx-swap-oob="true"></p>' in html
    vary = response.headers["Vary"]
    assert "HX-Request" in vary and "HX-History-Restore-Request" in vary


@pytest.mark.django_db
def test_htmx_bad_input_updates_the_message_next_to_the_field(client, choices):
    html = client.get(URL, {"form": "magnesium-oxide", "amount_mg": "-1"}, headers=HTMX).content.decode()
    assert (
        '<p id="id_amount_mg_error" class="field-error" data-hx-swap-oob="true">The amount must be more than 0 mg.</p>'
        in html
    )
    assert "Check the field marked above" in html


@pytest.mark.django_db
def test_history_restore_gets_the_full_page(client, choices):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get(URL, {"form": "magnesium-oxide", "amount_mg": "500"}, headers=headers).content.decode()
    assert "<!doctype html>" in html and "calc-form" in html and "301.5 mg" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"form": "magnesium-oxide", "amount_mg": "1e9"},
        {"form": "x" * 500, "amount_mg": "9" * 400, "per_day": "1e99", "pills": "-0", "stage": "<b>"},
        {"form": "percent", "percent": "-Infinity", "amount_mg": "sNaN"},
        {"amount_mg": "500", "per_day": ""},
    ],
)
def test_bad_input_never_gives_a_500_and_is_shown_beside_the_field(client, choices, params):
    for headers in ({}, HTMX):
        response = client.get(URL, params, headers=headers)
        assert response.status_code == 200
        assert "field-error" in response.content.decode()
        assert "<b>" not in response.content.decode().split("</select>")[-1]


@pytest.mark.django_db
def test_bad_input_in_the_full_page_marks_the_field_invalid(client, choices):
    html = client.get(URL, {"form": "magnesium-oxide", "amount_mg": "abc"}).content.decode()
    assert re.search(r'<input type="number" name="amount_mg"[^>]*aria-invalid="true"', html)
    assert re.search(r'<input type="number" name="amount_mg"[^>]*aria-describedby="id_amount_mg_error', html)
    assert '<p id="id_amount_mg_error" class="field-error">Enter the amount as a number of milligrams' in html


@pytest.mark.django_db
def test_calculator_query_count_is_constant(client, django_assert_num_queries):
    for _ in range(30):
        make_supplement_form(references=2)
        make_intake()
    form = make_supplement_form(slug="magnesium-oxide", elemental_percent=Decimal("60.3"))
    stage = make_intake(life_stage="adults", age_range="31-50 years", sex="female")
    # The published forms and the intake rows, with or without an answer; the full page adds who wrote and
    # reviewed the forms and the intake figures behind it, and their dates (one grouped query each).
    with django_assert_num_queries(4):
        response = client.get(URL, {"form": form.slug, "amount_mg": "500", "stage": stage.key})
    assert "301.5 mg" in response.content.decode()
    with django_assert_num_queries(2):
        client.get(URL, {"form": form.slug, "amount_mg": "600"}, headers=HTMX)


def test_tiny_exponents_cannot_inflate_the_page(client, seeded):
    response = client.get(
        "/supplements/calculator/", {"form": "percent", "percent": "1e-999999", "amount_mg": "1e-999999"}
    )
    assert response.status_code == 200
    assert len(response.content) < 100_000
    assert "at most 2 decimals" in response.text


def test_a_leftover_bad_percent_does_not_block_a_listed_form(client, seeded):
    response = client.get(
        "/supplements/calculator/", {"form": "magnesium-oxide", "amount_mg": "500", "percent": "abc"}
    )
    assert "301.5" in response.text  # 500 mg x 60.3 %


# --- Label first (issue 12) --------------------------------------------------------------------


def result_text(response):
    """The result section's words only, so a figure in the form's help cannot pass for an answer."""
    text = page_text(response)
    return text[text.index(" Result ") : text.index("Rounding:")]


KIDNEY = (
    "Kidney disease: the Upper Level is set for healthy people, “almost all individuals in the general "
    "population”. The kidneys keep the body’s magnesium level. With kidney disease, take no magnesium "
    "supplement, antacid or laxative unless your prescriber advises it."
)


def test_the_label_trap_a_supplement_facts_line_is_already_elemental(client, seeded):
    """“Magnesium 400 mg (as glycinate)” is 400 mg of magnesium: over the adult Upper Level."""
    result = result_text(client.get(URL, {"label": "elemental", "amount_mg": "400"}))
    assert "400.0 mg of elemental magnesium a day" in result
    assert "Above the Upper Level. 400.0 mg a day is 50.0 mg more than the Upper Level of 350 mg" in result
    assert "no conversion is needed" in result

    # Only when the label gives the compound's weight is 400 mg of glycinate 56.4 mg of magnesium.
    params = {"label": "compound", "form": "magnesium-glycinate", "amount_mg": "400"}
    result = result_text(client.get(URL, params))
    assert "56.4 mg of elemental magnesium a day" in result
    assert "400 mg of magnesium glycinate × 14.1 % magnesium = 56.4 mg per serving" in result
    assert "Within the Upper Level of 350 mg" in result and "Above the Upper Level" not in result


def test_the_supplement_facts_answer_comes_first_and_is_chosen_on_a_first_visit(client, seeded):
    html = client.get(URL).content.decode()
    radios = re.findall(r'<input type="radio" name="label" value="(\w+)"[^>]*>', html)
    assert radios == ["elemental", "compound", "percent"]
    assert re.search(r'<input type="radio" name="label" value="elemental"[^>]*checked', html)
    page = page_text(client.get(URL))
    assert "My label lists “Magnesium … mg” (a Supplement Facts panel)" in page
    assert "My label gives the compound’s weight (e.g. 500 mg magnesium glycinate)" in page
    assert "“Magnesium 400 mg (as magnesium glycinate)” means 400 mg of magnesium" in page
    assert "21 CFR 101.36" in page
    assert "Amount per serving (mg)" in page and "Servings a day" in page
    assert "Servings taken together" not in page  # only older links carry it


def test_a_compound_left_selected_is_ignored_once_the_label_gives_magnesium(client, seeded):
    for form in ("magnesium-glycinate", "no-such-form"):
        response = client.get(URL, {"label": "elemental", "form": form, "amount_mg": "200", "per_day": "2"})
        assert "400.0 mg of elemental magnesium a day" in result_text(response)


def test_milk_of_magnesia_is_counted_as_magnesium_hydroxide(client, seeded):
    page = page_text(client.get(URL))
    assert "400 mg of magnesium hydroxide per 5 mL (about 167 mg of magnesium)" in page
    assert "Phillips’ Milk of Magnesia Drug Facts labels" in page
    params = {"label": "compound", "form": "magnesium-hydroxide", "amount_mg": "400", "per_day": "4"}
    result = result_text(client.get(URL, params))
    assert "400 mg of magnesium hydroxide × 41.7 % magnesium = 166.8 mg per serving" in result
    assert "667.2 mg of elemental magnesium a day" in result and "Above the Upper Level" in result


# Measured on the old calculator (commit 9bcf103, before issue 12), with the seed data: each old
# link's answer, per-pill figure, comparison and verdict. The new page must give the same figures.
OLD_LINKS = [
    ("form=magnesium-glycinate&amount_mg=400", ["56.4 mg of elemental magnesium a day", "13 % of 420 mg",
        "Within the Upper Level of 350 mg a day for ages 9 years and older"]),
    ("form=magnesium-glycinate&amount_mg=500&pills=2&per_day=2", ["282.0 mg of elemental magnesium a day",
        "In one serving 70.5 mg", "67 % of 420 mg", "Within the Upper Level of 350 mg"]),
    ("form=magnesium-oxide&amount_mg=500&stage=adults-31-50-years-female", [
        "301.5 mg of elemental magnesium a day", "94 % of 320 mg", "Within the Upper Level of 350 mg"]),
    ("form=label&amount_mg=400", ["400.0 mg of elemental magnesium a day", "95 % of 420 mg",
        "400.0 mg a day is 50.0 mg more than the Upper Level of 350 mg a day for ages 9 years and older"]),
    ("form=label&amount_mg=200&pills=2&per_day=1&stage=children-4-8-years-all", [
        "400.0 mg of elemental magnesium a day", "In one serving 200.0 mg", "308 % of 130 mg",
        "400.0 mg a day is 290.0 mg more than the Upper Level of 110 mg a day for ages 4-8 years"]),
    ("form=percent&percent=11&amount_mg=1000&per_day=3", ["330.0 mg of elemental magnesium a day",
        "1000 mg of your form × 11.0 % magnesium = 110.0 mg", "79 % of 420 mg", "Within the Upper Level of 350 mg"]),
    ("form=magnesium-citrate&amount_mg=250&pills=3&per_day=2&stage=pregnancy-19-30-years-female", [
        "243.0 mg of elemental magnesium a day", "In one serving 40.5 mg", "69 % of 350 mg",
        "Within the Upper Level of 350 mg"]),
    ("form=magnesium-oxide&amount_mg=580.44", ["350.0 mg of elemental magnesium a day", "83 % of 420 mg",
        "Within the Upper Level of 350 mg"]),
    ("form=label&amount_mg=10&stage=infants-0-6-months-all", ["10.0 mg of elemental magnesium a day",
        "33 % of 30 mg", "No Upper Level is set for 0-12 months"]),
]  # fmt: skip


@pytest.mark.parametrize(("query", "expected"), OLD_LINKS)
def test_old_calculator_links_give_the_same_answers(client, seeded, query, expected):
    for headers in ({}, HTMX):
        response = client.get(f"{URL}?{query}", headers=headers)
        assert response.status_code == 200
        result = result_text(response) if not headers else page_text(response)
        for figure in expected:
            assert figure in result
        assert "Check the field" not in result


def test_an_old_link_chooses_the_matching_answer_and_keeps_its_pills(client, seeded):
    html = client.get(f"{URL}?form=label&amount_mg=200&pills=2").content.decode()
    assert re.search(r'<input type="radio" name="label" value="elemental"[^>]*checked', html)
    assert re.search(r'<input type="number" name="pills" value="2"', html)
    assert "Servings taken together" in page_text(client.get(f"{URL}?form=label&amount_mg=200&pills=2"))
    html = client.get(f"{URL}?form=magnesium-oxide&amount_mg=500").content.decode()
    assert re.search(r'<input type="radio" name="label" value="compound"[^>]*checked', html)
    assert '<option value="magnesium-oxide" selected>' in html
    html = client.get(f"{URL}?form=percent&percent=11&amount_mg=1000").content.decode()
    assert re.search(r'<input type="radio" name="label" value="percent"[^>]*checked', html)


def test_without_a_life_stage_the_result_names_the_childrens_limits(client, seeded):
    result = result_text(client.get(URL, {"label": "elemental", "amount_mg": "100"}))
    assert "Within the Upper Level of 350 mg a day for ages 9 years and older" in result
    assert (
        "Children’s Upper Levels are lower: 65 mg a day for ages 1-3 years and 110 mg a day for ages 4-8 years"
        in result
    )
    # With a life stage chosen, its own Upper Level is the comparison and the note is not needed.
    child = {"label": "elemental", "amount_mg": "100", "stage": "children-1-3-years-all"}
    result = result_text(client.get(URL, child))
    assert "35.0 mg more than the Upper Level of 65 mg a day for ages 1-3 years" in result
    assert "Children’s Upper Levels are lower" not in result


@pytest.mark.parametrize("stage", ["infants-0-6-months-all", "infants-7-12-months-all"])
def test_any_supplement_for_an_infant_gets_an_alert(client, seeded, stage):
    response = client.get(URL, {"label": "elemental", "amount_mg": "1", "stage": stage})
    html = response.content.decode()
    alert = re.search(r'<div class="notice notice-danger" role="alert">(.*?)</div>', html, re.S)
    assert alert, "no alert for an infant"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", alert.group(1)))
    assert "No Upper Level is set for 0-12 months" in text
    assert "intake should come from breast milk, formula and food" in text
    assert "Give an infant no magnesium supplement, antacid or laxative unless a clinician prescribes it." in text
    assert "Within the Upper Level" not in page_text(response)


@pytest.mark.parametrize(
    ("params", "verdict"),
    [
        ({"label": "elemental", "amount_mg": "100"}, "Within the Upper Level"),
        ({"label": "elemental", "amount_mg": "350"}, "Within the Upper Level"),
        ({"label": "elemental", "amount_mg": "351"}, "Above the Upper Level"),
        ({"label": "elemental", "amount_mg": "50", "stage": "children-1-3-years-all"}, "Within the Upper Level"),
        ({"form": "magnesium-oxide", "amount_mg": "500", "stage": "adults-31-50-years-female"}, "Within"),
    ],
)
def test_the_kidney_disease_sentence_is_on_every_verdict(client, seeded, params, verdict):
    for headers in ({}, HTMX):
        response = client.get(URL, params, headers=headers)
        text = page_text(response)
        assert verdict in text
        assert KIDNEY in text
        assert "safe" not in re.sub(r"<[^>]+>", " ", response.content.decode()).lower().replace("safety", "")
    html = client.get(URL, params).content.decode()
    assert 'href="https://nap.nationalacademies.org/skim.php?record_id=11537&amp;chap=340-349"' in html


def test_no_answer_no_kidney_verdict(client, seeded):
    assert "Kidney disease:" not in page_text(client.get(URL))


def test_the_label_question_names_its_hint_and_message_for_screen_readers(client, seeded):
    html = client.get(URL).content.decode()
    for value in ("elemental", "compound", "percent"):
        radio = re.search(rf'<input type="radio" name="label" value="{value}"[^>]*>', html).group(0)
        assert 'aria-describedby="id_label_error id_label_helptext"' in radio
    assert '<p id="id_label_helptext" class="hint">' in html and '<p id="id_label_error"' in html
    assert "<legend>What does your label say?</legend>" in html


@pytest.mark.django_db(transaction=True)
def test_a_readers_dose_is_not_kept_by_the_page_cache_or_the_log(client, caplog, settings, tmp_path):
    """Like the medicines page: what a reader types stays in their address bar only."""
    dose = {"label": "elemental", "amount_mg": "433", "per_day": "1"}
    assert_readers_figures_not_kept(client, caplog, settings, tmp_path, "/supplements/calculator/", dose, "433")
    # The empty calculator, the same for everyone, may still be shared.
    assert "no-store" not in client.get("/supplements/calculator/").get("Cache-Control", "")


# --- Review of 30 November: sources, order, liquids ------------------------------------------------

UPPER_LEVEL_SOURCE = "NIH ODS, Table 3; Institute of Medicine 1997"


@pytest.mark.parametrize(
    ("params", "verdict_start", "verdict_end"),
    [
        ({"label": "elemental", "amount_mg": "400", "stage": "adults-31-50-years-female"}, "Above the Upper Level.",
         "Talk to a doctor"),
        ({"label": "elemental", "amount_mg": "400"}, "Above the Upper Level.", "Talk to a doctor"),
        ({"label": "elemental", "amount_mg": "70", "stage": "children-1-3-years-all"}, "Above the Upper Level.",
         "Talk to a doctor"),
        ({"label": "elemental", "amount_mg": "100", "stage": "adults-31-50-years-female"}, "Within the Upper Level",
         "Add any other"),
        ({"label": "elemental", "amount_mg": "50", "stage": "infants-7-12-months-all"}, "Not for infants",
         "Give an infant"),
    ],
)  # fmt: skip
def test_every_upper_level_verdict_names_its_source_the_same_way(client, seeded, params, verdict_start, verdict_end):
    """Review finding: "Above the Upper Level" quoted a note under "The sources:" and named no source."""
    result = result_text(client.get(URL, params))
    verdict = result[result.index(verdict_start) : result.index(verdict_end)]
    assert UPPER_LEVEL_SOURCE in verdict
    assert "The sources:" not in result


def test_above_the_upper_level_quotes_the_limits_reason_with_its_source(client, seeded):
    params = {"label": "elemental", "amount_mg": "400", "stage": "adults-31-50-years-female"}
    result = result_text(client.get(URL, params))
    assert (
        "never magnesium from food: “Does not include food magnesium; set to avoid diarrhea (osmotic effect of "
        f"magnesium salts)”. {UPPER_LEVEL_SOURCE} Talk to a doctor or pharmacist about this amount."
    ) in result


@pytest.mark.parametrize(
    ("stage", "instruction", "figure"),
    [
        ("infants-7-12-months-all", "Not for infants without a prescription.", "67 % of 75 mg"),
        ("infants-0-6-months-all", "Not for infants without a prescription.", "167 % of 30 mg"),
        ("children-1-3-years-all", "For a child, ask the child’s doctor or pharmacist", "63 % of 80 mg"),
        ("pregnancy-19-30-years-female", "Pregnant or breastfeeding: ask your midwife or doctor", "14 % of 350 mg"),
    ],
)
def test_an_infants_childs_or_pregnancys_instruction_comes_before_any_figure(
    client, seeded, stage, instruction, figure
):
    """Review finding: an infant's result led with "67 % of 75 mg" before "Not for infants without a prescription"."""
    for headers in ({}, HTMX):
        response = client.get(URL, {"label": "elemental", "amount_mg": "50", "stage": stage}, headers=headers)
        result = page_text(response)
        result = result[result.index(" Result ") :]
        assert result.count(instruction) == 1
        assert result.index(instruction) < result.index("50.0 mg of elemental magnesium a day") < result.index(figure)


def test_an_adults_result_leads_with_the_amount(client, seeded):
    result = result_text(
        client.get(URL, {"label": "elemental", "amount_mg": "50", "stage": "adults-31-50-years-female"})
    )
    assert result.startswith(" Result 50.0 mg of elemental magnesium a day")


def test_a_liquid_dose_is_entered_as_servings_of_the_labels_measure(client, seeded):
    """Review finding: the hint said "enter 400 mg with 5 mL as one serving", but the form has no mL box."""
    html = client.get(URL).content.decode()
    page = page_text(client.get(URL))
    assert "with 5 mL as one serving" not in page
    assert "A liquid is counted in servings, not mL" in page
    assert "a 30 mL dose is 6 servings of 5 mL" in page
    # The servings box says it too, and a screen reader hears it with the box.
    per_day = re.search(r'<input type="number" name="per_day"[^>]*>', html).group(0)
    assert 'aria-describedby="id_per_day_error id_per_day_helptext"' in per_day
    hint = re.search(r'<p id="id_per_day_helptext" class="hint">(.*?)</p>', html, re.S).group(1)
    assert "a 30 mL dose of a liquid labelled per 5 mL is 6 servings" in hint
    # Followed as written, the label's 30 mL laxative dose gives the page's own "1,000 ... mg of magnesium".
    params = {"label": "compound", "form": "magnesium-hydroxide", "amount_mg": "400", "per_day": "6"}
    result = result_text(client.get(URL, params))
    assert "× 6 servings a day = 1000.8 mg" in result and "Above the Upper Level" in result
    assert "30 mL to 60 mL (2,400 to 4,800 mg of magnesium hydroxide), is 1,000 to 2,000 mg of magnesium" in page


KIDNEY_INSTRUCTION = (
    "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."
)


@pytest.mark.parametrize("stage", ["infants-0-6-months-all", "infants-7-12-months-all"])
def test_an_infants_kidney_box_says_what_holds_with_no_upper_level_sentence(client, seeded, stage):
    """Review finding: an infant's result said "the Upper Level is set for healthy people", though none is set."""
    for headers in ({}, HTMX):
        response = client.get(URL, {"label": "elemental", "amount_mg": "10", "stage": stage}, headers=headers)
        html = response.content.decode()
        box = re.search(r'<div class="notice notice-kidney">(.*?)</div>', html, re.S).group(1)
        box = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", box))
        assert "Kidney disease: the kidneys keep the body’s magnesium level. " + KIDNEY_INSTRUCTION in box
        assert "Upper Level" not in box and "DINA lexicon" not in box
        assert "Institute of Medicine 2006, p. 342" in box  # its sources stay
        assert "No Upper Level is set for 0-12 months" in page_text(response)
    adult = page_text(client.get(URL, {"label": "elemental", "amount_mg": "10", "stage": "children-1-3-years-all"}))
    assert KIDNEY in adult


HEART_GUT = (
    "people with heart or gastrointestinal disorders, who should avoid magnesium supplements unless a clinician "
    "supervises"
)


@pytest.mark.parametrize(
    ("stage", "who"),
    [
        ("", "Who these figures do not fit: people with kidney disease (above); children and infants"),
        ("adults-31-50-years-female", "These figures are for adults, 31-50 years, female: the Recommended"),
        (
            "infants-7-12-months-all",
            "These figures are for infants, 7-12 months: the Adequate Intake of 75 mg a day (total intake); no Upper",
        ),
    ],
)
def test_the_result_names_heart_and_gut_disorders_as_the_planner_does(client, seeded, stage, who):
    """Review finding: the planner named people with heart or gastrointestinal disorders; the calculator did not."""
    params = {"label": "elemental", "amount_mg": "100", "stage": stage}
    result = result_text(client.get(URL, params))
    assert who in result
    assert HEART_GUT in result and "MSKCC and NIH ODS (heart and gastrointestinal disorders)" in result
    planner = page_text(client.get("/planner/", {"supplement": "label:100:1", "stage": stage}))
    # The same words on both pages, from "They do not fit" (or "Who these figures do not fit") to the sources.
    who_not = re.search(r"(They|Who these figures) do not fit.*?heart and gastrointestinal disorders\)", result).group(
        0
    )
    assert who_not in planner


def test_the_liquid_help_is_the_same_on_the_calculator_and_the_planner(client, seeded):
    """Review finding: the planner never said a liquid's serving is a 5 mL measure; one source, both pages."""
    calculator = page_text(client.get(URL))
    planner_html = client.get("/planner/").content.decode()
    hint = re.search(r'<p id="id_add_liquid_helptext" class="hint">(.*?)</p>', planner_html, re.S).group(1)
    hint = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", hint)).strip()
    assert hint.startswith("Milk of magnesia and many liquid antacids and laxatives are magnesium hydroxide")
    assert "a 30 mL dose is 6 servings of 5 mL" in hint
    assert hint.endswith("Phillips’ Milk of Magnesia Drug Facts labels (DailyMed; Drugs.com)")
    assert hint in calculator  # the same words, with their source, on the calculator
    # The planner's amount and servings boxes name it for screen readers.
    for name in ("add_mg", "add_per_day"):
        box = re.search(rf'<input type="number" name="{name}"[^>]*>', planner_html).group(0)
        assert 'aria-describedby="id_add_liquid_helptext"' in box
