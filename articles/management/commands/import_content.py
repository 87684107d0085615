from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.management.commands.export_content import content_models


class Command(BaseCommand):
    help = (
        "Restore content from a file written by export_content. With --replace, the current "
        "content is deleted first; the whole restore is one transaction, so a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the current content first (an exact restore)."
        )

    def handle(self, *args, file, replace, **options):
        try:
            with transaction.atomic():
                if replace:
                    # Children before parents, so protected foreign keys never block the wipe.
                    for model in reversed(content_models()):
                        model._base_manager.all().delete()
                call_command("loaddata", file, verbosity=0)
        except Exception as exc:
            raise CommandError(f"Nothing was changed: the restore from {file} failed: {exc}") from exc
        self.stdout.write(f"Restored content from {file}.")
