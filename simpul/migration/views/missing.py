"""Missing-migrant pages: list, report (from a departure or for an unregistered person),
open with its history, add information, resolve and reopen."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.forms import run_form_action
from simpul.migration import actions, queries
from simpul.migration.capabilities import DUTIES, Duty, acting_agency, may
from simpul.migration.codes import MissingStatus
from simpul.migration.forms import (
    MissingFields,
    MissingNewPersonForm,
    MissingUpdateForm,
    ReopenForm,
    ResolveForm,
)
from simpul.migration.models import MissingReport
from simpul.migration.views.common import duplicate_choice, duties, keep_candidates, menu
from simpul.migration.views.lists import choice, page_of, search_text
from simpul.regions.forms import RegionField
from simpul.regions.models import Region


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def missing_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    show = choice(request, "status", [*MissingStatus.values, "all"], MissingStatus.OPEN)
    q = search_text(request)
    reports = queries.missing_for(user).select_related("person", "scope_region")
    if show in MissingStatus.values:
        reports = reports.filter(status=show)
    if q:
        reports = reports.filter(Q(reference__iexact=q) | Q(person__code__iexact=q))
    page, query = page_of(request, reports.order_by("-reported_on", "-created_at"))
    audit(
        "missing.list",
        request=request,
        record_type="migration.missingreport",
        count=len(page.object_list),
    )
    return render(
        request,
        "migration/missing_list.html",
        {
            "page": page,
            "query": query,
            "q": q,
            "show": show,
            "statuses": MissingStatus,
            "menu": menu(user, "migration:missing_list"),
            "can_report": may(user, Duty.MISSING),
        },
    )


def _opened(report: MissingReport) -> str:
    return _("Missing-person report %(ref)s opened.") % {"ref": report.reference}


def _to_report(report: MissingReport) -> HttpResponse:
    return redirect("migration:missing_detail", report_id=report.id)


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def missing_from_departure(request: HttpRequest, departure_id: str) -> HttpResponse:
    user = acting_user(request)
    departure = queries.get_departure_for(
        user, departure_id, perm=Perm.EDIT_RECORDS, request=request
    )
    form = MissingFields(request.POST or None)
    if done := run_form_action(
        request,
        form,
        lambda d: actions.report_missing(
            user, form.missing_input(), departure=departure, request=request
        ),
        success=_opened,
        redirect_to=_to_report,
    ):
        return done
    return render(
        request,
        "migration/missing_form.html",
        {"form": form, "departure": departure, "menu": menu(user, "migration:missing_list")},
    )


@require_perm(Perm.EDIT_RECORDS, agency_types=DUTIES[Duty.MISSING])
@require_http_methods(["GET", "POST"])
def missing_create(request: HttpRequest) -> HttpResponse:
    """For someone who left without being registered (seed 001: jalur tikus)."""
    user = acting_user(request)
    agency = acting_agency(user, Duty.MISSING)
    form = MissingNewPersonForm(request.POST or None)
    if agency.jurisdiction_id:
        form.fields["home_village"] = RegionField(
            label=_("Home village"), levels=[Region.Level.VILLAGE], within=agency.jurisdiction_id
        )
        if agency.jurisdiction_id.count(".") == 3:
            form.fields["home_village"].initial = agency.jurisdiction_id
    if done := run_form_action(
        request,
        form,
        keep_candidates(
            request,
            form,
            lambda d: actions.report_missing(
                user,
                form.missing_input(),
                identity=form.identity(),
                home_village=d["home_village"],
                request=request,
                duplicate_choice=duplicate_choice(request),
            ),
        ),
        success=_opened,
        redirect_to=_to_report,
    ):
        return done
    return render(
        request,
        "migration/missing_form.html",
        {"form": form, "departure": None, "menu": menu(user, "migration:missing_list")},
    )


def _detail(
    request: HttpRequest, report: MissingReport, status: int = 200, **forms: object
) -> HttpResponse:
    user = acting_user(request)
    principal = principal_for(user)
    employer, circumstances = queries.missing_details(report)
    context: dict[str, object] = {
        "r": report,
        "history": queries.missing_history(report),
        "returns": queries.returns_for(user)
        .filter(person_id=report.person_id)
        .order_by("-returned_on"),
        "can_edit": principal.has_perm(Perm.EDIT_RECORDS) and may(user, Duty.MISSING),
        "can_reveal": principal.has_perm(Perm.REVEAL_IDENTITY),
        "employer": employer,
        "circumstances": circumstances,
        "update_form": MissingUpdateForm(initial={"version": report.version}),
        "resolve_form": ResolveForm(initial={"version": report.version}),
        "reopen_form": ReopenForm(initial={"version": report.version}),
        "open": MissingStatus.OPEN,
        "menu": menu(user, "migration:missing_list"),
        "duties": duties(user),
    }
    context.update(forms)
    return render(request, "migration/missing_detail.html", context, status=status)


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def missing_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    user = acting_user(request)
    report = queries.get_missing_for(user, report_id, request=request)
    audit("missing.view", request=request, record=report)
    return _detail(request, report)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def missing_update(request: HttpRequest, report_id: str) -> HttpResponse:
    user = acting_user(request)
    report = queries.get_missing_for(user, report_id, perm=Perm.EDIT_RECORDS, request=request)
    form = MissingUpdateForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.add_missing_information(
            user,
            report,
            note=d["note"],
            last_known_place=d["last_known_place"],
            last_contact_on=d["last_contact_on"],
            expected_version=d["version"],
            request=request,
        ),
        success=_("Information added."),
        redirect_to=_to_report(report),
    )
    return done or _detail(request, report, 422, update_form=form)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def missing_resolve(request: HttpRequest, report_id: str) -> HttpResponse:
    user = acting_user(request)
    report = queries.get_missing_for(user, report_id, perm=Perm.EDIT_RECORDS, request=request)
    form = ResolveForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.resolve_missing(
            user,
            report,
            resolution=d["resolution"],
            resolved_on=d["resolved_on"],
            note=d["note"],
            expected_version=d["version"],
            request=request,
        ),
        success=_("Report resolved."),
        redirect_to=_to_report(report),
    )
    return done or _detail(request, report, 422, resolve_form=form)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def missing_reopen(request: HttpRequest, report_id: str) -> HttpResponse:
    user = acting_user(request)
    report = queries.get_missing_for(user, report_id, perm=Perm.EDIT_RECORDS, request=request)
    form = ReopenForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.reopen_missing(
            user, report, note=d["note"], expected_version=d["version"], request=request
        ),
        success=_("Report reopened."),
        redirect_to=_to_report(report),
    )
    return done or _detail(request, report, 422, reopen_form=form)
