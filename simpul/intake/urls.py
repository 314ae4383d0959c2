from django.urls import path

from simpul.intake import views

app_name = "intake"

urlpatterns = [
    path("report/", views.public_report, name="public_report"),
    path("report/follow-up/", views.public_follow_up, name="public_follow_up"),
    path("", views.report_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.operator_intake, name="operator_intake"),
    path("new/draft/", views.save_draft, name="save_draft"),
    path("<uuid:intake_id>/", views.detail, name="detail"),
    path("<uuid:intake_id>/reporter/reveal/", views.reporter_reveal, name="reporter_reveal"),
]
