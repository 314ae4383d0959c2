from django.urls import path

from simpul.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("tasks/", views.task_list, name="tasks"),
    path("referrals/", views.referral_list, name="referrals"),
    path("coordination/", views.coordination, name="coordination"),
    path("from-screening/<uuid:result_id>/", views.open_from_screening, name="open_from_screening"),
    path("referrals/<int:referral_id>/answer/", views.answer_referral, name="answer_referral"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/step/<slug:step>/", views.case_step, name="step"),
    path("<uuid:case_id>/events/<int:event_id>/", views.event_edit, name="event_edit"),
    path("<uuid:case_id>/tasks/<int:task_id>/", views.task_change, name="task_change"),
]
