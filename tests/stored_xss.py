"""Stored XSS: classic payloads, and poison_everything, which writes one into every text field an
editor fills. Shared by tests/test_stored_xss.py (every public page renders them inert) and
tests/browser/test_stored_xss.py (Chromium runs no script on such pages)."""

from django.db import models

from articles.models import Article, Reference, Topic
from site_project.models import SitePage
from supplements.models import FoodEntry, IntakeReference, Medicine, SupplementForm, SupplementReference

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '"><script>alert(1)</script>',
    "</script><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
]
MARKDOWN_PAYLOAD = "\n\n".join(
    PAYLOADS
    + [
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">js link</a>',
        '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
        '<p onclick="alert(1)" style="background:url(javascript:alert(1))">handler</p>',
        "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ]
)

# The text fields poison() leaves as they are: addresses, the rendered body, coded values.
SKIP = {"slug", "body_html", "status", "sex", "metric", "absorption", "laxative_effect", "category"}


def poison(obj, payload):
    """Put the payload into every editable text field of obj (cut to the field's length)."""
    for field in obj._meta.get_fields():
        if not isinstance(field, models.CharField | models.TextField) or field.name in SKIP or field.choices:
            continue
        if isinstance(field, models.URLField):
            value = "javascript:alert(1)"
        elif field.name == "body":
            value = MARKDOWN_PAYLOAD
        else:
            value = f"{obj.pk}{payload}"  # the pk keeps unique names unique
        setattr(obj, field.name, value[: field.max_length] if field.max_length else value)
    obj.save()


def poison_everything(payload):
    for model in (Article, Reference, Topic, FoodEntry, SupplementForm, SupplementReference, SitePage):
        for obj in model.objects.all():
            poison(obj, payload)
    for model in (IntakeReference, Medicine):
        for obj in model.objects.all()[:3]:
            poison(obj, payload)
