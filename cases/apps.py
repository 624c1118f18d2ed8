from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from cases.search.schema import install as search_schema_install


def _search_schema_after_migrate(sender, using, **kwargs):  # type: ignore[no-untyped-def]
    """SQLite loses a table's triggers when a migration rebuilds it: put them back."""
    search_schema_install(connections[using], backfill=False)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        post_migrate.connect(_search_schema_after_migrate, sender=self)
