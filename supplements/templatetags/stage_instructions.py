"""The infant's and the child's instructions and the other texts the calculator and the planner share
(supplements/dosing.py, their one source) for the shared includes:
{% load stage_instructions %}{% stage_instruction "infant" %}."""

from django import template

from supplements.dosing import PAGE_TEXTS

register = template.Library()


@register.simple_tag
def stage_instruction(name):
    """The sentence named "infant", "child", "kidney", "liquid_servings" or "no_upper_level_for_infants" (a clause
    the page goes on after); "heart_gut_disorders" is a phrase of a list, "heart_gut_source" its source."""
    return PAGE_TEXTS[name]
