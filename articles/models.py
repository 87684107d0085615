import math

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from site_project.markdown import render_markdown
from site_project.models import (
    MarkdownBody,
    Publishable,
    PublishableQuerySet,
    Reviewable,
    choice_field,
    optional_text,
    rank_of,
    sentence_choices,
    unique_slug_field,
)
from site_project.references import CitedReference, in_reading_order, superseded_by_field

WORDS_PER_MINUTE = 200


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


class Article(MarkdownBody, Publishable, Reviewable):
    title = models.CharField(max_length=200)
    slug = unique_slug_field(
        200,
        "The article's address: /articles/this-slug/. Changing it breaks links already shared.",
        "article",
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences. Shown in lists, search results, feeds and as the page description.",
    )
    body = models.TextField(help_text="Markdown. Use ## for section headings; they become the table of contents.")
    toc = models.JSONField(default=list, blank=True, editable=False)
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
    history = HistoricalRecords(m2m_fields=[topics, foods, supplement_forms])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    def render_body(self):
        """Also keep the table of contents and the reading time: both come from the text, on every save."""
        self.toc = super().render_body()
        self.reading_minutes = max(1, math.ceil(len(self.body.split()) / WORDS_PER_MINUTE))
        return self.toc

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @property
    def references_in_reading_order(self):
        """The references as the page lists them: a superseded one right after its newer one."""
        return in_reading_order(self.references.all())


class Reference(CitedReference):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    publisher = optional_text(150)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="References are numbered in this order.")
    superseded_by = superseded_by_field("article")
    history = HistoricalRecords()

    link_check_fields = ["url"]  # checked by manage.py check_references
    link_check_parent = "article"
    parent_name = "article"


# --- Evidence by condition (issue 13) ----------------------------------------------------------------


class Condition(models.Model):
    """A kind of nerve problem (or magnesium deficiency itself) that findings are grouped under.
    The six launch conditions are seeded with stable slugs; the callout carries a guideline's
    own words, never a softened version."""

    name = models.CharField(max_length=100, unique=True, help_text='As readers say it, e.g. "Restless legs".')
    slug = unique_slug_field(
        80,
        "The page's address: /evidence/this-slug/ and /evidence/?condition=this-slug. Changing it "
        "breaks links already shared.",
        "condition",
    )
    summary = models.TextField(
        help_text="One plain paragraph opening the condition's section: what the findings below add up to. "
        "Every figure in it must appear in a finding below."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Conditions are listed in this order.")
    guideline_body = optional_text(
        200,
        'The body that issued the guideline, e.g. "American Society of Clinical Oncology (ASCO)". '
        "Leave the four guideline fields empty when no guideline addresses magnesium for this condition.",
    )
    guideline_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year of the guideline.")
    guideline_recommendation = models.TextField(
        blank=True,
        help_text="The recommendation in the guideline's own words, in quotation marks. Never soften it: "
        "“should not offer” stays “should not offer”.",
    )
    guideline_citation = models.TextField(blank=True, help_text="Authors, title, journal, year, DOI or PMID.")
    guideline_url = models.URLField(blank=True, max_length=300, help_text="The guideline's address (DOI link).")
    guideline_link_text = optional_text(
        120,
        "What the link to the guideline says, when “Read the guideline” would mislead, e.g. “Read the "
        "ADA statement on supplements in diabetes”.",
    )
    history = HistoricalRecords()

    link_check_fields = ["guideline_url"]  # checked by manage.py check_references

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:condition", args=[self.slug])

    @property
    def has_guideline(self):
        return bool(self.guideline_body and self.guideline_recommendation)

    def clean(self):
        super().clean()
        given = {
            "guideline_body": self.guideline_body.strip(),
            "guideline_year": self.guideline_year,
            "guideline_recommendation": self.guideline_recommendation.strip(),
            "guideline_citation": self.guideline_citation.strip(),
        }
        if any(given.values()) and not all(given.values()):
            raise ValidationError(
                {
                    name: "A guideline callout needs its body, year, exact recommendation and citation: fill this "
                    "in, or clear the other guideline fields."
                    for name, value in given.items()
                    if not value
                }
            )


# The condition whose findings are about a lack of magnesium itself (seeded by articles/seed.py).
DEFICIENCY_CONDITION_SLUG = "magnesium-deficiency"


# How sure the evidence is (EVIDENCE_README.md, grading rule), highest first.
Certainty = sentence_choices("Certainty", "high", "moderate", "low", "very low")

# Position on the four-step scale readers see (4 = high), and the sort order (high first).
CERTAINTY_LEVEL = {Certainty.HIGH: 4, Certainty.MODERATE: 3, Certainty.LOW: 2, Certainty.VERY_LOW: 1}

Direction = sentence_choices("Direction", "benefit", "no clear benefit", "harm", "mixed")

StudyType = sentence_choices(
    "StudyType",
    *("guideline", "systematic review", "meta-analysis", "RCT", "observational", "pilot"),
    labels={
        "RCT": "Randomised controlled trial",
        "observational": "Observational study",
        "pilot": "Pilot or uncontrolled study",
    },
)

ConditionGroup = sentence_choices("ConditionGroup", "neuropathy", "related symptom")


class FindingQuerySet(PublishableQuerySet):
    def with_certainty_rank(self):
        """Annotate `certainty_rank` (4 = high ... 1 = very low) so SQL can sort on it."""
        return self.annotate(certainty_rank=rank_of("certainty", CERTAINTY_LEVEL, default=0))

    def strongest_first(self):
        """Most certain first; within a certainty the newest study, then the most recently checked."""
        return self.with_certainty_rank().order_by(
            "-certainty_rank", F("year").desc(nulls_last=True), "-accessed", "slug"
        )


class Finding(Publishable, Reviewable):
    """One row of evidence.csv: what one study or guideline found for one condition, graded."""

    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="findings", help_text="The section it is listed under."
    )
    slug = unique_slug_field(
        100,
        "Stable id (lowercase, hyphens), also the finding's anchor: /evidence/#finding-this-slug.",
        "finding",
    )
    condition_studied = models.CharField(
        max_length=200, help_text="The condition as the study names it, e.g. “Nocturnal leg cramps”."
    )
    condition_group = choice_field(
        ConditionGroup,
        20,
        "Neuropathy (nerve damage or nerve pain) or a related symptom (restless legs, cramps, "
        "mixed chronic pain, deficiency itself).",
    )
    intervention = models.TextField(
        help_text="What was given, with dose, form, route and duration where stated; for observational studies "
        "the exposure (e.g. “higher serum magnesium”)."
    )
    above_upper_level = models.BooleanField(
        "dose above the Upper Level",
        default=False,
        help_text="Tick when the magnesium given by mouth, as the intervention states it, is more than the adult "
        "Upper Level for supplements (350 mg a day). The finding then says so. The seed ticks it when the "
        "intervention gives more than 350 mg of elemental magnesium a day, or more than 350 mg a day of oral "
        "magnesium whose form it does not state; not for a compound's weight alone.",
    )
    dose_form_not_stated = models.BooleanField(
        "form of the dose not stated",
        default=False,
        help_text="Tick with “dose above the Upper Level” when the source gives an amount of “magnesium” without "
        "saying whether it is magnesium itself or a compound's weight (e.g. “oral magnesium (245 mg twice a "
        "day)”). The finding then says the dose is above the Upper Level if it is magnesium itself, and that "
        "the form was not stated.",
    )
    population = models.TextField(help_text="Who was studied.")
    outcome = models.TextField(help_text="What was measured, with the key numbers from the source.")
    study_type = choice_field(StudyType, 20)
    participants = models.PositiveIntegerField(
        null=True, blank=True, help_text="People in the study or pooled analysis. Empty if the source does not say."
    )
    direction = choice_field(
        Direction,
        20,
        "For the intervention or exposure named. Observational: “benefit” means higher magnesium went "
        "with better nerve results.",
    )
    certainty = choice_field(
        Certainty,
        10,
        "By the grading rule in articles/data/EVIDENCE_README.md: the source's own GRADE rating if it "
        "has one, else the rule for its design. Never raise it above what the rule gives.",
    )
    grading_basis = models.TextField(help_text="Why that certainty: the source's rating or the rule applied.")
    guideline_position = models.TextField(
        blank=True,
        help_text="Guidelines only: the body, year and recommendation quoted exactly from the copy read.",
    )
    plain_summary = models.TextField(help_text="At most two plain-language sentences for readers.")
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Year the study or guideline was published, as its citation shows. Empty when it does not. "
        "Findings of the same certainty are listed newest first.",
    )
    citation = models.TextField(
        help_text="Authors, title, journal, year, DOI and/or PMID as far as the source shows them; say which "
        "parts are missing."
    )
    url = models.URLField(max_length=400, help_text="The canonical address: the DOI link where there is one.")
    read_via = models.TextField(blank=True, help_text="The copies actually read, if not the address above.")
    accessed = models.DateField(help_text="When the source was last read and checked. Shown to readers.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    link_check_fields = ["url", "read_via"]  # checked by manage.py check_references

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["condition__order", "slug"]

    def __str__(self):
        return f"{self.condition_studied}: {self.get_study_type_display().lower()} ({self.slug})"

    def get_absolute_url(self):
        return f"{self.condition.get_absolute_url()}#finding-{self.slug}"

    @property
    def certainty_level(self):
        """1 (very low) to 4 (high): the filled steps of the scale."""
        return CERTAINTY_LEVEL.get(self.certainty, 0)

    @property
    def certainty_steps(self):
        """Four booleans for the scale, filled ones first."""
        return [step <= self.certainty_level for step in range(1, 5)]

    @property
    def is_guideline(self):
        return self.study_type == StudyType.GUIDELINE

    @property
    def about_lack_of_magnesium(self):
        """The finding is about a lack of magnesium (the deficiency condition), where "harm" means harm from
        the lack, not from magnesium (EVIDENCE_README.md, direction)."""
        return self.condition.slug == DEFICIENCY_CONDITION_SLUG

    @property
    def direction_text(self):
        """The result as readers see it: "harm from lack of magnesium" for the deficiency findings."""
        if self.direction == Direction.HARM and self.about_lack_of_magnesium:
            return "harm from lack of magnesium"
        return self.get_direction_display().lower()

    def clean(self):
        super().clean()
        errors = {}
        if not self.citation.strip():
            errors["citation"] = "A finding needs its citation: authors, title, journal, year, DOI or PMID."
        if self.is_guideline and not self.guideline_position.strip():
            errors["guideline_position"] = (
                "For a guideline, quote its position: the body, the year and the recommendation in its own words."
            )
        if self.guideline_position.strip() and not self.is_guideline:
            errors["guideline_position"] = "Only guidelines have a position. Clear this, or set the type to guideline."
        if self.accessed and self.accessed > timezone.localdate():
            errors["accessed"] = "The date the source was checked cannot be in the future."
        if self.plain_summary.count(". ") > 1:
            errors["plain_summary"] = "Keep the summary to two sentences at most."
        if self.dose_form_not_stated and not self.above_upper_level:
            errors["dose_form_not_stated"] = (
                "Tick “dose above the Upper Level” too (the dose as stated is above 350 mg a day), or clear this."
            )
        if errors:
            raise ValidationError(errors)


class ArticleFinding(models.Model):
    """A finding shown beside the paragraph of an article that makes the claim it tests."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_findings")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="article_findings")
    order = models.PositiveSmallIntegerField(default=0, help_text="Findings beside one paragraph follow this order.")
    paragraph = optional_text(
        200,
        "A few words copied from the paragraph the finding relates to; it is shown right after that "
        "paragraph. Leave empty to list it after the article text.",
    )
    label = optional_text(
        200,
        "A short line in plain words shown with it, e.g. “ASCO: do not offer calcium/magnesium to "
        "prevent it”. Empty: the finding's own summary.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "finding"], name="article_finding_once"),
        ]
        verbose_name = "finding beside the text"
        verbose_name_plural = "findings beside the text"

    def __str__(self):
        return self.label or self.finding.slug

    def clean(self):
        super().clean()
        from articles.placement import matching_paragraphs

        if not self.paragraph.strip():
            return
        try:
            article = self.article
        except Article.DoesNotExist:
            return
        body_html, _toc = render_markdown(article.body)  # the text as submitted, also when edited in the same save
        found = matching_paragraphs(body_html, self.paragraph)
        if found == 0:
            raise ValidationError(
                {
                    "paragraph": "No paragraph or heading of the article contains these words. Copy a few words "
                    "exactly as they stand in one paragraph, or leave this empty."
                }
            )
        if found > 1:
            raise ValidationError(
                {
                    "paragraph": f"{found} paragraphs contain these words; the finding would follow the first. "
                    "Copy a few more words, so they name one paragraph only."
                }
            )
