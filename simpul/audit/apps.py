from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "simpul.audit"
    label = "audit"
