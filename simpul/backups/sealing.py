"""How the canary's sealed token is bound to its row (shared by actions, which seal it, and the
drill, which opens the restored copy)."""

import uuid


def canary_aad(canary_id: uuid.UUID | str) -> str:
    return f"backups_canary:sealed:{canary_id}"
