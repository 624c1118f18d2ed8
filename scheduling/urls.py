"""URLs of scheduling: callbacks, calendars, SLA reports."""

urlpatterns: list = []
