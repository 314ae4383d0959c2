from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "simpul.identity"
    label = "identity"
