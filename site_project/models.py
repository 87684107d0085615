"""What every kind of public content shares: one publishing shape.

Content is a draft or published; published content goes public at `published_at` (a future
time schedules it). Views, feeds and sitemaps ask `Model.objects.published()`; pages that let
staff preview drafts ask `visible_to(request.user)`.
"""

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def status_field(default=Status.DRAFT):
    """The `status` column. An article starts as a draft; a model whose new items start public
    (a food or supplement form entered from its source) redeclares it with Status.PUBLISHED,
    and `published_at` with published_at_field(default=timezone.now)."""
    return models.CharField(max_length=10, choices=Status.choices, default=default)


def published_at_field(**default):
    """The `published_at` column. A model whose new items start public gives default=timezone.now,
    so an item inserted in bulk (no save() to stamp it) is public from its insertion too."""
    return models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        **default,
        help_text="When it goes public. A future time schedules it. Left empty on publishing: now.",
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Public items: published, with a publication time that has come."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff can preview drafts and scheduled items; everyone else sees published ones."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class Publishable(models.Model):
    Status = Status

    status = status_field()
    published_at = published_at_field()

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_public
