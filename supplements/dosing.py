"""Elemental magnesium arithmetic for the dose calculator: Decimal throughout, no floats.

Kept apart from the form and the view so the sums can be checked by hand in unit tests.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from supplements.models import DAILY_VALUE_MG, derived, elemental_percent_text, plain

# Shown to one decimal place of a milligram, percentages to whole numbers, halves rounded up.
MG_STEP = Decimal("0.1")
PERCENT_STEP = Decimal("1")


def round_mg(value):
    return value.quantize(MG_STEP, rounding=ROUND_HALF_UP)


def round_percent(value):
    return value.quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


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
        if not self.recommended_mg:
            return None
        return round_percent(self.per_day_rounded * 100 / self.recommended_mg)

    @property
    def percent_of_daily_value(self):
        return round_percent(self.per_day_rounded * 100 / DAILY_VALUE_MG)

    @property
    def over_upper_level(self):
        """True when the daily amount as shown (to 0.1 mg) is above the Upper Level; equal is not above."""
        return self.upper_level_mg is not None and self.per_day_rounded > self.upper_level_mg

    @property
    def over_by(self):
        return self.per_day_rounded - self.upper_level_mg if self.over_upper_level else None


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
