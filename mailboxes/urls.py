"""URLs of the mailboxes page (included by the shell at mailboxes/)."""

from django.urls import path

from mailboxes import views

urlpatterns = [
    path("", views.mailbox_list, name="mailbox_list"),
    path("new/", views.mailbox_edit, name="mailbox_create"),
    path("<int:pk>/", views.mailbox_edit, name="mailbox_edit"),
    path("<int:pk>/test/", views.mailbox_test, name="mailbox_test"),
    path("<int:pk>/test/result/", views.mailbox_test_result, name="mailbox_test_result"),
]
