"""A form field with its label, help text and errors, drawn in Python.

``{{ field.as_field_group }}`` renders Django's ``field.html`` and, inside it, a
template for the label; with the widget's own template that is three template
renders per field, and the case page draws sixteen fields in four forms (about a
fifth of its time under ``cProfile``). ``field_block`` writes the same HTML with
``format_html``, using Django's own label text, ids, attributes and error list (and
draws text inputs, text areas and checkboxes the way their templates do); fields drawn
as a fieldset (radio buttons, checkbox lists) and other widgets still go through
Django's templates. ``tests/cases/test_field_block.py`` holds the two to the same HTML.
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
    """What ``field.label_tag()`` gives, for a field drawn outside a fieldset."""
    contents = conditional_escape(field.label)
    suffix = (
        field.field.label_suffix
        if field.field.label_suffix is not None
        else field.form.label_suffix
    )
    if suffix and contents and contents[-1] not in _(":?.!"):
        contents = format_html("{}{}", contents, suffix)
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    if not id_:
        return mark_safe(contents)
    attrs: dict[str, str] = {}
    id_for_label = widget.id_for_label(id_)
    if id_for_label:
        attrs["for"] = id_for_label
    if field.field.required and hasattr(field.form, "required_css_class"):
        attrs["class"] = field.form.required_css_class
    return format_html("<label{}>{}</label>", flatatt(attrs), contents)


#: Widget templates that are one ``<input>`` (``django/forms/widgets/input.html``).
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("text", "email", "number", "url", "password", "hidden", "checkbox")
}
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def widget_html(field: BoundField) -> SafeString:
    """What ``str(field)`` gives, without a template for the common widgets."""
    widget = field.field.widget
    template_name = getattr(widget, "template_name", "")
    if field.field.localize or template_name not in INPUT_TEMPLATES | {TEXTAREA_TEMPLATE}:
        return SafeString(str(field))
    # As BoundField.as_widget builds them.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    attributes = flatatt(context["attrs"])
    if template_name == TEXTAREA_TEMPLATE:
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            attributes,
            context["value"] or "",
        )
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', value) if value is not None else "",
        attributes,
    )


def field_group_html(field: BoundField) -> SafeString:
    """The HTML of ``field.as_field_group()``: label, help text, errors, the widget."""
    if field.use_fieldset:
        return field.as_field_group()
    parts = []
    if field.label:
        parts.append(label_html(field))
    if field.help_text:
        helptext_id = format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else ""
        # As Django's template does, help text is taken as HTML (it comes from code).
        parts.append(
            format_html('<div class="helptext"{}>{}</div>', helptext_id, mark_safe(field.help_text))
        )
    if field.errors:
        parts.append(str(field.errors))
    parts.append(widget_html(field))
    return mark_safe("\n".join(parts))


@register.simple_tag
def field_block(field: BoundField) -> SafeString:
    """One field in its ``div.field`` (``has-error`` when it has errors), as ``_field.html``."""
    return format_html(
        '<div class="field{}">{}</div>',
        " has-error" if field.errors else "",
        field_group_html(field),
    )


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    """The field's widget alone (a hidden field), as ``{{ field }}`` draws it."""
    return widget_html(field)
