"""Elemental magnesium arithmetic for the dose calculator and the day planner: Decimal throughout,
no floats. The one place where a daily amount is judged against an Upper Level, and where a life
stage's Upper Level is chosen (`LifeStages`).

Kept apart from the forms and the views so the sums can be checked by hand in unit tests.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from supplements.models import DAILY_VALUE_MG, derived, elemental_percent_text, plain

# What the site tells a reader about an infant's or a child's supplemental magnesium, word for word wherever it
# judges an amount: the calculator's and the planner's result (the shared includes upper_level_verdict.html and
# stage_notice.html write them through supplements/templatetags/stage_instructions.py), the planner's
# screen-reader status line and summary, and the medicines page's box about a plan. One source: "No Upper Level"
# must never read as "no limit". From intake_reference.csv (no Upper Level for infants: "intake should come from
# breast milk, formula and food"; NIH ODS, Table 3) and NIH ODS (a child's toxicity from laxatives and antacids).
INFANT_INSTRUCTION = "Give an infant no magnesium supplement, antacid or laxative unless a clinician prescribes it."
CHILD_INSTRUCTION = (
    "For a child, ask the child’s doctor or pharmacist before giving any magnesium supplement, antacid or laxative."
)
# With no life stage chosen: a clause, which the pages' note on children's Upper Levels goes on after with "; ..."
# and the planner's status line and summary end with a full stop (INFANTS_WITHOUT_STAGE).
NO_UPPER_LEVEL_FOR_INFANTS = (
    "No Upper Level is set for infants: give no magnesium supplement, antacid or laxative unless a clinician "
    "prescribes it"
)
INFANTS_WITHOUT_STAGE = f"{NO_UPPER_LEVEL_FOR_INFANTS}."
# Kidney disease, wherever the site judges an amount (supplements/includes/kidney_disease.html, the planner's
# summary): deficiency.md, section 5 (magnesium laxative and antacid labels; Magnaspartate SmPC). For an infant,
# for whom no Upper Level is set, the pages give this instruction without the sentence about the Upper Level.
KIDNEY_CLAUSE = "take no magnesium supplement, antacid or laxative unless your prescriber advises it"
KIDNEY_INSTRUCTION = f"With kidney disease, {KIDNEY_CLAUSE}."
# Who else the figures do not fit, named wherever the calculator's or the planner's result says whom its
# figures are for (supplements/includes/who_figures_fit.html): interactions.md, "people with kidney, heart or
# gastrointestinal disorders should avoid supplements unless a clinician supervises. [MSKCC] [ODS]".
HEART_GUT_DISORDERS = (
    "people with heart or gastrointestinal disorders, who should avoid magnesium supplements unless a clinician "
    "supervises"
)
HEART_GUT_SOURCE = "MSKCC and NIH ODS (heart and gastrointestinal disorders)"
STAGE_INSTRUCTIONS = {
    "infant": INFANT_INSTRUCTION,
    "child": CHILD_INSTRUCTION,
    "no_upper_level_for_infants": NO_UPPER_LEVEL_FOR_INFANTS,
    "kidney": KIDNEY_INSTRUCTION,
    "heart_gut_disorders": HEART_GUT_DISORDERS,
    "heart_gut_source": HEART_GUT_SOURCE,
}

# How to count a liquid (milk of magnesia and other liquid antacids and laxatives), shown where the reader
# enters a supplement's amount and servings: the calculator's compound hint and the planner's "add a supplement"
# row (supplements/includes/liquid_servings.html, with its source). Figures: deficiency.md, section 6 (Phillips'
# Milk of Magnesia Drug Facts labels: 400 mg of magnesium hydroxide per 5 mL; 30 mL to 60 mL a day for adults; a
# label giving "each 15 mL contains: magnesium 500 mg") and the supplement forms data (41.7 % magnesium).
LIQUID_SERVINGS = (
    "Milk of magnesia and many liquid antacids and laxatives are magnesium hydroxide (41.7 % magnesium). "
    "A liquid is counted in servings, not mL: with 400 mg of magnesium hydroxide per 5 mL (about 167 mg of "
    "magnesium), enter 400 as the amount per serving and, under “Servings a day”, the number of 5 mL servings you "
    "take: a 30 mL dose is 6 servings of 5 mL. If the Drug Facts label gives magnesium itself (“each 15 mL "
    "contains: magnesium 500 mg”), choose the “Magnesium … mg” answer instead and count 15 mL servings."
)
PAGE_TEXTS = {**STAGE_INSTRUCTIONS, "liquid_servings": LIQUID_SERVINGS}

# Shown to one decimal place of a milligram, percentages to whole numbers, halves rounded up.
MG_STEP = Decimal("0.1")
PERCENT_STEP = Decimal("1")


def round_mg(value):
    return value.quantize(MG_STEP, rounding=ROUND_HALF_UP)


def round_percent(value):
    return value.quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def percent_of(mg_shown, reference_mg):
    """`mg_shown` (already rounded as the page shows it) as a whole % of `reference_mg`, or None without one."""
    if not reference_mg:
        return None
    return round_percent(mg_shown * 100 / reference_mg)


def is_over_upper_level(mg_shown, upper_level_mg):
    """True when a daily amount of supplemental magnesium, as shown (to 0.1 mg), is above the Upper
    Level; equal is not above, and no Upper Level (infants) is never "over" (the page says why)."""
    return upper_level_mg is not None and mg_shown > upper_level_mg


@dataclass(frozen=True)
class AgainstUpperLevel:
    """A day's supplemental magnesium, as shown (to 0.1 mg), against an Upper Level (None: none set)."""

    mg_shown: Decimal
    upper_level_mg: int | None

    @property
    def over(self):
        return is_over_upper_level(self.mg_shown, self.upper_level_mg)

    @property
    def over_by(self):
        return self.mg_shown - self.upper_level_mg if self.over else None

    @property
    def percent(self):
        return percent_of(self.mg_shown, self.upper_level_mg)


class LifeStages:
    """The intake rows (IntakeReference) by their key, e.g. "adults-31-50-years-female", with the
    Upper Level that applies when a reader names no life stage (the oldest ages: 350 mg from 9 years)
    and the lower Upper Levels of young children. Shared by the calculator and the planner."""

    def __init__(self, intakes):
        self.by_key = {stage.key: stage for stage in intakes}

    def get(self, key):
        return self.by_key.get(key)

    @property
    def choices(self):
        return [("", "Not given")] + [
            (key, f"{stage.label} ({stage.metric} {stage.recommended_mg} mg)") for key, stage in self.by_key.items()
        ]

    @property
    def default_upper_level(self):
        """With no life stage chosen: the Upper Level row for the oldest ages (350 mg from age 9)."""
        with_limit = [stage for stage in self.by_key.values() if stage.upper_level_mg is not None]
        return max(with_limit, key=lambda stage: stage.upper_level_mg, default=None)

    @property
    def children_upper_levels(self):
        """The lower Upper Levels of younger children (one row per age band), for the note shown when
        no life stage is chosen: 65 mg for 1-3 years, 110 mg for 4-8 years in the seed data."""
        default = self.default_upper_level
        bands = {}
        for stage in self.by_key.values():
            if stage.upper_level_mg is not None and default and stage.upper_level_mg < default.upper_level_mg:
                bands.setdefault(stage.upper_level_ages, stage)
        return sorted(bands.values(), key=lambda stage: stage.upper_level_mg)

    def upper_level_row(self, stage):
        """The IntakeReference whose Upper Level an amount is compared with: the stage's, else the default."""
        return stage or self.default_upper_level

    @staticmethod
    def for_infant(stage):
        """A life stage is chosen and no Upper Level is set for it (infants, 0-12 months)."""
        return stage is not None and stage.upper_level_mg is None

    @classmethod
    def instruction(cls, stage):
        """The infant's or the child's instruction for a chosen life stage, as the pages give it, or ""."""
        if cls.for_infant(stage):
            return INFANT_INSTRUCTION
        if stage is not None and stage.is_child:
            return CHILD_INSTRUCTION
        return ""


@dataclass(frozen=True)
class Dose:
    """A day's magnesium from a supplement. Amounts are unrounded; the page rounds for display,
    and everything compared or worked out from the daily amount uses the rounded figure it shows,
    so "350.0 mg" is never "0.0 mg more" than an Upper Level of 350 mg.

    The calculator's "amount" is per serving (the label's serving, however many capsules);
    `pills_per_dose` is the servings taken together (1 unless an older link sets `pills`) and
    `doses_per_day` the times a day, so `per_pill` is per serving.

    `recommended_mg` (RDA or AI) and `upper_level_mg` (the Upper Level for supplemental
    magnesium) come from the life stage the reader chose, or are None.
    """

    amount_mg: Decimal
    elemental_percent: Decimal
    pills_per_dose: int
    doses_per_day: int
    per_pill: Decimal
    per_day: Decimal
    recommended_mg: int | None = None
    upper_level_mg: int | None = None

    amount_text = derived(plain, "amount_mg")
    elemental_percent_text = derived(elemental_percent_text, "elemental_percent")
    per_pill_rounded = derived(round_mg, "per_pill")
    per_day_rounded = derived(round_mg, "per_day")

    @property
    def pills_per_day(self):
        return self.pills_per_dose * self.doses_per_day

    @property
    def percent_of_recommended(self):
        return percent_of(self.per_day_rounded, self.recommended_mg)

    @property
    def percent_of_daily_value(self):
        return percent_of(self.per_day_rounded, DAILY_VALUE_MG)

    @property
    def against_upper_level(self):
        return AgainstUpperLevel(self.per_day_rounded, self.upper_level_mg)

    @property
    def over_upper_level(self):
        """True when the daily amount as shown (to 0.1 mg) is above the Upper Level; equal is not above."""
        return self.against_upper_level.over

    @property
    def over_by(self):
        return self.against_upper_level.over_by


def elemental_dose(
    amount_mg, elemental_percent, pills_per_dose=1, doses_per_day=1, *, recommended_mg=None, upper_level_mg=None
):
    """The Dose for pills holding `amount_mg` of a compound that is `elemental_percent` % magnesium.

    Pass elemental_percent=100 when the label already states elemental magnesium.
    500 mg of magnesium oxide (60.3 %) holds 301.5 mg; two 500 mg pills of glycinate (14.1 %), 141 mg.
    """
    amount_mg, elemental_percent = Decimal(amount_mg), Decimal(elemental_percent)
    per_pill = amount_mg * elemental_percent / 100
    return Dose(
        amount_mg=amount_mg,
        elemental_percent=elemental_percent,
        pills_per_dose=pills_per_dose,
        doses_per_day=doses_per_day,
        per_pill=per_pill,
        per_day=per_pill * pills_per_dose * doses_per_day,
        recommended_mg=recommended_mg,
        upper_level_mg=upper_level_mg,
    )
