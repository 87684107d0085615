"""The admin's History pages in a fixed number of queries, however many versions are listed.

django-simple-history shows, on each version, what changed since the version before. Plain
fields and foreign keys come with the versions' own query; the links of a many-to-many field
(an article's topics, a supplement form's uses) it reads per version, two to four queries a
field a version. Here the links of every version on the page are read in one query a field,
and the change in links is worked out from those rows: the same list, in the same words.
"""

from collections import defaultdict
from itertools import pairwise

from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, ModelDelta


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose History page costs the same for 3 versions or 100, and whose
    "Revert" is checked as a save is: change permission, the no-lost-edits token, one transaction."""

    # Adds the edit token simple-history's own template leaves out (see the template).
    object_history_form_template = "admin/object_history_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        # simple-history hides the Revert button from view-only accounts but saves their POST.
        if not self.has_change_history_permission(request):
            raise PermissionDenied
        # A revert that also restores related rows (an article's references) is all or nothing.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # For a model without foreign keys simple-history ends with select_related() and no
        # names, which drops its own select_related("history_user"): one query per version for
        # the "Changed by" column (django-commons/django-simple-history#1430). Join it again.
        return (
            super().get_history_queryset(request, history_manager, pk_name, object_id).select_related("history_user")
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """As SimpleHistoryAdmin's (which the History page calls with foreign_keys_are_objs=True),
        but with the links read by links_by_version(): linked items are always objects here."""
        records = list(historical_records)  # newest first, as the page lists them
        if len(records) < 2:
            return
        m2m_fields = records[0]._history_m2m_fields
        links = {field.name: self.links_by_version(type(records[0]), field, records) for field in m2m_fields}
        for newer, older in pairwise(records):
            delta = newer.diff_against(older, excluded_fields=list(links), foreign_keys_are_objs=foreign_keys_are_objs)
            changes = list(delta.changes)
            for name, by_version in links.items():
                old_rows, new_rows = by_version[older.history_id], by_version[newer.history_id]
                if link_ids(old_rows) != link_ids(new_rows):
                    changes.append(ModelChange(name, old_rows, new_rows))
            changes.sort(key=lambda change: change.field)  # as diff_against() orders them
            delta = ModelDelta(changes, [change.field for change in changes], older, newer)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    @staticmethod
    def links_by_version(history_model, field, records):
        """{history_id: [{"topic": <Topic>}, ...]} for one many-to-many field, in one query.

        Each row is shaped as diff_against() shapes it, keyed by the linked model's field name;
        a linked item deleted since shows as "Deleted topic (pk=…)", as simple-history does."""
        link_model = getattr(history_model, field.name).model  # e.g. HistoricalArticle_topics
        target = field.m2m_reverse_field_name()  # e.g. "topic"
        target_id = link_model._meta.get_field(target).attname
        rows = (
            link_model.objects.filter(history__in=[record.history_id for record in records])
            .select_related(target)
            .order_by(target, target_id)  # diff_against()'s order, with a tie-break
        )
        by_version = defaultdict(list)
        for row in rows:
            linked = getattr(row, target) or DeletedObject(field.related_model, getattr(row, target_id))
            by_version[row.history_id].append({target: linked})
        return by_version


def link_ids(rows):
    """What diff_against() compares: the linked items' ids, in order (a deleted item keeps its id)."""
    return [linked.pk for row in rows for linked in row.values()]
