"""Supplement forms and intake references: validation, filtering, and the seed."""

import csv
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from supplements import seed
from supplements.models import (
    DAILY_VALUE_MG,
    IntakeReference,
    SupplementForm,
    SupplementReference,
    SupplementUse,
    upper_levels_by_age,
)
from tests.factories import make_intake, make_supplement_form, make_use

pytestmark = pytest.mark.django_db

ELEMENTAL_MESSAGE = "Elemental magnesium must be between 0 and 100 %."


def read_data(name):
    with (seed.DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- Validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("percent", ["-0.1", "100.01", "150"])
def test_elemental_percent_outside_0_to_100_gives_the_clear_message(percent):
    form = make_supplement_form()
    form.elemental_percent = Decimal(percent)
    with pytest.raises(ValidationError) as error:
        form.full_clean()
    assert ELEMENTAL_MESSAGE in error.value.message_dict["elemental_percent"]


@pytest.mark.parametrize("percent", ["0", "60.3", "100"])
def test_elemental_percent_from_0_to_100_is_accepted(percent):
    form = make_supplement_form(elemental_percent=Decimal(percent))
    form.full_clean()


@pytest.mark.parametrize("slug", ["safety", "calculator"])
def test_a_form_cannot_take_the_address_of_the_safety_or_calculator_page(slug):
    form = make_supplement_form()
    form.slug = slug
    with pytest.raises(ValidationError) as error:
        form.full_clean()
    assert "address of another page" in error.value.message_dict["slug"][0]


def test_body_markdown_is_rendered_and_sanitized_on_save():
    form = make_supplement_form(body="## Notes\n\nSafe text.<script>alert(1)</script>")
    assert '<h2 id="notes">Notes</h2>' in form.body_html
    assert "<script>" not in form.body_html


def test_elemental_mg_and_worked_example_use_decimal_arithmetic():
    oxide = make_supplement_form(elemental_percent=Decimal("60.3"), example_compound_mg=500)
    assert oxide.elemental_mg(500) == Decimal("301.5")
    assert oxide.example_elemental_mg == Decimal("301.5")
    assert oxide.percent_text == "60.3"
    assert oxide.chart_width == 60


# --- Filtering and sorting -----------------------------------------------------------------------


def test_filter_by_absorption_laxative_and_use_combine():
    laxative = make_use(slug="laxative")
    oxide = make_supplement_form(absorption="low", laxative_effect="strong", uses=[laxative])
    citrate = make_supplement_form(absorption="high", laxative_effect="moderate", uses=[laxative])
    glycinate = make_supplement_form(absorption="moderate", laxative_effect="mild")
    forms = SupplementForm.objects.all()

    assert set(forms.filter_by(absorption=["low", "high"])) == {oxide, citrate}
    assert set(forms.filter_by(laxative=["mild"])) == {glycinate}
    assert set(forms.filter_by(use="laxative")) == {oxide, citrate}
    assert set(forms.filter_by(absorption=["high"], use=laxative)) == {citrate}
    assert set(forms.filter_by()) == {oxide, citrate, glycinate}


def test_sorts_elemental_absorption_and_name():
    low = make_supplement_form(name="B low", absorption="low", elemental_percent=Decimal("60.3"))
    high = make_supplement_form(name="c high", absorption="high", elemental_percent=Decimal("12"))
    unknown = make_supplement_form(name="a unknown", absorption="not_established", elemental_percent=Decimal("15.5"))
    moderate = make_supplement_form(name="D moderate", absorption="moderate", elemental_percent=Decimal("14.1"))
    forms = SupplementForm.objects.all()

    assert list(forms.sorted_by("elemental")) == [low, unknown, moderate, high]
    assert list(forms.sorted_by("absorption")) == [high, moderate, low, unknown]
    assert list(forms.sorted_by("name")) == [unknown, low, high, moderate]  # case-insensitive: a, B, c, D


def test_published_hides_unpublished_forms():
    shown = make_supplement_form()
    make_supplement_form(status="draft")
    assert list(SupplementForm.objects.published()) == [shown]


def test_upper_levels_by_age_keeps_one_row_per_band_in_order():
    infants = make_intake(upper_level_ages="0-12 months", upper_level_mg=None, order=1)
    make_intake(upper_level_ages="0-12 months", upper_level_mg=None, order=2)
    adults = make_intake(upper_level_ages="9 years and older", upper_level_mg=350, order=3)
    make_intake(upper_level_ages="9 years and older", upper_level_mg=350, order=4)
    assert upper_levels_by_age(IntakeReference.objects.all()) == [infants, adults]


# --- Seed helpers ------------------------------------------------------------------------------


def test_every_typical_use_phrase_in_the_csv_maps_to_tags():
    for row in read_data("supplement_forms.csv"):
        assert seed.use_slugs(row["typical_uses"]), row["name"]


def test_every_absorption_and_laxative_wording_in_the_csv_is_mapped():
    for row in read_data("supplement_forms.csv"):
        assert row["absorption"] in seed.ABSORPTION_MAP
        assert row["laxative_effect"] in seed.LAXATIVE_MAP


def test_split_sources_keeps_the_cross_check_with_its_method_and_pulls_out_urls():
    source = (
        "Elemental % computed from molar mass (Mg 24.305 g/mol) for the compound named; cross-checked against "
        "Molecules 2020;25(14):3172, Table 3 (https://pmc.ncbi.nlm.nih.gov/articles/PMC7397051/); Firoz M, "
        "Graber M. Magnes Res 2001;14(4):257-262 (oxide fractional absorption about 4%)"
    )
    assert seed.split_sources(source) == [
        (
            "Elemental % computed from molar mass (Mg 24.305 g/mol) for the compound named; cross-checked "
            "against Molecules 2020;25(14):3172, Table 3",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC7397051/",
        ),
        ("Firoz M, Graber M. Magnes Res 2001;14(4):257-262 (oxide fractional absorption about 4%)", ""),
    ]


@pytest.mark.parametrize(
    ("age_range", "upper"),
    [("0-6 months", "0-12 months"), ("1-3 years", "1-3 years"), ("9-13 years", "9 years and older"),
     (">70 years", "9 years and older")],
)  # fmt: skip
def test_each_life_stage_gets_the_upper_level_band_that_contains_it(age_range, upper):
    upper_rows = [row for row in read_data("intake_reference.csv") if row["metric"] == "UL"]
    assert seed.upper_level_for(age_range, upper_rows)["age_range"] == upper


def test_the_label_daily_value_in_the_data_matches_the_constant():
    (dv,) = [row for row in read_data("intake_reference.csv") if row["metric"] == "DV"]
    assert int(dv["magnesium_mg_per_day"]) == DAILY_VALUE_MG == 420


# --- The seed ----------------------------------------------------------------------------------


def test_seed_creates_all_13_forms_with_slugs_tags_and_references():
    forms = len(read_data("supplement_forms.csv"))
    assert seed.seed_supplement_forms() == forms
    assert SupplementForm.objects.count() == forms
    slugs = set(SupplementForm.objects.values_list("slug", flat=True))
    assert {"magnesium-oxide", "magnesium-citrate", "magnesium-glycinate", "magnesium-l-threonate"} <= slugs

    glycinate = SupplementForm.objects.get(slug="magnesium-glycinate")
    assert glycinate.name == "Magnesium glycinate"
    assert glycinate.elemental_percent == Decimal("14.1")
    # "moderate to high (limited human data)" -> the cautious category, wording kept.
    assert glycinate.absorption == "moderate"
    assert glycinate.absorption_note == "moderate to high (limited human data)"
    assert {use.slug for use in glycinate.uses.all()} == {"general-supplement", "sensitive-gut"}
    assert "when the gut tolerates other forms poorly" in glycinate.body_html
    assert glycinate.summary.startswith("14.1% is the theoretical maximum")

    oxide = SupplementForm.objects.get(slug="magnesium-oxide")
    assert oxide.elemental_percent == Decimal("60.3")
    # The notes' first sentence is the summary; the rest opens the body, so nothing is said twice.
    assert oxide.summary == (
        "Most magnesium per gram but poorly soluble; fractional absorption about 4% in one comparison of US products."
    )
    assert "GI side effects more common than with organic salts." in oxide.body_html
    assert "poorly soluble" not in oxide.body_html
    assert "general supplement (cheapest per mg); laxative; antacid" in oxide.body_html
    references = list(oxide.references.all())
    assert len(references) == 5
    assert references[0].url == "https://pmc.ncbi.nlm.nih.gov/articles/PMC7397051/"
    assert references[0].citation.startswith("Elemental % computed from molar mass")
    assert SupplementForm.objects.get(slug="magnesium-l-threonate").name == "Magnesium L-threonate"
    assert SupplementReference.objects.filter(url="").exclude(citation__contains="Magnes Res").count() == 2


def test_seed_intake_attaches_the_upper_level_by_age():
    # One row per RDA or AI line of the file (its UL lines are attached to them, not rows of their own).
    rows = [row for row in read_data("intake_reference.csv") if row["metric"] in ("RDA", "AI")]
    assert seed.seed_intake_references() == len(rows) == IntakeReference.objects.count()
    infant = IntakeReference.objects.get(life_stage="infants", age_range="0-6 months")
    assert (infant.metric, infant.recommended_mg, infant.upper_level_mg) == ("AI", 30, None)
    assert infant.upper_level_note.startswith("Not established")
    toddler = IntakeReference.objects.get(life_stage="children", age_range="1-3 years")
    assert (toddler.recommended_mg, toddler.upper_level_mg) == (80, 65)
    woman = IntakeReference.objects.get(life_stage="adults", age_range="31-50 years", sex="female")
    assert (woman.recommended_mg, woman.upper_level_mg, woman.upper_level_ages) == (320, 350, "9 years and older")
    assert "Table 3" in woman.upper_level_source and "Table 1" in woman.source
    assert woman.key == "adults-31-50-years-female"


def test_seed_is_idempotent_and_never_overwrites_an_editors_change():
    seed.seed_supplement_forms()
    seed.seed_intake_references()
    oxide = SupplementForm.objects.get(slug="magnesium-oxide")
    oxide.summary = "Edited by an editor."
    oxide.save()
    oxide.uses.clear()
    SupplementUse.objects.filter(slug="antacid").update(name="Antacids (edited)")
    IntakeReference.objects.filter(age_range="1-3 years").update(recommended_mg=81)
    SupplementForm.objects.filter(slug="magnesium-orotate").delete()

    assert seed.seed_supplement_forms() == 1  # only the deleted one comes back
    assert seed.seed_intake_references() == 0

    oxide.refresh_from_db()
    assert oxide.summary == "Edited by an editor."
    assert oxide.uses.count() == 0
    assert SupplementUse.objects.get(slug="antacid").name == "Antacids (edited)"
    assert IntakeReference.objects.get(age_range="1-3 years").recommended_mg == 81
    assert SupplementForm.objects.count() == len(read_data("supplement_forms.csv"))
    assert SupplementReference.objects.filter(form=oxide).count() == 5


def test_seed_content_command_prints_the_counts(capsys):
    from django.core.management import call_command

    call_command("seed_content")
    out = capsys.readouterr().out
    assert f"Supplement forms: {len(read_data('supplement_forms.csv'))} created." in out
    assert "Intake references: 21 created." in out
    assert f"Medicines: {len(read_data('interactions_detail.csv'))} created." in out
    call_command("seed_content")
    out = capsys.readouterr().out
    assert "Supplement forms: 0 created." in out
