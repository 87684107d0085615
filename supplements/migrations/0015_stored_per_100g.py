# Stores each food's per-100 g figure (the source's, else worked out from the serving) with a
# flag saying which, so the per-100 g table filters and sorts on an indexed column. Fills every
# existing food and history version from its own figures.

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

FIELD = dict(
    decimal_places=2,
    editable=False,
    help_text="The source's per-100 g figure, else one worked out from the serving (to 0.01 mg).",
    max_digits=10,
    verbose_name="magnesium (mg per 100 g) shown",
)
FLAG = models.BooleanField(
    default=False,
    editable=False,
    help_text="True when the source gives no per-100 g figure and the site worked it out.",
    verbose_name="per 100 g worked out from the serving",
)


def fill(apps, schema_editor):
    # The rule as FoodEntry.fill_per_100g() writes it (a migration cannot call model methods).
    for name in ("FoodEntry", "HistoricalFoodEntry"):
        model = apps.get_model("supplements", name)
        rows = list(model.objects.all())
        for row in rows:
            row.mg_per_100g_worked_out = row.magnesium_per_100g is None
            if row.mg_per_100g_worked_out:
                worked_out = row.magnesium_mg * 100 / row.serving_grams
                row.mg_per_100g = worked_out.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            else:
                row.mg_per_100g = row.magnesium_per_100g
        model.objects.bulk_update(rows, ["mg_per_100g", "mg_per_100g_worked_out"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("supplements", "0014_medicine_ask_whom_and_timing_words"),
    ]

    operations = [
        migrations.AddField("foodentry", "mg_per_100g", models.DecimalField(null=True, **FIELD)),
        migrations.AddField("foodentry", "mg_per_100g_worked_out", FLAG),
        migrations.AddField("historicalfoodentry", "mg_per_100g", models.DecimalField(null=True, **FIELD)),
        migrations.AddField("historicalfoodentry", "mg_per_100g_worked_out", FLAG),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("foodentry", "mg_per_100g", models.DecimalField(**FIELD)),
        migrations.AlterField("historicalfoodentry", "mg_per_100g", models.DecimalField(**FIELD)),
        migrations.AddIndex(
            model_name="foodentry",
            index=models.Index(fields=["-mg_per_100g", "name"], name="food_mg100g_desc_name"),
        ),
    ]
