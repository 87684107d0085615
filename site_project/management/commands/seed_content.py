from django.core.management.base import BaseCommand

from articles import seed as articles_seed
from site_project import seed as site_seed
from site_project.cache import bump_after_commit
from supplements import seed as supplements_seed


class Command(BaseCommand):
    help = (
        "Load the site's seed content (foods, supplement forms, intake figures, medicines, "
        "the launch article, the evidence by condition, the site pages). Safe to run again: existing items are "
        "never changed."
    )

    # (what, seed function, how its count is reported), in order. Articles last: the launch
    # article links foods and supplement forms seeded before it.
    STEPS = [
        ("Foods", supplements_seed.seed_foods, "created"),
        ("Supplement forms", supplements_seed.seed_supplement_forms, "created"),
        ("Intake references", supplements_seed.seed_intake_references, "created"),
        ("Medicines", supplements_seed.seed_medicines, "created"),
        ("Launch article", articles_seed.seed_launch_article, None),
        ("Evidence findings", articles_seed.seed_findings, "created"),
        ("Findings beside the launch article", articles_seed.seed_launch_article_findings, "placed"),
        ("Site pages (About, Privacy, ...)", site_seed.seed_site_pages, "created"),
    ]

    def handle(self, *args, **options):
        for what, seed, done in self.STEPS:
            result = seed()
            if done is None:  # the launch article: the article made, or None when it was there
                self.stdout.write(f"{what}: {'created' if result else 'already there, left unchanged'}.")
            else:
                self.stdout.write(f"{what}: {result} {done}.")
        # Foods are bulk-inserted (no save signals), so tell the page cache directly.
        bump_after_commit()
