from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html, format_html_join

from site_project.links import usages
from site_project.models import LinkCheck, outcome_rank


def usage_list(usage_rows, limit=None):
    """Where an address is cited, each place linked to its change page; `limit` shortens the list."""
    if not usage_rows:
        return "— (no longer cited)"
    shown = usage_rows[:limit] if limit else usage_rows
    items = format_html_join(
        "",
        "<li>{}</li>",
        (
            (format_html('<a href="{}">{}</a>', usage.admin_url, usage.label) if usage.admin_url else usage.label,)
            for usage in shown
        ),
    )
    more = len(usage_rows) - len(shown)
    if more:
        items += format_html("<li>and {} more (open the address for the full list)</li>", more)
    return format_html("<ul>{}</ul>", items)


class UsageChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # Where each listed address is cited: one query per model with links, not one per row.
        found = usages(check.url for check in self.result_list)
        for check in self.result_list:
            check.usages = found.get(check.url, [])


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """What `manage.py check_references` found. Read-only: fix a link on the page that cites it."""

    list_display = ["url", "outcome_label", "status_code", "where_used", "checked_at"]
    list_filter = ["outcome", "checked_at"]
    search_fields = ["url", "final_url"]
    list_per_page = 50
    fields = [
        "url",
        "outcome",
        "status_code",
        "method",
        "final_url",
        "redirects",
        "error",
        "checked_at",
        "where_used",
    ]
    readonly_fields = fields

    def get_ordering(self, request):
        return [outcome_rank(), "url"]  # broken first

    def get_changelist(self, request, **kwargs):
        return UsageChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="outcome", ordering=outcome_rank())
    def outcome_label(self, check):
        return check.summary

    @admin.display(description="where it is cited")
    def where_used(self, check):
        found = getattr(check, "usages", None)
        if found is None:  # the change page: one address, every place
            return usage_list(usages([check.url])[check.url])
        return usage_list(found, limit=5)

    @admin.display(description="redirects followed")
    def redirects(self, check):
        if not check.redirect_chain:
            return "None"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} {} → {}</li>",
                ((hop["status"], hop["url"], hop["location"]) for hop in check.redirect_chain),
            ),
        )


class LinkStatusMixin:
    """For a reference inline: a read-only column with the address's last check, looked up for
    all the inline's rows at once."""

    @admin.display(description="link check")
    def link_status(self, reference):
        check = getattr(reference, "link_check", None)
        if not reference.url:
            return "—"
        if check is None:
            return "Not checked yet"
        return f"{check.summary}, {check.checked_at:%d %b %Y}"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class WithLinkChecks(formset):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                urls = [row.url for row in self.get_queryset() if row.url]
                self.link_checks = {check.url: check for check in LinkCheck.objects.filter(url__in=urls)}

            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                form.instance.link_check = self.link_checks.get(form.instance.url)
                return form

            def add_fields(self, form, index):
                super().add_fields(form, index)
                # "Superseded by": only the other references of the same article or form, listed
                # from the rows the formset already read (no query per row).
                field = form.fields.get("superseded_by")
                if field is None:
                    return
                siblings = list(self.get_queryset()) if self.instance.pk is not None else []
                field.queryset = self.model._default_manager.filter(pk__in=[row.pk for row in siblings])
                choices = [("", field.empty_label)] + [
                    (row.pk, f"[{row.order}] {row}") for row in siblings if row.pk != form.instance.pk
                ]
                field.choices = choices
                widget = field.widget
                if hasattr(widget, "widget"):  # the admin's wrapper: no "add another" for this choice
                    widget.can_add_related = widget.can_change_related = False
                    widget.can_delete_related = widget.can_view_related = False
                    widget.widget.choices = choices

        return WithLinkChecks
