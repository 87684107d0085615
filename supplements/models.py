import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from site_project.models import (
    MarkdownBody,
    Publishable,
    PublishableQuerySet,
    Reviewable,
    ReviewableQuerySet,
    Status,
    choice_field,
    optional_text,
    published_at_field,
    rank_of,
    sentence_choices,
    status_field,
    unique_slug_field,
)
from site_project.references import CitedReference, in_reading_order, superseded_by_field

# The US label Daily Value for magnesium, from supplements/data/intake_reference.csv (its DV row).
# %DV everywhere on the site is computed against this one figure; pages cite DAILY_VALUE_SOURCE.
DAILY_VALUE_MG = 420
DAILY_VALUE_SOURCE = (
    "US FDA, Food Labeling: Revision of the Nutrition and Supplement Facts Labels, final rule, "
    "81 FR 33742 (2016); 21 CFR 101.9(c)(8)(iv). The earlier Daily Value was 400 mg, so older "
    "labels' % Daily Value figures use 400."
)

# No food in the USDA database has more than this per 100 g (hemp seeds are about 700),
# so a larger figure is a typing error, not a discovery.
MAX_MG_PER_100G = 1000


class FoodGroup(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in links: /foods/?group=<slug>.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first in the filter list.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class FoodEntryQuerySet(PublishableQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """A bulk insert (the seed, simple-history's bulk_create_with_history) skips save(), so the
        stored per-100 g figure is filled here too."""
        objs = list(objs)
        for food in objs:
            food.fill_per_100g()
        return super().bulk_create(objs, *args, **kwargs)

    def listed(self):
        """What a row of /foods/ shows beside the food's own fields, joined in the same query
        (cheaper than a related object per row): its group's name, and its USDA entry's NDB number,
        number of analyses and source code (`usda_ndb`, `usda_analyses`, `usda_source`; None without an
        entry), which the row words as how solid USDA's own value is ("USDA's own entry (NDB 12016: 550 mg
        per 100 g): 2 analyses": the analyses are behind USDA's figure, not the curated one the row shows)."""
        return self.annotate(
            group_name=F("group__name"),
            usda_ndb=F("usda_food__ndb_number"),
            usda_mg_per_100g=F("usda_food__magnesium_per_100g"),
            usda_analyses=F("usda_food__analyses"),
            usda_source=F("usda_food__source_code__code"),
        )

    def matching(self, query):
        """Foods whose name has a word starting with each word of `query`, words as USDA's search
        has them (search_text(): letters and digits, so "alm" finds "Almonds" but not "Salmon", and
        "wheat" finds "whole-wheat"). A regular expression: SQLite's (Django's own function) and
        PostgreSQL's read `(^|[^a-zA-Z0-9])word` alike, and each word is letters and digits only."""
        foods = self
        for word in search_text(query).split():
            foods = foods.filter(name__iregex=rf"(^|[^a-zA-Z0-9]){word}")
        return foods

    # The stored column each basis reads: indexed for "most magnesium first" (per 100 kcal is
    # the linked USDA entry's stored figure, so a food without a link has none).
    AMOUNT_COLUMNS = {"serving": "magnesium_mg", "100g": "mg_per_100g", "100kcal": "usda_food__mg_per_100kcal"}

    def with_amounts(self, basis="serving"):
        """Annotate `amount`, the mg per serving, per 100 g or per 100 kcal as `basis` says, so the
        table can be filtered and sorted on it. Per serving and per 100 g it is a stored, indexed
        column (`magnesium_mg` or `mg_per_100g`), so the default sort (most magnesium first) reads
        an index instead of sorting every food; per 100 kcal it is the linked USDA entry's stored
        figure, empty (NULL: sorted last, never counted by a minimum) without a link or energy.
        The table's figures derived from it (`amount_whole`, ...) are properties."""
        foods = self.annotate(amount=F(self.AMOUNT_COLUMNS.get(basis, "magnesium_mg")))
        if basis == "100kcal":  # the figures its source note gives
            foods = foods.annotate(
                usda_kcal_per_100g=F("usda_food__kcal_per_100g"),
            )
        return foods

    def sorted_by(self, sort="mg", basis="serving"):
        """The list's orders: most magnesium first (empty amounts last), name, or food group."""
        most = F("amount").desc(nulls_last=True) if basis == "100kcal" else "-amount"
        order = {"mg": [most, "name"], "name": ["name", "id"], "group": ["group__order", most, "name"]}
        return self.order_by(*order.get(sort, order["mg"]))


def optional_decimal(label, max_digits, decimal_places, **options):
    """A figure that may be missing (empty in the admin, NULL in the database)."""
    return models.DecimalField(
        label, max_digits=max_digits, decimal_places=decimal_places, null=True, blank=True, **options
    )


def plain(value):
    """A Decimal as the source writes it, without trailing zeros or exponent: 60.30 -> "60.3", 1E+2 -> "100"."""
    return f"{value.normalize():f}"


def elemental_percent_text(value):
    """An elemental % with the reference's precision: at least one decimal (12.0, 60.3), more if given (14.15)."""
    value = Decimal(value).normalize()
    if value.as_tuple().exponent > -1:
        value = value.quantize(Decimal("0.1"))
    return f"{value:f}"  # not plain(): that would drop the ".0" kept on purpose


def whole(value):
    """Round to a whole number the way a reader does: 2.5 -> 3."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def grams_for_100kcal(kcal_per_100g):
    """How many grams of a food give 100 kcal, as text with thousands separators ("1,111"), or None where
    the energy is 0 or not given. Shown beside a per-100-kcal figure: that basis favours foods with few
    calories (100 kcal of espresso, 9 kcal per 100 g in SR28, is 1,111 g), and the weight says so."""
    if not kcal_per_100g:
        return None
    return f"{whole(Decimal(10000) / Decimal(kcal_per_100g)):,}"


def per_100g_from_serving(magnesium_mg, serving_grams):
    """Magnesium per 100 g worked out from a serving, to 0.01 mg (half up); None while a form is
    being filled in with a missing or invalid amount."""
    if not serving_grams or magnesium_mg is None:
        return None
    return (magnesium_mg * 100 / serving_grams).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_of_daily_value(mg):
    """Magnesium as a % of the label Daily Value (unrounded); None for no amount."""
    return None if mg is None else mg * 100 / DAILY_VALUE_MG


def derived(function, field):
    """A read-only property that is one function of one field: `mg_text = derived(plain, "magnesium_mg")`
    is the @property returning `plain(self.magnesium_mg)`. The figures a food and a dose show are
    listed this way, one line each: what is shown, from which field, by which rule."""
    return property(lambda item: function(getattr(item, field)))


class FoodEntry(Publishable, Reviewable):
    name = models.CharField(max_length=150, help_text='As a shopper would say it, e.g. "Almonds, dry roasted".')
    slug = models.SlugField(max_length=160, unique=True)
    group = models.ForeignKey(FoodGroup, on_delete=models.PROTECT, related_name="foods")
    serving = models.CharField(max_length=80, help_text='The serving in household measures, e.g. "1/2 cup, boiled".')
    serving_grams = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="A serving must weigh more than 0 g.")],
        help_text="Weight of that serving in grams.",
    )
    magnesium_mg = models.DecimalField(
        "magnesium (mg per serving)",
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0), message="Magnesium cannot be negative.")],
        help_text="Milligrams of magnesium in one serving, from the source below.",
    )
    magnesium_per_100g = optional_decimal(
        "magnesium (mg per 100 g)",
        7,
        1,
        validators=[
            MinValueValidator(Decimal(0), message="Magnesium cannot be negative."),
            MaxValueValidator(
                Decimal(MAX_MG_PER_100G), message=f"No food has more than {MAX_MG_PER_100G} mg per 100 g."
            ),
        ],
        help_text=(
            "As the source gives it (often USDA's figure, which may differ by a few mg from the serving's). "
            "Leave blank if the source gives none: the site then works it out from the serving and says so."
        ),
    )
    source = models.TextField(help_text="Where the figures come from: table, database and item number.")
    source_url = models.URLField(blank=True, max_length=300)
    notes = models.TextField(blank=True)
    usda_food = models.ForeignKey(
        "USDAFood",
        verbose_name="USDA SR28 entry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="featured_entries",
        help_text=(
            "The USDA food this entry's source names (its NDB number). Filled in by the USDA import "
            "from the source text; this entry keeps its own figures and source."
        ),
    )
    # Stored by fill_per_100g() on every save and bulk insert, so the
    # per-100 g table can filter and sort in SQL with an index; never edited by hand.
    mg_per_100g = models.DecimalField(
        "magnesium (mg per 100 g) shown",
        max_digits=10,
        decimal_places=2,
        editable=False,
        help_text="The source's per-100 g figure, else one worked out from the serving (to 0.01 mg).",
    )
    mg_per_100g_worked_out = models.BooleanField(
        "per 100 g worked out from the serving",
        default=False,
        editable=False,
        help_text="True when the source gives no per-100 g figure and the site worked it out.",
    )
    # A new food is public unless saved as a draft, also when inserted in bulk (seed, imports).
    status = status_field(default=Status.PUBLISHED)
    published_at = published_at_field(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = FoodEntryQuerySet.as_manager()

    link_check_fields = ["source_url", "source"]  # checked by manage.py check_references

    class Meta:
        ordering = ["-magnesium_mg", "name"]
        # The table's two plain sorts, so a page of 25 reads 25 index entries, not every food.
        indexes = [
            models.Index(fields=["-magnesium_mg", "name"], name="food_mg_desc_name"),
            models.Index(fields=["name", "id"], name="food_name_id"),
            models.Index(fields=["-mg_per_100g", "name"], name="food_mg100g_desc_name"),
        ]
        verbose_name = "food entry"
        verbose_name_plural = "food entries"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "name"],
                name="unique_food_name_per_group",
                violation_error_message="This group already has a food with that name.",
            ),
        ]

    def __str__(self):
        return self.name

    def fill_per_100g(self):
        """Store `mg_per_100g`: the source's own figure, else one worked out from the serving.
        The one place that rule is written; save() and the queryset's bulk_create() call it."""
        self.mg_per_100g_worked_out = self.magnesium_per_100g is None
        if self.mg_per_100g_worked_out:
            self.mg_per_100g = per_100g_from_serving(self.magnesium_mg, self.serving_grams)
        else:
            self.mg_per_100g = self.magnesium_per_100g

    def save(self, *args, **kwargs):
        self.fill_per_100g()
        if (fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*fields, "mg_per_100g", "mg_per_100g_worked_out"}
        super().save(*args, **kwargs)

    # The food's own figures, as its source note and the article's food list show them.
    grams_text = derived(plain, "serving_grams")  # the serving's weight as the source gives it: 28.35, 90
    mg_text = derived(plain, "magnesium_mg")  # magnesium per serving as the source gives it
    serving_percent_dv = derived(percent_of_daily_value, "magnesium_mg")  # one serving's % Daily Value, unrounded

    @property
    def per_100g_text(self):
        """The per-100 g figure for the source note: the source's own, or how it was worked out."""
        if self.mg_per_100g_worked_out:
            return f"{whole(self.mg_per_100g)} mg, worked out from {self.mg_text} mg in {self.grams_text} g"
        return f"{plain(self.mg_per_100g)} mg, as the source gives it"

    # The table's figures, from `amount` (FoodEntryQuerySet.with_amounts(): per serving or per
    # 100 g). Rounded here, not in SQL or a template filter: the cheapest place, the same on
    # every database.
    amount_percent_dv = derived(percent_of_daily_value, "amount")
    amount_whole = derived(whole, "amount")
    dv_whole = derived(whole, "amount_percent_dv")  # the amount's % Daily Value, rounded as the table shows it

    @property
    def dv_bar(self):
        """The %DV bar's width, 0-100 (a food above 100% fills it)."""
        return min(self.dv_whole, 100)

    def clean(self):
        super().clean()
        # The source's per-100 g figure has its own validator; this checks the serving's.
        per_100g = per_100g_from_serving(self.magnesium_mg, self.serving_grams)
        if per_100g is not None and per_100g > MAX_MG_PER_100G:
            raise ValidationError(
                {
                    "magnesium_mg": (
                        f"That is {per_100g:.0f} mg per 100 g; no food has more than "
                        f"{MAX_MG_PER_100G} mg per 100 g. Check the serving grams and the milligrams."
                    )
                }
            )


@receiver(pre_save, sender=FoodEntry)
def fill_per_100g_of_loaded_food(sender, instance, raw, **kwargs):
    """loaddata (manage.py import_content) saves rows raw, past save(): a backup made before the
    per-100 g figure was stored has none, so it is filled here."""
    if raw and instance.mg_per_100g is None:
        instance.fill_per_100g()


# --- Supplement forms and intake references (issue 5) ---------------------------------------

# Addresses under /supplements/ that belong to pages, so no form may take them as its slug.
RESERVED_FORM_SLUGS = {"safety", "calculator", "medicines"}

# Absorption from best to least established, for sorting the comparison by absorption.
ABSORPTION_RANK = {"high": 0, "moderate": 1, "low": 2, "not_established": 3}


class SupplementUse(models.Model):
    """An editable tag for what a supplement form is used or marketed for."""

    name = models.CharField(max_length=80, unique=True, help_text='Short, as a reader would say it, e.g. "Antacid".')
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in links: /supplements/?use=<slug>. Changing it breaks links already shared.",
    )
    condition = models.ForeignKey(
        "articles.Condition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supplement_uses",
        help_text="Only for a tag that makes a health claim: the condition whose evidence page the tag links to "
        "(/evidence/<condition>/). Leave empty for a tag that is not a health claim.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SupplementFormQuerySet(PublishableQuerySet):
    def with_absorption_rank(self):
        """Annotate `absorption_rank` (0 = high ... 3 = not established) so SQL can sort on it."""
        return self.annotate(absorption_rank=rank_of("absorption", ABSORPTION_RANK, default=len(ABSORPTION_RANK)))

    def filter_by(self, absorption=(), laxative=(), use=None):
        """Forms matching every filter given: any of the absorption levels, any of the laxative
        effects, and tagged with the use (a SupplementUse or its slug)."""
        forms = self
        if absorption:
            forms = forms.filter(absorption__in=absorption)
        if laxative:
            forms = forms.filter(laxative_effect__in=laxative)
        if use:
            forms = forms.filter(uses__slug=getattr(use, "slug", use))
        return forms

    def sorted_by(self, sort="elemental"):
        """elemental: most magnesium per mg first; absorption: best absorbed first; name: A to Z."""
        if sort == "absorption":
            return self.with_absorption_rank().order_by("absorption_rank", "-elemental_percent", "name")
        if sort == "name":
            # Case-insensitive, so "Magnesium L-threonate" sits between "lactate" and "malate".
            return self.order_by(models.Func("name", function="LOWER", output_field=models.CharField()), "name")
        return self.order_by("-elemental_percent", "name")


class SupplementForm(MarkdownBody, Publishable, Reviewable):
    Absorption = sentence_choices("Absorption", "high", "moderate", "low", "not_established")
    Laxative = sentence_choices(
        "Laxative",
        *("strong", "moderate", "mild", "not_documented"),
        labels={"not_documented": "Not well documented"},  # the sources' own words
    )

    name = models.CharField(max_length=100, unique=True, help_text='e.g. "Magnesium citrate".')
    slug = unique_slug_field(
        100,
        "The page's address: /supplements/<slug>/. Changing it breaks links already shared.",
        "supplement form",
    )
    compound = models.CharField(
        max_length=150, help_text="The exact compound the figures are for, including hydrate, e.g. 'hexahydrate'."
    )
    formula = optional_text(60)
    molar_mass = models.DecimalField("molar mass (g/mol)", max_digits=8, decimal_places=2, null=True, blank=True)
    elemental_percent = models.DecimalField(
        "elemental magnesium (%)",
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal(0), message="Elemental magnesium must be between 0 and 100 %%."),
            MaxValueValidator(Decimal(100), message="Elemental magnesium must be between 0 and 100 %%."),
        ],
        help_text="Share of the compound's weight that is magnesium, for the compound named above (0 to 100).",
    )
    absorption = choice_field(Absorption, 20, "The category used by the filters and the sort.")
    absorption_note = optional_text(
        300, "How the source words it, e.g. 'moderate to high (limited human data)'. Shown beside the category."
    )
    laxative_effect = choice_field(Laxative, 20)
    uses = models.ManyToManyField(
        SupplementUse, blank=True, related_name="forms", help_text="Tags for what the form is used or sold for."
    )
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown. Use ## for section headings.")
    cautions = models.TextField(blank=True, help_text="Plain text shown in a warning box on the form's page.")
    example_compound_mg = models.PositiveSmallIntegerField(
        "worked example: compound per pill (mg)",
        default=500,
        validators=[
            MinValueValidator(1, message="The worked example needs at least 1 mg of the compound."),
            MaxValueValidator(5000, message="Keep the worked example at 5,000 mg of the compound or less."),
        ],
        help_text="The pill size used for the worked example on the form's page (an illustration, not advice).",
    )
    # A new form is public unless saved as a draft.
    status = status_field(default=Status.PUBLISHED)
    published_at = published_at_field(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[uses])

    objects = SupplementFormQuerySet.as_manager()

    class Meta:
        ordering = ["-elemental_percent", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supplements:detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.slug in RESERVED_FORM_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is the address of another page on the site. Choose a different slug."}
            )

    def elemental_mg(self, compound_mg):
        """Milligrams of magnesium in `compound_mg` milligrams of this compound (unrounded)."""
        return Decimal(compound_mg) * self.elemental_percent / 100

    # The elemental % with the reference's precision: 12.00 -> "12.0", 60.30 -> "60.3", 14.15 -> "14.15".
    percent_text = derived(elemental_percent_text, "elemental_percent")

    @property
    def absorption_note_differs(self):
        """The source's wording says more than the category (shown beside it on the list and the form's page)."""
        return bool(self.absorption_note) and self.absorption_note.lower() != self.get_absorption_display().lower()

    @property
    def references_in_reading_order(self):
        """The references as the page lists them: a superseded one right after its newer one."""
        return in_reading_order(self.references.all())

    @property
    def example_elemental_mg(self):
        return self.elemental_mg(self.example_compound_mg)

    @property
    def chart_width(self):
        """Whole-number width (0-100) of this form's bar: elemental mg per 100 mg of compound."""
        return max(0, min(100, round(self.elemental_percent)))


class SupplementReference(CitedReference):
    form = models.ForeignKey(SupplementForm, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveSmallIntegerField(default=0, help_text="References are listed in this order.")
    superseded_by = superseded_by_field("form")

    link_check_fields = ["url"]  # checked by manage.py check_references
    link_check_parent = "form"
    parent_name = "supplement form"


class IntakeReference(Reviewable):
    """Recommended intake (RDA or AI) and Upper Level for one life stage. Reviewed like the site's other
    content (author, medical reviewer, review interval): the safety page and the calculator show its dates."""

    Sex = sentence_choices("Sex", "all", "female", "male")

    class Metric(models.TextChoices):
        RDA = "RDA", "Recommended Dietary Allowance"
        AI = "AI", "Adequate Intake"

    life_stage = models.CharField(max_length=40, help_text="e.g. infants, children, adults, pregnancy.")
    age_range = models.CharField(max_length=40, help_text='As the source gives it, e.g. "19-30 years".')
    sex = choice_field(Sex, 10, default=Sex.ALL)
    metric = choice_field(Metric, 3, default=Metric.RDA)
    recommended_mg = models.PositiveSmallIntegerField("RDA or AI (mg/day)")
    notes = optional_text(200, 'e.g. "Adequate Intake (no RDA set)".')
    upper_level_mg = models.PositiveSmallIntegerField(
        "Upper Level (mg/day)",
        null=True,
        blank=True,
        help_text="Upper Level for magnesium from supplements and medicines only; empty where none is set.",
    )
    upper_level_ages = optional_text(
        40,
        'The age band the source gives the Upper Level for, e.g. "9 years and older".',
        verbose_name="Upper Level set for ages",
    )
    upper_level_note = optional_text(200, 'e.g. "Does not include food magnesium; set to avoid diarrhea".')
    upper_level_source = models.TextField(blank=True, help_text="Where the Upper Level comes from.")
    order = models.PositiveSmallIntegerField(default=0)
    source = models.TextField(help_text="Where the RDA or AI comes from.")
    history = HistoricalRecords()

    objects = ReviewableQuerySet.as_manager()

    link_check_fields = ["source", "upper_level_source"]  # the links in them, for manage.py check_references

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["life_stage", "age_range", "sex"],
                name="unique_intake_life_stage_age_sex",
                violation_error_message="There is already a row for this life stage, age range and sex.",
            ),
        ]

    def __str__(self):
        return f"{self.life_stage}, {self.age_range}, {self.get_sex_display()}"

    @property
    def key(self):
        """A readable, stable value for links and forms, e.g. "adults-31-50-years-female"."""
        return slugify(f"{self.life_stage} {self.age_range} {self.sex}")

    @property
    def label(self):
        who = "" if self.sex == self.Sex.ALL else f", {self.get_sex_display().lower()}"
        return f"{self.life_stage.capitalize()}, {self.age_range}{who}"

    # Life stages as intake_reference.csv names them ("group" column).
    PREGNANCY_STAGES = ("pregnancy", "lactation")
    CHILD_STAGES = ("children", "adolescents")

    @property
    def is_pregnancy_or_breastfeeding(self):
        return self.life_stage.lower() in self.PREGNANCY_STAGES

    @property
    def is_child(self):
        """Ages 1 to 18 (children and adolescents); infants have their own notice."""
        return self.life_stage.lower() in self.CHILD_STAGES


def upper_levels_by_age(intakes):
    """The Upper Level table: one intake row per age band the Upper Level is set for, in order.
    Each row's upper_level_ages, upper_level_mg, upper_level_note and upper_level_source describe it."""
    bands = {}
    for intake in intakes:
        bands.setdefault(intake.upper_level_ages, intake)
    return list(bands.values())


# --- Medicines: one row per medicine, with its own spacing from magnesium (issue 12) -------------
# What a reader looks up: one medicine, its gap from magnesium in hours, and what to ask for. It
# replaced the one-line-per-class Interaction model (issue 5), whose "separate doses" was too vague.


def hours_text(hours):
    """0.5 -> "30 min", 2 -> "2 h", 2.5 -> "2.5 h": as the source gives it, never rounded."""
    if hours < 1:
        return f"{plain(hours * 60)} min"
    return f"{plain(hours)} h"


class MedicineQuerySet(PublishableQuerySet):
    pass


# A link's note after "Sources differ:" where the data gives none; a note the data gives says how that source was
# read (the NIH ODS fact sheet was not read for this site: its timings are quoted as interactions.md cites them).
DIFFERING_SOURCE_NOTE = "the source of a timing after “Sources differ”"
# A differing source that is already one of the medicine's own sources is listed once, as its own, with this note.
ALSO_DIFFERING_SOURCE_NOTE = "also the source of a timing after “Sources differ”"
ASK_WHICH_GAP = "Ask your pharmacist which gap to keep."
ODS_FACT_SHEET = "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"
ADDRESS_RE = re.compile(r"(https?://[^\s;]+)(?:\s*\(([^()]*)\))?")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def addresses(text):
    """[(address, note)]: each web address in `text` ("address (note); address; ..."), with the note in brackets
    right after it, if any."""
    return [(address, note.strip()) for address, note in ADDRESS_RE.findall(text)]


class Medicine(Publishable, Reviewable):
    """A medicine whose absorption or effect magnesium changes, or that changes the body's
    magnesium level; seeded from supplements/data/interactions_detail.csv."""

    class Severity(models.TextChoices):
        MAJOR = "major", "Major"
        MODERATE = "moderate", "Moderate"
        NOT_GRADED = "", "Not graded by the sources"

    hours_validators = [
        MinValueValidator(Decimal(0), message="Hours must be 0 or more."),
        MaxValueValidator(Decimal(48), message="Hours must be 48 or fewer; check the source."),
    ]

    slug = unique_slug_field(
        60,
        "Used in links: /supplements/medicines/?medicine=<slug>. Changing it breaks links readers saved.",
        "medicine",
    )
    name = models.CharField(max_length=120, help_text='As a reader would look for it, e.g. "ciprofloxacin".')
    examples = optional_text(300, "Brand or member names, separated by semicolons, e.g. “Cipro”.")
    medicine_class = models.CharField(
        "class", max_length=120, help_text='What kind of medicine it is, e.g. "fluoroquinolone antibiotic".'
    )
    effect = models.TextField("what happens", help_text="What magnesium does to the medicine, as the source says.")
    severity = choice_field(
        Severity,
        10,
        blank=True,
        help_text="The grade the source gives the interaction. Leave “not graded” when no source grades it.",
    )
    what_to_do = models.TextField(
        help_text="The source's advice in plain words. Keep every “do not” exactly as the source says it."
    )
    hours_before = optional_decimal(
        "medicine at least … hours before magnesium",
        4,
        1,
        validators=hours_validators,
        help_text="Take the medicine at least this many hours before magnesium (0.5 = 30 minutes). Empty if none.",
    )
    hours_after = optional_decimal(
        "medicine at least … hours after magnesium",
        4,
        1,
        validators=hours_validators,
        help_text="Take the medicine at least this many hours after magnesium. Empty if none.",
    )
    do_not_combine_with = optional_text(
        150,
        "Only when the source says not to combine them at all, even spaced apart: what not to combine "
        "it with, e.g. “magnesium/aluminium antacids”. The timetable then says “do not combine [name] with …; "
        "ask [who to ask] before taking any magnesium supplement” and gives no hours.",
    )
    ask_whom = models.CharField(
        "who to ask",
        max_length=60,
        default="your prescriber",
        help_text="For a medicine not to be combined with magnesium: whom the source says to ask, e.g. "
        "“your HIV team”. The timetable says “ask … before taking any magnesium supplement”.",
    )
    timing_words = optional_text(
        200,
        "Only when the hours alone would mislead: the short line's timing in the source's words, "
        "shown after “take [name]” instead of “at least … magnesium”, e.g. “at a different time of day from "
        "magnesium”. "
        "Keep it consistent with the hours and with what to do.",
        verbose_name="timing in the source's words",
    )
    hours_range = optional_text(
        60,
        "Only where the source gives a range: the range in its words, e.g. “2 to 4 hours”. Enter its lower "
        "figure in the hours above; the short line shows both (“… 2 h after magnesium (the source says 2 to 4 "
        "hours)”), so the lower figure is never read as the whole instruction.",
        verbose_name="the source's range",
    )
    sources_differ = models.TextField(
        blank=True,
        help_text="Only where another source gives a different timing that readers must also see: that source "
        "and its timing in one sentence, every figure as the source gives it, e.g. “The NIH Office of Dietary "
        "Supplements' magnesium fact sheet says to take the antibiotic at least 2 h before or 4-6 h after "
        "magnesium.” The short line shows it after “Sources differ:” and then says once “Ask your pharmacist which "
        "gap to keep.”",
    )
    sources_differ_links = models.TextField(
        "differing sources' links",
        blank=True,
        help_text="The address of every source named above, separated by “; ”, each with a note in brackets saying "
        "how it was read, e.g. “https://… (quoted as our reference notes cite it; not read for this site)”. An "
        "address that is already one of this medicine's sources is listed once, as its own.",
    )
    label_read_on = optional_text(
        150,
        "Only when the timing comes from a non-US product's label or a non-US copy of a label: which label, "
        "where, e.g. “the Gabtin (gabapentin) label, MIMS Thailand”. The short line then says that spacing for "
        "US products can differ and to ask your pharmacist.",
        verbose_name="non-US label read",
    )
    magnesium_test = models.BooleanField(
        "ask about a blood magnesium test",
        default=False,
        help_text="Tick when the medicine changes the body's magnesium level and the source advises checking it.",
    )
    monitoring = models.TextField(blank=True, help_text="What the source says to check or watch for, if anything.")
    source = models.TextField(help_text="Full citations, as readers should see them.")
    url = models.URLField("source link", max_length=300, help_text="The main source's address.")
    read_via = models.TextField(
        "more links",
        blank=True,
        help_text="Further addresses, separated by “; ”. A note in brackets after an address is shown with it.",
    )
    accessed = models.DateField(help_text="When the sources were last read.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    link_check_fields = ["url", "read_via", "source", "sources_differ_links"]  # checked by manage.py check_references

    objects = MedicineQuerySet.as_manager()

    class Meta:
        # Case-insensitive A to Z, so "EGF-receptor antibodies" sits among the e's.
        ordering = [Lower("name"), "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.do_not_combine_with and (self.hours_before is not None or self.hours_after is not None):
            message = "A medicine that must not be combined with magnesium has no hours: leave this empty."
            raise ValidationError(
                {field: message for field in ("hours_before", "hours_after") if getattr(self, field) is not None}
            )

    @property
    def has_hours(self):
        return self.hours_before is not None or self.hours_after is not None

    @property
    def spacing(self):
        """ "at least 2 h before or 6 h after magnesium", with the source's range where it gives one
        ("... 2 h after magnesium (the source says 2 to 4 hours)"), or "" when the source gives no hours."""
        before = f"{hours_text(self.hours_before)} before" if self.hours_before is not None else ""
        after = f"{hours_text(self.hours_after)} after" if self.hours_after is not None else ""
        if not (before or after):
            return ""
        line = f"at least {' or '.join(part for part in (before, after) if part)} magnesium"
        return f"{line} (the source says {self.hours_range})" if self.hours_range else line

    @property
    def do_not_sentences(self):
        """The sentences of what to do that say "do not", as the source words them: a short line never
        drops them (the PPI's "Do not stop a prescribed PPI on your own.")."""
        sentences = SENTENCE_END_RE.split(self.what_to_do.strip())
        return [sentence for sentence in sentences if re.search(r"\bdo not\b", sentence, re.I)]

    @property
    def caveats(self):
        """What the short line adds after its instruction, each a sentence: where another source's timing
        differs, and where the timing comes from a non-US label; "ask your pharmacist" said once."""
        caveats = []
        differ = self.sources_differ.strip()
        if differ:
            caveats.append(
                f"Sources differ: {differ}" if differ.endswith((".", "!", "?")) else f"Sources differ: {differ}."
            )
        if self.label_read_on:
            label = f"This timing comes from a non-US label: {self.label_read_on.strip().rstrip('.')}."
            if differ:  # the ask that follows the differing timing covers both
                caveats.append(f"{label} Spacing for US products can differ.")
            else:
                caveats.append(f"{label} Spacing for US products can differ: ask your pharmacist.")
        if differ and "ask your pharmacist" not in differ.lower():
            caveats.append(ASK_WHICH_GAP)
        return caveats

    @property
    def timetable(self):
        """The timetable line after the medicine's name, from the fields above, naming what is taken when
        ("take erlotinib at least 2 h before or 4 h after magnesium"); any "do not" sentence of what to do
        follows it, word for word, then the caveats."""
        if self.do_not_combine_with:
            line = (
                f"do not combine {self.name} with {self.do_not_combine_with}; "
                f"ask {self.ask_whom} before taking any magnesium supplement"
            )
        else:
            timing = self.timing_words or self.spacing
            parts = [f"take {self.name} {timing}"] if timing else []
            if self.magnesium_test:
                parts.append("ask about a blood magnesium test")
            if not parts:
                line = "no time given by the sources; " + self.what_to_do[:1].lower() + self.what_to_do[1:]
                return " ".join([line, *self.caveats])  # what to do is already there in full
            line = "; ".join(parts)
        sentences = [*self.do_not_sentences, *self.caveats]
        return f"{line}. {' '.join(sentences)}" if sentences else line

    # The page's groups, in this order, when no medicine is ticked.
    GROUPS = [
        ("do-not-combine", "Do not combine with magnesium"),
        ("spacing", "Keep apart from magnesium by a number of hours"),
        ("level", "Change the body’s magnesium level: ask about a blood test"),
        ("ask", "Ask the prescriber first"),
    ]

    # The timetable's label for each group: what to do, in words (not colour alone).
    GROUP_LABELS = {
        "do-not-combine": "Do not combine",
        "spacing": "Keep apart",
        "level": "Ask about a blood magnesium test",
        "ask": "Ask the prescriber",
    }

    @property
    def group_label(self):
        return self.GROUP_LABELS[self.group]

    @property
    def timetable_entry(self):
        """(the label, the rest) of the timetable's entry: "Keep apart", ": take ...". Where the line starts with
        the label's own words ("do not combine raltegravir with ..."), those words are the label, said once."""
        label, line = self.group_label, self.timetable
        if line.lower().startswith(label.lower()):
            return label, line[len(label) :]
        return label, f": {line}"

    @property
    def short_line_says_what_to_do(self):
        """Whether the short line already has every sentence of what to do, word for word (mycophenolate's one "do
        not" sentence): the card then shows it once."""
        line = self.timetable.lower()
        return all(sentence.lower() in line for sentence in SENTENCE_END_RE.split(self.what_to_do.strip()))

    @property
    def group_rank(self):
        """0 for "do not combine" ... 3 for "ask the prescriber": the timetable's order."""
        return [key for key, _label in self.GROUPS].index(self.group)

    @property
    def group(self):
        if self.do_not_combine_with:
            return "do-not-combine"
        if self.has_hours:
            return "spacing"
        return "level" if self.magnesium_test else "ask"

    @property
    def own_links(self):
        """[(url, note)]: the source link, then each of `read_via` with its bracketed note if any; a link that is also
        a differing source's says so."""
        differing = {address for address, _note in addresses(self.sources_differ_links)}
        own = ([(self.url, "")] if self.url else []) + addresses(self.read_via)
        return [
            (url, "; ".join(filter(None, [note, ALSO_DIFFERING_SOURCE_NOTE])) if url in differing else note)
            for url, note in own
        ]

    @property
    def differing_links(self):
        """[(url, note)]: the links of the sources whose timing differs, except those already among the medicine's
        own (listed once, as its own), each with its note."""
        own = {self.url, *(address for address, _note in addresses(self.read_via))}
        return [
            (url, note or DIFFERING_SOURCE_NOTE)
            for url, note in addresses(self.sources_differ_links)
            if url not in own
        ]

    @property
    def links(self):
        """[(url, note)]: the medicine's own links, then the differing sources' links not already among them."""
        return self.own_links + self.differing_links

    @property
    def example_list(self):
        return [example.strip() for example in self.examples.split(";") if example.strip()]


# --- USDA SR28: every food USDA measured for magnesium (issue 15) ----------------------------------
# Imported from USDA's own files by `manage.py import_usda_sr28` (supplements/usda_sr28.py), never
# edited by hand: a re-import rewrites every field below that comes from USDA. Derived values the
# food list sorts and filters by (per serving, per 100 kcal, search text) are stored by the import.

USDA_SR28_CITATION = (
    "U.S. Department of Agriculture, Agricultural Research Service. 2015. USDA National Nutrient "
    "Database for Standard Reference, Release 28. Nutrient Data Laboratory Home Page, "
    "http://www.ars.usda.gov/nutrientdata"
)


class USDAFoodGroup(models.Model):
    """One of USDA's 25 food groups (FD_GROUP.txt), e.g. 1200 Nut and Seed Products."""

    code = models.CharField(max_length=4, unique=True, help_text="USDA's FdGrp_Cd, e.g. 1200.")
    name = models.CharField(max_length=80, help_text="USDA's FdGrp_Desc, e.g. Nut and Seed Products.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in links, e.g. nut-and-seed-products.")

    class Meta:
        ordering = ["name"]
        verbose_name = "USDA food group"

    def __str__(self):
        return self.name


# How solid a USDA magnesium value is, in a few words. USDA counts the analyses behind a value
# (Num_Data_Pts); where it counts none, its source code (SRC_CD.txt) says how the value was obtained:
# 0 analyses is not "calculated" by itself (cottage cheese, 01016: 0 analyses, source "Analytical or
# derived from analytical"). A code not listed here is analytical data whose analyses USDA did not count.
SOLIDITY_WITHOUT_ANALYSES = {
    "4": "calculated or imputed",
    "5": "from a manufacturer's label claim",
    "7": "assumed zero",
    "8": "calculated from a label",
    "9": "calculated by the manufacturer",
}
ANALYSES_NOT_COUNTED = "analytical, analyses not counted"


def solidity_words(analyses, source_code):
    """How solid a USDA value is: "12 analyses", "1 analysis", else from its source code."""
    if analyses:
        return f"{analyses} analys{'is' if analyses == 1 else 'es'}"
    return SOLIDITY_WITHOUT_ANALYSES.get(source_code, ANALYSES_NOT_COUNTED)


class USDACode(models.Model):
    """A row of SRC_CD.txt or DERIV_CD.txt: how a nutrient value was obtained, in USDA's words."""

    class Kind(models.TextChoices):
        SOURCE = "source", "Source code (SRC_CD)"
        DERIVATION = "derivation", "Derivation code (DERIV_CD)"

    kind = choice_field(Kind, 10)
    code = models.CharField(max_length=4)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = "USDA source or derivation code"
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="unique_usda_code_per_kind")]

    def __str__(self):
        return f"{self.code}: {self.description}"


def search_text(*parts):
    """Lowercase words without accents or punctuation, each preceded by a space, so a search for
    the start of a word is a plain `contains`: " lent" is in " lentils mature seeds", not in
    " gluten free"."""
    text = " ".join(part for part in parts if part)
    if not text.isascii():  # "Entrée" -> "entree"
        text = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in text if not unicodedata.combining(char))
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "".join(f" {word}" for word in words)


class DescNullsLastIndex(models.Index):
    """An index for "largest first, empty values last" (`F(field).desc(nulls_last=True)`).
    SQLite's descending index already keeps NULLs last and refuses the words NULLS LAST in an
    index; PostgreSQL keeps NULLs first unless told, so there the index says NULLS LAST."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            expressions = [
                F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name) for name in self.fields
            ]
            index = models.Index(*expressions, name=self.name, db_tablespace=self.db_tablespace)
            return index.create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class USDAFoodQuerySet(models.QuerySet):
    def matching(self, query):
        """Foods whose description or common name has a word starting with each word of `query`
        ("lent" finds lentils, "pump seed" finds pumpkin seeds, "alm" does not find salmon).

        Read from the word index (USDAFoodWord), one `id IN (...)` a word, so several words must
        all match: the same foods as `search_text LIKE '% lent%'` for each word, without reading
        all 8,050 search texts (twice a page: the count and the rows). Except a one-letter word:
        it starts a word in most foods ("c": 5,374 foods, 8,234 words), and SQLite counted them
        faster by reading every search text (2.3 ms) than by the index (3.7 ms); from two letters
        on the index wins ("co": 1.6 ms against 2.6; "lent": 0.01 ms)."""
        foods = self
        for word in search_text(query).split():
            if len(word) == 1:
                foods = foods.filter(search_text__contains=f" {word}")
            else:
                foods = foods.filter(pk__in=foods_with_word_starting(word))
        return foods

    # The stored column each basis reads (all three indexed for "most magnesium first").
    AMOUNT_COLUMNS = {"serving": "mg_per_serving", "100g": "magnesium_per_100g", "100kcal": "mg_per_100kcal"}

    def listed(self):
        """What a row of /foods/?scope=all shows beside the food's own fields: its group's name,
        joined in the same query. (The list reads the rows as values, with their source and
        derivation descriptions: food_pages.USDA_ROW_CODES; the downloads name theirs too.)"""
        return self.annotate(group_name=F("group__name"))

    def with_amounts(self, basis="serving"):
        """Annotate `amount`: mg per serving (USDA's first household measure), per 100 g or per
        100 kcal, each a stored column; empty (NULL) where a food has no measure or no energy."""
        return self.annotate(amount=F(self.AMOUNT_COLUMNS.get(basis, "mg_per_serving")))

    def searched(self, query):
        """`matching(query)` ranked: foods whose description starts with the words first, then
        those whose first word does, then the other word-start matches (annotated `search_rank`;
        `sorted_by()` orders by it first)."""
        words = search_text(query).split()
        if not words:
            return self
        whens = [models.When(search_text__startswith=" " + " ".join(words), then=0)]
        if len(words) > 1:  # for one word the two tests are the same: rank 0 or 2
            whens.append(models.When(search_text__startswith=f" {words[0]}", then=1))
        return self.matching(query).annotate(
            search_rank=models.Case(*whens, default=2, output_field=models.IntegerField())
        )

    def sorted_by(self, sort="mg", basis="serving"):
        """The list's orders, each served by an index when there is no search: most magnesium
        first (empty amounts last), description, or USDA food group; a search's rank comes first."""
        column = self.AMOUNT_COLUMNS.get(basis, "mg_per_serving")
        # magnesium_per_100g is never empty: a plain descending order reads its plain index.
        most = f"-{column}" if basis == "100g" else F(column).desc(nulls_last=True)
        order = {
            "mg": [most, "description"],
            "name": ["description", "id"],
            "group": ["group__name", most, "description"],
        }
        order = order.get(sort, order["mg"])
        if "search_rank" in self.query.annotations:
            order = ["search_rank", *order]
        return self.order_by(*order)

    def with_featured(self):
        """Annotate `is_featured`: whether a curated food entry links to this USDA food."""
        return self.annotate(is_featured=models.Exists(FoodEntry.objects.filter(usda_food=models.OuterRef("pk"))))


def provenance_words(analyses, standard_error, source_code, source, derivation, reference_ndb_number):
    """USDAFood.provenance_text from its values (the food list reads them without the model)."""
    if analyses:
        parts = [f"{analyses} analys{'is' if analyses == 1 else 'es'}"]
        if standard_error is not None:
            parts[0] += f" (standard error {plain(standard_error)} mg)"
    else:
        parts = [f"no count of analyses ({solidity_words(analyses, source_code)})"]
    parts.append(f"source: {source}")
    if derivation is not None:
        parts.append(f"derivation: {derivation}")
    if reference_ndb_number:
        parts.append(f"worked out from NDB {reference_ndb_number}")
    return "; ".join(parts)


class USDAFood(models.Model):
    """One food of USDA SR28 that has a magnesium value (nutrient 304), with its energy (208).

    Every figure is USDA's, per 100 g of the edible portion. The stored derived values
    (`mg_per_100kcal`, the serving figures, `search_text`) exist so the list can sort, filter and
    search in SQL with an index; they are worked out by the import from the figures beside them."""

    ndb_number = models.CharField(
        "NDB number", max_length=5, unique=True, help_text="USDA's NDB_No, 5 digits with leading zeros."
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The food's address, made from the description and NDB number at the first import and "
        "never changed by a re-import, so links stay valid.",
    )
    description = models.CharField(max_length=200, help_text="USDA's Long_Desc.")
    short_description = optional_text(60, "USDA's Shrt_Desc.")
    common_names = optional_text(100, "USDA's ComName.")
    scientific_name = optional_text(65, "USDA's SciName.")
    group = models.ForeignKey(USDAFoodGroup, on_delete=models.PROTECT, related_name="foods")

    magnesium_per_100g = models.DecimalField(
        "magnesium (mg per 100 g)", max_digits=10, decimal_places=3, help_text="USDA's Nutr_Val for nutrient 304."
    )
    analyses = models.PositiveIntegerField(
        "number of analyses",
        help_text="USDA's Num_Data_Pts: analyses the value rests on. 0 = none counted, which alone does not mean "
        "calculated: the source code says how USDA obtained the value (code 1: analytical, analyses not counted; "
        "code 4: calculated or imputed).",
    )
    standard_error = models.DecimalField(
        max_digits=11, decimal_places=3, null=True, blank=True, help_text="USDA's Std_Error, where given."
    )
    source_code = models.ForeignKey(
        USDACode,
        verbose_name="how the value was obtained",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="USDA's Src_Cd for the magnesium value.",
    )
    derivation_code = models.ForeignKey(
        USDACode,
        verbose_name="how the value was derived",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="USDA's Deriv_Cd for the magnesium value, where given.",
    )
    reference_ndb_number = optional_text(
        5,
        "USDA's Ref_NDB_No: the food a missing value was calculated from, where given.",
        verbose_name="reference NDB number",
    )
    kcal_per_100g = optional_decimal(
        "energy (kcal per 100 g)",
        10,
        3,
        help_text="USDA's Nutr_Val for nutrient 208; empty if USDA gives none.",
    )

    # Derived by the import, for sorting and filtering (display figures come from the ones above).
    mg_per_100kcal = optional_decimal(
        "magnesium (mg per 100 kcal)",
        12,
        2,
        help_text="Magnesium / energy x 100, to 0.01 mg; empty where the energy is 0 or not given.",
    )
    serving_text = optional_text(100, "USDA's first household measure (Seq 1), e.g. '1 cup'.")
    serving_grams = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    mg_per_serving = optional_decimal(
        "magnesium (mg per serving)",
        12,
        2,
        help_text="Magnesium in the first household measure, to 0.01 mg; empty for a food without measures.",
    )
    search_text = models.TextField(
        editable=False, help_text="Description and common names as lowercase words, for word-start search."
    )
    imported_at = models.DateTimeField(help_text="When an import last changed this food's USDA figures.")

    objects = USDAFoodQuerySet.as_manager()

    class Meta:
        ordering = ["description", "id"]
        verbose_name = "USDA food"
        # One index per sort of the food list (most magnesium first per 100 g, per serving and
        # per 100 kcal; name), so a page reads its rows from the index instead of sorting
        # 8,050 foods. Per serving and per 100 kcal can be empty: sort them with
        # F(...).desc(nulls_last=True), which these indexes serve on SQLite and PostgreSQL.
        indexes = [
            models.Index(fields=["-magnesium_per_100g", "description"], name="usda_mg100g_desc"),
            DescNullsLastIndex(fields=["-mg_per_serving", "description"], name="usda_serving_desc"),
            DescNullsLastIndex(fields=["-mg_per_100kcal", "description"], name="usda_100kcal_desc"),
            models.Index(fields=["description", "id"], name="usda_description_id"),
            models.Index(fields=["group", "-magnesium_per_100g", "description"], name="usda_group_mg100g"),
            # The list's dates (food_pages.usda_dates: the latest import) read one index entry, not every food.
            models.Index(fields=["imported_at"], name="usda_imported_at"),
        ]

    def __str__(self):
        return f"{self.description} (NDB {self.ndb_number})"

    @property
    def citation(self):
        return f"USDA SR28, NDB {self.ndb_number}"

    @property
    def solidity(self):
        """How solid USDA's magnesium value is, in a few words (solidity_words)."""
        return solidity_words(self.analyses, self.source_code.code)

    @property
    def provenance_text(self):
        """How the magnesium value was obtained, in USDA's words, e.g. "18 analyses (standard error
        0.047); source: Analytical or derived from analytical; derivation: Analytical data"."""
        return provenance_words(
            self.analyses,
            self.standard_error,
            self.source_code.code,
            self.source_code.description,
            self.derivation_code.description if self.derivation_code_id else None,
            self.reference_ndb_number,
        )

    def draft_entry(self, measure, group, name):
        """An unsaved featured food (a draft) made from this USDA food with `measure` as its serving:
        the measure's grams, its magnesium worked out from USDA's mg per 100 g, and USDA's citation
        as the source. This USDA food is left as it is."""
        mg = self.magnesium_per_100g * measure.grams / 100
        per_100g = plain(self.magnesium_per_100g)
        return FoodEntry(
            name=name,
            slug=slugify(name)[:150] or self.ndb_number,
            group=group,
            serving=measure.text[:80],
            serving_grams=exact(measure.grams, "0.01"),
            magnesium_mg=mg.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            magnesium_per_100g=exact(self.magnesium_per_100g, "0.1"),
            source=(
                f"{self.citation} ({self.short_description or self.description}): {per_100g} mg/100 g; "
                f"per-serving value computed from per-100 g x serving grams (SR28 weight: {measure.text} = "
                f"{measure.grams_text} g, {plain(mg)} mg). {USDA_SR28_CITATION}"
            ),
            source_url="http://www.ars.usda.gov/nutrientdata",
            usda_food=self,
            status=Status.DRAFT,
            published_at=None,
        )


@receiver(pre_save, sender=USDAFood)
def fill_search_text(sender, instance, raw, **kwargs):
    """The search text follows the description and common names whoever saves the food (the
    import writes the same value itself, in bulk)."""
    if not raw:
        instance.search_text = search_text(instance.description, instance.common_names)


@receiver(post_save, sender=USDAFood)
def index_search_words(sender, instance, raw, **kwargs):
    """Keep the word index in step with a food saved one at a time (the import indexes in bulk).
    Not for loaddata (raw): after a restore, import_content rebuilds the words of every food at once."""
    if not raw:
        USDAFoodWord.objects.index({instance.pk: instance.search_text})


class ByteOrderCharField(models.CharField):
    """Text compared byte by byte on every database, so a range of ASCII words (`"len" <= word <
    "leo"`, or `"z" <= word < "{"`) holds exactly the words starting "len" (or "z"). SQLite compares
    bytes by default; PostgreSQL compares by the database's locale, whose rules for punctuation
    ("{", ":") need not follow byte order, so there the column uses the "C" collation, and its index
    serves the range."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


def next_prefix(prefix):
    """The first string after every string starting with `prefix`: "len" -> "leo"."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def foods_with_word_starting(prefix):
    """The ids of the foods with a word starting with `prefix` (lowercase letters and digits, as
    search_text() gives them), as a subquery: a range of the (word, food) index, on SQLite and
    PostgreSQL alike. Plain SQL because the ORM's nested query (USDAFoodWord.objects.filter(...)
    .values("food_id")) cost 0.4 ms to build and 0.3 ms more to compile, twice a search (the count
    and the page): a sixth of a search's time."""
    return RawSQL(
        f'SELECT "food_id" FROM "{USDAFoodWord._meta.db_table}" WHERE "word" >= %s AND "word" < %s',
        (prefix, next_prefix(prefix)),
    )


def word_rows(texts):
    """The word index's rows for `texts` ({food id: search text}): (food id, word), one per distinct word."""
    return [(food_id, word) for food_id, text in texts.items() for word in set(text.split())]


class USDAFoodWordQuerySet(models.QuerySet):
    def index(self, texts):
        """Rewrite the words of the foods in `texts` ({food id: search text}): one row per
        distinct word (the import writes the same rows in bulk). Returns the number of rows written."""
        self.filter(food_id__in=list(texts)).delete()
        rows = [USDAFoodWord(food_id=food_id, word=word) for food_id, word in word_rows(texts)]
        self.bulk_create(rows)
        return len(rows)


class USDAFoodWord(models.Model):
    """One distinct word of a USDA food's search text (description and common names, as
    search_text() writes them): the index of word-start search. "lent" is a range over this
    table's (word, food) index instead of a LIKE over every food. Written by the import (in bulk)
    and whenever a USDAFood is saved; never edited by hand."""

    food = models.ForeignKey(USDAFood, on_delete=models.CASCADE, related_name="words")
    word = ByteOrderCharField(max_length=200)

    objects = USDAFoodWordQuerySet.as_manager()

    class Meta:
        verbose_name = "USDA food search word"
        # (word, food): a word-start search reads a range of it and finds the foods in the index
        # itself (a covering index), never the table.
        constraints = [models.UniqueConstraint(fields=["word", "food"], name="unique_usda_food_word")]

    def __str__(self):
        return self.word

    # Worked out from USDAFood.search_text, so not written to content backups (about 68,000 rows of
    # the backup's size): import_content calls this after a restore (site_project's derived_models()).
    @classmethod
    def rebuild_after_restore(cls):
        """Index every USDA food again: a restore may have loaded any of them (raw, so no save signal ran)."""
        return cls.objects.index(dict(USDAFood.objects.values_list("id", "search_text")))


def exact(value, places):
    """`value` with fewer decimal places where that changes nothing (28.350 -> 28.35); else as it is,
    so a figure that does not fit is refused by the field's validation instead of rounded away."""
    shorter = value.quantize(Decimal(places))
    return shorter if shorter == value else value


class USDAMeasure(models.Model):
    """A household measure of a USDA food (WEIGHT.txt), e.g. 1 cup = 129 g."""

    food = models.ForeignKey(USDAFood, on_delete=models.CASCADE, related_name="measures")
    sequence = models.PositiveSmallIntegerField(help_text="USDA's Seq: the measures' order.")
    amount = models.DecimalField(max_digits=8, decimal_places=3, help_text="USDA's Amount, e.g. 1 or 0.5.")
    description = models.CharField(max_length=100, help_text="USDA's Msre_Desc, e.g. cup, chopped.")
    grams = models.DecimalField(max_digits=10, decimal_places=3, help_text="USDA's Gm_Wgt.")
    analyses = models.PositiveIntegerField(
        "number of weighings", null=True, blank=True, help_text="USDA's Num_Data_Pts, where given."
    )
    standard_deviation = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, help_text="USDA's Std_Dev, where given."
    )

    class Meta:
        ordering = ["food", "sequence"]
        verbose_name = "USDA household measure"
        constraints = [models.UniqueConstraint(fields=["food", "sequence"], name="unique_usda_measure_seq")]

    def __str__(self):
        return f"{self.text} ({self.grams_text} g)"

    @property
    def text(self):
        return f"{plain(self.amount)} {self.description}"

    grams_text = derived(plain, "grams")

    def magnesium_mg(self, food=None):
        """Magnesium in this measure (unrounded): USDA's mg per 100 g x grams / 100."""
        food = food or self.food
        return food.magnesium_per_100g * self.grams / 100
