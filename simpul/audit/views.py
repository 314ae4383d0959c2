from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.access import require_perm
from simpul.accounts.roles import Perm
from simpul.audit.chain import verify_all
from simpul.audit.forms import SearchedLookupForm, SearchedRevealForm
from simpul.audit.log import open_searched, searched_index
from simpul.audit.log import record as audit
from simpul.audit.models import AuditEvent, Outcome

LOOKUP_LIMIT = 200


@require_perm(Perm.VIEW_AUDIT_LOG)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit("audit.list", request=request, record_type="audit.auditevent", count=len(page))
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "action": action, "lookup_form": SearchedLookupForm()},
    )


@require_perm(Perm.VIEW_AUDIT_LOG)
@require_POST
def searched_lookup(request: HttpRequest) -> HttpResponse:
    """Events whose search looked for an identifier: POSTed, never in a URL, never echoed."""
    form = SearchedLookupForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "audit/event_list.html",
            {"page": [], "lookup_form": form, "lookup": True},
            status=422,
        )
    identifier = form.cleaned_data["identifier"]
    events = list(
        AuditEvent.objects.filter(searched_index=searched_index(identifier)).order_by("-id")[
            :LOOKUP_LIMIT
        ]
    )
    audit(
        "audit.searched_lookup",
        request=request,
        record_type="audit.auditevent",
        count=len(events),
        searched=identifier,
    )
    return render(
        request,
        "audit/event_list.html",
        {"page": events, "lookup_form": SearchedLookupForm(), "lookup": True},
    )


@require_perm(Perm.VIEW_AUDIT_LOG)
@require_POST
def searched_reveal(request: HttpRequest, event_id: int) -> HttpResponse:
    """Show what one search looked for, with a reason; the reveal is itself audited."""
    event = AuditEvent.objects.filter(pk=event_id).exclude(searched_sealed="").first()
    if event is None:
        raise Http404
    form = SearchedRevealForm(request.POST)
    if not form.is_valid():
        audit(
            "audit.reveal_searched",
            request=request,
            record=event,
            outcome=Outcome.DENIED,
            fields=["searched"],
        )
        return render(
            request,
            "audit/partials/searched_reveal_form.html",
            {"event": event, "reveal_form": form},
            status=422,
        )
    searched = open_searched(event)
    audit(
        "audit.reveal_searched",
        request=request,
        record=event,
        fields=["searched"],
        reason=form.cleaned_data["reason"],
    )
    return render(
        request, "audit/partials/searched_revealed.html", {"event": event, "searched": searched}
    )


@require_perm(Perm.VIEW_AUDIT_LOG)
@require_POST
def verify_chain(request: HttpRequest) -> HttpResponse:
    report = verify_all()
    audit("audit.verify", request=request, count=report.checked)
    return render(request, "audit/partials/chain_report.html", {"report": report})
