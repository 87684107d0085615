"""Load the reference data shipped in supplements/data/ into the database.

Idempotent: a row that already exists (matched by slug) is left exactly as it is, so
running the seed again never overwrites what an editor changed since.
"""

import csv
import re
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from supplements.models import FoodEntry, FoodGroup

DATA_DIR = Path(__file__).resolve().parent / "data"

# Display order of the food groups in the filter (most magnesium-dense groups first).
FOOD_GROUPS = [
    "leafy greens", "vegetables", "nuts", "seeds", "whole grains", "refined grains",
    "legumes and soy", "dark chocolate and cocoa", "fish and seafood", "dairy", "fruit",
    "meat and poultry", "other",
]  # fmt: skip

URL_RE = re.compile(r"\((?:https?://)?((?:ods\.od\.nih\.gov|doi\.org|pmc\.ncbi\.nlm\.nih\.gov)[^)\s]*)\)")


def read_csv(name):
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def first_url(source):
    """The first link named in a source text, so the page can offer it one click away."""
    match = URL_RE.search(source)
    return f"https://{match.group(1)}" if match else ""


@transaction.atomic
def seed_foods():
    """Create the food groups and foods that do not exist yet. Returns the number created."""
    groups = {}
    for order, name in enumerate(FOOD_GROUPS):
        groups[name], _ = FoodGroup.objects.get_or_create(
            slug=slugify(name), defaults={"name": name.capitalize(), "order": order}
        )
    existing = set(FoodEntry.objects.values_list("slug", flat=True))
    new = []
    for row in read_csv("magnesium_foods.csv"):
        slug = slugify(row["name"])
        if slug in existing:
            continue
        new.append(
            FoodEntry(
                name=row["name"],
                slug=slug,
                group=groups[row["food_group"]],
                serving=row["serving"],
                serving_grams=Decimal(row["serving_grams"]),
                magnesium_mg=Decimal(row["magnesium_mg_per_serving"]),
                source=row["source"],
                source_url=first_url(row["source"]),
            )
        )
        existing.add(slug)
    for food in new:
        # save() one by one so each food gets its "created" history record.
        food.save()
    return len(new)
