"""Where the justice chain's sealed texts are bound (AAD), shared by actions and queries."""

from simpul.identity.crypto import open_text


def event_note_aad(proceeding_id: object, seq: int) -> str:
    return f"justice.proceedingevent.note:{proceeding_id}:{seq}"


def open_event_note(event: object) -> str:
    return open_text(
        event.note_sealed,  # type: ignore[attr-defined]
        event_note_aad(event.proceeding_id, event.seq),  # type: ignore[attr-defined]
    )
