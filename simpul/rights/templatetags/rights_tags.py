"""The case page's hook: `{% load rights_tags %}{% victim_rights case %}` renders the rights
checklist of the case's victims for the signed-in user (the case is already in their scope)."""

from typing import Any

from django import template

from simpul.accounts.access import acting_user
from simpul.rights import queries

register = template.Library()


@register.inclusion_tag("rights/partials/case_rights.html", takes_context=True)
def victim_rights(context: Any, case: Any) -> dict[str, Any]:
    user = acting_user(context["request"])
    return {
        "case": case,
        "checklists": queries.checklist(case),
        "can_edit": queries.may_edit(user, case),
    }
