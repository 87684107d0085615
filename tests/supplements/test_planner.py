"""My magnesium day (/planner/, issue 16): the arithmetic (foods per serving and per other measure,
supplements by label and by compound, totals, the Upper Level on the supplemental part only), the
URL contract and its round trip, bad items dropped with notices, 40 items, the page's own forms
(rows, remove, add), htmx parts, privacy (no shared cache), constant query counts, print stylesheet."""

import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from supplements.models import FoodEntry, IntakeReference, SupplementForm
from supplements.planner import MAX_ITEMS, Plan, PlanForm
from tests.factories import assert_readers_figures_not_kept

pytestmark = pytest.mark.django_db

PLANNER = "/planner/"
HTMX = {"HTTP_HX_REQUEST": "true"}
PUMPKIN = "pumpkin-seeds-pepitas-roasted"  # featured: 156 mg in 1 oz (28.35 g), NIH ODS
BOILED_SPINACH = "spinach-boiled-drained"  # featured: 78 mg in 1/2 cup (90 g), NIH ODS
WOMAN = "adults-31-50-years-female"  # RDA 320 mg, Upper Level 350 mg
EXAMPLE = f"stage={WOMAN}&food={PUMPKIN}:1&food={BOILED_SPINACH}:2&supplement=label:200:1"


def plan_for(query):
    form = PlanForm(QueryDict(query), IntakeReference.objects.all(), SupplementForm.objects.published())
    return form, Plan(form.items, form.life_stages, form.selected_stage)


def text(html):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


# --- The arithmetic --------------------------------------------------------------------------------


def test_the_issues_example_156_plus_156_plus_200_is_512_mg_160_percent_supplements_200_of_350(seeded):
    form, plan = plan_for(EXAMPLE)
    assert form.notices == []
    assert [(item.name, item.mg_text) for item in plan.items] == [
        ("Your supplement (label: 200 mg)", "200"),  # biggest first
        ("Pumpkin seeds (pepitas), roasted", "156"),
        ("Spinach, boiled, drained", "156"),  # 78 mg x 2 servings
    ]
    assert plan.total_text == "512" and plan.recommended_mg == 320 and plan.percent == 160
    assert plan.food_text == "312" and plan.supplemental_text == "200"
    assert plan.upper_level_mg == 350 and plan.against_upper_level.percent == 57 and not plan.against_upper_level.over
    assert [item.share for item in plan.items] == [39, 30, 30]  # of 512 mg, rounded half up


def test_the_example_on_the_page_with_bars_and_sources(client, seeded):
    response = client.get(f"{PLANNER}?{EXAMPLE}")
    assert response.status_code == 200
    words = text(response.text)
    assert "512 mg of magnesium a day" in words
    assert "160% of the Recommended Dietary Allowance (RDA) of 320 mg for adults, 31-50 years, female" in words
    assert "200 mg a day from supplements and medicines: 57% of the Upper Level of 350 mg for ages 9 years" in words
    assert "Food (312 mg) is not counted in it" in words and "Within the Upper Level of 350 mg" in words
    # Bars as widths (capped at 100) with the figure in words beside each; no inline style (CSP).
    assert 'class="plan-bar-fill w-100"' in response.text and 'class="plan-bar-fill w-39"' in response.text
    assert "style=" not in response.text
    # Every figure's source one click away, on the page.
    assert 'href="#source-1"' in response.text and 'id="source-1"' in response.text
    assert 'href="#source-intake"' in response.text and 'id="source-upper"' in response.text
    sources = text(response.text.split('id="sources-heading"')[1])
    assert "NIH ODS Magnesium Fact Sheet for Health Professionals, Table 2" in sources  # the foods' source
    assert "21 CFR 101.36" in sources  # the label's reading
    assert "Table 1" in sources and "Table 3" in sources  # the RDA and the Upper Level
    # Kidney disease, children, infants and pregnancy named; never "safe".
    assert "With kidney disease, take no magnesium supplement" in words
    assert all(word in words for word in ("children", "infant", "pregnancy"))
    # interactions.md [MSKCC] [ODS]: heart and gastrointestinal disorders too, with the "unless supervised".
    assert (
        "people with heart or gastrointestinal disorders, who should avoid magnesium supplements unless a clinician"
        in words
    )
    assert not re.search(r"\bsafe\b", words.split("Skip to main content")[1].split("Safety: upper limits")[0], re.I)
    # "Check your medicines" carries the plan (the medicines page shows its supplements and links back).
    assert f'href="/supplements/medicines/?{EXAMPLE.replace("&", "&amp;")}"' in response.text
    assert f'<time datetime="{timezone.localdate():%Y-%m-%d}">' in response.text


def test_a_featured_food_in_another_household_measure_uses_usdas_figure_and_says_so(usda):
    # Pumpkin seeds: USDA 550 mg per 100 g; measure 1 is 1 cup = 118 g: 649 mg, half a cup 324.5 mg.
    form, plan = plan_for(f"food={PUMPKIN}:0.5:1")
    (item,) = plan.items
    assert item.mg_text == "324.5" and item.portion == "0.5 × 1 cup (118 g)"
    assert "USDA SR28, NDB 12016: 550 mg per 100 g; household measure 1 cup = 118 g" in item.source
    assert item.token == f"{PUMPKIN}:0.5:1"


def test_a_usda_food_per_serving_and_per_other_measure(usda):
    spinach = usda["11457"]  # raw spinach, 79 mg per 100 g; measures 1 cup 30 g, 1 bunch 340 g, ...
    form, plan = plan_for(f"food={spinach.slug}:2&food={spinach.slug}:1:2")
    assert form.notices == []
    assert [(item.portion, item.mg_text) for item in plan.items] == [
        ("1 × 1 bunch (340 g)", "268.6"),  # 79 x 340 / 100
        ("2 × 1 cup (30 g)", "47.4"),  # the food's serving is USDA's first measure: 79 x 30 / 100 x 2
    ]
    assert plan.total_text == "316" and plan.percent == 75  # of the 420 mg Daily Value: no stage given
    assert all("USDA SR28, NDB 11457" in item.source for item in plan.items)


def test_the_amount_menu_names_each_usda_measure_with_its_weight(client, usda):
    spinach = usda["11457"]
    html = client.get(PLANNER, {"food": f"{spinach.slug}:1"}).text
    options = [unescape(o) for o in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', html)]
    assert "1 bunch (340 g, USDA)" in options  # the first measure (1 cup) is the food's own serving, listed first
    assert all(re.fullmatch(r".+ \([\d.]+ g, USDA\)", option) for option in options), options


def test_a_usda_food_without_household_measures_counts_100_g_servings(usda):
    water = usda["14411"]
    water.measures.all().delete()
    form, plan = plan_for(f"food={water.slug}:3")
    (item,) = plan.items
    assert item.portion == "3 × 100 g" and item.mg == water.magnesium_per_100g * 3
    assert "no household measure" in item.source


def test_a_compound_is_converted_with_the_forms_elemental_percent(seeded):
    # 500 mg magnesium glycinate (14.1 %) twice a day: 70.5 mg a serving, 141 mg a day (as the calculator says).
    form, plan = plan_for("stage=adults-51-70-years-male&supplement=magnesium-glycinate:500:2")
    (item,) = plan.items
    assert item.mg_text == "141" and item.working == "500 mg × 14.1 % = 70.5 mg a serving, × 2"
    assert "14.1 % elemental magnesium" in item.source and item.url == "/supplements/magnesium-glycinate/"
    assert plan.percent == 34  # of the RDA 420 mg


def test_the_upper_level_counts_supplements_only_never_food(seeded):
    # 10 servings of pumpkin seeds (1,560 mg of food) and exactly 350 mg from a label: not above the limit.
    form, plan = plan_for(f"stage={WOMAN}&food={PUMPKIN}:10&supplement=label:350:1")
    assert plan.total_text == "1910" and plan.supplemental_text == "350" and not plan.against_upper_level.over
    # Two supplements add up: 300 mg citrate label + 60.3 % of 100 mg oxide = 360.3 mg, 10.3 mg above.
    form, plan = plan_for(f"stage={WOMAN}&supplement=label:300:1&supplement=magnesium-oxide:100:1")
    assert plan.supplemental_text == "360.3" and plan.against_upper_level.over and plan.over_by_text == "10.3"


def test_above_the_upper_level_on_the_page(client, seeded):
    words = text(client.get(PLANNER, {"stage": WOMAN, "supplement": "label:400:1"}).text)
    assert "Above the Upper Level. 400 mg a day is 50 mg more than the Upper Level of 350 mg a day" in words
    assert "With kidney disease" in words


def test_a_child_gets_the_childs_upper_level_and_the_childs_notice(client, seeded):
    words = text(client.get(PLANNER, {"stage": "children-4-8-years-all", "supplement": "label:120:1"}).text)
    assert "10 mg more than the Upper Level of 110 mg a day for ages 4-8 years" in words
    assert "For a child, ask the child’s doctor or pharmacist" in words


def test_an_infant_gets_the_alert_and_no_upper_level(client, seeded):
    html = client.get(PLANNER, {"stage": "infants-0-6-months-all", "food": f"{PUMPKIN}:1"}).text
    assert 'role="alert"' in html and "Not for infants without a prescription" in text(html)


def item_kinds(html):
    """Each item's tag under its name ("Supplement: counts toward the Upper Level"), as a reader sees it."""
    return [text(kind).strip() for kind in re.findall(r'<span class="plan-item-kind meta">(.*?)</span>', html, re.S)]


@pytest.mark.parametrize("stage", ["infants-0-6-months-all", "infants-7-12-months-all"])
def test_an_infants_items_imply_no_upper_level_but_carry_the_infant_sentence(client, seeded, stage):
    from supplements.dosing import NO_UPPER_LEVEL_FOR_INFANTS

    # Biggest first: the supplement's 200 mg, then pumpkin seeds' 156 mg.
    html = client.get(PLANNER, {"stage": stage, "food": f"{PUMPKIN}:1", "supplement": "label:200:1"}).text
    assert item_kinds(html) == [f"Supplement. {NO_UPPER_LEVEL_FOR_INFANTS}.", "Food"]
    assert "counts toward the Upper Level" not in text(html) and "counted toward the Upper Level" not in text(html)


def test_an_older_readers_items_say_which_count_toward_the_upper_level(client, seeded):
    for stage in ("children-1-3-years-all", WOMAN, ""):
        html = client.get(PLANNER, {"stage": stage, "food": f"{PUMPKIN}:1", "supplement": "label:200:1"}).text
        assert item_kinds(html) == [
            "Supplement: counts toward the Upper Level",
            "Food: never counted toward the Upper Level",
        ], stage


def status_and_summary(html):
    """The screen-reader status line and the plain-text summary to copy, as a reader gets them."""
    status = re.search(r'<p id="plan-status"[^>]*>(.*?)</p>', html, re.S).group(1)
    summary = re.search(r'<textarea id="plan-summary-text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    return unescape(status), unescape(summary)


INFANT_SENTENCE = "Give an infant no magnesium supplement, antacid or laxative unless a clinician prescribes it."
CHILD_SENTENCE = (
    "For a child, ask the child’s doctor or pharmacist before giving any magnesium supplement, antacid or laxative."
)


@pytest.mark.parametrize("stage", ["infants-0-6-months-all", "infants-7-12-months-all"])
def test_an_infants_status_line_and_summary_carry_the_pages_instruction(client, seeded, stage):
    """ "No Upper Level is set" alone reads as "no limit": the instruction goes with it, word for word."""
    html = client.get(PLANNER, {"stage": stage, "supplement": "label:400:1"}).text
    assert INFANT_SENTENCE in text(html)  # the page's own alert
    status, summary = status_and_summary(html)
    assert INFANT_SENTENCE in status and INFANT_SENTENCE in summary
    assert summary.index("No Upper Level is set") < summary.index(INFANT_SENTENCE)
    # htmx updates announce it too.
    live = client.get(PLANNER, {"stage": stage, "supplement": "label:400:1"}, HTTP_HX_TARGET="result", **HTMX).text
    assert INFANT_SENTENCE in status_and_summary(live)[0]


def test_a_childs_status_line_and_summary_carry_the_pages_instruction(client, seeded):
    html = client.get(PLANNER, {"stage": "children-1-3-years-all", "supplement": "label:100:1"}).text
    assert CHILD_SENTENCE in text(html)  # the page's own notice
    status, summary = status_and_summary(html)
    assert "35 mg above the Upper Level of 65 mg" in status
    assert CHILD_SENTENCE in status and CHILD_SENTENCE in summary


def test_the_infant_and_child_sentences_have_one_source_shared_by_the_calculator_planner_and_includes(client, seeded):
    """supplements/dosing.py holds the sentences; the shared includes write them from there (no copy of their
    own), so the calculator's and the planner's pages and the planner's status line cannot drift apart."""
    from supplements import dosing

    assert dosing.INFANT_INSTRUCTION == INFANT_SENTENCE and dosing.CHILD_INSTRUCTION == CHILD_SENTENCE
    templates = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
    assert len(templates) > 20
    sentences = (dosing.INFANT_INSTRUCTION, dosing.CHILD_INSTRUCTION, dosing.NO_UPPER_LEVEL_FOR_INFANTS)
    for path in templates:  # the includes, the safety page, any page: none keeps a copy of its own
        assert not [sentence for sentence in sentences if sentence in path.read_text()], path
    safety = text(client.get("/supplements/safety/").text)
    assert f"{dosing.NO_UPPER_LEVEL_FOR_INFANTS}. The Upper Level is set for healthy people" in safety
    calculator = "/supplements/calculator/?label=elemental&amount_mg=100&per_day=1&stage="
    for stage, sentence in (("infants-7-12-months-all", INFANT_SENTENCE), ("children-4-8-years-all", CHILD_SENTENCE)):
        assert sentence in text(client.get(calculator + stage).text)
        html = client.get(PLANNER, {"stage": stage, "supplement": "label:100:1"}).text
        status, _ = status_and_summary(html)
        assert sentence in text(html.replace(status, "")) and sentence in status
    # With no life stage: the children's note on both pages, and the planner's status line, from the same clause.
    for page in (client.get("/supplements/calculator/?label=elemental&amount_mg=100&per_day=1"),
                 client.get(PLANNER, {"supplement": "label:100:1"})):  # fmt: skip
        assert f"{dosing.NO_UPPER_LEVEL_FOR_INFANTS}; their magnesium should come from breast milk" in text(page.text)
    assert (
        dosing.INFANTS_WITHOUT_STAGE in status_and_summary(client.get(PLANNER, {"supplement": "label:100:1"}).text)[0]
    )


def test_an_adults_status_line_and_summary_carry_no_childs_instruction(client, seeded):
    status, summary = status_and_summary(client.get(f"{PLANNER}?{EXAMPLE}").text)
    assert CHILD_SENTENCE not in status + summary and INFANT_SENTENCE not in status + summary


@pytest.mark.parametrize("mg", ["100", "60"])
def test_without_a_stage_no_bare_verdict_but_whom_350_mg_is_for_and_the_childrens_limits(client, seeded, mg):
    """100 mg is above a toddler's 65 mg: with no life stage, the 350 mg limit is not called the reader's."""
    status, summary = status_and_summary(client.get(PLANNER, {"supplement": f"label:{mg}:1"}).text)
    for words in (status, summary):
        assert "not above" not in words and "within" not in words.lower()
        assert "The Upper Level of 350 mg a day applies to ages 9 years and older." in words
        assert "65 mg a day for ages 1-3 years and 110 mg a day for ages 4-8 years" in words
        assert INFANT_SENTENCE[:-1].lower().replace("give an infant", "give") in words.lower()
        assert "Choose a life stage" in words
    assert f"Supplements and medicines (food not counted): {mg} mg a day." in status


def test_without_a_stage_above_350_mg_is_said_with_whom_it_is_for(client, seeded):
    status, summary = status_and_summary(client.get(PLANNER, {"supplement": "label:400:1"}).text)
    for words in (status, summary):
        assert (
            "400 mg a day, 50 mg above the Upper Level of 350 mg a day, which applies to ages 9 years and older"
            in words
        )
        assert "65 mg a day for ages 1-3 years" in words and "Choose a life stage" in words


def test_lay_wording_of_shares_names_and_the_upper_level(client, seeded):
    html = client.get(f"{PLANNER}?{EXAMPLE}").text
    words = text(html)
    assert "200 mg , 39% of your total" in words and "of the day" not in words
    assert "Your supplement (label: 200 mg): 200 mg of magnesium a serving" in words
    assert "Supplement (Magnesium" not in words
    # The row keeps a name that does not go stale while its amount is edited live.
    assert "Your supplement (from its label)" in re.search(r'<form id="plan-form".*?</form>', html, re.S).group(0)
    # Within the Upper Level: one sentence says what it is, from the safety page's wording.
    assert (
        "The Upper Level is the most magnesium a day from supplements and medicines (including antacids and "
        "laxatives), set for healthy people; it does not apply to magnesium in food and water." in words
    )
    _, summary = status_and_summary(html)
    assert "- Your supplement (label: 200 mg): 200 mg of magnesium a serving, 1 serving a day = 200 mg" in summary


def test_above_the_upper_level_the_advice_fits_a_reader_already_above_it(client, seeded):
    words = text(client.get(PLANNER, {"stage": WOMAN, "supplement": "label:400:1"}).text)
    assert "Talk to a doctor or pharmacist about this amount." in words
    assert "before taking more than this" not in words


MILK = "This plan cannot count breast milk or formula"


@pytest.mark.parametrize("stage", ["infants-0-6-months-all", "infants-7-12-months-all"])
def test_an_infants_plan_says_it_cannot_count_breast_milk_or_formula(client, seeded, stage):
    html = client.get(PLANNER, {"stage": stage, "food": f"{PUMPKIN}:1"}).text
    assert MILK in text(re.search(r'<section id="result".*?</section>', html, re.S).group(0))  # shown, and printed
    status, summary = status_and_summary(html)
    assert MILK in status and MILK in summary
    # Foods added for a baby: the plan adds them up but never judges them fit for a baby.
    assert "does not say which foods, or how much of them, suit a baby: ask the baby’s doctor" in summary


def test_an_older_readers_plan_says_nothing_of_milk(client, seeded):
    html = client.get(PLANNER, {"stage": "children-1-3-years-all", "food": f"{PUMPKIN}:1"}).text
    assert MILK not in text(html)


def test_pregnancy_gets_its_notice_and_its_rda(client, seeded):
    words = text(client.get(PLANNER, {"stage": "pregnancy-19-30-years-female", "food": f"{PUMPKIN}:1"}).text)
    assert "Pregnant or breastfeeding: ask your midwife or doctor" in words and "of 350 mg" in words


def test_without_a_stage_the_daily_value_and_childrens_limits(client, seeded):
    words = text(client.get(PLANNER, {"food": f"{PUMPKIN}:1"}).text)
    assert "37% of the label Daily Value of 420 mg" in words  # 156 / 420
    assert "Children’s Upper Levels are lower: 65 mg a day for ages 1-3 years" in words
    assert "No supplement, antacid or laxative in your day" in words


def result_words(html):
    return text(re.search(r'<section id="result".*?</section>', html, re.S).group(0))


@pytest.mark.parametrize("supplement", ["label:400:1", "label:200:1"])
def test_the_upper_level_verdict_names_its_source_over_or_within(client, seeded, supplement):
    """Review finding: "Above the Upper Level" named no source; "Within" named NIH ODS, Table 3."""
    words = result_words(client.get(PLANNER, {"stage": WOMAN, "supplement": supplement}).text)
    start = words.index("Above the Upper Level." if supplement == "label:400:1" else "Within the Upper Level")
    verdict = words[start : words.index("Kidney disease:")]
    assert "NIH ODS, Table 3; Institute of Medicine 1997" in verdict and "The sources:" not in words


@pytest.mark.parametrize(
    ("stage", "instruction", "figure"),
    [
        ("infants-7-12-months-all", "Not for infants without a prescription.", "67% of the Adequate Intake"),
        ("children-1-3-years-all", "For a child, ask the child’s doctor or pharmacist", "63% of the Recommended"),
        ("pregnancy-19-30-years-female", "Pregnant or breastfeeding: ask your midwife", "14% of the Recommended"),
    ],
)  # fmt: skip
def test_the_stages_instruction_comes_before_the_days_figures(client, seeded, stage, instruction, figure):
    for headers in ({}, HTMX):
        words = result_words(client.get(PLANNER, {"stage": stage, "supplement": "label:50:1"}, **headers).text)
        assert words.index(instruction) < words.index("50 mg of magnesium a day") < words.index(figure)


def test_an_infants_check_your_medicines_reads_as_sentences(client, seeded):
    """Review finding: "...change the body’s magnesium level. see how far apart" with no supplement in the day."""
    for query in ({"food": f"{PUMPKIN}:1"}, {"supplement": "label:50:1"}):
        words = result_words(client.get(PLANNER, {"stage": "infants-7-12-months-all", **query}).text)
        assert ". see how far apart" not in words
        assert "magnesium level. See how far apart" in words or "from supplements and medicines. See how" in words
    words = result_words(client.get(PLANNER, {"stage": "infants-7-12-months-all", "food": f"{PUMPKIN}:1"}).text)
    assert (
        "magnesium level. See how far apart to take each of your medicines from magnesium (the page links back"
        in words
    )


@pytest.mark.parametrize(
    ("stage", "fits"),
    [
        ("infants-7-12-months-all", "These figures are for infants, 7-12 months: the Adequate Intake of 75 mg a day "
         "(total intake); no Upper Level is set for 0-12 months. Give an infant no magnesium supplement, antacid or "
         "laxative unless a clinician prescribes it."),
        ("infants-0-6-months-all", "These figures are for infants, 0-6 months: the Adequate Intake of 30 mg a day "
         "(total intake); no Upper Level is set for 0-12 months."),
        ("children-1-3-years-all", "These figures are for children, 1-3 years: the Recommended Dietary Allowance of "
         "80 mg a day (total intake); the Upper Level of 65 mg a day for ages 1-3 years (supplements and medicines "
         "only). For a child, ask the child’s doctor or pharmacist"),
        ("pregnancy-19-30-years-female", "These figures are for pregnancy, 19-30 years, female: the Recommended "
         "Dietary Allowance of 350 mg a day (total intake); the Upper Level of 350 mg a day for ages 9 years and "
         "older (supplements and medicines only). Ask your midwife or doctor."),
    ],
)  # fmt: skip
def test_who_the_figures_fit_names_the_chosen_stage_instead_of_asking_for_it(client, seeded, stage, fits):
    """Review finding: with the infant stage chosen, the page still said "(choose their life stage…)"."""
    words = result_words(client.get(PLANNER, {"stage": stage, "food": f"{PUMPKIN}:1"}).text)
    assert fits in words
    assert "They do not fit people with kidney disease (above), or people with heart or gastrointestinal" in words
    assert "Who these figures do not fit" not in words
    if stage.startswith(("infants", "children")):
        assert "choose their life stage" not in words


def test_an_adults_plan_names_the_adults_figures_and_points_others_to_their_stage(client, seeded):
    words = result_words(client.get(PLANNER, {"stage": WOMAN, "food": f"{PUMPKIN}:1"}).text)
    assert (
        "These figures are for adults, 31-50 years, female: the Recommended Dietary Allowance of 320 mg a day (total "
        "intake); the Upper Level of 350 mg a day for ages 9 years and older (supplements and medicines only). They "
        "do not fit people with kidney disease (above), or people with heart or gastrointestinal disorders, who "
        "should avoid magnesium supplements unless a clinician supervises. For children and infants, whose "
        "recommended intakes and Upper Levels are lower or not set, or for pregnancy and breastfeeding, which have "
        "their own recommended intakes and the same Upper Level, choose their life stage."
    ) in words


def test_without_a_stage_who_the_figures_do_not_fit_still_asks_for_one(client, seeded):
    words = result_words(client.get(PLANNER, {"food": f"{PUMPKIN}:1"}).text)
    assert "Who these figures do not fit: people with kidney disease (above); children and infants" in words
    assert "(choose their life stage;" in words and "These figures are for" not in words


# --- The URL ---------------------------------------------------------------------------------------


def test_url_round_trip(usda):
    spinach = usda["11457"]
    query = (
        f"stage={WOMAN}&food={PUMPKIN}:1.5&food={spinach.slug}:0.25:2"
        "&supplement=magnesium-citrate:250.5:2&supplement=label:200:1"
    )
    form, plan = plan_for(query)
    assert form.notices == [] and form.query() == query  # foods, then supplements, each in the order added
    mixed, _ = plan_for(f"supplement=label:200:1&food={PUMPKIN}:1")
    assert mixed.query() == f"food={PUMPKIN}:1&supplement=label:200:1"
    again, _ = plan_for(form.query())
    assert [item.token for item in again.items] == [item.token for item in form.items]


def test_servings_are_written_as_given_without_trailing_zeros(seeded):
    form, _ = plan_for(f"food={PUMPKIN}:1.50&supplement=label:200.00:1")
    assert form.query() == f"food={PUMPKIN}:1.5&supplement=label:200:1"


BAD = [
    ("food=no-such-food:1", "We have no food “no-such-food”: left out."),
    (
        "food=pumpkin",
        "“pumpkin” is not a food as the planner writes it (<food>:<servings> or <food>:<servings>:<measure number>): "
        "left out.",
    ),
    (f"food={PUMPKIN}:1:1:1", "is not a food as the planner writes it (<food>:<servings> or <food>:<servings>:<m"),
    ("food=:1", "“:1” is not a food as the planner writes it"),
    (f"food={PUMPKIN}:0", "Servings of Pumpkin seeds (pepitas), roasted must be a number more than 0"),
    (f"food={PUMPKIN}:-1", "not “-1”: left out."),
    (f"food={PUMPKIN}:abc", "not “abc”: left out."),
    (f"food={PUMPKIN}:1e3", "not “1e3”: left out."),
    (f"food={PUMPKIN}:101", "at most 100"),
    (f"food={PUMPKIN}:1.234", "at most 2 decimals"),
    (f"food={PUMPKIN}:1:99", "Pumpkin seeds (pepitas), roasted has no household measure “99”: left out."),
    (f"food={BOILED_SPINACH}:1:x", "has no household measure “x”"),
    ("supplement=label:0:1", "The mg per serving of the supplement must be a number more than 0"),
    ("supplement=label:10001:1", "at most 10,000"),
    ("supplement=label:200:13", "Servings a day of the supplement must be a whole number from 1 to 12, not “13”"),
    ("supplement=label:200:1.5", "not “1.5”"),
    ("supplement=unobtainium:200:1", "We have no supplement form “unobtainium”: left out."),
    (
        "supplement=label:200",
        "“label:200” is not a supplement as the planner writes it (<form slug>:<mg of the compound>:<servings a day>, "
        "or label:<mg of magnesium>:<servings a day> for a label’s “Magnesium … mg”): left out.",
    ),
    ("supplement=magnesium-hydroxide:400", "(<form slug>:<mg of the compound>:<servings a day>, or label:<mg of"),
    # The format is right and the name unknown: a hidden character makes a name no food or form has.
    ("food=spinach-%00raw:1", "We have no food “spinach-\ufffdraw”: left out."),
    ("supplement=magnesium-%1boxide:400:1", "We have no supplement form “magnesium-\ufffdoxide”: left out."),
    ("stage=martians", "We have no life stage “martians”"),
    ("food=" + "x" * 500 + ":1", "We have no food “xxxx"),
    ("food=%00:1", "We have no food “\ufffd”: left out."),
]


@pytest.mark.parametrize(("query", "notice"), BAD)
def test_a_bad_item_is_dropped_with_a_notice_never_a_500(client, usda, query, notice):
    response = client.get(f"{PLANNER}?{query}&food={PUMPKIN}:1")
    assert response.status_code == 200
    words = text(response.text)
    assert notice in words, words[:3000]
    assert "156 mg of magnesium a day" in words  # the good item is kept
    assert "\x00" not in response.text  # a %00 in the address is not repeated in the page


def test_at_most_40_items_the_rest_left_out_with_a_notice(client, seeded):
    query = "&".join([f"food={PUMPKIN}:1"] * 30 + ["supplement=label:10:1"] * 11)
    form, plan = plan_for(query)
    assert len(plan.items) == MAX_ITEMS
    assert form.notices == ["A plan holds at most 40 items: the first 40 are shown, 1 more left out."]
    assert plan.total_text == str(30 * 156 + 10 * 10)
    words = text(client.get(f"{PLANNER}?{query}").text)
    assert "your day holds" not in words and "A plan holds at most 40 items" in words


# --- The page's own forms: rows, remove, add ---------------------------------------------------------


def rows(**extra):
    return {
        "stage": WOMAN,
        "item-0": f"food:{PUMPKIN}",
        "servings-0": "2",
        "item-1": "supplement:label",
        "mg-1": "200",
        "per_day-1": "1",
        **extra,
    }


def test_without_javascript_the_rows_are_sent_and_the_address_becomes_the_plans(client, seeded):
    response = client.get(PLANNER, rows())
    assert response.status_code == 302
    assert response["Location"] == f"{PLANNER}?stage={WOMAN}&food={PUMPKIN}:2&supplement=label:200:1"
    assert "no-store" in response["Cache-Control"]


def test_without_javascript_remove_and_add(client, seeded):
    response = client.get(PLANNER, rows(remove="0"))
    assert response["Location"] == f"{PLANNER}?stage={WOMAN}&supplement=label:200:1"
    plan = {"stage": WOMAN, "food": f"{PUMPKIN}:1"}
    added = {"add_supplement": "magnesium-citrate", "add_mg": "500", "add_per_day": "2"}
    response = client.get(PLANNER, {**plan, **added})
    assert response["Location"] == f"{PLANNER}?stage={WOMAN}&food={PUMPKIN}:1&supplement=magnesium-citrate:500:2"
    response = client.get(PLANNER, {**plan, "add_food": BOILED_SPINACH, "q": "spin"})
    assert response["Location"] == f"{PLANNER}?stage={WOMAN}&food={PUMPKIN}:1&food={BOILED_SPINACH}:1"


def test_an_add_without_its_amount_stays_on_the_page_with_a_notice(client, seeded):
    response = client.get(PLANNER, {"food": f"{PUMPKIN}:1", "add_supplement": "label", "add_mg": ""})
    assert response.status_code == 200
    assert "The mg per serving of the supplement must be a number" in text(response.text)


def test_htmx_rows_update_the_result_and_replace_the_address(client, seeded):
    response = client.get(PLANNER, rows(), HTTP_HX_TARGET="result", **HTMX)
    html = response.text
    assert html.lstrip().startswith('<section id="result"') and "<html" not in html
    assert response["HX-Replace-Url"] == f"{PLANNER}?stage={WOMAN}&food={PUMPKIN}:2&supplement=label:200:1"
    assert "512 mg" in text(html)  # 2 x 156 + 200
    # The screen-reader status and the other forms' copies of the plan come with it, out of band.
    assert 'id="plan-status" class="visually-hidden" role="status" data-hx-swap-oob="innerHTML"' in html
    assert f'<div id="search-state" data-hx-swap-oob="true"><input type="hidden" name="stage" value="{WOMAN}">' in html
    assert f'<input type="hidden" name="food" value="{PUMPKIN}:2">' in html
    assert "Your day: 512 mg of magnesium, 160% of the RDA of 320 mg." in html
    assert "Vary" in response and "HX-Target" in response["Vary"]


def test_htmx_remove_redraws_the_whole_plan_and_pushes_the_address(client, seeded):
    response = client.get(PLANNER, rows(remove="1"), HTTP_HX_TARGET="result", **HTMX)
    assert response["HX-Retarget"] == "#plan" and response["HX-Reswap"] == "outerHTML"
    assert response["HX-Push-Url"] == f"{PLANNER}?stage={WOMAN}&food={PUMPKIN}:2"
    assert response.text.lstrip().startswith('<div id="plan"') and 'name="item-1"' not in response.text


def test_htmx_search_answers_the_matches_only(client, usda):
    response = client.get(PLANNER, {"food": f"{PUMPKIN}:1", "q": "spin"}, HTTP_HX_TARGET="food-matches", **HTMX)
    html = response.text
    assert html.lstrip().startswith('<p id="matches-count" data-hx-swap-oob="innerHTML">') and "<form" not in html
    assert '<div id="food-matches"' in html and "foods found for “spin”" in html  # the count, for screen readers
    assert 'name="add_food" value="spinach-boiled-drained"' in html  # featured first
    assert f'value="{usda["11457"].slug}"' in html  # then USDA's foods
    assert "HX-Push-Url" not in response


def test_htmx_add_from_the_search_pushes_the_address(client, usda):
    params = {"food": f"{PUMPKIN}:1", "q": "spin", "add_food": usda["11457"].slug}
    response = client.get(PLANNER, params, HTTP_HX_TARGET="food-matches", **HTMX)
    assert response["HX-Retarget"] == "#plan"
    assert response["HX-Push-Url"] == f"{PLANNER}?food={PUMPKIN}:1&food={usda['11457'].slug}:1"


def test_history_restore_gets_the_whole_page(client, seeded):
    response = client.get(f"{PLANNER}?{EXAMPLE}", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in response.text and response.text.count('id="plan-status"') == 1


def test_the_full_page_has_one_status_and_plain_get_forms(client, seeded):
    html = client.get(f"{PLANNER}?{EXAMPLE}").text
    assert html.count('id="plan-status"') == 1 and html.count('role="status"') >= 1
    assert html.count('method="get"') == 3 and 'method="post"' not in html
    # The rows carry the plan for a submit without JavaScript.
    assert f'name="item-0" value="food:{PUMPKIN}"' in html and 'name="servings-1" id="id_servings-1" value="2"' in html
    assert 'name="item-2" value="supplement:label"' in html and 'name="mg-2" id="id_mg-2" value="200"' in html


def test_the_plain_text_summary(client, seeded):
    html = client.get(f"{PLANNER}?{EXAMPLE}").text
    summary = re.search(r'<textarea id="plan-summary-text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "Life stage: Adults, 31-50 years, female" in summary
    assert "- Pumpkin seeds (pepitas), roasted: 1 × 1 oz (28.35 g) = 156 mg" in summary
    assert "Total: 512 mg a day, 160% of the RDA of 320 mg (food 312 mg)." in summary
    assert "200 mg a day against the Upper Level of 350 mg for ages 9 years and older (food not counted)" in summary
    assert "kidney disease" in summary


def test_the_byline_on_the_page_in_print_and_in_the_summary(client, seeded):
    """The planner judges amounts: who stands behind its figures and when, as the calculator shows it."""
    html = client.get(f"{PLANNER}?{EXAMPLE}").text
    byline = text(re.search(r'<dl class="page-dates">.*?</dl>', html, re.S).group(0))
    assert "Written by" in byline and "Last reviewed" in byline and "Last updated" in byline
    assert "Not yet medically reviewed" in byline  # the seed data's forms and intake figures are not reviewed
    # Not hidden on paper (the print stylesheet hides .no-print, forms, navigation).
    assert "no-print" not in re.search(r'<dl class="page-dates"[^>]*>', html).group(0)
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "page-dates" not in re.search(r"([^{}]+)\{ display: none !important; \}", css).group(1)
    _, summary = status_and_summary(html)
    assert "This page’s figures: Written by" in summary and "Not yet medically reviewed." in summary
    # The empty page has it too.
    assert '<dl class="page-dates">' in client.get(PLANNER).text


def test_a_reviewed_byline_names_the_reviewer_and_date_in_the_summary(client, seeded):
    from supplements.planner import dates_line

    class Reviewer:
        name = "A. Reviewer"
        name_with_credentials = "Dr A. Reviewer, MD"

    from datetime import date

    from site_project.models import PageDates

    dates = PageDates(date(2026, 5, 3), date(2026, 4, 1), reviewers=[Reviewer()], by_editors=True)
    assert dates_line(dates) == (
        "This page’s figures: Written by the Magnesium & Nerve Health editors. "
        "Last reviewed 1 April 2026 by Dr A. Reviewer, MD. Last updated 3 May 2026."
    )


# --- Privacy, caching, queries, print --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_readers_day_is_not_kept_by_the_page_cache_or_the_log(client, caplog, settings, tmp_path):
    day = {"supplement": "label:433:1"}
    assert_readers_figures_not_kept(client, caplog, settings, tmp_path, PLANNER, day, "433")


def many_items(n):
    foods = [f"food={PUMPKIN}:1", f"food={BOILED_SPINACH}:2:1", "food=spinach-raw:1"]
    sups = ["supplement=label:100:1", "supplement=magnesium-glycinate:500:2"]
    return "&".join((foods + sups)[i % 5] for i in range(n))


@pytest.mark.parametrize("n", [1, MAX_ITEMS])
def test_query_count_is_the_same_for_1_and_40_items(client, usda, django_assert_num_queries, n):
    """Supplement forms, life stages, featured foods, USDA foods, their measures, and the byline's two (forms'
    and intake figures' dates and people): seven, whatever the number."""
    query = f"stage={WOMAN}&{many_items(n)}"
    with django_assert_num_queries(7):
        response = client.get(f"{PLANNER}?{query}")
    assert response.status_code == 200
    assert len(re.findall(r'<li class="plan-item ', response.text)) == n
    with django_assert_num_queries(7):
        client.get(f"{PLANNER}?{query}", HTTP_HX_TARGET="result", **HTMX)
    # Searching adds two (featured foods, USDA foods).
    with django_assert_num_queries(9):
        client.get(f"{PLANNER}?{query}&q=spin", HTTP_HX_TARGET="food-matches", **HTMX)


def test_the_empty_page(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(4):  # forms and life stages; the byline's two
        response = client.get(PLANNER)
    assert response.status_code == 200 and "Add a food or a supplement" in response.text
    assert "no-store" not in response.get("Cache-Control", "")


def test_print_stylesheet_is_linked_and_hides_navigation_and_forms(client, seeded):
    html = client.get(f"{PLANNER}?{EXAMPLE}").text
    assert re.search(r'<link rel="stylesheet" href="/static/css/print[.\w]*css" media="print">', html)
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    hidden = re.search(r"([^{}]+)\{ display: none !important; \}", css).group(1)
    assert all(part in hidden for part in (".site-header", ".site-footer nav", "form", ".no-print"))
    # What stays on paper: the plan, its sources, the date.
    assert 'id="sources-heading"' in html and "Worked out on <time" in html
    assert 'class="meta breadcrumb no-print"' in html


def test_featured_foods_without_a_usda_link_have_no_measure_choice(client, seeded):
    assert FoodEntry.objects.get(slug=PUMPKIN).usda_food is None  # the seed alone: no USDA import
    html = client.get(PLANNER, {"food": f"{PUMPKIN}:1"}).text
    assert 'name="measure-0"' not in html
    assert Decimal("156") == plan_for(f"food={PUMPKIN}:1")[1].items[0].mg


# --- "Add to my day" on the food pages, the comparison and the calculator --------------------------


def add_links(html):
    return re.findall(r'<a class="button button-secondary add-to-day" href="([^"]+)"', html)


def test_add_to_my_day_on_a_featured_and_a_usda_food_page(client, usda):
    assert add_links(client.get(f"/foods/{PUMPKIN}/").text) == [f"/planner/?food={PUMPKIN}:1"]
    slug = usda["11457"].slug
    assert add_links(client.get(f"/foods/{slug}/").text) == [f"/planner/?food={slug}:1"]
    # The link gives a plan with that food.
    assert "156 mg of magnesium a day" in text(client.get(f"/planner/?food={PUMPKIN}:1").text)


def test_add_to_my_day_on_each_compared_food(client, usda):
    slug = usda["11457"].slug
    html = client.get("/foods/compare/", {"food": [PUMPKIN, slug]}).text
    assert add_links(html) == [f"/planner/?food={PUMPKIN}:1", f"/planner/?food={slug}:1"]
    assert 'Add to my day<span class="visually-hidden">: Spinach, raw</span>' in html


@pytest.mark.parametrize(
    ("query", "link"),
    [
        (
            {"label": "compound", "form": "magnesium-glycinate", "amount_mg": "500", "per_day": "2", "stage": WOMAN},
            f"/planner/?stage={WOMAN}&amp;supplement=magnesium-glycinate:500:2",
        ),
        ({"label": "elemental", "amount_mg": "200", "per_day": "1"}, "/planner/?supplement=label:200:1"),
        # Another form by its elemental %: carried over as the elemental mg a serving (500 x 20 % = 100 mg).
        (
            {"label": "percent", "percent": "20", "amount_mg": "500", "per_day": "3"},
            "/planner/?supplement=label:100:3",
        ),
    ],
)
def test_add_to_my_day_on_the_calculators_result_carries_the_same_dose(client, seeded, query, link):
    html = client.get("/supplements/calculator/", query).text
    assert add_links(html) == [link]
    calculator_mg = re.search(r'<p class="calc-answer"><strong>([\d.]+) mg', html).group(1)
    planner_words = text(client.get(link.replace("&amp;", "&")).text)
    assert f"{plain_mg(calculator_mg)} mg of magnesium a day" in planner_words


def plain_mg(value):
    return value.removesuffix(".0")


def test_no_add_button_without_a_dose(client, seeded):
    assert add_links(client.get("/supplements/calculator/").text) == []


def test_the_partial_for_the_food_rows(seeded):
    from django.template.loader import render_to_string

    html = render_to_string(
        "supplements/includes/add_to_day.html", {"kind": "food", "value": f"{PUMPKIN}:1", "name": "Pumpkin seeds"}
    )
    assert add_links(html) == [f"/planner/?food={PUMPKIN}:1"] and "Pumpkin seeds" in html


def test_a_source_address_is_a_link_only_when_it_is_a_web_address(client, seeded):
    FoodEntry.objects.filter(slug=PUMPKIN).update(source_url="javascript:alert(1)")
    FoodEntry.objects.filter(slug=BOILED_SPINACH).update(source_url="https://ods.od.nih.gov/")
    html = client.get(PLANNER, {"food": [f"{PUMPKIN}:1", f"{BOILED_SPINACH}:1"]}).text
    assert "javascript:" not in html and 'href="https://ods.od.nih.gov/" rel="noopener">Open the source' in html


def test_the_search_is_the_start_of_a_word_as_its_help_text_says(client, tmp_path, seeded):
    """ "alm" finds almonds, not salmon (featured or USDA's); a food found by another name USDA gives it shows it."""
    from tests.factories import ALMONDS, SALMON, SAMPLE, import_usda

    import_usda(tmp_path / "sr28", [*SAMPLE, ALMONDS, SALMON, "23267"])  # 23267: ComName "Spinalis dorsi, ..."
    html = client.get(PLANNER, {"q": "alm"}).text
    help_text = "The start of any word of a food’s name, or of another name USDA gives it (shown beside it): "
    assert help_text + "“alm” finds almonds, not salmon." in html
    offered = re.findall(r'name="add_food" value="[^"]+"[^>]*>Add<span class="visually-hidden"> ([^<]+)<', html)
    assert "Almonds, dry roasted" in offered and any(name.startswith("Nuts, almonds") for name in offered)
    assert not [name for name in offered if "Salmon" in name], offered
    spin = text(client.get(PLANNER, {"q": "spin"}).text)
    assert "USDA SR28; USDA also calls it “Spinalis dorsi, URMIS #2069”;" in spin


# --- Review 7c: liquids, an infant's kidney box, what a bad item's notice says ----------------------

KIDNEY_INSTRUCTION = (
    "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."
)


def test_the_liquid_help_is_where_a_supplements_amount_and_servings_are_entered(client, seeded):
    """Review finding: the planner never said a liquid's serving is a 5 mL measure, so a 30 mL dose went in as one
    serving of 400 mg and read "Within the Upper Level"."""
    html = client.get(PLANNER).text
    form = html[
        html.index('<form id="add-supplement"') : html.index("</form>", html.index('<form id="add-supplement"'))
    ]
    words = text(form)
    liquid = "enter 400 as the amount per serving and, under “Servings a day”, the number of 5 mL servings you take"
    assert liquid in words and "a 30 mL dose is 6 servings of 5 mL" in words
    # Right after the amount and servings boxes, which name it for screen readers.
    assert form.index('name="add_mg"') < form.index('name="add_per_day"') < form.index('id="id_add_liquid_helptext"')
    assert form.count('aria-describedby="id_add_liquid_helptext"') == 2
    # Followed as written, a 30 mL dose of milk of magnesia is over the adults' Upper Level.
    result = text(client.get(PLANNER, {"supplement": "magnesium-hydroxide:400:6", "stage": WOMAN}).text)
    assert "1000.8 mg" in result and "Above the Upper Level" in result


@pytest.mark.parametrize("stage", ["infants-0-6-months-all", "infants-7-12-months-all"])
def test_an_infants_kidney_box_and_summary_say_no_sentence_about_an_upper_level(client, seeded, stage):
    """Review finding: an infant's day said "the Upper Level is set for healthy people", though none is set."""
    html = client.get(PLANNER, {"stage": stage, "supplement": "label:10:1"}).text
    box = text(re.search(r'<div class="notice notice-kidney">(.*?)</div>', html, re.S).group(1))
    assert "Kidney disease: the kidneys keep the body’s magnesium level. " + KIDNEY_INSTRUCTION in box
    assert "Upper Level" not in box
    _, summary = status_and_summary(html)
    assert KIDNEY_INSTRUCTION in summary and "The Upper Level is for healthy people" not in summary
    adult = client.get(PLANNER, {"stage": WOMAN, "supplement": "label:10:1"}).text
    assert "Kidney disease: the Upper Level is set for healthy people" in text(adult)
    assert "The Upper Level is for healthy people: with kidney disease, take no" in status_and_summary(adult)[1]


def test_the_summary_names_heart_and_gut_disorders_as_the_page_does(client, seeded):
    _, summary = status_and_summary(client.get(f"{PLANNER}?{EXAMPLE}").text)
    assert (
        "The figures do not fit people with heart or gastrointestinal disorders, who should avoid magnesium "
        "supplements unless a clinician supervises. Source: MSKCC and NIH ODS (heart and gastrointestinal disorders)."
    ) in summary
