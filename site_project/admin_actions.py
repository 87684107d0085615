"""The publish and unpublish actions of the admins whose models have an `is_published` flag."""

from django.contrib import admin, messages


def publish_actions(noun, hidden_from):
    """The `publish` and `unpublish` actions of a changelist, e.g. publish_actions("food", "the public table").

    `noun` is one item as the messages say it ("3 foods updated."); `hidden_from` is what an
    unpublished item is hidden from."""

    @admin.action(description=f"Publish the selected {noun}s", permissions=["change"])
    def publish(model_admin, request, queryset):
        set_published(model_admin, request, queryset, True, noun)

    @admin.action(description=f"Hide the selected {noun}s from {hidden_from}", permissions=["change"])
    def unpublish(model_admin, request, queryset):
        set_published(model_admin, request, queryset, False, noun)

    return [publish, unpublish]


def set_published(model_admin, request, queryset, value, noun):
    # One save per item, so each change lands in its history.
    changed = 0
    for item in queryset.exclude(is_published=value):
        item.is_published = value
        item.save()
        changed += 1
    model_admin.message_user(request, f"{changed} {noun}{'s' if changed != 1 else ''} updated.", messages.SUCCESS)
