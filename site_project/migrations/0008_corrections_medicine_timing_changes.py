"""The editorial policy lists every change to a medicine's spacing in the corrections log; the medicines page's
changes of 30 November 2026 (session 7's clinician review: supplements migration 0020) had no entry. This adds it
to an existing site's Corrections page, at the top of its 30 November 2026 heading, where the page still has that
heading and not yet the entry; the HTML is rendered again and "Last updated" moved to now. A fresh site gets the
same entry from site_project/data/site_pages/corrections.md."""

from django.db import migrations

from site_project.seed import add_correction

HEADING = "## 30 November 2026\n\n"
ENTRY = (
    "- **Medicines: who takes what when, and other sources' gaps.** The short lines of the "
    "[medicines page](/supplements/medicines/) gave a gap such as \"at least 2 h before or 4 h after magnesium\" "
    "without saying which is taken when; each now names it (\"take erlotinib at least 2 h before or 4 h after "
    "magnesium\"). Where another source asks for a longer gap than a medicine's own sources, the short line now gives "
    "that timing too, with its link: the NIH Office of Dietary Supplements' fact sheet, as the site's reference "
    "notes cite it, for tetracyclines, levofloxacin, alendronate and risedronate, and a UK magnesium product leaflet "
    "for eltrombopag and risedronate. Digoxin's and penicillamine's lines gave only the lower figure of their "
    "source's range; they now give the range too (2 to 4 hours, 3 to 4 hours). The timings for gabapentin and "
    "levofloxacin come from non-US labels; their lines now say so, and that spacing for US products can differ: ask "
    "your pharmacist."
)


def log_the_medicine_changes(apps, schema_editor):
    add_correction(apps.get_model("site_project", "SitePage"), ENTRY, HEADING)


class Migration(migrations.Migration):
    dependencies = [("site_project", "0007_site_pages_sources_claim_and_the_owners_article")]

    operations = [migrations.RunPython(log_the_medicine_changes, migrations.RunPython.noop)]
