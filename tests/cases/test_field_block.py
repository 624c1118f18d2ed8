"""The case page's fields drawn in Python (``{% field_block %}``, ``QuickSelect``) give the
HTML Django's templates give: labels, help text and its id, errors, ``aria-invalid`` and
``aria-describedby``, the chosen option."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from cases.forms import CallDetailsForm, CaseChangeForm, NoteForm
from cases.forms_replies import MailReplyForm
from cases.templatetags.fields import field_block, field_group_html, widget_html
from cases.widgets import QuickSelect
from tests.factories import CaseFactory, category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


def forms_of_the_case_page(staff_user) -> list[forms.Form]:
    case = CaseFactory(category=category("sroi"), assignee=staff_user)
    bad = {"status": "nonsense", "priority": "", "version": "x", "started_at": "13-13-2026"}
    return [
        CaseChangeForm.for_case(case),
        CaseChangeForm(bad),
        CallDetailsForm(prefix="call", initial={"number": "06 1234 5678"}),
        CallDetailsForm({"call-duration_minutes": "-3", **bad}, prefix="call"),
        NoteForm(),
        NoteForm({"body": "   "}),
        MailReplyForm(initial={"to": "a@example.nl", "subject": "Re: vraag", "quote": True}),
        MailReplyForm({"to": "not an address", "subject": ""}),
    ]


def test_every_field_is_drawn_as_djangos_field_group_draws_it(staff_user):
    drawn = 0
    for form in forms_of_the_case_page(staff_user):
        for field in form:
            where = f"{type(form).__name__}.{field.name}"
            if field.is_hidden:
                assert parse_html(widget_html(field)) == parse_html(str(field)), where
            else:
                assert parse_html(field_group_html(field)) == parse_html(field.as_field_group()), (
                    where
                )
            drawn += 1
    assert drawn > 30


def test_a_field_with_errors_is_marked_and_described(staff_user):
    form = NoteForm({"body": "   "})
    html = field_block(form["body"])
    assert html.startswith('<div class="field has-error">')
    assert 'aria-invalid="true"' in html and "This field is required." in html
    assert 'aria-describedby="id_body_helptext' in html


def test_a_quick_select_draws_the_options_a_select_draws(staff_user):
    choices = [("", "—"), ("a", "A & B"), ("b", "<b>")]
    quick = QuickSelect(choices=choices).render("x", "b", {"id": "id_x", "required": True})
    usual = forms.Select(choices=choices).render("x", "b", {"id": "id_x", "required": True})
    assert parse_html(quick) == parse_html(usual)


def test_a_menu_of_colleagues_is_read_in_one_plain_query_and_drawn_as_django_draws_it(
    staff_user, manager_user
):
    def menu(widget: type[forms.Select]) -> forms.ModelChoiceField:
        users = get_user_model().objects.order_by("pk")
        return forms.ModelChoiceField(users, widget=widget, empty_label="—")

    chosen = manager_user.pk
    with CaptureQueriesContext(connection) as read:
        quick = menu(QuickSelect).widget.render("assignee", chosen, {"id": "id_assignee"})
    usual = menu(forms.Select).widget.render("assignee", chosen, {"id": "id_assignee"})
    assert parse_html(quick) == parse_html(usual)
    assert f'<option value="{chosen}" selected>{manager_user}</option>' in quick
    # One SELECT, not a server-side cursor (DECLARE, FETCH, CLOSE on PostgreSQL).
    (query,) = read.captured_queries
    assert query["sql"].lstrip().upper().startswith("SELECT")
