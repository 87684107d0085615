import re
from decimal import Decimal

from django import forms
from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.validators import MaxValueValidator
from django.utils.html import format_html

from site_project.lists import FilterForm, NumberInput, SortChoiceMixin, filter_field, repeatable_filter, showable_data
from supplements.dosing import LIQUID_SERVINGS, LifeStages, elemental_dose
from supplements.models import FoodEntry, SupplementForm, SupplementUse, USDAFood, plain

# Sections: foods (this file's first part, owned by the foods page) and supplement forms (below it).
# --- Foods: the filter form of /foods/ -------------------------------------------------------------


class FoodFilterForm(SortChoiceMixin, FilterForm):
    """The /foods/ filters. The URL contract (q, scope, group, min_mg, basis, sort, compare, page)
    is public: links and bookmarks depend on these names. An invalid value is dropped with a
    notice, never an error page, so a mangled shared link still shows foods.

    `scope` picks the rows: the featured foods (FoodEntry, the default) or every food USDA
    measured (USDAFood); the group checkboxes are that scope's groups, so a group of the other
    scope is dropped with a notice. `compare` (repeatable, 2 to 4 foods of either kind) is the
    comparison being built from the rows: it does not narrow the list."""

    SCOPE_CHOICES = [("featured", "Featured foods"), ("all", "Every food USDA measured")]
    BASIS_CHOICES = [("serving", "Per serving"), ("100g", "Per 100 g"), ("100kcal", "Per 100 kcal")]
    SORT_CHOICES = [("mg", "Most magnesium first"), ("name", "Name (A to Z)"), ("group", "Food group")]
    DEFAULT_SORT = "mg"
    MAX_COMPARED = 4
    SLUG = re.compile(r"[-a-zA-Z0-9_]{1,160}")

    q = filter_field(
        forms.CharField,
        "Search foods",
        "The search text could not be used (at most 100 characters, no control characters): ignored.",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. spinach"}),
    )
    scope = filter_field(
        forms.ChoiceField,
        "Foods",
        "The list can show the featured foods or every food USDA measured: showing the featured foods.",
        choices=SCOPE_CHOICES,
        initial="featured",
        widget=forms.RadioSelect,
    )
    group = repeatable_filter("Food group", "Unknown food group {names}: ignored.")
    basis = filter_field(
        forms.ChoiceField,
        "Show amounts",
        "Amounts can be shown per serving, per 100 g or per 100 kcal: showing per serving.",
        choices=BASIS_CHOICES,
        initial="serving",
        widget=forms.RadioSelect,
    )
    min_mg = filter_field(
        forms.DecimalField,
        "Minimum magnesium (mg)",
        "The minimum magnesium must be a number of 0 or more: ignored.",
        min_value=0,
        # A validator, not max_value: no max="" on the box, so the server's notice handles a huge number.
        validators=[MaxValueValidator(100_000)],
        decimal_places=1,
        widget=NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text="Per serving, per 100 g or per 100 kcal, as shown",
    )
    sort = filter_field(
        forms.ChoiceField,
        "Sort by",
        "Sorting can be by magnesium, name or food group: sorting by magnesium.",
        choices=SORT_CHOICES,
        initial=DEFAULT_SORT,
    )
    compare = repeatable_filter("Foods to compare", "We have no food {names} to compare: ignored.")

    def __init__(self, data, groups, usda_groups=()):
        """`groups` the featured foods' groups, `usda_groups` USDA's (each with a pk, slug and name; a
        queryset is read once, only if needed): only the chosen scope's are read."""
        scope = data.get("scope") if data is not None else None
        self.scope = scope if scope in dict(self.SCOPE_CHOICES) else "featured"
        self.groups = usda_groups if self.scope == "all" else groups
        slugs = [slug for slug in dict.fromkeys(data.getlist("compare")) if self.SLUG.fullmatch(slug)] if data else []
        compared = compared_names(slugs[: self.MAX_COMPARED * 5])
        super().__init__(
            data,
            {
                # Read when the group boxes are drawn or a group is asked for: a search's htmx results
                # need neither (reading the 25 USDA groups cost about a tenth of a search).
                "group": lambda: [(group.slug, group.name) for group in self.groups],
                "compare": [(slug, compared[slug]) for slug in slugs if slug in compared],
            },
        )
        if self.scope == "all":
            self.fields["group"].error_messages["ignored"] = "USDA has no food group {names}: ignored."
            self.fields["basis"].choices = [
                ("serving", "Per household measure (USDA's first)"),
                *self.BASIS_CHOICES[1:],
            ]
        # Up to four foods: the first four asked for are kept, the rest dropped with a notice.
        chosen = self.data.getlist("compare") if self.data else []
        self.compare_dropped = [compared[slug] for slug in chosen[self.MAX_COMPARED :]]
        if self.compare_dropped:
            self.data.setlist("compare", chosen[: self.MAX_COMPARED])
        self.fields["compare"].choices = [(slug, compared[slug]) for slug in chosen[: self.MAX_COMPARED]]
        if not chosen:
            del self.fields["compare"]  # no empty "Foods to compare" box while nothing is chosen

    @property
    def notices(self):
        notes = super().notices
        if "compare" not in self.fields and (unknown := self.unknown.get("compare")):
            notes += self.unknown_notices(self.base_fields["compare"].error_messages["ignored"], unknown)
        if self.compare_dropped:
            notes.append(
                f"Up to {apnumber(self.MAX_COMPARED)} foods can be compared at once: left out "
                + ", ".join(f"“{name}”" for name in self.compare_dropped)
                + "."
            )
        return notes

    @property
    def is_filtered(self):
        """Some filter narrows the list: the foods chosen for comparison do not."""
        self.is_valid()
        return any(self.cleaned_data.get(name) not in (None, "", []) for name in ("q", "group", "min_mg"))

    @property
    def compared(self):
        """[(slug, name)] of the foods chosen for comparison, in the order they were added."""
        if "compare" not in self.fields:
            return []
        return self.fields["compare"].choices

    @property
    def rows(self):
        """The queryset the chosen scope lists, before any filter."""
        if self.scope == "all":
            return USDAFood.objects.listed()
        return FoodEntry.objects.published().listed()

    def apply(self, foods=None):
        """The foods matching the filters, in the chosen order: the one queryset the list and the
        downloads read. `foods` defaults to the scope's rows (`rows`)."""
        foods = (self.rows if foods is None else foods).with_amounts(self.amount_basis)
        query = self.value("q", "").strip()
        if self.scope == "all":
            foods = foods.searched(query) if query else foods
        elif query:
            foods = foods.matching(query)  # the start of any word: "alm" finds almonds, not salmon
        if slugs := self.value("group"):
            foods = foods.filter(group__in=[group.pk for group in self.groups if group.slug in slugs])
        # Read past value(), which takes 0 for "none": a minimum of 0 still leaves out the foods
        # without a figure (per 100 kcal undefined, no household measure).
        self.is_valid()
        min_mg = None if "min_mg" in self.errors else self.cleaned_data.get("min_mg")
        if min_mg is not None:
            foods = foods.filter(amount__gte=min_mg)
        return foods.sorted_by(self.chosen_sort, self.amount_basis)

    @property
    def amount_basis(self):
        """ "serving", "100g" or "100kcal": which amount the table shows, filters and sorts by."""
        return self.value("basis", "serving")

    # The table's words for each basis: its caption, the % Daily Value and amount columns, and a note
    # where the basis can mislead a reader about what ranks first.
    BASIS_WORDS = {
        "serving": {
            "caption": "per serving",
            "dv": "% Daily Value",
            "amount": "Serving",
            "unit": "",
            "kcal": False,
            "note": "",
        },
        "100g": {
            "caption": "per 100 g",
            "dv": "% DV in 100 g",
            "amount": "Amount",
            "unit": "100 g",
            "kcal": False,
            "note": "",
        },
        "100kcal": {
            "caption": "per 100 kcal",
            "dv": "% DV in 100 kcal",
            "amount": "Amount",
            "unit": "100 kcal",
            "kcal": True,
            "note": (
                "Per 100 kcal favours foods with few calories (drinks, broths, leafy vegetables), even where "
                "100 kcal is more than anyone eats or drinks at once: the Amount column gives the weight of "
                "the food that holds 100 kcal."
            ),
        },
    }
    # USDA lists household measures, not servings: per "serving", the scope=all table uses each food's
    # first listed measure, whatever its size, and says so.
    USDA_MEASURE_WORDS = {
        "caption": "per household measure (USDA's first listed)",
        "amount": "Household measure",
        "note": (
            "USDA gives household measures, not serving sizes: each row uses the food's first listed measure "
            "(1 cup, 1 tbsp, 1 oz…), so a food measured by the cup can rank above one measured by the ounce. "
            "Show amounts per 100 g to compare like with like."
        ),
    }

    @property
    def basis_words(self):
        words = self.BASIS_WORDS[self.amount_basis]
        if self.scope == "all" and self.amount_basis == "serving":
            return {**words, **self.USDA_MEASURE_WORDS}
        return words


def compared_names(slugs):
    """{slug: name} of the published featured foods and USDA foods among `slugs`: two queries at
    most, none when no food is chosen. A featured slug wins where a USDA food has the same one."""
    if not slugs:
        return {}
    names = dict(FoodEntry.objects.published().filter(slug__in=slugs).values_list("slug", "name"))
    if others := [slug for slug in slugs if slug not in names]:
        names |= dict(USDAFood.objects.filter(slug__in=others).values_list("slug", "description"))
    return names


# --- Supplement forms: the comparison filters and the dose calculator (issue 5) -------------------


class SupplementFilterForm(SortChoiceMixin, FilterForm):
    """The /supplements/ filters. The URL contract (absorption, laxative, use, sort) is public.
    A value the server cannot use is dropped with a notice for the reader, never an error page:
    unknown absorption or laxative values one by one, so ?absorption=high&absorption=typo keeps "high"."""

    SORT_CHOICES = [
        ("elemental", "Most magnesium per mg first"),
        ("absorption", "Best absorbed first"),
        ("name", "Name (A to Z)"),
    ]
    DEFAULT_SORT = "elemental"

    absorption = repeatable_filter("Absorption", "“{value}” is not an absorption level we list: ignored.")
    laxative = repeatable_filter("Laxative effect", "“{value}” is not a laxative effect we list: ignored.")
    use = filter_field(
        forms.ModelChoiceField,
        "Used for",
        "There is no use “{value}”: showing forms for every use.",
        queryset=SupplementUse.objects.none(),
        to_field_name="slug",
        empty_label="Any use",
    )
    sort = filter_field(
        forms.ChoiceField,
        "Sort by",
        "Sorting can be by elemental magnesium, absorption or name: sorting by elemental magnesium.",
        choices=SORT_CHOICES,
        initial=DEFAULT_SORT,
    )

    def __init__(self, data):
        choices = {"absorption": SupplementForm.Absorption.choices, "laxative": SupplementForm.Laxative.choices}
        super().__init__(data, choices)
        # Only uses that at least one published form has, so no filter leads to an empty table.
        self.fields["use"].queryset = SupplementUse.objects.filter(
            forms__in=SupplementForm.objects.published()
        ).distinct()

    def apply(self, supplement_forms):
        return supplement_forms.filter_by(
            absorption=self.value("absorption", []),
            laxative=self.value("laxative", []),
            use=self.value("use"),
        ).sorted_by(self.chosen_sort)


def count_field(label, noun, maximum):
    """A whole number from 1 to `maximum`, default 1, with one message for every way it can be wrong."""
    message = f"Enter the {noun} as a whole number from 1 to {maximum}."
    return forms.IntegerField(
        label=label,
        required=False,
        initial=1,
        widget=NumberInput(attrs={"placeholder": "1"}),
        min_value=1,
        max_value=maximum,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class DoseCalculatorForm(forms.Form):
    """The /supplements/calculator/ form. Its first question is what the label says (`label`):

    - "elemental": a Supplement Facts line "Magnesium ... mg" already states elemental magnesium,
      per serving (21 CFR 101.36; supplements/data/deficiency.md, section 7): no conversion;
    - "compound": the label gives the weight of a compound (`form`, one of the listed forms);
    - "percent": another compound whose elemental % the reader knows (`percent`).

    Then the amount per serving (`amount_mg`), servings a day (`per_day`) and a life stage (`stage`).
    Older links carry no `label`: their `form` was a form's slug, "label" or "percent", and an
    optional `pills` (pills per dose) multiplier; both still give the same answer as before.

    Every bad value gets a message next to its field; `dose()` is None until all are usable."""

    ELEMENTAL = "elemental"
    COMPOUND = "compound"
    ENTER_PERCENT = "percent"
    LABEL_CHOICES = [
        (ELEMENTAL, "My label lists “Magnesium … mg” (a Supplement Facts panel)"),
        (COMPOUND, "My label gives the compound’s weight (e.g. 500 mg magnesium glycinate)"),
        (ENTER_PERCENT, "Another form: I know its elemental magnesium %"),
    ]
    # The old single `form` question's two non-form answers.
    LEGACY_FORM_VALUES = {"label": ELEMENTAL, "percent": ENTER_PERCENT}
    FIELD_NAMES = ("label", "form", "percent", "amount_mg", "pills", "per_day", "stage")
    MAX_AMOUNT_MG = Decimal(10_000)
    MAX_PILLS = 20
    MAX_DOSES = 12

    label = forms.ChoiceField(
        label="What does your label say?",
        choices=LABEL_CHOICES,
        initial=ELEMENTAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say what your label gives: magnesium itself, or a compound’s weight.",
            "invalid_choice": "Choose one of the three answers about your label.",
        },
    )
    form = forms.ChoiceField(
        label="Compound on the label",
        required=False,
        # How to count a liquid: its one source, shared with the planner (templates: liquid_servings.html).
        help_text=LIQUID_SERVINGS,
        error_messages={"invalid_choice": "We have no supplement form “%(value)s”. Choose one from the list."},
    )
    percent = forms.DecimalField(
        widget=NumberInput(),
        label="Elemental magnesium in your form (%)",
        required=False,
        help_text="Only for “another form”: the share of the compound that is magnesium, from 0 to 100.",
        # Digit limits keep a value like 1e-999999 from becoming a megabyte of zeros on the page.
        max_digits=5,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the elemental magnesium as a number, for example 14.1.",
            "max_digits": "Enter the elemental magnesium as a number from 0 to 100, with at most 2 decimals.",
            "max_decimal_places": "Enter the elemental magnesium with at most 2 decimals, for example 14.1.",
            "max_whole_digits": "Enter the elemental magnesium as a number from 0 to 100.",
        },
    )
    amount_mg = forms.DecimalField(
        widget=NumberInput(),
        label="Amount per serving (mg)",
        help_text=(
            "The label’s serving, however many capsules or tablets it is. With “Magnesium … mg” on the label, "
            "that figure; otherwise the compound’s weight."
        ),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount per serving, in milligrams, as the label gives it.",
            "invalid": "Enter the amount as a number of milligrams, for example 500.",
            "max_digits": (
                "That is more than 10,000 mg (10 g) in one serving, or has over 2 decimals. Check the label."
            ),
            "max_decimal_places": "Enter the amount with at most 2 decimals, for example 500 or 12.5.",
            "max_whole_digits": (
                "That is more than 10,000 mg (10 g) in one serving. Check the label: amounts are in milligrams."
            ),
        },
    )
    # Older links' "pills per dose"; shown only when a link sets it (a serving already counts its pills).
    pills = count_field("Servings taken together", "servings taken together", MAX_PILLS)
    per_day = count_field("Servings a day", "servings a day", MAX_DOSES)
    per_day.help_text = (
        "For a liquid, how many of the label’s measures you take in a day: a 30 mL dose of a liquid labelled per "
        "5 mL is 6 servings."
    )
    stage = forms.ChoiceField(
        label="Life stage (optional)",
        required=False,
        help_text="To compare with that life stage’s recommended intake and Upper Level.",
        error_messages={"invalid_choice": "Choose a life stage from the list, or leave it empty."},
    )

    def __init__(self, data, supplement_forms, stages):
        self.supplement_forms = {form.slug: form for form in supplement_forms}
        self.life_stages = LifeStages(stages)
        self.stages = self.life_stages.by_key
        # Bound only once the reader has sent something, so a first visit shows no errors.
        bound = any(name in data for name in self.FIELD_NAMES)
        # Nothing the page repeats (a box, "We have no supplement form “…”") may carry a character no page
        # may: a %1b or %00 in the address is shown as � (so matches nothing) before the figures are read.
        data = showable_data(data) if bound else data
        if bound and not data.get("label"):
            old = data.get("form", "")
            if old in self.LEGACY_FORM_VALUES:
                data["label"], data["form"] = self.LEGACY_FORM_VALUES[old], ""
            elif old:
                data["label"] = self.COMPOUND
        super().__init__(data if bound else None)
        self.fields["form"].choices = [("", "Choose the compound")] + [
            (form.slug, f"{form.name} ({form.percent_text} %)") for form in supplement_forms
        ]
        # Each control names its message (updated in place by htmx) and its hint for screen readers.
        for name, field in self.fields.items():
            hinted = field.help_text or name == "label"  # the label question's hint is written in the template
            described = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if hinted else [])
            field.widget.attrs["aria-describedby"] = " ".join(described)
            if isinstance(field, forms.DecimalField):
                field.widget.attrs["inputmode"] = "decimal"
        self.fields["stage"].choices = self.life_stages.choices

    @property
    def shows_pills(self):
        """The servings-taken-together multiplier is on the page only when a link carries it (older
        links' pills per dose); every later request from that page carries it too, so the field's
        message is always there to update."""
        return self.is_bound and "pills" in self.data

    def clean_amount_mg(self):
        amount = self.cleaned_data["amount_mg"]
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than 0 mg.")
        if amount > self.MAX_AMOUNT_MG:
            raise forms.ValidationError(
                "That is more than 10,000 mg (10 g) in one serving. Check the label: amounts are in milligrams."
            )
        return amount

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        if percent is not None and not 0 < percent <= 100:
            raise forms.ValidationError("Elemental magnesium must be more than 0 and at most 100 %.")
        return percent

    def clean(self):
        cleaned = super().clean()
        label = cleaned.get("label")
        # A field that does not belong to the chosen answer is ignored, so a leftover bad value
        # (a compound chosen before the reader switched answers) never blocks the result.
        if label and label != self.COMPOUND:
            self._errors.pop("form", None)
        if label and label != self.ENTER_PERCENT:
            self._errors.pop("percent", None)
        if label == self.COMPOUND and not cleaned.get("form") and "form" not in self.errors:
            self.add_error("form", "Choose the compound your label names, or another answer above.")
        if label == self.ENTER_PERCENT and cleaned.get("percent") is None and "percent" not in self.errors:
            self.add_error("percent", "Enter the elemental magnesium % from the label, between 0 and 100.")
        return cleaned

    @property
    def chosen_label(self):
        return self.cleaned_data.get("label") if self.is_bound and self.is_valid() else None

    @property
    def selected_form(self):
        """The SupplementForm chosen, or None (none chosen yet, or not the compound answer)."""
        if self.chosen_label != self.COMPOUND:
            return None
        return self.supplement_forms.get(self.cleaned_data.get("form"))

    @property
    def selected_stage(self):
        return self.stages.get(self.cleaned_data.get("stage")) if self.is_bound and self.is_valid() else None

    @property
    def children_upper_levels(self):
        return self.life_stages.children_upper_levels

    @property
    def elemental_percent(self):
        label = self.cleaned_data["label"]
        if label == self.ELEMENTAL:
            return Decimal(100)
        if label == self.ENTER_PERCENT:
            return self.cleaned_data["percent"]
        return self.supplement_forms[self.cleaned_data["form"]].elemental_percent

    def dose(self):
        """The Dose for what the reader entered, or None while anything is missing or invalid."""
        if not self.is_bound or not self.is_valid():
            return None
        stage = self.selected_stage
        upper = self.upper_level_row
        return elemental_dose(
            self.cleaned_data["amount_mg"],
            self.elemental_percent,
            self.cleaned_data["pills"] or 1,
            self.cleaned_data["per_day"] or 1,
            recommended_mg=stage.recommended_mg if stage else None,
            upper_level_mg=upper.upper_level_mg if upper else None,
        )

    @property
    def upper_level_row(self):
        """The IntakeReference whose Upper Level the result is compared with."""
        return self.life_stages.upper_level_row(self.selected_stage)

    @property
    def for_infant(self):
        return self.life_stages.for_infant(self.selected_stage)

    @property
    def planner_supplement(self):
        """The dose as the planner's URL writes a supplement (supplements/planner.py), or "" without one:
        a compound's weight with its form; otherwise the elemental mg a serving, as a label would state it."""
        dose = self.dose()
        if dose is None:
            return ""
        if self.selected_form and dose.pills_per_day <= self.MAX_DOSES:
            return f"{self.selected_form.slug}:{dose.amount_text}:{dose.pills_per_day}"
        if dose.pills_per_day <= self.MAX_DOSES:
            return f"label:{plain(dose.per_pill_rounded)}:{dose.pills_per_day}"
        return f"label:{plain(dose.per_day_rounded)}:1"


# --- Medicines: the reader's ticked medicines on /supplements/medicines/ (issue 12) -----------------


class MedicineFilterForm(FilterForm):
    """The /supplements/medicines/ filter: `medicine=<slug>`, repeated. The URL contract is public
    (readers bookmark their list). An unknown slug is dropped with a notice, one by one, so
    ?medicine=gabapentin&medicine=typo still shows gabapentin."""

    medicine = repeatable_filter("Your medicines", "We list no medicine {names}: ignored.")

    def __init__(self, data, medicines):
        self.medicines = list(medicines)
        choices = [(medicine.slug, self.choice_label(medicine)) for medicine in self.medicines]
        super().__init__(data, {"medicine": choices})

    @staticmethod
    def choice_label(medicine):
        """The medicine's name, with its brand or example names beside it when it has them."""
        if not medicine.examples:
            return medicine.name
        return format_html('{} <span class="meta">({})</span>', medicine.name, ", ".join(medicine.example_list))

    @property
    def chosen(self):
        return self.value("medicine", [])

    def apply(self):
        """The ticked medicines, or every medicine when none is ticked (the list is short)."""
        chosen = set(self.chosen)
        return [medicine for medicine in self.medicines if medicine.slug in chosen] if chosen else self.medicines
