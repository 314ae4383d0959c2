"""Logs as JSON lines that never carry an identity (issue 14, item 6; security.md DP-04).

One object per line: `time` (UTC, ISO 8601), `level`, `logger`, `message`, `request_id`,
`user_id` (the account's number, never its name) and, for the one line each request writes,
`method`, `path` (never the query string), `status` and `duration_ms`. An exception is logged
as its class and stack frames, never its message (a database error quotes the values).

`RedactIdentities` runs on every handler: a record's identity attributes (`nik`, `full_name`,
`phone`, ...) are replaced, and NIK-like numbers and phone numbers in a message are masked.
Names in free text cannot be recognised, so code never logs them: actions log ids and codes.
`RequestContextMiddleware` gives each request its id (an `X-Request-ID` from the proxy when it
is well-formed, else a new one; echoed in the response) and writes the request's line.
"""

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "simpul_log_request", default=None
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
REQUEST_ID_HEADER = "X-Request-ID"
request_logger = logging.getLogger("simpul.request")

# Attributes a record may carry (`extra=`) that the formatter writes.
_EXTRA = ("method", "path", "status", "duration_ms", "job", "task")
IDENTITY_FIELDS = frozenset(
    {
        "nik",
        "full_name",
        "first_name",
        "last_name",
        "other_names",
        "mother_name",
        "birth_date",
        "birth_place",
        "phone",
        "address",
        "email",
        "passport",
        "document_number",
        "username",
    }
)
REDACTED = "[redacted]"
# Sixteen digits (a NIK), however spaced or dotted; an Indonesian or international phone number.
_NIK = re.compile(r"(?<!\d)(?:\d[\s.\-]?){15}\d(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)8\d(?:[\s\-]?\d){6,11}(?!\d)")


def redact_text(text: str) -> str:
    return _PHONE.sub("[phone]", _NIK.sub("[nik]", text))


class RedactIdentities(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name in IDENTITY_FIELDS & record.__dict__.keys():
            setattr(record, name, REDACTED)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _current_ids() -> tuple[str | None, int | None]:
    request = _request.get()
    if request is None:
        return None, None
    user_id = None
    user = request.__dict__.get("user")
    # Only a user already loaded by the request: a log line never queries the database.
    if user is not None and getattr(user, "_wrapped", None) is not empty:
        user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return getattr(request, "request_id", None), user_id


def _exception(exc_info: Any) -> dict[str, object]:
    kind, _value, tb = exc_info
    frames = traceback.extract_tb(tb)
    return {
        "type": f"{kind.__module__}.{kind.__qualname__}" if kind else "",
        "frames": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames],
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request_id, user_id = _current_ids()
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id,
            "user_id": user_id,
        }
        for name in _EXTRA:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = _exception(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestContextMiddleware:
    """First in the chain: the request's id for every line logged while it runs, and one line
    when it ends (method, path without query, status, duration)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = _request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
            request_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request.reset(token)
