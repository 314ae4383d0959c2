from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "simpul.backups"
    label = "backups"
    verbose_name = _("Backups and restore drills")

    def ready(self) -> None:
        # Registers the system check comparing pg_dump with the server (no models imported).
        from simpul.backups import checks  # noqa: F401
