"""Where a report's sealed texts are bound (AAD), shared by actions (sealing) and queries
(opening), so queries never import actions."""

import uuid


def narrative_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intake.narrative_sealed:{intake_id}"


def note_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intakenote.text_sealed:{intake_id}"


def contact_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intake.reporter_contact_sealed:{intake_id}"


def close_reason_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intake.close_reason_sealed:{intake_id}"
