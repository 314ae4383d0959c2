from django.urls import include, path

from simpul.api.v1 import api
from simpul.web.views import change_language

urlpatterns = [
    path("health/", include("simpul.jobs.health_urls")),
    path("", include("simpul.web.urls")),
    path("accounts/", include("simpul.accounts.urls")),
    path("persons/", include("simpul.identity.urls")),
    path("audit/", include("simpul.audit.urls")),
    path("regions/", include("simpul.regions.urls")),
    path("intake/", include("simpul.intake.urls")),
    path("screening/", include("simpul.screening.urls")),
    path("cases/", include("simpul.cases.urls")),
    path("migration/", include("simpul.migration.urls")),
    path("prevention/", include("simpul.prevention.urls")),
    path("linkage/", include("simpul.linkage.urls")),
    path("shelters/", include("simpul.shelters.urls")),
    path("reintegration/", include("simpul.reintegration.urls")),
    path("jobs/", include("simpul.jobs.urls")),
    path("justice/", include("simpul.justice.urls")),
    path("backups/", include("simpul.backups.urls")),
    path("status/", include("simpul.victim_status.urls")),
    path("rights/", include("simpul.rights.urls")),
    path("i18n/setlang/", change_language, name="set_language"),
    path("api/", api.urls),
]
