"""Give foods loaded by an earlier seed the source's own per-100 g figure.

Only rows still exactly as that seed left them (same serving weight, and the per-serving
figure the seed stored) are touched: a food an editor has changed keeps its figures and
shows a per-100 g value worked out from its serving, as before. Earlier seeds stored, for
foods whose source's primary figure is USDA's per 100 g, a serving value recomputed from it
(kale 7.5 mg); those get the source's own per-serving figure back (8 mg).
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

FOODS_CSV = Path(__file__).resolve().parents[1] / "data" / "magnesium_foods.csv"


def backfill(apps, schema_editor):
    FoodEntry = apps.get_model("supplements", "FoodEntry")
    with FOODS_CSV.open(newline="", encoding="utf-8") as handle:
        rows = {slugify(row["name"]): row for row in csv.DictReader(handle)}
    foods = FoodEntry.objects.filter(slug__in=list(rows), magnesium_per_100g__isnull=True)
    for food in foods:
        row = rows[food.slug]
        grams = Decimal(row["serving_grams"])
        per_serving, per_100g = Decimal(row["magnesium_mg_per_serving"]), Decimal(row["magnesium_mg_per_100g"])
        as_seeded = {per_serving, (per_100g * grams / 100).quantize(Decimal("0.1"))}
        if food.serving_grams == grams and food.magnesium_mg in as_seeded:
            food.magnesium_mg, food.magnesium_per_100g = per_serving, per_100g
            food.save(update_fields=["magnesium_mg", "magnesium_per_100g"])


class Migration(migrations.Migration):
    dependencies = [("supplements", "0005_food_per_100g_from_source")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
