from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration_text(seconds: float | None) -> str:
    """A duration for people: "4.2 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return _("%(n)s s") % {"n": f"{seconds:.1f}"}
    minutes = int(seconds // 60)
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
