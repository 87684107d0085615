"""Plain helper functions for tests: makers of test data (each takes overrides for any field)
and read_form, which reads a page's form as a browser would submit it."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from itertools import count

from django.utils import timezone

from articles.models import Article, Condition, Finding, Reference, Topic
from supplements.models import (
    FoodEntry,
    FoodGroup,
    IntakeReference,
    SupplementForm,
    SupplementReference,
    SupplementUse,
)

_seq = count(1)


# --- Foods ------------------------------------------------------------------------------------


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


# --- Supplement forms, intake references, interactions -----------------------------------------


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


def make_topic(**overrides):
    n = next(_seq)
    values = {"name": f"Topic {n}", "slug": f"topic-{n}"}
    values.update(overrides)
    return Topic.objects.create(**values)


def make_article(topics=(), references=0, **overrides):
    """A published article (public since yesterday) unless overrides say otherwise."""
    n = next(_seq)
    values = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "summary": f"Summary of article {n}.",
        "body": f"Intro of article {n}.\n\n## First part\n\nText.\n\n## Second part\n\nMore text.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=1),
        "author": make_person(name="Test editors"),
    }
    values.update(overrides)
    article = Article.objects.create(**values)
    if topics:
        article.topics.set(topics)
    Reference.objects.bulk_create(
        Reference(
            article=article, order=i, citation=f"Reference {i} of {article.title}.", url=f"https://example.org/{i}"
        )
        for i in range(1, references + 1)
    )
    return article


def make_draft(**overrides):
    return make_article(status=Article.Status.DRAFT, published_at=None, **overrides)


# --- Reading a page's form --------------------------------------------------------------------


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the first <form> with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._textarea = self._select = None
        self._select_multiple_seen = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self.data.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def read_form(html, form_id):
    """The form's fields as a browser would post them: {name: value or [values]}."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.data:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data


# --- The seed's data files -------------------------------------------------------------------


def seed_data(name):
    """The rows of one of the seed's data files (supplements/data/NAME), so a test about the seed
    counts what the file holds instead of a number that goes stale when the file grows."""
    from supplements.seed import read_csv

    return read_csv(name)


# --- Evidence by condition --------------------------------------------------------------------


def make_condition(**overrides):
    n = next(_seq)
    values = {"name": f"Condition {n}", "slug": f"condition-{n}", "summary": f"Summary of condition {n}.", "order": n}
    values.update(overrides)
    return Condition.objects.create(**values)


def finding_values(condition, **overrides):
    n = next(_seq)
    values = {
        "condition": condition,
        "slug": f"finding-{n}",
        "condition_studied": f"Studied condition {n}",
        "condition_group": "neuropathy",
        "intervention": "Oral magnesium 300 mg a day for 12 weeks vs placebo",
        "population": "Adults",
        "outcome": "Pain score",
        "study_type": "RCT",
        "participants": 40 + n,
        "direction": "no clear benefit",
        "certainty": "low",
        "grading_basis": "Rule R2.",
        "plain_summary": f"Finding {n} in plain words.",
        "year": 2000 + n % 25,
        "citation": f"Author A. Trial {n}. J Test. 2010;1:1. doi:10.1000/test.{n}.",
        "url": f"https://doi.org/10.1000/test.{n}",
        "accessed": datetime.date(2026, 11, 30),
        "status": Finding.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=1),
    }
    values.update(overrides)
    return values


def make_finding(condition=None, **overrides):
    return Finding.objects.create(**finding_values(condition or make_condition(), **overrides))


def make_many_findings(n, conditions):
    """`n` published findings spread over `conditions`, every certainty and direction among them."""
    certainties = ["high", "moderate", "low", "very low"]
    directions = ["benefit", "no clear benefit", "harm", "mixed"]
    Finding.objects.bulk_create(
        Finding(
            **finding_values(
                conditions[i % len(conditions)],
                slug=f"bulk-finding-{i}",
                certainty=certainties[i % 4],
                direction=directions[(i // 4) % 4],
            )
        )
        for i in range(n)
    )


def make_person(**overrides):
    """An author or reviewer; the same name gives the same person."""
    from site_project.models import Person

    values = {"name": "A. Smith", "credentials": ""}
    values.update(overrides)
    person, _created = Person.objects.get_or_create(name=values.pop("name"), defaults=values)
    return person


def make_reviewer_user(username="reviewer", person_name="Dana Reviewer", credentials="MD, neurologist"):
    """A staff account in the Reviewers group, linked to its Person."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"), Group.objects.get(name="Editors"))
    make_person(name=person_name, credentials=credentials, account=user)
    return user
