"""What every kind of public content shares: one publishing shape.

Content is a draft or published; published content goes public at `published_at` (a future
time schedules it). Views, feeds and sitemaps ask `Model.objects.published()`; pages that let
staff preview drafts ask `visible_to(request.user)`.
"""

import re
import sys

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from site_project.markdown import render_markdown


def sentence_choices(name, *values, labels=None):
    """A TextChoices from its values: each member is named by its value in capitals ("very low" ->
    VERY_LOW, "meta-analysis" -> META_ANALYSIS) and labelled by it in sentence case ("Very low"),
    unless `labels` gives the label ({"RCT": "Randomised controlled trial"})."""
    labels = labels or {}

    def label(value):
        return labels.get(value) or value.replace("_", " ").capitalize()

    members = [(re.sub(r"[ _-]+", "_", value.upper()), (value, label(value))) for value in values]
    return models.TextChoices(name, members, module=sys._getframe(1).f_globals["__name__"])


def unique_slug_field(max_length, help_text, noun):
    """A unique slug whose clash says, in the editor's words, which kind of item already has it."""
    return models.SlugField(
        max_length=max_length,
        unique=True,
        help_text=help_text,
        error_messages={"unique": f"Another {noun} already uses this slug. Choose a different one."},
    )


def rank_of(field, ranks, default):
    """A SQL expression giving each row the rank `ranks` ({value: rank}) gives its `field`, else
    `default`, so a queryset can sort by a scale the values' spelling does not follow."""
    return models.Case(
        *(models.When(**{field: value}, then=models.Value(rank)) for value, rank in ranks.items()),
        default=models.Value(default),
        output_field=models.IntegerField(),
    )


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def status_field(default=Status.DRAFT):
    """The `status` column. An article starts as a draft; a model whose new items start public
    (a food or supplement form entered from its source) redeclares it with Status.PUBLISHED,
    and `published_at` with published_at_field(default=timezone.now)."""
    return models.CharField(max_length=10, choices=Status.choices, default=default)


def published_at_field(**default):
    """The `published_at` column. A model whose new items start public gives default=timezone.now,
    so an item inserted in bulk (no save() to stamp it) is public from its insertion too."""
    return models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        **default,
        help_text="When it goes public. A future time schedules it. Left empty on publishing: now.",
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Public items: published, with a publication time that has come."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff can preview drafts and scheduled items; everyone else sees published ones."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class Publishable(models.Model):
    Status = Status

    status = status_field()
    published_at = published_at_field()

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_public


# --- Reference checking (issue 17) -------------------------------------------------------------
#
# A content model joins the checker by declaring its link fields, e.g.
#     link_check_fields = ["url"]                 # a URLField: its value is one address
#     link_check_fields = ["source_url", "source"]  # a text field: every http(s) address in it
# `manage.py check_references` and the "Link checks" admin find every model that declares them
# (site_project/links.py); nothing else needs changing.


def outcome_rank():
    """0 for broken, 1 for redirected, 2 for fine: sorting on it lists the broken ones first."""
    return models.Case(
        models.When(outcome="broken", then=models.Value(0)),
        models.When(outcome="redirected", then=models.Value(1)),
        default=models.Value(2),
        output_field=models.IntegerField(),
    )


class LinkCheckQuerySet(models.QuerySet):
    def worst_first(self):
        return self.order_by(outcome_rank(), "url")


class LinkCheck(models.Model):
    """The last visit to one address. One row per address, however many pages cite it."""

    class Outcome(models.TextChoices):
        OK = "ok", "OK"
        REDIRECTED = "redirected", "Redirected"
        BROKEN = "broken", "Broken"

    url = models.CharField("address", max_length=2000, unique=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, db_index=True)
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The last answer's HTTP status; empty when no answer came."
    )
    final_url = models.CharField("final address", max_length=2000, blank=True, help_text="Where the redirects ended.")
    redirect_chain = models.JSONField(
        default=list, blank=True, help_text="Each redirect followed: the address, its status and where it pointed."
    )
    method = models.CharField(max_length=4, blank=True, help_text="HEAD, or GET when the server refused HEAD.")
    error = models.TextField(blank=True, help_text="Why no answer came: timeout, connection refused, TLS, DNS.")
    checked_at = models.DateTimeField(db_index=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        verbose_name = "link check"

    def __str__(self):
        return self.url

    @property
    def summary(self):
        """A few words for an editor: "OK (200)", "Redirected (301 → 200)", "Broken: 404", "Broken: timed out"."""
        if self.outcome == self.Outcome.BROKEN:
            return f"Broken: {self.error or self.status_code}"
        if self.outcome == self.Outcome.REDIRECTED:
            hops = " → ".join(str(hop["status"]) for hop in self.redirect_chain)
            return f"Redirected ({hops} → {self.status_code})"
        return f"OK ({self.status_code})"


# --- Site pages (issue 17) ---------------------------------------------------------------------
# The pages a health site owes its readers, each at a fixed address. Their text is the editors'
# (Markdown, edited in the admin, sanitised once at save time like an article's body).

SITE_PAGES = [
    ("about", "About this site"),
    ("editorial-policy", "Editorial policy"),
    ("corrections", "Corrections"),
    ("funding", "Funding and advertising"),
    ("privacy", "Privacy"),
    ("contact", "Contact"),
]


class SitePage(Publishable):
    """About, Editorial policy, Corrections, Funding, Privacy, Contact: one row each."""

    title = models.CharField(max_length=200, help_text="The page's heading and the title in the browser tab.")
    slug = models.SlugField(
        "address",
        max_length=40,
        unique=True,
        choices=[(slug, f"/{slug}/ ({title})") for slug, title in SITE_PAGES],
        help_text="Which of the site's fixed pages this is; the footer links to each of them.",
        error_messages={"unique": "That page already exists: open it from the list and edit it instead."},
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences: the page description search engines show under the title.",
    )
    body = models.TextField(
        help_text=(
            "Markdown: a blank line between paragraphs, ## for a section heading, - for a list item, "
            "[words](https://…) for a link. Raw HTML and scripts are removed when the page is saved."
        )
    )
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    # Saving one changes what the public sees: the page cache starts over (site_project/cache.py).
    clears_page_cache = True

    class Meta:
        ordering = ["slug"]
        verbose_name = "site page"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)[0]  # sanitised once, here (no table of contents)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("site_page", args=[self.slug])
