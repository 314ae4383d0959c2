from django.urls import path

from simpul.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("coordination/", views.coordination, name="coordination"),
    path("from-screening/<uuid:result_id>/", views.open_from_screening, name="open_from_screening"),
    path("referrals/<int:referral_id>/answer/", views.answer_referral, name="answer_referral"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/step/<slug:step>/", views.case_step, name="step"),
]
