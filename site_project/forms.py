"""What the GET filter forms of the public lists share."""


class CleanedValueMixin:
    """For a filter form whose invalid values are dropped, not fatal: read one field at a time."""

    def value(self, name, default=None):
        """A cleaned value, or the default when the field was missing or invalid."""
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default
