"""URLs of the public pages, mounted twice (helpdesk/urls.py): as they are, and embeddable.

``app_name`` is shared, so ``{% url 'public:…' %}`` on an embedded page leads to
the embedded variant of the next page too.
"""

from django.urls import path

from public.views import attachments, manage, pages, settings_page

app_name = "public"

urlpatterns = [
    path("", pages.start, name="start"),
    path("vraag/", pages.ask, name="ask"),
    path("vraag/status/<str:token>/", manage.question_status, name="question_status"),
    path("terugbellen/", pages.callback, name="callback"),
    path("terugbellen/<str:token>/", manage.callback_manage, name="callback_manage"),
    path("terugbellen/<str:token>/verplaatsen/", manage.callback_move, name="callback_move"),
    path("terugbellen/<str:token>/annuleren/", manage.callback_cancel, name="callback_cancel"),
]

#: The managers' settings page, among the staff pages (sign-in required).
staff_urlpatterns = [
    path(
        "public-pages/settings/",
        settings_page.public_pages_settings,
        name="public_pages_settings",
    ),
    path("web-attachments/<int:pk>/", attachments.web_attachment, name="web_attachment"),
]
