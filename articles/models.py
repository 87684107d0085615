import datetime
import math

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.markdown import render_markdown
from site_project.models import Publishable, PublishableQuerySet
from site_project.references import check_supersession, in_reading_order

WORDS_PER_MINUTE = 200
# A published article whose last medical review is older than this needs another one.
REVIEW_INTERVAL = datetime.timedelta(days=365)


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in links: /articles/?topic=this-slug. Lowercase letters, digits and hyphens.",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(PublishableQuerySet):
    def search(self, query):
        """Articles matching `query` in title, summary or body, best matches first.

        PostgreSQL: full-text search (English stemming, web-search syntax) ranked with title
        matches above summary matches above body matches. Other databases: a plain
        case-insensitive substring match, newest first.
        """
        if connections[self.db].vendor == "postgresql":
            vector = (
                SearchVector("title", weight="A", config="english")
                + SearchVector("summary", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )
            search_query = SearchQuery(query, search_type="websearch", config="english")
            return (
                self.annotate(document=vector, rank=SearchRank(vector, search_query))
                .filter(document=search_query)  # the @@ match; a rank alone is never exactly 0
                .order_by("-rank", F("published_at").desc(nulls_last=True), "-id")
            )
        return self.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query))

    def needs_review(self, today=None):
        """Published articles never medically reviewed, or last reviewed over 12 months ago."""
        today = today or timezone.localdate()
        return self.filter(status=Article.Status.PUBLISHED).filter(
            Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=today - REVIEW_INTERVAL)
        )


class Article(Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's address: /articles/this-slug/. Changing it breaks links already shared.",
        error_messages={"unique": "Another article already uses this slug. Choose a different one."},
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences. Shown in lists, search results, feeds and as the page description.",
    )
    body = models.TextField(help_text="Markdown. Use ## for section headings; they become the table of contents.")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    author = models.CharField(max_length=150, blank=True, help_text="Name as shown to readers.")
    reviewed_by = models.CharField(
        max_length=200, blank=True, help_text='Reviewer\'s name and credentials, e.g. "A. Smith, MD, neurologist".'
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="Date of the last medical review.")
    evidence_note = models.TextField(
        blank=True,
        help_text=(
            "Shown in a box after the text: in plain words, which statements the references back and which "
            "they do not yet. Leave empty when every statement is backed."
        ),
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    foods = models.ManyToManyField(
        "supplements.FoodEntry", blank=True, related_name="articles", help_text="Foods the article names."
    )
    supplement_forms = models.ManyToManyField(
        "supplements.SupplementForm",
        blank=True,
        related_name="articles",
        help_text="Supplement forms the article names.",
    )
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[topics, foods, supplement_forms])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html, self.toc = render_markdown(self.body)
        self.reading_minutes = max(1, math.ceil(len(self.body.split()) / WORDS_PER_MINUTE))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.last_reviewed and self.last_reviewed > today:
            errors["last_reviewed"] = "The last review date cannot be in the future."
        if self.last_reviewed and not self.reviewed_by.strip():
            errors["reviewed_by"] = "Say who reviewed the article (name and credentials), or clear the review date."
        if self.reviewed_by.strip() and not self.last_reviewed:
            errors["last_reviewed"] = "Give the date of the review, or clear the reviewer."
        if errors:
            raise ValidationError(errors)

    @property
    def references_in_reading_order(self):
        """The references as the page lists them: a superseded one right after its newer one."""
        return in_reading_order(self.references.all())

    @property
    def needs_review(self):
        if self.last_reviewed is None:
            return True
        return self.last_reviewed < timezone.localdate() - REVIEW_INTERVAL


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    citation = models.TextField(help_text="Authors, title, journal or publisher, as readers should see it.")
    url = models.URLField(blank=True, max_length=300)
    publisher = models.CharField(max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="References are numbered in this order.")
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        help_text="A newer reference of this article that replaces this one. Both stay listed; the newer comes first.",
    )
    history = HistoricalRecords()

    link_check_fields = ["url"]  # checked by manage.py check_references
    link_check_parent = "article"

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.citation[:80]

    def clean(self):
        super().clean()
        check_supersession(self, "article", "article")
