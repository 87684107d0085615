"""The corrections log for the evidence notes changed on 30 November 2026 (session 7's clinician review): a trial
whose dose is above the Upper Level was said to have been "studied under supervision", which no source says; and
the back-pain trial's 245 mg twice a day had no note (articles migration 0013). Added at the top of an existing
site's 30 November 2026 heading, as 0008 did; a fresh site gets it from data/site_pages/corrections.md."""

from django.db import migrations

from site_project.seed import add_correction

HEADING = "## 30 November 2026\n\n"
ENTRY = (
    "- **Evidence: doses above the Upper Level.** Where a trial's dose was above the Upper Level for supplements "
    "(350 mg a day), the [evidence pages](/evidence/) said that it was studied under supervision. No source says so "
    "(the 520 mg leg-cramp trial was in adults living in the community), so that sentence is removed; the note keeps "
    "the Upper Level and the Institute of Medicine's words on intakes above it. A back-pain trial's oral magnesium "
    "(245 mg twice a day) now carries the note too, saying that the form of its dose was not stated."
)


def log_the_evidence_note_changes(apps, schema_editor):
    add_correction(apps.get_model("site_project", "SitePage"), ENTRY, HEADING)


class Migration(migrations.Migration):
    dependencies = [("site_project", "0008_corrections_medicine_timing_changes")]

    operations = [migrations.RunPython(log_the_evidence_note_changes, migrations.RunPython.noop)]
