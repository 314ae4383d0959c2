"""Which UPTD PPA receives a report from a place."""

from django.db.models import Q
from django.db.models.functions import Length

from simpul.accounts.models import Agency, AgencyType
from simpul.regions.models import Region


def _covering(code: str) -> Q:
    parts = code.split(".")
    ancestors = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return Q(jurisdiction_id__in=ancestors)


def receiving_agency(region: Region | None, *, near: Agency | None = None) -> Agency | None:
    """The UPTD PPA with the narrowest jurisdiction covering `region`, else the one covering
    the referring agency's area (`near`), else a national UPTD PPA if one exists."""
    uptd = Agency.objects.filter(agency_type=AgencyType.UPTD_PPA, is_active=True)
    for code in [region.code if region else None, near.jurisdiction_id if near else None]:
        if code:
            found = (
                uptd.filter(_covering(code))
                .order_by(Length("jurisdiction_id").desc(), "id")
                .first()
            )
            if found:
                return found
    return uptd.filter(jurisdiction__isnull=True).order_by("id").first()
