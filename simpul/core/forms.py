"""What every app's pages do with a posted form: run its action, and put the action's errors
on the form's fields."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from simpul.core.errors import StaleRecordError

T = TypeVar("T")


def add_errors(form: forms.Form, exc: ValidationError | StaleRecordError) -> None:
    """Each error at its field when the form has one, else above the form."""
    if isinstance(exc, StaleRecordError):
        form.add_error(None, str(exc))
        return
    if not hasattr(exc, "error_dict"):
        for error in exc.messages:
            form.add_error(None, error)
        return
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def run_form_action(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    redirect_to: HttpResponse | Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """Run `action` on a valid form's cleaned data; then say `success` and redirect.

    `success` and `redirect_to` may be functions of what the action returned. None when the
    form is unbound (a GET) or invalid, or when the action raised a ValidationError or
    StaleRecordError, whose errors are then on the form: the caller shows the form again.
    """
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except (ValidationError, StaleRecordError) as exc:
        add_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect_to(result) if callable(redirect_to) else redirect_to
