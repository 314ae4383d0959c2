from django.urls import path

from simpul.jobs import health_views

app_name = "health"

urlpatterns = [
    path("", health_views.web, name="web"),
    path("worker/", health_views.worker, name="worker"),
    path("scheduler/", health_views.scheduler, name="scheduler"),
]
