from django import template

from supplements import dosing

register = template.Library()


@register.filter
def elemental_percent(value):
    """A form's elemental % as the reference gives it, one decimal kept: "12.0", "60.3"."""
    return dosing.elemental_percent_text(value)
