"""What every content admin of the site is built from, in one place:

- HistoryAdmin: History pages in a fixed number of queries; "Revert" checked as a save is.
- LabelledTabularInline: inline rows whose inputs a screen reader can name.
- ConcurrentEditAdminMixin: no lost edits (a save over someone else's newer save is refused).
- section(): one fieldset of a change form (title, fields, a note for editors, folded or not).
- count_column() and QuerySetFilter: a changelist's count columns, and filters whose options are queryset methods.
- PublishableAdmin: the publishing columns, filter and actions of every Publishable model.
- SafeAutocompleteAdminMixin: autocomplete fields that answer a tampered value with a form error.
- LinkCheckAdmin and LinkStatusMixin: what manage.py check_references found, and each reference's last check.
- ReferenceInline and citation_box(): the references inline both apps' admins subclass.

History pages. django-simple-history shows, on each version, what changed since the version
before. Plain fields and foreign keys come with the versions' own query; the links of a
many-to-many field (an article's topics, a supplement form's uses) it reads per version, two to
four queries a field a version. Here the links of every version on the page are read in one query a field,
and the change in links is worked out from those rows: the same list, in the same words.

Inlines. Django's TabularInline labels its inputs only visually, by the column header above them
("Citation", "Delete?"), so axe-core reports each one ("Form elements must have labels").
Each input gets the same words as an aria-label.

No lost edits: optimistic concurrency for every content admin. When an editor opens a change
form, it carries a token: a fingerprint of the row as stored at that moment. On save, the form
compares that token with the row as stored now. If someone else saved in between, the save is
refused with a message, and the editor's input stays on the page. The refused form carries the
new token, so saving again after looking is a deliberate choice to replace the other version
(which stays in the history either way). A fingerprint of all stored fields needs no version
column, so it works for every model.
"""

import hashlib
from collections import defaultdict
from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, ModelDelta

from site_project.links import usages
from site_project.models import REVIEW_PERMISSION, LinkCheck, Person, Publishable, SitePage, outcome_rank


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose History page costs the same for 3 versions or 100, and whose
    "Revert" is checked as a save is: change permission, the no-lost-edits token, one transaction."""

    # Adds the edit token simple-history's own template leaves out (see the template).
    object_history_form_template = "admin/object_history_form.html"

    # simple-history queries with the ids of the address as given: "abc" for a number is a 500.
    def history_view(self, request, object_id, extra_context=None):
        id_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        id_or_404(self.model, object_id)
        id_or_404(getattr(self.model, self.model._meta.simple_history_manager_attribute).model, version_id)
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


def id_or_404(model, object_id):
    """The id in an admin address as the model stores it, or a 404 for one it could never hold
    ("abc" for a number), as for an id that does not exist."""
    try:
        return model._meta.pk.to_python(unquote(object_id))
    except ValidationError:
        raise Http404(f"No {model._meta.verbose_name} has the id “{object_id}”.") from None


def link_ids(rows):
    """What diff_against() compares: the linked items' ids, in order (a deleted item keeps its id)."""
    return [linked.pk for row in rows for linked in row.values()]


# --- Inlines -------------------------------------------------------------------------------------


class LabelledTabularInline(admin.TabularInline):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            widget = getattr(formfield.widget, "widget", formfield.widget)  # inside a related-field wrapper
            widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs.setdefault("aria-label", "Delete this row")

        return LabelledFormSet


# --- No lost edits --------------------------------------------------------------------------------

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


# --- Change forms -----------------------------------------------------------------------------------


def section(title, fields, description=None, collapsed=False):
    """One fieldset of an admin change form, for `fieldsets`: its `title` (None for the untitled one at
    the top), its `fields`, a `description` shown to editors under the title, and whether it starts
    `collapsed` (folded under its title until the editor opens it)."""
    options = {"fields": fields}
    if description:
        options["description"] = description
    if collapsed:
        options["classes"] = ["collapse"]
    return (title, options)


# --- Changelist columns and filters --------------------------------------------------------------


def count_column(annotation, description):
    """A changelist column showing, and sorting by, a count the admin's get_queryset annotates
    (e.g. `annotate(finding_total=Count("findings"))`), so the list counts in its own query."""

    @admin.display(description=description, ordering=annotation)
    def column(model_admin, item):
        return getattr(item, annotation)

    return column


class QuerySetFilter(admin.SimpleListFilter):
    """A changelist filter whose options each keep what one method of the model's queryset returns:
    `options` maps the value in the address to the option's label and the method's name."""

    options = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _method) in self.options.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.options:
            return queryset
        _label, method = self.options[self.value()]
        return getattr(queryset, method)()


# --- Publishing ------------------------------------------------------------------------------------


class PublicationFilter(QuerySetFilter):
    """Status as readers experience it: a published item with a future time is not public yet."""

    title = "publication"
    parameter_name = "publication"
    options = {
        "draft": ("Draft", "drafts"),
        "scheduled": ("Scheduled (published, time still to come)", "scheduled"),
        "public": ("Public now", "published"),
    }


def status_action(status, done, description, message):
    """An admin action that gives the selected items `status` (PublishableAdmin.set_status, whose
    history note is `done`) and tells the editor how many: `message` with {count} and {items}."""

    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        count = model_admin.set_status(request, queryset, status, done)
        items = model_ngettext(model_admin.opts, count)
        model_admin.message_user(request, message.format(count=count, items=items), messages.SUCCESS)

    return action


class PublishableAdmin:
    """Add to the admin of a Publishable model (before the admin base classes): the publish and
    return-to-draft actions, a status column that tells a scheduled item from a public one, the
    status of each version on the History page, and a note when saving publishes an item now.
    Put "status_label" and "published_at" in list_display and PublicationFilter in list_filter."""

    actions = ["publish", "return_to_draft"]

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="status")
    def version_status(self, record):
        """The status column of the History page (one historical version per row)."""
        return record.get_status_display()

    def save_model(self, request, obj, form, change):
        stamped = obj.status == Publishable.Status.PUBLISHED and obj.published_at is None
        super().save_model(request, obj, form, change)
        if stamped:
            self.message_user(
                request,
                format_html(
                    "“{}” had no publication time, so it was published now ({}).",
                    str(obj),
                    timezone.localtime(obj.published_at).strftime("%d %b %Y, %H:%M"),
                ),
                messages.INFO,
            )

    publish = status_action(
        Publishable.Status.PUBLISHED,
        "Published",
        "Publish the selected %(verbose_name_plural)s (now, unless a time is already set)",
        "Published {count} {items}.",
    )
    return_to_draft = status_action(
        Publishable.Status.DRAFT,
        "Returned to draft",
        "Return the selected %(verbose_name_plural)s to draft (hide them from the public)",
        "Returned {count} {items} to draft.",
    )

    def set_status(self, request, queryset, status, done):
        """Give every selected item `status`, one save each, so each change is a version in its
        History by this editor (saving as published stamps published_at if it has none)."""
        count = 0
        for item in queryset.exclude(status=status):
            item.status = status
            item._history_user = request.user
            item._change_reason = f"{done} from the {self.opts.verbose_name} list"
            item.save()
            count += 1
        return count


# --- Autocomplete fields that refuse a bad value with a form error ------------------------------
# Admin autocomplete fields that show a tampered or stale value as a form error, not a 500.
#
# When a form is shown again, Django's autocomplete widget looks the submitted values up to
# label them, and a value the key cannot hold ("abc" for a numeric id) raised ValueError in that
# query (AutocompleteMixin.optgroups). The form field itself already says "Select a valid
# choice"; these widgets drop such values before the look-up, so that error is what the editor
# sees. Every ModelAdmin with autocomplete_fields takes SafeAutocompleteAdminMixin
# (tests/test_admin_autocomplete.py checks that none is missed).


class ValuesTheKeyCanHoldMixin:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if self._key_can_hold(key, v)], attr)

    @staticmethod
    def _key_can_hold(key, value):
        try:
            key.to_python(value)
        except ValidationError:
            return False
        return True


class SafeAutocompleteSelect(ValuesTheKeyCanHoldMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValuesTheKeyCanHoldMixin, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdminMixin:
    """ModelAdmin mixin: its autocomplete_fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# --- Link checks (manage.py check_references) -------------------------------------------------------


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


def citation_box(cols):
    """formfield_overrides for a references inline: a citation is a line or two, and the default
    10-row box makes the table hard to scan."""
    return {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": cols})}}


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


class ReferenceInline(LinkStatusMixin, LabelledTabularInline):
    """An article's or a supplement form's references, with each link's last check. A subclass
    names the model, its fields, its citation_box() and verbose_name_plural."""

    extra = 1
    readonly_fields = ["link_status"]
    verbose_name = "reference"


# --- Site pages (issue 17) ---------------------------------------------------------------------------


@admin.register(SitePage)
class SitePageAdmin(PublishableAdmin, ConcurrentEditAdminMixin, HistoryAdmin):
    """About, Editorial policy, Corrections, Funding, Privacy, Contact: text the editors keep true."""

    list_display = ["title", "address", "status_label", "published_at", "updated_at"]
    list_filter = [PublicationFilter]
    search_fields = ["title", "summary", "body"]
    readonly_fields = ["updated_at"]
    history_list_display = ["version_status"]
    save_on_top = True
    fieldsets = [
        section(
            None,
            ["title", "slug", "summary", "body"],
            "State only what the site actually does. When something changes (a new kind of data kept, "
            "a correction made), change the page the same day.",
        ),
        section(
            "Publishing",
            ["status", "published_at", "updated_at"],
            "Draft: only editors can see it (use “View on site” to preview); visitors get “page not "
            "found”, though the footer still links to it. Every save keeps a version; “History” (top "
            "right) compares and restores them.",
        ),
    ]

    @admin.display(description="address", ordering="slug")
    def address(self, page):
        return page.get_absolute_url()


# --- People and medical review (issue 17) -------------------------------------------------------------


@admin.register(Person)
class PersonAdmin(ConcurrentEditAdminMixin, HistoryAdmin):
    list_display = ["name", "credentials", "role"]
    search_fields = ["name", "credentials", "role"]
    fields = ["name", "credentials", "role", "bio", "conflicts_of_interest", "photo", "photo_alt", "account"]


REVIEW_REFUSED = (
    "Only a medical reviewer can set who reviewed this or when, so NOTHING was saved. Your input is still "
    "below: clear your change to the review fields to save the rest, or ask a reviewer."
)
REVIEW_FIELDS = ["medical_reviewer", "reviewed_at"]


class ReviewFilter(QuerySetFilter):
    """The review queue's questions (ReviewableQuerySet), one option each."""

    title = "medical review"
    parameter_name = "review"
    options = {
        "overdue": ("Overdue", "overdue"),
        "due": ("Due within 30 days", "due_soon"),
        "never": ("Never reviewed", "never_reviewed"),
        "updated": ("Updated since review", "updated_since_review"),
        "current": ("Up to date", "review_up_to_date"),
    }


class ReviewableAdmin:
    """Add to the admin of a Reviewable model (before the admin base classes): the review fields, a
    review column and filter, the "Mark reviewed by me today" action, and the rule that only a
    reviewer (site_project.mark_reviewed) may change who reviewed an item or when.
    The review column, filter and fieldset are added at the end unless the admin places them itself."""

    review_fieldset = section(
        "Author and medical review",
        ["author", "medical_reviewer", "reviewed_at", "review_interval_months", "review_state"],
        "Only medical reviewers can set the reviewer and date (or use “Mark reviewed by me today” in the "
        "list). Any later edit shows “Updated since review” here and on the page until reviewed again.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = [*(self.actions or []), "mark_reviewed_by_me"]  # beside the admin's own actions

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "review_state"]

    def get_list_select_related(self, request):
        chosen = super().get_list_select_related(request)
        if chosen is True:
            return True
        return [*(chosen or []), "medical_reviewer"]  # the review column, without a query a row

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if "medical_reviewer" not in {name for _title, options in fieldsets for name in options["fields"]}:
            fieldsets.append(self.review_fieldset)
        return fieldsets

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return shown if "review_label" in shown else [*shown, "review_label"]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return filters if ReviewFilter in filters else [*filters, ReviewFilter]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(REVIEW_PERMISSION):
            actions.pop("mark_reviewed_by_me", None)
        return actions

    @admin.display(description="medical review")
    def review_label(self, obj):
        return review_state_text(obj)

    @admin.display(description="review state")
    def review_state(self, obj):
        return review_state_text(obj) if obj is not None and obj.pk else "Not yet medically reviewed"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        may_review = request.user.has_perm(REVIEW_PERMISSION)

        class ReviewCheckedForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "review_interval_months" in self.fields:
                    self.fields["review_interval_months"].required = False  # empty: the default, 12

            def clean_review_interval_months(self):
                given = self.cleaned_data.get("review_interval_months")
                return (
                    given if given is not None else self._meta.model._meta.get_field("review_interval_months").default
                )

            def clean(self):
                cleaned_data = super().clean()
                if not may_review and any(name in self.changed_data for name in REVIEW_FIELDS):
                    raise ValidationError(REVIEW_REFUSED, code="not_a_reviewer")
                return cleaned_data

        ReviewCheckedForm.__name__ = form_class.__name__
        return ReviewCheckedForm

    def save_model(self, request, obj, form, change):
        if any(name in form.changed_data for name in REVIEW_FIELDS):
            obj.record_review()  # this save is the reviewed version
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark the selected %(verbose_name_plural)s reviewed by me today", permissions=["change"])
    def mark_reviewed_by_me(self, request, queryset):
        if not request.user.has_perm(REVIEW_PERMISSION):
            self.message_user(
                request, "Only a medical reviewer can mark content reviewed. Nothing was changed.", messages.ERROR
            )
            return
        reviewer = Person.objects.filter(account=request.user).first()
        if reviewer is None:
            self.message_user(
                request,
                "Your account is not linked to a person: open your entry under People and choose your account "
                "there, so the review names you. Nothing was changed.",
                messages.ERROR,
            )
            return
        count = 0
        for item in queryset:
            item._history_user = request.user
            item._change_reason = "Marked reviewed"
            item.mark_reviewed(reviewer)
            count += 1
        self.message_user(
            request,
            f"Marked {count} {model_ngettext(self.opts, count)} reviewed by {reviewer} today.",
            messages.SUCCESS,
        )


def review_state_text(obj):
    """What an editor scans in a list: "Reviewed 2 Mar 2026 by A. Smith, MD · Updated since review"."""
    if obj.reviewed_at is None:
        return "Not yet medically reviewed"
    text = f"Reviewed {obj.reviewed_at:%d %b %Y} by {obj.medical_reviewer}"
    if obj.updated_since_review:
        text += " · Updated since review"
    if obj.review_due and obj.review_due < timezone.localdate():
        text += f" · Overdue since {obj.review_due:%d %b %Y}"
    elif obj.review_due:
        text += f" · Next due {obj.review_due:%d %b %Y}"
    return text


# --- The review queue on the admin index ----------------------------------------------------------------
# What each reviewed model is listed by in the queue.
QUEUE_LABELS = {
    "articles.article": "title",
    "articles.finding": "slug",
    "supplements.foodentry": "name",
    "supplements.supplementform": "name",
    "supplements.medicine": "name",
    "supplements.intakereference": ("life_stage", "age_range", "sex"),  # no single name: "adults, 19-30 years, male"
}


def medical_reviewer_ids():
    """The people who have medically reviewed at least one item, across every reviewed model: one query."""
    from django.apps import apps

    reviewed = [
        apps.get_model(label)
        .objects.filter(reviewed_at__isnull=False, medical_reviewer__isnull=False)
        .order_by()
        .values_list("medical_reviewer_id", flat=True)
        for label in QUEUE_LABELS
    ]
    return set(reviewed[0].union(*reviewed[1:]).order_by())


def review_queue(today=None):
    """Published items overdue for review, or due within 30 days, across every reviewed model: one query
    a model. Each entry: {"title", "overdue": [...], "due": [...], "never": count, "changelist"}, where
    a listed item is {"label", "due", "url"}."""
    from django.apps import apps
    from django.db.models import Q
    from django.urls import reverse

    from site_project.models import DUE_WITHIN

    today = today or timezone.localdate()
    horizon = today + DUE_WITHIN
    queue = []
    for label, name_fields in QUEUE_LABELS.items():
        model = apps.get_model(label)
        name_fields = (name_fields,) if isinstance(name_fields, str) else name_fields
        # Content with a publishing state counts once public; reference data (intake figures) always.
        items = model.objects.published() if hasattr(model.objects, "published") else model.objects.all()
        rows = (
            items.filter(Q(review_due__lte=horizon) | Q(reviewed_at__isnull=True))
            .order_by("review_due")
            .values_list("pk", "review_due", *name_fields)
        )
        opts = model._meta
        entry = {
            "title": capfirst(opts.verbose_name_plural),
            "changelist": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            "overdue": [],
            "due": [],
            "never": 0,
        }
        for pk, due, *names in rows:
            if due is None:
                entry["never"] += 1
                continue
            item = {
                "label": ", ".join(str(name) for name in names),
                "due": due,
                "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]),
            }
            entry["overdue" if due < today else "due"].append(item)
        queue.append(entry)
    return queue
