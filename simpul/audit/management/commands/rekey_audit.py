from typing import Any

from django.core.management.base import BaseCommand

from simpul.audit.log import rekey


class Command(BaseCommand):
    help = (
        "Key an audit chain written before SIMPUL_AUDIT_KEY existed: append a keyed audit.rekey "
        "marker that binds the plain SHA-256 entries. Run once after upgrading; the first audit "
        "entry written after the upgrade does the same."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        marker = rekey()
        if marker is None:
            self.stdout.write("Audit chain is already keyed (or empty): nothing to do.")
        else:
            self.stdout.write(
                f"Audit chain keyed: marker #{marker.id} binds {marker.count} legacy entries."
            )
