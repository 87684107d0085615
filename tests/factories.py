"""Plain helper functions that make test data. Each takes overrides for any field."""

from decimal import Decimal
from itertools import count

from supplements.models import FoodEntry, FoodGroup

_seq = count(1)


def make_group(**overrides):
    n = next(_seq)
    values = {"name": f"Group {n}", "slug": f"group-{n}", "order": n}
    values.update(overrides)
    return FoodGroup.objects.create(**values)


def make_food(**overrides):
    n = next(_seq)
    values = {
        "name": f"Test food {n}",
        "slug": f"test-food-{n}",
        "serving": "1 cup",
        "serving_grams": Decimal("100"),
        "magnesium_mg": Decimal("50"),
        "source": "Test source",
    }
    values.update(overrides)
    if "group" not in values:
        values["group"] = make_group()
    return FoodEntry.objects.create(**values)
