"""The launch article's evidence note, updated to match the evidence pages (issue 13).

Seeding never overwrites, so databases seeded before this change keep the first note. This
replaces it only where it is still exactly the first seeded text: an editor's own note stays.
"""

from django.db import migrations

SLUG = "magnesium-and-peripheral-neuropathy"
OLD_NOTE = "The references below back what this article says about magnesium-rich foods, supplement forms and the effects of too much magnesium, with two precisions: those effects come from supplements and medicines, as magnesium from food has not been shown to cause harm; and the NIH fact sheet names aspartate, citrate, lactate and chloride as absorbed more completely than oxide, while for glycinate the human data are limited. The background on neuropathy and on magnesium's roles in nerve cells (“Understanding Neuropathy”, “Magnesium's Function in Nerve Health”) and the possible benefits described under “Magnesium as a Neuropathy Intervention” (for diabetic or chemotherapy-induced neuropathy, restless legs, pain signalling and nerve regeneration) are not yet backed by a reference on this site: treat the benefits as possibilities to discuss with your doctor, not as an established treatment."
NEW_NOTE = "The references below back what this article says about magnesium-rich foods, supplement forms and the effects of too much magnesium, with two precisions: those effects come from supplements and medicines, as magnesium from food has not been shown to cause harm; and the NIH fact sheet names aspartate, citrate, lactate and chloride as absorbed more completely than oxide, while for glycinate the human data are limited. The background on neuropathy and on magnesium's roles in nerve cells (“Understanding Neuropathy”, “Magnesium's Function in Nerve Health”) is not yet backed by a reference on this site.\nThe possible benefits under “Magnesium as a Neuropathy Intervention” go further than the studies shown beside those paragraphs. Chemotherapy-induced neuropathy: the largest trial (353 patients) found no benefit from calcium and magnesium drips, and ASCO's guideline says clinicians should not offer calcium/magnesium to prevent it. Diabetic neuropathy: there are small trials only, and the American Diabetes Association finds no benefit from supplements for people with diabetes who have no deficiency. Restless legs: a review could not say whether magnesium helps. Nerve pain: a review of nine small trials could not say either, and in a small trial oral magnesium did no better than a dummy capsule. Nerve regeneration and blood flow to nerves: no study on this site tests them. Treat the benefits as possibilities to discuss with your doctor, not as an established treatment.\nThe Upper Level for magnesium (350 mg a day from supplements and medicines, from age 9) is set for healthy people in the general population. With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(slug=SLUG, evidence_note=OLD_NOTE).update(evidence_note=NEW_NOTE)


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(slug=SLUG, evidence_note=NEW_NOTE).update(evidence_note=OLD_NOTE)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_evidence_conditions_and_findings")]

    operations = [migrations.RunPython(forwards, backwards)]
