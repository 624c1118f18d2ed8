"""URLs of cases, organisations and phone intake."""

urlpatterns: list = []
