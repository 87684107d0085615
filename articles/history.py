"""Article history beyond what django-simple-history restores by itself: an article version's
references (edited inline, so they have their own history), for the admin's "Revert"."""

from django.utils import timezone

from articles.models import Reference


def references_phrase(count):
    return f"{count} reference{'s' if count != 1 else ''}"


class ReferenceRestore:
    """What reverting an article to one of its versions does to its references.

    A version's references are the ones the article had while that version was its newest, as
    they stood when the next version was saved (or now, for the newest version). Not as they
    stood at the version's own time: the admin saves the article first and its inline
    references a moment later, so at that instant they are still the ones before the edit.

    Every change is a normal save or delete, so each reference's own history records it. A
    reference that still exists is changed back; a deleted one is saved again under its old id
    (its History page then tells the whole story), or as a new row if another article's
    reference now has that id; a reference added since is deleted. A reference whose history
    does not say when it came (made in bulk, outside the admin) is left as it is.
    """

    def __init__(self, version):
        article_id = version.id
        next_version = (
            type(version)
            .objects.filter(id=article_id, history_date__gt=version.history_date)
            .order_by("history_date")
            .values_list("history_date", "history_type")
            .first()
        )
        self.until, next_type = next_version or (timezone.now(), None)
        # Read the history of every reference ever in this article, so that one moved to
        # another article since counts as the other article's, as it was then.
        ever_here = Reference.history.filter(article_id=article_id).values("id")
        then = Reference.history.filter(id__in=ever_here, history_date__lt=self.until)
        if next_type == "-":
            # The article was deleted next (by hand, or by a backup's --replace), its references
            # just before it: they went with the article, not with this version.
            then = then.exclude(history_type="-", history_date__gt=version.history_date)
        then = then.latest_of_each()
        self.references = list(then.as_instances().filter(article_id=article_id).order_by("order", "id"))

        now = {reference.pk: reference for reference in Reference.objects.filter(article_id=article_id)}
        self.to_save = [ref for ref in self.references if ref.pk not in now or stored(ref) != stored(now[ref.pk])]
        self.changed_back = sum(ref.pk in now for ref in self.to_save)
        self.brought_back = len(self.to_save) - self.changed_back
        gone = [ref.pk for ref in self.to_save if ref.pk not in now]
        self.ids_taken = (
            set(Reference.objects.filter(pk__in=gone).order_by().values_list("pk", flat=True)) if gone else set()
        )

        then_ids = {ref.pk for ref in self.references}
        later = [pk for pk in now if pk not in then_ids]
        added_since = set()
        if later:
            added_since = set(
                Reference.history.filter(id__in=later, history_type="+", history_date__gte=self.until).values_list(
                    "id", flat=True
                )
            )
        self.to_delete = [now[pk] for pk in later if pk in added_since]
        self.unknown = [now[pk] for pk in later if pk not in added_since]

    def apply(self, reason):
        for reference in self.to_delete:
            reference._change_reason = reason
            reference.delete()
        restored = {reference.pk for reference in self.references}
        moved = {}  # old id -> new id, for a reference saved as a new row
        for reference in self.to_save:
            if reference.superseded_by_id not in restored:
                # Its newer reference is not part of this version (deleting that one cleared the
                # link without a history row): the restored reference stands on its own.
                reference.superseded_by_id = None
            old_id = reference.pk
            if reference.pk in self.ids_taken:
                reference.pk = None  # its old id belongs to another article's reference now
            reference._change_reason = reason
            reference.save()  # an update if the row exists, else an insert under its old id
            moved[old_id] = reference.pk
        for reference in self.references:  # "superseded by" follows a reference saved under a new id
            new_id = moved.get(reference.superseded_by_id, reference.superseded_by_id)
            if new_id != reference.superseded_by_id:
                reference.superseded_by_id = new_id
                reference._change_reason = reason
                reference.save()

    def summary(self, done=False):
        """One sentence for the editor: what reverting restores (done=False) or restored."""
        count = len(self.references)
        changes = [
            (self.changed_back, "changed back"),
            (self.brought_back, "brought back"),
            (len(self.to_delete), "removed (added since)"),
        ]
        changes = ", ".join(f"{n} {what}" for n, what in changes if n)
        if done:
            if not changes:
                return f"References unchanged: this version's {references_phrase(count)} were already the article's."
            return f"Restored this version's {references_phrase(count)}: {changes}."
        if not changes:
            return f"Reverting changes no references: the article has this version's {references_phrase(count)}."
        return f"Reverting also restores this version's {references_phrase(count)}, as listed below: {changes}."

    def unknown_note(self):
        """Why some of today's references are (or were) left alone; empty if none is."""
        if not self.unknown:
            return ""
        one = len(self.unknown) == 1
        return (
            f"{references_phrase(len(self.unknown))} left as found: the history does not say when "
            f"{'it was' if one else 'they were'} added (made in bulk, outside the admin): "
            + "; ".join(f"“{reference}”" for reference in self.unknown)
            + f". Check whether {'it belongs' if one else 'they belong'} with the restored text."
        )


def stored(reference):
    """What a reference's row holds; two equal lists mean nothing to change back."""
    return [getattr(reference, field.attname) for field in Reference._meta.concrete_fields]
