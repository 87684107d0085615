"""The clinician's review of the calculator, safety, evidence, article and low-magnesium pages: each
fix as a reader sees it, on the seeded site (figures from supplements/data and articles/data)."""

import re

import pytest

from articles.models import Finding
from articles.seed import above_upper_level, dose_form_not_stated, evidence_rows
from tests.factories import data_migration

CALCULATOR = "/supplements/calculator/"
HTMX = {"HX-Request": "true"}


def text_of(html):
    """The page's words, as a reader reads them: tags dropped, entities for quotes undone."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


def result(client, **params):
    """The calculator's result section, as text (the htmx fragment, which is what updates in place)."""
    html = client.get(CALCULATOR, params, headers=HTMX).text
    return text_of(html[html.index('<section id="result"') : html.index("</section>")])


ELEMENTAL = {"label": "elemental", "amount_mg": "100", "per_day": "1"}

# --- Calculator ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stage", ["pregnancy-19-30-years-female", "pregnancy-14-18-years-female", "lactation-31-50-years-female"]
)
def test_pregnancy_and_breastfeeding_stages_say_ask_your_midwife(client, seeded, stage):
    text = result(client, **ELEMENTAL, stage=stage)
    assert (
        "Pregnant or breastfeeding: ask your midwife or doctor before taking magnesium; the recommended intake "
        "counts food too." in text
    )
    assert "NIH ODS, Table 1" in text
    assert "For a child" not in text


@pytest.mark.parametrize(
    "stage",
    [
        "children-1-3-years-all",
        "children-4-8-years-all",
        "children-9-13-years-all",
        "adolescents-14-18-years-male",
        "adolescents-14-18-years-female",
    ],
)
def test_every_child_stage_says_ask_the_childs_doctor(client, seeded, stage):
    text = result(client, **ELEMENTAL, stage=stage)
    assert (
        "For a child, ask the child's doctor or pharmacist before giving any magnesium supplement, antacid or "
        "laxative." in text.replace("’", "'")
    )
    assert "28-month-old boy" in text  # the child toxicity case of interactions.md
    assert "Pregnant or breastfeeding" not in text


@pytest.mark.parametrize("stage", ["adults-31-50-years-female", "adults-19-30-years-male"])
def test_adult_stages_get_neither_the_pregnancy_nor_the_child_caveat(client, seeded, stage):
    text = result(client, **ELEMENTAL, stage=stage)
    assert "Pregnant or breastfeeding" not in text and "For a child" not in text


def test_under_the_rda_comparison_food_usually_supplies_much_of_it(client, seeded):
    text = result(client, **ELEMENTAL, stage="adults-31-50-years-female")
    comparison = text.index("Of the RDA for adults, 31-50 years, female")
    food = text.index("Food usually supplies much of this; a supplement does not need to reach 100 %.")
    assert comparison < food
    # Not for infants: no supplement at all unless prescribed.
    infant = result(client, **ELEMENTAL, stage="infants-0-6-months-all")
    assert "does not need to reach 100 %" not in infant


def test_the_rounding_is_unchanged(client, seeded):
    text = result(client, label="compound", form="magnesium-glycinate", amount_mg="500", per_day="2")
    assert "Result 141.0 mg of elemental magnesium a day In one serving 70.5 mg" in text
    assert "500 mg of magnesium glycinate × 14.1 % magnesium = 70.5 mg per serving" in text


def test_glycinate_result_shows_the_forms_note_on_commercial_material(client, seeded):
    text = result(client, label="compound", form="magnesium-glycinate", amount_mg="500", per_day="1")
    assert "About magnesium glycinate: 14.1% is the theoretical maximum; commercial material is often 10-12%" in text


def test_every_compound_result_shows_its_forms_note_and_a_label_that_gives_magnesium_none(client, seeded):
    text = result(client, label="compound", form="magnesium-oxide", amount_mg="500", per_day="1")
    assert "About magnesium oxide: Most magnesium per gram but poorly soluble" in text
    # And a label that already gives elemental magnesium needs no note on the compound.
    text = result(client, label="elemental", form="magnesium-glycinate", amount_mg="500", per_day="1")
    assert "About magnesium glycinate" not in text


def test_milk_of_magnesia_help_gives_the_adult_laxative_dose_and_the_labels_stop_rule(client, seeded):
    html = client.get(CALCULATOR).text
    hint = text_of(re.search(r'<p id="id_form_helptext".*?</p>', html, re.S).group(0))
    assert "30 mL to 60 mL (2,400 to 4,800 mg of magnesium hydroxide), is 1,000 to 2,000 mg of magnesium" in hint
    assert "about 3 to 6 times the Upper Level of 350 mg" in hint
    assert "you need to use a laxative for more than 1 week" in hint


def test_see_your_result_link_follows_the_calculate_button(client, seeded):
    html = client.get(CALCULATOR).text
    button = html.index('<button type="submit">Calculate</button>')
    link = html.index('<a href="#result">See your result</a>')
    assert button < link < html.index('<section id="result"')


def test_calculator_children_note_says_no_supplement_for_infants(client, seeded):
    text = result(client, **ELEMENTAL)
    assert (
        "No Upper Level is set for infants: give no magnesium supplement, antacid or laxative unless a clinician "
        "prescribes it" in text
    )
    assert "none is set for infants" not in text


# --- Safety, low magnesium, foods, home, article ------------------------------------------------------


def test_safety_page_says_infants_get_no_supplement_and_when_to_get_urgent_help(client, seeded):
    text = text_of(client.get("/supplements/safety/").text)
    assert (
        "No Upper Level is set for infants: give no magnesium supplement, antacid or laxative unless a clinician "
        "prescribes it." in text
    )
    assert "none is set for infants" not in text
    assert (
        "Get urgent medical help for seizures (convulsions), a racing or irregular heartbeat, or difficulty "
        "breathing." in text
    )
    assert "FDA Drug Safety Communication 2011" in text


def test_low_magnesium_page_says_when_to_get_urgent_help_in_the_sources_words(client, seeded):
    text = text_of(client.get("/supplements/low-magnesium/").text)
    assert "a racing or irregular heartbeat, muscle spasm or tremor: get urgent medical help" in text
    # FDA's words, as the PPI row of interactions_detail.csv carries them.
    assert "seek care for a racing or irregular heartbeat, muscle spasm, tremor or convulsions" in text


@pytest.mark.parametrize("url", ["/", "/supplements/safety/", "/articles/magnesium-and-peripheral-neuropathy/"])
def test_low_magnesium_is_linked_from_home_safety_and_the_article(client, seeded, url):
    html = client.get(url).text
    assert 'href="/supplements/low-magnesium/">Low magnesium</a>' in html


def test_the_article_links_low_magnesium_in_its_evidence_note_and_keeps_the_owners_text(client, seeded):
    from articles.models import Article

    article = Article.objects.get(slug="magnesium-and-peripheral-neuropathy")
    html = client.get(article.get_absolute_url()).text
    note = html[html.index('<aside class="notice evidence-note"') :]
    note = note[: note.index("</aside>")]
    assert 'href="/supplements/low-magnesium/"' in note
    assert text_of(article.evidence_note.split("\n")[0])[:60].strip() in text_of(note)


def test_foods_page_says_ask_your_doctor_with_kidney_disease(client, seeded):
    text = text_of(client.get("/foods/").text)
    assert "With kidney disease, ask your doctor before taking any magnesium supplement, antacid or laxative" in text
    assert "The risk is higher when the kidneys do not work well." not in text


# --- Evidence ---------------------------------------------------------------------------------------

# No source says these trials were supervised (evidence.csv: the 520 mg trial's participants were community-dwelling
# adults), so the note says only that the dose is above the Upper Level, beside the IOM's words and their sources.
ABOVE = "This trial’s dose is above the Upper Level for supplements (350 mg a day)."


def test_the_seed_flags_only_stated_elemental_doses_above_350_mg():
    assert above_upper_level("Oral magnesium oxide 865 mg (520 mg elemental magnesium) at bedtime for 4 weeks")
    assert not above_upper_level("Oral magnesium 300 mg (as Mg2+) daily for 5 years vs no supplement")
    assert not above_upper_level("Oral magnesium oxide 250 mg/day for 12 weeks vs placebo")  # a compound's weight
    assert not above_upper_level("Oral magnesium 12.4 mmol each evening (about 300 mg elemental: 12.4 x 24.305 mg)")


def test_the_520_mg_trial_says_its_dose_is_above_the_upper_level(client, seeded):
    for url in ["/evidence/", "/evidence/leg-cramps/"]:
        html = client.get(url).text
        assert ABOVE in finding_html(html, "cramps-nocturnal-mgo-rct-2017")
        assert html.count(ABOVE) == 1  # only that finding
        assert "studied under supervision" not in html.lower()  # a claim no reference makes


ABOVE_FORM_NOT_STATED = (
    "This trial’s oral dose, as stated, is above the Upper Level for supplements (350 mg a day) if the amount is "
    "of magnesium itself; the form was not stated."
)
# Every evidence.csv finding, judged by hand from its intervention: the daily oral dose of magnesium itself
# ("elemental"), an amount of "oral magnesium" of unstated form, or nothing to judge (no oral dose, a dose
# under 350 mg a day, a compound's weight with its magnesium unstated, or IV only).
DOSE_NOTES = {
    "cramps-nocturnal-mgo-rct-2017": ABOVE,  # 520 mg elemental magnesium at bedtime
    "low-back-pain-neuropathic-iv-then-oral-mg-2013": ABOVE_FORM_NOT_STATED,  # oral magnesium 245 mg twice a day
    "dpn-t1dm-oral-mg-300mg-5yr": None,  # 300 mg (as Mg2+)
    "rls-plms-open-pilot-1998": None,  # about 300 mg elemental
    "dfu-oral-mgo-250mg-2018": None,  # 250 mg of magnesium oxide
    "rls-mg-citrate-open-pilot-2024": None,  # 200 mg of magnesium citrate
    "neuropathic-pain-oral-mg-chloride-2011": None,  # 6 x 419 mg of magnesium chloride: a compound's weight
    "cipn-oxaliplatin-iv-camg-n08cb": None,  # IV
    "cipn-oxaliplatin-iv-camg-n04c7": None,  # IV
    "cipn-oxaliplatin-iv-camg-meta-2012": None,
    "cipn-asco-guideline-2014": None,
    "cipn-asco-guideline-2020": None,
    "dpn-t1dm-red-cell-mg-engelen-2000": None,  # dose not stated
    "dpn-t2dm-serum-mg-nerve-conduction-2016": None,  # observational
    "diabetes-supplements-ada-position": None,
    "diabetes-supplements-and-eal-2015": None,
    "rls-mg-systematic-review-2019": None,
    "rls-dietary-supplements-sr-2024": None,
    "cramps-idiopathic-older-adults-cochrane-2020": None,
    "cramps-pregnancy-cochrane-2020-garrison": None,
    "cramps-pregnancy-cochrane-interventions-cd010655": None,
    "chronic-pain-mg-systematic-review-2020": None,
    "mg-deficiency-experimental-depletion": None,
}


def finding_html(html, slug):
    finding = html[html.index(f'id="finding-{slug}"') :]
    return finding[: finding.index("</article>")]


def test_every_seeded_finding_above_the_upper_level_says_so_and_no_other_does(client, seeded):
    """A reader of any condition page sees the dose note on every finding whose oral dose a day is above
    350 mg, the elemental figure plainly, an unstated form as such, and on no other finding."""
    assert set(DOSE_NOTES) == {row["slug"] for row in evidence_rows()}  # a new row must be judged here
    html = client.get("/evidence/").text
    for slug, note in DOSE_NOTES.items():
        finding = finding_html(html, slug)
        if note is None:
            assert "above the Upper Level" not in finding, slug
        else:
            assert note in finding, slug
            assert "“Without good evidence for an expected benefit" in finding
            cited = "Upper Level: NIH ODS, Table 3; Institute of Medicine 1997. Quotation: Institute of Medicine 2000"
            assert cited in finding, slug
            assert "supervision" not in finding.replace("unless under the supervision of a physician", ""), slug
    nerve_pain = client.get("/evidence/nerve-pain/").text
    assert ABOVE_FORM_NOT_STATED in finding_html(nerve_pain, "low-back-pain-neuropathic-iv-then-oral-mg-2013")


def test_the_seed_reads_an_unstated_form_and_counts_the_doses_a_day():
    stated = "IV magnesium sulfate 1 g daily for 2 weeks, then oral magnesium (245 mg twice a day) for 4 weeks"
    assert above_upper_level(stated) and dose_form_not_stated(stated)
    assert not above_upper_level("then oral magnesium (170 mg twice a day)")  # 340 mg a day
    assert above_upper_level("oral magnesium (120 mg three times a day)")  # 360 mg a day
    assert not dose_form_not_stated("Oral magnesium oxide 865 mg (520 mg elemental magnesium) at bedtime")
    assert not above_upper_level("Oral magnesium chloride, 6 capsules x 419 mg per day")  # a compound's weight


def test_migration_0013_flags_the_back_pain_trial_in_an_existing_database(client, seeded):
    slug = "low-back-pain-neuropathic-iv-then-oral-mg-2013"
    Finding.objects.filter(slug=slug).update(above_upper_level=False, dose_form_not_stated=False)
    _module, fill_in = data_migration("articles", "0013_finding_dose_form_not_stated")
    fill_in()
    assert Finding.objects.filter(slug=slug, above_upper_level=True, dose_form_not_stated=True).exists()


def test_an_editor_cannot_mark_an_unstated_form_without_the_upper_level_flag(seeded):
    from django.core.exceptions import ValidationError

    finding = Finding.objects.get(slug="dfu-oral-mgo-250mg-2018")
    finding.dose_form_not_stated = True
    with pytest.raises(ValidationError) as error:
        finding.full_clean()
    assert "Tick “dose above the Upper Level” too" in str(error.value)


def test_an_editor_can_clear_the_flag_and_the_note_goes(client, seeded):
    Finding.objects.filter(slug="cramps-nocturnal-mgo-rct-2017").update(above_upper_level=False)
    assert "above the Upper Level for supplements" not in client.get("/evidence/leg-cramps/").text


@pytest.mark.parametrize("url", ["/evidence/", "/evidence/leg-cramps/", "/evidence/magnesium-deficiency/"])
def test_evidence_pages_carry_the_kidney_notice(client, seeded, url):
    text = text_of(client.get(url).text)
    kidney = "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it"
    assert kidney in text


def test_deficiency_harm_reads_as_harm_from_lack_of_magnesium(client, seeded):
    html = client.get("/evidence/magnesium-deficiency/").text
    assert "Result: <strong>harm from lack of magnesium</strong>" in html
    assert "Result: <strong>harm</strong>" not in html


def test_how_certainty_is_graded_lists_high(client, seeded):
    text = text_of(client.get("/evidence/").text)
    grading = text[text.index("How certainty is graded") :]
    assert grading.index("High :") < grading.index("Moderate :") < grading.index("Low :")
    assert "a guideline’s High, A or Strong rating" in grading


def test_diabetic_neuropathy_guideline_link_names_the_ada_statement(client, seeded):
    html = client.get("/evidence/diabetic-neuropathy/").text
    assert ">Read the ADA statement on supplements in diabetes</a>" in html
    assert "Read the guideline" not in html.split('id="guideline-diabetic-neuropathy"')[1].split("</aside>")[0]


# --- The admin: editors can change what the seed set -------------------------------------------------


def test_editors_see_the_new_fields_in_the_admin(staff_client, seeded):
    finding = Finding.objects.get(slug="cramps-nocturnal-mgo-rct-2017")
    html = staff_client.get(f"/admin/articles/finding/{finding.pk}/change/").text
    assert re.search(r'<input type="checkbox" name="above_upper_level"[^>]* checked', html)
    from supplements.models import Medicine

    raltegravir = Medicine.objects.get(slug="raltegravir")
    html = staff_client.get(f"/admin/supplements/medicine/{raltegravir.pk}/change/").text
    assert 'name="ask_whom"' in html and 'value="your HIV team"' in html
    assert 'name="timing_words"' in html


def test_raltegravir_card_names_the_source_that_covers_magnesium_supplements(client, seeded):
    html = client.get("/supplements/medicines/", {"medicine": "raltegravir"}).text
    card = html[html.index('id="medicine-raltegravir"') :]
    card = text_of(card[: card.index("</li>\n")])
    assert "ask your HIV team before taking any magnesium supplement" in card
    assert "WebMD 'Raltegravir/Aluminum & Magnesium Antacids & Magnesium Supplements' (Serious)" in card
