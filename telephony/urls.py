"""URLs of telephony: where phone systems post, and the staff pages."""

from django.urls import path

from telephony.views import calls, cti, popup, systems

#: Mounted at /cti/ under the namespace "cti": signed in by the token, not a session.
cti_urlpatterns = [
    path("<str:token>/", cti.cti_zammad, name="zammad"),
    path("<str:token>/voys/", cti.cti_voys, name="voys"),
]

urlpatterns = [
    path("telephony/calls/", calls.call_log_page, name="telephony_call_log"),
    path("telephony/calls/<int:pk>/log/", calls.call_take_page, name="telephony_call_take"),
    path("telephony/ringing/", popup.ringing, name="telephony_ringing"),
    path("telephony/systems/", systems.system_list, name="telephony_systems"),
    path(
        "telephony/systems/<int:pk>/revoke/", systems.system_revoke, name="telephony_system_revoke"
    ),
]
