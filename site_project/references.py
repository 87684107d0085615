"""What article references and supplement-form references share: one can be superseded by a
newer one of the same article (or form), and the page then lists the newer one first."""

from django.core.exceptions import ValidationError
from django.db import models


def superseded_by_field(parent_name):
    return models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        help_text=f"A newer reference of this {parent_name} that replaces this one. Both stay listed; "
        "the newer comes first.",
    )


class CitedReference(models.Model):
    """A reference of an article or a supplement form. A subclass adds the foreign key to its
    parent (named in `link_check_parent`), its `order`, superseded_by_field(`parent_name`) and
    `link_check_fields = ["url"]` (the checker reads that from the model itself, not a base)."""

    citation = models.TextField(help_text="Authors, title, journal or publisher, as readers should see it.")
    url = models.URLField(blank=True, max_length=300)

    link_check_parent = ""
    parent_name = ""

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self):
        return self.citation[:80]

    def clean(self):
        super().clean()
        check_supersession(self, self.link_check_parent, self.parent_name)


def check_supersession(reference, parent_field, parent_name):
    """A reference can be superseded only by another reference of the same article (or form)."""
    newer = reference.superseded_by
    if newer is None:
        return
    if reference.pk is not None and newer.pk == reference.pk:
        raise ValidationError({"superseded_by": "A reference cannot supersede itself. Choose a newer reference."})
    if getattr(newer, f"{parent_field}_id") != getattr(reference, f"{parent_field}_id"):
        raise ValidationError(
            {"superseded_by": f"Choose a reference of the same {parent_name}: “{newer}” belongs to another one."}
        )
    if newer.superseded_by_id is not None and newer.superseded_by_id == reference.pk:
        raise ValidationError(
            {"superseded_by": f"“{newer}” is already marked as superseded by this reference; only one can be newer."}
        )


def in_reading_order(references):
    """References as readers see them: numbered in order, except that a superseded reference
    comes right after the newer one that replaces it, marked with that one's number.

    Takes the references already fetched (no query); sets `number` and `newer_number` on each.
    """
    references = list(references)
    ids = {reference.pk for reference in references}
    older = {}
    for reference in references:
        if reference.superseded_by_id in ids and reference.superseded_by_id != reference.pk:
            older.setdefault(reference.superseded_by_id, []).append(reference)
    placed, listed = set(), []

    def place(reference):
        if reference.pk in placed:
            return
        placed.add(reference.pk)
        listed.append(reference)
        for replaced in older.get(reference.pk, []):
            place(replaced)

    for reference in references:
        newest = reference
        seen = {newest.pk}
        while newest.superseded_by_id in ids and newest.superseded_by_id not in seen:  # a cycle stops here
            seen.add(newest.superseded_by_id)
            newest = next(r for r in references if r.pk == newest.superseded_by_id)
        place(newest)
        place(reference)
    numbers = {reference.pk: n for n, reference in enumerate(listed, start=1)}
    for reference in listed:
        reference.number = numbers[reference.pk]
        reference.newer_number = numbers.get(reference.superseded_by_id)
    return listed
