"""What the public list pages share: the template an htmx request gets (django-htmx sets
`request.htmx`), and how their GET filter forms read a value that may have been dropped."""

import re

from django import forms


def fragment_or_page(request, template, partial):
    """The partial for an htmx request; the whole page otherwise, and for a history restore."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


class CleanedValueMixin:
    """For a filter form whose invalid values are dropped, not fatal: read one field at a time."""

    def value(self, name, default=None):
        """A cleaned value, or the default when the field was missing or invalid."""
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


class FilterForm(CleanedValueMixin, forms.Form):
    """A list page's GET filter form: a value the server cannot use is dropped with a notice for
    the reader, never an error page, so a mangled shared link still shows the list.

    - REPEATABLE: {field: its notice} for the repeatable fields (checkboxes). Unknown values are
      dropped one by one before validation, so ?group=nuts&group=typo keeps "nuts" (a value repeated
      counts once). The notice is
      formatted with `{names}` (the unknown values, quoted, in one notice) or `{value}` (one
      notice a value).
    - INVALID: {field: its notice} for any other field whose value fails validation; the notice
      may name the submitted `{value}`. A field not listed asks `invalid_notice()`.
    - `choices`: {field: choices} set before the unknown values are dropped.

    `notices` is a property: right before or after `apply()`, whichever the view calls first."""

    REPEATABLE = {}
    INVALID = {}

    def __init__(self, data=None, choices=None):
        data = data.copy() if data is not None else None
        super().__init__(data)
        for name, options in (choices or {}).items():
            self.fields[name].choices = options
        for name, field in self.fields.items():
            if field.help_text:  # templates/includes/field.html writes the hint with this id
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"
        self.unknown = {}
        if data is None:
            return
        for name in self.REPEATABLE:
            known = {str(value) for value, _ in self.fields[name].choices}
            requested = data.getlist(name)
            self.unknown[name] = list(dict.fromkeys(value for value in requested if value not in known))
            data.setlist(name, list(dict.fromkeys(value for value in requested if value in known)))

    def full_clean(self):
        super().full_clean()
        # A dropped number is not written back into its box: a browser refuses to submit a form
        # whose number box breaks its min (and the filter was ignored anyway).
        for name in self.errors:
            if isinstance(self.fields[name].widget, forms.NumberInput):
                self.data.pop(name, None)

    @property
    def notices(self):
        """Plain-language notes about the filters that were ignored, in the fields' order."""
        self.is_valid()
        notes = []
        for name in self.fields:
            if unknown := self.unknown.get(name):
                notes += self.unknown_notices(self.REPEATABLE[name], unknown)
            elif name in self.errors:
                notes.append(self.invalid_notice(name))
        return notes

    @staticmethod
    def unknown_notices(message, unknown):
        if "{value}" in message:
            return [message.format(value=value[:40]) for value in unknown]
        names = ", ".join(f"“{value[:40]}”" for value in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        return [message.format(names=names + more)]

    def invalid_notice(self, name):
        return self.INVALID[name].format(value=str(self.data.get(name, ""))[:40])


class SortChoiceMixin:
    """A filter form with a `sort` field and a DEFAULT_SORT: the order the list is in, which
    is also the option the template marks selected (no sort given, or one we do not know, is
    the default; a <select> without a selected option gives assistive technology no value)."""

    DEFAULT_SORT = None

    @property
    def chosen_sort(self):
        return self.value("sort", self.DEFAULT_SORT)


class NumberInput(forms.NumberInput):
    """<input type="number"> that writes back a submitted value only if HTML accepts it as a
    number: value="abc" is invalid HTML (the Nu HTML Checker says so), and browsers show such a
    value as an empty box anyway. The field's own message says what was wrong."""

    VALID_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")

    def format_value(self, value):
        value = super().format_value(value)
        return value if value is None or self.VALID_NUMBER.fullmatch(value) else None
