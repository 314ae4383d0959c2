"""System check `simpul.backups.E001`: pg_dump must be of the server's major version.

Run by `simpul check --deploy` (and so at deployment), and again, as a refusal, whenever
`simpul backup`, `restore` or a drill starts. A database that cannot be reached is not reported
here (other checks and the first request do); the backup itself then refuses.
"""

from typing import Any

import psycopg
from django.core.checks import CheckMessage, Error, register
from django.db import connection

from simpul.backups.database import POSTGRESQL, ClientVersionError, Target, check_client_versions


@register("simpul.backups", deploy=True)
def pg_dump_matches_server(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if connection.vendor != "postgresql":
        return []
    target = Target.from_settings(connection.settings_dict)
    if target.vendor != POSTGRESQL:
        return []
    try:
        check_client_versions(target, ("pg_dump", "pg_restore"))
    except ClientVersionError as exc:
        return [Error(str(exc), id="simpul.backups.E001")]
    except psycopg.Error:  # the server is unreachable: nothing to compare with here
        return []
    return []
