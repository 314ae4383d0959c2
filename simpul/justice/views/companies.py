"""The placement-company register: every signed-in user reads it (public business data); the
task force registers companies and records sanctions on their licences."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, any_role, require_perm
from simpul.accounts.roles import Perm
from simpul.core.forms import add_errors
from simpul.core.http import form_status
from simpul.justice import actions, queries
from simpul.justice.codes import LicenceStatus
from simpul.justice.forms import CompanyForm, CompanySanctionForm

PAGE_SIZE = 25


@any_role
@require_GET
def company_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    q = " ".join(request.GET.get("q", "").split())[:60]
    status = request.GET.get("status", "")
    if status not in LicenceStatus.values:
        status = ""
    rows = queries.company_register(queries.CompanyFilters(q=q, status=status))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "justice/company_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": LicenceStatus.choices,
            "query": urlencode({k: v for k, v in (("q", q), ("status", status)) if v}),
            "may_manage": actions.may_manage_register(user),
        },
    )


@require_perm(Perm.MANAGE_COMPANY_REGISTER)
@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = actions.CompanyInput(**form.cleaned_data)
        try:
            company = actions.register_company(user, data, request=request)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Company registered."))
            return redirect("justice:company_detail", company_id=company.pk)
    return render(
        request,
        "justice/company_form.html",
        {"form": form},
        status=form_status(form),
    )


def _detail(
    request: HttpRequest, company_id: int, form: CompanySanctionForm | None = None
) -> HttpResponse:
    user = acting_user(request)
    company = queries.get_company(company_id)
    may_manage = actions.may_manage_register(user)
    if form is None and may_manage:
        form = CompanySanctionForm()
    return render(
        request,
        "justice/company_detail.html",
        {
            "company": company,
            "sanctions": queries.company_sanctions(company),
            "form": form,
            "may_manage": may_manage,
        },
        status=form_status(form),
    )


@any_role
@require_GET
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    return _detail(request, company_id)


@require_perm(Perm.MANAGE_COMPANY_REGISTER)
@require_POST
def company_sanction(request: HttpRequest, company_id: int) -> HttpResponse:
    user = acting_user(request)
    company = queries.get_company(company_id)
    form = CompanySanctionForm(request.POST)
    if form.is_valid():
        try:
            actions.record_company_sanction(user, company, **form.cleaned_data, request=request)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Sanction recorded."))
            return redirect("justice:company_detail", company_id=company.pk)
    return _detail(request, company_id, form)
