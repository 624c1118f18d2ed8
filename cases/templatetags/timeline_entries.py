"""A timeline entry drawn in Python: ``{% timeline_entry entry %}``.

A case page shows thirty moments, and ``_timeline_entry.html`` drawn thirty times was
a third of the page's time (about 0.6 ms an entry, nearly all of it the template
engine looking up variables). Calls, notes and changes are written here with
``format_html``, as the template writes them; mail (attachments, delivery events,
links) and merges (a form to undo one) still go through the template.
``tests/cases/test_timeline_entry_tag.py`` holds both to the same HTML.
"""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.template.defaultfilters import capfirst, linebreaksbr
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.phones import display
from cases.timeline import TimelineEntry

register = template.Library()

ENTRY_TEMPLATE = "cases/_timeline_entry.html"


def drawn_in_python(entry: TimelineEntry) -> bool:
    """Whether the entry is one this module draws (calls, notes, plain changes)."""
    if entry.kind in ("call", "note"):
        return True
    return entry.kind == "change" and not any(line.reference for line in entry.changes)


def _when(entry: TimelineEntry) -> SafeString:
    at = timezone.localtime(entry.at)
    return format_html(
        '<p class="when"><time datetime="{}">{}</time> · {}</p>',
        date_format(at, "c"),
        date_format(at, "D j M Y H:i"),
        entry.actor_name,
    )


def _call(entry: TimelineEntry) -> SafeString:
    call = entry.call
    assert call is not None
    parts = [
        format_html(
            "<p><strong>{} {}</strong>{} · {}",
            call.get_direction_display(),
            _("call"),
            format_html(" {}", display(call.number)) if call.number else "",
            call.get_outcome_display(),
        )
    ]
    minutes = entry.call_minutes
    if minutes:
        parts.append(
            format_html(
                " · {}",
                ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes)
                % {"minutes": minutes},
            )
        )
    if not call.inside_phone_hours:
        parts.append(format_html(' <span class="muted">({})</span>', _("outside phone hours")))
    parts.append(mark_safe("</p>"))
    if call.notes:
        parts.append(format_html("<p>{}</p>", linebreaksbr(call.notes, autoescape=True)))
    return mark_safe("".join(parts))


def _note(entry: TimelineEntry) -> SafeString:
    assert entry.note is not None
    return format_html(
        "<p><strong>{}</strong></p><p>{}</p>",
        _("Internal note"),
        linebreaksbr(entry.note.body, autoescape=True),
    )


def _changes(entry: TimelineEntry) -> SafeString:
    lines = (
        format_html(
            "<li>{}</li>",
            # As {% blocktranslate %} does: the values escaped, the sentence not.
            mark_safe(
                _("%(field)s: %(old)s → %(new)s")
                % {
                    "field": conditional_escape(capfirst(line.label)),
                    "old": conditional_escape(line.old),
                    "new": conditional_escape(line.new),
                }
            ),
        )
        for line in entry.changes
    )
    return format_html('<ul class="changes">{}</ul>', mark_safe("".join(lines)))


def entry_html(entry: TimelineEntry) -> SafeString:
    """The ``<li>`` of a call, note or plain change, as ``_timeline_entry.html`` draws it."""
    body = {"call": _call, "note": _note}.get(entry.kind, _changes)(entry)
    return format_html('<li class="timeline-{}">{}{}</li>', entry.kind, _when(entry), body)


@register.simple_tag(takes_context=True)
def timeline_entry(context: Context, entry: TimelineEntry) -> SafeString:
    """One entry of the timeline: in Python where it can be, else by its template."""
    if drawn_in_python(entry):
        return entry_html(entry)
    with context.push(entry=entry):
        return mark_safe(context.template.engine.get_template(ENTRY_TEMPLATE).render(context))
