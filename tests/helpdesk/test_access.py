"""Who reaches which page: sign-in for everything, the admin and some pages for managers only.

The named URLs are read from the URLconf itself, so a page added later is
covered without anyone remembering to add it here.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse

#: Pages anyone may open: signing in, and choosing the language on the sign-in page.
#: Adding a page here is a decision that it is public.
PUBLIC_URL_NAMES = {
    "login",
    "set_language",
    # A forgotten password is reset from the mail, before anyone can sign in.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
#: URL namespaces that are not for people: the mail services' webhooks, which
#: authenticate by their signing secret instead of a session. And the public pages
#: (asking a question, booking a callback), open to anyone on purpose, in both variants.
#: And the phone systems' call events, which authenticate by their token.
PUBLIC_NAMESPACES = ("anymail:", "public:", "public_embed:", "cti:")

#: Pages only managers may use; staff get 403.
MANAGER_ONLY_URL_NAMES = [
    "case_merge_undo",
    "helpdesk_signature",
    "organisation_import",
    "organisation_import_job",
    "calendar_preview",
    "report",
    "report_cases_csv",
    "report_table_csv",
    "staff_member_list",
    "staff_member_create",
    "staff_member_active",
    "staff_member_password_mail",
    "staff_member_role",
    "staff_member_two_factor_reset",
    "public_pages_settings",
    "privacy:overview",
    "privacy:hold_set",
    "privacy:hold_lift",
    "privacy:case_anonymise",
    "privacy:person",
    "privacy:person_export",
    "privacy:person_erase",
    "privacy:access_log",
    "privacy:access_log_csv",
    "telephony_systems",
    "telephony_system_revoke",
    "mailbox_list",
    "mailbox_create",
    "mailbox_edit",
    "mailbox_test",
    "mailbox_test_result",
]

SAMPLE_ARGUMENTS = {
    converters.IntConverter: 1,
    converters.StringConverter: "PSO-2026-00001",
    converters.SlugConverter: "sample",
    converters.PathConverter: "sample",
    converters.UUIDConverter: uuid.UUID(int=1),
}


def _walk(
    patterns: list, namespace: str = "", inherited: dict | None = None
) -> list[tuple[str, dict]]:
    found = []
    for entry in patterns:
        own = dict(inherited or {})
        own.update(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own sign-in; see the admin tests below
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_walk(entry.url_patterns, inner, own))
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = {}
            for name, converter in own.items():
                if type(converter) not in SAMPLE_ARGUMENTS:
                    raise AssertionError(f"no sample value for converter {converter!r} ({name})")
                kwargs[name] = SAMPLE_ARGUMENTS[type(converter)]
            public = getattr(entry.callback, "login_required", True) is False
            found.append((f"{namespace}{entry.name}", kwargs, public))
    return found


def _is_meant_public(name: str) -> bool:
    return name in PUBLIC_URL_NAMES or name.startswith(PUBLIC_NAMESPACES)


NAMED_URLS = sorted(_walk(get_resolver().url_patterns), key=lambda item: item[0])
SHELL_URLS = [(name, kwargs) for name, kwargs, _ in NAMED_URLS if not _is_meant_public(name)]


def test_the_url_walk_finds_the_staff_pages():
    names = {name for name, _, _ in NAMED_URLS}
    assert {"dashboard", "call_log", "case_list", "case_detail", "organisation_list"} <= names


def test_only_the_intended_pages_skip_sign_in():
    """A view marked login_not_required must be meant to be public."""
    public = {name for name, _, is_public in NAMED_URLS if is_public}

    assert {name for name in public if not _is_meant_public(name)} == set()
    assert "login" in public


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), SHELL_URLS, ids=[name for name, _ in SHELL_URLS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, kwargs, method):
    url = reverse(name, kwargs=kwargs)

    response = getattr(client, method)(url)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert f"next={url}" in location.query.replace("%2F", "/")


@pytest.mark.parametrize(("name", "kwargs"), SHELL_URLS, ids=[name for name, _ in SHELL_URLS])
def test_signed_in_staff_never_get_a_server_error(staff_client, name, kwargs):
    """Sample arguments name nothing that exists: a page answers 404, never 500.

    Only the manager-only pages answer 403, so that list above stays complete.
    """
    response = staff_client.get(reverse(name, kwargs=kwargs))

    if name in MANAGER_ONLY_URL_NAMES:
        assert response.status_code == 403
    else:
        assert response.status_code in {200, 302, 404, 405}


@pytest.mark.django_db
def test_the_sign_in_page_is_public(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200


def test_managers_reach_the_admin(manager_client):
    response = manager_client.get(reverse("admin:index"))

    assert response.status_code == 200


def test_staff_do_not_reach_the_admin(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("admin:login")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [("staff_user", False), ("manager_user", True)])
def test_the_administration_link_is_shown_to_managers_only(request, role, shown):
    client = Client()
    client.force_login(request.getfixturevalue(role))

    page = client.get(reverse("dashboard")).content.decode()

    assert (f'href="{reverse("admin:index")}"' in page) is shown


MANAGER_PAGES = [(name, kwargs) for name, kwargs in SHELL_URLS if name in MANAGER_ONLY_URL_NAMES]


def test_every_manager_only_page_exists():
    assert sorted(name for name, _ in MANAGER_PAGES) == sorted(MANAGER_ONLY_URL_NAMES)


@pytest.mark.parametrize(("name", "kwargs"), MANAGER_PAGES, ids=[n for n, _ in MANAGER_PAGES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_manager_only_pages_refuse_staff(staff_client, name, kwargs, method):
    response = getattr(staff_client, method)(reverse(name, kwargs=kwargs))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [(name, kwargs) for name, kwargs in MANAGER_PAGES if not kwargs],
    ids=[name for name, kwargs in MANAGER_PAGES if not kwargs],
)
def test_manager_only_pages_open_for_managers(manager_client, name, kwargs):
    response = manager_client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
