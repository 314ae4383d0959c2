"""Reference data: Kemendagri regions and the agencies a case can go to."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from simpul.accounts.models import Agency
from simpul.api.v1.common import ERRORS, acting, only_params
from simpul.regions.queries import search_regions

router = Router(tags=["reference"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    path: str


class RegionFilter(Schema):
    q: str = Field(..., min_length=1, max_length=60)
    limit: int = Field(20, ge=1, le=50)


@router.get(
    "/regions",
    response={200: list[RegionOut], **ERRORS},
    summary="Kemendagri regions by name or code",
)
def regions(request: HttpRequest, filters: Query[RegionFilter]):
    only_params(request, {"q", "limit"})
    found = search_regions(filters.q, limit=filters.limit)
    return [RegionOut(code=r.code, name=r.name, level=r.level, path=r.path_name) for r in found]


class AgencyOut(Schema):
    id: int
    name: str
    agency_type: str
    jurisdiction: str | None


@router.get(
    "/agencies",
    response={200: list[AgencyOut], **ERRORS},
    summary="Active agencies: where a case can be referred, who provides a service",
)
def agencies(request: HttpRequest):
    only_params(request, set())
    acting(request)
    return [
        AgencyOut(id=a.pk, name=a.name, agency_type=a.agency_type, jurisdiction=a.jurisdiction_id)
        for a in Agency.objects.filter(is_active=True).order_by("name")
    ]
