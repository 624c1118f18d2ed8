"""Template context shared by every page of the staff shell."""

from __future__ import annotations

from django.http import HttpRequest

from staff.roles import is_manager


def roles(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    return {"is_manager": bool(user and user.is_authenticated and is_manager(user))}
