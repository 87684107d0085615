from django.core.management.base import BaseCommand

from supplements import seed as supplements_seed


class Command(BaseCommand):
    help = (
        "Load the site's seed content (foods, supplement forms, intake figures, interactions, "
        "the launch article). Safe to run again: existing items are never changed."
    )

    def handle(self, *args, **options):
        created = supplements_seed.seed_foods()
        self.stdout.write(f"Foods: {created} created.")
