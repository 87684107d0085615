from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from site_project.cache import bump_after_commit
from supplements.usda_sr28 import SR28FormatError, import_sr28, read_sr28


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import USDA SR28 foods that have a magnesium value from USDA's ASCII files in DIR (the copy in "
        "supplements/data/usda-sr28/, or USDA's full download: FOOD_DES, FD_GROUP, NUT_DATA, NUTR_DEF, "
        "WEIGHT, SRC_CD and DERIV_CD as .txt or .txt.gz). Safe to run again: it updates USDA's figures, "
        "reports what changed, and never touches the featured foods' own figures. A bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="Folder with USDA's SR28 ASCII files.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read the files and report what would change; save nothing."
        )

    def handle(self, *args, folder, dry_run, **options):
        try:
            data = read_sr28(folder)
        except SR28FormatError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        try:
            with transaction.atomic():
                report = import_sr28(data)
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: nothing was saved. This is what an import would do:")
        else:
            if report.changed:
                # Bulk writes send no save signals: tell the page cache directly.
                bump_after_commit()
        for line in report.lines():
            self.stdout.write(line)
