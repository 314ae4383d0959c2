"""Border pages: returns (by hand and by list import), returnee screening with referral,
the integrated team's screening log with its daily tally, and Imigrasi's decisions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.forms import run_form_action
from simpul.identity.crypto import open_text
from simpul.migration import actions, codes, importer, queries, stats
from simpul.migration.border_forms import (
    DecisionForm,
    ImportForm,
    ReturnForm,
    ScreeningFields,
    ScreeningForm,
)
from simpul.migration.capabilities import Duty, may
from simpul.migration.forms import ReferForm
from simpul.migration.import_format import COLUMNS, REQUIRED
from simpul.migration.importer import UnreadableFile, XlsxUnavailable, import_returns
from simpul.migration.models import ReturnEvent, Screening
from simpul.migration.sealing import aad
from simpul.migration.views.common import (
    duplicate_choice,
    duties,
    keep_candidates,
    menu,
    refer_from_form,
)
from simpul.migration.views.lists import choice, page_of, search_text
from simpul.shelters.queries.handover import handovers_of_return

MAX_UPLOAD = 20 * 1024 * 1024


def _to_return(event: ReturnEvent) -> HttpResponse:
    return redirect("migration:return_detail", return_id=event.id)


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def return_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ReturnForm(request.POST or None)
    if done := run_form_action(
        request,
        form,
        keep_candidates(
            request,
            form,
            lambda d: actions.record_return(
                user,
                form.identity(),
                form.return_input(),
                home_region=d["home_region"],
                request=request,
                duplicate_choice=duplicate_choice(request),
            ),
        ),
        success=_("Return recorded."),
        redirect_to=_to_return,
    ):
        return done
    return render(
        request,
        "migration/return_form.html",
        {
            "form": form,
            "depots": codes.KNOWN_DEPOTS,
            "consulates": codes.KNOWN_CONSULATES,
            "menu": menu(user, "migration:return_list"),
        },
    )


def _return_page(
    request: HttpRequest, event: ReturnEvent, status: int = 200, form: ScreeningFields | None = None
) -> HttpResponse:
    user = acting_user(request)
    screenings = list(
        queries.screenings_for(user).filter(return_event=event).select_related("referred_intake")
    )
    return render(
        request,
        "migration/return_detail.html",
        {
            "r": event,
            "screenings": screenings,
            # The accompanied return's handover (berita acara), when the shelter recorded one.
            "handovers": list(handovers_of_return(event)),
            "form": form
            or ScreeningFields(initial={"tasks": ["check_documents", "record_identity"]}),
            "can_screen": principal_for(user).has_perm(Perm.EDIT_RECORDS)
            and may(user, Duty.RETURNS),
            "menu": menu(user, "migration:return_list"),
        },
        status=status,
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def return_detail(request: HttpRequest, return_id: str) -> HttpResponse:
    user = acting_user(request)
    event = queries.get_return_for(user, return_id, request=request)
    audit("return.view", request=request, record=event)
    return _return_page(request, event)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def return_screen(request: HttpRequest, return_id: str) -> HttpResponse:
    """Screen a returnee and, with outcome 'referred', refer them in the same step."""
    user = acting_user(request)
    event = queries.get_return_for(user, return_id, perm=Perm.EDIT_RECORDS, request=request)
    form = ScreeningFields(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.screen_return(user, event, form.screening_input(), request=request),
        success=_screened,
        redirect_to=_to_return(event),
    )
    return done or _return_page(request, event, 422, form)


def _screened(screening: Screening) -> str:
    if screening.referred_intake_id:
        return _("Screened and referred to protection services as %(ref)s.") % {
            "ref": screening.referred_intake.reference  # type: ignore[union-attr]
        }
    return _("Screening recorded.")


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def return_import(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 20 MB: use the command line."))
        elif upload.size > importer.INLINE_MAX_BYTES:
            # Too large to import while the page waits: a worker imports it (all or nothing).
            job = importer.queue_import(
                user,
                upload.read(),
                upload.name,
                default_entry_point=form.cleaned_data["entry_point"],
                list_reference=form.cleaned_data["list_reference"],
                encoding=form.cleaned_data["encoding"] or "utf-8",
                request=request,
            )
            return redirect("migration:return_import_job", import_id=job.id)
        else:
            try:
                result = import_returns(
                    user,
                    upload.read(),
                    upload.name,
                    default_entry_point=form.cleaned_data["entry_point"],
                    list_reference=form.cleaned_data["list_reference"],
                    encoding=form.cleaned_data["encoding"] or "utf-8",
                    request=request,
                )
            except UnreadableFile as exc:
                form.add_error("file", str(exc))
            except XlsxUnavailable:
                form.add_error(
                    "file",
                    _(
                        "XLSX files cannot be read on this server yet: "
                        "save the sheet as CSV and upload that."
                    ),
                )
    return render(
        request,
        "migration/return_import.html",
        {
            "form": form,
            "result": result,
            "columns": _column_help(),
            "points": codes.CROSSING_POINTS,
            "menu": menu(user, "migration:return_list"),
        },
        status=422 if (result is not None and result.errors) or form.errors else 200,
    )


def _import_job_context(request: HttpRequest, import_id: str) -> dict[str, object]:
    job = queries.get_import_job_for(acting_user(request), import_id, request=request)
    return {"job": job, "errors": importer.import_errors(job)}


@require_perm(Perm.EDIT_RECORDS)
@require_GET
def return_import_job(request: HttpRequest, import_id: str) -> HttpResponse:
    """A large list imported by a worker: its progress bar, then the result."""
    user = acting_user(request)
    context = _import_job_context(request, import_id)
    audit("return.import.view", request=request, record=context["job"])
    context["menu"] = menu(user, "migration:return_list")
    return render(request, "migration/return_import_job.html", context)


@require_perm(Perm.EDIT_RECORDS)
@require_GET
def return_import_progress(request: HttpRequest, import_id: str) -> HttpResponse:
    """The progress panel alone, polled every two seconds while the import waits or runs."""
    context = _import_job_context(request, import_id)
    return render(request, "migration/partials/import_progress.html", context)


def _column_help() -> list[tuple[str, str, bool]]:
    return [(names[0], ", ".join(names[1:]), col in REQUIRED) for col, names in COLUMNS.items()]


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def screening_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    outcome = choice(request, "outcome", list(codes.ScreeningOutcome.values))
    q = search_text(request)
    rows = queries.screenings_for(user)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if q:
        rows = rows.filter(person__code__iexact=q)
    page, query = page_of(
        request, rows.select_related("person", "referred_intake").order_by("-screened_at")
    )
    audit(
        "screening.list",
        request=request,
        record_type="migration.screening",
        count=len(page.object_list),
    )
    return render(
        request,
        "migration/screening_list.html",
        {
            "page": page,
            "query": query,
            "outcome": outcome,
            "q": q,
            "tally": stats.screening_tally(user),
            "outcomes": codes.ScreeningOutcome,
            "menu": menu(user, "migration:screening_list"),
            "can_record": may(user, Duty.SCREENING),
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def screening_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ScreeningForm(
        request.POST or None, initial={"tasks": ["check_documents", "record_identity"]}
    )
    if done := run_form_action(
        request,
        form,
        keep_candidates(
            request,
            form,
            lambda d: actions.record_screening(
                user,
                form.identity(),
                form.screening_input(
                    crossing_point=d["crossing_point"],
                    direction=d["direction"],
                    destination_country=d["destination_country"],
                ),
                home_region=d["home_region"],
                request=request,
                duplicate_choice=duplicate_choice(request),
            ),
        ),
        success=_("Screening recorded."),
        redirect_to=lambda screening: redirect(
            "migration:screening_detail", screening_id=screening.id
        ),
    ):
        return done
    return render(
        request,
        "migration/screening_form.html",
        {"form": form, "menu": menu(user, "migration:screening_list")},
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def screening_detail(request: HttpRequest, screening_id: str) -> HttpResponse:
    user = acting_user(request)
    screening = queries.get_screening_for(user, screening_id, request=request)
    audit("screening.view", request=request, record=screening)
    note = open_text(screening.note_sealed, aad("screening", "note", screening.id))
    return render(
        request,
        "migration/screening_detail.html",
        {
            "s": screening,
            "note": note,
            "refer_form": ReferForm(),
            "can_refer": principal_for(user).has_perm(Perm.EDIT_RECORDS)
            and (may(user, Duty.SCREENING) or may(user, Duty.RETURNS)),
            "menu": menu(user, "migration:screening_list"),
            "duties": duties(user),
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def screening_refer(request: HttpRequest, screening_id: str) -> HttpResponse:
    user = acting_user(request)
    screening = queries.get_screening_for(
        user, screening_id, perm=Perm.EDIT_RECORDS, request=request
    )
    refer_from_form(request, actions.refer_screening, screening, request.POST)
    return redirect("migration:screening_detail", screening_id=screening.id)


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    kind = choice(request, "kind", list(codes.ImmigrationDecisionKind.values))
    q = search_text(request)
    rows = queries.decisions_for(user)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(person__code__iexact=q)
    page, query = page_of(
        request, rows.select_related("person").order_by("-decided_on", "-created_at")
    )
    audit(
        "immigration_decision.list",
        request=request,
        record_type="migration.immigrationdecision",
        count=len(page.object_list),
    )
    return render(
        request,
        "migration/decision_list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": codes.ImmigrationDecisionKind.choices,
            "q": q,
            "menu": menu(user, "migration:decision_list"),
            "can_record": may(user, Duty.IMMIGRATION),
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if done := run_form_action(
        request,
        form,
        keep_candidates(
            request,
            form,
            lambda d: actions.record_immigration_decision(
                user,
                form.identity(),
                form.decision_input(),
                home_region=d["home_region"],
                request=request,
                duplicate_choice=duplicate_choice(request),
            ),
        ),
        success=_("Decision recorded."),
        redirect_to=redirect("migration:decision_list"),
    ):
        return done
    return render(
        request,
        "migration/decision_form.html",
        {"form": form, "menu": menu(user, "migration:decision_list")},
    )
