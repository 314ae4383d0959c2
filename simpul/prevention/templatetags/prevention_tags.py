from django import template

register = template.Library()


@register.filter
def heat(value: int, peak: int) -> str:
    """A CSS class from heat-0 (none) to heat-4 (the peak) for a count in a table."""
    if not value or not peak:
        return "heat-0"
    return f"heat-{min(4, 1 + int(3 * value / peak))}"


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"
