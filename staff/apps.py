from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        # Django's way to connect signals: models cannot be imported until the apps are loaded.
        from axes.models import AccessAttempt
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete

        from staff.signals import forget_refusals_on_unlock, remember_two_factor

        user_logged_in.connect(remember_two_factor, dispatch_uid="staff.remember_two_factor")
        post_delete.connect(
            forget_refusals_on_unlock, sender=AccessAttempt, dispatch_uid="staff.forget_refusals"
        )
