"""What the GET filter forms of the public lists share."""


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
