"""Load the reference data shipped in supplements/data/ into the database.

Idempotent: a row that already exists (matched by slug) is left exactly as it is, so
running the seed again never overwrites what an editor changed since.
"""

import csv
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from supplements.models import FoodEntry, FoodGroup, IntakeReference, Medicine, SupplementForm, SupplementUse
from supplements.usda_sr28 import link_featured_foods

DATA_DIR = Path(__file__).resolve().parent / "data"

# Display order of the food groups in the filter (most magnesium-dense groups first).
FOOD_GROUPS = [
    "leafy greens", "vegetables", "nuts", "seeds", "whole grains", "refined grains",
    "legumes and soy", "dark chocolate and cocoa", "fish and seafood", "dairy", "fruit",
    "meat and poultry", "other",
]  # fmt: skip

URL_RE = re.compile(r"\((?:https?://)?((?:ods\.od\.nih\.gov|doi\.org|pmc\.ncbi\.nlm\.nih\.gov)[^)\s]*)\)")


def read_csv(name):
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def first_url(source):
    """The first link named in a source text, so the page can offer it one click away."""
    match = URL_RE.search(source)
    return f"https://{match.group(1)}" if match else ""


# A foods row whose per-100 g figure the reference worked out from the NIH serving says so in its
# source; such a food has no per-100 g figure of its own, and the site works it out and says so.
WORKED_OUT_PER_100G = "per-100 g computed from"


def source_per_100g(row):
    """The row's per-100 g figure when its source gives one, else None."""
    if WORKED_OUT_PER_100G in row["source"]:
        return None
    return Decimal(row["magnesium_mg_per_100g"])


@transaction.atomic
def seed_foods():
    """Create the food groups and foods that do not exist yet. Returns the number created."""
    groups = {}
    for order, name in enumerate(FOOD_GROUPS):
        groups[name], _ = FoodGroup.objects.get_or_create(
            slug=slugify(name), defaults={"name": name.capitalize(), "order": order}
        )
    existing = set(FoodEntry.objects.values_list("slug", flat=True))
    now = timezone.now()  # bulk inserts skip save(), which would stamp the publication time
    new = []
    for row in read_csv("magnesium_foods.csv"):
        slug = slugify(row["name"])
        if slug in existing:
            continue
        new.append(
            FoodEntry(
                name=row["name"],
                slug=slug,
                group=groups[row["food_group"]],
                serving=row["serving"],
                serving_grams=Decimal(row["serving_grams"]),
                # Both figures as the source gives them (per 100 g often USDA's, so the two
                # can differ by a few mg from a conversion); the site shows each as given.
                magnesium_mg=Decimal(row["magnesium_mg_per_serving"]),
                magnesium_per_100g=source_per_100g(row),
                source=row["source"],
                source_url=first_url(row["source"]),
                status=FoodEntry.Status.PUBLISHED,
                published_at=now,
            )
        )
        existing.add(slug)
    # One insert for the foods and one for their "created" history records.
    bulk_create_with_history(new, FoodEntry)
    # Foods seeded after USDA's foods were imported get their link now (one query otherwise).
    link_featured_foods()
    return len(new)


# --- Supplement forms and intake references (issue 5) -------------------------------------------

# The CSV's absorption wording -> SupplementForm.Absorption. The exact wording is always kept in
# absorption_note and shown beside the category. "moderate to high" takes the lower, more
# cautious category; every "not (well) established" variant becomes "not established".
ABSORPTION_MAP = {
    "high": "high",
    "moderate to high (limited human data)": "moderate",
    "low": "low",
    "low (oral)": "low",
    "not well established (limited data)": "not_established",
    "not established in humans": "not_established",
    "not established": "not_established",
}
# The CSV's laxative wording -> SupplementForm.Laxative ("not well documented" -> not documented).
LAXATIVE_MAP = {"strong": "strong", "moderate": "moderate", "mild": "mild", "not well documented": "not_documented"}

# Short use tags (slug: name). Marketing claims and proposals say so in the tag itself.
USE_TAGS = {
    "general-supplement": "General supplement",
    "laxative": "Laxative and constipation",
    "antacid": "Antacid",
    "sensitive-gut": "Sensitive gut",
    "oral-solution": "Oral solutions",
    "topical": "Topical and bath products",
    "licensed-medicine": "Licensed medicine",
    "hospital-iv": "Intravenous, in hospital",
    "fatigue-muscle-pain": "Fatigue and muscle pain (marketed)",
    "memory-cognition": "Memory and cognition (marketed)",
    "heart-blood-pressure": "Heart and blood pressure (marketed)",
    "heart-failure": "Heart failure (proposed)",
}
# Each phrase of the CSV's typical_uses (split on ";") -> its tags. The CSV wording itself stays
# on the form's page, in the "Typical uses" section of the body.
USE_PHRASE_TAGS = {
    "general supplement": ["general-supplement"],
    "general supplement (cheapest per mg)": ["general-supplement"],
    "general supplement when the gut tolerates other forms poorly": ["general-supplement", "sensitive-gut"],
    "general supplement, often blended": ["general-supplement"],
    "laxative": ["laxative"],
    "oral laxative": ["laxative"],
    "constipation and bowel preparation (larger doses)": ["laxative"],
    "antacid": ["antacid"],
    "oral solutions": ["oral-solution"],
    "topical and bath products": ["topical"],
    "epsom salt baths": ["topical"],
    "licensed oral tablets in some countries": ["licensed-medicine"],
    "intravenous use in hospital": ["hospital-iv"],
    "marketed for fatigue and muscle pain (weak evidence)": ["fatigue-muscle-pain"],
    "marketed for memory and cognition": ["memory-cognition"],
    "marketed for heart and blood-pressure support": ["heart-blood-pressure"],
    "proposed as an adjunct in heart failure": ["heart-failure"],
}

SOURCE_URL_RE = re.compile(r"\s*\((https?://[^)\s]+)\)")
FIRST_SENTENCE_RE = re.compile(r"^(.+?[.!?])(?:\s|$)")


def use_slugs(typical_uses):
    """The tag slugs for a typical_uses cell; an unmapped phrase is a data error, said loudly."""
    slugs = []
    for phrase in typical_uses.split(";"):
        for slug in USE_PHRASE_TAGS[phrase.strip().lower()]:
            if slug not in slugs:
                slugs.append(slug)
    return slugs


def split_sources(source):
    """[(citation, url)] from a source cell: citations are separated by "; " and a part starting
    in lower case continues the one before ("...; cross-checked against ...")."""
    parts = []
    for part in source.split("; "):
        part = part.strip()
        if parts and part[:1].islower():
            parts[-1] += "; " + part
        elif part:
            parts.append(part)
    references = []
    for part in parts:
        match = SOURCE_URL_RE.search(part)
        if match:
            references.append(((part[: match.start()] + part[match.end() :]).strip(), match.group(1)))
        else:
            references.append((part, ""))
    return references


def form_text(row):
    """Summary and Markdown body, written only from the CSV's notes and typical uses: the first
    sentence of the notes is the summary (shown as the page's lead), the rest opens the body."""
    notes = row["notes"].strip()
    match = FIRST_SENTENCE_RE.match(notes)
    summary = match.group(1) if match else notes
    rest = notes[len(summary) :].strip()
    body = f"## More from the sources\n\n{rest}\n\n" if rest else ""
    body += f"## Typical uses\n\nAs the sources describe them: {row['typical_uses'].strip()}."
    return summary, body


@transaction.atomic
def seed_supplement_forms():
    """Create the use tags and the supplement forms (with their references) that do not exist
    yet, matched by slug. Returns the number of forms created."""
    uses = {}
    for slug, name in USE_TAGS.items():
        uses[slug], _ = SupplementUse.objects.get_or_create(slug=slug, defaults={"name": name})
    existing = set(SupplementForm.objects.values_list("slug", flat=True))
    created = 0
    for row in read_csv("supplement_forms.csv"):
        slug = slugify(row["name"])
        if slug in existing:
            continue
        summary, body = form_text(row)
        form = SupplementForm(
            name=row["name"][:1].upper() + row["name"][1:],
            slug=slug,
            compound=row["compound"],
            formula=row["formula"],
            molar_mass=Decimal(row["molar_mass_g_per_mol"]),
            elemental_percent=Decimal(row["elemental_magnesium_percent"]),
            absorption=ABSORPTION_MAP[row["absorption"]],
            absorption_note=row["absorption"],
            laxative_effect=LAXATIVE_MAP[row["laxative_effect"]],
            summary=summary,
            body=body,
            status=SupplementForm.Status.PUBLISHED,  # save() stamps the publication time
        )
        form.full_clean(exclude=["uses"])
        form.save()
        form.uses.set([uses[slug] for slug in use_slugs(row["typical_uses"])])
        references = form.references
        references.bulk_create(
            references.model(form=form, citation=citation, url=url, order=order)
            for order, (citation, url) in enumerate(split_sources(row["source"]), start=1)
        )
        existing.add(slug)
        created += 1
    return created


AGE_RANGE_RE = re.compile(
    r"^(?:(?P<low>\d+)-(?P<high>\d+) (?P<unit>months|years)|>(?P<over>\d+) years|(?P<start>\d+) years and older)$"
)


def age_span(age_range):
    """(first month, last month or None) of an age range as the intake table writes it."""
    match = AGE_RANGE_RE.match(age_range.strip())
    if not match:
        raise ValueError(f"Unrecognised age range in intake_reference.csv: {age_range!r}")
    if match["unit"] == "months":
        return int(match["low"]), int(match["high"])
    if match["unit"] == "years":
        return int(match["low"]) * 12, (int(match["high"]) + 1) * 12 - 1
    if match["over"]:
        return (int(match["over"]) + 1) * 12, None
    return int(match["start"]) * 12, None


def upper_level_for(age_range, upper_rows):
    """The UL row whose age band contains `age_range`."""
    low, high = age_span(age_range)
    for row in upper_rows:
        ul_low, ul_high = age_span(row["age_range"])
        if ul_low <= low and (ul_high is None or (high is not None and high <= ul_high)):
            return row
    raise ValueError(f"No Upper Level row in intake_reference.csv covers {age_range!r}")


@transaction.atomic
def seed_intake_references():
    """Create the RDA/AI rows that do not exist yet (matched by life stage, age range and sex),
    each with the Upper Level for its age attached. The DV row is the constant DAILY_VALUE_MG.
    Returns the number created."""
    rows = read_csv("intake_reference.csv")
    upper_rows = [row for row in rows if row["metric"] == "UL"]
    existing = set(IntakeReference.objects.values_list("life_stage", "age_range", "sex"))
    created = 0
    for order, row in enumerate((row for row in rows if row["metric"] in ("RDA", "AI")), start=1):
        if (row["group"], row["age_range"], row["sex"]) in existing:
            continue
        upper = upper_level_for(row["age_range"], upper_rows)
        IntakeReference.objects.create(
            life_stage=row["group"],
            age_range=row["age_range"],
            sex=row["sex"],
            metric=row["metric"],
            recommended_mg=int(row["magnesium_mg_per_day"]),
            notes=row["notes"],
            upper_level_mg=int(upper["magnesium_mg_per_day"]) if upper["magnesium_mg_per_day"] else None,
            upper_level_ages=upper["age_range"],
            upper_level_note=upper["notes"],
            upper_level_source=upper["source"],
            order=order,
            source=row["source"],
        )
        created += 1
    return created


# --- Medicines, one row each with its own spacing (issue 12) ----------------------------------------

# The CSV has no "do not combine" column: its what_to_do says it in words. Raltegravir's source says
# not to take aluminium or magnesium antacids with it "either together or spaced apart" (trough
# levels fell by about half even 6 hours apart), so the timetable must give it no time at all.
DO_NOT_COMBINE = {"raltegravir": "magnesium/aluminium antacids"}
# Whom to ask before any magnesium supplement, where the row names someone: raltegravir's what_to_do
# ("Ask the HIV team about alternatives"); its WebMD source covers "Aluminum & Magnesium Antacids &
# Magnesium Supplements".
ASK_WHOM = {"raltegravir": "your HIV team"}
# The short line's timing in the row's own words, where the hours alone would mislead (issue: clinician
# review). Alendronate: 30 minutes on the US label, "3 to 4 hours before or after" on the UK leaflet;
# risedronate: "at a different time of day", plain water only for 30 minutes after the dose.
TIMING_WORDS = {
    "alendronate": "at least 30 min before magnesium (a UK magnesium leaflet: 3 to 4 h before or after)",
    "risedronate": "at a different time of day from magnesium; nothing but plain water for at least 30 min "
    "after the risedronate dose",
}


def hours(value):
    return Decimal(value) if value.strip() else None


# Where a source gives a range of hours, interactions_detail.csv enters its lower figure and says so in
# the source column: "(2 to 4 hours, lower bound entered)", "(3 to 4 hours; the lower bound is entered ...)".
# The range goes to `hours_range`, so the short line shows it beside the lower figure (clinician review).
RANGE_ENTERED_RE = re.compile(r"\((\d+(?:\.\d+)? to \d+(?:\.\d+)? hours)[,;] (?:the )?lower bound")


def hours_range(row):
    match = RANGE_ENTERED_RE.search(row["source"])
    return match.group(1) if match else ""


# What the short line adds to a row, each from the owner's reference (medicine_timing_notes.csv says
# where): another source's differing timing (NIH ODS for tetracyclines and quinolones, interactions.md),
# and a timing read on a non-US label copy (EVIDENCE_README.md). Only rows that need one are there.
TIMING_NOTE_COLUMNS = ["sources_differ", "sources_differ_links", "label_read_on"]


def timing_notes():
    return {
        row["slug"]: {column: row[column] for column in TIMING_NOTE_COLUMNS}
        for row in read_csv("medicine_timing_notes.csv")
    }


# The interactions_detail.csv columns a Medicine field of the same name takes as they are.
MEDICINE_COLUMNS = ["slug", "examples", "effect", "severity", "what_to_do", "source", "url", "read_via"]


def medicine_from_row(row, now, notes):
    """A Medicine from a row of interactions_detail.csv and its row of medicine_timing_notes.csv (or {})."""
    monitoring = row["monitoring"].strip()
    return Medicine(
        name=row["medicine"],
        medicine_class=row["class"],
        hours_before=hours(row["take_medicine_hours_before_mg"]),
        hours_after=hours(row["take_medicine_hours_after_mg"]),
        do_not_combine_with=DO_NOT_COMBINE.get(row["slug"], ""),
        ask_whom=ASK_WHOM.get(row["slug"], "your prescriber"),
        timing_words=TIMING_WORDS.get(row["slug"], ""),
        hours_range=hours_range(row),
        **notes,
        # The level-type rows: their monitoring advice is about the blood magnesium level.
        magnesium_test="magnesium" in monitoring.lower(),
        monitoring=monitoring,
        accessed=date.fromisoformat(row["accessed"]),
        status=Medicine.Status.PUBLISHED,
        published_at=now,
        **{column: row[column] for column in MEDICINE_COLUMNS},
    )


@transaction.atomic
def seed_medicines():
    """Create the medicines of interactions_detail.csv that do not exist yet, matched by slug,
    published. A medicine already there is left as the editors have it. Returns the number created."""
    existing = set(Medicine.objects.values_list("slug", flat=True))
    now = timezone.now()
    new = []
    notes = timing_notes()
    for row in read_csv("interactions_detail.csv"):
        if row["slug"] in existing:
            continue
        medicine = medicine_from_row(row, now, notes.get(row["slug"], {}))
        medicine.full_clean()  # a data error in the CSV fails loudly here, not on the page
        new.append(medicine)
        existing.add(row["slug"])
    bulk_create_with_history(new, Medicine)
    return len(new)
