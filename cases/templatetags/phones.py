"""``{{ number|phone }}``: a stored E.164 number as Dutch people write it."""

from __future__ import annotations

from django import template

from cases.phones import display

register = template.Library()


@register.filter
def phone(number: str) -> str:
    return display(number) if number else ""
