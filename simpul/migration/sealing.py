"""How migration's sealed fields are bound to their rows: shared by the actions (which seal)
and the queries (which open), so queries never import actions."""


def aad(model: str, field: str, row_id: object) -> str:
    return f"migration.{model}.{field}:{row_id}"
