"""``{% field_group field %}``: a form field's label, help, errors and widget in Python.

``{{ field.as_field_group }}`` (what ``cases/_field.html`` draws) renders Django's
field template, which renders the label's template, its attributes' template and
the (empty) error list's template: four templates per field, and the case list's
filter form has ten fields on every page view. This tag writes the same HTML with
``format_html``: the label, its ``for`` and suffix, the help text's id and the
widget's own attributes (``aria-describedby``, ``aria-invalid``) are Django's.
A field drawn as a fieldset (radio buttons, several checkboxes) is left to Django.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def label_html(field: BoundField) -> SafeString:
    """``field.label_tag()`` without its template: the label with its suffix, in a
    ``<label for=…>`` when the field has an id (the rule of ``BoundField.label_tag``)."""
    contents = conditional_escape(field.label)
    suffix = field.field.label_suffix
    if suffix is None:
        suffix = field.form.label_suffix
    if suffix and contents and contents[-1] not in _(":?.!"):
        contents = format_html("{}{}", contents, suffix)
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    if not id_:
        return contents
    attrs: dict[str, str] = {}
    if for_id := field.field.widget.id_for_label(id_):
        attrs["for"] = for_id
    if field.field.required and hasattr(field.form, "required_css_class"):
        attrs["class"] = field.form.required_css_class
    return format_html("<label{}>{}</label>", flatatt(attrs), contents)


def field_group_html(field: BoundField) -> SafeString:
    """What ``field.as_field_group()`` draws (Django's ``django/forms/field.html``),
    inside the ``<div class="field">`` of ``cases/_field.html``."""
    css = "field has-error" if field.errors else "field"
    if field.use_fieldset:
        return format_html('<div class="{}">{}</div>', css, field.as_field_group())
    parts = [label_html(field) if field.label else ""]
    if field.help_text:
        helptext_id = flatatt({"id": f"{field.auto_id}_helptext"}) if field.auto_id else ""
        parts.append(
            format_html('<div class="helptext"{}>{}</div>', helptext_id, mark_safe(field.help_text))
        )
    if field.errors:
        parts.append(str(field.errors))
    parts.append(str(field))
    return format_html('<div class="{}">{}</div>', css, mark_safe("\n".join(str(p) for p in parts)))


@register.simple_tag
def field_group(field: BoundField) -> SafeString:
    """``{% field_group form.name %}``: the same as ``{% include "cases/_field.html" %}``."""
    return field_group_html(field)
