"""Errors shared by every app's actions."""

from django.utils.translation import gettext_lazy as _


class StaleRecordError(Exception):
    """Someone else saved the record after this change was started: no silent overwrite."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            _("Someone else changed this record while you were editing. Review their change.")
        )
