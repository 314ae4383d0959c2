"""Where the case file's sealed texts are bound (AAD), shared by actions (sealing) and queries
(opening), so queries never import actions."""

import uuid

from simpul.identity.crypto import open_text


def case_aad(case_id: uuid.UUID, field: str) -> str:
    return f"cases.case.{field}:{case_id}"


def task_aad(task_id: int) -> str:
    return f"cases.planitem.title:{task_id}"


def service_outcome_aad(delivery_id: int) -> str:
    return f"cases.servicedelivery.outcome:{delivery_id}"


def open_case_text(case: object, field: str) -> str:
    return open_text(getattr(case, f"{field}_sealed"), case_aad(case.pk, field))  # type: ignore[attr-defined]


def open_task_title(task: object) -> str:
    return open_text(task.title_sealed, task_aad(task.pk))  # type: ignore[attr-defined]
