"""My magnesium day (/planner/, issue 16): foods and supplements added up against the reader's own
recommended intake, with the Upper Level applied only to the supplemental part.

The whole plan lives in the URL; nothing is stored on the server. The URL contract is public
(bookmarks and the "Add to my day" buttons depend on it):

- `stage=<life-stage key>`, as the calculator uses it (IntakeReference.key);
- `food=<food slug>:<servings>`, repeatable: servings of the food's serving, decimals allowed. The
  slug names a featured food or a USDA food, as /foods/<slug>/ does (supplements/food_pages.py);
- `food=<food slug>:<servings>:<measure>`: another household measure of the USDA food, named by
  USDA's sequence number of the measure (SR28 WEIGHT.txt `Seq`, shown on the food's page in that
  order; 1 is the first), which a re-import never changes;
- `supplement=<form slug>|label:<mg per serving>:<servings a day>`, repeatable, read as the
  calculator's label-first question reads it: `label` is a Supplement Facts "Magnesium ... mg" line
  (already elemental), a form's slug means the mg are that compound's weight.

A bad or unknown item is dropped with a notice, never an error; at most MAX_ITEMS items. The dose
arithmetic, the Upper Level rule and the life stages are the calculator's (supplements/dosing.py).

The medicines page reads the same contract (`CarriedPlan`): the planner's "Check your medicines" link carries
the plan there, and the medicines page links back to it.

The page's own forms send editable rows (`item-<n>`, `servings-<n>`, ...) and an "add a supplement"
row; the view turns them into the contract above (`plan_query`) and moves the address bar there.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django import forms
from django.db.models.functions import Lower
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, replace_url, reswap, retarget

from site_project.lists import FilterForm, echo, filter_field
from site_project.models import PageDates
from supplements.dosing import (
    HEART_GUT_DISORDERS,
    HEART_GUT_SOURCE,
    INFANTS_WITHOUT_STAGE,
    KIDNEY_INSTRUCTION,
    AgainstUpperLevel,
    LifeStages,
    elemental_dose,
    percent_of,
    round_mg,
)
from supplements.food_pages import USDA_RELEASE, search_matches, search_text
from supplements.forms import DoseCalculatorForm
from supplements.models import (
    DAILY_VALUE_MG,
    DAILY_VALUE_SOURCE,
    USDA_SR28_CITATION,
    FoodEntry,
    IntakeReference,
    SupplementForm,
    USDAFood,
    USDAMeasure,
    derived,
    plain,
)

MAX_ITEMS = 40
MAX_SERVINGS = Decimal(100)
# The calculator's limits for what a label can say.
MAX_AMOUNT_MG = DoseCalculatorForm.MAX_AMOUNT_MG
MAX_PER_DAY = DoseCalculatorForm.MAX_DOSES
LABEL = "label"

# What a notice says an item should look like, as the URL contract writes it (the module's docstring).
FORMATS = {
    "food": "a food as the planner writes it (<food>:<servings> or <food>:<servings>:<measure number>)",
    "supplement": (
        "a supplement as the planner writes it (<form slug>:<mg of the compound>:<servings a day>, or "
        "label:<mg of magnesium>:<servings a day> for a label’s “Magnesium … mg”)"
    ),
}

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,160}")
# A plain decimal: no sign, no exponent, at most 2 decimals (so 1e-999999 cannot fill a page).
DECIMAL = re.compile(r"\d{1,6}(\.\d{1,2})?|\.\d{1,2}")
WHOLE = re.compile(r"\d{1,3}")

# What an infant's plan leaves out (the planner has no breast milk or formula to add), and what it cannot
# judge: which foods suit a baby. Where an infant's magnesium should come from: intake_reference.csv (NIH ODS,
# Table 3: "intake should come from breast milk, formula and food").
INFANT_MILK_NOTE = (
    "This plan cannot count breast milk or formula: its total is only the foods and supplements added here, "
    "not the infant’s milk. An infant’s magnesium should come from breast milk, formula and food (NIH ODS, "
    "Table 3); this plan does not say which foods, or how much of them, suit a baby: ask the baby’s doctor."
)

LABEL_SOURCE = (
    "Your label: a Supplement Facts line “Magnesium … mg” already gives elemental magnesium, per serving "
    "(21 CFR 101.36(d) and (b)(3)(ii); FDA Dietary Supplement Labeling Guide)"
)


def mg_text(value):
    """Milligrams as the page shows them: to 0.1 mg, halves up, no trailing ".0" (156, 56.4)."""
    return plain(round_mg(value))


def shown(value, length=40):
    """A reader's value quoted in a notice, cut short."""
    return f"“{echo(value, length)}”"


def decimal_or_none(text, pattern=DECIMAL):
    if not pattern.fullmatch(text or ""):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return None


def day_text(value):
    """A date or a datetime as the byline shows it (3 May 2026), in the site's time zone."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%-d %B %Y}"


def people_text(people, editors=False):
    names = [person.name_with_credentials for person in people]
    if editors:
        names.append("the Magnesium & Nerve Health editors")
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else ""


def dates_line(dates):
    """The page's byline (templates/includes/page_dates.html) in one line of the summary to copy. The planner's
    dates are its forms' and intake figures' (PageDates.of_items): written by people, never USDA's figures."""
    written = f"Written by {people_text(dates.authors, dates.by_editors)}"
    if dates.reviewed_at:
        reviewers = f" by {people_text(dates.reviewers)}" if dates.reviewers else ""
        reviewed = f"Last reviewed {day_text(dates.reviewed_at)}{reviewers}"
    else:
        reviewed = "Not yet medically reviewed"
    updated = f"Last updated {day_text(dates.updated)}" if dates.updated else "Last updated: not recorded"
    return f"This page’s figures: {written}. {reviewed}. {updated}."


# --- One item of the plan -------------------------------------------------------------------------


@dataclass
class PlanItem:
    """A food or a supplement in the plan, with its magnesium a day (unrounded) and its source."""

    kind: str  # "food" or "supplement"
    key: str  # the food's slug, or a form's slug or "label"
    name: str
    amount: Decimal  # food: servings; supplement: mg per serving as the label states it
    portion: str  # what that amount is, in words
    mg: Decimal
    source: str
    url: str = ""  # the food's or the form's page
    source_url: str = ""  # the source's own address, where there is one
    per_day: int = 1  # supplement: servings a day
    measure: int | None = None  # food: USDA's Seq of another household measure
    measures: list = field(default_factory=list)  # food: (seq, text) of its USDA measures, for the choice
    serving_text: str = ""  # food: what one serving is when no other measure is chosen
    default_measure: int | None = None  # food: the USDA measure that is its serving (USDA foods), not offered twice
    working: str = ""  # how the mg were worked out
    share: int = 0  # % of the day's total, as shown ("of your total")
    number: int = 0  # the item's place in the sources list

    @property
    def row_name(self):
        """The item's name on its editable row, which stays as it is while its amount changes: without the amount."""
        return "Your supplement (from its label)" if self.key == LABEL and self.kind == "supplement" else self.name

    @property
    def supplemental(self):
        """Counts against the Upper Level: supplements, antacids and laxatives; never food."""
        return self.kind == "supplement"

    mg_shown = derived(round_mg, "mg")
    mg_text = derived(mg_text, "mg")
    amount_text = derived(plain, "amount")

    @property
    def token(self):
        """The item as the URL writes it."""
        if self.kind == "food":
            measure = f":{self.measure}" if self.measure is not None else ""
            return f"{self.key}:{self.amount_text}{measure}"
        return f"{self.key}:{self.amount_text}:{self.per_day}"


def food_portion(servings, serving_text, grams):
    count = plain(servings)
    return f"{count} × {serving_text} ({plain(grams)} g)"


def measure_choices(measures):
    """A food's USDA household measures as the amount menu lists them: (sequence, "1 tbsp (20 g, USDA)")."""
    return [(m.sequence, f"{m.text} ({m.grams_text} g, USDA)") for m in measures]


def featured_item(entry, servings, measure):
    """A featured food: its own curated figure and source; with a measure, USDA's figure for it."""
    url = reverse("supplements:food", args=[entry.slug])
    measures = measure_choices(entry.usda_measures)
    if measure is None:
        return PlanItem(
            "food", entry.slug, entry.name, servings, food_portion(servings, entry.serving, entry.serving_grams),
            entry.magnesium_mg * servings, entry.source, url, entry.source_url, measures=measures,
            working=f"{entry.mg_text} mg in {entry.serving} × {plain(servings)}",
            serving_text=f"{entry.serving} ({entry.grams_text} g)",
        )  # fmt: skip
    item = usda_measure_item(entry.usda_food, measure, servings, entry.slug, entry.name, url, measures)
    item.serving_text = f"{entry.serving} ({entry.grams_text} g)"
    return item


def usda_item(usda, servings, measure):
    """A USDA food: its serving is USDA's first household measure (or 100 g where USDA gives none)."""
    url = reverse("supplements:food", args=[usda.slug])
    measures = measure_choices(usda.usda_measures)
    if not usda.usda_measures:
        per_100g = plain(usda.magnesium_per_100g)
        return PlanItem(
            "food", usda.slug, usda.description, servings, f"{plain(servings)} × 100 g",
            usda.magnesium_per_100g * servings, usda_source(usda, "no household measure: a serving here is 100 g"),
            url, working=f"{per_100g} mg in 100 g × {plain(servings)}", serving_text="100 g",
        )  # fmt: skip
    first = usda.usda_measures[0]
    item = usda_measure_item(usda, measure or first, servings, usda.slug, usda.description, url, measures)
    item.measure = None if measure is None else measure.sequence  # None: the food's own serving
    item.serving_text = f"{first.text} ({first.grams_text} g)"
    item.default_measure = first.sequence
    return item


def usda_source(usda, detail):
    per_100g = plain(usda.magnesium_per_100g)
    return f"{usda.citation}: {per_100g} mg per 100 g; {detail}. {USDA_SR28_CITATION} ({USDA_RELEASE})"


def usda_measure_item(usda, measure, servings, slug, name, url, measures):
    """Magnesium in `servings` of a USDA household measure: USDA's mg per 100 g x the measure's grams / 100."""
    per_measure = measure.magnesium_mg(usda)
    return PlanItem(
        "food", slug, name, servings, food_portion(servings, measure.text, measure.grams),
        per_measure * servings,
        usda_source(usda, f"household measure {measure.text} = {measure.grams_text} g (USDA’s weight)"),
        url, measure=measure.sequence, measures=measures,
        working=(
            f"{plain(usda.magnesium_per_100g)} mg per 100 g × {measure.grams_text} g = {mg_text(per_measure)} mg "
            f"in {measure.text}, × {plain(servings)}"
        ),
    )  # fmt: skip


def supplement_item(key, supplement_form, amount_mg, per_day):
    """A supplement read as the calculator reads it (one Dose, supplements/dosing.py)."""
    percent = Decimal(100) if supplement_form is None else supplement_form.elemental_percent
    dose = elemental_dose(amount_mg, percent, 1, per_day)
    a_day = f"{per_day} serving{'s' if per_day != 1 else ''} a day"
    if supplement_form is None:
        return PlanItem(
            "supplement", LABEL, f"Your supplement (label: {plain(amount_mg)} mg)", amount_mg,
            f"{plain(amount_mg)} mg of magnesium a serving, {a_day}", dose.per_day, LABEL_SOURCE,
            reverse("supplements:calculator"), per_day=per_day,
            working=f"{plain(amount_mg)} mg, already elemental, × {per_day}",
        )  # fmt: skip
    return PlanItem(
        "supplement", supplement_form.slug, supplement_form.name, amount_mg,
        f"{plain(amount_mg)} mg of {supplement_form.name.lower()} a serving, {a_day}", dose.per_day,
        f"{supplement_form.name}: {supplement_form.percent_text} % elemental magnesium (this site’s supplement "
        "forms data; the form’s page lists its sources)",
        supplement_form.get_absolute_url(), per_day=per_day,
        working=(
            f"{plain(amount_mg)} mg × {dose.elemental_percent_text} % = {mg_text(dose.per_pill)} mg a serving, "
            f"× {per_day}"
        ),
    )  # fmt: skip


# --- Reading the plan from a request -------------------------------------------------------------


def rows_to_tokens(data):
    """The page's editable rows (`item-<n>` with `servings-<n>`/`measure-<n>` or `mg-<n>`/`per_day-<n>`),
    in order, as (name, value) pairs of the URL contract. A row whose `remove` button was pressed is left out."""
    removed = data.get("remove")
    numbers = sorted(int(name[5:]) for name in data if re.fullmatch(r"item-\d{1,3}", name))
    tokens = []
    for n in numbers:
        if str(n) == removed:
            continue
        kind, _, key = data.get(f"item-{n}", "").partition(":")
        if kind == "food":
            measure = data.get(f"measure-{n}", "").strip()
            servings = data.get(f"servings-{n}", "").strip()
            tokens.append(("food", f"{key}:{servings}" + (f":{measure}" if measure else "")))
        elif kind == "supplement":
            mg, per_day = data.get(f"mg-{n}", "").strip(), data.get(f"per_day-{n}", "").strip() or "1"
            tokens.append(("supplement", f"{key}:{mg}:{per_day}"))
    return tokens


def added_items(data):
    """What the page's "add" controls ask for, as URL pairs: a food from the search (`add_food`, one
    serving) and the "add a supplement" row (`add_supplement`, `add_mg`, `add_per_day`) when it is filled in."""
    pairs = []
    if food := data.get("add_food", "").strip():
        pairs.append(("food", f"{food}:1"))
    if key := data.get("add_supplement", "").strip():
        mg, per_day = data.get("add_mg", "").strip(), data.get("add_per_day", "").strip() or "1"
        pairs.append(("supplement", f"{key}:{mg}:{per_day}"))
    return pairs


# Parameters only the page's own forms send.
EDIT_PARAMETERS = ("remove", "add_food", "add_supplement", "add_mg", "add_per_day")
# Those that add or remove an item: the whole plan is redrawn and the address pushed, so Back undoes it.
CHANGES_ITEMS = ("remove", "add_food", "add_supplement")


def is_edit(data):
    """The request came from the page's own forms (rows, remove, add), not from a plan's URL."""
    return any(name.startswith("item-") or name in EDIT_PARAMETERS for name in data)


def requested_tokens(data):
    """(name, value) pairs of the plan: the URL's, or the edited rows, the plan's hidden pairs (the search
    and "add" forms carry them) and what is being added."""
    tokens = rows_to_tokens(data) if is_edit(data) else []
    tokens += [(name, value) for name in ("food", "supplement") for value in data.getlist(name)]
    tokens += added_items(data) if is_edit(data) else []
    # Foods first, then supplements, each in the order added: the same order for the rows and the URL.
    return sorted(tokens, key=lambda pair: pair[0] != "food")


class PlanForm(FilterForm):
    """The plan in a URL (see the module's docstring). `stage` is a filter field (an unknown key is
    dropped with a notice); the items are read by `read_items()`, each bad one dropped with a notice."""

    stage = filter_field(
        forms.ChoiceField,
        "Life stage",
        "We have no life stage {value}: comparing with the label Daily Value instead; choose one from the list.",
        help_text="To compare with that life stage’s recommended intake and Upper Level.",
    )

    max_per_day = MAX_PER_DAY

    def __init__(self, data, stages, supplement_forms):
        self.life_stages = LifeStages(stages)
        self.supplement_forms = {form.slug: form for form in supplement_forms}
        super().__init__(data, {"stage": self.life_stages.choices})
        self.item_notices = []
        self.items = self.read_items(requested_tokens(data))

    def invalid_notice(self, name):
        return self.fields[name].error_messages["ignored"].format(value=shown(str(self.data.get(name, ""))))

    @property
    def notices(self):
        return super().notices + self.item_notices

    @property
    def value_stage(self):
        return self.value("stage", "")

    @property
    def selected_stage(self):
        return self.life_stages.get(self.value("stage"))

    # Items ------------------------------------------------------------------------------------

    def read_items(self, tokens):
        """PlanItems in the order asked; at most three queries for the foods, whatever their number."""
        if len(tokens) > MAX_ITEMS:
            self.item_notices.append(
                f"A plan holds at most {MAX_ITEMS} items: the first {MAX_ITEMS} are shown, "
                f"{len(tokens) - MAX_ITEMS} more left out."
            )
            tokens = tokens[:MAX_ITEMS]
        parsed = []
        for name, value in tokens:
            parts = value.split(":")
            lengths = (2, 3) if name == "food" else (3,)
            if len(parts) not in lengths or not parts[0]:
                self.left_out(f"{shown(value)} is not {FORMATS[name]}")
            elif not SLUG.fullmatch(parts[0]):
                # The format is right; no food or form has such a name (e.g. one with a hidden character).
                self.left_out(f"We have no {'food' if name == 'food' else 'supplement form'} {shown(parts[0])}")
            else:
                parsed.append((name, parts))
        foods = self.foods_by_slug([parts[0] for name, parts in parsed if name == "food"])
        items = []
        for name, parts in parsed:
            item = self.food(foods, *parts) if name == "food" else self.supplement(*parts)
            if item is not None:
                items.append(item)
        return items

    @staticmethod
    def foods_by_slug(slugs):
        """{slug: FoodEntry or USDAFood}, each with `usda_measures` (its USDA food's measures in order):
        the featured foods, the USDA foods and all their measures, three queries."""
        if not slugs:
            return {}
        slugs = list(dict.fromkeys(slugs))
        featured = FoodEntry.objects.published().select_related("usda_food").filter(slug__in=slugs)
        entries = {entry.slug: entry for entry in featured}
        usda = {food.slug: food for food in USDAFood.objects.filter(slug__in=slugs)}
        food_ids = {food.pk for food in usda.values()} | {e.usda_food_id for e in entries.values() if e.usda_food_id}
        measures = {}
        for measure in USDAMeasure.objects.filter(food_id__in=food_ids).order_by("food_id", "sequence"):
            measures.setdefault(measure.food_id, []).append(measure)
        for entry in entries.values():
            entry.usda_measures = measures.get(entry.usda_food_id, []) if entry.usda_food_id else []
        for food in usda.values():
            food.usda_measures = measures.get(food.pk, [])
        # A featured food keeps its own address even where a USDA slug is the same (food_pages does the same).
        return {**usda, **entries}

    def left_out(self, notice):
        """Drop an item, saying why in the reader's notices."""
        self.item_notices.append(f"{notice}: left out.")

    def food(self, foods, slug, servings_text, measure_text=None):
        food = foods.get(slug)
        if food is None:
            return self.left_out(f"We have no food {shown(slug)}")
        name = food.name if isinstance(food, FoodEntry) else food.description
        servings = decimal_or_none(servings_text)
        if servings is None or not 0 < servings <= MAX_SERVINGS:
            return self.left_out(
                f"Servings of {name} must be a number more than 0 and at most {MAX_SERVINGS} "
                f"(at most 2 decimals), not {shown(servings_text, 12)}"
            )
        sequence = None if measure_text is None else decimal_or_none(measure_text, WHOLE)
        measure = next((m for m in food.usda_measures if sequence is not None and m.sequence == sequence), None)
        if measure_text is not None and measure is None:
            return self.left_out(f"{name} has no household measure {shown(measure_text, 12)}")
        if isinstance(food, FoodEntry):
            return featured_item(food, servings, measure)
        return usda_item(food, servings, measure)

    def supplement(self, key, mg_given, per_day_given):
        supplement_form = None if key == LABEL else self.supplement_forms.get(key)
        if key != LABEL and supplement_form is None:
            return self.left_out(f"We have no supplement form {shown(key)}")
        name = "the supplement" if supplement_form is None else supplement_form.name.lower()
        amount = decimal_or_none(mg_given)
        if amount is None or not 0 < amount <= MAX_AMOUNT_MG:
            return self.left_out(
                f"The mg per serving of {name} must be a number more than 0 and at most {MAX_AMOUNT_MG:,} "
                f"(at most 2 decimals), as the label gives it, not {shown(mg_given, 12)}"
            )
        per_day = decimal_or_none(per_day_given, WHOLE)
        if per_day is None or not 1 <= per_day <= MAX_PER_DAY:
            return self.left_out(
                f"Servings a day of {name} must be a whole number from 1 to {MAX_PER_DAY}, "
                f"not {shown(per_day_given, 12)}"
            )
        return supplement_item(key, supplement_form, amount, int(per_day))

    # The plan's address -------------------------------------------------------------------------

    @property
    def pairs(self):
        """The plan as (name, value) pairs of the URL contract: stage, then the items in order."""
        stage = self.value("stage")
        return ([("stage", stage)] if stage else []) + [(item.kind, item.token) for item in self.items]

    def query(self, items=None, **extra):
        """The plan as the URL contract writes it: stage, then the items in order."""
        pairs = [("stage", self.value("stage"))] if self.value("stage") else []
        pairs += [(item.kind, item.token) for item in (self.items if items is None else items)]
        pairs += [(name, value) for name, value in extra.items() if value]
        return urlencode(pairs, safe=":|")

    def url(self, items=None, **extra):
        query = self.query(items, **extra)
        return reverse("planner") + (f"?{query}" if query else "")


# --- The day's sums --------------------------------------------------------------------------------


class Plan:
    """The day: items biggest first, the total against the life stage's RDA or AI (else the label
    Daily Value), and the supplemental part alone against the Upper Level (food never counts in it)."""

    def __init__(self, items, life_stages, stage):
        self.stage = stage
        self.life_stages = life_stages
        # Biggest contributors first; equal ones keep the order they were added in.
        self.items = sorted(items, key=lambda item: -item.mg_shown)
        self.total_mg = round_mg(sum((item.mg for item in items), Decimal(0)))
        self.food_mg = round_mg(sum((item.mg for item in items if not item.supplemental), Decimal(0)))
        self.supplemental_mg = round_mg(sum((item.mg for item in items if item.supplemental), Decimal(0)))
        for number, item in enumerate(self.items, start=1):
            item.number = number
            item.share = int(percent_of(item.mg_shown, self.total_mg) or 0)
        self.upper = life_stages.upper_level_row(stage)

    def __bool__(self):
        return bool(self.items)

    @property
    def has_supplements(self):
        return any(item.supplemental for item in self.items)

    @property
    def recommended_mg(self):
        return self.stage.recommended_mg if self.stage else None

    @property
    def reference_mg(self):
        """What the total is compared with: the stage's RDA or AI, else the label Daily Value."""
        return self.recommended_mg or DAILY_VALUE_MG

    @property
    def percent(self):
        return int(percent_of(self.total_mg, self.reference_mg))

    @property
    def upper_level_mg(self):
        return self.upper.upper_level_mg if self.upper else None

    @property
    def against_upper_level(self):
        """The supplements' part alone against the Upper Level (supplements/dosing.py: the calculator's rule)."""
        return AgainstUpperLevel(self.supplemental_mg, self.upper_level_mg)

    @property
    def for_infant(self):
        return self.life_stages.for_infant(self.stage)

    @property
    def children_upper_levels(self):
        return self.life_stages.children_upper_levels

    # Bar widths (0-100, the w-N classes of site.css); the figure beside each bar says the same in words.
    @property
    def bar(self):
        return min(self.percent, 100)

    @property
    def upper_level_bar(self):
        return min(self.against_upper_level.percent or 0, 100)

    total_text = derived(plain, "total_mg")
    food_text = derived(plain, "food_mg")
    supplemental_text = derived(plain, "supplemental_mg")

    @property
    def over_by_text(self):
        over_by = self.against_upper_level.over_by
        return "" if over_by is None else plain(over_by)

    @property
    def stage_instruction(self):
        """The infant's or the child's instruction, as the page shows it (supplements/dosing.py), or ""."""
        return self.life_stages.instruction(self.stage)

    def without_stage_sentences(self):
        """With no life stage the 350 mg Upper Level may not be the reader's: say whom it is for, the
        children's lower ones and the infants' instruction (as the page shows them), and ask for a life stage.
        A verdict is given only when the amount is above even the highest Upper Level."""
        if self.upper_level_mg is None:  # pragma: no cover - the seed data always has the adults' row
            return []
        limit, ages = f"Upper Level of {self.upper_level_mg} mg a day", f"ages {self.upper.upper_level_ages}"
        over = self.has_supplements and self.against_upper_level.over
        sentences = []
        if over:
            sentences.append(
                f"Supplements and medicines (food not counted): {self.supplemental_text} mg a day, "
                f"{self.over_by_text} mg above the {limit}, which applies to {ages}."
            )
        else:
            if self.has_supplements:
                sentences.append(f"Supplements and medicines (food not counted): {self.supplemental_text} mg a day.")
            sentences.append(f"The {limit} applies to {ages}.")
        if self.children_upper_levels:
            bands = " and ".join(
                f"{band.upper_level_mg} mg a day for ages {band.upper_level_ages}"
                for band in self.children_upper_levels
            )
            sentences.append(f"Children’s Upper Levels are lower: {bands}.")
        sentences.append(INFANTS_WITHOUT_STAGE)
        sentences.append("Choose a life stage to compare with its Upper Level.")
        return sentences

    @property
    def milk_note(self):
        """For an infant: the plan counts no breast milk or formula."""
        return INFANT_MILK_NOTE if self.for_infant else ""

    @property
    def status_text(self):
        """What the screen-reader status line announces after each change: the total, the supplements against
        the Upper Level, and the infant's or child's instruction."""
        compared = (
            f"the {self.stage.metric} of {self.recommended_mg} mg"
            if self.stage
            else f"the label Daily Value of {DAILY_VALUE_MG} mg"
        )
        sentences = [f"Your day: {self.total_text} mg of magnesium, {self.percent}% of {compared}."]
        if self.milk_note:
            sentences.append(self.milk_note)
        if not self.stage:
            sentences += self.without_stage_sentences() if self.has_supplements else []
        elif self.has_supplements and self.upper_level_mg is not None:
            verdict = f"{self.over_by_text} mg above" if self.against_upper_level.over else "not above"
            sentences.append(
                f"Supplements and medicines: {self.supplemental_text} mg, {verdict} the Upper Level of "
                f"{self.upper_level_mg} mg."
            )
        if self.stage_instruction:
            sentences.append(self.stage_instruction)
        return " ".join(sentences)

    def summary(self, today, url, dates=None):
        """A short plain-text summary to copy into a message or a note for an appointment."""
        lines = [f"My magnesium day, {today:%-d %B %Y} (Magnesium & Nerve Health): {url}"]
        if self.stage:
            lines.append(f"Life stage: {self.stage.label}")
        for item in self.items:
            lines.append(f"- {item.name}: {item.portion} = {item.mg_text} mg")
        compared = (
            f"{self.percent}% of the {self.stage.metric} of {self.recommended_mg} mg"
            if self.stage
            else f"{self.percent}% of the label Daily Value of {DAILY_VALUE_MG} mg"
        )
        lines.append(f"Total: {self.total_text} mg a day, {compared} (food {self.food_text} mg).")
        if self.milk_note:
            lines.append(self.milk_note)
        if not self.stage:
            lines += self.without_stage_sentences()
        elif self.upper_level_mg is not None:
            verdict = f"{self.over_by_text} mg above it" if self.against_upper_level.over else "not above it"
            lines.append(
                f"Supplements and medicines: {self.supplemental_text} mg a day against the Upper Level of "
                f"{self.upper_level_mg} mg for ages {self.upper.upper_level_ages} (food not counted): {verdict}."
            )
        elif self.upper:
            lines.append(f"No Upper Level is set for {self.upper.upper_level_ages}: {self.upper.upper_level_note}.")
        if self.stage_instruction:
            lines.append(self.stage_instruction)
        if dates is not None:
            lines.append(dates_line(dates))
        # No Upper Level is set for an infant: the kidney instruction stands alone (supplements/dosing.py).
        kidney = (
            KIDNEY_INSTRUCTION
            if self.for_infant
            else f"The Upper Level is for healthy people: {KIDNEY_INSTRUCTION[0].lower()}{KIDNEY_INSTRUCTION[1:]}"
        )
        lines.append(
            f"{kidney} Children and infants have their own figures; pregnancy and breastfeeding have their own "
            f"recommended intakes, and the same Upper Level. The figures do not fit {HEART_GUT_DISORDERS}. "
            f"Source: {HEART_GUT_SOURCE}."
        )
        return "\n".join(lines)


# --- The plan carried to another page ------------------------------------------------------------

# The plan's own parameters (the URL contract above); the page's edit rows, search and "add" controls are not.
PLAN_PARAMETERS = ("stage", "food", "supplement")


def carries_plan(data):
    """A request names a plan (any of its parameters, good or bad): its page is the reader's own."""
    return any(name in data for name in PLAN_PARAMETERS)


def plan_only(data):
    """Only the plan's parameters of `data`, in their order: a stray `item-0` or `add_food` never edits it."""
    query = QueryDict(mutable=True)
    for name in PLAN_PARAMETERS:
        if values := data.getlist(name):
            query.setlist(name, values)
    return query


class CarriedPlanForm(PlanForm):
    """The plan read on another page: the same reading, with a stage notice that says what happens there."""

    stage = filter_field(
        forms.ChoiceField,
        "Life stage",
        "We have no life stage {value}: left out of your plan.",
    )


class CarriedPlan:
    """A reader's plan carried to the medicines page by the planner's "Check your medicines" link, in the
    planner's own URL contract and read as the planner reads it (a bad item is dropped with the planner's
    notice). The medicines page shows the plan's supplements, antacids and laxatives (what "magnesium" means in
    its timings) and links back to the exact plan; nothing is stored. Two queries (life stages, supplement
    forms), three more when the plan has foods (featured foods, USDA foods, their measures), whatever its size."""

    def __init__(self, data):
        supplement_forms = list(planner_forms())
        self.form = CarriedPlanForm(plan_only(data), IntakeReference.objects.all(), supplement_forms)
        self.plan = Plan(self.form.items, self.form.life_stages, self.form.selected_stage)

    @property
    def notices(self):
        return self.form.notices

    @property
    def supplements(self):
        """The plan's supplements, antacids and laxatives, biggest first."""
        return [item for item in self.plan.items if item.supplemental]

    @property
    def foods(self):
        return [item for item in self.plan.items if not item.supplemental]

    @property
    def query(self):
        """The plan as its URL writes it (valid items only), for the medicines page's form and links."""
        return self.form.query()

    @property
    def pairs(self):
        """The plan as (name, value) pairs, for the medicines page's form to send again with the ticked medicines."""
        return self.form.pairs

    @property
    def planner_url(self):
        """The way back: the exact plan on the planner."""
        return self.form.url()


def medicines_url(query):
    """The medicines page carrying a plan (`query`, as the planner's URL writes it)."""
    return reverse("supplements:medicines") + (f"?{query}" if query else "")


# --- The page --------------------------------------------------------------------------------------


def planner_forms():
    return SupplementForm.objects.published().order_by(Lower("name")).only("name", "slug", "elemental_percent")


def search(request):
    """(query, matches, notice): foods whose names match the search box, featured ones first."""
    query, notice = search_text(request)
    if not query:
        return "", [], notice
    found = search_matches(query, [])
    matches = found.of((slug, name, kind, reverse("supplements:food", args=[slug])) for slug, name, kind in found)
    return query, matches, None


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request", "HX-Target")
def planner(request):
    """The planner page. An htmx request gets the part it asked for (its HX-Target): the live result
    while amounts change (the address replaced by the plan's own), the food matches while the reader
    types, else the whole plan (after an item is added or removed the address is pushed, so Back undoes it)."""
    supplement_forms = list(planner_forms())
    form = PlanForm(request.GET, IntakeReference.objects.all(), supplement_forms)
    plan = Plan(form.items, form.life_stages, form.selected_stage)
    canonical = form.url()
    edited = is_edit(request.GET)
    notices = form.notices
    if edited and not request.htmx and not notices:
        # The page's own form without JavaScript: the address becomes the plan's own.
        response = redirect(canonical)
        patch_cache_control(response, private=True, no_store=True)
        return response

    query, matches, search_notice = search(request)
    if search_notice:
        notices.append(search_notice)
    today = timezone.localdate()
    htmx = request.htmx and not request.htmx.history_restore_request
    # The byline: the supplement forms and the intake figures the plan is judged with, as the calculator's.
    # Two queries, whatever the plan; only where the page or the summary shows it.
    dates = (
        PageDates.of_items(SupplementForm.objects.published(), IntakeReference.objects.all())
        if plan or not htmx
        else None
    )
    context = {
        "form": form,
        "plan": plan,
        "notices": notices,
        "query": query,
        "matches": matches,
        "is_full": len(form.items) >= MAX_ITEMS,
        "max_items": MAX_ITEMS,
        "supplement_forms": supplement_forms,
        "per_day_choices": range(1, MAX_PER_DAY + 1),
        "canonical": canonical,
        # "Check your medicines" carries the plan to the medicines page, which links back to it.
        "medicines_url": medicines_url(form.query()),
        "plan_pairs": form.pairs,
        "today": today,
        "summary": plan.summary(today, request.build_absolute_uri(canonical), dates) if plan else "",
        "page_dates": dates,
        "daily_value": DAILY_VALUE_MG,
        "daily_value_source": DAILY_VALUE_SOURCE,
    }
    context["fragment"] = bool(htmx)  # a part of the page: the screen-reader status comes with it out of band
    context["matches_only"] = bool(htmx) and request.htmx.target == "food-matches"
    template = "supplements/planner.html"
    changes_items = edited and any(name in request.GET for name in CHANGES_ITEMS)
    if htmx and changes_items:
        response = render(request, template + "#plan", context)
        response = push_url(reswap(retarget(response, "#plan"), "outerHTML"), canonical)
    elif htmx and request.htmx.target == "result":
        response = render(request, template + "#live", context)
        if edited:
            response = replace_url(response, canonical)
    elif htmx and request.htmx.target == "food-matches":
        response = render(request, template + "#matches", context)
    elif htmx:
        response = render(request, template + "#plan", context)
    else:
        response = render(request, template, context)
    if request.GET:
        # A reader's day, like their medicines, lives only in their address bar: no shared cache keeps it.
        patch_cache_control(response, private=True, no_store=True)
    return response
