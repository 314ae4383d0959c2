"""Volunteers, their trainings and reports."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.access import acting_user
from simpul.core.forms import run_form_action
from simpul.prevention import actions, permissions, queries
from simpul.prevention.forms import (
    TrainingForm,
    VolunteerForm,
    VolunteerReportForm,
)
from simpul.prevention.models import (
    Volunteer,
)
from simpul.prevention.views.common import (
    can_manage,
    managing_agencies_or_403,
    require_manage,
    require_view,
    within,
)


@require_view
@require_http_methods(["GET"])
def volunteer_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    volunteers = (
        queries.volunteers_for(user)
        .select_related("village")
        .annotate(
            n_trainings=Count("trainings", distinct=True),
            n_reports=Count("reports", distinct=True),
        )
    )
    by_village = (
        volunteers.filter(active=True)
        .order_by()
        .values("village__code", "village__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("village__code")
    )
    return render(
        request,
        "prevention/volunteer_list.html",
        {
            "volunteers": volunteers[:500],
            "by_village": by_village,
            "trainings": queries.trainings_for(user).prefetch_related("volunteers")[:50],
            "can_manage": can_manage(user),
        },
    )


def _to_volunteer(volunteer: Volunteer) -> HttpResponse:
    return redirect("prevention:volunteer_detail", volunteer_id=volunteer.id)


@require_manage
@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agencies = managing_agencies_or_403(user)
    form = VolunteerForm(request.POST or None, agencies=agencies, within=within(user))
    if done := run_form_action(
        request,
        form,
        lambda d: actions.create_volunteer(
            user, form.volunteer_data(), owner_agency=form.owner_agency(), request=request
        ),
        success=lambda volunteer: _("Volunteer %(code)s recorded.") % {"code": volunteer.code},
        redirect_to=_to_volunteer,
    ):
        return done
    return render(request, "prevention/volunteer_form.html", {"form": form})


@require_view
@require_http_methods(["GET"])
def volunteer_detail(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    user = acting_user(request)
    volunteer = queries.get_volunteer_for(user, volunteer_id, request=request)
    return render(
        request,
        "prevention/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "trainings": volunteer.trainings.all(),
            "reports": volunteer.reports.select_related("village"),
            "can_manage": can_manage(user),
        },
    )


@require_manage
@require_POST
def volunteer_contact(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    user = acting_user(request)
    volunteer = queries.get_volunteer_for(
        user, volunteer_id, perms=permissions.WRITE, request=request
    )
    if "active" in request.POST:
        actions.set_volunteer_active(
            user, volunteer, request.POST["active"] == "1", request=request
        )
        return redirect("prevention:volunteer_detail", volunteer_id=volunteer.id)
    contact = actions.volunteer_contact(user, volunteer, request=request)
    return render(
        request,
        "prevention/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "contact": contact,
            "trainings": volunteer.trainings.all(),
            "reports": volunteer.reports.select_related("village"),
            "can_manage": True,
        },
    )


@require_manage
@require_http_methods(["GET", "POST"])
def volunteer_report(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    user = acting_user(request)
    volunteer = queries.get_volunteer_for(
        user, volunteer_id, perms=permissions.WRITE, request=request
    )
    form = VolunteerReportForm(request.POST or None, initial={"village": volunteer.village_id})
    if done := run_form_action(
        request,
        form,
        lambda d: actions.record_volunteer_report(
            user,
            volunteer,
            received_on=d["received_on"],
            kind=d["kind"],
            village=d["village"],
            intake_reference=d["intake_reference"],
            request=request,
        ),
        success=_("Report recorded."),
        redirect_to=_to_volunteer(volunteer),
    ):
        return done
    return render(
        request, "prevention/volunteer_report.html", {"form": form, "volunteer": volunteer}
    )


@require_manage
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agencies = managing_agencies_or_403(user)
    form = TrainingForm(
        request.POST or None,
        agencies=agencies,
        volunteers=queries.volunteers_for(user, permissions.WRITE)
        .filter(active=True)
        .select_related("village"),
    )
    if done := run_form_action(
        request,
        form,
        lambda d: actions.record_training(
            user,
            form.training_data(),
            list(d["volunteers"]),
            owner_agency=form.owner_agency(),
            request=request,
        ),
        success=_("Training recorded."),
        redirect_to=redirect("prevention:volunteer_list"),
    ):
        return done
    return render(request, "prevention/training_form.html", {"form": form})
