"""Issue 12's data fixes: anhydrous magnesium sulfate is 20.2 %; per-100 g figures worked out from a
serving say so; the /foods/ % DV column says what it is per 100 g. New databases get them from the
seed, existing ones from migration 0007."""

import csv
import re
from decimal import Decimal

import pytest

from supplements.models import FoodEntry, SupplementForm
from supplements.seed import DATA_DIR

WORKED_OUT = {
    # name: (mg per serving, grams, per 100 g as the reference worked it out)
    "Chia seeds, dried": ("111", "28.35", "392"),
    "Potato, baked, flesh and skin": ("43", "99.2", "43"),
    "Broccoli, chopped, boiled": ("12", "78", "15"),
    "Yogurt, plain, low fat": ("42", "227", "19"),
    "Peanut butter, smooth": ("49", "32", "153"),
    "Chicken breast, meat only, roasted": ("22", "85", "26"),
}


def words(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_data_file_says_which_per_100g_figures_were_worked_out():
    with (DATA_DIR / "magnesium_foods.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    worked_out = {row["name"] for row in rows if "per-100 g computed from" in row["source"]}
    assert worked_out == set(WORKED_OUT)


def test_the_sulfate_note_in_the_data_file_is_the_references():
    with (DATA_DIR / "supplement_forms.csv").open(newline="", encoding="utf-8") as handle:
        sulfate = next(row for row in csv.DictReader(handle) if row["name"] == "magnesium sulfate")
    assert "Anhydrous sulfate (MgSO4, 120.37 g/mol) would be 20.2% Mg." in sulfate["notes"]
    assert "20.1" not in sulfate["notes"]


@pytest.mark.parametrize("name", sorted(WORKED_OUT))
def test_a_worked_out_per_100g_figure_says_so_on_foods(client, seeded, name):
    per_serving, grams, per_100g = WORKED_OUT[name]
    food = FoodEntry.objects.get(name=name)
    assert food.magnesium_per_100g is None
    html = client.get("/foods/", {"q": name.split(",")[0], "basis": "100g"}).text
    row = re.search(rf"{re.escape(name)}</a></th>.*?</tr>", html, re.S).group(0)
    assert re.search(rf'<td [^>]*class="num"[^>]*>{per_100g}</td>', row)  # the same figure as before
    assert f"Per 100 g: {per_100g} mg, worked out from {per_serving} mg in {grams} g." in words(row)
    assert "as the source gives it" not in row


def test_a_source_figure_per_100g_still_says_as_the_source_gives_it(client, seeded):
    assert FoodEntry.objects.get(name="Almonds, dry roasted").magnesium_per_100g == Decimal(279)


def test_the_daily_value_column_says_in_100_g_on_the_per_100g_basis(client, seeded):
    per_100g = client.get("/foods/", {"basis": "100g"}).text
    assert '<th scope="col" role="columnheader">% DV in 100 g</th>' in per_100g
    assert 'data-label="% DV in 100 g"' in per_100g
    per_serving = client.get("/foods/").text
    assert '<th scope="col" role="columnheader">% Daily Value</th>' in per_serving
    assert "% DV in 100 g" not in per_serving


def test_the_seeded_sulfate_form_says_20_2_percent(client, seeded):
    form = SupplementForm.objects.get(slug="magnesium-sulfate")
    assert form.summary == "Anhydrous sulfate (MgSO4, 120.37 g/mol) would be 20.2% Mg."
    assert "20.2% Mg" in client.get(form.get_absolute_url()).text


@pytest.mark.django_db(transaction=True)
def test_the_migration_fixes_rows_an_earlier_seed_loaded_and_leaves_editors_changes():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = ("supplements", "0006_backfill_food_per_100g")
    after = ("supplements", "0007_worked_out_per_100g_and_anhydrous_sulfate")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    group = old.get_model("supplements", "FoodGroup").objects.create(name="Seeds", slug="seeds")
    foods = old.get_model("supplements", "FoodEntry").objects
    common = {"group": group, "serving": "1 oz", "source": "NIH"}
    # As the earlier seed and migration 0006 left them: the reference's worked-out figure stored as the source's.
    foods.create(name="Chia seeds, dried", slug="chia-seeds-dried", serving_grams=Decimal("28.35"),
                 magnesium_mg=Decimal(111), magnesium_per_100g=Decimal(392), **common)  # fmt: skip
    # An editor entered a per-100 g figure since: left alone.
    foods.create(name="Peanut butter, smooth", slug="peanut-butter-smooth", serving_grams=Decimal(32),
                 magnesium_mg=Decimal(49), magnesium_per_100g=Decimal(168), **common)  # fmt: skip
    # A food whose source gives its own per-100 g figure: left alone.
    foods.create(name="Almonds, dry roasted", slug="almonds-dry-roasted", serving_grams=Decimal("28.35"),
                 magnesium_mg=Decimal(80), magnesium_per_100g=Decimal(279), **common)  # fmt: skip
    forms = old.get_model("supplements", "SupplementForm").objects
    forms.create(name="Magnesium sulfate", slug="magnesium-sulfate", elemental_percent=Decimal("9.9"),
                 summary="Anhydrous sulfate would be 20.1% Mg.")  # fmt: skip
    forms.create(name="Magnesium chloride", slug="magnesium-chloride", elemental_percent=Decimal(12),
                 summary="Edited: would be 20.1% Mg.")  # fmt: skip
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([after])
        # Read through the models as they are right after the migration (later ones change the tables).
        new = executor.loader.project_state([after]).apps
        foods = new.get_model("supplements", "FoodEntry").objects
        forms = new.get_model("supplements", "SupplementForm").objects
        assert foods.get(slug="chia-seeds-dried").magnesium_per_100g is None
        assert foods.get(slug="peanut-butter-smooth").magnesium_per_100g == Decimal(168)
        assert foods.get(slug="almonds-dry-roasted").magnesium_per_100g == Decimal(279)
        sulfate = forms.get(slug="magnesium-sulfate")
        assert sulfate.summary == "Anhydrous sulfate (MgSO4, 120.37 g/mol) would be 20.2% Mg."
        assert forms.get(slug="magnesium-chloride").summary == "Edited: would be 20.1% Mg."
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.parametrize("name", ["supplement_forms.csv", "magnesium_foods.csv", "intake_reference.csv"])
def test_every_data_row_has_the_headers_columns(name):
    # The reference's sulfate note came with an unquoted comma, which split it into two columns.
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    assert [len(row) for row in rows] == [len(header)] * len(rows)
