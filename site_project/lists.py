"""What the public list pages share: the template an htmx request gets (django-htmx sets
`request.htmx`), and how their GET filter forms read a value that may have been dropped."""


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
