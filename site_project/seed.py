"""The site pages' starting text (site_project/data/site_pages/<slug>.md), loaded by seed_content.

The text says only what the site does; where only the owner can fill something in (a contact
address, who funds the site) it says plainly that it is not yet given. A page that exists is never
touched again: from then on the text is the editors'."""

from pathlib import Path

from site_project.models import SITE_PAGES, SitePage

PAGES_DIR = Path(__file__).resolve().parent / "data" / "site_pages"

SUMMARIES = {
    "about": "What Magnesium & Nerve Health is, what it covers, where its figures come from and what it is not.",
    "editorial-policy": "How the pages of this site are written, sourced, reviewed and corrected.",
    "corrections": "Every error this site has corrected, with its date, in plain words.",
    "funding": "No advertising and no affiliate links. Who funds the site is not yet published.",
    "privacy": "No tracking, no reader accounts, no cookies for readers: what this site stores and what it does not.",
    "contact": "How to reach the people behind this site, and where to take medical questions.",
}


def seed_site_pages():
    """Create each site page that does not exist yet, published. Returns how many were created."""
    existing = set(SitePage.objects.values_list("slug", flat=True))
    created = 0
    for slug, title in SITE_PAGES:
        if slug in existing:
            continue
        page = SitePage(
            slug=slug,
            title=title,
            summary=SUMMARIES[slug],
            body=(PAGES_DIR / f"{slug}.md").read_text(encoding="utf-8"),
            status=SitePage.Status.PUBLISHED,
        )
        page.full_clean()
        page._change_reason = "Loaded by seed_content"
        page.save()  # published_at: now
        created += 1
    return created


def add_correction(SitePage, entry, heading="## 30 November 2026\n\n"):
    """For a data migration (`SitePage` is its historical model): put `entry` at the top of `heading` on the
    Corrections page, where the page still has that heading and not yet the entry, render it again and move "Last
    updated" to now. A page an editor rewrote (without the heading) is left as it is. A fresh site gets the same
    entry from data/site_pages/corrections.md."""
    from django.utils import timezone

    from site_project.markdown import render_markdown

    for page in SitePage.objects.filter(slug="corrections", body__contains=heading).exclude(body__contains=entry):
        page.body = page.body.replace(heading, f"{heading}{entry}\n", 1)
        page.body_html = render_markdown(page.body)[0]
        page.updated_at = timezone.now()
        page.save(update_fields=["body", "body_html", "updated_at"])
