from django.urls import path

from simpul.victim_status import views

app_name = "victim_status"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("case/<uuid:case_id>/", views.issue, name="issue"),
]
