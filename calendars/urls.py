"""URLs of the calendars: the month preview for managers."""

from django.urls import path

from calendars import views

urlpatterns = [
    path("scheduling/calendar/", views.calendar_preview, name="calendar_preview"),
]
