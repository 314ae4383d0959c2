"""Region search for pickers: an HTML fragment of options for HTMX, or JSON."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from simpul.accounts.access import public
from simpul.regions.models import Region
from simpul.regions.queries import MAX_LIMIT, search_regions

DEFAULT_LIMIT = 20


# Region names and codes are public reference data (Kemendagri), and the public report form
# needs the picker, so the search is open to everyone.
@public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """GET ?q=text&level=kecamatan[,desa_kelurahan]&within=61.01&limit=20.

    `level` may be repeated or comma-separated. JSON with `format=json` or an Accept header
    asking for application/json; otherwise `<li role="option">` items for a listbox.
    """
    as_json = _wants_json(request)
    query = request.GET.get("q", "")
    try:
        results = search_regions(
            query,
            levels=_levels(request),
            within=request.GET.get("within", "").strip() or None,
            limit=_limit(request),
        )
    except ValueError:
        message = _("Invalid region search parameters.")
        if as_json:
            return JsonResponse({"error": message}, status=400)
        return HttpResponseBadRequest(message)

    if as_json:
        response: HttpResponse = JsonResponse({"results": [_as_dict(r) for r in results]})
    else:
        response = render(
            request,
            "regions/partials/search_results.html",
            {"results": results, "searched": bool(query.strip())},
        )
    # One URL serves two representations; caches must keep them apart.
    patch_vary_headers(response, ["Accept"])
    return response


def _wants_json(request: HttpRequest) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    # Browsers and HTMX send text/html or */*; only an explicit JSON request gets JSON.
    return "application/json" in accept and "text/html" not in accept


def _levels(request: HttpRequest) -> list[str]:
    return [
        level.strip()
        for value in request.GET.getlist("level")
        for level in value.split(",")
        if level.strip()
    ]


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", DEFAULT_LIMIT)), MAX_LIMIT))
    except ValueError:
        return DEFAULT_LIMIT


def _as_dict(region: Region) -> dict[str, str]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "path": region.path_name,
    }
