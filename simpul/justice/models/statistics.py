"""The justice statistics as last computed by the job runner (`justice_statistics` task):
counts and medians only, no row per proceeding, so the task force's page reads one row
instead of grouping every event on each request."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

# The job runner recomputes the figures this often; the page recomputes them itself when the
# newest stored figures are older than STALE_AFTER (no scheduler running).
REFRESH_EVERY = timedelta(minutes=10)
STALE_AFTER = 2 * REFRESH_EVERY


class StatisticsSnapshot(models.Model):
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    seconds = models.FloatField(_("seconds to compute"))
    # `simpul.justice.statistics.to_json(summary)`: counts by code, medians as [days, n].
    figures = models.JSONField(_("figures"))

    class Meta:
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"justice-statistics:{self.computed_at:%Y-%m-%d %H:%M}"
