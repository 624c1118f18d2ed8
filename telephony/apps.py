from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "telephony"
    verbose_name = _("Telephony")

    def ready(self) -> None:
        # Django's way to connect signals: models cannot be imported until the apps are loaded.
        from django.contrib.auth.signals import user_logged_out

        from telephony.polling import poll_grants_end_on_sign_out

        # Every way of signing out sends user_logged_out: it ends the pop-up's poll tokens.
        user_logged_out.connect(
            poll_grants_end_on_sign_out, dispatch_uid="telephony.poll_grants_end"
        )
