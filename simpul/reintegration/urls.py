from django.urls import path

from simpul.reintegration.views import monitoring, plans

app_name = "reintegration"

urlpatterns = [
    path("", plans.plan_list, name="list"),
    path("cases/<uuid:case_id>/new/", plans.plan_create, name="create"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="detail"),
    path("plans/<int:plan_id>/goals/", plans.goal_add, name="goal_add"),
    path("plans/<int:plan_id>/goals/<int:goal_id>/status/", plans.goal_status, name="goal_status"),
    path(
        "plans/<int:plan_id>/goals/<int:goal_id>/services/",
        plans.service_add,
        name="service_add",
    ),
    path(
        "plans/<int:plan_id>/services/<int:service_id>/delivered/",
        plans.service_deliver,
        name="service_deliver",
    ),
    path("plans/<int:plan_id>/submit/", plans.plan_submit, name="submit"),
    path("plans/<int:plan_id>/review/", plans.plan_review, name="review"),
    path("plans/<int:plan_id>/start/", plans.plan_activate, name="activate"),
    path("plans/<int:plan_id>/close/", plans.plan_close, name="close"),
    path(
        "plans/<int:plan_id>/visits/<int:visit_id>/",
        monitoring.visit_record,
        name="visit",
    ),
    path("overdue/", monitoring.overdue, name="overdue"),
    path("cohorts/", monitoring.cohort_report, name="cohorts"),
]
