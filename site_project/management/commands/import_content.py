from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from site_project.management.commands.export_content import content_models, derived_models


class Command(BaseCommand):
    help = (
        "Restore content from a file written by export_content. With --replace, the current "
        "content is deleted first; the whole restore is one transaction, so a bad file changes nothing. "
        'Each restored item gets a version in its admin History ("Restored from backup <file>").'
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
                    wipe(reason=f"Deleted to restore backup {Path(file).name}")
                with rows_loaded() as loaded:
                    call_command("loaddata", file, verbosity=0)
                record_versions(loaded, reason=f"Restored from backup {Path(file).name}")
                for model in derived_models():
                    model.rebuild_after_restore()
        except Exception as exc:
            raise CommandError(f"Nothing was changed: the restore from {file} failed: {exc}") from exc
        self.stdout.write(f"Restored content from {file}.")


def history_models():
    """The content models whose rows simple-history keeps versions of."""
    return {model for model in content_models() if hasattr(model._meta, "simple_history_manager_attribute")}


def wipe(reason):
    """Delete all content (--replace). simple-history records each deletion as a version; those
    versions get `reason`, so an item's History says why it was deleted and then created again."""
    started = timezone.now()
    tracked = history_models()
    deleted = {}
    # Children before parents, so protected foreign keys never block the wipe.
    for model in reversed(content_models()):
        rows = model._base_manager.all()
        if model in tracked:
            deleted[model] = list(rows.values_list("pk", flat=True))
        rows.delete()
    for model, pks in deleted.items():
        get_history_manager_for_model(model).filter(
            history_type="-", history_date__gte=started, **{f"{model._meta.pk.attname}__in": pks}
        ).update(history_change_reason=reason)


@contextmanager
def rows_loaded():
    """Yields {model: {pk: created}}, filled while loaddata runs: each row it saves of a content
    model with history, and whether it was inserted (True) or written over an existing row.

    loaddata saves rows "raw", for which simple-history records no version; but it then sets each
    many-to-many field, and for each of those simple-history records a version with no reason
    and the links half set. simple-history's own skip_history_when_saving flag on the row stops
    those, so record_versions() can add the one version of the whole restored row."""
    tracked = history_models()
    loaded = defaultdict(dict)

    def note(sender, instance, created, raw, **kwargs):
        if raw and sender in tracked:
            loaded[sender][instance.pk] = created
            instance.skip_history_when_saving = True

    post_save.connect(note)
    try:
        yield loaded
    finally:
        post_save.disconnect(note)


def record_versions(loaded, reason):
    """One history version of each restored row, as it now is in the database, with `reason`:
    "Created" (+) where loaddata inserted the row, "Changed" (~) where it wrote over one, as
    simple-history marks an ordinary save. In a few queries a model, however many rows."""
    restored_at = timezone.now()
    for model, created in loaded.items():
        history = get_history_manager_for_model(model)
        rows = model._base_manager.in_bulk(list(created))
        inserted = [row for pk, row in rows.items() if created[pk]]
        overwritten = [row for pk, row in rows.items() if not created[pk]]
        options = {"default_change_reason": reason, "default_date": restored_at}
        versions = [
            *history.bulk_history_create(inserted, **options),
            *history.bulk_history_create(overwritten, update=True, **options),
        ]
        for field in history.model._history_m2m_fields:
            record_links(history.model, field, versions)


def record_links(history_model, field, versions):
    """The links of one many-to-many field (an article's topics) for the new `versions`.

    bulk_history_create() records no links. simple-history, on each save, copies every link row
    of the field into the version's link table; this does the same for all the versions at once.
    It needs the versions' ids, which bulk_create() sets on PostgreSQL and SQLite."""
    link_history = getattr(history_model, field.name).model  # e.g. HistoricalArticle_topics
    through = field.remote_field.through
    row_id = through._meta.get_field(field.m2m_field_name()).attname  # e.g. "article_id"
    by_row = {getattr(version, field.model._meta.pk.attname): version for version in versions}
    links = through._base_manager.filter(**{f"{row_id}__in": list(by_row)})
    link_history.objects.bulk_create(
        link_history(
            history=by_row[getattr(link, row_id)],
            **{f.attname: getattr(link, f.attname) for f in through._meta.fields},
        )
        for link in links
    )
