"""How the reintegration app's sealed texts are bound to their rows (the AAD): shared by
actions (which seal) and queries (which open), so queries never import actions."""

from simpul.identity.crypto import open_text


def aad(model: str, field: str, row_id: object) -> str:
    return f"reintegration.{model}.{field}:{row_id}"


def goal_text(goal: object) -> str:
    return open_text(goal.text_sealed, aad("goal", "text", goal.pk))  # type: ignore[attr-defined]


def return_reason(plan: object) -> str:
    if not plan.return_reason_sealed:  # type: ignore[attr-defined]
        return ""
    return open_text(plan.return_reason_sealed, aad("plan", "return_reason", plan.pk))  # type: ignore[attr-defined]
