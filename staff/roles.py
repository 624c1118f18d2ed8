"""The two roles of the helpdesk, who has them, and what each may do.

Roles are Django groups created by a migration (``helpdesk/migrations``):
*Helpdesk staff* work cases; *Managers* also change configuration and see reports.
A superuser counts as a manager everywhere. These functions are the only place
that says who is staff and who is a manager.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

STAFF_GROUP = "Helpdesk staff"
MANAGER_GROUP = "Managers"


def is_manager(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_manager", None)
    if cached is None:
        cached = user.groups.filter(name=MANAGER_GROUP).exists()
        user._is_manager = cached  # type: ignore[union-attr]
    return cached


def staff_members() -> QuerySet[AbstractBaseUser]:
    """Active people who work cases: either role, or a superuser (the assignees to choose)."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=[STAFF_GROUP, MANAGER_GROUP]) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def managers() -> QuerySet[AbstractBaseUser]:
    """Active managers: the Managers group, or a superuser (as :func:`is_manager` says)."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=MANAGER_GROUP) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def addresses(users: QuerySet[AbstractBaseUser]) -> list[str]:
    """The email addresses of ``users`` that have one, each once, in a stable order."""
    seen: dict[str, None] = {}
    for email in users.exclude(email="").order_by("pk").values_list("email", flat=True):
        seen.setdefault(email, None)
    return list(seen)


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Managers only: others signed in get 403 (sign-in itself is enforced globally)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- What each role may do ----------------------------------------------------------------
#: Apps whose models the roles cover.
ROLE_APPS = ("cases", "scheduling", "calendars", "telephony", "mailboxes")
#: Models ("app_label.model") that helpdesk staff add and change in their daily work;
#: every other model of ROLE_APPS is configuration, which staff may only view.
STAFF_WORK_MODELS = frozenset(
    {
        "cases.organisation",
        "cases.psostatus",
        "cases.contact",
        "cases.phonenumber",
        "cases.case",
        "cases.phonecall",
        "cases.note",
        "cases.inboundmessage",
        "cases.outboundmessage",
        "cases.outboundattachment",
        "cases.signature",
        "scheduling.callback",
    }
)
#: The audit trail and the reference sequence: nobody edits or deletes them,
#: managers included (the admin shows them read-only).
AUDIT_MODELS = frozenset({"cases.casechange", "cases.casecounter"})
#: A case and its timeline are never deleted: closing a case is the way out.
NO_DELETE_MODELS = frozenset(
    {
        "cases.case",
        "cases.phonecall",
        "cases.note",
        # Received and sent mail: never lost, whatever else is cleaned up.
        "cases.inboundmessage",
        "cases.outboundmessage",
        "cases.outboundattachment",
    }
)
#: Models outside ROLE_APPS that managers may look at (the background queue).
MANAGER_VIEW_APPS = ("django_q",)


def sync_role_permissions(apps: Any) -> None:
    """Create the two role groups and give them exactly the permissions above.

    Called from migrations (with the historical ``apps``) whenever a model is
    added, so the roles stay complete without anyone clicking in the admin.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)

    staff_perms, manager_perms = [], []
    for perm in Permission.objects.select_related("content_type"):
        app_label, model = perm.content_type.app_label, perm.content_type.model
        key = f"{app_label}.{model}"
        action = perm.codename.split("_", 1)[0]
        if app_label in ROLE_APPS:
            if key in AUDIT_MODELS and action != "view":
                continue
            if key in NO_DELETE_MODELS and action == "delete":
                continue
            manager_perms.append(perm)
            if action == "view" or (key in STAFF_WORK_MODELS and action in ("add", "change")):
                staff_perms.append(perm)
        elif app_label in MANAGER_VIEW_APPS and action == "view":
            manager_perms.append(perm)
    staff.permissions.set(staff_perms)
    managers.permissions.set(manager_perms)
