from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from supplements.models import DAILY_VALUE_MG, FoodEntry
from tests.factories import make_food, make_group, seed_data

pytestmark = pytest.mark.django_db


def test_per_100g_and_percent_dv_are_derived_from_the_serving():
    food = make_food(serving_grams=Decimal("28.35"), magnesium_mg=Decimal("80"))
    assert round(food.mg_per_100g) == 282
    assert DAILY_VALUE_MG == 420
    assert round(food.percent_dv) == 19


def test_sql_annotations_agree_with_the_python_properties():
    food = make_food(serving_grams=Decimal("90"), magnesium_mg=Decimal("78"))
    per_serving = FoodEntry.objects.with_amounts("serving").get(pk=food.pk)
    per_100g = FoodEntry.objects.with_amounts("100g").get(pk=food.pk)
    assert float(per_serving.amount) == pytest.approx(78)
    assert float(per_serving.dv_percent) == pytest.approx(float(food.percent_dv), rel=1e-3)
    assert float(per_100g.amount) == pytest.approx(float(food.mg_per_100g), rel=1e-3)
    assert per_100g.dv_bar == 21


def test_dv_bar_is_capped_at_100_for_very_rich_foods():
    food = make_food(serving_grams=Decimal("30"), magnesium_mg=Decimal("210"))
    assert FoodEntry.objects.with_amounts("100g").get(pk=food.pk).dv_bar == 100


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("magnesium_mg", Decimal("-1"), "Magnesium cannot be negative."),
        ("serving_grams", Decimal("0"), "A serving must weigh more than 0 g."),
    ],
)
def test_validation_messages_for_impossible_amounts(field, value, message):
    food = make_food()
    setattr(food, field, value)
    with pytest.raises(ValidationError) as error:
        food.full_clean()
    assert message in str(error.value)


def test_more_than_1000_mg_per_100g_is_refused_with_the_computed_figure():
    food = make_food()
    food.serving_grams, food.magnesium_mg = Decimal("10"), Decimal("150")
    with pytest.raises(ValidationError) as error:
        food.full_clean()
    assert "That is 1500 mg per 100 g" in str(error.value)


def test_names_are_unique_within_a_group_but_may_repeat_across_groups():
    nuts, seeds = make_group(), make_group()
    make_food(name="Mix", group=nuts)
    duplicate = FoodEntry(
        name="Mix", slug="mix-2", group=nuts, serving="1 oz", serving_grams=28, magnesium_mg=10, source="x"
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This group already has a food with that name." in str(error.value)
    duplicate.group = seeds
    duplicate.full_clean()


def test_seeded_foods_carry_their_source(seeded):
    pumpkin = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    assert pumpkin.magnesium_mg == 156
    assert pumpkin.group.slug == "seeds"
    assert "NIH ODS" in pumpkin.source and "NDB 12016" in pumpkin.source
    assert pumpkin.source_url == "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"
    assert FoodEntry.objects.count() == len(seed_data("magnesium_foods.csv"))
    assert not FoodEntry.objects.filter(source="").exists()
    slugs = set(FoodEntry.objects.values_list("group__slug", flat=True))
    assert slugs == {
        "leafy-greens", "vegetables", "nuts", "seeds", "whole-grains", "refined-grains", "legumes-and-soy",
        "dark-chocolate-and-cocoa", "fish-and-seafood", "dairy", "fruit", "meat-and-poultry", "other",
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_foods_an_earlier_seed_left_alone_the_sources_figures():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("supplements", "0005_food_per_100g_from_source"), ("supplements", "0006_backfill_food_per_100g")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    group = old.get_model("supplements", "FoodGroup").objects.create(name="Greens", slug="greens")
    foods = old.get_model("supplements", "FoodEntry").objects
    common = {"group": group, "serving": "1 cup", "source": "USDA"}
    # As an earlier seed stored it: 47 mg/100 g x 16 g kept to one decimal.
    foods.create(name="Kale, raw", slug="kale-raw", serving_grams=Decimal(16), magnesium_mg=Decimal("7.5"), **common)
    foods.create(name="Almonds, dry roasted", slug="almonds-dry-roasted", serving_grams=Decimal("28.35"),
                 magnesium_mg=Decimal(81), **common)  # an editor's change since: left alone  # fmt: skip
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([after])
        kale, almonds = FoodEntry.objects.get(slug="kale-raw"), FoodEntry.objects.get(slug="almonds-dry-roasted")
        assert (kale.magnesium_mg, kale.magnesium_per_100g) == (Decimal(8), Decimal(47))
        assert (almonds.magnesium_mg, almonds.magnesium_per_100g) == (Decimal(81), None)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
