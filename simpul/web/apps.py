from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "simpul.web"
    label = "web"
