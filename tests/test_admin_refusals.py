"""Every admin add page keeps one promise: a bad form comes back with a clear message on the field
the editor got wrong, and nothing is saved (no row, no version in the history).

Special refusals stay beside their feature: a change page's (tests/supplements/test_medicines.py),
a CSV import's preview (test_food_admin.py), a photo upload's (test_person_photos.py), a
guideline callout's set of fields (articles/test_evidence_admin.py), a save over someone else's
(test_no_lost_edits.py)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Finding
from site_project.models import SitePage
from supplements.models import FoodEntry, FoodGroup, Medicine, SupplementForm
from tests.factories import (
    NEW_ARTICLE,
    NEW_FINDING,
    NEW_FOOD,
    NEW_MEDICINE,
    NEW_SITE_PAGE,
    admin_form,
    make_article,
    make_condition,
    make_food,
    make_group,
    make_person,
    refused_by_admin,
    supplement_form_fields,
)

pytestmark = pytest.mark.django_db

# A valid add form for each model, made when the test runs (a finding needs its condition, a food its group).
VALID = {
    Article: lambda: admin_form(NEW_ARTICLE),
    Finding: lambda: admin_form(NEW_FINDING, condition=make_condition().pk),
    FoodEntry: lambda: admin_form(NEW_FOOD, group=make_group().pk),
    Medicine: lambda: admin_form(NEW_MEDICINE),
    SitePage: lambda: admin_form(NEW_SITE_PAGE),
    SupplementForm: lambda: admin_form(supplement_form_fields()),
}


def add_page(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def tomorrow(form):
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def a_reviewer(form):
    return make_person(credentials="MD").pk


def an_article_at_the_same_slug(form):
    return make_article(slug=form["slug"]).slug


def a_food_of_that_name_in_the_same_group(form):
    return make_food(name="Chia seeds, dried", group=FoodGroup.objects.get(pk=form["group"])).name


def a_medicine_at_that_slug(form):
    return Medicine.objects.create(name="gabapentin", slug="gabapentin", accessed=datetime.date(2026, 11, 30)).slug


# By model: what the editor got wrong, the field (or fields) whose errors say so, the message they read.
# An override that is a function is called with the valid form when the test runs: it makes the
# row the form collides with, or a date that depends on today.
NO_SITE_PAGE = {"title": "", "slug": "articles", "summary": "", "body": ""}
CHIA_BELOW_ZERO = {"name": a_food_of_that_name_in_the_same_group, "magnesium_mg": "-1"}
REFUSALS = {
    Article: [
        ({"slug": an_article_at_the_same_slug}, "slug", "Another article already uses this slug. Choose a different one."),  # noqa: E501
        ({"reviewed_at": tomorrow, "medical_reviewer": a_reviewer}, "reviewed_at", "The review date cannot be in the future."),  # noqa: E501
    ],
    Finding: [
        ({"citation": ""}, "citation", "This field is required."),
        ({"citation": "   "}, "citation", "This field is required."),
        ({"certainty": "certain"}, "certainty", "Select a valid choice."),
        ({"direction": "cure"}, "direction", "Select a valid choice."),
        ({"study_type": "guideline"}, "guideline_position", "For a guideline, quote its position"),
        ({"guideline_position": "Body 2020: do this."}, "guideline_position", "Only guidelines have a position."),
        ({"accessed": "2999-01-01"}, "accessed", "cannot be in the future"),
        ({"plain_summary": "One. Two. Three."}, "plain_summary", "two sentences at most"),
        ({"url": "not a link"}, "url", "Enter a valid URL."),
    ],
    FoodEntry: [
        ({"serving_grams": "2.8", "magnesium_mg": "156"}, "magnesium_mg", "no food has more than 1000 mg per 100 g"),
        ({"magnesium_per_100g": "3530"}, "magnesium_per_100g", "No food has more than 1000 mg per 100 g."),
        (CHIA_BELOW_ZERO, "magnesium_mg", "Magnesium cannot be negative."),
        (CHIA_BELOW_ZERO, "__all__", "This group already has a food with that name."),
        ({"magnesium_mg": ""}, "magnesium_mg", "This field is required."),
        ({"magnesium_mg": "abc"}, "magnesium_mg", "Enter a number."),
    ],
    Medicine: [
        ({"hours_before": "-1"}, "hours_before", "Hours must be 0 or more."),
        ({"hours_after": "-0.5"}, "hours_after", "Hours must be 0 or more."),
        ({"do_not_combine_with": "magnesium antacids"}, "hours_before", "has no hours"),
        ({"url": "javascript:alert(1)"}, "url", "Enter a valid URL."),
        ({"slug": a_medicine_at_that_slug}, "slug", "Another medicine already uses this slug."),
    ],
    SitePage: [
        (NO_SITE_PAGE, "slug", "Select a valid choice. articles is not one of the available choices."),
        (NO_SITE_PAGE, ("title", "summary", "body"), "This field is required."),
    ],
    SupplementForm: [
        ({"elemental_percent": "150"}, "elemental_percent", "Elemental magnesium must be between 0 and 100 %."),
        ({"elemental_percent": "-1"}, "elemental_percent", "Elemental magnesium must be between 0 and 100 %."),
        ({"slug": "safety"}, "slug", "is the address of another page on the site"),
    ],
}  # fmt: skip
CASES = [pytest.param(model, *case, id=model.__name__) for model, cases in REFUSALS.items() for case in cases]


@pytest.mark.parametrize(("model", "overrides", "fields", "message"), CASES)
def test_a_bad_add_form_shows_a_clear_message_and_saves_nothing(staff_client, model, overrides, fields, message):
    fields = (fields,) if isinstance(fields, str) else fields
    data = VALID[model]()
    data.update({name: value(data) if callable(value) else value for name, value in overrides.items()})
    rows, versions = model.objects.count(), model.history.count()
    response = refused_by_admin(staff_client, add_page(model), data, fields[0], message)
    # The message stands on these fields and no other, once each, in the list of errors beside the
    # field the editor is looking at, under the admin's "correct the errors" note.
    errors = response.context["adminform"].form.errors
    assert {name for name, texts in errors.items() if any(message in text for text in texts)} == set(fields)
    assert response.text.count(message) == len(fields)
    for name in set(fields) - {"__all__"}:
        assert message in re.search(rf'<ul class="errorlist" id="id_{name}_error">.*?</ul>', response.text).group(0)
    assert "errornote" in response.text
    assert (model.objects.count(), model.history.count()) == (rows, versions)


def test_every_valid_form_above_is_saved(staff_client):
    """The table's forms are refused for what its overrides change, not for something else."""
    for model, form in VALID.items():
        response = staff_client.post(add_page(model), form())
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert model.history.count() == 1
