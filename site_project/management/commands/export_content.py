from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from site_project.models import SitePage


def app_models():
    """The content apps' models, without the history tables (they point at user accounts, which are not content)."""
    return [
        model
        for app in settings.CONTENT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.model_name.startswith("historical")
    ]


def derived_models():
    """Tables worked out from other content (a model with `rebuild_after_restore()`, e.g. the USDA search
    words): left out of backups, rebuilt by import_content after a restore."""
    return [model for model in app_models() if hasattr(model, "rebuild_after_restore")]


def content_models():
    """Every content model, without the history tables and the derived ones. import_content gives each
    restored item a version of its restored state: on a new database, that is where its history starts.
    People (authors and reviewers) come first: the content points at them."""
    derived = derived_models()
    return (
        [apps.get_model("site_project", "Person")]
        + [model for model in app_models() if model not in derived]
        + [SitePage]
    )  # About, Privacy and the other site pages: the editors' text too


class Command(BaseCommand):
    help = (
        "Write all site content (people, articles, foods, supplement forms, intake, medicines, site pages) "
        "to a JSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. backups/content-2026-11-25.json")

    def handle(self, *args, file, **options):
        labels = [model._meta.label for model in content_models()]
        call_command("dumpdata", *labels, indent=1, output=file, verbosity=0)
        self.stdout.write(f"Wrote {len(labels)} content tables to {file}.")
