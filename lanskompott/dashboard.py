"""What the start page shows each role. Apps extend it as their pages appear."""

from accounts.models import Role


def dashboard_for(user) -> dict:
    """Return the template context of the start page for ``user``."""
    return {"role": user.role, "is_county": user.role == Role.COUNTY}
