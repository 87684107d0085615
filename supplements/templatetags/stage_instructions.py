"""The infant's and the child's instructions (supplements/dosing.py, their one source) for the shared
includes: {% load stage_instructions %}{% stage_instruction "infant" %}."""

from django import template

from supplements.dosing import STAGE_INSTRUCTIONS

register = template.Library()


@register.simple_tag
def stage_instruction(name):
    """The sentence named "infant", "child" or "no_upper_level_for_infants" (a clause the page goes on after)."""
    return STAGE_INSTRUCTIONS[name]
