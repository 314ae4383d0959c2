"""How the rights app's sealed note is bound to its row (the AAD): shared by actions and
queries."""


def aad(row_id: object) -> str:
    return f"rights.victimright.note:{row_id}"
