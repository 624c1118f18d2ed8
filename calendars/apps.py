from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Opening hours")

    def ready(self) -> None:
        from calendars.configured import connect_cache_invalidation

        connect_cache_invalidation()
