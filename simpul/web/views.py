from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from simpul.accounts.access import acting_user, any_role, public
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import role_notices_for
from simpul.accounts.roles import policy
from simpul.web.navigation import ROLE_DUTIES
from simpul.web.work import waiting_work_for


@any_role
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    principal = principal_for(request.user)
    roles = [
        {
            "role": grant.role,
            "label": grant.role.label,
            "agency": grant.agency_name,
            "summary": policy(grant.role).summary,
            "duties": ROLE_DUTIES.get(grant.role, []),
        }
        for grant in principal.grants
    ]
    user = acting_user(request)
    own_notices, agency_notices = role_notices_for(user)
    return render(
        request,
        "web/home.html",
        {
            "roles": roles,
            "work": waiting_work_for(user),
            "role_notices_own": own_notices,
            "role_notices_agency": agency_notices,
        },
    )


@public
@require_POST
def change_language(request: HttpRequest) -> HttpResponse:
    return set_language(request)
