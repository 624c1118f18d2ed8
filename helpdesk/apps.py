from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_q.apps import DjangoQConfig


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Helpdesk")


class BackgroundTasksConfig(DjangoQConfig):
    """django-q under a name of our own: it has no Dutch for its section heading."""

    verbose_name = _("Background tasks")
