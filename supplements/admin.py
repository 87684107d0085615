from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.text import Truncator
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from site_project.admin import (
    ConcurrentEditAdminMixin,
    HistoryAdmin,
    PublicationFilter,
    PublishableAdmin,
    ReferenceInline,
    ReviewableAdmin,
    SafeAutocompleteAdminMixin,
    citation_box,
    count_column,
    id_or_404,
    section,
)
from supplements.models import (
    DAILY_VALUE_MG,
    USDA_SR28_CITATION,
    FoodEntry,
    FoodGroup,
    IntakeReference,
    Medicine,
    SupplementForm,
    SupplementReference,
    SupplementUse,
    USDAFood,
    USDAFoodGroup,
    USDAMeasure,
    plain,
    whole,
)

# Sections: foods (first), then supplement forms and intake, then medicines (below).
# --- Foods: FoodGroup and FoodEntry (import/export, history) ---------------------------------------


class FoodEntryResource(resources.ModelResource):
    """CSV columns for food import and export. `slug` identifies a row: importing a file with
    an existing slug updates that food; a new slug adds one. `group` is the group's slug."""

    group = fields.Field(
        column_name="group", attribute="group", widget=widgets.ForeignKeyWidget(FoodGroup, field="slug")
    )

    class Meta:
        model = FoodEntry
        import_id_fields = ["slug"]
        fields = [
            "slug", "name", "group", "serving", "serving_grams", "magnesium_mg", "magnesium_per_100g",
            "source", "source_url", "notes", "status", "published_at",
        ]  # fmt: skip
        export_order = fields
        # Run the model's own validation on every row, so the preview lists each invalid row
        # with the reason and nothing is saved until the editor confirms a clean file.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class FoodCountAdmin(admin.ModelAdmin):
    """A food group's admin: the list counts each group's foods."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(food_count=Count("foods"))

    food_count = count_column("food_count", "foods")


@admin.register(FoodGroup)
class FoodGroupAdmin(FoodCountAdmin):
    list_display = ["name", "slug", "order", "food_count"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(FoodEntry)
class FoodEntryAdmin(
    ReviewableAdmin,
    PublishableAdmin,
    SafeAutocompleteAdminMixin,
    ConcurrentEditAdminMixin,
    ImportExportModelAdmin,
    HistoryAdmin,
):
    resource_classes = [FoodEntryResource]
    list_display = [
        "name", "group", "serving", "magnesium_display", "per_100g_display", "percent_dv_display",
        "short_source", "status_label", "published_at",
    ]  # fmt: skip
    list_filter = ["group", PublicationFilter]
    list_select_related = ["group"]
    search_fields = ["name", "slug", "serving"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["per_100g_display", "percent_dv_display", "created_at", "updated_at"]
    list_per_page = 50
    history_list_display = ["version_status"]
    fieldsets = [
        section(None, ["name", "slug", "group", "status", "published_at"]),
        section(
            "Amount",
            [
                "serving",
                "serving_grams",
                "magnesium_mg",
                "magnesium_per_100g",
                "per_100g_display",
                "percent_dv_display",
            ],
            "Enter the figures as the source gives them. % Daily Value (against "
            f"{DAILY_VALUE_MG} mg) is worked out from the serving, and so is the per-100 g figure "
            "when the source gives none; they update when you save.",
        ),
        section("Source", ["source", "source_url", "notes", "usda_food"]),
        section("Record", ["created_at", "updated_at"], collapsed=True),
    ]
    autocomplete_fields = ["usda_food"]

    class Media:
        js = ["js/admin-autocomplete-labels.js"]  # names Select2's search boxes for screen readers

    def export_action(self, request, *args, **kwargs):
        # django-import-export builds a changelist from the export URL's query string and fails
        # on unknown parameters; answer with a message instead of an error page.
        try:
            return super().export_action(request, *args, **kwargs)
        except IncorrectLookupParameters:
            self.message_user(request, "The export link had an unknown filter; it was ignored.", messages.WARNING)
            return HttpResponseRedirect(request.path)

    @admin.display(description="mg / serving", ordering="magnesium_mg")
    def magnesium_display(self, food):
        return plain(food.magnesium_mg)

    @admin.display(description="mg / 100 g shown", ordering="mg_per_100g")
    def per_100g_display(self, food):
        if food.mg_per_100g is None:
            return "–"
        shown = f"{whole(food.mg_per_100g)}"
        return f"{shown} (worked out from the serving)" if food.mg_per_100g_worked_out else shown

    @admin.display(description="% DV")
    def percent_dv_display(self, food):
        percent = food.serving_percent_dv
        return "–" if percent is None else f"{whole(percent)}%"  # rounded as on the site

    @admin.display(description="source")
    def short_source(self, food):
        return Truncator(food.source).chars(60)


# --- Supplement forms, use tags and intake references (issue 5) ----------------------------------


class SupplementReferenceInline(ReferenceInline):
    model = SupplementReference
    fields = ["order", "citation", "url", "link_status", "superseded_by"]
    formfield_overrides = citation_box(cols=70)
    verbose_name_plural = "references (listed in this order under “Sources” on the form’s page)"


@admin.register(SupplementUse)
class SupplementUseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "condition", "form_count"]
    list_filter = ["condition"]
    list_select_related = ["condition"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # An aggregate drops Meta.ordering, so it is restated (the autocomplete pages through these).
        return super().get_queryset(request).annotate(form_count=Count("forms")).order_by("name")

    form_count = count_column("form_count", "forms")


class SupplementFormAdminForm(forms.ModelForm):
    class Meta:
        model = SupplementForm
        fields = [
            "name", "slug", "status", "published_at", "compound", "formula", "molar_mass", "elemental_percent",
            "example_compound_mg", "absorption", "absorption_note", "laxative_effect", "uses", "summary", "body",
            "cautions",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = getattr(self.instance, "_history", None)  # set when the admin shows an earlier version
        if version is not None:
            # Restoring a version restores its use tags too, not only its fields.
            self.initial["uses"] = [row.supplementuse_id for row in version.uses.all()]


@admin.register(SupplementForm)
class SupplementFormAdmin(
    ReviewableAdmin, PublishableAdmin, SafeAutocompleteAdminMixin, ConcurrentEditAdminMixin, HistoryAdmin
):
    form = SupplementFormAdminForm
    list_display = [
        "name", "elemental_display", "absorption", "laxative_effect", "use_names", "reference_count", "status_label",
        "published_at",
    ]  # fmt: skip
    list_filter = ["absorption", "laxative_effect", "uses", PublicationFilter]
    # Also what the article editor's autocomplete for "supplement forms" searches.
    search_fields = ["name", "slug", "compound", "formula"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["uses"]
    inlines = [SupplementReferenceInline]
    readonly_fields = ["example_display", "created_at", "updated_at"]
    history_list_display = ["elemental_percent", "absorption", "laxative_effect", "version_status"]
    save_on_top = True
    fieldsets = [
        section(None, ["name", "slug", "status", "published_at"]),
        section(
            "Compound and magnesium content",
            ["compound", "formula", "molar_mass", "elemental_percent", "example_compound_mg", "example_display"],
            "Elemental magnesium is the share of the compound's weight that is magnesium, for the exact "
            "salt and hydrate named. The worked example on the page updates when you save.",
        ),
        section("Absorption, gut and uses", ["absorption", "absorption_note", "laxative_effect", "uses"]),
        section("Text", ["summary", "body", "cautions"]),
        section("Record", ["created_at", "updated_at"], collapsed=True),
    ]

    class Media:
        js = ["js/admin-autocomplete-labels.js"]  # names Select2's search boxes for screen readers

    def get_queryset(self, request):
        forms = super().get_queryset(request).annotate(reference_total=Count("references"))
        # An aggregate drops Meta.ordering; the articles admin's autocomplete pages through these.
        return forms.order_by(*SupplementForm._meta.ordering).prefetch_related("uses")

    @admin.display(description="elemental Mg", ordering="elemental_percent")
    def elemental_display(self, form):
        return f"{form.percent_text} %"

    @admin.display(description="uses")
    def use_names(self, form):
        return ", ".join(use.name for use in form.uses.all()) or "–"

    reference_count = count_column("reference_total", "references")

    @admin.display(description="worked example")
    def example_display(self, form):
        if form.pk is None or form.elemental_percent is None:
            return "Shown after saving."
        return f"{form.example_compound_mg} mg of the compound holds {form.example_elemental_mg:.1f} mg of magnesium."


@admin.register(IntakeReference)
class IntakeReferenceAdmin(ReviewableAdmin, ConcurrentEditAdminMixin, HistoryAdmin):
    list_display = ["life_stage", "age_range", "sex", "metric", "recommended_mg", "upper_level_mg", "upper_level_ages"]
    list_filter = ["life_stage", "sex", "metric"]
    search_fields = ["life_stage", "age_range", "notes"]
    readonly_fields = ["updated_at"]
    history_list_display = ["recommended_mg", "upper_level_mg", "medical_reviewer", "reviewed_at"]
    fieldsets = [
        section(None, ["life_stage", "age_range", "sex", "order"]),
        section("Recommended intake", ["metric", "recommended_mg", "notes", "source"]),
        section(
            "Upper Level (supplements and medicines only, never food)",
            ["upper_level_mg", "upper_level_ages", "upper_level_note", "upper_level_source"],
        ),
        section("Record", ["updated_at"], collapsed=True),
    ]


@admin.register(Medicine)
class MedicineAdmin(ReviewableAdmin, PublishableAdmin, ConcurrentEditAdminMixin, HistoryAdmin):
    list_display = [
        "name", "medicine_class", "timetable_display", "severity_display", "status_label", "published_at", "accessed",
    ]  # fmt: skip
    list_filter = [PublicationFilter, "severity", "magnesium_test"]
    search_fields = ["name", "slug", "examples", "medicine_class", "what_to_do", "source"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["timetable_display", "created_at", "updated_at"]
    history_list_display = ["version_status"]
    fieldsets = [
        section(None, ["name", "slug", "examples", "medicine_class", "status", "published_at"]),
        section(
            "Timing and advice",
            [
                "what_to_do",
                "hours_before",
                "hours_after",
                "hours_range",
                "do_not_combine_with",
                "ask_whom",
                "timing_words",
                "magnesium_test",
                "timetable_display",
                "monitoring",
            ],
            "The hours are what the source gives; where it gives a range, enter the lower figure and "
            "keep the range in “What to do”. The timetable line is built from these fields and "
            "updates when you save.",
        ),
        section("What happens", ["effect", "severity"]),
        section("Source", ["source", "url", "read_via", "accessed"]),
        section(
            "Where sources differ, or the label is not a US one",
            ["sources_differ", "sources_differ_links", "label_read_on"],
            "Both are added to the short line, after what to do, so a reader never takes one source's gap as "
            "every source's.",
        ),
        section("Record", ["created_at", "updated_at"], collapsed=True),
    ]

    @admin.display(description="timetable")
    def timetable_display(self, medicine):
        if medicine.pk is None:
            return "Shown after saving."
        return medicine.timetable

    @admin.display(description="severity", ordering="severity")
    def severity_display(self, medicine):
        return medicine.get_severity_display()


# --- USDA SR28 foods (issue 15): imported by `manage.py import_usda_sr28`, read-only here ----------


class FeaturedFilter(admin.SimpleListFilter):
    title = "featured"
    parameter_name = "featured"

    def lookups(self, request, model_admin):
        return [("yes", "Featured (a curated food links to it)"), ("no", "Not featured")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_featured=self.value() == "yes")
        return queryset


class ReadOnly:
    """USDA's data as imported: nobody adds, changes or deletes it here (a re-import would undo it)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class USDAMeasureInline(ReadOnly, admin.TabularInline):
    model = USDAMeasure
    fields = ["sequence", "amount_display", "description", "grams_display", "magnesium_display", "analyses"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = "household measures (USDA's WEIGHT file; magnesium worked out from USDA's mg per 100 g)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("food")

    @admin.display(description="amount")
    def amount_display(self, measure):
        return plain(measure.amount)

    @admin.display(description="grams")
    def grams_display(self, measure):
        return measure.grams_text

    @admin.display(description="magnesium (mg)")
    def magnesium_display(self, measure):
        return f"{measure.magnesium_mg():.1f}"


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, measure):
        return f"{measure.text} = {measure.grams_text} g: {measure.magnesium_mg():.1f} mg of magnesium"


class FeatureUSDAFoodForm(forms.Form):
    name = forms.CharField(
        max_length=150, help_text='As a shopper would say it, e.g. "Almonds, dry roasted". You can change it later.'
    )
    group = forms.ModelChoiceField(FoodGroup.objects.all(), label="Food group on the site")
    measure = MeasureChoiceField(
        USDAMeasure.objects.none(),
        label="serving",
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="USDA's household measure to use as the serving: its grams and magnesium are copied.",
    )

    def __init__(self, *args, food, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = food.measures.select_related("food")
        self.fields["name"].initial = food.description[:150]


@admin.register(USDAFood)
class USDAFoodAdmin(ReadOnly, admin.ModelAdmin):
    """USDA's figures, shown as imported: nobody edits them here (a re-import would undo it)."""

    list_display = [
        "description", "ndb_number", "group", "mg_per_100g_display", "kcal_display", "per_100kcal_display",
        "analyses_display", "source_code", "featured_display",
    ]  # fmt: skip
    list_filter = ["group", FeaturedFilter]
    list_select_related = ["group", "source_code"]
    search_fields = ["description", "common_names", "=ndb_number"]
    list_per_page = 50
    inlines = [USDAMeasureInline]
    fieldsets = [
        section(None, ["description", "ndb_number", "citation_display", "group", "featured_entries_display"]),
        section(
            "Magnesium and how USDA obtained it",
            [
                "magnesium_per_100g",
                "provenance_display",
                "analyses",
                "standard_error",
                "source_code",
                "derivation_code",
                "reference_ndb_number",
            ],
            "USDA SR28's own figure per 100 g of the edible portion, with its provenance.",
        ),
        section(
            "Energy and the values the food list sorts by",
            ["kcal_per_100g", "mg_per_100kcal", "serving_text", "serving_grams", "mg_per_serving"],
            "Worked out by the import from USDA's figures (per serving: USDA's first measure).",
        ),
        section(
            "USDA's names and the record",
            ["short_description", "common_names", "scientific_name", "slug", "imported_at"],
            collapsed=True,
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_featured()

    actions = ["feature_selected"]

    def has_feature_permission(self, request):
        return request.user.has_perm("supplements.add_foodentry")

    @admin.action(description="Feature the selected USDA food on the site (a draft)", permissions=["feature"])
    def feature_selected(self, request, queryset):
        foods = list(queryset[:2])
        if len(foods) != 1:
            self.message_user(request, "Select one food to feature: each gets its own serving.", messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:supplements_usdafood_feature", args=[foods[0].pk]))

    def get_urls(self):
        feature = self.admin_site.admin_view(self.feature_view)
        return [path("<path:object_id>/feature/", feature, name="supplements_usdafood_feature"), *super().get_urls()]

    def feature_view(self, request, object_id):
        """Feature this USDA food on the site: a draft food entry with the chosen measure as its
        serving, for the editor to check and publish. USDA's row is not changed."""
        if not self.has_feature_permission(request):
            raise PermissionDenied
        food = get_object_or_404(USDAFood.objects.select_related("group"), pk=id_or_404(USDAFood, object_id))
        form = FeatureUSDAFoodForm(request.POST or None, food=food)
        if request.method == "POST" and form.is_valid():
            chosen = form.cleaned_data
            entry = food.draft_entry(chosen["measure"], chosen["group"], chosen["name"])
            if FoodEntry.objects.filter(slug=entry.slug).exists():
                entry.slug = f"{entry.slug[:140]}-{food.ndb_number}"
            try:
                entry.full_clean()
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                entry.save()
                self.log_addition(request, entry, [{"added": {}}])
                self.message_user(
                    request,
                    f"“{entry.name}” was saved as a draft from {food.citation}. Check its figures, source and "
                    "group, then publish it.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:supplements_foodentry_change", args=[entry.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "food": food,
            "form": form,
            "title": f"Feature {food.description}",
        }
        return TemplateResponse(request, "admin/supplements/usdafood/feature.html", context)

    def get_search_results(self, request, queryset, search_term):
        foods, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit() and len(term) < 5:  # "1001" is NDB 01001
            foods |= queryset.filter(ndb_number=term.zfill(5))
        return foods, may_have_duplicates

    @admin.display(description="mg / 100 g", ordering="magnesium_per_100g")
    def mg_per_100g_display(self, food):
        return plain(food.magnesium_per_100g)

    @admin.display(description="kcal / 100 g", ordering="kcal_per_100g")
    def kcal_display(self, food):
        return "–" if food.kcal_per_100g is None else plain(food.kcal_per_100g)

    @admin.display(description="mg / 100 kcal", ordering="mg_per_100kcal")
    def per_100kcal_display(self, food):
        return "–" if food.mg_per_100kcal is None else plain(food.mg_per_100kcal)

    @admin.display(description="analyses", ordering="analyses")
    def analyses_display(self, food):
        return food.analyses or food.solidity  # none counted: how USDA obtained it instead

    @admin.display(description="featured", boolean=True, ordering="is_featured")
    def featured_display(self, food):
        return food.is_featured

    @admin.display(description="citation")
    def citation_display(self, food):
        return f"{food.citation}. {USDA_SR28_CITATION}"

    @admin.display(description="how the value was obtained")
    def provenance_display(self, food):
        return food.provenance_text

    @admin.display(description="featured as")
    def featured_entries_display(self, food):
        entries = list(food.featured_entries.all())
        if not entries:
            return "Not featured: no curated food links to this one."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:supplements_foodentry_change", args=[entry.pk]), entry.name) for entry in entries),
        )


@admin.register(USDAFoodGroup)
class USDAFoodGroupAdmin(ReadOnly, FoodCountAdmin):
    list_display = ["name", "code", "slug", "food_count"]
    search_fields = ["name"]
