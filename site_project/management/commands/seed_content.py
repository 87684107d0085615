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

    def handle(self, *args, **options):
        created = supplements_seed.seed_foods()
        self.stdout.write(f"Foods: {created} created.")
        created = supplements_seed.seed_supplement_forms()
        self.stdout.write(f"Supplement forms: {created} created.")
        created = supplements_seed.seed_intake_references()
        self.stdout.write(f"Intake references: {created} created.")
        created = supplements_seed.seed_medicines()
        self.stdout.write(f"Medicines: {created} created.")
        # Articles last: the launch article links foods and supplement forms seeded above.
        article = articles_seed.seed_launch_article()
        self.stdout.write(f"Launch article: {'created' if article else 'already there, left unchanged'}.")
        created = articles_seed.seed_findings()
        self.stdout.write(f"Evidence findings: {created} created.")
        placed = articles_seed.seed_launch_article_findings()
        self.stdout.write(f"Findings beside the launch article: {placed} placed.")
        created = site_seed.seed_site_pages()
        self.stdout.write(f"Site pages (About, Privacy, ...): {created} created.")
        # Foods are bulk-inserted (no save signals), so tell the page cache directly.
        bump_after_commit()
