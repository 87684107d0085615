"""No lost edits in the admin: optimistic concurrency for every content admin.

When an editor opens a change form, it carries a token: a fingerprint of the row as stored
at that moment. On save, the form compares that token with the row as stored now. If
someone else saved in between, the save is refused with a message, and the editor's input
stays on the page. The refused form carries the new token, so saving again after looking
is a deliberate choice to replace the other version (which stays in the history either way).

A fingerprint of all stored fields needs no version column, so it works for every model.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

CONFLICT_MESSAGE = (
    "Someone else saved this item after you opened it, so your changes were NOT saved. "
    "Your input is still below. Open the History link (in a new tab) to see what they changed; "
    "then save again to replace their version with yours, or reload this page to start from theirs."
)


def edit_token(model, pk, lock=False):
    """A fingerprint of the stored row; empty if the row is gone."""
    rows = model._base_manager.filter(pk=pk)
    if lock and transaction.get_connection(rows.db).in_atomic_block:
        rows = rows.select_for_update()  # hold the row until this save commits
    row = rows.values().first()
    if row is None:
        return ""
    return hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest()[:32]


def with_conflict_check(form_class, model):
    class ConflictCheckedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # What the template puts in the hidden field: the row as stored right now.
            self.edit_token = edit_token(model, self.instance.pk) if self.instance.pk else ""

        def clean(self):
            cleaned_data = super().clean()
            sent = self.data.get("edit_token")
            if self.instance.pk and sent is not None and sent != edit_token(model, self.instance.pk, lock=True):
                raise ValidationError(CONFLICT_MESSAGE, code="edit_conflict")
            return cleaned_data

    ConflictCheckedForm.__name__ = form_class.__name__
    return ConflictCheckedForm


class ConcurrentEditAdminMixin:
    """Add to a ModelAdmin (before the admin base classes) to refuse overwriting a newer save.
    templates/admin/change_form.html renders the token as a hidden field."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return with_conflict_check(form_class, self.model)
