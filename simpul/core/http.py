"""Two small rules every page view follows, in one place (apps may import core, never `web`).

- `is_htmx(request)`: the one way to tell an HTMX request (django-htmx's `request.htmx`), which
  answers with a fragment instead of the whole page; a boosted navigation still gets the page.
- `form_status(*forms, stale=False)`: the status of a page that shows forms again. 409 when the
  record changed since the form was loaded (a stale edit), 422 when a submitted form was refused
  (its errors at their fields, everything typed kept), 200 otherwise.
"""

from django import forms
from django.http import HttpRequest

OK = 200
STALE = 409
REFUSED = 422


def is_htmx(request: HttpRequest) -> bool:
    details = getattr(request, "htmx", None)
    return bool(details) and not getattr(details, "boosted", False)


def form_status(*form_list: forms.BaseForm | None, stale: bool = False) -> int:
    if stale:
        return STALE
    if any(f is not None and f.is_bound and f.errors for f in form_list):
        return REFUSED
    return OK
