"""Two corrections to rows an earlier seed loaded (the seed never overwrites a row):

- Foods whose per-100 g figure the reference worked out from the NIH serving (chia, potato,
  broccoli, yogurt, peanut butter, chicken: their source says "per-100 g computed from") have no
  per-100 g figure of their own. Migration 0006 gave them the reference's worked-out number as if
  the source gave it; this clears it, so the site works it out from the serving and says so (the
  same number). Only rows still exactly as the seed left them are touched.
- Magnesium sulfate's summary: anhydrous magnesium sulfate is 20.2 % magnesium, not 20.1 %
  (the reference's supplement_forms.csv note, corrected). Only the unchanged seeded sentence is replaced.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

FOODS_CSV = Path(__file__).resolve().parents[1] / "data" / "magnesium_foods.csv"
WORKED_OUT = "per-100 g computed from"
OLD_SULFATE = "Anhydrous sulfate would be 20.1% Mg."
NEW_SULFATE = "Anhydrous sulfate (MgSO4, 120.37 g/mol) would be 20.2% Mg."


def clear_worked_out_per_100g(apps, schema_editor):
    FoodEntry = apps.get_model("supplements", "FoodEntry")
    with FOODS_CSV.open(newline="", encoding="utf-8") as handle:
        rows = {slugify(row["name"]): row for row in csv.DictReader(handle) if WORKED_OUT in row["source"]}
    for food in FoodEntry.objects.filter(slug__in=list(rows)):
        row = rows[food.slug]
        as_seeded = (
            food.serving_grams == Decimal(row["serving_grams"])
            and food.magnesium_mg == Decimal(row["magnesium_mg_per_serving"])
            and food.magnesium_per_100g == Decimal(row["magnesium_mg_per_100g"])
        )
        if as_seeded:
            food.magnesium_per_100g = None
            food.save(update_fields=["magnesium_per_100g"])


def correct_anhydrous_sulfate(apps, schema_editor):
    SupplementForm = apps.get_model("supplements", "SupplementForm")
    for form in SupplementForm.objects.filter(slug="magnesium-sulfate", summary__contains=OLD_SULFATE):
        form.summary = form.summary.replace(OLD_SULFATE, NEW_SULFATE)
        form.save(update_fields=["summary"])


class Migration(migrations.Migration):
    dependencies = [("supplements", "0006_backfill_food_per_100g")]

    operations = [
        migrations.RunPython(clear_worked_out_per_100g, migrations.RunPython.noop),
        migrations.RunPython(correct_anhydrous_sulfate, migrations.RunPython.noop),
    ]
