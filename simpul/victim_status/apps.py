from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimStatusConfig(AppConfig):
    name = "simpul.victim_status"
    label = "victim_status"
    verbose_name = _("Status for the victim")
