"""The shelter registry pages: list, register, one shelter (beds, status, the sealed address),
and the occupancy report."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_any_perm
from simpul.accounts.models import Agency
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.errors import StaleRecordError
from simpul.core.forms import add_errors, run_form_action
from simpul.shelters import actions, queries
from simpul.shelters.codes import ShelterKind, ShelterStatus
from simpul.shelters.forms import (
    InventoryForm,
    RevealAddressForm,
    ShelterDetailsForm,
    ShelterForm,
    VersionForm,
)
from simpul.shelters.models import Shelter
from simpul.shelters.views.common import menu, page_of

REGISTRY_PERMS = (Perm.VIEW_RECORDS, Perm.VIEW_AGGREGATES, Perm.MANAGE_AGENCIES)


def _agencies_for(user: object) -> object:
    if principal_for(user).has_perm(Perm.MANAGE_AGENCIES):
        return Agency.objects.filter(is_active=True).order_by("name")
    ids = queries.member_agencies(user, Perm.EDIT_RECORDS)  # type: ignore[arg-type]
    return Agency.objects.filter(pk__in=ids, is_active=True).order_by("name")


@require_any_perm(*REGISTRY_PERMS)
@require_GET
def shelter_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    rows = queries.shelters_for(user)
    if kind in ShelterKind.values:
        rows = rows.filter(kind=kind)
    if status in ShelterStatus.values:
        rows = rows.filter(status=status)
    page, query = page_of(request, rows.order_by("name", "pk"))
    return render(
        request,
        "shelters/shelter_list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "status": status,
            "kinds": ShelterKind.choices,
            "statuses": ShelterStatus.choices,
            "beds": queries.beds_for(list(page)),
            "can_register": _agencies_for(user).exists(),  # type: ignore[attr-defined]
            "menu": menu(user, "shelters:shelter_list"),
        },
    )


@require_any_perm(Perm.EDIT_RECORDS, Perm.MANAGE_AGENCIES)
@require_http_methods(["GET", "POST"])
def shelter_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agencies = _agencies_for(user)
    form = ShelterForm(request.POST or None, agencies=agencies)

    def run(d: dict) -> Shelter:
        return actions.register_shelter(
            user,
            actions.ShelterInput(
                name=d["name"],
                kind=d["kind"],
                operator_agency=d["operator_agency"],
                region=d["region"],
                address=d["address"],
                accepts_sex=d["accepts_sex"],
                accepts_children=d["accepts_children"],
                min_age=d["min_age"],
                max_age=d["max_age"],
                beds=d["beds"],
                blocked=d["blocked"] or 0,
                blocked_reason=d["blocked_reason"],
            ),
            request=request,
        )

    done = run_form_action(
        request,
        form,
        run,
        success=_("Shelter registered."),
        redirect_to=lambda s: redirect("shelters:shelter_detail", shelter_id=s.pk),
    )
    if done:
        return done
    return render(
        request,
        "shelters/shelter_form.html",
        {"form": form, "menu": menu(user, "shelters:shelter_list")},
        status=422 if form.is_bound else 200,
    )


def _detail(
    request: HttpRequest, shelter: Shelter, status: int = 200, **extra: object
) -> HttpResponse:
    user = acting_user(request)
    context: dict[str, object] = {
        "s": shelter,
        "beds": queries.beds_now(shelter),
        "inventory": shelter.inventory.order_by("-valid_from")[:20],
        "can_manage": queries.may_manage(user, shelter),
        "can_reveal": queries.may_see_address(user, shelter),
        "inventory_form": InventoryForm(),
        "status_form": VersionForm(initial={"version": shelter.version}),
        "reveal_form": RevealAddressForm(),
        "menu": menu(user, "shelters:shelter_list"),
    }
    context.update(extra)
    return render(request, "shelters/shelter_detail.html", context, status=status)


@require_any_perm(*REGISTRY_PERMS)
@require_GET
def shelter_detail(request: HttpRequest, shelter_id: int) -> HttpResponse:
    shelter = queries.get_shelter_for(acting_user(request), shelter_id)
    return _detail(request, shelter)


@require_any_perm(Perm.EDIT_RECORDS, Perm.MANAGE_AGENCIES)
@require_http_methods(["GET", "POST"])
def shelter_edit(request: HttpRequest, shelter_id: int) -> HttpResponse:
    """Change the name, type, regency, whom the shelter accepts, or its sealed address."""
    user = acting_user(request)
    shelter = queries.get_shelter_for(user, shelter_id)
    if not queries.may_manage(user, shelter):
        raise PermissionDenied
    initial = {
        "version": shelter.version,
        "name": shelter.name,
        "kind": shelter.kind,
        "region": shelter.region_id,
        "accepts_sex": shelter.accepts_sex,
        "accepts_children": shelter.accepts_children,
        "min_age": shelter.min_age,
        "max_age": shelter.max_age,
    }
    form = ShelterDetailsForm(request.POST or None, initial=initial)

    def run(d: dict) -> Shelter:
        return actions.change_shelter(
            user,
            shelter,
            actions.ShelterDetails(
                name=d["name"],
                kind=d["kind"],
                region=d["region"],
                accepts_sex=d["accepts_sex"],
                accepts_children=d["accepts_children"],
                min_age=d["min_age"],
                max_age=d["max_age"],
                address=d["address"],
            ),
            version=d["version"],
            request=request,
        )

    done = run_form_action(
        request,
        form,
        run,
        success=_("Shelter details saved."),
        redirect_to=lambda s: redirect("shelters:shelter_detail", shelter_id=s.pk),
    )
    if done:
        return done
    return render(
        request,
        "shelters/shelter_edit.html",
        {"form": form, "s": shelter, "menu": menu(user, "shelters:shelter_list")},
        status=422 if form.is_bound else 200,
    )


@require_any_perm(Perm.EDIT_RECORDS, Perm.MANAGE_AGENCIES)
@require_POST
def shelter_inventory(request: HttpRequest, shelter_id: int) -> HttpResponse:
    user = acting_user(request)
    shelter = queries.get_shelter_for(user, shelter_id)
    form = InventoryForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.set_inventory(
            user,
            shelter,
            beds=d["beds"],
            blocked=d["blocked"] or 0,
            blocked_reason=d["blocked_reason"],
            valid_from=d["valid_from"],
            request=request,
        ),
        success=_("Beds updated."),
        redirect_to=redirect("shelters:shelter_detail", shelter_id=shelter.pk),
    )
    return done or _detail(request, shelter, 422, inventory_form=form)


@require_any_perm(Perm.EDIT_RECORDS, Perm.MANAGE_AGENCIES)
@require_POST
def shelter_status(request: HttpRequest, shelter_id: int) -> HttpResponse:
    """Close an open shelter, or reopen a closed one."""
    user = acting_user(request)
    shelter = queries.get_shelter_for(user, shelter_id)
    form = VersionForm(request.POST)
    change = (
        actions.close_shelter if shelter.status == ShelterStatus.OPEN else actions.reopen_shelter
    )
    try:
        form.is_valid()
        change(user, shelter, version=form.cleaned_data.get("version"), request=request)
    except (ValidationError, StaleRecordError) as exc:
        add_errors(form, exc)
        return _detail(
            request, shelter, 409 if isinstance(exc, StaleRecordError) else 422, status_form=form
        )
    messages.success(request, _("Shelter status changed."))
    return redirect("shelters:shelter_detail", shelter_id=shelter.pk)


@require_any_perm(*REGISTRY_PERMS)
@require_POST
def shelter_address(request: HttpRequest, shelter_id: int) -> HttpResponse:
    """The exact address, for the operating agency and system administrators who state why."""
    user = acting_user(request)
    shelter = queries.get_shelter_for(user, shelter_id)
    if not queries.may_see_address(user, shelter):
        audit("shelter.reveal_address", request=request, record=shelter, outcome=Outcome.DENIED)
        return render(request, "web/forbidden.html", status=403)
    form = RevealAddressForm(request.POST)
    if not form.is_valid():
        return _detail(request, shelter, 422, reveal_form=form)
    audit(
        "shelter.reveal_address",
        request=request,
        record=shelter,
        fields=["address"],
        reason=" ".join(form.cleaned_data["reason"].split()),
    )
    return _detail(request, shelter, address=queries.open_address(shelter) or "—")


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - timedelta(days=30)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    if end < start:
        start, end = end, start
    return start, end


@require_any_perm(Perm.VIEW_RECORDS, Perm.VIEW_AGGREGATES)
@require_GET
def occupancy(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    start, end = _period(request)
    shelters = queries.shelters_for(user)
    kind = request.GET.get("kind", "")
    if kind in ShelterKind.values:
        shelters = shelters.filter(kind=kind)
    provinces = queries.provinces_with_shelters()
    province = request.GET.get("province", "")
    if province in {p.code for p in provinces}:
        shelters = queries.in_province(shelters, province)
    else:
        province = ""
    shelter_list = list(shelters)  # read once: both reports take the ids as literal values
    rows, kinds = queries.occupancy_report(shelter_list, start, end)
    years = list(range(end.year - 2, end.year + 1))
    audit("shelter.occupancy", request=request, record_type="shelters.shelter", count=len(rows))
    return render(
        request,
        "shelters/occupancy.html",
        {
            "rows": rows,
            "kinds": kinds,
            "kind": kind,
            "kind_choices": ShelterKind.choices,
            "province": province,
            "provinces": provinces,
            "kind_labels": dict(ShelterKind.choices),
            "start": start,
            "end": end,
            "years": years,
            "yearly": queries.residents_per_year(shelter_list, years),
            "low": f"{queries.UTILISATION_LOW:.0%}",
            "high": f"{queries.UTILISATION_HIGH:.0%}",
            "menu": menu(user, "shelters:occupancy"),
        },
    )
