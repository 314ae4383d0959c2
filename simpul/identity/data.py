"""The identity fields kept sealed in the vault, and how they are shown masked."""

import json
from dataclasses import asdict, dataclass, field, fields


@dataclass
class IdentityData:
    full_name: str
    aliases: list[str] = field(default_factory=list)
    nik: str = ""
    passport: str = ""
    # ISO date, or a partial "YYYY" / "YYYY-MM" when only part is known.
    birth_date: str = ""
    sex: str = ""  # "F", "M" or "" (unknown)
    phone: str = ""  # E.164
    address: str = ""

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> "IdentityData":
        data = json.loads(raw.decode())
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def filled_fields(self) -> list[str]:
        """Names (never values) of the fields that hold something, for the audit trail."""
        return [f.name for f in fields(self) if getattr(self, f.name)]

    @property
    def birth_year(self) -> int | None:
        head = self.birth_date[:4]
        return int(head) if head.isdigit() else None


def mask_name(full_name: str) -> str:
    """Initials only: 'Siti Aminah' -> 'S••• A•••'. Lists show this, never the name."""
    parts = [p for p in full_name.replace(".", " ").split() if p]
    return " ".join(p[0].upper() + "•••" for p in parts[:4]) or "•••"
