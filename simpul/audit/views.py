from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.access import require_perm
from simpul.accounts.roles import Perm
from simpul.audit.chain import verify_all
from simpul.audit.log import record as audit
from simpul.audit.models import AuditEvent


@require_perm(Perm.VIEW_AUDIT_LOG)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit("audit.list", request=request, record_type="audit.auditevent", count=len(page))
    return render(request, "audit/event_list.html", {"page": page, "action": action})


@require_perm(Perm.VIEW_AUDIT_LOG)
@require_POST
def verify_chain(request: HttpRequest) -> HttpResponse:
    report = verify_all()
    audit("audit.verify", request=request, count=report.checked)
    return render(request, "audit/partials/chain_report.html", {"report": report})
