"""URLs of privacy (managers only)."""

from django.urls import path

from privacy.views import access_log, overview, person

app_name = "privacy"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("holds/", overview.hold_set, name="hold_set"),
    path("holds/<str:reference>/lift/", overview.hold_lift, name="hold_lift"),
    path("anonymise/", overview.case_anonymise_confirm, name="case_anonymise"),
    path("person/", person.person_search, name="person"),
    path("person/export/", person.person_export_zip, name="person_export"),
    path("person/erase/", person.person_erase_confirm, name="person_erase"),
    path("access-log/", access_log.access_log, name="access_log"),
    path("access-log.csv", access_log.access_log_csv, name="access_log_csv"),
]
