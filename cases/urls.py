"""URLs of cases, organisations and mail."""

from django.urls import path

from cases.views import (
    cases,
    mail,
    organisations,
    presence,
    profile,
    replies,
    saved_filters,
    search,
)

urlpatterns = [
    # Logging a phone call while talking.
    # Cases.
    path("search/", search.search, name="search"),
    path("search/suggest/", search.search_suggest, name="search_suggest"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/filters/", saved_filters.case_filter_save, name="case_filter_save"),
    path(
        "cases/filters/<int:pk>/delete/",
        saved_filters.case_filter_delete,
        name="case_filter_delete",
    ),
    # One's own settings: name and signature.
    path("profile/", profile.profile, name="profile"),
    # The helpdesk's signature, for staff without their own (managers).
    path("signature/", profile.helpdesk_signature, name="helpdesk_signature"),
    path("cases/<str:reference>/", cases.case_detail, name="case_detail"),
    path("cases/<str:reference>/update/", cases.case_change, name="case_change"),
    path(
        "cases/<str:reference>/timeline/",
        cases.case_timeline_earlier,
        name="case_timeline_earlier",
    ),
    path("cases/<str:reference>/notes/", cases.case_note_add, name="case_note_add"),
    path("cases/<str:reference>/presence/", presence.case_presence, name="case_presence"),
    path("cases/<str:reference>/mail/", replies.case_mail_reply, name="case_mail_reply"),
    # Email: what intake could not place, single messages, downloads.
    path("mail/unprocessed/", mail.mail_unprocessed, name="mail_unprocessed"),
    path("mail/<int:pk>/", mail.mail_message, name="mail_message"),
    path("mail/<int:pk>/retry/", mail.mail_retry, name="mail_retry"),
    path("mail/<int:pk>/original/", mail.mail_raw, name="mail_raw"),
    path("mail/attachments/<int:pk>/", mail.mail_attachment, name="mail_attachment"),
    path("mail/sent/<int:pk>/resend/", mail.mail_resend, name="mail_resend"),
    # Organisations and their PSO status.
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/import/", organisations.organisation_import, name="organisation_import"),
    path(
        "organisations/import/<uuid:pk>/",
        organisations.organisation_import_job,
        name="organisation_import_job",
    ),
    path("organisations/new/", organisations.organisation_add, name="organisation_add"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/statuses/",
        organisations.pso_status_add,
        name="pso_status_add",
    ),
]
