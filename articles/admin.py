from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.history import ReferenceRestore
from articles.models import Article, ArticleFinding, Condition, Finding, Reference, Topic
from articles.readability import TARGET_GRADE, reading_grade
from site_project.admin import (
    ConcurrentEditAdminMixin,
    HistoryAdmin,
    LabelledTabularInline,
    PublicationFilter,
    PublishableAdmin,
    ReferenceInline,
    ReviewableAdmin,
    ReviewFilter,
    SafeAutocompleteAdminMixin,
    citation_box,
    count_column,
    section,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class ArticleReferenceInline(ReferenceInline):
    model = Reference
    fields = ["order", "citation", "publisher", "year", "url", "link_status", "superseded_by"]
    formfield_overrides = citation_box(cols=60)
    verbose_name_plural = "references (shown numbered, in this order, at the end of the article)"


@admin.register(Reference)
class ReferenceAdmin(SafeAutocompleteAdminMixin, HistoryAdmin):
    """References are edited inside their article; this page is for their history: every change,
    and deleted references, can be compared and restored from here."""

    list_display = ["citation_start", "article", "order"]
    list_select_related = ["article"]
    search_fields = ["citation", "url", "article__title"]
    autocomplete_fields = ["article"]
    history_list_display = ["order"]

    @admin.display(description="citation", ordering="citation")
    def citation_start(self, obj):
        return str(obj)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "evidence_note", "status", "published_at", "author",
            "medical_reviewer", "reviewed_at", "review_interval_months", "topics", "foods", "supplement_forms",
        ]  # fmt: skip
        help_texts = {
            "status": (
                "Draft: only editors can see it (use “View on site” to preview). Published: public from "
                "the time below."
            ),
            "topics": "Readers can filter the article list by these.",
            "foods": "Foods the article names; they are linked as cards below the article.",
            "supplement_forms": "Supplement forms the article names; they are linked as cards below the article.",
        }

    # Historical link tables: the column that holds the linked item, per many-to-many field.
    HISTORY_LINK_COLUMNS = {"topics": "topic_id", "foods": "foodentry_id", "supplement_forms": "supplementform_id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = getattr(self.instance, "_history", None)  # set when the admin shows an earlier version
        if version is not None:
            # Restoring a version restores its topics and links too, not only its text.
            for name, column in self.HISTORY_LINK_COLUMNS.items():
                self.initial[name] = [getattr(row, column) for row in getattr(version, name).all()]


class ArticleFindingInline(SafeAutocompleteAdminMixin, LabelledTabularInline):
    model = ArticleFinding
    extra = 1
    fields = ["order", "finding", "paragraph", "label"]
    autocomplete_fields = ["finding"]
    verbose_name = "finding beside the text"
    verbose_name_plural = (
        "findings beside the text (each shown after the paragraph or heading that contains the words given; "
        "findings after one paragraph follow the order column)"
    )


@admin.register(Article)
class ArticleAdmin(
    ReviewableAdmin, PublishableAdmin, SafeAutocompleteAdminMixin, ConcurrentEditAdminMixin, HistoryAdmin
):
    form = ArticleAdminForm
    list_display = ["title", "status_label", "published_at", "review_label", "topic_names"]
    list_filter = [PublicationFilter, ReviewFilter, "topics", "published_at"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "foods", "supplement_forms"]
    readonly_fields = ["reading_grade", "reading_minutes", "created_at", "updated_at"]
    inlines = [ArticleReferenceInline, ArticleFindingInline]
    history_list_display = ["version_status"]
    object_history_form_template = "admin/articles/article/object_history_form.html"  # names the references
    save_on_top = True
    fieldsets = [
        section(None, ["title", "slug", "summary", "body", "reading_grade", "evidence_note"]),
        section(
            "Publishing",
            ["status", "published_at"],
            "A published article with a future time is scheduled: the public sees it from that time. "
            "Every save keeps a version; “History” (top right) compares and restores them.",
        ),
        ReviewableAdmin.review_fieldset,
        section("Topics and links", ["topics", "foods", "supplement_forms"]),
        section("Computed", ["reading_minutes", "created_at", "updated_at"], collapsed=True),
    ]

    class Media:
        js = ["js/admin-autocomplete-labels.js"]  # names Select2's search boxes for screen readers

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name")))

    @admin.display(description="reading grade")
    def reading_grade(self, obj):
        """Worked out when the page is shown, from the saved text, so it never disagrees with it."""
        grade = reading_grade(obj.body_html) if obj is not None and obj.pk else None
        if grade is None:
            return "Shown once the article is saved with some text."
        text = f"Grade {grade:.1f} (Flesch-Kincaid, an estimate for the saved text)."
        if grade > TARGET_GRADE:
            return format_html(
                "{} <strong>Above grade {}:</strong> shorter sentences and everyday words would make it "
                "easier for more readers.",
                text,
                TARGET_GRADE,
            )
        return f"{text} At or below grade {TARGET_GRADE}."

    @admin.display(description="topics")
    def topic_names(self, obj):
        return format_html_join(", ", "{}", ((topic.name,) for topic in obj.topics.all())) or "—"

    def render_history_view(self, request, template, context, **kwargs):
        version = getattr(context.get("original"), "_history", None)
        if version is not None:  # a version's page, before "Revert": say what it does to the references
            context["reference_restore"] = ReferenceRestore(version)
        return super().render_history_view(request, template, context, **kwargs)

    def save_model(self, request, obj, form, change):
        # Set on the instance only when "Revert" saves an earlier version (never on the change page,
        # whose inline formset saves the references itself).
        version = getattr(obj, "_history", None)
        restore = None
        if version is not None:
            restore = ReferenceRestore(version)  # read before this save adds a version
            when = timezone.localtime(version.history_date).strftime("%d %b %Y, %H:%M:%S")
            obj._change_reason = f"Restored the version of {when}"
        super().save_model(request, obj, form, change)  # PublishableAdmin: says if it was published now
        if restore is not None:
            restore.apply(reason=f"Restored with the article's version of {when}")
            self.message_user(request, restore.summary(done=True), messages.SUCCESS)
            if restore.unknown:
                self.message_user(request, restore.unknown_note(), messages.WARNING)


@admin.register(Condition)
class ConditionAdmin(ConcurrentEditAdminMixin, HistoryAdmin):
    list_display = ["name", "slug", "order", "guideline", "finding_count"]
    search_fields = ["name", "summary", "guideline_body", "guideline_recommendation"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        section(None, ["name", "slug", "order", "summary"]),
        section(
            "Guideline callout",
            [
                "guideline_body",
                "guideline_year",
                "guideline_recommendation",
                "guideline_citation",
                "guideline_url",
                "guideline_link_text",
            ],
            "Shown in a box under the summary when a guideline takes a position on magnesium for this "
            "condition. Quote the recommendation exactly: a “should not offer” stays “should not offer”.",
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(finding_total=Count("findings"))

    @admin.display(description="guideline", boolean=True)
    def guideline(self, condition):
        return condition.has_guideline

    finding_count = count_column("finding_total", "findings")


class FindingAdminForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = [
            "condition", "slug", "condition_studied", "condition_group", "plain_summary", "study_type", "year",
            "participants", "intervention", "above_upper_level", "dose_form_not_stated", "population", "outcome",
            "direction", "certainty",
            "grading_basis",
            "guideline_position", "citation", "url", "read_via", "accessed", "status", "published_at",
            "author", "medical_reviewer", "reviewed_at", "review_interval_months",
        ]  # fmt: skip
        help_texts = {
            "status": "Draft: only editors see it. Published: listed on /evidence/ from the time below.",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3, "cols": 80})
            for name in [
                "intervention",
                "population",
                "outcome",
                "grading_basis",
                "guideline_position",
                "plain_summary",
                "citation",
                "read_via",
            ]
        }


@admin.register(Finding)
class FindingAdmin(ReviewableAdmin, PublishableAdmin, ConcurrentEditAdminMixin, HistoryAdmin):
    form = FindingAdminForm
    list_display = [
        "slug", "condition", "study_type", "participants", "certainty", "direction", "status_label", "published_at",
        "accessed", "review_label",
    ]  # fmt: skip
    list_filter = [
        "condition", "certainty", "direction", PublicationFilter, ReviewFilter, "study_type", "condition_group",
    ]  # fmt: skip
    list_select_related = ["condition"]
    search_fields = ["slug", "condition_studied", "intervention", "plain_summary", "citation"]
    readonly_fields = ["created_at", "updated_at"]
    save_on_top = True
    history_list_display = ["certainty", "direction", "version_status"]
    fieldsets = [
        section(None, ["condition", "slug", "condition_studied", "condition_group", "plain_summary"]),
        section(
            "The study",
            ["study_type", "year", "participants", "intervention", "population", "outcome"],
        ),
        section(
            "The dose against the Upper Level",
            ["above_upper_level", "dose_form_not_stated"],
            "The finding tells readers when the magnesium it gives by mouth is more than the adult Upper Level "
            "for supplements (350 mg a day, NIH ODS Table 3), and whether the source left the form unstated.",
        ),
        section(
            "What it found and how sure",
            ["direction", "certainty", "grading_basis", "guideline_position"],
            "Certainty follows the grading rule (articles/data/EVIDENCE_README.md): the source's own GRADE "
            "rating if it has one; a guideline's own rating mapped (High/A/Strong: high; Intermediate/B: "
            "moderate; C/Fair/Low/Weak: low; Insufficient/Consensus/E: very low); otherwise by design.",
        ),
        section("Source", ["citation", "url", "read_via", "accessed"]),
        section("Publishing", ["status", "published_at"]),
        ReviewableAdmin.review_fieldset,
        section("Computed", ["created_at", "updated_at"], collapsed=True),
    ]
