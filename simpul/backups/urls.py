from django.urls import path

from simpul.backups import views

app_name = "backups"

urlpatterns = [
    path("", views.overview, name="overview"),
]
