"""How the shelters app's sealed fields are bound to their rows (the AAD): shared by actions
(which seal) and queries (which open), so queries never import actions."""


def aad(model: str, field: str, row_id: object) -> str:
    return f"shelters.{model}.{field}:{row_id}"
