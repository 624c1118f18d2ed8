from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "telephony"
    verbose_name = _("Telephony")

    def ready(self) -> None:
        # Django's way to connect signals: models cannot be imported until the apps are loaded.
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_delete, post_save

        from telephony.known import telephony_known_changed
        from telephony.models import BlockedNumber, PhoneSystem
        from telephony.polling import poll_grants_end_on_sign_out

        # Every way of signing out sends user_logged_out: it ends the pop-up's poll tokens.
        user_logged_out.connect(
            poll_grants_end_on_sign_out, dispatch_uid="telephony.poll_grants_end"
        )
        # Not a rule, the cache's consistency: whoever changes a phone system or a blocked
        # number (a service, the admin, the privacy jobs), every process reads them again.
        for model in (PhoneSystem, BlockedNumber):
            for signal in (post_save, post_delete):
                signal.connect(
                    telephony_known_changed,
                    sender=model,
                    dispatch_uid=f"telephony.known.{model.__name__}.{signal is post_save}",
                )
