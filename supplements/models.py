from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.markdown import render_markdown

# The US label Daily Value for magnesium (FDA, 2016; NIH ODS fact sheet, Table 1 notes).
# %DV everywhere on the site is computed against this one figure.
DAILY_VALUE_MG = 420

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


class FoodEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_per_100g(self):
        """Annotate mg per 100 g, computed in SQL so it can be filtered and sorted on."""
        return self.annotate(
            mg_per_100g_db=ExpressionWrapper(
                F("magnesium_mg") * Decimal(100) / F("serving_grams"),
                output_field=DecimalField(max_digits=10, decimal_places=2),
            )
        )


class FoodEntry(models.Model):
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
    source = models.TextField(help_text="Where the figures come from: table, database and item number.")
    source_url = models.URLField(blank=True, max_length=300)
    notes = models.TextField(blank=True)
    is_published = models.BooleanField(
        "published", default=True, help_text="Unpublished foods are hidden from the public table."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = FoodEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-magnesium_mg", "name"]
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

    @property
    def mg_per_100g(self):
        if not self.serving_grams:
            return None
        return self.magnesium_mg * 100 / self.serving_grams

    @property
    def percent_dv(self):
        return self.magnesium_mg * 100 / DAILY_VALUE_MG

    def clean(self):
        super().clean()
        per_100g = self.mg_per_100g if self.magnesium_mg is not None else None
        if per_100g is not None and per_100g > MAX_MG_PER_100G:
            raise ValidationError(
                {
                    "magnesium_mg": (
                        f"That is {per_100g:.0f} mg per 100 g; no food has more than "
                        f"{MAX_MG_PER_100G} mg per 100 g. Check the serving grams and the milligrams."
                    )
                }
            )


class SupplementUse(models.Model):
    """An editable tag for what a supplement form is used or marketed for."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SupplementFormQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class SupplementForm(models.Model):
    class Absorption(models.TextChoices):
        HIGH = "high", "High"
        MODERATE = "moderate", "Moderate"
        LOW = "low", "Low"
        NOT_ESTABLISHED = "not_established", "Not established"

    class Laxative(models.TextChoices):
        STRONG = "strong", "Strong"
        MODERATE = "moderate", "Moderate"
        MILD = "mild", "Mild"
        NOT_DOCUMENTED = "not_documented", "Not documented"

    name = models.CharField(max_length=100, unique=True, help_text='e.g. "Magnesium citrate".')
    slug = models.SlugField(max_length=100, unique=True)
    compound = models.CharField(
        max_length=150, help_text="The exact compound the figures are for, including hydrate, e.g. 'hexahydrate'."
    )
    formula = models.CharField(max_length=60, blank=True)
    molar_mass = models.DecimalField("molar mass (g/mol)", max_digits=8, decimal_places=2, null=True, blank=True)
    elemental_percent = models.DecimalField(
        "elemental magnesium (%)",
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal(0), message="Elemental magnesium must be between 0 and 100 %."),
            MaxValueValidator(Decimal(100), message="Elemental magnesium must be between 0 and 100 %."),
        ],
        help_text="Share of the compound's weight that is magnesium, for the compound named above.",
    )
    absorption = models.CharField(max_length=20, choices=Absorption.choices)
    absorption_note = models.CharField(
        max_length=300, blank=True, help_text="A short note on how strong the absorption evidence is."
    )
    laxative_effect = models.CharField(max_length=20, choices=Laxative.choices)
    uses = models.ManyToManyField(SupplementUse, blank=True, related_name="forms")
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown. Use ## for section headings.")
    body_html = models.TextField(blank=True, editable=False)
    cautions = models.TextField(blank=True)
    is_published = models.BooleanField("published", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[uses])

    objects = SupplementFormQuerySet.as_manager()

    class Meta:
        ordering = ["-elemental_percent", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.body_html, _ = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("supplements:detail", args=[self.slug])


class SupplementReference(models.Model):
    form = models.ForeignKey(SupplementForm, on_delete=models.CASCADE, related_name="references")
    citation = models.TextField()
    url = models.URLField(blank=True, max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.citation[:80]


class IntakeReference(models.Model):
    """Recommended intake (RDA or AI) and Upper Level for one life stage."""

    class Sex(models.TextChoices):
        ALL = "all", "All"
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    class Metric(models.TextChoices):
        RDA = "RDA", "Recommended Dietary Allowance"
        AI = "AI", "Adequate Intake"

    life_stage = models.CharField(max_length=40, help_text="e.g. infants, children, adults, pregnancy.")
    age_range = models.CharField(max_length=40, help_text='As the source gives it, e.g. "19-30 years".')
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.ALL)
    metric = models.CharField(max_length=3, choices=Metric.choices, default=Metric.RDA)
    recommended_mg = models.PositiveSmallIntegerField("RDA or AI (mg/day)")
    upper_level_mg = models.PositiveSmallIntegerField(
        "Upper Level (mg/day)",
        null=True,
        blank=True,
        help_text="Upper Level for magnesium from supplements and medicines only; empty where none is set.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    source = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.life_stage}, {self.age_range}, {self.get_sex_display()}"


class Interaction(models.Model):
    medicine_class = models.CharField(max_length=150)
    examples = models.CharField(max_length=300, blank=True)
    effect = models.TextField("what happens")
    advice = models.TextField(blank=True)
    source = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.medicine_class
