"""Identities, searched terms and contacts swap into live regions that exist before the swap."""

import re
from pathlib import Path

import simpul

ROOT = Path(simpul.__file__).parent
TEMPLATES = {p: p.read_text() for p in ROOT.glob("*/templates/**/*.html")}

# Forms that swap a revealed identity (a person's, a reporter's), a searched term or contacts
# into the page.
REVEAL = re.compile(
    r"<form[^>]*hx-post=\"\{% url '(identity:person_reveal|intake:reporter_reveal|"
    r"migration:departure_contacts|audit:searched_reveal)'[^>]*>",
    re.S,
)


def _target_ids() -> set[str]:
    ids = set()
    for source in TEMPLATES.values():
        for form in REVEAL.finditer(source):
            target = re.search(r'hx-target="#([^"]+)"', form.group(0))
            assert target, form.group(0)
            ids.add(target.group(1))
    return ids


def _id_pattern(target: str) -> str:
    """The target id as a pattern over template source: `{{ x.id }}` matches any variable."""
    parts = re.split(r"\{\{.*?\}\}", target)
    return r"\{\{[^}]*\}\}".join(re.escape(p) for p in parts)


def test_every_identity_or_contact_swap_target_is_a_live_region():
    targets = _target_ids()
    assert {"identity", "contacts", "reporter", "searched-{{ event.id }}"} == targets
    for target in targets:
        tags = [
            m.group(0)
            for source in TEMPLATES.values()
            for m in re.finditer(rf"<[a-z]+[^>]*\bid=\"{_id_pattern(target)}\"[^>]*>", source)
        ]
        assert tags, target
        for tag in tags:
            assert 'aria-live="polite"' in tag, tag
