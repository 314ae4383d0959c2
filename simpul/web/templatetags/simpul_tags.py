from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`{{ forms|get_item:step }}`: look a key up in a mapping from a template."""
    return mapping[key]
