"""``{% field_block %}`` draws the list filters as ``cases/_field.html`` (Django's) does."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html

from cases.filters import CaseFilter
from cases.forms_organisations import OrganisationFilterForm
from cases.widgets import QuickSelect

pytestmark = pytest.mark.django_db


def drawn_both_ways(field) -> tuple[object, object]:
    context = Context({"field": field})
    by_template = Template('{% include "cases/_field.html" with field=field %}').render(context)
    by_tag = Template("{% load fields %}{% field_block field %}").render(context)
    return parse_html(by_template), parse_html(by_tag)


def case_filter_form(query: str, user):
    request = RequestFactory().get("/cases/")
    request.user = user
    data = QueryDict(query) if query else None
    return CaseFilter(data, request=request).form


@pytest.mark.parametrize(
    "query",
    [
        "",  # unbound: the defaults
        "q=jansen&status=active&priority=urgent&sort=due&waiting_days=3&assignee=me",
        # Values not understood: every field with an error shows it.
        "status=nonsense&category=abc&assignee=99999&waiting_days=-4&pso_now=x&sort=x&q="
        + "x" * 250,
    ],
)
def test_every_field_of_the_case_filter_is_drawn_as_by_the_template(query, staff_user):
    form = case_filter_form(query, staff_user)
    if query:
        form.is_valid()
    for field in form:
        template_html, tag_html = drawn_both_ways(field)
        assert tag_html == template_html, field.name


@pytest.mark.parametrize("query", ["", "q=utrecht&kind=company&expiring=on", "level=nonsense"])
def test_every_field_of_the_organisation_filter_is_drawn_as_by_the_template(query):
    form = OrganisationFilterForm(QueryDict(query) if query else None)
    if query:
        form.is_valid()
    for field in form:
        template_html, tag_html = drawn_both_ways(field)
        assert tag_html == template_html, field.name


class Shapes(forms.Form):
    """Fields the filter forms do not have: help text, a required one, a fieldset, a suffix."""

    required_css_class = "required"

    named = forms.CharField(label="Name", help_text="As <em>written</em>.", required=True)
    asked = forms.CharField(label="Why?", required=False, label_suffix=" –")
    choice = forms.ChoiceField(
        label="Pick", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    unlabelled = forms.CharField(label="", required=False)


@pytest.mark.parametrize("data", [None, {"named": "", "choice": "z"}])
def test_help_text_required_fieldsets_and_suffixes_are_drawn_as_by_the_template(data):
    form = Shapes(data)
    if data:
        assert not form.is_valid()
    for field in form:
        template_html, tag_html = drawn_both_ways(field)
        assert tag_html == template_html, field.name
    # Without ids (auto_id off) a label is plain text, as Django draws it.
    for field in Shapes(auto_id=False):
        template_html, tag_html = drawn_both_ways(field)
        assert tag_html == template_html, field.name


@pytest.mark.parametrize(
    "query", ["", "status=active&assignee=me&category=1&sort=due&pso_now=none", "status=x"]
)
def test_the_quick_menus_draw_what_django_s_select_draws(query, staff_user):
    form = case_filter_form(query, staff_user)
    quick = [field for field in form if isinstance(field.field.widget, QuickSelect)]
    assert len(quick) == 8
    for field in quick:
        django_select = forms.Select(attrs=field.field.widget.attrs, choices=field.field.choices)
        value = field.value()
        attrs = {"id": field.auto_id}
        assert parse_html(field.field.widget.render(field.html_name, value, attrs)) == parse_html(
            django_select.render(field.html_name, value, attrs)
        ), field.name


def test_a_quick_menu_selects_only_the_first_match_and_draws_groups_flat():
    menu = QuickSelect(choices=[("a", "A"), ("a", "A again"), (None, "None"), ("b", "<B>")])
    assert parse_html(menu.render("m", "a")) == parse_html(
        forms.Select(choices=menu.choices).render("m", "a")
    )
    assert 'value="" selected' in str(menu.render("m", None))
    grouped = QuickSelect(choices=[("Letters", [("a", "A"), ("b", "B")]), ("c", "C")])
    assert parse_html(grouped.render("m", "b")) == parse_html(
        '<select name="m"><option value="a">A</option><option value="b" selected>B</option>'
        '<option value="c">C</option></select>'
    )
