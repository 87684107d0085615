"""The launch article's evidence note names the people for whom the adult Upper Level is not the whole answer:
children aged 1 to 8 (lower Upper Levels), infants (none set) and pregnancy (the same Upper Level, its own
recommended intake), from intake_reference.csv (NIH ODS, Tables 1 and 3; Institute of Medicine 1997).

As in 0007, the note changes only where it is still exactly the text 0007 left (articles.seed.EVIDENCE_NOTE_OF_0007):
an editor's own note stays.
"""

from django.db import migrations

SLUG = "magnesium-and-peripheral-neuropathy"
OLD_NOTE = "The references below back what this article says about magnesium-rich foods, supplement forms and the effects of too much magnesium, with two precisions: those effects come from supplements and medicines, as magnesium from food has not been shown to cause harm; and the NIH fact sheet names aspartate, citrate, lactate and chloride as absorbed more completely than oxide, while for glycinate the human data are limited. The background on neuropathy and on magnesium's roles in nerve cells (“Understanding Neuropathy”, “Magnesium's Function in Nerve Health”) is not yet backed by a reference on this site.\nThe possible benefits under “Magnesium as a Neuropathy Intervention” go further than the studies shown beside those paragraphs. Chemotherapy-induced neuropathy: the largest trial (353 patients) found no benefit from calcium and magnesium drips, and ASCO's guideline says clinicians should not offer calcium/magnesium to prevent it. Diabetic neuropathy: there are small trials only, and the American Diabetes Association finds no benefit from supplements for people with diabetes who have no deficiency. Restless legs: a review could not say whether magnesium helps. Nerve pain: a review of nine small trials could not say either, and in a small trial oral magnesium did no better than a dummy capsule. Nerve regeneration and blood flow to nerves: no study on this site tests them. Treat the benefits as possibilities to discuss with your doctor, not as an established treatment.\nThe Upper Level for magnesium (350 mg a day from supplements and medicines, from age 9) is set for healthy people in the general population. With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."
NEW_NOTE = "The references below back what this article says about magnesium-rich foods, supplement forms and the effects of too much magnesium, with two precisions: those effects come from supplements and medicines, as magnesium from food has not been shown to cause harm; and the NIH fact sheet names aspartate, citrate, lactate and chloride as absorbed more completely than oxide, while for glycinate the human data are limited. The background on neuropathy and on magnesium's roles in nerve cells (“Understanding Neuropathy”, “Magnesium's Function in Nerve Health”) is not yet backed by a reference on this site.\nThe possible benefits under “Magnesium as a Neuropathy Intervention” go further than the studies shown beside those paragraphs. Chemotherapy-induced neuropathy: the largest trial (353 patients) found no benefit from calcium and magnesium drips, and ASCO's guideline says clinicians should not offer calcium/magnesium to prevent it. Diabetic neuropathy: there are small trials only, and the American Diabetes Association finds no benefit from supplements for people with diabetes who have no deficiency. Restless legs: a review could not say whether magnesium helps. Nerve pain: a review of nine small trials could not say either, and in a small trial oral magnesium did no better than a dummy capsule. Nerve regeneration and blood flow to nerves: no study on this site tests them. Treat the benefits as possibilities to discuss with your doctor, not as an established treatment.\nThe Upper Level for magnesium (350 mg a day from supplements and medicines, from age 9) is set for healthy people in the general population. It is lower for children: 65 mg a day at 1-3 years and 110 mg at 4-8 years. No Upper Level is set for infants: their magnesium should come from breast milk, formula and food, so give an infant no magnesium supplement, antacid or laxative unless a clinician prescribes it. In pregnancy and breastfeeding the same Upper Level of 350 mg a day applies; they have their own recommended intakes. (NIH Office of Dietary Supplements, Tables 1 and 3; Institute of Medicine 1997.) With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."


def replace_note(before, after):
    """A RunPython step: the launch article's note becomes `after` only where it is still exactly `before`."""

    def step(apps, schema_editor):
        articles = apps.get_model("articles", "Article").objects
        articles.filter(slug=SLUG, evidence_note=before).update(evidence_note=after)

    return step


forwards = replace_note(OLD_NOTE, NEW_NOTE)
backwards = replace_note(NEW_NOTE, OLD_NOTE)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_the_editors_are_a_group_not_a_person")]
    operations = [migrations.RunPython(forwards, backwards)]
