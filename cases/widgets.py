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
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class QuickSelect(forms.Select):
    """A ``Select`` that draws its options without a template per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
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
        attributes = flatatt({"name": widget["name"], **widget["attrs"]})
        return format_html("<select{}>{}</select>", attributes, options)
