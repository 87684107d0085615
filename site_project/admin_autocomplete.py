"""Admin autocomplete fields that show a tampered or stale value as a form error, not a 500.

When a form is shown again, Django's autocomplete widget looks the submitted values up to
label them, and a value the key cannot hold ("abc" for a numeric id) raised ValueError in that
query (AutocompleteMixin.optgroups). The form field itself already says "Select a valid
choice"; these widgets drop such values before the look-up, so that error is what the editor
sees. Every ModelAdmin with autocomplete_fields takes SafeAutocompleteAdminMixin
(tests/test_admin_autocomplete.py checks that none is missed).
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


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
