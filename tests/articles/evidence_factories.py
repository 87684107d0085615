"""Plain helper functions that make evidence test data. Each takes overrides for any field."""

import datetime
from itertools import count

from django.utils import timezone

from articles.models import Condition, Finding

_seq = count(1)


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
