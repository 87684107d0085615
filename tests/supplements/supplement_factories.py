"""Test data for the supplement-form pages (issue 5): plain functions taking overrides."""

from decimal import Decimal
from itertools import count

from supplements.models import IntakeReference, SupplementForm, SupplementReference, SupplementUse

_seq = count(1)


def make_use(**overrides):
    n = next(_seq)
    values = {"name": f"Use {n}", "slug": f"use-{n}"}
    values.update(overrides)
    return SupplementUse.objects.create(**values)


def make_supplement_form(uses=(), references=0, **overrides):
    n = next(_seq)
    values = {
        "name": f"Magnesium test form {n}",
        "slug": f"magnesium-test-form-{n}",
        "compound": f"magnesium test compound {n}",
        "elemental_percent": Decimal("10.0"),
        "absorption": SupplementForm.Absorption.HIGH,
        "laxative_effect": SupplementForm.Laxative.MILD,
        "summary": "A test form.",
        "body": "## Notes\n\nTest body.",
    }
    values.update(overrides)
    form = SupplementForm.objects.create(**values)
    if uses:
        form.uses.set(uses)
    for i in range(references):
        SupplementReference.objects.create(
            form=form, citation=f"Reference {i} for {form.name}", url=f"https://example.org/{n}/{i}", order=i
        )
    return form


def make_intake(**overrides):
    n = next(_seq)
    values = {
        "life_stage": "adults",
        "age_range": f"{n}-{n + 1} years",
        "sex": IntakeReference.Sex.FEMALE,
        "metric": IntakeReference.Metric.RDA,
        "recommended_mg": 320,
        "upper_level_mg": 350,
        "upper_level_ages": "9 years and older",
        "upper_level_note": "Does not include food magnesium",
        "upper_level_source": "Test UL source",
        "source": "Test RDA source",
        "order": n,
    }
    values.update(overrides)
    return IntakeReference.objects.create(**values)
