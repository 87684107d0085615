"""The clinician review of the medicines page (session 7), for medicines already in the database (the seed only
adds new ones; a fresh database gets the same from supplements/data/medicine_timing_notes.csv and the source column
of interactions_detail.csv):

- the source's range of hours beside the lower figure entered (digoxin "2 to 4 hours", penicillamine "3 to 4
  hours"), read from the source column where it still says the lower bound was entered;
- NIH ODS's differing timing for tetracyclines and quinolones (interactions.md), on tetracyclines and levofloxacin;
  for bisphosphonates, on alendronate and risedronate (with the UK leaflet's 3-4 h on risedronate); the UK leaflet's
  "at least 4 hours apart" on eltrombopag; each with the link of every source it names;
- the non-US label copies behind gabapentin's and levofloxacin's timing (EVIDENCE_README.md), where the source
  still names that copy.

The fields are new, so only empty ones are filled; nothing an editor wrote is changed."""

import re

from django.db import migrations, models


RANGE_ENTERED_RE = re.compile(r"\((\d+(?:\.\d+)? to \d+(?:\.\d+)? hours)[,;] (?:the )?lower bound")
ODS_LINK = (
    "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/ (NIH ODS magnesium fact sheet for health "
    "professionals: quoted as our reference notes, interactions.md, cite it; its interaction section was not read "
    "for this site)"
)
ODS = "the NIH Office of Dietary Supplements' magnesium fact sheet for health professionals says to take "
SEPARATE = (
    "the NIH Office of Dietary Supplements' magnesium fact sheet for health professionals says to separate "
    "bisphosphonates and magnesium by at least 2 h"
)
# slug: (the differing timing, the address of each source it names, with its note)
SOURCES_DIFFER = {
    "tetracyclines": (ODS + "the antibiotic at least 2 h before or 4-6 h after magnesium.", ODS_LINK),
    "levofloxacin": (
        ODS + "quinolone antibiotics (ciprofloxacin, levofloxacin, moxifloxacin) at least 2 h before or 4-6 h after "
        "magnesium.",
        ODS_LINK,
    ),
    # interactions_detail.csv's own source column (UK SmPC: "give at least 4 hours apart"), one of its own links.
    "eltrombopag": (
        "a UK magnesium product leaflet (section 4.5) says to give eltrombopag and magnesium at least 4 h apart.",
        "https://medicines.org.uk/emc/product/4841/smpc",
    ),
    # interactions.md, bisphosphonates: "ODS/GoodRx: separate by at least 2 h; SmPC: take magnesium 3-4 h before
    # or after", [SmPC] being https://medicines.org.uk/emc/product/2678/smpc.
    "alendronate": (SEPARATE + ".", ODS_LINK),
    "risedronate": (
        SEPARATE + ", and a UK magnesium product leaflet says to take magnesium 3-4 h before or after them.",
        ODS_LINK + "; https://medicines.org.uk/emc/product/2678/smpc (UK magnesium product leaflet, section 4.5: "
        "quoted as our reference notes, interactions.md, cite it for bisphosphonates)",
    ),
}
# slug: (what the source column still says, the label)
LABEL_READ_ON = {
    "gabapentin": ("(MIMS Thailand copy)", "the Gabtin (gabapentin) label, read on MIMS Thailand"),
    "levofloxacin": (
        "(MIMS Philippines copy)",
        "the Levofloxin-Natrapharm (levofloxacin) label, read on MIMS Philippines",
    ),
}


def fill_in(apps, schema_editor):
    Medicine = apps.get_model("supplements", "Medicine")
    for medicine in Medicine.objects.filter(hours_range="", source__contains="lower bound"):
        match = RANGE_ENTERED_RE.search(medicine.source)
        if match:
            Medicine.objects.filter(pk=medicine.pk).update(hours_range=match.group(1))
    for slug, (words, links) in SOURCES_DIFFER.items():
        Medicine.objects.filter(slug=slug, sources_differ="").update(sources_differ=words, sources_differ_links=links)
    for slug, (copy, label) in LABEL_READ_ON.items():
        Medicine.objects.filter(slug=slug, label_read_on="", source__contains=copy).update(label_read_on=label)


def fields():
    """The new and changed fields, as a fresh instance for each model (the medicine and its history)."""
    return [
        (
            "AddField",
            "hours_range",
            models.CharField(
                blank=True,
                help_text="Only where the source gives a range: the range in its words, e.g. “2 to 4 hours”. Enter its lower figure in the hours above; the short line shows both (“… 2 h after magnesium (the source says 2 to 4 hours)”), so the lower figure is never read as the whole instruction.",
                max_length=60,
                verbose_name="the source's range",
            ),
        ),
        (
            "AddField",
            "label_read_on",
            models.CharField(
                blank=True,
                help_text="Only when the timing comes from a non-US product's label or a non-US copy of a label: which label, where, e.g. “the Gabtin (gabapentin) label, MIMS Thailand”. The short line then says that spacing for US products can differ and to ask your pharmacist.",
                max_length=150,
                verbose_name="non-US label read",
            ),
        ),
        (
            "AddField",
            "sources_differ",
            models.TextField(
                blank=True,
                help_text="Only where another source gives a different timing that readers must also see: that source and its timing in one sentence, every figure as the source gives it, e.g. “The NIH Office of Dietary Supplements' magnesium fact sheet says to take the antibiotic at least 2 h before or 4-6 h after magnesium.” The short line shows it after “Sources differ:” and then says once “Ask your pharmacist which gap to keep.”",
            ),
        ),
        (
            "AddField",
            "sources_differ_links",
            models.TextField(
                blank=True,
                help_text="The address of every source named above, separated by “; ”, each with a note in brackets saying how it was read, e.g. “https://… (quoted as our reference notes cite it; not read for this site)”. An address that is already one of this medicine's sources is listed once, as its own.",
                verbose_name="differing sources' links",
            ),
        ),
        (
            "AlterField",
            "do_not_combine_with",
            models.CharField(
                blank=True,
                help_text="Only when the source says not to combine them at all, even spaced apart: what not to combine it with, e.g. “magnesium/aluminium antacids”. The timetable then says “do not combine [name] with …; ask [who to ask] before taking any magnesium supplement” and gives no hours.",
                max_length=150,
            ),
        ),
        (
            "AlterField",
            "timing_words",
            models.CharField(
                blank=True,
                help_text="Only when the hours alone would mislead: the short line's timing in the source's words, shown after “take [name]” instead of “at least … magnesium”, e.g. “at a different time of day from magnesium”. Keep it consistent with the hours and with what to do.",
                max_length=200,
                verbose_name="timing in the source's words",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("supplements", "0019_usda_food_search_words"),
    ]

    operations = [
        getattr(migrations, operation)(model_name=model, name=name, field=field)
        for model in ("historicalmedicine", "medicine")
        for operation, name, field in fields()
    ] + [migrations.RunPython(fill_in, migrations.RunPython.noop)]
