from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheltersConfig(AppConfig):
    name = "simpul.shelters"
    label = "shelters"
    verbose_name = _("Shelters")
