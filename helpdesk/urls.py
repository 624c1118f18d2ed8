"""URLs of the staff shell; each app brings its own."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cases.views.webhooks import webhook_urlpatterns
from helpdesk import views
from public.urls import staff_urlpatterns as public_staff_urlpatterns
from staff.urls import account_urlpatterns
from telephony.urls import cti_urlpatterns

# The administration speaks of the helpdesk, not of Django.
admin.site.site_header = _("PSO helpdesk — administration")
admin.site.site_title = _("PSO helpdesk")
admin.site.index_title = _("Configuration and records")

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Signing in (lockout, two-factor code, forgotten password) and managing staff.
    path("accounts/", include(account_urlpatterns)),
    path("staff/", include("staff.urls")),
    path("mailboxes/", include("mailboxes.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Retention, a person's request, the access log (managers).
    path("privacy/", include("privacy.urls")),
    # Mail services post here (inbound mail, delivery events); signed in by the
    # webhook secret, not a session (see cases.views.webhooks).
    path("anymail/", include((webhook_urlpatterns, "anymail"))),
    # The public pages: no sign-in; /hulp/embed/ is the variant for a frame on the PSO site.
    path("hulp/", include("public.urls", namespace="public")),
    path("hulp/embed/", include("public.urls", namespace="public_embed")),
    path("", include(public_staff_urlpatterns)),
    # Phone systems post call events here; signed in by their token (see telephony.views.cti).
    path("cti/", include((cti_urlpatterns, "cti"))),
    path("", include("telephony.urls")),
    path("", include("cases.urls")),
    path("", include("scheduling.urls")),
    path("", include("calendars.urls")),
]

# 403 and 404 use Django's handlers, which render 403.html and 404.html with the
# request; the 500 handler also draws the menu when it safely can.
handler500 = views.server_error
