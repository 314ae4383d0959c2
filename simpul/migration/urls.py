from django.urls import URLPattern

app_name = "migration"

urlpatterns: list[URLPattern] = []
