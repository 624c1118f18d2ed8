from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        # Django's way to connect signals: models cannot be imported until the apps are loaded.
        from django.contrib.auth.signals import user_logged_in

        from staff.signals import remember_two_factor

        user_logged_in.connect(remember_two_factor, dispatch_uid="staff.remember_two_factor")
