"""Form widgets drawn in Python where Django's templates cost a list its speed.

Django draws a ``<select>`` through a template per option (the option, then its
attributes): the case list's filter menus (statuses, categories, every colleague)
cost more to draw than the page's queries. ``QuickSelect`` writes the same HTML
with ``format_html``; its options, attributes and escaping are Django's own
(``get_context``), so it behaves as a ``Select`` everywhere else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def choices_read(choices: Any) -> list[tuple[Any, Any]]:
    """The choices as a list, read once (a model's choices are a query each time), without
    ``len()`` (a count query). A model's rows are read in one plain query: Django's own
    iteration goes through ``QuerySet.iterator()``, which on PostgreSQL is a server-side
    cursor, three round trips (declare, fetch, close) for a menu of twenty names."""
    if isinstance(choices, ModelChoiceIterator):
        head = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
        return head + [choices.choice(row) for row in choices.queryset.all()]
    return list(choices)


class QuickSelect(forms.Select):
    """A ``Select`` that draws its options without a template per option, and without
    building Django's option dictionaries (``optgroups``) for choices without groups."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = choices_read(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return self._render_groups(name, value, attrs)
        # What ``Select.get_context`` gives, but for the options: those follow the rule of
        # ``ChoiceWidget.optgroups`` (only the first match is selected unless multiple).
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen, has_selected, options = widget["value"], False, []
        for option_value, label in choices:
            option = "" if option_value is None else str(option_value)
            selected = (not has_selected or self.allow_multiple_selected) and option in chosen
            has_selected |= selected
            attributes = {"value": option, **(self.checked_attribute if selected else {})}
            options.append((flatatt(attributes), label))
        return self._select_html(widget, format_html_join("", "<option{}>{}</option>", options))

    def _render_groups(self, name: str, value: Any, attrs: dict[str, Any] | None) -> SafeString:
        """Choices in groups: Django's options, drawn flat."""
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            "<option{}>{}</option>",
            (
                (flatatt({"value": str(option["value"]), **option["attrs"]}), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return self._select_html(widget, options)

    @staticmethod
    def _select_html(widget: dict[str, Any], options: SafeString) -> SafeString:
        attributes = flatatt({"name": widget["name"], **widget["attrs"]})
        return format_html("<select{}>{}</select>", attributes, options)
