"""What every kind of public content shares: one publishing shape.

Content is a draft or published; published content goes public at `published_at` (a future
time schedules it). Views, feeds and sitemaps ask `Model.objects.published()`; pages that let
staff preview drafts ask `visible_to(request.user)`.
"""

import calendar
import datetime
import re
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, F, Max, Min, Q
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


def optional_text(max_length, help_text="", verbose_name=None):
    """A short text an editor may leave empty (stored as "", as Django advises for text, never NULL)."""
    return models.CharField(verbose_name, max_length=max_length, blank=True, help_text=help_text)


def choice_field(choices, max_length, help_text="", **options):
    """A text column holding one value of `choices` (a TextChoices): a select for editors, the stored
    value in filters and addresses. Django's check (fields.E009) says when a value outgrows `max_length`."""
    return models.CharField(max_length=max_length, choices=choices.choices, help_text=help_text, **options)


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
    return choice_field(Status, 10, default=default)


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


# --- People and medical review (issue 17) --------------------------------------------------------


PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}  # Pillow's name: the editor's


def validate_photo(upload):
    """An uploaded photo must be at most 2 MB and really be a JPEG, PNG or WebP image (not only named so)."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            f"This photo is {upload.size / 1024 / 1024:.1f} MB; upload one of at most 2 MB (a smaller or more "
            "compressed copy).",
            code="photo_too_large",
        )
    position = upload.tell()
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()  # reads the whole file's structure: a damaged or disguised file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "This file is not a JPEG, PNG or WebP image, or it is damaged. Save the photo again as JPEG, PNG or "
            "WebP and upload that.",
            code="photo_not_an_image",
        ) from exc
    finally:
        upload.seek(position)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(
            f"This image is a {kind} file; upload a JPEG, PNG or WebP photo.", code="photo_wrong_format"
        )


class Person(models.Model):
    """Someone who writes or medically reviews the site's content, as readers see them."""

    name = models.CharField(max_length=150, help_text='As readers see it, e.g. "Ana Silva".')
    credentials = optional_text(200, 'Degrees and qualifications, e.g. "MD, neurologist". Empty for none.')
    role = optional_text(150, 'What they do for the site, e.g. "Medical reviewer".')
    bio = models.TextField("short bio", blank=True, help_text="Two or three sentences: training, experience.")
    conflicts_of_interest = models.TextField(
        blank=True, help_text='Payments, shares or ties to any company whose products the site names. "None" if none.'
    )
    # A FileField whose validator opens the file with Pillow (ImageField would also store nothing more).
    photo = models.FileField(
        upload_to="people/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"]), validate_photo],
        help_text="Optional. A head-and-shoulders photo (JPEG, PNG or WebP, at most 2 MB).",
    )
    photo_alt = optional_text(
        200, "Required with a photo: what it shows, for screen readers.", verbose_name="photo description"
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="Their admin account, if they have one: “Mark reviewed by me today” then names this person.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        permissions = [("mark_reviewed", "Can mark content medically reviewed")]

    def __str__(self):
        return self.name_with_credentials

    # Every byline shows a person's name: saving one starts the page cache over (site_project/cache.py), and
    # with it the lists' kept dates (PageDates.of_items_once).
    clears_page_cache = True

    def get_absolute_url(self):
        """Their entry on the people page, where readers see credentials, bio and conflicts of interest."""
        return f"{reverse('people')}#person-{self.pk}"

    @property
    def name_with_credentials(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def clean(self):
        super().clean()
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": "Describe the photo for readers who cannot see it, or remove the photo."}
            )


# What a page shows of a person it names (PageDates joins these, never the whole row).
PERSON_SHOWN = ("name", "credentials", "role")

REVIEW_PERMISSION = "site_project.mark_reviewed"
DUE_WITHIN = datetime.timedelta(days=30)  # "due for review": the review date falls within this


def add_months(day, months):
    """`day` plus whole months; the 31st becomes the month's last day where it has none."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class ReviewableQuerySet(models.QuerySet):
    """The review queue's questions, asked in SQL (`review_due` is stored on each save)."""

    def never_reviewed(self):
        return self.filter(reviewed_at__isnull=True)

    def overdue(self, today=None):
        return self.filter(review_due__lt=today or timezone.localdate())

    def due_soon(self, today=None):
        """Reviewed, and the next review falls within 30 days (today included)."""
        today = today or timezone.localdate()
        return self.filter(review_due__gte=today, review_due__lte=today + DUE_WITHIN)

    def review_up_to_date(self, today=None):
        return self.filter(review_due__gt=(today or timezone.localdate()) + DUE_WITHIN)

    def updated_since_review(self):
        return self.filter(review_stamp__isnull=False, updated_at__gt=F("review_stamp"))

    def page_dates(self):
        """What a page built from these items shows, in one query: a row for each author and reviewer pair
        among them (with the people's names joined), each with its newest change, its oldest review and how
        many of its items are not reviewed yet. PageDates.of_items() adds the rows up."""
        people = [f"{role}__{field}" for role in ("author", "medical_reviewer") for field in PERSON_SHOWN]
        return list(
            self.order_by()
            .values("author_id", "medical_reviewer_id", *people)
            .annotate(
                updated=Max("updated_at"),
                oldest_review=Min("reviewed_at"),
                items=Count("pk"),
                unreviewed=Count("pk", filter=Q(reviewed_at__isnull=True)),
                updated_since_review=Count(
                    "pk", filter=Q(review_stamp__isnull=False, updated_at__gt=F("review_stamp"))
                ),
            )
        )


class PublishableQuerySet(ReviewableQuerySet):
    def published(self):
        """Public items: published, with a publication time that has come."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published items whose publication time is still to come."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Status.DRAFT)

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


class MarkdownBody(models.Model):
    """Content whose `body` is Markdown written by an editor (each model declares its `body` field with
    its own help text): every save renders it to sanitised HTML in `body_html`, which is what the page
    shows (site_project/markdown.py removes raw HTML and scripts)."""

    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_body()
        super().save(*args, **kwargs)

    def render_body(self):
        """Fill `body_html` from `body` and return the h2/h3 headings (a table of contents) as
        render_markdown gives them; a model that keeps more from its text extends this."""
        self.body_html, toc = render_markdown(self.body)
        return toc


def person_field(help_text):
    """An optional link to a Person; a person still named on content cannot be deleted."""
    return models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text=help_text
    )


class Reviewable(models.Model):
    """Who wrote an item, who medically reviewed it and when, and when it is due again. Every content
    model takes it (beside Publishable). `updated_at` (every save) is here because the review rests on
    it: a save after the review is "updated since review".

    Only someone with the `site_project.mark_reviewed` permission (the Reviewers group) may set the
    reviewer or the date (the admin checks; `mark_reviewed()` records one). `review_stamp` is the
    `updated_at` of the reviewed version: a later save means "updated since review"."""

    author = person_field("Who wrote it. Empty: shown as the site's editors.")
    medical_reviewer = person_field(
        "Who checked it medically. Only reviewers can set this (or use “Mark reviewed by me today”)."
    )
    reviewed_at = models.DateField(
        "last reviewed", null=True, blank=True, help_text="Date of the last medical review. Only reviewers can set it."
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)", default=12, help_text="How long a review holds before the item is due again."
    )
    review_due = models.DateField(
        "next review due", null=True, blank=True, editable=False, db_index=True, help_text="Worked out on save."
    )
    review_stamp = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.review_due = add_months(self.reviewed_at, self.review_interval_months) if self.reviewed_at else None
        recording = getattr(self, "_recording_review", False)
        if self.reviewed_at is None:
            self.review_stamp = None
        super().save(*args, **kwargs)
        if recording and self.reviewed_at:
            # The reviewed version is the one just saved: its updated_at, known only after the save.
            self.review_stamp = self.updated_at
            type(self)._base_manager.filter(pk=self.pk).update(review_stamp=self.updated_at)
        self._recording_review = False

    def clean(self):
        super().clean()
        errors = {}
        if self.reviewed_at and self.reviewed_at > timezone.localdate():
            errors["reviewed_at"] = "The review date cannot be in the future."
        if self.reviewed_at and not self.medical_reviewer_id:
            errors["medical_reviewer"] = "Say who reviewed it, or clear the review date."
        if self.medical_reviewer_id and not self.reviewed_at:
            errors["reviewed_at"] = "Give the date of the review, or clear the reviewer."
        if not self.review_interval_months:
            errors["review_interval_months"] = "Give at least 1 month."
        if errors:
            raise ValidationError(errors)

    def record_review(self):
        """The next save records a review of the version it saves (the reviewer or date was set)."""
        self._recording_review = True

    def mark_reviewed(self, reviewer, day=None):
        self.medical_reviewer = reviewer
        self.reviewed_at = day or timezone.localdate()
        self.record_review()
        self.save()

    @property
    def updated_since_review(self):
        return bool(self.review_stamp and self.updated_at and self.updated_at > self.review_stamp)

    @property
    def review_overdue(self):
        return self.review_due is None or self.review_due < timezone.localdate()


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
    outcome = choice_field(Outcome, 10, db_index=True)
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The last answer's HTTP status; empty when no answer came."
    )
    final_url = optional_text(2000, "Where the redirects ended.", verbose_name="final address")
    redirect_chain = models.JSONField(
        default=list, blank=True, help_text="Each redirect followed: the address, its status and where it pointed."
    )
    method = optional_text(4, "HEAD, or GET when the server refused HEAD.")
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


class SitePage(MarkdownBody, Publishable):
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
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    # Saving one changes what the public sees: the page cache starts over (site_project/cache.py).
    clears_page_cache = True

    class Meta:
        ordering = ["slug"]
        verbose_name = "site page"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("site_page", args=[self.slug])


SITE_NAME = "Magnesium & Nerve Health"


@dataclass(frozen=True)
class FiguresFrom:
    """Figures a page shows as someone else published them (USDA's SR28), and what this site works out from
    them: the byline says both, and the page's JSON-LD names the data set with its own publication date."""

    name: str  # whose figures, as the byline names them
    short_name: str  # the same in a date line ("USDA SR28")
    as_published: str  # which figures are shown as published
    worked_out: str  # which figures this site works out from them
    released: str  # the data set's publication date, ISO 8601 to its own precision ("2015-09")
    released_text: str  # the same as readers see it ("September 2015")
    dataset: str  # the data set's full name (JSON-LD)
    publisher: str  # who published it (JSON-LD)

    def __str__(self):
        return self.name


class PageDates:
    """Who stands behind a page and when (templates/includes/page_dates.html): "Written by", "Last reviewed"
    (and by whom) and "Last updated". One item's own people and dates, or for a page built from many items
    everyone who wrote or reviewed them, the newest change, the oldest review and how many are not reviewed
    yet. A page whose figures are someone else's as published (a USDA food) gives `figures_from` (a
    FiguresFrom) and `imported` (when this site last imported them): the byline then says whose figures they
    are, which ones the site worked out, who on the site is responsible for the page (its editors, unless
    named authors) and dates the figures by their release and their import, never as the site's own update."""

    def __init__(
        self,
        updated,
        reviewed_at=None,
        reviewer=None,
        items=1,
        unreviewed=0,
        updated_since_review=0,
        authors=(),
        by_editors=True,
        reviewers=None,
        figures_from=None,
        imported=None,
        outside=0,
    ):
        self.updated = updated
        self.imported = imported
        self.outside = outside  # items whose figures are someone else's as published (never reviewed here)
        self.reviewed_at = reviewed_at if not unreviewed else None
        self.items = items
        self.unreviewed = unreviewed
        self.updated_since_review = updated_since_review
        self.authors = sorted(authors, key=lambda person: person.name)
        self.figures_from = figures_from
        self.by_editors = by_editors  # an item without an author is the editors'
        reviewers = [reviewer] if reviewer else list(reviewers or [])
        self.reviewers = sorted(reviewers, key=lambda person: person.name)

    @property
    def reviewer(self):
        """The one reviewer of a single-item page (None on a list page reviewed by several)."""
        return self.reviewers[0] if len(self.reviewers) == 1 else None

    @property
    def modified(self):
        """When the page's content last changed: its own newest change or the import of its figures."""
        return max((value for value in (self.updated, self.imported) if value), default=None)

    @property
    def partly_reviewed(self):
        return bool(self.reviewers) and 0 < self.unreviewed < self.items

    @classmethod
    def of(cls, item):
        """One item (its author and medical_reviewer best joined in the same query)."""
        return cls(
            item.updated_at,
            item.reviewed_at,
            item.medical_reviewer if item.reviewed_at else None,
            unreviewed=0 if item.reviewed_at else 1,
            updated_since_review=item.updated_since_review,
            authors=[item.author] if item.author_id else [],
            by_editors=not item.author_id,
        )

    @classmethod
    def of_loaded(cls, items, others=0, **kwargs):
        """Items already loaded with their author and medical_reviewer (no query), as of_items() adds them up;
        `others` more items on the page have no author or review of their own (USDA's foods: the editors')."""
        reviews = [item.reviewed_at for item in items if item.reviewed_at]
        return cls(
            max((item.updated_at for item in items if item.updated_at), default=None),
            min(reviews, default=None),
            items=len(items) + others,
            unreviewed=others + sum(1 for item in items if not item.reviewed_at),
            outside=others,
            updated_since_review=sum(1 for item in items if item.updated_since_review),
            authors={item.author_id: item.author for item in items if item.author_id}.values(),
            by_editors=bool(others) or not items or any(not item.author_id for item in items),
            reviewers={
                item.medical_reviewer_id: item.medical_reviewer
                for item in items
                if item.reviewed_at and item.medical_reviewer_id
            }.values(),
            **kwargs,
        )

    @classmethod
    def of_items(cls, *querysets):
        """The data behind a page: one query per queryset, people included, however many items."""
        rows = [row for queryset in querysets for row in queryset.page_dates()]
        authors, reviewers = {}, {}
        for row in rows:
            if row["author_id"]:
                authors[row["author_id"]] = person_from(row, "author")
            if row["medical_reviewer_id"] and row["oldest_review"]:  # only a reviewer of reviewed items
                reviewers[row["medical_reviewer_id"]] = person_from(row, "medical_reviewer")
        updates = [row["updated"] for row in rows if row["updated"]]
        reviews = [row["oldest_review"] for row in rows if row["oldest_review"]]
        return cls(
            max(updates, default=None),
            min(reviews, default=None),
            items=sum(row["items"] for row in rows),
            unreviewed=sum(row["unreviewed"] for row in rows),
            updated_since_review=sum(row["updated_since_review"] for row in rows),
            authors=authors.values(),
            by_editors=not rows or any(row["author_id"] is None for row in rows),
            reviewers=reviewers.values(),
        )

    @classmethod
    def of_items_once(cls, key, *querysets):
        """of_items(), worked out once per content change and kept in this process under `key` (a name for
        the querysets, e.g. "foods:featured"): the aggregate reads every published item, which a list page
        should not pay for on each request. Kept until the page cache's generation changes (any content or
        person saved or deleted, any admin change: site_project/cache.py) and for PAGE_CACHE_SECONDS at
        most, the bound the page cache already sets on a scheduled item's appearing. Inside a transaction
        (only tests, which roll back) it is always worked out afresh, as the page cache is never used there."""
        from django.db import connection

        from site_project import cache

        if connection.in_atomic_block:
            return cls.of_items(*querysets)
        try:
            shared = cache.cache_is_shared()
            generation = cache.page_cache().get(cache.GENERATION_KEY) if shared else cache.read_stamp()
        except Exception:  # an unreachable cache costs speed, not the page
            generation = None
        if generation is None:
            return cls.of_items(*querysets)
        now = time.monotonic()
        kept = _PAGE_DATES_KEPT.get(key)
        if kept and kept[0] == generation and kept[1] > now:
            return kept[2]
        dates = cls.of_items(*querysets)
        _PAGE_DATES_KEPT[key] = (generation, now + settings.PAGE_CACHE_SECONDS, dates)
        return dates


# PageDates.of_items_once(): key -> (cache generation, expiry on time.monotonic(), PageDates).
_PAGE_DATES_KEPT = {}


def person_from(row, role):
    """An unsaved Person holding what a page shows of them (PERSON_SHOWN), from a page_dates() row."""
    return Person(pk=row[f"{role}_id"], **{field: row[f"{role}__{field}"] for field in PERSON_SHOWN})


def schema_person(person):
    """schema.org Person for a page's JSON-LD: the name, and the credentials and role as readers see them."""
    data = {"@type": "Person", "name": person.name}
    if person.credentials:
        data["honorificSuffix"] = person.credentials
    if person.role:
        data["jobTitle"] = person.role
    return data
