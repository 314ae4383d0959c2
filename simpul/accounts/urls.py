from django.urls import path

from simpul.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("otp/", views.otp_view, name="otp"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("agreement/", views.agreement_view, name="agreement"),
    path("password/", views.password_view, name="password"),
    path("password/change/", views.password_change, name="password_change"),
    path("enrol/", views.enrol_view, name="enrol"),
    path("enrol/<str:token>/", views.enrol_start, name="enrol_start"),
    path("logout/", views.logout_view, name="logout"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:agency_id>/toggle/", views.agency_toggle, name="agency_toggle"),
    path("agencies/<int:agency_id>/members/new/", views.member_add, name="member_add"),
    path("members/<int:membership_id>/toggle/", views.member_toggle, name="member_toggle"),
    path(
        "members/<int:membership_id>/reset-password/",
        views.member_reset_password,
        name="member_reset_password",
    ),
    path(
        "members/<int:membership_id>/reset-second-factor/",
        views.member_reset_second_factor,
        name="member_reset_second_factor",
    ),
]
