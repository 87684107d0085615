from decimal import Decimal

from django import forms
from django.db.models import Q

from site_project.forms import CleanedValueMixin
from supplements.dosing import elemental_dose
from supplements.models import SupplementForm, SupplementUse

# Sections: foods (this file's first part, owned by the foods page) and supplement forms (below it).
# --- Foods: the filter form of /foods/ -------------------------------------------------------------


class FoodFilterForm(CleanedValueMixin, forms.Form):
    """The /foods/ filters. The URL contract (q, group, min_mg, basis, sort, page) is public:
    links and bookmarks depend on these names. An invalid value is dropped with a notice,
    never an error page, so a mangled shared link still shows foods."""

    BASIS_CHOICES = [("serving", "Per serving"), ("100g", "Per 100 g")]
    SORT_CHOICES = [("mg", "Most magnesium first"), ("name", "Name (A to Z)"), ("group", "Food group")]

    q = forms.CharField(label="Search foods", required=False, max_length=100)
    group = forms.MultipleChoiceField(label="Food group", required=False, widget=forms.CheckboxSelectMultiple)
    min_mg = forms.DecimalField(
        label="Minimum magnesium (mg)", required=False, min_value=0, max_value=100_000, decimal_places=1
    )
    basis = forms.ChoiceField(label="Show amounts", choices=BASIS_CHOICES, required=False, widget=forms.RadioSelect)
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)

    def __init__(self, data, groups):
        # Unknown group slugs are dropped one by one, so ?group=nuts&group=typo keeps "nuts".
        self.groups = list(groups)
        known = {group.slug for group in self.groups}
        data = data.copy()
        requested = data.getlist("group")
        self.unknown_groups = [slug for slug in requested if slug not in known]
        data.setlist("group", [slug for slug in requested if slug in known])
        super().__init__(data)
        self.fields["group"].choices = [(group.slug, group.name) for group in self.groups]

    @property
    def notices(self):
        """Plain-language notes about the filters that were ignored."""
        self.is_valid()
        notes = []
        if self.unknown_groups:
            names = ", ".join(f"“{slug[:40]}”" for slug in self.unknown_groups[:5])
            notes.append(f"Unknown food group {names}: ignored.")
        messages = {
            "q": "The search text could not be used (at most 100 characters, no control characters): ignored.",
            "min_mg": "The minimum magnesium must be a number of 0 or more: ignored.",
            "basis": "Amounts can be shown per serving or per 100 g: showing per serving.",
            "sort": "Sorting can be by magnesium, name or food group: sorting by magnesium.",
        }
        notes.extend(message for field, message in messages.items() if field in self.errors)
        return notes

    def apply(self, foods):
        foods = foods.with_amounts(self.amount_basis)
        if query := self.value("q", "").strip():
            # Match the start of any word, so "alm" finds almonds but not salmon.
            foods = foods.filter(
                Q(name__istartswith=query) | Q(name__icontains=f" {query}") | Q(name__icontains=f"({query}")
            )
        if slugs := self.value("group"):
            foods = foods.filter(group__in=[group for group in self.groups if group.slug in slugs])
        min_mg = self.value("min_mg")
        if min_mg is not None:
            foods = foods.filter(amount__gte=min_mg)
        order = {
            "mg": ["-amount", "name"],  # per serving this is the indexed column itself
            "name": ["name", "id"],
            "group": ["group__order", "-amount", "name"],
        }[self.value("sort", "mg")]
        return foods.order_by(*order)

    # The form's controls are written out in the template (widget rendering cost more than
    # the rest of the page); these give it the current choices.
    @property
    def chosen_groups(self):
        return self.value("group", [])

    @property
    def chosen_sort(self):
        return self.value("sort", "mg")

    @property
    def amount_basis(self):
        """ "serving" or "100g": which amount the table shows, filters and sorts by."""
        return self.value("basis", "serving")

    @property
    def is_filtered(self):
        self.is_valid()
        return any(self.cleaned_data.get(name) not in (None, "", []) for name in ("q", "group", "min_mg"))


# --- Supplement forms: the comparison filters and the dose calculator (issue 5) -------------------


class SupplementFilterForm(CleanedValueMixin, forms.Form):
    """The /supplements/ filters. The URL contract (absorption, laxative, use, sort) is public.
    A value the server cannot use is dropped with a notice for the reader, never an error page:
    unknown absorption or laxative values one by one, so ?absorption=high&absorption=typo keeps "high"."""

    SORT_CHOICES = [
        ("elemental", "Most magnesium per mg first"),
        ("absorption", "Best absorbed first"),
        ("name", "Name (A to Z)"),
    ]
    MULTI_FIELDS = {"absorption": "an absorption level", "laxative": "a laxative effect"}

    absorption = forms.MultipleChoiceField(
        label="Absorption",
        choices=SupplementForm.Absorption.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    laxative = forms.MultipleChoiceField(
        label="Laxative effect",
        choices=SupplementForm.Laxative.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    use = forms.ModelChoiceField(
        label="Used for",
        queryset=SupplementUse.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any use",
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)

    def __init__(self, data):
        data = data.copy()
        self.dropped = []
        for name, what in self.MULTI_FIELDS.items():
            known = dict(self.base_fields[name].choices)
            requested = data.getlist(name)
            self.dropped += [
                f"“{value[:40]}” is not {what} we list: ignored." for value in requested if value not in known
            ]
            data.setlist(name, list(dict.fromkeys(value for value in requested if value in known)))
        super().__init__(data)
        # Only uses that at least one published form has, so no filter leads to an empty table.
        self.fields["use"].queryset = SupplementUse.objects.filter(forms__is_published=True).distinct()

    @property
    def notices(self):
        """Plain-language notes about the filters that were ignored."""
        self.is_valid()
        notes = list(self.dropped)
        if "use" in self.errors:
            notes.append(f"There is no use “{self.data.get('use', '')[:40]}”: showing forms for every use.")
        if "sort" in self.errors:
            notes.append("Sorting can be by elemental magnesium, absorption or name: sorting by elemental magnesium.")
        return notes

    def apply(self, supplement_forms):
        return supplement_forms.filter_by(
            absorption=self.value("absorption", []),
            laxative=self.value("laxative", []),
            use=self.value("use"),
        ).sorted_by(self.value("sort", "elemental"))

    @property
    def is_filtered(self):
        return bool(self.value("absorption") or self.value("laxative") or self.value("use"))


def count_field(label, noun, maximum):
    """A whole number from 1 to `maximum`, default 1, with one message for every way it can be wrong."""
    message = f"Enter the {noun} as a whole number from 1 to {maximum}."
    return forms.IntegerField(
        label=label,
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"placeholder": "1"}),
        min_value=1,
        max_value=maximum,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class DoseCalculatorForm(forms.Form):
    """The /supplements/calculator/ form: which form, how much compound per pill, how many pills.

    Every bad value gets a message next to its field; `dose()` is None until all are usable."""

    LABEL_STATES_ELEMENTAL = "label"
    ENTER_PERCENT = "percent"
    FIELD_NAMES = ("form", "percent", "amount_mg", "pills", "per_day", "stage")
    MAX_AMOUNT_MG = Decimal(10_000)
    MAX_PILLS = 20
    MAX_DOSES = 12

    form = forms.ChoiceField(
        label="Supplement form",
        error_messages={
            "required": "Choose a supplement form, or say that your label already gives elemental magnesium.",
            "invalid_choice": "We have no supplement form “%(value)s”. Choose one from the list.",
        },
    )
    percent = forms.DecimalField(
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
        label="Amount in one pill (mg)",
        help_text="As the label gives it: the compound’s weight, or the elemental magnesium if you said so above.",
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount in one pill, in milligrams, as the label gives it.",
            "invalid": "Enter the amount as a number of milligrams, for example 500.",
            "max_digits": "That is more than 10,000 mg (10 g) in one pill, or has over 2 decimals. Check the label.",
            "max_decimal_places": "Enter the amount with at most 2 decimals, for example 500 or 12.5.",
            "max_whole_digits": (
                "That is more than 10,000 mg (10 g) in one pill. Check the label: amounts are in milligrams."
            ),
        },
    )
    pills = count_field("Pills per dose", "pills per dose", MAX_PILLS)
    per_day = count_field("Doses a day", "doses a day", MAX_DOSES)
    stage = forms.ChoiceField(
        label="Life stage (optional)",
        required=False,
        help_text="To compare with that life stage’s recommended intake and Upper Level.",
        error_messages={"invalid_choice": "Choose a life stage from the list, or leave it empty."},
    )

    def __init__(self, data, supplement_forms, stages):
        self.supplement_forms = {form.slug: form for form in supplement_forms}
        self.stages = {stage.key: stage for stage in stages}
        # Bound only once the reader has sent something, so a first visit shows no errors.
        super().__init__(data if any(name in data for name in self.FIELD_NAMES) else None)
        self.fields["form"].choices = [
            ("", "Choose a form"),
            (
                "Supplement forms",
                [(form.slug, f"{form.name} ({form.percent_text} %)") for form in supplement_forms],
            ),
            (
                "Something else",
                [
                    (self.LABEL_STATES_ELEMENTAL, "My label already gives elemental magnesium"),
                    (self.ENTER_PERCENT, "Another form: I’ll enter its elemental %"),
                ],
            ),
        ]
        # Each control names its message (updated in place by htmx) and its hint for screen readers.
        for name, field in self.fields.items():
            described = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if field.help_text else [])
            field.widget.attrs["aria-describedby"] = " ".join(described)
            if isinstance(field, forms.DecimalField):
                field.widget.attrs["inputmode"] = "decimal"
        self.fields["stage"].choices = [("", "Not given")] + [
            (key, f"{stage.label} ({stage.metric} {stage.recommended_mg} mg)") for key, stage in self.stages.items()
        ]

    def clean_amount_mg(self):
        amount = self.cleaned_data["amount_mg"]
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than 0 mg.")
        if amount > self.MAX_AMOUNT_MG:
            raise forms.ValidationError(
                "That is more than 10,000 mg (10 g) in one pill. Check the label: amounts are in milligrams."
            )
        return amount

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        if percent is not None and not 0 < percent <= 100:
            raise forms.ValidationError("Elemental magnesium must be more than 0 and at most 100 %.")
        return percent

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("form") == self.ENTER_PERCENT
            and cleaned.get("percent") is None
            and "percent" not in self.errors
        ):
            self.add_error("percent", "Enter the elemental magnesium % from the label, between 0 and 100.")
        if cleaned.get("form") and cleaned.get("form") != self.ENTER_PERCENT:
            # The % field is ignored for a listed form, so a leftover bad value must not block the result.
            self._errors.pop("percent", None)
        return cleaned

    @property
    def selected_form(self):
        """The SupplementForm chosen, or None (none chosen yet, or "something else")."""
        return self.supplement_forms.get(self.cleaned_data.get("form")) if self.is_bound and self.is_valid() else None

    @property
    def selected_stage(self):
        return self.stages.get(self.cleaned_data.get("stage")) if self.is_bound and self.is_valid() else None

    @property
    def default_upper_level(self):
        """With no life stage chosen: the Upper Level row for the oldest ages (350 mg from age 9)."""
        with_limit = [stage for stage in self.stages.values() if stage.upper_level_mg is not None]
        return max(with_limit, key=lambda stage: stage.upper_level_mg, default=None)

    @property
    def elemental_percent(self):
        choice = self.cleaned_data["form"]
        if choice == self.LABEL_STATES_ELEMENTAL:
            return Decimal(100)
        if choice == self.ENTER_PERCENT:
            return self.cleaned_data["percent"]
        return self.supplement_forms[choice].elemental_percent

    def dose(self):
        """The Dose for what the reader entered, or None while anything is missing or invalid."""
        if not self.is_bound or not self.is_valid():
            return None
        stage = self.selected_stage
        upper = stage if stage else self.default_upper_level
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
        return self.selected_stage or self.default_upper_level


# --- Medicines: the reader's ticked medicines on /supplements/medicines/ (issue 12) -----------------


class MedicineFilterForm(CleanedValueMixin, forms.Form):
    """The /supplements/medicines/ filter: `medicine=<slug>`, repeated. The URL contract is public
    (readers bookmark their list). An unknown slug is dropped with a notice, one by one, so
    ?medicine=gabapentin&medicine=typo still shows gabapentin."""

    medicine = forms.MultipleChoiceField(label="Your medicines", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, data, medicines):
        self.medicines = list(medicines)
        known = {medicine.slug for medicine in self.medicines}
        data = data.copy()
        requested = data.getlist("medicine")
        self.unknown = list(dict.fromkeys(slug for slug in requested if slug not in known))
        data.setlist("medicine", list(dict.fromkeys(slug for slug in requested if slug in known)))
        super().__init__(data)
        self.fields["medicine"].choices = [(medicine.slug, medicine.name) for medicine in self.medicines]

    @property
    def notices(self):
        if not self.unknown:
            return []
        names = ", ".join(f"“{slug[:40]}”" for slug in self.unknown[:5])
        more = f" and {len(self.unknown) - 5} more" if len(self.unknown) > 5 else ""
        return [f"We list no medicine {names}{more}: ignored."]

    @property
    def chosen(self):
        return self.value("medicine", [])

    def apply(self):
        """The ticked medicines, or every medicine when none is ticked (the list is short)."""
        chosen = set(self.chosen)
        return [medicine for medicine in self.medicines if medicine.slug in chosen] if chosen else self.medicines
