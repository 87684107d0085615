"""/supplements/safety/: Upper Level by age, what too much does, a summary of interactions, when to see a doctor."""

import re

import pytest

from tests.factories import make_intake, make_supplement_form

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


def test_safety_page_sums_up_interactions_and_sends_readers_to_the_medicines_page(client, seeded):
    html = client.get(URL).content.decode()
    page = text(client.get(URL))
    assert 'href="/supplements/medicines/"' in html
    assert "Look up your medicines: the gap for each, with its source" in page
    # Raltegravir's "do not" is quoted, not softened.
    assert (
        "Do not take aluminium- or magnesium-containing antacids with raltegravir, either together or spaced apart."
        in page
    )  # noqa: E501
    # What the medicines page does not list stays here, with its source beside it.
    assert "take magnesium 3–4 hours before or after them. SmPC" in page
    assert "zinc at about 142 mg a day): stagger the doses. GoodRx" in page
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
    for figure in [
        "5,000 mg/day", "28-month-old boy", "1.74-2.61 mmol/L", "2-4 nausea", "3.5-5 loss of deep tendon",
        "take magnesium 3-4 h before or after", "zinc at about 142 mg/day", "foscarnet, pentamidine, amphotericin B",
    ]:  # fmt: skip
        assert figure in source


def test_every_supplement_page_links_to_the_safety_page(client):
    form = make_supplement_form()
    for url in ["/supplements/", form.get_absolute_url(), "/supplements/calculator/"]:
        assert 'href="/supplements/safety/"' in client.get(url).content.decode(), url


def test_editors_changes_show_on_the_safety_page(client):
    make_intake(life_stage="adults", age_range="19-30 years", upper_level_mg=351, upper_level_ages="test band")
    page = text(client.get(URL))
    assert "test band 351" in page


def test_safety_query_count_is_constant(client, django_assert_num_queries):
    for n in range(30):
        make_intake(upper_level_ages=f"band {n % 4}")
    # The intake rows, and the page's dates from the medicines it draws on (one aggregate).
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.status_code == 200


def test_each_safety_statement_names_its_source_beside_it(client, seeded):
    # "Every fact here is taken from the sources named beside it": each statement is followed by its source.
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/supplements/safety/").text))
    for statement, source in [
        ("in healthy people the kidneys remove the excess. The risks come from magnesium in supplements and "
         "medicines.",
         "Institute of Medicine 1997; NIH ODS"),
        ("Many antacids and laxatives contain magnesium.", "Memorial Sloan Kettering; NIH ODS"),
        ("It does not apply to magnesium in food and water.", "NIH ODS, Table 3; Institute of Medicine 1997"),
    ]:  # fmt: skip
        assert f"{statement} {source}" in text, statement


# --- Issue 12: the adult figure in words, kidney disease, serum units ---------------------------


def test_the_first_lines_say_the_adult_figure_in_words(client, seeded):
    html = client.get(URL).content.decode()
    first = text_of(html[html.index("<h1>") : html.index('<nav class="toc"')])
    assert "The Upper Level for magnesium is 350 mg a day from supplements and medicines, from age 9." in first
    assert "lower for children (65 mg from 1 to 3 years, 110 mg from 4 to 8 years)." in first
    assert "No Upper Level is set for infants: give no magnesium supplement, antacid or laxative unless" in first
    assert "with kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber" in first


def test_the_figures_in_the_first_lines_are_the_data_files():
    """The lead is written out; the intake file must still say 350 from age 9, 65 and 110 for children."""
    import csv

    from supplements.seed import DATA_DIR

    with (DATA_DIR / "intake_reference.csv").open(newline="", encoding="utf-8") as handle:
        limits = {
            row["age_range"]: row["magnesium_mg_per_day"] for row in csv.DictReader(handle) if row["metric"] == "UL"
        }
    assert limits == {"0-12 months": "", "1-3 years": "65", "4-8 years": "110", "9 years and older": "350"}


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_upper_level_section_names_kidney_disease_with_its_sources(client, seeded):
    html = client.get(URL).content.decode()
    section = html[html.index('<section aria-labelledby="upper-level-heading">') :]
    section = section[: section.index("</section>")]
    words = text_of(section)
    assert "the Upper Level is set for healthy people, “almost all individuals in the general population”" in words
    assert (
        "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."
        in words
    )
    assert "Ask a doctor before use if you have kidney disease" in words
    assert 'href="https://www.rxreasoner.com/monographs/magnaspartate/precautions"' in section
    assert "safe" not in words.lower().replace("safety", "")


def test_serum_magnesium_in_three_units_with_the_range_and_the_conversion(client, seeded):
    html = client.get(URL).content.decode()
    section = html[html.index('<section aria-labelledby="serum-heading">') :]
    words = text_of(section[: section.index("</section>")])
    assert "Normal serum magnesium is 0.75 to 0.95 mmol/L (1.8 to 2.3 mg/dL)" in words
    assert "In mEq/L that range is 1.5 to 1.9 mEq/L" in words
    assert "Institute of Medicine 1997" in words and "StatPearls" in words
    assert "1 mmol/L = 2 mEq/L = 24.305 mg/L = 2.43 mg/dL, and 1 mEq/L = 0.5 mmol/L = 1.22 mg/dL" in words
    assert "Go by the range printed on your own report." in words
    # The table: each row in mmol/L, mEq/L and mg/dL.
    for row in ["Conversion 1 2 2.43", "Normal range, lower end 0.75 1.5 1.8", "Normal range, upper end 0.95 1.9 2.3"]:
        assert row in words
    assert 'href="#serum-heading"' in html
    assert 'href="https://statpearls.com/articlelibrary/viewarticle/23271"' in html


def test_serum_figures_are_the_reference_files():
    from supplements.seed import DATA_DIR

    source = (DATA_DIR / "deficiency.md").read_text(encoding="utf-8")
    for figure in [
        "0.75 to 0.95 mmol/L (1.8 to 2.3 mg/dL)",
        "1.46 to 2.68 mg/dL",
        "1 mmol/L = 2 mEq/L",
        "1 mEq/L = 0.5 mmol/L = 1.22 mg/dL",
        "1 mmol/L = 24.305 mg/L = 2.43 mg/dL",
        "0.75 mmol/L = 1.5 mEq/L",
    ]:
        assert figure in source
