"""Every list page's filter form reports what it dropped the same way (site_project/lists.py
FilterForm): `notices` is right whether or not `apply()` has run, unknown repeatable values are
dropped one by one, and each invalid field is dropped with its own plain message."""

import re

import pytest
from django.http import QueryDict

from articles.forms import ArticleFilterForm, EvidenceFilterForm
from articles.models import Article, Condition, Finding
from supplements.forms import FoodFilterForm, MedicineFilterForm, SupplementFilterForm
from supplements.models import FoodEntry, FoodGroup, Medicine, SupplementForm
from tests.factories import make_article, make_supplement_form, make_topic, make_use

GROUPS = [FoodGroup(name="Nuts", slug="nuts"), FoodGroup(name="Seeds", slug="seeds")]
CONDITIONS = [Condition(pk=1, name="Leg cramps", slug="leg-cramps"), Condition(pk=2, name="Restless legs", slug="rls")]
MEDICINES = [Medicine(slug="gabapentin", name="Gabapentin", examples="Neurontin"), Medicine(slug="cip", name="Cipro")]


def query(text):
    return QueryDict(text)


def test_food_notices_before_apply():
    form = FoodFilterForm(query("group=nuts&group=typo&group=typo&min_mg=-5&basis=kg&sort=drop"), groups=GROUPS)
    expected = [
        "Unknown food group “typo”: ignored.",  # asked twice, said once
        "Amounts can be shown per serving, per 100 g or per 100 kcal: showing per serving.",
        "The minimum magnesium must be a number of 0 or more: ignored.",
        "Sorting can be by magnesium, name or food group: sorting by magnesium.",
    ]
    assert form.notices == expected
    assert form.value("group") == ["nuts"]  # the known group is kept
    assert form.is_filtered and form.amount_basis == "serving" and form.chosen_sort == "mg"


@pytest.mark.django_db
def test_food_notices_are_the_same_after_apply():
    form = FoodFilterForm(query("group=typo&q=" + "x" * 101), groups=GROUPS)
    before = form.notices
    form.apply(FoodEntry.objects.published())
    assert (
        form.notices
        == before
        == [
            "The search text could not be used (at most 100 characters, no control characters): ignored.",
            "Unknown food group “typo”: ignored.",
        ]
    )


@pytest.mark.django_db
def test_supplement_notices_before_and_after_apply():
    make_supplement_form(uses=[make_use(slug="sleep")])
    form = SupplementFilterForm(query("absorption=high&absorption=zz&laxative=boom&use=nope&sort=x"))
    expected = [
        "“zz” is not an absorption level we list: ignored.",
        "“boom” is not a laxative effect we list: ignored.",
        "There is no use “nope”: showing forms for every use.",
        "Sorting can be by elemental magnesium, absorption or name: sorting by elemental magnesium.",
    ]
    assert form.notices == expected
    assert form.value("absorption") == ["high"]
    list(form.apply(SupplementForm.objects.published()))
    assert form.notices == expected


@pytest.mark.django_db
def test_article_notices_before_apply():
    make_article(topics=[make_topic(slug="neuropathy")])
    form = ArticleFilterForm(query("topic=nope&q=" + "x" * 201))
    expected = [
        "The search text was too long (200 characters at most), so it was ignored.",
        "There is no topic “nope”, so all topics are shown.",
    ]
    assert form.notices == expected  # no apply() first: the view no longer has to call it before
    assert form.values == {}
    list(form.apply(Article.objects.published()))
    assert form.notices == expected


@pytest.mark.django_db
def test_evidence_notices_before_and_after_apply():
    form = EvidenceFilterForm(query("condition=rls&condition=nope&certainty=certain&direction=cure"), CONDITIONS)
    expected = [
        "Unknown condition “nope”: ignored.",
        "Certainty can be high, moderate, low or very low: showing every certainty.",
        "A result can be benefit, no clear benefit, harm or mixed: showing every result.",
    ]
    assert form.notices == expected
    assert form.chosen_conditions == ["rls"]
    list(form.apply(Finding.objects.published()))
    assert form.notices == expected


def test_medicine_notices_before_and_after_apply():
    slugs = "&".join(f"medicine=nope{n}" for n in range(7))
    form = MedicineFilterForm(query(f"medicine=gabapentin&{slugs}"), MEDICINES)
    names = ", ".join(f"“nope{n}”" for n in range(5))
    expected = [f"We list no medicine {names} and 2 more: ignored."]
    assert form.notices == expected
    assert [medicine.slug for medicine in form.apply()] == ["gabapentin"]
    assert form.notices == expected


def test_a_form_with_nothing_dropped_has_no_notice():
    assert FoodFilterForm(query("group=nuts&basis=100g&sort=name&min_mg=0"), groups=GROUPS).notices == []
    assert MedicineFilterForm(query(""), MEDICINES).notices == []


@pytest.mark.django_db
def test_a_dropped_number_leaves_its_box_empty_and_not_marked_invalid(client):
    html = client.get("/foods/", {"min_mg": "-5", "q": "x" * 101}).text
    number = re.search(r'<input type="number" name="min_mg"[^>]*>', html).group(0)
    assert "value=" not in number and "aria-invalid" not in number  # a browser would refuse to submit -5
    assert 'aria-describedby="id_min_mg_helptext"' in number and 'id="id_min_mg_helptext"' in html
    search = re.search(r'<input type="search" name="q"[^>]*>', html).group(0)
    # The long text stays for the reader to shorten; no message id it could point at is missing.
    assert 'aria-invalid="true"' in search and "aria-describedby" not in search


@pytest.mark.django_db
def test_the_article_search_box_points_at_no_missing_message(client):
    html = client.get("/articles/", {"q": "x" * 201}).text
    search = re.search(r'<input type="search" name="q"[^>]*>', html).group(0)
    assert "id_q_error" not in search and "id_q_error" not in html
