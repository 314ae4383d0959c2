from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.access import require_perm
from simpul.accounts.roles import Perm
from simpul.audit import catalogue
from simpul.audit.chain import verify_all
from simpul.audit.forms import SearchedLookupForm, SearchedRevealForm
from simpul.audit.log import open_searched, searched_index
from simpul.audit.log import record as audit
from simpul.audit.models import AuditEvent, Outcome

LOOKUP_LIMIT = 200
PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> tuple[QuerySet[AuditEvent], dict[str, str]]:
    """The entries the page's filters select: an action (a registered one, with the older
    codes it was renamed from, or a prefix such as "person."), an outcome, who acted and a
    record id."""
    events = AuditEvent.objects.order_by("-id")
    action = request.GET.get("action", "").strip()[:80]
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in Outcome.values else ""
    who = request.GET.get("who", "").strip()[:150]
    record = request.GET.get("record", "").strip()[:64]
    if catalogue.is_registered(action):
        old = [o for o, new in catalogue.RENAMED.items() if new == action]
        events = events.filter(action__in=[action, *old])
    elif action:
        events = events.filter(action__startswith=action)
    if outcome:
        events = events.filter(outcome=outcome)
    if who:
        events = events.filter(actor_username__iexact=who)
    if record:
        events = events.filter(record_id__startswith=record)
    return events, {"action": action, "outcome": outcome, "who": who, "record": record}


@require_perm(Perm.VIEW_AUDIT_LOG)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events, filters = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    audit("audit.list", request=request, record_type="audit.auditevent", count=len(page))
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "query": params.urlencode(),
            **filters,
            "actions": catalogue.choices(),
            "outcomes": Outcome.choices,
            "lookup_form": SearchedLookupForm(),
        },
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
