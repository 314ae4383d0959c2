from django.conf import settings
from django.http import HttpRequest

from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.demo.world import demo_user_list
from simpul.web.navigation import nav_items


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    nav: dict[str, object] = {"demo_mode": settings.DEMO_MODE, "items": [], "agency": ""}
    if user is not None and user.is_authenticated:
        principal = principal_for(user)
        fully_signed_in = getattr(user, "confidentiality_accepted_at", None) is not None and (
            not principal.needs_two_factor or two_factor_verified(user)
        )
        if fully_signed_in and principal.has_role:
            nav["items"] = nav_items(principal, request.path)
            nav["agency"] = principal.grants[0].agency_name
    return {"nav": nav}


def demo_accounts(request: HttpRequest) -> dict[str, object]:
    """The demo accounts listed on the sign-in page in demo mode. Passed uncalled: the template
    calls it only where it lists them (the sign-in page), so other pages pay nothing."""
    return {"demo_users": demo_user_list if settings.DEMO_MODE else ()}
