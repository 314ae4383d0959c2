"""Simpul API v1: typed endpoints over the same actions and scoped queries as the pages.

Clients authenticate with a bearer token (`simpul issue_api_token`). The OpenAPI schema is
served at /api/openapi.json. One module per resource: intakes (reports, the persons on them and
their screenings), screenings, cases (the case steps, services, consent), referrals, reference
data.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from simpul.api.v1 import cases, consents, intakes, reference, referrals, screenings, triage
from simpul.api.v1.common import BearerToken
from simpul.core.errors import StaleRecordError

api = NinjaAPI(
    title="Simpul API",
    version="1.0.0",
    description="Intake, screening, cases, referrals and reference data for the agencies that "
    "handle trafficking in persons in Indonesia. Every call is scoped to the token owner's "
    "roles and audited, and every write goes through the same action as the pages: a refusal "
    "is 403 (your role may not), 404 (not in your scope, or missing), 409 (someone saved first: "
    "send the current version) or 422 (invalid, with the message at its field).",
    auth=BearerToken(),
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
)

for module in (intakes, triage, screenings, cases, consents, referrals, reference):
    api.add_router("/v1", module.router)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON problem, not Django's HTML page."""
    return api.create_response(request, {"detail": _("The request body is too large.")}, status=413)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Missing and out of scope look the same."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("Your role may not do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(StaleRecordError)
def _stale(request: HttpRequest, exc: StaleRecordError) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc), "current_version": exc.current_version}, status=409
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """The action's messages at their fields, or one message for the whole request."""
    if hasattr(exc, "error_dict"):
        return api.create_response(request, {"detail": exc.message_dict}, status=422)
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)
