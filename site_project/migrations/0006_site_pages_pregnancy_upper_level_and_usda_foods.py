"""Site pages seeded before this change keep their text (the seed never touches a page that exists), so this
corrects it where no editor has changed the words concerned:

- Editorial policy: it named pregnant women among those for whom the Upper Level "does not hold". The Upper Level
  (350 mg a day from supplements and medicines) applies in pregnancy and breastfeeding (NIH ODS, Table 3); they
  have their own recommended intakes (Table 1). The sentence is replaced only if it is still the seeded one.
- Corrections: the entry for that correction, under the 30 November 2026 heading if the page still has it.
- About: one sentence on the full USDA list (/foods/?scope=all), after the seeded sentence it follows.

Each page changed gets its HTML rendered again and its "Last updated" moved to now; a page whose words an
editor changed is left as it is (the editors then follow site_project/data/site_pages/)."""

from django.db import migrations
from django.utils import timezone

from site_project.markdown import render_markdown

POLICY_BEFORE = (
    '- The site never calls an amount of magnesium "safe". Where it judges an amount, it compares it with the '
    "official Upper Level and names the people for whom that limit does not hold: people with kidney disease, "
    "children, infants and pregnant women."
)
POLICY_AFTER = '- The site never calls an amount of magnesium "safe". Where it judges an amount, it compares it with the official Upper Level, which counts magnesium from supplements and medicines only, never from food, and it names the people for whom that comparison is not the whole answer: people with kidney disease, for whom the Upper Level does not hold (it is set for healthy people); children aged 1 to 8 years, whose Upper Levels are lower (65 mg a day at 1-3 years, 110 mg at 4-8 years); infants, for whom no Upper Level is set (their magnesium should come from breast milk, formula and food); and pregnancy and breastfeeding, which have their own recommended intakes, while the same Upper Level of 350 mg a day from supplements and medicines still applies (NIH Office of Dietary Supplements, Tables 1 and 3; Institute of Medicine 1997).'
CORRECTIONS_HEADING = "## 30 November 2026\n\n"
CORRECTION = '- **Editorial policy: pregnancy.** The [editorial policy](/editorial-policy/) named pregnant women among the people for whom the Upper Level "does not hold". It does hold: in pregnancy and breastfeeding the Upper Level is the same 350 mg a day from supplements and medicines (NIH Office of Dietary Supplements, Table 3); what differs is the recommended intake. The policy now says so, and says how the limit differs for children and infants.'
ABOUT_AFTER = "A few figures are worked out from a source's figures, and the page says so where it does."
ABOUT_ADDED = " The food table also lists [all 8,050 foods with a magnesium figure in USDA's food database](/foods/?scope=all) (SR28, September 2015): USDA's figures per 100 g as published, and the magnesium per household measure, per 100 kcal and % Daily Value worked out by this site from them."


def corrected(slug, body):
    """The page's body with this migration's change, or None when there is nothing (more) to change."""
    if slug == "editorial-policy" and POLICY_BEFORE in body:
        return body.replace(POLICY_BEFORE, POLICY_AFTER, 1)
    if slug == "corrections" and CORRECTIONS_HEADING in body and CORRECTION not in body:
        return body.replace(CORRECTIONS_HEADING, CORRECTIONS_HEADING + CORRECTION + "\n", 1)
    if slug == "about" and ABOUT_AFTER in body and "/foods/?scope=all" not in body:
        return body.replace(ABOUT_AFTER, ABOUT_AFTER + ABOUT_ADDED, 1)
    return None


def correct_site_pages(apps, schema_editor):
    SitePage = apps.get_model("site_project", "SitePage")
    for page in SitePage.objects.filter(slug__in=["editorial-policy", "corrections", "about"]):
        body = corrected(page.slug, page.body)
        if body is not None:
            body_html, _toc = render_markdown(body)
            SitePage.objects.filter(pk=page.pk).update(body=body, body_html=body_html, updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("site_project", "0005_person_photo_checked")]

    operations = [migrations.RunPython(correct_site_pages, migrations.RunPython.noop)]
