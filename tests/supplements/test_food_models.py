import datetime
import json
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.utils import timezone

from supplements.models import DAILY_VALUE_MG, FoodEntry
from tests.factories import make_food, make_group, migration, seed_data

pytestmark = pytest.mark.django_db


def test_per_100g_and_percent_dv_are_derived_from_the_serving():
    food = make_food(serving_grams=Decimal("28.35"), magnesium_mg=Decimal("80"))
    assert round(food.mg_per_100g) == 282
    assert food.mg_per_100g == Decimal("282.19")  # stored to 0.01 mg
    assert food.mg_per_100g_worked_out
    assert DAILY_VALUE_MG == 420
    assert round(food.serving_percent_dv) == 19


def test_the_stored_per_100g_figure_follows_the_source_and_every_save():
    food = make_food(serving_grams=Decimal("90"), magnesium_mg=Decimal("78"), magnesium_per_100g=Decimal("86"))
    food.refresh_from_db()
    assert (food.mg_per_100g, food.mg_per_100g_worked_out) == (Decimal("86"), False)
    assert food.per_100g_text == "86 mg, as the source gives it"
    food.magnesium_per_100g = None  # the editor clears the source's figure
    food.save(update_fields=["magnesium_per_100g"])
    food.refresh_from_db()
    assert (food.mg_per_100g, food.mg_per_100g_worked_out) == (Decimal("86.67"), True)
    assert food.per_100g_text == "87 mg, worked out from 78 mg in 90 g"
    assert FoodEntry.objects.with_amounts("100g").filter(amount__gte=Decimal("86.7")).count() == 0


def test_a_bulk_insert_stores_the_per_100g_figure_too():
    group = make_group()
    FoodEntry.objects.bulk_create(
        [FoodEntry(name="Bulk", slug="bulk", group=group, serving="1 cup", serving_grams=Decimal("50"),
                   magnesium_mg=Decimal("21"), source="s")]
    )  # fmt: skip
    assert FoodEntry.objects.values_list("mg_per_100g", "mg_per_100g_worked_out").get() == (Decimal("42"), True)


def test_sql_annotations_agree_with_the_python_properties():
    food = make_food(serving_grams=Decimal("90"), magnesium_mg=Decimal("78"))
    per_serving = FoodEntry.objects.with_amounts("serving").get(pk=food.pk)
    per_100g = FoodEntry.objects.with_amounts("100g").get(pk=food.pk)
    assert float(per_serving.amount) == pytest.approx(78)
    assert float(per_serving.amount_percent_dv) == pytest.approx(float(food.serving_percent_dv), rel=1e-3)
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
    with migration("0006_backfill_food_per_100g") as (old, migrate):
        gives_foods_an_earlier_seed_left_alone_the_sources_figures(old, migrate)


def gives_foods_an_earlier_seed_left_alone_the_sources_figures(old, migrate):
    group = old.get_model("supplements", "FoodGroup").objects.create(name="Greens", slug="greens")
    foods = old.get_model("supplements", "FoodEntry").objects
    common = {"group": group, "serving": "1 cup", "source": "USDA"}
    # As an earlier seed stored it: 47 mg/100 g x 16 g kept to one decimal.
    foods.create(name="Kale, raw", slug="kale-raw", serving_grams=Decimal(16), magnesium_mg=Decimal("7.5"), **common)
    foods.create(name="Almonds, dry roasted", slug="almonds-dry-roasted", serving_grams=Decimal("28.35"),
                 magnesium_mg=Decimal(81), **common)  # an editor's change since: left alone  # fmt: skip
    foods = migrate().get_model("supplements", "FoodEntry").objects
    kale, almonds = foods.get(slug="kale-raw"), foods.get(slug="almonds-dry-roasted")
    assert (kale.magnesium_mg, kale.magnesium_per_100g) == (Decimal(8), Decimal(47))
    assert (almonds.magnesium_mg, almonds.magnesium_per_100g) == (Decimal(81), None)


@pytest.mark.django_db(transaction=True)
def test_the_publishing_migration_keeps_every_items_state_in_the_tables_and_their_history():
    """is_published becomes the status + published_at articles have: published since the item was
    created, or a draft; every earlier version in the History reads the same way."""
    created = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    with migration("0008_one_publishing_shape") as (old, migrate):
        group = old.get_model("supplements", "FoodGroup").objects.create(name="Greens", slug="greens")
        food = {"group": group, "serving": "1 cup", "serving_grams": 16, "magnesium_mg": 8, "source": "USDA"}
        form = {"compound": "x", "elemental_percent": 10, "absorption": "high", "laxative_effect": "mild"}
        for model, fields in (("FoodEntry", food), ("SupplementForm", form)):
            rows, history = old.get_model("supplements", model), old.get_model("supplements", f"Historical{model}")
            for name, published in (("Shown", True), ("Hidden", False)):
                row = rows.objects.create(name=name, slug=name.lower(), is_published=published, **fields)
                rows.objects.filter(pk=row.pk).update(created_at=created)
                values = {f.attname: getattr(row, f.attname) for f in rows._meta.fields} | {"created_at": created}
                history.objects.create(**values, history_date=created, history_type="+")
                later = values | {"is_published": not published}  # a later version with the other state
                history.objects.create(**later, history_date=created, history_type="~")
        new = migrate()
        for model in ("FoodEntry", "SupplementForm"):
            rows = new.get_model("supplements", model).objects
            assert (rows.get(slug="shown").status, rows.get(slug="shown").published_at) == ("published", created)
            assert (rows.get(slug="hidden").status, rows.get(slug="hidden").published_at) == ("draft", None)
            history = new.get_model("supplements", f"Historical{model}").objects
            versions = {(v.name, v.history_type): (v.status, v.published_at) for v in history.all()}
            assert versions == {
                ("Shown", "+"): ("published", created),
                ("Shown", "~"): ("draft", None),
                ("Hidden", "+"): ("draft", None),
                ("Hidden", "~"): ("published", created),
            }


@pytest.mark.django_db(transaction=True)
def test_the_stored_per_100g_migration_fills_every_food_and_its_history():
    with migration("0015_stored_per_100g") as (old, migrate):
        group = old.get_model("supplements", "FoodGroup").objects.create(name="Greens", slug="greens")
        foods, history = (old.get_model("supplements", name).objects for name in ("FoodEntry", "HistoricalFoodEntry"))
        common = {"group": group, "serving": "1 cup", "source": "USDA"}
        foods.create(name="Kale", slug="kale", serving_grams=Decimal(16), magnesium_mg=Decimal("7.5"), **common)
        almonds = foods.create(name="Almonds", slug="almonds", serving_grams=Decimal("28.35"),
                               magnesium_mg=Decimal(80), magnesium_per_100g=Decimal(279), **common)  # fmt: skip
        values = {f.attname: getattr(almonds, f.attname) for f in almonds._meta.fields}
        history.create(**values, history_date=timezone.now(), history_type="+")
        new = migrate()
        foods = new.get_model("supplements", "FoodEntry").objects
        assert foods.values_list("slug", "mg_per_100g", "mg_per_100g_worked_out").order_by("slug")[::1] == [
            ("almonds", Decimal(279), False),
            ("kale", Decimal("46.88"), True),  # 7.5 mg in 16 g, to 0.01 mg
        ]
        versions = new.get_model("supplements", "HistoricalFoodEntry").objects
        assert versions.values_list("mg_per_100g", "mg_per_100g_worked_out").get() == (Decimal(279), False)


def test_a_backup_from_before_the_stored_per_100g_figure_loads_with_it_filled():
    group = make_group()
    row = {"model": "supplements.foodentry", "pk": 9001, "fields": {
        "name": "Old backup food", "slug": "old-backup-food", "group": group.pk, "serving": "1 cup",
        "serving_grams": "50", "magnesium_mg": "21", "source": "s", "status": "published",
        "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
    }}  # fmt: skip
    for loaded in serializers.deserialize("json", json.dumps([row])):
        loaded.save()  # raw, as loaddata saves
    assert FoodEntry.objects.values_list("mg_per_100g", "mg_per_100g_worked_out").get() == (Decimal(42), True)
