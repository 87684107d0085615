"""/supplements/safety/: Upper Level by age, what too much does, interactions, when to see a doctor."""

import re

import pytest

from tests.factories import make_intake, make_interaction, make_supplement_form

pytestmark = pytest.mark.django_db

URL = "/supplements/safety/"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_seeded_safety_page_gives_the_upper_level_by_age_and_says_food_does_not_count(client, seeded):
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "It does not apply to magnesium in food and water." in page
    # One row per age band the Upper Level is set for, from the intake table.
    for band in ["0-12 months Not set", "1-3 years 65", "4-8 years 110", "9 years and older 350"]:
        assert band in page
    assert "Not established; intake should come from breast milk, formula and food" in page
    assert "NIH ODS Magnesium Fact Sheet for Health Professionals, Table 3" in page
    # The full intake table, RDA and UL side by side.
    assert "Adults, 31-50 years, female 320 RDA 350" in page


def test_safety_page_lists_interactions_with_spacing_advice_and_sources(client, seeded):
    html = client.get(URL).content.decode()
    page = text(client.get(URL))
    assert "Medicines whose absorption magnesium reduces (separate the doses)" in page
    assert "Tetracycline antibiotics" in page
    assert "take the antibiotic at least 2 h before or 4-6 h after magnesium" in page
    assert "Gabapentin (used for neuropathic pain)" in page
    assert "Proton pump inhibitors, long-term use" in page
    assert 'href="https://www.goodrx.com/well-being/supplements-herbs/magnesium-interactions"' in html
    assert 'href="https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"' in html


def test_safety_page_says_what_too_much_does_and_when_to_see_a_doctor(client, seeded):
    page = text(client.get(URL))
    assert "diarrhea, which may come with nausea and abdominal cramping" in page
    assert "more than 5,000 mg of magnesium a day" in page
    assert "1.74–2.61 mmol/L" in page
    assert "When to see a doctor" in page
    assert "kidney, heart or gut (gastrointestinal) disease" in page


def test_figures_written_into_the_safety_page_are_the_ones_in_the_data_file():
    """The prose on the page transcribes interactions.md: its figures must still be there."""
    from supplements.seed import DATA_DIR

    source = (DATA_DIR / "interactions.md").read_text(encoding="utf-8")
    for figure in ["5,000 mg/day", "28-month-old boy", "1.74-2.61 mmol/L", "2-4 nausea", "3.5-5 loss of deep tendon"]:
        assert figure in source


def test_every_supplement_page_links_to_the_safety_page(client):
    form = make_supplement_form()
    for url in ["/supplements/", form.get_absolute_url(), "/supplements/calculator/"]:
        assert 'href="/supplements/safety/"' in client.get(url).content.decode(), url


def test_editors_changes_show_on_the_safety_page(client):
    make_intake(life_stage="adults", age_range="19-30 years", upper_level_mg=351, upper_level_ages="test band")
    make_interaction(medicine_class="Test-o-cillin", advice="Two hours apart")
    page = text(client.get(URL))
    assert "test band 351" in page
    assert "Test-o-cillin" in page and "Two hours apart" in page


def test_safety_query_count_is_constant(client, django_assert_num_queries):
    for n in range(30):
        make_intake(upper_level_ages=f"band {n % 4}")
        make_interaction(category=["absorption", "level", "other"][n % 3])
    # The intake rows and the interactions.
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.status_code == 200


def test_each_safety_statement_names_its_source_beside_it(client, seeded):
    # "Every fact here is taken from the sources named beside it": each statement is followed by its source.
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/supplements/safety/").text))
    for statement, source in [
        ("the kidneys remove the excess. The risks come from magnesium in supplements and medicines.",
         "Institute of Medicine 1997; NIH ODS"),
        ("Many antacids and laxatives contain magnesium.", "Memorial Sloan Kettering; NIH ODS"),
        ("It does not apply to magnesium in food and water.", "NIH ODS, Table 3; Institute of Medicine 1997"),
    ]:  # fmt: skip
        assert f"{statement} {source}" in text, statement
