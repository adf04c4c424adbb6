"""Template context shared by every page."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Return the navigation entries the signed-in user's role may use."""
    from lanskompott.navigation import entries_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_entries": []}
    return {"nav_entries": entries_for(user, request)}
