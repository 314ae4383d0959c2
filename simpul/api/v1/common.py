"""What every API v1 module shares: the bearer token, the error shapes, and how an action's
refusal becomes an HTTP status.

Endpoints stay thin: they read the request, find the record through the app's scoped queries
(missing and out of scope are the same 404), call the app's action, and let the action's
refusal propagate. The exception handlers registered in `simpul.api.v1` turn a
PermissionDenied into 403, Http404 into 404, a stale edit (StaleRecordError) into 409 with the
current version, and a ValidationError into 422 with the messages at their fields — each
message in the reader's language, as the pages show it.
"""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import BeforeValidator, ConfigDict, Field

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.api.tokens import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is None or not principal_for(user).has_role:
            return None
        request.user = user
        return user


class Body(Schema):
    """A JSON request body: each value of its declared JSON type, nothing coerced (no "1" or
    1.0 for 1, no 1 or "yes" for true): what the schema refuses, the API refuses."""

    model_config = ConfigDict(strict=True)


def _date_text(value: object) -> object:
    if not isinstance(value, str | date):
        raise ValueError("Enter the date as YYYY-MM-DD.")
    return value


# In a strict body: an id or a date is written as a JSON string (not a number).
Uuid = Annotated[uuid.UUID, Field(strict=False)]
IsoDate = Annotated[date, Field(strict=False), BeforeValidator(_date_text)]


class Problem(Schema):
    """An error: a message, field errors by name, or the list of schema validation errors."""

    detail: str | dict[str, list[str]] | list[dict[str, Any]]


class Candidate(Schema):
    """A person already in your scope who may be the one you are recording (masked)."""

    id: str
    code: str
    masked_name: str
    reasons: list[str] = Field(description="The fields that agree (e.g. nik, name), not values")
    birth_year: int | None = None
    regency: str = Field("", description="The regency the person is from, by name")


class Conflict(Schema):
    """A refused change: someone saved first (`current_version` is the version to base a new
    attempt on), the request repeats another with a different body, or possible duplicates."""

    detail: str
    current_version: int | None = None
    candidates: list[Candidate] | None = None


# Every operation may answer 400 (unreadable body), 401 (no or bad token), 413 (body too large)
# and 422 (invalid).
ERRORS: dict[int, type[Schema]] = {400: Problem, 401: Problem, 413: Problem, 422: Problem}
# A read of one record adds 404; a write adds the refusals of its action.
READ_ONE: dict[int, type[Schema]] = {**ERRORS, 404: Problem}
WRITE: dict[int, type[Schema]] = {**ERRORS, 403: Problem, 404: Problem, 409: Conflict}


# Query parameters that would carry an identifier (or a search for one) into a URL, where the
# access log, proxies and browser history keep it. Searches are POSTed instead.
IDENTIFYING_PARAMS = {"q", "nik", "name", "full_name", "phone", "passport", "search"}


def only_params(request: HttpRequest, allowed: set[str]) -> None:
    """Refuse query parameters the operation does not define, instead of ignoring them."""
    if (IDENTIFYING_PARAMS - allowed) & set(request.GET):
        raise HttpError(
            400,
            _(
                "Search terms never go in a URL: send them in the body of "
                "POST /api/v1/cases/search."
            ),
        )
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise HttpError(
            422, _("Unknown query parameters: %(names)s") % {"names": ", ".join(unknown)}
        )


def acting(request: HttpRequest) -> User:
    """The token's user (set by BearerToken)."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user


class Page(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def field_error(field: str, message: str) -> dict[str, dict[str, list[str]]]:
    return {"detail": {field: [message]}}


def codes(values: Iterable[str], *, blank: bool = False) -> Any:
    """A string type that accepts exactly these codes (an enum in the schema), or "" too."""
    allowed = tuple(values) + (("",) if blank else ())
    return Literal[allowed]
