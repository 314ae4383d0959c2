from django.urls import path

from simpul.linkage import views

app_name = "linkage"

urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pair_id>/", views.pair_detail, name="pair_detail"),
    path("review/<int:pair_id>/reveal/", views.pair_reveal, name="pair_reveal"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:alert_id>/", views.alert_resolve, name="alert_resolve"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path("statistics/", views.statistics, name="statistics"),
]
