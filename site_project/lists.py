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
