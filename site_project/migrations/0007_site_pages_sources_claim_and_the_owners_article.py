"""About and the editorial policy said that every figure and every health statement on the site comes from a named
public source; the launch article is the site owner's text, shown as written, and its own evidence note says that
parts of it are not yet backed by a reference on this site. This makes the claim true where no editor has changed
the words concerned (as 0006 did):

- About and Editorial policy: the sentence now holds for what the site itself adds, and says how the owner's
  article is shown. Replaced only if it is still the seeded one.
- Corrections: the entry for that change, under the 30 November 2026 heading if the page still has it.

Each page changed gets its HTML rendered again and its "Last updated" moved to now; a page whose words an editor
changed is left as it is (the editors then follow site_project/data/site_pages/)."""

from django.db import migrations
from django.utils import timezone

from site_project.markdown import render_markdown

ABOUT_BEFORE = (
    "Every figure and every health statement on the site comes from a named public source, such as the NIH "
    "Office of Dietary Supplements, the USDA food database, the Institute of Medicine and the papers listed on "
    "each page."
)
ABOUT_AFTER = (
    "Every figure and every health statement the site itself adds comes from a named public source, such as the "
    "NIH Office of Dietary Supplements, the USDA food database, the Institute of Medicine and the papers listed "
    "on each page. The site owner's article is shown as written, with the evidence beside it: where the article "
    "goes further than the site's sources, its evidence note says so and names what no reference on this site "
    "backs yet."
)
POLICY_BEFORE = (
    "- Every figure and health statement comes from a named public source, and the source is stored with the "
    "figure and shown beside it on the page."
)
POLICY_AFTER = (
    "- Every figure and health statement the site itself adds comes from a named public source, and the source is "
    "stored with the figure and shown beside it on the page. The site owner's article is shown as written, with "
    "the evidence beside it: where the article goes further than the site's sources, its evidence note says so "
    "and names what no reference on this site backs yet."
)
REWORDED = {"about": (ABOUT_BEFORE, ABOUT_AFTER), "editorial-policy": (POLICY_BEFORE, POLICY_AFTER)}
CORRECTIONS_HEADING = "## 30 November 2026\n\n"
CORRECTION = (
    "- **Editorial policy: the owner's article.** The [editorial policy](/editorial-policy/) and the "
    "[About page](/about/) said that every figure and every health statement on the site comes from a named "
    "public source. The [launch article](/articles/magnesium-and-peripheral-neuropathy/) is the site owner's "
    "text, shown as written, and its evidence note says that its background on neuropathy and on magnesium's "
    "roles in nerve cells is not yet backed by a reference on this site. Both pages now say that the rule holds "
    "for every figure and health statement the site itself adds, and that the owner's article is shown with the "
    "evidence beside it."
)


def corrected(slug, body):
    """The page's body with this migration's change, or None when there is nothing (more) to change."""
    before, after = REWORDED.get(slug, (None, None))
    if before is not None and before in body:
        return body.replace(before, after, 1)
    if slug == "corrections" and CORRECTIONS_HEADING in body and CORRECTION not in body:
        return body.replace(CORRECTIONS_HEADING, CORRECTIONS_HEADING + CORRECTION + "\n", 1)
    return None


def correct_site_pages(apps, schema_editor):
    pages = apps.get_model("site_project", "SitePage").objects
    changed = {page.pk: corrected(page.slug, page.body) for page in pages.filter(slug__in=[*REWORDED, "corrections"])}
    for pk, body in changed.items():
        if body is not None:
            pages.filter(pk=pk).update(body=body, body_html=render_markdown(body)[0], updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("site_project", "0006_site_pages_pregnancy_upper_level_and_usda_foods")]

    operations = [migrations.RunPython(correct_site_pages, migrations.RunPython.noop)]
